/**
 * Library search: FTS5 (trigram) over the folded shadow of blocks and notes, then each hit is
 * located in the folded text and mapped back to offsets in the original.
 */
import type { Database } from 'better-sqlite3';
import type { SearchHit, SearchPage } from '../../common/model.js';
import { fold, foldText, unfoldRange } from '../../common/text/fold.js';
import { BLOCK_ROWS } from './block-rows.js';
import { getSetting, setSetting } from './settings.js';

/** Splits a folded query into terms; a quoted part is one term. */
export function queryTerms(query: string): string[] {
  const folded = foldText(query.normalize('NFC'));
  const terms: string[] = [];
  for (const m of folded.matchAll(/"([^"]+)"|(\S+)/g)) {
    const t = (m[1] ?? m[2] ?? '').trim();
    if (t) terms.push(t);
  }
  return terms;
}

function ftsQuery(terms: string[]): string | null {
  // Trigram needs three characters; shorter terms are checked on the candidates instead.
  const long = terms.filter((t) => [...t].length >= 3);
  if (long.length === 0) return null;
  return long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

function locate(original: string, terms: string[]): { start: number; end: number }[] | null {
  const f = fold(original);
  const ranges: { start: number; end: number }[] = [];
  for (const term of terms) {
    let found = false;
    for (let i = f.text.indexOf(term); i >= 0; i = f.text.indexOf(term, i + term.length)) {
      ranges.push(unfoldRange(f, i, i + term.length, original));
      found = true;
    }
    if (!found) return null;
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  // A term found inside another term's match (שפט inside השפטים) is not a second hit.
  const kept: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = kept[kept.length - 1];
    if (last && r.start >= last.start && r.end <= last.end) continue;
    kept.push(r);
  }
  return kept;
}

function snippet(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 40);
  const to = Math.min(text.length, end + 40);
  return (from > 0 ? '…' : '') + text.slice(from, to) + (to < text.length ? '…' : '');
}

/** A hit in a block: ranges found in its text, moved to canonical offsets. */
function textHit(r: { document_id: number; title: string; idx: number; start: number; text: string }, ranges: { start: number; end: number }[]): SearchHit {
  const first = ranges[0]!;
  return {
    documentId: r.document_id,
    documentTitle: r.title,
    kind: 'text',
    blockIndex: r.idx,
    annotationId: null,
    start: r.start + first.start,
    end: r.start + first.end,
    ranges: ranges.map((x) => ({ start: r.start + x.start, end: r.start + x.end })),
    snippet: snippet(r.text, first.start, first.end),
  };
}

export function searchLibrary(db: Database, query: string, limit = 50): SearchHit[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const match = ftsQuery(terms);
  const hits: SearchHit[] = [];

  type BlockRow = { block_id: number; document_id: number; title: string; idx: number; start: number; text: string };
  const blockSql = `SELECT b.id AS block_id, b.document_id, d.title, b.idx, b.start, t.text
    FROM ${BLOCK_ROWS} JOIN documents d ON d.id = b.document_id`;
  const blockRows = (
    match
      ? db.prepare(`${blockSql} JOIN blocks_fts f ON f.rowid = b.id WHERE blocks_fts MATCH ? ORDER BY f.rank LIMIT ?`).all(match, limit * 4)
      : db.prepare(`${blockSql} JOIN blocks_fts f ON f.rowid = b.id WHERE f.folded LIKE ? ORDER BY b.document_id, b.idx LIMIT ?`).all(`%${terms[0]}%`, limit * 4)
  ) as BlockRow[];
  for (const r of blockRows) {
    const ranges = locate(r.text, terms);
    if (!ranges) continue;
    hits.push(textHit(r, ranges));
    if (hits.length >= limit) return hits;
  }

  type NoteRow = { id: string; document_id: number; title: string; note: string };
  const noteSql = `SELECT a.id, a.document_id, d.title, a.note FROM annotations a JOIN documents d ON d.id = a.document_id`;
  const noteRows = (
    match
      ? db.prepare(`${noteSql} JOIN notes_fts f ON f.rowid = a.rid WHERE notes_fts MATCH ? ORDER BY f.rank LIMIT ?`).all(match, limit)
      : db.prepare(`${noteSql} JOIN notes_fts f ON f.rowid = a.rid WHERE f.folded LIKE ? LIMIT ?`).all(`%${terms[0]}%`, limit)
  ) as NoteRow[];
  for (const r of noteRows) {
    const ranges = locate(r.note, terms);
    if (!ranges) continue;
    const first = ranges[0]!;
    hits.push({
      documentId: r.document_id,
      documentTitle: r.title,
      kind: 'note',
      blockIndex: null,
      annotationId: r.id,
      start: first.start,
      end: first.end,
      ranges,
      snippet: snippet(r.note, first.start, first.end),
    });
    if (hits.length >= limit) break;
  }
  return hits;
}

