/**
 * The reading view of one document, at book scale. The text is cut into sections (sections.ts),
 * each shown by its own read-only ProseMirror view (section-view.ts), mounted when it comes near
 * the screen and unmounted when it is far away; until then a placeholder of about its height
 * keeps the scrollbar right. The first section is mounted at once, so the text is on screen
 * before the rest is looked at. Highlights live in one index in canonical offsets; each section
 * draws the ones over its range when it is mounted. Everything the reader view asks (selection,
 * ranges, scrolling, hits) is in canonical offsets, so sections are invisible to it.
 */
import type { Node as PMNode } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import type { Annotation, Block, DocumentFull } from '../../common/model.js';
import type { TextRange } from '../find-text.js';
import { HighlightIndex } from './highlight-index.js';
import type { DrawnHighlight } from './highlights.js';
import type { HitsAction } from './hits.js';
import { PositionMap } from '../../common/text/positions.js';
import { nearestToMiddle } from '../dom.js';
import { buildDoc, tableDirections } from './schema.js';
import { SectionView } from './section-view.js';
import { PlaceholderSizer } from './placeholders.js';
import { planSections, sectionAt, type Section } from './sections.js';

export type HighlightChange =
  | { type: 'reset'; annotations: readonly Annotation[] }
  /** `undoable: false`: not a step of edit mode's history (re-attaching is undone by detaching, not deleting). */
  | { type: 'add'; annotation: Annotation; undoable?: boolean }
  | { type: 'update'; annotation: Annotation }
  | { type: 'remove'; id: string }
  | { type: 'focus'; id: string | null };

/** Mount sections within this distance of the screen; unmount those beyond the second. */
const MOUNT_MARGIN = '150% 0px';
const UNMOUNT_MARGIN = '500% 0px';

interface Slot {
  section: Section;
  el: HTMLElement;
  map: PositionMap | null;
  doc: PMNode | null;
  mounted: SectionView | null;
  /** Height last seen while mounted; null once the layout changed since (text size). */
  measured: number | null;
}

export class ReaderEditor {
  readonly el: HTMLElement;
  private readonly sections: Section[];
  private readonly slots: Slot[];
  private readonly index = new HighlightIndex();
  private focused: string | null = null;
  private hitRanges: readonly TextRange[] = [];
  private currentHit = -1;
  private readonly mountObserver: IntersectionObserver;
  private readonly unmountObserver: IntersectionObserver;
  /** Sections to mount (near the screen) and to unmount (far from it). */
  private readonly queue = new Set<Slot>();
  private readonly leaving = new Set<Slot>();
  private queued = false;
  /** Runs a task as soon as the page's event loop can (not clamped as nested timeouts are). */
  private readonly soon = new MessageChannel();
  private readonly sizer: PlaceholderSizer;
  /** Each row's table direction, over the whole document (worked out when a section first needs it). */
  private tableDirs: (string | null)[] | null = null;
  private destroyed = false;

  constructor(
    private readonly scroller: HTMLElement,
    readonly document: DocumentFull,
    /** Sections holding something the reader is using (the selection) are never unmounted. */
    private readonly keep: (el: HTMLElement) => boolean = () => false,
    /** Highlights already known, drawn as the first section mounts rather than after (a second build). */
    highlights: readonly Annotation[] = [],
  ) {
    if (highlights.length) this.index.reset(highlights);
    const sections = planSections(document.blocks);
    this.sections = sections;
    this.sizer = new PlaceholderSizer(document.blocks);
    this.el = scroller.ownerDocument.createElement('div');
    this.el.className = 'reader-doc';
    this.slots = sections.map((section) => {
      const el = scroller.ownerDocument.createElement('div');
      el.className = 'reader-section';
      el.dataset.section = String(section.index);
      return { section, el, map: null, doc: null, mounted: null, measured: null };
    });
    this.el.append(...this.slots.map((s) => s.el));
    scroller.append(this.el);
    this.estimate();
    this.mountObserver = new IntersectionObserver((entries) => this.near(entries), { root: scroller, rootMargin: MOUNT_MARGIN });
    this.unmountObserver = new IntersectionObserver((entries) => this.far(entries), { root: scroller, rootMargin: UNMOUNT_MARGIN });
    if (this.slots[0]) this.mount(this.slots[0]);
    for (const s of this.slots) {
      this.mountObserver.observe(s.el);
      this.unmountObserver.observe(s.el);
    }
  }

  get length(): number {
    const last = this.document.blocks[this.document.blocks.length - 1];
    return last ? last.start + last.text.length : 0;
  }

  get sectionCount(): number {
    return this.slots.length;
  }

  get mountedCount(): number {
    return this.slots.filter((s) => s.mounted).length;
  }

