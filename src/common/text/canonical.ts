/** The canonical text of a document: its blocks joined by `\n`. Annotation offsets point into it. */
import type { Block, BlockInput } from '../model.js';

export const QUOTE_CONTEXT = 32;

/** Gives each block its index and start offset in the canonical text. */
export function placeBlocks(blocks: readonly BlockInput[]): Block[] {
  let start = 0;
  return blocks.map((b, index) => {
    const placed = { ...b, index, start };
    start += b.text.length + 1;
    return placed;
  });
}

export function canonicalText(blocks: readonly { text: string }[]): string {
  return blocks.map((b) => b.text).join('\n');
}

/** The W3C quote selector parts for a range of the canonical text. */
/** A text, or a window onto part of one that answers for its whole length (see `TextWindow`). */
export interface TextSource {
  readonly length: number;
  slice(start: number, end?: number): string;
}

/**
 * The part of a canonical text around a range: enough to check the range and take its quote
 * selector without reading the whole document (a book's text, for every new highlight).
 * Offsets are those of the whole text.
 */
export class TextWindow implements TextSource {
  constructor(
    /** The window's text: whole blocks joined by `\n`. */
    readonly text: string,
    /** Where `text` starts in the whole text. */
    readonly offset: number,
    /** The whole text's length. */
    readonly length: number,
  ) {}

  slice(start: number, end = this.length): string {
    const from = Math.max(start, this.offset) - this.offset;
    const to = Math.min(end, this.offset + this.text.length) - this.offset;
    if (start < this.offset && start < end) throw new RangeError(`TextWindow: ${start} is before the window (${this.offset})`);
    if (end > this.offset + this.text.length && start < end && end <= this.length) throw new RangeError(`TextWindow: ${end} is after the window`);
    return to > from ? this.text.slice(from, to) : '';
  }
}

export function quoteSelector(text: TextSource, start: number, end: number): { exact: string; prefix: string; suffix: string } {
  if (!(start >= 0 && end > start && end <= text.length)) {
    throw new RangeError(`Range ${start}-${end} is outside the text (0-${text.length}) or empty`);
  }
  return {
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - QUOTE_CONTEXT), start),
    suffix: text.slice(end, end + QUOTE_CONTEXT),
  };
}

/** The block holding a canonical offset (binary search over starts). */
export function blockAt(blocks: readonly Block[], offset: number): Block | undefined {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (offset < b.start) hi = mid - 1;
    else if (offset > b.start + b.text.length) lo = mid + 1;
    else return b;
  }
  return undefined;
}

/** All UTF-16 start offsets of `needle` in `haystack`. */
export function occurrences(haystack: string, needle: string): number[] {
  const out: number[] = [];
  if (!needle) return out;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) out.push(i);
  return out;
}
