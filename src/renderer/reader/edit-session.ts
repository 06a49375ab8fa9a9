/**
 * Edit mode: the whole document in one editable ProseMirror view, with the same outward shape as
 * the reading view (canonical offsets in and out; see `TextSurface`), so the reader view, the
 * toolbar, the panel and find work on either.
 *
 * Highlights are `highlight` marks here, not decorations: a mark travels with its words through
 * every edit, is not extended by typing at its edges (non-inclusive), and comes back with its
 * words when a deletion is undone. Making, deleting and recolouring a highlight are mark steps in
 * the same history as typing, so undo and redo run across both; when undo or redo takes a
 * highlight away or brings one back, the session tells its host, which does the same in the
 * library.
 *
 * Saving is automatic: a short pause after the last change (and before anything that needs the
 * library's text to be the editor's, such as making a highlight), the span of blocks that changed
 * since the last save and the ranges of the highlights in and around it go to
 * `documents.applyEdit` (see edit-span.ts), which writes both in one transaction and moves the
 * annotations after the span itself. A highlight whose words are all gone has no range and is
 * saved as detached. Saves go one at a time; changes made during one are saved by the next.
 */
import type { Node as PMNode, Mark } from 'prosemirror-model';
import { closeHistory, redo, undo, undoDepth, redoDepth } from 'prosemirror-history';
import { EditorState, Plugin, PluginKey, type Transaction } from 'prosemirror-state';
import { AddMarkStep, RemoveMarkStep } from 'prosemirror-transform';
import { Decoration, DecorationSet, EditorView } from 'prosemirror-view';
import type { Annotation, Block, Color, DocumentFull } from '../../common/model.js';
import { quoteSelector } from '../../common/text/canonical.js';
import type { TextRange } from '../find-text.js';
import type { HighlightChange } from './editor.js';
import { editingPlugins } from './edit-plugins.js';
import { buildEditDoc, EditPositions } from './edit-doc.js';
import { applySaved, editRequest, type EditRequest, type TextSpan } from './edit-span.js';
import { hitsKey, hitsPlugin } from './hits.js';
import { lazyBlocksPlugin, lazyNodeViews, reveal } from './lazy-blocks.js';
import { assignLayers, freeLayer } from '../../common/text/layers.js';
import { blockIndexAt } from '../../common/text/positions.js';
import { schema, type MarkedSpan } from './schema.js';
import { SECTION_LIMITS } from './sections.js';

/** What the reader view needs from whichever view shows the text. */
export interface TextSurface {
  readonly document: DocumentFull;
  readonly length: number;
  highlights(change: HighlightChange): void;
  setHits(ranges: readonly TextRange[], current: number): void;
  annotationRange(id: string): TextRange | null;
  selection(): { start: number; end: number; range: Range } | null;
  rects(start: number, end: number): DOMRect[];
  scrollTo(offset: number): void;
  annotationsAt(target: EventTarget | null): string[];
  /** The canonical offset of a DOM point in the text, or null outside it. */
  offsetAt(node: Node, offset: number): number | null;
  relayout(): void;
  destroy(): void;
}

export type SaveState = 'saved' | 'pending' | 'saving' | 'failed';

export interface EditHost {
  /**
   * Writes a changed span of blocks and the highlights whose range changed (collapsed: detached)
   * with `documents.applyEdit`; resolves when written. The annotations the request does not name
   * that start at or after `at` (of the text before) move by `delta`, in the library and in the
   * host's copies alike.
   */
  applyEdit(request: EditRequest): Promise<void>;
  /** Ids of annotations of this document the library holds as detached (saved collapsed). */
  detached(): readonly string[];
  /** Undo or redo took a highlight away: delete it in the library (keeping it for redo). */
  removed(id: string): void;
  /** Undo or redo brought a highlight back at `range` (text already saved). */
  returned(id: string, range: TextRange): void;
  /** Undo or redo changed a highlight's colour. */
  recolored(id: string, color: Color): void;
  /** The text changed (find's copy of it is stale); `byUser`: typed, pasted, undone (not a highlight made from the toolbar). */
  textChanged(byUser: boolean): void;
  state(state: SaveState, error?: unknown): void;
}

