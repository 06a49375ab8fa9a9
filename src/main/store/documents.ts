/** Documents and their blocks. */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Block, BlockInput, BlockMeta, DocumentFull, DocumentMeta, DocumentSummary, ParsedDocument } from '../../common/model.js';
import type { Statement } from 'better-sqlite3';
import { canonicalText, placeBlocks, TextWindow } from '../../common/text/canonical.js';
import { foldText } from '../../common/text/fold.js';
import { GlossError } from '../../common/api.js';
import { BLOCK_ROWS } from './block-rows.js';
import { textWritten } from './text-bytes.js';

interface DocRow {
  id: number;
  title: string;
  language: DocumentSummary['language'];
  source_name: string;
  content_hash: string;
  imported_at: string;
  block_count: number;
  annotation_count: number;
  meta: string;
}

const SUMMARY_SQL = `
  SELECT d.*,
    (SELECT count(*) FROM blocks b WHERE b.document_id = d.id) AS block_count,
    (SELECT count(*) FROM annotations a WHERE a.document_id = d.id) AS annotation_count
  FROM documents d`;

function toSummary(r: DocRow): DocumentSummary {
  return {
    id: r.id,
    title: r.title,
    language: r.language,
    sourceName: r.source_name,
    contentHash: r.content_hash,
    importedAt: r.imported_at,
    blockCount: r.block_count,
    annotationCount: r.annotation_count,
    meta: parseMeta<DocumentMeta>(r.meta) ?? {},
  };
}

