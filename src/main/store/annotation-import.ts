/**
 * The queries of the annotation importers (`export/import-annotations.ts`, `export/qdpx-import.ts`,
 * `export/document-match.ts`): finding an incoming id in the library, proposing documents from
 * the search index, the documents of unplaced annotations, a codebook's colours. Lookups made once
 * per annotation are prepared once per import and handed back as functions; the caller holds the
 * transaction (or `commitInBatches`) when they write.
 */
import type { Database } from 'better-sqlite3';

/** Where an annotation of the library lives, for merging an incoming one with the same id. */
export interface AnnotationHome {
  id: string;
  document_id: number;
  modified: string;
  status: 'anchored' | 'orphaned';
  source_name: string;
}

/** Looks an annotation id up (its document, stamp, status and the document's source name). */
export function annotationHomes(db: Database): (id: string) => AnnotationHome | undefined {
  const statement = db.prepare('SELECT a.id, a.document_id, a.modified, a.status, d.source_name FROM annotations a JOIN documents d ON d.id = a.document_id WHERE a.id = ?');
  return (id) => statement.get(id) as AnnotationHome | undefined;
}

/** The documents whose blocks' search shadow matches an FTS5 query (a quoted phrase), at most `limit`. */
export function documentsMatching(db: Database, limit: number): (ftsQuery: string) => number[] {
  const statement = db.prepare(`SELECT DISTINCT b.document_id AS id FROM blocks_fts f JOIN blocks b ON b.id = f.rowid WHERE blocks_fts MATCH ? LIMIT ${Math.trunc(limit)}`);
  return (ftsQuery) => (statement.all(ftsQuery) as { id: number }[]).map((r) => r.id);
}

/** Documents of this source name that hold no annotation (a holding document whose annotations all moved out). */
export function documentsWithoutAnnotations(db: Database, sourceName: string): number[] {
  const rows = db.prepare('SELECT id FROM documents d WHERE source_name = ? AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.document_id = d.id)').all(sourceName) as { id: number }[];
  return rows.map((r) => r.id);
}

/** Gives a tag a colour unless it has one (a codebook's colour never overrides the library's). */
export function colorTagIfUncolored(db: Database, path: string, color: string): void {
  db.prepare('UPDATE tags SET color = ? WHERE path = ? AND color IS NULL').run(color, path);
}

/** Puts a detached annotation back on a passage found for it (its stamps are the caller's to set). */
export function attachAgain(db: Database, id: string, start: number, end: number, quote: { exact: string; prefix: string; suffix: string }): void {
  db.prepare("UPDATE annotations SET start = ?, end = ?, exact = ?, prefix = ?, suffix = ?, status = 'anchored' WHERE id = ?").run(start, end, quote.exact, quote.prefix, quote.suffix, id);
}
