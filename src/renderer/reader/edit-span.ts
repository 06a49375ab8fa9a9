/**
 * Incremental saves of edit mode: what changed between the text the library holds (the saved
 * document) and the editor's, as one span of blocks and the highlights whose range moved, in the
 * shape of `documents.applyEdit`. Pure ProseMirror: tested without a window
 * (tests/renderer/edit-span.test.ts).
 *
 * The span is found by comparing the two documents' blocks from both ends, by identity first:
 * ProseMirror keeps every block a transaction did not touch as the same node, so the blocks that
 * differ are exactly those the steps wrote, for any number of transactions since the last save
 * (they coalesce by themselves, and an undo back to the saved text leaves nothing to send). Blocks
 * rebuilt with the same stored content (only a highlight mark changed) are trimmed from the ends.
 * This costs one pointer comparison per unchanged block, about what mapping the steps' ranges to
 * block indices would, and reads the text of the span only.
 */
import type { Mark, Node as PMNode } from 'prosemirror-model';
import type { BlockInput } from '../../common/model.js';
import { PositionMap } from '../../common/text/positions.js';
import { blockInput, blockNodes, blockText, storedLength } from './edit-doc.js';
import { schema } from './schema.js';

/** A highlight's range in canonical offsets. */
export interface TextSpan {
  start: number;
  end: number;
}

/** What `documents.applyEdit` takes (but the document's id), and how the annotations after the span move. */
export interface EditRequest {
  /** Index of the first saved block replaced. */
  from: number;
  /** How many saved blocks from `from` are replaced. */
  removed: number;
  blocks: BlockInput[];
  /** The highlights whose range changed, in offsets of the new text (collapsed: its words are gone). */
  annotations: { id: string; start: number; end: number }[];
  /** The saved text's length. */
  expectLength: number;
  /** Annotations starting at or after this offset of the saved text move by `delta` (the library moves its own). */
  at: number;
  delta: number;
}

function sameStored(a: PMNode, b: PMNode): boolean {
  if (a === b) return true;
  if (a.type !== b.type || storedLength(a) !== storedLength(b)) return false;
  const x = blockInput(a);
  const y = blockInput(b);
  return x.text === y.text && x.dir === y.dir && x.depth === y.depth && JSON.stringify(x.meta ?? null) === JSON.stringify(y.meta ?? null);
}

/** The blocks that differ between two lists of block nodes (`blockNodes`): `removed` of `before` from `from` became `added` of `after`; null when none does. */
export function changedBlocks(before: readonly PMNode[], after: readonly PMNode[]): { from: number; removed: number; added: number } | null {
  const n = before.length;
  const m = after.length;
  const max = Math.min(n, m);
  let from = 0;
  while (from < max && before[from] === after[from]) from++;
  let tail = 0;
  while (tail < max - from && before[n - 1 - tail] === after[m - 1 - tail]) tail++;
  while (from < n - tail && from < m - tail && sameStored(before[from]!, after[from]!)) from++;
  while (n - tail > from && m - tail > from && sameStored(before[n - 1 - tail]!, after[m - 1 - tail]!)) tail++;
  if (from === n - tail && from === m - tail) return null;
  return { from, removed: n - tail - from, added: m - tail - from };
}

/** The canonical offset at which block `index` of `blocks` opens. */
function blockOrigin(blocks: readonly PMNode[], index: number): number {
  let offset = 0;
  for (let i = 0; i < index; i++) offset += storedLength(blocks[i]!) + 1;
  return offset;
}

/** Each highlight's first and last marked offsets within blocks [from, to) of `blocks`. */
function markedIn(blocks: readonly PMNode[], from: number, to: number): Map<string, TextSpan> {
  const out = new Map<string, TextSpan>();
  if (to <= from) return out;
  const type = schema.marks.highlight!;
  let start = blockOrigin(blocks, from);
  for (let i = from; i < to; i++) {
    const block = blocks[i]!;
    // The block alone, opening at position 0: its text's positions start at 1.
    const map = new PositionMap([{ start, text: blockText(block), kind: block.type.name }]);
    block.descendants((node, pos) => {
      if (!node.isText) return true;
      for (const mark of node.marks as readonly Mark[]) {
        if (mark.type !== type) continue;
        const id = mark.attrs.id as string;
        const a = map.toOffset(pos + 1);
        const b = map.toOffset(pos + 1 + node.nodeSize);
        const r = out.get(id);
        if (r) {
          r.start = Math.min(r.start, a);
          r.end = Math.max(r.end, b);
        } else out.set(id, { start: a, end: b });
      }
      return false;
    });
    start += storedLength(block) + 1;
  }
  return out;
}

