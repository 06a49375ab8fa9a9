/**
 * Edit mode's incremental saves without a window: after random edits (typing, deleting across
 * blocks, Enter, undo), the span and the highlight ranges a save sends, applied the way
 * `documents.applyEdit` applies them (blocks spliced, annotations after the span moved by the
 * length's change, the sent ones set), give exactly the editor's text and every highlight's range
 * in it; and a save sends only the blocks that changed.
 */
import fc from 'fast-check';
import { undo } from 'prosemirror-history';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { describe, expect, it } from 'vitest';
import type { Annotation, BlockInput } from '../../src/common/model.js';
import { placeBlocks } from '../../src/common/text/canonical.js';
import { editingPlugins, splitParagraph } from '../../src/renderer/reader/edit-plugins.js';
import { highlightSpans, markedRanges } from '../../src/renderer/reader/edit-session.js';
import { blockNodes, blocksOf, buildEditDoc, EditPositions } from '../../src/renderer/reader/edit-doc.js';
import { applySaved, changedBlocks, editRequest, type EditRequest, type TextSpan } from '../../src/renderer/reader/edit-span.js';
import { assignLayers } from '../../src/common/text/layers.js';
import { PositionMap } from '../../src/common/text/positions.js';
import { buildDoc } from '../../src/renderer/reader/schema.js';

const BLOCKS: BlockInput[] = [
  { kind: 'heading', dir: 'ltr', depth: 0, text: 'A title of the text', meta: { level: 1 } },
  { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'השיחה התקיימה בצל S-300 דעיכת התיאום בין המדינות' },
  { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'Two leaders exchanged greetings on the phone.' },
  { kind: 'row', dir: 'ltr', depth: 0, text: 'cell one\tתא שני\tcell three' },
  { kind: 'quote', dir: 'ltr', depth: 2, text: 'A reply quoted in the thread, with words.' },
  { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'ובירך אותו לרגל יום הולדתו ה-67' },
  { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The last paragraph of the text.' },
];

/** Highlights over the text, some across blocks, some overlapping. */
const HIGHLIGHTS: [number, number][] = [
  [2, 9],
  [15, 40],
  [25, 80],
  [70, 75],
  [100, 140],
  [118, 130],
  [150, 170],
  [160, 230],
  [220, 230],
  [235, 247],
];

function annotation(id: string, start: number, end: number): Annotation {
  return { id, documentId: 1, start, end, exact: '', prefix: '', suffix: '', color: 'yellow', note: '', tags: [], status: 'anchored', created: '', modified: '' } as Annotation;
}

/** The document flat (`doc > block+`, as built for reading) or in chunks of two blocks (edit mode's shape, its edges often crossed). */
type Shape = 'flat' | 'chunks';

function initial(shape: Shape = 'flat'): { state: EditorState; saved: Map<string, TextSpan> } {
  const placed = placeBlocks(BLOCKS);
  const annotations = HIGHLIGHTS.map(([s, e], i) => annotation(`h${i}`, s, e));
  const spans = highlightSpans(placed, assignLayers(annotations.map((a) => ({ a, from: a.start, to: a.end }))));
  const doc = shape === 'flat' ? buildDoc(placed, { spans }) : buildEditDoc(placed, spans, { blocks: 2, chars: 10_000 });
  return { state: EditorState.create({ doc, plugins: editingPlugins() }), saved: new Map(annotations.map((a) => [a.id, { start: a.start, end: a.end }])) };
}

/** Every highlight's range in a document, in canonical offsets (the truth to compare with). */
function rangesOf(doc: PMNode): Map<string, TextSpan> {
  const map = doc.firstChild?.type.name === 'chunk' ? new EditPositions(doc) : new PositionMap(placeBlocks(blocksOf(doc)));
  const out = new Map<string, TextSpan>();
  for (const [id, r] of markedRanges(doc)) {
    const start = map.toOffset(r.from);
    const end = map.toOffset(r.to);
    if (end > start) out.set(id, { start, end });
  }
  return out;
}

/** What the library holds after applying a request: its own copy, worked out as applyEdit does. */
function applyAsLibrary(library: { blocks: BlockInput[]; ranges: Map<string, TextSpan> }, request: EditRequest): void {
  library.blocks.splice(request.from, request.removed, ...request.blocks);
  const sent = new Map(request.annotations.map((a) => [a.id, a]));
  for (const [id, r] of [...library.ranges]) {
    const s = sent.get(id);
    if (s) {
      if (s.end > s.start) library.ranges.set(id, { start: s.start, end: s.end });
      else library.ranges.delete(id);
    } else if (r.start >= request.at) library.ranges.set(id, { start: r.start + request.delta, end: r.end + request.delta });
  }
  for (const s of request.annotations) if (!library.ranges.has(s.id) && s.end > s.start) library.ranges.set(s.id, { start: s.start, end: s.end });
}

type Edit =
  | { kind: 'type'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'enter'; at: number }
  | { kind: 'key'; at: number; key: 'Backspace' | 'Delete' }
  | { kind: 'undo' }
  | { kind: 'save' };

const edits = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('type' as const), at: fc.nat(400), text: fc.constantFrom('x', 'שלום', 'a b', 'S-400') }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(400), length: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('enter' as const), at: fc.nat(400) }),
    fc.record({ kind: fc.constant('key' as const), at: fc.nat(400), key: fc.constantFrom('Backspace' as const, 'Delete' as const) }),
    fc.constant({ kind: 'undo' as const }),
    fc.constant({ kind: 'save' as const }),
  ),
  { minLength: 1, maxLength: 25 },
);

