/**
 * Shared pairs and links between annotations, both ways between rows and Yjs state, as
 * sync-map.ts does for annotations: `scan*` writes what the rows hold and the state lacks (the
 * caller runs it under the LOCAL origin), `project*` writes the state into the rows. See
 * docs/ARCHITECTURE.md, "Team sync: the client", for the merge semantics.
 */
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { repairAlignment, type AlignmentBead } from '../../common/align/beads.js';
import type { BlockKind, Direction, Language } from '../../common/model.js';
import {
  PAIR_DRAFTS,
  PAIR_LINKS,
  PAIR_META,
  PAIR_UNITS,
  TEXT_LINKS,
  linkKey,
  unitKey,
  type LinkEntry,
  type PairMeta,
  type UnitState,
} from '../../common/team-protocol.js';
import { getBlocks, getSummary, insertDocument } from '../store/documents.js';
import { deleteLink, insertLink, linksBetween } from '../store/links.js';
import { getBeads, replaceBeads, setBlockText, setTranslationIdentity, type PairRow } from '../store/pairs.js';
import { annotationIds } from '../store/team.js';
import { applyTextDiff } from './sync-map.js';

type YUnit = Y.Map<unknown>;

const stateOf = (b: AlignmentBead): UnitState => (b.confirmed ? 'confirmed' : b.review ? 'needs_review' : 'proposed');
const indices = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x) && x >= 0) : []);
const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

// -- links ----------------------------------------------------------------------------------------

/**
 * Local links between documents x and y (x = y: within one text) into `links`: a new one added,
 * one removed here removed, unless one of its ends is not live here (deleted, or not arrived):
 * then the link stays in the team's state and comes back with the annotation.
 */
export function scanLinks(db: Database, links: Y.Map<LinkEntry>, x: number, y: number): void {
  const local = new Map(linksBetween(db, x, y).map((l) => [linkKey(l.a, l.b), l]));
  for (const [key, l] of local) if (!links.has(key)) links.set(key, { created: l.created });
  const live = liveIds(db, x, y);
  for (const key of [...links.keys()]) {
    if (local.has(key)) continue;
    const [a, b] = key.split(' ');
    if (a && b && live.has(a) && live.has(b)) links.delete(key);
  }
}

function liveIds(db: Database, x: number, y: number): Set<string> {
  const live = annotationIds(db, x).live;
  if (y !== x) for (const id of annotationIds(db, y).live) live.add(id);
  return live;
}

/** `links` into the rows: links whose two ends are live here made, local ones the state lacks removed. Returns how many changed. */
export function projectLinks(db: Database, links: Y.Map<LinkEntry>, x: number, y: number): number {
  const local = new Map(linksBetween(db, x, y).map((l) => [linkKey(l.a, l.b), l]));
  const live = liveIds(db, x, y);
  const xs = annotationIds(db, x).live;
  let changed = 0;
  for (const [key, entry] of links) {
    if (local.has(key)) continue;
    const [a, b] = key.split(' ');
    if (!a || !b || !live.has(a) || !live.has(b)) continue;
    // Within the scope: one end in each document (both in x when x = y).
    if (x !== y && xs.has(a) === xs.has(b)) continue;
    insertLink(db, a, b, typeof entry?.created === 'string' ? entry.created : new Date().toISOString());
    changed++;
  }
  for (const [key, l] of local) {
    if (links.has(key)) continue;
    deleteLink(db, l.a, l.b);
    changed++;
  }
  return changed;
}

/** A text doc's `links` (both ends in the text). */
export const textLinks = (doc: Y.Doc) => doc.getMap<LinkEntry>(TEXT_LINKS);

// -- pairs ----------------------------------------------------------------------------------------

export interface PairContext {
  pair: PairRow;
  sourceTextId: string;
  targetTextId: string;
}

function skeletonOf(db: Database, documentId: number): { kind: string; dir: string; depth: number }[] {
  return getBlocks(db, documentId).map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth }));
}

