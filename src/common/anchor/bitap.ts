/**
 * Bit-parallel approximate string matching: Myers (1999), "A fast bit-vector algorithm for
 * approximate string matching based on dynamic programming", in the block form of Hyyrö (2003)
 * for patterns longer than a machine word. The pattern is cut into 32-bit blocks; each text
 * character advances every block by a handful of bitwise operations, carrying the horizontal
 * delta from one block to the next, so a pattern of any length is handled without BigInt.
 *
 * Distances are Levenshtein (insertions, deletions, substitutions each cost 1), over UTF-16 code
 * units.
 *
 * - `approxSearch(text, pattern, maxErrors)`: every place where the pattern occurs with at most
 *   `maxErrors` errors: for each run of match ends, the best end, then its start found by running
 *   the reversed pattern backwards from that end, anchored there.
 * - `anchoredDistance(pattern, text, at, direction)`: the edit distance between the pattern and
 *   the text that ends at `at` (direction -1, for a prefix) or starts there (+1, for a suffix),
 *   with the other end free: how well a stored context still fits beside a candidate.
 */

export interface ApproxMatch {
  /** UTF-16 offsets into the searched text. */
  start: number;
  end: number;
  /** Edit distance between the pattern and text[start, end). */
  errors: number;
}

const HIGH = 1 << 31;

/** The per-character match masks of a pattern: bit i of block b is set where pattern[32b + i] is that character. */
export class PatternMasks {
  readonly blocks: number;
  readonly lastBit: number;
  private readonly masks = new Map<number, Int32Array>();
  private readonly zero: Int32Array;

  constructor(readonly pattern: string) {
    const m = pattern.length;
    this.blocks = Math.max(1, Math.ceil(m / 32));
    this.lastBit = 1 << ((m - 1) & 31);
    this.zero = new Int32Array(this.blocks);
    for (let i = 0; i < m; i++) {
      const c = pattern.charCodeAt(i);
      let mask = this.masks.get(c);
      if (!mask) {
        mask = new Int32Array(this.blocks);
        this.masks.set(c, mask);
      }
      mask[i >> 5]! |= 1 << (i & 31);
    }
  }

  get(c: number): Int32Array {
    return this.masks.get(c) ?? this.zero;
  }

  /** A single-block pattern's mask as a number (0 when absent). */
  get1(c: number): number {
    const m = this.masks.get(c);
    return m ? m[0]! : 0;
  }
}

/**
 * The text positions (exclusive ends) at which some alignment of the whole pattern ends with at
 * most `maxErrors` errors, with the error count: the forward pass of Myers' algorithm.
 * `from`/`to` bound the searched part of the text.
 */
function matchEnds(text: string, pm: PatternMasks, maxErrors: number, from: number, to: number, anchored: boolean, direction: 1 | -1, onEnd: (pos: number, score: number) => boolean | void): void {
  const m = pm.pattern.length;
  const hinTop = anchored ? 1 : 0;
  if (pm.blocks === 1) {
    let pv = -1;
    let mv = 0;
    let score = m;
    const last = pm.lastBit;
    for (let k = 0; k < to - from; k++) {
      const j = direction === 1 ? from + k : to - 1 - k;
      const eq = pm.get1(text.charCodeAt(j));
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
      let ph = mv | ~(xh | pv);
      let mh = pv & xh;
      if (ph & last) score++;
      else if (mh & last) score--;
      ph = (ph << 1) | hinTop;
      mh = mh << 1;
      pv = mh | ~(xv | ph);
      mv = ph & xv;
      if (score <= maxErrors) {
        if (onEnd(direction === 1 ? j + 1 : j, score) === false) return;
      }
    }
    return;
  }
  const nb = pm.blocks;
  const P = new Int32Array(nb).fill(-1);
  const M = new Int32Array(nb);
  const last = pm.lastBit;
  // One block's step for the current column: returns the horizontal delta at its bottom row.
  let eqs: Int32Array = pm.get(0);
  const advance = (b: number, hin: number): number => {
    const pv = P[b]!;
    const mv = M[b]!;
    const hinNeg = hin < 0 ? 1 : 0;
    let eq = eqs[b]!;
    const xv = eq | mv;
    eq |= hinNeg;
    const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    const bit = b === nb - 1 ? last : HIGH;
    const hout = ph & bit ? 1 : mh & bit ? -1 : 0;
    ph = (ph << 1) | (hin > 0 ? 1 : 0);
    mh = (mh << 1) | hinNeg;
    P[b] = mh | ~(xv | ph);
    M[b] = ph & xv;
    return hout;
  };
  if (anchored) {
    // Every block, every column (used on short stretches: contexts and match starts).
    let score = m;
    for (let k = 0; k < to - from; k++) {
      const j = direction === 1 ? from + k : to - 1 - k;
      eqs = pm.get(text.charCodeAt(j));
      let hin = hinTop;
      for (let b = 0; b < nb; b++) hin = advance(b, hin);
      score += hin;
      if (score <= maxErrors) {
        if (onEnd(direction === 1 ? j + 1 : j, score) === false) return;
      }
    }
    return;
  }
  // Search: Ukkonen's cut-off, as in Myers' paper: only the blocks down to the last one that
  // can still hold a value <= maxErrors are computed.
  const score = new Int32Array(nb);
  const rowsOf = (b: number) => (b === nb - 1 ? m - 32 * b : 32);
  let y = Math.min(nb - 1, Math.max(1, Math.ceil(maxErrors / 32)));
  for (let b = 0; b <= y; b++) score[b] = b === nb - 1 ? m : 32 * (b + 1);
  for (let k = 0; k < to - from; k++) {
    const j = direction === 1 ? from + k : to - 1 - k;
    eqs = pm.get(text.charCodeAt(j));
    let carry = 0;
    for (let b = 0; b <= y; b++) {
      carry = advance(b, carry);
      score[b]! += carry;
    }
    if (y < nb - 1 && score[y]! - carry <= maxErrors && ((eqs[y + 1]! & 1) !== 0 || carry < 0)) {
      y++;
      P[y] = -1;
      M[y] = 0;
      score[y] = score[y - 1]! + rowsOf(y) - carry + advance(y, carry);
    } else {
      while (y > 0 && score[y]! >= maxErrors + 32) y--;
    }
    if (y === nb - 1 && score[y]! <= maxErrors) {
      if (onEnd(direction === 1 ? j + 1 : j, score[y]!) === false) return;
    }
  }
}

