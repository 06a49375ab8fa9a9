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
 *    nearness to the position. A tie that nothing breaks takes the first, marked doubtful.
 * 2. No exact occurrence: the bit-parallel approximate search of the anchoring engine (`bitap.ts`)
 *    with up to 25 % errors, scored on quote similarity, context and nearness like the engine's
 *    fuzzy step; below 0.75, or with two distinct places within 0.03, it is no match.
 * 3. Otherwise nothing: the caller keeps the annotation as detached, with its quote.
 */
import { contextSides, FUZZY_MIN_LENGTH, FUZZY_THRESHOLD, AMBIGUITY_MARGIN, MAX_ERROR_RATE } from '../../common/anchor/anchor.js';
import { approxSearch, Pattern } from '../../common/anchor/bitap.js';
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
  | { kind: 'approximate'; start: number; end: number; score: number; how: string }
  | { kind: 'none'; reason: string };

/** Occurrences scored per quote, at most (a one-letter quote in a book). */
const MAX_OCCURRENCES = 5000;
/** Characters the fuzzy searches of one text may scan in all, times the pattern's 32-bit blocks (about a second). */
const FUZZY_BUDGET = 200_000_000;
/** Scores closer than this are equal. */
const EPSILON = 1e-9;

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
      return { kind: 'none', reason: target.hint ? 'its position is outside the text and it has no quote to look for' : 'it has neither a quote nor a position' };
    }
    const q = normalizeText(target.exact).trim();
    if (q === '') return { kind: 'none', reason: 'its quote is only whitespace' };
    const T = this.n.text;
    const prefix = target.prefix === undefined ? undefined : normalizeText(target.prefix);
    const suffix = target.suffix === undefined ? undefined : normalizeText(target.suffix);
    const hintAt = hint ? toNormalized(this.n, hint.start) : undefined;
    const m = q.length;

    // 1. The exact words.
    const found: Scored[] = [];
    let count = 0;
    for (let i = T.indexOf(q); i >= 0; i = T.indexOf(q, i + 1)) {
      count++;
      if (found.length >= MAX_OCCURRENCES) continue;
      const range = this.toOriginal(i, i + m, target.exact);
      found.push({
        at: i,
        ...range,
        context: contextFit(prefix, suffix, T, i, i + m),
        raw: text.slice(range.start, range.end) === target.exact,
        distance: hintAt === undefined ? 0 : Math.abs(i - hintAt),
      });
    }
    if (found.length > 0) {
      found.sort((a, b) => b.context - a.context || Number(b.raw) - Number(a.raw) || a.distance - b.distance || a.at - b.at);
      const best = found[0]!;
      const rivals = found.filter((c) => c !== best && Math.abs(c.context - best.context) < EPSILON && c.raw === best.raw);
      if (rivals.length === 0) {
        const how = count === 1 ? 'by its quote' : `by its quote and context (the quote occurs ${count} times)`;
        return { kind: 'exact', start: best.start, end: best.end, how: best.raw ? how : `${how}, ignoring niqqud and Unicode normalisation` };
      }
      if (hintAt !== undefined && rivals.every((r) => r.distance > best.distance)) {
        return { kind: 'exact', start: best.start, end: best.end, how: `by its quote; its position chose among ${rivals.length + 1} places whose context fits alike` };
      }
      // The words are exact; which of their places is not certain: said, not hidden.
      return {
        kind: 'exact',
        start: best.start,
        end: best.end,
        doubtful: true,
        how: `the quote occurs ${count} times and ${prefix === undefined && suffix === undefined ? 'the file gives no context' : 'its context fits ' + (rivals.length + 1) + ' of them alike'}${hintAt === undefined ? '' : ' at the same distance from its position'}; took the first`,
      };
    }

    // 2. Approximate: the anchoring engine's bit-parallel search over the whole text.
    if (m < FUZZY_MIN_LENGTH) return { kind: 'none', reason: `its quote ${JSON.stringify(target.exact)} is not in the text` };
    const k = Math.floor(m * MAX_ERROR_RATE);
    const cost = T.length * Math.ceil(m / 32);
    if (cost > this.budget) return { kind: 'none', reason: 'its quote is not in the text word for word, and the time set for approximate searches in this text is spent' };
    this.budget -= cost;
    const candidates: (Scored & { score: number; errors: number })[] = [];
    for (const hit of approxSearch(T, new Pattern(q), k)) {
      let { start, end } = hit;
      while (start < end && T.charCodeAt(start) === 0x20) start++;
      while (end > start && T.charCodeAt(end - 1) === 0x20) end--;
      if (end <= start) continue;
      const range = this.toOriginal(start, end, target.exact);
      const context = contextFit(prefix, suffix, T, start, end);
      const distance = hintAt === undefined ? 0 : Math.abs(start - hintAt);
      candidates.push({ at: start, ...range, context, raw: false, distance, errors: hit.errors, score: fuzzyScore(m, hit.errors, context, prefix !== undefined || suffix !== undefined, hintAt === undefined ? undefined : distance) });
    }
    candidates.sort((a, b) => b.score - a.score || a.distance - b.distance);
    const best = candidates[0];
    if (!best) return { kind: 'none', reason: `its quote is not in the text, not even with ${Math.round(MAX_ERROR_RATE * 100)} % of its letters changed` };
    const rival = candidates.find((c) => c !== best && (c.end <= best.start || c.start >= best.end) && best.score - c.score < AMBIGUITY_MARGIN);
    if (best.score < FUZZY_THRESHOLD) return { kind: 'none', reason: `its quote is not in the text; the closest passage fits ${best.score.toFixed(2)} (${FUZZY_THRESHOLD} needed)` };
    if (rival) return { kind: 'none', reason: `its quote is not in the text word for word, and two passages fit it alike (${best.score.toFixed(2)}, ${rival.score.toFixed(2)})` };
    return { kind: 'approximate', start: best.start, end: best.end, score: best.score, how: `by an approximate match of its quote (${best.errors} of ${m} characters differ; fit ${best.score.toFixed(2)})` };
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
 * How well the text beside [start, end) fits the quote's context: the mean similarity of the sides
 * the file gives (an empty side fits only at the text's edge); 0 when it gives none.
 */
function contextFit(prefix: string | undefined, suffix: string | undefined, text: string, start: number, end: number): number {
  if (prefix === undefined && suffix === undefined) return 0;
  const sides = contextSides(prefix ?? '', suffix ?? '', text, start, end);
  if (prefix === undefined) return sides.suffix;
  if (suffix === undefined) return sides.prefix;
  return (sides.prefix + sides.suffix) / 2;
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
