/**
 * Re-anchoring accuracy and speed: 10,000 annotations on a megabyte of mixed Hebrew/English text,
 * a new version with about 2 % of it changed (typos, replaced words, inserted, deleted and moved
 * sentences), every annotation's true new place known by construction.
 *
 * Reports correct / moved-correctly / orphaned / wrong and the time, beside the same cases run
 * through `approx-string-match` (its `search(text, pattern, maxErrors)` per annotation, best match:
 * fewest errors, then nearest to the old position scaled by the length change: what a plain
 * fuzzy-quote anchorer does). The baseline is slow (a full scan per annotation), so it runs on a
 * fixed sample: part uniform, part annotations whose sentence was touched; its time for all the
 * annotations is extrapolated from the sample.
 *
 * `npx tsx bench/anchoring.ts [--quick]` runs it alone and prints a table.
 */
import search from 'approx-string-match';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { reanchor, type AnchorInput, type AnchorResult } from '../src/common/anchor/anchor.js';
import { normalizeText } from '../src/common/anchor/normalize.js';
import { isFoldedMark } from '../src/common/text/fold.js';
import { quoteSelector } from '../src/common/text/canonical.js';
import { prng, sourceParagraphs } from './corpus.js';
import { figure, printTable, type Figure } from './figures.js';

export interface AnchoringOptions {
  quick?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The corpus: paragraphs of sentences, each character knowing its offset in the old version.

interface Unit {
  /** A sentence with its trailing space. */
  text: string;
  /** For each character, its offset in the old text, or -1 for new text. */
  origin: number[];
  moved: boolean;
}

interface Para {
  units: Unit[];
  /** Old offset of the paragraph's closing `\n` (-1 for the last paragraph). */
  newline: number;
}

function stripMarks(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) if (!isFoldedMark(s.charCodeAt(i))) out += s[i];
  return out;
}

function sentencePool(): string[] {
  const out: string[] = [];
  for (const p of sourceParagraphs()) {
    for (const s of p.split(/(?<=[.!?׃])\s+/u)) {
      const t = s.trim();
      if (t.length >= 12) out.push(t);
    }
  }
  return out;
}

/** Sentences for the document, and held-out ones for insertions (so that an inserted sentence is new text, not a copy of one that may have been deleted: that would be a move). */
function splitPool(rnd: () => number): { used: string[]; held: string[] } {
  const used: string[] = [];
  const held: string[] = [];
  for (const s of sentencePool()) (rnd() < 0.1 ? held : used).push(s);
  return { used, held };
}

function buildDocument(targetChars: number, pool: readonly string[], rnd: () => number): { text: string; paras: Para[] } {
  const paras: Para[] = [];
  let size = 0;
  while (size < targetChars) {
    const n = 2 + Math.floor(rnd() * 6);
    const units: Unit[] = [];
    for (let i = 0; i < n; i++) {
      let s = pool[Math.floor(rnd() * pool.length)]!;
      if (rnd() < 0.25) s = stripMarks(s); // some Hebrew unpointed: variety, and fewer exact repeats
      units.push({ text: s + ' ', origin: [], moved: false });
      size += s.length + 1;
    }
    paras.push({ units, newline: -1 });
    size += 1;
  }
  // Number the characters.
  let at = 0;
  for (const [pi, p] of paras.entries()) {
    for (const u of p.units) {
      u.origin = Array.from({ length: u.text.length }, (_, k) => at + k);
      at += u.text.length;
    }
    if (pi < paras.length - 1) p.newline = at++;
  }
  return { text: render(paras).text, paras };
}

function render(paras: Para[]): { text: string; origin: Int32Array } {
  const parts: string[] = [];
  const origin: number[] = [];
  for (const [pi, p] of paras.entries()) {
    for (const u of p.units) {
      parts.push(u.text);
      for (const o of u.origin) origin.push(o);
    }
    if (pi < paras.length - 1) {
      parts.push('\n');
      origin.push(p.newline);
    }
  }
  return { text: parts.join(''), origin: Int32Array.from(origin) };
}

