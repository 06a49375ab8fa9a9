/**
 * The library service: one owner of the database, with the verbs the CLI, the browser host and
 * Electron share. Every multi-row change runs in one transaction.
 */
import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { findDocument } from '../common/document-ref.js';
import type { ImportOutcome, Settings } from '../common/api.js';
import { GlossError, settingsSchema } from '../common/api.js';
import type { Annotation, Color, DocumentFull, DocumentSummary, ImportProgress, ParsedDocument, SearchHit, SearchPage, Tag } from '../common/model.js';
import type { ImportFileState, TagDeletion } from '../common/api.js';
import { canonicalText, occurrences, QUOTE_CONTEXT } from '../common/text/canonical.js';
import { isTagWithin, normalizeTagPath } from '../common/tag-path.js';
import { parseBytes, readImportFile } from './import/index.js';
import { parseIsolated } from './import/isolated.js';
import { importQdpxProject } from './export/qdpx-import.js';
import { CANCELLED } from './import/reader.js';
import { ImportError } from './import/errors.js';
import { checkpointLater, DB_FILE_NAME, openDatabase, type OpenOptions } from './store/db.js';
import * as docs from './store/documents.js';
import * as notes from './store/annotations.js';
import * as tags from './store/tags.js';
import { documentsBeingIndexed, indexPendingBatch, markSearchPending, pendingSearchDocuments, searchLibrary, searchPage } from './store/search.js';
import { buryAnnotation, purgeTombstones, tombstoneDocument, undeleteAnnotation } from './store/tombstones.js';
import { getSetting, setSetting } from './store/settings.js';

export interface LibraryOptions extends OpenOptions {
  /** Clock for created/modified stamps (tests pin it). */
  now?: () => Date;
  /**
   * Text files below this many bytes are read in place rather than in a worker (default 8 MB).
   * The command line, which serves no one while it imports, reads all text in place.
   */
  inlineTextBytes?: number;
}

const isQdpx = (name: string): boolean => /\.qdpx$/i.test(name);

/** A REFI-QDA project brings several documents: one outcome for the file, naming them. */
function qdpxOutcome(name: string, outcomes: readonly ImportOutcome[]): ImportOutcome {
  const failed = outcomes.find((o) => o.status === 'failed');
  if (failed) return { name, status: 'failed', message: failed.message ?? 'the project could not be read', reason: failed.reason ?? 'not-qdpx' };
  const imported = outcomes.filter((o) => o.status === 'imported');
  const first = imported[0] ?? outcomes[0];
  if (!first) return { name, status: 'failed', message: 'the project holds no text sources', reason: 'no-text' };
  const titles = outcomes.map((o) => `"${o.title ?? o.name}"`).join(', ');
  const annotations = outcomes.reduce((n, o) => n + (o.annotations ?? 0), 0);
  const outcome: ImportOutcome = {
    name,
    status: imported.length > 0 ? 'imported' : 'duplicate',
    documentId: first.documentId,
    title: outcomes.length === 1 ? (first.title ?? name) : `${outcomes.length} documents`,
    message: `a REFI-QDA project: ${titles}`,
    // For the interface: the documents, then what each document's import said.
    notes: [{ code: 'documents', params: { count: outcomes.length, titles } }, ...outcomes.flatMap((o) => o.notes ?? [])],
  };
  if (annotations > 0) outcome.annotations = annotations;
  return outcome;
}

/** A text longer than this (UTF-16 units) is stored first and given its search rows right after. */
export const INDEX_LATER_CHARS = 200_000;
const INDEX_BATCH_BLOCKS = 300;
const INDEX_SLICE_MS = 40;

const textLength = (doc: ParsedDocument) => doc.blocks.reduce((n, b) => n + b.text.length + 1, 0);

export interface ImportOptions {
  signal?: AbortSignal;
  /** The `index`th file has read this far (pages, chapters). */
  onProgress?: (index: number, progress: ImportProgress) => void;
  onState?: (index: number, state: ImportFileState['state'], outcome?: ImportOutcome) => void;
}

export type AnnotateTarget = { start: number; end: number } | { quote: string; nth?: number };

