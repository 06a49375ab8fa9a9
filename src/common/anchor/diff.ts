/**
 * A fast diff of two versions of a text, as the equal runs of a `TextChange`.
 *
 * 1. The common prefix and suffix are cut off (one edit costs one pass over the text).
 * 2. The rest is compared line by line (a line is a block of the canonical text): patience
 *    diff, i.e. lines that occur once in each version are matched along their heaviest (most
 *    characters) increasing sequence, recursively between those anchors; where no such line is
 *    left, Myers' O(ND) diff with a cap on D. A moved paragraph becomes a deletion and an
 *    insertion (the shorter side of a swap is the one that moved).
 * 3. Each changed group of lines is compared character by character (line by line when both
 *    sides have as many lines): common prefix and suffix, then Myers' O(ND) diff with a cap;
 *    equal runs of one or two characters between changes (chance alignments) are dropped. Past
 *    the cap the group stays one changed region.
 * 4. A pure insertion or deletion that could sit in several places slides to where its edges
 *    fall on the best boundaries (line, sentence, word): a deleted sentence is the sentence.
 *
 * Typical cost on a megabyte with a few percent changed: tens of milliseconds.
 */
import { changeFromRuns, type EqualRun, type TextChange } from './mapping.js';

export interface DiffOptions {
  /** Cap on D for Myers over lines (default 4000; lower on long ranges, see WORK). */
  maxLineEdits?: number;
  /** Cap on D for Myers over the characters of a changed group (default 400). */
  maxCharEdits?: number;
  /** Changed groups longer than this (old + new characters) are not compared by character (default 200,000). */
  maxCharGroup?: number;
}

/** Work budget of one Myers run, in (n + m) * D steps. */
const WORK = 40_000_000;

/** Equal runs of a and b found by Myers' greedy O(ND) algorithm; null past `maxD`. */
function myers(eq: (x: number, y: number) => boolean, n: number, m: number, maxD: number): EqualRun[] | null {
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  v[off + 1] = 0;
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!)) x = v[off + k + 1]!;
      else x = v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && eq(x, y)) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return null;
}

/** `myers` over two strings' characters (no closure in the hot loop). */
function myersChars(a: string, a0: number, n: number, b: string, b0: number, m: number, maxD: number): EqualRun[] | null {
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!)) x = v[off + k + 1]!;
      else x = v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a.charCodeAt(a0 + x) === b.charCodeAt(b0 + y)) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, d, n, m);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], dEnd: number, n: number, m: number): EqualRun[] {
  const runs: EqualRun[] = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const t = trace[d]!; // V after step d-1, as slice [off-d-1, off+d+2): index k -> k + d + 1
    const at = (k: number) => t[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const midX = prevK === k + 1 ? prevX : prevX + 1;
    const midY = midX - k;
    if (x > midX) runs.push({ a: midX, b: midY, len: x - midX });
    x = prevX;
    y = prevY;
  }
  if (x > 0) runs.push({ a: 0, b: 0, len: x });
  return runs.reverse();
}

/**
 * The increasing subsequence of `ys` with the greatest total weight (indices into it), in
 * O(n log n) with a Fenwick tree over the y values: when a paragraph moves, the longer text is
 * kept in place and the shorter is the one reported moved.
 */
function heaviestIncreasing(ys: readonly number[], weights: readonly number[]): number[] {
  const n = ys.length;
  if (n === 0) return [];
  const sorted = [...new Set(ys)].sort((x, y) => x - y);
  const rank = new Map<number, number>();
  sorted.forEach((y, i) => rank.set(y, i + 1));
  const size = sorted.length;
  const treeBest = new Float64Array(size + 1);
  const treeIdx = new Int32Array(size + 1).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const total = new Float64Array(n);
  let bestEnd = -1;
  for (let i = 0; i < n; i++) {
    const r = rank.get(ys[i]!)!;
    // Best chain ending with a y strictly below this one.
    let best = 0;
    let bestIdx = -1;
    for (let j = r - 1; j > 0; j -= j & -j) {
      if (treeBest[j]! > best) {
        best = treeBest[j]!;
        bestIdx = treeIdx[j]!;
      }
    }
    total[i] = best + weights[i]!;
    prev[i] = bestIdx;
    for (let j = r; j <= size; j += j & -j) {
      if (total[i]! > treeBest[j]!) {
        treeBest[j] = total[i]!;
        treeIdx[j] = i;
      }
    }
    if (bestEnd < 0 || total[i]! > total[bestEnd]!) bestEnd = i;
  }
  const out: number[] = [];
  for (let i = bestEnd; i >= 0; i = prev[i]!) out.push(i);
  return out.reverse();
}

