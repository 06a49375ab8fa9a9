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
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
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

/** What is true of one verse: the blocks holding it (two when it was split), or null when it was removed. */
export type Truth = number | readonly number[] | null;

/** Share of source blocks aligned with exactly their true target blocks (or with none when they have none). */
export function accuracy(beads: readonly Bead[], truth: readonly Truth[]): number {
  const beadOf = new Map<number, Bead>();
  for (const b of beads) for (const s of b.source) beadOf.set(s, b);
  let right = 0;
  for (const [i, t] of truth.entries()) {
    const b = beadOf.get(i);
    if (!b) continue;
    const want = t === null ? [] : typeof t === 'number' ? [t] : t;
    if (b.target.length === want.length && b.target.every((x, k) => x === want[k])) right++;
  }
  return truth.length ? right / truth.length : 1;
}

/** The fixed perturbation the test and the bench report: three merges and one removal, spread over the book. */
export const FIXED_PERTURBATION = { mergeIntoPrevious: [11, 41, 61], removed: [25] } as const;

/** Edits of one side of a parallel text, by verse: merged into one block with the next one or two, split in two, removed. */
export interface Perturbation {
  merge2: number[];
  merge3: number[];
  split: number[];
  removed: number[];
}

/**
 * Where a verse splits in two: after the clause mark (`;`, `:`, `,`, or the Hebrew etnachta, the
 * verse's own middle) nearest its middle, else at the space nearest its middle.
 */
export function splitVerse(text: string): [string, string] {
  const mid = text.length / 2;
  let best = -1;
  for (const m of text.matchAll(/[;:,]\s|\u0591\S*\s/g)) {
    const at = m.index + m[0].length;
    if (at > 8 && at < text.length - 8 && (best < 0 || Math.abs(at - mid) < Math.abs(best - mid))) best = at;
  }
  if (best < 0) {
    for (let d = 0; d < text.length; d++) {
      for (const at of [Math.floor(mid) - d, Math.floor(mid) + d]) if (text[at] === ' ') return [text.slice(0, at), text.slice(at + 1)];
    }
    return [text, ''];
  }
  return [text.slice(0, best).trimEnd(), text.slice(best)];
}

/** The blocks of one side after `p`, and where each verse went. */
export function applyPerturbation(verses: readonly string[], p: Perturbation): { blocks: string[]; truth: Truth[] } {
  const gone = new Set(p.removed);
  const merge2 = new Set(p.merge2);
  const merge3 = new Set(p.merge3);
  const split = new Set(p.split);
  const blocks: string[] = [];
  const truth: Truth[] = [];
  for (let i = 0; i < verses.length; i++) {
    if (gone.has(i)) {
      truth.push(null);
      continue;
    }
    const take = merge3.has(i) ? 3 : merge2.has(i) ? 2 : 1;
    if (take > 1) {
      const run = verses.slice(i, i + take);
      blocks.push(run.join(' '));
      for (let k = 0; k < run.length; k++) truth.push(blocks.length - 1);
      i += run.length - 1;
    } else if (split.has(i)) {
      const [a, b] = splitVerse(verses[i]!);
      blocks.push(a, b);
      truth.push([blocks.length - 2, blocks.length - 1]);
    } else {
      blocks.push(verses[i]!);
      truth.push(blocks.length - 1);
    }
  }
  return { blocks, truth };
}

/** A random perturbation of n verses: edits at distinct places, none overlapping another. */
export function randomPerturbation(rnd: () => number, n: number, counts: Partial<Record<keyof Perturbation, number>>): Perturbation {
  const taken = new Set<number>();
  const out: Perturbation = { merge2: [], merge3: [], split: [], removed: [] };
  const span: Record<keyof Perturbation, number> = { merge3: 3, merge2: 2, split: 1, removed: 1 };
  for (const kind of ['merge3', 'merge2', 'split', 'removed'] as const) {
    for (let k = 0; k < (counts[kind] ?? 0); k++) {
      for (let tries = 0; tries < 1000; tries++) {
        const at = Math.floor(rnd() * (n - span[kind] + 1));
        const cells = Array.from({ length: span[kind] }, (_, x) => at + x);
        // Not on another edit, nor right beside one: each edit is its own event.
        if (cells.some((c) => taken.has(c) || taken.has(c - 1) || taken.has(c + 1))) continue;
        for (const c of cells) taken.add(c);
        out[kind].push(at);
        break;
      }
    }
  }
  return out;
}

