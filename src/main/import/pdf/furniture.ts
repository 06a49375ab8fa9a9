/**
 * Page furniture: running heads, running feet and page numbers, left out of the text.
 *
 * A line near the top or the bottom of a page is furniture when the same text (digits masked, so
 * "Page 3 of 10" and "Page 4 of 10" are the same) stands at the same height on other pages too;
 * and the first or last line of a page is a page number when it is nothing but one ("12", "- 12 -",
 * "Page 12", "12 / 40", "xii", "עמוד 12"). Lines in a larger size than the body are never
 * furniture (a chapter title at the top of each chapter's first page is text), and a line in the
 * body's size is only when a gap wider than the line spacing sets it off from the text (the same
 * paragraph may open several pages).
 */
import type { PageText, TextLine } from './types.js';

/** How many of a page's lines, from the top and from the bottom, may be furniture. */
const EDGE_LINES = 3;
/** Furniture stands in this share of the page's height from its top or its bottom. */
const MARGIN_ZONE = 0.2;
/** Heights within this many points count as the same place. */
const PLACE = 6;
/** A running head in the body's size is set off from the text by more than this many body sizes (a paragraph gap is less). */
const APART = 2.5;

const PAGE_NUMBER =
  /^(?:(?:page|p\.|pg\.?|עמוד|עמ['׳]?|s\.|seite)\s*)?[-–—|·•]?\s*(?:\d{1,5}|[ivxlcdm]{1,7})\s*[-–—|·•]?\s*(?:(?:of|\/|מתוך|von)\s*\d{1,5})?$/iu;

function maskedKey(line: TextLine): string {
  return line.text.toLowerCase().replace(/\d+/gu, '#').replace(/\s+/gu, ' ').trim();
}

/** The lines of a page that lie in its head or foot zone, among its first or last few lines. */
function edgeLines(page: PageText): TextLine[] {
  const sorted = [...page.lines].sort((p, q) => p.y - q.y);
  const levels: number[] = [];
  for (const l of sorted) if (!levels.some((y) => Math.abs(y - l.y) < PLACE / 2)) levels.push(l.y);
  const top = levels.slice(0, EDGE_LINES);
  const bottom = levels.slice(-EDGE_LINES);
  return sorted.filter((l) => {
    const atTop = top.some((y) => Math.abs(y - l.y) < PLACE / 2) && l.y < MARGIN_ZONE * page.height;
    const atBottom = bottom.some((y) => Math.abs(y - l.y) < PLACE / 2) && l.y > (1 - MARGIN_ZONE) * page.height;
    return atTop || atBottom;
  });
}

/**
 * A line in the body's size stands apart from the text: it is the outermost such line on its side
 * of the page, and a gap wider than a paragraph's spacing sets it off from the text (a paragraph
 * that happens to open several pages is not a running head).
 */
function apart(page: PageText, line: TextLine, bodySize: number): boolean {
  if (line.size < 0.9 * bodySize) return true;
  const top = line.y < page.height / 2;
  let gap = Infinity;
  for (const l of page.lines) {
    const d = top ? l.y - line.y : line.y - l.y;
    if (d < -PLACE / 2 && l.size >= 0.9 * bodySize) return false;
    if (d > PLACE / 2 && d < gap) gap = d;
  }
  return gap > APART * bodySize;
}

/** Removes furniture from every page, in place; `bodySize` is the document's body text size. */
export function removeFurniture(pages: PageText[], bodySize: number): void {
  const small = (l: TextLine): boolean => l.size < 1.1 * bodySize;
  const edges = pages.map((p) => edgeLines(p).filter((l) => small(l) && apart(p, l, bodySize)));
  const removed = new Set<TextLine>();

  if (pages.length >= 2) {
    const minPages = pages.length <= 4 ? 2 : 3;
    const seen = new Map<string, Set<number>>();
    edges.forEach((lines, page) => {
      for (const l of lines) {
        const key = `${maskedKey(l)}@${Math.round(l.y / PLACE)}`;
        let set = seen.get(key);
        if (!set) seen.set(key, (set = new Set()));
        set.add(page);
      }
    });
    const pagesAt = (l: TextLine): number => {
      const text = maskedKey(l);
      const b = Math.round(l.y / PLACE);
      const all = new Set<number>();
      for (const k of [b - 1, b, b + 1]) for (const p of seen.get(`${text}@${k}`) ?? []) all.add(p);
      return all.size;
    };
    for (const lines of edges) for (const l of lines) if (maskedKey(l) !== '' && pagesAt(l) >= minPages) removed.add(l);
  }

  pages.forEach((page, i) => {
    const left = page.lines.filter((l) => !removed.has(l));
    const byY = [...left].sort((p, q) => p.y - q.y);
    const candidates = [byY[0], byY[byY.length - 1]];
    for (const l of candidates) {
      if (!l || !small(l) || !edges[i]!.includes(l)) continue;
      const text = l.text.trim();
      if (PAGE_NUMBER.test(text) || text === page.label) removed.add(l);
    }
    page.lines = left.filter((l) => !removed.has(l));
  });
}
