/**
 * A long pair in the desk, in both interface languages: Ruth 1:1–2:4 thirty times over on each
 * side (780 verses a side, about 330 KB each), paired block by block. The first rows come before
 * the rest of the texts; only sections of rows near the screen are drawn, and those far from it
 * are put back to placeholders; rows stay aligned wherever one scrolls; Tab goes on from segment
 * to segment across a section's edge; "Next to review" reaches a unit far down, drawing its
 * section first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, importPair, L, markdown, type Lang, ready, shot } from './harness.js';
import { ruthExcerpt } from '../../bench/alignment.js';

const TIMES = 30;
const verses = ruthExcerpt();
const HE = Array.from({ length: TIMES }, (_, k) => verses.map((v) => `${v.he} (${k + 1})`)).flat();
const EN = Array.from({ length: TIMES }, (_, k) => verses.map((v) => `${v.en} (${k + 1})`)).flat();

function text(lang: Lang, key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = (L[lang] as Record<string, unknown>).pair;
  const parts = key.split('.');
  for (const p of parts.slice(0, -1)) node = (node as Record<string, unknown>)[p];
  const table = node as Record<string, string>;
  key = parts[parts.length - 1]!;
  let s = table[key];
  if (s === undefined && 'count' in values) s = table[`${key}_${new Intl.PluralRules(lang).select(Number(values.count))}`] ?? table[`${key}_other`];
  if (s === undefined) throw new Error(`no string pair.${key} in ${lang}`);
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

const sections = (page: Page) =>
  page.evaluate(() => ({ total: document.querySelectorAll('.pair-section').length, drawn: document.querySelectorAll('.pair-section:not(.placeholder)').length, first: !document.querySelector('.pair-section')!.classList.contains('placeholder') }));

/** Rows in view: each with its two cells' tops. */
const rowsInView = (page: Page) =>
  page.evaluate(() => {
    const pane = document.querySelector<HTMLElement>('.pair-pane')!;
    const view = pane.getBoundingClientRect();
    return Array.from(pane.querySelectorAll<HTMLElement>('.unit-row'))
      .filter((r) => r.getBoundingClientRect().bottom > view.top && r.getBoundingClientRect().top < view.bottom)
      .map((r) => ({ unit: Number(r.dataset.unit), tops: Array.from(r.querySelectorAll<HTMLElement>(':scope > .unit')).map((c) => Math.round(c.getBoundingClientRect().top)) }));
  });

describeE2E('a long pair in the desk', () => {
  const suite = e2eSuite();

  for (const lang of ['en', 'he'] as const satisfies Lang[]) {
    it(`first rows first, sections drawn near the screen, rows aligned anywhere, Tab across sections, review far down (${lang} interface)`, async () => {
      const server = await suite.start();
      const { dir, he, pair } = importPair(server.dataDir, 'long', { title: 'רות ארוכה', paragraphs: HE }, { title: 'Long Ruth', paragraphs: EN }, false);
      expect(pair.beads).toHaveLength(HE.length + 1);

      const { page } = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
      await page.evaluate((id) => (location.hash = `#pair=${id}`), pair.id);
      await page.locator('.unit-row').first().waitFor();
      await page.getByRole('button', { name: text(lang, 'layouts.side'), exact: true }).click();
      // Once everything is here, the sections are cut by size; only those near the screen are drawn.
      await expect.poll(() => page.locator('.unit-row .pair-block .hl, .unit-row').count()).toBeGreaterThan(5);
      await expect.poll(async () => (await sections(page)).total).toBeGreaterThan(20);
      const open = await sections(page);
      expect(open.drawn).toBeLessThanOrEqual(4);
      expect(open.first).toBe(true);
      const rowsDrawn = await page.locator('.unit-row').count();
      expect(rowsDrawn).toBeLessThan(200);
      for (const r of await rowsInView(page)) expect(Math.abs(r.tops[0]! - r.tops[1]!)).toBeLessThanOrEqual(2);

      // Far down: rows are drawn there, aligned, and the first section is put away.
      await page.evaluate(() => {
        const pane = document.querySelector<HTMLElement>('.pair-pane')!;
        pane.scrollTop = pane.scrollHeight * 0.6;
      });
      await expect.poll(async () => (await rowsInView(page)).length).toBeGreaterThan(2);
      const far = await rowsInView(page);
      expect(far[0]!.unit).toBeGreaterThan(300);
      for (const r of far) expect({ unit: r.unit, aligned: Math.abs(r.tops[0]! - r.tops[1]!) <= 2 }).toEqual({ unit: r.unit, aligned: true });
      // The texts beside each other are each other's (verse and copy number alike).
      const pairs = await page.evaluate((u) => {
        const row = document.querySelector<HTMLElement>(`.unit-row[data-unit="${u}"]`)!;
        return [row.querySelector('.unit[data-side="source"] .pair-block')!.textContent, row.querySelector('.unit[data-side="target"] .pair-block')!.textContent];
      }, far[0]!.unit);
      expect(pairs).toEqual([HE[far[0]!.unit - 1], EN[far[0]!.unit - 1]]);
      await expect.poll(async () => (await sections(page)).first).toBe(false);
      await shot(page, 'pair-long-far', lang);

      // Tab goes on across a section's edge: from the last target segment drawn to the next one.
      const last = await page.evaluate(() => {
        const drawn = Array.from(document.querySelectorAll<HTMLElement>('.pair-section:not(.placeholder)'));
        const section = drawn[drawn.length - 1]!;
        const blocks = section.querySelectorAll<HTMLElement>('.pair-block[data-side="target"]');
        return Number(blocks[blocks.length - 1]!.dataset.block);
      });
      await page.locator(`.pair-block[data-side="target"][data-block="${last}"]`).click();
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.block)).toBe(String(last + 1));
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.block)).toBe(String(last + 2));

      // An update removes a verse near the end; "Next to review" brings its unit, far down, to the screen.
      const gone = HE.length - 20;
      fs.writeFileSync(path.join(dir, 'long-he-2.md'), markdown('רות ארוכה', HE.filter((_, i) => i !== gone)));
      gloss(['update', String(he.id), path.join(dir, 'long-he-2.md')], server.dataDir);
      await page.reload();
      await ready(page);
      await page.locator('.unit-row').first().waitFor();
      await expect.poll(() => page.locator('.review-count').textContent()).toBe(text(lang, 'reviewCount', { count: 1 }));
      await page.getByRole('button', { name: text(lang, 'nextReview'), exact: true }).click();
      await expect.poll(() => page.evaluate(() => document.querySelector<HTMLElement>('.unit-row.current')?.dataset.unit)).toBe(String(gone + 1));
      const current = await page.evaluate(() => {
        const row = document.querySelector<HTMLElement>('.unit-row.current')!;
        const pane = document.querySelector<HTMLElement>('.pair-pane')!.getBoundingClientRect();
        const r = row.getBoundingClientRect();
        return { inView: r.top >= pane.top && r.bottom <= pane.bottom, target: row.querySelector('.unit[data-side="target"] .pair-block')!.textContent, source: row.querySelectorAll('.unit[data-side="source"] .pair-block').length };
      });
      expect(current).toEqual({ inView: true, target: EN[gone], source: 0 });
      await shot(page, 'pair-long-review', lang);
    });
  }
});
