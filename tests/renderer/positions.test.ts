import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, BlockInput } from '../../src/common/model.js';
import { canonicalText, placeBlocks } from '../../src/common/text/canonical.js';
import { blockPositions, offsetToPos, posToOffset } from '../../src/common/text/positions.js';
import { buildDoc } from '../../src/renderer/reader/schema.js';

const p = (text: string, dir: 'rtl' | 'ltr' = 'ltr'): BlockInput => ({ kind: 'paragraph', dir, depth: 0, text });
const doc = (...blocks: BlockInput[]): Block[] => placeBlocks(blocks);

describe('position mapping', () => {
  const blocks = doc(p('one'), p('שתיים', 'rtl'), p(''), p('four'));

  it('places each block after the ones before it', () => {
    expect(blockPositions(blocks)).toEqual([0, 5, 12, 14]);
  });

  it.each([
    [0, 1],
    [3, 4], // end of "one" (the separator maps to the end of the block before it)
    [4, 6], // start of "שתיים"
    [9, 11],
    [10, 13], // the empty block
    [11, 15],
    [15, 19],
  ])('offset %i -> position %i', (offset, pos) => {
    expect(offsetToPos(blocks, offset)).toBe(pos);
  });

  it.each([
    [0, 0],
    [1, 0],
    [4, 3],
    [5, 4], // between blocks 0 and 1: the start of block 1
    [6, 4],
    [13, 10],
    [19, 15],
    [20, 15],
  ])('position %i -> offset %i', (pos, offset) => {
    expect(posToOffset(blocks, pos)).toBe(offset);
  });

  it('maps a table row: each TAB is where one cell ends and the next begins', () => {
    const rows = doc(p('ab'), { kind: 'row', dir: 'ltr', depth: 0, text: 'x\tyz\t' }, p('c'));
    // "ab" at 0-4; the row at 4-15: cell "x" holds 6-7, cell "yz" 9-11, the empty cell 13; "c" from 15.
    expect(blockPositions(rows)).toEqual([0, 4, 15]);
    expect([3, 4, 5, 6, 7, 8, 9].map((o) => offsetToPos(rows, o))).toEqual([6, 7, 9, 10, 11, 13, 16]);
    // Between two cells (8, 12) is the TAB's offset; around the row, its first or last offset.
    expect([5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17].map((pos) => posToOffset(rows, pos))).toEqual([3, 3, 4, 4, 5, 7, 7, 8, 8, 9, 9, 10]);
  });

  it('refuses offsets outside the text', () => {
    expect(() => offsetToPos(blocks, -1)).toThrow(RangeError);
    expect(() => offsetToPos(blocks, 16)).toThrow(RangeError);
  });

  it('agrees with the ProseMirror document built from the blocks, character by character', () => {
    const block = fc.record({
      kind: fc.constantFrom('paragraph' as const, 'heading' as const, 'quote' as const, 'item' as const, 'row' as const, 'code' as const, 'note' as const),
      dir: fc.constantFrom('rtl' as const, 'ltr' as const),
      depth: fc.integer({ min: 0, max: 3 }),
      // TABs: a row's cell boundaries (and plain characters in any other block).
      text: fc.stringMatching(/^[a-z אבג0-9:\-–\u05B0S\t]{0,12}$/),
    });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (inputs) => {
        const blocks = placeBlocks(inputs);
        const text = canonicalText(blocks);
        const pm = buildDoc(blocks);
        expect(pm.content.size).toBe(blockPositions(blocks).at(-1)! + pm.lastChild!.nodeSize);
        const rowOf = (offset: number) => blocks.find((b) => b.start <= offset && offset < b.start + b.text.length)?.kind === 'row';
        for (let offset = 0; offset < text.length; offset++) {
          const pos = offsetToPos(blocks, offset);
          expect(posToOffset(blocks, pos)).toBe(offset);
          if (text[offset] === '\n') continue;
          // A row's TAB is the boundary between two cells: the next position is the next cell's start.
          if (text[offset] === '\t' && rowOf(offset)) expect(offsetToPos(blocks, offset + 1)).toBe(pos + 2);
          else expect(pm.textBetween(pos, pos + 1)).toBe(text[offset]);
        }
        // Every position maps into the text, and positions inside text map back to themselves.
        for (let pos = 0; pos <= pm.content.size; pos++) {
          const offset = posToOffset(blocks, pos);
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(text.length);
          if (pm.resolve(pos).parent.isTextblock) expect(offsetToPos(blocks, offset)).toBe(pos);
        }
      }),
    );
  });
});