/** Matched line pairs (patience diff with a Myers fallback), appended to `out` in order. */
function matchLines(A: Int32Array, a0: number, a1: number, B: Int32Array, b0: number, b1: number, maxD: number, weight: (i: number) => number, out: [number, number][]): void {
  const tail: [number, number][] = [];
  while (a0 < a1 && b0 < b1 && A[a0] === B[b0]) out.push([a0++, b0++]);
  while (a0 < a1 && b0 < b1 && A[a1 - 1] === B[b1 - 1]) tail.push([--a1, --b1]);
  if (a0 < a1 && b0 < b1) {
    const countA = new Map<number, number>();
    const countB = new Map<number, number>();
    const posB = new Map<number, number>();
    for (let i = a0; i < a1; i++) countA.set(A[i]!, (countA.get(A[i]!) ?? 0) + 1);
    for (let j = b0; j < b1; j++) {
      countB.set(B[j]!, (countB.get(B[j]!) ?? 0) + 1);
      posB.set(B[j]!, j);
    }
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = a0; i < a1; i++) {
      const id = A[i]!;
      if (countA.get(id) === 1 && countB.get(id) === 1) {
        xs.push(i);
        ys.push(posB.get(id)!);
      }
    }
    if (xs.length > 0) {
      let pa = a0;
      let pb = b0;
      for (const idx of heaviestIncreasing(ys, xs.map(weight))) {
        const i = xs[idx]!;
        const j = ys[idx]!;
        matchLines(A, pa, i, B, pb, j, maxD, weight, out);
        out.push([i, j]);
        pa = i + 1;
        pb = j + 1;
      }
      matchLines(A, pa, a1, B, pb, b1, maxD, weight, out);
    } else {
      // The cap keeps the cost ((n + m) * D) bounded on long runs of repeated lines.
      const cap = Math.max(16, Math.min(maxD, Math.floor(WORK / (a1 - a0 + b1 - b0))));
      const runs = myers((x, y) => A[a0 + x] === B[b0 + y], a1 - a0, b1 - b0, cap);
      if (runs) for (const r of runs) for (let t = 0; t < r.len; t++) out.push([a0 + r.a + t, b0 + r.b + t]);
    }
  }
  for (let t = tail.length - 1; t >= 0; t--) out.push(tail[t]!);
}

/** Character-level runs for old [a0, a1) against new [b0, b1), appended to `out`. */
function diffChars(a: string, a0: number, a1: number, b: string, b0: number, b1: number, opts: Required<DiffOptions>, out: EqualRun[]): void {
  let p = 0;
  while (a0 + p < a1 && b0 + p < b1 && a.charCodeAt(a0 + p) === b.charCodeAt(b0 + p)) p++;
  if (p > 0) out.push({ a: a0, b: b0, len: p });
  a0 += p;
  b0 += p;
  let s = 0;
  while (a1 - s > a0 && b1 - s > b0 && a.charCodeAt(a1 - 1 - s) === b.charCodeAt(b1 - 1 - s)) s++;
  const n = a1 - s - a0;
  const m = b1 - s - b0;
  if (n > 0 && m > 0 && n + m <= opts.maxCharGroup) {
    const cap = Math.max(16, Math.min(opts.maxCharEdits, Math.floor(WORK / (n + m))));
    const runs = myersChars(a, a0, n, b, b0, m, cap);
    if (runs) {
      for (const r of runs) {
        // A run of one or two characters with changes on both sides is a chance alignment.
        const inner = r.a > 0 && r.b > 0 && r.a + r.len < n && r.b + r.len < m;
        if (inner && r.len < 3) continue;
        out.push({ a: a0 + r.a, b: b0 + r.b, len: r.len });
      }
    }
  }
  if (s > 0) out.push({ a: a1 - s, b: b1 - s, len: s });
}

