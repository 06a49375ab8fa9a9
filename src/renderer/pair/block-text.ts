/**
 * The desk's text helpers over a document's blocks: its annotations as highlights per block (the
 * shared segmenter, `common/text/segments.ts`, cuts each block around them), and how runs of
 * block indices are written.
 */
import type { Annotation, Block, Color } from '../../common/model.js';
import { assignLayers } from '../../common/text/layers.js';
import { blocksOver } from '../../common/text/positions.js';
import type { Span } from '../../common/text/segments.js';

/** A highlight as one block draws it: offsets into the block's own text. */
export interface BlockHighlight extends Span {
  id: string;
  color: Color;
  linked: boolean;
}

/**
 * A document's anchored annotations as highlights per block (index -> highlights), layered over
 * the whole document so that overlapping ones stay visible, clipped to each block's text.
 */
export function highlightsByBlock(blocks: readonly Block[], annotations: readonly Annotation[], linked: ReadonlySet<string>): Map<number, BlockHighlight[]> {
  const layered = assignLayers(annotations.filter((a) => a.status === 'anchored' && a.end > a.start).map((a) => ({ from: a.start, to: a.end, a })));
  const out = new Map<number, BlockHighlight[]>();
  for (const item of layered) {
    for (const block of blocksOver(blocks, item.from, item.to)) {
      const from = Math.max(0, item.from - block.start);
      const to = Math.min(block.text.length, item.to - block.start);
      if (to <= from) continue;
      const list = out.get(block.index) ?? [];
      list.push({ id: item.a.id, from, to, color: item.a.color, layer: item.layer, linked: linked.has(item.a.id) });
      out.set(block.index, list);
    }
  }
  return out;
}

/** Whether a block's highlights are drawn the same (a block whose highlights did not change is not drawn again). */
export function sameHighlights(a: readonly BlockHighlight[] | undefined, b: readonly BlockHighlight[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((h, i) => {
    const o = y[i]!;
    return h.id === o.id && h.from === o.from && h.to === o.to && h.color === o.color && h.layer === o.layer && h.linked === o.linked;
  });
}

/** A run of indices as people write it, one-based: `3`, `3–5`; empty for none. */
export function formatRun(indices: readonly number[]): string {
  if (indices.length === 0) return '';
  const first = indices[0]! + 1;
  const last = indices[indices.length - 1]! + 1;
  return first === last ? String(first) : `${first}–${last}`;
}

/** Whether indices are consecutive (a link's side must be); an empty side is. */
export function isRun(indices: readonly number[]): boolean {
  const s = [...indices].sort((a, b) => a - b);
  return s.every((x, i) => i === 0 || x === s[i - 1]! + 1);
}
