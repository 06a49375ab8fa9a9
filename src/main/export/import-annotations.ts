/**
 * Brings annotations from other tools (and Gloss's own exports) into the library.
 *
 * 1. The whole file is read and checked before anything is written (`w3c-import.ts`,
 *    `hypothesis.ts`): a file that is neither W3C Web Annotations nor Hypothesis's API JSON, or
 *    one with a malformed annotation, is refused with "FILE: not a … file: <reason>" and changes
 *    nothing.
 * 2. Each annotation's document: `--into DOC` for all, else found by content hash, URL or file
 *    name, title, or the quotes themselves (`document-match.ts`).
 * 3. Its place: the quote decides, the position only hints (`place-quote.ts`); a passage found
 *    only approximately is reported as such; a passage not found is kept detached in its document
 *    with its quote. An annotation whose document is nowhere is skipped, or with `keepOrphans`
 *    kept detached in a document of its own ("Unplaced annotations: …"), from which a later
 *    import, once the text is in the library, moves it onto the text.
 * 4. Merge: an id already in the library is updated (tags, note, colour) where it is, never
 *    doubled; the library's copy wins when it was modified later. A detached one whose passage is
 *    now found is attached again. With `--into DOC`, an id that lives in another document is not
 *    "updated": the annotation is added to DOC as a copy under an id derived from both, so a
 *    second import updates that copy.
 * 5. Written in batches (`commitInBatches`: each batch of up to 1,000 annotations or 500 ms one
 *    transaction, with a pause between batches), so that a 100,000-annotation import never holds
 *    the library's lock for long: the app, the browser host and other commands write in between.
 *    A SIGKILL loses at most the batch in progress; running the import again resumes it (ids
 *    already in the library are merged, not doubled). The report says, per file and per
 *    annotation, what happened and why.
 */
import fs from 'node:fs';
import { GlossError, type AnnotationImportSummary } from '../../common/api.js';
import { CodePointIndex } from '../../common/export/code-points.js';
import type { ParsedDocument } from '../../common/model.js';
import { quoteSelector } from '../../common/text/canonical.js';
import { blockDirection, documentLanguage } from '../../common/text/direction.js';
import type { Library } from '../library.js';
import { deleteAnnotation, insertAnnotation, updateAnnotation } from '../store/annotations.js';
import { annotationHomes, attachAgain, documentsWithoutAnnotations, type AnnotationHome } from '../store/annotation-import.js';
import { commitInBatches } from '../store/db.js';
import { MAX_NOTE_LENGTH } from '../../common/annotation-schema.js';
import type { NoteWhy } from '../../common/errors.js';
import { contentHash, deleteDocument, findByHash, insertDocument } from '../store/documents.js';
import { canVote, DocumentMatcher, HOLDING_SOURCE_NAME, urlKey, type DocumentMatch, type MatchGroup } from './document-match.js';
import { looksLikeHypothesis, parseHypothesis } from './hypothesis.js';
import { nameUuid, NotThisFormat, readJson, type IncomingAnnotation } from './incoming.js';
import { QuotePlacer, type Placement } from './place-quote.js';
import { describe, looksLikeW3c, parseW3c } from './w3c-import.js';

export { uuidFor } from './incoming.js';

export type AnnotationImportReport = AnnotationImportSummary;
type Outcome = AnnotationImportSummary['annotations'][number]['outcome'];

const why = (code: NoteWhy['code'], params: NoteWhy['params'] = {}): NoteWhy => ({ code, params });

export interface ImportAnnotationsOptions {
  /** Put every annotation into this document, whatever its source. */
  intoDocumentId?: number | undefined;
  /** Keep annotations whose text is in no document, detached, in a document of their own. */
  keepOrphans?: boolean | undefined;
  /** Clock for annotations that carry no created/modified stamps. */
  now?: () => Date;
}

/** Reads and checks a whole file; throws GlossError "FILE: not a … file: <reason>" when it is neither format. */
export function parseAnnotationFile(name: string, bytes: Uint8Array): { format: AnnotationImportSummary['format']; annotations: IncomingAnnotation[] } {
  let label = 'W3C Web Annotation';
  try {
    const data = readJson(bytes);
    if (!looksLikeW3c(data) && looksLikeHypothesis(data)) {
      label = 'Hypothesis API';
      return { format: 'hypothesis', annotations: parseHypothesis(data) };
    }
    try {
      return { format: 'w3c', annotations: parseW3c(data) };
    } catch (e) {
      // Neither shape: say what a Hypothesis file would have had too.
      if (e instanceof NotThisFormat && !looksLikeW3c(data)) throw new NotThisFormat(`${e.message} (nor is it Hypothesis API JSON: it has no "rows" or "uri"${Array.isArray(data) ? '' : `; it holds ${describe(data)}`})`);
      throw e;
    }
  } catch (e) {
    if (e instanceof NotThisFormat) throw new GlossError(`${name}: not a ${label} file: ${e.message}`, 'not-annotations', { file: name });
    throw e;
  }
}

