/**
 * A seed index: every 8-character string of the chosen stretches of a text, by hash, to its
 * positions. It lets re-anchoring look for a quote away from its old place (in the changed text
 * of the new version, or what was cut from the old one) without scanning the whole text for each
 * annotation.
 */

export const SEED = 8;

/** A seed found more often than this is too common to lead anywhere. */
export const MAX_SEED_HITS = 64;

export function hashSeed(text: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < SEED; i++) h = Math.imul(h ^ text.charCodeAt(at + i), 0x01000193);
  return h;
}

export class SeedIndex {
  private readonly index = new Map<number, number[]>();

  /** Indexes the seeds starting in each of `stretches` (sorted), widened by `margin`. */
  constructor(
    readonly text: string,
    stretches: readonly { start: number; end: number }[],
    margin: number,
  ) {
    let done = 0;
    for (const r of stretches) {
      const from = Math.max(done, r.start - margin, 0);
      const to = Math.min(text.length - SEED, r.end + margin);
      for (let p = from; p <= to; p++) {
        const h = hashSeed(text, p);
        const list = this.index.get(h);
        if (list) list.push(p);
        else this.index.set(h, [p]);
      }
      done = Math.max(done, to + 1);
    }
  }

  /**
   * Where `source[start, end)` (at least SEED characters) occurs in the indexed stretches: looked
   * up by the rarest of three of its seeds, then checked. Empty when it is too common to tell.
   */
  find(source: string, start: number, end: number): number[] {
    const len = end - start;
    if (len < SEED) return [];
    let best: number[] | undefined;
    let bestOffset = 0;
    for (const off of new Set([0, (len - SEED) >> 1, len - SEED])) {
      const list = this.index.get(hashSeed(source, start + off)) ?? [];
      if (!best || list.length < best.length) {
        best = list;
        bestOffset = off;
      }
      if (list.length === 0) return [];
    }
    if (!best || best.length > MAX_SEED_HITS) return [];
    const needle = source.slice(start, end);
    const out: number[] = [];
    for (const p of best) {
      const at = p - bestOffset;
      if (at >= 0 && this.text.startsWith(needle, at)) out.push(at);
    }
    return out;
  }
}