/** Marks a transaction whose highlight change the library has already made. */
const SYNCED = 'gloss-synced';
/** The pause after the last change before it is saved. */
export const SAVE_DELAY = 700;

const focusKey = new PluginKey<{ id: string | null; set: DecorationSet }>('edit-focus');

interface MarkedRange {
  from: number;
  to: number;
  color: Color;
  layer: number;
}

/** Every highlight mark in a document: its id's first and last marked positions, colour, layer. */
export function markedRanges(doc: PMNode): Map<string, MarkedRange> {
  const type = schema.marks.highlight!;
  const out = new Map<string, MarkedRange>();
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const m of node.marks) {
      if (m.type !== type) continue;
      const id = m.attrs.id as string;
      const end = pos + node.nodeSize;
      const r = out.get(id);
      if (r) {
        r.from = Math.min(r.from, pos);
        r.to = Math.max(r.to, end);
      } else out.set(id, { from: pos, to: end, color: m.attrs.color as Color, layer: m.attrs.layer as number });
    }
    return false;
  });
  return out;
}

/** Each block's highlight marks (offsets within the block), from highlights in canonical offsets. */
export function highlightSpans(blocks: readonly Block[], layered: readonly { a: Annotation; layer: number }[]): Map<number, MarkedSpan[]> {
  const out = new Map<number, MarkedSpan[]>();
  const type = schema.marks.highlight!;
  for (const { a, layer } of layered) {
    const mark = type.create({ id: a.id, color: a.color, layer });
    for (let i = Math.max(0, blockIndexAt(blocks, a.start)); i < blocks.length && blocks[i]!.start < a.end; i++) {
      const b = blocks[i]!;
      const from = Math.max(0, a.start - b.start);
      const to = Math.min(b.text.length, a.end - b.start);
      if (to <= from) continue;
      let list = out.get(i);
      if (!list) out.set(i, (list = []));
      list.push({ from, to, mark });
    }
  }
  return out;
}


function focusPlugin(): Plugin {
  return new Plugin<{ id: string | null; set: DecorationSet }>({
    key: focusKey,
    state: {
      init: () => ({ id: null, set: DecorationSet.empty }),
      apply(tr, value) {
        const id = tr.getMeta(focusKey) as string | null | undefined;
        if (id === undefined) return tr.docChanged ? { id: value.id, set: value.set.map(tr.mapping, tr.doc) } : value;
        const r = id ? markedRanges(tr.doc).get(id) : undefined;
        return { id, set: r ? DecorationSet.create(tr.doc, [Decoration.inline(r.from, r.to, { class: 'hl-focused' })]) : DecorationSet.empty };
      },
    },
    props: { decorations: (state) => focusKey.getState(state)?.set },
  });
}

export class EditSession implements TextSurface {
  readonly view: EditorView;
  private readonly base: DocumentFull;
  private savedDoc: PMNode;
  private saving: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failed: unknown = null;
  /** Each highlight's range in the library's text (detached ones absent): what a save compares with. */
  private readonly saved = new Map<string, TextSpan>();
  /** Highlights whose marks changed by themselves (undo or redo) since the last save. */
  private readonly touched = new Set<string>();
  private cache: { doc: PMNode; map: EditPositions; text: string | null } | null = null;
  private destroyed = false;

