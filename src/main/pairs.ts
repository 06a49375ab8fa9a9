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
import { parseUnitId, pairXliff, readXliff, XLIFF_LIMITS, XliffError } from '../common/export/pair-xliff.js';
import { PAIR_FORMAT_FILES, segmentText, type PairExportInput } from '../common/export/pair.js';
import type { Annotation, Block, DocumentSummary, ParsedDocument } from '../common/model.js';
import { languageCode, type NotMatchedCode, type AnnotationLink, type PairExportFormat, type PairKind, type PairSummary, type PairView, type TranslationImportReport, type TranslationProgress } from '../common/pairs.js';
import type { Library } from './library.js';
import { appRoot } from './paths.js';
import * as docs from './store/documents.js';
import * as notes from './store/annotations.js';
import * as links from './store/links.js';
import * as store from './store/pairs.js';
import { updateDocument } from './store/revisions.js';

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
    if (!s) throw new GlossError(`No document with id ${id}`, 'document-not-found', { id });
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
    if (source.language === lang) throw new GlossError(`"${source.title}" is already in ${lang === 'he' ? 'Hebrew' : 'English'}; translate it into the other language`, 'already-in-language', { title: source.title });
    if (source.blocks.length === 0) throw new GlossError(`"${source.title}" has no blocks to translate`, 'nothing-to-translate', { title: source.title });
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
      if (clash) throw new GlossError(`Cannot start the translation: document ${clash.id} "${clash.title}" holds only empty blocks; remove it first`, 'translation-exists', { id: clash.id, title: clash.title });
      const targetId = docs.insertDocument(this.db, parsed, `translation of ${source.sourceName}`, now);
      store.setTranslationIdentity(this.db, targetId, translationHash(source.contentHash, lang));
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
      throw new GlossError(`Pair ${pairId} aligns two existing texts; only a translation started in Gloss (gloss translate) is written here`, 'not-a-translation', { pair: pairId });
    }
    const edit = this.tx(() => store.setBlockText(this.db, pair.targetId, blockIndex, text));
    return { block: edit.block, delta: edit.delta, shifted: edit.shifted, orphaned: edit.orphaned, progress: store.blockProgress(this.db, pair.targetId) };
  }

  /**
   * Gives a unit of a translation that has source text but no segment in the translation (its
   * source block was added by an update) an empty segment to write into, placed after the
   * segments of the units before it, and links the two (confirmed). One transaction.
   */
  addTargetBlock(pairId: number, beadIndex: number): PairView {
    const pair = store.getPair(this.db, pairId);
    if (pair.kind !== 'translation') throw new GlossError(`Pair ${pairId} aligns two existing texts; a segment is added only to a translation started in Gloss (update the other text from a file instead)`, 'not-a-translation', { pair: pairId });
    const beads = this.tx(() => {
      const current = this.beads(pair);
      const bead = current[beadIndex];
      if (!bead) throw new GlossError(`There is no unit ${beadIndex + 1} (the alignment has ${current.length})`, 'unit-not-found', { unit: beadIndex + 1, units: current.length });
      if (bead.source.length === 0 || bead.target.length > 0) throw new GlossError(`Unit ${beadIndex + 1} ${bead.target.length > 0 ? 'has a segment in the translation already' : 'has no source text to translate'}`, bead.target.length > 0 ? 'unit-has-segment' : 'unit-no-source', { unit: beadIndex + 1 });
      let at = 0;
      for (const b of current.slice(0, beadIndex)) for (const t of b.target) at = Math.max(at, t + 1);
      const first = docs.getBlocks(this.db, pair.sourceId)[bead.source[0]!]!;
      const target = this.summary(pair.targetId);
      // Stored as they are now (repaired if need be), so that the insertion carries these units.
      store.replaceBeads(this.db, pair.id, current);
      store.insertEmptyBlock(this.db, pair.targetId, at, { kind: first.kind, dir: target.language === 'he' ? 'rtl' : 'ltr', depth: first.depth });
      const n = this.summary(pair.sourceId).blockCount;
      const m = this.summary(pair.targetId).blockCount;
      const next = linkBlocks(store.getBeads(this.db, pair.id), bead.source, [at], n, m);
      const problem = alignmentProblem(next, n, m);
      if (problem) throw new GlossError(`internal: the alignment after adding a segment is not valid (${problem})`, 'failed');
      store.replaceBeads(this.db, pair.id, next);
      return next;
    });
    return this.view(pair, beads);
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
    let content: string;
    if (format === 'xliff') {
      const pair = store.getPair(this.db, pairId);
      content = pairXliff({ ...input, annotations: { source: notes.listAnnotations(this.db, pair.sourceId), target: notes.listAnnotations(this.db, pair.targetId) } });
    } else content = format === 'tmx' ? pairTmx(input) : format === 'html' ? pairHtml(input) : pairCsv(input);
    const file = PAIR_FORMAT_FILES[format];
    return { fileName: `gloss-pair-${pairId}${file.extension}`, mediaType: file.mediaType, content };
  }

  /**
   * Brings a translation back from an XLIFF file (`readXliff`; written by `export(…, 'xliff')`
   * and translated in a CAT tool), unit by unit, in one transaction; a file that cannot be read
   * changes nothing.
   *
   * A trans-unit is matched to a unit of the pair by its id (the blocks it names) when the unit's
   * source text is still the file's `<source>`; otherwise by that source text when exactly one
   * unit has it; otherwise it is not matched, and nothing is written for it. A matched unit's
   * translation goes into its one target block; a unit with no target block, or with several, is
   * reported and left alone (never a text in the wrong place, never one cut at a guess). A
   * translation the file calls final (`state="final"` or `"signed-off"`, or `approved="yes"`)
   * confirms its unit.
   *
   * A translation started in Gloss is written block by block (`setBlockText`); the target of two
   * imported texts gets a new version (`updateDocument`: the old text kept as a revision, its
   * annotations re-anchored), and its units keep their state (they are where they were).
   */
  importTranslation(pairId: number, fileName: string, text: string): TranslationImportReport {
    const pair = store.getPair(this.db, pairId);
    let file;
    try {
      file = readXliff(text);
    } catch (e) {
      if (e instanceof XliffError) throw new GlossError(`${fileName}: ${e.message}. Nothing was changed.`, 'xliff-invalid', { file: fileName });
      throw e;
    }
    const source = docs.getDocument(this.db, pair.sourceId);
    const target = docs.getDocument(this.db, pair.targetId);
    const srcLang = languageCode(source.language, source.blocks);
    const tgtLang = languageCode(target.language, target.blocks);
    const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (file.sourceLanguage && primary(file.sourceLanguage) !== srcLang) {
      throw new GlossError(`${fileName}: it translates from ${file.sourceLanguage} into ${file.targetLanguage || '?'}; pair ${pairId} translates from ${srcLang} into ${tgtLang}. Nothing was changed.`, 'xliff-languages', { file: fileName });
    }
    if (file.targetLanguage && primary(file.targetLanguage) !== tgtLang) {
      throw new GlossError(`${fileName}: its target language is ${file.targetLanguage}; the translation in pair ${pairId} is in ${tgtLang}. Nothing was changed.`, 'xliff-languages', { file: fileName });
    }
    const beads = this.beads(pair);
    const sourceOf = (b: AlignmentBead) => segmentText(source, b.source);
    const targetOf = (b: AlignmentBead) => segmentText(target, b.target);
    const byBlocks = new Map<string, number>();
    const bySource = new Map<string, number[]>();
    beads.forEach((b, i) => {
      if (b.source.length === 0) return;
      byBlocks.set(b.source.join(','), i);
      const key = sourceOf(b).normalize('NFC').replace(/\s+/g, ' ').trim();
      bySource.set(key, [...(bySource.get(key) ?? []), i]);
    });
    const report: TranslationImportReport = { file: fileName, units: file.units.length, updated: 0, unchanged: 0, untranslated: 0, confirmed: 0, matchedByText: 0, notMatched: [] };
    const writes = new Map<number, string>();
    const confirm = new Set<number>();
    const written = new Map<number, string>();
    const segmentRun = (b: AlignmentBead) => (b.source.length === 1 ? String(b.source[0]! + 1) : `${b.source[0]! + 1}–${b.source[b.source.length - 1]! + 1}`);
    const segments = (b: AlignmentBead) => (b.source.length === 1 ? `segment ${b.source[0]! + 1}` : `segments ${b.source[0]! + 1}–${b.source[b.source.length - 1]! + 1}`);
    for (const u of file.units) {
      const translation = u.target?.text ?? '';
      // No translation: none given, or the target is still the copy of the source it was exported
      // with (a CAT tool may leave its state as it was, so the text is what tells).
      if (!u.translate || translation.trim() === '' || sameSegment(translation, u.source)) {
        report.untranslated++;
        continue;
      }
      const miss = (code: NotMatchedCode, reason: string, values: Record<string, string | number> = {}) => report.notMatched.push({ id: u.id, line: u.line, reason, code, values });
      let index: number | undefined;
      const named = parseUnitId(u.id);
      const byId = named && named.source.length > 0 ? byBlocks.get(named.source.join(',')) : undefined;
      if (byId !== undefined && sameSegment(sourceOf(beads[byId]!), u.source)) index = byId;
      else {
        const found = bySource.get(u.source.normalize('NFC').replace(/\s+/g, ' ').trim()) ?? [];
        if (found.length === 1) {
          index = found[0]!;
          report.matchedByText++;
        } else if (found.length > 1) {
          miss('ambiguous', `its source text is that of ${found.length} units, and its id names none of them now`, { count: found.length });
          continue;
        } else {
          if (byId !== undefined) miss('source-changed', `the source text of ${segments(beads[byId]!)} is not the file's any more (it changed since the export)`, { segments: segmentRun(beads[byId]!) });
          else miss('no-source', 'no unit of the pair has this source text (it changed since the export, or the file is of another text)');
          continue;
        }
      }
      const bead = beads[index]!;
      const unitName = `unit ${index + 1}`;
      if (written.has(index)) {
        miss('duplicate', `trans-unit ${written.get(index)} is already ${unitName}'s translation in this file`, { other: written.get(index)!, unit: index + 1 });
        continue;
      }
      written.set(index, u.id);
      const final = u.target?.state === 'final' || u.target?.state === 'signed-off' || u.approved;
      if (sameSegment(targetOf(bead), translation)) {
        report.unchanged++;
        if (final && !bead.confirmed) confirm.add(index);
        continue;
      }
      if (bead.target.length === 0) {
        miss('no-target', `${unitName} has no segment in the translation to write into`, { unit: index + 1 });
        continue;
      }
      if (bead.target.length > 1) {
        miss('several-targets', `${unitName} spans ${bead.target.length} segments of the translation; its text cannot be divided among them (unlink the unit, or merge the segments, first)`, { unit: index + 1, count: bead.target.length });
        continue;
      }
      if (/[\n\r]/.test(translation)) {
        miss('line-break', 'its translation holds a line break');
        continue;
      }
      writes.set(bead.target[0]!, translation.replace(/^\s+|\s+$/g, ''));
      report.updated++;
      if (final) confirm.add(index);
    }
    report.confirmed = [...confirm].filter((i) => !beads[i]!.confirmed).length;
    this.tx(() => {
      if (writes.size > 0) {
        if (pair.kind === 'translation') {
          for (const [block, value] of writes) store.setBlockText(this.db, pair.targetId, block, value);
        } else {
          const blocks = target.blocks.map((b) => {
            const input = { kind: b.kind, dir: b.dir, depth: b.depth, text: writes.get(b.index) ?? b.text };
            return b.meta ? { ...input, meta: b.meta } : input;
          });
          updateDocument(this.db, pair.targetId, { title: target.title, language: target.language, blocks }, this.stamp(), { reason: `translation from ${fileName}` });
          // The text changed inside units, not between them: each unit keeps its state.
          const carried = store.getBeads(this.db, pair.id);
          if (sameUnits(carried, beads)) store.replaceBeads(this.db, pair.id, beads);
        }
      }
      // Confirmations go to the units matched, which are where they were (checked, not assumed).
      const now = store.getBeads(this.db, pair.id);
      if (confirm.size > 0 && sameUnits(now, beads)) store.replaceBeads(this.db, pair.id, confirmBeads(now, [...confirm]));
      else if (confirm.size > 0) report.confirmed = 0;
    });
    return report;
  }
}

/** Whether two alignments have the same units (blocks), whatever their states. */
function sameUnits(a: readonly AlignmentBead[], b: readonly AlignmentBead[]): boolean {
  return a.length === b.length && a.every((x, i) => x.source.join() === b[i]!.source.join() && x.target.join() === b[i]!.target.join());
}

/** Text as two segments are compared: NFC, white space collapsed, trimmed. */
function sameSegment(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

/** A file's bytes as text: UTF-8 (with or without a BOM) or UTF-16 with a BOM. */
export function xliffText(name: string, bytes: Uint8Array): string {
  if (bytes.length > XLIFF_LIMITS.chars * 2) throw new GlossError(`${name}: the file is ${Math.round(bytes.length / 1e6)} MB; XLIFF files are read up to ${XLIFF_LIMITS.chars / 1e6} million characters. Nothing was changed.`, 'file-too-large', { file: name, limit: `${XLIFF_LIMITS.chars / 1e6} M` });
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GlossError(`${name}: the file is not UTF-8 (nor UTF-16 with a byte-order mark), as XLIFF files are. Nothing was changed.`, 'xliff-invalid', { file: name });
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
