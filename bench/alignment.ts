/**
 * Automatic alignment of a real translation: Ruth in pointed Hebrew beside the JPS 1917 English
 * (`../shared/corpora/parallel-ruth`, 85 verses, one verse per block), clean and perturbed (English
 * verses merged into one block, English verses removed), scored against the truth: each Hebrew verse
 * must be aligned with exactly the English block that holds its verse (or with nothing when that
 * verse was removed). Beside it, the naive baseline: block k with block k.
 *
 * Figures: accuracy on the clean pair, on one fixed perturbation (3 merges, 1 removal), the mean
 * and worst over 100 random perturbations of that size, and over 100 heavier ones (6 merges,
 * 3 removals); the time of one alignment of Ruth, and of 2,000 × 2,000 synthetic blocks (the
 * banded search), beside the naive baseline's.
 *
 * `npx tsx bench/alignment.ts [--quick]` runs it alone and prints a table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { alignByIndex, alignLengths, alignTexts, type Bead } from '../src/common/align/gale-church.js';
import { prng, repoRoot } from './corpus.js';
import { figure, printTable, type Figure } from './figures.js';

export const RUTH_FILE = path.resolve(repoRoot, '..', 'shared', 'corpora', 'parallel-ruth', 'Ruth.parallel.tsv');

export interface ParallelVerse {
  ref: string;
  he: string;
  en: string;
}

/** Ruth 1:1–2:4 in the repository (tests/fixtures/pairs/README.md names the sources). */
export const RUTH_EXCERPT_FILE = path.resolve(repoRoot, 'tests', 'fixtures', 'pairs', 'ruth-excerpt.tsv');

/** The repository's own Ruth excerpt (26 verses): always here. */
export function ruthExcerpt(): ParallelVerse[] {
  return readParallel(RUTH_EXCERPT_FILE);
}

/** The parallel Ruth, or null when ../shared is not here. */
export function parallelRuth(): ParallelVerse[] | null {
  if (!fs.existsSync(RUTH_FILE)) return null;
  return readParallel(RUTH_FILE);
}

function readParallel(file: string): ParallelVerse[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const [ref = '', he = '', en = ''] = l.split('\t');
      return { ref, he, en };
    });
}

export interface Perturbed {
  /** The blocks of the perturbed side. */
  blocks: string[];
  /** For each verse, the index of the block holding it, or null when it was removed. */
  truth: (number | null)[];
}

/**
 * One side's verses as blocks, with verse `i` appended to the block before it for each i in
 * `mergeIntoPrevious` (when that verse was kept), and the verses in `removed` left out.
 */
export function perturb(verses: readonly string[], mergeIntoPrevious: Iterable<number>, removed: Iterable<number>): Perturbed {
  const p = perturbItems(verses, mergeIntoPrevious, removed, (a, b) => `${a} ${b}`);
  return { blocks: p.items, truth: p.truth };
}

/** `perturb` for any items (`join` merges two). */
export function perturbItems<T>(items: readonly T[], mergeIntoPrevious: Iterable<number>, removed: Iterable<number>, join: (a: T, b: T) => T): { items: T[]; truth: (number | null)[] } {
  const merges = new Set(mergeIntoPrevious);
  const gone = new Set(removed);
  const out: T[] = [];
  const truth: (number | null)[] = [];
  for (const [i, item] of items.entries()) {
    if (gone.has(i)) {
      truth.push(null);
      continue;
    }
    if (merges.has(i) && out.length > 0 && i > 0 && !gone.has(i - 1)) out[out.length - 1] = join(out[out.length - 1]!, item);
    else out.push(item);
    truth.push(out.length - 1);
  }
  return { items: out, truth };
}

/** Share of source blocks aligned with exactly their true target block (or with none when it has none). */
export function accuracy(beads: readonly Bead[], truth: readonly (number | null)[]): number {
  const beadOf = new Map<number, Bead>();
  for (const b of beads) for (const s of b.source) beadOf.set(s, b);
  let right = 0;
  for (const [i, t] of truth.entries()) {
    const b = beadOf.get(i);
    if (!b) continue;
    if (t === null ? b.target.length === 0 : b.target.length === 1 && b.target[0] === t) right++;
  }
  return truth.length ? right / truth.length : 1;
}

/** The fixed perturbation the test and the bench report: three merges and one removal, spread over the book. */
export const FIXED_PERTURBATION = { mergeIntoPrevious: [11, 41, 61], removed: [25] } as const;

function randomPerturbation(rnd: () => number, n: number, merges: number, removals: number): { mergeIntoPrevious: number[]; removed: number[] } {
  const m = new Set<number>();
  while (m.size < merges) m.add(1 + Math.floor(rnd() * (n - 1)));
  const r = new Set<number>();
  while (r.size < removals) r.add(Math.floor(rnd() * n));
  return { mergeIntoPrevious: [...m], removed: [...r] };
}

