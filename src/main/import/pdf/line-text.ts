/**
 * A line's runs (in visual order) to its text in logical order.
 *
 * pdf.js gives each run's own characters in logical order (it reverses a right-to-left run that
 * a producer stored in visual order), but the runs of a line come in the order the content stream
 * drew them, which for a Hebrew line is usually left to right. The line's direction is the
 * direction most of its letters have; its runs are then put in logical order as the Unicode bidi
 * algorithm would have laid them out: on a right-to-left line the runs are read right to left,
 * except that a stretch of Latin or digit runs (and the neutrals between them) keeps its left to
 * right order; on a left-to-right line, a stretch of Hebrew runs is read right to left.
 *
 * Points (niqqud) that a producer placed as runs of their own are first put back on the letter
 * they are drawn on; a space goes where the gap between two runs is wider than a narrow space.
 */
import type { Direction } from '../../../common/model.js';
import type { Run } from './types.js';

/** A gap between two runs wider than this (fraction of the font size) is a space. */
const SPACE_GAP = 0.18;
const SHIFTED_SPACE_GAP = 0.4;
/** A point is drawn within this distance (fraction of the font size) of its letter's edge. */
const MARK_REACH = 0.6;

const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const HEBREW_MARK = /^[\u0591-\u05C7]+$/u;

type BidiClass = 'L' | 'R' | 'EN' | 'N';

interface Unit {
  str: string;
  cls: BidiClass;
  /** Drawn as an item of its own (not a piece of a larger one). */
  whole?: boolean;
}

export interface AssembledLine {
  text: string;
  dir: Direction;
  /** The line's first logical character comes from a superscript. */
  raisedStart: boolean;
  raisedText?: string;
  /** The line ends in a hyphen that is an item of its own. */
  loneHyphen: boolean;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/** 1 for a right-to-left letter, 2 for a left-to-right one, 3 for a digit, 0 otherwise (hot: a fast path for ASCII and Hebrew). */
function charClass(c: number, ch: string): number {
  if (c < 0x80) {
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return 2;
    return c >= 0x30 && c <= 0x39 ? 3 : 0;
  }
  if (c >= 0x05d0 && c <= 0x05f2) return 1;
  if (c >= 0x0591 && c <= 0x05cf) return 0;
  if (LETTER.test(ch)) return (c >= 0x0590 && c <= 0x08ff) || (c >= 0xfb1d && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff) ? 1 : 2;
  return DIGIT.test(ch) ? 3 : 0;
}

/** Counts of strong right-to-left and left-to-right letters, and digits. */
export function strongLetters(text: string): { rtl: number; ltr: number; digits: number } {
  let rtl = 0;
  let ltr = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair: classify the whole code point.
    const ch = c >= 0xd800 && c <= 0xdbff ? text.slice(i, i + 2) : text[i]!;
    const k = charClass(ch.length === 2 ? ch.codePointAt(0)! : c, ch);
    if (ch.length === 2) i++;
    if (k === 1) rtl++;
    else if (k === 2) ltr++;
    else if (k === 3) digits++;
  }
  return { rtl, ltr, digits };
}

/** A line takes the other direction than its page's only when two thirds of its letters are of it. */
const OTHER_DIRECTION = 2 / 3;

/**
 * A line's direction: its page's (`fallback`), unless most of its letters, by two to one, go the
 * other way. A Hebrew line naming "Benjamin Netanyahu" has more Latin letters than Hebrew ones and
 * is still a Hebrew line.
 */
function lineDirection(rtl: number, ltr: number, fallback: Direction): Direction {
  const total = rtl + ltr;
  if (total === 0) return fallback;
  if (fallback === 'rtl') return ltr >= OTHER_DIRECTION * total ? 'ltr' : 'rtl';
  return rtl >= OTHER_DIRECTION * total ? 'rtl' : 'ltr';
}

/**
 * The text of a line from its runs in visual order (x ascending). `fallback` is the page's
 * direction (see `lineDirection`).
 */
