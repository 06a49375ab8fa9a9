/**
 * What makes the reading schema writable (edit mode): direction that follows the text, Enter,
 * plain-text paste and drop, and the keys for undo and redo. Pure ProseMirror: tested without a
 * window (tests/renderer/edit-plugins.test.ts).
 */
import { baseKeymap, chainCommands, splitBlockAs } from 'prosemirror-commands';
import { history, redo, undo } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { Fragment, Slice, type Node as PMNode, type ResolvedPos } from 'prosemirror-model';
import { EditorState, Plugin, Selection, TextSelection, type Command, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { BlockMeta, Direction } from '../../common/model.js';
import { firstStrongDirection } from '../../common/text/direction.js';
import { isolatedRuns } from '../../common/text/bidi.js';
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
          // A row is fixed whole: its direction from all its cells, each cell's isolates in it.
          if (!node.isTextblock && node.type !== schema.nodes.row) return true;
          if (!seen.has(pos)) {
            seen.add(pos);
            tr ??= newState.tr;
            if (node.type === schema.nodes.row) fixRow(tr, node, pos);
            else fixBlock(tr, node, pos);
          }
          return false;
        });
      }
      return tr && (tr as Transaction).docChanged ? tr : null;
    },
  });
}

/** A fresh block's direction from its first strong character (set on the node at `pos`). */
function freshDirection(tr: Transaction, node: PMNode, pos: number): Direction {
  let dir = node.attrs.dir as Direction;
  if (node.attrs.fresh) {
    const first = firstStrongDirection(node.textContent);
    if (first && first !== dir) {
      dir = first;
      tr.setNodeMarkup(pos, undefined, { ...node.attrs, dir });
    }
  }
  return dir;
}

/** Sets a block's direction (when fresh) and isolates from its text; steps go into `tr`. */
function fixBlock(tr: Transaction, node: PMNode, pos: number): void {
  fixIsolates(tr, node, pos, freshDirection(tr, node, pos));
}

/** A row: its direction (when fresh) from its text, then each cell's isolates in that direction. */
function fixRow(tr: Transaction, row: PMNode, pos: number): void {
  const dir = freshDirection(tr, row, pos);
  row.forEach((cell, offset) => fixIsolates(tr, cell, pos + 1 + offset, dir));
}

/** Makes the `iso` marks of a text block (or cell) at `pos` those of its text in `dir`. */
function fixIsolates(tr: Transaction, node: PMNode, pos: number, dir: Direction): void {
  const text = node.textContent;
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
 * the same depth, a list item is followed by the next item; after a heading comes a paragraph),
 * marked fresh, with its neighbour's direction until its first strong character says otherwise.
 * In a table row, see `splitRow`.
 */
export const splitParagraph: Command = (state, dispatch, view) => {
  if (state.selection.$from.parent.type === schema.nodes.cell) return splitRow(state, dispatch);
  return splitBlockAs((node, atEnd) => {
    const type = atEnd && node.type === schema.nodes.heading ? schema.nodes.paragraph! : node.type;
    return { type, attrs: freshAttrs(node, type) };
  })(state, dispatch, view);
};

/** The attributes of a block made in the editor after `node`, as a block of `type`. */
function freshAttrs(node: PMNode, type = node.type): Record<string, unknown> {
  return { dir: node.attrs.dir as string, depth: node.attrs.depth as number, index: 0, fresh: true, meta: freshMeta(node, type), pageMark: null };
}

/**
 * What a new block keeps of the block it was split from: its pages (it is on the same page);
 * a list item's next marker ("3." after "2.", the same bullet); a heading's level. Not a note's
 * label: the new note is not the same footnote.
 */
