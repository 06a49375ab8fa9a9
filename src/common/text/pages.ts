/** Pages for citation: which pages a range of the canonical text spans, and how to write them. */
import type { Block } from '../model.js';
import { firstBlockFrom } from './positions.js';

/** The page labels of the blocks a range [start, end) touches, in order, without repeats. */
export function pagesOf(blocks: readonly Pick<Block, 'start' | 'text' | 'meta'>[], start: number, end: number): string[] {
  const out: string[] = [];
  for (let i = firstBlockFrom(blocks, start); i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.start > end || (b.start === end && end > start)) break;
    for (const p of b.meta?.pages ?? []) if (out[out.length - 1] !== p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** "p. 12", "pp. 12–13" (first and last page), or '' when there are none. */
export function formatPages(pages: readonly string[]): string {
  if (pages.length === 0) return '';
  if (pages.length === 1) return `p. ${pages[0]}`;
  return `pp. ${pages[0]}–${pages[pages.length - 1]}`;
}

/** Whether any block carries pages (a PDF), so that exports of other texts skip the lookups. */
export function hasPages(blocks: readonly Pick<Block, 'meta'>[]): boolean {
  return blocks.some((b) => b.meta?.pages !== undefined && b.meta.pages.length > 0);
}
