/**
 * The structured block kinds in the reading schema and in edit mode, without a window: a table
 * row's cells are its TAB-separated parts and come back joined by TAB; Enter in a row splits it
 * as a newline in its text would; list items continue their numbering; a cell takes one line of
 * pasted text; meta (levels, markers, pages) survives a round trip; page marks fall where a new
 * page begins.
 */
import { EditorState, TextSelection, type Command } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { describe, expect, it } from 'vitest';
import type { BlockInput } from '../../src/common/model.js';
import { placeBlocks } from '../../src/common/text/canonical.js';
import { editingPlugins, nextMarker, plainTextSlice, splitParagraph } from '../../src/renderer/reader/edit-plugins.js';
import { blocksOf } from '../../src/renderer/reader/edit-doc.js';
import { PositionMap } from '../../src/common/text/positions.js';
import { buildDoc, pageMarks, schema } from '../../src/renderer/reader/schema.js';

const row = (text: string, dir: 'rtl' | 'ltr' = 'ltr', header = false): BlockInput => ({ kind: 'row', dir, depth: 0, text, ...(header ? { meta: { header: true } } : {}) });
const para = (text: string, dir: 'rtl' | 'ltr' = 'ltr'): BlockInput => ({ kind: 'paragraph', dir, depth: 0, text });

function stateOf(blocks: BlockInput[]): EditorState {
  return EditorState.create({ doc: buildDoc(placeBlocks(blocks)), plugins: editingPlugins() });
}

/** The state with the caret at a canonical offset of its text. */
function caretAt(state: EditorState, offset: number): EditorState {
  const map = new PositionMap(placeBlocks(blocksOf(state.doc)));
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, map.toPos(offset))));
}

function run(state: EditorState, command: Command): { state: EditorState; ran: boolean } {
  let next = state;
  const ran = command(state, (tr) => (next = state.apply(tr)));
  return { state: next, ran };
}

const texts = (state: EditorState) => blocksOf(state.doc).map((b) => `${b.kind}:${b.text}`);

describe('table rows', () => {
  it('are one cell per TAB-separated part, and come back joined by TAB with their meta', () => {
    const blocks: BlockInput[] = [row('Name\tAge\t', 'ltr', true), row('שם\t\tS-300', 'rtl'), para('after')];
    const doc = buildDoc(placeBlocks(blocks));
    expect(doc.child(0).childCount).toBe(3);
    expect(doc.child(1).child(2).textContent).toBe('S-300');
    // The Latin run of a Hebrew row is isolated inside its cell.
    expect(schema.marks.iso!.isInSet(doc.child(1).child(2).firstChild!.marks)?.attrs.dir).toBe('ltr');
    expect(blocksOf(doc)).toEqual(blocks);
  });

  it('split where Enter is pressed, as a newline in the text would split them', () => {
    let state = caretAt(stateOf([row('ab\tcd\tef')]), 4); // "ab\tc|d"
    state = run(state, splitParagraph).state;
    expect(texts(state)).toEqual(['row:ab\tc', 'row:d\tef']);
  });

  it('get a new row of as many empty cells at the end of their last cell, and typing fills it', () => {
    let state = caretAt(stateOf([row('a\tb\tc', 'rtl'), para('next')]), 5);
    state = run(state, splitParagraph).state;
    expect(texts(state)).toEqual(['row:a\tb\tc', 'row:\t\t', 'paragraph:next']);
    state = state.apply(state.tr.insertText('שלום'));
    expect(blocksOf(state.doc)[1]).toEqual({ kind: 'row', dir: 'rtl', depth: 0, text: 'שלום\t\t' });
  });

  it('join two cells on Backspace at a cell start (the TAB goes), and never reach into the block before', () => {
    const start = stateOf([para('before'), row('ab\tcd')]);
    let state = caretAt(start, 10); // the start of "cd"
    state = run(state, editingBackspace).state;
    expect(texts(state)).toEqual(['paragraph:before', 'row:abcd']);
    // At the start of the row: nothing is deleted or selected.
    const atRow = caretAt(start, 7);
    const r = run(atRow, editingBackspace);
    expect(r.ran).toBe(true);
    expect(texts(r.state)).toEqual(texts(atRow));
    expect(r.state.selection.empty).toBe(true);
  });

  it('take pasted text as one line: line breaks and TABs become spaces', () => {
    const state = stateOf([row('a\tb')]);
    const slice = plainTextSlice(state.doc.firstChild!.firstChild!, 'one\ttwo\nthree');
    expect([slice.openStart, slice.content.textBetween(0, slice.content.size)]).toEqual([0, 'one two three']);
  });
});

describe('list items and other kinds', () => {
  it('continue a list on Enter: same depth, the next marker, the same page', () => {
    const item: BlockInput = { kind: 'item', dir: 'ltr', depth: 2, text: 'second', meta: { marker: '2.', pages: ['4', '5'] } };
    let state = caretAt(stateOf([item]), 6);
    state = run(state, splitParagraph).state;
    expect(blocksOf(state.doc)[1]).toEqual({ kind: 'item', dir: 'ltr', depth: 2, text: '', meta: { marker: '3.', pages: ['5'] } });
    expect(['1.', '9)', 'b.', '•', 'iv.', 'א.'].map(nextMarker)).toEqual(['2.', '10)', 'c.', '•', 'iv.', 'א.']);
  });

  it('keep a heading level, a code line and a note label through the editor', () => {
    const blocks: BlockInput[] = [
      { kind: 'heading', dir: 'ltr', depth: 0, text: 'Part', meta: { level: 3 } },
      { kind: 'code', dir: 'ltr', depth: 0, text: '  const x = 1;' },
      { kind: 'note', dir: 'rtl', depth: 0, text: 'הערה', meta: { label: '1', pages: ['2'] } },
    ];
    expect(blocksOf(buildDoc(placeBlocks(blocks)))).toEqual(blocks);
    // Enter after a note opens a note without its label (it is not the same footnote).
    let state = caretAt(stateOf(blocks), 4 + 1 + 14 + 1 + 4);
    state = run(state, splitParagraph).state;
    expect(blocksOf(state.doc)[3]).toEqual({ kind: 'note', dir: 'rtl', depth: 0, text: '', meta: { pages: ['2'] } });
  });
});

describe('page marks', () => {
  it('fall on the blocks where a new page begins, across a section edge', () => {
    const p = (...pages: string[]) => ({ meta: { pages } });
    expect(pageMarks([p('1'), p('1'), p('1', '2'), p('2'), {}, p('3', '4', '5'), p('v')])).toEqual(['1', null, '2', null, null, '3–5', 'v']);
    expect(pageMarks([p('7'), p('8')], p('6', '7'))).toEqual([null, '8']);
  });
});

/** Backspace as edit mode binds it: the editing plugins' key handlers in order (its own keys, then ProseMirror's). */
const editingBackspace: Command = (state, dispatch) => {
  // The caret is always at a block edge here, so the view's answer to "end of textblock?" is yes.
  const view = { state, dispatch: dispatch ?? (() => undefined), endOfTextblock: () => true } as unknown as EditorView;
  const event = { key: 'Backspace', keyCode: 8, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false } as KeyboardEvent;
  return state.plugins.some((plugin) => plugin.props.handleKeyDown?.call(plugin, view, event) === true);
};
