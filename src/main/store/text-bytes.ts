/**
 * A document's stored text as UTF-8 bytes, kept between the editor's saves so that a save hashes
 * the new text (a few milliseconds for 5 MB) instead of reading it back from the blocks (tens of
 * milliseconds), and knows the strong letter counts that decide its language without counting
 * them again.
 *
 * An entry is used only for the text whose content hash it holds, and only while nothing else has
 * written any document's blocks: every function here that writes block rows calls `textWritten`,
 * and a commit by another connection shows in `PRAGMA data_version`. The entry's hash is that of
 * its own bytes, so a stale entry can only be used if the stored text changed without its hash
 * changing and without either of those signs (a translation's blocks keep an identity of their own
 * as their hash, and are written through `textWritten` too).
 */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { strongCounts } from '../../common/text/direction.js';
import { blockTexts } from './block-rows.js';

export type Letters = { rtl: number; ltr: number };

export interface StoredText {
  /** SHA-256 of `bytes` (the document's content hash when it is the stored text). */
  hash: string;
  /** The canonical text (blocks joined by `\n`) in UTF-8. */
  bytes: Buffer;
  /** Where each block's bytes start, and one more: the length of `bytes` plus one. */
  starts: number[];
  /** Strong letter counts of the whole text (see `strongCounts`). */
  letters: Letters;
}

interface Entry extends StoredText {
  generation: number;
  dataVersion: number;
}

interface PerDb {
  generation: number;
  docs: Map<number, Entry>;
}

/** Documents whose text is kept, per library: a book or two being edited, not the library. */
const KEEP = 2;

const byDb = new WeakMap<Database, PerDb>();

function state(db: Database): PerDb {
  let s = byDb.get(db);
  if (!s) byDb.set(db, (s = { generation: 0, docs: new Map() }));
  return s;
}

const dataVersion = (db: Database): number => db.pragma('data_version', { simple: true }) as number;

/** Something wrote block rows on this connection: no kept text is trusted any more. */
export function textWritten(db: Database): void {
  const s = byDb.get(db);
  if (!s) return;
  s.generation++;
  s.docs.clear();
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The stored text of document `id` whose content hash is `hash`: the kept copy when it is that
 * text, else read from the blocks (and its letters counted).
 */
export function storedText(db: Database, id: number, hash: string): StoredText {
  const s = state(db);
  const kept = s.docs.get(id);
  if (kept && kept.hash === hash && kept.generation === s.generation && kept.dataVersion === dataVersion(db)) return kept;
  const texts = blockTexts(db, id);
  const letters = { rtl: 0, ltr: 0 };
  const starts: number[] = [];
  let at = 0;
  for (const t of texts) {
    const c = strongCounts(t);
    letters.rtl += c.rtl;
    letters.ltr += c.ltr;
    starts.push(at);
    at += Buffer.byteLength(t, 'utf8') + 1;
  }
  starts.push(at);
  const bytes = Buffer.from(texts.join('\n'), 'utf8');
  return { hash: sha256(bytes), bytes, starts, letters };
}

/**
 * The text after blocks [from, from + removed) of `old` are replaced by `texts`, with `letters`
 * its letter counts (the caller adjusts them by the blocks that went and came).
 */
export function editedText(old: StoredText, from: number, removed: number, texts: readonly string[], letters: Letters): StoredText {
  const n = old.starts.length - 1;
  const end = from + removed;
  if (from < 0 || removed < 0 || end > n) throw new RangeError(`editedText: blocks ${from} to ${end} of ${n}`);
  // Runs of whole blocks, joined by line breaks: the blocks before, each new block, the blocks after.
  const parts: Buffer[] = [];
  const starts = old.starts.slice(0, from);
  let at = from > 0 ? old.starts[from]! : 0;
  if (from > 0) parts.push(old.bytes.subarray(0, old.starts[from]! - 1));
  for (const t of texts) {
    const b = Buffer.from(t, 'utf8');
    parts.push(b);
    starts.push(at);
    at += b.length + 1;
  }
  if (end < n) {
    parts.push(old.bytes.subarray(old.starts[end]!));
    const shift = at - old.starts[end]!;
    for (let i = end; i < n; i++) starts.push(old.starts[i]! + shift);
    at = old.starts[n]! + shift;
  }
  starts.push(at);
  const chunks: Buffer[] = [];
  const newline = Buffer.from('\n');
  parts.forEach((p, i) => {
    if (i > 0) chunks.push(newline);
    chunks.push(p);
  });
  const bytes = Buffer.concat(chunks);
  return { hash: sha256(bytes), bytes, starts, letters };
}

/** Keeps `text` as document `id`'s stored text (called once it is written, in the same transaction). */
export function keepStoredText(db: Database, id: number, text: StoredText): void {
  const s = state(db);
  s.docs.delete(id);
  s.docs.set(id, { ...text, generation: s.generation, dataVersion: dataVersion(db) });
  for (const key of s.docs.keys()) {
    if (s.docs.size <= KEEP) break;
    s.docs.delete(key);
  }
}
