/**
 * Hebrew stored in visual order. Some producers write each Hebrew line reversed (the glyphs in the
 * order they stand on the page, left to right) in a way pdf.js cannot see, so the text comes out
 * backwards: "םולש" for "שלום". Hebrew spelling gives it away: the final forms ך ם ן ף ץ end a
 * word and the forms כ מ נ פ צ never do, so reversed text has words starting with a final form
 * and ending with a plain one. A page whose words show that far more often than the right way
 * round is read backwards again, line by line: a right-to-left line is reversed as a whole and
 * each run of digits or Latin letters in it is turned back, so "1948" and "Hello World" keep their
 * order; on a left-to-right line, only each Hebrew stretch is reversed.
 */
import type { Direction } from '../../../common/model.js';

const FINALS = 'ךםןףץ';
const PLAIN = 'כמנפצ';
const HEBREW_WORD = /[\u05D0-\u05EA][\u05D0-\u05EA\u0591-\u05C7\u05F3\u05F4"']*[\u05D0-\u05EA]/gu;
const LETTERS = /[\u05D0-\u05EA]/gu;

/** Evidence for the two readings in a text: words that only make sense one way round. */
export interface OrderEvidence {
  /** Words that read right as they stand (final form last, or a plain form first). */
  logical: number;
  /** Words that read right only backwards (final form first, or a plain form last). */
  reversed: number;
}

export function orderEvidence(text: string, into: OrderEvidence = { logical: 0, reversed: 0 }): OrderEvidence {
  for (const m of text.matchAll(HEBREW_WORD)) {
    const letters = m[0].match(LETTERS);
    if (!letters || letters.length < 2) continue;
    const first = letters[0]!;
    const last = letters[letters.length - 1]!;
    if (FINALS.includes(last) || PLAIN.includes(first)) into.logical++;
    if (FINALS.includes(first) || PLAIN.includes(last)) into.reversed++;
  }
  return into;
}

/** At least this many words must read right only backwards, and three times as many as the other way. */
const MIN_REVERSED = 4;
const MARGIN = 3;

export function looksReversed(e: OrderEvidence): boolean {
  return e.reversed >= MIN_REVERSED && e.reversed >= MARGIN * e.logical;
}

const LTR_RUN = /[\p{Nd}A-Za-z\u00C0-\u024F][\p{Nd}A-Za-z\u00C0-\u024F\p{M}.,:/%\-–'’ ]*[\p{Nd}A-Za-z\u00C0-\u024F\p{M}]|[\p{Nd}A-Za-z\u00C0-\u024F]/gu;
const HEBREW_RUN = /[\u0590-\u05FF\uFB1D-\uFB4F][\u0590-\u05FF\uFB1D-\uFB4F\s"'׳״,.\-־]*[\u0590-\u05FF\uFB1D-\uFB4F]|[\u0590-\u05FF\uFB1D-\uFB4F]/gu;

/** Reverses by code points, so letters outside the BMP stay whole. */
function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}

const MIRROR: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«' };

/** A line read backwards again; see the module comment. */
export function repairLine(text: string, dir: Direction): string {
  if (dir === 'rtl') {
    const flipped = reverse(text).replace(/[()[\]{}<>«»]/gu, (c) => MIRROR[c] ?? c);
    return flipped.replace(LTR_RUN, (run) => reverse(run));
  }
  return text.replace(HEBREW_RUN, (run) => reverse(run));
}
