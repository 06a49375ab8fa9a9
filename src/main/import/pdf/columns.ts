/**
 * Reading order on a page: columns found from the gutters between them, read one after another
 * (left to right on a left-to-right page, right to left on a Hebrew page), each top to bottom.
 *
 * A gutter is a vertical strip, at least half an em wide, that (almost) no line's ink crosses while
 * lines lie on both sides of it. The x-extents of the lines are counted per strip of the page; a
 * strip crossed by at most a fifth of the lines, with at least three lines on each side, is a
 * candidate, and the one fewest lines cross is taken (further gutters are found inside each
 * column, so three columns are two cuts). The few lines that do cross it (a title over both
 * columns, a centred running head) cut the page into bands, and each band is ordered again on its
 * own, so a page may open with a title across the page and go on in two columns. Text on one side
 * only, above where the other side begins, is read before the columns (a narrow opening); below,
 * one column may simply end sooner, so nothing is cut there. A region with no gutter is cut at
 * vertical gaps twice its line pitch (a two-column section between full-width text), and what
 * cannot be cut further is read top to bottom. Lines cut at a gutter are split by their runs, so
 * two columns whose baselines agree (one page-wide line to begin with) come apart.
 */
import type { Direction } from '../../../common/model.js';
import type { RawLine, Run } from './types.js';

/** At most this share of a region's lines may cross a gutter (titles, running heads). */
const MAX_CROSSING = 0.2;
/** Each column has at least this many lines. */
const MIN_COLUMN_LINES = 3;
/** A gutter is at least this wide (fraction of the body size). */
const MIN_GUTTER = 0.5;
/** A gap between lines this many times the usual line pitch cuts a region into strips. */
const STRIP_GAP = 2;
/** One side's text beginning this many ems above the other's is an opening over the columns. */
const OPENING = 1.5;
/** Nesting of bands, columns and strips at most this deep. */
const MAX_DEPTH = 8;
/** A page's width is counted in at most this many strips. */
const MAX_BINS = 2048;

/** A line in reading order, with the column it was read in (0 is the page as a whole). */
export interface PlacedLine {
  line: RawLine;
  region: number;
}

interface Gutter {
  /** Where lines are cut (the gutter's middle). */
  x: number;
  a: number;
  b: number;
}

/** Orders a page's lines for reading; `dir` orders the columns. */
export function readingOrder(lines: readonly RawLine[], dir: Direction): PlacedLine[] {
  const out: PlacedLine[] = [];
  let nextRegion = 1;
  const leaf = (region: RawLine[], id: number): void => {
    for (const line of byY(region)) out.push({ line, region: id });
  };
  const visit = (region: RawLine[], id: number, depth: number): void => {
    if (region.length < 2 * MIN_COLUMN_LINES || depth > MAX_DEPTH) return leaf(region, id);
    const gutter = bestGutter(region);
    if (!gutter) {
      const strips = splitAtGaps(region);
      if (strips.length === 1) return leaf(region, id);
      for (const strip of strips) visit(strip, id, depth + 1);
      return;
    }
    const crossing = new Set(region.filter((l) => crosses(l, gutter)));
    if (crossing.size > 0) {
      // Bands between the crossing lines, each ordered on its own.
      let band: RawLine[] = [];
      for (const line of byY(region)) {
        if (!crossing.has(line)) {
          band.push(line);
          continue;
        }
        if (band.length) visit(band, id, depth + 1);
        band = [];
        out.push({ line, region: id });
      }
      if (band.length) visit(band, id, depth + 1);
      return;
    }
    // Text on one side only above where the other side begins (a narrow opening over two
    // columns) is read before the columns. Below, one column may simply end sooner: no cut there.
    const top = (side: -1 | 1): number => Math.min(...region.filter((l) => onSide(l, gutter.x, side)).map((l) => l.y));
    const [topLeft, topRight] = [top(-1), top(1)];
    const opening = Math.max(topLeft, topRight) - OPENING * bodySize(region);
    if (Math.abs(topLeft - topRight) > OPENING * bodySize(region)) {
      visit(region.filter((l) => l.y < opening), id, depth + 1);
      visit(region.filter((l) => l.y >= opening), id, depth + 1);
      return;
    }
    const columns = splitColumns(region, gutter);
    if (dir === 'rtl') columns.reverse();
    for (const column of columns) visit(column, nextRegion++, depth + 1);
  };
  visit([...lines], 0, 0);
  return out;
}

function byY(lines: RawLine[]): RawLine[] {
  return [...lines].sort((p, q) => p.y - q.y || p.x0 - q.x0);
}

function ink(run: Run): boolean {
  return !run.space;
}

/** A line's ink crosses the gutter's middle. */
function crosses(line: RawLine, g: Gutter): boolean {
  return line.runs.some((r) => ink(r) && r.x < g.x && r.x + r.w > g.x);
}

/** The typical size of a region's lines (median). */
function bodySize(lines: readonly RawLine[]): number {
  const sizes = lines.map((l) => l.size).sort((p, q) => p - q);
  return sizes[Math.floor(sizes.length / 2)] ?? 10;
}