  // Highlights and hits --------------------------------------------------------------------

  highlights(change: HighlightChange): void {
    switch (change.type) {
      case 'reset': {
        this.index.reset(change.annotations);
        for (const s of this.slots) {
          if (!s.mounted) continue;
          // A fresh view is drawn once with its highlights; a transaction into the old one would
          // also read the page's selection, which makes the browser lay the page out first.
          if (this.keep(s.el)) s.mounted.highlights({ type: 'reset', items: this.drawn(s), focused: this.focused });
          else {
            s.mounted.destroy();
            s.mounted = null;
            this.mount(s);
          }
        }
        return;
      }
      case 'add': {
        const item = this.index.add(change.annotation);
        if (!item) return;
        for (const s of this.slotsOver(item.start, item.end)) {
          const drawn = this.clip(s, item);
          if (drawn && s.mounted) s.mounted.highlights({ type: 'add', item: drawn });
        }
        return;
      }
      case 'update': {
        const item = this.index.recolor(change.annotation.id, change.annotation.color);
        if (!item) return;
        for (const s of this.slotsOver(item.start, item.end)) s.mounted?.highlights({ type: 'recolor', id: item.id, color: item.color });
        return;
      }
      case 'remove': {
        const item = this.index.remove(change.id);
        if (this.focused === change.id) this.focused = null;
        if (!item) return;
        for (const s of this.slotsOver(item.start, item.end)) s.mounted?.highlights({ type: 'remove', id: change.id });
        return;
      }
      case 'focus': {
        const before = this.focused ? this.index.get(this.focused) : undefined;
        const after = change.id ? this.index.get(change.id) : undefined;
        this.focused = change.id;
        const touched = new Set([...(before ? this.slotsOver(before.start, before.end) : []), ...(after ? this.slotsOver(after.start, after.end) : [])]);
        for (const s of touched) s.mounted?.highlights({ type: 'focus', id: change.id });
      }
    }
  }

  setHits(ranges: readonly TextRange[], current: number): void {
    this.hitRanges = [...ranges].sort((a, b) => a.start - b.start);
    this.currentHit = current >= 0 && ranges[current] ? this.hitRanges.indexOf(ranges[current]!) : -1;
    for (const s of this.slots) if (s.mounted) s.mounted.hits(this.hitsOf(s));
  }

  /** Where an annotation is drawn, as canonical offsets (the text is read-only, so as stored). */
  annotationRange(id: string): TextRange | null {
    const item = this.index.get(id);
    return item ? { start: item.start, end: item.end } : null;
  }

  // Selection, ranges, scrolling --------------------------------------------------------------

