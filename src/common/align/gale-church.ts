/**
 * A sentence/paragraph aligner after Gale & Church (1993), "A program for aligning sentences in
 * bilingual corpora", with lexical anchors.
 *
 * Two texts, each a list of blocks, are aligned into *beads*: groups of consecutive blocks on each
 * side that translate each other, covering both texts in order. A bead is one of eight categories
 * (1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3), each with a prior probability. Dynamic programming
 * finds the sequence of beads of least total cost, where a bead costs
 *
 *     -log P(category) - log P(δ | category) - λ · LLR(anchors),   δ = (c·l₁ - l₂) / √(s² · (l₁ + l₂/c) / 2)
 *
 * l₁ and l₂ are the bead's lengths on each side, c the expected target length per unit of source
 * length, s² the variance of that ratio per unit, and P(δ | category) = 2(1 - Φ(|δ|)), the
 * probability of a deviation at least this large under the normal model.
 *
 * Departures from the paper, for Hebrew beside English:
 * - lengths count letters and digits only (`alignmentLength`): pointed Hebrew is two to three times
 *   longer in UTF-16 units than its letters (niqqud and cantillation marks), and spaces and
 *   punctuation say little about content;
 * - c and s² are estimated from the two texts themselves instead of the paper's constants: c is the
 *   ratio of the total lengths; s² starts from a guess, the texts are aligned, s² is re-estimated
 *   robustly (a median) from the resulting 1-1 beads, and they are aligned again;
 * - δ follows a contaminated normal (mostly the paper's normal, partly one three times wider), so
 *   that a block translated at an unusual ratio costs a bounded amount instead of dragging its
 *   neighbours out of line (see `lengthCost`);
 * - an omission (1-0 or 0-1) costs its prior only. The paper scores it with the length model
 *   against an empty counterpart, which makes every omission look like an extreme deviation and
 *   turns it into a merge with a neighbour (omissions are the paper's weakest category);
 * - 3-1 and 1-3 beads: without them three verses rendered as one can only be read as a 2-1 and an
 *   omission;
 * - lexical anchors (`anchors.ts`): numbers, `?` and `!`, names matched by transliteration and a
 *   small dictionary, both learned from a first pass; a translated bead gains the log-likelihood
 *   ratio of the anchors its two sides share and loses it for those one side lacks, so that an
 *   omission is found where it is (the verse naming Mahlon and Chilion is the one missing) rather
 *   than wherever the lengths happen to fit. The 2-2 prior is lower than the paper's: a 2-2 whose
 *   length errors cancel was the commonest mistake on verse-aligned texts;
 * - optionally, block kinds: a heading aligned with something that is not a heading costs extra;
 * - for very long texts the search is limited to a band around the diagonal.
 *
 * Pure: no DOM, no Node.
 */

import { anchorEvidence, anchorTable, learnNames, learnWords, type AnchorTable } from './anchors.js';

export interface Bead {
  /** Indices of the source blocks in this bead, ascending and consecutive (may be empty). */
  source: number[];
  /** Indices of the target blocks, ascending and consecutive (may be empty). */
  target: number[];
}

export type BeadCategory = '1-1' | '1-0' | '0-1' | '2-1' | '1-2' | '2-2' | '3-1' | '1-3';

/**
 * Gale & Church's priors (1-0/0-1, 2-1/1-2 split evenly between the two directions), with 3-1
 * and 1-3 added (three verses or sentences rendered as one, or one as three, is rarer than two as
 * one, but real: without the move the aligner can only call the third an omission) and 2-2 made
 * rarer (0.004 for the paper's 0.011: measured on Ruth, see bench/alignment.ts).
 */
export const DEFAULT_PRIORS: Readonly<Record<BeadCategory, number>> = {
  '1-1': 0.89,
  '1-0': 0.0099 / 2,
  '0-1': 0.0099 / 2,
  '2-1': 0.089 / 2,
  '1-2': 0.089 / 2,
  '2-2': 0.004,
  '3-1': 0.004,
  '1-3': 0.004,
};

