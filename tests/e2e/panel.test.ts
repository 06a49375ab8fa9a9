/**
 * The panel as a workplace, in both interface languages and from the keyboard: each annotation
 * says where it is (its paragraph), is edited in place (colour, tags, note: saved as they change)
 * and deleted with Delete, with Undo bringing back the same annotation; choosing one scrolls the
 * text to its passage and flashes it.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, type GlossServer, L, type Lang, shot } from './harness.js';

interface Stored {
  id: string;
  color: string;
  note: string;
  tags: string[];
  exact: string;
}

const FIRST = 'The previous visit at the end of';
const LAST = 'Although the Astana format';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

describeE2E('annotation panel', () => {
  const suite = e2eSuite();
  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  function stored(server: GlossServer): Stored[] {
    return JSON.parse(gloss(['annotations', 'PUTIN', '--json'], server.dataDir)) as Stored[];
  }

  async function focused(page: Page): Promise<string> {
    return page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      return e ? `${e.tagName.toLowerCase()}|${e.getAttribute('aria-label') ?? e.textContent ?? ''}` : '';
    });
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];

    it(`edits, deletes and restores annotations in place from the keyboard, and shows where each is (${lang} interface)`, async () => {
      const server = await suite.start();
      gloss(['annotate', 'PUTIN', '--quote', FIRST, '--tag', 'claim/factual', '--note', 'first note'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', 'the conventional wisdom in Moscow', '--tag', 'source/press', '--color', 'green'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', LAST, '--tag', 'claim/opinion', '--note', 'the end'], server.dataDir);
      const { page } = await suite.open(server, locales[lang]);
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: /^PUTIN/ }).click();
      const panel = page.getByRole('region', { name: T.panel!.title, exact: true });
      const items = panel.locator('.annotation-list > li');
      await expect.poll(() => items.count()).toBe(3);

      // Each item says which paragraph it is in (the title is the first block).
      const blocks = await page.locator('.reader-text > *').allTextContents();
      const paragraph = (quote: string) => fill(T.panel!.paragraph!, { number: blocks.findIndex((b) => b.includes(quote)) + 1 });
      const about = await panel.locator('.annotation-item .about').allTextContents();
      expect(about).toEqual([paragraph(FIRST), paragraph('the conventional wisdom'), paragraph(LAST)]);
      expect(about[0]).toBe(fill(T.panel!.paragraph!, { number: 2 }));

      // Edit the first in place: the Edit button is reached with Tab from its entry.
      const first = items.filter({ hasText: FIRST });
      await first.locator('.annotation-item').focus();
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe(`button|${fill(T.panel!.editNamed!, { quote: FIRST })}`);
      await page.keyboard.press('Enter');
      const editor = first.getByRole('group', { name: T.panel!.editing, exact: true });
      await editor.waitFor();
      // The focus is on the colour it has; Tab to green, Enter.
      expect(await focused(page)).toBe(`button|${T.colors!.yellow}`);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe(`button|${T.colors!.green}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => stored(server).find((a) => a.exact === FIRST)?.color).toBe('green');
      await expect.poll(() => page.locator(`.reader-text .hl-green`, { hasText: 'previous visit' }).count()).toBeGreaterThan(0);
      // A tag added, the old one removed, the note rewritten: each saved as it is made.
      await editor.getByRole('textbox', { name: T.toolbar!.tags, exact: true }).focus();
      await page.keyboard.type('context/history');
      await page.keyboard.press('Enter');
      await expect.poll(() => stored(server).find((a) => a.exact === FIRST)?.tags.sort()).toEqual(['claim/factual', 'context/history']);
      // Still in the tag box, for the next one (the tag list was fetched again meanwhile).
      expect(await focused(page)).toBe(`input|${T.toolbar!.tags}`);
      await editor.getByRole('button', { name: fill(T.toolbar!.removeTag!, { tag: 'claim/factual' }), exact: true }).press('Enter');
      await expect.poll(() => stored(server).find((a) => a.exact === FIRST)?.tags).toEqual(['context/history']);
      const note = editor.getByRole('textbox', { name: T.toolbar!.note, exact: true });
      await note.focus();
      await page.keyboard.press('Control+KeyA');
      await page.keyboard.type('rewritten in the panel');
      await expect.poll(() => stored(server).find((a) => a.exact === FIRST)?.note).toBe('rewritten in the panel');
      // The focus stayed in the note while the saved annotation came back into the list.
      expect(await note.evaluate((e) => e === document.activeElement)).toBe(true);
      await shot(page, 'panel-editing', lang);
      // Escape closes the editor; the focus goes back to Edit; the entry shows the new state.
      await page.keyboard.press('Escape');
      await expect.poll(() => editor.count()).toBe(0);
      expect(await focused(page)).toBe(`button|${fill(T.panel!.editNamed!, { quote: FIRST })}`);
      expect(await first.locator('.annotation-item').textContent()).toContain('rewritten in the panel');
      expect(await first.locator('.annotation-item .tag').allTextContents()).toEqual(['context/history']);

      // Choosing the last: the text scrolls to its passage, which flashes.
      const last = items.filter({ hasText: LAST });
      await last.locator('.annotation-item').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.flash-box').count()).toBeGreaterThan(0);
      const placed = await page.evaluate((quote) => {
        const view = document.querySelector('.reader-scroll')!.getBoundingClientRect();
        const hl = Array.from(document.querySelectorAll('.reader-text .hl')).find((e) => e.textContent === quote)!.getBoundingClientRect();
        const flash = document.querySelector('.flash-box')!.getBoundingClientRect();
        return { inView: hl.top >= view.top && hl.bottom <= view.bottom, over: Math.abs(flash.top - hl.top) < 4 && Math.abs(flash.left - hl.left) < 4 };
      }, LAST);
      expect(placed).toEqual({ inView: true, over: true });
      await shot(page, 'panel-chosen', lang);
      await expect.poll(() => page.locator('.flash-box').count()).toBe(0);
      await page.keyboard.press('Escape');

      // Delete from the keyboard: the item and its highlight go, the focus moves to the next item.
      const second = items.filter({ hasText: 'the conventional wisdom' });
      const removed = stored(server).find((a) => a.exact === 'the conventional wisdom in Moscow')!;
      await second.locator('.annotation-item').focus();
      await page.keyboard.press('Delete');
      await expect.poll(() => items.count()).toBe(2);
      await expect.poll(() => page.locator(`.reader-text [data-annotation-id="${removed.id}"]`).count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.closest('li')?.textContent ?? '')).toContain(LAST);
      expect(stored(server).map((a) => a.id)).not.toContain(removed.id);
      // Undo brings the same annotation back: its id, colour and tags.
      await page.locator('.toast').getByRole('button', { name: T.common!.undo, exact: true }).click();
      await expect.poll(() => items.count()).toBe(3);
      const back = stored(server).find((a) => a.id === removed.id);
      expect(back).toMatchObject({ color: 'green', tags: ['source/press'], exact: removed.exact });
      await expect.poll(() => page.locator(`.reader-text [data-annotation-id="${removed.id}"]`).count()).toBeGreaterThan(0);

      // The Delete button does the same, named by its quote.
      await panel.getByRole('button', { name: fill(T.panel!.deleteNamed!, { quote: LAST }), exact: true }).click();
      await expect.poll(() => items.count()).toBe(2);
      await shot(page, 'panel-deleted', lang);

      // A modal dialog opened meanwhile (Export) makes the page behind it inert: the toast comes
      // into the dialog, above it, and its Undo can still be pressed with the mouse.
      const lastId = stored(server).find((a) => a.exact === LAST)?.id;
      expect(lastId).toBeUndefined();
      await page.getByRole('button', { name: T.transfer!.exportAnnotations, exact: true }).first().click();
      const exportDialog = page.getByRole('dialog', { name: T.transfer!.exportTitle, exact: true });
      await exportDialog.waitFor();
      const toastUndo = exportDialog.locator('.toast').getByRole('button', { name: T.common!.undo, exact: true });
      await toastUndo.click();
      await expect.poll(() => stored(server).some((a) => a.exact === LAST)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => exportDialog.count()).toBe(0);
      await expect.poll(() => items.count()).toBe(3);
      // Back in the page once the dialog has gone.
      expect(await page.evaluate(() => document.querySelector('.toasts')?.parentElement?.id)).toBe('app');
    });
  }
});
