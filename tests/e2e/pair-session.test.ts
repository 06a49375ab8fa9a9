/**
 * The desk and its documents' sessions agree, in both interface languages, on Ruth 1:1–2:4 in
 * Hebrew beside English: a link made on the desk makes a highlight in each text through its
 * session; Ctrl+Z undoes it through the sessions (the highlights deleted, the link with them, in
 * the library too) and the desk and the links list redraw from the sessions' events, without
 * asking the library for the annotations again; Ctrl+Shift+Z brings the same highlights (same ids)
 * and the link back. A link removed with its × is brought back by Ctrl+Z, the highlights untouched.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, importPair, L, type Lang, selectPhrase } from './harness.js';
import { ruthExcerpt } from '../../bench/alignment.js';

const verses = ruthExcerpt();
const HE = verses.map((v) => v.he);
const EN = verses.map((v) => v.en);
const firstWords = (s: string, n: number) => s.split(/\s+/).slice(0, n).join(' ');

type Catalogue = Record<string, Record<string, string>>;
const pairText = (lang: Lang, key: string) => (L[lang] as Catalogue).pair![key]!;

/** The annotation ids drawn on one side, in the order drawn. */
function drawnIds(page: Page, side: string): Promise<string[]> {
  return page.evaluate((side) => [...new Set(Array.from(document.querySelectorAll<HTMLElement>(`.pair-block[data-side="${side}"] [data-annotation-id]`)).map((e) => e.dataset.annotationId!))], side);
}

describeE2E('the desk on its documents\' sessions', () => {
  const suite = e2eSuite();

  for (const lang of ['en', 'he'] as const satisfies Lang[]) {
    it(`a link's highlights undone and redone through the sessions, drawn from their events (${lang} interface)`, async () => {
      const server = await suite.start();
      const { he, en, pair: paired } = importPair(server.dataDir, 'ruth', { title: 'רות', paragraphs: HE }, { title: 'Ruth', paragraphs: EN }, true);
      const stored = (doc: number) => JSON.parse(gloss(['annotations', String(doc), '--json'], server.dataDir)) as { id: string }[];
      const links = () => JSON.parse(gloss(['links', String(he.id), '--json'], server.dataDir)) as unknown[];

      const { page } = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      // Every time the renderer asks the library for a document's annotations.
      let listed = 0;
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.endsWith('/api/annotations.list')) listed++;
      });
      await page.evaluate((id) => (location.hash = `#pair=${id}`), paired.id);
      await page.locator('.unit-row').first().waitFor();
      await expect.poll(() => listed).toBe(2);

      // Ctrl+Z with nothing done on the desk: said so, nothing changed.
      await page.locator('.pair-block[data-side="source"][data-block="2"]').click();
      await page.keyboard.press('Control+Z');
      await expect.poll(() => page.locator('.toast-text').allTextContents()).toContain(L[lang].toolbar!.nothingToUndo);

      // Link two words of verse 1:2 in each text: a highlight made in each, drawn as linked.
      await selectPhrase(page, firstWords(HE[1]!, 2), 0, '.pair-block[data-side="source"]');
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([firstWords(HE[1]!, 2)]);
      await selectPhrase(page, firstWords(EN[1]!, 2), 0, '.pair-block[data-side="target"]');
      await expect.poll(() => page.locator('.pending .quote').count()).toBe(2);
      await page.getByRole('button', { name: pairText(lang, 'linkPassages'), exact: true }).click();
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      await expect.poll(() => page.locator('.pair-block .hl-linked').count()).toBeGreaterThanOrEqual(2);
      const source = await drawnIds(page, 'source');
      const target = await drawnIds(page, 'target');
      expect(source).toHaveLength(1);
      expect(target).toHaveLength(1);
      expect(stored(he.id).map((a) => a.id)).toEqual(source);
      expect(stored(en.id).map((a) => a.id)).toEqual(target);
      expect(links()).toHaveLength(1);

      // Ctrl+Z: both highlights undone through their sessions, and the link with them, here and in the library.
      await page.keyboard.press('Control+Z');
      await expect.poll(() => page.locator('.pair-block [data-annotation-id]').count()).toBe(0);
      await expect.poll(() => page.locator('.link-item').count()).toBe(0);
      await expect.poll(() => stored(he.id).length + stored(en.id).length).toBe(0);
      expect(links()).toHaveLength(0);
      await expect.poll(() => page.locator('.toast-text').allTextContents()).toContain(pairText(lang, 'linkRemoved'));

      // Ctrl+Shift+Z: the same highlights (same ids) and their link back.
      await page.keyboard.press('Control+Shift+Z');
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      await expect.poll(() => drawnIds(page, 'source')).toEqual(source);
      await expect.poll(() => drawnIds(page, 'target')).toEqual(target);
      await expect.poll(() => page.locator('.pair-block .hl-linked').count()).toBeGreaterThanOrEqual(2);
      expect(stored(he.id).map((a) => a.id)).toEqual(source);
      expect(links()).toHaveLength(1);

      // The link removed with its ×: the highlights stay, no longer linked; Ctrl+Z links them again.
      await page.getByRole('button', { name: new RegExp(`^${pairText(lang, 'removeLink').split('{{')[0]!.trim()}`) }).click();
      await expect.poll(() => page.locator('.link-item').count()).toBe(0);
      await expect.poll(() => page.locator('.pair-block .hl-linked').count()).toBe(0);
      expect(await drawnIds(page, 'source')).toEqual(source);
      await page.locator('.pair-block[data-side="source"][data-block="5"]').click();
      await page.keyboard.press('Control+Z');
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      await expect.poll(() => page.locator('.pair-block .hl-linked').count()).toBeGreaterThanOrEqual(2);
      expect(links()).toHaveLength(1);

      // All along, the desk drew from the sessions' events: the annotations were asked for once per text, at opening.
      expect(listed).toBe(2);
    });
  }
});