const sameSkeleton = (a: unknown, b: { kind: string; dir: string; depth: number }[]) =>
  Array.isArray(a) && a.length === b.length && a.every((x: { kind?: unknown; dir?: unknown; depth?: unknown }, i) => x?.kind === b[i]!.kind && x?.dir === b[i]!.dir && x?.depth === b[i]!.depth);

/** The pair's rows (units, a translation's drafts, cross-text links) into its pair doc. */
export function scanPair(db: Database, doc: Y.Doc, ctx: PairContext): void {
  const { pair } = ctx;
  const meta = doc.getMap<unknown>(PAIR_META);
  const set = (k: keyof PairMeta, v: unknown) => {
    if (meta.get(k) !== v) meta.set(k, v);
  };
  set('kind', pair.kind);
  set('source', ctx.sourceTextId);
  set('target', ctx.targetTextId);
  set('sourceHash', getSummary(db, pair.sourceId)!.contentHash);
  set('targetHash', getSummary(db, pair.targetId)!.contentHash);
  const units = doc.getMap<YUnit>(PAIR_UNITS);
  const beads = getBeads(db, pair.id);
  const keys = new Set<string>();
  for (const b of beads) {
    const key = unitKey(b.source, b.target);
    keys.add(key);
    let y = units.get(key);
    if (!(y instanceof Y.Map)) {
      y = new Y.Map<unknown>();
      units.set(key, y);
    }
    if (!sameList(indices(y.get('source')), b.source)) y.set('source', b.source);
    if (!sameList(indices(y.get('target')), b.target)) y.set('target', b.target);
    if (y.get('state') !== stateOf(b)) y.set('state', stateOf(b));
  }
  for (const key of [...units.keys()]) if (!keys.has(key)) units.delete(key);
  if (pair.kind === 'translation') {
    const skeleton = skeletonOf(db, pair.targetId);
    if (!sameSkeleton(meta.get('targetBlocks'), skeleton)) meta.set('targetBlocks', skeleton);
    const drafts = doc.getMap<Y.Text>(PAIR_DRAFTS);
    const blocks = getBlocks(db, pair.targetId);
    for (const b of blocks) {
      let text = drafts.get(String(b.index));
      if (!(text instanceof Y.Text)) {
        text = new Y.Text();
        drafts.set(String(b.index), text);
      }
      applyTextDiff(text, b.text);
    }
    for (const key of [...drafts.keys()]) if (Number(key) >= blocks.length) drafts.delete(key);
  }
  scanLinks(db, doc.getMap<LinkEntry>(PAIR_LINKS), pair.sourceId, pair.targetId);
}

/** The units a pair doc holds, in text order, made a valid alignment of n source and m target blocks. */
export function unitsOf(doc: Y.Doc, n: number, m: number): AlignmentBead[] {
  const raw: AlignmentBead[] = [];
  for (const y of doc.getMap<YUnit>(PAIR_UNITS).values()) {
    if (!(y instanceof Y.Map)) continue;
    const source = indices(y.get('source')).sort((a, b) => a - b);
    const target = indices(y.get('target')).sort((a, b) => a - b);
    if (!source.length && !target.length) continue;
    const state = y.get('state');
    raw.push({ source, target, confirmed: state === 'confirmed', ...(state === 'needs_review' ? { review: true } : {}) });
  }
  // Units with source blocks in source order (then target order); a unit of target blocks only
  // goes after the last unit whose targets start before it.
  const withSource = raw.filter((b) => b.source.length).sort((a, b) => a.source[0]! - b.source[0]! || (a.target[0] ?? -1) - (b.target[0] ?? -1));
  const targetOnly = raw.filter((b) => !b.source.length).sort((a, b) => a.target[0]! - b.target[0]!);
  const out = [...withSource];
  for (const u of targetOnly) {
    let at = 0;
    for (let i = 0; i < out.length; i++) if (out[i]!.target.length && out[i]!.target[0]! < u.target[0]!) at = i + 1;
    out.splice(at, 0, u);
  }
  return repairAlignment(out, n, m);
}

