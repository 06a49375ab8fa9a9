/**
 * Runs of the opposite direction inside a block, to be isolated so that a Latin run in a Hebrew
 * paragraph (`S-300`, `NEWS:`) or Hebrew inside English keeps its own order and its neighbours'
 * punctuation stays where the reader expects it.
 *
 * A left-to-right run inside right-to-left text starts at a Latin letter and ends at the last
 * Latin letter or digit before the next Hebrew letter: `S-300` stays whole, while the colon of
 * `NEWS:` and the brackets around `(Obama ...)` stay outside, so they take the paragraph's
 * direction and appear on the side a Hebrew reader expects. A right-to-left run inside
 * left-to-right text starts and ends at a Hebrew (or Arabic) character.
 */
import type { Direction } from '../model.js';

export interface IsolatedRun {
  /** UTF-16 offsets into the block's text. */
  from: number;
  to: number;
  dir: Direction;
}

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u1E00-\u1FFF]/;
const DIGIT = /[0-9]/;

/** The opposite-direction runs of a block's text, in order, never overlapping. */
export function isolatedRuns(text: string, base: Direction): IsolatedRun[] {
  // Fast path: a block with no character of the other script has nothing to isolate.
  if (base === 'rtl' ? !LTR.test(text) : !RTL.test(text)) return [];
  const runs: IsolatedRun[] = [];
  const opposite = base === 'rtl' ? LTR : RTL;
  const own = base === 'rtl' ? RTL : LTR;
  const dir: Direction = base === 'rtl' ? 'ltr' : 'rtl';
  let from = -1;
  let to = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (opposite.test(ch)) {
      if (from < 0) from = i;
      to = i + 1;
    } else if (own.test(ch)) {
      if (from >= 0) runs.push({ from, to, dir });
      from = -1;
    } else if (from >= 0 && base === 'rtl' && DIGIT.test(ch)) {
      to = i + 1;
    }
  }
  if (from >= 0) runs.push({ from, to, dir });
  return runs;
}
