/**
 * Team libraries (migration v9): the connection to a team server, what this library shares, the
 * Yjs state of each shared document as this library knows it, and the updates the server has not
 * acknowledged yet. The Yjs state is opaque bytes here; src/main/team/ gives it meaning.
 */
import type { Database } from 'better-sqlite3';
import type { Annotation } from '../../common/model.js';
import { foldText } from '../../common/text/fold.js';
import { ensureTag, setTags } from './tags.js';

export interface TeamConnection {
  url: string;
  token: string;
  member: string;
  joined: string;
  lastSync: string | null;
}

export function getConnection(db: Database): TeamConnection | undefined {
  const r = db.prepare('SELECT url, token, member, joined, last_sync FROM team_connection WHERE id = 1').get() as
    | { url: string; token: string; member: string; joined: string; last_sync: string | null }
    | undefined;
  return r && { url: r.url, token: r.token, member: r.member, joined: r.joined, lastSync: r.last_sync };
}

/** Joins (or re-joins, keeping what is shared) a team. */
export function setConnection(db: Database, c: Omit<TeamConnection, 'lastSync'>): void {
  db.prepare(
    `INSERT INTO team_connection (id, url, token, member, joined) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET url = excluded.url, token = excluded.token, member = excluded.member`,
  ).run(c.url, c.token, c.member, c.joined);
}

export function setLastSync(db: Database, at: string): void {
  db.prepare('UPDATE team_connection SET last_sync = ? WHERE id = 1').run(at);
}

export interface SharedText {
  textId: string;
  documentId: number | null;
  contentSent: string | null;
  shared: string;
}

export function sharedTexts(db: Database): SharedText[] {
  return (db.prepare('SELECT text_id, document_id, content_sent, shared FROM team_texts ORDER BY shared, text_id').all() as {
    text_id: string;
    document_id: number | null;
    content_sent: string | null;
    shared: string;
  }[]).map((r) => ({ textId: r.text_id, documentId: r.document_id, contentSent: r.content_sent, shared: r.shared }));
}

export function addSharedText(db: Database, textId: string, documentId: number, shared: string): void {
  db.prepare('INSERT INTO team_texts (text_id, document_id, shared) VALUES (?, ?, ?) ON CONFLICT(text_id) DO UPDATE SET document_id = excluded.document_id').run(textId, documentId, shared);
}

export function setContentSent(db: Database, textId: string, hash: string): void {
  db.prepare('UPDATE team_texts SET content_sent = ? WHERE text_id = ?').run(hash, textId);
}

export interface SharedPair {
  pairUuid: string;
  pairId: number | null;
  shared: string;
}

export function sharedPairs(db: Database): SharedPair[] {
  return (db.prepare('SELECT pair_uuid, pair_id, shared FROM team_pairs ORDER BY shared, pair_uuid').all() as { pair_uuid: string; pair_id: number | null; shared: string }[]).map((r) => ({
    pairUuid: r.pair_uuid,
    pairId: r.pair_id,
    shared: r.shared,
  }));
}

export function addSharedPair(db: Database, pairUuid: string, pairId: number, shared: string): void {
  db.prepare('INSERT INTO team_pairs (pair_uuid, pair_id, shared) VALUES (?, ?, ?) ON CONFLICT(pair_uuid) DO UPDATE SET pair_id = excluded.pair_id').run(pairUuid, pairId, shared);
}

// Yjs state and pending updates ---------------------------------------------------------------

export function docState(db: Database, name: string): Uint8Array | undefined {
  const r = db.prepare('SELECT state FROM team_docs WHERE name = ?').get(name) as { state: Buffer } | undefined;
  return r && new Uint8Array(r.state);
}

export function saveDocState(db: Database, name: string, state: Uint8Array, now: string): void {
  db.prepare('INSERT INTO team_docs (name, state, saved) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET state = excluded.state, saved = excluded.saved').run(name, Buffer.from(state), now);
}

export function addPending(db: Database, doc: string, update: Uint8Array, now: string): number {
  return Number(db.prepare('INSERT INTO team_pending (doc, bytes, created) VALUES (?, ?, ?)').run(doc, Buffer.from(update), now).lastInsertRowid);
}

export function pendingUpdates(db: Database, doc?: string): { id: number; doc: string; update: Uint8Array }[] {
  const rows = (doc === undefined ? db.prepare('SELECT id, doc, bytes FROM team_pending ORDER BY id').all() : db.prepare('SELECT id, doc, bytes FROM team_pending WHERE doc = ? ORDER BY id').all(doc)) as {
    id: number;
    doc: string;
    bytes: Buffer;
  }[];
  return rows.map((r) => ({ id: r.id, doc: r.doc, update: new Uint8Array(r.bytes) }));
}

export function pendingCount(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM team_pending').get() as { n: number }).n;
}

/** Forgets the pending updates of `doc` up to `uptoId`: the server acknowledged them. */
export function dropPending(db: Database, doc: string, uptoId: number): number {
  return db.prepare('DELETE FROM team_pending WHERE doc = ? AND id <= ?').run(doc, uptoId).changes;
}

export function maxPendingId(db: Database): number {
  return (db.prepare('SELECT coalesce(max(id), 0) AS n FROM team_pending').get() as { n: number }).n;
}

// Tag renames ----------------------------------------------------------------------------------

/**
 * Notes a tag rename or merge for the team's codebook, when this library is in a team: the sync
 * module turns it into a `movedTo` entry, so that uses of the old path elsewhere follow it.
 */
export function logTagRename(db: Database, from: string, to: string): void {
  db.prepare('INSERT INTO team_tag_renames (from_path, to_path, at) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM team_connection)').run(from, to, new Date().toISOString());
}

