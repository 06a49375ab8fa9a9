/**
 * Edit mode's document in chunks, without a window: chunks keep to their limits and keep a list
 * or table whole; the blocks are those given; canonical offsets and positions map through the
 * chunks' tokens as through none; and Backspace, Delete, a deleted selection and undo at or
 * across a chunk's edge do to the text exactly what they do in a document of blocks alone.
 */
import { undo } from 'prosemirror-history';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { describe, expect, it } from 'vitest';
import type { BlockInput } from '../../src/common/model.js';
import { placeBlocks } from '../../src/common/text/canonical.js';
import { PositionMap } from '../../src/common/text/positions.js';
import { blockNodes, blocksOf, buildEditDoc, EditPositions, planChunks } from '../../src/renderer/reader/edit-doc.js';
import { editingPlugins } from '../../src/renderer/reader/edit-plugins.js';
import { buildDoc } from '../../src/renderer/reader/schema.js';

const BLOCKS: BlockInput[] = [
  { kind: 'heading', dir: 'ltr', depth: 0, text: 'A title', meta: { level: 1 } },
  { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'השיחה התקיימה בצל S-300' },
  { kind: 'paragraph', dir: 'ltr', depth: 0, text: '' },
  { kind: 'row', dir: 'ltr', depth: 0, text: 'one\tשתיים\tthree' },
  { kind: 'row', dir: 'ltr', depth: 0, text: 'single' },
  { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'Two leaders.' },
  { kind: 'quote', dir: 'ltr', depth: 2, text: 'A reply.' },
  { kind: 'row', dir: 'rtl', depth: 0, text: 'א\tב' },
  { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'ובירך אותו' },
  { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The end.' },
];

/** Chunks of two blocks (runs of rows kept up to eight): every kind of edge is met. */
const SMALL = { blocks: 2, chars: 10_000 };

const flatState = () => EditorState.create({ doc: buildDoc(placeBlocks(BLOCKS)), plugins: editingPlugins() });
const chunkState = () => EditorState.create({ doc: buildEditDoc(placeBlocks(BLOCKS), undefined, SMALL), plugins: editingPlugins() });

function mapOf(doc: PMNode): { toPos(o: number): number; toOffset(p: number): number } {
  return doc.firstChild?.type.name === 'chunk' ? new EditPositions(doc) : new PositionMap(placeBlocks(blocksOf(doc)));
}

/** A key pressed as the view runs it: the editing plugins' keydown handlers in order, the first to take it. */
function press(state: EditorState, key: 'Backspace' | 'Delete'): EditorState {
  let next = state;
  const $caret = state.selection.$from;
  const endOfTextblock = (dir: string) => (dir === 'backward' ? $caret.parentOffset === 0 : $caret.parentOffset === $caret.parent.content.size);
  const view = { state, dispatch: (tr: Transaction) => (next = state.apply(tr)), endOfTextblock } as unknown as EditorView;
  const event = { key, keyCode: key === 'Backspace' ? 8 : 46, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false } as KeyboardEvent;
  for (const plugin of state.plugins) if (plugin.props.handleKeyDown?.call(plugin, view, event)) break;
  return next;
}

const caret = (state: EditorState, offset: number) => state.apply(state.tr.setSelection(TextSelection.create(state.doc, mapOf(state.doc).toPos(offset))));

describe('edit mode: chunks', () => {
  it('are cut at the limits, a run of rows or items kept whole up to four times the limit', () => {
    const para = { kind: 'paragraph' as const, text: 'x'.repeat(10) };
    expect(planChunks(Array.from({ length: 7 }, () => para), { blocks: 3, chars: 1000 })).toEqual([0, 3, 6]);
    expect(planChunks(Array.from({ length: 7 }, () => para), { blocks: 100, chars: 25 })).toEqual([0, 3, 6]);
    const rows = [para, para, ...Array.from({ length: 5 }, () => ({ kind: 'row' as const, text: 'a\tb' })), para];
    expect(planChunks(rows, { blocks: 2, chars: 1000 })).toEqual([0, 2, 7]);
    const long = Array.from({ length: 20 }, () => ({ kind: 'item' as const, text: 'i' }));
    expect(planChunks(long, { blocks: 2, chars: 1000 })).toEqual([0, 8, 16]);
    expect(planChunks([])).toEqual([0]);
  });

  it('hold the blocks given, those at an edge knowing whether the next goes on across it', () => {
    const doc = buildEditDoc(placeBlocks(BLOCKS), undefined, SMALL);
    expect(doc.childCount).toBeGreaterThan(3);
    expect(blocksOf(doc)).toEqual(BLOCKS);
    const flat = blockNodes(buildDoc(placeBlocks(BLOCKS)));
    blockNodes(doc).forEach((node, i) => expect(node.content.eq(flat[i]!.content)).toBe(true));
    // The table of rows 3-4 is one chunk (no edge inside it); cut between them, each knows of the other.
    expect(blockNodes(doc).slice(3, 5).map((n) => [n.attrs.continues, n.attrs.continued])).toEqual([
      [false, false],
      [false, false],
    ]);
    // A list longer than four times the limit is cut: the items on either side of the cut know.
    const items = Array.from({ length: 6 }, (_, i): BlockInput => ({ kind: 'item', dir: 'ltr', depth: 1, text: `item ${i}`, meta: { marker: `${i + 1}.` } }));
    const split = buildEditDoc(placeBlocks(items), undefined, { blocks: 1, chars: 1 });
    expect(split.childCount).toBe(2);
    expect(blockNodes(split).map((n) => [n.attrs.continues, n.attrs.continued])).toEqual([
      [false, false],
      [false, false],
      [false, false],
      [false, true],
      [true, false],
      [false, false],
    ]);
  });

  it('map every offset to the position of the same character as a flat document does, and back', () => {
    const flat = flatState().doc;
    const doc = chunkState().doc;
    const a = new PositionMap(placeBlocks(BLOCKS));
    const b = new EditPositions(doc);
    const length = BLOCKS.reduce((n, x) => n + x.text.length + 1, -1);
    expect(b.length).toBe(length);
    for (let o = 0; o <= length; o++) {
      const p = a.toPos(o);
      const q = b.toPos(o);
      const x = flat.resolve(p);
      const y = doc.resolve(q);
      // The same block (by its place in the text), the same cell of it, the same place in that.
      const where = ($: typeof x, depth: number, nodes: PMNode[]) => [nodes.indexOf($.node(depth)), $.depth - depth, $.depth > depth ? $.index(depth) : 0, $.parentOffset, $.parent.textContent];
      expect(where(y, 2, blockNodes(doc)), `offset ${o}`).toEqual(where(x, 1, blockNodes(flat)));
      expect(b.toOffset(q)).toBe(o);
    }
    // Every position, tokens included, maps to an offset, in order.
    let last = 0;
    for (let p = 0; p <= doc.content.size; p++) {
      const o = b.toOffset(p);
      expect(o).toBeGreaterThanOrEqual(last);
      expect(o).toBeLessThanOrEqual(length);
      last = o;
    }
    expect(b.blocks().map((x) => [x.index, x.start, x.text])).toEqual(placeBlocks(BLOCKS).map((x) => [x.index, x.start, x.text]));
  });

  it('Backspace at every block start and Delete at every block end do what they do without chunks, and undo puts the chunks back', () => {
    const placed = placeBlocks(BLOCKS);
    for (const key of ['Backspace', 'Delete'] as const) {
      for (const b of placed) {
        const at = key === 'Backspace' ? b.start : b.start + b.text.length;
        const flat = press(caret(flatState(), at), key);
        const before = caret(chunkState(), at);
        const chunked = press(before, key);
        const where = `${key} at ${at}`;
        expect(blocksOf(chunked.doc), where).toEqual(blocksOf(flat.doc));
        expect(mapOf(chunked.doc).toOffset(chunked.selection.head), where).toBe(mapOf(flat.doc).toOffset(flat.selection.head));
        // Still chunks of blocks, and undone in one step.
        chunked.doc.forEach((c) => expect(c.type.name).toBe('chunk'));
        let back = chunked;
        undo(chunked, (tr) => (back = chunked.apply(tr)));
        if (chunked.doc !== before.doc) expect(back.doc.eq(before.doc), where).toBe(true);
      }
    }
  });

  it('a selection across chunks deleted leaves the text it does without chunks', () => {
    const placed = placeBlocks(BLOCKS);
    const length = placed.at(-1)!.start + placed.at(-1)!.text.length;
    for (let from = 0; from < length; from += 3) {
      for (const to of [from + 1, from + 9, from + 25, length]) {
        if (to > length) continue;
        const run = (state: EditorState) => {
          const map = mapOf(state.doc);
          const s = state.apply(state.tr.setSelection(TextSelection.create(state.doc, map.toPos(from), map.toPos(to))));
          return s.apply(s.tr.deleteSelection());
        };
        const flat = run(flatState());
        const chunked = run(chunkState());
        // The same text in the same blocks. The block the two ends are joined into may be of the
        // other end's kind: ProseMirror keeps the second block's when the selection takes all of
        // the first and both are children of one node, which two blocks of two chunks are not.
        expect(blocksOf(chunked.doc).map((b) => b.text), `${from}-${to}`).toEqual(blocksOf(flat.doc).map((b) => b.text));
        expect(new EditPositions(chunked.doc).length).toBe(length - (to - from));
      }
    }
  });
});
