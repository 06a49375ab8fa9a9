/**
 * A keyboard caret in the desk's read-only text (the source, and the target of a pair of two
 * existing texts), so that a passage can be chosen and linked without a mouse. The approach is the
 * reader's (`reader/caret.ts`): the caret is the page's own selection, moved with
 * `Selection.modify` (which Chromium applies to text that is not editable, and which moves left
 * and right in the order a line is drawn, so the arrows go the way they point in Hebrew as in
 * English), and drawn by us, as a browser draws no caret in text that is not editable.
 *
 * What differs from the reader: the desk's rows hold both texts, so the caret keeps to one side.
 * While it moves, the other side is made unselectable (`data-caret` on the pane, see
 * `styles/pair.css`), which keeps `modify` and the drawn selection on this side; and where
 * `modify` still leaves the side (past a block's edge into the other column, a unit's number or a
 * unit with no block on this side), the caret goes on to the side's next or previous block, whose
 * section is drawn first. The focus stays on the pane (the source) or on the read-only block it
 * was in (a target segment), as it does on the reader's text.
 */
import type { Side } from './alignment-panel.js';

/** Keys that move the caret: key -> direction, granularity, and what Ctrl makes of it. */
const MOVES: Record<string, { dir: 'left' | 'right' | 'backward' | 'forward'; by: 'character' | 'line' | 'lineboundary'; ctrlBy?: 'word' | 'text' }> = {
  ArrowLeft: { dir: 'left', by: 'character', ctrlBy: 'word' },
  ArrowRight: { dir: 'right', by: 'character', ctrlBy: 'word' },
  ArrowUp: { dir: 'backward', by: 'line' },
  ArrowDown: { dir: 'forward', by: 'line' },
  Home: { dir: 'backward', by: 'lineboundary', ctrlBy: 'text' },
  End: { dir: 'forward', by: 'lineboundary', ctrlBy: 'text' },
};

export interface DeskCaretHost {
  /** The scroll pane of the rows, or null while nothing is shown. */
  pane(): HTMLElement | null;
  /** Block `index` of a side, its section drawn first; undefined when that side has none such. */
  block(side: Side, index: number): HTMLElement | undefined;
  blockCount(side: Side): number;
  /** False while blocks are being chosen for the alignment (they are check boxes then). */
  active(): boolean;
  /** The caret went into block `index` of `side`. */
  moved?(side: Side, index: number): void;
}

/** Where the caret (the selection's focus) is: a read-only block of the desk. */
export interface CaretPlace {
  side: Side;
  index: number;
  el: HTMLElement;
}

export class DeskCaret {
  readonly el: HTMLElement;
  private pointer = false;

  constructor(
    /** The element holding the pane (kept across re-layouts, unlike the pane). */
    private readonly root: HTMLElement,
    private readonly host: DeskCaretHost,
  ) {
    const doc = root.ownerDocument;
    this.el = doc.createElement('div');
    this.el.className = 'reading-caret desk-caret';
    this.el.setAttribute('aria-hidden', 'true');
    this.el.hidden = true;
    root.addEventListener('pointerdown', () => {
      this.pointer = true;
      // The mouse selects across anything, as before.
      delete this.host.pane()?.dataset.caret;
    });
    root.addEventListener('focusin', (e) => {
      const mouse = this.pointer;
      this.pointer = false;
      const pane = this.host.pane();
      // Tabbed into the texts: a caret at the start of the first source line in view.
      if (!mouse && e.target === pane && this.host.active() && !this.place()) this.placeInView();
      if (e.target instanceof HTMLElement && e.target.isContentEditable) delete pane?.dataset.caret;
      this.draw();
    });
    root.addEventListener('focusout', () => queueMicrotask(() => this.draw()));
    // Scroll events do not bubble; a capturing listener on the root hears the pane's.
    root.addEventListener('scroll', () => this.draw(), { capture: true, passive: true });
    doc.addEventListener('selectionchange', () => {
      this.draw();
      const at = this.place();
      if (at && this.holder()) this.host.moved?.(at.side, at.index);
    });
  }

  /** The element holding the focus for the caret (the pane, or a read-only block), or null. */
  private holder(): HTMLElement | null {
    const active = this.root.ownerDocument.activeElement;
    if (!(active instanceof HTMLElement) || !this.root.contains(active)) return null;
    if (active === this.host.pane()) return active;
    return readOnlyBlock(active) === active ? active : null;
  }

