/**
 * A text change as the runs of text it left unchanged, and offsets mapped through it.
 *
 * A change from an old text to a new one is described by its equal runs: stretches of the old
 * text found again, unchanged and in the same order, in the new one. Between two runs lies a
 * changed region (deleted, inserted or replaced text). An offset inside a run maps exactly; an
 * offset inside a changed region maps to its start, its end, or proportionally into it.
 *
 * Used by re-anchoring (a whole new version of a text, see `diff.ts`) and by the editor (one edit
 * at a time, `editChange`). Coordinates are whatever the caller diffed: UTF-16 offsets of the raw
 * texts, or of their normalised forms.
 */

export interface EqualRun {
  /** Start in the old text. */
  a: number;
  /** Start in the new text. */
  b: number;
  len: number;
}

export interface TextChange {
  oldLength: number;
  newLength: number;
  /** Sorted, disjoint and increasing in both texts; no empty runs. */
  runs: EqualRun[];
}

/** How an offset inside a changed region (or on the edge of an insertion) maps. */
export type Assoc = 'before' | 'after' | 'proportional';

export interface ChangedRegion {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** No change at all. */
export function identityChange(length: number): TextChange {
  return { oldLength: length, newLength: length, runs: length > 0 ? [{ a: 0, b: 0, len: length }] : [] };
}

/** One edit: old [from, to) replaced by `insertLength` new characters. */
export function editChange(oldLength: number, from: number, to: number, insertLength: number): TextChange {
  if (!(0 <= from && from <= to && to <= oldLength && insertLength >= 0)) throw new RangeError(`Bad edit ${from}-${to} (+${insertLength}) of a text of ${oldLength}`);
  const runs: EqualRun[] = [];
  if (from > 0) runs.push({ a: 0, b: 0, len: from });
  if (to < oldLength) runs.push({ a: to, b: from + insertLength, len: oldLength - to });
  return { oldLength, newLength: oldLength - (to - from) + insertLength, runs };
}

/** Builds a change from equal runs, merging touching ones and dropping empty ones. */
export function changeFromRuns(oldLength: number, newLength: number, runs: readonly EqualRun[]): TextChange {
  const out: EqualRun[] = [];
  for (const r of runs) {
    if (r.len <= 0) continue;
    const last = out[out.length - 1];
    if (last && last.a + last.len === r.a && last.b + last.len === r.b) last.len += r.len;
    else out.push({ a: r.a, b: r.b, len: r.len });
  }
  return { oldLength, newLength, runs: out };
}

/** Index of the last run starting at or before `offset` in the old text (-1 when none). */
function runBefore(runs: readonly EqualRun[], offset: number): number {
  let lo = 0;
  let hi = runs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]!.a <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Same in the new text. */
function runBeforeNew(runs: readonly EqualRun[], offset: number): number {
  let lo = 0;
  let hi = runs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]!.b <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The changed region (old and new extents) that follows run `i` (i = -1: before the first run). */
function gapAfter(change: TextChange, i: number): ChangedRegion {
  const r = change.runs[i];
  const next = change.runs[i + 1];
  return {
    oldStart: r ? r.a + r.len : 0,
    oldEnd: next ? next.a : change.oldLength,
    newStart: r ? r.b + r.len : 0,
    newEnd: next ? next.b : change.newLength,
  };
}

/**
 * Maps an old offset to the new text. Inside a run: exact. On the edge between a run and an
 * insertion, and inside a changed region: `before` keeps it before the new text, `after` puts it
 * after, `proportional` places it at the same fraction of the region.
 */
export function mapOffset(change: TextChange, offset: number, assoc: Assoc = 'proportional'): number {
  const runs = change.runs;
  const o = Math.max(0, Math.min(change.oldLength, offset));
  const i = runBefore(runs, o);
  const r = runs[i];
  if (r && o < r.a + r.len) {
    // Inside a run (its start included): exact, except that a run's start with an insertion
    // before it may map before that insertion.
    if (o === r.a && assoc === 'before') {
      const gap = gapAfter(change, i - 1);
      if (gap.oldStart === gap.oldEnd) return gap.newStart;
    }
    return r.b + (o - r.a);
  }
  const gap = gapAfter(change, i);
  if (r && o === r.a + r.len && assoc !== 'after') return r.b + r.len;
  if (assoc === 'before') return gap.newStart;
  if (assoc === 'after') return gap.newEnd;
  const oldLen = gap.oldEnd - gap.oldStart;
  if (oldLen === 0) return gap.newStart;
  return gap.newStart + Math.round(((o - gap.oldStart) * (gap.newEnd - gap.newStart)) / oldLen);
}

/** Maps a new offset back to the old text (the inverse mapping). */
export function unmapOffset(change: TextChange, offset: number, assoc: Assoc = 'proportional'): number {
  return mapOffset(invertChange(change), offset, assoc);
}

/** The change that undoes `change`. */
export function invertChange(change: TextChange): TextChange {
  return { oldLength: change.newLength, newLength: change.oldLength, runs: change.runs.map((r) => ({ a: r.b, b: r.a, len: r.len })) };
}

export interface MappedRange {
  start: number;
  end: number;
  /** True when nothing of the range's text is left (it lay wholly in changed regions). */
  deleted: boolean;
  /** True when the range lies wholly inside one run: its text is unchanged. */
  unchanged: boolean;
}

/** Maps a range: its start after, its end before any insertion at its edges (a highlight does not grow). */
export function mapRange(change: TextChange, start: number, end: number): MappedRange {
  const s = mapOffset(change, start, 'after');
  const e = Math.max(s, mapOffset(change, end, 'before'));
  return { start: s, end: e, deleted: survivingLength(change, start, end) === 0 && end > start, unchanged: isUnchanged(change, start, end) };
}

/** True when old [start, end) lies wholly inside one equal run. */
export function isUnchanged(change: TextChange, start: number, end: number): boolean {
  const i = runBefore(change.runs, start);
  const r = change.runs[i];
  return !!r && end <= r.a + r.len && start < r.a + r.len;
}

/** The run holding old offset `offset` (as an index), or -1. */
export function runAt(change: TextChange, offset: number): number {
  const i = runBefore(change.runs, offset);
  const r = change.runs[i];
  return r && offset < r.a + r.len ? i : -1;
}

/** The run holding new offset `offset` (as an index), or -1. */
export function runAtNew(change: TextChange, offset: number): number {
  const i = runBeforeNew(change.runs, offset);
  const r = change.runs[i];
  return r && offset < r.b + r.len ? i : -1;
}

/** How many characters of old [start, end) are still in the new text (lie in runs). */
export function survivingLength(change: TextChange, start: number, end: number): number {
  let n = 0;
  for (let i = Math.max(0, runBefore(change.runs, start)); i < change.runs.length; i++) {
    const r = change.runs[i]!;
    if (r.a >= end) break;
    const lo = Math.max(start, r.a);
    const hi = Math.min(end, r.a + r.len);
    if (hi > lo) n += hi - lo;
  }
  return n;
}

/** The changed regions: what lies between the runs, in both texts (empty on one side for pure insertions or deletions). */
export function changedRegions(change: TextChange): ChangedRegion[] {
  const out: ChangedRegion[] = [];
  for (let i = -1; i < change.runs.length; i++) {
    const g = gapAfter(change, i);
    if (g.oldEnd > g.oldStart || g.newEnd > g.newStart) out.push(g);
  }
  return out;
}

/**
 * For new [start, end): how many of its characters are the unchanged image of old text outside
 * old [oldStart, oldEnd) (widened by `slack`). A candidate place made mostly of such text is
 * another passage that was already there, not the one being looked for.
 */
export function foreignLength(change: TextChange, start: number, end: number, oldStart: number, oldEnd: number, slack = 0): number {
  let n = 0;
  const runs = change.runs;
  for (let i = Math.max(0, runBeforeNew(runs, start)); i < runs.length; i++) {
    const r = runs[i]!;
    if (r.b >= end) break;
    const lo = Math.max(start, r.b);
    const hi = Math.min(end, r.b + r.len);
    if (hi <= lo) continue;
    // Old image of [lo, hi):
    const olo = r.a + (lo - r.b);
    const ohi = r.a + (hi - r.b);
    const inside = Math.max(0, Math.min(ohi, oldEnd + slack) - Math.max(olo, oldStart - slack));
    n += hi - lo - inside;
  }
  return n;
}
