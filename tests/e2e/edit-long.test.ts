/**
 * Edit mode on a long text (drawn live only near the screen, saved a span at a time), in both
 * interface languages: blocks far from the screen are plain text until scrolled to; typing far
 * down, with a highlight next to the words typed, is saved and moves the highlight with its words
 * (and the one after it, which the library moves itself); undo takes the typing back and the
 * library follows; Enter at the very end adds a paragraph.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, e2eSuite, gloss, highlightText, L, type Lang, tempDir } from './harness.js';

const EDITOR = '.reader-text.editing';
/** The editor's blocks (in chunks of blocks, see reader/edit-doc.ts). */
const BLOCKS = `${EDITOR} > .edit-chunk > *`;
const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

interface Stored {
  id: string;
  exact: string;
  start: number;
  status: string;
}

describeE2E('edit mode on a long text', () => {
  const suite = e2eSuite();

  async function saved(page: Page, lang: Lang): Promise<void> {
    await expect.poll(() => page.locator('.save-status').textContent(), { timeout: 15_000 }).toBe(L[lang].edit!.saved);
  }

  for (const lang of ['en', 'he'] as const) {
    it(`draws far blocks lazily, saves typing far down with its highlights, and undoes it (${lang} interface)`, async () => {
      const server = await suite.start();
      const file = path.join(tempDir('gloss-long-edit-'), 'long-edit.txt');
      const paragraphs = Array.from({ length: 300 }, (_, i) => `Paragraph ${i + 1} opens here. ` + 'The river keeps its course past the old mill and the bridge. '.repeat(4) + `End of paragraph ${i + 1}.`);
      fs.writeFileSync(file, paragraphs.join('\n\n') + '\n');
      gloss(['import', file], server.dataDir);
      for (const n of [260, 261]) gloss(['annotate', 'long-edit', '--quote', `Paragraph ${n} opens here.`], server.dataDir);
      const stored = () => (JSON.parse(gloss(['annotations', 'long-edit', '--json'], server.dataDir)) as Stored[]).sort((a, b) => a.start - b.start);
      const [near, after] = stored();
      const session = await suite.open(server, locales[lang]);
      const page = session.page;
      await page.getByRole('region', { name: L[lang].library!.title }).getByRole('link', { name: /^long-edit/ }).click();
      await page.locator('.reader-text').first().waitFor();
      await page.getByRole('button', { name: L[lang].edit!.start, exact: true }).click();
      await page.locator(EDITOR).waitFor();
      // The blocks are in chunks, several for a text this long (each a box of its own).
      expect(await page.locator(`${EDITOR} > .edit-chunk`).count()).toBeGreaterThan(1);
      expect(await page.locator(`${EDITOR} > :not(.edit-chunk)`).count()).toBe(0);

      // Far blocks are plain text (not editable) until the screen comes near them.
      const block = (n: number) => page.locator(BLOCKS).nth(n - 1);
      expect(await block(2).getAttribute('contenteditable')).toBeNull();
      expect(await block(259).getAttribute('contenteditable')).toBe('false');
      await block(259).evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await expect.poll(() => block(259).getAttribute('contenteditable')).toBeNull();
      await expect.poll(() => highlightText(page, near!.id)).toBe('Paragraph 260 opens here.');

      // Typing at the start of paragraph 260, before its highlight: a click on the last line of
      // paragraph 259 (a click on a highlight would open it), End, then one step to the right.
      const lines = await block(259).evaluate((el) => {
        el.scrollIntoView({ block: 'center' });
        const range = document.createRange();
        range.selectNodeContents(el);
        const rects = Array.from(range.getClientRects());
        const last = rects[rects.length - 1]!;
        return { x: last.left + 5, y: last.top + last.height / 2 };
      });
      await page.mouse.click(lines.x, lines.y);
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.type('Inserted words. ');
      await saved(page, lang);
      const text = () => gloss(['show', 'long-edit'], server.dataDir);
      expect(text()).toContain('Inserted words. Paragraph 260 opens here.');
      const moved = stored();
      expect(moved.map((a) => [a.exact, a.status])).toEqual([
        ['Paragraph 260 opens here.', 'anchored'],
        ['Paragraph 261 opens here.', 'anchored'],
      ]);
      expect(moved[0]!.start).toBe(near!.start + 'Inserted words. '.length);
      expect(moved[1]!.start).toBe(after!.start + 'Inserted words. '.length);

      // Undo takes the typing back, and the library follows.
      await page.keyboard.press('Control+KeyZ');
      await saved(page, lang);
      expect(text()).not.toContain('Inserted words.');
      expect(stored().map((a) => a.start)).toEqual([near!.start, after!.start]);

      // Ctrl+End goes to the last block (made live on the way), Enter adds a paragraph after it.
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('A last paragraph typed at the end.');
      await saved(page, lang);
      // The 301st block (index 300), after paragraph 300.
      expect(text()).toMatch(/\n299 +ltr paragraph @\d+ +Paragraph 300 opens here\..*\n300 +ltr paragraph @\d+ +A last paragraph typed at the end\.\s*$/);
      expect(await page.locator(BLOCKS).count()).toBe(301);
    });
  }
});