  /** The page's selection as canonical offsets, when it lies inside this document and is not empty. */
  selection(): { start: number; end: number; range: Range } | null {
    const sel = this.scroller.ownerDocument.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    let start = this.boundaryOffset(range.startContainer, range.startOffset);
    let end = this.boundaryOffset(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    if (end < start) [start, end] = [end, start];
    // Neither end in the text: the selection is elsewhere, or the whole page (Ctrl+A outside it).
    if (!this.el.contains(range.startContainer) && !this.el.contains(range.endContainer)) return null;
    return end > start ? { start, end, range: range.cloneRange() } : null;
  }

  /**
   * The client rectangles of a canonical range as drawn now. Where its section is not mounted,
   * the placeholder's rectangle stands in (enough to tell that the passage is off screen).
   */
  rects(start: number, end: number): DOMRect[] {
    const out: DOMRect[] = [];
    for (const s of this.slotsOver(start, Math.max(end, start + 1))) {
      if (!s.mounted) {
        out.push(s.el.getBoundingClientRect());
        continue;
      }
      const a = s.mounted.domAt(Math.max(start, s.section.start), 1);
      const b = s.mounted.domAt(Math.min(end, s.section.end), -1);
      const range = this.scroller.ownerDocument.createRange();
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      out.push(...range.getClientRects());
    }
    return out;
  }

  /** Scrolls so that an offset's line is in the middle of the reading area, mounting its section first. */
  scrollTo(offset: number): void {
    const slot = this.slotAt(offset);
    const view = this.mount(slot);
    const { node, offset: at } = view.domAt(offset, 1);
    // The line itself, not its paragraph (a long one would be centred, its line off screen), and
    // only this scroller: scrollIntoView also nudges the page's hidden-overflow boxes.
    const range = this.scroller.ownerDocument.createRange();
    range.setStart(node, at);
    range.collapse(true);
    const el = node instanceof Element ? node : node.parentElement;
    const line = [...range.getClientRects()].find((r) => r.height > 0) ?? el?.getBoundingClientRect();
    if (!line) return;
    const box = this.scroller.getBoundingClientRect();
    this.scroller.scrollTop += line.top + line.height / 2 - (box.top + box.height / 2);
  }

  /** The annotations drawn under an element, innermost first. */
  annotationsAt(target: EventTarget | null): string[] {
    const ids: string[] = [];
    for (let el = target instanceof Element ? target : null; el && !el.classList.contains('reader-text'); el = el.parentElement) {
      const id = el.getAttribute('data-annotation-id');
      if (id && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  /** After the text size or the width changed: placeholders are estimated again. */
  relayout(): void {
    for (const s of this.slots) s.measured = null;
    this.sizer.reset();
    this.calibrate();
  }

  /** The DOM point of a canonical offset (its section mounted first), to put the caret there. */
  domAt(offset: number): { node: Node; offset: number } | null {
    const view = this.mount(this.slotAt(offset));
    try {
      return view.domAt(offset, -1);
    } catch {
      return null;
    }
  }

  /** The view showing an offset, mounted, and the offset's position in it (for the benchmark). */
  viewAt(offset: number): { view: EditorView; pos: number } {
    const slot = this.slotAt(offset);
    const view = this.mount(slot);
    return { view: view.view, pos: view.toPos(offset) };
  }

  destroy(): void {
    this.destroyed = true;
    this.mountObserver.disconnect();
    this.unmountObserver.disconnect();
    for (const s of this.slots) s.mounted?.destroy();
    this.el.remove();
  }

  // Sections ---------------------------------------------------------------------------------

  private slotAt(offset: number): Slot {
    return this.slots[sectionAt(this.sections, offset).index]!;
  }

  private slotsOver(start: number, end: number): Slot[] {
    const first = this.slotAt(start).section.index;
    const out: Slot[] = [];
    for (let i = first; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (i > first && s.section.start >= end) break;
      out.push(s);
    }
    return out;
  }

  /** The canonical offset of a DOM point in the text, or null outside it. */
  offsetAt(node: Node, offset: number): number | null {
    const el = node instanceof Element ? node : node.parentElement;
    const host = el?.closest<HTMLElement>('.reader-section');
    if (!host || !this.el.contains(host)) return null;
    return this.slots[Number(host.dataset.section)]?.mounted?.offsetAt(node, offset) ?? null;
  }

  /**
   * A selection's end as an offset. An end just past the text (a drag released in the margin
   * under the last line, or over the panel) is the text's end, one before it the text's start;
   * an end in a section not drawn (its placeholder) is that section's edge. Null when the
   * selection does not touch the text at all.
   */
  private boundaryOffset(node: Node, offset: number): number | null {
    const at = this.offsetAt(node, offset);
    if (at !== null) return at;
    const host = (node instanceof Element ? node : node.parentElement)?.closest<HTMLElement>('.reader-section');
    if (host && this.el.contains(host)) {
      const slot = this.slots[Number(host.dataset.section)];
      if (slot && !slot.mounted) return offset === 0 ? slot.section.start : slot.section.end;
    }
    if (this.el.contains(node)) return null;
    const position = this.el.compareDocumentPosition(node);
    if (position & Node.DOCUMENT_POSITION_PRECEDING) return 0;
    if (position & Node.DOCUMENT_POSITION_FOLLOWING) return this.length;
    return null;
  }

  private clip(s: Slot, item: { id: string; start: number; end: number; color: DrawnHighlight['color']; layer: number }): DrawnHighlight | null {
    const map = this.mapOf(s);
    const from = map.toPos(Math.max(item.start, s.section.start));
    const to = map.toPos(Math.min(item.end, s.section.end));
    return to > from ? { id: item.id, color: item.color, layer: item.layer, from, to } : null;
  }

  private drawn(s: Slot): DrawnHighlight[] {
    const out: DrawnHighlight[] = [];
    for (const item of this.index.overlapping(s.section.start, Math.max(s.section.end, s.section.start + 1))) {
      const d = this.clip(s, item);
      if (d) out.push(d);
    }
    return out;
  }

  private hitsOf(s: Slot): HitsAction {
    const map = this.mapOf(s);
    const ranges: { from: number; to: number }[] = [];
    let current = -1;
    const hits = this.hitRanges;
    // Hits are sorted and do not overlap: start at the first one ending inside the section.
    let lo = 0;
    let hi = hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hits[mid]!.end <= s.section.start) lo = mid + 1;
      else hi = mid;
    }
    const end = Math.max(s.section.end, s.section.start + 1);
    for (let i = lo; i < hits.length && hits[i]!.start < end; i++) {
      if (i === this.currentHit) current = ranges.length;
      ranges.push({ from: map.toPos(hits[i]!.start), to: map.toPos(hits[i]!.end) });
    }
    return { ranges, current };
  }

  private mapOf(s: Slot): PositionMap {
    s.map ??= new PositionMap(this.document.blocks.slice(s.section.from, s.section.to));
    return s.map;
  }

  private mount(s: Slot): SectionView {
    if (s.mounted) return s.mounted;
    const blocks: readonly Block[] = this.document.blocks.slice(s.section.from, s.section.to);
    // Each section's document is built once and kept; mounting again only draws it.
    this.tableDirs ??= tableDirections(this.document.blocks);
    s.doc ??= buildDoc(blocks, {
      before: this.document.blocks[s.section.from - 1],
      after: this.document.blocks[s.section.to],
      tableDirs: this.tableDirs.slice(s.section.from, s.section.to),
    });
    s.el.style.removeProperty('height');
    s.mounted = new SectionView(s.el, s.section, this.mapOf(s), s.doc, { highlights: this.drawn(s), focused: this.focused, hits: this.hitsOf(s) });
    s.el.classList.add('mounted');
    this.queue.delete(s);
    this.leaving.delete(s);
    if (!this.sizer.calibrated) this.calibrate();
    return s.mounted;
  }

  private unmount(s: Slot): void {
    if (!s.mounted || this.keep(s.el)) return;
    const height = s.el.getBoundingClientRect().height;
    if (height > 0) s.measured = height;
    s.mounted.destroy();
    s.mounted = null;
    s.el.classList.remove('mounted');
    s.el.replaceChildren();
    s.el.style.height = `${Math.round(s.measured ?? this.sizer.height(s.section))}px`;
  }

  private near(entries: IntersectionObserverEntry[]): void {
    if (this.destroyed) return;
    for (const e of entries) {
      const s = this.slots[Number((e.target as HTMLElement).dataset.section)];
      if (!s) continue;
      if (e.isIntersecting) {
        this.leaving.delete(s);
        if (!s.mounted) this.queue.add(s);
      } else this.queue.delete(s);
    }
    this.schedule();
  }

  private far(entries: IntersectionObserverEntry[]): void {
    // A hidden reader (another view is shown) reports everything far: keep it as it is.
    if (this.destroyed || this.scroller.clientHeight === 0) return;
    for (const e of entries) {
      const s = this.slots[Number((e.target as HTMLElement).dataset.section)];
      if (s && !e.isIntersecting && s.mounted) this.leaving.add(s);
      else if (s) this.leaving.delete(s);
    }
    this.schedule();
  }

  /**
   * Mounts and unmounts one section per task, the nearest to the middle of the screen first, so
   * that neither a jump across the book (a drag of the scrollbar) nor the observers reporting many
   * sections at once makes one long task; unmounting waits until nothing is left to mount.
   */
  private schedule(): void {
    if (this.queued || this.destroyed || (this.queue.size === 0 && this.leaving.size === 0)) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      if (this.destroyed) return;
      if (this.queue.size) {
        const best = nearestToMiddle(this.scroller, this.queue);
        if (best) {
          this.mount(best);
          this.settle();
        }
      } else {
        // Both sets may have emptied since this task was queued (a section mounted for find or a
        // scroll came back into view): then there is nothing to unmount.
        const [s] = this.leaving;
        if (s) {
          this.leaving.delete(s);
          this.unmount(s);
        }
      }
      this.schedule();
    }, 0);
  }

