/**
 * The editor's incremental save (`documents.applyEdit`): a span of blocks replaced by new ones,
 * and the annotations whose range the editor changed. Only the rows that change are written: the
 * span's blocks and search rows, the following blocks' index and offset (two bulk UPDATEs), the
 * annotations after the span (one UPDATE), and the annotations in or near the span. The result is
 * what `documents.saveEdit` would store for the same final text and ranges (tested as a property).
 */
import { reanchor, summarize, type AnchorInput, type AnchorResult, type ReanchorSummary } from '../common/anchor/anchor.js';
import { GlossError } from '../common/api.js';
import type { Annotation, BlockInput } from '../common/model.js';
import { QUOTE_CONTEXT, quoteSelector, type TextWindow } from '../common/text/canonical.js';
import { languageOf, strongCounts } from '../common/text/direction.js';
import { EDIT_SESSION_MS } from './editing.js';
import type { Library } from './library.js';
import { annotationsByIds, annotationsMeeting, moveAnnotation, shiftAnnotations } from './store/annotations.js';
import { blockStart, documentExtent, documentHash, findByHash, getBlockRange, getBlocks, replaceBlockSpan, sameBlock, setTextIdentity, textAround } from './store/documents.js';
import { carryPairs, listPairs } from './store/pairs.js';
import { checkpointAfter } from './store/db.js';
import { keepCurrentAsRevision, newestRevision } from './store/revisions.js';
import { editedText, keepStoredText, storedText, type Letters, type StoredText } from './store/text-bytes.js';

export interface ApplyEditRequest {
  documentId: number;
  /** Index of the first old block replaced. */
  from: number;
  /** How many old blocks from `from` the new ones replace. */
  removed: number;
  blocks: BlockInput[];
  /** Annotations whose range the editor changed, offsets in the new whole text (collapsed: detached). */
  annotations: { id: string; start: number; end: number }[];
  /** The text's length before the edit, as the editor knows it. */
  expectLength?: number | undefined;
}

export interface ApplyEditOutcome {
  /** The revision that keeps the text as it was when this editing session began (null within a session). */
  revisionId: number | null;
  /** What happened to the annotations the edit touched (those sent and those in the span); the ones only moved along are not counted. */
  counts: ReanchorSummary;
  /** The annotations that changed: those sent, those in the span the edit moved or detached, and those whose quote context changed. */
  annotations: Annotation[];
  textLength: number;
}

/** How far around the span the text is read to re-anchor an annotation the editor did not send. */
const REANCHOR_MARGIN = 4096;

