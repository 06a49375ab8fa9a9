/**
 * Property tests of re-anchoring: random edit sequences (insertions of new text, of typos and of
 * copies of the text's own passages; deletions; replacements; paragraph moves) applied to real
 * texts (the three seeds and Hebrew corpus verses). Every character's origin is tracked through
 * the edits, so the true new place of every annotation is known. Then for every annotation:
 *
 * - it is an orphan, or its new range holds the new text's slice, and
 * - placed exactly (stayed, moved) it covers the same words (normalised equal to its old quote);
 * - placed fuzzily it lies on what is left of its own passage (never on another passage);
 * - if its words survived untouched and occur only once in the new text, it is there or orphaned.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reanchor, type AnchorInput } from '../../src/common/anchor/anchor.js';
import { normalize, normalizeText, normalizedRange } from '../../src/common/anchor/normalize.js';
import { quoteSelector } from '../../src/common/text/canonical.js';
import { isFoldedMark } from '../../src/common/text/fold.js';
import { morphhb, seedsDir } from '../helpers.js';

// ---------------------------------------------------------------------------------------------
// Texts

const seeds = fs
  .readdirSync(seedsDir)
  .sort()
  .map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8').replace(/\r\n?/g, '\n').trim());

/** Hebrew texts from the corpus: verses grouped into paragraphs, pointed; one also stripped of its points. */
function hebrewTexts(): string[] {
  const out: string[] = [];
  for (const book of ['Ruth', 'Jonah'] as const) {
    const verses = morphhb(book);
    if (!verses) continue;
    const paras: string[] = [];
    for (let i = 0; i < verses.length; i += 3) paras.push(verses.slice(i, i + 3).map(([, t]) => t).join(' '));
    const text = paras.join('\n');
    out.push(text.slice(0, 9000));
    if (book === 'Jonah') out.push([...text].filter((c) => !isFoldedMark(c.charCodeAt(0))).join(''));
  }
  if (out.length === 0) console.log('property tests: ../shared/corpora is missing; running on the seeds only');
  return out;
}

const TEXTS = [...seeds, ...hebrewTexts()];

// ---------------------------------------------------------------------------------------------
// Edits, with each character's origin (its offset in the first text, or -1 for new text)

type Edit =
  | { kind: 'insert'; at: number; text: { from: 'random' | 'copy' | 'typo'; pick: number; len: number } }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'replace'; at: number; len: number; text: { from: 'random' | 'copy' | 'typo'; pick: number; len: number } }
  | { kind: 'move'; from: number; to: number };

const LETTERS = 'abcdefghijklmnopqrstuvwxyz אבגדהוזחטיכלמנסעפצקרשת ';

function material(doc: { text: string }, spec: { from: 'random' | 'copy' | 'typo'; pick: number; len: number }): string {
  if (spec.from === 'typo') return LETTERS[Math.floor(spec.pick * LETTERS.length)]!;
  if (spec.from === 'copy') {
    const at = Math.floor(spec.pick * Math.max(1, doc.text.length - spec.len));
    return doc.text.slice(at, at + spec.len).replace(/\n/g, ' ');
  }
  let s = '';
  let x = Math.floor(spec.pick * 1e9);
  for (let i = 0; i < spec.len; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += LETTERS[x % LETTERS.length];
  }
  return s;
}

interface Doc {
  text: string;
  origin: number[];
}

function splice(doc: Doc, at: number, remove: number, insert: string): void {
  doc.text = doc.text.slice(0, at) + insert + doc.text.slice(at + remove);
  doc.origin.splice(at, remove, ...new Array<number>(insert.length).fill(-1));
}

