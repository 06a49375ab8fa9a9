/**
 * Carrying an alignment through a change of one of its texts (a new version from a file, an edit,
 * a restored revision). Pure.
 *
 * The old and the new blocks of the changed side are matched through a diff of the two texts:
 * blocks at the start and the end that are the same stay as they are; between them, a word diff
 * (Myers) says which words each new block holds of which old block (a character diff, the one
 * re-anchoring uses, where there are too many words), and a new block comes from the old blocks
 * it holds at least half of (of the shorter of the two). Blocks that match one to one with the same text are *untouched*; a block edited in
 * place (or rewritten where it stood, between the same neighbours), split in two, or merged with
 * its neighbour is *changed*; an old block none of whose text is left is *removed*; a new block
 * made of new text is *inserted*.
 *
 * Then each unit (bead) of the alignment is carried:
 * - a unit whose blocks on the changed side are all untouched keeps its partners and its state
 *   (confirmed, needs review) exactly;
 * - a unit with a changed block keeps its partners but loses "confirmed" and is marked for review;
 *   units whose blocks were merged into one become one unit (marked for review);
 * - a removed block leaves its unit; a unit left with no block on the changed side keeps its
 *   blocks on the other side, now unpaired (marked for review): they are never shifted onto a
 *   neighbour;
 * - an inserted block becomes a unit of its own with no counterpart (marked for review).
 *
 * The blocks of the other text are not touched: every unit keeps its blocks there.
 */
import { diffTexts } from '../anchor/diff.js';
import { alignmentProblem, repairAlignment, type AlignmentBead } from './beads.js';

export type Side = 'source' | 'target';

/** How the blocks of one text map from an old version to a new one. */
export interface BlockMapping {
  /** For each old block: the new blocks it went into (empty: removed). */
  oldToNew: number[][];
  /** For each new block: the old blocks it came from (empty: inserted). */
  newToOld: number[][];
  /** For each old block: whether it is untouched (one to one, same text). */
  untouched: boolean[];
}

/** A new block takes an old block as an origin when they share this share of the shorter one's characters (less is what a character diff finds between any two sentences). */
const MIN_SHARE = 0.5;

/**
 * Matches old blocks to new blocks. The common head and tail (same texts in the same places) are
 * matched directly; the blocks between are matched by the characters a diff finds in both.
 */
export function mapBlocks(oldTexts: readonly string[], newTexts: readonly string[]): BlockMapping {
  const n = oldTexts.length;
  const m = newTexts.length;
  const oldToNew: number[][] = oldTexts.map(() => []);
  const newToOld: number[][] = newTexts.map(() => []);
  let head = 0;
  while (head < n && head < m && oldTexts[head] === newTexts[head]) {
    oldToNew[head]!.push(head);
    newToOld[head]!.push(head);
    head++;
  }
  let tail = 0;
  while (tail < n - head && tail < m - head && oldTexts[n - 1 - tail] === newTexts[m - 1 - tail]) {
    oldToNew[n - 1 - tail]!.push(m - 1 - tail);
    newToOld[m - 1 - tail]!.push(n - 1 - tail);
    tail++;
  }
  const oldMid = oldTexts.slice(head, n - tail);
  const newMid = newTexts.slice(head, m - tail);
  if (oldMid.length > 0 && newMid.length > 0) {
    // What old block i and new block j share: words, through a word diff (a character diff finds
    // chance letters in common between any two sentences); characters where there are too many
    // words to compare or no words at all.
    const shared = sharedWords(oldMid, newMid) ?? sharedCharacters(oldMid, newMid);
    const pairs: [number, number][] = [];
    for (const [key, count] of shared.counts) {
      const i = Math.floor(key / newMid.length);
      const j = key % newMid.length;
      const shorter = Math.min(shared.size(oldMid[i]!), shared.size(newMid[j]!));
      if (count > 0 && count >= MIN_SHARE * shorter) pairs.push([i, j]);
    }
    pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [i, j] of pairs) {
      oldToNew[head + i]!.push(head + j);
      newToOld[head + j]!.push(head + i);
    }
  }
  // A run of old blocks found nowhere, between the same neighbours as a run of as many new blocks
  // made of new text, was rewritten where it stood: paired one to one (changed), as a diff pairs
  // replaced lines, rather than called removed and inserted.
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && oldToNew[i]!.length > 0) {
      j = Math.max(j, Math.max(...oldToNew[i]!) + 1);
      i++;
      continue;
    }
    if (j < m && newToOld[j]!.length > 0) {
      i = Math.max(i, Math.max(...newToOld[j]!) + 1);
      j++;
      continue;
    }
    let i1 = i;
    while (i1 < n && oldToNew[i1]!.length === 0) i1++;
    let j1 = j;
    while (j1 < m && newToOld[j1]!.length === 0) j1++;
    if (i1 - i === j1 - j) {
      for (let k = 0; k < i1 - i; k++) {
        oldToNew[i + k]!.push(j + k);
        newToOld[j + k]!.push(i + k);
      }
    }
    i = i1;
    j = j1;
  }
  for (const list of newToOld) list.sort((x, y) => x - y);
  const untouched = oldToNew.map((to, i) => to.length === 1 && newToOld[to[0]!]!.length === 1 && oldTexts[i] === newTexts[to[0]!]);
  return { oldToNew, newToOld, untouched };
}

