/**
 * Edit mode at book scale: one editable view over the whole text, in chunks of blocks
 * (edit-doc.ts), where only the chunks near the screen are drawn by ProseMirror (marks, isolates,
 * highlights, hits); every other chunk is a plain element holding its blocks' text, not
 * editable, laid out only when near the screen (`content-visibility: auto` on chunks). A
 * ProseMirror view draws every node of its document when it is made, and on a book most of that
 * time went into the mark and text nodes of blocks nobody was looking at.
 *
 * Which chunks are live is plugin state (a range of positions, shown as node decorations that
 * the node views read); it follows the scroll position, one frame after a scroll, with a margin
 * of chunks on either side, and `reveal` makes a chunk live before the caller looks for it in
 * the DOM (a find hit or a panel entry far away). A chunk that turns live or stops being live is
 * drawn again by ProseMirror (its node view declines the update). The document and its history
 * are untouched: this is drawing only.
 */
import { DOMSerializer, type Node as PMNode } from 'prosemirror-model';
import { Plugin, PluginKey, Selection, TextSelection, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView, type NodeViewConstructor } from 'prosemirror-view';
import { schema } from './schema.js';

/** Chunks drawn live around the ones on screen, on each side (a chunk: up to 48 blocks, see edit-doc.ts). */
const MARGIN = 2;
/** Live again when the screen comes within this many chunks of the live range's edge. */
const SLACK = 1;

/**
 * Chunks opening at positions in [from, to) are live. `refresh`: node decorations on the chunks
 * whose liveness the last transaction changed, for that transaction only, so that ProseMirror
 * asks their node views to update (they decline, and are drawn again). Between changes there are
 * no decorations at all: ProseMirror looks up decorations on every update, and a standing set of
 * node decorations cost a few milliseconds per keystroke (measured when these were blocks).
 */
interface LiveRange {
  from: number;
  to: number;
  refresh: DecorationSet;
}

const liveKey = new PluginKey<LiveRange>('lazy-blocks');

/** The positions of chunks `from`..`to` (indices) of `doc`: where the first opens and the last closes. */
function span(doc: PMNode, from: number, to: number): { from: number; to: number } {
  let pos = 0;
  let start = -1;
  const last = Math.min(to, doc.childCount);
  for (let i = 0; i < last; i++) {
    if (i === Math.max(0, from)) start = pos;
    pos += doc.child(i).nodeSize;
  }
  return { from: start < 0 ? pos : start, to: pos };
}

/** Node decorations on the chunks opening in [from, to) of `doc`, minus those opening in [keepFrom, keepTo). */
function changed(doc: PMNode, from: number, to: number, keepFrom: number, keepTo: number, out: Decoration[]): void {
  if (to <= from) return;
  doc.nodesBetween(from, Math.min(to, doc.content.size), (node, pos) => {
    if (pos >= from && pos < to && !(pos >= keepFrom && pos < keepTo)) out.push(Decoration.node(pos, pos + node.nodeSize, {}, { refresh: true }));
    return false;
  });
}

function isLive(view: EditorView, pos: number | undefined): boolean {
  const range = liveKey.getState(view.state);
  return !range || (pos !== undefined && pos >= range.from && pos < range.to);
}

/** Asks for chunks [from, to) (indices) to be live: a transaction that changes nothing else and is not undone. */
function setLive(tr: Transaction, from: number, to: number): Transaction {
  return tr.setMeta(liveKey, span(tr.doc, from, to)).setMeta('addToHistory', false);
}

/** The index of a position's chunk. */
function chunkIndex(doc: PMNode, pos: number): number {
  return doc.resolve(Math.max(0, Math.min(pos, doc.content.size))).index(0);
}

/** Makes the chunk at `pos` (and those around it) live, now, so that its DOM can be looked at. */
export function reveal(view: EditorView, pos: number): void {
  const state = liveKey.getState(view.state);
  if (!state || (pos >= state.from && pos < state.to)) return;
  const i = chunkIndex(view.state.doc, pos);
  view.dispatch(setLive(view.state.tr, i - MARGIN, i + MARGIN));
}

/** A plain, non-editable element with a block's text, shaped as the block is drawn. */
function lazyBlock(node: PMNode): HTMLElement {
  const { dom, contentDOM } = DOMSerializer.renderSpec(document, node.type.spec.toDOM!(node));
  const el = dom as HTMLElement;
  if (contentDOM) {
    if (node.type === schema.nodes.row) {
      node.forEach((cell) => {
        const span = document.createElement('span');
        span.className = 'cell';
        span.textContent = cell.textContent;
        contentDOM.appendChild(span);
      });
    } else contentDOM.textContent = node.textContent;
  }
  el.contentEditable = 'false';
  return el;
}

