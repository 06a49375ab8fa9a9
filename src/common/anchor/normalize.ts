/**
 * The matching normaliser used by re-anchoring: a text and a quote are compared in this form, and
 * an offset map leads back to the original.
 *
 * Unlike search folding (`../text/fold.ts`) it keeps case and keeps acronym quotes as characters:
 * it is meant to decide whether two passages hold the same words, not to find loose hits.
 *
 * - Hebrew niqqud and cantillation, Latin combining marks, bidi controls, ZWJ/ZWNJ and the BOM
 *   are dropped, so pointed and unpointed Hebrew compare equal and so does any order of the marks
 *   (NFC versus source order, see `../shared/corpora/morphhb`);
 * - Hebrew presentation forms (U+FB1D..U+FB4F) become their base letters, precomposed Latin
 *   letters lose their accents (NFC and NFD compare equal);
 * - `"`, `״` (gershayim), `“ ” „` become `"`; `'`, `׳` (geresh), `‘ ’ ‚` become `'`: an acronym
 *   such as צה"ל matches צה״ל;
 * - a run of whitespace (with maqaf and no-break spaces) becomes one space, or one `\n` when it
 *   holds a line break; dashes (U+2010..U+2015) become `-`.
 */
import { isFoldedMark } from '../text/fold.js';

export interface Normalized {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 index of `text`, and one past its end, the index in the original. */
  map: Uint32Array;
}

const DROP = -1;
const SPACE = -2;
const NEWLINE = -3;

/** For the BMP: what each code unit becomes (a code, or DROP/SPACE/NEWLINE); multi-char folds live in MULTI. */
const TABLE = new Int32Array(0x10000);
const MULTI = new Map<number, string>();

(function buildTable() {
  for (let c = 0; c < 0x10000; c++) TABLE[c] = c;
  for (let c = 0; c < 0x10000; c++) if (isFoldedMark(c)) TABLE[c] = DROP;
  // U+034F combining grapheme joiner, also a mark for our purpose.
  TABLE[0x034f] = DROP;
  for (const c of [0x20, 0x09, 0x0b, 0x0c, 0xa0, 0x05be, 0x1680, 0x202f, 0x205f, 0x3000]) TABLE[c] = SPACE;
  for (let c = 0x2000; c <= 0x200a; c++) TABLE[c] = SPACE;
  for (const c of [0x0a, 0x0d, 0x85, 0x2028, 0x2029]) TABLE[c] = NEWLINE;
  for (const c of [0x22, 0x05f4, 0x201c, 0x201d, 0x201e, 0x201f]) TABLE[c] = 0x22;
  for (const c of [0x27, 0x05f3, 0x2018, 0x2019, 0x201a, 0x201b]) TABLE[c] = 0x27;
  for (let c = 0x2010; c <= 0x2015; c++) TABLE[c] = 0x2d;
  const strip = (s: string) => {
    let out = '';
    for (const ch of s) if (!isFoldedMark(ch.charCodeAt(0))) out += ch;
    return out;
  };
  for (let c = 0xfb1d; c <= 0xfb4f; c++) {
    const s = strip(String.fromCharCode(c).normalize('NFKD'));
    setFold(c, s);
  }
  for (let c = 0x00c0; c <= 0x024f; c++) {
    if (c === 0xd7 || c === 0xf7) continue;
    const s = strip(String.fromCharCode(c).normalize('NFD'));
    setFold(c, s);
  }
  function setFold(c: number, s: string) {
    if (s.length === 0) TABLE[c] = DROP;
    else if (s.length === 1) TABLE[c] = s.charCodeAt(0);
    else {
      TABLE[c] = DROP - 10; // marker: look in MULTI
      MULTI.set(c, s);
    }
  }
})();

const MULTI_MARK = DROP - 10;

/** Normalises a text for matching, keeping for every normalised position its original offset. */
export function normalize(text: string): Normalized {
  const n = text.length;
  const out = new Uint16Array(n + 8);
  let map = new Uint32Array(n + 8);
  let len = 0;
  // 0: last output was not whitespace; 1: a space; 2: a newline.
  let lastWs = 0;
  for (let i = 0; i < n; i++) {
    const t = TABLE[text.charCodeAt(i)]!;
    if (t >= 0) {
      out[len] = t;
      map[len++] = i;
      lastWs = 0;
    } else if (t === DROP) {
      continue;
    } else if (t === SPACE || t === NEWLINE) {
      if (lastWs === 0) {
        out[len] = t === SPACE ? 0x20 : 0x0a;
        map[len++] = i;
        lastWs = t === SPACE ? 1 : 2;
      } else if (t === NEWLINE && lastWs === 1) {
        out[len - 1] = 0x0a;
        lastWs = 2;
      }
    } else if (t === MULTI_MARK) {
      const s = MULTI.get(text.charCodeAt(i))!;
      if (len + s.length >= out.length) {
        // Only presentation forms expand, to two letters at most: grow rarely.
        return normalizeSlow(text);
      }
      for (let k = 0; k < s.length; k++) {
        out[len] = s.charCodeAt(k);
        map[len++] = i;
      }
      lastWs = 0;
    }
  }
  map[len] = n;
  map = map.slice(0, len + 1);
  return { text: decode(out, len), map };
}

