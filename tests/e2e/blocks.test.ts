/**
 * Lists, tables, code and notes in use, end to end in both interface languages: find lands in a
 * table cell; edit mode types into a cell, adds a row with Enter at the end of the table and an
 * item with Enter in a list, and what is saved is the rows' cells joined by TAB with the items'
 * markers and the header kept; a large table is read in sections like any long text.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeE2E, e2eSuite, gloss, L, type Lang, shot, tempDir } from './harness.js';
import fs from 'node:fs';
import path from 'node:path';

const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };
const EDITOR = '.reader-text.editing';
/** The editor's blocks (in chunks of blocks, see reader/edit-doc.ts). */
const BLOCKS = `${EDITOR} > .edit-chunk > *`;

const MARKDOWN = `# Glossary draft

1. Read the source
2. Mark the terms

| Term | מונח |
| ---- | ---- |
| treaty | אמנה |
| protocol | פרוטוקול |

\`\`\`
  indented line
\`\`\`

After the table.
`;

interface ShownBlock {
  kind: string;
  text: string;
  meta?: { marker?: string; header?: boolean };
}

function blocksOf(dataDir: string): ShownBlock[] {
  return (JSON.parse(gloss(['show', 'Glossary draft', '--json'], dataDir)) as { blocks: ShownBlock[] }).blocks;
}

/** Puts the caret at the end of the text of the `nth` element matching `selector` in the editor. */
async function caretAtEnd(page: Page, selector: string, nth: number): Promise<void> {
  await page.locator(EDITOR).focus();
  await page.evaluate(
    ({ selector, nth }) => {
      const el = document.querySelectorAll(selector)[nth]!;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let last: Text | null = null;
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) last = n;
      if (last) document.getSelection()!.collapse(last, last.length);
      else document.getSelection()!.collapse(el, 0);
    },
    { selector, nth },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describeE2E('structured blocks', () => {
  const suite = e2eSuite();

  async function start(lang: Lang, file: string, title: string): Promise<{ page: Page; dataDir: string }> {
    const server = await suite.start();
    gloss(['import', file], server.dataDir);
    const session = await suite.open(server, locales[lang]);
    await session.page.getByRole('region', { name: L[lang].library!.title }).getByRole('link', { name: title }).click();
    await session.page.locator('.reader-text .block-row').first().waitFor();
    return { page: session.page, dataDir: server.dataDir };
  }

  for (const lang of ['en', 'he'] as const) {
    it(`finds in a table and edits cells, rows and items (${lang} interface)`, async () => {
      const dir = tempDir('gloss-blocks-');
      const file = path.join(dir, 'glossary.md');
      fs.writeFileSync(file, MARKDOWN);
      const { page, dataDir } = await start(lang, file, 'Glossary draft');

      // Find lands in a cell.
      await page.keyboard.press('Control+KeyF');
      await page.getByRole('searchbox', { name: L[lang].find!.label, exact: true }).fill('פרוטו');
      await expect.poll(() => page.locator('.block-row .find-hit').allTextContents()).toEqual(['פרוטו']);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: L[lang].edit!.start, exact: true }).click();
      await page.locator(EDITOR).waitFor();
      // Type into the last cell of the last row, then Enter: a new row of two empty cells.
      await caretAtEnd(page, `${EDITOR} .block-row .cell`, 5);
      await page.keyboard.type(' הישיבה');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator(`${BLOCKS}.block-row`).count()).toBe(4);
      await page.keyboard.type('annex');
      // Enter at the end of the second item: the third, numbered after it.
      await caretAtEnd(page, `${BLOCKS}.block-item`, 1);
      await page.keyboard.press('Enter');
      await page.keyboard.type('Check the notes');
      await expect.poll(() => page.locator(`${BLOCKS}.block-item`).evaluateAll((els) => els.map((e) => e.getAttribute('data-marker')))).toEqual(['1.', '2.', '3.']);
      await expect.poll(() => page.locator('.save-status').textContent(), { timeout: 10_000 }).toBe(L[lang].edit!.saved);
      await shot(page, 'blocks-edit', lang);

      const saved = blocksOf(dataDir);
      expect(saved.map((b) => [b.kind, b.text])).toEqual([
        ['heading', 'Glossary draft'],
        ['item', 'Read the source'],
        ['item', 'Mark the terms'],
        ['item', 'Check the notes'],
        ['row', 'Term\tמונח'],
        ['row', 'treaty\tאמנה'],
        ['row', 'protocol\tפרוטוקול הישיבה'],
        ['row', 'annex\t'],
        ['code', '  indented line'],
        ['paragraph', 'After the table.'],
      ]);
      expect(saved[3]!.meta?.marker).toBe('3.');
      expect(saved[4]!.meta?.header).toBe(true);
      expect(saved[7]!.meta?.header).toBeUndefined();

      // Back to reading: the same structure from the library.
      await page.getByRole('button', { name: L[lang].edit!.done, exact: true }).click();
      await page.locator('.reader-text:not(.editing) .block-row').first().waitFor();
      const cells = await page.locator('.reader-text > .block-row').evaluateAll((els) => els.map((e) => Array.from(e.querySelectorAll('.cell')).map((c) => c.textContent)));
      expect(cells).toEqual([
        ['Term', 'מונח'],
        ['treaty', 'אמנה'],
        ['protocol', 'פרוטוקול הישיבה'],
        ['annex', ''],
      ]);
    });

    it(`reads a long table in sections, every row in place (${lang} interface)`, async () => {
      const dir = tempDir('gloss-blocks-');
      const file = path.join(dir, 'long-table.md');
      const rows = Array.from({ length: 1500 }, (_, i) => `| row ${i + 1} | שורה ${i + 1} | ${'x'.repeat(i % 40)} |`);
      fs.writeFileSync(file, `# Long table\n\n| A | ב | C |\n| - | - | - |\n${rows.join('\n')}\n`);
      const { page } = await start(lang, file, 'Long table');
      // Sections are mounted as they come near: scroll to the end and the last row is there, in columns.
      await page.locator('.reader-scroll').evaluate((e) => (e.scrollTop = e.scrollHeight));
      const last = page.locator('.reader-text > .block-row', { hasText: 'row 1500' });
      await expect.poll(() => last.count(), { timeout: 15_000 }).toBe(1);
      // The row is in the DOM before its section is laid out (content-visibility): wait for the columns.
      const lefts = () => last.evaluate((e) => Array.from(e.querySelectorAll('.cell')).map((c) => Math.round(c.getBoundingClientRect().left)));
      await expect.poll(async () => { const [a, b] = await lefts(); return a! < b!; }).toBe(true);
      expect(await page.locator('.reader-section').count()).toBeGreaterThan(1);
      // Rows run on without a gap, also where one section ends and the next begins (in the middle of the view).
      await page.locator('.reader-section.mounted').last().evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.locator('.reader-scroll').evaluate((e) => (e.scrollTop -= e.clientHeight / 2));
      await expect.poll(() => page.locator('.reader-section.mounted').count()).toBeGreaterThan(1);
      const gaps = await page.locator('.reader-text > .block-row').evaluateAll((els) => {
        const boxes = els.map((e) => e.getBoundingClientRect()).filter((r) => r.bottom > 0 && r.top < innerHeight);
        return boxes.slice(1).map((r, i) => Math.round(r.top - boxes[i]!.bottom));
      });
      expect(gaps.length).toBeGreaterThan(10);
      expect(new Set(gaps)).toEqual(new Set([0]));
      await shot(page, 'blocks-long-table', lang);
    });
  }
});
