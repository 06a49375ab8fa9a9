/**
 * The translator's desk, round two, end to end in both interface languages, on Ruth 1:1–2:4
 * (tests/fixtures/pairs) in Hebrew beside English:
 *
 * - aligned rows: side by side, every unit one row, its Hebrew (on the right) and its English
 *   top-aligned within a few pixels for every unit in view, the row as tall as the taller side;
 *   Tab and Shift+Tab go from English segment to English segment, Alt+Down and Alt+Up from row to
 *   row, and the row of the caret is marked on both sides;
 * - an update of the Hebrew that removes a verse: after it, every later verse is still beside its
 *   own English, and the removed verse's English stands alone, marked for review (and "Next to
 *   review" goes to it);
 * - an XLIFF round trip through the desk: a translation started in Gloss exported as XLIFF,
 *   translated outside (the targets filled in), imported with the desk's button: the report says
 *   what was updated, and the translation shows it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, importPair, markdown, L, type Lang, ready, shot } from './harness.js';
import { ruthExcerpt } from '../../bench/alignment.js';

const verses = ruthExcerpt();
const HE = verses.map((v) => v.he);
const EN = verses.map((v) => v.en);

type Catalogue = Record<string, unknown>;
/** A string of the `pair` section, interpolated as i18next would (plural forms by `count`). */
function text(lang: Lang, key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = (L[lang] as Catalogue).pair;
  const parts = key.split('.');
  for (const p of parts.slice(0, -1)) node = (node as Catalogue)[p];
  const leaf = parts[parts.length - 1]!;
  const table = node as Record<string, string>;
  let s = table[leaf];
  if (s === undefined && 'count' in values) {
    const form = new Intl.PluralRules(lang).select(Number(values.count));
    s = table[`${leaf}_${form}`] ?? table[`${leaf}_other`];
  }
  if (s === undefined) throw new Error(`no string pair.${key} in ${lang}`);
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

/** For every unit row in the pane's view: the tops of its two cells and of their first blocks, and which side is on the right. */
function rowGeometry(page: Page) {
  return page.evaluate(() => {
    const pane = document.querySelector<HTMLElement>('.pair-pane[data-layout="side"]')!;
    const view = pane.getBoundingClientRect();
    const head = pane.querySelector<HTMLElement>('.pair-heads')!.getBoundingClientRect().bottom;
    const out: { unit: number; cellTops: number[]; blockTops: number[]; rowHeight: number; cellHeights: number[]; rightSide: string }[] = [];
    for (const row of Array.from(pane.querySelectorAll<HTMLElement>('.unit-row'))) {
      const r = row.getBoundingClientRect();
      if (r.bottom < head || r.top > view.bottom) continue;
      const cells = Array.from(row.querySelectorAll<HTMLElement>(':scope > .unit'));
      const first = (c: HTMLElement) => c.querySelector<HTMLElement>('.pair-block, .unit-empty')!.getBoundingClientRect().top;
      const right = cells.reduce((a, b) => (a.getBoundingClientRect().left > b.getBoundingClientRect().left ? a : b));
      out.push({ unit: Number(row.dataset.unit), cellTops: cells.map((c) => c.getBoundingClientRect().top), blockTops: cells.map(first), rowHeight: r.height, cellHeights: cells.map((c) => c.getBoundingClientRect().height), rightSide: right.dataset.side! });
    }
    return out;
  });
}

/** The text beside each Hebrew block, row by row: [Hebrew, English] of every row holding both. */
function rowTexts(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.unit-row')).map((row) => ({
      unit: Number(row.dataset.unit),
      review: row.querySelector('.unit.review') !== null,
      source: Array.from(row.querySelectorAll<HTMLElement>('.unit[data-side="source"] .pair-block')).map((b) => b.textContent),
      target: Array.from(row.querySelectorAll<HTMLElement>('.unit[data-side="target"] .pair-block')).map((b) => b.textContent),
    })),
  );
}

const activeBlock = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return el?.classList.contains('pair-block') ? `${el.dataset.side}:${el.dataset.block}` : (el?.className ?? '');
});