/** The same as `normalize` for texts whose expansion outgrows the first buffer. */
function normalizeSlow(text: string): Normalized {
  const out: number[] = [];
  const map: number[] = [];
  let lastWs = 0;
  for (let i = 0; i < text.length; i++) {
    const t = TABLE[text.charCodeAt(i)]!;
    if (t >= 0) {
      out.push(t);
      map.push(i);
      lastWs = 0;
    } else if (t === SPACE || t === NEWLINE) {
      if (lastWs === 0) {
        out.push(t === SPACE ? 0x20 : 0x0a);
        map.push(i);
        lastWs = t === SPACE ? 1 : 2;
      } else if (t === NEWLINE && lastWs === 1) {
        out[out.length - 1] = 0x0a;
        lastWs = 2;
      }
    } else if (t === MULTI_MARK) {
      const s = MULTI.get(text.charCodeAt(i))!;
      for (let k = 0; k < s.length; k++) {
        out.push(s.charCodeAt(k));
        map.push(i);
      }
      lastWs = 0;
    }
  }
  map.push(text.length);
  return { text: decode(Uint16Array.from(out), out.length), map: Uint32Array.from(map) };
}

function decode(codes: Uint16Array, len: number): string {
  const CHUNK = 8192;
  let s = '';
  for (let i = 0; i < len; i += CHUNK) {
    s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(len, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** The normalised form alone (for quotes): the same rules, without the offset map. */
export function normalizeText(text: string): string {
  if (text.length > 4096) return normalize(text).text;
  let out = '';
  let lastWs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const t = TABLE[c]!;
    if (t >= 0) {
      out += t === c ? text[i] : String.fromCharCode(t);
      lastWs = 0;
    } else if (t === SPACE || t === NEWLINE) {
      if (lastWs === 0) {
        out += t === SPACE ? ' ' : '\n';
        lastWs = t === SPACE ? 1 : 2;
      } else if (t === NEWLINE && lastWs === 1) {
        out = out.slice(0, -1) + '\n';
        lastWs = 2;
      }
    } else if (t === MULTI_MARK) {
      out += MULTI.get(c)!;
      lastWs = 0;
    }
  }
  return out;
}

/** Whether a text begins and ends with (matching) whitespace, its dropped marks aside. */
export function edgeSpaces(text: string): { lead: boolean; trail: boolean } {
  let i = 0;
  while (i < text.length && TABLE[text.charCodeAt(i)] === DROP) i++;
  let j = text.length - 1;
  while (j >= 0 && TABLE[text.charCodeAt(j)] === DROP) j--;
  const ws = (k: number) => k >= 0 && k < text.length && (TABLE[text.charCodeAt(k)] === SPACE || TABLE[text.charCodeAt(k)] === NEWLINE);
  return { lead: ws(i), trail: ws(j) };
}

/** True when two strings hold the same words for matching purposes. */
export function sameNormalized(a: string, b: string): boolean {
  return a === b || normalizeText(a) === normalizeText(b);
}

/** The first normalised index whose original offset is at or after `offset` (0..text.length). */
export function toNormalized(n: Normalized, offset: number): number {
  const map = n.map;
  let lo = 0;
  let hi = map.length - 1;
  if (offset <= map[0]!) return 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid]! >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A range of the original text as a normalised range. */
export function normalizedRange(n: Normalized, start: number, end: number): { start: number; end: number } {
  const s = toNormalized(n, start);
  const e = Math.max(s, toNormalized(n, end));
  return { start: s, end: e };
}

/**
 * A normalised range back in the original: from the first character's origin to just before the
 * next kept character, so that the marks of the last letter come along (trailing whitespace that
 * was collapsed is left out).
 */
export function originalRange(n: Normalized, original: string, start: number, end: number): { start: number; end: number } {
  const map = n.map;
  const s = map[start]!;
  if (end <= start) return { start: s, end: s };
  let e = map[end - 1]! + 1;
  const limit = map[end]!;
  while (e < limit && TABLE[original.charCodeAt(e)] === DROP) e++;
  return { start: s, end: Math.max(s, e) };
}
