/**
 * A caret in the reading view, which is read-only but navigable (as CodeMirror's read-only mode
 * keeps a cursor): arrows by character, Ctrl+arrows by word, Up and Down by line, Home and End to
 * the line's edges, Ctrl+Home and Ctrl+End to the text's, Shift with any of them to select, and
 * Ctrl+A to select the whole text. So a passage can be highlighted from the keyboard alone.
 *
 * The caret is the page's own selection, moved with `Selection.modify` (which Chromium applies to
 * text that is not editable, and which moves left and right in the order the line is drawn, so
 * the arrows go the way they point in Hebrew as in English), and drawn by us: a browser draws no
 * caret in text that is not editable. Not `contenteditable`: each section of a long text is its
 * own view, and a selection cannot leave an editing host, so it could not run from one section
 * into the next; and an editable text is announced as one, and wakes input methods.
 */

/** Keys that move the caret: key -> [direction, granularity, with Ctrl]. */
const MOVES: Record<string, { dir: 'left' | 'right' | 'backward' | 'forward'; by: 'character' | 'word' | 'line' | 'lineboundary'; ctrlBy?: 'word' | 'text' }> = {
  ArrowLeft: { dir: 'left', by: 'character', ctrlBy: 'word' },
  ArrowRight: { dir: 'right', by: 'character', ctrlBy: 'word' },
  ArrowUp: { dir: 'backward', by: 'line' },
  ArrowDown: { dir: 'forward', by: 'line' },
  Home: { dir: 'backward', by: 'lineboundary', ctrlBy: 'text' },
  End: { dir: 'forward', by: 'lineboundary', ctrlBy: 'text' },
};

export interface CaretHost {
  /** The element holding the text (all sections), or null while nothing is open. */
  text(): HTMLElement | null;
  /** True while the reading view is in read mode (edit mode has the editor's own caret). */
  active(): boolean;
}

export class ReadingCaret {
  /** The drawn caret: fixed over the page, placed from the selection's focus. */
  readonly el: HTMLElement;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly host: CaretHost,
  ) {
    this.el = scroller.ownerDocument.createElement('div');
    this.el.className = 'reading-caret';
    this.el.setAttribute('aria-hidden', 'true');
    this.el.hidden = true;
    scroller.addEventListener('keydown', (e) => {
      if (this.key(e)) e.preventDefault();
    });
    scroller.addEventListener('focus', () => this.draw());
    scroller.addEventListener('blur', () => this.draw());
    scroller.addEventListener('scroll', () => this.draw(), { passive: true });
    scroller.ownerDocument.addEventListener('selectionchange', () => this.draw());
  }

  /** Moves or extends the selection for a navigation key pressed in the reading area; true when used. */
  key(e: KeyboardEvent): boolean {
    if (e.target !== this.scroller || !this.host.active() || e.altKey || e.metaKey || e.isComposing) return false;
    const text = this.host.text();
    const sel = this.scroller.ownerDocument.getSelection();
    if (!text || !sel) return false;
    if (e.ctrlKey && !e.shiftKey && e.code === 'KeyA') {
      sel.selectAllChildren(text);
      return true;
    }
    const move = MOVES[e.key];
    if (!move) return false;
    const alter = e.shiftKey ? 'extend' : 'move';
    if (!this.inText(sel, text)) {
      // No caret yet (or the selection is elsewhere): it starts at the first line in view.
      if (!this.placeAtTop(sel, text)) return true;
      if (!e.shiftKey) {
        this.reveal();
        return true;
      }
    }
    const before = { anchor: sel.anchorNode!, anchorOffset: sel.anchorOffset, focus: sel.focusNode!, focusOffset: sel.focusOffset };
    if (e.ctrlKey && move.ctrlBy === 'text') this.toEdge(sel, text, move.dir === 'forward', e.shiftKey);
    else if (e.ctrlKey && move.ctrlBy === 'word') sel.modify(alter, move.dir, 'word');
    else if (e.ctrlKey) return false;
    else sel.modify(alter, move.dir, move.by);
    // Past the text's first or last line, `modify` walks on into the page (the panel): stay.
    if (!this.inText(sel, text)) sel.setBaseAndExtent(before.anchor, before.anchorOffset, before.focus, before.focusOffset);
    this.reveal();
    this.draw();
    return true;
  }

  /** Puts the caret at the start of the first line in view of the text; false when none is. */
  placeAtTop(sel: Selection, text: HTMLElement): boolean {
    const doc = this.scroller.ownerDocument;
    const view = this.scroller.getBoundingClientRect();
    const column = text.getBoundingClientRect();
    const x = (Math.max(view.left, column.left) + Math.min(view.right, column.right)) / 2;
    for (let y = Math.max(view.top, column.top) + 12; y < view.bottom; y += 16) {
      const hit = doc.caretPositionFromPoint?.(x, y);
      if (hit && text.contains(hit.offsetNode) && hit.offsetNode.nodeType === Node.TEXT_NODE) {
        sel.collapse(hit.offsetNode, hit.offset);
        sel.modify('move', 'backward', 'lineboundary');
        return true;
      }
    }
    return false;
  }

  /** Draws the caret where the selection's focus is, when the reading area has the focus and nothing is selected. */
  draw(): void {
    const doc = this.scroller.ownerDocument;
    const sel = doc.getSelection();
    const text = this.host.text();
    const show = doc.activeElement === this.scroller && this.host.active() && text !== null && sel !== null && sel.isCollapsed && this.inText(sel, text);
    const rect = show ? this.focusRect(sel!) : null;
    const view = this.scroller.getBoundingClientRect();
    if (!rect || rect.bottom < view.top || rect.top > view.bottom) {
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

  private inText(sel: Selection, text: HTMLElement): boolean {
    return sel.rangeCount > 0 && sel.anchorNode !== null && sel.focusNode !== null && text.contains(sel.anchorNode) && text.contains(sel.focusNode);
  }

  private toEdge(sel: Selection, text: HTMLElement, end: boolean, extend: boolean): void {
    const walker = this.scroller.ownerDocument.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    let node: Text | null = null;
    if (end) for (let n = walker.nextNode(); n; n = walker.nextNode()) node = n as Text;
    else node = walker.nextNode() as Text | null;
    if (!node) return;
    const offset = end ? node.data.length : 0;
    if (extend) sel.extend(node, offset);
    else sel.collapse(node, offset);
  }

  /** Where the selection's focus is drawn: a collapsed range's box, or a neighbouring letter's edge. */
  private focusRect(sel: Selection): DOMRect | null {
    const node = sel.focusNode;
    if (!node) return null;
    const range = this.scroller.ownerDocument.createRange();
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

  /** Scrolls the reading area so that the caret (the selection's focus) is in view. */
  private reveal(): void {
    const sel = this.scroller.ownerDocument.getSelection();
    const rect = sel ? this.focusRect(sel) : null;
    if (!rect) return;
    const view = this.scroller.getBoundingClientRect();
    const margin = 48;
    if (rect.top < view.top + margin) this.scroller.scrollTop -= view.top + margin - rect.top;
    else if (rect.bottom > view.bottom - margin) this.scroller.scrollTop += rect.bottom - (view.bottom - margin);
  }
}

function isRtl(node: Node): boolean {
  const el = node instanceof Element ? node : node.parentElement;
  return el ? getComputedStyle(el).direction === 'rtl' : false;
}
