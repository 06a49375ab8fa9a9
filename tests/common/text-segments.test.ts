/**
 * The shared text helpers (`src/common/text/`: bidi runs, layers, block positions, the segmenter)
 * and the HTML report drawn with them. The reader, the pair desk and the report all use these.
 */
import { describe, expect, it } from 'vitest';
import type { Annotation, Block } from '../../src/common/model.js';
import { isolatedRuns } from '../../src/common/text/bidi.js';
import { assignLayers, freeLayer, MAX_LAYER } from '../../src/common/text/layers.js';
import { blockIndexAt, blocksOver, canonicalSlice, clipToBlock, firstBlockFrom } from '../../src/common/text/positions.js';
import { segmentBlock, segmentRow, type Span } from '../../src/common/text/segments.js';
import { markBlock } from '../../src/common/export/html-report.js';
import { pairHtml } from '../../src/common/export/pair-html.js';

/** Blocks from their texts, placed as in the canonical text (joined by `\n`). */
function blocks(...texts: [string, 'rtl' | 'ltr'][]): Block[] {
  let start = 0;
  return texts.map(([text, dir], index) => {
    const b: Block = { index, start, text, dir, kind: 'paragraph', depth: 0 };
    start += text.length + 1;
    return b;
  });
}

const span = (id: string, from: number, to: number, layer = 0) => ({ id, from, to, layer });

/** Runs and pieces as short strings: `[ltr:S-3{a}|00]`, a piece's spans as `{ids}`. */
function shape(text: string, dir: 'rtl' | 'ltr', spans: (Span & { id: string })[]): string[] {
  return segmentBlock(text, dir, spans).map((run) => {
    const inner = run.pieces.map((p) => text.slice(p.from, p.to) + (p.highlights.length ? `{${p.highlights.map((h) => h.id).join(',')}}` : '')).join('|');
    return run.dir ? `[${run.dir}:${inner}]` : inner;
  });
}

const BIDI_CASES: [string, string, 'rtl' | 'ltr', string[]][] = [
  ['a Latin model number in Hebrew stays whole', 'הציבה מערכת S-300 בבסיס', 'rtl', ['S-300']],
  ['a colon after Latin stays outside the isolate', 'NEWS: חדשות', 'rtl', ['NEWS']],
  ['brackets stay outside', 'אמר (Obama said) אתמול', 'rtl', ['Obama said']],
  ['Hebrew inside English', 'the word שלום means peace', 'ltr', ['שלום']],
  ['nothing of the other script: nothing to isolate', 'שלום עולם', 'rtl', []],
  ['digits alone are not a run', 'בשנת 1948 קמה', 'rtl', []],
];

describe('block look-ups', () => {
  // "ab\ncde\n\nf": blocks at 0, 3, 7 (empty) and 8.
  const placed = [{ start: 0, text: 'ab' }, { start: 3, text: 'cde' }, { start: 7, text: '' }, { start: 8, text: 'f' }];
  it('finds the block holding an offset by a binary search, as a linear scan would', () => {
    for (let offset = -1; offset <= 10; offset++) {
      let last = -1;
      placed.forEach((b, i) => { if (b.start <= offset) last = i; });
      expect(blockIndexAt(placed, offset)).toBe(last);
      const first = placed.findIndex((b) => b.start + b.text.length >= offset);
      expect(firstBlockFrom(placed, offset)).toBe(first === -1 ? placed.length : first);
    }
    expect(blockIndexAt([], 3)).toBe(-1);
    expect(firstBlockFrom([], 3)).toBe(0);
  });
});

describe('bidi runs', () => {
  it.each(BIDI_CASES)('%s', (_, text, dir, runs) => {
    expect(isolatedRuns(text, dir).map((r) => text.slice(r.from, r.to))).toEqual(runs);
  });
});

describe('layers', () => {
  it('gives an overlapping highlight the lowest free layer, capped', () => {
    expect(freeLayer([{ from: 0, to: 5, layer: 0 }], 3, 8)).toBe(1);
    expect(freeLayer([{ from: 0, to: 5, layer: 0 }], 5, 8)).toBe(0);
    const deep = Array.from({ length: 6 }, (_, i) => ({ from: 0, to: 10, layer: i }));
    expect(freeLayer(deep, 2, 3)).toBe(MAX_LAYER);
  });

  it('layers a list in start order, longer first at a tie, as the reader does', () => {
    const items = [span('c', 6, 9), span('a', 0, 5), span('b', 0, 8), span('d', 9, 12)];
    const out = assignLayers(items).map((x) => [x.id, x.layer]);
    expect(out).toEqual([
      ['b', 0],
      ['a', 1],
      ['c', 1],
      ['d', 0],
    ]);
  });
});