/** Gutters of a region, left to right. */
export function findGutters(lines: readonly RawLine[]): Gutter[] {
  let minX = Infinity;
  let maxX = -Infinity;
  for (const l of lines) {
    if (l.x1 <= l.x0) continue;
    minX = Math.min(minX, l.x0);
    maxX = Math.max(maxX, l.x1);
  }
  const width = maxX - minX;
  if (!(width > 0)) return [];
  const binW = Math.max(0.5, width / MAX_BINS);
  const bins = Math.ceil(width / binW) + 1;
  const bin = (x: number): number => Math.min(bins - 1, Math.max(0, Math.floor((x - minX) / binW)));
  // How many lines ink each strip: per line, its runs merged into disjoint spans, counted once.
  const diff = new Int32Array(bins + 1);
  for (const l of lines) {
    let s = -1;
    let e = -1;
    for (const r of l.runs) {
      if (!ink(r)) continue;
      const rs = bin(r.x);
      const re = bin(r.x + r.w);
      if (s >= 0 && rs <= e + 1) e = Math.max(e, re);
      else {
        if (s >= 0) (diff[s]!++, diff[e + 1]!--);
        s = rs;
        e = re;
      }
    }
    if (s >= 0) (diff[s]!++, diff[e + 1]!--);
  }
  const cover = new Int32Array(bins);
  let running = 0;
  for (let i = 0; i < bins; i++) cover[i] = running += diff[i]!;

  const maxCrossing = Math.floor(MAX_CROSSING * lines.length);
  const minBins = Math.ceil((MIN_GUTTER * bodySize(lines)) / binW);
  const gutters: Gutter[] = [];
  let i = 0;
  while (i < bins) {
    if (cover[i]! > maxCrossing) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < bins && cover[j + 1]! <= maxCrossing) j++;
    // Interior strips only, wide enough; the cut goes through the least-crossed middle of the gutter.
    if (i > 0 && j < bins - 1 && j - i + 1 >= minBins) {
      let low = Infinity;
      for (let k = i; k <= j; k++) low = Math.min(low, cover[k]!);
      let first = i;
      while (cover[first]! !== low) first++;
      let last = first;
      while (last + 1 <= j && cover[last + 1]! === low) last++;
      const a = minX + i * binW;
      const b = minX + (j + 1) * binW;
      const x = minX + ((first + last + 1) / 2) * binW;
      if (sideCount(lines, x, -1) >= MIN_COLUMN_LINES && sideCount(lines, x, 1) >= MIN_COLUMN_LINES) gutters.push({ x, a, b });
    }
    i = j + 1;
  }
  return gutters;
}

/** The line has ink on that side of x (-1 left, 1 right). */
function onSide(l: RawLine, x: number, side: -1 | 1): boolean {
  return side < 0 ? l.runs.some((r) => ink(r) && r.x + r.w <= x) : l.runs.some((r) => ink(r) && r.x >= x);
}

/** Lines with ink on one side of x. */
function sideCount(lines: readonly RawLine[], x: number, side: -1 | 1): number {
  let n = 0;
  for (const l of lines) if (onSide(l, x, side)) n++;
  return n;
}

/** The gutter fewest lines cross (the widest of those); further columns are found inside each column. */
function bestGutter(lines: readonly RawLine[]): Gutter | null {
  let best: Gutter | null = null;
  let bestCrossing = Infinity;
  for (const g of findGutters(lines)) {
    const crossing = lines.filter((l) => crosses(l, g)).length;
    if (crossing < bestCrossing || (crossing === bestCrossing && best && g.b - g.a > best.b - best.a)) {
      best = g;
      bestCrossing = crossing;
    }
  }
  return best;
}

/** Cuts every line at the gutter; each side gets the part of each line that lies in it. */
function splitColumns(lines: readonly RawLine[], gutter: Gutter): RawLine[][] {
  const left: RawLine[] = [];
  const right: RawLine[] = [];
  for (const l of lines) {
    const parts: [Run[], Run[]] = [[], []];
    for (const r of l.runs) parts[r.x + r.w / 2 > gutter.x ? 1 : 0].push(r);
    if (parts[0].some(ink)) left.push(subLine(l, parts[0]));
    if (parts[1].some(ink)) right.push(subLine(l, parts[1]));
  }
  return [left, right];
}

function subLine(l: RawLine, runs: Run[]): RawLine {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const r of runs) {
    if (!ink(r)) continue;
    x0 = Math.min(x0, r.x);
    x1 = Math.max(x1, r.x + r.w);
  }
  return { runs, x0, x1, y: l.y, size: l.size };
}

/** Cuts a region at vertical gaps much wider than its usual line pitch. */
function splitAtGaps(lines: readonly RawLine[]): RawLine[][] {
  const sorted = byY([...lines]);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push(sorted[i]!.y - sorted[i - 1]!.y);
  const positive = gaps.filter((g) => g > 0.5).sort((p, q) => p - q);
  const pitch = positive[Math.floor(positive.length / 2)];
  if (pitch === undefined) return [sorted];
  const strips: RawLine[][] = [[sorted[0]!]];
  for (let i = 1; i < sorted.length; i++) {
    if (gaps[i - 1]! > STRIP_GAP * pitch) strips.push([]);
    strips[strips.length - 1]!.push(sorted[i]!);
  }
  return strips;
}
