import { describe, expect, it } from 'vitest';
import { FoldedText, markTerms } from '../../src/renderer/find-text.js';
import { assignLayers, freeLayer } from '../../src/common/text/layers.js';
import { formatRoute, parseRoute, type Route } from '../../src/renderer/route.js';
import { systemLanguage } from '../../src/renderer/ui-language.js';

describe('find in text', () => {
  const text = 'בְּרֵאשִׁית בָּרָא אֱלֹהִים, ואמר צה״ל ל-NEWS: Shalom שלום';
  const folded = new FoldedText(text);
  const found = (q: string) => folded.findAll(q).map((r) => text.slice(r.start, r.end));

  it('finds pointed Hebrew with an unpointed query, marks included', () => {
    expect(found('בראשית')).toEqual(['בְּרֵאשִׁית']);
    expect(found('ברא')).toEqual(['בְּרֵא', 'בָּרָא']);
  });
  it('folds acronym quotes and Latin case', () => {
    expect(found('צהל')).toEqual(['צה״ל']);
    expect(found('צה"ל')).toEqual(['צה״ל']);
    expect(found('news')).toEqual(['NEWS']);
  });
  it('finds nothing for a blank query', () => {
    expect(folded.findAll('  ')).toEqual([]);
  });
  it('marks each query term in a snippet', () => {
    expect(markTerms('Putin met פּוּטִין', 'putin פוטין')).toEqual([
      { text: 'Putin', hit: true },
      { text: ' met ', hit: false },
      { text: 'פּוּטִין', hit: true },
    ]);
  });
});

describe('highlight layers', () => {
  it('gives an overlapping highlight the next free layer', () => {
    expect(freeLayer([{ from: 0, to: 10, layer: 0 }], 5, 15)).toBe(1);
    expect(freeLayer([{ from: 0, to: 10, layer: 0 }], 10, 15)).toBe(0);
    expect(freeLayer([{ from: 0, to: 10, layer: 0 }, { from: 2, to: 4, layer: 1 }], 5, 15)).toBe(1);
  });
  it('assigns layers to a whole document in text order', () => {
    const placed = assignLayers([
      { from: 5, to: 15, id: 'b' },
      { from: 0, to: 10, id: 'a' },
      { from: 12, to: 20, id: 'c' },
      { from: 30, to: 40, id: 'd' },
    ]);
    expect(placed.map((p) => [p.id, p.layer])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 0],
      ['d', 0],
    ]);
  });
});

describe('routes', () => {
  it.each<[string, Route]>([
    ['', { view: 'library' }],
    ['#doc=2', { view: 'doc', doc: 2, hits: [], annotation: null }],
    ['#doc=2&hits=10-15%2C20-25&ann=x1', { view: 'doc', doc: 2, hits: [{ start: 10, end: 15 }, { start: 20, end: 25 }], annotation: 'x1' }],
    ['#search=%D7%A9%D7%9C%D7%95%D7%9D', { view: 'search', query: 'שלום' }],
    ['#doc=abc', { view: 'library' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });
});

describe('system language', () => {
  it.each([
    [['he-IL'], 'he'],
    [['iw'], 'he'],
    [['en-US', 'he'], 'en'],
    [['fr-FR', 'he-IL'], 'he'],
    [['fr-FR'], 'en'],
    [[], 'en'],
  ])('%j -> %s', (prefs, lang) => {
    expect(systemLanguage(prefs)).toBe(lang);
  });
});
