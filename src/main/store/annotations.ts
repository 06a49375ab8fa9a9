/** Annotations: W3C-shaped rows with a position, a quote, a colour, a note, tags. */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Annotation, Color } from '../../common/model.js';
import { GlossError } from '../../common/api.js';
import { quoteSelector, type TextSource } from '../../common/text/canonical.js';
import { foldText } from '../../common/text/fold.js';
import { setTags, tagsOf } from './tags.js';

interface Row {
  rid: number;
  id: string;
  document_id: number;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  color: Color;
  note: string;
  status: Annotation['status'];
  created: string;
  modified: string;
  author: string;
  tags: string | null;
}

// Tags come back joined by U+001F, a character a tag path cannot hold.
const SELECT = `
  SELECT a.*, (SELECT group_concat(path, char(31)) FROM (SELECT t.path FROM annotation_tags at JOIN tags t ON t.id = at.tag_id
               WHERE at.annotation_rid = a.rid ORDER BY t.path)) AS tags
  FROM annotations a`;

function toAnnotation(r: Row): Annotation {
  const a: Annotation = {
    id: r.id,
    documentId: r.document_id,
    start: r.start,
    end: r.end,
    exact: r.exact,
    prefix: r.prefix,
    suffix: r.suffix,
    color: r.color,
    note: r.note,
    status: r.status,
    tags: r.tags ? r.tags.split('\u001f') : [],
    created: r.created,
    modified: r.modified,
  };
  if (r.author) a.author = r.author;
  return a;
}

export interface NewAnnotation {
  documentId: number;
  start: number;
  end: number;
  color?: Color | undefined;
  note?: string | undefined;
  tags?: readonly string[] | undefined;
  /** Kept when restoring or importing; a new UUID otherwise. */
  id?: string | undefined;
  created?: string | undefined;
  modified?: string | undefined;
  status?: Annotation['status'] | undefined;
  /** Who wrote it, for annotations that come from elsewhere (Word comments, imports). */
  author?: string | undefined;
  /** For orphans, whose position no longer holds the quote. */
  quote?: { exact: string; prefix: string; suffix: string } | undefined;
}

function rowOf(db: Database, id: string): Row {
  const row = db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as Row | undefined;
  if (!row) throw new GlossError(`No annotation with id ${id}`, 'annotation-not-found', { id });
  return row;
}

export function getAnnotation(db: Database, id: string): Annotation {
  return toAnnotation(rowOf(db, id));
}

/**
 * A document's annotations in text order. `range`: only those overlapping [start, end), and empty
 * ones lying in it (`annotations_by_document` on (document_id, start) bounds the scan by `end`).
 */
export function listAnnotations(db: Database, documentId: number, tag?: string, range?: { start: number; end: number }): Annotation[] {
  const rows = (
    range
      ? db
          .prepare(`${SELECT} WHERE a.document_id = ? AND a.start < ? AND (a.end > ? OR a.start = ?) ORDER BY a.start, a.end, a.created`)
          .all(documentId, range.end, range.start, range.start)
      : db.prepare(`${SELECT} WHERE a.document_id = ? ORDER BY a.start, a.end, a.created`).all(documentId)
  ) as Row[];
  const all = rows.map(toAnnotation);
  if (!tag) return all;
  return all.filter((a) => a.tags.some((t) => t === tag || t.startsWith(tag + '/')));
}

function setNoteIndex(db: Database, rid: number, note: string): void {
  db.prepare('DELETE FROM notes_fts WHERE rowid = ?').run(rid);
  if (note) db.prepare('INSERT INTO notes_fts (rowid, folded) VALUES (?, ?)').run(rid, foldText(note));
}

