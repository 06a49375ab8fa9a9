/**
 * Highlighting with the keyboard alone, in both interface languages: the skip link is the first
 * Tab stop and takes the focus to the text, where a caret moves by letter, word and line, to the
 * line's edges and the text's, in the direction the arrows point (forward is left in Hebrew);
 * Shift selects; Alt+H saves exactly the selection (also with a Hebrew layout), Alt+T and Alt+N
 * reach the tags and the note; Alt+H with nothing selected says so.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, highlightText, L, type Lang, ready, shot } from './harness.js';

/** The selection's focus (and anchor) as offsets in the text: its blocks' text joined by line breaks. */
async function caret(page: Page): Promise<{ anchor: number; focus: number; selected: string }> {
  return page.evaluate(() => {
    const sel = document.getSelection()!;
    const blocks = Array.from(document.querySelectorAll('.reader-text > *'));
    const offset = (node: Node | null, at: number): number => {
      let base = 0;
      for (const b of blocks) {
        if (node && b.contains(node)) {
          const r = document.createRange();
          r.setStart(b, 0);
          r.setEnd(node, at);
          return base + r.toString().length;
        }
        base += b.textContent!.length + 1;
      }
      return -1;
    };
    return { anchor: offset(sel.anchorNode, sel.anchorOffset), focus: offset(sel.focusNode, sel.focusOffset), selected: sel.toString() };
  });
}

/** The text of the document as the caret counts it. */
async function text(page: Page): Promise<string> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.reader-text > *'), (b) => b.textContent).join('\n'));
}

