/**
 * The two directions between a library's rows and the team's Yjs state.
 *
 * `scan*` reads the rows and writes what differs into the Yjs documents (the caller runs it under
 * the LOCAL origin, so that it becomes pending updates); `project*` writes the Yjs state into the
 * rows. After a projection the rows equal the state, so the next scan finds exactly the changes
 * made locally since: no per-row bookkeeping, and nothing read back from the team is sent again.
 */
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import {
  CODEBOOK_TAGS,
  TEXT_ANNOTATIONS,
  TEXT_META,
  TEXT_TOMBSTONES,
  type CodebookTag,
} from '../../common/team-protocol.js';
import type { Annotation, Color } from '../../common/model.js';
import { isTagWithin, TAG_SEPARATOR } from '../../common/tag-path.js';
import { reanchor } from '../../common/anchor/anchor.js';
import { quoteSelector } from '../../common/text/canonical.js';
import { listAnnotations } from '../store/annotations.js';
import { getCanonicalText, getSummary } from '../store/documents.js';
import { ensureTag, listTags } from '../store/tags.js';
import { buryAnnotation } from '../store/tombstones.js';
import { annotationIds, dropTagRenames, dropUnusedTag, insertTombstone, moveTagUses, revisionText, setAuthor, setTagColor, tagRenames, tombstonesOf, writeAnnotation } from '../store/team.js';

const documentHash = (db: Database, documentId: number): string => getSummary(db, documentId)!.contentHash;

/** The scalar fields of an annotation's Y.Map (its note is a Y.Text, its tags a Y.Map). */
const SCALARS = ['start', 'end', 'exact', 'prefix', 'suffix', 'color', 'status', 'author', 'created', 'modified'] as const;
type Scalar = (typeof SCALARS)[number];

type YAnnotation = Y.Map<unknown>;

/** Changes `text` into `to` by one deletion and one insertion between the common head and tail, so concurrent edits elsewhere in the note merge. */
export function applyTextDiff(text: Y.Text, to: string): void {
  const from = text.toString();
  if (from === to) return;
  let head = 0;
  const max = Math.min(from.length, to.length);
  while (head < max && from.charCodeAt(head) === to.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && from.charCodeAt(from.length - 1 - tail) === to.charCodeAt(to.length - 1 - tail)) tail++;
  // Never split a surrogate pair: widen to the pair's edges.
  if (head > 0 && isHigh(from.charCodeAt(head - 1))) head--;
  if (tail > 0 && isLow(from.charCodeAt(from.length - tail))) tail--;
  const removed = from.length - head - tail;
  if (removed > 0) text.delete(head, removed);
  const inserted = to.slice(head, to.length - tail);
  if (inserted) text.insert(head, inserted);
}
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Where a tag path lives now, following `movedTo` redirects of itself or its nearest moved
 * ancestor (`claim/x` after `claim` → `assertion` is `assertion/x`). A cycle of concurrent
 * renames stops where it closes: the answer is a function of the codebook alone, so every
 * replica reads the same.
 */
export function tagResolver(tags: Y.Map<CodebookTag>): (path: string) => string {
  return (path) => {
    const seen = new Set<string>();
    let cur = path;
    while (!seen.has(cur) && seen.size < 64) {
      seen.add(cur);
      const parts = cur.split(TAG_SEPARATOR);
      let k = parts.length;
      let moved: string | undefined;
      for (; k > 0; k--) {
        moved = tags.get(parts.slice(0, k).join(TAG_SEPARATOR))?.movedTo;
        if (moved) break;
      }
      if (!moved) return cur;
      cur = [moved, ...parts.slice(k)].join(TAG_SEPARATOR);
    }
    return cur;
  };
}

/** The annotation a Y.Map holds, or a reason it cannot be read (a malformed entry from a peer). */
export function readAnnotation(y: YAnnotation, id: string, documentId: number, resolve: (p: string) => string): Annotation | string {
  const v = Object.fromEntries(SCALARS.map((k) => [k, y.get(k)])) as Record<Scalar, unknown>;
  if (!Number.isInteger(v.start) || !Number.isInteger(v.end) || (v.end as number) < (v.start as number)) return `annotation ${id} has no valid range`;
  for (const k of ['exact', 'prefix', 'suffix', 'color', 'created', 'modified'] as const) if (typeof v[k] !== 'string') return `annotation ${id} has no ${k}`;
  const note = y.get('note');
  const tags = y.get('tags');
  const paths = tags instanceof Y.Map ? [...new Set([...tags.keys()].map(resolve))].sort() : [];
  const a: Annotation = {
    id,
    documentId,
    start: v.start as number,
    end: v.end as number,
    exact: v.exact as string,
    prefix: v.prefix as string,
    suffix: v.suffix as string,
    color: v.color as Color,
    note: note instanceof Y.Text ? note.toString() : '',
    status: v.status === 'orphaned' ? 'orphaned' : 'anchored',
    tags: paths,
    created: v.created as string,
    modified: v.modified as string,
  };
  if (typeof v.author === 'string' && v.author) a.author = v.author;
  return a;
}

