/**
 * Where a passage annotated in another tool belongs in a Gloss text. The quote decides; a position
 * only hints: it was counted in the other tool's text (a web page's DOM, an earlier version, a PDF's
 * text layer), so it breaks ties between equally good places and never outvotes the words.
 *
 * Text and quote are compared in the re-anchoring engine's matching form (`anchor/normalize.ts`):
 * niqqud, cantillation and mark order (NFC, NFD, source order) do not matter, nor do `"` / `״`
 * and runs of whitespace. So a quote without niqqud finds the pointed text, and a text normalised
 * to NFC still holds the quote taken from its source-order copy.
 *
 * 1. Every exact (normalised) occurrence is scored on how well the text beside it fits the
 *    quote's prefix and suffix; then an occurrence whose raw characters equal the quote's; then
 *    nearness to the position. A tie that nothing breaks takes the first, marked doubtful. When
 *    the best place's context does not fit (the passage was edited where it was, and the same
 *    words stand elsewhere), a close match in the fitting context wins if it scores higher.
 * 2. No exact occurrence: the bit-parallel approximate search of the anchoring engine (`bitap.ts`)
 *    with up to 25 % errors, scored on quote similarity, context and nearness like the engine's
 *    fuzzy step; below 0.75, or with two distinct places within 0.03, it is no match.
 * 3. Otherwise nothing: the caller keeps the annotation as detached, with its quote.
 */
import { contextSides, FUZZY_MIN_LENGTH, FUZZY_THRESHOLD, AMBIGUITY_MARGIN, MAX_ERROR_RATE } from '../../common/anchor/anchor.js';
import { approxSearch, Pattern } from '../../common/anchor/bitap.js';
import type { NoteWhy } from '../../common/errors.js';
import { edgeSpaces, normalize, normalizeText, originalRange, toNormalized, type Normalized } from '../../common/anchor/normalize.js';

export interface QuoteTarget {
  /** The quoted words; absent when the tool gave only a position. */
  exact?: string | undefined;
  /** The words before and after; undefined when the tool gave none (not the same as '' at the text's edge). */
  prefix?: string | undefined;
  suffix?: string | undefined;
  /** The tool's position, already converted to UTF-16 offsets of this text. */
  hint?: { start: number; end: number } | undefined;
}

export type Placement =
  | { kind: 'exact'; start: number; end: number; how: string; /** One of several places that fit alike. */ doubtful?: boolean }
  | { kind: 'approximate'; start: number; end: number; score: number; how: string; why: NoteWhy }
  | { kind: 'none'; reason: string; why: NoteWhy };

const why = (code: NoteWhy['code'], params: NoteWhy['params'] = {}): NoteWhy => ({ code, params });
const fit = (score: number) => Number(score.toFixed(2));

/** Characters the fuzzy searches of one text may scan in all, times the pattern's 32-bit blocks (about a second). */
const FUZZY_BUDGET = 200_000_000;
/** Scores closer than this are equal. */
const EPSILON = 1e-9;
/** Occurrences of a quote scored in full (the rest are ranked by matching characters only). */
const FINALISTS = 16;
/** Context fit below this does not vouch for a place: a close match in a fitting context is looked for. */
const CONTEXT_FITS = 0.6;

interface Scored {
  at: number;
  start: number;
  end: number;
  context: number;
  raw: boolean;
  distance: number;
}

/** One text, prepared once for placing many quotes. */
export class QuotePlacer {
  private normalized: Normalized | undefined;
  private budget = FUZZY_BUDGET;

  constructor(readonly text: string) {}

  private get n(): Normalized {
    this.normalized ??= normalize(this.text);
    return this.normalized;
  }

  /** Whether the text holds the quote's words (in matching form). */
  contains(quote: string): boolean {
    const q = normalizeText(quote).trim();
    return q !== '' && this.n.text.includes(q);
  }