  constructor(
    scroller: HTMLElement,
    document: DocumentFull,
    annotations: readonly Annotation[],
    private readonly host: EditHost,
  ) {
    this.base = document;
    const anchored = annotations.filter((a) => a.status === 'anchored' && a.end > a.start);
    for (const a of anchored) this.saved.set(a.id, { start: a.start, end: a.end });
    // The highlights are built into the document with its text (not added by steps: each step
    // would copy the list of the document's blocks, 10,000 times over a book's 25,000 blocks).
    // In chunks (edit-doc.ts), so that a keystroke costs one chunk and the list of chunks.
    const doc = buildEditDoc(document.blocks, highlightSpans(document.blocks, assignLayers(anchored.map((a) => ({ a, from: a.start, to: a.end })))));
    this.savedDoc = doc;
    this.cache = { doc, map: new EditPositions(doc), text: null };
    // A book is drawn live only near the screen (lazy-blocks.ts); a shorter text is drawn whole.
    const lazy = this.cache.map.length > SECTION_LIMITS.whole;
    const state = EditorState.create({ doc, plugins: [...editingPlugins(), hitsPlugin(), focusPlugin(), ...(lazy ? [lazyBlocksPlugin(scroller)] : [])] });
    this.view = new EditorView(scroller, {
      state,
      ...(lazy ? { nodeViews: lazyNodeViews() } : {}),
      // Named by the document's title (the text box is the document being edited).
      attributes: { class: 'reader-text editing', translate: 'no', spellcheck: 'true', 'aria-multiline': 'true', role: 'textbox', 'aria-labelledby': 'doc-title' },
      dispatchTransaction: (t) => this.dispatch(t),
    });
  }

  // The shape the reader view uses -------------------------------------------------------------

  get document(): DocumentFull {
    return { ...this.base, blocks: this.current().map.blocks() };
  }

  get length(): number {
    return this.current().map.length;
  }

  /** The text as it stands in the editor (canonical: blocks joined by `\n`). */
  text(): string {
    const c = this.current();
    return (c.text ??= c.map.blocks().map((b) => b.text).join('\n'));
  }

  highlights(change: HighlightChange): void {
    const type = schema.marks.highlight!;
    switch (change.type) {
      case 'add': {
        const a = change.annotation;
        if (!(a.end > a.start) || a.status !== 'anchored') return;
        const map = this.current().map;
        const from = map.toPos(a.start);
        const to = map.toPos(a.end);
        const others = [...markedRanges(this.view.state.doc).values()];
        const tr = closeHistory(this.view.state.tr).addMark(from, to, type.create({ id: a.id, color: a.color, layer: freeLayer(others, from, to) }));
        if (change.undoable === false) tr.setMeta('addToHistory', false);
        // Made on the saved text (the host saves first); else its range is worked out at the next save.
        if (this.dirty) this.touched.add(a.id);
        else this.saved.set(a.id, { start: a.start, end: a.end });
        this.view.dispatch(tr.setMeta(SYNCED, true));
        return;
      }
      case 'update':
        return this.restyle(change.annotation.id, change.annotation.color);
      case 'remove': {
        this.saved.delete(change.id);
        const tr = closeHistory(this.view.state.tr);
        this.removeMarks(tr, change.id);
        if (tr.docChanged) this.view.dispatch(tr.setMeta(SYNCED, true));
        return;
      }
      case 'focus':
        this.view.dispatch(this.view.state.tr.setMeta(focusKey, change.id));
        return;
      case 'reset': {
        // After a tag rename or an import elsewhere: colours and deletions follow; the text is
        // the editor's, so nothing moves.
        const present = markedRanges(this.view.state.doc);
        const byId = new Map(change.annotations.map((a) => [a.id, a]));
        const tr = this.view.state.tr.setMeta('addToHistory', false);
        for (const [id, r] of present) {
          const a = byId.get(id);
          if (!a) {
            this.saved.delete(id);
            this.removeMarks(tr, id);
          }
          else if (a.color !== r.color) {
            this.removeMarks(tr, id);
            tr.addMark(r.from, r.to, type.create({ id, color: a.color, layer: r.layer }));
          }
        }
        if (tr.docChanged) this.view.dispatch(tr.setMeta(SYNCED, true));
      }
    }
  }

  setHits(ranges: readonly TextRange[], current: number): void {
    const map = this.current().map;
    const sorted = ranges.map((r) => ({ from: map.toPos(r.start), to: map.toPos(r.end) }));
    this.view.dispatch(this.view.state.tr.setMeta(hitsKey, { ranges: sorted, current }).setMeta('addToHistory', false));
  }