function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return (
    SCALARS.every((k) => (a[k] ?? '') === (b[k] ?? '')) && a.note === b.note && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i])
  );
}

function writeFields(y: YAnnotation, a: Annotation): void {
  for (const k of SCALARS) {
    const value = a[k] ?? '';
    if (y.get(k) !== value) y.set(k, value);
  }
  let note = y.get('note');
  if (!(note instanceof Y.Text)) {
    note = new Y.Text();
    y.set('note', note);
  }
  applyTextDiff(note as Y.Text, a.note);
  let tags = y.get('tags');
  if (!(tags instanceof Y.Map)) {
    tags = new Y.Map<boolean>();
    y.set('tags', tags);
  }
  const t = tags as Y.Map<boolean>;
  const want = new Set(a.tags);
  for (const k of [...t.keys()]) if (!want.has(k)) t.delete(k);
  for (const k of want) if (!t.has(k)) t.set(k, true);
}

/**
 * Local annotations of one document into its text doc: new and changed ones written field by
 * field (the note as a text diff, tags key by key), deleted ones tombstoned, undeleted ones
 * un-tombstoned. Annotations without an author get the member's name, in the row too.
 */
export function scanText(db: Database, doc: Y.Doc, documentId: number, member: string, now: string, hash = documentHash(db, documentId)): void {
  const anns = doc.getMap<YAnnotation>(TEXT_ANNOTATIONS);
  const tombs = doc.getMap<string>(TEXT_TOMBSTONES);
  // The text changed here since the last sync (an update, an edit, a restore): a new revision.
  const meta = doc.getMap<unknown>(TEXT_META);
  if (meta.get('currentHash') !== hash) {
    let revisions = meta.get('revisions');
    if (!(revisions instanceof Y.Array)) {
      revisions = new Y.Array<unknown>();
      meta.set('revisions', revisions);
    }
    (revisions as Y.Array<unknown>).push([{ hash, by: member, at: now }]);
    meta.set('currentHash', hash);
  }
  const { buried } = annotationIds(db, documentId);
  const rows = listAnnotations(db, documentId);
  for (const a of rows) {
    if (!a.author) {
      setAuthor(db, a.id, member);
      a.author = member;
    }
    let y = anns.get(a.id);
    if (!(y instanceof Y.Map)) {
      y = new Y.Map<unknown>();
      anns.set(a.id, y);
    }
    writeFields(y, a);
    if (y.get('hash') !== hash) y.set('hash', hash);
    if (tombs.has(a.id)) tombs.delete(a.id);
  }
  const live = new Set(rows.map((a) => a.id));
  for (const id of [...anns.keys()]) {
    if (!live.has(id) && !tombs.has(id)) tombs.set(id, buried.get(id) ?? now);
  }
  // Made and deleted here between two syncs: the team gets it deleted, so anyone can undelete it.
  for (const t of tombstonesOf(db, documentId)) {
    if (anns.has(t.id)) continue;
    const y = new Y.Map<unknown>();
    anns.set(t.id, y);
    writeFields(y, { ...t.annotation, author: t.annotation.author || member });
    tombs.set(t.id, t.deleted);
  }
}

export interface Projection {
  written: number;
  deleted: number;
  /** Entries that could not be read, with why. */
  skipped: string[];
}

/** The text doc's annotations into the rows of one document (the caller holds the transaction). */
/**
 * Where an annotation whose positions refer to another revision of the text (`hash`) sits in this
 * library's text: the row's own place when this library re-anchored it with the text, else
 * re-anchored here from that revision's text (kept in `revisions`), else detached.
 */
function placeInText(a: Annotation, had: Annotation | undefined, oldText: string | undefined, text: string): Annotation {
  if (had) return { ...a, start: had.start, end: had.end, exact: had.exact, prefix: had.prefix, suffix: had.suffix, status: had.status };
  if (oldText !== undefined) {
    const [r] = reanchor([{ id: a.id, start: a.start, end: a.end, exact: a.exact, prefix: a.prefix, suffix: a.suffix, status: a.status }], oldText, text);
    if (r && r.status !== 'orphaned') {
      const q = quoteSelector(text, r.start, r.end);
      return { ...a, start: r.start, end: r.end, exact: q.exact, prefix: q.prefix, suffix: q.suffix, status: 'anchored' };
    }
  }
  const at = Math.min(a.start, text.length);
  return { ...a, start: at, end: at, status: 'orphaned' };
}