describe('block positions', () => {
  const doc = blocks(['שלום עולם', 'rtl'], ['second block', 'ltr'], ['third', 'ltr']);

  it('finds the blocks a range touches, and the text between two offsets across blocks', () => {
    expect(blocksOver(doc, 3, 12).map((b) => b.index)).toEqual([0, 1]);
    expect(blocksOver(doc, 10, 11).map((b) => b.index)).toEqual([1]);
    expect(blocksOver(doc, 30, 31)).toEqual([]);
    expect(canonicalSlice(doc, 5, 16)).toBe('עולם\nsecond');
  });

  it('clips ranges to one block, dropping those outside', () => {
    expect(clipToBlock(doc[1]!, [span('a', 3, 13), span('b', 0, 9), span('c', 20, 40)])).toEqual([span('a', 0, 3), span('c', 10, 12)]);
  });
});

describe('the segmenter', () => {
  it('keeps an embedded Latin run one isolate and splits a highlight at its edge instead', () => {
    expect(shape('הציבה מערכת S-300 בבסיס', 'rtl', [span('a', 6, 15)])).toEqual(['הציבה |מערכת {a}', '[ltr:S-3{a}|00]', ' בבסיס']);
  });

  it('covers the text exactly, overlapping spans lowest layer first', () => {
    const text = 'one two three';
    const runs = segmentBlock(text, 'ltr', [span('b', 4, 13, 1), span('a', 0, 7, 0)]);
    expect(runs.flatMap((r) => r.pieces.map((p) => [text.slice(p.from, p.to), p.highlights.map((h) => h.id)]))).toEqual([
      ['one ', ['a']],
      ['two', ['a', 'b']],
      [' three', ['b']],
    ]);
    expect(segmentBlock('', 'ltr', [])).toEqual([]);
  });

  it('cuts a table row by cell, a span across a TAB drawn in each cell it touches (the original span each time)', () => {
    const text = 'אחת\tS-300\tשלוש';
    const a = span('a', 2, 7);
    const cells = segmentRow(text, 'rtl', [a]);
    expect(cells.map((c) => text.slice(c.from, c.to))).toEqual(['אחת', 'S-300', 'שלוש']);
    expect(cells[1]!.runs.map((r) => [r.dir, r.pieces.map((p) => [text.slice(p.from, p.to), p.highlights])])).toEqual([['ltr', [['S-3', [a]], ['00', []]]]]);
    expect(cells[0]!.runs[0]!.pieces.map((p) => [text.slice(p.from, p.to), p.highlights.length])).toEqual([
      ['אח', 0],
      ['ת', 1],
    ]);
  });
});

describe('the HTML report, drawn by the segmenter', () => {
  const note = (id: string, start: number, end: number, color: Annotation['color'] = 'yellow'): Annotation => ({ id, documentId: 1, start, end, exact: '', prefix: '', suffix: '', color, note: '', status: 'anchored', tags: [], created: '', modified: '' });

  it('isolates a Latin run in a Hebrew paragraph, the highlight split at its edge', () => {
    const [b] = blocks(['הציבה מערכת S-300 בבסיס', 'rtl']);
    expect(markBlock(b!, [{ a: note('x', 6, 15, 'green'), n: 1 }])).toBe('הציבה <mark class="gloss-green" title="#1">מערכת </mark><bdi dir="ltr"><mark class="gloss-green" title="#1">S-3</mark>00</bdi> בבסיס');
  });

  it('escapes the text inside and outside isolates, and takes the block on its place in the text', () => {
    const doc = blocks(['first', 'ltr'], ['<b> & אבג', 'ltr']);
    expect(markBlock(doc[1]!, [{ a: note('x', 7, 9), n: 4 }])).toBe('&lt;<mark class="gloss-yellow" title="#4">b&gt;</mark> &amp; <bdi dir="rtl">אבג</bdi>');
  });

  it('isolates the runs of a pair’s HTML export too', () => {
    const doc = (text: string, dir: 'rtl' | 'ltr', language: 'he' | 'en') => ({ title: 't', language, blocks: [{ index: 0, kind: 'paragraph' as const, dir, depth: 0, text }] });
    const html = pairHtml({ source: doc('מערכת S-300 <נ>', 'rtl', 'he'), target: doc('The S-300 system', 'ltr', 'en'), beads: [{ source: [0], target: [0], confirmed: true }], generated: '2025-01-01T00:00:00Z' });
    expect(html).toContain('<p dir="rtl">מערכת <bdi dir="ltr">S-300</bdi> &lt;נ&gt;</p>');
    expect(html).toContain('<p dir="ltr">The S-300 system</p>');
  });
});