/** A chunk of plain blocks. */
function lazyDom(chunk: PMNode): HTMLElement {
  const { dom, contentDOM } = DOMSerializer.renderSpec(document, chunk.type.spec.toDOM!(chunk));
  chunk.forEach((block) => void (contentDOM ?? dom).appendChild(lazyBlock(block)));
  return dom as HTMLElement;
}

function chunkView(): NodeViewConstructor {
  return (initial, view, getPos) => {
    let node = initial;
    if (isLive(view, getPos())) {
      const { dom, contentDOM } = DOMSerializer.renderSpec(document, node.type.spec.toDOM!(node));
      return {
        dom,
        contentDOM,
        update: (next) => {
          if (!next.sameMarkup(node) || !isLive(view, getPos())) return false;
          node = next;
          return true;
        },
      };
    }
    return {
      dom: lazyDom(node),
      update: (next) => next === node && !isLive(view, getPos()),
      ignoreMutation: () => true,
    };
  };
}

/** The node views that draw chunks far from the screen as plain text. */
export function lazyNodeViews(): Record<string, NodeViewConstructor> {
  return { chunk: chunkView() };
}

/** The plugin keeping the live range, following the scroll position of `scroller`. */
export function lazyBlocksPlugin(scroller: HTMLElement): Plugin {
  return new Plugin<LiveRange>({
    key: liveKey,
    state: {
      init: (_config, state) => ({ ...span(state.doc, 0, 2 * MARGIN), refresh: DecorationSet.empty }),
      apply(tr, value) {
        const asked = tr.getMeta(liveKey) as { from: number; to: number } | undefined;
        if (asked) {
          const decos: Decoration[] = [];
          changed(tr.doc, asked.from, asked.to, value.from, value.to, decos);
          changed(tr.doc, value.from, value.to, asked.from, asked.to, decos);
          return { ...asked, refresh: decos.length ? DecorationSet.create(tr.doc, decos) : DecorationSet.empty };
        }
        if (!tr.docChanged) return value.refresh === DecorationSet.empty ? value : { ...value, refresh: DecorationSet.empty };
        // Chunks made inside the range open inside it, and are live.
        return { from: tr.mapping.map(value.from, -1), to: tr.mapping.map(value.to, 1), refresh: DecorationSet.empty };
      },
    },
    props: {
      decorations: (state) => liveKey.getState(state)?.refresh,
      // Ctrl+Home and Ctrl+End: the browser's own would stop at the last chunk drawn live.
      handleKeyDown(view, event) {
        if (!(event.ctrlKey || event.metaKey) || event.altKey || (event.key !== 'Home' && event.key !== 'End')) return false;
        const edge = event.key === 'End' ? Selection.atEnd(view.state.doc) : Selection.atStart(view.state.doc);
        reveal(view, edge.head);
        const { doc, selection } = view.state;
        const next = event.shiftKey ? TextSelection.create(doc, selection.anchor, edge.head) : Selection.near(doc.resolve(edge.head));
        view.dispatch(view.state.tr.setSelection(next).scrollIntoView());
        return true;
      },
    },
    view(view) {
      let frame = 0;
      const follow = () => {
        frame = 0;
        const box = scroller.getBoundingClientRect();
        const column = view.dom.getBoundingClientRect();
        const x = (Math.max(box.left, column.left) + Math.min(box.right, column.right)) / 2;
        const top = view.posAtCoords({ left: x, top: box.top + 2 });
        const bottom = view.posAtCoords({ left: x, top: box.bottom - 2 });
        const state = liveKey.getState(view.state);
        if (!state || (!top && !bottom)) return;
        const doc = view.state.doc;
        const first = chunkIndex(doc, (top ?? bottom)!.pos);
        const last = chunkIndex(doc, (bottom ?? top)!.pos);
        const slack = span(doc, first - SLACK, last + SLACK + 1);
        if (slack.from >= state.from && slack.to <= state.to) return;
        view.dispatch(setLive(view.state.tr, first - MARGIN, last + MARGIN));
      };
      const onScroll = () => {
        if (!frame) frame = requestAnimationFrame(follow);
      };
      scroller.addEventListener('scroll', onScroll, { passive: true });
      return {
        destroy() {
          scroller.removeEventListener('scroll', onScroll);
          cancelAnimationFrame(frame);
        },
      };
    },
  });
}