  place(target: QuoteTarget): Placement {
    const text = this.text;
    const hint = target.hint && target.hint.start >= 0 && target.hint.end <= text.length && target.hint.end >= target.hint.start ? target.hint : undefined;
    if (target.exact === undefined || target.exact === '') {
      if (hint && hint.end > hint.start) return { kind: 'exact', start: hint.start, end: hint.end, how: 'by its position (it has no quote)' };
      return target.hint ? { kind: 'none', reason: 'its position is outside the text and it has no quote to look for', why: why('position-outside') } : { kind: 'none', reason: 'it has neither a quote nor a position', why: why('no-quote-no-position') };
    }
    const q = normalizeText(target.exact).trim();
    if (q === '') return { kind: 'none', reason: 'its quote is only whitespace', why: why('quote-whitespace') };
    const T = this.n.text;
    const prefix = target.prefix === undefined ? undefined : normalizeText(target.prefix);
    const suffix = target.suffix === undefined ? undefined : normalizeText(target.suffix);
    const hintAt = hint ? toNormalized(this.n, hint.start) : undefined;
    const m = q.length;

    // 1. The exact words. Every occurrence is ranked by how many characters of the context
    // match beside it (cheap); the best few are scored properly (edit distance of each side).
    // Only the best few by that ranking (and the one nearest the position) are kept, however
    // often a short quote occurs; how many tie at the best ranking is counted.
    type Occurrence = { at: number; near: number; distance: number };
    const byRank = (a: Occurrence, b: Occurrence) => b.near - a.near || a.distance - b.distance || a.at - b.at;
    let top: Occurrence[] = [];
    let nearest: Occurrence | undefined;
    let count = 0;
    let maxNear = -1;
    let atMax = 0;
    for (let i = T.indexOf(q); i >= 0; i = T.indexOf(q, i + 1)) {
      count++;
      const o: Occurrence = { at: i, near: sameChars(prefix, suffix, T, i, i + m), distance: hintAt === undefined ? 0 : Math.abs(i - hintAt) };
      if (o.near > maxNear) {
        maxNear = o.near;
        atMax = 1;
      } else if (o.near === maxNear) atMax++;
      if (hintAt !== undefined && (!nearest || o.distance < nearest.distance)) nearest = o;
      top.push(o);
      if (top.length >= 4 * FINALISTS) top = top.sort(byRank).slice(0, FINALISTS);
    }
    const hasContext = prefix !== undefined || suffix !== undefined;
    if (count > 0) {
      top.sort(byRank);
      const finalists = new Set(top.slice(0, FINALISTS));
      if (nearest) finalists.add(nearest);
      const found: (Scored & { near: number })[] = [...finalists].map(({ at, distance, near }) => {
        const range = this.toOriginal(at, at + m, target.exact!);
        return { at, ...range, near, context: contextFit(prefix, suffix, T, at, at + m), raw: text.slice(range.start, range.end) === target.exact, distance };
      });
      found.sort((a, b) => b.context - a.context || Number(b.raw) - Number(a.raw) || a.distance - b.distance || a.at - b.at);
      const best = found[0]!;
      // Context that does not fit: the passage may have been edited where it was, and these
      // words found elsewhere; a close match in the right context beats them.
      if (hasContext && best.context < CONTEXT_FITS) {
        const exactScore = fuzzyScore(m, 0, best.context, true, hintAt === undefined ? undefined : best.distance);
        const fuzzy = this.fuzzy(q, target.exact, prefix, suffix, hintAt);
        if (fuzzy && 'score' in fuzzy && fuzzy.errors > 0 && fuzzy.score > exactScore && fuzzy.score >= FUZZY_THRESHOLD) {
          return { kind: 'approximate', start: fuzzy.start, end: fuzzy.end, score: fuzzy.score, how: `by an approximate match of its quote in its context (${fuzzy.errors} of ${m} characters differ; fit ${fuzzy.score.toFixed(2)}), rather than the same words where the context does not fit (${best.context.toFixed(2)})`, why: why('approximate', { errors: fuzzy.errors, length: m, score: fit(fuzzy.score) }) };
        }
      }
      // Places as good as the best: scored ones that fit alike, and (when the best matched the
      // context character for character as far as any) unscored ones that matched as far.
      const rivals = found.filter((c) => c !== best && Math.abs(c.context - best.context) < EPSILON && c.raw === best.raw).length;
      const unscored = best.near === maxNear ? atMax - [...finalists].filter((o) => o.near === maxNear).length : 0;
      const alike = rivals + unscored;
      const poor = hasContext && best.context < CONTEXT_FITS ? `; its context does not fit there (${best.context.toFixed(2)})` : '';
      const doubt = poor ? { doubtful: true as const } : {};
      if (alike === 0) {
        const how = count === 1 ? 'by its quote' : `by its quote and context (the quote occurs ${count} times)`;
        return { kind: 'exact', start: best.start, end: best.end, how: `${how}${best.raw ? '' : ', ignoring niqqud and Unicode normalisation'}${poor}`, ...doubt };
      }
      // The position is a hint: enough to choose among places the words and context cannot tell apart.
      if (nearest && best.at === nearest.at) {
        return { kind: 'exact', start: best.start, end: best.end, how: `by its quote; its position chose among ${alike + 1} places whose context fits alike${poor}`, ...doubt };
      }
      // The words are exact; which of their places is not certain: said, not hidden.
      return {
        kind: 'exact',
        start: best.start,
        end: best.end,
        doubtful: true,
        how: `the quote occurs ${count} times and ${hasContext ? `its context fits ${alike + 1} of them alike` : 'the file gives no context'}${hintAt === undefined ? '' : ', none at its position'}; took the first`,
      };
    }

    // 2. Approximate: the anchoring engine's bit-parallel search over the whole text.
    if (m < FUZZY_MIN_LENGTH) return { kind: 'none', reason: `its quote ${JSON.stringify(target.exact)} is not in the text`, why: why('quote-not-found', { quote: target.exact }) };
    const best = this.fuzzy(q, target.exact, prefix, suffix, hintAt);
    if (!best) return { kind: 'none', reason: 'its quote is not in the text word for word, and the time set for approximate searches in this text is spent', why: why('quote-search-spent') };
    if ('reason' in best) return { kind: 'none', reason: best.reason, why: best.why };
    return { kind: 'approximate', start: best.start, end: best.end, score: best.score, how: `by an approximate match of its quote (${best.errors} of ${m} characters differ; fit ${best.score.toFixed(2)})`, why: why('approximate', { errors: best.errors, length: m, score: fit(best.score) }) };
  }