/** The families of perturbations the bench and the tests compare on (edits of the English, unless said). */
export const FAMILIES: readonly { name: string; counts: Partial<Record<keyof Perturbation, number>>; side: 'en' | 'he' }[] = [
  { name: '2–1 merges (4)', counts: { merge2: 4 }, side: 'en' },
  { name: '3–1 merges (3)', counts: { merge3: 3 }, side: 'en' },
  { name: 'splits (4)', counts: { split: 4 }, side: 'en' },
  { name: 'removals (3)', counts: { removed: 3 }, side: 'en' },
  { name: 'mixed: one 3–1, two 2–1, two splits, two removals', counts: { merge3: 1, merge2: 2, split: 2, removed: 2 }, side: 'en' },
  { name: 'mixed, Hebrew side edited', counts: { merge3: 1, merge2: 2, split: 2, removed: 2 }, side: 'he' },
];

/** One run of a family: the unedited side is the source, the edited one the target. */
export function familyCase(verses: readonly ParallelVerse[], family: (typeof FAMILIES)[number], rnd: () => number): { source: string[]; target: string[]; truth: Truth[] } {
  const he = verses.map((v) => v.he);
  const en = verses.map((v) => v.en);
  const p = randomPerturbation(rnd, verses.length, family.counts);
  const edited = applyPerturbation(family.side === 'en' ? en : he, p);
  return { source: family.side === 'en' ? he : en, target: edited.blocks, truth: edited.truth };
}

// hunalign -----------------------------------------------------------------------------------------

export const HUNALIGN_DIR = path.resolve(repoRoot, '..', 'shared', 'tools', 'hunalign');

/**
 * hunalign (../shared/tools/hunalign), built once into a temporary folder (kept between runs,
 * named by a hash of its sources' build script and makefile); null when ../shared is not here.
 */
export function hunalignBinary(): string | null {
  const script = path.join(HUNALIGN_DIR, 'build.sh');
  if (!fs.existsSync(script)) return null;
  const hash = createHash('sha256')
    .update(fs.readFileSync(script))
    .update(fs.readFileSync(path.join(HUNALIGN_DIR, 'src', 'hunalign', 'Makefile')))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(os.tmpdir(), `gloss-hunalign-${hash}`);
  const bin = path.join(dir, 'src', 'hunalign', 'hunalign');
  if (fs.existsSync(bin)) return bin;
  const building = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-hunalign-build-'));
  const out = execFileSync('bash', [script, building], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 }).trim().split('\n').pop()!;
  if (!fs.existsSync(out)) throw new Error(`hunalign: ${script} printed ${out}, which is not there`);
  try {
    fs.renameSync(building, dir);
  } catch {
    // Built meanwhile by another run: use that one.
    fs.rmSync(building, { recursive: true, force: true });
  }
  return bin;
}

/**
 * Text as hunalign reads it: one segment a line, tokens split by spaces. The Hebrew keeps its
 * points: hunalign compares character counts without estimating the ratio between the languages,
 * and pointed Hebrew is about as long as its English (85 of 85 verses of Ruth right, against 38
 * unpointed), so this is its best input.
 */
function hunalignLine(text: string): string {
  return (text.replace(/\u05BE/g, ' ').match(/[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}\s]/gu) ?? []).join(' ');
}

/**
 * Aligns with hunalign (`-utf -realign`, no dictionary: it builds its own from a first pass, as
 * Gloss learns names from its first pass) and reads its ladder back as beads.
 */