  annotationRange(id: string): TextRange | null {
    const r = markedRanges(this.view.state.doc).get(id);
    if (!r) return null;
    const map = this.current().map;
    return { start: map.toOffset(r.from), end: map.toOffset(r.to) };
  }

  selection(): { start: number; end: number; range: Range } | null {
    const sel = this.view.dom.ownerDocument.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const dom = this.view.dom;
    if (!dom.contains(range.startContainer) || !dom.contains(range.endContainer)) return null;
    try {
      const map = this.current().map;
      let start = map.toOffset(this.view.posAtDOM(range.startContainer, range.startOffset));
      let end = map.toOffset(this.view.posAtDOM(range.endContainer, range.endOffset));
      if (end < start) [start, end] = [end, start];
      return end > start ? { start, end, range: range.cloneRange() } : null;
    } catch {
      return null;
    }
  }

  rects(start: number, end: number): DOMRect[] {
    const map = this.current().map;
    const a = this.view.domAtPos(map.toPos(start), 1);
    const b = this.view.domAtPos(map.toPos(end), -1);
    const range = this.view.dom.ownerDocument.createRange();
    try {
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
    } catch {
      return [];
    }
    return [...range.getClientRects()];
  }

  scrollTo(offset: number): void {
    const pos = this.current().map.toPos(Math.min(offset, this.length));
    reveal(this.view, pos);
    const { node } = this.view.domAtPos(pos, 1);
    const el = node instanceof Element ? node : node.parentElement;
    el?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }

