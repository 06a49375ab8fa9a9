/**
 * The library, in both interface languages. Search that tells the truth: the whole count, the
 * documents with their counts, hits grouped by document (text, then notes), and more on demand
 * until every hit is shown; a hit opens its document with the words highlighted. Titles: renamed
 * in the library and in the reader's head, and mixed-direction titles ("‹Hebrew› (English
 * translation)") drawn in their own direction everywhere: library, reader, pair desk, the pair's
 * HTML export, with their punctuation where it belongs (checked on the drawn letters).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, L, type Lang, shot, tempDir } from './harness.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

function plural(lang: Lang, group: Record<string, string>, key: string, count: number, values: Record<string, string | number> = {}): string {
  const form = count === 1 ? 'one' : count === 2 && lang === 'he' ? 'two' : 'other';
  return fill(group[`${key}_${form}`]!, { count, ...values });
}

const REGISTER = 120;

/**
 * Where each letter of an element's text is drawn: the middle of its box, left to right, on one
 * line (wrapping is turned off while measuring; it moves letters between lines, not their order).
 */
async function drawnAt(el: Locator): Promise<{ text: string; x: number[] }> {
  return el.evaluate((root) => {
    const style = (root as HTMLElement).style;
    const was = style.whiteSpace;
    style.whiteSpace = 'nowrap';
    const xs: number[] = [];
    let text = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      for (let i = 0; i < n.data.length; i++) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        const box = r.getBoundingClientRect();
        xs.push(box.left + box.width / 2);
      }
      text += n.data;
    }
    style.whiteSpace = was;
    return { text, x: xs };
  });
}

const TRANSLATED_TO_HEBREW = 'A Growing Russian-Israeli Alliance? (תרגום לעברית)';
const TRANSLATED_TO_ENGLISH = 'בצל היחלשות התיאום הביטחוני בסוריה : נתניהו שוחח עם פוטין (English translation)';

/** An English title with a Hebrew suffix: the question mark right after "Alliance", the suffix after it. */
async function expectEnglishFirst(el: Locator): Promise<void> {
  const { text, x } = await drawnAt(el);
  expect(text).toBe(TRANSLATED_TO_HEBREW);
  const q = text.indexOf('?');
  expect(x[q]! - x[q - 1]!).toBeGreaterThan(0);
  expect(x[q]! - x[q - 1]!).toBeLessThan(20);
  // "(" left of the Hebrew words, ")" right of them, both right of the English.
  const open = text.indexOf('(');
  const hebrew = x.slice(open + 1, text.length - 1);
  expect(x[open]!).toBeGreaterThan(x[q]!);
  expect(x[open]!).toBeLessThan(Math.min(...hebrew));
  expect(x[text.length - 1]!).toBeGreaterThan(Math.max(...hebrew));
}

/**
 * A Hebrew title with an English suffix, drawn right to left: the parenthetical at the left end,
 * the English inside it. Drawn right to left, the brackets are mirrored: the ")" of the text is
 * the leftmost letter (drawn as "("), its "(" right of the English (drawn as ")").
 */
async function expectHebrewFirst(el: Locator): Promise<void> {
  const { text, x } = await drawnAt(el);
  expect(text).toBe(TRANSLATED_TO_ENGLISH);
  const open = text.indexOf('(');
  const close = text.indexOf(')');
  const english = x.slice(open + 1, close);
  const hebrew = x.slice(0, open - 1);
  expect(x[close]!).toBeLessThan(Math.min(...english));
  expect(x[open]!).toBeGreaterThan(Math.max(...english));
  expect(x[open]!).toBeLessThan(Math.min(...hebrew));
  // The English reads left to right inside.
  expect(x[text.indexOf('English')]!).toBeLessThan(x[text.indexOf('translation')]!);
}