function time(run: () => void, minMs: number): number {
  run();
  let n = 0;
  const t0 = performance.now();
  do {
    run();
    n++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / n;
}

export function benchAlignment(options: { quick?: boolean } = {}): Figure[] {
  const quick = options.quick ?? false;
  const out: Figure[] = [];
  const group = 'alignment';
  const ruth = parallelRuth();
  if (ruth) {
    const he = ruth.map((v) => v.he);
    const en = ruth.map((v) => v.en);
    const pct = (x: number) => Math.round(x * 10000) / 100;
    const naive = (blocks: readonly string[], truth: readonly (number | null)[]) => accuracy(alignByIndex(he.length, blocks.length), truth);
    const clean = { blocks: en, truth: en.map((_, i) => i) };
    out.push(figure(group, 'Ruth he→en accuracy, clean (85 verses)', pct(accuracy(alignTexts(he, en).beads, clean.truth)), '%', pct(naive(clean.blocks, clean.truth)), { baselineName: 'block k ↔ block k', target: '100 %', met: accuracy(alignTexts(he, en).beads, clean.truth) === 1 }));
    const fixed = perturb(en, FIXED_PERTURBATION.mergeIntoPrevious, FIXED_PERTURBATION.removed);
    const fixedAcc = accuracy(alignTexts(he, fixed.blocks).beads, fixed.truth);
    out.push(figure(group, 'Ruth accuracy, 3 English merges + 1 removal (fixed)', pct(fixedAcc), '%', pct(naive(fixed.blocks, fixed.truth)), { baselineName: 'block k ↔ block k', target: '≥ 98 %', met: fixedAcc >= 0.98 }));
    const runs = quick ? 30 : 100;
    for (const [label, merges, removals] of [
      ['3 merges + 1 removal', 3, 1],
      ['6 merges + 3 removals', 6, 3],
    ] as const) {
      const rnd = prng(20240611 + merges);
      let sum = 0;
      let worst = 1;
      let naiveSum = 0;
      for (let k = 0; k < runs; k++) {
        const p = randomPerturbation(rnd, he.length, merges, removals);
        const q = perturb(en, p.mergeIntoPrevious, p.removed);
        const a = accuracy(alignTexts(he, q.blocks).beads, q.truth);
        sum += a;
        worst = Math.min(worst, a);
        naiveSum += naive(q.blocks, q.truth);
      }
      out.push(figure(group, `Ruth accuracy, ${label}, mean of ${runs} random`, pct(sum / runs), '%', pct(naiveSum / runs), { baselineName: 'block k ↔ block k' }));
      out.push(figure(group, `Ruth accuracy, ${label}, worst of ${runs} random`, pct(worst), '%', null));
    }
    const ms = time(() => alignTexts(he, fixed.blocks), quick ? 200 : 1000);
    const naiveMs = time(() => alignByIndex(he.length, fixed.blocks.length), 50);
    out.push(figure(group, 'align Ruth (85 × 84 blocks)', ms, 'ms', naiveMs, { baselineName: 'block k ↔ block k' }));
  } else {
    process.stderr.write(`bench alignment: ${RUTH_FILE} is not here (../shared/corpora is missing); Ruth figures skipped\n`);
  }
  // Scale: synthetic lengths, 2,000 blocks a side (500 in --quick), searched in a band; the
  // target with 2 % of its blocks merged into the one before and 1 % removed.
  const n = quick ? 500 : 2000;
  const rnd = prng(99);
  const ls = Array.from({ length: n }, () => 20 + Math.floor(rnd() * 200));
  const lt = ls.map((l) => Math.round(l * 2 * (0.8 + 0.4 * rnd())));
  const p = randomPerturbation(rnd, n, Math.round(n * 0.02), Math.round(n * 0.01));
  const q = perturbItems(lt, p.mergeIntoPrevious, p.removed, (a, b) => a + b);
  const t0 = performance.now();
  const big = alignLengths(ls, q.items);
  const bigMs = performance.now() - t0;
  const naiveMs = time(() => alignByIndex(n, q.items.length), 20);
  const limit = quick ? 1000 : 5000;
  out.push(figure(group, `align ${n} × ${q.items.length} synthetic blocks (2 % merged, 1 % removed)`, bigMs, 'ms', naiveMs, { baselineName: 'block k ↔ block k', target: `< ${limit / 1000} s`, met: bigMs < limit }));
  out.push(
    figure(group, `synthetic ${n} blocks: accuracy`, Math.round(accuracy(big.beads, q.truth) * 10000) / 100, '%', Math.round(accuracy(alignByIndex(n, q.items.length), q.truth) * 10000) / 100, {
      baselineName: 'block k ↔ block k',
    }),
  );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(printTable(benchAlignment({ quick: process.argv.includes('--quick') })));
}