/** Metadata columns hold JSON objects; anything else (a hand-edited file) reads as none. */
function parseMeta<T extends object>(raw: string | null): T | undefined {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

const metaJson = (meta: object | undefined): string | null => (meta && Object.keys(meta).length > 0 ? JSON.stringify(meta) : null);

/** The content hash that identifies a text: SHA-256 of its canonical text. */
export function contentHash(doc: Pick<ParsedDocument, 'blocks'>): string {
  return createHash('sha256').update(canonicalText(doc.blocks), 'utf8').digest('hex');
}

export function listDocuments(db: Database): DocumentSummary[] {
  return (db.prepare(`${SUMMARY_SQL} ORDER BY d.id`).all() as DocRow[]).map(toSummary);
}

export function getSummary(db: Database, id: number): DocumentSummary | undefined {
  const row = db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(id) as DocRow | undefined;
  return row && toSummary(row);
}

export function findByHash(db: Database, hash: string): DocumentSummary | undefined {
  const row = db.prepare(`${SUMMARY_SQL} WHERE d.content_hash = ?`).get(hash) as DocRow | undefined;
  return row && toSummary(row);
}

export function getBlocks(db: Database, documentId: number): Block[] {
  return getBlockRange(db, documentId, 0, Number.MAX_SAFE_INTEGER);
}

/** `count` blocks from index `from`, in order. */
export function getBlockRange(db: Database, documentId: number, from: number, count: number): Block[] {
  const rows = db
    .prepare(`SELECT b.idx, b.kind, b.dir, b.depth, b.start, t.text, b.meta FROM ${BLOCK_ROWS} WHERE b.document_id = ? AND b.idx >= ? ORDER BY b.idx LIMIT ?`)
    .all(documentId, from, count) as { idx: number; kind: Block['kind']; dir: Block['dir']; depth: number; start: number; text: string; meta: string | null }[];
  return rows.map((r) => {
    const block: Block = { index: r.idx, kind: r.kind, dir: r.dir, depth: r.depth, start: r.start, text: r.text };
    const meta = parseMeta<BlockMeta>(r.meta);
    if (meta) block.meta = meta;
    return block;
  });
}

/** A statement that inserts one block row and its search row; the caller holds the transaction. */
export function blockWriter(db: Database, options: { search?: boolean } = {}): (documentId: number, b: BlockInput & { index: number; start: number }) => void {
  const addBlock: Statement = db.prepare('INSERT INTO blocks (document_id, idx, kind, dir, depth, start, meta) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const addText: Statement = db.prepare('INSERT INTO block_texts (id, text) VALUES (?, ?)');
  const addFts: Statement = db.prepare('INSERT INTO blocks_fts (rowid, folded) VALUES (?, ?)');
  const search = options.search !== false;
  textWritten(db);
  return (documentId, b) => {
    if (b.text.includes('\n')) throw new RangeError(`Block ${b.index} contains a line break`);
    const r = addBlock.run(documentId, b.index, b.kind, b.dir, b.depth, b.start, metaJson(b.meta));
    addText.run(r.lastInsertRowid, b.text);
    if (search) addFts.run(r.lastInsertRowid, foldText(b.text));
  };
}

/** Whether two blocks are the same to the reader: text, kind, direction, depth and metadata. */
export function sameBlock(a: BlockInput, b: BlockInput): boolean {
  return a.text === b.text && a.kind === b.kind && a.dir === b.dir && a.depth === b.depth && metaJson(a.meta) === metaJson(b.meta);
}

export function setDocumentMeta(db: Database, id: number, meta: DocumentMeta): void {
  db.prepare('UPDATE documents SET meta = ? WHERE id = ?').run(metaJson(meta) ?? '{}', id);
}

export function getDocument(db: Database, id: number): DocumentFull {
  const summary = getSummary(db, id);
  if (!summary) throw new GlossError(`No document with id ${id}`, 'document-not-found', { id });
  return { ...summary, blocks: getBlocks(db, id) };
}

/**
 * The canonical text around [start, end) with `context` characters on each side: the whole blocks
 * that hold them, found by their start offsets (indexed), and the whole text's length.
 */
export function textAround(db: Database, id: number, start: number, end: number, context: number): TextWindow {
  const extent = documentExtent(db, id);
  if (!extent) throw new GlossError(`No document with id ${id}`, 'document-not-found', { id });
  const length = extent.length;
  const from = Math.max(0, start - context);
  const to = Math.min(length, end + context);
  const first = db.prepare('SELECT start FROM blocks WHERE document_id = ? AND start <= ? ORDER BY start DESC LIMIT 1').pluck().get(id, from) as number;
  // Starts grow with the index: the offset index finds the blocks, and stops after the last one.
  const rows = db.prepare(`SELECT b.start, t.text FROM ${BLOCK_ROWS} WHERE b.document_id = ? AND b.start >= ? AND b.start <= ? ORDER BY b.start`).all(id, first, to) as { start: number; text: string }[];
  return new TextWindow(rows.map((r) => r.text).join('\n'), rows[0]!.start, length);
}

export function getCanonicalText(db: Database, id: number): string {
  return canonicalText(getBlocks(db, id));
}

/**
 * Inserts a document and its blocks (and their search shadow, unless `search` is false: then the
 * caller records the document as waiting for its search rows, see `store/search.ts`). The caller
 * holds the transaction.
 */
export function insertDocument(db: Database, doc: ParsedDocument, sourceName: string, now: string, options: { search?: boolean; hash?: string } = {}): number {
  // The caller may have the hash already (it checked for a duplicate): 5 MB take 30–50 ms to hash.
  const hash = options.hash ?? contentHash(doc);
  const info = db
    .prepare('INSERT INTO documents (title, language, source_name, content_hash, imported_at, meta) VALUES (?, ?, ?, ?, ?, ?)')
    .run(doc.title, doc.language, sourceName, hash, now, metaJson(doc.meta) ?? '{}');
  const id = Number(info.lastInsertRowid);
  textWritten(db);
  if (options.search === false) {
    insertBlockRows(db, id, doc.blocks, doc.title);
    return id;
  }
  const write = blockWriter(db, options);
  for (const b of placeBlocks(doc.blocks)) {
    if (b.text.includes('\n')) throw new RangeError(`Block ${b.index} of "${doc.title}" contains a line break`);
    write(id, b);
  }
  return id;
}

const ROWS_PER_INSERT = 100;
const COLUMNS = 8;
const insertSql = (n: number) => `INSERT INTO blocks (id, document_id, idx, kind, dir, depth, start, meta) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
const textSql = (n: number) => `INSERT INTO block_texts (id, text) VALUES ${Array(n).fill('(?, ?)').join(', ')}`;
/** The hundred-row statements, prepared once per connection. */
const fullInsert = new WeakMap<Database, { blocks: Statement; texts: Statement }>();

/**
 * Block rows without search rows, a hundred per statement (about twice as fast as one by one at
 * 10,000 blocks), each block placed (id, index, start) as it is written: no copy of the blocks, and
 * the values handed over in one array (spreading 800 arguments into each call costs more than the
 * call). The texts go to their own table, keyed by the same ids.
 */
function insertBlockRows(db: Database, id: number, blocks: readonly BlockInput[], title: string): void {
  let full = fullInsert.get(db);
  if (!full) fullInsert.set(db, (full = { blocks: db.prepare(insertSql(ROWS_PER_INSERT)), texts: db.prepare(textSql(ROWS_PER_INSERT)) }));
  const values: unknown[] = new Array<unknown>(ROWS_PER_INSERT * COLUMNS);
  const textValues: unknown[] = new Array<unknown>(ROWS_PER_INSERT * 2);
  let rowId = (db.prepare('SELECT coalesce(max(id), 0) FROM blocks').pluck().get() as number) + 1;
  let start = 0;
  for (let i = 0; i < blocks.length; i += ROWS_PER_INSERT) {
    const n = Math.min(ROWS_PER_INSERT, blocks.length - i);
    const whole = n === ROWS_PER_INSERT;
    const args = whole ? values : new Array<unknown>(n * COLUMNS);
    const texts = whole ? textValues : new Array<unknown>(n * 2);
    for (let k = 0; k < n; k++) {
      const b = blocks[i + k]!;
      if (b.text.includes('\n')) throw new RangeError(`Block ${i + k} of "${title}" contains a line break`);
      const at = k * COLUMNS;
      args[at] = rowId;
      args[at + 1] = id;
      args[at + 2] = i + k;
      args[at + 3] = b.kind;
      args[at + 4] = b.dir;
      args[at + 5] = b.depth;
      args[at + 6] = start;
      args[at + 7] = metaJson(b.meta);
      texts[k * 2] = rowId;
      texts[k * 2 + 1] = b.text;
      start += b.text.length + 1;
      rowId++;
    }
    (whole ? full.blocks : db.prepare(insertSql(n))).run(args);
    (whole ? full.texts : db.prepare(textSql(n))).run(texts);
  }
}

/** Removes a document with its blocks, annotations and search shadow. The caller holds the transaction. */
export function deleteDocument(db: Database, id: number): boolean {
  textWritten(db);
  db.prepare('DELETE FROM blocks_fts WHERE rowid IN (SELECT id FROM blocks WHERE document_id = ?)').run(id);
  db.prepare('DELETE FROM notes_fts WHERE rowid IN (SELECT rid FROM annotations WHERE document_id = ?)').run(id);
  return db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes > 0;
}

/** Sets a document's title; false when there is no such document. */
export function setTitle(db: Database, id: number, title: string): boolean {
  return db.prepare('UPDATE documents SET title = ? WHERE id = ?').run(title, id).changes > 0;
}

/** How many blocks a document has and its text's length (UTF-16 units); undefined for no such document. */
export function documentExtent(db: Database, id: number): { blocks: number; length: number } | undefined {
  const last = db.prepare(`SELECT b.idx, b.start, t.text FROM ${BLOCK_ROWS} WHERE b.document_id = ? ORDER BY b.idx DESC LIMIT 1`).get(id) as { idx: number; start: number; text: string } | undefined;
  return last && { blocks: last.idx + 1, length: last.start + last.text.length };
}

/** Where block `idx` starts in the canonical text. */
export function blockStart(db: Database, id: number, idx: number): number {
  const row = db.prepare('SELECT start FROM blocks WHERE document_id = ? AND idx = ?').get(id, idx) as { start: number } | undefined;
  if (!row) throw new GlossError(`Document ${id} has no block ${idx}`, 'block-not-found', { document: id, index: idx });
  return row.start;
}

/**
 * Replaces blocks [from, from + removed) by `blocks`, the first of which starts at `start`, and
 * moves the rows after them (index by `blocks.length - removed`, start by `delta`) in two bulk
 * UPDATEs; their search rows are keyed by row id and stay. The caller holds the transaction.
 */
export function replaceBlockSpan(db: Database, id: number, from: number, removed: number, blocks: readonly BlockInput[], start: number, delta: number): void {
  const end = from + removed;
  textWritten(db);
  if (removed > 0) {
    db.prepare('DELETE FROM blocks_fts WHERE rowid IN (SELECT id FROM blocks WHERE document_id = ? AND idx >= ? AND idx < ?)').run(id, from, end);
    db.prepare('DELETE FROM blocks WHERE document_id = ? AND idx >= ? AND idx < ?').run(id, from, end);
  }
  const shift = blocks.length - removed;
  if (shift !== 0) {
    // Through negative indexes, so that no two rows share an index on the way.
    db.prepare('UPDATE blocks SET idx = -1 - idx WHERE document_id = ? AND idx >= ?').run(id, end);
    db.prepare('UPDATE blocks SET idx = -1 - idx + ?, start = start + ? WHERE document_id = ? AND idx < 0').run(shift, delta, id);
  } else if (delta !== 0) {
    db.prepare('UPDATE blocks SET start = start + ? WHERE document_id = ? AND idx >= ?').run(delta, id, end);
  }
  const write = blockWriter(db);
  let at = start;
  blocks.forEach((b, i) => {
    write(id, { ...b, index: from + i, start: at });
    at += b.text.length + 1;
  });
}

/** A document's stored content hash (undefined for no such document). */
export function documentHash(db: Database, id: number): string | undefined {
  return db.prepare('SELECT content_hash FROM documents WHERE id = ?').pluck().get(id) as string | undefined;
}

/** Sets a document's content hash and language after its text changed. */
export function setTextIdentity(db: Database, id: number, hash: string, language: DocumentSummary['language']): void {
  db.prepare('UPDATE documents SET content_hash = ?, language = ? WHERE id = ?').run(hash, language, id);
}
