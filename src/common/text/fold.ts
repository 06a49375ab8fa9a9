/**
 * Hebrew-aware folding for search and matching, with a map back to the original offsets.
 *
 * Folding: NFC is implied (marks are dropped, so their order cannot matter); Hebrew niqqud and
 * cantillation are removed; presentation forms (U+FB1D..U+FB4F) become their base letters;
 * gershayim, geresh and ASCII quotes between Hebrew letters (acronyms such as צה"ל, צה״ל) are
 * removed; maqaf and no-break spaces become plain spaces; Latin is lower-cased and its combining
 * marks removed. FTS5's own tokenizer cannot do this: it splits pointed words at every mark and
 * its `remove_diacritics` folds Latin only.
 */
import { isHebrewLetter } from './direction.js';

export interface Folded {
  text: string;
  /** For each UTF-16 index of `text` (and one past its end) the index in the original. */
  map: Uint32Array;
}

/** Hebrew points and accents, and generic combining marks. */
export function isFoldedMark(code: number): boolean {
  return (
    (code >= 0x0591 && code <= 0x05bd) ||
    code === 0x05bf ||
    code === 0x05c1 ||
    code === 0x05c2 ||
    code === 0x05c4 ||
    code === 0x05c5 ||
    code === 0x05c7 ||
    (code >= 0x0300 && code <= 0x036f) ||
    code === 0x200c ||
    code === 0x200d ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

const QUOTES = new Set(['"', "'", '\u05f4', '\u05f3', '\u2019', '\u201d']);
const SPACES = new Set(['\u00a0', '\u05be', '\u2007', '\u202f', '\t']);

function previousLetter(text: string, i: number): string {
  for (let j = i - 1; j >= 0; j--) {
    if (!isFoldedMark(text.charCodeAt(j))) return text[j]!;
  }
  return '';
}

function nextLetter(text: string, i: number): string {
  for (let j = i + 1; j < text.length; j++) {
    if (!isFoldedMark(text.charCodeAt(j))) return text[j]!;
  }
  return '';
}

/** Folds one character (no context); returns '' to drop it. */
function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (isFoldedMark(code)) return '';
  if (SPACES.has(ch)) return ' ';
  if (code >= 0xfb1d && code <= 0xfb4f) {
    // Presentation forms: decompose, keep the letters only.
    let out = '';
    for (const c of ch.normalize('NFKD')) if (!isFoldedMark(c.charCodeAt(0))) out += c;
    return out;
  }
  if (code < 0x80) return ch.toLowerCase();
  if (code >= 0x00c0 && code <= 0x024f) {
    let out = '';
    for (const c of ch.normalize('NFD')) if (!isFoldedMark(c.charCodeAt(0))) out += c;
    return out.toLowerCase();
  }
  return ch.toLowerCase();
}

/** Folds a text and keeps, for every folded position, its original offset. */
export function fold(text: string): Folded {
  // Hot path of import and search: char codes into typed arrays, strings built once at the end.
  const n = text.length;
  let codes = new Uint16Array(n + 8);
  let map = new Uint32Array(n + 9);
  let len = 0;
  const push = (code: number, from: number) => {
    if (len >= codes.length) {
      const bigger = new Uint16Array(codes.length * 2);
      bigger.set(codes);
      codes = bigger;
      const biggerMap = new Uint32Array(codes.length + 1);
      biggerMap.set(map);
      map = biggerMap;
    }
    codes[len] = code;
    map[len++] = from;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x22 || c === 0x27) {
        if (isHebrewLetter(previousLetter(text, i)) && isHebrewLetter(nextLetter(text, i))) continue;
        push(c, i);
      } else if (c === 0x09) push(0x20, i);
      else push(c >= 0x41 && c <= 0x5a ? c + 32 : c, i);
      continue;
    }
    if (c >= 0x05d0 && c <= 0x05ea) {
      push(c, i); // Hebrew letters: the bulk of a Hebrew text
      continue;
    }
    const ch = text[i]!;
    if (QUOTES.has(ch) && isHebrewLetter(previousLetter(text, i)) && isHebrewLetter(nextLetter(text, i))) continue;
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) push(f.charCodeAt(k), i);
  }
  map[len] = n;
  let out = '';
  for (let i = 0; i < len; i += 8192) out += String.fromCharCode.apply(null, codes.subarray(i, Math.min(len, i + 8192)) as unknown as number[]);
  return { text: out, map: map.slice(0, len + 1) };
}

/** The folded text alone (for queries and index shadows). */
export function foldText(text: string): string {
  return fold(text).text;
}

/** Maps a folded range back to the original text's range. */
export function unfoldRange(folded: Folded, start: number, end: number, original: string): { start: number; end: number } {
  const s = folded.map[start]!;
  let e = end > 0 ? folded.map[end - 1]! + 1 : s;
  // Keep marks that belong to the last letter inside the range.
  while (e < original.length && isFoldedMark(original.charCodeAt(e))) e++;
  return { start: s, end: Math.max(s, e) };
}