// ---------------------------------------------------------------------------------------------
// Annotations and edits

function makeAnnotations(text: string, count: number, rnd: () => number): AnchorInput[] {
  const out: AnchorInput[] = [];
  while (out.length < count) {
    let s = Math.floor(rnd() * text.length);
    while (s > 0 && !/\s/u.test(text[s - 1]!)) s--;
    if (/\s/u.test(text[s] ?? ' ')) continue;
    const r = rnd();
    const words = r < 0.4 ? 1 + Math.floor(rnd() * 3) : r < 0.8 ? 4 + Math.floor(rnd() * 7) : r < 0.95 ? 11 + Math.floor(rnd() * 20) : 40;
    let e = s;
    for (let w = 0; w < words; w++) {
      while (e < text.length && /\s/u.test(text[e]!) && text[e] !== '\n') e++;
      while (e < text.length && !/\s/u.test(text[e]!)) e++;
      if (text[e] === '\n') break;
    }
    if (e <= s) continue;
    out.push({ id: `a${out.length}`, start: s, end: e, ...quoteSelector(text, s, e) });
  }
  return out;
}

function pick<T>(xs: readonly T[], rnd: () => number): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** Edits about `share` of the text in place; returns the kinds of edit made. */
function editDocument(paras: Para[], oldLength: number, share: number, pool: readonly string[], rnd: () => number): Record<string, number> {
  const counts: Record<string, number> = { typo: 0, word: 0, deleted: 0, inserted: 0, moved: 0 };
  let volume = 0;
  const letters = 'abcdefghijklmnopqrstuvwxyzאבגדהוזחטיכלמנסעפצקרשת';
  const randomUnit = (): [Para, number] => {
    for (;;) {
      const p = pick(paras, rnd);
      if (p.units.length > 0) return [p, Math.floor(rnd() * p.units.length)];
    }
  };
  while (volume < oldLength * share) {
    const r = rnd();
    if (r < 0.35) {
      const [p, i] = randomUnit();
      const u = p.units[i]!;
      const at = Math.floor(rnd() * (u.text.length - 1));
      const kind = rnd();
      const ch = letters[Math.floor(rnd() * letters.length)]!;
      if (kind < 0.4) {
        u.text = u.text.slice(0, at) + ch + u.text.slice(at + 1);
        u.origin.splice(at, 1, -1);
      } else if (kind < 0.7) {
        u.text = u.text.slice(0, at) + ch + u.text.slice(at);
        u.origin.splice(at, 0, -1);
      } else {
        u.text = u.text.slice(0, at) + u.text.slice(at + 1);
        u.origin.splice(at, 1);
      }
      volume += 1;
      counts.typo!++;
    } else if (r < 0.5) {
      // Replace a word by a word from elsewhere.
      const [p, i] = randomUnit();
      const u = p.units[i]!;
      const words = [...u.text.matchAll(/\S+/gu)];
      const w = pick(words, rnd);
      const other = pick([...pick(pool, rnd).matchAll(/\S+/gu)], rnd)[0];
      const at = w.index!;
      u.text = u.text.slice(0, at) + other + u.text.slice(at + w[0].length);
      u.origin.splice(at, w[0].length, ...new Array<number>(other.length).fill(-1));
      volume += Math.max(other.length, w[0].length);
      counts.word!++;
    } else if (r < 0.65) {
      const [p, i] = randomUnit();
      volume += p.units[i]!.text.length;
      p.units.splice(i, 1);
      counts.deleted!++;
    } else if (r < 0.8) {
      const s = pick(pool, rnd) + ' ';
      const p = pick(paras, rnd);
      p.units.splice(Math.floor(rnd() * (p.units.length + 1)), 0, { text: s, origin: new Array<number>(s.length).fill(-1), moved: false });
      volume += s.length;
      counts.inserted!++;
    } else {
      const [p, i] = randomUnit();
      const [u] = p.units.splice(i, 1);
      const q = pick(paras, rnd);
      u!.moved = true;
      q.units.splice(Math.floor(rnd() * (q.units.length + 1)), 0, u!);
      volume += u!.text.length;
      counts.moved!++;
    }
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Scoring against the truth

export type Truth = { kind: 'intact'; start: number; end: number; moved: boolean } | { kind: 'modified'; start: number; end: number } | { kind: 'deleted' };

function truthOf(a: AnchorInput, toNew: Int32Array, movedChars: Uint8Array): Truth {
  let first = -1;
  let last = -1;
  let intact = true;
  let prev = -1;
  let moved = false;
  for (let k = a.start; k < a.end; k++) {
    const n = toNew[k]!;
    if (n < 0) {
      intact = false;
      continue;
    }
    if (movedChars[k]) moved = true;
    if (first < 0) first = n;
    if (prev >= 0 && n !== prev + 1) intact = false;
    prev = n;
    last = n;
  }
  if (first < 0) return { kind: 'deleted' };
  if (intact) return { kind: 'intact', start: first, end: last + 1, moved };
  return { kind: 'modified', start: Math.min(first, last), end: Math.max(first, last) + 1 };
}

type Verdict = 'correct' | 'orphaned' | 'wrong';

/**
 * Correct: an intact passage exactly at its new place; an edited one on what is left of it: a
 * range holding some of its own characters, possibly with text inserted among them, and beyond
 * its own first and last characters at most half as much text from other old passages. Anything
 * else placed is wrong.
 */
export function judge(r: { status: string; start: number; end: number }, t: Truth, a: { start: number; end: number; exact: string }, origin: Int32Array, newText: string): Verdict {
  const oldExact = a.exact;
  if (r.status === 'orphaned') return 'orphaned';
  if (t.kind === 'deleted') return 'wrong';
  if (t.kind === 'intact') return r.start === t.start && r.end === t.end ? 'correct' : 'wrong';
  // Text from other passages counts against it only at its edges (outside its own first and last
  // characters): inside, it is text put into the passage, which the passage now holds.
  let own = 0;
  let first = -1;
  let last = -1;
  for (let k = r.start; k < r.end; k++) {
    const o = origin[k]!;
    if (o >= a.start && o < a.end) {
      own++;
      if (first < 0) first = k;
      last = k;
    }
  }
  let other = 0;
  for (let k = r.start; k < r.end; k++) if ((k < first || k > last) && origin[k]! >= 0) other++;
  if (own > 0 && other * 2 <= own) return 'correct';
  // The same words (as matching compares them), mostly its own: a passage split by a move whose
  // larger part carried along words equal to those it had.
  return own > 0 && other <= own && normalizeText(newText.slice(r.start, r.end)).trim() === normalizeText(oldExact).trim() ? 'correct' : 'wrong';
}

interface Tally {
  n: number;
  correct: number;
  movedCorrect: number;
  moved: number;
  orphaned: number;
  orphanedSurvived: number;
  survived: number;
  wrong: number;
  wrongExamples: string[];
}

function tally(anns: readonly AnchorInput[], results: readonly { status: string; start: number; end: number }[], truths: readonly Truth[], newText: string, origin: Int32Array): Tally {
  const t: Tally = { n: anns.length, correct: 0, movedCorrect: 0, moved: 0, orphaned: 0, orphanedSurvived: 0, survived: 0, wrong: 0, wrongExamples: [] };
  for (let i = 0; i < anns.length; i++) {
    const truth = truths[i]!;
    const v = judge(results[i]!, truth, anns[i]!, origin, newText);
    const survived = truth.kind === 'intact';
    if (survived) t.survived++;
    if (truth.kind === 'intact' && truth.moved) t.moved++;
    if (v === 'correct') {
      t.correct++;
      if (truth.kind === 'intact' && truth.moved) t.movedCorrect++;
    } else if (v === 'orphaned') {
      t.orphaned++;
      if (survived) t.orphanedSurvived++;
    } else {
      t.wrong++;
      if (t.wrongExamples.length < 5) {
        const r = results[i]!;
        t.wrongExamples.push(`${anns[i]!.id} ${truth.kind} "${anns[i]!.exact.slice(0, 40)}" -> ${r.status} "${newText.slice(r.start, r.end).slice(0, 40)}"`);
      }
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// The baseline

function baselineAnchor(a: AnchorInput, newText: string, scale: number): { status: string; start: number; end: number } {
  const maxErrors = Math.floor(a.exact.length * 0.25);
  const matches = search(newText, a.exact, maxErrors);
  if (matches.length === 0) return { status: 'orphaned', start: 0, end: 0 };
  const hint = a.start * scale;
  let best = matches[0]!;
  for (const m of matches) {
    if (m.errors < best.errors || (m.errors === best.errors && Math.abs(m.start - hint) < Math.abs(best.start - hint))) best = m;
  }
  return { status: best.errors === 0 ? 'moved' : 'fuzzy', start: best.start, end: best.end };
}

// ---------------------------------------------------------------------------------------------

export interface AnchoringReport {
  figures: Figure[];
  textLength: number;
  annotations: number;
  changedShare: number;
  edits: Record<string, number>;
  ours: Tally;
  sample: { n: number; ours: Tally; baseline: Tally };
  times: number[];
}

export interface AnchoringCase {
  oldText: string;
  newText: string;
  annotations: AnchorInput[];
  truths: Truth[];
  /** For each character of the new text, its offset in the old one (-1: new text). */
  origin: Int32Array;
  edits: Record<string, number>;
  /** Share of the old text deleted, edited or moved. */
  changedShare: number;
}

/** The benchmark's texts, annotations and their true new places (deterministic). */
export function anchoringCase(chars: number, count: number, seed = 20_251_122, share = 0.02): AnchoringCase {
  const rnd = prng(seed);
  const pool = splitPool(rnd);
  const { text: oldText, paras } = buildDocument(chars, pool.used, rnd);
  const annotations = makeAnnotations(oldText, count, rnd);
  const edits = editDocument(paras, oldText.length, share, pool.held, rnd);
  const { text: newText, origin } = render(paras);
  const toNew = new Int32Array(oldText.length).fill(-1);
  origin.forEach((o, n) => {
    if (o >= 0) toNew[o] = n;
  });
  const movedChars = new Uint8Array(oldText.length);
  for (const p of paras) for (const u of p.units) if (u.moved) for (const o of u.origin) if (o >= 0) movedChars[o] = 1;
  const truths = annotations.map((a) => truthOf(a, toNew, movedChars));
  // Changed: old text deleted, replaced or moved, and new text inserted.
  let unchanged = 0;
  for (let o = 0; o < oldText.length; o++) if (toNew[o]! >= 0 && !movedChars[o]) unchanged++;
  let inserted = 0;
  for (const o of origin) if (o < 0) inserted++;
  return { oldText, newText, annotations, truths, origin, edits, changedShare: (oldText.length - unchanged + inserted) / oldText.length };
}

export function runAnchoringBench({ quick = false }: AnchoringOptions = {}): AnchoringReport {
  const count = quick ? 600 : 10_000;
  const { oldText, newText, annotations, truths, origin, edits, changedShare } = anchoringCase(quick ? 60_000 : 1_000_000, count);

  // Ours: the median of five runs (the first includes the JIT warming up).
  const times: number[] = [];
  let results: AnchorResult[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    results = reanchor(annotations, oldText, newText);
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((x, y) => x - y);
  const ms = sorted[2]!;
  const ours = tally(annotations, results, truths, newText, origin);

  // The baseline on a fixed sample: half uniform, half annotations whose sentence was touched.
  const half = quick ? 40 : 150;
  const touchedIdx = truths.flatMap((t, i) => (t.kind !== 'intact' || t.moved ? [i] : []));
  const sampleIdx = [...new Set([...Array.from({ length: half }, (_, k) => Math.floor((k * annotations.length) / half)), ...touchedIdx.filter((_, k) => k % Math.max(1, Math.floor(touchedIdx.length / half)) === 0).slice(0, half)])];
  const scale = newText.length / oldText.length;
  const t1 = performance.now();
  const baseResults = sampleIdx.map((i) => baselineAnchor(annotations[i]!, newText, scale));
  const baseMsPer = (performance.now() - t1) / sampleIdx.length;
  const pickIdx = <T>(xs: readonly T[]) => sampleIdx.map((i) => xs[i]!);
  const sampleAnns = pickIdx(annotations);
  const sampleTruths = pickIdx(truths);
  const sample = { n: sampleIdx.length, ours: tally(sampleAnns, pickIdx(results), sampleTruths, newText, origin), baseline: tally(sampleAnns, baseResults, sampleTruths, newText, origin) };

  const mb = (oldText.length / 1e6).toFixed(2);
  const label = `${count.toLocaleString('en')} annotations, ${mb} M chars`;
  const pct = (x: number, n: number) => (n === 0 ? 0 : (100 * x) / n);
  const orphanRate = pct(ours.orphanedSurvived, ours.survived);
  const g = 'anchoring';
  const baselineName = 'approx-string-match';
  const figures: Figure[] = [
    figure(g, `re-anchor ${label}: time`, ms, 'ms', baseMsPer * count, { baselineName: `${baselineName}, extrapolated from ${sample.n}`, target: quick ? undefined : '< 500 ms', met: quick ? null : ms < 500 }),
    figure(g, `${label}: correct`, pct(ours.correct, ours.n), '%', null),
    figure(g, `${label}: found on moved sentences (${ours.moved})`, pct(ours.movedCorrect, ours.moved), '%', null),
    figure(g, `${label}: orphaned whose text survived`, orphanRate, '%', null, { target: '< 1 %', met: orphanRate < 1 }),
    figure(g, `${label}: orphaned, all`, pct(ours.orphaned, ours.n), '%', null),
    figure(g, `${label}: wrong place`, ours.wrong, 'count', null, { target: '0', met: ours.wrong === 0 }),
    figure(g, `sample of ${sample.n}: correct`, pct(sample.ours.correct, sample.n), '%', pct(sample.baseline.correct, sample.n), { baselineName }),
    figure(g, `sample of ${sample.n}: orphaned`, pct(sample.ours.orphaned, sample.n), '%', pct(sample.baseline.orphaned, sample.n), { baselineName }),
    figure(g, `sample of ${sample.n}: wrong place`, sample.ours.wrong, 'count', sample.baseline.wrong, { baselineName }),
    figure(g, `sample of ${sample.n}: time per annotation`, ms / count, 'ms', baseMsPer, { baselineName }),
  ];
  return {
    figures,
    textLength: oldText.length,
    annotations: count,
    changedShare,
    edits,
    ours,
    sample,
    times,
  };
}

/** The benchmark for `npm run bench`: figures only. */
export async function benchAnchoring(options: AnchoringOptions = {}): Promise<Figure[]> {
  return runAnchoringBench(options).figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const report = runAnchoringBench({ quick });
  console.log(printTable(report.figures));
  console.log(
    `\ntext ${report.textLength} chars, ${report.annotations} annotations, ${(report.changedShare * 100).toFixed(2)} % of the text changed or moved; edits ${JSON.stringify(report.edits)}; runs ${report.times.map((t) => t.toFixed(0)).join(', ')} ms`,
  );
  console.log(`ours: ${JSON.stringify({ ...report.ours, wrongExamples: undefined })}`);
  for (const w of report.ours.wrongExamples) console.log(`  wrong: ${w}`);
  console.log(`baseline sample: ${JSON.stringify({ ...report.sample.baseline, wrongExamples: undefined })}`);
}