export function freshMeta(node: PMNode, type = node.type): BlockMeta | null {
  const m = (node.attrs.meta as BlockMeta | null) ?? {};
  const out: BlockMeta = {};
  if (m.pages?.length) out.pages = [m.pages[m.pages.length - 1]!];
  if (m.part) out.part = m.part;
  if (type === schema.nodes.item && m.marker) out.marker = nextMarker(m.marker);
  if (type === schema.nodes.heading && m.level) out.level = m.level;
  return Object.keys(out).length ? out : null;
}

/** The marker of the item after one marked `marker`: "2." -> "3.", "b)" -> "c)", "•" -> "•". */
export function nextMarker(marker: string): string {
  const number = /^(\d+)([.)]?)$/.exec(marker);
  if (number) return `${Number(number[1]) + 1}${number[2]}`;
  const letter = /^([a-y])([.)])$/i.exec(marker);
  if (letter) return `${String.fromCharCode(letter[1]!.charCodeAt(0) + 1)}${letter[2]}`;
  return marker;
}

/**
 * Enter in a table row, as a newline in the row's text would be: the row is split in two at the
 * caret (cells after it go to the new row). At the end of the last cell, the new row gets as many
 * empty cells as this one has, ready for the next line of the table.
 */
export function splitRow(state: EditorState, dispatch?: (tr: Transaction) => void): boolean {
  const { $from, $to } = state.selection;
  if ($from.parent.type !== schema.nodes.cell || $from.depth < 2) return false;
  const row = $from.node($from.depth - 1);
  if (!dispatch) return true;
  const tr = state.tr;
  if (!state.selection.empty) tr.deleteSelection();
  const $at = tr.doc.resolve(tr.mapping.map($to.pos));
  if ($at.parent.type !== schema.nodes.cell) return false;
  const rowNow = $at.node($at.depth - 1);
  const atEnd = $at.parentOffset === $at.parent.content.size && $at.index($at.depth - 1) === rowNow.childCount - 1;
  const attrs = { ...freshAttrs(row), tableDir: row.attrs.tableDir as string | null };
  if (atEnd) {
    const after = $at.after($at.depth - 1);
    const cells = Array.from({ length: rowNow.childCount }, () => schema.nodes.cell!.create());
    tr.insert(after, schema.nodes.row!.create(attrs, cells));
    tr.setSelection(TextSelection.create(tr.doc, after + 2));
  } else {
    tr.split($at.pos, 2, [{ type: schema.nodes.row!, attrs }, { type: schema.nodes.cell! }]);
  }
  dispatch(tr.scrollIntoView());
  return true;
}

/** The depth of the block holding a resolved position (its parent the document or a chunk), or -1. */
function blockDepth($pos: ResolvedPos): number {
  for (let d = $pos.depth; d > 0; d--) {
    const parent = $pos.node(d - 1).type;
    if (parent === schema.nodes.doc || parent === schema.nodes.chunk) return d;
  }
  return -1;
}

/** The block after the one holding `$pos`, across a chunk's edge; null at the end. */
function nextBlock($pos: ResolvedPos): PMNode | null {
  const d = blockDepth($pos);
  if (d < 1) return null;
  const parent = $pos.node(d - 1);
  const i = $pos.index(d - 1);
  if (i + 1 < parent.childCount) return parent.child(i + 1);
  if (parent.type !== schema.nodes.chunk) return null;
  const doc = $pos.node(d - 2);
  const c = $pos.index(d - 2);
  return c + 1 < doc.childCount ? doc.child(c + 1).firstChild : null;
}

/**
 * Backspace at the start of a row, or Delete at the end of a block just before one: a row of
 * several cells cannot be joined to a paragraph (ProseMirror would select the block beside it
 * instead, for the next key to delete), so nothing happens. A row of one cell joins as text does,
 * and inside a row the keys join two cells (the TAB between them is what is deleted).
 */