function apply(doc: Doc, e: Edit): void {
  const n = doc.text.length;
  if (e.kind === 'insert') splice(doc, Math.floor(e.at * n), 0, material(doc, e.text));
  else if (e.kind === 'delete') {
    const at = Math.floor(e.at * n);
    splice(doc, at, Math.min(e.len, n - at), '');
  } else if (e.kind === 'replace') {
    const at = Math.floor(e.at * n);
    splice(doc, at, Math.min(e.len, n - at), material(doc, e.text));
  } else {
    // Move one paragraph (line) before another.
    const starts = [0];
    for (let i = doc.text.indexOf('\n'); i >= 0; i = doc.text.indexOf('\n', i + 1)) starts.push(i + 1);
    if (starts.length < 3) return;
    const p = Math.floor(e.from * starts.length);
    const s = starts[p]!;
    const end = p + 1 < starts.length ? starts[p + 1]! : doc.text.length;
    const line = doc.text.slice(s, end).replace(/\n$/, '');
    const lineOrigin = doc.origin.slice(s, s + line.length);
    // Take it out with one of the line breaks beside it.
    const cutFrom = end < doc.text.length || s === 0 ? s : s - 1;
    const cutTo = end < doc.text.length || s === 0 ? Math.min(doc.text.length, s + line.length + 1) : s + line.length;
    doc.text = doc.text.slice(0, cutFrom) + doc.text.slice(cutTo);
    doc.origin.splice(cutFrom, cutTo - cutFrom);
    const rest = [0];
    for (let i = doc.text.indexOf('\n'); i >= 0; i = doc.text.indexOf('\n', i + 1)) rest.push(i + 1);
    const q = rest[Math.floor(e.to * rest.length)]!;
    doc.text = doc.text.slice(0, q) + line + '\n' + doc.text.slice(q);
    doc.origin.splice(q, 0, ...lineOrigin, -1);
  }
}

/** A uniform fraction in [0, 1). */
const fraction = fc.integer({ min: 0, max: 999_999 }).map((x) => x / 1_000_000);
const materialArb = fc.record({ from: fc.constantFrom('random' as const, 'copy' as const, 'typo' as const), pick: fraction, len: fc.integer({ min: 1, max: 120 }) });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: materialArb }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fraction, len: fc.integer({ min: 1, max: 60 }), text: materialArb }),
  fc.record({ kind: fc.constant('move' as const), from: fraction, to: fraction }),
);

// ---------------------------------------------------------------------------------------------
// Annotations on word spans (and a few on arbitrary character spans)

const annArb = fc.record({ at: fraction, words: fc.integer({ min: 1, max: 12 }), raw: fc.boolean() });

