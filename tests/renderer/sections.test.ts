import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/common/model.js';
import { placeBlocks } from '../../src/common/text/canonical.js';
import { planSections, sectionAt } from '../../src/renderer/reader/sections.js';

const blocks: Block[] = placeBlocks(Array.from({ length: 40 }, (_, i) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text: `Paragraph ${i} `.repeat(40) })));

describe('sectionAt', () => {
  it('finds the section showing every offset, the separator after a section counting as its own', () => {
    const sections = planSections(blocks, { whole: 0, blocks: 6, chars: 2_000, first: 1_000 });
    expect(sections.length).toBeGreaterThan(3);
    const length = blocks[blocks.length - 1]!.start + blocks[blocks.length - 1]!.text.length;
    for (let offset = 0; offset <= length; offset += 37) {
      // The linear answer: the last section starting at or before the offset.
      const expected = [...sections].reverse().find((s) => s.start <= offset)!;
      expect(sectionAt(sections, offset), `offset ${offset}`).toBe(expected);
    }
    for (const s of sections) {
      expect(sectionAt(sections, s.start)).toBe(s);
      expect(sectionAt(sections, s.end)).toBe(s);
    }
    expect(sectionAt(sections, -5)).toBe(sections[0]);
    expect(sectionAt(sections, length + 100)).toBe(sections[sections.length - 1]);
  });
});