export function applyEdit(library: Library, request: ApplyEditRequest, now = new Date()): ApplyEditOutcome {
  const db = library.db;
  const { documentId: id, from, removed } = request;
  // A change near the start of a book rewrites the pages of every later block and highlight: the
  // log is copied into the library file after the answer has gone, not before.
  return checkpointAfter(db, () => db.transaction((): ApplyEditOutcome => {
    const extent = documentExtent(db, id);
    if (!extent) throw new GlossError(`No document with id ${id}`, 'document-not-found', { id });
    if (request.expectLength !== undefined && request.expectLength !== extent.length) {
      throw new GlossError(
        `Stale edit: document ${id}'s text is ${extent.length} characters long, not ${request.expectLength} as the editor has it (it changed elsewhere); reload it. Nothing was saved.`,
        'stale-edit',
        { id, length: extent.length, expected: request.expectLength },
      );
    }
    if (from + removed > extent.blocks) {
      throw new GlossError(`Cannot replace blocks ${from} to ${from + removed - 1} of document ${id}: it has ${extent.blocks} blocks`, 'edit-outside', {
        id,
        from: from + 1,
        to: from + Math.max(removed, 1),
        blocks: extent.blocks,
      });
    }
    if (removed === extent.blocks && request.blocks.length === 0) throw new GlossError(`An edit cannot remove every block of document ${id}: a document keeps at least one`, 'edit-removes-all', { id });
    const blocks = request.blocks.map((b) => ({ ...b, depth: b.kind === 'quote' || b.kind === 'item' ? Math.max(1, b.depth) : 0 }));
    const oldSpan = getBlockRange(db, id, from, removed);
    const oldHash = documentHash(db, id)!;

    // The change as one replaced stretch of the canonical text: [a, b) becomes `inserted`.
    const joined = blocks.map((x) => x.text).join('\n');
    let a: number;
    let b: number;
    let inserted: string;
    if (from + removed < extent.blocks) {
      a = blockStart(db, id, from);
      b = blockStart(db, id, from + removed);
      inserted = blocks.length ? joined + '\n' : '';
    } else if (from > 0) {
      a = from < extent.blocks ? oldSpan[0]!.start - 1 : extent.length;
      b = extent.length;
      inserted = blocks.length ? '\n' + joined : '';
    } else {
      a = 0;
      b = extent.length;
      inserted = joined;
    }
    const delta = inserted.length - (b - a);
    const newLength = extent.length + delta;
    const spanEnd = a + inserted.length;
    const textChanged = !(blocks.length === removed && blocks.every((x, i) => sameBlock(x, oldSpan[i]!)));

    // The annotations the editor sent, checked as `saveEdit` checks them.
    const sent = new Map(request.annotations.map((x) => [x.id, x]));
    const known = sent.size ? new Map(annotationsByIds(db, [...sent.keys()]).filter((x) => x.documentId === id).map((x) => [x.id, x])) : new Map<string, Annotation>();
    const results: AnchorResult[] = [];
    for (const [annotationId, m] of sent) {
      const was = known.get(annotationId);
      if (!was) continue; // Deleted meanwhile, or another document's: saveEdit ignores these too.
      if (m.end <= m.start || m.end > newLength) {
        const at = Math.max(0, Math.min(newLength, m.start));
        results.push({ id: annotationId, status: 'orphaned', start: at, end: at, exact: was.exact, score: 0 });
      } else {
        const stayed = was.status === 'anchored' && m.start === was.start && m.end === was.end;
        results.push({ id: annotationId, status: stayed ? 'stayed' : 'moved', start: m.start, end: m.end, exact: '', score: 1 });
      }
    }
    if (!textChanged && results.every((r) => r.status === 'stayed' || (r.status === 'orphaned' && known.get(r.id)!.status === 'orphaned' && known.get(r.id)!.start === r.start))) {
      return { revisionId: null, counts: summarize(results), annotations: [...known.values()], textLength: extent.length };
    }

    // Annotations in the span the editor did not send (made elsewhere meanwhile) are re-anchored
    // as saveEdit re-anchors them, within the text around the span.
    const unsent: AnchorInput[] = textChanged ? annotationsMeeting(db, id, a, b).filter((x) => !known.has(x.id)) : [];
    if (unsent.length > 0) {
      const lo = Math.max(0, Math.min(a, ...unsent.map((x) => x.start)) - REANCHOR_MARGIN);
      const hi = Math.min(extent.length, Math.max(b, ...unsent.map((x) => x.end)) + REANCHOR_MARGIN);
      const around = textAround(db, id, lo, hi, 0);
      const before = around.text;
      const after = before.slice(0, a - around.offset) + inserted + before.slice(b - around.offset);
      const local = unsent.map((x) => ({ ...x, start: x.start - around.offset, end: x.end - around.offset }));
      for (const r of reanchor(local, before, after)) results.push({ ...r, start: r.start + around.offset, end: r.end + around.offset });
    }

    // The text as it was, kept once per editing session.
    let revisionId: number | null = null;
    let before: StoredText | undefined;
    if (textChanged) {
      const recent = newestRevision(db, id);
      const inSession = recent !== undefined && recent.reason === 'edit' && now.getTime() - Date.parse(recent.created) < EDIT_SESSION_MS;
      if (!inSession) revisionId = keepCurrentAsRevision(db, id, now.toISOString(), 'edit');
      // Translation pairs follow the blocks (read whole only for a document that has pairs).
      if (listPairs(db, id).length > 0) {
        const old = getBlocks(db, id);
        carryPairs(db, id, old, [...old.slice(0, from), ...blocks, ...old.slice(from + removed)]);
      }
      // The text before the edit as bytes, with its letter counts (kept from the last save, or read now).
      before = storedText(db, id, oldHash);
      replaceBlockSpan(db, id, from, removed, blocks, from < extent.blocks ? oldSpan[0]?.start ?? blockStart(db, id, from) : extent.length + 1, delta);
      shiftAnnotations(db, id, b, delta);
    }

    // Annotations placed by the editor or re-anchoring, and those whose quote's context (32
    // characters each side) reaches into the changed stretch, take their quote from the new text.
    const touched = new Set(results.map((r) => r.id));
    const near = textChanged ? annotationsMeeting(db, id, a - QUOTE_CONTEXT, spanEnd + QUOTE_CONTEXT).filter((x) => !touched.has(x.id) && x.status === 'anchored') : [];
    const placed = results.filter((r) => r.status !== 'orphaned');
    const ranges = [...placed, ...near];
    let text: TextWindow | undefined;
    if (ranges.length > 0) {
      const lo = Math.max(0, Math.min(...ranges.map((r) => r.start)) - QUOTE_CONTEXT);
      const hi = Math.min(newLength, Math.max(...ranges.map((r) => r.end)) + QUOTE_CONTEXT);
      text = textAround(db, id, lo, hi, 0);
    }
    for (const r of results) moveAnnotation(db, id, r.id, { status: r.status === 'orphaned' ? 'orphaned' : 'anchored', start: r.start, end: r.end }, text!);
    const requoted: string[] = [];
    for (const x of near) {
      const q = quoteSelector(text!, x.start, x.end);
      if (q.exact === x.exact && q.prefix === x.prefix && q.suffix === x.suffix) continue;
      moveAnnotation(db, id, x.id, { status: 'anchored', start: x.start, end: x.end }, text!);
      requoted.push(x.id);
    }

    if (before) {
      // The hash is of the whole new text, made from the old one's bytes and the new blocks; the
      // language follows the old text's letter counts, which the edit's blocks adjust.
      const letters = { ...before.letters };
      for (const x of oldSpan) subtract(letters, strongCounts(x.text));
      for (const x of blocks) add(letters, strongCounts(x.text));
      const after = editedText(before, from, removed, blocks.map((x) => x.text), letters);
      const same = findByHash(db, after.hash);
      if (same && same.id !== id) throw new GlossError(`The new text is the same as document ${same.id} "${same.title}"; it was not applied`, 'duplicate-document', { id: same.id, title: same.title });
      setTextIdentity(db, id, after.hash, languageOf(letters.rtl, letters.ltr));
      keepStoredText(db, id, after);
    }
    return { revisionId, counts: summarize(results), annotations: annotationsByIds(db, [...touched, ...requoted]), textLength: newLength };
  })());
}

const add = (to: Letters, c: Letters) => void ((to.rtl += c.rtl), (to.ltr += c.ltr));
const subtract = (to: Letters, c: Letters) => void ((to.rtl -= c.rtl), (to.ltr -= c.ltr));