  /**
   * The best approximate place of a normalised quote (up to 25 % errors), scored like the
   * anchoring engine's fuzzy step; the reason when there is none; undefined when the time set
   * for approximate searches in this text is spent.
   */
  private fuzzy(q: string, exact: string, prefix: string | undefined, suffix: string | undefined, hintAt: number | undefined): (Scored & { score: number; errors: number }) | { reason: string; why: NoteWhy } | undefined {
    const T = this.n.text;
    const m = q.length;
    if (m < FUZZY_MIN_LENGTH) return { reason: `its quote ${JSON.stringify(exact)} is not in the text`, why: why('quote-not-found', { quote: exact }) };
    const cost = T.length * Math.ceil(m / 32);
    if (cost > this.budget) return undefined;
    this.budget -= cost;
    const candidates: (Scored & { score: number; errors: number })[] = [];
    for (const hit of approxSearch(T, new Pattern(q), Math.floor(m * MAX_ERROR_RATE))) {
      let { start, end } = hit;
      while (start < end && T.charCodeAt(start) === 0x20) start++;
      while (end > start && T.charCodeAt(end - 1) === 0x20) end--;
      if (end <= start) continue;
      const range = this.toOriginal(start, end, exact);
      const context = contextFit(prefix, suffix, T, start, end);
      const distance = hintAt === undefined ? 0 : Math.abs(start - hintAt);
      candidates.push({ at: start, ...range, context, raw: false, distance, errors: hit.errors, score: fuzzyScore(m, hit.errors, context, prefix !== undefined || suffix !== undefined, hintAt === undefined ? undefined : distance) });
    }
    candidates.sort((a, b) => b.score - a.score || a.distance - b.distance);
    const best = candidates[0];
    if (!best) return { reason: `its quote is not in the text, not even with ${Math.round(MAX_ERROR_RATE * 100)} % of its letters changed`, why: why('quote-not-found', { quote: exact }) };
    const rival = candidates.find((c) => c !== best && (c.end <= best.start || c.start >= best.end) && best.score - c.score < AMBIGUITY_MARGIN);
    if (best.score < FUZZY_THRESHOLD) return { reason: `its quote is not in the text; the closest passage fits ${best.score.toFixed(2)} (${FUZZY_THRESHOLD} needed)`, why: why('quote-not-close', { score: fit(best.score), needed: FUZZY_THRESHOLD }) };
    if (rival) return { reason: `its quote is not in the text word for word, and two passages fit it alike (${best.score.toFixed(2)}, ${rival.score.toFixed(2)})`, why: why('quote-rivals', { score: fit(best.score), rival: fit(rival.score) }) };
    return best;
  }

