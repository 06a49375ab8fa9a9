/**
 * Re-anchoring: where do annotations made on one version of a text belong in the next version?
 *
 * Both texts are compared in matching-normalised form (`normalize.ts`: niqqud, cantillation and
 * mark order do not matter, `"` and `״` are alike), and first diffed (`diff.ts`): equal runs, the
 * stretches left unchanged, map positions exactly. Then for each annotation, in order:
 *
 * 1. **Stored position** (`stayed`): the quote still sits at its position mapped through the
 *    change. Most annotations end here at once, because their text lies in an equal run.
 * 2. **Exact quote** (`moved`): the normalised quote elsewhere. Candidates that are the unchanged
 *    image of some other old passage (they lie in an equal run that maps outside the annotation's
 *    old place) are never taken: that passage was already there and is not this one. The rest are
 *    scored on prefix and suffix similarity and nearness to the expected position.
 * 3. **Fuzzy** (`fuzzy`): bit-parallel approximate search (`bitap.ts`) of the quote with up to 25 %
 *    errors, near the expected position and in every changed region of the new text; scored on
 *    quote similarity, prefix and suffix similarity and position; below `FUZZY_THRESHOLD`, or
 *    when two distinct places score alike, it is not a match.
 * 4. **Orphan** (`orphaned`): kept with its old quote, never put in a guessed place.
 *
 * Pure: no I/O; the caller stores the results.
 */
import { anchoredDistance, approxSearch, editDistance, Pattern } from './bitap.js';
import { diffTexts } from './diff.js';
import { changedRegions, foreignLength, isUnchanged, mapOffset, survivingLength, type TextChange } from './mapping.js';
import { edgeSpaces, normalize, normalizeText, normalizedRange, originalRange, toNormalized, type Normalized } from './normalize.js';

export type AnchorStatus = 'stayed' | 'moved' | 'fuzzy' | 'orphaned';

export interface AnchorInput {
  id: string;
  /** UTF-16 offsets into the old text. */
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  /** An annotation already orphaned has no trustworthy position: only its quote is looked for. */
  status?: 'anchored' | 'orphaned';
}

export interface AnchorResult {
  id: string;
  status: AnchorStatus;
  /** UTF-16 offsets into the new text; for an orphan, a collapsed range where it was. */
  start: number;
  end: number;
  /** The new text's slice for a placed annotation; the old quote for an orphan. */
  exact: string;
  /** Confidence in [0, 1]: 1 for `stayed`; for an orphan, the best rejected score (0 if none). */
  score: number;
}

/** Candidates scoring below this (fuzzy matches) are not matches: the annotation is orphaned. */
export const FUZZY_THRESHOLD = 0.75;
/** Exact quotes found away from their place need less (they already match word for word). */
export const EXACT_THRESHOLD = 0.6;
/** At most this share of the quote's (normalised) characters may differ in a fuzzy match. */
export const MAX_ERROR_RATE = 0.25;
/**
 * A quote of at least this many (normalised) characters that left its place, found exactly once
 * where no other passage accounts for it, is taken as moved even when its context changed.
 */
export const UNIQUE_MIN_LENGTH = 16;
/** Two distinct fuzzy places scoring within this of each other are ambiguous: orphan rather than guess. */
export const AMBIGUITY_MARGIN = 0.03;
/** A fuzzy match near the old place scoring this much is taken without looking further away. */
export const LOCAL_CONFIDENT = 0.9;
/** Quotes shorter than this are not searched fuzzily (too little to go on). */
export const FUZZY_MIN_LENGTH = 4;

export interface ReanchorOptions {
  fuzzyThreshold?: number;
  exactThreshold?: number;
  maxErrorRate?: number;
}

export interface ReanchorSummary {
  stayed: number;
  moved: number;
  fuzzy: number;
  orphaned: number;
}