/** Imports annotations from the bytes of a file (see the module comment). */
export function importAnnotationBytes(library: Library, name: string, bytes: Uint8Array, options: ImportAnnotationsOptions = {}): AnnotationImportReport {
  const { format, annotations: items } = parseAnnotationFile(name, bytes);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const db = library.db;
  const report: AnnotationImportReport = { file: name, format, total: items.length, added: 0, approximate: 0, updated: 0, orphaned: 0, skipped: 0, documents: [], notes: [], annotations: [] };
  const into = options.intoDocumentId !== undefined ? library.get(options.intoDocumentId) : undefined; // throws not-found

  const placers = new Map<number, QuotePlacer>();
  const placerOf = (documentId: number): QuotePlacer => {
    let p = placers.get(documentId);
    if (!p) {
      p = new QuotePlacer(library.text(documentId));
      placers.set(documentId, p);
    }
    return p;
  };
  const indexes = new Map<number, CodePointIndex>();
  const hintOf = (p: IncomingAnnotation, documentId: number): { start: number; end: number } | undefined => {
    if (!p.position) return undefined;
    const text = placerOf(documentId).text;
    if (p.positionUnit === 'utf16') return { start: Math.min(p.position.start, text.length), end: Math.min(p.position.end, text.length) };
    let index = indexes.get(documentId);
    if (!index) {
      index = new CodePointIndex(text);
      indexes.set(documentId, index);
    }
    // A position past the end is no hint at all (another text's offsets).
    if (p.position.end > index.codePointLength) return undefined;
    return { start: index.toUtf16(p.position.start), end: index.toUtf16(p.position.end) };
  };

  // Documents, decided per group of annotations sharing a source and a title.
  const matcher = new DocumentMatcher(library, placerOf);
  const groups = new Map<string, MatchGroup & { quotes: string[] }>();
  const keyOf = (p: IncomingAnnotation) => `${p.source ?? ''}\u0000${p.title ?? ''}`;
  for (const p of items) {
    const key = keyOf(p);
    let g = groups.get(key);
    if (!g) {
      g = { source: p.source, title: p.title, quotes: [] };
      groups.set(key, g);
    }
    if (p.exact) g.quotes.push(p.exact);
  }
  const matched = new Map<string, DocumentMatch | { reason: string; why: NoteWhy }>();
  const documentFor = (p: IncomingAnnotation): DocumentMatch | { reason: string; why: NoteWhy } => {
    if (into) return { documentId: into.id, by: 'into' };
    const key = keyOf(p);
    let m = matched.get(key);
    if (!m) {
      m = matcher.match(groups.get(key)!);
      matched.set(key, m);
    }
    // Found by quotes as a group: an annotation whose own quote is elsewhere, in one document only, goes there.
    if ('documentId' in m && m.by === 'quote' && p.exact && canVote(p.exact) && !placerOf(m.documentId).contains(p.exact)) {
      const holders = matcher.propose(p.exact).filter((id) => placerOf(id).contains(p.exact!));
      if (holders.length === 1) return { documentId: holders[0]!, by: 'quote' };
    }
    return m;
  };

  const perDocument = new Map<number, AnnotationImportSummary['documents'][number]>();
  const count = (documentId: number, by: DocumentMatch['by'], note?: string) => {
    let d = perDocument.get(documentId);
    if (!d) {
      d = { documentId, title: library.get(documentId).title, matchedBy: by, annotations: 0, ...(note ? { note } : {}) };
      perDocument.set(documentId, d);
    }
    d.annotations++;
  };
  const record = (p: IncomingAnnotation, outcome: Outcome, how: string, said: NoteWhy, at?: { documentId: number; start?: number | undefined; end?: number | undefined; doubtful?: boolean | undefined }, noteworthy = outcome !== 'added' && outcome !== 'updated') => {
    report[outcome]++;
    report.annotations.push({
      id: p.rawId,
      outcome,
      how,
      ...(at ? { documentId: at.documentId } : {}),
      ...(at?.start !== undefined ? { start: at.start, end: at.end! } : {}),
      ...(at?.doubtful ? { doubtful: true } : {}),
    });
    if (noteworthy) report.notes.push({ id: p.rawId, outcome, reason: how, code: said.code, params: said.params, ...(at ? { documentId: at.documentId } : {}) });
  };

  const existingOf = annotationHomes(db);
  const holdings = new Map<string, number>();

  /** Inserts `p` (under `id`) into a document: placed when its passage is found, else detached with its quote. */
  const insertInto = (p: IncomingAnnotation, id: string, match: DocumentMatch, preface = '', unplaced?: NoteWhy): { outcome: Outcome; how: string; why?: NoteWhy; start?: number; end?: number; doubtful?: boolean } | null => {
    const documentId = match.documentId;
    const stamps = { created: p.created ?? p.modified ?? now, modified: p.modified ?? p.created ?? now };
    const common = { id, documentId, color: p.color, note: p.note, tags: p.tags, author: p.author, ...stamps };
    const placement: Placement = match.by === 'holding' ? { kind: 'none', reason: 'its text is in no document of the library', why: unplaced ?? why('no-document') } : placerOf(documentId).place({ exact: p.exact, prefix: p.prefix, suffix: p.suffix, hint: hintOf(p, documentId) });
    const text = match.by === 'holding' ? '' : placerOf(documentId).text;
    if (placement.kind !== 'none') {
      insertAnnotation(db, text, { ...common, start: placement.start, end: placement.end }, now);
      count(documentId, match.by, match.note);
      const doubtful = placement.kind === 'exact' && placement.doubtful === true;
      return { outcome: placement.kind === 'exact' ? 'added' : 'approximate', how: preface + placement.how, ...(placement.kind === 'approximate' ? { why: placement.why } : {}), start: placement.start, end: placement.end, doubtful };
    }
    if (!p.exact) return null;
    const hint = match.by === 'holding' ? undefined : hintOf(p, documentId);
    const start = hint ? Math.min(hint.start, text.length) : 0;
    const end = hint ? Math.max(start, Math.min(hint.end, text.length)) : start;
    insertAnnotation(db, text, { ...common, start, end, status: 'orphaned', quote: { exact: p.exact, prefix: p.prefix ?? '', suffix: p.suffix ?? '' } }, now);
    count(documentId, match.by, match.note);
    const where = match.by === 'holding' ? 'kept detached, with its quote, in the document of unplaced annotations' : 'kept detached with its quote';
    return { outcome: 'orphaned', how: `${preface}${placement.reason}; ${where}`, why: placement.why };
  };

  const holdingFor = (p: IncomingAnnotation): DocumentMatch => {
    const key = keyOf(p);
    let id = holdings.get(key);
    if (id === undefined) {
      const doc = holdingDocument(p, name);
      id = findByHash(db, contentHash(doc))?.id ?? insertDocument(db, doc, HOLDING_SOURCE_NAME, now);
      holdings.set(key, id);
    }
    return { documentId: id, by: 'holding' };
  };

  const seen = new Set<string>();
  const importOne = (p: IncomingAnnotation): void => {
    {
      for (const w of p.warnings) report.notes.push({ id: p.rawId, outcome: 'warning', reason: w.text, code: w.code, params: w.params });
      let id = p.id;
      let preface = '';
      let copied: NoteWhy['params'] = {};
      let existing: AnnotationHome | undefined = existingOf(id);
      if (into && existing && existing.document_id !== into.id) {
        // The file's id is another document's annotation: a copy in DOC, under an id of its own.
        preface = `its id belongs to an annotation of document ${existing.document_id}, which is left as it was; added to document ${into.id} as a copy: `;
        id = nameUuid(`${p.id} into ${into.contentHash}`);
        copied = { copiedFrom: existing.document_id, copiedTo: into.id };
        existing = existingOf(id);
      }
      if (p.note.length > MAX_NOTE_LENGTH) {
        record(p, 'skipped', `its note is ${p.note.length.toLocaleString('en')} characters long; Gloss keeps notes of up to ${MAX_NOTE_LENGTH.toLocaleString('en')} characters`, why('note-too-long', { length: p.note.length, max: MAX_NOTE_LENGTH }));
        return;
      }
      if (seen.has(id)) {
        record(p, 'skipped', 'the same id appears earlier in the file', why('repeated-id'));
        return;
      }
      seen.add(id);

      if (existing) {
        if (p.modified && Date.parse(p.modified) < Date.parse(existing.modified)) {
          record(p, 'skipped', `the library's copy is newer (modified ${existing.modified}, the file's ${p.modified}); kept it`, why('library-newer', { library: existing.modified, file: p.modified }), { documentId: existing.document_id });
          return;
        }
        const change = { tags: p.tags, note: p.note, color: p.color };
        if (existing.source_name === HOLDING_SOURCE_NAME && !into && p.exact) {
          // Kept unplaced by an earlier import: its text may be in the library now.
          const m = documentFor(p);
          if ('documentId' in m) {
            const before = deleteAnnotation(db, id);
            const moved = insertInto({ ...p, author: p.author ?? before.author, created: before.created }, id, m, `moved from the unplaced annotations to document ${m.documentId}: `)!;
            record(p, 'updated', moved.how, why('moved-from-unplaced', { documentId: m.documentId }), { documentId: m.documentId, start: moved.start, end: moved.end }, true);
            return;
          }
        } else if (existing.status === 'orphaned' && p.exact) {
          const placed = placerOf(existing.document_id).place({ exact: p.exact, prefix: p.prefix, suffix: p.suffix, hint: hintOf(p, existing.document_id) });
          if (placed.kind === 'exact') {
            const q = quoteSelector(placerOf(existing.document_id).text, placed.start, placed.end);
            attachAgain(db, id, placed.start, placed.end, q);
            updateAnnotation(db, id, change, p.modified ?? now);
            count(existing.document_id, 'id');
            record(p, 'updated', `was detached; attached again ${placed.how}`, why('attached-again'), { documentId: existing.document_id, start: placed.start, end: placed.end }, true);
            return;
          }
        }
        updateAnnotation(db, id, change, p.modified ?? now);
        count(existing.document_id, into ? 'into' : 'id');
        record(p, 'updated', preface + 'the library has it (same id): tags, note and colour updated', why('copied', copied), { documentId: existing.document_id }, preface !== '');
        return;
      }

      if (p.unplaceable) {
        record(p, 'skipped', p.unplaceable.text, p.unplaceable);
        return;
      }
      let match = documentFor(p);
      let unplaced: NoteWhy | undefined;
      if (!('documentId' in match)) {
        if (!options.keepOrphans || !p.exact) {
          // `keepable`: the interface offers to keep it detached (--keep-orphans).
          record(p, 'skipped', `${match.reason}; import that text first, or use --into DOC${p.exact ? ', or --keep-orphans to keep it detached' : ''}`, why(match.why.code, { ...match.why.params, keepable: p.exact ? 1 : 0 }));
          return;
        }
        preface = `${match.reason}: `;
        unplaced = match.why;
        match = holdingFor(p);
      }
      const done = insertInto(p, id, match, preface, unplaced);
      if (!done) {
        const empty = p.exact === '';
        const reason = empty ? 'its quote is empty (it selects no text), so there is nothing to place' : 'its position is outside the text and it has no quote to look for';
        record(p, 'skipped', `${preface}${reason}`, why(empty ? 'empty-quote' : 'position-outside', copied), { documentId: match.documentId });
        return;
      }
      const said = done.why ? why(done.why.code, { ...done.why.params, ...copied }) : done.doubtful ? why('doubtful', copied) : why('copied', copied);
      record(p, done.outcome, done.how, said, { documentId: match.documentId, start: done.start, end: done.end, doubtful: done.doubtful }, done.outcome !== 'added' || preface !== '');
    }
  };
  commitInBatches(db, items, importOne, {
    // Another process may have changed a text between two batches: read them again.
    onCommit: () => {
      placers.clear();
      indexes.clear();
      matched.clear();
    },
  });
  db.transaction(() => {
    // Unplaced-annotation documents whose annotations all found their texts go.
    for (const id of documentsWithoutAnnotations(db, HOLDING_SOURCE_NAME)) {
      deleteDocument(db, id);
      perDocument.delete(id);
    }
  })();
  report.documents = [...perDocument.values()];
  return report;
}