export class Library {
  readonly file: string;
  private readonly now: () => Date;
  private readonly inlineTextBytes: number | undefined;

  private constructor(
    readonly db: Database,
    readonly dataDir: string,
    options: LibraryOptions,
  ) {
    this.file = path.join(dataDir, DB_FILE_NAME);
    this.now = options.now ?? (() => new Date());
    this.inlineTextBytes = options.inlineTextBytes;
  }

  // Search rows built after a big import --------------------------------------------------------

  private indexer: Promise<void> | null = null;

  /** Builds the search rows of documents waiting for them, in batches between requests. */
  private buildSearchRows(): void {
    if (this.indexer || this.db.readonly || pendingSearchDocuments(this.db).length === 0) return;
    this.indexer = new Promise<void>((resolve) => {
      let cursor = { documentId: 0, after: 0 };
      const step = () => {
        try {
          if (!this.db.open) {
            this.indexer = null;
            return resolve();
          }
          const started = Date.now();
          // Batches of a few hundred blocks (a few tens of ms), each its own transaction, so a
          // request waits for one batch at most and a crash loses one.
          while (Date.now() - started < INDEX_SLICE_MS) {
            const done = this.tx(() => indexPendingBatch(this.db, INDEX_BATCH_BLOCKS, cursor.after));
            if (!done) {
              this.indexer = null;
              return resolve();
            }
            cursor = { documentId: done.documentId, after: done.last ?? 0 };
          }
          setImmediate(step);
        } catch (e) {
          // A locked or closed library: the documents stay recorded and indexing resumes at the next open.
          this.indexer = null;
          resolve();
          if (this.db.open) process.emitWarning(`Gloss: building search rows stopped: ${(e as Error).message}`);
        }
      };
      setImmediate(step);
    });
  }

  /** Resolves when every imported document's search rows are built (at once when none wait). */
  async whenIndexed(): Promise<void> {
    this.buildSearchRows();
    while (this.indexer) await this.indexer;
  }

  /** Documents whose search rows are still being built. */
  indexing(): { documentId: number; title: string }[] {
    return documentsBeingIndexed(this.db);
  }

  /** Opens (creating and migrating) the library in `dataDir`. Throws LibraryOpenError for a file it must not touch. */
  static open(dataDir: string, options: LibraryOptions = {}): Library {
    fs.mkdirSync(dataDir, { recursive: true });
    const db = openDatabase(path.join(dataDir, DB_FILE_NAME), options);
    const library = new Library(db, dataDir, options);
    // Deleted annotations can be brought back for a while; older tombstones go at open.
    if (!options.readonly) {
      try {
        purgeTombstones(db, library.now());
      } catch (e) {
        // A library on a read-only disk still opens for reading; the purge waits for a writable one.
        if (!String((e as { code?: string }).code).startsWith('SQLITE_READONLY')) throw e;
      }
    }
    // Documents imported before a quit or a crash whose search rows were not all built.
    if (!options.readonly) library.buildSearchRows();
    return library;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // Documents -------------------------------------------------------------------------------

  list(): DocumentSummary[] {
    return docs.listDocuments(this.db);
  }

  get(id: number): DocumentFull {
    return docs.getDocument(this.db, id);
  }

  /** A document's summary with `count` blocks from `from` (all the rest without `count`), and how many it has. */
  getBlocks(id: number, from: number, count?: number): DocumentFull & { from: number; total: number } {
    const summary = docs.getSummary(this.db, id);
    if (!summary) throw new GlossError(`No document with id ${id}`, 'document-not-found', { id });
    return { ...summary, blocks: docs.getBlockRange(this.db, id, from, count ?? Number.MAX_SAFE_INTEGER), from, total: summary.blockCount };
  }

  text(id: number): string {
    return docs.getCanonicalText(this.db, id);
  }

  /** `DOC` on the command line: an id, or an unambiguous prefix of a title (case-insensitive). */
  resolve(ref: string): DocumentSummary {
    return findDocument(this.list(), ref);
  }

  /**
   * Imports files given as bytes, one after another; each file on its own (one transaction per file,
   * with the annotations it brings), so one bad file neither stops the rest nor leaves half a document.
   * Readers run in a worker with time and memory limits (`import/isolated.ts`).
   */
  async importFiles(files: readonly { name: string; bytes: Uint8Array }[], options: ImportOptions = {}): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = [];
    for (const [index, { name, bytes }] of files.entries()) {
      if (options.signal?.aborted) {
        outcomes.push({ name, status: 'failed', message: CANCELLED, reason: 'cancelled' });
        continue;
      }
      options.onState?.(index, 'reading');
      let outcome: ImportOutcome;
      try {
        if (isQdpx(name)) {
          outcome = qdpxOutcome(name, await importQdpxProject(this, name, bytes));
          outcomes.push(outcome);
          options.onState?.(index, 'done', outcome);
          continue;
        }
        const parsed = await parseIsolated(name, bytes, { signal: options.signal, onProgress: (p) => options.onProgress?.(index, p), inlineTextBytes: this.inlineTextBytes });
        options.onState?.(index, 'storing');
        outcome = this.storeParsed(name, parsed);
      } catch (e) {
        if (e instanceof ImportError) outcome = { name, status: 'failed', message: e.reason, reason: e.why };
        else if (e instanceof GlossError || e instanceof RangeError) outcome = { name, status: 'failed', message: e.message, reason: 'unreadable' };
        else throw e;
      }
      outcomes.push(outcome);
      options.onState?.(index, 'done', outcome);
    }
    return outcomes;
  }

