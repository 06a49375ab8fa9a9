/**
 * Translation pairs and their alignments (`pairs`, `alignments`), and editing one block of a
 * document in place (a translation's blocks are written one at a time).
 *
 * A pair's beads are stored one row each, in text order by row id: every change rewrites the pair's
 * rows in one transaction (an alignment is a few hundred rows at most), so the order never needs a
 * column of its own. Block indices are JSON arrays. Functions here expect the caller to hold the
 * transaction when they write.
 */
import type { Database } from 'better-sqlite3';
import { GlossError } from '../../common/api.js';
import { alignmentProblem, repairAlignment, type AlignmentBead } from '../../common/align/beads.js';
import { carryAlignment, type CarryResult } from '../../common/align/carry.js';
import type { Annotation, Block } from '../../common/model.js';
import type { PairKind } from '../../common/pairs.js';
import { quoteSelector, QUOTE_CONTEXT } from '../../common/text/canonical.js';
import { BLOCK_ROWS, blockTexts } from './block-rows.js';
import { blockWriter, getBlocks } from './documents.js';
import { textWritten } from './text-bytes.js';
import { foldText } from '../../common/text/fold.js';

export interface PairRow {
  id: number;
  sourceId: number;
  targetId: number;
  kind: PairKind;
  created: string;
}

interface RawPair {
  id: number;
  source_id: number;
  target_id: number;
  kind: PairKind;
  created: string;
}

const toPair = (r: RawPair): PairRow => ({ id: r.id, sourceId: r.source_id, targetId: r.target_id, kind: r.kind, created: r.created });

export function insertPair(db: Database, sourceId: number, targetId: number, kind: PairKind, now: string): number {
  if (sourceId === targetId) throw new GlossError('A document cannot be paired with itself', 'pair-with-self');
  const existing = db.prepare('SELECT id FROM pairs WHERE (source_id = ? AND target_id = ?) OR (source_id = ? AND target_id = ?)').get(sourceId, targetId, targetId, sourceId) as
    | { id: number }
    | undefined;
  if (existing) throw new GlossError(`Documents ${sourceId} and ${targetId} are already paired (pair ${existing.id})`, 'already-paired', { a: sourceId, b: targetId, pair: existing.id });
  return Number(db.prepare('INSERT INTO pairs (source_id, target_id, kind, created) VALUES (?, ?, ?, ?)').run(sourceId, targetId, kind, now).lastInsertRowid);
}

export function findPair(db: Database, id: number): PairRow | undefined {
  const row = db.prepare('SELECT id, source_id, target_id, kind, created FROM pairs WHERE id = ?').get(id) as RawPair | undefined;
  return row && toPair(row);
}

export function getPair(db: Database, id: number): PairRow {
  const pair = findPair(db, id);
  if (!pair) throw new GlossError(`No pair with id ${id} (see \`gloss pairs\`)`, 'pair-not-found', { id });
  return pair;
}

/** All pairs, or those a document belongs to (as source or target). */
export function listPairs(db: Database, documentId?: number): PairRow[] {
  const rows =
    documentId === undefined
      ? (db.prepare('SELECT id, source_id, target_id, kind, created FROM pairs ORDER BY id').all() as RawPair[])
      : (db.prepare('SELECT id, source_id, target_id, kind, created FROM pairs WHERE source_id = ? OR target_id = ? ORDER BY id').all(documentId, documentId) as RawPair[]);
  return rows.map(toPair);
}

export function deletePair(db: Database, id: number): boolean {
  return db.prepare('DELETE FROM pairs WHERE id = ?').run(id).changes > 0;
}

export function getBeads(db: Database, pairId: number): AlignmentBead[] {
  const rows = db.prepare('SELECT source_blocks, target_blocks, confirmed, needs_review FROM alignments WHERE pair_id = ? ORDER BY id').all(pairId) as {
    source_blocks: string;
    target_blocks: string;
    confirmed: number;
    needs_review: number;
  }[];
  return rows.map((r) => ({ source: parseIndices(r.source_blocks), target: parseIndices(r.target_blocks), confirmed: r.confirmed === 1, ...(r.needs_review === 1 ? { review: true } : {}) }));
}

