/**
 * How one block of a pair's pane is drawn, worked out without the DOM: the block's text cut into
 * its opposite-direction runs (each one isolate, as the reader's `iso` mark does) and, inside each
 * run, into pieces covered by the same highlights. A highlight crossing a run's edge is split at
 * it rather than the isolate being split: two half isolates would be laid out in the paragraph's
 * direction and swap places (`S-300` drawn as `-300S`).
 */
import { CELL_SEPARATOR, type Annotation, type Block, type Color, type Direction } from '../../common/model.js';
import { isolatedRuns } from '../reader/bidi.js';
import { assignLayers } from '../reader/layers.js';

/** A highlight as one block draws it: offsets into the block's own text. */
export interface BlockHighlight {
  id: string;
  from: number;
  to: number;
  color: Color;
  layer: number;
  linked: boolean;
}

export interface TextPiece {
  from: number;
  to: number;
  /** The highlights covering the piece, lowest layer first (the outermost wrapper). */
  highlights: BlockHighlight[];
}

export interface TextRun {
  from: number;
  to: number;
  /** The isolate's direction, or null for text in the block's own direction. */
  dir: Direction | null;
  pieces: TextPiece[];
}

/** The block's text as runs and pieces, in text order, covering it exactly. */
export function layoutBlockText(text: string, dir: Direction, highlights: readonly BlockHighlight[]): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  const push = (from: number, to: number, runDir: Direction | null) => {
    if (to > from) runs.push({ from, to, dir: runDir, pieces: pieces(from, to, highlights) });
  };
  for (const run of isolatedRuns(text, dir)) {
    push(at, run.from, null);
    push(run.from, run.to, run.dir);
    at = run.to;
  }
  push(at, text.length, null);
  return runs;
}

/** One cell of a table row: its place in the row's text and its runs (offsets into the row's text). */
export interface RowCell {
  from: number;
  to: number;
  runs: TextRun[];
}

/**
 * A table row's text (cells joined by TAB) as cells, each laid out on its own as a block is: an
 * isolate never spans two cells, and a highlight across a TAB is drawn in each cell it touches.
 */
export function layoutRowText(text: string, dir: Direction, highlights: readonly BlockHighlight[]): RowCell[] {
  const cells: RowCell[] = [];
  let from = 0;
  for (const cell of text.split(CELL_SEPARATOR)) {
    const to = from + cell.length;
    const at = from;
    const local = highlights.map((h) => ({ ...h, from: h.from - at, to: h.to - at }));
    const runs = layoutBlockText(cell, dir, local).map((r) => ({
      ...r,
      from: r.from + at,
      to: r.to + at,
      pieces: r.pieces.map((p) => ({ ...p, from: p.from + at, to: p.to + at })),
    }));
    cells.push({ from, to, runs });
    from = to + 1;
  }
  return cells;
}

function pieces(from: number, to: number, highlights: readonly BlockHighlight[]): TextPiece[] {
  const inside = highlights.filter((h) => h.from < to && h.to > from);
  if (inside.length === 0) return [{ from, to, highlights: [] }];
  const cuts = new Set([from, to]);
  for (const h of inside) {
    if (h.from > from) cuts.add(h.from);
    if (h.to < to) cuts.add(h.to);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: TextPiece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    out.push({ from: a, to: b, highlights: inside.filter((h) => h.from <= a && h.to >= b).sort((x, y) => x.layer - y.layer) });
  }
  return out;
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

/** The blocks a canonical range touches (blocks are in text order; binary search for the first). */
export function blocksOver(blocks: readonly Block[], start: number, end: number): Block[] {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (b.start + b.text.length < start) lo = mid + 1;
    else hi = mid;
  }
  const out: Block[] = [];
  for (let i = lo; i < blocks.length && blocks[i]!.start < end; i++) out.push(blocks[i]!);
  return out;
}

/** The canonical text between two offsets (blocks joined by `\n`). */
export function canonicalSlice(blocks: readonly Block[], start: number, end: number): string {
  return blocksOver(blocks, start, end)
    .map((b) => b.text.slice(Math.max(0, start - b.start), Math.max(0, end - b.start)))
    .join('\n');
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

/**
 * Where a pane should scroll so that the counterpart of the unit at the other pane's top edge sits
 * at its own top edge, at the same fraction of its height. `from`: the top edge of the leading
 * pane's view and the unit there (offsets in that pane's content); `to`: the counterpart's box.
 */
export function followScroll(from: { edge: number; top: number; height: number }, to: { top: number; height: number }): number {
  const fraction = from.height > 0 ? Math.min(1, Math.max(0, (from.edge - from.top) / from.height)) : 0;
  return to.top + fraction * to.height;
}
