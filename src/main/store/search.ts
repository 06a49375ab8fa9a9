/**
 * Library search: FTS5 (trigram) over the folded shadow of blocks and notes, then each hit is
 * located in the folded text and mapped back to offsets in the original.
 */
import type { Database } from 'better-sqlite3';
import type { SearchHit } from '../../common/model.js';
import { fold, foldText, unfoldRange } from '../../common/text/fold.js';

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

export function searchLibrary(db: Database, query: string, limit = 50): SearchHit[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const match = ftsQuery(terms);
  const hits: SearchHit[] = [];

  type BlockRow = { block_id: number; document_id: number; title: string; idx: number; start: number; text: string };
  const blockSql = `SELECT b.id AS block_id, b.document_id, d.title, b.idx, b.start, b.text
    FROM blocks b JOIN documents d ON d.id = b.document_id`;
  const blockRows = (
    match
      ? db.prepare(`${blockSql} JOIN blocks_fts f ON f.rowid = b.id WHERE blocks_fts MATCH ? ORDER BY f.rank LIMIT ?`).all(match, limit * 4)
      : db.prepare(`${blockSql} JOIN blocks_fts f ON f.rowid = b.id WHERE f.folded LIKE ? ORDER BY b.document_id, b.idx LIMIT ?`).all(`%${terms[0]}%`, limit * 4)
  ) as BlockRow[];
  for (const r of blockRows) {
    const ranges = locate(r.text, terms);
    if (!ranges) continue;
    const first = ranges[0]!;
    hits.push({
      documentId: r.document_id,
      documentTitle: r.title,
      kind: 'text',
      blockIndex: r.idx,
      annotationId: null,
      start: r.start + first.start,
      end: r.start + first.end,
      ranges: ranges.map((x) => ({ start: r.start + x.start, end: r.start + x.end })),
      snippet: snippet(r.text, first.start, first.end),
    });
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