  /**
   * Lays out the section just mounted in a task of its own, right after the one that mounted it.
   * Otherwise the next frame does it (the caret's and the toolbar's scroll handlers read the
   * layout), and that frame's task holds the layout of a whole section and its paint together:
   * the longest tasks seen scrolling a book (15-17 ms of CPU, and three times that in wall time
   * on a busy machine, where they counted as long tasks). Measured: tasks over 10 ms of CPU
   * while scrolling 5 MB went from 199 to 82; smaller sections (3,000 characters) cost more CPU
   * in all and left 123.
   */
  private settle(): void {
    this.soon.port1.onmessage = () => {
      if (!this.destroyed) void this.el.offsetHeight;
    };
    this.soon.port2.postMessage(null);
  }

  /** Measures the mounted sections, then sizes the placeholders again. */
  private calibrate(): void {
    const mounted = this.slots.filter((s) => s.mounted);
    const column = mounted[0]?.mounted?.dom;
    if (!column) return;
    this.sizer.calibrate(
      column,
      mounted.map((s) => ({ section: s.section, height: s.el.getBoundingClientRect().height })),
    );
    this.estimate();
  }

  /** Sizes every placeholder: its last measured height, else the estimate. */
  private estimate(): void {
    for (const s of this.slots) {
      if (!s.mounted) s.el.style.height = `${Math.round(s.measured ?? this.sizer.height(s.section))}px`;
    }
  }
}