function apply(state: EditorState, edit: Edit): EditorState {
  const size = state.doc.content.size;
  try {
    switch (edit.kind) {
      case 'type': {
        const $pos = state.doc.resolve(Math.min(edit.at, size));
        if (!$pos.parent.inlineContent) return state;
        return state.apply(state.tr.insertText(edit.text, $pos.pos));
      }
      case 'delete': {
        const from = Math.min(edit.at, size);
        const to = Math.min(from + edit.length, size);
        if (!state.doc.resolve(from).parent.inlineContent || !state.doc.resolve(to).parent.inlineContent) return state;
        return state.apply(state.tr.delete(from, to));
      }
      case 'enter': {
        const $pos = state.doc.resolve(Math.min(edit.at, size));
        if (!$pos.parent.inlineContent) return state;
        const at = state.apply(state.tr.setSelection(TextSelection.create(state.doc, $pos.pos)));
        let next = at;
        splitParagraph(at, (tr) => (next = at.apply(tr)));
        return next;
      }
      case 'key': {
        // The key as the view runs it: the editing plugins' keymaps, first to handle it.
        const $pos = state.doc.resolve(Math.min(edit.at, size));
        if (!$pos.parent.inlineContent) return state;
        const at = state.apply(state.tr.setSelection(TextSelection.create(state.doc, $pos.pos)));
        return pressKey(at, edit.key);
      }
      case 'undo': {
        let next = state;
        undo(state, (tr) => (next = state.apply(tr)));
        return next;
      }
      default:
        return state;
    }
  } catch (e) {
    if (e instanceof RangeError) return state;
    throw e;
  }
}

/** A key pressed in a state: the first of its plugins' keydown handlers that takes it. */
function pressKey(state: EditorState, key: string): EditorState {
  let next = state;
  const $caret = state.selection.$from;
  const endOfTextblock = (dir: string) => (dir === 'backward' ? $caret.parentOffset === 0 : $caret.parentOffset === $caret.parent.content.size);
  const view = { state, dispatch: (tr: Transaction) => (next = state.apply(tr)), endOfTextblock } as unknown as EditorView;
  const event = { key, keyCode: key === 'Backspace' ? 8 : 46, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false } as KeyboardEvent;
  for (const plugin of state.plugins) if (plugin.props.handleKeyDown?.call(plugin, view, event)) break;
  return next;
}

describe('edit mode: incremental saves', () => {
  it.each(['flat', 'chunks'] as const)('a save of the changed span and ranges leaves the library with the editor text and every highlight where the editor has it (%s)', (shape) => {
    fc.assert(
      fc.property(edits, (list) => {
        const start = initial(shape);
        let state = start.state;
        let savedDoc = state.doc;
        const saved = start.saved;
        const library = { blocks: BLOCKS.map((b) => ({ ...b })), ranges: new Map([...saved].map(([id, r]) => [id, { ...r }])) };
        const save = () => {
          const request = editRequest(savedDoc, state.doc, saved);
          if (request) {
            const before = library.blocks.reduce((n, b, i) => n + b.text.length + (i ? 1 : 0), 0);
            expect(request.expectLength).toBe(before);
            applyAsLibrary(library, request);
            applySaved(saved, request);
            const after = library.blocks.reduce((n, b, i) => n + b.text.length + (i ? 1 : 0), 0);
            expect(after).toBe(before + request.delta);
          }
          savedDoc = state.doc;
          expect(library.blocks).toEqual(blocksOf(state.doc));
          const truth = rangesOf(state.doc);
          expect(library.ranges).toEqual(truth);
          expect(saved).toEqual(truth);
        };
        for (const edit of [...list, { kind: 'save' as const }]) {
          if (edit.kind === 'save') save();
          else state = apply(state, edit);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sends only the block typed in, and nothing after an undo back to the saved text', () => {
    const { state, saved } = initial();
    const pos = state.doc.child(0).nodeSize + state.doc.child(1).nodeSize + 5;
    const typed = state.apply(state.tr.insertText('word ', pos));
    const request = editRequest(state.doc, typed.doc, saved)!;
    expect(request).toMatchObject({ from: 2, removed: 1, blocks: [{ kind: 'paragraph', text: 'Two word leaders exchanged greetings on the phone.' }], delta: 5 });
    // The highlights meeting the block typed in are sent; those after it are left to the library to move.
    const [, , block, next] = placeBlocks(BLOCKS);
    const meeting = [...saved].filter(([, r]) => r.start < next!.start && r.end > block!.start).map(([id]) => id);
    expect(meeting.length).toBeGreaterThan(0);
    const sent = request.annotations.map((a) => a.id);
    expect(sent).toEqual(expect.arrayContaining(meeting));
    // None of those after the span (the block beside it is looked at: its highlights may reach in).
    const afterNext = placeBlocks(BLOCKS)[4]!.start;
    expect(sent.filter((id) => saved.get(id)!.start >= afterNext)).toEqual([]);
    expect(request.at).toBe(next!.start);
    let back = typed;
    undo(typed, (tr) => (back = typed.apply(tr)));
    expect(back.doc.eq(state.doc)).toBe(true);
    expect(changedBlocks(blockNodes(state.doc), blockNodes(back.doc))).toBeNull();
    expect(editRequest(state.doc, back.doc, saved)).toBeNull();
  });
});
