import { describe, expect, it } from 'vitest';
import { fold, foldText, unfoldRange } from '../../src/common/text/fold.js';
import { ruthChapterOne, sharedBook, sharedBookPath, type Verses } from '../fixtures/corpus.js';

const genesis = sharedBook('Gen');

/** Folding ignores the order of combining marks, and leaves no niqqud or cantillation behind. */
function foldsAlikeInAnyMarkOrder(verses: Verses): number {
  let reordered = 0;
  for (const [, text] of verses) {
    if (text.normalize('NFC') !== text) reordered++;
    expect(foldText(text.normalize('NFC'))).toBe(foldText(text));
    expect(foldText(text)).not.toMatch(/[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]/);
  }
  return reordered;
}

describe('fold', () => {
  it.each([
    ['pointed Hebrew loses its niqqud and cantillation', 'בְּרֵאשִׁ֖ית', 'בראשית'],
    ['ASCII quote inside an acronym', 'צה"ל', 'צהל'],
    ['gershayim inside an acronym', 'צה״ל', 'צהל'],
    ['geresh inside an abbreviation', 'ג׳ורג׳', 'ג׳ורג׳'.replace('׳', '')],
    ['a quote outside Hebrew is kept', 'say "hi"', 'say "hi"'],
    ['maqaf and no-break space become spaces', 'כָּל־הָעָם\u00a0now', 'כל העם now'],
    ['Latin is lower-cased and loses accents', 'Élan S-300 NEWS:', 'elan s-300 news:'],
    ['presentation forms become base letters', '\ufb2a\ufb4b', 'שו'],
  ])('%s', (_name, input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('maps every folded position back to its original character', () => {
    const original = 'וַיְהִ֗י בִּימֵי֙ שְׁפֹ֣ט';
    const f = fold(original);
    expect(f.map.length).toBe(f.text.length + 1);
    for (let i = 0; i < f.text.length; i++) expect(original[f.map[i]!]).toBe(f.text[i]);
    const at = f.text.indexOf('בימי');
    const r = unfoldRange(f, at, at + 4, original);
    expect(original.slice(r.start, r.end)).toBe('בִּימֵי֙');
  });

  it('folds the same whatever the order of the marks (NFC or source order): Ruth 1, tests/fixtures', () => {
    // Every verse of the fixture has its marks in an order NFC changes: the check bites on each.
    expect(foldsAlikeInAnyMarkOrder(ruthChapterOne())).toBe(22);
  });

  it.skipIf(!genesis)(`folds the same whatever the order of the marks: all of Genesis (needs ${sharedBookPath('Gen')})`, () => {
    expect(foldsAlikeInAnyMarkOrder(genesis!)).toBeGreaterThan(1000);
  });
});
