/**
 * The one segmenter that cuts a block's text for drawing with highlights, used by the pair desk's
 * panes and the HTML report: the text as its opposite-direction runs (each one isolate, see
 * `bidi.ts`) and, inside each run, pieces covered by the same highlights. A highlight crossing a
 * run's edge is split at it rather than the isolate being split: two half isolates would be laid
 * out in the paragraph's direction and swap places (`S-300` drawn as `-300S`).
 *
 * A table row (cells joined by TAB) is cut cell by cell: an isolate never spans two cells, and a
 * highlight across a TAB is drawn in each cell it touches.
 */
import { CELL_SEPARATOR, type Direction } from '../model.js';
import { isolatedRuns } from './bidi.js';

/** What a segment may be covered by: a range of the block's own text, and its layer (0 outermost). */
export interface Span {
  from: number;
  to: number;
  layer: number;
}

export interface TextPiece<H extends Span = Span> {
  from: number;
  to: number;
  /** The spans covering the piece, lowest layer first (the outermost wrapper). */
  highlights: H[];
}

export interface TextRun<H extends Span = Span> {
  from: number;
  to: number;
  /** The isolate's direction, or null for text in the block's own direction. */
  dir: Direction | null;
  pieces: TextPiece<H>[];
}

/** One cell of a table row: its place in the row's text and its runs (offsets into the row's text). */
export interface RowCell<H extends Span = Span> {
  from: number;
  to: number;
  runs: TextRun<H>[];
}

/** The block's text as runs and pieces, in text order, covering it exactly. */
export function segmentBlock<H extends Span>(text: string, dir: Direction, highlights: readonly H[]): TextRun<H>[] {
  const runs: TextRun<H>[] = [];
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

/** A table row's text as cells, each segmented on its own (offsets stay the row's). */
export function segmentRow<H extends Span>(text: string, dir: Direction, highlights: readonly H[]): RowCell<H>[] {
  const cells: RowCell<H>[] = [];
  let from = 0;
  for (const cell of text.split(CELL_SEPARATOR)) {
    const to = from + cell.length;
    const at = from;
    const local = highlights.map((h) => ({ ...h, from: h.from - at, to: h.to - at }));
    const runs = segmentBlock(cell, dir, local).map((r) => ({
      ...r,
      from: r.from + at,
      to: r.to + at,
      pieces: r.pieces.map((p) => ({ ...p, from: p.from + at, to: p.to + at, highlights: p.highlights.map((h) => highlights[local.indexOf(h)]!) })),
    }));
    cells.push({ from, to, runs });
    from = to + 1;
  }
  return cells;
}

function pieces<H extends Span>(from: number, to: number, highlights: readonly H[]): TextPiece<H>[] {
  const inside = highlights.filter((h) => h.from < to && h.to > from);
  if (inside.length === 0) return [{ from, to, highlights: [] }];
  const cuts = new Set([from, to]);
  for (const h of inside) {
    if (h.from > from) cuts.add(h.from);
    if (h.to < to) cuts.add(h.to);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: TextPiece<H>[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    out.push({ from: a, to: b, highlights: inside.filter((h) => h.from <= a && h.to >= b).sort((x, y) => x.layer - y.layer) });
  }
  return out;
}
