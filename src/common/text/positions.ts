/**
 * Where blocks lie in the canonical text (their texts joined by `\n`): the blocks a range
 * touches, and the text between two offsets. Blocks are in text order, each with its `start`.
 */
export interface PlacedBlock {
  start: number;
  text: string;
}

/** The blocks a canonical range [start, end) touches, in order (binary search for the first). */
export function blocksOver<B extends PlacedBlock>(blocks: readonly B[], start: number, end: number): B[] {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (b.start + b.text.length < start) lo = mid + 1;
    else hi = mid;
  }
  const out: B[] = [];
  for (let i = lo; i < blocks.length && blocks[i]!.start < end; i++) out.push(blocks[i]!);
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
