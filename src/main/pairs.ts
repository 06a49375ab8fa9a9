/**
 * The bilingual desk's services: translation pairs (two documents and the alignment between their
 * blocks), starting a translation, writing it block by block, linked annotations, and the exports
 * of a pair. They work on a Library's database; every change runs in one transaction.
 *
 * A pair's alignment is read back checked: if a document's blocks changed since it was stored (a new
 * version of the text), the beads are repaired to cover the blocks as they are now
 * (`repairAlignment`) before anything is shown or changed.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GlossError } from '../common/api.js';
import { alignmentProblem, autoAlign, confirmBeads, indexAlignment, linkBlocks, mergeBeads, repairAlignment, unlinkBead, type AlignmentBead } from '../common/align/beads.js';
import { pairCsv } from '../common/export/pair-csv.js';
import { pairHtml } from '../common/export/pair-html.js';
import { pairTmx } from '../common/export/pair-tmx.js';
import { PAIR_FORMAT_FILES, type PairExportInput } from '../common/export/pair.js';
import type { Annotation, Block, DocumentSummary, ParsedDocument } from '../common/model.js';
import type { AnnotationLink, PairExportFormat, PairKind, PairSummary, PairView, TranslationProgress } from '../common/pairs.js';
import type { Library } from './library.js';
import { appRoot } from './paths.js';
import * as docs from './store/documents.js';
import * as notes from './store/annotations.js';
import * as links from './store/links.js';
import * as store from './store/pairs.js';

export const TRANSLATION_LANGUAGES = ['he', 'en'] as const;
export type TranslationLanguage = (typeof TRANSLATION_LANGUAGES)[number];

/** The title of a new translation: "<title> (English translation)" or "<title> (תרגום לעברית)". */
export function translationTitle(title: string, lang: TranslationLanguage): string {
  return lang === 'en' ? `${title} (English translation)` : `${title} (תרגום לעברית)`;
}

/**
 * The content hash of a translation started in Gloss. Its text starts empty and changes as it is
 * written, so the hash of its text would neither be unique (every empty translation of a text with
 * as many blocks would share it) nor stay put. It is instead a fixed identity, made once:
 * SHA-256 of a marker, the language, the source's content hash and a random UUID. It never equals
 * the hash of an imported text, so importing a file is never mistaken for a duplicate of a
 * translation, and the exports name the translation by it (its annotations re-import into it).
 */
export function translationHash(sourceHash: string, lang: string, nonce: string = randomUUID()): string {
  return createHash('sha256').update(`gloss-translation\u0000${lang}\u0000${sourceHash}\u0000${nonce}`, 'utf8').digest('hex');
}

export interface BlockTextResult {
  block: Block;
  progress: TranslationProgress;
  /** Change in the block's length; later blocks and annotations moved by it. */
  delta: number;
  shifted: number;
  orphaned: number;
}

export interface PairExportResult {
  fileName: string;
  mediaType: string;
  content: string;
}

let version: string | undefined;
function appVersion(): string {
  if (version === undefined) {
    try {
      version = String(JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version ?? '');
    } catch {
      version = '';
    }
  }
  return version;
}

