/**
 * A long text is read in sections. ProseMirror does not virtualise: one view over a whole book
 * builds, lays out and diffs every paragraph on each update. So the document is cut into runs of
 * blocks, each shown by its own view, mounted only near the screen (see editor.ts); a small text
 * is one section. Pure: no DOM.
 */
import type { Block } from '../../common/model.js';
import { blockIndexAt } from '../../common/text/positions.js';

export interface Section {
  index: number;
  /** Blocks `from` (inclusive) to `to` (exclusive) of the document. */
  from: number;
  to: number;
  /** Canonical offsets: the first block's start and the last block's end. */
  start: number;
  end: number;
}

/**
 * Measured on the 5 MB benchmark book (2 cores): a section of 10,000 characters mounts (build,
 * decorate, lay out Hebrew and Latin text) in 20-26 ms on an idle machine, and in twice that when
 * the two cores are shared; 6,000 keeps it near 15 ms with room to spare under a 50 ms task. The
 * first is smaller still (a screenful and a half), because it alone stands between opening and
 * the first text. A text of up to `whole` characters is one section: nothing to gain from cutting.
 */
export const SECTION_LIMITS = { whole: 30_000, blocks: 30, chars: 6_000, first: 4_000 };

/** Cuts the blocks into sections of at most `limits.blocks` blocks and about `limits.chars` characters. */
export function planSections(blocks: readonly Block[], limits = SECTION_LIMITS): Section[] {
  const out: Section[] = [];
  const last = blocks[blocks.length - 1];
  const total = last ? last.start + last.text.length : 0;
  let from = 0;
  let chars = 0;
  const close = (to: number) => {
    const first = blocks[from];
    const end = blocks[to - 1];
    out.push({ index: out.length, from, to, start: first?.start ?? 0, end: end ? end.start + end.text.length : 0 });
    from = to;
    chars = 0;
  };
  if (total > limits.whole) {
    for (let i = 0; i < blocks.length; i++) {
      chars += blocks[i]!.text.length + 1;
      if (i + 1 - from >= limits.blocks || chars >= (out.length === 0 ? limits.first : limits.chars)) close(i + 1);
    }
  }
  if (from < blocks.length || out.length === 0) close(blocks.length);
  return out;
}

/**
 * The section that shows a canonical offset: the last one starting at or before it. An offset on
 * the separator after a section's last block belongs to that section (the end of its block).
 */
export function sectionAt(sections: readonly Section[], offset: number): Section {
  return sections[Math.max(0, blockIndexAt(sections, offset))]!;
}
