/**
 * Document-wide measures the paragraph builder compares lines against: the body size, the heading
 * sizes, the usual line pitch per size, and each column's edges (where its lines start and end when
 * nothing indents or shortens them).
 */
import type { PageText, TextLine } from './types.js';

/** Text at least this much larger than the body is a heading. */
export const HEADING_RATIO = 1.15;

const sizeKey = (size: number): number => Math.round(size * 2) / 2;

/** The size most characters of the document are set in. */
export function bodySizeOf(pages: readonly PageText[]): number {
  const weight = new Map<number, number>();
  for (const p of pages) for (const l of p.lines) weight.set(sizeKey(l.size), (weight.get(sizeKey(l.size)) ?? 0) + l.text.length);
  let best = 0;
  let size = 10;
  for (const [k, w] of weight) {
    if (w > best) {
      best = w;
      size = k;
    }
  }
  return size;
}

/** Heading levels by size: the largest heading size is level 1; at most six levels. */
export function headingLevels(pages: readonly PageText[], bodySize: number): (size: number) => number | null {
  const sizes = new Set<number>();
  for (const p of pages) for (const l of p.lines) if (l.size >= HEADING_RATIO * bodySize) sizes.add(sizeKey(l.size));
  const ranked = [...sizes].sort((a, b) => b - a);
  return (size) => {
    if (size < HEADING_RATIO * bodySize) return null;
    const i = ranked.indexOf(sizeKey(size));
    return Math.min(6, (i < 0 ? ranked.length : i) + 1);
  };
}

/** The usual distance between baselines of consecutive lines of each size (median). */
export function linePitch(pages: readonly PageText[]): (size: number) => number {
  const gaps = new Map<number, number[]>();
  for (const p of pages) {
    for (let i = 1; i < p.lines.length; i++) {
      const a = p.lines[i - 1]!;
      const b = p.lines[i]!;
      if (a.region !== b.region || sizeKey(a.size) !== sizeKey(b.size)) continue;
      const dy = b.y - a.y;
      if (dy > 0.5 * a.size && dy < 2.5 * a.size) {
        let list = gaps.get(sizeKey(a.size));
        if (!list) gaps.set(sizeKey(a.size), (list = []));
        list.push(dy);
      }
    }
  }
  const medians = new Map<number, number>();
  for (const [k, list] of gaps) {
    list.sort((a, b) => a - b);
    medians.set(k, list[Math.floor(list.length / 2)]!);
  }
  return (size) => medians.get(sizeKey(size)) ?? 1.2 * size;
}

/** Where a column's lines start and end when nothing indents or shortens them. */
export interface Edges {
  left: number;
  right: number;
  /** Most lines fill the column to both edges (justified text): a short line is a paragraph's end. */
  justified: boolean;
}

const MIN_LINES = 3;
/** A column is justified when this share of its lines reach both edges (the rest are paragraph ends and indents). */
const JUSTIFIED = 0.6;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
}

/**
 * Each column's edges, by page and region. A column of fewer than three lines borrows the edges of
 * the nearest earlier column that stands over the same part of the page (the last page of a chapter
 * with one line on it is set in the same column as the pages before).
 */
export function columnEdges(pages: readonly PageText[], isBody: (l: TextLine) => boolean): (line: TextLine) => Edges {
  const table = new Map<string, Edges>();
  const good: Edges[] = [];
  for (const p of pages) {
    const regions = new Map<number, TextLine[]>();
    for (const l of p.lines) {
      if (!isBody(l)) continue;
      let r = regions.get(l.region);
      if (!r) regions.set(l.region, (r = []));
      r.push(l);
    }
    for (const [region, lines] of regions) {
      const lefts = lines.map((l) => l.x0).sort((a, b) => a - b);
      const rights = lines.map((l) => l.x1).sort((a, b) => a - b);
      const own: Edges = { left: lefts[0]!, right: rights[rights.length - 1]!, justified: false };
      let edges = own;
      if (lines.length >= MIN_LINES) {
        const left = percentile(lefts, 0.1);
        const right = percentile(rights, 0.9);
        const full = lines.filter((l) => l.x0 - left < 0.3 * l.size && right - l.x1 < 0.3 * l.size).length;
        edges = { left, right, justified: full >= JUSTIFIED * lines.length };
        good.push(edges);
      } else {
        for (let i = good.length - 1; i >= 0; i--) {
          const g = good[i]!;
          const overlap = Math.min(g.right, own.right) - Math.max(g.left, own.left);
          if (overlap > 0.5 * (own.right - own.left)) {
            edges = { left: Math.min(g.left, own.left), right: Math.max(g.right, own.right), justified: g.justified };
            break;
          }
        }
      }
      table.set(`${p.index}:${region}`, edges);
    }
  }
  return (line) => table.get(`${line.page}:${line.region}`) ?? { left: line.x0, right: line.x1, justified: false };
}
