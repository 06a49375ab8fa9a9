/**
 * Alignments as lists of beads, and the user's corrections to them. Pure.
 *
 * A valid alignment of a source of n blocks and a target of m blocks is a list of non-empty beads
 * whose source indices, read in order, are exactly 0..n-1 and whose target indices are exactly
 * 0..m-1, each bead holding consecutive blocks on each side. Every correction takes a valid
 * alignment and returns a valid one. Beads the user made or fixed (link, unlink, merge) come out
 * confirmed; automatic alignment keeps confirmed beads where they are and aligns around them.
 */
import { GlossError } from '../errors.js';
import { anchorTable, learnNames, learnWords, type AnchorTable } from './anchors.js';
import { alignLengths, alignmentLength, type AlignOptions, type Bead } from './gale-church.js';

export interface AlignmentBead extends Bead {
  confirmed: boolean;
  /**
   * Set (true) when a text changed under the unit since it was aligned (see `carry.ts`): its
   * blocks were edited, split, merged, removed or inserted. Confirming the unit clears it. Absent
   * otherwise (never `false`), so beads compare equal whether or not they went through storage.
   */
  review?: boolean;
}

/** The bead with `review` set or cleared. */
export function withReview<B extends AlignmentBead>(b: B, review: boolean): B {
  if (review) return { ...b, review: true };
  if (!b.review) return b;
  const { review: _, ...rest } = b;
  return rest as B;
}

