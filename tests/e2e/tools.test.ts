/**
 * The reader's tools, in both interface languages: find in the document (niqqud-less queries find
 * pointed text), library search with hits in place, the tag manager, theme and text size kept in
 * settings, removing a document with confirmation, and keyboard shortcuts by physical key.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, type GlossServer, importThroughPicker, L, type Lang, ready, selectPhrase, type Session, shot } from './harness.js';

const POINTED = 'בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ\nוְהָאָרֶץ הָיְתָה תֹהוּ וָבֹהוּ, כך אמר דובר צה״ל.\n';

/** i18next-style interpolation, for names built from the catalogue. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

describeE2E('reader tools', () => {
  const suite = e2eSuite();
  let server: GlossServer | undefined;
  let session: Session | undefined;

  async function start(lang: Lang): Promise<Page> {
    server = await suite.start();
    session = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
    return session.page;
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];

    it(`finds in the document and searches the library (${lang} interface)`, async () => {
      const page = await start(lang);
      await importThroughPicker(page, lang, [{ name: 'bereshit.txt', text: POINTED }]);
      await page.locator('.outcome-imported').waitFor();
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: 'bereshit', exact: true }).click();
      await page.locator('.reader-text').waitFor();

      await page.keyboard.press('Control+KeyF');
      const find = page.getByRole('searchbox', { name: T.find!.label, exact: true });
      await expect.poll(() => find.evaluate((e) => e === document.activeElement)).toBe(true);
      await find.fill('הארץ');
      await expect.poll(() => page.locator('.find-hit').allTextContents()).toEqual(['הָאָרֶץ', 'הָאָרֶץ']);
      expect(await page.locator('.find-count').textContent()).toBe(fill(T.find!.count!, { current: 1, total: 2 }));
      await find.press('Enter');
      expect(await page.locator('.find-hit-current').textContent()).toBe('הָאָרֶץ');
      expect(await page.locator('.find-count').textContent()).toBe(fill(T.find!.count!, { current: 2, total: 2 }));
      await find.fill('צהל');
      await expect.poll(() => page.locator('.find-hit').allTextContents()).toEqual(['צה״ל']);
      await shot(page, 'find', lang);
      await find.press('Escape');
      await expect.poll(() => page.locator('.find-hit').count()).toBe(0);

      const search = page.getByRole('searchbox', { name: T.search!.label, exact: true });
      await search.fill('S-300');
      await search.press('Enter');
      const results = page.getByRole('region', { name: T.search!.results, exact: true });
      await expect.poll(() => results.getByRole('link').count()).toBeGreaterThanOrEqual(2);
      await shot(page, 'search', lang);
      await results.getByRole('link').filter({ hasText: 'בצל היחלשות' }).first().click();
      await expect.poll(() => page.url()).toMatch(/#doc=\d+&hits=\d+-\d+/);
      await expect.poll(() => page.locator('.find-hit').allTextContents()).toEqual(['S-300']);
      await shot(page, 'search-hit', lang);
      // The hits are part of the address: a reload shows them again.
      await page.reload();
      await ready(page);
      await expect.poll(() => page.locator('.find-hit').allTextContents()).toEqual(['S-300']);
    });

    it(`manages tags, keeps theme and text size, removes a document (${lang} interface)`, async () => {
      const page = await start(lang);
      const data = server!.dataDir;
      gloss(['annotate', 'בצל', '--quote', 'S-300', '--tag', 'claim/factual'], data);
      gloss(['annotate', 'A Growing', '--quote', 'Obama should take notice', '--tag', 'source/blog', '--tag', 'claim/factual'], data);

      await page.getByRole('button', { name: T.tags!.manage, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: T.tags!.title, exact: true });
      await dialog.waitFor();
      await expect.poll(() => dialog.locator('tr[data-tag]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tag')))).toEqual(['claim', 'claim/factual', 'source', 'source/blog']);
      await shot(page, 'tags-1', lang);

      const act = async (mode: 'rename' | 'merge' | 'nest', tag: string, value: string) => {
        await dialog.getByRole('button', { name: fill(T.tags![`${mode}Named`]!, { tag }), exact: true }).click();
        if (mode === 'rename') await dialog.getByRole('textbox', { name: fill(T.tags!.newPath!, { tag }), exact: true }).fill(value);
        else await dialog.getByRole('combobox', { name: fill(T.tags![mode === 'merge' ? 'mergeTarget' : 'nestTarget']!, { tag }), exact: true }).selectOption(value);
        await dialog.getByRole('button', { name: T.tags![`${mode}Apply`]!, exact: true }).click();
        await expect.poll(() => dialog.locator('.tm-status').textContent()).toBe(T.tags!.saved);
        await dialog.locator('.tm-status').evaluate((e) => (e.textContent = ''));
      };
      await act('rename', 'claim/factual', 'claim/fact');
      await act('nest', 'source', 'claim');
      await act('merge', 'claim/source/blog', 'claim/fact');
      await dialog.getByRole('textbox', { name: fill(T.tags!.colorOf!, { tag: 'claim' }), exact: true }).or(dialog.getByLabel(fill(T.tags!.colorOf!, { tag: 'claim' }), { exact: true })).first().fill('#cc3300');
      await expect.poll(() => JSON.parse(gloss(['tags', '--json'], data)).find((t: { path: string }) => t.path === 'claim')?.color).toBe('#cc3300');
      const tags = JSON.parse(gloss(['tags', '--json'], data)) as { path: string; count: number }[];
      expect(tags.map((t) => [t.path, t.count])).toEqual([
        ['claim', 0],
        ['claim/fact', 2],
        ['claim/source', 0],
      ]);
      await shot(page, 'tags-2', lang);
      await page.keyboard.press('Escape');

      // Theme and text size are settings: they survive a reload.
      await page.getByRole('button', { name: T.app!.darkTheme, exact: true }).click();
      await page.keyboard.press('Control+Equal');
      await page.keyboard.press('Control+Equal');
      await page.getByRole('button', { name: T.app!.smaller, exact: true }).click();
      await page.reload();
      await ready(page);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--reader-font-size').trim())).toBe('20px');
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: /^בצל היחלשות/ }).click();
      await page.locator('.reader-text .hl').first().waitFor();
      await shot(page, 'dark', lang);

      // Remove, with a confirmation that can be declined.
      await page.getByRole('link', { name: T.app!.library, exact: true }).click();
      const library = page.getByRole('region', { name: T.library!.title, exact: true });
      const title = 'A Growing Russian-Israeli Alliance?';
      await library.getByRole('button', { name: fill(T.library!.removeNamed!, { title }), exact: true }).click();
      const confirm = page.getByRole('dialog', { name: T.library!.removeTitle, exact: true });
      await confirm.waitFor();
      await shot(page, 'remove-confirm', lang);
      await confirm.getByRole('button', { name: T.common!.cancel, exact: true }).click();
      expect(await library.getByRole('link', { name: title }).count()).toBe(1);
      await library.getByRole('button', { name: fill(T.library!.removeNamed!, { title }), exact: true }).click();
      await confirm.getByRole('button', { name: T.library!.remove, exact: true }).click();
      await expect.poll(() => library.getByRole('link', { name: title }).count()).toBe(0);
      expect(JSON.parse(gloss(['list', '--json'], data))).toHaveLength(2);
    });

    it(`works from the keyboard with a Hebrew layout (${lang} interface)`, async () => {
      const page = await start(lang);
      gloss(['annotate', 'A Growing', '--quote', 'Obama should take notice', '--tag', 'claim/factual'], server!.dataDir);
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: /^A Growing/ }).click();
      await page.locator('.reader-text').waitFor();
      await selectPhrase(page, 'civil war currently unfolding in Syria');
      await page.getByRole('button', { name: T.toolbar!.highlight, exact: true }).waitFor();
      // What a Hebrew layout sends for Alt+H, Alt+T and Alt+N: the same physical keys, other letters.
      const press = (code: string, key: string) =>
        page.evaluate(([code, key]) => document.dispatchEvent(new KeyboardEvent('keydown', { code, key, altKey: true, bubbles: true, cancelable: true })), [code, key] as const);
      await press('KeyH', 'י');
      await page.getByRole('button', { name: T.toolbar!.delete, exact: true }).waitFor();
      await press('KeyT', 'א');
      const tags = page.getByRole('textbox', { name: T.toolbar!.tags, exact: true });
      await expect.poll(() => tags.evaluate((e) => e === document.activeElement)).toBe(true);
      await tags.fill('context');
      await tags.press('Enter');
      // Suggestions come from the library's tags; arrow down and Enter take one.
      await tags.pressSequentially('fact');
      const suggestions = page.getByRole('listbox', { name: T.toolbar!.tagSuggestions, exact: true });
      await expect.poll(() => suggestions.getByRole('option').allTextContents()).toEqual(['claim/factual']);
      await tags.press('ArrowDown');
      expect(await tags.getAttribute('aria-activedescendant')).toBe(await suggestions.getByRole('option').first().getAttribute('id'));
      await tags.press('Enter');
      await expect.poll(async () => (await page.locator('.selection-toolbar .chip').allTextContents()).sort()).toEqual(['claim/factual×', 'context×']);
      await press('KeyN', 'מ');
      const note = page.getByRole('textbox', { name: T.toolbar!.note, exact: true });
      await expect.poll(() => note.evaluate((e) => e === document.activeElement)).toBe(true);
      await page.keyboard.type('Written from the keyboard');
      const panel = page.getByRole('region', { name: T.panel!.title, exact: true });
      await panel.getByRole('listitem').filter({ hasText: 'Written from the keyboard' }).filter({ hasText: 'claim/factual' }).waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.selection-toolbar').isVisible()).toBe(false);
      // Tab reaches the panel's entry; Enter opens the annotation for editing.
      await panel.getByRole('button').filter({ hasText: 'civil war' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: T.toolbar!.delete, exact: true }).waitFor();
      await shot(page, 'keyboard', lang);
    });
  }
});
