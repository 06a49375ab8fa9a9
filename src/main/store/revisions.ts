/**
 * Revision history and text replacement. Replacing a document's text keeps the text it had as a
 * revision, replaces its blocks (and their search shadow), and moves every annotation to where
 * re-anchoring placed it, all in one transaction: either everything changes or nothing does.
 * An orphan keeps its old quote, prefix and suffix (so that it can be shown and re-attached) and
 * is marked `orphaned`.
 */
import type { Database } from 'better-sqlite3';
import { GlossError } from '../../common/api.js';
import { reanchor, summarize, type AnchorInput, type AnchorResult, type ReanchorSummary } from '../../common/anchor/anchor.js';
import type { BlockInput, BlockKind, BlockMeta, Direction, Language, ParsedDocument } from '../../common/model.js';
import { canonicalText, placeBlocks, quoteSelector } from '../../common/text/canonical.js';
import { listAnnotations } from './annotations.js';
import { blockWriter, contentHash, findByHash, getBlocks, getSummary, sameBlock } from './documents.js';
import { carryPairs } from './pairs.js';
import { textWritten } from './text-bytes.js';
import type { RevisionInfo } from '../../common/api.js';

export type RevisionSummary = RevisionInfo;

export interface Revision extends RevisionSummary {
  language: Language;
  text: string;
  blocks: BlockInput[];
}

export interface UpdateOptions {
  /** Why the text changed ("update from FILE", "restore of revision 3"); kept with the revision. */
  reason?: string;
  /** The new source file's name (the document keeps its old one when absent). */
  sourceName?: string;
  /**
   * Whether the previous text is kept as a revision (default true). The editor saves every few
   * hundred milliseconds; it keeps one revision per editing session, not one per keystroke.
   */
  keepRevision?: boolean;
}

export interface UpdateOutcome {
  documentId: number;
  /** False when the new text is the text the document already has: then nothing was written. */
  changed: boolean;
  /** The revision that keeps the previous text (null when nothing changed). */
  revisionId: number | null;
  counts: ReanchorSummary;
  results: AnchorResult[];
}

interface RevisionRow {
  id: number;
  document_id: number;
  created: string;
  text: string;
  blocks: string;
  language: Language;
  source_name: string;
  content_hash: string;
  reason: string;
}

interface StoredBlock {
  kind: BlockKind;
  dir: Direction;
  depth: number;
  meta?: BlockMeta;
}

function toSummary(r: RevisionRow): RevisionSummary {
  return {
    id: r.id,
    documentId: r.document_id,
    created: r.created,
    reason: r.reason,
    length: [...r.text].length,
    blockCount: (JSON.parse(r.blocks) as StoredBlock[]).length,
    contentHash: r.content_hash,
    sourceName: r.source_name,
  };
}

/** A document's revisions, newest first (without their texts). */
export function listRevisions(db: Database, documentId: number): RevisionSummary[] {
  if (!getSummary(db, documentId)) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
  const rows = db
    .prepare(
      `SELECT id, document_id, created, reason, length(text) AS length, json_array_length(blocks) AS block_count, content_hash, source_name
       FROM revisions WHERE document_id = ? ORDER BY id DESC`,
    )
    .all(documentId) as { id: number; document_id: number; created: string; reason: string; length: number; block_count: number; content_hash: string; source_name: string }[];
  return rows.map((r) => ({
    id: r.id,
    documentId: r.document_id,
    created: r.created,
    reason: r.reason,
    length: r.length,
    blockCount: r.block_count,
    contentHash: r.content_hash,
    sourceName: r.source_name,
  }));
}

export function getRevision(db: Database, revisionId: number): Revision {
  const row = db.prepare('SELECT * FROM revisions WHERE id = ?').get(revisionId) as RevisionRow | undefined;
  if (!row) throw new GlossError(`No revision with id ${revisionId}`, 'revision-not-found', { id: revisionId });
  const stored = JSON.parse(row.blocks) as StoredBlock[];
  const texts = row.text.split('\n');
  if (texts.length !== stored.length) throw new GlossError(`Revision ${revisionId} is damaged: ${stored.length} blocks for ${texts.length} lines of text`, 'revision-damaged', { id: revisionId });
  return {
    ...toSummary(row),
    language: row.language,
    text: row.text,
    blocks: stored.map((b, i) => (b.meta ? { kind: b.kind, dir: b.dir, depth: b.depth, meta: b.meta, text: texts[i]! } : { kind: b.kind, dir: b.dir, depth: b.depth, text: texts[i]! })),
  };
}