export class PairService {
  constructor(
    private readonly library: Library,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.library.db;
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private summary(id: number): DocumentSummary {
    const s = docs.getSummary(this.db, id);
    if (!s) throw new GlossError(`No document with id ${id}`, 'not-found');
    return s;
  }

  /** The pair's beads, repaired if the documents' blocks changed since they were stored. */
  private beads(pair: store.PairRow): AlignmentBead[] {
    const beads = store.getBeads(this.db, pair.id);
    const n = this.summary(pair.sourceId).blockCount;
    const m = this.summary(pair.targetId).blockCount;
    return alignmentProblem(beads, n, m) === undefined ? beads : repairAlignment(beads, n, m);
  }

  private view(pair: store.PairRow, beads = this.beads(pair)): PairView {
    return {
      id: pair.id,
      kind: pair.kind,
      created: pair.created,
      source: this.summary(pair.sourceId),
      target: this.summary(pair.targetId),
      beads,
      progress: store.blockProgress(this.db, pair.targetId),
    };
  }

  list(documentId?: number): PairSummary[] {
    return store.listPairs(this.db, documentId).map((p) => {
      const s = this.summary(p.sourceId);
      const t = this.summary(p.targetId);
      const beads = this.beads(p);
      return {
        id: p.id,
        kind: p.kind,
        created: p.created,
        sourceId: s.id,
        targetId: t.id,
        sourceTitle: s.title,
        targetTitle: t.title,
        sourceLanguage: s.language,
        targetLanguage: t.language,
        beads: beads.length,
        confirmed: beads.filter((b) => b.confirmed).length,
        review: beads.filter((b) => b.review).length,
        progress: store.blockProgress(this.db, t.id),
      };
    });
  }

  get(pairId: number): PairView {
    return this.view(store.getPair(this.db, pairId));
  }

  /** Pairs two documents. Their alignment starts block by block, or computed with `autoAlign`. */
  create(sourceId: number, targetId: number, options: { autoAlign?: boolean } = {}): PairView {
    const source = docs.getDocument(this.db, sourceId);
    const target = docs.getDocument(this.db, targetId);
    const beads = options.autoAlign ? this.computeAlignment(source.blocks, target.blocks, []) : indexAlignment(source.blocks.length, target.blocks.length);
    const id = this.tx(() => {
      const id = store.insertPair(this.db, sourceId, targetId, 'aligned', this.stamp());
      store.replaceBeads(this.db, id, beads);
      return id;
    });
    return this.get(id);
  }

  delete(pairId: number): boolean {
    return this.tx(() => store.deletePair(this.db, pairId));
  }

  private computeAlignment(source: readonly Block[], target: readonly Block[], keep: readonly AlignmentBead[]): AlignmentBead[] {
    return autoAlign(
      source.map((b) => ({ text: b.text, kind: b.kind })),
      target.map((b) => ({ text: b.text, kind: b.kind })),
      keep,
    );
  }

  /** Runs the automatic alignment; confirmed beads stay where they are unless `keepConfirmed` is false. */
  autoAlign(pairId: number, options: { keepConfirmed?: boolean } = {}): PairView {
    const pair = store.getPair(this.db, pairId);
    const source = docs.getBlocks(this.db, pair.sourceId);
    const target = docs.getBlocks(this.db, pair.targetId);
    const keep = options.keepConfirmed === false ? [] : this.beads(pair);
    const beads = this.computeAlignment(source, target, keep);
    this.tx(() => store.replaceBeads(this.db, pair.id, beads));
    return this.view(pair, beads);
  }

  /** Applies a correction to the current beads and stores the result, in one transaction. */
  private change(pairId: number, fn: (beads: AlignmentBead[], n: number, m: number) => AlignmentBead[]): PairView {
    const pair = store.getPair(this.db, pairId);
    const beads = this.tx(() => {
      const n = this.summary(pair.sourceId).blockCount;
      const m = this.summary(pair.targetId).blockCount;
      let next: AlignmentBead[];
      try {
        next = fn(this.beads(pair), n, m);
      } catch (e) {
        if (e instanceof RangeError) throw new GlossError(e.message);
        throw e;
      }
      const problem = alignmentProblem(next, n, m);
      if (problem) throw new GlossError(`internal: the corrected alignment is not valid (${problem})`, 'failed');
      store.replaceBeads(this.db, pair.id, next);
      return next;
    });
    return this.view(pair, beads);
  }

  link(pairId: number, sourceBlocks: readonly number[], targetBlocks: readonly number[]): PairView {
    return this.change(pairId, (beads, n, m) => linkBlocks(beads, sourceBlocks, targetBlocks, n, m));
  }

  unlink(pairId: number, bead: number): PairView {
    return this.change(pairId, (beads) => unlinkBead(beads, bead));
  }

  merge(pairId: number, bead: number): PairView {
    return this.change(pairId, (beads) => mergeBeads(beads, bead));
  }

  confirm(pairId: number, beads?: readonly number[], confirmed = true): PairView {
    return this.change(pairId, (list) => confirmBeads(list, beads, confirmed));
  }

  /**
   * Starts a translation of a document into `lang`: a new document with one empty block per source
   * block (same kind and depth, direction from the language), paired with the source and aligned
   * one to one (confirmed: the blocks correspond by construction).
   */
  translate(documentId: number, lang: TranslationLanguage): { document: DocumentSummary; pair: PairView } {
    const source = docs.getDocument(this.db, documentId);
    if (source.language === lang) throw new GlossError(`"${source.title}" is already in ${lang === 'he' ? 'Hebrew' : 'English'}; translate it into the other language`);
    if (source.blocks.length === 0) throw new GlossError(`"${source.title}" has no blocks to translate`);
    const parsed: ParsedDocument = {
      title: translationTitle(source.title, lang),
      language: lang,
      blocks: source.blocks.map((b) => ({ kind: b.kind, dir: lang === 'he' ? 'rtl' : 'ltr', depth: b.depth, text: '' })),
    };
    const now = this.stamp();
    const { targetId, pairId } = this.tx(() => {
      // insertDocument stores the hash of the (empty) text; it is replaced by the translation's
      // identity at once, inside this transaction, so no two translations ever share one.
      const placeholder = docs.contentHash(parsed);
      const clash = docs.findByHash(this.db, placeholder);
      if (clash) throw new GlossError(`Cannot start the translation: document ${clash.id} "${clash.title}" holds only empty blocks; remove it first`, 'conflict');
      const targetId = docs.insertDocument(this.db, parsed, `translation of ${source.sourceName}`, now);
      this.db.prepare('UPDATE documents SET content_hash = ? WHERE id = ?').run(translationHash(source.contentHash, lang), targetId);
      const pairId = store.insertPair(this.db, source.id, targetId, 'translation', now);
      store.replaceBeads(
        this.db,
        pairId,
        source.blocks.map((_, i) => ({ source: [i], target: [i], confirmed: true })),
      );
      return { targetId, pairId };
    });
    return { document: this.summary(targetId), pair: this.get(pairId) };
  }

  /** Writes one block of a translation (the target of a `translation` pair). */
  setBlockText(pairId: number, blockIndex: number, text: string): BlockTextResult {
    const pair = store.getPair(this.db, pairId);
    if (pair.kind !== 'translation') {
      throw new GlossError(`Pair ${pairId} aligns two existing texts; only a translation started in Gloss (gloss translate) is written here`);
    }
    const edit = this.tx(() => store.setBlockText(this.db, pair.targetId, blockIndex, text));
    return { block: edit.block, delta: edit.delta, shifted: edit.shifted, orphaned: edit.orphaned, progress: store.blockProgress(this.db, pair.targetId) };
  }

  exportInput(pairId: number, generated = this.stamp()): PairExportInput {
    const pair = store.getPair(this.db, pairId);
    const source = docs.getDocument(this.db, pair.sourceId);
    const target = docs.getDocument(this.db, pair.targetId);
    const v = appVersion();
    return { source, target, beads: this.beads(pair), generated, ...(v ? { version: v } : {}) };
  }

  export(pairId: number, format: PairExportFormat, generated?: string): PairExportResult {
    const input = this.exportInput(pairId, generated);
    const content = format === 'tmx' ? pairTmx(input) : format === 'html' ? pairHtml(input) : pairCsv(input);
    const file = PAIR_FORMAT_FILES[format];
    return { fileName: `gloss-pair-${pairId}${file.extension}`, mediaType: file.mediaType, content };
  }
}

export interface LinkOptions {
  /** Both annotations end with the tags of both. */
  shareTags?: boolean;
  /** The other annotation's note becomes this one's. */
  noteFrom?: 'a' | 'b';
}

export class LinkService {
  constructor(
    private readonly library: Library,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.library.db;
  }