export function assembleLine(runs: readonly Run[], fallback: Direction): AssembledLine {
  const bases: { run: Run; str: string }[] = [];
  const marks: Run[] = [];
  for (const r of runs) {
    if (r.mark) marks.push(r);
    else bases.push({ run: r, str: r.str });
  }
  let widest = 0;
  for (const b of bases) widest = Math.max(widest, b.run.w);
  for (const m of marks) attachMark(m, bases, widest);

  let rtl = 0;
  let ltr = 0;
  const classes: BidiClass[] = [];
  for (const b of bases) {
    const c = strongLetters(b.str);
    rtl += c.rtl;
    ltr += c.ltr;
    classes.push(c.rtl + c.ltr > 0 ? (c.rtl > c.ltr ? 'R' : 'L') : c.digits > 0 ? 'EN' : 'N');
  }
  const dir = lineDirection(rtl, ltr, fallback);

  // Visual units, with a space unit wherever the page shows a gap and no whitespace is drawn.
  const visual: (Unit & { raised: boolean })[] = [];
  for (let i = 0; i < bases.length; i++) {
    const { run, str } = bases[i]!;
    const prev = bases[i - 1];
    if (prev) {
      const gap = run.x - (prev.run.x + prev.run.w);
      const size = Math.min(run.size, prev.run.size);
      // A Hebrew item that ends in a point drawn left of its letter (a postpositive accent) starts
      // at the point, so its right edge reads short by up to a third of an em.
      const shifted = RTL_LETTER.test(prev.run.str) && /\p{M}$/u.test(prev.run.str);
      const needed = shifted ? SHIFTED_SPACE_GAP : SPACE_GAP;
      if (gap > needed * size && !/\s$/u.test(prev.str) && !/^\s/u.test(str)) visual.push({ str: ' ', cls: 'N', raised: false });
    }
    visual.push({ str, cls: classes[i]!, raised: run.raised === true, whole: run.piece !== true });
  }
  const ordered = dir === 'rtl' ? rtlOrder(visual) : ltrOrder(visual);
  let text = '';
  for (const u of ordered) text += u.str;
  const first = ordered.find((u) => u.str.trim() !== '');
  let last: (typeof ordered)[number] | undefined;
  for (let i = ordered.length - 1; i >= 0 && !last; i--) if (ordered[i]!.str.trim() !== '') last = ordered[i];
  const loneHyphen = last !== undefined && last.whole === true && /^[-\u2010]$/u.test(last.str.trim()) && ordered.length > 1;
  const out: AssembledLine = { text: text.replace(/\s+/gu, ' ').trim(), dir, raisedStart: first?.raised === true, loneHyphen };
  if (first?.raised) out.raisedText = first.str.trim();
  return out;
}

/**
 * Puts a point back on its letter. A point's origin lies on or near the letter it belongs to, but
 * fonts offset points differently (a holam's origin may fall over the letter before, a point with a
 * cantillation mark may stand a fifth of an em off), so the letter is chosen in this order: the
 * letter drawn right after the point in the content stream, if the point is near it (a browser
 * draws a Hebrew cluster's points first, then its letter); a letter starting just right of the
 * point; the letter the point lies on; the nearest letter. A Latin accent goes on the letter
 * before it. On a run of several Hebrew letters, the point goes after the letter it stands over.
 */
function attachMark(mark: Run, bases: { run: Run; str: string }[], widest: number): void {
  const em = mark.size;
  const on = (b: Run, left: number, right: number): boolean => mark.x >= b.x - left && mark.x <= b.x + b.w + right;
  const letters = near(bases, mark.x, MARK_REACH * em, widest).filter((b) => !b.run.space && on(b.run, MARK_REACH * em, 0.2 * em));
  const hebrew = HEBREW_MARK.test(mark.str);
  let target: { run: Run; str: string } | undefined;
  if (hebrew) {
    let next: { run: Run; str: string } | undefined;
    for (const b of letters) if (b.run.seq > mark.seq && (!next || b.run.seq < next.run.seq)) next = b;
    if (next && mark.x >= next.run.x - 0.3 * em && mark.x <= next.run.x + next.run.w - 0.1 * em) target = next;
    target ??= letters.find((b) => b.run.x >= mark.x && b.run.x - mark.x <= 0.1 * em);
    target ??= letters.find((b) => on(b.run, 0, 0));
  }
  if (!target) {
    let best = Infinity;
    for (const b of letters) {
      const d = Math.abs(mark.x - (b.run.x + (hebrew ? 0 : b.run.w)));
      if (d < best) {
        best = d;
        target = b;
      }
    }
  }
  if (target) {
    target.str = hebrew ? insertPoint(target.str, target.run, mark) : target.str + mark.str;
    return;
  }
  // A point with no letter in reach is kept where it stands rather than lost.
  bases.push({ run: { ...mark, mark: false }, str: mark.str });
  bases.sort((p, q) => p.run.x - q.run.x);
}

