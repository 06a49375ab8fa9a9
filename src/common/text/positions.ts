/**
 * Where blocks lie in the canonical text (their texts joined by `\n`): the blocks a range
 * touches, and the text between two offsets. Blocks are in text order, each with its `start`.
 *
 * Below, the mapping between canonical offsets and the positions of a document built with one
 * node per block (the reader's ProseMirror documents), kept free of ProseMirror itself.
 */
export interface PlacedBlock {
  start: number;
  text: string;
}

/** The index of the first block that ends at or after `offset` (`blocks.length` when none does). */
export function firstBlockFrom(blocks: readonly PlacedBlock[], offset: number): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (b.start + b.text.length < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the block holding a canonical offset: the last starting at or before it, or -1. */
export function blockIndexAt(blocks: readonly { start: number }[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The blocks a canonical range [start, end) touches, in order. */
export function blocksOver<B extends PlacedBlock>(blocks: readonly B[], start: number, end: number): B[] {
  const out: B[] = [];
  for (let i = firstBlockFrom(blocks, start); i < blocks.length && blocks[i]!.start < end; i++) out.push(blocks[i]!);
  return out;
}

/** The canonical text between two offsets (blocks joined by `\n`). */
export function canonicalSlice(blocks: readonly PlacedBlock[], start: number, end: number): string {
  return blocksOver(blocks, start, end)
    .map((b) => b.text.slice(Math.max(0, start - b.start), Math.max(0, end - b.start)))
    .join('\n');
}

/** Ranges of the canonical text clipped to one block: offsets into the block's own text, empty ones dropped. */
export function clipToBlock<R extends { from: number; to: number }>(block: PlacedBlock, ranges: readonly R[]): R[] {
  const out: R[] = [];
  for (const r of ranges) {
    const from = Math.max(0, r.from - block.start);
    const to = Math.min(block.text.length, r.to - block.start);
    if (to > from) out.push({ ...r, from, to });
  }
  return out;
}

/*
 * Mapping between ProseMirror positions and canonical-text offsets (UTF-16, blocks joined by
 * `\n`). The document is `doc > block+`, one node per stored block, so block i opens at the sum
 * of the sizes of the blocks before it. A text block's text starts one position after its opening
 * token. A table row is `row > cell+` (its text is the cells joined by TAB): each TAB stands where
 * one cell closes and the next opens, two positions for one character, so an offset inside a row
 * lies `2 + (TABs before it)` positions after the row's opening token.
 */

export interface PlacedText {
  /** Offset of the block's first character in the canonical text. */
  start: number;
  text: string;
  /** The block's kind; only `row` is laid out differently. */
  kind?: string;
}

const TAB = 9;

function isRow(b: PlacedText): boolean {
  return b.kind === 'row';
}

/** TAB characters in `text` before `end`. */
function tabsBefore(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === TAB) n++;
  return n;
}

/** The size of a block's node: its text and tokens (a row: one pair of tokens per cell more). */
export function blockSize(b: PlacedText): number {
  return isRow(b) ? b.text.length + tabsBefore(b.text, b.text.length) + 4 : b.text.length + 2;
}

/** The position of an offset inside a block (0..text.length), given the block's position. */
function posIn(b: PlacedText, at: number, inner: number): number {
  return isRow(b) ? at + 2 + inner + tabsBefore(b.text, inner) : at + 1 + inner;
}

/**
 * The offset inside a block (0..text.length) of a position in or around it. In a row, the position
 * between two cells is the TAB's offset (the end of the cell before it).
 */
function offsetIn(b: PlacedText, at: number, pos: number): number {
  if (!isRow(b)) return Math.max(0, Math.min(pos - at - 1, b.text.length));
  let rel = pos - at - 2;
  if (rel <= 0) return 0;
  const text = b.text;
  // Walk the cells: each one's text, then one position between cells (the TAB's).
  let offset = 0;
  for (;;) {
    const tab = text.indexOf('\t', offset);
    const end = tab < 0 ? text.length : tab;
    if (rel <= end - offset) return offset + rel;
    if (tab < 0) return text.length;
    rel -= end - offset + 2;
    if (rel < 0) return end;
    offset = end + 1;
  }
}

/** For each block, the ProseMirror position just before its opening token. */
export function blockPositions(blocks: readonly PlacedText[]): number[] {
  const out: number[] = [];
  let pos = 0;
  for (const b of blocks) {
    out.push(pos);
    pos += blockSize(b);
  }
  return out;
}

/** Index of the last key <= `value` (keys ascending); 0 when none. */
export function lastAtOrBefore(keys: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * A canonical offset as a ProseMirror position. An offset on a block separator (`\n`) maps to
 * the end of the block before it. Throws a RangeError outside the text.
 */
export function offsetToPos(blocks: readonly PlacedText[], offset: number, positions = blockPositions(blocks)): number {
  const last = blocks[blocks.length - 1];
  const length = last ? last.start + last.text.length : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > length) {
    throw new RangeError(`Offset ${offset} is outside the canonical text (0-${length})`);
  }
  if (!last) return 0;
  const i = lastAtOrBefore(
    blocks.map((b) => b.start),
    offset,
  );
  const b = blocks[i]!;
  return posIn(b, positions[i]!, Math.min(offset - b.start, b.text.length));
}

/**
 * A ProseMirror position as a canonical offset. Positions between blocks (before a block's
 * opening token, after its closing one) clamp to the nearest text position of that block.
 */
export function posToOffset(blocks: readonly PlacedText[], pos: number, positions = blockPositions(blocks)): number {
  if (blocks.length === 0) return 0;
  const i = lastAtOrBefore(positions, pos);
  const b = blocks[i]!;
  return b.start + offsetIn(b, positions[i]!, pos);
}

/**
 * Offsets and positions for a run of consecutive blocks (a section, or the whole document) shown
 * by one ProseMirror document, with the block starts worked out once rather than per call.
 * Offsets outside the run clamp to its first or last text position.
 */
export class PositionMap {
  private readonly starts: Float64Array;
  private readonly positions: number[];
  readonly start: number;
  readonly end: number;

  constructor(private readonly blocks: readonly PlacedText[]) {
    this.starts = Float64Array.from(blocks, (b) => b.start);
    this.positions = blockPositions(blocks);
    const first = blocks[0];
    const last = blocks[blocks.length - 1];
    this.start = first?.start ?? 0;
    this.end = last ? last.start + last.text.length : 0;
  }

  toPos(offset: number): number {
    if (this.blocks.length === 0) return 0;
    const o = Math.max(this.start, Math.min(offset, this.end));
    const i = lastAtOrBefore(this.starts, o);
    const b = this.blocks[i]!;
    return posIn(b, this.positions[i]!, Math.min(o - b.start, b.text.length));
  }

  toOffset(pos: number): number {
    if (this.blocks.length === 0) return this.start;
    const i = lastAtOrBefore(this.positions, pos);
    const b = this.blocks[i]!;
    return b.start + offsetIn(b, this.positions[i]!, pos);
  }
}