  /** Stores a parsed document with the annotations it brings, in one transaction. */
  storeParsed(name: string, parsed: ParsedDocument): ImportOutcome {
    const hash = docs.contentHash(parsed);
    const existing = docs.findByHash(this.db, hash);
    if (existing) {
      return { name, status: 'duplicate', documentId: existing.id, title: existing.title, message: `already in the library as document ${existing.id} "${existing.title}"` };
    }
    const stamp = this.stamp();
    // A big text's blocks are committed first and searchable shortly after (`buildSearchRows`):
    // folding and the trigram index cost several times the insert itself. Its commit leaves the
    // copy of the log into the library file to the indexer's first commit, moments later.
    const later = textLength(parsed) > INDEX_LATER_CHARS;
    const store = () => this.tx(() => {
      const id = docs.insertDocument(this.db, parsed, path.basename(name), stamp, { search: !later, hash });
      if (later) markSearchPending(this.db, id);
      const brought = parsed.annotations ?? [];
      if (brought.length > 0) {
        const text = canonicalText(parsed.blocks);
        for (const a of brought) {
          notes.insertAnnotation(this.db, text, { documentId: id, start: a.start, end: a.end, note: a.note, author: a.author, created: a.created, modified: a.created, tags: a.tags?.map(normalizeTagPath), color: a.color }, stamp);
        }
      }
      return id;
    });
    const id = later ? checkpointLater(this.db, store) : store();
    this.buildSearchRows();
    const outcome: ImportOutcome = { name, status: 'imported', documentId: id, title: parsed.title };
    if (parsed.annotations?.length) outcome.annotations = parsed.annotations.length;
    return outcome;
  }