export interface AlignOptions {
  priors?: Partial<Record<BeadCategory, number>>;
  /** Expected target length per unit of source length; estimated from the texts when absent. */
  c?: number;
  /** Variance per unit of source length; estimated from the texts when absent. */
  s2?: number;
  /** Block kinds, to keep headings with headings (`heading` vs anything else). */
  sourceKinds?: readonly string[];
  targetKinds?: readonly string[];
  /** Extra cost (in nats) of a bead that pairs a heading with a non-heading. Default 2. */
  kindPenalty?: number;
  /** Half-width of the search band around the diagonal; default: the whole table when it is small. */
  band?: number;
  /** The broad component of the deviation model; `{ weight: 0 }` gives the paper's pure normal. */
  tail?: { weight: number; width: number };
  /**
   * Lexical anchors of the blocks (`anchors.ts`): a bead whose two sides share anchors costs
   * `lexicalWeight` nats less per unit of their shared weight. Indices are those of the blocks
   * given to this call.
   */
  anchors?: AnchorTable;
  /** How much the anchors' log-likelihood ratio counts (default `LEXICAL_WEIGHT`). */
  lexicalWeight?: number;
  /** `alignTexts` only: false aligns by lengths alone (no anchors). */
  lexical?: boolean;
}

/** How much the anchors' evidence counts (1: as the log-likelihood ratio says). */
export const LEXICAL_WEIGHT = 1;

export interface AlignResult {
  beads: Bead[];
  /** The c and s² used for the final pass. */
  c: number;
  s2: number;
  /** Total cost of the alignment (nats). */
  cost: number;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;

/** The length the aligner compares: letters and digits (code points), no marks, spaces or punctuation. */
export function alignmentLength(text: string): number {
  let n = 0;
  LETTER_OR_DIGIT.lastIndex = 0;
  while (LETTER_OR_DIGIT.exec(text)) n++;
  return n;
}

/** log(erfc(x)) for x ≥ 0, without underflow (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return (
    Math.log(t) -
    x * x -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

/** Weight and relative width of the broad component of the deviation model (see `lengthCost`). */
export const DEFAULT_TAIL = { weight: 0.1, width: 3 } as const;

/** log(e^a + e^b) */
function logAdd(a: number, b: number): number {
  const mx = Math.max(a, b);
  return mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx));
}

/**
 * -log P(|δ| ≥ observed) for a bead of lengths l1 (source) and l2 (target): 0 for a perfect match.
 *
 * δ follows a contaminated normal: with probability 1 - w the paper's standard normal, with
 * probability w a normal `width` times wider. Real translations are not translated at one ratio
 * throughout (a genealogy of names, a verse the translator expanded): under a pure normal a few
 * such blocks cost more than a detour through omissions and merges around them, and the paper's
 * model then misaligns their neighbours too. The broad component bounds what one odd block costs.
 */
export function lengthCost(l1: number, l2: number, c: number, s2: number, tail: { weight: number; width: number } = DEFAULT_TAIL): number {
  if (l1 === 0 && l2 === 0) return 0;
  return deviationCost(deviation(l1, l2, c, s2), tail);
}

/** |δ| of a bead. */
function deviation(l1: number, l2: number, c: number, s2: number): number {
  const mean = (l1 + l2 / c) / 2;
  return Math.abs(c * l1 - l2) / Math.sqrt(s2 * mean);
}

/** -log P(|δ| ≥ z) under the contaminated normal. */
function deviationCost(z: number, tail: { weight: number; width: number }): number {
  // 2(1 - Φ(z)) = erfc(z / √2)
  const core = logErfc(z / Math.SQRT2);
  if (tail.weight <= 0) return -core;
  return -logAdd(Math.log(1 - tail.weight) + core, Math.log(tail.weight) + logErfc(z / tail.width / Math.SQRT2));
}