describeE2E('keyboard', () => {
  const suite = e2eSuite();
  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  /** Opens a document, then reloads it, so that Tab starts from the top of the page. */
  async function open(lang: Lang, title: RegExp): Promise<Page> {
    const server = await suite.start();
    const { page } = await suite.open(server, locales[lang]);
    const library = page.getByRole('region', { name: L[lang].library!.title });
    // In the library, the skip link leads to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(L[lang].app!.skipToContent);
    await library.getByRole('link', { name: title }).click();
    await page.locator('.reader-text').waitFor();
    await page.reload();
    await ready(page);
    await page.locator('.reader-text').waitFor();
    await page.evaluate(() => (void document.body.offsetHeight, document.fonts.ready.then(() => undefined)));
    return page;
  }

  /** Tab, Enter on "Skip to text": the focus is in the reading area, with its caret drawn. */
  async function skipToText(page: Page, lang: Lang): Promise<void> {
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: L[lang].app!.skipToText, exact: true });
    expect(await skip.evaluate((e) => e === document.activeElement)).toBe(true);
    await shot(page, 'keyboard-skip-link', lang);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reader-text');
    await expect.poll(() => page.locator('.reading-caret:not(.desk-caret)').isVisible()).toBe(true);
  }

  async function newHighlight(page: Page, press: () => Promise<void>): Promise<string> {
    const ids = () => page.locator('.reader-text .hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id')!));
    const before = new Set(await ids());
    await press();
    await expect.poll(async () => (await ids()).filter((x) => !before.has(x)).length).toBe(1);
    return (await ids()).find((x) => !before.has(x))!;
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];

    it(`highlights, tags and notes an English passage with the keyboard alone (${lang} interface)`, async () => {
      const page = await open(lang, /^PUTIN, NETANYAHU/);
      await skipToText(page, lang);
      const all = await text(page);

      // Nothing selected yet: Alt+H says so.
      await page.keyboard.press('Alt+KeyH');
      await page.locator('.toast', { hasText: T.toolbar!.nothingSelected! }).waitFor();

      await page.keyboard.press('Control+Home');
      expect((await caret(page)).focus).toBe(0);
      // Down to the paragraph that starts "MOSCOW", then to its line's start.
      const moscow = all.indexOf('MOSCOW');
      for (let i = 0; i < 6 && (await caret(page)).focus < moscow; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Home');
      expect((await caret(page)).focus).toBe(moscow);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
      expect(await caret(page)).toEqual({ anchor: moscow + 2, focus: moscow + 2, selected: '' });
      await page.keyboard.press('Control+ArrowRight');
      const word = (await caret(page)).focus;
      expect(word).toBe(moscow + 'MOSCOW'.length);

      // Shift selects: by word, then down a line, then to the line's end.
      await page.keyboard.press('Shift+Control+ArrowRight');
      await page.keyboard.press('Shift+Control+ArrowRight');
      const byWords = await caret(page);
      expect(byWords.anchor).toBe(word);
      expect(byWords.focus).toBeGreaterThan(word + 3);
      expect(byWords.selected).toBe(all.slice(word, byWords.focus));
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+End');
      const selection = await caret(page);
      expect(selection.focus).toBeGreaterThan(byWords.focus + 40);
      expect(selection.selected).toBe(all.slice(word, selection.focus));
      await shot(page, 'keyboard-selected', lang);

      // Alt+H at once (before the toolbar has come): exactly the selection.
      const id = await newHighlight(page, () => page.keyboard.press('Alt+KeyH'));
      expect(await highlightText(page, id)).toBe(selection.selected);
      await page.keyboard.press('Alt+KeyT');
      const tags = page.getByRole('textbox', { name: T.toolbar!.tags, exact: true });
      await expect.poll(() => tags.evaluate((e) => e === document.activeElement)).toBe(true);
      await page.keyboard.type('keyboard/caret');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Alt+KeyN');
      const note = page.getByRole('textbox', { name: T.toolbar!.note, exact: true });
      await expect.poll(() => note.evaluate((e) => e === document.activeElement)).toBe(true);
      await page.keyboard.type('Selected with Shift and the arrows');
      const panel = page.getByRole('region', { name: T.panel!.title, exact: true });
      await panel.getByRole('listitem').filter({ hasText: 'Selected with Shift and the arrows' }).filter({ hasText: 'keyboard/caret' }).waitFor();
      await shot(page, 'keyboard-annotated', lang);
      // Escape: the toolbar goes, the focus is back in the text, the caret where the passage ended.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog', { name: T.toolbar!.label }).isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('reader-text');
      expect(await caret(page)).toEqual({ anchor: selection.focus, focus: selection.focus, selected: '' });
      await page.keyboard.press('Shift+ArrowRight');
      expect((await caret(page)).selected).toBe(all.slice(selection.focus, selection.focus + 1));
    });

    it(`moves the caret the way the arrows point in Hebrew text, and highlights with a Hebrew layout (${lang} interface)`, async () => {
      const page = await open(lang, /^בצל היחלשות/);
      await skipToText(page, lang);
      const all = await text(page);
      await page.keyboard.press('Control+Home');
      expect((await caret(page)).focus).toBe(0);
      // Right to left: the left arrow goes forward in the text.
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      expect((await caret(page)).focus).toBe(3);
      await page.keyboard.press('ArrowRight');
      expect((await caret(page)).focus).toBe(2);
      // The caret is drawn at the letter's right-to-left edge: right of the third letter.
      const drawn = await page.evaluate(() => {
        const c = document.querySelector('.reading-caret:not(.desk-caret)')!.getBoundingClientRect();
        const sel = document.getSelection()!;
        const r = document.createRange();
        r.setStart(sel.focusNode!, sel.focusOffset);
        r.setEnd(sel.focusNode!, sel.focusOffset + 1);
        return { caret: c.left, letter: r.getBoundingClientRect().right };
      });
      expect(Math.abs(drawn.caret - drawn.letter)).toBeLessThan(3);
      await page.keyboard.press('End');
      const lineEnd = (await caret(page)).focus;
      expect(lineEnd).toBeGreaterThan(10);
      await page.keyboard.press('Home');
      expect((await caret(page)).focus).toBe(0);

      // The second paragraph: Ctrl+Left selects forward by words, Shift+Down a line further.
      const second = all.indexOf('בהודעת הקרמלין');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Home');
      expect((await caret(page)).focus).toBe(second);
      await page.keyboard.press('Shift+Control+ArrowLeft');
      await page.keyboard.press('Shift+Control+ArrowLeft');
      const words = await caret(page);
      expect(words.selected.trim()).toBe('בהודעת הקרמלין');
      await page.keyboard.press('Shift+ArrowDown');
      const selection = await caret(page);
      expect(selection.focus).toBeGreaterThan(words.focus + 40);
      expect(selection.selected).toBe(all.slice(second, selection.focus));
      // The toolbar comes once the selection rests, beside it.
      await page.getByRole('dialog', { name: T.toolbar!.label }).waitFor();
      await shot(page, 'keyboard-hebrew-selected', lang);

      // Alt+H as a Hebrew layout sends it: the same physical key, another letter.
      const id = await newHighlight(page, () =>
        page.evaluate(() => document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyH', key: 'י', altKey: true, bubbles: true, cancelable: true }))).then(() => undefined),
      );
      expect(await highlightText(page, id)).toBe(selection.selected);
    });
  }
});
