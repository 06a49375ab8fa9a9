/**
 * The open document's highlights in canonical offsets, sorted by start, each with its drawing
 * layer (layers.ts). Sections ask it for the highlights over their range (a binary search), so a
 * section's decorations are built when it is mounted, never all ten thousand at once.
 */
import type { Annotation, Color } from '../../common/model.js';
import { assignLayers, freeLayer } from './layers.js';

export interface HighlightItem {
  id: string;
  start: number;
  end: number;
  color: Color;
  layer: number;
}

const visible = (a: Annotation) => a.status === 'anchored' && a.end > a.start;
const order = (a: HighlightItem, b: HighlightItem) => a.start - b.start || b.end - a.end;

export class HighlightIndex {
  private items: HighlightItem[] = [];
  private readonly byId = new Map<string, HighlightItem>();
  /** The longest highlight ever held: how far before a range one may start and still reach it. */
  private longest = 0;

  get size(): number {
    return this.items.length;
  }

  reset(annotations: readonly Annotation[]): void {
    const placed = assignLayers(annotations.filter(visible).map((a) => ({ from: a.start, to: a.end, a })));
    this.items = placed.map((p) => ({ id: p.a.id, start: p.a.start, end: p.a.end, color: p.a.color, layer: p.layer }));
    this.items.sort(order);
    this.byId.clear();
    this.longest = 0;
    for (const item of this.items) {
      this.byId.set(item.id, item);
      this.longest = Math.max(this.longest, item.end - item.start);
    }
  }

  get(id: string): HighlightItem | undefined {
    return this.byId.get(id);
  }

  /** Highlights that share at least one character with `start..end`, in start order. */
  overlapping(start: number, end: number): HighlightItem[] {
    const out: HighlightItem[] = [];
    for (let i = this.firstStartingAt(start - this.longest); i < this.items.length; i++) {
      const item = this.items[i]!;
      if (item.start >= end) break;
      if (item.end > start) out.push(item);
    }
    return out;
  }

  /** Adds an annotation on the lowest layer its neighbours leave free; null when it is not drawn. */
  add(a: Annotation): HighlightItem | null {
    if (!visible(a)) return null;
    if (this.byId.has(a.id)) this.remove(a.id);
    const item: HighlightItem = { id: a.id, start: a.start, end: a.end, color: a.color, layer: 0 };
    item.layer = freeLayer(
      this.overlapping(a.start, a.end).map((o) => ({ from: o.start, to: o.end, layer: o.layer })),
      a.start,
      a.end,
    );
    let i = this.firstStartingAt(a.start);
    while (i < this.items.length && order(this.items[i]!, item) <= 0) i++;
    this.items.splice(i, 0, item);
    this.byId.set(item.id, item);
    this.longest = Math.max(this.longest, item.end - item.start);
    return item;
  }

  /** A new colour for a drawn annotation (its range and layer stay). */
  recolor(id: string, color: Color): HighlightItem | null {
    const item = this.byId.get(id);
    if (!item) return null;
    item.color = color;
    return item;
  }

  remove(id: string): HighlightItem | null {
    const item = this.byId.get(id);
    if (!item) return null;
    this.byId.delete(id);
    for (let i = this.firstStartingAt(item.start); i < this.items.length; i++) {
      if (this.items[i] === item) {
        this.items.splice(i, 1);
        break;
      }
    }
    return item;
  }

  /** Index of the first item whose start is at or after `offset`. */
  private firstStartingAt(offset: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