interface Shared {
  /** Units (words or characters) shared by old block i and new block j, by `i * newCount + j`. */
  counts: Map<number, number>;
  /** A block's size in the same units. */
  size: (text: string) => number;
}

const WORD = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
/** Word diffs beyond these are done by characters (`diffTexts`, which has caps of its own). */
const MAX_WORDS = 400_000;
const MAX_WORD_EDITS = 4_000;

function words(text: string): string[] {
  return text.normalize('NFC').match(WORD) ?? [];
}

/** Shared words of the blocks of two texts, by a word diff (Myers); null when it would cost too much. */
function sharedWords(oldMid: readonly string[], newMid: readonly string[]): Shared | null {
  const ids = new Map<string, number>();
  const encode = (blocks: readonly string[]) => {
    const tokens: number[] = [];
    const owner: number[] = [];
    for (const [k, t] of blocks.entries()) {
      for (const w of words(t)) {
        let id = ids.get(w);
        if (id === undefined) ids.set(w, (id = ids.size));
        tokens.push(id);
        owner.push(k);
      }
    }
    return { tokens: Int32Array.from(tokens), owner };
  };
  const a = encode(oldMid);
  const b = encode(newMid);
  if (a.tokens.length === 0 || b.tokens.length === 0 || a.tokens.length + b.tokens.length > MAX_WORDS) return null;
  const matched = lcs(a.tokens, b.tokens, MAX_WORD_EDITS);
  if (!matched) return null;
  const counts = new Map<number, number>();
  for (const [x, y] of matched) {
    const key = a.owner[x]! * newMid.length + b.owner[y]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, size: (text) => words(text).length };
}

/** The index pairs of a longest common subsequence of a and b (Myers' O(ND)); null past `maxD` edits. */
function lcs(a: Int32Array, b: Int32Array, maxD: number): [number, number][] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        // Walk back through the trace, collecting the diagonal (matched) steps.
        const out: [number, number][] = [];
        let cx = n;
        let cy = m;
        for (let dd = d; dd > 0; dd--) {
          const row = trace[dd]!;
          const at = (kk: number) => row[kk + dd + 1]!;
          const kk = cx - cy;
          const prevK = kk === -dd || (kk !== dd && at(kk - 1) < at(kk + 1)) ? kk + 1 : kk - 1;
          const px = at(prevK);
          const py = px - prevK;
          const sx = prevK === kk + 1 ? px : px + 1;
          const sy = sx - kk;
          for (let t = cx - 1, u = cy - 1; t >= sx && u >= sy; t--, u--) out.push([t, u]);
          cx = px;
          cy = py;
        }
        for (let t = cx - 1, u = cy - 1; t >= 0 && u >= 0; t--, u--) out.push([t, u]);
        return out.reverse();
      }
    }
  }
  return null;
}

/** Shared characters of the blocks of two texts, through `diffTexts` (each block with its line break). */
function sharedCharacters(oldMid: readonly string[], newMid: readonly string[]): Shared {
  const a = oldMid.map((t) => t + '\n').join('');
  const b = newMid.map((t) => t + '\n').join('');
  const change = diffTexts(a, b);
  const aStarts = starts(oldMid);
  const bStarts = starts(newMid);
  const counts = new Map<number, number>();
  for (const run of change.runs) {
    let x = run.a;
    let y = run.b;
    let left = run.len;
    let i = blockAt(aStarts, x);
    let j = blockAt(bStarts, y);
    while (left > 0) {
      const step = Math.min(left, aStarts[i + 1]! - x, bStarts[j + 1]! - y);
      const key = i * newMid.length + j;
      counts.set(key, (counts.get(key) ?? 0) + step);
      x += step;
      y += step;
      left -= step;
      if (x >= aStarts[i + 1]!) i++;
      if (y >= bStarts[j + 1]!) j++;
    }
  }
  return { counts, size: (text) => text.length + 1 };
}