export function summarize(results: readonly AnchorResult[]): ReanchorSummary {
  const s: ReanchorSummary = { stayed: 0, moved: 0, fuzzy: 0, orphaned: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
  score: number;
  /** Inside the window around the annotation's old place. */
  local: boolean;
}

interface Window {
  start: number;
  end: number;
}

interface Context {
  prefix: string;
  suffix: string;
  os: number;
  oe: number;
  expected: number;
  m: number;
}

const byScore = (x: Candidate, y: Candidate) => y.score - x.score;

/** Re-anchors `annotations` made on `oldText` into `newText`. One result per annotation, in order. */
export function reanchor(annotations: readonly AnchorInput[], oldText: string, newText: string, options: ReanchorOptions = {}): AnchorResult[] {
  const anchorer = new Reanchorer(oldText, newText, options);
  return annotations.map((a) => anchorer.anchor(a));
}

/** The prepared comparison of two versions; `anchor` places one annotation. */
export class Reanchorer {
  readonly oldN: Normalized;
  readonly newN: Normalized;
  /** The change between the normalised texts. */
  readonly change: TextChange;
  private readonly fuzzyThreshold: number;
  private readonly exactThreshold: number;
  private readonly maxErrorRate: number;
  private regions: { start: number; end: number }[] | undefined;
  private oldIndex: { text: string; toOld: (i: number) => number } | undefined;

  constructor(
    readonly oldText: string,
    readonly newText: string,
    options: ReanchorOptions = {},
  ) {
    this.oldN = normalize(oldText);
    this.newN = oldText === newText ? this.oldN : normalize(newText);
    this.change = diffTexts(this.oldN.text, this.newN.text);
    this.fuzzyThreshold = options.fuzzyThreshold ?? FUZZY_THRESHOLD;
    this.exactThreshold = options.exactThreshold ?? EXACT_THRESHOLD;
    this.maxErrorRate = options.maxErrorRate ?? MAX_ERROR_RATE;
  }

  anchor(a: AnchorInput): AnchorResult {
    // Whitespace at the quote's edges is not matched (a double-clicked word brings its space;
    // a space may have become a line break); it is given back where the new text has it.
    const oldT = this.oldN.text;
    const newT = this.newN.text;
    const orphanedBefore = a.status === 'orphaned';
    const validRange = Number.isInteger(a.start) && Number.isInteger(a.end) && a.start >= 0 && a.end >= a.start && a.end <= this.oldText.length;
    const edges = edgeSpaces(a.exact);

    // The annotation's place in the old normalised text.
    let os: number;
    let oe: number;
    let q: string;
    let holds = false;
    if (validRange && !orphanedBefore) {
      ({ start: os, end: oe } = normalizedRange(this.oldN, a.start, a.end));
      while (os < oe && isSpace(oldT.charCodeAt(os))) os++;
      while (oe > os && isSpace(oldT.charCodeAt(oe - 1))) oe--;
      if (this.oldText.slice(a.start, a.end) === a.exact) {
        // The usual case: the stored position holds the quote; its normalised form is the old text's.
        q = oldT.slice(os, oe);
        holds = q.length > 0;
      } else {
        q = normalizeText(a.exact).trim();
        holds = q.length > 0 && oe - os === q.length && oldT.startsWith(q, os);
      }
    } else {
      q = normalizeText(a.exact).trim();
      os = oe = toNormalized(this.oldN, Math.max(0, Math.min(this.oldText.length, validRange ? a.start : 0)));
    }
    const m = q.length;
    if (!holds && !orphanedBefore && m > 0) {
      // A stale position: find the quote in the old text itself (best context, then nearest).
      const fixed = this.locateInOld(q, a, os);
      if (fixed >= 0) {
        os = fixed;
        oe = fixed + m;
        holds = true;
      }
    }
    const expected = mapOffset(this.change, os, 'proportional');
    const orphan = (score: number): AnchorResult => {
      const at = this.newN.map[Math.min(expected, newT.length)]!;
      return { id: a.id, status: 'orphaned', start: at, end: at, exact: a.exact, score };
    };
    if (m === 0) return orphan(0);

    // 1. The stored position, mapped through the change.
    if (holds) {
      if (isUnchanged(this.change, os, oe)) return this.place(a.id, 'stayed', mapOffset(this.change, os), m, 1, edges);
      for (const assoc of ['proportional', 'after', 'before'] as const) {
        const at = mapOffset(this.change, os, assoc);
        // The same words at the mapped place, unless they are text that was already there beside a deletion.
        if (newT.startsWith(q, at) && !this.isForeign(at, at + m, os, oe, 0)) return this.place(a.id, 'stayed', at, m, 1, edges);
      }
    }

    const ctx: Context = { prefix: normalizeText(a.prefix), suffix: normalizeText(a.suffix), os, oe, expected, m };
    // Where a candidate can be: near the annotation's old place, or over changed text (a place
    // made mostly of unchanged text from elsewhere is another passage, see isForeign).
    const local = this.localWindow(os, oe, expected, m);
    const isLocal = (c: { start: number; end: number }) => c.start >= local.start && c.end <= local.end;
    // Far places are considered only when the passage left its old place (most of its old text is
    // gone from there): a passage edited in place is not "moved" onto a copy found elsewhere.
    const left = !holds || survivingLength(this.change, os, oe) * 2 <= oe - os;
    const k = m >= FUZZY_MIN_LENGTH ? Math.floor(m * this.maxErrorRate) : 0;
    const pattern = k >= 1 ? new Pattern(q) : undefined;
    let localFuzzy: Candidate[] | undefined;
    const fuzzyIn = (w: Window, out: Candidate[]) => {
      if (!pattern) return;
      for (const hit of approxSearch(newT, pattern, k, { from: w.start, to: w.end })) {
        if (this.isForeign(hit.start, hit.end, os, oe, k)) continue;
        const c: Candidate = { ...hit, score: this.score(hit, ctx), local: isLocal(hit) };
        if (!c.local && this.explainedElsewhere(c, ctx)) continue;
        out.push(c);
      }
    };
    const getLocalFuzzy = () => {
      if (!localFuzzy) {
        localFuzzy = [];
        fuzzyIn(local, localFuzzy);
        localFuzzy.sort(byScore);
      }
      return localFuzzy;
    };
    let bestRejected = 0;

    // 2. The exact quote elsewhere.
    const exact: Candidate[] = [];
    const seen = new Set<number>();
    for (const w of [local, ...(left ? this.changeWindows(m, 0, local) : [])]) {
      const part = newT.slice(w.start, w.end);
      for (let i = part.indexOf(q); i >= 0 && exact.length < 2000; i = part.indexOf(q, i + 1)) {
        const at = w.start + i;
        if (seen.has(at) || this.isForeign(at, at + m, os, oe, 0)) continue;
        seen.add(at);
        exact.push({ start: at, end: at + m, errors: 0, score: 0, local: false });
      }
    }
    if (exact.length > 0) {
      // Score the nearest few hundred when a short quote occurs very often.
      const pool = exact.length > 400 ? [...exact].sort((x, y) => Math.abs(x.start - expected) - Math.abs(y.start - expected)).slice(0, 400) : exact;
      for (const c of pool) {
        c.score = this.score(c, ctx);
        c.local = isLocal(c);
      }
      pool.sort((x, y) => y.score - x.score || Math.abs(x.start - expected) - Math.abs(y.start - expected));
      // A copy that another old passage (moved or deleted) explains as well is not taken.
      const best = pool.slice(0, 20).find((c) => c.local || !this.explainedElsewhere(c, ctx));
      if (best) {
        // The one copy of the quote that no other passage accounts for, the passage having left its place.
        const onlyCopy = !best.local && left && exact.length === 1 && m >= UNIQUE_MIN_LENGTH;
        if (best.score >= this.exactThreshold || onlyCopy) {
          const score = Math.max(best.score, onlyCopy ? this.exactThreshold : 0);
          if (best.local) return this.place(a.id, 'moved', best.start, m, score, edges);
          // Far away: unless the passage is still here, edited, and fits better.
          const here = getLocalFuzzy()[0];
          if (!here || here.score <= best.score - AMBIGUITY_MARGIN) return this.place(a.id, 'moved', best.start, m, score, edges);
          if (here.score < this.fuzzyThreshold || here.score < best.score + AMBIGUITY_MARGIN) return orphan(Math.max(here.score, best.score));
          return this.place(a.id, 'fuzzy', here.start, here.end - here.start, here.score, edges);
        }
        bestRejected = best.score;
      }
    }

    // 3. Fuzzy: near the old place first; over the changed text when that is not convincing.
    if (pattern) {
      const found = [...getLocalFuzzy()];
      if (left && (!found[0] || found[0].score < LOCAL_CONFIDENT)) {
        // Away from the old place, only changed text is searched, and only where a seed shows:
        // an 8-character piece of the quote, or the end of its prefix or start of its suffix. (A
        // passage that was moved and also edited in every piece is left an orphan.)
        const seeds = seedsOf(q, ctx);
        for (const w of this.changeWindows(m, k, local)) {
          const around = newT.slice(Math.max(0, w.start - SEED), w.end + SEED);
          if (seeds.some((p) => around.includes(p))) fuzzyIn(w, found);
        }
      }
      found.sort(byScore);
      const best = found[0];
      if (best) {
        const rival = found.find((c) => c !== best && (c.end <= best.start || c.start >= best.end) && best.score - c.score < AMBIGUITY_MARGIN);
        if (best.score >= this.fuzzyThreshold && !rival) {
          return this.place(a.id, best.errors === 0 ? 'moved' : 'fuzzy', best.start, best.end - best.start, best.score, edges);
        }
        bestRejected = Math.max(bestRejected, best.score);
      }
    }
    return orphan(bestRejected);
  }

  /**
   * True when some other old passage, moved or deleted, explains the candidate at least as well
   * as the annotation does: the candidate's new (inserted) text was cut from elsewhere in the old
   * text, and what stood around it there fits the candidate as well as the annotation's own
   * quote and context do. Then the candidate is that passage's new place, not this one's.
   */
  private explainedElsewhere(c: { start: number; end: number; errors: number }, ctx: Context): boolean {
    const newT = this.newN.text;
    const oldT = this.oldN.text;
    // The candidate's largest piece of changed (new) text.
    let xs = 0;
    let xe = 0;
    for (const r of this.changedNew()) {
      if (r.start >= c.end) break;
      const lo = Math.max(r.start, c.start);
      const hi = Math.min(r.end, c.end);
      if (hi - lo > xe - xs) {
        xs = lo;
        xe = hi;
      }
    }
    if (xe - xs < 4) return false;
    const piece = newT.slice(xs, xe);
    const len = c.end - c.start;
    const cand = newT.slice(c.start, c.end);
    const ours = 1 - c.errors / ctx.m + contextSimilarity(ctx.prefix, ctx.suffix, newT, c.start, c.end);
    const index = this.oldChangedIndex();
    let checked = 0;
    for (let i = index.text.indexOf(piece); i >= 0 && checked < 20; i = index.text.indexOf(piece, i + 1)) {
      const p = index.toOld(i);
      if (p + piece.length > ctx.os - ctx.m && p < ctx.oe + ctx.m) continue; // the annotation's own old text
      checked++;
      const vs = Math.max(0, p - (xs - c.start));
      const ve = Math.min(oldT.length, vs + len);
      const errors = len <= 600 ? editDistance(oldT.slice(vs, ve), cand) : c.errors;
      // Their context, as long as the annotation's (both normalised from the same 32 characters).
      const theirPrefix = ctx.prefix.length ? oldT.slice(Math.max(0, vs - ctx.prefix.length), vs) : '';
      const theirSuffix = ctx.suffix.length ? oldT.slice(ve, ve + ctx.suffix.length) : '';
      const theirs = 1 - errors / len + contextSimilarity(theirPrefix, theirSuffix, newT, c.start, c.end);
      if (theirs >= ours - 0.02) return true;
    }
    return false;
  }

  /** The old text's changed regions (what was deleted or replaced), joined for searching. */
  private oldChangedIndex(): { text: string; toOld: (i: number) => number } {
    if (!this.oldIndex) {
      const parts: string[] = [];
      const at: number[] = [];
      const from: number[] = [];
      let n = 0;
      for (const r of changedRegions(this.change)) {
        if (r.oldEnd <= r.oldStart) continue;
        at.push(n);
        from.push(r.oldStart);
        parts.push(this.oldN.text.slice(r.oldStart, r.oldEnd), '\u0000');
        n += r.oldEnd - r.oldStart + 1;
      }
      const text = parts.join('');
      const toOld = (i: number) => {
        let lo = 0;
        let hi = at.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (at[mid]! <= i) lo = mid;
          else hi = mid - 1;
        }
        return from[lo]! + (i - at[lo]!);
      };
      this.oldIndex = { text, toOld };
    }
    return this.oldIndex;
  }

  private place(id: string, status: AnchorStatus, nStart: number, m: number, score: number, edges: { lead: boolean; trail: boolean }): AnchorResult {
    const r = originalRange(this.newN, this.newText, nStart, nStart + m);
    const raw = this.newText;
    // Give back a leading or trailing space the quote had, where the new text has one (not a line break).
    if (edges.lead) while (r.start > 0 && isHorizontalSpace(raw.charCodeAt(r.start - 1))) r.start--;
    if (edges.trail) while (r.end < raw.length && isHorizontalSpace(raw.charCodeAt(r.end))) r.end++;
    return { id, status, start: r.start, end: r.end, exact: raw.slice(r.start, r.end), score };
  }

  /** A place made mostly of text that was already there, unchanged, outside the annotation's old place. */
  private isForeign(start: number, end: number, os: number, oe: number, slack: number): boolean {
    return foreignLength(this.change, start, end, os, oe, slack) * 2 > end - start;
  }

  /** The quote's best occurrence in the old text (context first, then nearness to `near`), or -1. */
  private locateInOld(q: string, a: AnchorInput, near: number): number {
    const oldT = this.oldN.text;
    const prefix = normalizeText(a.prefix);
    const suffix = normalizeText(a.suffix);
    let best = -1;
    let bestScore = -Infinity;
    let seen = 0;
    for (let i = oldT.indexOf(q); i >= 0 && seen < 1000; i = oldT.indexOf(q, i + 1), seen++) {
      const ctx = contextSimilarity(prefix, suffix, oldT, i, i + q.length);
      const s = ctx - Math.abs(i - near) / (oldT.length + 1) / 10;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  }

  /** The new text around the annotation's old place (its image through the change, and the expected position). */
  private localWindow(os: number, oe: number, expected: number, m: number): { start: number; end: number } {
    const len = this.newN.text.length;
    const pad = m + 64;
    const lo = Math.min(expected, mapOffset(this.change, os, 'before'));
    const hi = Math.max(expected + m, mapOffset(this.change, oe, 'after'));
    return { start: Math.max(0, lo - pad), end: Math.min(len, hi + pad) };
  }

  /**
   * Windows over the changed text of the new version where a match of a quote of length `m` with
   * up to `k` errors can lie without being mostly unchanged text from elsewhere: clusters of changed
   * regions holding at least (m - k) / 2 new characters, widened by (m + k) / 2. `skip` is left out.
   */
  private changeWindows(m: number, k: number, skip: { start: number; end: number }): { start: number; end: number }[] {
    const len = this.newN.text.length;
    const need = Math.max(1, Math.floor((m - k) / 2));
    const pad = Math.ceil((m + k) / 2) + 1;
    const out: { start: number; end: number }[] = [];
    let cur: { start: number; end: number; size: number } | undefined;
    const flush = () => {
      if (cur && cur.size >= need) {
        const w = { start: Math.max(0, cur.start - pad), end: Math.min(len, cur.end + pad) };
        // Leave out what the local window already covered.
        if (w.end <= skip.start || w.start >= skip.end) out.push(w);
        else {
          if (w.start < skip.start) out.push({ start: w.start, end: Math.min(len, skip.start + m + k) });
          if (w.end > skip.end) out.push({ start: Math.max(0, skip.end - m - k), end: w.end });
        }
      }
    };
    for (const r of this.changedNew()) {
      if (r.end === r.start) continue;
      if (cur && r.start - cur.end <= m + k) {
        cur.end = r.end;
        cur.size += r.end - r.start;
      } else {
        flush();
        cur = { start: r.start, end: r.end, size: r.end - r.start };
      }
    }
    flush();
    return out;
  }

  private changedNew(): { start: number; end: number }[] {
    this.regions ??= changedRegions(this.change).map((r) => ({ start: r.newStart, end: r.newEnd }));
    return this.regions;
  }

  /**
   * A candidate's score in [0, 1]: quote similarity (weighted up for long quotes, which carry
   * more evidence on their own, and down for short ones), context (the better-fitting side counts
   * most: one side may have been edited), and nearness to the expected place.
   */
  private score(c: { start: number; end: number; errors: number }, ctx: Context): number {
    const text = this.newN.text;
    const m = ctx.m;
    const qs = Math.max(0, 1 - c.errors / m);
    const wq = 50 * Math.min(2, Math.max(0.5, m / 32));
    const cs = contextSimilarity(ctx.prefix, ctx.suffix, text, c.start, c.end);
    const wc = 40;
    const d = Math.abs(c.start - ctx.expected);
    const pos = 1 / (1 + d / Math.max(100, 2 * m));
    const wp = 5;
    return (wq * qs + wc * cs + wp * pos) / (wq + wc + wp);
  }
}

/**
 * How well the stored prefix and suffix fit beside text[start, end): each side's similarity
 * (1 - edit distance / length, with the far end free), rescaled so that unrelated text (about 0.25
 * similar in practice) counts as nothing; the better side weighs 0.65, the other 0.35. An empty
 * stored side (the document's edge) fits only at the edge.
 */
export function contextSimilarity(prefix: string, suffix: string, text: string, start: number, end: number): number {
  const side = (ctx: string, dir: 1 | -1): number => {
    if (ctx.length === 0) return (dir === -1 ? start === 0 : end === text.length) ? 1 : 0;
    const d = anchoredDistance(ctx, text, dir === -1 ? start : end, dir, Math.min(16, ctx.length));
    const sim = 1 - d / ctx.length;
    return Math.max(0, Math.min(1, (sim - 0.3) / 0.7));
  };
  const p = side(prefix, -1);
  const s = side(suffix, 1);
  return 0.65 * Math.max(p, s) + 0.35 * Math.min(p, s);
}

/** Length of the pieces that let a window be searched fuzzily away from the old place. */
const SEED = 8;

function seedsOf(q: string, ctx: Context): string[] {
  const seeds: string[] = [];
  for (let i = 0; i + SEED <= q.length; i += SEED) seeds.push(q.slice(i, i + SEED));
  if (q.length % SEED !== 0 && q.length >= SEED) seeds.push(q.slice(q.length - SEED));
  const p = ctx.prefix.trimEnd();
  if (p.length >= SEED + 2) seeds.push(p.slice(p.length - SEED - 2));
  const s = ctx.suffix.trimStart();
  if (s.length >= SEED + 2) seeds.push(s.slice(0, SEED + 2));
  return seeds;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

function isHorizontalSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x202f || (c >= 0x2000 && c <= 0x200a);
}
