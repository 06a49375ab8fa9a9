/**
 * A link between two passages made and removed with the keyboard alone, in both interface
 * languages, on Ruth 1:1–2:4 in Hebrew beside English (two existing texts, so neither side is
 * editable): Tab into the texts, where a caret starts at the first source line in view; the
 * arrows move it (Alt+Down to the next row), Shift+Ctrl+arrows select two Hebrew words; Tab goes
 * on to the row's English, where the caret selects two words too; Alt+L links them, both ends
 * drawn as linked and listed; Alt+Shift+L at the linked passage removes the link; Alt+Right goes
 * back to the Hebrew of the row (and Alt+Left, the browser's "Back", never leaves the desk).
 * Only `page.keyboard` acts; the page is read, never driven, by script.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, importPair, L, type Lang, shot } from './harness.js';
import { ruthExcerpt } from '../../bench/alignment.js';

const verses = ruthExcerpt();
const HE = verses.map((v) => v.he);
const EN = verses.map((v) => v.en);

type Catalogue = Record<string, unknown>;
/** A string of the `pair` section, interpolated as i18next would. */
function text(lang: Lang, key: string, values: Record<string, string | number> = {}): string {
  const s = ((L[lang] as Catalogue).pair as Record<string, string>)[key];
  if (s === undefined) throw new Error(`no string pair.${key} in ${lang}`);
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? ''));
}

/** Where the focus and the caret are: the focused element, and the block holding the selection's focus. */
function where(page: Page) {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    const sel = document.getSelection();
    const node = sel?.focusNode;
    const block = (node instanceof HTMLElement ? node : node?.parentElement)?.closest<HTMLElement>('.pair-block');
    return {
      focus: active?.classList.contains('pair-pane') ? 'pane' : active?.classList.contains('pair-block') ? `${active.dataset.side}:${active.dataset.block}` : (active?.tagName ?? ''),
      caret: block ? `${block.dataset.side}:${block.dataset.block}` : null,
      selected: sel?.toString() ?? '',
      drawn: !(document.querySelector<HTMLElement>('.desk-caret')?.hidden ?? true),
    };
  });
}

const firstWords = (s: string, n: number) => s.split(/\s+/).slice(0, n).join(' ');

