/**
 * One mounted section: a read-only ProseMirror view (text stays selectable) over a run of blocks,
 * with the highlight and hit plugins, and conversions between its positions and canonical offsets.
 */
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection, type PluginKey } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { highlightsKey, highlightsPlugin, type DrawnHighlight, type HighlightAction } from './highlights.js';
import { hitsKey, hitsPlugin, type HitsAction } from './hits.js';
import type { PositionMap } from '../../common/text/positions.js';
import type { Section } from './sections.js';

export class SectionView {
  readonly view: EditorView;

  constructor(
    host: HTMLElement,
    readonly section: Section,
    readonly map: PositionMap,
    doc: PMNode,
    initial: { highlights: readonly DrawnHighlight[]; focused: string | null; hits: HitsAction },
  ) {
    let state = EditorState.create({ doc, plugins: [highlightsPlugin(), hitsPlugin()] });
    // The first decorations go in before the view draws anything, so the text is drawn once.
    const tr = state.tr.setMeta(highlightsKey, { type: 'reset', items: initial.highlights, focused: initial.focused } satisfies HighlightAction);
    if (initial.hits.ranges.length) tr.setMeta(hitsKey, initial.hits);
    state = state.apply(tr);
    this.view = new EditorView(host, {
      state,
      editable: () => false,
      attributes: { class: 'reader-text', translate: 'no' },
    });
  }

  get dom(): HTMLElement {
    return this.view.dom;
  }

  toPos(offset: number): number {
    return this.map.toPos(offset);
  }

  toOffset(pos: number): number {
    return this.map.toOffset(pos);
  }

  highlights(action: HighlightAction): void {
    this.dispatchMeta(highlightsKey, action);
  }

  hits(action: HitsAction): void {
    this.dispatchMeta(hitsKey, action);
  }

  /** The offset of a DOM point inside this section, or null when it is not in its text. */
  offsetAt(node: Node, offset: number): number | null {
    if (!this.view.dom.contains(node)) return null;
    try {
      return this.toOffset(this.view.posAtDOM(node, offset));
    } catch {
      return null;
    }
  }

  /** The DOM point of a canonical offset (clamped to this section). */
  domAt(offset: number, side: -1 | 1): { node: Node; offset: number } {
    return this.view.domAtPos(this.toPos(offset), side);
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

  destroy(): void {
    this.view.destroy();
  }
}
