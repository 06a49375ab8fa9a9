/**
 * Overlapping highlights are drawn in layers: the first as a background, the ones lying over it
 * as underlines at other offsets, so both stay visible. A new highlight takes the lowest layer
 * that no highlight it overlaps already uses.
 */
export interface Layered {
  from: number;
  to: number;
  layer: number;
}

export const MAX_LAYER = 3;

/** The lowest layer free over [from, to) among `overlapping`, at most `MAX_LAYER`. */
export function freeLayer(overlapping: readonly Layered[], from: number, to: number): number {
  const used = new Set(overlapping.filter((o) => o.from < to && o.to > from).map((o) => o.layer));
  let layer = 0;
  while (used.has(layer)) layer++;
  return Math.min(layer, MAX_LAYER);
}

/** Layers for a whole list (e.g. on opening a document), in start order, longer first at a tie. */
export function assignLayers<T extends { from: number; to: number }>(items: readonly T[]): (T & { layer: number })[] {
  const sorted = [...items].sort((a, b) => a.from - b.from || b.to - a.to);
  const placed: (T & { layer: number })[] = [];
  const open: Layered[] = [];
  for (const item of sorted) {
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.to <= item.from) open.splice(i, 1);
    const layer = freeLayer(open, item.from, item.to);
    const p = { ...item, layer };
    placed.push(p);
    open.push(p);
  }
  return placed;
}