describeE2E('library search', () => {
  const suite = e2eSuite();
  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];

    it(`counts every hit, groups them by document and shows them all on demand (${lang} interface)`, async () => {
      const server = await suite.start();
      const dir = tempDir('gloss-search-');
      const register = path.join(dir, 'register.txt');
      const grove = path.join(dir, 'grove.txt');
      // One paragraph per tree: 120 hits in one document, more than a page.
      fs.writeFileSync(register, `Olive register\n\n${Array.from({ length: REGISTER }, (_, i) => `Tree ${i + 1}: an olive planted in row ${(i % 12) + 1}.`).join('\n\n')}\n`);
      fs.writeFileSync(grove, 'The grove\n\nThe first olive stands by the gate.\n\nA second olive leans on the wall.\n\nNo olive grows by the well.\n');
      gloss(['import', register, grove], server.dataDir);
      gloss(['annotate', 'The grove', '--quote', 'by the gate', '--note', 'the oldest olive here'], server.dataDir);
      // The register's title is its first block, and a hit too.
      const inRegister = REGISTER + 1;
      const total = inRegister + 3 + 1;

      const { page } = await suite.open(server, locales[lang]);
      const search = page.getByRole('searchbox', { name: T.search!.label, exact: true });
      await search.fill('olive');
      await search.press('Enter');
      const results = page.getByRole('region', { name: T.search!.results, exact: true });
      const heading = results.getByRole('heading', { level: 1 });
      await expect.poll(() => heading.textContent()).toBe(plural(lang, T.search!, 'heading', total, { query: '\u2068olive\u2069' }));
      // The documents, the most hits first, each with its count (the grove's note counts too).
      const documents = results.getByRole('list', { name: T.search!.documents, exact: true });
      expect(await documents.getByRole('listitem').allTextContents()).toEqual([
        `Olive register${plural(lang, T.search!, 'count', inRegister)}`,
        `The grove${plural(lang, T.search!, 'count', 4)}`,
      ]);
      const hits = results.locator('.search-hit');
      expect(await hits.count()).toBe(50);
      expect(await results.locator('.search-summary').textContent()).toContain(fill(T.search!.shown!, { shown: 50, total }));
      await shot(page, 'search-page-1', lang);

      // More, a page at a time, until all are shown; the focus goes to the first new hit.
      const more = results.getByRole('button', { name: plural(lang, T.search!, 'more', 50), exact: true });
      await more.click();
      await expect.poll(() => hits.count()).toBe(100);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-hit'))).toBe('50');
      const rest = results.getByRole('button', { name: plural(lang, T.search!, 'more', total - 100), exact: true });
      await rest.click();
      await expect.poll(() => hits.count()).toBe(total);
      expect(await rest.isVisible()).toBe(false);
      expect(await results.locator('.search-summary').textContent()).not.toContain(fill(T.search!.shown!, { shown: total, total }));

      // Grouped: the register's 121, the grove's three in its text, then its note.
      const groups = await results.locator('.search-group').evaluateAll((sections) =>
        sections.map((s) => ({ heading: s.querySelector('h2')!.textContent, hits: s.querySelectorAll('.search-hit').length })),
      );
      expect(groups).toEqual([
        { heading: 'Olive register', hits: inRegister },
        { heading: 'The grove', hits: 3 },
        { heading: `The grove · ${T.search!.inNotes}`, hits: 1 },
      ]);
      // No hit twice.
      const targets = await hits.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(new Set(targets).size).toBe(total);
      await shot(page, 'search-all', lang);

      // A hit opens its document with the word highlighted.
      await results.locator('.search-group', { hasText: 'The grove' }).first().locator('.search-hit').nth(1).click();
      await expect.poll(() => page.locator('.find-hit').allTextContents()).toEqual(['olive']);
      expect(await page.locator('.find-hit').evaluate((e) => e.closest('.reader-text > *')!.textContent)).toBe('A second olive leans on the wall.');
    });
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];

    it(`renames documents in the library and the reader, and draws mixed-direction titles in their own direction (${lang} interface)`, async () => {
      const server = await suite.start();
      gloss(['translate', 'A Growing', '--lang', 'he'], server.dataDir);
      gloss(['translate', 'בצל', '--lang', 'en'], server.dataDir);
      // The two translations side by side: both heads' titles are mixed.
      const pair = /^pair (\d+)/.exec(gloss(['pair', '4', '5'], server.dataDir))![1]!;
      const { page } = await suite.open(server, locales[lang]);
      const library = page.getByRole('region', { name: T.library!.title, exact: true });
      await expectEnglishFirst(library.getByRole('link', { name: TRANSLATED_TO_HEBREW, exact: true }));
      await expectHebrewFirst(library.getByRole('link', { name: TRANSLATED_TO_ENGLISH, exact: true }));
      await shot(page, 'titles-library', lang);

      // The pair desk's head, and its HTML export (each title in its own direction in either column).
      await page.goto(`${server.url}#pair=${pair}`);
      const parts = page.locator('.pair-title .title-part');
      await expect.poll(() => parts.count()).toBe(2);
      await expectEnglishFirst(parts.nth(0));
      await expectHebrewFirst(parts.nth(1));
      await shot(page, 'titles-pair', lang);
      const file = path.join(tempDir('gloss-pair-html-'), 'pair.html');
      gloss(['export-pair', pair, '--format', 'html', '--out', file], server.dataDir);
      const report = await page.context().newPage();
      await report.setContent(fs.readFileSync(file, 'utf8'));
      await expectEnglishFirst(report.locator('thead th[lang="he"] bdi'));
      await expectHebrewFirst(report.locator('thead th[lang="en"] bdi'));
      await expectEnglishFirst(report.locator('h1 bdi').nth(0));
      await expectHebrewFirst(report.locator('h1 bdi').nth(1));
      await report.close();

      // Rename in the library: the title in a box in its row, Enter to keep it.
      await page.goto(server.url);
      await library.getByRole('button', { name: fill(T.library!.renameNamed!, { title: TRANSLATED_TO_HEBREW }), exact: true }).click();
      const box = library.getByRole('textbox', { name: fill(T.library!.newTitle!, { title: TRANSLATED_TO_HEBREW }), exact: true });
      expect(await box.evaluate((e) => e === document.activeElement)).toBe(true);
      await box.fill('צמיחתה של ברית (A Growing Alliance)');
      await shot(page, 'titles-renaming', lang);
      await box.press('Enter');
      const renamed = library.getByRole('link', { name: 'צמיחתה של ברית (A Growing Alliance)', exact: true });
      await renamed.waitFor();
      expect(await renamed.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(gloss(['list'], server.dataDir)).toContain('צמיחתה של ברית (A Growing Alliance)');
      // Escape leaves a title as it was.
      await library.getByRole('button', { name: fill(T.library!.renameNamed!, { title: TRANSLATED_TO_ENGLISH }), exact: true }).click();
      await page.keyboard.type('xyz');
      await page.keyboard.press('Escape');
      await library.getByRole('link', { name: TRANSLATED_TO_ENGLISH, exact: true }).waitFor();

      // Rename in the reader's head.
      await renamed.click();
      const head = page.locator('.doc-header');
      await head.getByRole('heading', { level: 1, name: 'צמיחתה של ברית (A Growing Alliance)' }).waitFor();
      await head.getByRole('button', { name: fill(T.library!.renameNamed!, { title: 'צמיחתה של ברית (A Growing Alliance)' }), exact: true }).click();
      const inHead = head.getByRole('textbox', { name: fill(T.library!.newTitle!, { title: 'צמיחתה של ברית (A Growing Alliance)' }), exact: true });
      await inHead.fill(TRANSLATED_TO_HEBREW);
      await inHead.press('Enter');
      const title = head.getByRole('heading', { level: 1, name: TRANSLATED_TO_HEBREW, exact: true });
      await title.waitFor();
      await expectEnglishFirst(title);
      await shot(page, 'titles-reader', lang);
      await page.getByRole('link', { name: T.app!.library, exact: true }).click();
      await expectEnglishFirst(library.getByRole('link', { name: TRANSLATED_TO_HEBREW, exact: true }));
    });
  }
});