/** Verifying short terms (which trigrams cannot index) stops counting here; the total then says "at least". */
export const MAX_VERIFIED_HITS = 100_000;

type Candidate = { id: number; document_id: number; title: string; idx: number; start: number; text: string };
type NoteCandidate = { id: string; document_id: number; title: string; note: string };

/**
 * A page of search results that tells the truth about the rest: the total, the count per document,
 * and `limit` hits from `offset`. With every term three characters or longer the trigram index
 * answers exactly (a block matches when each folded term is in its folded text, which is what
 * `locate` checks); a shorter term is checked on each candidate.
 */
export function searchPage(db: Database, query: string, limit = 50, offset = 0): SearchPage {
  const terms = queryTerms(query);
  if (terms.length === 0) return { total: 0, documents: [], hits: [], offset };
  const match = ftsQuery(terms);
  const exact = terms.every((t) => [...t].length >= 3);
  const blockWhere = match ? 'f.rowid IN (SELECT rowid FROM blocks_fts WHERE blocks_fts MATCH @q)' : 'f.folded LIKE @like';
  const noteWhere = match ? 'f.rowid IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH @q)' : 'f.folded LIKE @like';
  const params = match ? { q: match } : { like: `%${terms[0]}%` };
  const blockSql = `SELECT b.id, b.document_id, d.title, b.idx, b.start, t.text FROM ${BLOCK_ROWS} JOIN blocks_fts f ON f.rowid = b.id JOIN documents d ON d.id = b.document_id WHERE ${blockWhere}`;
  const noteSql = `SELECT a.id, a.document_id, d.title, a.note FROM notes_fts f JOIN annotations a ON a.rid = f.rowid JOIN documents d ON d.id = a.document_id WHERE ${noteWhere}`;

  // Per document: how many blocks and notes hit.
  const perDocument = new Map<number, { documentId: number; title: string; count: number; blocks: number }>();
  const add = (documentId: number, title: string, n: number, inText: boolean) => {
    const entry = perDocument.get(documentId) ?? { documentId, title, count: 0, blocks: 0 };
    entry.count += n;
    if (inText) entry.blocks += n;
    perDocument.set(documentId, entry);
  };
  let blockTotal = 0;
  let noteTotal = 0;
  if (exact) {
    for (const r of db.prepare(`SELECT b.document_id, d.title, count(*) AS n FROM blocks_fts f JOIN blocks b ON b.id = f.rowid JOIN documents d ON d.id = b.document_id WHERE ${blockWhere} GROUP BY b.document_id`).all(params) as { document_id: number; title: string; n: number }[]) {
      add(r.document_id, r.title, r.n, true);
      blockTotal += r.n;
    }
    for (const r of db.prepare(`SELECT a.document_id, d.title, count(*) AS n FROM notes_fts f JOIN annotations a ON a.rid = f.rowid JOIN documents d ON d.id = a.document_id WHERE ${noteWhere} GROUP BY a.document_id`).all(params) as { document_id: number; title: string; n: number }[]) {
      add(r.document_id, r.title, r.n, false);
      noteTotal += r.n;
    }
  } else {
    for (const r of db.prepare(blockSql).iterate(params) as IterableIterator<Candidate>) {
      if (blockTotal + noteTotal >= MAX_VERIFIED_HITS) break;
      if (locate(r.text, terms)) add(r.document_id, r.title, 1, true), blockTotal++;
    }
    for (const r of db.prepare(noteSql).iterate(params) as IterableIterator<NoteCandidate>) {
      if (blockTotal + noteTotal >= MAX_VERIFIED_HITS) break;
      if (locate(r.note, terms)) add(r.document_id, r.title, 1, false), noteTotal++;
    }
  }
  // Documents with the most hits in their text first (the order the text hits are paged in).
  const sorted = [...perDocument.values()].sort((a, b) => b.blocks - a.blocks || a.documentId - b.documentId);
  const documents = sorted.map(({ documentId, title, count }) => ({ documentId, title, count }));
  const order = new Map(documents.map((d, i) => [d.documentId, i]));

  // The page: text hits in document order then block order, then notes.
  const hits: SearchHit[] = [];
  if (offset < blockTotal) {
    // Exact: the index pages for us. Otherwise every candidate is checked, so order them all.
    const rows = exact
      ? (db
          .prepare(
            `WITH hit AS MATERIALIZED (SELECT b.id, b.document_id, b.idx, b.start, t.text FROM ${BLOCK_ROWS} JOIN blocks_fts f ON f.rowid = b.id WHERE ${blockWhere}),
                  per AS MATERIALIZED (SELECT document_id, count(*) AS n FROM hit GROUP BY document_id)
             SELECT hit.id, hit.document_id, d.title, hit.idx, hit.start, hit.text FROM hit JOIN per USING (document_id) JOIN documents d ON d.id = hit.document_id
             ORDER BY per.n DESC, hit.document_id, hit.idx LIMIT @limit OFFSET @offset`,
          )
          .all({ ...params, limit, offset }) as Candidate[])
      : (db.prepare(blockSql).all(params) as Candidate[]).sort((a, b) => order.get(a.document_id)! - order.get(b.document_id)! || a.idx - b.idx);
    let seen = exact ? offset : 0;
    for (const r of rows) {
      const ranges = locate(r.text, terms);
      if (!ranges) continue;
      if (seen++ < offset) continue;
      hits.push(textHit(r, ranges));
      if (hits.length >= limit) break;
    }
  }
  if (hits.length < limit && offset + hits.length >= blockTotal) {
    let skip = Math.max(0, offset - blockTotal);
    for (const r of db.prepare(`${noteSql} ORDER BY a.document_id, a.start`).all(params) as NoteCandidate[]) {
      const ranges = locate(r.note, terms);
      if (!ranges) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      const first = ranges[0]!;
      hits.push({ documentId: r.document_id, documentTitle: r.title, kind: 'note', blockIndex: null, annotationId: r.id, start: first.start, end: first.end, ranges, snippet: snippet(r.note, first.start, first.end) });
      if (hits.length >= limit) break;
    }
  }
  const page: SearchPage = { total: blockTotal + noteTotal, documents, hits, offset };
  const indexing = documentsBeingIndexed(db);
  if (indexing.length > 0) page.indexing = indexing;
  return page;
}

