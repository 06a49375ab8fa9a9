/** Hierarchical tags (`claim/factual`) and their links to annotations. */
import type { Database } from 'better-sqlite3';
import type { Tag } from '../../common/model.js';
import { GlossError } from '../../common/api.js';
import { isTagWithin, normalizeTagPath, tagAncestors } from '../../common/tag-path.js';

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
  if (isTagWithin(to, from)) throw new GlossError(`Cannot move tag "${from}" inside itself ("${to}")`);
  const all = db.prepare('SELECT id, path FROM tags').all() as { id: number; path: string }[];
  const moving = all.filter((t) => isTagWithin(t.path, from));
  if (moving.length === 0) throw new GlossError(`No tag "${from}"`, 'not-found');
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
  return moving.length;
}

export function recolorTag(db: Database, rawPath: string, color: string | null): Tag {
  const path = normalizeTagPath(rawPath);
  const r = db.prepare('UPDATE tags SET color = ? WHERE path = ?').run(color, path);
  if (r.changes === 0) throw new GlossError(`No tag "${path}"`, 'not-found');
  return getTag(db, path)!;
}