/** Line starts of text[from, to): each line runs to just after its `\n`. */
function lineStarts(text: string, from: number, to: number): number[] {
  const starts = [from];
  for (let i = text.indexOf('\n', from); i >= 0 && i < to - 1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The change from `a` to `b` as equal runs. */
export function diffTexts(a: string, b: string, options: DiffOptions = {}): TextChange {
  const opts: Required<DiffOptions> = { maxLineEdits: 4000, maxCharEdits: 400, maxCharGroup: 200_000, ...options };
  if (a === b) return changeFromRuns(a.length, b.length, [{ a: 0, b: 0, len: a.length }]);
  const runs: EqualRun[] = [];
  // 1. Common prefix and suffix.
  let p = 0;
  const minLen = Math.min(a.length, b.length);
  while (p < minLen && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < minLen - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  // Keep whole lines in the middle so that line ids compare: back up to line starts.
  let pl = p;
  while (pl > 0 && a.charCodeAt(pl - 1) !== 0x0a) pl--;
  let sl = s;
  while (sl > 0 && !(a.charCodeAt(a.length - sl - 1) === 0x0a && b.charCodeAt(b.length - sl - 1) === 0x0a)) sl--;
  if (pl > 0) runs.push({ a: 0, b: 0, len: pl });
  const a0 = pl;
  const a1 = a.length - sl;
  const b0 = pl;
  const b1 = b.length - sl;

  // 2. Lines of the middles.
  const la = lineStarts(a, a0, a1);
  const lb = lineStarts(b, b0, b1);
  const ids = new Map<string, number>();
  const idOf = (text: string, from: number, to: number) => {
    const key = text.slice(from, to);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  };
  const A = new Int32Array(la.length);
  const B = new Int32Array(lb.length);
  for (let i = 0; i < la.length; i++) A[i] = idOf(a, la[i]!, i + 1 < la.length ? la[i + 1]! : a1);
  for (let j = 0; j < lb.length; j++) B[j] = idOf(b, lb[j]!, j + 1 < lb.length ? lb[j + 1]! : b1);
  const pairs: [number, number][] = [];
  if (a1 > a0 && b1 > b0) matchLines(A, 0, la.length, B, 0, lb.length, opts.maxLineEdits, (i) => (i + 1 < la.length ? la[i + 1]! : a1) - la[i]!, pairs);

  // 3. Runs from matched lines; character diffs for the groups between them.
  const startA = (i: number) => (i < la.length ? la[i]! : a1);
  const startB = (j: number) => (j < lb.length ? lb[j]! : b1);
  let ca = a0;
  let cb = b0;
  // A changed group with as many lines on both sides is compared line by line (edits inside
  // paragraphs); otherwise as a whole.
  let pi = 0;
  let pj = 0;
  const group = (i: number, j: number) => {
    const sa = startA(i);
    const sb = startB(j);
    if (!(sa > ca || sb > cb)) return;
    if (i - pi === j - pj && i - pi > 1) {
      for (let t = 0; t < i - pi; t++) diffChars(a, startA(pi + t), startA(pi + t + 1), b, startB(pj + t), startB(pj + t + 1), opts, runs);
    } else diffChars(a, ca, sa, b, cb, sb, opts, runs);
  };
  for (const [i, j] of pairs) {
    const sa = startA(i);
    const sb = startB(j);
    group(i, j);
    const len = startA(i + 1) - sa;
    runs.push({ a: sa, b: sb, len });
    ca = sa + len;
    cb = sb + len;
    pi = i + 1;
    pj = j + 1;
  }
  group(la.length, lb.length);
  if (sl > 0) runs.push({ a: a.length - sl, b: b.length - sl, len: sl });
  const change = changeFromRuns(a.length, b.length, runs);
  slideEdits(change.runs, a, b);
  return changeFromRuns(a.length, b.length, change.runs);
}

/**
 * How good a place the boundary between text[i - 1] and text[i] is for an edit to begin or end
 * (after diff-match-patch's semantic score): a line break best, then the end of a sentence, a
 * space, punctuation; the middle of a word worst.
 */
function boundaryScore(text: string, i: number): number {
  if (i <= 0 || i >= text.length) return 6;
  const x = text.charCodeAt(i - 1);
  const y = text.charCodeAt(i);
  if (x === 0x0a || y === 0x0a) return 5;
  const space = (c: number) => c === 0x20 || c === 0x09;
  if (space(x) && i >= 2 && SENTENCE_END.has(text.charCodeAt(i - 2))) return 4;
  if (space(x) || space(y)) return 3;
  const word = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x5d0 && c <= 0x5ea) || c >= 0x3040;
  if (!word(x) || !word(y)) return 2;
  return 0;
}

const SENTENCE_END = new Set([0x2e, 0x21, 0x3f, 0x3b, 0x3a, 0x5c3, 0x2026]);

/**
 * A pure insertion or deletion between two equal runs can often sit in several places ("a b| b c"
 * or "a |b b c"): slides each to where both its edges fall on the best boundaries, so that a
 * deleted sentence is the sentence, not its tail and the next one's first word.
 */
function slideEdits(runs: EqualRun[], a: string, b: string): void {
  for (let i = 0; i + 1 < runs.length; i++) {
    const left = runs[i]!;
    const right = runs[i + 1]!;
    const oldGap = right.a - (left.a + left.len);
    const newGap = right.b - (left.b + left.len);
    if ((oldGap === 0) === (newGap === 0)) continue; // a replacement, or nothing
    const text = oldGap > 0 ? a : b;
    const g0 = oldGap > 0 ? left.a + left.len : left.b + left.len;
    const g1 = g0 + (oldGap > 0 ? oldGap : newGap);
    // How far it can move: left while the char before the edit equals its last char, right likewise.
    let maxLeft = 0;
    while (maxLeft < left.len && maxLeft < 256 && text.charCodeAt(g0 - 1 - maxLeft) === text.charCodeAt(g1 - 1 - maxLeft)) maxLeft++;
    let maxRight = 0;
    while (maxRight < right.len && maxRight < 256 && text.charCodeAt(g0 + maxRight) === text.charCodeAt(g1 + maxRight)) maxRight++;
    if (maxLeft === 0 && maxRight === 0) continue;
    let best = 0;
    let bestScore = boundaryScore(text, g0) + boundaryScore(text, g1);
    for (let d = -maxLeft; d <= maxRight; d++) {
      const sc = boundaryScore(text, g0 + d) + boundaryScore(text, g1 + d);
      if (sc > bestScore) {
        bestScore = sc;
        best = d;
      }
    }
    if (best === 0) continue;
    left.len += best;
    right.a += best;
    right.b += best;
    right.len -= best;
  }
}