/**
 * The incremental save that brings the library from `before` (its text, with `saved`: each
 * highlight's range there, detached ones absent) to `after`; null when nothing is to be sent.
 * `extra`: highlights whose marks changed by themselves (undo or redo of a highlight), with their
 * range in the new text worked out by the caller (null: none left).
 */
export function editRequest(beforeDoc: PMNode, afterDoc: PMNode, saved: ReadonlyMap<string, TextSpan>, extra: ReadonlyMap<string, TextSpan | null> = new Map()): EditRequest | null {
  const before = blockNodes(beforeDoc);
  const after = blockNodes(afterDoc);
  const change = changedBlocks(before, after);
  if (!change && !extra.size) return null;
  const { from, removed, added } = change ?? { from: 0, removed: 0, added: 0 };
  const n = before.length;
  const length = blockOrigin(before, n) - 1;
  const blocks: BlockInput[] = [];
  for (let i = from; i < from + added; i++) blocks.push(blockInput(after[i]!));
  // The changed stretch [a, b) of the saved text and what replaces it, as the library works it out.
  const joined = blocks.reduce((sum, b, i) => sum + b.text.length + (i ? 1 : 0), 0);
  let a: number;
  let b: number;
  let inserted: number;
  if (from + removed < n) {
    a = blockOrigin(before, from);
    b = a;
    for (let i = from; i < from + removed; i++) b += storedLength(before[i]!) + 1;
    inserted = blocks.length ? joined + 1 : 0;
  } else if (from > 0) {
    a = blockOrigin(before, from) - 1;
    b = length;
    inserted = blocks.length ? joined + 1 : 0;
  } else {
    a = 0;
    b = length;
    inserted = joined;
  }
  const delta = inserted - (b - a);
  const annotations = new Map<string, { id: string; start: number; end: number }>();
  if (change) {
    // Marks in the span and in the block on either side of it (where a highlight reaching into
    // the span from outside now ends or begins, when its words in the span are gone).
    const near = markedIn(after, Math.max(0, from - 1), Math.min(after.length, from + added + 1));
    const ids = new Set(near.keys());
    for (const [id, r] of saved) if (r.start < b && r.end > a) ids.add(id);
    for (const id of ids) {
      if (extra.has(id)) continue;
      const old = saved.get(id);
      const w = near.get(id);
      // An end outside the changed stretch stays on its words there, unless marks in the span
      // reach beyond it (an undo brought back words of the highlight next to it).
      const start = old && old.start < a ? old.start : old && old.start >= b ? Math.min(old.start + delta, w?.start ?? Infinity) : (w?.start ?? (old && old.end > b ? b + delta : undefined));
      const end = old && old.end > b ? old.end + delta : old && old.end <= a ? Math.max(old.end, w?.end ?? -Infinity) : w?.end;
      annotations.set(id, start !== undefined && end !== undefined && end > start ? { id, start, end } : { id, start: 0, end: 0 });
    }
  }
  for (const [id, r] of extra) annotations.set(id, r && r.end > r.start ? { id, ...r } : { id, start: 0, end: 0 });
  return { from, removed, blocks, annotations: [...annotations.values()], expectLength: length, at: b, delta };
}

/** The saved ranges after a save of `request` went through: those after the span moved, those sent as sent. */
export function applySaved(saved: Map<string, TextSpan>, request: EditRequest): void {
  if (request.delta) for (const r of saved.values()) if (r.start >= request.at) (r.start += request.delta), (r.end += request.delta);
  for (const x of request.annotations) {
    if (x.end > x.start) saved.set(x.id, { start: x.start, end: x.end });
    else saved.delete(x.id);
  }
}
