/**
 * Deleted annotations are kept as tombstones: the whole record (tags, note, author, stamps) and the
 * annotations it was linked to, so that undo is `undelete(id)` and the client never sends a record
 * to store. A tombstone is purged after `TOMBSTONE_DAYS`. The caller holds the transaction.
 */
import type { Database } from 'better-sqlite3';
import { GlossError } from '../../common/api.js';
import { contextSimilarity } from '../../common/anchor/anchor.js';
import { occurrences } from '../../common/text/canonical.js';
import type { Annotation } from '../../common/model.js';
import { deleteAnnotation, getAnnotation, insertAnnotation } from './annotations.js';
import { insertLink } from './links.js';

/** How long a deleted annotation can be brought back. */
export const TOMBSTONE_DAYS = 30;

interface Record {
  annotation: Annotation;
  /** Ids of the annotations it was linked to. */
  links: string[];
}

/** Deletes an annotation, keeping its tombstone. Returns the annotation as it was. */
export function buryAnnotation(db: Database, id: string, now: string): Annotation {
  const before = getAnnotation(db, id);
  const links = (
    db
      .prepare(
        `SELECT y.id FROM annotations x JOIN annotation_links l ON l.a_rid = x.rid JOIN annotations y ON y.rid = l.b_rid WHERE x.id = ?
         UNION SELECT y.id FROM annotations x JOIN annotation_links l ON l.b_rid = x.rid JOIN annotations y ON y.rid = l.a_rid WHERE x.id = ?`,
      )
      .all(id, id) as { id: string }[]
  ).map((r) => r.id);
  const hash = (db.prepare('SELECT content_hash FROM documents WHERE id = ?').get(before.documentId) as { content_hash: string }).content_hash;
  const record: Record = { annotation: before, links };
  db.prepare('INSERT OR REPLACE INTO annotation_tombstones (id, document_id, deleted, content_hash, record) VALUES (?, ?, ?, ?, ?)').run(id, before.documentId, now, hash, JSON.stringify(record));
  deleteAnnotation(db, id);
  return before;
}

/**
 * Brings a deleted annotation back with its id, stamps, tags, note and links. When the text
 * changed since, the quote is looked for again (as an orphan's is); not found, it comes back
 * detached with its quote. `text` is the document's canonical text now.
 */
export function undeleteAnnotation(db: Database, id: string, text: string, now: string): Annotation {
  const row = db.prepare('SELECT document_id, content_hash, record FROM annotation_tombstones WHERE id = ?').get(id) as { document_id: number; content_hash: string; record: string } | undefined;
  if (!row) {
    const live = db.prepare('SELECT 1 FROM annotations WHERE id = ?').get(id);
    throw new GlossError(live ? `Annotation ${id} is not deleted` : `No deleted annotation with id ${id} (deleted annotations are kept for ${TOMBSTONE_DAYS} days)`, live ? 'annotation-not-deleted' : 'deleted-annotation-not-found', { days: TOMBSTONE_DAYS });
  }
  const { annotation: a, links } = JSON.parse(row.record) as Record;
  let start = a.start;
  let end = a.end;
  let status: Annotation['status'] = a.status;
  if (status === 'orphaned' || text.slice(start, end) !== a.exact) {
    const found = a.exact === '' ? [] : occurrences(text, a.exact);
    if (found.length === 0) {
      status = 'orphaned';
      start = end = Math.min(a.start, text.length);
    } else {
      // Among repeats, the one whose context matches best, then the nearest to where it was.
      const score = (at: number) => contextSimilarity(a.prefix, a.suffix, text, at, at + a.exact.length) - Math.abs(at - a.start) / (text.length + 1);
      start = found.reduce((best, at) => (score(at) > score(best) ? at : best));
      end = start + a.exact.length;
      status = 'anchored';
    }
  }
  const back = insertAnnotation(
    db,
    text,
    { id: a.id, documentId: a.documentId, start, end, color: a.color, note: a.note, tags: a.tags, created: a.created, modified: a.modified, author: a.author, status, quote: { exact: a.exact, prefix: a.prefix, suffix: a.suffix } },
    now,
  );
  for (const other of links) {
    if (db.prepare('SELECT 1 FROM annotations WHERE id = ?').get(other)) insertLink(db, a.id, other, now);
  }
  db.prepare('DELETE FROM annotation_tombstones WHERE id = ?').run(id);
  return back;
}

/** Forgets tombstones older than `days`. Returns how many. */
export function purgeTombstones(db: Database, now: Date, days = TOMBSTONE_DAYS): number {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  return db.prepare('DELETE FROM annotation_tombstones WHERE deleted < ?').run(cutoff).changes;
}

/** The document a tombstone belongs to, if there is one. */
export function tombstoneDocument(db: Database, id: string): number | undefined {
  return (db.prepare('SELECT document_id FROM annotation_tombstones WHERE id = ?').get(id) as { document_id: number } | undefined)?.document_id;
}
