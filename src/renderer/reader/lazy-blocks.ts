/**
 * Edit mode at book scale: one editable view over the whole text, where only the blocks near the
 * screen are drawn by ProseMirror (marks, isolates, highlights, hits); every other block is a
 * plain element holding its text, not editable, laid out only when near the screen
 * (`content-visibility: auto`). A ProseMirror view draws every node of its document when it is
 * made, and on a book most of that time went into the mark and text nodes of blocks nobody was
 * looking at.
 *
 * Which blocks are live is plugin state (a range of block indices, shown as node decorations
 * that the node views read); it follows the scroll position, one frame after a scroll, with a
 * margin of screens on either side, and `reveal` makes a block live before the caller looks for
 * it in the DOM (a find hit or a panel entry far away). A block that turns live or stops being
 * live is drawn again by ProseMirror (its node view declines the update). The document and its
 * history are untouched: this is drawing only.
 */
import { DOMSerializer, type Node as PMNode } from 'prosemirror-model';
import { Plugin, PluginKey, Selection, TextSelection, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView, type NodeViewConstructor } from 'prosemirror-view';
import { schema } from './schema.js';

/** Blocks drawn live around the ones on screen, on each side. */
const MARGIN = 60;
/** Live again when the screen comes within this many blocks of the live range's edge. */
const SLACK = 20;

interface LiveRange {
  from: number;
  to: number;
  set: DecorationSet;
}

const liveKey = new PluginKey<LiveRange>('lazy-blocks');
const LIVE = { live: true };

function liveSet(doc: PMNode, from: number, to: number): DecorationSet {
  const decos: Decoration[] = [];
  let pos = 0;
  const last = Math.min(to, doc.childCount);
  for (let i = 0; i < last; i++) {
    const child = doc.child(i);
    if (i >= from) decos.push(Decoration.node(pos, pos + child.nodeSize, {}, LIVE));
    pos += child.nodeSize;
  }
  return DecorationSet.create(doc, decos);
}

const isLive = (decorations: readonly Decoration[]) => decorations.some((d) => (d.spec as { live?: boolean }).live);

/** Asks for blocks [from, to) to be live (a transaction that changes nothing else and is not undone). */
function setLive(tr: Transaction, from: number, to: number): Transaction {
  return tr.setMeta(liveKey, { from: Math.max(0, from), to }).setMeta('addToHistory', false);
}

/** The block index of a canonical position's block. */
function blockIndex(doc: PMNode, pos: number): number {
  return doc.resolve(Math.max(0, Math.min(pos, doc.content.size))).index(0);
}

/** Makes the block at `pos` (and those around it) live, now, so that its DOM can be looked at. */
export function reveal(view: EditorView, pos: number): void {
  const state = liveKey.getState(view.state);
  if (!state) return;
  const i = blockIndex(view.state.doc, pos);
  if (i >= state.from && i < state.to) return;
  view.dispatch(setLive(view.state.tr, i - MARGIN, i + MARGIN));
}

/** A plain, non-editable element with a block's text, shaped as the block is drawn. */
function lazyDom(node: PMNode): HTMLElement {
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

function blockView(): NodeViewConstructor {
  return (initial, _view, _getPos, decorations) => {
    let node = initial;
    if (isLive(decorations)) {
      const { dom, contentDOM } = DOMSerializer.renderSpec(document, node.type.spec.toDOM!(node));
      return {
        dom,
        contentDOM,
        update: (next, outer) => {
          if (!next.sameMarkup(node) || !isLive(outer)) return false;
          node = next;
          return true;
        },
      };
    }
    return {
      dom: lazyDom(node),
      update: (next, outer) => next === node && !isLive(outer),
      ignoreMutation: () => true,
    };
  };
}

/** The node views that draw blocks far from the screen as plain text. */
export function lazyNodeViews(): Record<string, NodeViewConstructor> {
  const out: Record<string, NodeViewConstructor> = {};
  for (const [name, type] of Object.entries(schema.nodes)) if (type.spec.group === 'block') out[name] = blockView();
  return out;
}

/** The plugin keeping the live range, following the scroll position of `scroller`. */
export function lazyBlocksPlugin(scroller: HTMLElement): Plugin {
  return new Plugin<LiveRange>({
    key: liveKey,
    state: {
      init: (_config, state) => ({ from: 0, to: 2 * MARGIN, set: liveSet(state.doc, 0, 2 * MARGIN) }),
      apply(tr, value, before) {
        const asked = tr.getMeta(liveKey) as { from: number; to: number } | undefined;
        if (asked) return { ...asked, set: liveSet(tr.doc, asked.from, asked.to) };
        if (!tr.docChanged) return value;
        // Blocks made or joined inside the range stay live: the range grows or shrinks with them.
        const to = Math.max(value.from + 1, value.to + tr.doc.childCount - before.doc.childCount);
        return { from: value.from, to, set: liveSet(tr.doc, value.from, to) };
      },
    },
    props: {
      decorations: (state) => liveKey.getState(state)?.set,
      // Ctrl+Home and Ctrl+End: the browser's own would stop at the last block drawn live.
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
        const first = blockIndex(view.state.doc, (top ?? bottom)!.pos);
        const last = blockIndex(view.state.doc, (bottom ?? top)!.pos);
        if (first - SLACK >= state.from && last + SLACK < state.to) return;
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
