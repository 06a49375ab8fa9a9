/**
 * Links between annotations (`annotation_links`), usually a passage in a text and its counterpart in
 * the translation. A link is undirected: it is stored once, with the smaller rid as `a_rid`. Deleting
 * either annotation deletes the link (foreign keys cascade). The caller holds the transaction when
 * writing.
 */
import type { Database } from 'better-sqlite3';
import { GlossError } from '../../common/api.js';
import type { Annotation } from '../../common/model.js';
import type { AnnotationLink, LinkEnd } from '../../common/pairs.js';

interface EndRow {
  rid: number;
  id: string;
  document_id: number;
  title: string;
  start: number;
  end: number;
  exact: string;
  status: Annotation['status'];
}

function ridOf(db: Database, id: string): { rid: number; documentId: number } {
  const row = db.prepare('SELECT rid, document_id FROM annotations WHERE id = ?').get(id) as { rid: number; document_id: number } | undefined;
  if (!row) throw new GlossError(`No annotation with id ${id}`, 'annotation-not-found', { id });
  return { rid: row.rid, documentId: row.document_id };
}

const END_SQL = `SELECT a.rid, a.id, a.document_id, d.title, a.start, a."end", a.exact, a.status FROM annotations a JOIN documents d ON d.id = a.document_id WHERE a.rid = ?`;

function endOf(db: Database, rid: number): LinkEnd {
  const r = db.prepare(END_SQL).get(rid) as EndRow;
  return { annotationId: r.id, documentId: r.document_id, documentTitle: r.title, start: r.start, end: r.end, exact: r.exact, status: r.status };
}

/** Links two annotations. Throws `conflict` when they are already linked. */
export function insertLink(db: Database, aId: string, bId: string, now: string): AnnotationLink {
  if (aId === bId) throw new GlossError('An annotation cannot be linked to itself', 'link-to-self');
  const a = ridOf(db, aId);
  const b = ridOf(db, bId);
  const [lo, hi] = a.rid < b.rid ? [a.rid, b.rid] : [b.rid, a.rid];
  const existing = db.prepare('SELECT 1 FROM annotation_links WHERE a_rid = ? AND b_rid = ?').get(lo, hi);
  if (existing) throw new GlossError(`Annotations ${aId} and ${bId} are already linked`, 'already-linked', { a: aId, b: bId });
  db.prepare('INSERT INTO annotation_links (a_rid, b_rid, created) VALUES (?, ?, ?)').run(lo, hi, now);
  return { a: endOf(db, a.rid), b: endOf(db, b.rid), created: now };
}

export function deleteLink(db: Database, aId: string, bId: string): boolean {
  const a = ridOf(db, aId);
  const b = ridOf(db, bId);
  const [lo, hi] = a.rid < b.rid ? [a.rid, b.rid] : [b.rid, a.rid];
  return db.prepare('DELETE FROM annotation_links WHERE a_rid = ? AND b_rid = ?').run(lo, hi).changes > 0;
}

/** The links of a document's annotations, each turned so that `a` is in the document; in text order of `a`. */
export function listLinks(db: Database, documentId: number): AnnotationLink[] {
  const rows = db
    .prepare(
      `SELECT l.a_rid, l.b_rid, l.created, x.document_id AS a_doc, y.document_id AS b_doc, x.start AS a_start, y.start AS b_start
       FROM annotation_links l JOIN annotations x ON x.rid = l.a_rid JOIN annotations y ON y.rid = l.b_rid
       WHERE x.document_id = ? OR y.document_id = ?`,
    )
    .all(documentId, documentId) as { a_rid: number; b_rid: number; created: string; a_doc: number; b_doc: number; a_start: number; b_start: number }[];
  const links = rows.map((r) => {
    const flip = r.a_doc !== documentId;
    const here = flip ? r.b_rid : r.a_rid;
    const there = flip ? r.a_rid : r.b_rid;
    return { link: { a: endOf(db, here), b: endOf(db, there), created: r.created }, start: flip ? r.b_start : r.a_start };
  });
  links.sort((x, y) => x.start - y.start || x.link.a.annotationId.localeCompare(y.link.a.annotationId));
  return links.map((l) => l.link);
}

/** The annotations linked to each annotation of a document: annotation id -> the other ends' rids. */
export function linkedRids(db: Database, documentId: number): Map<string, number[]> {
  const rows = db
    .prepare(
      `SELECT x.id AS id, l.b_rid AS other FROM annotation_links l JOIN annotations x ON x.rid = l.a_rid WHERE x.document_id = ?
       UNION ALL
       SELECT y.id AS id, l.a_rid AS other FROM annotation_links l JOIN annotations y ON y.rid = l.b_rid WHERE y.document_id = ?
       ORDER BY other`,
    )
    .all(documentId, documentId) as { id: string; other: number }[];
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push(r.other);
    else out.set(r.id, [r.other]);
  }
  return out;
}

/** Whether any annotation of these documents (all documents when absent) is linked. */
export function anyLinks(db: Database, documentIds?: readonly number[]): boolean {
  if (!documentIds) return db.prepare('SELECT 1 FROM annotation_links LIMIT 1').get() !== undefined;
  const has = db.prepare(
    `SELECT 1 FROM annotation_links l JOIN annotations x ON x.rid = l.a_rid JOIN annotations y ON y.rid = l.b_rid WHERE x.document_id = ? OR y.document_id = ? LIMIT 1`,
  );
  return documentIds.some((id) => has.get(id, id) !== undefined);
}

/** One linked annotation as the exports describe it (UTF-16 offsets). */
export interface LinkedRow {
  rid: number;
  id: string;
  documentId: number;
  documentTitle: string;
  contentHash: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

export function linkedRow(db: Database, rid: number): LinkedRow | undefined {
  const r = db
    .prepare(
      `SELECT a.rid, a.id, a.document_id, d.title, d.content_hash, a.start, a."end", a.exact, a.prefix, a.suffix FROM annotations a JOIN documents d ON d.id = a.document_id WHERE a.rid = ?`,
    )
    .get(rid) as
    | { rid: number; id: string; document_id: number; title: string; content_hash: string; start: number; end: number; exact: string; prefix: string; suffix: string }
    | undefined;
  if (!r) return undefined;
  return { rid: r.rid, id: r.id, documentId: r.document_id, documentTitle: r.title, contentHash: r.content_hash, start: r.start, end: r.end, exact: r.exact, prefix: r.prefix, suffix: r.suffix };
}

/** Links with one end in each of two documents (both ends in it when they are the same), by annotation ids, smaller id first. */
export function linksBetween(db: Database, x: number, y: number): { a: string; b: string; created: string }[] {
  const rows = db
    .prepare(
      `SELECT p.id AS p, q.id AS q, l.created FROM annotation_links l JOIN annotations p ON p.rid = l.a_rid JOIN annotations q ON q.rid = l.b_rid
       WHERE (p.document_id = ? AND q.document_id = ?) OR (p.document_id = ? AND q.document_id = ?)`,
    )
    .all(x, y, y, x) as { p: string; q: string; created: string }[];
  return rows.map((r) => (r.p < r.q ? { a: r.p, b: r.q, created: r.created } : { a: r.q, b: r.p, created: r.created }));
}