const TABLE_STEP = 256;
const TABLE_MAX = 40;

/** `deviationCost` by table and linear interpolation (the aligner's inner loop); exact past the table. */
function deviationCostTable(tail: { weight: number; width: number }): (z: number) => number {
  const table = new Float64Array(TABLE_MAX * TABLE_STEP + 2);
  for (let k = 0; k < table.length; k++) table[k] = deviationCost(k / TABLE_STEP, tail);
  return (z) => {
    const x = z * TABLE_STEP;
    const k = Math.floor(x);
    if (k >= TABLE_MAX * TABLE_STEP) return deviationCost(z, tail);
    const f = x - k;
    return table[k]! * (1 - f) + table[k + 1]! * f;
  };
}

/** [di, dj, category] of each move, in tie-breaking order. */
const MOVES: ReadonlyArray<readonly [number, number, BeadCategory]> = [
  [1, 1, '1-1'],
  [2, 1, '2-1'],
  [1, 2, '1-2'],
  [2, 2, '2-2'],
  [3, 1, '3-1'],
  [1, 3, '1-3'],
  [1, 0, '1-0'],
  [0, 1, '0-1'],
];

/** Median of χ² with one degree of freedom: turns a median of δ² into a variance. */
const CHI2_MEDIAN = 0.454936;
/** The least s² re-estimation gives, per unit of c. */
const S2_FLOOR = 1;
/** Gale & Church's s² for characters, scaled by c as a first guess. */
const S2_GUESS = 6.8;
/** Above this many cells, search a band around the diagonal only (about 500 × 500 blocks). */
const FULL_TABLE_CELLS = 250_000;
/** The most cells a banded search fills (memory: 9 bytes a cell). */
const MAX_BAND_CELLS = 8_000_000;

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

interface Pass {
  beads: Bead[];
  cost: number;
}

/** What a bead costs, part by part (nats). */
export interface BeadCostParts {
  prior: number;
  length: number;
  kind: number;
  /** The anchors' share: zero or negative. */
  lexical: number;
}

/**
 * The cost of a bead of source blocks [i0, i1) and target blocks [j0, j1): its category's prior,
 * its lengths' deviation (none for an omission), the kind penalty, and the anchors it holds on
 * both sides. The dynamic programme and `scoreBeads` both use it.
 */
class BeadCoster {
  private readonly priorOf: Record<string, number>;
  private readonly tailCost: (z: number) => number;
  private readonly ps: Float64Array;
  private readonly pt: Float64Array;
  private readonly pa: Int32Array;
  private readonly pb: Int32Array;
  private readonly sqrtS2: number;
  private readonly penalty: number;
  private readonly lexicalWeight: number;

  constructor(
    ls: readonly number[],
    lt: readonly number[],
    private readonly c: number,
    s2: number,
    private readonly options: AlignOptions,
  ) {
    const n = ls.length;
    const m = lt.length;
    const priors = { ...DEFAULT_PRIORS, ...options.priors };
    this.priorOf = Object.fromEntries(Object.entries(priors).map(([k, v]) => [k, -Math.log(v)]));
    this.tailCost = deviationCostTable(options.tail ?? DEFAULT_TAIL);
    this.penalty = options.kindPenalty ?? 2;
    this.lexicalWeight = options.lexicalWeight ?? LEXICAL_WEIGHT;
    this.sqrtS2 = Math.sqrt(s2);
    // Prefix sums of the lengths (a bead's length is a difference) and of the anchor counts
    // (whether a bead's sides hold any, at once).
    this.ps = new Float64Array(n + 1);
    this.pt = new Float64Array(m + 1);
    for (let i = 0; i < n; i++) this.ps[i + 1] = this.ps[i]! + ls[i]!;
    for (let j = 0; j < m; j++) this.pt[j + 1] = this.pt[j]! + lt[j]!;
    this.pa = new Int32Array(n + 1);
    this.pb = new Int32Array(m + 1);
    const table = options.anchors;
    if (table) {
      if (table.source.length !== n || table.target.length !== m) throw new RangeError(`alignment: anchors for ${table.source.length} × ${table.target.length} blocks, lengths for ${n} × ${m}`);
      for (let i = 0; i < n; i++) this.pa[i + 1] = this.pa[i]! + table.source[i]!.length;
      for (let j = 0; j < m; j++) this.pb[j + 1] = this.pb[j]! + table.target[j]!.length;
    }
  }