const sameBeads = (a: readonly AlignmentBead[], b: readonly AlignmentBead[]) =>
  a.length === b.length && a.every((x, i) => sameList(x.source, b[i]!.source) && sameList(x.target, b[i]!.target) && x.confirmed === b[i]!.confirmed && !!x.review === !!b[i]!.review);

export interface PairProjection {
  units: boolean;
  drafts: number;
  links: number;
  skipped: string[];
}

/**
 * The pair doc into the rows: units (when the doc's revisions are the texts' here), a
 * translation's drafts (block by block through `setBlockText`, so annotations on the target
 * move as when typed), then cross-text links.
 */
export function projectPair(db: Database, doc: Y.Doc, pair: PairRow): PairProjection {
  const out: PairProjection = { units: false, drafts: 0, links: 0, skipped: [] };
  const meta = doc.getMap<unknown>(PAIR_META);
  const sourceHash = getSummary(db, pair.sourceId)!.contentHash;
  const targetHash = getSummary(db, pair.targetId)!.contentHash;
  if (meta.get('sourceHash') === sourceHash && meta.get('targetHash') === targetHash) {
    const n = getBlocks(db, pair.sourceId).length;
    const targetBlocks = getBlocks(db, pair.targetId);
    const skeleton = meta.get('targetBlocks');
    const shapeOk = pair.kind !== 'translation' || !Array.isArray(skeleton) || skeleton.length === targetBlocks.length;
    if (!shapeOk) out.skipped.push(`pair ${pair.id}: the translation has ${targetBlocks.length} blocks here and ${(skeleton as unknown[]).length} in the team's copy; its units and drafts wait`);
    else {
      if (doc.getMap(PAIR_UNITS).size > 0) {
        const units = unitsOf(doc, n, targetBlocks.length);
        if (!sameBeads(units, getBeads(db, pair.id))) {
          replaceBeads(db, pair.id, units);
          out.units = true;
        }
      }
      if (pair.kind === 'translation') {
        const drafts = doc.getMap<Y.Text>(PAIR_DRAFTS);
        for (const b of targetBlocks) {
          const text = drafts.get(String(b.index));
          if (!(text instanceof Y.Text)) continue;
          const s = text.toString();
          if (s === b.text) continue;
          if (/[\n\r\u2028\u2029]/.test(s)) {
            out.skipped.push(`pair ${pair.id}: the draft of block ${b.index} holds a line break`);
            continue;
          }
          setBlockText(db, pair.targetId, b.index, s);
          out.drafts++;
        }
      }
    }
  } else if (typeof meta.get('sourceHash') === 'string') {
    out.skipped.push(`pair ${pair.id}: the team's units refer to other revisions of its texts; this library's carried units are kept`);
  }
  out.links = projectLinks(db, doc.getMap<LinkEntry>(PAIR_LINKS), pair.sourceId, pair.targetId);
  return out;
}

/**
 * A shared translation's target, made here from its pair doc (the blocks' shapes and drafts) and
 * its index entry: its content hash is the translation's identity (the text id), as where it was
 * started. Undefined when the pair doc does not hold it yet.
 */
export function insertTranslationTarget(db: Database, doc: Y.Doc, textId: string, title: string, language: Language, now: string): number | undefined {
  const meta = doc.getMap<unknown>(PAIR_META);
  const skeleton = meta.get('targetBlocks');
  if (meta.get('kind') !== 'translation' || !Array.isArray(skeleton) || skeleton.length === 0) return undefined;
  const drafts = doc.getMap<Y.Text>(PAIR_DRAFTS);
  const blocks = (skeleton as { kind: BlockKind; dir: Direction; depth: number }[]).map((b, i) => {
    const text = drafts.get(String(i));
    return { kind: b.kind, dir: b.dir, depth: Number.isInteger(b.depth) ? b.depth : 0, text: text instanceof Y.Text ? text.toString().replace(/[\n\r\u2028\u2029]/g, ' ') : '' };
  });
  const id = insertDocument(db, { title, language, blocks }, 'team', now, { hash: textId });
  setTranslationIdentity(db, id, textId);
  return id;
}
