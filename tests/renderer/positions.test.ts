import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, BlockInput } from '../../src/common/model.js';
import { canonicalText, placeBlocks } from '../../src/common/text/canonical.js';
import { blockPositions, offsetToPos, posToOffset } from '../../src/renderer/reader/positions.js';
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

  it('refuses offsets outside the text', () => {
    expect(() => offsetToPos(blocks, -1)).toThrow(RangeError);
    expect(() => offsetToPos(blocks, 16)).toThrow(RangeError);
  });

  it('agrees with the ProseMirror document built from the blocks, character by character', () => {
    const block = fc.record({
      kind: fc.constantFrom('paragraph' as const, 'heading' as const, 'quote' as const),
      dir: fc.constantFrom('rtl' as const, 'ltr' as const),
      depth: fc.integer({ min: 0, max: 3 }),
      text: fc.stringMatching(/^[a-z אבג0-9:\-–\u05B0S]{0,12}$/),
    });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 6 }), (inputs) => {
        const blocks = placeBlocks(inputs);
        const text = canonicalText(blocks);
        const pm = buildDoc(blocks);
        expect(pm.textContent).toBe(text.replace(/\n/g, ''));
        for (let offset = 0; offset < text.length; offset++) {
          const pos = offsetToPos(blocks, offset);
          expect(posToOffset(blocks, pos)).toBe(offset);
          if (text[offset] !== '\n') expect(pm.textBetween(pos, pos + 1)).toBe(text[offset]);
        }
      }),
    );
  });
});
