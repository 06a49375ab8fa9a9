/**
 * Joining the lines of a paragraph. A word broken at a line end with a hyphen is made whole
 * ("negoti-" + "ations" is "negotiations"); a hyphen that belongs to the text stays ("Russia-" +
 * "Israel" is "Russia-Israel"). The rule, in order:
 *
 * - a soft hyphen (U+00AD) at the end goes, and the word is joined;
 * - a Hebrew maqaf (U+05BE), a dash or a slash at the end of a word stays, with no space after it;
 * - where the page shows it (Chromium draws a hyphen it inserts as an item of its own, its word's
 *   own hyphens inside the word's item), that decides;
 * - in a document whose producer marks the hyphens it inserts (U+2010 or U+00AD at line ends, as
 *   browsers do, while its words are hyphenated with "-"), an inserted hyphen goes and a "-" stays;
 * - otherwise, for a hyphen between letters: if the document elsewhere spells the word with the
 *   hyphen ("well-known") it stays, if it spells it without ("negotiations") it goes; else it
 *   goes when the next line goes on in lower case and stays before a capital, a digit or a
 *   letter without case (a name, a number, Hebrew);
 * - otherwise the lines are joined with one space.
 */

const LETTER_HYPHEN_END = /(\p{L}+)[-\u2010]$/u;
const FIRST_WORD = /^(\p{L}+)/u;
/** The longest word part looked at before a line-end hyphen. */
const TAIL = 64;
/** Ends that take no space after them; a dash with a space before it is spaced on both sides. */
const TIGHT_END = /\S[\u05BE\u2013\u2014/]$/u;

/**
 * The words of a document, to settle whether a broken word is spelled with its hyphen. The word
 * list is made on the first question (a document with no word broken at a hyphen never needs it).
 */
export class Spellings {
  private words: Set<string> | null = null;
  private readonly texts: string[] = [];
  /** The producer inserts U+2010 (or U+00AD) where it breaks a word, so a "-" at a line end is the text's. */
  marksInserted = false;

  add(text: string): void {
    this.texts.push(text);
  }

  /** Decides `marksInserted` from the lines of the document. */
  settleHyphens(lines: readonly string[]): void {
    let inserted = false;
    for (const l of lines) {
      if (/\p{L}\u2010\p{L}/u.test(l)) return;
      if (/\p{L}[\u2010\u00AD]$/u.test(l)) inserted = true;
    }
    this.marksInserted = inserted;
  }

  has(word: string): boolean {
    if (!this.words) {
      this.words = new Set();
      for (const text of this.texts) {
        for (const m of text.matchAll(/\p{L}+(?:[-\u2010]\p{L}+)*/gu)) {
          const parts = m[0].toLowerCase().replace(/\u2010/gu, '-').split('-');
          for (const p of parts) this.words.add(p);
          // Every pair of neighbours in a compound, so that "state-of-" + "the-art" finds "of-the".
          for (let i = 1; i < parts.length; i++) this.words.add(`${parts[i - 1]}-${parts[i]}`);
        }
      }
    }
    return this.words.has(word.toLowerCase());
  }
}

/**
 * What the page says about a hyphen at a line end: `inserted` (a hyphen drawn apart from its word,
 * as Chromium draws the ones it adds) or `text` (drawn with its word by a producer that draws
 * inserted ones apart).
 */
export type HyphenHint = 'inserted' | 'text';

/** `previous` and `next` joined as two lines of one paragraph. */
export function joinLines(previous: string, next: string, spellings?: Spellings, hint?: HyphenHint): string {
  if (previous === '') return next;
  if (next === '') return previous;
  if (previous.endsWith('\u00AD')) return previous.slice(0, -1) + next;
  // Only the end of what is joined so far matters (a paragraph's text grows line by line).
  const tail = previous.slice(-TAIL);
  if (TIGHT_END.test(tail)) return previous + next;
  const broken = LETTER_HYPHEN_END.exec(tail);
  // A hyphen before a number is the text's ("S-" + "300").
  if (broken && /^\p{Nd}/u.test(next)) return previous + next;
  const following = FIRST_WORD.exec(next);
  if (broken && following && hint) return hint === 'text' ? previous + next : previous.slice(0, -1) + next;
  if (broken && following && spellings?.marksInserted) {
    return previous.endsWith('-') ? previous + next : previous.slice(0, -1) + next;
  }
  if (broken && following) {
    const head = broken[1]!;
    const tail = following[1]!;
    const withHyphen = spellings?.has(`${head}-${tail}`) ?? false;
    const without = spellings?.has(head + tail) ?? false;
    const keep = withHyphen !== without ? withHyphen : !/^\p{Ll}/u.test(tail);
    return keep ? previous + next : previous.slice(0, -1) + next;
  }
  return `${previous} ${next}`;
}