  /** The read-only block holding the selection's focus, if any. */
  place(): CaretPlace | null {
    const sel = this.root.ownerDocument.getSelection();
    const node = sel?.focusNode;
    if (!node || !this.root.contains(node)) return null;
    const el = readOnlyBlock(node);
    if (!el) return null;
    return { side: el.dataset.side as Side, index: Number(el.dataset.block), el };
  }

  /** Moves or extends the selection for a navigation key pressed on the pane or a read-only block; true when used. */
  key(e: KeyboardEvent): boolean {
    if (e.altKey || e.metaKey || e.isComposing || !this.host.active()) return false;
    const holder = this.holder();
    const move = MOVES[e.key];
    if (!holder || e.target !== holder || !move) return false;
    const sel = this.root.ownerDocument.getSelection();
    const pane = this.host.pane();
    if (!sel || !pane) return false;
    let at = this.place();
    const side: Side = holder === pane ? (at?.side ?? 'source') : (holder.dataset.side as Side);
    pane.dataset.caret = side;
    if (!at || at.side !== side || (holder !== pane && at.el !== holder)) {
      // No caret yet on this side: it starts in the block focused, or at the first line in view.
      const placed = holder === pane ? this.placeInView() : this.collapseIn(holder, false);
      at = placed ? this.place() : null;
      if (!at) return true;
      if (!e.shiftKey) {
        this.reveal();
        return true;
      }
    }
    const before = [sel.anchorNode!, sel.anchorOffset, sel.focusNode!, sel.focusOffset] as const;
    const extend = e.shiftKey;
    if (e.ctrlKey && move.ctrlBy === 'text') {
      if (move.dir === 'forward') this.toBlock(side, this.host.blockCount(side) - 1, -1, true, extend);
      else this.toBlock(side, 0, 1, false, extend);
    } else if (e.ctrlKey && move.ctrlBy !== 'word') {
      return false;
    } else {
      sel.modify(extend ? 'extend' : 'move', move.dir, e.ctrlKey ? 'word' : move.by);
      const now = this.place();
      if (!now || now.side !== side) {
        // Out of this side's text: on to its next (or previous) block instead.
        sel.setBaseAndExtent(...before);
        if (move.by !== 'lineboundary') {
          const forward = move.dir === 'forward' || move.dir === 'backward' ? move.dir === 'forward' : (move.dir === 'right') === (getComputedStyle(at.el).direction !== 'rtl');
          if (forward) this.toBlock(side, at.index + 1, 1, false, extend);
          else this.toBlock(side, at.index - 1, -1, true, extend);
        }
      }
    }
    this.follow(holder);
    this.reveal();
    this.draw();
    return true;
  }

  /**
   * Puts the caret in the first block of `side` from `index` on (going `step`) that has read-only
   * text, at its start or its end, extending the selection when `extend`; false when there is none.
   */
  toBlock(side: Side, index: number, step: 1 | -1, end: boolean, extend: boolean): boolean {
    const sel = this.root.ownerDocument.getSelection();
    if (!sel) return false;
    for (let i = index; i >= 0 && i < this.host.blockCount(side); i += step) {
      const el = this.host.block(side, i);
      const pos = el && readOnlyBlock(el) === el ? edge(el, end) : null;
      if (!pos) continue;
      if (extend && sel.rangeCount > 0) sel.extend(pos.node, pos.offset);
      else sel.collapse(pos.node, pos.offset);
      return true;
    }
    return false;
  }

  /** The caret at the start of the first source block whose line is in view under the column heads. */
  placeInView(): boolean {
    const pane = this.host.pane();
    if (!pane) return false;
    const top = viewTop(pane);
    const bottom = pane.getBoundingClientRect().bottom;
    for (const el of pane.querySelectorAll<HTMLElement>('.pair-block[data-side="source"]')) {
      if (readOnlyBlock(el) !== el || !el.textContent) continue;
      const r = el.getBoundingClientRect();
      if (r.bottom <= top + 4) continue;
      if (r.top >= bottom) break;
      return this.collapseIn(el, false);
    }
    return false;
  }

  private collapseIn(el: HTMLElement, end: boolean): boolean {
    const pos = edge(el, end);
    if (!pos) return false;
    this.root.ownerDocument.getSelection()?.collapse(pos.node, pos.offset);
    return true;
  }