/**
 * The runs that may hold x within `reach`: those starting before x + reach, back to the widest
 * run's width before x (`bases` is sorted by x; a line has hundreds of runs and points).
 */
function near<B extends { run: Run }>(bases: readonly B[], x: number, reach: number, widest: number): B[] {
  let lo = 0;
  let hi = bases.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bases[mid]!.run.x <= x + reach) lo = mid + 1;
    else hi = mid;
  }
  const out: B[] = [];
  for (let i = lo - 1; i >= 0 && bases[i]!.run.x >= x - reach - widest; i--) out.push(bases[i]!);
  return out.reverse();
}

/**
 * A point into a right-to-left run of letters (logical order, so its first letter is drawn
 * rightmost): after the letter whose share of the run's width it stands over, and after any
 * points that letter has already.
 */
function insertPoint(str: string, run: Run, mark: Run): string {
  if (str.length === 1) return str + mark.str;
  const chars = Array.from(str);
  const letters: number[] = [];
  chars.forEach((c, i) => {
    if (!/\p{M}/u.test(c)) letters.push(i);
  });
  if (letters.length <= 1 || run.w <= 0) return str + mark.str;
  const fromRight = (run.x + run.w - mark.x) / run.w;
  const k = Math.min(letters.length - 1, Math.max(0, Math.floor(fromRight * letters.length)));
  let at = letters[k]! + 1;
  while (at < chars.length && /\p{M}/u.test(chars[at]!)) at++;
  chars.splice(at, 0, mark.str);
  return chars.join('');
}

const MIRRORED: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«' };

/**
 * A neutral run read at the right-to-left level: brackets set right to left are drawn mirrored, and
 * a PDF records the shape drawn (")" for the "(" that opens a Hebrew aside), so they are mirrored
 * back.
 */
function atRtlLevel<U extends Unit>(u: U): U {
  if (u.cls !== 'N' || (Array.from(u.str).length < 2 && !/[()[\]{}<>«»]/u.test(u.str))) return u;
  // Several neutrals drawn as one run (". \"") are in visual order: read them backwards too.
  const str = Array.from(u.str).reverse().join('').replace(/[()[\]{}<>«»]/gu, (c) => MIRRORED[c] ?? c);
  return { ...u, str };
}

/** Right-to-left line: read right to left, keeping each left-to-right stretch in its own order. */
function rtlOrder<U extends Unit>(visual: U[]): U[] {
  const out: U[] = [];
  let i = visual.length - 1;
  while (i >= 0) {
    const u = visual[i]!;
    if (u.cls === 'L' || u.cls === 'EN') {
      let start = i;
      for (let k = i - 1; k >= 0 && visual[k]!.cls !== 'R'; k--) {
        const c = visual[k]!.cls;
        if (c === 'L' || c === 'EN') start = k;
      }
      for (let t = start; t <= i; t++) out.push(visual[t]!);
      i = start - 1;
    } else {
      out.push(atRtlLevel(u));
      i--;
    }
  }
  return out;
}

/**
 * Left-to-right line: read left to right, reading each right-to-left stretch (with numbers inside
 * it) backwards. A number standing just left of a Hebrew stretch, with only spaces between, is
 * taken to follow it ("פרק 1" is drawn "1 קרפ"): the drawing is the same either way, and a number
 * after a Hebrew word is by far the commoner.
 */
function ltrOrder<U extends Unit>(visual: U[]): U[] {
  const out: U[] = [];
  let i = 0;
  while (i < visual.length) {
    const u = visual[i]!;
    if (u.cls === 'R' || (u.cls === 'EN' && leadsHebrew(visual, i))) {
      let end = i;
      for (let k = i + 1; k < visual.length && visual[k]!.cls !== 'L'; k++) {
        const c = visual[k]!.cls;
        if (c === 'R' || c === 'EN') end = k;
      }
      for (let t = end; t >= i; t--) out.push(atRtlLevel(visual[t]!));
      i = end + 1;
    } else {
      out.push(u);
      i++;
    }
  }
  return out;
}

/** The number at `i` is followed, across spaces only, by a Hebrew run. */
function leadsHebrew(visual: readonly Unit[], i: number): boolean {
  let k = i + 1;
  while (k < visual.length && visual[k]!.cls === 'N' && visual[k]!.str.trim() === '') k++;
  return k > i + 1 && visual[k]?.cls === 'R';
}
