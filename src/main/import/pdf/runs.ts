/**
 * pdf.js text items to runs placed on the page. Only upright horizontal text is kept: rotated or
 * vertical text in a PDF is a margin stamp, an axis label or a spine, not the running text.
 */
import type { Run } from './types.js';

/** What pdf.js gives for one piece of text (its TextItem; marked-content entries have no `str`). */
export interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
  /** 'rtl' when pdf.js reversed the item's characters into logical order. */
  dir?: string;
}

/** `[a, b, c, d, e, f]` affine matrices, composed as pdf.js does (`m1` after `m2`). */
function multiply(m1: readonly number[], m2: readonly number[]): number[] {
  const [a1 = 0, b1 = 0, c1 = 0, d1 = 0, e1 = 0, f1 = 0] = m1;
  const [a2 = 0, b2 = 0, c2 = 0, d2 = 0, e2 = 0, f2 = 0] = m2;
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

const MARKS_ONLY = /^\p{M}+$/u;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/gu;
const SPACE_ONLY = /^\s+$/u;
const STRONG_OR_DIGIT = /[\p{L}\p{Nd}]/u;
/** Punctuation and spaces at the ends of a left-to-right item. */
const NEUTRAL_EDGES = /^([^\p{L}\p{Nd}\p{M}]*)([\s\S]*?)([^\p{L}\p{Nd}\p{M}]*)$/u;
/** Text smaller than this (in points) is not read: nobody reads half-point type. */
const MIN_SIZE = 0.5;

/** Runs from a page's text items; `viewport` is the page viewport's transform at scale 1. */
export function toRuns(items: readonly unknown[], viewport: readonly number[]): Run[] {
  const runs: Run[] = [];
  let seq = 0;
  for (const raw of items) {
    seq++;
    const item = raw as Partial<PdfTextItem>;
    if (typeof item.str !== 'string' || item.str === '' || !Array.isArray(item.transform)) continue;
    const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = multiply(viewport, item.transform);
    // Upright: the baseline runs left to right, within a few degrees of horizontal.
    if (!(a > 0) || Math.abs(b) > 0.1 * a) continue;
    const size = Math.hypot(c, d);
    if (!(size >= MIN_SIZE) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    const w = Number.isFinite(item.width) ? Math.max(0, item.width ?? 0) : 0;
    // A glyph with no Unicode value (a missing-glyph box) comes as U+0000: there is no text in it.
    const str = hasControl(item.str) ? item.str.replace(CONTROL, '') : item.str;
    if (str !== '') pushRun(runs, str, x, y, w, size, seq);
  }
  return runs;
}

/** A character below U+0020 (other than tab and line breaks) or DEL. Hot: a loop, not a regex. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

/** Any right-to-left character. */
function hasRtl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff)) return true;
  }
  return false;
}

const isAsciiAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

function pushRun(runs: Run[], str: string, x: number, y: number, w: number, size: number, seq: number): void {
  const trimmed = str.trim();
  // A point drawn together with the space after its word: the point, and the space if it has width.
  if (trimmed !== '' && trimmed !== str && MARKS_ONLY.test(trimmed)) {
    runs.push({ str: trimmed, x, y, w: 0, size, mark: true, space: false, seq });
    if (w > 0) runs.push({ str: ' ', x, y, w, size, mark: false, space: true, seq });
    return;
  }
  // Punctuation a browser drew in one piece with Latin or digits beside Hebrew (".2010", "25-",
  // ":NEWS") sits at the Hebrew level, not the number's: it becomes a run of its own, so that the
  // line's bidi order can put it on the right side. The item is left to right here; its width is
  // shared out by characters.
  const plainEdges = isAsciiAlnum(str.charCodeAt(0)) && isAsciiAlnum(str.charCodeAt(str.length - 1));
  if (!plainEdges && !hasRtl(str) && STRONG_OR_DIGIT.test(str)) {
    const m = NEUTRAL_EDGES.exec(str);
    const [lead = '', core = '', trail = ''] = m ? [m[1], m[2], m[3]] : [];
    if (m && core !== '' && (lead !== '' || trail !== '')) {
      const total = Array.from(str).length;
      let at = x;
      for (const part of [lead, core, trail]) {
        if (part === '') continue;
        const pw = (w * Array.from(part).length) / total;
        runs.push({ str: part, x: at, y, w: pw, size, mark: false, space: SPACE_ONLY.test(part), seq, piece: true });
        at += pw;
      }
      return;
    }
  }
  runs.push({ str, x, y, w, size, mark: !plainEdges && MARKS_ONLY.test(str), space: trimmed === '', seq });
}