/**
 * The document that keeps annotations whose text is not in the library: one paragraph saying so,
 * titled after the source. Its text (and so its content hash) depends on the source alone, so
 * every import of annotations on the same source finds the same document.
 */
function holdingDocument(p: IncomingAnnotation, file: string): ParsedDocument {
  const label = p.title ? `“${p.title}”${p.source ? ` (${p.source})` : ''}` : (p.source ?? `the annotations of ${file.split(/[\\/]/).pop()}`);
  const text = `Annotations on ${label}, a text that is not in this library. Import that text, then import the annotations again: Gloss moves them onto it.`;
  const dir = blockDirection(text);
  const meta: ParsedDocument['meta'] = { description: `Unplaced annotations imported from ${file.split(/[\\/]/).pop()}` };
  if (p.source && urlKey(p.source)) meta.url = p.source;
  return {
    title: `Unplaced annotations: ${p.title ?? p.source ?? file.split(/[\\/]/).pop()}`.slice(0, 200),
    language: documentLanguage([text]),
    blocks: [{ kind: 'paragraph', dir, depth: 0, text }],
    meta,
  };
}

/** Reads a file from disk and imports it; an unreadable file is a GlossError naming it. */
export function importAnnotationsFile(library: Library, file: string, options: ImportAnnotationsOptions = {}): AnnotationImportReport {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const code = err.code === 'ENOENT' ? 'file-not-found' : err.code === 'EISDIR' ? 'file-is-folder' : 'file-unreadable';
    throw new GlossError(`${file}: cannot read it (${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message})`, code, { file });
  }
  return importAnnotationBytes(library, file, bytes, options);
}