  /** Links two annotations, optionally sharing tags and a note between them, in one transaction. */
  create(aId: string, bId: string, options: LinkOptions = {}): { link: AnnotationLink; a: Annotation; b: Annotation } {
    const now = this.now().toISOString();
    return this.db.transaction(() => {
      const link = links.insertLink(this.db, aId, bId, now);
      let a = notes.getAnnotation(this.db, aId);
      let b = notes.getAnnotation(this.db, bId);
      if (options.shareTags) {
        const union = [...new Set([...a.tags, ...b.tags])].sort();
        if (union.length !== a.tags.length) a = notes.updateAnnotation(this.db, aId, { tags: union }, now);
        if (union.length !== b.tags.length) b = notes.updateAnnotation(this.db, bId, { tags: union }, now);
      }
      if (options.noteFrom === 'a' && b.note !== a.note) b = notes.updateAnnotation(this.db, bId, { note: a.note }, now);
      if (options.noteFrom === 'b' && a.note !== b.note) a = notes.updateAnnotation(this.db, aId, { note: b.note }, now);
      // Sharing tags or a note changes neither end's place: the link as made still holds.
      return { link, a, b };
    })();
  }

  delete(aId: string, bId: string): boolean {
    return this.db.transaction(() => links.deleteLink(this.db, aId, bId))();
  }

  list(documentId: number): AnnotationLink[] {
    docs.getDocument(this.db, documentId);
    return links.listLinks(this.db, documentId);
  }
}

export type { PairKind };
