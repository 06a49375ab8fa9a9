/**
 * The bilingual desk end to end, in both interface languages: the Hebrew and the English seed
 * paired through the command line (aligned automatically) are opened side by side, each column in
 * its own direction with the Hebrew on the right, in rows (a unit's two sides in one row, so
 * scrolling keeps them together); a unit is confirmed and the pair exported as TMX. Then a translation of the
 * Hebrew seed is started from the library, an English paragraph typed into its first block, a
 * passage linked across the two texts; after a reload the text, the progress and the link are
 * all there, and choosing the linked highlight reveals its partner.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, type GlossServer, L, type Lang, ready, selectPhrase, type Session, shot } from './harness.js';

const HEBREW_PHRASE = 'נתניהו שוחח עם פוטין';
const ENGLISH_PARAGRAPH = 'Amid weakening security coordination in Syria: Netanyahu spoke with Putin.';
const ENGLISH_PHRASE = 'Netanyahu spoke with Putin';

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

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Selects `phrase` inside the first block of `side` holding it, as a mouse drag would. */
function selectIn(page: Page, side: 'source' | 'target', phrase: string): Promise<void> {
  return selectPhrase(page, phrase, 0, `.pair-block[data-side="${side}"]`);
}

/** Whether an element lies (at least half) inside its pane's visible box. */
function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((selector) => {
    const el = document.querySelector<HTMLElement>(selector);
    const pane = el?.closest<HTMLElement>('.pair-pane');
    if (!el || !pane) return false;
    const a = el.getBoundingClientRect();
    const v = pane.getBoundingClientRect();
    const visible = Math.min(a.bottom, v.bottom) - Math.max(a.top, v.top);
    return visible >= Math.min(a.height, v.height) / 2;
  }, selector);
}