describeE2E('the desk from the keyboard: a link made and removed', () => {
  const suite = e2eSuite();

  for (const lang of ['en', 'he'] as const satisfies Lang[]) {
    it(`selects a passage in each text, links them and removes the link, keyboard only (${lang} interface)`, async () => {
      const server = await suite.start();
      const { he, en, pair: paired } = importPair(server.dataDir, 'ruth', { title: 'רות', paragraphs: HE }, { title: 'Ruth', paragraphs: EN }, true);
      // Verse 1:2 is block 2 on both sides, one unit.
      expect(paired.beads[2]).toMatchObject({ source: [2], target: [2] });

      const { page } = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await page.evaluate((id) => (location.hash = `#pair=${id}`), paired.id);
      await page.locator('.unit-row').first().waitFor();
      const hash = await page.evaluate(() => location.hash);

      // Tab from the top of the page until the texts' pane has the focus: it is a Tab stop.
      let tabs = 0;
      while ((await where(page)).focus !== 'pane' && tabs < 40) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      expect(tabs).toBeLessThan(40);
      expect(await page.locator('.pair-pane').getAttribute('aria-label')).toBe(text(lang, 'textsLabel'));
      // A caret at the first source line in view: the Hebrew title, drawn.
      await expect.poll(() => where(page)).toMatchObject({ focus: 'pane', caret: 'source:0', drawn: true });

      // Down a line: verse 1:1; Alt+Down: the start of the next row's Hebrew, verse 1:2.
      await page.keyboard.press('ArrowDown');
      await expect.poll(async () => (await where(page)).caret).toBe('source:1');
      await page.keyboard.press('Alt+ArrowDown');
      await expect.poll(async () => (await where(page)).caret).toBe('source:2');
      await expect.poll(() => page.evaluate(() => document.querySelector<HTMLElement>('.unit-row.current')?.dataset.unit)).toBe('2');
      await shot(page, 'pair-keyboard-caret', lang);
      // Two words forward: in Hebrew the words go leftward, as the arrow points.
      await page.keyboard.press('Shift+Control+ArrowLeft');
      await page.keyboard.press('Shift+Control+ArrowLeft');
      await expect.poll(async () => (await where(page)).selected.trim()).toBe(firstWords(HE[1]!, 2));
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([firstWords(HE[1]!, 2)]);

      // Tab: on to the row's English, where the caret starts and selects two words rightward.
      await page.keyboard.press('Tab');
      await expect.poll(async () => (await where(page)).focus).toBe('target:2');
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => where(page)).toMatchObject({ focus: 'target:2', caret: 'target:2', drawn: true });
      await page.keyboard.press('Shift+Control+ArrowRight');
      await page.keyboard.press('Shift+Control+ArrowRight');
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([firstWords(HE[1]!, 2), firstWords(EN[1]!, 2)]);
      await shot(page, 'pair-keyboard-chosen', lang);

      // Alt+L links them: both passages drawn as linked, the link listed.
      await page.keyboard.press('Alt+L');
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      const linked = (side: string) => page.locator(`.pair-block[data-side="${side}"] .hl-linked`).allTextContents().then((t) => t.join('').trim());
      await expect.poll(() => linked('source')).toBe(firstWords(HE[1]!, 2));
      await expect.poll(() => linked('target')).toBe(firstWords(EN[1]!, 2));
      expect(JSON.parse(gloss(['links', String(he.id), '--json'], server.dataDir))).toHaveLength(1);
      await shot(page, 'pair-keyboard-linked', lang);

      // The caret back into the linked English passage; Alt+Shift+L removes the link.
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => (await where(page)).caret).toBe('target:2');
      await page.keyboard.press('Alt+Shift+L');
      await expect.poll(() => page.locator('.link-item').count()).toBe(0);
      await expect.poll(() => page.locator('.pair-block .hl-linked').count()).toBe(0);
      expect(JSON.parse(gloss(['links', String(he.id), '--json'], server.dataDir))).toHaveLength(0);
      await expect.poll(() => page.locator('.toast-text').allTextContents()).toContain(text(lang, 'linkRemoved'));
      await shot(page, 'pair-keyboard-unlinked', lang);

      // Alt+Left points away from the Hebrew (on the right): nothing, and never the browser's Back.
      await page.keyboard.press('Alt+ArrowLeft');
      expect(await page.evaluate(() => location.hash)).toBe(hash);
      expect((await where(page)).focus).toBe('target:2');
      // Alt+Right: back to the caret at the start of the row's Hebrew.
      await page.keyboard.press('Alt+ArrowRight');
      await expect.poll(() => where(page)).toMatchObject({ focus: 'pane', caret: 'source:2', drawn: true });
      expect(await page.evaluate(() => location.hash)).toBe(hash);

      // A selection down across rows stays in the Hebrew: its quote is the Hebrew text, no English in it.
      for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowDown');
      await expect.poll(async () => (await where(page)).caret).toBe('source:4');
      const quote = async () => (await page.locator('.pending .quote').allTextContents())[0] ?? '';
      await expect.poll(quote).toMatch(new RegExp(`^${firstWords(HE[1]!, 2)}`));
      expect(await quote()).not.toMatch(/[A-Za-z]/);
      expect((await where(page)).selected).not.toMatch(/[A-Za-z]/);
      await shot(page, 'pair-keyboard-rows', lang);

      // A translation being written: the caret in the English source, Tab to the row's segment,
      // a few words typed there and selected with Shift+Home, Alt+L.
      const started = JSON.parse(gloss(['translate', String(en.id), '--lang', 'he', '--json'], server.dataDir)) as { pair: { id: number } };
      await page.evaluate((id) => (location.hash = `#pair=${id}`), started.pair.id);
      await page.locator('.pair-block[data-side="target"][role="textbox"]').first().waitFor();
      // The focus went with the other pair's pane: Tab from the top of the page into the texts again.
      tabs = 0;
      while ((await where(page)).focus !== 'pane' && tabs < 60) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      expect(tabs).toBeLessThan(60);
      await expect.poll(async () => (await where(page)).caret).toBe('source:0');
      await page.keyboard.press('Alt+ArrowDown');
      await expect.poll(async () => (await where(page)).caret).toBe('source:1');
      await page.keyboard.press('Shift+Control+ArrowRight');
      await page.keyboard.press('Shift+Control+ArrowRight');
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([firstWords(EN[0]!, 2)]);
      await page.keyboard.press('Tab');
      await expect.poll(async () => (await where(page)).focus).toBe('target:1');
      await page.keyboard.type('ויהי בימי');
      await page.keyboard.press('Shift+Home');
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([firstWords(EN[0]!, 2), 'ויהי בימי']);
      await page.keyboard.press('Alt+L');
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      expect(JSON.parse(gloss(['links', String(en.id), '--json'], server.dataDir))).toHaveLength(1);
      // A segment is not redrawn while it is written in: its linked passage shows once it is left.
      await page.keyboard.press('Tab');
      await expect.poll(async () => (await where(page)).focus).toBe('target:2');
      await expect.poll(() => linked('target')).toBe('ויהי בימי');
      await expect.poll(() => linked('source')).toBe(firstWords(EN[0]!, 2));
      await shot(page, 'pair-keyboard-translation', lang);
    });
  }
});
