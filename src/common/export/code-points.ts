/**
 * Offsets in UTF-16 code units (how Gloss stores them, and how JavaScript strings count) and in
 * Unicode code points (how the W3C Web Annotation model counts a TextPositionSelector). They differ
 * by one for every astral character (an emoji, U+1D11E MUSICAL SYMBOL G CLEF ...) before the offset.
 */

/** Code points in `text.slice(0, offset)`; an offset inside a surrogate pair gives that pair's offset. */
export function utf16ToCodePoints(text: string, offset: number): number {
  return new CodePointIndex(text).toCodePoints(offset);
}

/** The UTF-16 offset of code point number `codePoints`; past the end gives `text.length`. */
export function codePointsToUtf16(text: string, codePoints: number): number {
  return new CodePointIndex(text).toUtf16(codePoints);
}

/** Number of code points in the whole text. */
export function codePointLength(text: string): number {
  return new CodePointIndex(text).codePointLength;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Converts many offsets of one text in O(log n) each: it keeps only the UTF-16 offsets of the
 * astral characters (usually none, so the conversion is the identity).
 */
export class CodePointIndex {
  /** UTF-16 offsets of the high surrogate of each well-formed surrogate pair, ascending. */
  private readonly pairs: number[] = [];
  readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    for (let i = 0; i < text.length - 1; i++) {
      if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
        this.pairs.push(i);
        i++;
      }
    }
  }

  get codePointLength(): number {
    return this.length - this.pairs.length;
  }

  /** UTF-16 offset -> code point offset. Clamped to [0, text length]. */
  toCodePoints(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.length));
    // Pairs wholly or half before `o`: those whose high surrogate sits before it.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid]! < o) lo = mid + 1;
      else hi = mid;
    }
    // An offset between the two halves of a pair comes out as the pair's own code point offset.
    return o - lo;
  }

  /** Code point offset -> UTF-16 offset. Clamped to [0, text length]. */
  toUtf16(codePoints: number): number {
    if (!(codePoints > 0)) return 0;
    // The k-th pair starts at code point pairs[k] - k; count pairs starting before `codePoints`.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid]! - mid < codePoints) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(codePoints + lo, this.length);
  }
}