describeE2E('the translator’s desk: aligned rows, updates, XLIFF', () => {
  const suite = e2eSuite();

  for (const lang of ['en', 'he'] as const satisfies Lang[]) {
    it(`rows aligned, keyboard between segments and rows, an update that removes a verse, an XLIFF round trip (${lang} interface)`, async () => {
      const server = await suite.start();
      const { dir, he, en, pair: paired } = importPair(server.dataDir, 'ruth', { title: 'רות', paragraphs: HE }, { title: 'Ruth', paragraphs: EN }, true);
      expect(paired.beads).toHaveLength(verses.length + 1);

      const { page } = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await page.evaluate((id) => (location.hash = `#pair=${id}`), paired.id);
      await page.locator('.unit-row').first().waitFor();
      await page.getByRole('button', { name: text(lang, 'layouts.side'), exact: true }).click();
      await page.getByRole('button', { name: text(lang, 'confirmAll'), exact: true }).click();
      await expect.poll(() => page.locator('.unit-row .unit.confirmed').count()).toBe(2 * (verses.length + 1));

      // Aligned rows: every row in view has its two cells and their first blocks at one height,
      // the Hebrew on the right, the row as tall as the taller cell.
      const check = async () => {
        const rows = await rowGeometry(page);
        expect(rows.length).toBeGreaterThan(3);
        for (const r of rows) {
          expect({ unit: r.unit, cells: Math.abs(r.cellTops[0]! - r.cellTops[1]!) <= 2, blocks: Math.abs(r.blockTops[0]! - r.blockTops[1]!) <= 3, right: r.rightSide }).toEqual({ unit: r.unit, cells: true, blocks: true, right: 'source' });
          expect(Math.abs(r.rowHeight - Math.max(...r.cellHeights))).toBeLessThanOrEqual(1);
        }
        return rows;
      };
      const top = await check();
      expect(top[0]!.unit).toBe(0);
      await shot(page, 'pair-rows', lang);
      // Further down: the same.
      await page.evaluate(() => {
        const pane = document.querySelector<HTMLElement>('.pair-pane')!;
        pane.scrollTop = pane.scrollHeight / 2;
      });
      const middle = await check();
      expect(middle[0]!.unit).toBeGreaterThan(5);

      // Keyboard: Tab from English segment to English segment, Shift+Tab back, Alt+Down to the next row.
      await page.evaluate(() => (document.querySelector<HTMLElement>('.pair-pane')!.scrollTop = 0));
      await page.locator('.pair-block[data-side="target"][data-block="2"]').click();
      expect(await activeBlock(page)).toBe('target:2');
      await page.keyboard.press('Tab');
      expect(await activeBlock(page)).toBe('target:3');
      await page.keyboard.press('Tab');
      expect(await activeBlock(page)).toBe('target:4');
      await page.keyboard.press('Shift+Tab');
      expect(await activeBlock(page)).toBe('target:3');
      await page.keyboard.press('Alt+ArrowDown');
      expect(await activeBlock(page)).toBe('target:4');
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Alt+ArrowUp');
      expect(await activeBlock(page)).toBe('target:4');
      // The row of the caret is marked on both sides.
      const marked = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.unit-row.current')).map((r) => [r.dataset.unit, r.querySelectorAll('.unit.current').length]));
      expect(marked).toEqual([['4', 2]]);
      await shot(page, 'pair-rows-keyboard', lang);

      // An update of the Hebrew removes verse 1:10 (block 10): after it, later verses keep their partners.
      const gone = 9;
      fs.writeFileSync(path.join(dir, 'ruth-he-2.md'), markdown('רות', HE.filter((_, i) => i !== gone)));
      gloss(['update', String(he.id), path.join(dir, 'ruth-he-2.md')], server.dataDir);
      await page.reload();
      await ready(page);
      await page.locator('.unit-row').first().waitFor();
      const rows = await rowTexts(page);
      expect(rows).toHaveLength(verses.length + 1);
      for (const r of rows.slice(1)) {
        if (r.source.length === 0) {
          // The removed verse's English, alone and marked.
          expect(r).toMatchObject({ target: [EN[gone]], review: true });
          continue;
        }
        const v = HE.indexOf(r.source[0]!);
        expect({ v, target: r.target, review: r.review }).toEqual({ v, target: [EN[v]], review: false });
      }
      await expect.poll(() => page.locator('.review-count').textContent()).toBe(text(lang, 'reviewCount', { count: 1 }));
      await page.getByRole('button', { name: text(lang, 'nextReview'), exact: true }).click();
      await expect.poll(() => page.evaluate(() => document.querySelector<HTMLElement>('.unit-row.current')?.dataset.unit)).toBe(String(gone + 1));
      await check();
      await shot(page, 'pair-rows-review', lang);
      // One text: the Hebrew alone (its units only), under its head.
      await page.getByRole('button', { name: text(lang, 'layouts.single'), exact: true }).click();
      const single = await page.evaluate(() => ({
        heads: Array.from(document.querySelectorAll<HTMLElement>('.pair-heads .pair-column-head')).map((h) => h.dataset.side),
        sides: [...new Set(Array.from(document.querySelectorAll<HTMLElement>('.pair-block')).map((b) => b.dataset.side))],
        units: document.querySelectorAll('.pair-pane > .pair-section > .unit').length,
      }));
      expect(single).toEqual({ heads: ['source'], sides: ['source'], units: verses.length });
      await shot(page, 'pair-rows-single', lang);
      await page.getByRole('button', { name: text(lang, 'layouts.side'), exact: true }).click();

      // XLIFF round trip through the desk, on a translation started in Gloss.
      const started = JSON.parse(gloss(['translate', String(en.id), '--lang', 'he', '--json'], server.dataDir)) as { pair: { id: number } };
      await page.evaluate((id) => (location.hash = `#pair=${id}`), started.pair.id);
      await page.locator('.pair-block[data-side="target"][role="textbox"]').first().waitFor();
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: text(lang, 'exportAs', { format: 'XLIFF' }), exact: true }).click();
      const xliff = fs.readFileSync((await (await downloading).path())!, 'utf8');
      expect(xliff.match(/<trans-unit /g)).toHaveLength(verses.length + 1);
      // Translated outside: units 1 to 5 get their Hebrew (the translation of the English).
      const translated = xliff.replace(/(<trans-unit id="s(\d+)\.t\d+"[^>]*>\s*<source[^>]*>[^<]*<\/source>\s*<target[^>]*state=")new(">)[^<]*(<\/target>)/g, (m, open: string, n: string, mid: string, close: string) =>
        Number(n) >= 1 && Number(n) <= 5 ? `${open}translated${mid}${HE[Number(n) - 1]}${close}` : m,
      );
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: text(lang, 'importTranslation'), exact: true }).click();
      await (await chooser).setFiles({ name: 'ruth-he.xlf', mimeType: 'application/x-xliff+xml', buffer: Buffer.from(translated, 'utf8') });
      await expect
        .poll(() => page.locator('.xliff-report .report-summary').textContent())
        .toBe(text(lang, 'importSummary', { file: '\u2068ruth-he.xlf\u2069', count: verses.length + 1, updated: 5, unchanged: 0, untranslated: verses.length - 4, notMatched: 0 }).replace(/\u2068|\u2069/g, (c) => c));
      const written = () => page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.pair-block[data-side="target"]')).slice(0, 7).map((b) => b.textContent));
      await expect.poll(written).toEqual(['', ...HE.slice(0, 5), '']);
      await page.mouse.move(5, 400);
      await shot(page, 'pair-rows-xliff', lang);

      // The English gains a paragraph: its unit has no segment in the translation until one is added.
      const added = 'A paragraph the new edition added.';
      fs.writeFileSync(path.join(dir, 'ruth-en-2.md'), markdown('Ruth', [...EN.slice(0, 3), added, ...EN.slice(3)]));
      gloss(['update', String(en.id), path.join(dir, 'ruth-en-2.md')], server.dataDir);
      await page.reload();
      await ready(page);
      await page.locator('.pair-block[data-side="target"][role="textbox"]').first().waitFor();
      await page.getByRole('button', { name: text(lang, 'addSegmentNamed', { n: 5 }), exact: true }).click();
      await expect.poll(() => activeBlock(page)).toBe('target:4');
      await page.keyboard.type('פסקה חדשה');
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.pair-block[data-side="target"]')).slice(3, 6).map((b) => b.textContent))).toEqual([HE[2], 'פסקה חדשה', HE[3]]);
      await expect.poll(() => page.locator('.save-state').textContent()).toBe(text(lang, 'saved'));
      await shot(page, 'pair-rows-added', lang);
    });
  }
});