  /** A read-only target segment holding the focus passes it on to the segment the caret went to. */
  private follow(holder: HTMLElement): void {
    const at = this.place();
    if (!at || holder === this.host.pane() || at.el === holder) return;
    const sel = this.root.ownerDocument.getSelection()!;
    const kept = [sel.anchorNode!, sel.anchorOffset, sel.focusNode!, sel.focusOffset] as const;
    at.el.focus({ preventScroll: true });
    sel.setBaseAndExtent(...kept);
  }

  /** Draws the caret where the selection's focus is, when the caret's holder has the focus and nothing is selected. */
  draw(): void {
    const sel = this.root.ownerDocument.getSelection();
    const pane = this.host.pane();
    const show = pane !== null && this.holder() !== null && this.host.active() && sel !== null && sel.isCollapsed && this.place() !== null;
    const rect = show ? focusRect(sel!) : null;
    if (!rect || !pane || rect.bottom < viewTop(pane) || rect.top > pane.getBoundingClientRect().bottom) {
      this.el.hidden = true;
      return;
    }
    this.el.hidden = false;
    this.el.style.left = `${Math.round(rect.left)}px`;
    this.el.style.top = `${Math.round(rect.top)}px`;
    this.el.style.height = `${Math.round(rect.height)}px`;
    // Restart the blink, so the caret is seen where it just went.
    this.el.classList.remove('moved');
    void this.el.offsetWidth;
    this.el.classList.add('moved');
  }

  /** Scrolls the pane so that the caret is in view, below the sticky column heads. */
  private reveal(): void {
    const pane = this.host.pane();
    const sel = this.root.ownerDocument.getSelection();
    const rect = sel ? focusRect(sel) : null;
    if (!pane || !rect) return;
    const margin = 48;
    const top = viewTop(pane);
    const bottom = pane.getBoundingClientRect().bottom;
    if (rect.top < top + margin) pane.scrollTop -= top + margin - rect.top;
    else if (rect.bottom > bottom - margin) pane.scrollTop += rect.bottom - (bottom - margin);
  }
}

/** The read-only block `node` is in (a block the desk draws, not being written in), or null. */
function readOnlyBlock(node: Node): HTMLElement | null {
  const el = (node instanceof HTMLElement ? node : node.parentElement)?.closest<HTMLElement>('.pair-block');
  return el && !el.isContentEditable && el.getAttribute('role') !== 'checkbox' ? el : null;
}

/** The top of the pane's text under its sticky column heads. */
function viewTop(pane: HTMLElement): number {
  const heads = pane.querySelector<HTMLElement>(':scope > .pair-heads');
  return heads ? heads.getBoundingClientRect().bottom : pane.getBoundingClientRect().top;
}

/** The first or last text position of a block. */
function edge(el: HTMLElement, end: boolean): { node: Text; offset: number } | null {
  const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node: Text | null = null;
  if (end) for (let n = walker.nextNode(); n; n = walker.nextNode()) node = n as Text;
  else node = walker.nextNode() as Text | null;
  return node ? { node, offset: end ? node.data.length : 0 } : null;
}

/** Where the selection's focus is drawn: a collapsed range's box, or a neighbouring letter's edge. */
function focusRect(sel: Selection): DOMRect | null {
  const node = sel.focusNode;
  if (!node) return null;
  const range = node.ownerDocument!.createRange();
  range.setStart(node, sel.focusOffset);
  range.collapse(true);
  const box = range.getClientRects()[0];
  if (box && box.height > 0) return box;
  if (node.nodeType !== Node.TEXT_NODE) return null;
  const data = (node as Text).data;
  // At a line's or a node's edge a collapsed range may have no box: the letter before (or after).
  if (sel.focusOffset > 0) {
    range.setStart(node, sel.focusOffset - 1);
    range.setEnd(node, sel.focusOffset);
    const r = range.getClientRects()[0];
    if (r && r.height > 0) return new DOMRect(isRtl(node) ? r.left : r.right, r.top, 0, r.height);
  }
  if (sel.focusOffset < data.length) {
    range.setStart(node, sel.focusOffset);
    range.setEnd(node, sel.focusOffset + 1);
    const r = range.getClientRects()[0];
    if (r && r.height > 0) return new DOMRect(isRtl(node) ? r.right : r.left, r.top, 0, r.height);
  }
  return null;
}

function isRtl(node: Node): boolean {
  const el = node instanceof Element ? node : node.parentElement;
  return el ? getComputedStyle(el).direction === 'rtl' : false;
}