/** Inserts one annotation; `text` is the document's canonical text. The caller holds the transaction. */
export function insertAnnotation(db: Database, text: TextSource, a: NewAnnotation, now: string): Annotation {
  let quote = a.quote;
  if (a.status !== 'orphaned') {
    if (!(Number.isInteger(a.start) && Number.isInteger(a.end) && a.start >= 0 && a.end > a.start && a.end <= text.length)) {
      throw new GlossError(`Range ${a.start}-${a.end} is outside the document (its text is ${text.length} characters long) or empty`, 'range-outside', { start: a.start, end: a.end, length: text.length });
    }
    quote = quoteSelector(text, a.start, a.end);
  }
  if (!quote) throw new GlossError('An orphaned annotation needs its quote');
  const id = a.id ?? randomUUID();
  const info = db
    .prepare(
      `INSERT INTO annotations (id, document_id, start, end, exact, prefix, suffix, color, note, status, created, modified, author)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, a.documentId, a.start, a.end, quote.exact, quote.prefix, quote.suffix, a.color ?? 'yellow', a.note ?? '', a.status ?? 'anchored', a.created ?? now, a.modified ?? now, a.author ?? '');
  const rid = Number(info.lastInsertRowid);
  if (a.tags?.length) setTags(db, rid, a.tags);
  if (a.note) setNoteIndex(db, rid, a.note);
  return getAnnotation(db, id);
}

export interface AnnotationChange {
  color?: Color | undefined;
  note?: string | undefined;
  tags?: readonly string[] | undefined;
}

export function updateAnnotation(db: Database, id: string, change: AnnotationChange, now: string): Annotation {
  const row = rowOf(db, id);
  const color = change.color ?? row.color;
  const note = change.note ?? row.note;
  db.prepare('UPDATE annotations SET color = ?, note = ?, modified = ? WHERE rid = ?').run(color, note, now, row.rid);
  if (change.note !== undefined) setNoteIndex(db, row.rid, note);
  if (change.tags) setTags(db, row.rid, change.tags);
  return getAnnotation(db, id);
}

export function deleteAnnotation(db: Database, id: string): Annotation {
  const row = rowOf(db, id);
  const before = toAnnotation(row);
  db.prepare('DELETE FROM notes_fts WHERE rowid = ?').run(row.rid);
  db.prepare('DELETE FROM annotations WHERE rid = ?').run(row.rid);
  return before;
}

export { tagsOf };

export function annotationExists(db: Database, id: string): boolean {
  return db.prepare('SELECT 1 FROM annotations WHERE id = ?').get(id) !== undefined;
}

/** Puts an annotation on a new passage (re-attaching a detached one); `text` is the document's text. */
export function placeAnnotation(db: Database, text: string, id: string, start: number, end: number, now: string): Annotation {
  if (!(start >= 0 && end > start && end <= text.length)) throw new GlossError(`Range ${start}-${end} is outside the document or empty`, 'range-outside', { start, end, length: text.length });
  const q = quoteSelector(text, start, end);
  db.prepare("UPDATE annotations SET start = ?, end = ?, exact = ?, prefix = ?, suffix = ?, status = 'anchored', modified = ? WHERE id = ?").run(start, end, q.exact, q.prefix, q.suffix, now, id);
  return getAnnotation(db, id);
}

/** Annotations in `ids` (unknown ids are skipped), in the library's order. */
export function annotationsByIds(db: Database, ids: readonly string[]): Annotation[] {
  if (ids.length === 0) return [];
  const rows = db.prepare(`${SELECT} WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.start, a.end, a.created`).all(JSON.stringify(ids)) as Row[];
  return rows.map(toAnnotation);
}

/** Position, quote and status of a document's annotations whose range meets (from, to): end > from and start < to. */
export function annotationsMeeting(db: Database, documentId: number, from: number, to: number): { id: string; start: number; end: number; exact: string; prefix: string; suffix: string; status: Annotation['status'] }[] {
  return db
    .prepare('SELECT id, start, end, exact, prefix, suffix, status FROM annotations WHERE document_id = ? AND start < ? AND end > ? ORDER BY start, end, created')
    .all(documentId, to, from) as { id: string; start: number; end: number; exact: string; prefix: string; suffix: string; status: Annotation['status'] }[];
}

/** Moves every annotation of a document that starts at or after `at` by `delta`, in one UPDATE; returns how many moved. */
export function shiftAnnotations(db: Database, documentId: number, at: number, delta: number): number {
  if (delta === 0) return 0;
  return db.prepare('UPDATE annotations SET start = start + ?, "end" = "end" + ? WHERE document_id = ? AND start >= ?').run(delta, delta, documentId, at).changes;
}

/** Writes an annotation's new place: anchored with the quote taken from `text`, or detached at `start` keeping its quote. */
export function moveAnnotation(db: Database, documentId: number, id: string, place: { status: 'anchored' | 'orphaned'; start: number; end: number }, text: TextSource): void {
  if (place.status === 'orphaned') {
    db.prepare("UPDATE annotations SET start = ?, end = ?, status = 'orphaned' WHERE id = ? AND document_id = ?").run(place.start, place.start, id, documentId);
    return;
  }
  const q = quoteSelector(text, place.start, place.end);
  db.prepare("UPDATE annotations SET start = ?, end = ?, exact = ?, prefix = ?, suffix = ?, status = 'anchored' WHERE id = ? AND document_id = ?").run(place.start, place.end, q.exact, q.prefix, q.suffix, id, documentId);
}