  /** Imports files from disk; a missing or unreadable path is reported like any bad file. */
  async importPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = [];
    for (const [index, p] of paths.entries()) {
      try {
        const { name, bytes } = readImportFile(p);
        const [outcome] = await this.importFiles([{ name, bytes }], {
          signal: options.signal,
          onProgress: (_i, progress) => options.onProgress?.(index, progress),
          onState: (_i, state, o) => options.onState?.(index, state, o && { ...o, name: p }),
        });
        outcomes.push({ ...outcome!, name: p });
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        const outcome: ImportOutcome = { name: p, status: 'failed', message: e.reason, reason: e.why };
        outcomes.push(outcome);
        options.onState?.(index, 'done', outcome);
      }
    }
    return outcomes;
  }

  /** A new title for a document (whitespace collapsed, at most 200 characters as at import). */
  rename(id: number, title: string): DocumentSummary {
    const clean = title.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/gu, ' ').trim();
    if (clean === '') throw new GlossError('A title needs at least one letter', 'title-empty');
    if ([...clean].length > 200) throw new GlossError(`A title may have at most 200 characters (this one has ${[...clean].length})`, 'title-too-long', { max: 200, length: [...clean].length });
    if (!this.tx(() => docs.setTitle(this.db, id, clean))) throw new GlossError(`No document with id ${id}`, 'document-not-found', { id });
    return docs.getSummary(this.db, id)!;
  }

  remove(id: number): boolean {
    return this.tx(() => docs.deleteDocument(this.db, id));
  }

  /** On a library that has never held anything, imports the sample library (text files, read in place) once. */
  seedIfEmpty(seedsDir: string): ImportOutcome[] {
    if (this.getSetting('seeded') !== undefined || this.list().length > 0) return [];
    const files = fs.existsSync(seedsDir) ? fs.readdirSync(seedsDir).filter((f) => !f.startsWith('.')).sort() : [];
    const outcomes = files.map((f): ImportOutcome => {
      const file = path.join(seedsDir, f);
      try {
        const { name, bytes } = readImportFile(file);
        return { ...this.storeParsed(name, parseBytes(name, bytes)), name: file };
      } catch (e) {
        if (e instanceof ImportError) return { name: file, status: 'failed', message: e.reason, reason: e.why };
        throw e;
      }
    });
    this.setSetting('seeded', this.stamp());
    return outcomes;
  }

  // Annotations ---------------------------------------------------------------------------

  annotations(documentId: number, tag?: string): Annotation[] {
    // The document checked from its summary row, not its blocks (a book's text is megabytes).
    if (!docs.getSummary(this.db, documentId)) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
    return notes.listAnnotations(this.db, documentId, tag ? normalizeTagPath(tag) : undefined);
  }

  annotation(id: string): Annotation {
    return notes.getAnnotation(this.db, id);
  }

  annotate(documentId: number, target: AnnotateTarget, extra: { tags?: readonly string[]; note?: string; color?: Color } = {}): Annotation {
    if (!docs.getSummary(this.db, documentId)) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
    let start: number;
    let end: number;
    if ('quote' in target) {
      const text = this.text(documentId);
      if (target.quote === '') throw new GlossError('The quote is empty: give the words to annotate', 'quote-empty');
      const found = occurrences(text, target.quote);
      const nth = target.nth ?? 1;
      if (found.length === 0) throw new GlossError(`The quote "${target.quote}" is not in the document`, 'quote-not-found', { quote: target.quote });
      if (nth < 1 || nth > found.length) throw new GlossError(`The quote occurs ${found.length} time(s); --nth ${nth} is out of range`, 'quote-nth-out-of-range', { count: found.length, nth });
      if (found.length > 1 && target.nth === undefined) {
        throw new GlossError(`The quote "${target.quote}" occurs ${found.length} times; choose one with --nth 1..${found.length}`, 'quote-ambiguous', { quote: target.quote, count: found.length });
      }
      start = found[nth - 1]!;
      end = start + target.quote.length;
    } else {
      ({ start, end } = target);
    }
    const tagPaths = (extra.tags ?? []).map(normalizeTagPath);
    // Only the blocks around the range are read: a new highlight in a book does not load the book.
    const around = docs.textAround(this.db, documentId, Math.max(0, Math.min(start, end)), Math.max(start, end), QUOTE_CONTEXT);
    return this.tx(() => notes.insertAnnotation(this.db, around, { documentId, start, end, tags: tagPaths, note: extra.note, color: extra.color }, this.stamp()));
  }

  updateAnnotation(id: string, change: notes.AnnotationChange): Annotation {
    const tagPaths = change.tags?.map(normalizeTagPath);
    return this.tx(() => notes.updateAnnotation(this.db, id, { ...change, tags: tagPaths }, this.stamp()));
  }

  /** Deletes an annotation; its tombstone keeps it for `undeleteAnnotation` (undo). */
  deleteAnnotation(id: string): Annotation {
    return this.tx(() => buryAnnotation(this.db, id, this.stamp()));
  }

  /** Brings a deleted annotation back from its tombstone, placed again if the text changed since. */
  undeleteAnnotation(id: string): Annotation {
    const documentId = tombstoneDocument(this.db, id);
    const text = documentId !== undefined ? this.text(documentId) : '';
    return this.tx(() => undeleteAnnotation(this.db, id, text, this.stamp()));
  }

  /** Puts a deleted annotation back as it was: same id, stamps, tags and note (undo of delete). */
  restoreAnnotation(a: Annotation): Annotation {
    const text = this.text(a.documentId);
    return this.tx(() => {
      if (notes.annotationExists(this.db, a.id)) throw new GlossError(`Annotation ${a.id} already exists`, 'annotation-exists', { id: a.id });
      const stillThere = text.slice(a.start, a.end) === a.exact;
      return notes.insertAnnotation(
        this.db,
        text,
        {
          id: a.id,
          documentId: a.documentId,
          start: a.start,
          end: a.end,
          color: a.color,
          note: a.note,
          tags: a.tags,
          created: a.created,
          modified: a.modified,
          status: stillThere ? 'anchored' : 'orphaned',
          quote: { exact: a.exact, prefix: a.prefix, suffix: a.suffix },
        },
        this.stamp(),
      );
    });
  }

  // Tags ----------------------------------------------------------------------------------

  tags(): Tag[] {
    return tags.listTags(this.db);
  }

  renameTag(from: string, to: string): number {
    return this.tx(() => tags.renameTag(this.db, from, to));
  }

  mergeTag(from: string, into: string): number {
    const target = normalizeTagPath(into);
    if (!tags.getTag(this.db, target)) throw new GlossError(`No tag "${target}" to merge into`, 'tag-not-found', { tag: target });
    return this.renameTag(from, target);
  }

  /**
   * Deletes a tag and everything below it; annotations that carry one lose it or get the parent
   * (`mode`). Returns how many tags and annotations changed, and an id for `undeleteTags`.
   */
  deleteTag(path: string, mode: 'remove' | 'parent'): TagDeletion {
    return this.tx(() => this.keepTagSnapshot(tags.deleteTag(this.db, path, mode)));
  }

  /** Deletes every tag that no annotation carries (itself or below it). */
  clearUnusedTags(): TagDeletion {
    return this.tx(() => {
      const unused = tags.unusedTags(this.db);
      const snapshots = unused
        .filter((p, _i, all) => !all.some((q) => q !== p && isTagWithin(p, q)))
        .map((p) => tags.deleteTag(this.db, p, 'remove'));
      return this.keepTagSnapshot({ tags: snapshots.flatMap((x) => x.tags), carried: [], added: [] });
    });
  }

  /** Undoes a tag deletion. */
  undeleteTags(undoId: number): { restored: number } {
    return this.tx(() => {
      const snapshot = tags.takeTagTombstone(this.db, undoId);
      if (!snapshot) throw new GlossError(`Nothing to undo for ${undoId} (a tag deletion can be undone for a day)`, 'undo-expired', { undoId });
      tags.restoreTags(this.db, snapshot);
      return { restored: snapshot.tags.length };
    });
  }

  private keepTagSnapshot(snapshot: tags.TagSnapshot): TagDeletion {
    const id = tags.keepTagTombstone(this.db, snapshot, this.now());
    return { tags: snapshot.tags.length, annotations: new Set(snapshot.carried.map((c) => c.annotation)).size, undoId: id };
  }

  recolorTag(path: string, color: string | null): Tag {
    return this.tx(() => tags.recolorTag(this.db, path, color));
  }

  // Search and settings -------------------------------------------------------------------

  search(query: string, limit?: number): SearchHit[] {
    return searchLibrary(this.db, query, limit);
  }

  /** A page of results with the total and the count per document. */
  searchPage(query: string, limit = 50, offset = 0): SearchPage {
    return searchPage(this.db, query, limit, offset);
  }

  private getSetting(key: string): string | undefined {
    return getSetting(this.db, key);
  }

  private setSetting(key: string, value: string): void {
    setSetting(this.db, key, value);
  }

  settings(): Settings {
    const raw = this.getSetting('ui');
    if (!raw) return {};
    const parsed = settingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  }

  updateSettings(change: Settings): Settings {
    const next = { ...this.settings(), ...change };
    this.setSetting('ui', JSON.stringify(next));
    return next;
  }
}
