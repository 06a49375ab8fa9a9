/**
 * One block's text in the DOM: isolates outermost, highlight spans inside them (one nested span per
 * annotation, as the reader draws them), nothing visible added to the text, so the element's
 * `textContent` is the block's text and DOM offsets are text offsets.
 */
import type { Direction } from '../../common/model.js';
import { layoutBlockText, type BlockHighlight } from './block-text.js';

/** Redraws a block element's content from its text and highlights. */
export function drawBlockText(el: HTMLElement, text: string, dir: Direction, highlights: readonly BlockHighlight[]): void {
  const nodes: Node[] = [];
  for (const run of layoutBlockText(text, dir, highlights)) {
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
  el.replaceChildren(...nodes);
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
