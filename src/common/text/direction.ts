/** Bidi helpers: the base direction of a run of text from its strong characters (UAX #9 P2/P3, simplified). */
import type { Direction, Language } from '../model.js';

// Strong right-to-left: Hebrew, Arabic, Syriac, Thaana, NKo ... and the presentation forms.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
// Strong left-to-right: Latin, Greek, Cyrillic and other letters outside the RTL blocks.
const LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u1E00-\u1FFF]/u;

/** Direction of the first strong character, or null when the text has none. */
export function firstStrongDirection(text: string): Direction | null {
  for (const ch of text) {
    if (RTL.test(ch) && !isMark(ch.charCodeAt(0))) return 'rtl';
    if (LTR.test(ch)) return 'ltr';
  }
  return null;
}

/** Counts of strong RTL and LTR letters (a char-code loop: this runs over every imported byte). */
export function strongCounts(text: string): { rtl: number; ltr: number } {
  let rtl = 0;
  let ltr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) ltr++;
    } else if ((c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff)) {
      if (!isMark(c)) rtl++;
    } else if ((c >= 0x00c0 && c <= 0x024f && c !== 0xd7 && c !== 0xf7) || (c >= 0x0370 && c <= 0x03ff) || (c >= 0x0400 && c <= 0x04ff) || (c >= 0x1e00 && c <= 0x1fff)) {
      ltr++;
    }
  }
  return { rtl, ltr };
}

/** Hebrew points and accents are not letters: they carry no direction of their own (class NSM). */
function isMark(c: number): boolean {
  return (c >= 0x0591 && c <= 0x05bd) || c === 0x05bf || c === 0x05c1 || c === 0x05c2 || c === 0x05c4 || c === 0x05c5 || c === 0x05c7;
}

/**
 * The base direction of a block. Unlike the bare P2 rule this weighs the letters: a Hebrew
 * paragraph that opens with a Latin run (`NEWS: ...`) is still right-to-left, because the
 * reader's eye follows the language of most of its words.
 */
export function blockDirection(text: string, fallback: Direction = 'ltr'): Direction {
  const { rtl, ltr } = strongCounts(text);
  if (rtl === 0 && ltr === 0) return fallback;
  if (rtl === 0) return 'ltr';
  if (ltr === 0) return 'rtl';
  return rtl >= ltr ? 'rtl' : 'ltr';
}

/** A document's language from its letters: `mixed` when the minority script holds at least 20 %. */
export function documentLanguage(texts: Iterable<string>): Language {
  let rtl = 0;
  let ltr = 0;
  for (const t of texts) {
    const c = strongCounts(t);
    rtl += c.rtl;
    ltr += c.ltr;
  }
  return languageOf(rtl, ltr);
}

/** The language that strong letter counts (see `strongCounts`) give. */
export function languageOf(rtl: number, ltr: number): Language {
  const total = rtl + ltr;
  if (total === 0) return 'en';
  const minority = Math.min(rtl, ltr) / total;
  if (minority >= 0.2) return 'mixed';
  return rtl > ltr ? 'he' : 'en';
}

/** True when the character is a Hebrew letter (not a mark, not punctuation). */
export function isHebrewLetter(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x05d0 && c <= 0x05ea) || (c >= 0x05ef && c <= 0x05f2) || (c >= 0xfb1d && c <= 0xfb4f);
}
