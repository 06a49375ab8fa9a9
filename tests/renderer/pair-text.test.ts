import { describe, expect, it } from 'vitest';
import type { Annotation, Block } from '../../src/common/model.js';
import { formatRun, highlightsByBlock, isRun, type BlockHighlight } from '../../src/renderer/pair/block-text.js';
import { blocksOver, canonicalSlice } from '../../src/common/text/positions.js';
import { segmentBlock, segmentRow } from '../../src/common/text/segments.js';
import { oneLine } from '../../src/renderer/pair/translation.js';

/** Blocks of a document from their texts, with their starts in the canonical text. */
function blocks(...texts: [string, 'rtl' | 'ltr'][]): Block[] {
  let start = 0;
  return texts.map(([text, dir], index) => {
    const b: Block = { index, start, text, dir, kind: 'paragraph', depth: 0 };
    start += text.length + 1;
    return b;
  });
}

function note(id: string, start: number, end: number): Annotation {
  return { id, documentId: 1, start, end, exact: '', prefix: '', suffix: '', color: 'yellow', note: '', status: 'anchored', tags: [], created: '', modified: '' };
}

const hl = (id: string, from: number, to: number, layer = 0): BlockHighlight => ({ id, from, to, color: 'yellow', layer, linked: false });

/** Runs and pieces as short strings: `[ltr:S-300]`, pieces as `text{ids}`. */
function shape(text: string, dir: 'rtl' | 'ltr', highlights: BlockHighlight[]): string[] {
  return segmentBlock(text, dir, highlights).map((run) => {
    const inner = run.pieces.map((p) => text.slice(p.from, p.to) + (p.highlights.length ? `{${p.highlights.map((h) => h.id).join(',')}}` : '')).join('|');
    return run.dir ? `[${run.dir}:${inner}]` : inner;
  });
}

describe('a pair pane block', () => {
  it('keeps an embedded Latin run one isolate and splits the highlight at its edge instead', () => {
    expect(shape('הציבה מערכת S-300 בבסיס', 'rtl', [hl('a', 6, 15)])).toEqual(['הציבה |מערכת {a}', '[ltr:S-3{a}|00]', ' בבסיס']);
  });

  it('nests overlapping highlights lowest layer first and covers the text exactly', () => {
    const runs = segmentBlock('one two three', 'ltr', [hl('a', 0, 7, 0), hl('b', 4, 13, 1)]);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.pieces.map((p) => [p.from, p.to, p.highlights.map((h) => h.id)])).toEqual([
      [0, 4, ['a']],
      [4, 7, ['a', 'b']],
      [7, 13, ['b']],
    ]);
  });

  it('lays a table row out as cells, an isolate in each, a highlight across a TAB drawn in both cells', () => {
    const text = 'שם\tS-300 x\t';
    const cells = segmentRow(text, 'rtl', [hl('a', 1, 6)]);
    expect(cells.map((c) => [c.from, c.to])).toEqual([[0, 2], [3, 10], [11, 11]]);
    const shape = cells.map((c) => c.runs.map((r) => `${r.dir ?? '-'}:${r.pieces.map((p) => text.slice(p.from, p.to) + (p.highlights.length ? '{a}' : '')).join('|')}`));
    expect(shape).toEqual([['-:ש|ם{a}'], ['ltr:S-3{a}|00 x'], []]);
  });

  it('draws an empty block as nothing', () => {
    expect(segmentBlock('', 'ltr', [])).toEqual([]);
  });
});

describe('highlights by block', () => {
  const doc = blocks(['שלום עולם', 'rtl'], ['hello world', 'ltr'], ['third', 'ltr']);

  it('clips an annotation across blocks to each and layers overlaps', () => {
    const byBlock = highlightsByBlock(doc, [note('x', 5, 15), note('y', 12, 13)], new Set(['x']));
    expect(byBlock.get(0)).toEqual([{ id: 'x', from: 5, to: 9, color: 'yellow', layer: 0, linked: true }]);
    expect(byBlock.get(1)!.map((h) => [h.id, h.from, h.to, h.layer, h.linked])).toEqual([
      ['x', 0, 5, 0, true],
      ['y', 2, 3, 1, false],
    ]);
    expect(byBlock.has(2)).toBe(false);
  });

  it('leaves detached annotations out', () => {
    expect(highlightsByBlock(doc, [{ ...note('z', 0, 4), status: 'orphaned' }], new Set()).size).toBe(0);
  });

  it('finds the blocks of a range and its text', () => {
    expect(blocksOver(doc, 12, 24).map((b) => b.index)).toEqual([1, 2]);
    expect(blocksOver(doc, 9, 10).map((b) => b.index)).toEqual([0]);
    expect(canonicalSlice(doc, 5, 15)).toBe('עולם\nhello');
  });
});

describe('pair helpers', () => {
  it('writes runs of blocks one-based', () => {
    expect([formatRun([]), formatRun([2]), formatRun([2, 3, 4])]).toEqual(['', '3', '3–5']);
    expect([isRun([]), isRun([4, 3]), isRun([1, 3])]).toEqual([true, true, false]);
  });

  it('makes pasted text one line', () => {
    expect(oneLine('first line\r\n  second\n\nthird\u2029fourth')).toBe('first line second third fourth');
    expect(oneLine('no breaks')).toBe('no breaks');
  });
});