function makeAnnotations(text: string, specs: { at: number; words: number; raw: boolean }[]): AnchorInput[] {
  const out: AnchorInput[] = [];
  const words = [...text.matchAll(/\S+/gu)];
  for (const [i, s] of specs.entries()) {
    let start: number;
    let end: number;
    if (s.raw) {
      start = Math.floor(s.at * (text.length - 1));
      end = Math.min(text.length, start + s.words * 5);
    } else {
      const w = Math.floor(s.at * words.length);
      const first = words[w]!;
      const last = words[Math.min(words.length - 1, w + s.words - 1)]!;
      start = first.index!;
      end = last.index! + last[0].length;
    }
    if (end <= start || text.slice(start, end).trim() === '') continue;
    out.push({ id: `a${i}`, start, end, ...quoteSelector(text, start, end) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * Old positions that are the same text: a character of a paragraph that occurs more than once
 * (the Hebrew seed repeats its lead paragraph) is interchangeable with the same character of each
 * copy; which copy an edit left in place cannot be told from the text. Returns, for an old
 * offset, it and its twins.
 */
function twinLines(text: string): (offset: number) => number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const byText = new Map<string, number[]>();
  starts.forEach((st, i) => {
    const line = text.slice(st, i + 1 < starts.length ? starts[i + 1]! - 1 : text.length);
    if (line.length > 40) byText.set(line, [...(byText.get(line) ?? []), st]);
  });
  const copies = new Map<number, number[]>();
  for (const list of byText.values()) if (list.length > 1) for (const st of list) copies.set(st, list);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const list = copies.get(starts[lo]!);
    return list ? list.map((st) => st + (offset - starts[lo]!)) : [offset];
  };
}

const stats = { runs: 0, annotations: 0, intact: 0, intactOrphaned: 0, orphaned: 0, fuzzy: 0, moved: 0 };

afterAll(() => {
  console.log(`re-anchoring properties: ${JSON.stringify(stats)}`);
});

/** The same words: normalised, and a line break counted as a space (a passage copied and re-wrapped). */
const same = (a: string, b: string) => normalizeText(a).replace(/\s+/g, ' ').trim() === normalizeText(b).replace(/\s+/g, ' ').trim();

describe('re-anchoring under random edits', () => {
  it('leaves every annotation on its own words, or an orphan; never in a wrong place', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: TEXTS.length - 1 }),
        fc.array(annArb, { minLength: 5, maxLength: 30 }),
        fc.array(editArb, { minLength: 1, maxLength: 8 }),
        (which, annSpecs, edits) => {
          const oldText = TEXTS[which]!;
          const anns = makeAnnotations(oldText, annSpecs);
          const doc: Doc = { text: oldText, origin: Array.from({ length: oldText.length }, (_, i) => i) };
          for (const e of edits) apply(doc, e);
          const newText = doc.text;
          const results = reanchor(anns, oldText, newText);
          stats.runs++;

          // Where each old character went.
          const toNew = new Int32Array(oldText.length).fill(-1);
          doc.origin.forEach((o, n) => {
            if (o >= 0) toNew[o] = n;
          });
          const newN = normalize(newText);
          const twins = twinLines(oldText);

          expect(results.map((r) => r.id)).toEqual(anns.map((a) => a.id));
          for (const [i, r] of results.entries()) {
            const a = anns[i]!;
            stats.annotations++;
            // Intact: every character still there, in order and side by side.
            let intact = true;
            for (let k = a.start; k < a.end; k++) {
              const n = toNew[k]!;
              if (n < 0 || (k > a.start && n !== toNew[k - 1]! + 1)) intact = false;
            }
            if (intact) stats.intact++;
            if (r.status === 'orphaned') {
              stats.orphaned++;
              if (intact) stats.intactOrphaned++;
              expect(r.exact).toBe(a.exact);
              expect(r.start).toBe(r.end);
              continue;
            }
            if (r.status === 'fuzzy') stats.fuzzy++;
            if (r.status === 'moved') stats.moved++;
            expect(r.start).toBeGreaterThanOrEqual(0);
            expect(r.end).toBeGreaterThan(r.start);
            expect(r.end).toBeLessThanOrEqual(newText.length);
            expect(r.exact).toBe(newText.slice(r.start, r.end));
            const context = `${r.status} ${JSON.stringify(a.exact)} -> ${JSON.stringify(r.exact)}`;
            if (r.status === 'stayed' || r.status === 'moved') {
              // The same words.
              expect(same(r.exact, a.exact), context).toBe(true);
            } else {
              // Fuzzy: on what is left of its own passage, with little of other passages at its edges.
              let own = 0;
              let first = -1;
              let last = -1;
              for (let k = r.start; k < r.end; k++) {
                const o = doc.origin[k]!;
                if (o >= 0 && twins(o).some((t) => t >= a.start && t < a.end)) {
                  own++;
                  if (first < 0) first = k;
                  last = k;
                }
              }
              let other = 0;
              for (let k = r.start; k < r.end; k++) if ((k < first || k > last) && doc.origin[k]! >= 0) other++;
              // Or in its place: between what is left of the text just before and just after it
              // (its text was replaced there, by a copy of itself, say).
              let p0 = 0;
              for (let k = a.start - 1; k >= Math.max(0, a.start - 200); k--) {
                if (toNew[k]! >= 0) {
                  p0 = toNew[k]! + 1;
                  break;
                }
              }
              let p1 = newText.length;
              for (let k = a.end; k < Math.min(oldText.length, a.end + 200); k++) {
                if (toNew[k]! >= 0) {
                  p1 = toNew[k]!;
                  break;
                }
              }
              const inPlace = p0 <= p1 && p1 - p0 <= 3 * (a.end - a.start) + 200 && r.start >= p0 - 1 && r.end <= p1 + 1;
              if (!inPlace && !same(r.exact, a.exact)) {
                expect(own, context).toBeGreaterThan(0);
                expect(other, context).toBeLessThanOrEqual(own);
              }
            }
            // Untouched and unique (and not in a paragraph that has a twin): exactly there.
            if (intact && twins(a.start).length === 1 && twins(a.end - 1).length === 1) {
              const q = normalizeText(a.exact).trim();
              const hits = newN.text.split(q).length - 1;
              if (q.length > 0 && hits === 1) {
                const truth = normalizedRange(newN, toNew[a.start]!, toNew[a.end - 1]! + 1);
                const got = normalizedRange(newN, r.start, r.end);
                expect(newN.text.slice(got.start, got.end).trim(), context).toBe(newN.text.slice(truth.start, truth.end).trim());
                expect(Math.abs(got.start - truth.start), context).toBeLessThanOrEqual(1);
              }
            }
          }
        },
      ),
      { numRuns: Number(process.env.ANCHOR_PROPERTY_RUNS ?? 150), seed: Number(process.env.ANCHOR_PROPERTY_SEED ?? 20251122), endOnFailure: true },
    );
    // Most annotations whose words survived are found (orphaning everything would pass the above).
    expect(stats.intactOrphaned / Math.max(1, stats.intact)).toBeLessThan(0.05);
  });
});