  annotationsAt(target: EventTarget | null): string[] {
    const ids: string[] = [];
    for (let el = target instanceof Element ? target : null; el && el !== this.view.dom; el = el.parentElement) {
      const id = el.getAttribute('data-annotation-id');
      if (id && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  offsetAt(node: Node, offset: number): number | null {
    if (!this.view.dom.contains(node)) return null;
    try {
      return this.current().map.toOffset(this.view.posAtDOM(node, offset));
    } catch {
      return null;
    }
  }

  relayout(): void {
    // One view, laid out by the browser: nothing estimated to redo.
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.timer);
    this.view.destroy();
  }

  // Editing ------------------------------------------------------------------------------------

  focus(): void {
    this.view.focus();
  }

  undo(): boolean {
    return undo(this.view.state, (tr) => this.view.dispatch(tr));
  }

  redo(): boolean {
    return redo(this.view.state, (tr) => this.view.dispatch(tr));
  }

  get canUndo(): boolean {
    return undoDepth(this.view.state) > 0;
  }

  get canRedo(): boolean {
    return redoDepth(this.view.state) > 0;
  }

  /** True while the library's text is not the editor's. */
  get dirty(): boolean {
    return this.view.state.doc !== this.savedDoc;
  }

  /** The editor position of a canonical offset of its text. */
  posAt(offset: number): number {
    return this.current().map.toPos(offset);
  }

  /** The quote selector parts of a range of the editor's text. */
  quote(range: TextRange): { exact: string; prefix: string; suffix: string } {
    return quoteSelector(this.text(), range.start, range.end);
  }

  /** Saves now (waiting for a save under way) until the library holds the editor's text. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (;;) {
      if (this.saving) {
        await this.saving.catch(() => undefined);
        continue;
      }
      if (!this.dirty || this.destroyed) break;
      const doc = this.view.state.doc;
      this.saving = this.write(doc);
      try {
        await this.saving;
      } finally {
        this.saving = null;
      }
    }
    if (this.failed) throw this.failed;
  }

  private async write(doc: PMNode): Promise<void> {
    // Highlights that undo or redo changed by themselves are looked for over the whole text (rare).
    const extra = new Map<string, TextSpan | null>();
    const touched = [...this.touched];
    if (touched.length) {
      const ranges = markedRanges(doc);
      const map = this.placed(doc).map;
      for (const id of touched) {
        const r = ranges.get(id);
        extra.set(id, r ? { start: map.toOffset(r.from), end: map.toOffset(r.to) } : null);
      }
    }
    const request = editRequest(this.savedDoc, doc, this.saved, extra);
    if (!request) {
      this.savedDoc = doc;
      this.host.state(this.dirty ? 'pending' : 'saved');
      return;
    }
    this.host.state('saving');
    try {
      await this.host.applyEdit(request);
      this.failed = null;
      this.savedDoc = doc;
      applySaved(this.saved, request);
      for (const id of touched) this.touched.delete(id);
      this.host.state(this.dirty ? 'pending' : 'saved');
    } catch (e) {
      this.failed = e;
      this.host.state('failed', e);
      throw e;
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.host.state('pending');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined);
    }, SAVE_DELAY);
  }

  private dispatch(tr: Transaction): void {
    if (this.destroyed) return;
    const before = this.view.state;
    const { state, transactions } = before.applyTransaction(tr);
    this.view.updateState(state);
    if (state.doc === before.doc) return;
    const synced = transactions.every((t) => t.getMeta(SYNCED) || !t.docChanged);
    this.host.textChanged(!synced);
    // A highlight change the library already holds, on saved text, leaves nothing to save.
    if (synced && before.doc === this.savedDoc && !this.saving) this.savedDoc = state.doc;
    else this.schedule();
    // Highlights that undo or redo took away, brought back or recoloured: the library follows.
    const touched = new Set<string>();
    for (const t of transactions) {
      if (t.getMeta(SYNCED)) continue;
      for (const step of t.steps) {
        const mark: Mark | undefined = step instanceof AddMarkStep || step instanceof RemoveMarkStep ? step.mark : undefined;
        if (mark?.type === schema.marks.highlight) touched.add(mark.attrs.id as string);
      }
    }
    if (!touched.size) return;
    const was = markedRanges(before.doc);
    const now = markedRanges(state.doc);
    for (const id of touched) {
      const a = was.get(id);
      const b = now.get(id);
      this.touched.add(id);
      if (a && !b) this.host.removed(id);
      else if (!a && b) {
        const map = this.current().map;
        this.host.returned(id, { start: map.toOffset(b.from), end: map.toOffset(b.to) });
      } else if (a && b && a.color !== b.color) this.host.recolored(id, b.color);
    }
  }

  /** Recolours a highlight, as one undoable step. */
  private restyle(id: string, color: Color): void {
    const r = markedRanges(this.view.state.doc).get(id);
    if (!r || r.color === color) return;
    const tr = closeHistory(this.view.state.tr);
    this.removeMarks(tr, id);
    tr.addMark(r.from, r.to, schema.marks.highlight!.create({ id, color, layer: r.layer }));
    this.view.dispatch(tr.setMeta(SYNCED, true));
  }

  /** Removes a highlight's mark wherever it lies (its pieces all carry the same attributes). */
  private removeMarks(tr: Transaction, id: string): void {
    const type = schema.marks.highlight!;
    const found: Mark[] = [];
    let from = Infinity;
    let to = -Infinity;
    tr.doc.descendants((node, pos) => {
      if (!node.isText) return true;
      for (const m of node.marks) {
        if (m.type !== type || m.attrs.id !== id) continue;
        if (!found.some((f) => f.eq(m))) found.push(m);
        from = Math.min(from, pos);
        to = Math.max(to, pos + node.nodeSize);
      }
      return false;
    });
    for (const m of found) tr.removeMark(from, to, m);
  }

  private current(): { doc: PMNode; map: EditPositions; text: string | null } {
    return this.placed(this.view.state.doc);
  }

  private placed(doc: PMNode): { doc: PMNode; map: EditPositions; text: string | null } {
    if (this.cache?.doc === doc) return this.cache;
    this.cache = { doc, map: new EditPositions(doc), text: null };
    return this.cache;
  }
}