function starts(texts: readonly string[]): number[] {
  const out = [0];
  for (const t of texts) out.push(out[out.length - 1]! + t.length + 1);
  return out;
}

/** The block whose extent holds offset `at` (binary search over starts). */
function blockAt(startsOf: readonly number[], at: number): number {
  let lo = 0;
  let hi = startsOf.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (startsOf[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface CarryResult {
  beads: AlignmentBead[];
  /** Units kept as they were (partners and state). */
  kept: number;
  /** Units now marked for review (changed, merged, left unpaired, or new). */
  review: number;
  /** Blocks of the changed side that were removed; their partners are left unpaired. */
  removed: number;
  /** Blocks of the changed side that are new. */
  inserted: number;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * Carries `beads` (a valid alignment of the old texts) through a change of one side's blocks from
 * `oldTexts` to `newTexts`. `otherCount` is the number of blocks of the unchanged side. The result
 * is a valid alignment of the new text with the unchanged one.
 */
export function carryAlignment(beads: readonly AlignmentBead[], side: Side, oldTexts: readonly string[], newTexts: readonly string[], otherCount: number): CarryResult {
  const other: Side = side === 'source' ? 'target' : 'source';
  const map = mapBlocks(oldTexts, newTexts);
  const m = newTexts.length;

  // Group the beads: beads whose blocks went into a common new block become one, with every bead
  // between them (the alignment stays in order).
  const beadOfNew = new Array<number>(m).fill(-1);
  const groupEnd = beads.map((_, k) => k);
  for (const [k, b] of beads.entries()) {
    for (const i of b[side]) {
      for (const j of map.oldToNew[i] ?? []) {
        const owner = beadOfNew[j]!;
        if (owner >= 0 && owner !== k) groupEnd[owner] = Math.max(groupEnd[owner]!, k);
        else beadOfNew[j] = k;
      }
    }
  }
  const out: AlignmentBead[] = [];
  let kept = 0;
  let review = 0;
  let nextNew = 0;
  const pushInserted = (upTo: number) => {
    for (; nextNew < upTo; nextNew++) {
      out.push(side === 'source' ? { source: [nextNew], target: [], confirmed: false, review: true } : { source: [], target: [nextNew], confirmed: false, review: true });
      review++;
    }
  };
  let k = 0;
  while (k < beads.length) {
    // The group starting at bead k reaches as far as any of its members' reach.
    let end = k;
    for (let x = k; x <= end; x++) end = Math.max(end, groupEnd[x]!);
    const group = beads.slice(k, end + 1);
    const news = new Set<number>();
    const others: number[] = [];
    let touched = group.length > 1;
    let hadBlocks = false;
    for (const b of group) {
      others.push(...b[other]);
      for (const i of b[side]) {
        hadBlocks = true;
        if (!map.untouched[i]) touched = true;
        for (const j of map.oldToNew[i] ?? []) news.add(j);
      }
    }
    let mine: number[] = [];
    if (news.size > 0) {
      const lo = Math.max(nextNew, Math.min(...news));
      const hi = Math.max(...news);
      pushInserted(lo);
      mine = range(lo, hi + 1);
      // An inserted block inside the unit's run joins it: the unit changed.
      if (mine.some((j) => !news.has(j))) touched = true;
      nextNew = Math.max(nextNew, hi + 1);
    }
    if (mine.length === 0 && others.length === 0) {
      k = end + 1;
      continue;
    }
    if (!touched && (mine.length > 0 || !hadBlocks)) {
      // Untouched (or a unit of the other side alone, which this change does not concern).
      const b = group[0]!;
      out.push({ ...b, source: side === 'source' ? mine : [...b.source], target: side === 'target' ? mine : [...b.target] });
      kept++;
    } else {
      const bead = side === 'source' ? { source: mine, target: others } : { source: others, target: mine };
      out.push({ ...bead, confirmed: false, review: true });
      review++;
    }
    k = end + 1;
  }
  pushInserted(m);
  const removed = map.oldToNew.filter((to) => to.length === 0).length;
  const inserted = map.newToOld.filter((from) => from.length === 0).length;
  const n = side === 'source' ? m : otherCount;
  const mm = side === 'source' ? otherCount : m;
  if (alignmentProblem(out, n, mm) !== undefined) {
    // Cannot happen with a monotone diff; if it did, the nearest valid alignment, all for review.
    const repaired = repairAlignment(out, n, mm).map((b) => (b.confirmed ? b : { ...b, review: true }));
    return { beads: repaired, kept: repaired.filter((b) => !b.review).length, review: repaired.filter((b) => b.review).length, removed, inserted };
  }
  return { beads: out, kept, review, removed, inserted };
}