const keepRows: Record<string, Command> = {
  Backspace: (state) => {
    const { $from, empty } = state.selection;
    if (!empty || $from.parentOffset > 0 || $from.parent.type !== schema.nodes.cell) return false;
    return $from.index($from.depth - 1) === 0 && $from.node($from.depth - 1).childCount > 1;
  },
  Delete: (state) => {
    const { $from, empty } = state.selection;
    if (!empty || $from.parentOffset < $from.parent.content.size) return false;
    if ($from.parent.type === schema.nodes.cell && $from.index($from.depth - 1) < $from.node($from.depth - 1).childCount - 1) return false;
    const next = nextBlock($from);
    return next?.type === schema.nodes.row && next.childCount > 1;
  },
};

/**
 * Backspace at the start of a chunk's first block, Delete at the end of a chunk's last (see
 * edit-doc.ts): the two chunks are made one, then the key does what it does between two blocks
 * of a chunk (joins them, or nothing beside a row), in the same transaction. Without this,
 * ProseMirror would join the chunks alone and the key would seem to do nothing.
 */
function acrossChunks(dir: -1 | 1, inner: Command): Command {
  return (state, dispatch) => {
    const { $from, empty } = state.selection;
    if (!empty) return false;
    const d = blockDepth($from);
    if (d < 2 || $from.node(d - 1).type !== schema.nodes.chunk) return false;
    const chunk = d - 1;
    const nested = $from.depth - d;
    if (dir < 0 ? $from.pos !== $from.start(d) + nested || $from.index(chunk) > 0 || $from.index(chunk - 1) === 0 : $from.pos !== $from.end(d) - nested || $from.index(chunk) < $from.node(chunk).childCount - 1 || $from.index(chunk - 1) === state.doc.childCount - 1) return false;
    if (!dispatch) return true;
    const tr = state.tr.join(dir < 0 ? $from.before(chunk) : $from.after(chunk));
    let next: Transaction | null = null;
    inner(EditorState.create({ doc: tr.doc, selection: tr.selection }), (t) => (next = t));
    const done = next as Transaction | null;
    // Nothing to join (a row beside): the key does nothing, and the chunks stay as they were.
    if (!done?.docChanged) return true;
    for (const step of done.steps) tr.step(step);
    tr.setSelection(Selection.fromJSON(tr.doc, done.selection.toJSON()));
    dispatch(tr.scrollIntoView());
    return true;
  };
}

const backspace = chainCommands(keepRows.Backspace!, baseKeymap.Backspace!);
const del = chainCommands(keepRows.Delete!, baseKeymap.Delete!);
const chunkEdges: Record<string, Command> = {
  Backspace: acrossChunks(-1, backspace),
  'Shift-Backspace': acrossChunks(-1, backspace),
  'Mod-Backspace': acrossChunks(-1, backspace),
  Delete: acrossChunks(1, del),
  'Mod-Delete': acrossChunks(1, del),
};

/**
 * Plain text as a slice for a block like `parent`: one line is bare text; more become fresh blocks.
 * In a table cell, the lines are joined by spaces and TABs become spaces: a cell holds one line,
 * and a TAB inside it would be read back as a new cell.
 */
export function plainTextSlice(parent: PMNode, text: string): Slice {
  let lines = text.replace(/\r\n?|[\u2028\u2029]/g, '\n').split('\n');
  if (parent.type === schema.nodes.cell) lines = [lines.join(' ').replace(/\t/g, ' ')];
  if (lines.length === 1) return new Slice(Fragment.from(lines[0] ? schema.text(lines[0]) : []), 0, 0);
  const type = parent.type === schema.nodes.heading ? schema.nodes.paragraph! : parent.type;
  // The first line joins the block at the caret; each later one follows the one before it.
  let before = parent;
  const nodes = lines.map((line, i) => {
    const attrs = { ...freshAttrs(before, type), dir: firstStrongDirection(line) ?? (parent.attrs.dir as string) };
    const node = type.create(attrs, line ? schema.text(line) : undefined);
    if (i > 0) before = node;
    return node;
  });
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
    keymap(chunkEdges),
    keymap(keepRows),
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
