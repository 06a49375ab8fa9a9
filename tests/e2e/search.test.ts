/**
 * Library search that tells the truth, in both interface languages: the whole count, the
 * documents with their counts, hits grouped by document (text, then notes), and more on demand
 * until every hit is shown; a hit opens its document with the words highlighted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeE2E, e2eSuite, gloss, L, type Lang, shot, tempDir } from './harness.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

function plural(lang: Lang, group: Record<string, string>, key: string, count: number, values: Record<string, string | number> = {}): string {
  const form = count === 1 ? 'one' : count === 2 && lang === 'he' ? 'two' : 'other';
  return fill(group[`${key}_${form}`]!, { count, ...values });
}

const REGISTER = 120;

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
});
