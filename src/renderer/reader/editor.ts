/**
 * The reading view of one document: a read-only ProseMirror view (text stays selectable) with
 * the highlight and hit plugins, and conversions between DOM selections, document positions and
 * canonical offsets.
 */
import { EditorState, TextSelection, type PluginKey } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import type { DocumentFull } from '../../common/model.js';
import type { TextRange } from '../find-text.js';
import { buildDoc } from './schema.js';
import { blockPositions, offsetToPos, posToOffset } from './positions.js';
import { highlightsKey, highlightsPlugin, highlightRange, type HighlightAction } from './highlights.js';
import { hitsKey, hitsPlugin } from './hits.js';

export class ReaderEditor {
  readonly view: EditorView;
  private readonly positions: number[];

  constructor(
    mount: HTMLElement,
    readonly document: DocumentFull,
  ) {
    this.positions = blockPositions(document.blocks);
    const state = EditorState.create({
      doc: buildDoc(document.blocks),
      plugins: [highlightsPlugin((o) => this.toPos(o)), hitsPlugin()],
    });
    this.view = new EditorView(mount, {
      state,
      editable: () => false,
      attributes: { class: 'reader-text', translate: 'no' },
    });
  }

  get length(): number {
    const last = this.document.blocks[this.document.blocks.length - 1];
    return last ? last.start + last.text.length : 0;
  }

  toPos(offset: number): number {
    return offsetToPos(this.document.blocks, Math.max(0, Math.min(offset, this.length)), this.positions);
  }

  toOffset(pos: number): number {
    return posToOffset(this.document.blocks, pos, this.positions);
  }

  highlights(action: HighlightAction): void {
    this.dispatchMeta(highlightsKey, action);
  }

  setHits(ranges: readonly TextRange[], current: number): void {
    const mapped = ranges.map((r) => ({ from: this.toPos(r.start), to: this.toPos(r.end) }));
    this.dispatchMeta(hitsKey, { ranges: mapped, current });
  }

  /**
   * Dispatches plugin metadata with the state's selection brought in line with the page's. A
   * read-only view reads the DOM selection only when it changes inside the view, and after every
   * update writes its own selection back when the DOM selection lies inside it; a stale one (a
   * passage selected before a highlight was made, say) would then come back on the next click.
   */
  private dispatchMeta(key: PluginKey, value: unknown): void {
    const { state } = this.view;
    const tr = state.tr.setMeta(key, value);
    const sel = this.view.dom.ownerDocument.getSelection();
    const root = this.view.dom;
    let anchor = state.selection.head;
    let head = anchor;
    if (sel && sel.rangeCount > 0 && sel.anchorNode && sel.focusNode && root.contains(sel.anchorNode) && root.contains(sel.focusNode)) {
      try {
        anchor = this.view.posAtDOM(sel.anchorNode, sel.anchorOffset);
        head = this.view.posAtDOM(sel.focusNode, sel.focusOffset);
      } catch {
        // Keep the collapsed fallback.
      }
    }
    const size = state.doc.content.size;
    const clamp = (p: number) => Math.max(0, Math.min(p, size));
    tr.setSelection(TextSelection.between(state.doc.resolve(clamp(anchor)), state.doc.resolve(clamp(head))));
    this.view.dispatch(tr);
  }

  /** The page's selection as canonical offsets, when it lies inside this document and is not empty. */
  selection(): { start: number; end: number; range: Range } | null {
    const sel = this.view.dom.ownerDocument.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const root = this.view.dom;
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    let start: number;
    let end: number;
    try {
      start = this.toOffset(this.view.posAtDOM(range.startContainer, range.startOffset));
      end = this.toOffset(this.view.posAtDOM(range.endContainer, range.endOffset));
    } catch {
      return null;
    }
    if (end < start) [start, end] = [end, start];
    return end > start ? { start, end, range: range.cloneRange() } : null;
  }

  /** A DOM range over canonical offsets, for client rectangles and scrolling. */
  domRange(start: number, end: number): Range {
    const a = this.view.domAtPos(this.toPos(start), 1);
    const b = this.view.domAtPos(this.toPos(end), -1);
    const range = this.view.dom.ownerDocument.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  /** Where an annotation is drawn now (mapped), as canonical offsets. */
  annotationRange(id: string): TextRange | null {
    const r = highlightRange(this.view.state, id);
    return r ? { start: this.toOffset(r.from), end: this.toOffset(r.to) } : null;
  }

  /** Scrolls so that an offset's line is in the middle of the reading area. */
  scrollTo(offset: number): void {
    const { node } = this.view.domAtPos(this.toPos(offset));
    const el = node instanceof Element ? node : node.parentElement;
    el?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }

  /** The annotations drawn under an element, innermost first. */
  annotationsAt(target: EventTarget | null): string[] {
    const ids: string[] = [];
    for (let el = target instanceof Element ? target : null; el && el !== this.view.dom; el = el.parentElement) {
      const id = el.getAttribute('data-annotation-id');
      if (id && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  destroy(): void {
    this.view.destroy();
  }
}
