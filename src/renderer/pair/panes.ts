/**
 * The texts of a pair laid out in units (beads: the blocks of each side that answer each other):
 *
 * - **side by side**: one row per unit, its source and its target top-aligned in two columns (the
 *   right-to-left text on the right unless swapped), the row as tall as the taller side — the
 *   layout of a bilingual edition or a CAT tool's grid. One scroll: the two texts cannot drift
 *   apart, and reading across a row reads a sentence and its translation;
 * - **stacked**: each unit's source followed by its counterpart;
 * - **single**: one text.
 *
 * Long pairs are cut into sections of units (as the reader cuts a book): each section is drawn
 * only when it comes near the screen and put back to a placeholder of its measured height when it
 * goes far from it (never the one holding the focus or the selection). Block elements are made by
 * the view when a section first needs them and kept while they hold anything (an editable block
 * keeps its text and undo across a re-layout, a change of alignment or a section's unmounting).
 */
import type { Direction } from '../../common/model.js';
import type { AlignmentBead } from '../../common/pairs.js';
import { h, nearestToMiddle } from '../dom.js';
import type { Side } from './alignment-panel.js';
import './rows.css';

export const LAYOUTS = ['side', 'stacked', 'single'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface PaneText {
  dir: Direction;
  lang: string;
  /** The heading of the text's column: what the text is and its title (may hold a link to the reader). */
  head: () => HTMLElement;
  /** The element of block `index`, made when first needed. */
  block: (index: number) => HTMLElement;
  /** Block `index` left the page with its section (the view may forget it). */
  release?: (index: number) => void;
  /** The length of block `index`'s text, for the height of a section not drawn yet. */
  length: (index: number) => number;
  /** Whether block `index` is loaded (a long pair's first rows are drawn before the rest arrives). */
  has?: (index: number) => boolean;
}

export interface PaneOptions {
  layout: Layout;
  /** Side by side: the side drawn on the left. */
  left: Side;
  /** Stacked: the side drawn first in each unit. Single: the side shown. */
  first: Side;
  texts: Record<Side, PaneText>;
  beads: readonly AlignmentBead[];
  unitName: (index: number) => string;
  markerLabel: (index: number) => string;
  noCounterpart: string;
  /** What stands in a side with no block (instead of "no counterpart"), if the view has something to offer. */
  emptySide?: (unit: number, side: Side) => HTMLElement | null;
  /** The pane's accessible name (it takes the focus: the caret in the texts). */
  label?: string;
  /** Called for each unit element as it is drawn (the view marks current, hovered, chosen). */
  drawn?: (unit: number, cells: HTMLElement[]) => void;
}

/** Pairs this long (both texts, in characters) are cut into sections; shorter ones are drawn whole. */
export const SECTION_THRESHOLD = 30_000;
/**
 * A section holds at most this many units, and about this many characters of its longer side (the
 * first one less): both sides together near the reader's section (6,000 characters), so that
 * drawing one while scrolling is a task about as long as the reader's (twice this was twice as
 * long, in `bench/pair-ui.ts`). Smaller still, the observers' work grows with the sections' count.
 */
const SECTION_UNITS = 24;
const SECTION_CHARS = 4_000;
const FIRST_SECTION_UNITS = 12;
/** Sections are drawn this far before they come on screen, and put away this far after they leave it. */
const MOUNT_MARGIN = 1_200;
const UNMOUNT_MARGIN = 4_000;

interface Section {
  from: number;
  to: number;
  el: HTMLElement;
  mounted: boolean;
  /** The height it had when last drawn (px), or null when never drawn. */
  measured: number | null;
}

/** Where the reading stood: a unit and how far its top was below the pane's top edge. */
interface Anchor {
  unit: number;
  offset: number;
}

export class Panes {
  readonly el: HTMLElement = h('div', { class: 'pair-content' });
  private pane: HTMLElement | null = null;
  private options: PaneOptions | null = null;
  private sections: Section[] = [];
  private sectionOf: Int32Array = new Int32Array(0);
  /** Unit index -> its element(s) while drawn: the row side by side, the unit otherwise. */
  private units = new Map<number, HTMLElement>();
  private observer: IntersectionObserver | null = null;
  private farObserver: IntersectionObserver | null = null;
  /** Estimated pixels per unit of estimate (refined from the sections drawn). */
  private scale = 1;
  /** Sections come into the drawing margin and not drawn yet: drawn one per task (`schedule`). */
  private queue = new Set<Section>();
  private queued = false;
  /** Sections drawn from the queue and not measured yet, with the estimate they had. */
  private unmeasured = new Map<Section, number>();
  private readonly soon = new MessageChannel();

  /** Drops everything (another pair is shown next): nothing to keep the place of. */
  clear(): void {
    this.disconnect();
    this.pane = null;
    this.options = null;
    this.sections = [];
    this.units.clear();
    this.el.replaceChildren();
  }

  /** The scroll container. */
  scrollers(): HTMLElement[] {
    return this.pane ? [this.pane] : [];
  }

  render(o: PaneOptions): void {
    const anchor = this.anchor();
    this.disconnect();
    this.options = o;
    this.units.clear();
    this.el.dataset.layout = o.layout;
    // One pane for the pair, kept across re-layouts: it holds the focus for the caret in the texts.
    const pane = this.pane ?? h('div', { class: 'pair-pane', tabindex: '0' });
    pane.dataset.layout = o.layout;
    pane.removeAttribute('dir');
    pane.removeAttribute('lang');
    if (o.label) pane.setAttribute('aria-label', o.label);
    this.pane = pane;
    // The heads of the columns stay at the top of the scroll (sticky), over the cells they name.
    const children: HTMLElement[] = [];
    if (o.layout === 'side') {
      // The two columns' heads, placed as the cells below them are.
      const heads = h('div', { class: 'pair-heads' });
      for (const side of this.sidesInOrder(o)) {
        const head = h('div', { class: 'pair-column-head', 'data-side': side, dir: o.texts[side].dir, lang: o.texts[side].lang }, o.texts[side].head());
        heads.append(head);
      }
      children.push(heads);
    } else if (o.layout === 'single') {
      const side = o.first;
      children.push(h('div', { class: 'pair-heads single' }, h('div', { class: 'pair-column-head', 'data-side': side, dir: o.texts[side].dir, lang: o.texts[side].lang }, o.texts[side].head())));
      pane.dir = o.texts[side].dir;
      pane.lang = o.texts[side].lang;
    }
    this.sections = this.cut(o);
    this.sectionOf = new Int32Array(o.beads.length);
    for (const [k, s] of this.sections.entries()) for (let u = s.from; u < s.to; u++) this.sectionOf[u] = k;
    const sectioned = this.sections.length > 1;
    pane.replaceChildren(...children);
    for (const s of this.sections) {
      pane.append(s.el);
      if (!sectioned) this.mount(s);
      else this.placeholder(s);
    }
    if (pane.parentElement !== this.el) this.el.replaceChildren(pane);
    if (sectioned) this.observe();
    if (anchor) this.restore(anchor);
    else if (sectioned) this.mount(this.sections[0]!);
  }

  /** Side by side, the columns in physical order, left first. */
  private sidesInOrder(o: PaneOptions): Side[] {
    return o.left === 'source' ? ['source', 'target'] : ['target', 'source'];
  }

  /** The units cut into sections: small pairs in one, long ones at unit boundaries by size. */
  private cut(o: PaneOptions): Section[] {
    const size = (i: number) => this.unitChars(o, i);
    let total = 0;
    for (let i = 0; i < o.beads.length; i++) total += size(i);
    const make = (from: number, to: number): Section => ({ from, to, el: h('div', { class: 'pair-section', 'data-from': String(from), 'data-to': String(to) }), mounted: false, measured: null });
    if (total <= SECTION_THRESHOLD || o.beads.length <= FIRST_SECTION_UNITS) return [make(0, o.beads.length)];
    const out: Section[] = [];
    let from = 0;
    let chars = 0;
    for (let i = 0; i < o.beads.length; i++) {
      chars += size(i);
      const limit = out.length === 0 ? FIRST_SECTION_UNITS : SECTION_UNITS;
      if (i + 1 - from >= limit || chars >= SECTION_CHARS) {
        out.push(make(from, i + 1));
        from = i + 1;
        chars = 0;
      }
    }
    if (from < o.beads.length) out.push(make(from, o.beads.length));
    return out;
  }

  private unitChars(o: PaneOptions, i: number): number {
    const bead = o.beads[i]!;
    const side = (s: Side) => bead[s].reduce((n, b) => n + o.texts[s].length(b) + 40, 0);
    return o.layout === 'side' ? Math.max(side('source'), side('target')) : o.layout === 'stacked' ? side('source') + side('target') : side(o.first);
  }

  /** The estimated height of a section not drawn (px): characters per line from the pane's width. */
  private estimate(s: Section): number {
    const o = this.options!;
    const width = Math.max(200, (this.pane?.clientWidth ?? 800) / (o.layout === 'side' ? 2 : 1) - 60);
    const perLine = width / 9;
    let lines = 0;
    for (let u = s.from; u < s.to; u++) lines += Math.ceil(this.unitChars(o, u) / perLine) + 1;
    return Math.round(lines * 28 * this.scale);
  }

  private placeholder(s: Section): void {
    s.el.replaceChildren();
    s.el.classList.add('placeholder');
    s.el.style.blockSize = `${s.measured ?? this.estimate(s)}px`;
  }

  /**
   * Draws the sections that came into the margin one per task, the nearest to the middle of the
   * pane first, each laid out (and measured) in a task of its own right after: drawn all at once
   * in the observer's callback, with their layout read there, a screen's scroll made one task of
   * up to 70 ms (the bench's desk scroll), as the reader's sections did before it did the same.
   */
  private schedule(): void {
    if (this.queued || this.queue.size === 0) return;
    this.queued = true;
    setTimeout(() => {
      this.queued = false;
      const pane = this.pane;
      if (!pane || this.queue.size === 0) return;
      const best = nearestToMiddle(pane, this.queue);
      if (best) {
        this.queue.delete(best);
        this.mount(best, true);
      }
      this.schedule();
    }, 0);
  }

  /** Measures the sections drawn from the queue (their layout, in this task), to size the others better. */
  private measureDrawn(): void {
    for (const [s, estimated] of this.unmeasured) if (s.mounted) this.learn(s, estimated, s.el.offsetHeight);
    this.unmeasured.clear();
  }

  private learn(s: Section, estimated: number, real: number): void {
    // Learn how far off the estimates are, so that the sections not drawn yet are sized better.
    if (s.measured === null && estimated > 0 && real > 0) this.scale = Math.min(4, Math.max(0.25, this.scale * 0.7 + (real / estimated) * this.scale * 0.3));
    s.measured = real;
  }

  /** Draws a section; `later`: measured in a task of its own right after, not now. */
  private mount(s: Section, later = false): void {
    if (s.mounted) return;
    const o = this.options!;
    // Not before its blocks are here (drawn when they are: the view renders again).
    for (let u = s.from; u < s.to; u++) {
      const bead = o.beads[u]!;
      for (const side of ['source', 'target'] as const) if (o.texts[side].has && bead[side].some((b) => !o.texts[side].has!(b))) return;
    }
    const estimated = s.measured ?? this.estimate(s);
    const nodes: HTMLElement[] = [];
    for (let u = s.from; u < s.to; u++) {
      const el = this.unit(o, u);
      if (el) nodes.push(el);
    }
    s.el.classList.remove('placeholder');
    s.el.style.blockSize = '';
    s.el.replaceChildren(...nodes);
    s.mounted = true;
    this.queue.delete(s);
    if (this.sections.length <= 1) return;
    if (later) {
      this.unmeasured.set(s, estimated);
      this.soon.port1.onmessage = () => this.measureDrawn();
      this.soon.port2.postMessage(null);
    } else this.learn(s, estimated, s.el.offsetHeight);
  }

  private unmount(s: Section): void {
    if (!s.mounted || this.sections.length <= 1) return;
    const active = document.activeElement;
    const selection = document.getSelection();
    // The section being written in, or holding the selection, stays.
    if (active && s.el.contains(active)) return;
    if (selection && selection.rangeCount > 0 && !selection.isCollapsed && s.el.contains(selection.getRangeAt(0).commonAncestorContainer)) return;
    s.measured = s.el.offsetHeight || s.measured;
    const o = this.options!;
    for (let u = s.from; u < s.to; u++) this.units.delete(u);
    this.placeholder(s);
    s.mounted = false;
    for (let u = s.from; u < s.to; u++) {
      const bead = o.beads[u]!;
      for (const side of ['source', 'target'] as const) for (const b of bead[side]) o.texts[side].release?.(b);
    }
  }

  private observe(): void {
    const pane = this.pane!;
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const s = this.sections[Number((e.target as HTMLElement).dataset.section)];
          if (!s) continue;
          if (e.isIntersecting) {
            if (!s.mounted) this.queue.add(s);
          } else this.queue.delete(s);
        }
        this.schedule();
      },
      { root: pane, rootMargin: `${MOUNT_MARGIN}px 0px` },
    );
    this.farObserver = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (e.isIntersecting) continue;
          const s = this.sections[Number((e.target as HTMLElement).dataset.section)];
          if (s) this.unmount(s);
        }
      },
      { root: pane, rootMargin: `${UNMOUNT_MARGIN}px 0px` },
    );
    for (const [k, s] of this.sections.entries()) {
      s.el.dataset.section = String(k);
      this.observer.observe(s.el);
      this.farObserver.observe(s.el);
    }
  }

  private disconnect(): void {
    this.queue.clear();
    this.unmeasured.clear();
    this.observer?.disconnect();
    this.farObserver?.disconnect();
    this.observer = null;
    this.farObserver = null;
  }

  /** Unit i's element: a row of two cells side by side, a unit of parts stacked, a unit alone. */
  private unit(o: PaneOptions, i: number): HTMLElement | null {
    const bead = o.beads[i]!;
    if (o.layout === 'single' && bead[o.first].length === 0) return null;
    let el: HTMLElement;
    const cells: HTMLElement[] = [];
    if (o.layout === 'side') {
      el = h('div', { class: this.stateClass('unit-row', bead), 'data-unit': String(i), role: 'group', 'aria-label': o.unitName(i) });
      for (const [k, side] of this.sidesInOrder(o).entries()) {
        const text = o.texts[side];
        // One marker per row can be reached by Tab (in the source's cell); the other is for the mouse.
        const cell = h('div', { class: this.stateClass('unit', bead), 'data-unit': String(i), 'data-side': side, dir: text.dir, lang: text.lang }, this.marker(o, i, side === 'source' || (bead.source.length === 0 && k === 0)));
        cell.append(...this.content(o, bead, side, i));
        cells.push(cell);
        el.append(cell);
      }
    } else if (o.layout === 'stacked') {
      el = h('div', { class: this.stateClass('unit', bead), 'data-unit': String(i), role: 'group', 'aria-label': o.unitName(i) }, this.marker(o, i, true));
      for (const side of [o.first, o.first === 'source' ? 'target' : 'source'] as Side[]) {
        const text = o.texts[side];
        el.append(h('div', { class: 'unit-part', 'data-side': side, dir: text.dir, lang: text.lang }, ...this.content(o, bead, side, i)));
      }
      cells.push(el);
    } else {
      el = h('div', { class: this.stateClass('unit', bead), 'data-unit': String(i), 'data-side': o.first, role: 'group', 'aria-label': o.unitName(i) }, this.marker(o, i, true), ...this.content(o, bead, o.first, i));
      cells.push(el);
    }
    this.units.set(i, el);
    o.drawn?.(i, cells);
    return el;
  }

  private stateClass(base: string, bead: AlignmentBead): string {
    return `${base} ${bead.confirmed ? 'confirmed' : 'proposed'}${bead.review ? ' review' : ''}`;
  }

  private marker(o: PaneOptions, i: number, reachable: boolean): HTMLElement {
    const label = o.markerLabel(i);
    return h(
      'button',
      reachable
        ? { type: 'button', class: 'unit-marker', 'data-unit': String(i), 'aria-label': label, title: label }
        : { type: 'button', class: 'unit-marker', 'data-unit': String(i), tabindex: '-1', 'aria-hidden': 'true', title: label },
      String(i + 1),
    );
  }

  private content(o: PaneOptions, bead: AlignmentBead, side: Side, unit: number): HTMLElement[] {
    if (bead[side].length === 0) {
      const offered = o.emptySide?.(unit, side);
      return offered ? [h('p', { class: 'unit-empty' }, o.noCounterpart), offered] : [h('p', { class: 'unit-empty' }, o.noCounterpart)];
    }
    return bead[side].map((b) => o.texts[side].block(b));
  }

  // Finding and showing units ----------------------------------------------------------------------

  /** Unit i's element (row side by side), drawing its section first. Null when the layout has none. */
  showUnit(i: number): HTMLElement | null {
    if (!this.options || i < 0 || i >= this.options.beads.length) return null;
    const s = this.sections[this.sectionOf[i]!];
    if (s) this.mount(s);
    return this.units.get(i) ?? null;
  }

  /** The unit elements drawn now (index -> element). */
  drawnUnits(): ReadonlyMap<number, HTMLElement> {
    return this.units;
  }

  /** Sections in all, and drawn now. */
  sectionCount(): { total: number; mounted: number } {
    return { total: this.sections.length, mounted: this.sections.filter((s) => s.mounted).length };
  }

  /**
   * Scrolls `el` into the pane's view, a third of the way down, unless it is in view already.
   * (`follow` is kept for callers; rows need no following.)
   */
  reveal(el: HTMLElement, _follow = false): void {
    const pane = this.pane;
    if (!pane || !pane.contains(el)) return;
    const box = el.getBoundingClientRect();
    const view = pane.getBoundingClientRect();
    if (box.top >= view.top + 8 && box.bottom <= view.bottom - 8) return;
    pane.scrollTop += box.top - view.top - pane.clientHeight / 3;
  }

  /** The unit at the top edge of the pane, if any. */
  topUnit(): number | null {
    return this.anchor()?.unit ?? null;
  }

  private anchor(): Anchor | null {
    const pane = this.pane;
    if (!pane || !pane.isConnected || pane.clientHeight === 0) return null;
    const top = pane.getBoundingClientRect().top;
    let best: Anchor | null = null;
    for (const [unit, el] of this.units) {
      const r = el.getBoundingClientRect();
      if (r.bottom <= top + 1) continue;
      if (!best || unit < best.unit) best = { unit, offset: r.top - top };
    }
    return best;
  }

  private restore(anchor: Anchor): void {
    const pane = this.pane!;
    const count = this.options!.beads.length;
    let el: HTMLElement | null = null;
    // The unit, or the nearest after it that this layout draws.
    for (let u = Math.min(anchor.unit, count - 1); u < count && !el; u++) el = this.showUnit(u);
    if (!el) return;
    pane.scrollTop += el.getBoundingClientRect().top - pane.getBoundingClientRect().top - anchor.offset;
  }
}

/** The unit element (row side by side) a node is in, and its index. */
export function unitOf(node: Node | null): { el: HTMLElement; unit: number } | null {
  const el = (node instanceof HTMLElement ? node : node?.parentElement)?.closest<HTMLElement>('.unit-row, .unit');
  if (!el?.dataset.unit) return null;
  return { el: el.closest<HTMLElement>('.unit-row') ?? el, unit: Number(el.dataset.unit) };
}