  prior(category: BeadCategory): number {
    return this.priorOf[category] ?? Infinity;
  }

  /** Everything but the prior. */
  evidence(i0: number, i1: number, j0: number, j1: number): number {
    return this.length(i0, i1, j0, j1) + this.kind(i0, i1, j0, j1) + this.lexical(i0, i1, j0, j1);
  }

  /** An omission says nothing about lengths: its prior is its cost. */
  length(i0: number, i1: number, j0: number, j1: number): number {
    if (i0 === i1 || j0 === j1) return 0;
    const l1 = this.ps[i1]! - this.ps[i0]!;
    const l2 = this.pt[j1]! - this.pt[j0]!;
    if (l1 === 0 && l2 === 0) return 0;
    const c = this.c;
    return this.tailCost(Math.abs(c * l1 - l2) / (this.sqrtS2 * Math.sqrt((l1 + l2 / c) / 2)));
  }

  /** Headings go with headings, one to one. */
  kind(i0: number, i1: number, j0: number, j1: number): number {
    const sk = this.options.sourceKinds;
    const tk = this.options.targetKinds;
    if (!sk || !tk || i1 === i0 || j1 === j0) return 0;
    let hs = 0;
    let ht = 0;
    for (let i = i0; i < i1; i++) if (sk[i] === 'heading') hs++;
    for (let j = j0; j < j1; j++) if (tk[j] === 'heading') ht++;
    if (hs === 0 && ht === 0) return 0;
    return hs === i1 - i0 && ht === j1 - j0 && hs === ht ? 0 : this.penalty;
  }

  /**
   * A translated bead (not an omission) expects its anchors on both sides: the anchors' evidence
   * (`anchorEvidence`: shared ones for, one-sided ones against; a verse naming Mahlon and Chilion
   * is not the translation of one that does not), times `lexicalWeight`. An omission has nothing
   * to compare: its anchors cost nothing.
   */
  lexical(i0: number, i1: number, j0: number, j1: number): number {
    const table = this.options.anchors;
    if (!table || i0 === i1 || j0 === j1 || (this.pa[i1]! === this.pa[i0]! && this.pb[j1]! === this.pb[j0]!)) return 0;
    return -this.lexicalWeight * anchorEvidence(table, i0, i1, j0, j1);
  }
}

/**
 * The cost of each bead of an alignment under the model (c and s² as given), part by part: for
 * tests and diagnostics (why one alignment was preferred to another).
 */
export function scoreBeads(beads: readonly Bead[], ls: readonly number[], lt: readonly number[], c: number, s2: number, options: AlignOptions = {}): (BeadCostParts & { total: number })[] {
  const coster = new BeadCoster(ls, lt, c, s2, options);
  let i = 0;
  let j = 0;
  return beads.map((b) => {
    const i1 = i + b.source.length;
    const j1 = j + b.target.length;
    const category = beadCategory(b);
    const parts = { prior: category ? coster.prior(category) : Infinity, length: coster.length(i, i1, j, j1), kind: coster.kind(i, i1, j, j1), lexical: coster.lexical(i, i1, j, j1) };
    i = i1;
    j = j1;
    return { ...parts, total: parts.prior + parts.length + parts.kind + parts.lexical };
  });
}

