/**
 * What makes the reading schema writable (edit mode): direction that follows the text, Enter,
 * plain-text paste and drop, and the keys for undo and redo. Pure ProseMirror: tested without a
 * window (tests/renderer/edit-plugins.test.ts).
 */
import { baseKeymap, splitBlockAs } from 'prosemirror-commands';
import { history, redo, undo } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { Fragment, Slice, type Node as PMNode } from 'prosemirror-model';
import { Plugin, type Command, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { Direction } from '../../common/model.js';
import { firstStrongDirection } from '../../common/text/direction.js';
import { isolatedRuns } from './bidi.js';
import { schema } from './schema.js';

/**
 * After every change: each block that changed gets its isolates (`iso` marks) worked out again
 * from its text, and a block made in the editor takes the direction of its first strong
 * character (an empty one keeps the direction it was given: its neighbour's). Appended to the
 * same transaction, so undo takes it back with the edit.
 */
export function directionPlugin(): Plugin {
  return new Plugin({
    appendTransaction(transactions, _oldState, newState) {
      // The ranges of the new document that the transactions wrote (a mark alone writes none).
      const ranges: [number, number][] = [];
      for (const t of transactions) {
        if (!t.docChanged) continue;
        for (const r of ranges) {
          r[0] = t.mapping.map(r[0], -1);
          r[1] = t.mapping.map(r[1], 1);
        }
        t.mapping.maps.forEach((map, k) => {
          const rest = t.mapping.slice(k + 1);
          map.forEach((_oldStart, _oldEnd, newStart, newEnd) => void ranges.push([rest.map(newStart, -1), rest.map(newEnd, 1)]));
        });
      }
      if (!ranges.length) return null;
      const doc = newState.doc;
      const seen = new Set<number>();
      let tr: Transaction | null = null;
      for (const [from, to] of ranges) {
        const a = Math.max(0, Math.min(from, doc.content.size));
        const b = Math.min(doc.content.size, Math.max(to, a + 1));
        doc.nodesBetween(a, b, (node, pos) => {
          if (!node.isTextblock) return true;
          if (!seen.has(pos)) {
            seen.add(pos);
            tr ??= newState.tr;
            fixBlock(tr, node, pos);
          }
          return false;
        });
      }
      return tr && (tr as Transaction).docChanged ? tr : null;
    },
  });
}

/** Sets a block's direction (when fresh) and isolates from its text; steps go into `tr`. */
function fixBlock(tr: Transaction, node: PMNode, pos: number): void {
  const text = node.textContent;
  let dir = node.attrs.dir as Direction;
  if (node.attrs.fresh) {
    const first = firstStrongDirection(text);
    if (first && first !== dir) {
      dir = first;
      tr.setNodeMarkup(pos, undefined, { ...node.attrs, dir });
    }
  }
  const iso = schema.marks.iso!;
  const want = isolatedRuns(text, dir);
  const have: { from: number; to: number; dir: string }[] = [];
  node.forEach((child, offset) => {
    const m = iso.isInSet(child.marks);
    if (!m) return;
    const last = have[have.length - 1];
    if (last && last.to === offset && last.dir === m.attrs.dir) last.to = offset + child.nodeSize;
    else have.push({ from: offset, to: offset + child.nodeSize, dir: m.attrs.dir as string });
  });
  const same = want.length === have.length && want.every((w, i) => w.from === have[i]!.from && w.to === have[i]!.to && w.dir === have[i]!.dir);
  if (same) return;
  const start = pos + 1;
  if (have.length) tr.removeMark(start, start + node.content.size, iso);
  for (const run of want) tr.addMark(start + run.from, start + run.to, iso.create({ dir: run.dir }));
}

/**
 * Enter: the new block is of the same kind (a reply in a thread of comments stays a quote of
 * the same depth; after a heading comes a paragraph), marked fresh, with its neighbour's
 * direction until its first strong character says otherwise.
 */
export const splitParagraph: Command = splitBlockAs((node, atEnd) => {
  const type = atEnd && node.type === schema.nodes.heading ? schema.nodes.paragraph! : node.type;
  return { type, attrs: { dir: node.attrs.dir as string, depth: node.attrs.depth as number, index: 0, fresh: true } };
});

/** Plain text as a slice for a block like `parent`: one line is bare text; more become fresh blocks. */
export function plainTextSlice(parent: PMNode, text: string): Slice {
  const lines = text.replace(/\r\n?|[\u2028\u2029]/g, '\n').split('\n');
  if (lines.length === 1) return new Slice(Fragment.from(lines[0] ? schema.text(lines[0]) : []), 0, 0);
  const type = parent.type === schema.nodes.heading ? schema.nodes.paragraph! : parent.type;
  const nodes = lines.map((line) =>
    type.create(
      { dir: firstStrongDirection(line) ?? (parent.attrs.dir as string), depth: parent.attrs.depth as number, index: 0, fresh: true },
      line ? schema.text(line) : undefined,
    ),
  );
  return new Slice(Fragment.from(nodes), 1, 1);
}

/** Inserts plain text at the selection (paste) or at `pos` (drop). */
export function insertPlainText(view: EditorView, text: string, pos?: number): void {
  const { state } = view;
  const parent = pos === undefined ? state.selection.$from.parent : state.doc.resolve(pos).parent;
  const slice = plainTextSlice(parent, text);
  let tr = state.tr;
  if (slice.openStart === 0) {
    // One line: typed text, so inside a highlight it joins the highlight (as typing would).
    const line = slice.content.firstChild?.text ?? '';
    tr = pos === undefined ? tr.insertText(line) : tr.insertText(line, pos);
  } else {
    tr = pos === undefined ? tr.replaceSelection(slice) : tr.replace(pos, pos, slice);
  }
  view.dispatch(tr.scrollIntoView().setMeta('uiEvent', pos === undefined ? 'paste' : 'drop'));
}

/** The plugins of the editable view, in order. */
export function editingPlugins(): Plugin[] {
  return [
    history(),
    keymap({
      'Mod-z': undo,
      'Shift-Mod-z': redo,
      'Mod-y': redo,
      Enter: splitParagraph,
    }),
    keymap(baseKeymap),
    directionPlugin(),
    new Plugin({
      props: {
        handlePaste(view, event) {
          const text = event.clipboardData?.getData('text/plain') ?? '';
          if (!text) return true;
          insertPlainText(view, text);
          return true;
        },
        handleDrop(view, event, _slice, moved) {
          if (moved) return false;
          const text = event.dataTransfer?.getData('text/plain');
          if (!text) return true;
          const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
          if (!at) return true;
          event.preventDefault();
          insertPlainText(view, text, at.pos);
          return true;
        },
      },
    }),
  ];
}