// Documents waiting for their search rows ----------------------------------------------------
//
// A big import commits its blocks first and builds their search rows after, in batches off the
// request path. Which documents wait is kept in the settings table (written in the transaction
// that inserts the document), so indexing resumes after a crash or a quit; which of their blocks
// wait is derived: those without a row in `blocks_fts`.

const PENDING_KEY = 'search.pending';

/** Ids of documents whose search rows are not all built yet, oldest first. */
export function pendingSearchDocuments(db: Database): number[] {
  const raw = getSetting(db, PENDING_KEY);
  if (!raw) return [];
  try {
    const ids: unknown = JSON.parse(raw);
    return Array.isArray(ids) ? ids.filter((x): x is number => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

/** Records a document as waiting for its search rows. The caller holds the transaction. */
export function markSearchPending(db: Database, documentId: number): void {
  const ids = pendingSearchDocuments(db);
  if (!ids.includes(documentId)) setSetting(db, PENDING_KEY, JSON.stringify([...ids, documentId]));
}

/** The documents still being indexed, with their titles (those deleted meanwhile left out). */
export function documentsBeingIndexed(db: Database): { documentId: number; title: string }[] {
  const ids = pendingSearchDocuments(db);
  if (ids.length === 0) return [];
  const rows = db.prepare('SELECT id, title FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: number; title: string }[];
  const titles = new Map(rows.map((r) => [r.id, r.title]));
  return ids.filter((id) => titles.has(id)).map((id) => ({ documentId: id, title: titles.get(id)! }));
}

/**
 * Builds search rows for up to `maxBlocks` blocks of the first waiting document (after block id
 * `after`, a cursor the caller keeps; 0 to start over), in the caller's transaction. Returns the
 * last block id done, or null when that document is complete (it then stops waiting).
 */
export function indexPendingBatch(db: Database, maxBlocks: number, after = 0): { documentId: number; last: number | null } | null {
  const ids = pendingSearchDocuments(db);
  const documentId = ids[0];
  if (documentId === undefined) return null;
  const rows = db
    .prepare(`SELECT b.id, t.text FROM ${BLOCK_ROWS} WHERE b.document_id = ? AND b.id > ? AND NOT EXISTS (SELECT 1 FROM blocks_fts f WHERE f.rowid = b.id) ORDER BY b.id LIMIT ?`)
    .raw()
    .all(documentId, after, maxBlocks) as [number, string][];
  const add = db.prepare('INSERT INTO blocks_fts (rowid, folded) VALUES (?, ?)');
  for (const [id, text] of rows) add.run(id, foldText(text));
  if (rows.length < maxBlocks) {
    setSetting(db, PENDING_KEY, JSON.stringify(ids.slice(1)));
    return { documentId, last: null };
  }
  return { documentId, last: rows[rows.length - 1]![0] };
}