function dp(ls: readonly number[], lt: readonly number[], c: number, s2: number, options: AlignOptions): Pass {
  const n = ls.length;
  const m = lt.length;
  const coster = new BeadCoster(ls, lt, c, s2, options);

  // The band: row i searches columns [lo[i], hi[i]].
  const lo = new Int32Array(n + 1);
  const hi = new Int32Array(n + 1);
  const full = (n + 1) * (m + 1) <= FULL_TABLE_CELLS && options.band === undefined;
  const w = options.band ?? Math.max(50, Math.min(Math.max(100, Math.ceil(0.05 * Math.max(n, m))), Math.floor(MAX_BAND_CELLS / (2 * (n + 1)))));
  for (let i = 0; i <= n; i++) {
    if (full || n === 0) {
      lo[i] = 0;
      hi[i] = m;
    } else {
      const center = (i * m) / n;
      lo[i] = Math.max(0, Math.floor(center) - w);
      hi[i] = Math.min(m, Math.ceil(center) + w);
    }
  }
  const offset = new Float64Array(n + 2);
  for (let i = 0; i <= n; i++) offset[i + 1] = offset[i]! + (hi[i]! - lo[i]! + 1);
  const cells = offset[n + 1]!;
  const cost = new Float64Array(cells).fill(Infinity);
  const move = new Uint8Array(cells);
  const at = (i: number, j: number): number => (j < lo[i]! || j > hi[i]! ? -1 : offset[i]! + j - lo[i]!);

  const di = Int8Array.from(MOVES, (mv) => mv[0]);
  const dj = Int8Array.from(MOVES, (mv) => mv[1]);
  const prior = Float64Array.from(MOVES, (mv) => coster.prior(mv[2]));
  const nMoves = MOVES.length;

  cost[at(0, 0)] = 0;
  for (let i = 0; i <= n; i++) {
    const rowLo = lo[i]!;
    const rowHi = hi[i]!;
    const rowOff = offset[i]!;
    for (let j = rowLo; j <= rowHi; j++) {
      if (i === 0 && j === 0) continue;
      let best = Infinity;
      let bestMove = 0;
      for (let k = 0; k < nMoves; k++) {
        const pi = i - di[k]!;
        const pj = j - dj[k]!;
        if (pi < 0 || pj < 0 || pj < lo[pi]! || pj > hi[pi]!) continue;
        const before = cost[offset[pi]! + pj - lo[pi]!]!;
        if (before === Infinity) continue;
        const total = before + prior[k]! + coster.evidence(pi, i, pj, j);
        if (total < best) {
          best = total;
          bestMove = k;
        }
      }
      const here = rowOff + j - rowLo;
      cost[here] = best;
      move[here] = bestMove;
    }
  }

  const beads: Bead[] = [];
  let i = n;
  let j = m;
  const endCost = cost[at(n, m)]!;
  if (!Number.isFinite(endCost)) throw new RangeError('alignment: no path through the band (widen `band`)');
  while (i > 0 || j > 0) {
    const [di, dj] = MOVES[move[at(i, j)]!]!;
    const source: number[] = [];
    const target: number[] = [];
    for (let x = i - di; x < i; x++) source.push(x);
    for (let y = j - dj; y < j; y++) target.push(y);
    beads.push({ source, target });
    i -= di;
    j -= dj;
  }
  beads.reverse();
  return { beads, cost: endCost };
}