/**
 * Replaces a document's text with `newDoc` (its title is kept) and writes each annotation where
 * `results` put it. `results` must hold one result per annotation of the document, computed
 * against the document's current text. One transaction; returns the new revision's id.
 */
export function replaceDocumentText(db: Database, documentId: number, newDoc: ParsedDocument, results: readonly AnchorResult[], now: string, options: UpdateOptions = {}): number {
  return db.transaction(() => {
    const doc = getSummary(db, documentId);
    if (!doc) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
    const hash = contentHash(newDoc);
    const same = findByHash(db, hash);
    if (same && same.id !== documentId) throw new GlossError(`The new text is the same as document ${same.id} "${same.title}"; it was not applied`, 'duplicate-document', { id: same.id, title: same.title });
    const newText = canonicalText(newDoc.blocks);

    // Every annotation needs its result, and every result its annotation.
    const ids = new Set((db.prepare('SELECT id FROM annotations WHERE document_id = ?').all(documentId) as { id: string }[]).map((r) => r.id));
    const given = new Set(results.map((r) => r.id));
    if (given.size !== results.length || ids.size !== given.size || [...ids].some((id) => !given.has(id))) {
      throw new Error(`replaceDocumentText: the results do not match document ${documentId}'s annotations`);
    }
    for (const r of results) {
      const valid = r.status === 'orphaned' ? r.start >= 0 && r.end === r.start && r.start <= newText.length : r.start >= 0 && r.end > r.start && r.end <= newText.length;
      if (!valid) throw new RangeError(`Re-anchoring placed annotation ${r.id} at ${r.start}-${r.end}, outside the new text (0-${newText.length})`);
    }

    // 1. The old text becomes a revision.
    const oldBlocks = getBlocks(db, documentId);
    const stored: StoredBlock[] = oldBlocks.map((b) => (b.meta ? { kind: b.kind, dir: b.dir, depth: b.depth, meta: b.meta } : { kind: b.kind, dir: b.dir, depth: b.depth }));
    let revisionId = 0;
    if (options.keepRevision !== false) {
      const info = db
        .prepare('INSERT INTO revisions (document_id, created, text, blocks, language, source_name, content_hash, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(documentId, now, canonicalText(oldBlocks), JSON.stringify(stored), doc.language, doc.sourceName, doc.contentHash, options.reason ?? '');
      revisionId = Number(info.lastInsertRowid);
    }

    // 2. New blocks and their search shadow. Only the blocks between the unchanged head and tail
    //    are written (an edit in a book touches a paragraph, not its thousands of rows); the
    //    tail's rows move to their new index and offset.
    const placed = placeBlocks(newDoc.blocks);
    for (const b of placed) if (b.text.includes('\n')) throw new RangeError(`Block ${b.index} contains a line break`);
    // Translation pairs: every alignment of this document follows its blocks through the change
    // (untouched units kept, changed ones marked for review, a removed block's partner unpaired).
    carryPairs(db, documentId, oldBlocks, placed);
    let head = 0;
    while (head < oldBlocks.length && head < placed.length && sameBlock(oldBlocks[head]!, placed[head]!)) head++;
    let tail = 0;
    while (tail < oldBlocks.length - head && tail < placed.length - head && sameBlock(oldBlocks[oldBlocks.length - 1 - tail]!, placed[placed.length - 1 - tail]!)) tail++;
    const oldEnd = oldBlocks.length - tail;
    const newEnd = placed.length - tail;
    textWritten(db);
    db.prepare('DELETE FROM blocks_fts WHERE rowid IN (SELECT id FROM blocks WHERE document_id = ? AND idx >= ? AND idx < ?)').run(documentId, head, oldEnd);
    db.prepare('DELETE FROM blocks WHERE document_id = ? AND idx >= ? AND idx < ?').run(documentId, head, oldEnd);
    if (tail > 0 && (newEnd !== oldEnd || placed[newEnd]!.start !== oldBlocks[oldEnd]!.start)) {
      // Through negative indexes, so that no two rows share an index on the way.
      db.prepare('UPDATE blocks SET idx = -1 - idx WHERE document_id = ? AND idx >= ?').run(documentId, oldEnd);
      db.prepare('UPDATE blocks SET idx = -1 - idx + ?, start = start + ? WHERE document_id = ? AND idx < 0').run(newEnd - oldEnd, placed[newEnd]!.start - oldBlocks[oldEnd]!.start, documentId);
    }
    const write = blockWriter(db);
    for (const b of placed.slice(head, newEnd)) write(documentId, b);
    db.prepare('UPDATE documents SET content_hash = ?, language = ?, source_name = ? WHERE id = ?').run(hash, newDoc.language, options.sourceName ?? doc.sourceName, documentId);

    // 3. Annotations where re-anchoring put them; orphans keep their quote.
    const place = db.prepare("UPDATE annotations SET start = ?, end = ?, exact = ?, prefix = ?, suffix = ?, status = 'anchored' WHERE id = ? AND document_id = ?");
    const detach = db.prepare("UPDATE annotations SET start = ?, end = ?, status = 'orphaned' WHERE id = ? AND document_id = ?");
    // Rows that would not change are left alone (most of a book's, after an edit).
    const before = new Map(
      (db.prepare('SELECT id, start, end, status, exact, prefix, suffix FROM annotations WHERE document_id = ?').all(documentId) as {
        id: string; start: number; end: number; status: string; exact: string; prefix: string; suffix: string;
      }[]).map((row) => [row.id, row]),
    );
    for (const r of results) {
      const was = before.get(r.id);
      if (r.status === 'orphaned') {
        if (!was || was.status !== 'orphaned' || was.start !== r.start || was.end !== r.end) detach.run(r.start, r.end, r.id, documentId);
        continue;
      }
      const q = quoteSelector(newText, r.start, r.end);
      if (was && was.status === 'anchored' && was.start === r.start && was.end === r.end && was.exact === q.exact && was.prefix === q.prefix && was.suffix === q.suffix) continue;
      place.run(r.start, r.end, q.exact, q.prefix, q.suffix, r.id, documentId);
    }
    return revisionId;
  })();
}

/**
 * Updates a document to a new version of its text: reads its annotations, re-anchors them into
 * the new text and replaces the text, in one transaction. Nothing is written when the text is
 * the same as the document's.
 */
export function updateDocument(db: Database, documentId: number, newDoc: ParsedDocument, now: string, options: UpdateOptions = {}): UpdateOutcome {
  return db.transaction((): UpdateOutcome => {
    const doc = getSummary(db, documentId);
    if (!doc) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
    const oldText = canonicalText(getBlocks(db, documentId));
    const newText = canonicalText(newDoc.blocks);
    const inputs: AnchorInput[] = listAnnotations(db, documentId).map((a) => ({ id: a.id, start: a.start, end: a.end, exact: a.exact, prefix: a.prefix, suffix: a.suffix, status: a.status }));
    if (newText === oldText) {
      const results = reanchor(inputs, oldText, newText);
      return { documentId, changed: false, revisionId: null, counts: summarize(results), results };
    }
    const results = reanchor(inputs, oldText, newText);
    const revisionId = replaceDocumentText(db, documentId, newDoc, results, now, options);
    return { documentId, changed: true, revisionId, counts: summarize(results), results };
  })();
}

/**
 * Puts a revision's text back (the current text becomes a revision in turn, so a restore can be
 * undone) and re-anchors the annotations into it; annotations orphaned by the update that the
 * revision undoes find their passage again.
 */
export function restoreRevision(db: Database, revisionId: number, now: string): UpdateOutcome {
  return db.transaction((): UpdateOutcome => {
    const rev = getRevision(db, revisionId);
    const doc = getSummary(db, rev.documentId);
    if (!doc) throw new GlossError(`No document with id ${rev.documentId}`, 'document-not-found', { id: rev.documentId });
    return updateDocument(db, rev.documentId, { title: doc.title, language: rev.language, blocks: rev.blocks }, now, {
      reason: `restore of revision ${revisionId}`,
      sourceName: rev.sourceName,
    });
  })();
}

/**
 * Keeps a document's current text as a revision (before an incremental edit changes it) and
 * returns its id. The caller holds the transaction.
 */
export function keepCurrentAsRevision(db: Database, documentId: number, now: string, reason: string): number {
  const doc = getSummary(db, documentId);
  if (!doc) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
  const blocks = getBlocks(db, documentId);
  const stored: StoredBlock[] = blocks.map((b) => (b.meta ? { kind: b.kind, dir: b.dir, depth: b.depth, meta: b.meta } : { kind: b.kind, dir: b.dir, depth: b.depth }));
  const info = db
    .prepare('INSERT INTO revisions (document_id, created, text, blocks, language, source_name, content_hash, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(documentId, now, canonicalText(blocks), JSON.stringify(stored), doc.language, doc.sourceName, doc.contentHash, reason);
  return Number(info.lastInsertRowid);
}

/** When and why a document's newest revision was kept, if it has any. */
export function newestRevision(db: Database, documentId: number): { reason: string; created: string } | undefined {
  return db.prepare('SELECT reason, created FROM revisions WHERE document_id = ? ORDER BY id DESC LIMIT 1').get(documentId) as { reason: string; created: string } | undefined;
}
