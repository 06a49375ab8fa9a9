/**
 * Runs to lines. Runs whose baselines agree (within a third of their size) form a line; then a
 * cluster of smaller runs sitting just above a line (a superscript: a note reference, a note's
 * label) or just below it (a subscript) joins that line instead of standing as a line of its own.
 * Lines here span the whole page; columns are split out afterwards (columns.ts).
 */
import type { RawLine, Run } from './types.js';

/** Runs whose baselines differ by less than this share a line (fraction of the smaller size). */
const SAME_BASELINE = 0.3;
/** A cluster at most this size relative to a neighbouring line may be its superscript or subscript. */
const SMALLER = 0.85;
/** A superscript's baseline is at most this far above the line's (fraction of the line's size). */
const SUPERSCRIPT_RISE = 0.55;
/** A subscript's baseline is at most this far below the line's. */
const SUBSCRIPT_DROP = 0.4;
/** A run drawn again within this distance (fraction of the size) is a double (fake bold). */
const DOUBLE = 0.1;
/** A fragment of a Hebrew line is at most this far above or below it (fraction of the size). */
const FRAGMENT_DRIFT = 0.5;
/** A point's origin is at most this far (fraction of the size) above or below its line's baseline. */
const MARK_DRIFT = 0.9;

interface Cluster {
  runs: Run[];
  y: number;
  size: number;
  x0: number;
  x1: number;
}

/** Groups a page's runs into lines, top to bottom; each line's runs in visual order. */
export function groupLines(input: readonly Run[]): RawLine[] {
  // A whitespace run with no width is a separator pdf.js inferred, not a space on the page (it
  // can fall between a Hebrew letter and its point); real spaces have their width.
  const runs = input.filter((r) => !(r.space && r.w < 0.1 * r.size) && !r.mark);
  runs.sort((p, q) => p.y - q.y || p.x - q.x);
  const clusters: Cluster[] = [];
  let current: Cluster | null = null;
  for (const run of runs) {
    if (current && Math.abs(run.y - current.y) <= SAME_BASELINE * Math.min(run.size, current.size)) {
      current.runs.push(run);
      if (run.size > current.size) {
        current.size = run.size;
        current.y = run.y;
      }
      if (!run.space) {
        current.x0 = Math.min(current.x0, run.x);
        current.x1 = Math.max(current.x1, run.x + run.w);
      }
    } else {
      current = { runs: [run], y: run.y, size: run.size, x0: run.space ? Infinity : run.x, x1: run.space ? -Infinity : run.x + run.w };
      clusters.push(current);
    }
  }
  const merged = mergeScripts(clusters);
  placeMarks(input.filter((r) => r.mark), merged);
  return merged.map(toLine);
}

/**
 * Points go to the line they are drawn on, whatever their own baseline: a font may lower a sheva
 * or raise a holam by moving the point's origin, which would otherwise make a line of its own.
 */
function placeMarks(marks: readonly Run[], clusters: Cluster[]): void {
  const sorted = [...clusters].sort((p, q) => p.y - q.y);
  for (const m of marks) {
    let best: Cluster | undefined;
    let distance = Infinity;
    // Binary search for the first line at or below the point, then look at it and its neighbours.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.y < m.y) lo = mid + 1;
      else hi = mid;
    }
    for (const c of [sorted[lo - 1], sorted[lo], sorted[lo + 1]]) {
      if (!c || m.x < c.x0 - c.size || m.x > c.x1 + c.size) continue;
      const d = Math.abs(c.y - m.y);
      if (d <= MARK_DRIFT * c.size && d < distance) {
        distance = d;
        best = c;
      }
    }
    if (best) best.runs.push(m);
    else clusters.push({ runs: [m], y: m.y, size: m.size, x0: m.x, x1: m.x });
  }
}

/** Folds superscript and subscript clusters into the line they belong to. */
function mergeScripts(clusters: Cluster[]): Cluster[] {
  const out: Cluster[] = [];
  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i]!;
    const below = clusters[i + 1];
    const above = out[out.length - 1];
    if (below && c.size < SMALLER * below.size && below.y - c.y <= SUPERSCRIPT_RISE * below.size && overlaps(c, below)) {
      for (const r of c.runs) r.raised = true;
      below.runs.push(...c.runs);
      below.x0 = Math.min(below.x0, c.x0);
      below.x1 = Math.max(below.x1, c.x1);
      continue;
    }
    if (above && c.size < SMALLER * above.size && c.y - above.y <= SUBSCRIPT_DROP * above.size && overlaps(c, above)) {
      above.runs.push(...c.runs);
      above.x0 = Math.min(above.x0, c.x0);
      above.x1 = Math.max(above.x1, c.x1);
      continue;
    }
    // A Hebrew letter whose glyph a font draws from a raised or lowered origin (a final kaf with
    // its sheva or qamats inside) comes as a fragment a few points off its line.
    const near = [below, above].find((l) => l && fragment(c) && Math.abs(l.y - c.y) <= FRAGMENT_DRIFT * l.size && overlaps(c, l));
    if (near) {
      near.runs.push(...c.runs);
      near.x0 = Math.min(near.x0, c.x0);
      near.x1 = Math.max(near.x1, c.x1);
      continue;
    }
    out.push(c);
  }
  return out;
}

/** One or two runs of at most three characters, with Hebrew in them. */
function fragment(c: Cluster): boolean {
  return c.runs.length <= 2 && c.runs.every((r) => r.str.length <= 3) && c.runs.some((r) => /[\u0590-\u05FF]/u.test(r.str));
}

/** The small cluster lies within the line's horizontal extent (give or take an em). */
function overlaps(small: Cluster, line: Cluster): boolean {
  const slack = line.size;
  return small.x0 >= line.x0 - slack && small.x1 <= line.x1 + slack;
}

function toLine(c: Cluster): RawLine {
  c.runs.sort((p, q) => p.x - q.x);
  const runs = dropDoubles(c.runs);
  // The line's size is the size most of its characters have (a superscript does not change it).
  const weight = new Map<number, number>();
  for (const r of runs) {
    if (r.space || r.raised) continue;
    const key = Math.round(r.size * 2) / 2;
    weight.set(key, (weight.get(key) ?? 0) + r.str.length);
  }
  let size = c.size;
  let best = -1;
  for (const [key, count] of weight) {
    if (count > best) {
      best = count;
      size = key;
    }
  }
  let y = c.y;
  for (const r of runs) {
    if (!r.raised && Math.abs(r.size - size) < 0.5) {
      y = r.y;
      break;
    }
  }
  const x0 = Number.isFinite(c.x0) ? c.x0 : (runs[0]?.x ?? 0);
  const x1 = Number.isFinite(c.x1) ? c.x1 : x0;
  return { runs, x0, x1, y, size };
}

/**
 * Drops a run drawn twice at (almost) the same place: some producers fake bold by printing the
 * text again half a point over, which would otherwise read "HHeelllloo".
 */
function dropDoubles(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const prev = out[out.length - 1];
    // Points are left alone: the same point on two neighbouring letters stands a few points apart.
    if (prev && prev.str === r.str && !r.space && !r.mark && Math.abs(prev.x - r.x) < DOUBLE * r.size && Math.abs(prev.y - r.y) < DOUBLE * r.size) continue;
    out.push(r);
  }
  return out;
}