/** s² re-estimated from the 1-1 beads of an alignment: median of δ² (with s² = 1) over χ²₁'s median. */
function estimateS2(beads: readonly Bead[], ls: readonly number[], lt: readonly number[], c: number): number | undefined {
  const squares: number[] = [];
  for (const b of beads) {
    if (b.source.length !== 1 || b.target.length !== 1) continue;
    const l1 = ls[b.source[0]!]!;
    const l2 = lt[b.target[0]!]!;
    if (l1 === 0 || l2 === 0) continue;
    const mean = (l1 + l2 / c) / 2;
    squares.push((c * l1 - l2) ** 2 / mean);
  }
  if (squares.length < 5) return undefined;
  squares.sort((a, b) => a - b);
  const mid = squares.length >> 1;
  const median = squares.length % 2 ? squares[mid]! : (squares[mid - 1]! + squares[mid]!) / 2;
  // Not below c: from the few units of a short text the median can come out far too small, and an
  // over-confident length model then prefers a 2-2 whose errors cancel to two 1-1s that are right.
  return Math.max(median / CHI2_MEDIAN, S2_FLOOR * c);
}

/** Aligns two lists of block lengths. */
export function alignLengths(sourceLengths: readonly number[], targetLengths: readonly number[], options: AlignOptions = {}): AlignResult {
  const ts = sum(sourceLengths);
  const tt = sum(targetLengths);
  const c = options.c ?? (ts > 0 && tt > 0 ? tt / ts : 1);
  if (sourceLengths.length === 0 || targetLengths.length === 0) {
    const beads: Bead[] = [...sourceLengths.map((_, i) => ({ source: [i], target: [] })), ...targetLengths.map((_, j) => ({ source: [], target: [j] }))];
    return { beads, c, s2: options.s2 ?? S2_GUESS * c, cost: 0 };
  }
  if (options.s2 !== undefined) {
    const pass = dp(sourceLengths, targetLengths, c, options.s2, options);
    return { ...pass, c, s2: options.s2 };
  }
  let s2 = S2_GUESS * c;
  let pass = dp(sourceLengths, targetLengths, c, s2, options);
  // Two rounds of re-estimation settle it; stop early when s² no longer moves.
  for (let round = 0; round < 2; round++) {
    const next = estimateS2(pass.beads, sourceLengths, targetLengths, c);
    if (next === undefined || Math.abs(next - s2) / s2 < 0.05) break;
    s2 = next;
    pass = dp(sourceLengths, targetLengths, c, s2, options);
  }
  return { ...pass, c, s2 };
}

/**
 * Aligns two lists of block texts: lengths (`alignmentLength`) and lexical anchors, in two passes.
 * The first pass anchors on numbers and `?`/`!`; the names the two texts share are learned from
 * its units (`learnNames`); the second pass anchors on names too, with the first pass's c and s².
 * `lexical: false` aligns by lengths alone.
 */
export function alignTexts(source: readonly string[], target: readonly string[], options: AlignOptions = {}): AlignResult {
  const ls = source.map(alignmentLength);
  const lt = target.map(alignmentLength);
  if (options.lexical === false || source.length === 0 || target.length === 0) return alignLengths(ls, lt, options);
  const first = alignLengths(ls, lt, { ...options, anchors: anchorTable(source, target) });
  const names = learnNames(source, target, first.beads);
  const words = learnWords(source, target, first.beads);
  if (names.length === 0 && words.length === 0) return first;
  return alignLengths(ls, lt, { ...options, anchors: anchorTable(source, target, { names, words }), c: first.c, s2: first.s2 });
}

/** The beads of `alignTexts`. */
export function alignBlocks(source: readonly string[], target: readonly string[], options: AlignOptions = {}): Bead[] {
  return alignTexts(source, target, options).beads;
}

/** The naive alignment: block i with block i, the longer text's rest alone. A baseline. */
export function alignByIndex(n: number, m: number): Bead[] {
  const beads: Bead[] = [];
  for (let k = 0; k < Math.max(n, m); k++) beads.push({ source: k < n ? [k] : [], target: k < m ? [k] : [] });
  return beads;
}

/** The category of a bead, or undefined for one no move makes (larger than 2-2, 3-1 and 1-3). */
export function beadCategory(b: Bead): BeadCategory | undefined {
  const name = `${b.source.length}-${b.target.length}`;
  return (name in DEFAULT_PRIORS ? name : undefined) as BeadCategory | undefined;
}
