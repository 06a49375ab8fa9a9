/**
 * One block's text in the DOM: isolates outermost, highlight spans inside them (one nested span per
 * annotation, as the reader draws them), nothing visible added to the text, so the element's
 * `textContent` is the block's text and DOM offsets are text offsets. A table row's cells are
 * spans side by side, with the TAB between two cells kept in the DOM but not drawn, so that the
 * text and its offsets stay the row's.
 */
import type { Block, Direction } from '../../common/model.js';
import { headingTag } from '../reader/schema.js';
import { segmentBlock, segmentRow, type TextRun } from '../../common/text/segments.js';
import type { BlockHighlight } from './block-text.js';

/** The element a block is drawn in, by kind: the reader's tags and classes, so both look alike. */
export function blockShell(block: Block, editable: boolean, tableDir: string | null = null): { tag: 'p' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'blockquote' | 'pre' | 'div'; attrs: Record<string, string> } {
  const meta = block.meta ?? {};
  const depth = String(Math.min(6, Math.max(1, block.depth)));
  // A translation being written is one line of plain text with its hint drawn before it: no
  // marker or label there (they too are drawn before the text), and no cells.
  if (editable && (block.kind === 'item' || block.kind === 'note' || block.kind === 'row')) return { tag: 'p', attrs: {} };
  switch (block.kind) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, meta.level ?? 1));
      return { tag: headingTag(level) as 'h2', attrs: { 'data-level': String(level) } };
    }
    case 'quote':
      return { tag: 'blockquote', attrs: { 'data-depth': depth } };
    case 'item':
      return { tag: 'p', attrs: { class: 'block-item', 'data-depth': depth, 'data-marker': meta.marker ?? '•' } };
    case 'code':
      return { tag: 'pre', attrs: { class: 'block-code' } };
    case 'note':
      return { tag: 'p', attrs: { class: 'block-note', role: 'note', ...(meta.label ? { 'data-label': meta.label } : {}) } };
    case 'row':
      return { tag: 'div', attrs: { class: meta.header ? 'block-row row-header' : 'block-row', 'data-table-dir': tableDir ?? block.dir } };
    default:
      return { tag: 'p', attrs: {} };
  }
}

/** Redraws a block element's content from its text and highlights. */
export function drawBlockText(el: HTMLElement, text: string, dir: Direction, highlights: readonly BlockHighlight[]): void {
  if (!el.classList.contains('block-row')) {
    el.replaceChildren(...runNodes(text, segmentBlock(text, dir, highlights)));
    return;
  }
  const nodes: Node[] = [];
  for (const [i, cell] of segmentRow(text, dir, highlights).entries()) {
    if (i > 0) {
      const tab = document.createElement('span');
      tab.className = 'cell-tab';
      tab.textContent = '\t';
      nodes.push(tab);
    }
    const span = document.createElement('span');
    span.className = 'cell';
    span.append(...runNodes(text, cell.runs));
    nodes.push(span);
  }
  el.replaceChildren(...nodes);
}

function runNodes(text: string, runs: readonly TextRun<BlockHighlight>[]): Node[] {
  const nodes: Node[] = [];
  for (const run of runs) {
    const inner = run.pieces.map((p) => wrap(text.slice(p.from, p.to), p.highlights));
    if (run.dir) {
      const iso = document.createElement('span');
      iso.className = 'bidi-iso';
      iso.dir = run.dir;
      iso.append(...inner);
      nodes.push(iso);
    } else {
      nodes.push(...inner);
    }
  }
  return nodes;
}

function wrap(text: string, highlights: readonly BlockHighlight[]): Node {
  let node: Node = document.createTextNode(text);
  for (let i = highlights.length - 1; i >= 0; i--) {
    const hl = highlights[i]!;
    const span = document.createElement('span');
    span.className = `hl hl-${hl.color} hl-layer-${hl.layer}${hl.linked ? ' hl-linked' : ''}`;
    span.dataset.annotationId = hl.id;
    span.append(node);
    node = span;
  }
  return node;
}

/** The text offset inside `block` of a DOM position (node, offset) within it. */
export function offsetInBlock(block: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** Places the caret at a text offset inside an editable block (at its end when past it). */
export function placeCaret(block: HTMLElement, at: number): void {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let seen = 0;
  const range = document.createRange();
  let placed = false;
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    if (at <= seen + n.data.length) {
      range.setStart(n, at - seen);
      placed = true;
      break;
    }
    seen += n.data.length;
  }
  if (!placed) {
    range.selectNodeContents(block);
    range.collapse(false);
  }
  range.collapse(true);
  const sel = document.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}