function parseIndices(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

/** Replaces the pair's alignment with `beads` (in order). */
export function replaceBeads(db: Database, pairId: number, beads: readonly AlignmentBead[]): void {
  db.prepare('DELETE FROM alignments WHERE pair_id = ?').run(pairId);
  const add = db.prepare('INSERT INTO alignments (pair_id, source_blocks, target_blocks, confirmed, needs_review) VALUES (?, ?, ?, ?, ?)');
  for (const b of beads) add.run(pairId, JSON.stringify(b.source), JSON.stringify(b.target), b.confirmed ? 1 : 0, b.review ? 1 : 0);
}

export interface CarriedPair extends Omit<CarryResult, 'beads'> {
  pairId: number;
  side: 'source' | 'target';
}

/**
 * Carries the alignment of every pair a document belongs to through a change of its blocks from
 * `oldBlocks` to `newBlocks` (`carryAlignment`): untouched units keep their partners and state,
 * changed ones are marked for review, a removed block's partners are left unpaired. Called by
 * `replaceDocumentText` inside its transaction, before the new blocks are written; does nothing
 * (and reads nothing more) for a document in no pair.
 */
export function carryPairs(db: Database, documentId: number, oldBlocks: readonly { text: string }[], newBlocks: readonly { text: string }[]): CarriedPair[] {
  const pairs = listPairs(db, documentId);
  if (pairs.length === 0) return [];
  const oldTexts = oldBlocks.map((b) => b.text);
  const newTexts = newBlocks.map((b) => b.text);
  const count = db.prepare('SELECT count(*) AS n FROM blocks WHERE document_id = ?');
  const out: CarriedPair[] = [];
  for (const pair of pairs) {
    const side = pair.sourceId === documentId ? 'source' : 'target';
    const otherCount = (count.get(side === 'source' ? pair.targetId : pair.sourceId) as { n: number }).n;
    let beads = getBeads(db, pair.id);
    const n = side === 'source' ? oldTexts.length : otherCount;
    const m = side === 'source' ? otherCount : oldTexts.length;
    // Stored beads always cover the blocks; a library written before they did is repaired first.
    if (alignmentProblem(beads, n, m) !== undefined) beads = repairAlignment(beads, n, m);
    const { beads: carried, ...counts } = carryAlignment(beads, side, oldTexts, newTexts, otherCount);
    replaceBeads(db, pair.id, carried);
    out.push({ pairId: pair.id, side, ...counts });
  }
  return out;
}

/** Gives a new translation its own identity in place of the hash of its empty blocks (see `translationHash`). */
export function setTranslationIdentity(db: Database, documentId: number, hash: string): void {
  db.prepare('UPDATE documents SET content_hash = ? WHERE id = ?').run(hash, documentId);
}

/** Blocks holding text (anything but white space) and all blocks of a document. */
export function blockProgress(db: Database, documentId: number): { translated: number; total: number } {
  const row = db.prepare(`SELECT count(*) AS total, coalesce(sum(trim(t.text, ' \t\u00a0') <> ''), 0) AS translated FROM ${BLOCK_ROWS} WHERE b.document_id = ?`).get(documentId) as {
    total: number;
    translated: number;
  };
  return { translated: row.translated, total: row.total };
}

export interface BlockEdit {
  block: Block;
  /** Change in the block's length (UTF-16 units); later blocks and annotations moved by it. */
  delta: number;
  /** Annotations whose offsets moved (after the block, or inside it around the change). */
  shifted: number;
  /** Annotations that lay wholly inside the replaced text and are now detached. */
  orphaned: number;
}

/** Length of the common prefix and (not overlapping it) suffix of two strings. */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/**
 * Sets one block's text and keeps the document consistent, all in the caller's transaction: the
 * block and its search shadow, the start offsets of the blocks after it, and the annotations.
 *
 * Annotations after the block move by the change in length. Annotations touching the block are
 * mapped through the edit, taken as one replaced stretch (the text between the unchanged start and
 * end of the block): an offset before it stays, one after it moves, one inside it goes to the
 * stretch's start (for an annotation's start) or end (for its end), as an editor maps a selection.
 * Their quote (exact, prefix, suffix) is then taken again from the new text. One that lay wholly
 * inside the replaced stretch has nothing left to point at and is kept as detached (orphaned) with
 * its old quote. Annotations whose 32-character context reaches into the block get fresh prefixes
 * and suffixes. The `modified` stamps are left alone: the annotations were not edited.
 */
export function setBlockText(db: Database, documentId: number, index: number, text: string): BlockEdit {
  if (/[\n\r\u2028\u2029]/.test(text)) throw new GlossError('A block holds one paragraph: its text cannot contain a line break', 'line-break');
  const row = db.prepare(`SELECT b.id, b.kind, b.dir, b.depth, b.start, t.text FROM ${BLOCK_ROWS} WHERE b.document_id = ? AND b.idx = ?`).get(documentId, index) as
    | { id: number; kind: Block['kind']; dir: Block['dir']; depth: number; start: number; text: string }
    | undefined;
  if (!row) throw new GlossError(`Document ${documentId} has no block ${index}`, 'block-not-found', { document: documentId, index });
  const old = row.text;
  const delta = text.length - old.length;
  const block: Block = { index, kind: row.kind, dir: row.dir, depth: row.depth, start: row.start, text };
  if (old === text) return { block, delta: 0, shifted: 0, orphaned: 0 };

  textWritten(db);
  db.prepare('UPDATE block_texts SET text = ? WHERE id = ?').run(text, row.id);
  db.prepare('DELETE FROM blocks_fts WHERE rowid = ?').run(row.id);
  db.prepare('INSERT INTO blocks_fts (rowid, folded) VALUES (?, ?)').run(row.id, foldText(text));
  if (delta !== 0) db.prepare('UPDATE blocks SET start = start + ? WHERE document_id = ? AND idx > ?').run(delta, documentId, index);

  // The edit as one replaced stretch [from, oldTo) -> [from, newTo) in canonical offsets.
  const { prefix, suffix } = commonEnds(old, text);
  const from = row.start + prefix;
  const oldTo = row.start + old.length - suffix;
  const newTo = row.start + text.length - suffix;
  const blockEnd = row.start + old.length;

  // Read those touching the block before anything moves.
  const touching = db
    .prepare(`SELECT rid, start, "end", status FROM annotations WHERE document_id = ? AND start < ? AND "end" > ?`)
    .all(documentId, blockEnd, row.start) as { rid: number; start: number; end: number; status: Annotation['status'] }[];
  let shifted = 0;
  if (delta !== 0) {
    // Wholly after the block (starting at or after its closing line break).
    shifted += db.prepare('UPDATE annotations SET start = start + ?, "end" = "end" + ? WHERE document_id = ? AND start >= ?').run(delta, delta, documentId, blockEnd).changes;
  }
  const mapStart = (o: number) => (o <= from ? o : o >= oldTo ? o + delta : from);
  const mapEnd = (o: number) => (o <= from ? o : o >= oldTo ? o + delta : newTo);
  const full = blockTexts(db, documentId).join('\n');
  const requote = db.prepare('UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ? WHERE rid = ?');
  const detach = db.prepare(`UPDATE annotations SET status = 'orphaned' WHERE rid = ?`);
  let orphaned = 0;
  const moved = new Set<number>();
  for (const a of touching) {
    if (a.status === 'orphaned') continue;
    const start = mapStart(a.start);
    const end = mapEnd(a.end);
    if (end <= start || end > full.length) {
      detach.run(a.rid);
      orphaned++;
      continue;
    }
    const q = quoteSelector(full, start, end);
    requote.run(start, end, q.exact, q.prefix, q.suffix, a.rid);
    moved.add(a.rid);
    if (start !== a.start || end !== a.end) shifted++;
  }
  // Neighbours whose quoted context reaches into the block: fresh prefix and suffix.
  const near = db
    .prepare(`SELECT rid, start, "end", exact FROM annotations WHERE document_id = ? AND status = 'anchored' AND start < ? AND "end" > ?`)
    .all(documentId, row.start + text.length + QUOTE_CONTEXT, row.start - QUOTE_CONTEXT) as { rid: number; start: number; end: number; exact: string }[];
  const recontext = db.prepare('UPDATE annotations SET prefix = ?, suffix = ? WHERE rid = ?');
  for (const a of near) {
    if (moved.has(a.rid) || a.start >= a.end || full.slice(a.start, a.end) !== a.exact) continue;
    const q = quoteSelector(full, a.start, a.end);
    recontext.run(q.prefix, q.suffix, a.rid);
  }
  return { block, delta, shifted, orphaned };
}

/**
 * Inserts an empty block at index `at` of a document (a segment to write into), in the caller's
 * transaction: later blocks move one index on and one character on (the new block's line break),
 * as do annotations from that point; the search shadow gets the block's row; every pair of the
 * document carries its alignment through the insertion (`carryPairs`: the new block is a unit of
 * its own until linked). The document's content hash is left alone: a translation started in
 * Gloss is named by an identity, not by its text.
 */
export function insertEmptyBlock(db: Database, documentId: number, at: number, block: Pick<Block, 'kind' | 'dir' | 'depth'>): void {
  const before = getBlocks(db, documentId);
  if (!Number.isInteger(at) || at < 0 || at > before.length) throw new GlossError(`Document ${documentId} has ${before.length} blocks: a block cannot go at ${at}`);
  const textLength = before.length ? before[before.length - 1]!.start + before[before.length - 1]!.text.length : 0;
  // Where the new block starts: where the block it goes before starts, or after the last one's line break.
  const start = at < before.length ? before[at]!.start : before.length ? textLength + 1 : 0;
  const after = [...before.slice(0, at), { ...block, index: at, start, text: '' }, ...before.slice(at).map((b) => ({ ...b, index: b.index + 1, start: b.start + 1 }))];
  carryPairs(db, documentId, before, after);
  textWritten(db);
  // Through negative indexes, so that no two rows share an index on the way.
  db.prepare('UPDATE blocks SET idx = -1 - idx WHERE document_id = ? AND idx >= ?').run(documentId, at);
  db.prepare('UPDATE blocks SET idx = -idx, start = start + 1 WHERE document_id = ? AND idx < 0').run(documentId);
  blockWriter(db)(documentId, { kind: block.kind, dir: block.dir, depth: block.depth, text: '', index: at, start });
  if (before.length > 0) {
    // Offsets at or after the new block's start move by its line break.
    db.prepare('UPDATE annotations SET start = start + 1 WHERE document_id = ? AND start >= ?').run(documentId, start);
    db.prepare('UPDATE annotations SET "end" = "end" + 1 WHERE document_id = ? AND "end" > ?').run(documentId, start);
  }
}