/** Why `beads` is not a valid alignment of n and m blocks, or undefined when it is. */
export function alignmentProblem(beads: readonly Bead[], n: number, m: number): string | undefined {
  let ns = 0;
  let nt = 0;
  for (const [k, b] of beads.entries()) {
    if (b.source.length === 0 && b.target.length === 0) return `bead ${k} is empty`;
    for (const s of b.source) {
      if (s !== ns) return `bead ${k}: source block ${s} where ${ns} was expected`;
      ns++;
    }
    for (const t of b.target) {
      if (t !== nt) return `bead ${k}: target block ${t} where ${nt} was expected`;
      nt++;
    }
  }
  if (ns !== n) return `the beads cover ${ns} of ${n} source blocks`;
  if (nt !== m) return `the beads cover ${nt} of ${m} target blocks`;
  return undefined;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Makes any list of beads a valid alignment of n and m blocks, changing as little as it can: for
 * stored beads after a document's blocks changed. Indices out of range or out of order are dropped,
 * gaps are filled (a bead's indices become the run from its first to its last), and blocks no bead
 * holds become beads of their own. A bead keeps its `confirmed` only when it comes out unchanged.
 */
export function repairAlignment(beads: readonly AlignmentBead[], n: number, m: number): AlignmentBead[] {
  const out: AlignmentBead[] = [];
  let ns = 0;
  let nt = 0;
  for (const b of beads) {
    const s = b.source.filter((x) => Number.isInteger(x) && x >= ns && x < n);
    const t = b.target.filter((y) => Number.isInteger(y) && y >= nt && y < m);
    if (s.length === 0 && t.length === 0) continue;
    const s0 = s.length ? Math.min(...s) : ns;
    const t0 = t.length ? Math.min(...t) : nt;
    for (const x of range(ns, s0)) out.push({ source: [x], target: [], confirmed: false });
    for (const y of range(nt, t0)) out.push({ source: [], target: [y], confirmed: false });
    const source = s.length ? range(s0, Math.max(...s) + 1) : [];
    const target = t.length ? range(t0, Math.max(...t) + 1) : [];
    const unchanged = same(source, b.source) && same(target, b.target);
    out.push({ source, target, confirmed: b.confirmed && unchanged, ...(b.review || (b.confirmed && !unchanged) ? { review: true } : {}) });
    ns = source.length ? source[source.length - 1]! + 1 : ns;
    nt = target.length ? target[target.length - 1]! + 1 : nt;
  }
  for (const x of range(ns, n)) out.push({ source: [x], target: [], confirmed: false });
  for (const y of range(nt, m)) out.push({ source: [], target: [y], confirmed: false });
  return out;
}

function checkRun(blocks: readonly number[], count: number, side: string): void {
  for (const [i, b] of blocks.entries()) {
    if (!Number.isInteger(b) || b < 0 || b >= count) throw new GlossError(`${side} block ${b} does not exist (the ${side} has ${count} blocks)`, 'block-not-found', { index: b });
    if (i > 0 && b !== blocks[i - 1]! + 1) throw new GlossError(`the ${side} blocks of a link must follow each other (${blocks.join(', ')})`, 'link-blocks-apart');
  }
}

/**
 * Links the given source blocks with the given target blocks (each a run of consecutive blocks,
 * one side may be empty): they become one confirmed bead. Beads that held any of them lose them;
 * beads that crossed the new link are split so the alignment stays in order.
 */
export function linkBlocks(beads: readonly AlignmentBead[], sourceBlocks: readonly number[], targetBlocks: readonly number[], n: number, m: number): AlignmentBead[] {
  const S = [...sourceBlocks].sort((a, b) => a - b);
  const T = [...targetBlocks].sort((a, b) => a - b);
  if (S.length === 0 && T.length === 0) throw new GlossError('a link needs at least one block', 'link-empty');
  checkRun(S, n, 'source');
  checkRun(T, m, 'target');
  // Where each side splits into "before the link" and "after it". A side with no blocks in the
  // link splits where the other side's first linked block sat.
  const first = beads.findIndex((b) => (S.length ? b.source.includes(S[0]!) : b.target.includes(T[0]!)));
  const splitAt = (side: 'source' | 'target'): number => {
    let min = side === 'source' ? n : m;
    for (const b of beads.slice(Math.max(0, first))) for (const x of b[side]) min = Math.min(min, x);
    return min;
  };
  const sLo = S.length ? S[0]! : splitAt('source');
  const sHi = S.length ? S[S.length - 1]! : sLo - 1;
  const tLo = T.length ? T[0]! : splitAt('target');
  const tHi = T.length ? T[T.length - 1]! : tLo - 1;
  const before: AlignmentBead[] = [];
  const after: AlignmentBead[] = [];
  for (const b of beads) {
    const parts = [
      { into: before, source: b.source.filter((x) => x < sLo), target: b.target.filter((y) => y < tLo) },
      { into: after, source: b.source.filter((x) => x > sHi), target: b.target.filter((y) => y > tHi) },
    ];
    for (const p of parts) {
      if (p.source.length === 0 && p.target.length === 0) continue;
      p.into.push({ source: p.source, target: p.target, confirmed: b.confirmed && same(p.source, b.source) && same(p.target, b.target), ...(b.review ? { review: true } : {}) });
    }
  }
  return [...before, { source: S, target: T, confirmed: true }, ...after];
}

function checkBead(beads: readonly Bead[], index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= beads.length) throw new GlossError(`There is no bead ${index} (the alignment has ${beads.length})`, 'unit-not-found', { unit: index + 1, units: beads.length });
}

/** Splits bead `index` into single blocks without counterpart (confirmed: the user said they do not match). */
export function unlinkBead(beads: readonly AlignmentBead[], index: number): AlignmentBead[] {
  checkBead(beads, index);
  const b = beads[index]!;
  const singles: AlignmentBead[] = [...b.source.map((s) => ({ source: [s], target: [], confirmed: true })), ...b.target.map((t) => ({ source: [], target: [t], confirmed: true }))];
  return [...beads.slice(0, index), ...singles, ...beads.slice(index + 1)];
}

/** Merges bead `index` with the bead after it (confirmed). */
export function mergeBeads(beads: readonly AlignmentBead[], index: number): AlignmentBead[] {
  checkBead(beads, index);
  if (index + 1 >= beads.length) throw new GlossError(`Bead ${index} is the last one: there is no next bead to merge it with`, 'merge-last', { unit: index + 1 });
  const a = beads[index]!;
  const b = beads[index + 1]!;
  return [...beads.slice(0, index), { source: [...a.source, ...b.source], target: [...a.target, ...b.target], confirmed: true }, ...beads.slice(index + 2)];
}

/** Marks the given beads (all when `indices` is absent) confirmed or not. */
export function confirmBeads(beads: readonly AlignmentBead[], indices: readonly number[] | undefined, confirmed = true): AlignmentBead[] {
  if (indices) for (const i of indices) checkBead(beads, i);
  const chosen = indices ? new Set(indices) : undefined;
  // Confirming a unit is reviewing it; withdrawing a confirmation leaves the review mark as it was.
  return beads.map((b, i) => (!chosen || chosen.has(i) ? (confirmed ? withReview({ ...b, confirmed }, false) : { ...b, confirmed }) : b));
}

/** The alignment every pair starts with before any is computed: block k with block k. */
export function indexAlignment(n: number, m: number): AlignmentBead[] {
  const beads: AlignmentBead[] = [];
  for (let k = 0; k < Math.max(n, m); k++) beads.push({ source: k < n ? [k] : [], target: k < m ? [k] : [], confirmed: false });
  return beads;
}

export interface AlignInput {
  text: string;
  kind?: string;
}

/** Anchors of blocks [s0, s1) and [t0, t1) only (the same ids and chances). */
function sliceAnchors(table: AnchorTable, s0: number, s1: number, t0: number, t1: number): AnchorTable {
  return { ...table, source: table.source.slice(s0, s1), target: table.target.slice(t0, t1) };
}

/**
 * Aligns two texts automatically (`alignTexts`: lengths and lexical anchors, two passes; the
 * names and words the second pass anchors on are learned from the first pass's units, the
 * confirmed ones among them). With `keep`, the confirmed beads among them stay as they are and
 * only the stretches between them are aligned (with c and s² estimated over the whole texts).
 */
export function autoAlign(source: readonly AlignInput[], target: readonly AlignInput[], keep: readonly AlignmentBead[] = [], options: AlignOptions = {}): AlignmentBead[] {
  const sTexts = source.map((b) => b.text);
  const tTexts = target.map((b) => b.text);
  const ls = sTexts.map(alignmentLength);
  const lt = tTexts.map(alignmentLength);
  const withKinds = source.some((b) => b.kind !== undefined) && target.some((b) => b.kind !== undefined);
  const kinds = (from: readonly AlignInput[], lo: number, hi: number) => from.slice(lo, hi).map((b) => b.kind ?? 'paragraph');
  const confirmed = keep.some((b) => b.confirmed);
  if (confirmed && alignmentProblem(keep, source.length, target.length)) throw new RangeError('the alignment to keep is not valid for these texts');
  // Blocks of units marked for review stay marked in whatever unit they land in.
  const marked = { source: new Set<number>(), target: new Set<number>() };
  for (const b of keep) if (b.review && !b.confirmed) for (const side of ['source', 'target'] as const) for (const x of b[side]) marked[side].add(x);
  const mark = (b: AlignmentBead): AlignmentBead => (b.source.some((x) => marked.source.has(x)) || b.target.some((y) => marked.target.has(y)) ? { ...b, review: true } : b);

  /** One pass: the whole texts, or the stretches between confirmed beads. */
  const pass = (anchors: AnchorTable | undefined, fixed?: { c: number; s2: number }): { beads: AlignmentBead[]; c: number; s2: number } => {
    const alignWhole = () =>
      alignLengths(ls, lt, {
        ...options,
        ...fixed,
        ...(anchors ? { anchors } : {}),
        ...(withKinds ? { sourceKinds: kinds(source, 0, source.length), targetKinds: kinds(target, 0, target.length) } : {}),
      });
    if (!confirmed) {
      const all = alignWhole();
      return { beads: all.beads.map((b) => mark({ ...b, confirmed: false })), c: all.c, s2: all.s2 };
    }
    // c and s² over the whole texts (estimated once, in the first pass).
    const whole = fixed ?? alignWhole();
    const out: AlignmentBead[] = [];
    let ns = 0;
    let nt = 0;
    const stretch = (sEnd: number, tEnd: number) => {
      if (sEnd === ns && tEnd === nt) return;
      const part = alignLengths(ls.slice(ns, sEnd), lt.slice(nt, tEnd), {
        ...options,
        c: whole.c,
        s2: whole.s2,
        ...(anchors ? { anchors: sliceAnchors(anchors, ns, sEnd, nt, tEnd) } : {}),
        ...(withKinds ? { sourceKinds: kinds(source, ns, sEnd), targetKinds: kinds(target, nt, tEnd) } : {}),
      });
      for (const b of part.beads) out.push(mark({ source: b.source.map((x) => x + ns), target: b.target.map((y) => y + nt), confirmed: false }));
    };
    // Walk the current alignment: where a confirmed bead starts, everything since the previous
    // confirmed bead is a stretch to align (the current beads say where one-sided beads sit).
    let cs = 0;
    let ct = 0;
    for (const b of keep) {
      if (b.confirmed) {
        stretch(cs, ct);
        out.push({ source: [...b.source], target: [...b.target], confirmed: true, ...(b.review ? { review: true } : {}) });
        ns = cs + b.source.length;
        nt = ct + b.target.length;
      }
      cs += b.source.length;
      ct += b.target.length;
    }
    stretch(source.length, target.length);
    return { beads: out, c: whole.c, s2: whole.s2 };
  };

  if (options.lexical === false || source.length === 0 || target.length === 0) return pass(undefined).beads;
  const first = pass(anchorTable(sTexts, tTexts));
  const names = learnNames(sTexts, tTexts, first.beads);
  const words = learnWords(sTexts, tTexts, first.beads);
  if (names.length === 0 && words.length === 0) return first.beads;
  return pass(anchorTable(sTexts, tTexts, { names, words }), { c: first.c, s2: first.s2 }).beads;
}