export function projectText(db: Database, doc: Y.Doc, documentId: number, resolve: (p: string) => string, out: Projection): void {
  const hash = documentHash(db, documentId);
  let text: string | undefined;
  const anns = doc.getMap<YAnnotation>(TEXT_ANNOTATIONS);
  const tombs = doc.getMap<string>(TEXT_TOMBSTONES);
  const { live, buried } = annotationIds(db, documentId);
  const current = new Map(listAnnotations(db, documentId).map((a) => [a.id, a]));
  for (const [id, y] of anns) {
    const deleted = tombs.get(id);
    if (deleted !== undefined) {
      const at = typeof deleted === 'string' ? deleted : new Date().toISOString();
      if (live.has(id)) {
        buryAnnotation(db, id, at);
        out.deleted++;
      } else if (!buried.has(id) && y instanceof Y.Map) {
        // Deleted before it reached this library: its tombstone is kept here too.
        const a = readAnnotation(y, id, documentId, resolve);
        if (typeof a !== 'string') insertTombstone(db, a, at);
      }
      continue;
    }
    if (!(y instanceof Y.Map)) {
      out.skipped.push(`annotation ${id} is not a map`);
      continue;
    }
    let a = readAnnotation(y, id, documentId, resolve);
    if (typeof a === 'string') {
      out.skipped.push(a);
      continue;
    }
    const had = current.get(id);
    const at = y.get('hash');
    if (typeof at === 'string' && at !== hash) {
      text ??= getCanonicalText(db, documentId);
      a = placeInText(a, had, revisionText(db, documentId, at), text);
    }
    if (had && sameAnnotation(had, a)) continue;
    writeAnnotation(db, a);
    out.written++;
  }
}

const tagEntry = (color: string | null): CodebookTag => (color ? { color } : {});

/**
 * The library's tag tree into the codebook: renames and merges (logged by store/tags.ts) become
 * `movedTo` redirects on the old paths and their subtrees; then every local tag is written live
 * with its colour, and live codebook tags missing here are deleted.
 */
export function scanCodebook(db: Database, doc: Y.Doc): void {
  const tags = doc.getMap<CodebookTag>(CODEBOOK_TAGS);
  const renames = tagRenames(db);
  for (const r of renames) {
    for (const [path, entry] of [...tags.entries()]) {
      if (isTagWithin(path, r.from) && !entry.movedTo) tags.set(path, { movedTo: r.to + path.slice(r.from.length) });
    }
    if (tags.get(r.from)?.movedTo !== r.to) tags.set(r.from, { movedTo: r.to });
  }
  if (renames.length) dropTagRenames(db, renames[renames.length - 1]!.id);
  const local = listTags(db);
  const here = new Set(local.map((t) => t.path));
  for (const t of local) {
    const e = tags.get(t.path);
    if (!e || e.movedTo !== undefined || (e.color ?? null) !== (t.color ?? null)) tags.set(t.path, tagEntry(t.color));
  }
  for (const [path, e] of [...tags.entries()]) {
    if (e.movedTo === undefined && !here.has(path)) tags.delete(path);
  }
}

/**
 * The codebook's redirects and live tags into the rows, before the annotations are projected:
 * every local tag that was moved has its uses moved, and every live tag exists with its colour.
 */
export function projectCodebookBefore(db: Database, doc: Y.Doc): (path: string) => string {
  const tags = doc.getMap<CodebookTag>(CODEBOOK_TAGS);
  const resolve = tagResolver(tags);
  const local = listTags(db).map((t) => t.path);
  for (const p of local) {
    const to = resolve(p);
    if (to !== p) moveTagUses(db, p, to);
  }
  for (const [path, e] of tags) {
    if (e.movedTo !== undefined) continue;
    // A live tag below a moved one (made on a side that had not heard of the move) moves too.
    const at = resolve(path);
    ensureTag(db, at);
    if (at === path) setTagColor(db, path, e.color ?? null);
  }
  return resolve;
}

/**
 * After the annotations: local tags the codebook no longer has go, unless an annotation carries
 * them or a tag below them (a tag deleted on one side while used on another stays: the use wins).
 */
export function projectCodebookAfter(db: Database, doc: Y.Doc, resolve: (path: string) => string): void {
  const tags = doc.getMap<CodebookTag>(CODEBOOK_TAGS);
  const local = listTags(db).sort((a, b) => b.path.length - a.path.length);
  const kept: string[] = [];
  for (const t of local) {
    const e = tags.get(t.path);
    const wanted = (e && e.movedTo === undefined && resolve(t.path) === t.path) || t.count > 0 || kept.some((k) => isTagWithin(k, t.path));
    if (wanted || !dropUnusedTag(db, t.path)) kept.push(t.path);
  }
}
