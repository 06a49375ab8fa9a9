/**
 * Edits made in the app's editor, and the document-level verbs around them: save an edited text
 * with the annotations where the editor mapped them, update from a new file, revisions, and
 * re-attaching a detached annotation to a new passage.
 */
import type { AnchorResult } from '../common/anchor/anchor.js';
import { reanchor, summarize, type ReanchorSummary } from '../common/anchor/anchor.js';
import { GlossError } from '../common/api.js';
import type { Annotation, BlockInput, ParsedDocument } from '../common/model.js';
import { canonicalText, quoteSelector } from '../common/text/canonical.js';
import { documentLanguage } from '../common/text/direction.js';
import { parseIsolated } from './import/isolated.js';
import { ImportError } from './import/errors.js';
import type { Library } from './library.js';
import { placeAnnotation } from './store/annotations.js';
import { sameBlock } from './store/documents.js';
import { listRevisions, replaceDocumentText, restoreRevision, updateDocument, type RevisionSummary, type UpdateOutcome } from './store/revisions.js';

/** An editing session keeps one revision: a save within this long of the last edit revision adds none. */
export const EDIT_SESSION_MS = 10 * 60 * 1000;

export interface SaveEditRequest {
  documentId: number;
  blocks: BlockInput[];
  /**
   * Where the editor's mapping put each annotation; a collapsed range means its passage was
   * deleted (it is detached), a range for a detached one means its words came back.
   */
  annotations: { id: string; start: number; end: number }[];
}

export interface SaveEditOutcome {
  revisionId: number | null;
  counts: ReanchorSummary;
  annotations: Annotation[];
}

export function saveEdit(library: Library, request: SaveEditRequest, now = new Date()): SaveEditOutcome {
  const db = library.db;
  return db.transaction((): SaveEditOutcome => {
    const doc = library.get(request.documentId);
    const oldText = canonicalText(doc.blocks);
    const newText = canonicalText(request.blocks);
    const current = library.annotations(request.documentId);
    const mapped = new Map(request.annotations.map((a) => [a.id, a]));
    // Annotations the editor did not know of (made elsewhere meanwhile) are re-anchored here.
    const unknown = current.filter((a) => !mapped.has(a.id));
    const reanchored = new Map(unknown.length ? reanchor(unknown, oldText, newText).map((r) => [r.id, r]) : []);
    const results: AnchorResult[] = current.map((a) => {
      const m = mapped.get(a.id);
      if (!m) return reanchored.get(a.id)!;
      if (m.end <= m.start || m.start < 0 || m.end > newText.length) {
        const at = Math.max(0, Math.min(newText.length, m.start));
        return { id: a.id, status: 'orphaned', start: at, end: at, exact: a.exact, score: 0 };
      }
      // A detached annotation the editor has a range for came back with its words (undo).
      const stayed = a.status === 'anchored' && m.start === a.start && m.end === a.end;
      return { id: a.id, status: stayed ? 'stayed' : 'moved', start: m.start, end: m.end, exact: newText.slice(m.start, m.end), score: 1 };
    });
    const blocks = request.blocks.map((b) => ({ ...b, depth: b.kind === 'quote' || b.kind === 'item' ? Math.max(1, b.depth) : 0 }));
    // A change of kind or direction alone is a change too (the text is the same).
    const sameBlocks = doc.blocks.length === blocks.length && blocks.every((b, i) => sameBlock(b, doc.blocks[i]!));
    if (sameBlocks && results.every((r) => r.status === 'stayed' || current.find((a) => a.id === r.id)?.status === 'orphaned')) {
      return { revisionId: null, counts: summarize(results), annotations: current };
    }
    const recent = listRevisions(db, request.documentId)[0];
    const inSession = recent !== undefined && recent.reason === 'edit' && now.getTime() - Date.parse(recent.created) < EDIT_SESSION_MS;
    const revisionId = replaceDocumentText(
      db,
      request.documentId,
      { title: doc.title, language: documentLanguage(blocks.map((b) => b.text)), blocks },
      results,
      now.toISOString(),
      { reason: 'edit', keepRevision: !inSession },
    );
    // The annotations as now stored, worked out here rather than read again (10,000 rows of a
    // book take longer to read than to compute).
    const byId = new Map(results.map((r) => [r.id, r]));
    const annotations = current.map((a): Annotation => {
      const r = byId.get(a.id)!;
      if (r.status === 'orphaned') return { ...a, start: r.start, end: r.end, status: 'orphaned' };
      return { ...a, start: r.start, end: r.end, status: 'anchored', ...quoteSelector(newText, r.start, r.end) };
    });
    // In the library's order (start, end, created; created strings compare as times).
    annotations.sort((x, y) => x.start - y.start || x.end - y.end || (x.created < y.created ? -1 : x.created > y.created ? 1 : 0));
    return { revisionId: inSession ? null : revisionId, counts: summarize(results), annotations };
  })();
}

export async function updateFromBytes(library: Library, documentId: number, name: string, bytes: Uint8Array, now = new Date()) {
  let parsed;
  try {
    parsed = await parseIsolated(name, bytes);
  } catch (e) {
    if (e instanceof ImportError) throw new GlossError(`${name}: ${e.reason}. The document was not changed.`, 'import-failed', { file: name, why: e.why });
    throw e;
  }
  library.get(documentId);
  const outcome = updateDocument(library.db, documentId, parsed, now.toISOString(), { reason: `update from ${name}`, sourceName: name });
  return { changed: outcome.changed, revisionId: outcome.revisionId, counts: outcome.counts };
}

/**
 * Replaces a document's text with a new version already read from `sourceName` (`gloss update`),
 * keeping its title, and answers every annotation's new place and score. The previous text is kept
 * as a revision.
 */
export function updateFromParsed(library: Library, documentId: number, parsed: ParsedDocument, sourceName: string, now = new Date()): UpdateOutcome {
  const { title } = library.get(documentId);
  return updateDocument(library.db, documentId, { ...parsed, title }, now.toISOString(), { reason: `update from ${sourceName}`, sourceName });
}

export function revisions(library: Library, documentId: number): RevisionSummary[] {
  library.get(documentId);
  return listRevisions(library.db, documentId);
}

export function restore(library: Library, documentId: number, revisionId: number, now = new Date()) {
  const rev = listRevisions(library.db, documentId).find((r) => r.id === revisionId);
  if (!rev) throw new GlossError(`Document ${documentId} has no revision ${revisionId}`, 'revision-not-found', { id: revisionId });
  const outcome = restoreRevision(library.db, revisionId, now.toISOString());
  return { changed: outcome.changed, revisionId: outcome.revisionId, counts: outcome.counts };
}

/** Puts a detached (orphaned) annotation on a new passage, keeping its id, tags, note and colour. */
export function reattach(library: Library, id: string, start: number, end: number, now = new Date()): Annotation {
  const a = library.annotation(id);
  const text = library.text(a.documentId);
  return placeAnnotation(library.db, text, id, start, end, now.toISOString());
}
