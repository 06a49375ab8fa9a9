/** Hierarchical tags (`claim/factual`) and their links to annotations. */
import type { Database } from 'better-sqlite3';
import type { Tag } from '../../common/model.js';
import { GlossError } from '../../common/api.js';
import { isTagWithin, normalizeTagPath, tagAncestors } from '../../common/tag-path.js';
import { logTagRename } from './team.js';

/** Returns the tag's id, creating it (and its ancestors, so the tree is whole) when missing. */
export function ensureTag(db: Database, rawPath: string): number {
  const path = normalizeTagPath(rawPath);
  const find = db.prepare('SELECT id FROM tags WHERE path = ?');
  const add = db.prepare('INSERT INTO tags (path) VALUES (?)');
  let id = 0;
  for (const p of tagAncestors(path)) {
    const row = find.get(p) as { id: number } | undefined;
    id = row ? row.id : Number(add.run(p).lastInsertRowid);
  }
  return id;
}

export function listTags(db: Database): Tag[] {
  return db
    .prepare(
      `SELECT t.id, t.path, t.color, count(at.tag_id) AS count
       FROM tags t LEFT JOIN annotation_tags at ON at.tag_id = t.id
       GROUP BY t.id ORDER BY t.path`,
    )
    .all() as Tag[];
}

export function getTag(db: Database, path: string): Tag | undefined {
  return listTags(db).find((t) => t.path === path);
}

export function tagsOf(db: Database, annotationRid: number): string[] {
  return (
    db
      .prepare('SELECT t.path FROM annotation_tags at JOIN tags t ON t.id = at.tag_id WHERE at.annotation_rid = ? ORDER BY t.path')
      .all(annotationRid) as { path: string }[]
  ).map((r) => r.path);
}

export function setTags(db: Database, annotationRid: number, paths: readonly string[]): void {
  db.prepare('DELETE FROM annotation_tags WHERE annotation_rid = ?').run(annotationRid);
  const link = db.prepare('INSERT OR IGNORE INTO annotation_tags (annotation_rid, tag_id) VALUES (?, ?)');
  for (const p of paths) link.run(annotationRid, ensureTag(db, p));
}

/**
 * Renames a tag and everything below it (`claim` -> `assertion` moves `claim/factual` too).
 * Renaming onto an existing path merges into it. Nesting is a rename under a new parent.
 * The caller holds the transaction. Returns the number of tags changed.
 */
export function renameTag(db: Database, rawFrom: string, rawTo: string): number {
  const from = normalizeTagPath(rawFrom);
  const to = normalizeTagPath(rawTo);
  if (from === to) return 0;
  if (isTagWithin(to, from)) throw new GlossError(`Cannot move tag "${from}" inside itself ("${to}")`, 'tag-inside-itself', { from, to });
  const all = db.prepare('SELECT id, path FROM tags').all() as { id: number; path: string }[];
  const moving = all.filter((t) => isTagWithin(t.path, from));
  if (moving.length === 0) throw new GlossError(`No tag "${from}"`, 'tag-not-found', { tag: from });
  const byPath = new Map(all.map((t) => [t.path, t.id]));
  const relink = db.prepare('INSERT OR IGNORE INTO annotation_tags (annotation_rid, tag_id) SELECT annotation_rid, ? FROM annotation_tags WHERE tag_id = ?');
  const drop = db.prepare('DELETE FROM tags WHERE id = ?');
  const rename = db.prepare('UPDATE tags SET path = ? WHERE id = ?');
  // Longest paths first so that children move before their parents are renamed.
  for (const t of moving.sort((a, b) => b.path.length - a.path.length)) {
    const newPath = to + t.path.slice(from.length);
    const existing = byPath.get(newPath);
    if (existing !== undefined && existing !== t.id) {
      relink.run(existing, t.id);
      drop.run(t.id);
    } else {
      rename.run(newPath, t.id);
    }
  }
  for (const p of tagAncestors(to).slice(0, -1)) ensureTag(db, p);
  logTagRename(db, from, to);
  return moving.length;
}

export function recolorTag(db: Database, rawPath: string, color: string | null): Tag {
  const path = normalizeTagPath(rawPath);
  const r = db.prepare('UPDATE tags SET color = ? WHERE path = ?').run(color, path);
  if (r.changes === 0) throw new GlossError(`No tag "${path}"`, 'tag-not-found', { tag: path });
  return getTag(db, path)!;
}

/** What deleting tags took away, to put back on undo. */
export interface TagSnapshot {
  /** The deleted tags with their colours. */
  tags: { path: string; color: string | null }[];
  /** Which annotation carried which deleted tag. */
  carried: { annotation: string; path: string }[];
  /** Tags given to annotations in place of a deleted one (moved to the parent), to take back. */
  added: { annotation: string; path: string }[];
}