describeE2E('bilingual desk', () => {
  const suite = e2eSuite();
  let server: GlossServer | undefined;
  let session: Session | undefined;

  for (const lang of ['en', 'he'] as const satisfies Lang[]) {
    it(`pairs, scrolls together, translates and links across the texts (${lang} interface)`, async () => {
      server = await suite.start();
      const docs = JSON.parse(gloss(['list', '--json'], server.dataDir)) as { id: number; title: string; language: string }[];
      const hebrew = docs.find((d) => d.language === 'he')!;
      const english = docs.find((d) => d.title.startsWith('A Growing'))!;
      expect(gloss(['pair', String(hebrew.id), String(english.id), '--auto-align'], server.dataDir)).toMatch(/^pair 1:/);
      // As many units as the aligner made of these two texts (they are not translations of each other).
      const units = (JSON.parse(gloss(['align', '1', '--json'], server.dataDir)) as { beads: unknown[] }).beads.length;
      session = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
      const { page } = session;
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);

      // Open the pair: each column in its own direction, the Hebrew one on the right.
      await page.evaluate(() => (location.hash = '#pair=1'));
      await page.locator('.pair-block[data-side="target"]').first().waitFor();
      const layout = await page.evaluate(() => {
        const cells = (side: string) => Array.from(document.querySelectorAll<HTMLElement>(`.unit-row > .unit[data-side="${side}"]`));
        const dirs = (side: string) => [...new Set(Array.from(document.querySelectorAll(`.pair-block[data-side="${side}"]`)).map((b) => getComputedStyle(b).direction))];
        return {
          source: [...new Set(cells('source').map((c) => getComputedStyle(c).direction))].join(),
          target: [...new Set(cells('target').map((c) => getComputedStyle(c).direction))].join(),
          sourceBlocks: dirs('source'),
          targetBlocks: dirs('target'),
          sourceLeft: cells('source')[0]!.getBoundingClientRect().left,
          targetLeft: cells('target')[0]!.getBoundingClientRect().left,
        };
      });
      expect(layout).toMatchObject({ source: 'rtl', target: 'ltr', sourceBlocks: ['rtl'], targetBlocks: ['ltr'] });
      expect(layout.sourceLeft).toBeGreaterThan(layout.targetLeft);
      await shot(page, 'pair-side', lang);

      // Scroll the pane: the counterpart of the unit now at its top is beside it, in view.
      const unit = await page.evaluate(() => {
        const pane = document.querySelector<HTMLElement>('.pair-pane')!;
        const block = pane.querySelector<HTMLElement>('.pair-block[data-side="source"][data-block="8"]')!;
        pane.scrollTop += block.getBoundingClientRect().top - pane.getBoundingClientRect().top - 60;
        return block.closest<HTMLElement>('.unit')!.dataset.unit!;
      });
      const counterpart = `.unit[data-side="target"][data-unit="${unit}"] .pair-block`;
      expect(await page.locator(counterpart).count()).toBeGreaterThan(0);
      await expect.poll(() => inView(page, counterpart)).toBe(true);
      const tops = await page.evaluate((u) => Array.from(document.querySelectorAll<HTMLElement>(`.unit[data-unit="${u}"]`)).map((c) => Math.round(c.getBoundingClientRect().top)), unit);
      expect(tops).toHaveLength(2);
      expect(Math.abs(tops[0]! - tops[1]!)).toBeLessThanOrEqual(2);
      // Hovering a block marks its counterpart.
      await page.locator('.pair-block[data-side="source"][data-block="8"]').hover();
      await expect.poll(() => page.locator(`.unit[data-side="target"][data-unit="${unit}"]`).getAttribute('class')).toContain('hovered');
      await shot(page, 'pair-scrolled', lang);

      // Confirm that unit through its marker and the strip's button; it is drawn as confirmed.
      await page.locator(`.unit[data-side="source"] .unit-marker[data-unit="${unit}"]`).click();
      const n = Number(unit) + 1;
      await page.getByRole('button', { name: text(lang, 'confirmNamed', { n }), exact: true }).click();
      await expect.poll(() => page.locator(`.unit[data-side="target"][data-unit="${unit}"]`).getAttribute('class')).toContain('confirmed');
      await expect.poll(() => page.locator('.pair-status .progress-text').textContent()).toBe(text(lang, 'confirmedCount', { confirmed: 1, count: units }));
      expect(JSON.parse(gloss(['pairs', '--json'], server.dataDir))[0].confirmed).toBe(1);
      // Merging it with the next unit leaves one unit fewer, confirmed.
      await page.getByRole('button', { name: text(lang, 'mergeNamed', { n }), exact: true }).click();
      await expect.poll(() => page.locator('.pair-status .progress-text').textContent()).toBe(text(lang, 'confirmedCount', { confirmed: 1, count: units - 1 }));

      // The TMX export downloads one tu per unit.
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: text(lang, 'exportAs', { format: 'TMX' }), exact: true }).click();
      const tmx = fs.readFileSync((await (await downloading).path())!, 'utf8');
      expect(tmx.match(/<tu[ >]/g)?.length).toBe(units - 1);

      // Stacked: each unit holds its source followed by its counterpart.
      await page.getByRole('button', { name: text(lang, 'layouts.stacked'), exact: true }).click();
      const parts = await page.locator('.pair-content[data-layout="stacked"] .unit').first().locator('.unit-part').evaluateAll((els) => els.map((e) => [e.getAttribute('data-side'), getComputedStyle(e).direction]));
      expect(parts).toEqual([
        ['source', 'rtl'],
        ['target', 'ltr'],
      ]);
      await shot(page, 'pair-stacked', lang);
      await page.getByRole('button', { name: text(lang, 'layouts.side'), exact: true }).click();

      // Start a translation of the Hebrew seed from the library.
      await page.getByRole('navigation').getByRole('link', { name: L[lang].app!.library }).click();
      const row = page.locator(`tr[data-document-id="${hebrew.id}"]`);
      const startLabel = text(lang, 'startTranslationNamed', { title: '\u0000' }).split('\u0000')[0]!;
      await row.getByRole('button', { name: new RegExp(`^${escape(startLabel)}`) }).click();
      const dialog = page.getByRole('dialog', { name: text(lang, 'translateTitle') });
      expect(await dialog.getByRole('radio', { name: L[lang].languages!.en }).isChecked()).toBe(true);
      expect(await dialog.getByRole('radio', { name: L[lang].languages!.he }).isDisabled()).toBe(true);
      await shot(page, 'pair-start-translation', lang);
      await dialog.getByRole('button', { name: text(lang, 'start'), exact: true }).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#pair=2');
      const editors = page.locator('.pair-block[data-side="target"][role="textbox"]');
      await expect.poll(() => editors.count()).toBe(13);
      expect(await editors.first().evaluate((e) => [getComputedStyle(e).direction, e.getAttribute('lang')])).toEqual(['ltr', 'en']);
      const progress = page.locator('.pair-status .progress-text');
      expect(await progress.textContent()).toBe(text(lang, 'progress', { translated: 0, count: 13 }));

      // Type the first paragraph; Enter goes on to the next block.
      const first = page.getByRole('textbox', { name: text(lang, 'translationOf', { n: 1 }), exact: true });
      await first.click();
      await page.keyboard.type(ENGLISH_PARAGRAPH);
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.block)).toBe('1');
      await expect.poll(() => progress.textContent()).toBe(text(lang, 'progress', { translated: 1, count: 13 }));
      expect(await first.textContent()).toBe(ENGLISH_PARAGRAPH);
      // Pasted text arrives as plain text on one line.
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/plain', 'Pasted line one\nline two');
        data.setData('text/html', '<b>Pasted</b>');
        document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      const second = page.getByRole('textbox', { name: text(lang, 'translationOf', { n: 2 }), exact: true });
      expect(await second.innerHTML()).toBe('Pasted line one line two');
      await expect.poll(() => progress.textContent()).toBe(text(lang, 'progress', { translated: 2, count: 13 }));
      await expect.poll(() => page.locator('.save-state').textContent()).toBe(text(lang, 'saved'));

      // Link a passage of the source with one of the translation.
      await selectIn(page, 'source', HEBREW_PHRASE);
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([HEBREW_PHRASE]);
      await selectIn(page, 'target', ENGLISH_PHRASE);
      await expect.poll(() => page.locator('.pending .quote').allTextContents()).toEqual([HEBREW_PHRASE, ENGLISH_PHRASE]);
      await page.getByRole('button', { name: text(lang, 'linkPassages'), exact: true }).click();
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      const linked = (side: string) => page.locator(`.pair-block[data-side="${side}"] .hl-linked`).allTextContents().then((t) => t.join(''));
      await expect.poll(() => linked('source')).toBe(HEBREW_PHRASE);
      await expect.poll(() => linked('target')).toBe(ENGLISH_PHRASE);
      await page.mouse.move(5, 400);
      await shot(page, 'pair-translation', lang);

      // Reload: the text, the progress and the link are all there.
      await page.reload();
      await ready(page);
      await page.locator('.pair-block[data-side="target"][role="textbox"]').first().waitFor();
      expect(await page.getByRole('textbox', { name: text(lang, 'translationOf', { n: 1 }), exact: true }).textContent()).toBe(ENGLISH_PARAGRAPH);
      expect(await second.textContent()).toBe('Pasted line one line two');
      expect(await progress.textContent()).toBe(text(lang, 'progress', { translated: 2, count: 13 }));
      await expect.poll(() => page.locator('.link-item').count()).toBe(1);
      expect(await linked('source')).toBe(HEBREW_PHRASE);
      expect(await linked('target')).toBe(ENGLISH_PHRASE);

      // Choosing the linked highlight in the source reveals (and flashes) its partner.
      await page.locator('.pair-block[data-side="source"] .hl-linked').first().click();
      await expect.poll(() => page.locator('.pair-block[data-side="target"] .hl-flash').count()).toBeGreaterThan(0);
      expect(await inView(page, '.pair-block[data-side="target"] .hl-linked')).toBe(true);
      await shot(page, 'pair-reloaded', lang);
    });
  }
});
