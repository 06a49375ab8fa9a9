/**
 * The texts of a pair laid out in units (beads: the blocks of each side that answer each other):
 * side by side (two panes, each scrolling on its own, the right-to-left text on the right unless
 * swapped), stacked (each unit's source followed by its counterpart, one scroll), or single (one
 * text). Side by side, scrolling one pane can bring the other along by alignment: the unit at the
 * leading pane's top edge has its counterpart scrolled to the same place, at the same fraction.
 *
 * Block elements are made once by the view and moved between layouts, so an editable block keeps
 * its text and undo history when the layout or the alignment changes.
 */
import type { Direction } from '../../common/model.js';
import type { AlignmentBead } from '../../common/pairs.js';
import { h } from '../dom.js';
import type { Side } from './alignment-panel.js';
import { followScroll } from './block-text.js';

export const LAYOUTS = ['side', 'stacked', 'single'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface PaneText {
  dir: Direction;
  lang: string;
  /** The pane's heading: what the text is and its title (may hold a link to the reader). */
  head: () => HTMLElement;
  blocks: readonly HTMLElement[];
}

export interface PaneOptions {
  layout: Layout;
  /** Side by side: the side drawn on the left. Stacked: the side drawn first. Single: the side shown. */
  left: Side;
  first: Side;
  texts: Record<Side, PaneText>;
  beads: readonly AlignmentBead[];
  unitName: (index: number) => string;
  markerLabel: (index: number) => string;
  noCounterpart: string;
}

/** Where the reading stood: a block (or unit) and how far below the pane's top edge. */
interface Anchor {
  unit: number;
  el: HTMLElement;
  offset: number;
}

const other = (side: Side): Side => (side === 'source' ? 'target' : 'source');

export class Panes {
  readonly el: HTMLElement = h('div', { class: 'pair-content' });
  private panes: { el: HTMLElement; units: (HTMLElement | undefined)[] }[] = [];
  private sync = true;
  private layout: Layout = 'side';
  /** A pane's scrollTop set here: its scroll event is ours and must not be followed. */
  private readonly quiet = new Map<HTMLElement, number>();
  private frame = 0;

  setSync(on: boolean): void {
    this.sync = on;
  }

  /** Drops the panes (another pair is shown next): nothing to keep the place of. */
  clear(): void {
    this.panes = [];
    this.el.replaceChildren();
  }

  /** Every pane's scroll container. */
  scrollers(): HTMLElement[] {
    return this.panes.map((p) => p.el);
  }

  render(o: PaneOptions): void {
    const anchor = this.anchor();
    this.layout = o.layout;
    this.panes = [];
    this.el.dataset.layout = o.layout;
    if (o.layout === 'stacked') {
      const pane = this.pane(null);
      const units: HTMLElement[] = [];
      o.beads.forEach((bead, i) => {
        const unit = this.unit(o, i, bead, true);
        for (const side of [o.first, other(o.first)]) {
          const text = o.texts[side];
          unit.append(h('div', { class: 'unit-part', 'data-side': side, dir: text.dir, lang: text.lang }, ...this.content(o, bead, side)));
        }
        units.push(unit);
      });
      pane.append(...units);
      this.panes.push({ el: pane, units });
      this.el.replaceChildren(pane);
    } else {
      const sides: Side[] = o.layout === 'single' ? [o.first] : ['source', 'target'];
      const columns = sides.map((side, k) => {
        const text = o.texts[side];
        const pane = this.pane(side);
        pane.dir = text.dir;
        pane.lang = text.lang;
        const units: (HTMLElement | undefined)[] = [];
        o.beads.forEach((bead, i) => {
          // One text alone: a unit it has no block in would be an empty row.
          if (o.layout === 'single' && bead[side].length === 0) return;
          const unit = this.unit(o, i, bead, k === 0);
          unit.append(...this.content(o, bead, side));
          units[i] = unit;
        });
        pane.append(...units.filter((u): u is HTMLElement => u !== undefined));
        this.panes.push({ el: pane, units });
        const column = h('div', { class: 'pair-column', 'data-side': side, dir: text.dir }, text.head(), pane);
        if (o.layout === 'side') column.classList.add(side === o.left ? 'at-left' : 'at-right');
        return column;
      });
      this.el.replaceChildren(...columns);
    }
    if (anchor) this.restore(anchor);
  }

  private pane(side: Side | null): HTMLElement {
    const pane = h('div', { class: 'pair-pane', tabindex: '-1' });
    if (side) pane.dataset.side = side;
    pane.addEventListener('scroll', () => this.scrolled(pane), { passive: true });
    return pane;
  }

  private unit(o: PaneOptions, i: number, bead: AlignmentBead, withMarker: boolean): HTMLElement {
    const unit = h('div', { class: bead.confirmed ? 'unit confirmed' : 'unit proposed', 'data-unit': String(i), role: 'group', 'aria-label': o.unitName(i) });
    // One marker per unit can be reached by Tab; the other pane's copy is for the mouse only.
    unit.append(
      h(
        'button',
        withMarker
          ? { type: 'button', class: 'unit-marker', 'data-unit': String(i), 'aria-label': o.markerLabel(i), title: o.markerLabel(i) }
          : { type: 'button', class: 'unit-marker', 'data-unit': String(i), tabindex: '-1', 'aria-hidden': 'true', title: o.markerLabel(i) },
        String(i + 1),
      ),
    );
    return unit;
  }

  private content(o: PaneOptions, bead: AlignmentBead, side: Side): HTMLElement[] {
    if (bead[side].length === 0) return [h('p', { class: 'unit-empty' }, o.noCounterpart)];
    return bead[side].map((b) => o.texts[side].blocks[b]!);
  }

  // Scrolling -----------------------------------------------------------------------------------

  private scrolled(pane: HTMLElement): void {
    const quiet = this.quiet.get(pane);
    this.quiet.delete(pane);
    if (quiet !== undefined && Math.abs(pane.scrollTop - quiet) <= 1) return;
    if (!this.sync || this.layout !== 'side' || this.panes.length !== 2) return;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.follow(pane));
  }

  /** Brings the other pane to the counterpart of the unit at `lead`'s top edge. */
  private follow(lead: HTMLElement): void {
    const from = this.panes.find((p) => p.el === lead);
    const to = this.panes.find((p) => p.el !== lead);
    if (!from || !to) return;
    const edge = lead.scrollTop + padTop(lead);
    const unit = unitAt(from.units, edge);
    if (unit === undefined) return;
    const mine = from.units[unit]!;
    const theirs = to.units[unit];
    if (!theirs) return;
    const top = followScroll({ edge, top: mine.offsetTop, height: mine.offsetHeight }, { top: theirs.offsetTop, height: theirs.offsetHeight });
    this.scrollTo(to.el, top - padTop(to.el));
  }

  private scrollTo(pane: HTMLElement, top: number): void {
    const before = pane.scrollTop;
    pane.scrollTop = Math.max(0, top);
    if (pane.scrollTop !== before) this.quiet.set(pane, pane.scrollTop);
  }

  /**
   * Scrolls `el` into its pane's view, a third of the way down. The other pane follows by alignment
   * only when asked (a unit shown), not when each pane is brought to its own passage (a link).
   */
  reveal(el: HTMLElement, follow = false): void {
    const pane = el.closest<HTMLElement>('.pair-pane');
    if (!pane) return;
    const box = el.getBoundingClientRect();
    const view = pane.getBoundingClientRect();
    if (box.top >= view.top + 8 && box.bottom <= view.bottom - 8) return;
    this.scrollTo(pane, pane.scrollTop + (box.top - view.top) - pane.clientHeight / 3);
    if (follow && this.sync && this.layout === 'side') this.follow(pane);
  }

  /** The unit at the top edge of the first pane (the one read first), if any. */
  topUnit(): number | null {
    const first = this.panes[0];
    if (!first) return null;
    return unitAt(first.units, first.el.scrollTop + padTop(first.el)) ?? null;
  }

  private anchor(): Anchor | null {
    const first = this.panes[0];
    if (!first || !first.el.isConnected || first.el.clientHeight === 0) return null;
    const edge = first.el.scrollTop + padTop(first.el);
    const unit = unitAt(first.units, edge);
    if (unit === undefined) return null;
    const unitEl = first.units[unit]!;
    const view = first.el.getBoundingClientRect().top;
    const block = [...unitEl.querySelectorAll<HTMLElement>('.pair-block')].find((b) => b.getBoundingClientRect().bottom > view) ?? unitEl;
    return { unit, el: block, offset: block.getBoundingClientRect().top - view };
  }

  private restore(anchor: Anchor): void {
    const first = this.panes[0];
    if (!first) return;
    let el: HTMLElement | undefined = anchor.el.isConnected && first.el.contains(anchor.el) ? anchor.el : undefined;
    if (!el) {
      // The block is not in this pane any more (the shown text changed): its unit, or the nearest after it.
      for (let u = anchor.unit; u < first.units.length && !el; u++) el = first.units[u];
    }
    if (!el) return;
    const view = first.el.getBoundingClientRect().top;
    this.scrollTo(first.el, first.el.scrollTop + (el.getBoundingClientRect().top - view) - anchor.offset);
    if (this.sync && this.layout === 'side') this.follow(first.el);
  }
}

function padTop(el: HTMLElement): number {
  return parseFloat(getComputedStyle(el).paddingTop) || 0;
}

/** The unit whose box holds `y` (or the last one above it); units are in order, some absent. */
function unitAt(units: readonly (HTMLElement | undefined)[], y: number): number | undefined {
  const present: number[] = [];
  units.forEach((u, i) => {
    if (u) present.push(i);
  });
  if (present.length === 0) return undefined;
  let lo = 0;
  let hi = present.length - 1;
  // The last unit starting at or above y.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (units[present[mid]!]!.offsetTop <= y) lo = mid;
    else hi = mid - 1;
  }
  return present[lo];
}
