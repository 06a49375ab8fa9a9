import { describe, expect, it } from 'vitest';
import { isolatedRuns } from '../../src/common/text/bidi.js';
import type { Direction } from '../../src/common/model.js';

/** Writes the runs into the text as [..] for readable expectations. */
function marked(text: string, base: Direction): string {
  let out = '';
  let at = 0;
  for (const r of isolatedRuns(text, base)) {
    out += text.slice(at, r.from) + '[' + text.slice(r.from, r.to) + ']';
    at = r.to;
  }
  return out + text.slice(at);
}

describe('isolated runs', () => {
  it.each([
    // Latin with its digits inside Hebrew stays one run.
    ['הציבה רוסיה מערכת S-300 בבסיסה', 'rtl', 'הציבה רוסיה מערכת [S-300] בבסיסה'],
    // The colon after a Latin label stays outside, with the paragraph.
    ['עוד בוואלה !  NEWS:חאלב זכתה', 'rtl', 'עוד בוואלה !  [NEWS]:חאלב זכתה'],
    // Brackets around an English aside stay outside and mirror with the paragraph.
    ['ביקור (Obama should take notice) השבוע', 'rtl', 'ביקור ([Obama should take notice]) השבוע'],
    // Hebrew inside English, with an acronym's gershayim and digits between Hebrew letters.
    ['Netanyahu told צה"ל ה-25 פעמים today.', 'ltr', 'Netanyahu told [צה"ל ה-25 פעמים] today.'],
    // Pointed Hebrew keeps its marks inside the run.
    ['the word שָׁלוֹם, said', 'ltr', 'the word [שָׁלוֹם], said'],
    // Nothing of the other script: nothing to isolate.
    ['רק עברית ו-300 ספרות', 'rtl', 'רק עברית ו-300 ספרות'],
    ['Only English 300.', 'ltr', 'Only English 300.'],
    // Digits alone inside English are not Hebrew.
    ['In 2005 and 2012', 'ltr', 'In 2005 and 2012'],
    ['פוטין Putin', 'rtl', 'פוטין [Putin]'],
  ] as const)('%s', (text, base, expected) => {
    expect(marked(text, base)).toBe(expected);
  });

  it('gives the opposite direction to every run', () => {
    expect(isolatedRuns('abc אבג def', 'ltr')).toEqual([{ from: 4, to: 7, dir: 'rtl' }]);
    expect(isolatedRuns('אבג abc דהו', 'rtl')).toEqual([{ from: 4, to: 7, dir: 'ltr' }]);
  });
});
