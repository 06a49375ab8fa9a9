/**
 * Re-anchoring: where do annotations made on one version of a text belong in the next version?
 *
 * Both texts are compared in matching-normalised form (`normalize.ts`: niqqud, cantillation and
 * mark order do not matter, `"` and `״` are alike), and first diffed (`diff.ts`): equal runs, the
 * stretches left unchanged, map positions exactly. Then for each annotation, in order:
 *
 * 1. **Stored position** (`stayed`): the quote still sits at its position mapped through the
 *    change. Most annotations end here at once, because their text lies in an equal run.
 * 2. **Exact quote** (`moved`): the normalised quote near its old place, or (when the passage
 *    left its place) in the changed text, found through an index of 8-character seeds. Never
 *    taken: a copy that is the unchanged image of another old passage (`isForeign`), or text cut
 *    from another old passage that fits it as well (`explainedElsewhere`), or one of two twins
 *    side by side. The rest are scored on prefix and suffix similarity and nearness.
 * 2b. **Edited in place** (`fuzzy`): most of the passage is still there and its stored prefix and
 *    suffix still stand on both sides: the range follows the edits inside it, as an editor would
 *    map it, if at least half of the quote remains.
 * 3. **Fuzzy** (`fuzzy`): bit-parallel approximate search (`bitap.ts`, Myers) of the quote with
 *    up to 25 % errors, near the old place and (when it left) around the seeds' hits in the
 *    changed text; edges snapped to words and cut where they run into another passage's text;
 *    scored on quote similarity (weighted by length), prefix and suffix similarity and position.
 *    Below `FUZZY_THRESHOLD`, or when two distinct places score alike, it is not a match.
 * 4. **Orphan** (`orphaned`): kept with its old quote, never put in a guessed place. Ambiguity
 *    (the same words where another passage could claim them) ends here too.
 *
 * Pure: no I/O; the caller stores the results.
 */
import { anchoredDistance, approxSearch, editDistance, Pattern, type ApproxMatch } from './bitap.js';
import { diffTexts } from './diff.js';
import { changedRegions, foreignLength, isUnchanged, mapOffset, runAtNew, survivingLength, type TextChange } from './mapping.js';
import { SEED, SeedIndex } from './seeds.js';
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
/** Another old passage "explains" a candidate when it fits within this of the annotation (quote + context, out of 2). */
export const EXPLAINED_MARGIN = 0.1;
/**
 * Edited in place: when the text on both sides of the annotation's mapped range is still the
 * stored prefix and suffix (each at least this similar), the range follows the edits inside it
 * (as an editor would map it) provided at least IN_PLACE_MIN_SIMILARITY of the quote remains.
 */
export const IN_PLACE_CONTEXT = 0.8;
export const IN_PLACE_MIN_SIMILARITY = 0.5;
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