export function hunalignBeads(bin: string, source: readonly string[], target: readonly string[], dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-hun-'))): Bead[] {
  const a = path.join(dir, 'source.txt');
  const b = path.join(dir, 'target.txt');
  fs.writeFileSync(a, source.map(hunalignLine).join('\n') + '\n');
  fs.writeFileSync(b, target.map(hunalignLine).join('\n') + '\n');
  // In `dir`: -realign appends a log to translate.txt in the working folder.
  const ladder = execFileSync(bin, ['-utf', '-realign', path.join(HUNALIGN_DIR, 'data', 'null.dic'), a, b], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const rungs = ladder
    .trim()
    .split('\n')
    .map((l) => l.split('\t').slice(0, 2).map(Number) as [number, number]);
  const beads: Bead[] = [];
  let [i, j] = [0, 0];
  for (const [x, y] of rungs) {
    if (x === i && y === j) continue;
    beads.push({ source: Array.from({ length: x - i }, (_, k) => i + k), target: Array.from({ length: y - j }, (_, k) => j + k) });
    [i, j] = [x, y];
  }
  if (i < source.length || j < target.length) beads.push({ source: Array.from({ length: source.length - i }, (_, k) => i + k), target: Array.from({ length: target.length - j }, (_, k) => j + k) });
  return beads;
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

export interface FamilyScore {
  family: string;
  runs: number;
  gloss: { mean: number; worst: number; ms: number };
  hunalign: { mean: number; worst: number; ms: number } | null;
}

/** Both aligners on `runs` random cases of every family (same cases for both), seeded. */
export function compareFamilies(verses: readonly ParallelVerse[], runs: number, hunalign: string | null, seed = 20240611): FamilyScore[] {
  const scratch = hunalign ? fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-hun-')) : '';
  try {
    return FAMILIES.map((family, f) => {
      const rnd = prng(seed + 97 * f);
      const g = { sum: 0, worst: 1, ms: 0 };
      const h = { sum: 0, worst: 1, ms: 0 };
      for (let k = 0; k < runs; k++) {
        const c = familyCase(verses, family, rnd);
        let t0 = performance.now();
        const a = accuracy(alignTexts(c.source, c.target).beads, c.truth);
        g.ms += performance.now() - t0;
        g.sum += a;
        g.worst = Math.min(g.worst, a);
        if (hunalign) {
          t0 = performance.now();
          const b = accuracy(hunalignBeads(hunalign, c.source, c.target, scratch), c.truth);
          h.ms += performance.now() - t0;
          h.sum += b;
          h.worst = Math.min(h.worst, b);
        }
      }
      return {
        family: family.name,
        runs,
        gloss: { mean: g.sum / runs, worst: g.worst, ms: g.ms / runs },
        hunalign: hunalign ? { mean: h.sum / runs, worst: h.worst, ms: h.ms / runs } : null,
      };
    });
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export function benchAlignment(options: { quick?: boolean } = {}): Figure[] {
  const quick = options.quick ?? false;
  const out: Figure[] = [];
  const group = 'alignment';
  const pct = (x: number) => Math.round(x * 10000) / 100;
  let hunalign: string | null = null;
  try {
    hunalign = hunalignBinary();
    if (!hunalign) process.stderr.write(`bench alignment: ${HUNALIGN_DIR} is not here (../shared is missing); the comparison with hunalign is skipped\n`);
  } catch (e) {
    process.stderr.write(`bench alignment: hunalign did not build (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); the comparison is skipped\n`);
  }
  const hunName = 'hunalign -realign';
  const ruth = parallelRuth();
  const sets: [string, ParallelVerse[]][] = ruth ? [['Ruth', ruth]] : [['Ruth 1:1–2:4 (fixture)', ruthExcerpt()]];
  if (!ruth) process.stderr.write(`bench alignment: ${RUTH_FILE} is not here (../shared/corpora is missing); the repository's excerpt of Ruth is used\n`);
  for (const [label, verses] of sets) {
    const he = verses.map((v) => v.he);
    const en = verses.map((v) => v.en);
    const truth = en.map((_, i) => i);
    const clean = accuracy(alignTexts(he, en).beads, truth);
    const hunClean = hunalign ? accuracy(hunalignBeads(hunalign, he, en), truth) : null;
    out.push(figure(group, `${label} he→en accuracy, clean (${verses.length} verses)`, pct(clean), '%', hunClean === null ? null : pct(hunClean), { baselineName: hunName, target: '100 %', met: clean === 1 }));
    const runs = quick ? 20 : 100;
    for (const score of compareFamilies(verses, runs, hunalign)) {
      const mixed = score.family.startsWith('mixed:');
      const atLeast = score.hunalign === null ? null : score.gloss.mean >= score.hunalign.mean && score.gloss.worst >= score.hunalign.worst;
      out.push(
        figure(group, `${label} accuracy, ${score.family}: mean of ${runs}`, pct(score.gloss.mean), '%', score.hunalign ? pct(score.hunalign.mean) : null, {
          baselineName: hunName,
          target: mixed ? '≥ 99 % and ≥ hunalign' : '≥ hunalign',
          met: (mixed ? score.gloss.mean >= 0.99 : true) && atLeast !== false,
        }),
      );
      out.push(
        figure(group, `${label} accuracy, ${score.family}: worst of ${runs}`, pct(score.gloss.worst), '%', score.hunalign ? pct(score.hunalign.worst) : null, {
          baselineName: hunName,
          ...(mixed ? { target: '≥ 97 %', met: score.gloss.worst >= 0.97 } : {}),
        }),
      );
      out.push(figure(group, `${label} time per alignment, ${score.family}`, score.gloss.ms, 'ms', score.hunalign ? score.hunalign.ms : null, { baselineName: `${hunName} (a process per run)` }));
    }
    const ms = time(() => alignTexts(he, en), quick ? 200 : 1000);
    const lengthsOnly = time(() => alignTexts(he, en, { lexical: false }), quick ? 200 : 1000);
    out.push(figure(group, `align ${label} (${he.length} × ${en.length} blocks), lengths and anchors`, ms, 'ms', lengthsOnly, { baselineName: 'lengths alone' }));
    // A book-length pair: the verses twenty times over (the banded search), one English block in
    // fifty merged into the one before.
    const times = quick ? 5 : 20;
    const longHe = Array.from({ length: times }, () => he).flat();
    const longEn = perturb(
      Array.from({ length: times }, () => en).flat(),
      Array.from({ length: Math.floor((times * en.length) / 50) }, (_, k) => 25 + k * 50),
      [],
    );
    let t0 = performance.now();
    const long = alignTexts(longHe, longEn.blocks);
    const longMs = performance.now() - t0;
    t0 = performance.now();
    alignTexts(longHe, longEn.blocks, { lexical: false });
    const longLengths = performance.now() - t0;
    out.push(figure(group, `align ${label} × ${times} (${longHe.length} × ${longEn.blocks.length} blocks), lengths and anchors`, longMs, 'ms', longLengths, { baselineName: 'lengths alone' }));
    out.push(figure(group, `${label} × ${times}: accuracy`, pct(accuracy(long.beads, longEn.truth)), '%', null));
  }
  // Scale: synthetic lengths, 2,000 blocks a side (500 in --quick), searched in a band; the
  // target with 2 % of its blocks merged into the one before and 1 % removed.
  const n = quick ? 500 : 2000;
  const rnd = prng(99);
  const ls = Array.from({ length: n }, () => 20 + Math.floor(rnd() * 200));
  const lt = ls.map((l) => Math.round(l * 2 * (0.8 + 0.4 * rnd())));
  const merges = new Set<number>();
  while (merges.size < Math.round(n * 0.02)) merges.add(1 + Math.floor(rnd() * (n - 1)));
  const removed = new Set<number>();
  while (removed.size < Math.round(n * 0.01)) removed.add(Math.floor(rnd() * n));
  const q = perturbItems(lt, merges, removed, (a, b) => a + b);
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