function reversed(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

/** A pattern prepared once for many searches (its masks, forwards and reversed). */
export class Pattern {
  readonly forward: PatternMasks;
  private rev: PatternMasks | undefined;

  constructor(readonly text: string) {
    this.forward = new PatternMasks(text);
  }

  get backward(): PatternMasks {
    this.rev ??= new PatternMasks(reversed(this.text));
    return this.rev;
  }
}

export interface SearchOptions {
  /** Part of the text to search (defaults: the whole text). */
  from?: number;
  to?: number;
}

/**
 * Places where `pattern` occurs in `text` with at most `maxErrors` errors. For every run of
 * consecutive qualifying end positions the best one is kept; its start is the one that gives the
 * fewest errors (the longest such match on ties). Sorted by position.
 */
export function approxSearch(text: string, pattern: string | Pattern, maxErrors: number, options: SearchOptions = {}): ApproxMatch[] {
  const prepared = typeof pattern === 'string' ? new Pattern(pattern) : pattern;
  pattern = prepared.text;
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(text.length, options.to ?? text.length);
  const m = pattern.length;
  if (m === 0 || to <= from) return [];
  const k = Math.max(0, Math.min(maxErrors, m));
  const pm = prepared.forward;

  // Ends: keep the best end of each run of consecutive qualifying positions.
  const ends: { end: number; errors: number }[] = [];
  let runEnd = -1;
  let runBest = Infinity;
  let runLast = -2;
  matchEnds(text, pm, k, from, to, false, 1, (pos, score) => {
    if (pos !== runLast + 1 && runEnd >= 0) {
      ends.push({ end: runEnd, errors: runBest });
      runBest = Infinity;
      runEnd = -1;
    }
    if (score < runBest) {
      runBest = score;
      runEnd = pos;
    }
    runLast = pos;
  });
  if (runEnd >= 0) ends.push({ end: runEnd, errors: runBest });
  if (ends.length === 0) return [];

  // Starts: the reversed pattern run backwards from each end, anchored at it.
  const rpm = prepared.backward;
  const out: ApproxMatch[] = [];
  for (const { end, errors } of ends) {
    const lo = Math.max(from, end - m - errors);
    let bestStart = end;
    let best = Infinity;
    matchEnds(text, rpm, errors, lo, end, true, -1, (pos, score) => {
      if (score <= best) {
        best = score;
        bestStart = pos;
      }
    });
    out.push({ start: bestStart, end, errors: best === Infinity ? errors : best });
  }
  return out;
}

/** The best (fewest errors, then first) match, or null. */
export function bestMatch(text: string, pattern: string, maxErrors: number, options: SearchOptions = {}): ApproxMatch | null {
  let best: ApproxMatch | null = null;
  for (const m of approxSearch(text, pattern, maxErrors, options)) if (!best || m.errors < best.errors) best = m;
  return best;
}

/**
 * The edit distance between `pattern` and the text beside `at`: with direction -1 the text that
 * ends at `at` (a prefix's place), with +1 the text that starts at `at` (a suffix's place); the far
 * end is free (the best length is taken). Looks at most `pattern.length + slack` characters away.
 */
export function anchoredDistance(pattern: string, text: string, at: number, direction: 1 | -1, slack = pattern.length): number {
  const m = pattern.length;
  if (m === 0) return 0;
  let best = m; // matching against nothing costs m deletions
  if (direction === -1) {
    const lo = Math.max(0, at - m - slack);
    const pm = new PatternMasks(reversed(pattern));
    matchEnds(text, pm, m, lo, at, true, -1, (_pos, score) => {
      if (score < best) best = score;
    });
  } else {
    const hi = Math.min(text.length, at + m + slack);
    const pm = new PatternMasks(pattern);
    matchEnds(text, pm, m, at, hi, true, 1, (_pos, score) => {
      if (score < best) best = score;
    });
  }
  return best;
}

/** Plain Levenshtein distance (for tests and short strings). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}