/** See explainedElsewhere. */
type Explained = 'theirs' | 'ambiguous' | null;

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
  private oldIndex: SeedIndex | undefined;
  private newIndex: SeedIndex | undefined;
  private readonly movedIn = new Map<number, number[]>();
  /** Characters left for far fuzzy searches (a bound for texts that changed beyond recognition). */
  private farBudget = FAR_BUDGET;

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
      if (isUnchanged(this.change, os, oe)) {
        const placed = this.place(a.id, 'stayed', mapOffset(this.change, os), m, 1, edges);
        if (placed.exact === a.exact || !this.doubtfulTwin(q, os, oe)) return placed;
        // Marks differ and a twin stood beside it (the same words, pointed and unpointed, say)
        // next to an edit: the diff may have kept the twin. The passage as it was, nearby, or nothing.
        const w = 2 * a.exact.length + 256;
        const around = this.newText.slice(Math.max(0, placed.start - w), placed.end + w);
        const i = around.indexOf(a.exact);
        if (i >= 0 && around.indexOf(a.exact, i + 1) < 0) {
          const start = Math.max(0, placed.start - w) + i;
          return { id: a.id, status: 'moved', start, end: start + a.exact.length, exact: a.exact, score: 1 };
        }
        return orphan(0);
      }
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
      for (const found of approxSearch(newT, pattern, k, { from: w.start, to: w.end })) {
        if (this.isForeign(found.start, found.end, os, oe, k)) continue;
        // Another passage's text at its edges (unchanged text from elsewhere, or text moved in)
        // is not part of the match.
        const hit = this.trimAlien(this.snapToWords(found, q, os, oe), q, ctx);
        if (!hit || hit.errors > k) continue;
        const c: Candidate = { ...hit, score: this.score(hit, ctx), local: isLocal(hit) };
        // Text moved in from another old passage that fits it as well is that passage's, even here.
        if (this.explainedElsewhere(c, ctx) !== null) continue;
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
    // Copies of the quote that may as well belong to other passages.
    let copiesElsewhere = false;

    // 2. The exact quote elsewhere.
    const exact: Candidate[] = [];
    const seen = new Set<number>();
    const addExact = (at: number) => {
      if (seen.has(at) || this.isForeign(at, at + m, os, oe, 0)) return;
      seen.add(at);
      exact.push({ start: at, end: at + m, errors: 0, score: 0, local: false });
    };
    // Near the old place, in a wider window than the fuzzy search's (a copy of the passage may
    // have been put where it was, pushing it further).
    const near = { start: Math.max(0, local.start - m - 512), end: Math.min(newT.length, local.end + m + 512) };
    const part = newT.slice(near.start, near.end);
    for (let i = part.indexOf(q); i >= 0 && exact.length < 2000; i = part.indexOf(q, i + 1)) addExact(near.start + i);
    if (left) for (const at of this.farExact(q, ctx)) addExact(at);
    if (exact.length > 0) {
      // Score the nearest few hundred when a short quote occurs very often.
      const pool = exact.length > 400 ? [...exact].sort((x, y) => Math.abs(x.start - expected) - Math.abs(y.start - expected)).slice(0, 400) : exact;
      for (const c of pool) {
        c.score = this.score(c, ctx);
        c.local = isLocal(c);
      }
      pool.sort((x, y) => y.score - x.score || Math.abs(x.start - expected) - Math.abs(y.start - expected));
      // A copy that another old passage (moved or deleted) explains as well is not taken.
      let best: Candidate | undefined;
      for (const c of pool.slice(0, 20)) {
        const other = this.explainedElsewhere(c, ctx);
        if (other === 'ambiguous') copiesElsewhere = true;
        if (other === null && (c.local || !this.twinNearby(q, c))) {
          best = c;
          break;
        }
      }
      // A copy of the quote that may be this passage's as much as another's: any other place
      // found for it would be a guess.
      if (!best && copiesElsewhere) return orphan(pool[0]!.score);
      if (best) {
        // The one copy of the quote that no other passage accounts for, the passage having left its place.
        const onlyCopy = !best.local && left && exact.length === 1 && m >= UNIQUE_MIN_LENGTH;
        if (best.score >= this.exactThreshold || onlyCopy) {
          const score = Math.max(best.score, onlyCopy ? this.exactThreshold : 0);
          if (best.local) return this.place(a.id, 'moved', best.start, m, score, edges);
          // Far away: unless the passage may still be here, edited: then either could be it.
          const here = getLocalFuzzy()[0];
          if (!here || here.score < this.fuzzyThreshold || here.score <= best.score - AMBIGUITY_MARGIN) return this.place(a.id, 'moved', best.start, m, score, edges);
          return orphan(Math.max(here.score, best.score));
        }
        bestRejected = best.score;
      }
    }

    // 2b. Edited in place: more than half of the passage is still there, and the stored context
    // still stands on both sides of its mapped range.
    if (holds && survivingLength(this.change, os, oe) * 2 > oe - os) {
      const ms = mapOffset(this.change, os, 'after');
      const me = mapOffset(this.change, oe, 'before');
      if (me > ms && (me - ms) * m <= 4_000_000) {
        const sides = contextSides(ctx.prefix, ctx.suffix, newT, ms, me);
        if (Math.min(sides.prefix, sides.suffix) >= IN_PLACE_CONTEXT && !this.holdsMovedIn(ms, me, ctx) && !this.cutFromElsewhere(ms, me, ctx)) {
          const errors = editDistance(q, newT.slice(ms, me));
          const qs = 1 - errors / m;
          if (qs >= IN_PLACE_MIN_SIMILARITY) {
            // The range as an editor would have mapped it: its context fits, so it wins over a
            // fuzzy match nearby (which may stretch an edge into the next word).
            return this.place(a.id, 'fuzzy', ms, me - ms, Math.max(this.fuzzyThreshold, this.score({ start: ms, end: me, errors }, ctx)), edges);
          }
        }
      }
    }

    // 3. Fuzzy: near the old place first; over the changed text when that is not convincing.
    if (pattern) {
      const found = [...getLocalFuzzy()];
      if (left && (!found[0] || found[0].score < LOCAL_CONFIDENT)) {
        // Away from the old place, only changed text is searched, and only around a seed: an
        // 8-character piece of the quote, or the end of its prefix or the start of its suffix.
        // (A passage that was moved and also edited in every piece is left an orphan.)
        for (const w of this.farRegions(q, k, ctx, local)) {
          this.farBudget -= (w.end - w.start) * Math.ceil(m / 32);
          if (this.farBudget < 0) break;
          fuzzyIn(w, found);
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
   * Whether some other old passage, moved or deleted, explains the candidate: its new (inserted)
   * text was cut from elsewhere in the old text, and what stood around it there fits the candidate
   * better than the annotation's own quote and context do ('theirs': it is that passage's new
   * place), or as well ('ambiguous': it may be either's). Null when nothing else explains it.
   */
  private explainedElsewhere(c: { start: number; end: number; errors: number }, ctx: Context): Explained {
    const newT = this.newN.text;
    const oldT = this.oldN.text;
    // The whole candidate, word for word, cut from elsewhere (the diff may have lined parts of it
    // up with this passage's old text: a formulaic verse moved onto a deleted one's place).
    if (c.errors > 0 && this.cutFromElsewhere(c.start, c.end, ctx)) return 'theirs';
    // The candidate's largest piece of changed (new) text, and a stretch of at least SEED
    // characters of that changed region to look up.
    const regions = this.changedNew();
    let xs = 0;
    let xe = 0;
    let region: { start: number; end: number } | undefined;
    for (let i = this.regionIndexAfter(c.start); i < regions.length && regions[i]!.start < c.end; i++) {
      const r = regions[i]!;
      const lo = Math.max(r.start, c.start);
      const hi = Math.min(r.end, c.end);
      if (hi - lo > xe - xs) {
        xs = lo;
        xe = hi;
        region = r;
      }
    }
    if (!region || xe - xs < 4) return null;
    let ls = xs;
    let le = xe;
    if (le - ls < SEED) {
      ls = Math.max(region.start, xe - SEED);
      le = Math.min(region.end, ls + SEED);
      if (le - ls < SEED) return null;
    }
    const len = c.end - c.start;
    const cand = newT.slice(c.start, c.end);
    const ours = 1 - c.errors / ctx.m + contextSimilarity(ctx.prefix, ctx.suffix, newT, c.start, c.end);
    let checked = 0;
    let verdict: Explained = null;
    for (const p of this.oldSeeds().find(newT, ls, le)) {
      if (p + (le - ls) > ctx.os - ctx.m && p < ctx.oe + ctx.m) continue; // the annotation's own old text
      if (++checked > 20) break;
      const vs = Math.max(0, p - (ls - c.start));
      const ve = Math.min(oldT.length, vs + len);
      const errors = len <= 600 ? editDistance(oldT.slice(vs, ve), cand) : c.errors;
      // Their context, as long as the annotation's (both normalised from the same 32 characters).
      const theirPrefix = ctx.prefix.length ? oldT.slice(Math.max(0, vs - ctx.prefix.length), vs) : '';
      const theirSuffix = ctx.suffix.length ? oldT.slice(ve, ve + ctx.suffix.length) : '';
      // Text cut verbatim from another passage, which the quote matches only with errors, is that passage.
      const theirQuote = 1 - errors / len;
      if (theirQuote >= 1 - c.errors / ctx.m + EXPLAINED_MARGIN) return 'theirs';
      const theirs = theirQuote + contextSimilarity(theirPrefix, theirSuffix, newT, c.start, c.end);
      if (theirs >= ours + EXPLAINED_MARGIN) return 'theirs';
      if (theirs >= ours - EXPLAINED_MARGIN) verdict = 'ambiguous';
    }
    return verdict;
  }

  /** True when new [start, end) is, word for word, text cut from the old text outside the annotation's place. */
  private cutFromElsewhere(start: number, end: number, ctx: Context): boolean {
    if (end - start < SEED) return false;
    for (const p of this.oldSeeds().find(this.newN.text, start, end)) if (p + (end - start) <= ctx.os || p >= ctx.oe) return true;
    return false;
  }

  /**
   * The changed region of the new text at index `i` (of `changedNew()`), when it is text moved in
   * from elsewhere in the old text (outside the annotation's old place): its old positions.
   */
  private movedInFrom(i: number, ctx: Context): boolean {
    const r = this.changedNew()[i]!;
    if (r.end - r.start < 8) return false;
    let from = this.movedIn.get(i);
    if (!from) {
      // Pieces of its core (the edges may have been aligned with neighbours differently on each
      // side, and the moved text may have been edited too): its start, middle and end.
      const cut = r.end - r.start >= 12 ? 2 : 0;
      const lo = r.start + cut;
      const hi = r.end - cut;
      const piece = Math.min(hi - lo, 16);
      const found = new Set<number>();
      for (const off of new Set([0, (hi - lo - piece) >> 1, hi - lo - piece])) {
        for (const p of this.oldSeeds().find(this.newN.text, lo + off, lo + off + piece)) found.add(p - off - cut);
      }
      from = [...found].slice(0, 8);
      this.movedIn.set(i, from);
    }
    const len = r.end - r.start;
    return from.some((p) => p + len <= ctx.os - ctx.m || p >= ctx.oe + ctx.m);
  }

  /** Index of the first changed region (new side) ending after `pos`. */
  private regionIndexAfter(pos: number): number {
    const regions = this.changedNew();
    let lo = 0;
    let hi = regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (regions[mid]!.end <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when new [start, end) holds, inside it, at least 8 characters of text moved in from elsewhere. */
  private holdsMovedIn(start: number, end: number, ctx: Context): boolean {
    const regions = this.changedNew();
    for (let i = this.regionIndexAfter(start); i < regions.length && regions[i]!.start < end; i++) {
      const r = regions[i]!;
      if (Math.min(end, r.end) - Math.max(start, r.start) >= 8 && this.movedInFrom(i, ctx)) return true;
    }
    return false;
  }

  /**
   * A fuzzy match with its alien edges cut off: a stretch of 4 or more characters at either edge
   * that is unchanged text from outside the annotation's old place, or text moved in from
   * elsewhere. The errors are counted again on what is left; null when nothing is left.
   */
  private trimAlien(hit: ApproxMatch, q: string, ctx: Context): ApproxMatch | null {
    let { start, end } = hit;
    const slack = Math.floor(ctx.m * this.maxErrorRate);
    // The alien stretch beginning (dir 1) or ending (dir -1) at pos, within [start, end): its length, or 0.
    const alienAt = (pos: number, dir: 1 | -1): number => {
      const at = dir === 1 ? pos : pos - 1;
      const run = runAtNew(this.change, at);
      if (run >= 0) {
        const r = this.change.runs[run]!;
        const old = r.a + (at - r.b);
        if (old >= ctx.os - slack && old < ctx.oe + slack) return 0;
        return dir === 1 ? Math.min(end, r.b + r.len) - pos : pos - Math.max(start, r.b);
      }
      const i = this.regionIndexAfter(at);
      const region = this.changedNew()[i];
      if (!region || region.start > at || !this.movedInFrom(i, ctx)) return 0;
      return dir === 1 ? Math.min(end, region.end) - pos : pos - Math.max(start, region.start);
    };
    for (let n = alienAt(start, 1); n >= 4 && start < end; n = alienAt(start, 1)) start += n;
    for (let n = alienAt(end, -1); n >= 4 && end > start; n = alienAt(end, -1)) end -= n;
    if (end <= start) return null;
    // New text at an edge that does not resemble the quote's own edge there (the match stretched
    // over unrelated text to make up for a part that left) is cut off too.
    const t = this.newN.text;
    const regions = this.changedNew();
    const headRegion = regions[this.regionIndexAfter(start)];
    if (headRegion && headRegion.start <= start) {
      const len = Math.min(end, headRegion.end) - start;
      if (len >= 4 && len < end - start && editDistance(t.slice(start, start + len), q.slice(0, len)) * 2 > len) start += len;
    }
    const tailRegion = regions[this.regionIndexAfter(end - 1)];
    if (tailRegion && tailRegion.start <= end - 1) {
      const len = end - Math.max(start, tailRegion.start);
      if (len >= 4 && len < end - start && editDistance(t.slice(end - len, end), q.slice(Math.max(0, q.length - len))) * 2 > len) end -= len;
    }
    if (start === hit.start && end === hit.end) return hit;
    const len = end - start;
    const errors = len * q.length <= 4_000_000 ? editDistance(q, this.newN.text.slice(start, end)) : hit.errors + (hit.end - hit.start - len);
    return { start, end, errors };
  }

  /**
   * A fuzzy match's edges moved (by up to 3 characters) to word boundaries where the quote's were
   * on them in the old text, when that costs no more errors: "amid| the" rather than "amid t|he".
   */
  private snapToWords(hit: ApproxMatch, q: string, os: number, oe: number): ApproxMatch {
    const m = q.length;
    if (m > 400 || m < 4) return hit;
    const oldT = this.oldN.text;
    const t = this.newN.text;
    const startOnBoundary = os === 0 || !isWordChar(oldT.charCodeAt(os - 1)) || !isWordChar(oldT.charCodeAt(os));
    const endOnBoundary = oe >= oldT.length || !isWordChar(oldT.charCodeAt(oe)) || !isWordChar(oldT.charCodeAt(oe - 1));
    const atBoundary = (i: number) => i <= 0 || i >= t.length || !isWordChar(t.charCodeAt(i - 1)) || !isWordChar(t.charCodeAt(i));
    const starts = startOnBoundary && !atBoundary(hit.start) ? nearby(hit.start, atBoundary) : [hit.start];
    const ends = endOnBoundary && !atBoundary(hit.end) ? nearby(hit.end, atBoundary) : [hit.end];
    if (starts.length === 1 && ends.length === 1 && starts[0] === hit.start && ends[0] === hit.end) return hit;
    let best = hit;
    let bestErrors = Infinity;
    for (const s of starts) {
      for (const e of ends) {
        if (e - s < 1) continue;
        const errors = editDistance(q, t.slice(s, e));
        if (errors < bestErrors) {
          bestErrors = errors;
          best = { start: s, end: e, errors };
        }
      }
    }
    return bestErrors <= hit.errors + 1 ? best : hit;
  }

  /**
   * True when old [os, oe) has a twin (the same normalised words) right beside it that was cut
   * from the text: which of the two the diff kept in place is then a guess.
   */
  private doubtfulTwin(q: string, os: number, oe: number): boolean {
    if (q.length < UNIQUE_MIN_LENGTH) return false; // a short word's repeats are no twins
    const t = this.oldN.text;
    const w = 2 * q.length + 64;
    if (isUnchanged(this.change, Math.max(0, os - w), Math.min(t.length, oe + w))) return false;
    const lo = Math.max(0, os - w);
    const around = t.slice(lo, Math.min(t.length, oe + w));
    for (let i = around.indexOf(q); i >= 0; i = around.indexOf(q, i + 1)) {
      const at = lo + i;
      // A twin that was cut: the diff may have kept this one in its place.
      if (at !== os && survivingLength(this.change, at, at + q.length) * 2 < q.length) return true;
    }
    return false;
  }

  /**
   * True when an identical copy of the quote stands right beside a far candidate: which of two
   * side-by-side twins is the one that moved cannot be told from the text, so neither is taken.
   */
  private twinNearby(q: string, c: { start: number; end: number }): boolean {
    const t = this.newN.text;
    // Beside: within the changed text around the candidate, widened by the quote and a little.
    const region = this.changedNew()[this.regionIndexAfter(c.start)];
    const inside = region && region.start <= c.start;
    const lo = (inside ? region.start : c.start) - q.length - 64;
    const hi = (inside ? region.end : c.end) + q.length + 64;
    const around = t.slice(Math.max(0, lo), Math.min(t.length, hi + q.length));
    const at = c.start - Math.max(0, lo);
    for (let i = around.indexOf(q); i >= 0; i = around.indexOf(q, i + 1)) if (i !== at) return true;
    return false;
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
    let lo = expected;
    let hi = expected + m;
    // The image of the old range, unless it swelled (a range inside a long replaced stretch maps
    // onto all of it): then the expected position alone.
    const imageStart = mapOffset(this.change, os, 'before');
    const imageEnd = mapOffset(this.change, oe, 'after');
    if (imageEnd - imageStart <= 4 * m + 256) {
      lo = Math.min(lo, imageStart);
      hi = Math.max(hi, imageEnd);
    }
    return { start: Math.max(0, lo - pad), end: Math.min(len, hi + pad) };
  }

  /** The changed text of the new version (and SEED_MARGIN around it), indexed by seeds. Built on first use. */
  private newSeeds(): SeedIndex {
    this.newIndex ??= new SeedIndex(this.newN.text, this.changedNew(), SEED_MARGIN);
    return this.newIndex;
  }

  /** What was cut or replaced in the old text, indexed by seeds. Built on first use. */
  private oldSeeds(): SeedIndex {
    this.oldIndex ??= new SeedIndex(
      this.oldN.text,
      changedRegions(this.change).map((r) => ({ start: r.oldStart, end: r.oldEnd })).filter((r) => r.end > r.start),
      SEED,
    );
    return this.oldIndex;
  }

  /** Positions in the changed text where `seed` (SEED characters) occurs; empty when it is too common to help. */
  private seedHits(seed: string): number[] {
    return this.newSeeds().find(seed, 0, seed.length);
  }

  /** Where the exact quote occurs in or beside the changed text (found through its pieces, or its context for a short quote). */
  private farExact(q: string, ctx: Context): number[] {
    const t = this.newN.text;
    const out = new Set<number>();
    for (const o of pieceOffsets(q.length)) {
      for (const p of this.seedHits(q.slice(o, o + SEED))) if (t.startsWith(q, p - o)) out.add(p - o);
    }
    const { prefixSeed, suffixSeed } = contextSeeds(ctx);
    if (prefixSeed) for (const p of this.seedHits(prefixSeed)) for (const d of [0, 1]) if (t.startsWith(q, p + SEED + d)) out.add(p + SEED + d);
    if (suffixSeed) for (const p of this.seedHits(suffixSeed)) for (const d of [0, 1]) if (p - d - q.length >= 0 && t.startsWith(q, p - d - q.length)) out.add(p - d - q.length);
    return [...out];
  }

  /** Stretches of the new text, away from `skip`, where a fuzzy match of the quote may lie: around its seeds' hits. */
  private farRegions(q: string, k: number, ctx: Context, skip: Window): Window[] {
    const m = q.length;
    const len = this.newN.text.length;
    const regions: Window[] = [];
    const add = (start: number, end: number) => {
      const w = { start: Math.max(0, start), end: Math.min(len, end) };
      if (w.end > w.start && !(w.start >= skip.start && w.end <= skip.end)) regions.push(w);
    };
    for (const o of pieceOffsets(m)) {
      for (const p of this.seedHits(q.slice(o, o + SEED))) add(p - o - k - 2, p - o + m + k + 2);
    }
    const { prefixSeed, suffixSeed } = contextSeeds(ctx);
    if (prefixSeed) for (const p of this.seedHits(prefixSeed)) add(p + SEED - 2, p + SEED + m + k + 2);
    if (suffixSeed) for (const p of this.seedHits(suffixSeed)) add(p - m - k - 2, p + 2);
    regions.sort((x, y) => x.start - y.start);
    const merged: Window[] = [];
    for (const w of regions) {
      const last = merged[merged.length - 1];
      if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
      else merged.push({ ...w });
    }
    return merged.slice(0, MAX_FAR_REGIONS);
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
  const rescale = (sim: number) => Math.max(0, Math.min(1, (sim - 0.3) / 0.7));
  const sides = contextSides(prefix, suffix, text, start, end);
  const p = rescale(sides.prefix);
  const s = rescale(sides.suffix);
  return 0.65 * Math.max(p, s) + 0.35 * Math.min(p, s);
}

/** Each side's plain similarity (1 - edit distance / length) to the stored prefix and suffix. */
export function contextSides(prefix: string, suffix: string, text: string, start: number, end: number): { prefix: number; suffix: number } {
  const side = (ctx: string, dir: 1 | -1): number => {
    if (ctx.length === 0) return (dir === -1 ? start === 0 : end === text.length) ? 1 : 0;
    const d = anchoredDistance(ctx, text, dir === -1 ? start : end, dir, Math.min(16, ctx.length));
    return 1 - d / ctx.length;
  };
  return { prefix: side(prefix, -1), suffix: side(suffix, 1) };
}

/** The new text's seed index covers changed text and this much around it. */
const SEED_MARGIN = 64;
/** At most this many far stretches are searched per annotation. */
const MAX_FAR_REGIONS = 128;
/** Characters scanned by far fuzzy searches, all annotations together (about a second's work). */
const FAR_BUDGET = 50_000_000;

/** Offsets of the quote's seeds: every SEED characters, and the last SEED. */
function pieceOffsets(m: number): number[] {
  const out: number[] = [];
  for (let o = 0; o + SEED <= m; o += SEED) out.push(o);
  if (m > SEED && m % SEED !== 0) out.push(m - SEED);
  return out;
}

/** The last SEED characters of the prefix and the first SEED of the suffix (whitespace at the quote's side trimmed). */
function contextSeeds(ctx: Context): { prefixSeed: string | undefined; suffixSeed: string | undefined } {
  const p = ctx.prefix.trimEnd();
  const s = ctx.suffix.trimStart();
  return { prefixSeed: p.length >= SEED ? p.slice(p.length - SEED) : undefined, suffixSeed: s.length >= SEED ? s.slice(0, SEED) : undefined };
}

/** Letters and digits (any script): what a word is made of. */
function isWordChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x5d0 && c <= 0x5ea) ||
    (c >= 0x370 && c <= 0x4ff)
  );
}

/** Positions within 3 of `at` that satisfy `ok`, nearest first (`at` itself when none do). */
function nearby(at: number, ok: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let d = 1; d <= 3; d++) for (const i of [at - d, at + d]) if (ok(i)) out.push(i);
  return out.length ? out : [at];
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

function isHorizontalSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x202f || (c >= 0x2000 && c <= 0x200a);
}