  /** A normalised range in the original text, with the spaces at the quote's edges given back and its raw form preferred nearby. */
  private toOriginal(ns: number, ne: number, exact: string): { start: number; end: number } {
    const text = this.text;
    const r = originalRange(this.n, text, ns, ne);
    const edges = edgeSpaces(exact);
    if (edges.lead) while (r.start > 0 && isHorizontalSpace(text.charCodeAt(r.start - 1))) r.start--;
    if (edges.trail) while (r.end < text.length && isHorizontalSpace(text.charCodeAt(r.end))) r.end++;
    if (text.slice(r.start, r.end) !== exact) {
      // The quote's raw characters a little off the mapped range (a quote starting on a mark).
      const i = text.indexOf(exact, Math.max(0, r.start - 8));
      if (i >= 0 && i <= r.start + 8) return { start: i, end: i + exact.length };
    }
    return r;
  }
}

/**
 * Characters of the context that match right beside [start, end): a cheap first ranking. Spaces
 * at the seam are skipped on both sides (the quote was trimmed; its edge space may be the
 * context's).
 */
function sameChars(prefix: string | undefined, suffix: string | undefined, text: string, start: number, end: number): number {
  let n = 0;
  if (prefix) {
    let p = prefix.length - 1;
    let t = start - 1;
    while (p >= 0 && isSpace(prefix.charCodeAt(p))) p--;
    while (t >= 0 && isSpace(text.charCodeAt(t))) t--;
    for (; p >= 0 && t >= 0 && text.charCodeAt(t) === prefix.charCodeAt(p); p--, t--) n++;
  }
  if (suffix) {
    let p = 0;
    let t = end;
    while (p < suffix.length && isSpace(suffix.charCodeAt(p))) p++;
    while (t < text.length && isSpace(text.charCodeAt(t))) t++;
    for (; p < suffix.length && t < text.length && text.charCodeAt(t) === suffix.charCodeAt(p); p++, t++) n++;
  }
  return n;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a;
}

/**
 * How well the text beside [start, end) fits the quote's context, in [0, 1]: each side the file
 * gives, as its similarity rescaled the way the anchoring engine does (unrelated text, about 0.3
 * similar, counts as nothing), averaged; an empty side fits only at the text's edge; 0 when the
 * file gives no context.
 */
function contextFit(prefix: string | undefined, suffix: string | undefined, text: string, start: number, end: number): number {
  if (prefix === undefined && suffix === undefined) return 0;
  const sides = contextSides(prefix ?? '', suffix ?? '', text, start, end);
  const rescale = (sim: number) => Math.max(0, Math.min(1, (sim - 0.3) / 0.7));
  if (prefix === undefined) return rescale(sides.suffix);
  if (suffix === undefined) return rescale(sides.prefix);
  return (rescale(sides.prefix) + rescale(sides.suffix)) / 2;
}

/** The anchoring engine's fuzzy score: quote similarity (weighted by length), context, nearness. */
function fuzzyScore(m: number, errors: number, context: number, hasContext: boolean, distance: number | undefined): number {
  const qs = Math.max(0, 1 - errors / m);
  const wq = 50 * Math.min(2, Math.max(0.5, m / 32));
  const wc = hasContext ? 40 : 0;
  const wp = distance === undefined ? 0 : 5;
  const pos = distance === undefined ? 0 : 1 / (1 + distance / Math.max(100, 2 * m));
  return (wq * qs + wc * context + wp * pos) / (wq + wc + wp);
}

function isHorizontalSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x202f || (c >= 0x2000 && c <= 0x200a);
}