/**
 * Deletes a tag and everything below it. Annotations that carry one of them lose it (`remove`) or
 * get the deleted tag's parent instead (`parent`; a top-level tag has none, so this is `remove`).
 * The caller holds the transaction. Returns what was taken, for undo.
 */
export function deleteTag(db: Database, rawPath: string, mode: 'remove' | 'parent'): TagSnapshot {
  const path = normalizeTagPath(rawPath);
  const doomed = (db.prepare('SELECT id, path, color FROM tags').all() as { id: number; path: string; color: string | null }[]).filter((t) => isTagWithin(t.path, path));
  if (doomed.length === 0) throw new GlossError(`No tag "${path}"`, 'tag-not-found', { tag: path });
  const carried: TagSnapshot['carried'] = [];
  const who = db.prepare('SELECT a.id, a.rid FROM annotation_tags at JOIN annotations a ON a.rid = at.annotation_rid WHERE at.tag_id = ?');
  const rids = new Map<string, number>();
  for (const t of doomed) {
    for (const r of who.all(t.id) as { id: string; rid: number }[]) {
      carried.push({ annotation: r.id, path: t.path });
      rids.set(r.id, r.rid);
    }
  }
  const added: TagSnapshot['added'] = [];
  const parent = tagAncestors(path).slice(-2, -1)[0];
  if (mode === 'parent' && parent !== undefined) {
    const parentId = ensureTag(db, parent);
    const has = db.prepare('SELECT 1 FROM annotation_tags WHERE annotation_rid = ? AND tag_id = ?');
    const link = db.prepare('INSERT INTO annotation_tags (annotation_rid, tag_id) VALUES (?, ?)');
    for (const [id, rid] of rids) {
      if (has.get(rid, parentId)) continue;
      link.run(rid, parentId);
      added.push({ annotation: id, path: parent });
    }
  }
  const drop = db.prepare('DELETE FROM tags WHERE id = ?');
  for (const t of doomed) drop.run(t.id);
  return { tags: doomed.map((t) => ({ path: t.path, color: t.color })), carried, added };
}

/** Tags that no annotation carries, themselves or below them. */
export function unusedTags(db: Database): string[] {
  const tags = listTags(db);
  const used = tags.filter((t) => t.count > 0).map((t) => t.path);
  return tags.filter((t) => !used.some((u) => isTagWithin(u, t.path))).map((t) => t.path);
}

/** Puts back what `deleteTag` took: the tags, their colours, and who carried them. Annotations deleted since are skipped. */
export function restoreTags(db: Database, snapshot: TagSnapshot): void {
  const ridOf = db.prepare('SELECT rid FROM annotations WHERE id = ?');
  const unlink = db.prepare('DELETE FROM annotation_tags WHERE annotation_rid = ? AND tag_id = (SELECT id FROM tags WHERE path = ?)');
  for (const a of snapshot.added) {
    const r = ridOf.get(a.annotation) as { rid: number } | undefined;
    if (r) unlink.run(r.rid, a.path);
  }
  const color = db.prepare('UPDATE tags SET color = ? WHERE id = ?');
  for (const t of snapshot.tags) color.run(t.color, ensureTag(db, t.path));
  const link = db.prepare('INSERT OR IGNORE INTO annotation_tags (annotation_rid, tag_id) VALUES (?, ?)');
  for (const c of snapshot.carried) {
    const r = ridOf.get(c.annotation) as { rid: number } | undefined;
    if (r) link.run(r.rid, ensureTag(db, c.path));
  }
}

/** Keeps what a tag deletion took (for undo, a day), forgetting older ones. Returns its id. */
export function keepTagTombstone(db: Database, snapshot: TagSnapshot, now: Date): number {
  db.prepare('DELETE FROM tag_tombstones WHERE deleted < ?').run(new Date(now.getTime() - 86_400_000).toISOString());
  return Number(db.prepare('INSERT INTO tag_tombstones (deleted, snapshot) VALUES (?, ?)').run(now.toISOString(), JSON.stringify(snapshot)).lastInsertRowid);
}

/** Takes a kept tag deletion out, for undo; undefined when there is none (or it is older than a day). */
export function takeTagTombstone(db: Database, id: number): TagSnapshot | undefined {
  const row = db.prepare('SELECT snapshot FROM tag_tombstones WHERE id = ?').get(id) as { snapshot: string } | undefined;
  if (!row) return undefined;
  db.prepare('DELETE FROM tag_tombstones WHERE id = ?').run(id);
  return JSON.parse(row.snapshot) as TagSnapshot;
}