export function tagRenames(db: Database): { id: number; from: string; to: string }[] {
  return db.prepare('SELECT id, from_path AS "from", to_path AS "to" FROM team_tag_renames ORDER BY id').all() as { id: number; from: string; to: string }[];
}

export function dropTagRenames(db: Database, uptoId: number): void {
  db.prepare('DELETE FROM team_tag_renames WHERE id <= ?').run(uptoId);
}

export function lastTagRenameId(db: Database): number {
  return (db.prepare('SELECT coalesce(max(id), 0) AS n FROM team_tag_renames').get() as { n: number }).n;
}

// Rows written from the team's state -------------------------------------------------------------

/** The live annotation ids and tombstoned ids of a document. */
export function annotationIds(db: Database, documentId: number): { live: Set<string>; buried: Map<string, string> } {
  const live = new Set((db.prepare('SELECT id FROM annotations WHERE document_id = ?').all(documentId) as { id: string }[]).map((r) => r.id));
  const buried = new Map((db.prepare('SELECT id, deleted FROM annotation_tombstones WHERE document_id = ?').all(documentId) as { id: string; deleted: string }[]).map((r) => [r.id, r.deleted]));
  return { live, buried };
}

export function setAuthor(db: Database, id: string, author: string): void {
  db.prepare('UPDATE annotations SET author = ? WHERE id = ?').run(author, id);
}

/**
 * Writes an annotation exactly as the team has it (every column, tags, the note's search row),
 * inserting or updating by id; a tombstone of the same id is dropped (it came back).
 */
export function writeAnnotation(db: Database, a: Annotation): void {
  db.prepare('DELETE FROM annotation_tombstones WHERE id = ?').run(a.id);
  db.prepare(
    `INSERT INTO annotations (id, document_id, start, end, exact, prefix, suffix, color, note, status, created, modified, author)
     VALUES (@id, @documentId, @start, @end, @exact, @prefix, @suffix, @color, @note, @status, @created, @modified, @author)
     ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id, start = excluded.start, end = excluded.end, exact = excluded.exact,
       prefix = excluded.prefix, suffix = excluded.suffix, color = excluded.color, note = excluded.note, status = excluded.status,
       created = excluded.created, modified = excluded.modified, author = excluded.author`,
  ).run({ ...a, author: a.author ?? '' });
  const rid = (db.prepare('SELECT rid FROM annotations WHERE id = ?').get(a.id) as { rid: number }).rid;
  setTags(db, rid, a.tags);
  db.prepare('DELETE FROM notes_fts WHERE rowid = ?').run(rid);
  if (a.note) db.prepare('INSERT INTO notes_fts (rowid, folded) VALUES (?, ?)').run(rid, foldText(a.note));
}

/** Removes a tag row no annotation carries (a tag the team deleted). False when it is in use. */
export function dropUnusedTag(db: Database, path: string): boolean {
  return db.prepare('DELETE FROM tags WHERE path = ? AND NOT EXISTS (SELECT 1 FROM annotation_tags at WHERE at.tag_id = tags.id)').run(path).changes > 0;
}

export function setTagColor(db: Database, path: string, color: string | null): void {
  db.prepare('UPDATE tags SET color = ? WHERE path = ?').run(color, path);
}

/**
 * Moves every use of the tag `from` to `to` (created when missing) and removes `from`: the
 * codebook says it was renamed or merged. Its subtree is moved by the caller, path by path.
 */
export function moveTagUses(db: Database, from: string, to: string): void {
  const source = db.prepare('SELECT id FROM tags WHERE path = ?').get(from) as { id: number } | undefined;
  if (!source) return;
  const target = ensureTag(db, to);
  db.prepare('INSERT OR IGNORE INTO annotation_tags (annotation_rid, tag_id) SELECT annotation_rid, ? FROM annotation_tags WHERE tag_id = ?').run(target, source.id);
  db.prepare('DELETE FROM tags WHERE id = ?').run(source.id);
}

/** A document's tombstones with the annotation each keeps (see store/tombstones.ts). */
export function tombstonesOf(db: Database, documentId: number): { id: string; deleted: string; annotation: Annotation }[] {
  const rows = db.prepare('SELECT id, deleted, record FROM annotation_tombstones WHERE document_id = ? ORDER BY id').all(documentId) as { id: string; deleted: string; record: string }[];
  return rows.map((r) => ({ id: r.id, deleted: r.deleted, annotation: (JSON.parse(r.record) as { annotation: Annotation }).annotation }));
}

/** Keeps a tombstone for an annotation this library never held (the team deleted it), so it can be undeleted here too. */
export function insertTombstone(db: Database, a: Annotation, deleted: string): void {
  const hash = (db.prepare('SELECT content_hash FROM documents WHERE id = ?').get(a.documentId) as { content_hash: string }).content_hash;
  db.prepare('INSERT OR IGNORE INTO annotation_tombstones (id, document_id, deleted, content_hash, record) VALUES (?, ?, ?, ?, ?)').run(a.id, a.documentId, deleted, hash, JSON.stringify({ annotation: a, links: [] }));
}

/** The text a document had when its content hash was `hash` (its newest such revision), if kept. */
export function revisionText(db: Database, documentId: number, hash: string): string | undefined {
  return (db.prepare('SELECT text FROM revisions WHERE document_id = ? AND content_hash = ? ORDER BY id DESC LIMIT 1').get(documentId, hash) as { text: string } | undefined)?.text;
}

/** The member name the server verified replaces the one given at join. */
export function setMember(db: Database, member: string): void {
  db.prepare('UPDATE team_connection SET member = ? WHERE id = 1').run(member);
}
