/**
 * Edit mode's document rules without a window: highlights as marks follow their words through
 * random edits (never extended at their edges, gone only when all their words are), undo brings
 * back text and highlights together, Enter and paste give new paragraphs their direction, and
 * the isolates of mixed text are worked out again as it is typed.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { undo, redo } from 'prosemirror-history';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import type { BlockInput } from '../../src/common/model.js';
import { placeBlocks } from '../../src/common/text/canonical.js';
import { editingPlugins, plainTextSlice, splitParagraph } from '../../src/renderer/reader/edit-plugins.js';
import { blocksOf } from '../../src/renderer/reader/edit-doc.js';
import { markedRanges } from '../../src/renderer/reader/edit-session.js';
import { buildDoc, schema } from '../../src/renderer/reader/schema.js';
import { repoRoot } from '../helpers.js';

const seedBlocks = (): BlockInput[] => {
  const file = fs.readdirSync(path.join(repoRoot, 'seeds')).find((f) => f.startsWith('000'))!;
  return fs
    .readFileSync(path.join(repoRoot, 'seeds', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 6)
    .map((text) => ({ kind: 'paragraph', dir: 'rtl', depth: 0, text }));
};

function stateWith(blocks: BlockInput[], marks: { id: string; from: number; to: number }[] = []): EditorState {
  let state = EditorState.create({ doc: buildDoc(placeBlocks(blocks)), plugins: editingPlugins() });
  if (marks.length) {
    const tr = state.tr.setMeta('addToHistory', false);
    for (const m of marks) tr.addMark(m.from, m.to, schema.marks.highlight!.create({ id: m.id, color: 'yellow', layer: 0 }));
    state = state.apply(tr);
  }
  return state;
}

function run(state: EditorState, command: (s: EditorState, d: (tr: Transaction) => void) => boolean): EditorState {
  let next = state;
  command(state, (tr) => (next = state.apply(tr)));
  return next;
}

function markedText(doc: PMNode, id: string): string | null {
  const r = markedRanges(doc).get(id);
  return r ? doc.textBetween(r.from, r.to) : null;
}

describe('edit mode: highlights as marks', () => {
  it('follow random insertions and deletions: same words, inner insertions only, or gone', () => {
    const blocks = seedBlocks();
    const base = stateWith(blocks);
    const size = base.doc.content.size;
    // A model of the text: each character knows whether it belongs to the highlight.
    const chars = (doc: PMNode) => {
      const out: { pos: number; ch: string }[] = [];
      doc.descendants((node, pos) => {
        if (node.isText) for (let i = 0; i < node.text!.length; i++) out.push({ pos: pos + i, ch: node.text![i]! });
        return !node.isText;
      });
      return out;
    };
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom('א', 'x', 'שלום ', ' S-300 ', '') }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: size - 40 }), fc.integer({ min: 1, max: 30 }), fc.array(edit, { minLength: 1, maxLength: 25 }), (start, len, edits) => {
        const first = stateWith(blocks);
        const all = chars(first.doc);
        const from = all[Math.min(start, all.length - 2)]!.pos;
        // Keep the highlight inside one block, as a selection would usually be.
        const $from = first.doc.resolve(from);
        const to = Math.min(from + len, $from.end());
        if (to <= from) return;
        let state = stateWith(blocks, [{ id: 'h', from, to }]);
        // Model: the characters of the highlight, by identity.
        let model = chars(state.doc).map((c) => ({ ch: c.ch, inside: c.pos >= from && c.pos < to, pos: c.pos }));
        for (const e of edits) {
          const positions = chars(state.doc);
          if (!positions.length) break;
          const i = Math.floor(e.at * positions.length);
          if (e.kind === 'insert') {
            const at = i < positions.length ? positions[i]!.pos : positions[positions.length - 1]!.pos + 1;
            const $at = state.doc.resolve(at);
            if (!$at.parent.isTextblock) continue;
            state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)).insertText(e.text));
            // Inserted text joins the highlight only strictly inside it (the marks are non-inclusive).
            const before = model.findIndex((m) => m.pos >= at);
            const idx = before < 0 ? model.length : before;
            const inside = idx > 0 && idx < model.length && model[idx - 1]!.inside && model[idx]!.inside && model[idx - 1]!.pos + 1 === model[idx]!.pos;
            model.splice(idx, 0, ...[...e.text].map((ch) => ({ ch, inside, pos: -1 })));
          } else {
            const a = positions[Math.min(i, positions.length - 1)]!.pos;
            const $a = state.doc.resolve(a);
            const b = Math.min(a + e.len, $a.end());
            if (b <= a) continue;
            state = state.apply(state.tr.delete(a, b));
            const idx = model.findIndex((m) => m.pos === a);
            model.splice(idx, b - a);
          }
          // Positions in the model are the document's again.
          const now = chars(state.doc);
          expect(now.map((c) => c.ch).join('')).toBe(model.map((m) => m.ch).join(''));
          model = model.map((m, k) => ({ ...m, pos: now[k]!.pos }));
        }
        const expected = model.filter((m) => m.inside).map((m) => m.ch).join('');
        expect(markedText(state.doc, 'h') ?? '').toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('are not extended by typing at either edge', () => {
    let state = stateWith([{ kind: 'paragraph', dir: 'rtl', depth: 0, text: 'אבג דהו זחט' }], [{ id: 'h', from: 5, to: 8 }]);
    expect(markedText(state.doc, 'h')).toBe('דהו');
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 8)).insertText('!'));
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 5)).insertText('?'));
    expect(markedText(state.doc, 'h')).toBe('דהו');
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 8)).insertText('ממ'));
    expect(markedText(state.doc, 'h')).toBe('דהממו');
  });

  it('come back with their words when a deletion is undone, and go again on redo', () => {
    let state = stateWith([{ kind: 'paragraph', dir: 'rtl', depth: 0, text: 'משפט ראשון . משפט שני .' }], [{ id: 'h', from: 14, to: 22 }]);
    expect(markedText(state.doc, 'h')).toBe('משפט שני');
    state = state.apply(state.tr.delete(13, 24));
    expect(markedRanges(state.doc).has('h')).toBe(false);
    state = run(state, undo);
    expect(markedText(state.doc, 'h')).toBe('משפט שני');
    state = run(state, redo);
    expect(markedRanges(state.doc).has('h')).toBe(false);
  });

  it('overlap as separate marks, each with its own range', () => {
    const state = stateWith([{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'one two three four' }], [
      { id: 'a', from: 1, to: 10 },
      { id: 'b', from: 5, to: 14 },
    ]);
    expect(markedText(state.doc, 'a')).toBe('one two t');
    expect(markedText(state.doc, 'b')).toBe('two three');
  });
});

describe('edit mode: blocks and direction', () => {
  it('Enter opens a block of the same kind that takes the direction of its first strong character', () => {
    let state = stateWith([
      { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'שלום עולם' },
      { kind: 'quote', dir: 'ltr', depth: 2, text: 'A reply' },
    ]);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 10)));
    state = run(state, splitParagraph);
    // Empty: the direction of the paragraph it came from.
    expect(blocksOf(state.doc)[1]).toEqual({ kind: 'paragraph', dir: 'rtl', depth: 0, text: '' });
    state = state.apply(state.tr.insertText('Hello, S-300'));
    expect(blocksOf(state.doc)[1]).toMatchObject({ dir: 'ltr', text: 'Hello, S-300' });
    // A reply in a thread stays a reply of the same depth.
    const end = state.doc.content.size - 1;
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, end)));
    state = run(state, splitParagraph);
    state = state.apply(state.tr.insertText('תגובה'));
    expect(blocksOf(state.doc)[3]).toEqual({ kind: 'quote', dir: 'rtl', depth: 2, text: 'תגובה' });
    // Blocks that came with the text keep their direction, whatever is typed into them.
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 1)).insertText('English words first '));
    expect(blocksOf(state.doc)[0]!.dir).toBe('rtl');
  });

  it('isolates a Latin run typed into a Hebrew paragraph, as imported text is', () => {
    let state = stateWith([{ kind: 'paragraph', dir: 'rtl', depth: 0, text: 'מערכת  הוצבה' }]);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 7)).insertText('S-300'));
    const runs: string[] = [];
    state.doc.descendants((node) => {
      if (node.isText && schema.marks.iso!.isInSet(node.marks)) runs.push(node.text!);
      return true;
    });
    expect(runs).toEqual(['S-300']);
    expect(state.doc.eq(buildDoc(placeBlocks(blocksOf(state.doc))))).toBe(true);
  });

  it('pastes plain text: one line into the block, several as new blocks with their own direction', () => {
    const state = stateWith([{ kind: 'paragraph', dir: 'rtl', depth: 0, text: 'שלום' }]);
    const one = plainTextSlice(state.doc.firstChild!, 'just text');
    expect([one.openStart, one.content.textBetween(0, one.content.size)]).toEqual([0, 'just text']);
    const many = plainTextSlice(state.doc.firstChild!, 'first line\r\nשורה שנייה\n\nlast');
    const dirs: string[] = [];
    many.content.forEach((n) => dirs.push(`${n.attrs.dir}:${n.textContent}`));
    expect(dirs).toEqual(['ltr:first line', 'rtl:שורה שנייה', 'rtl:', 'ltr:last']);
  });
});
