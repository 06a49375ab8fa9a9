/**
 * Edit mode end to end, in both interface languages: edit a Hebrew paragraph around a highlight
 * (typing on both its edges, Enter, undo and redo), reload, and find the highlight on the same
 * words; delete a highlight and bring it back with undo (the same annotation, from its tombstone)
 * and take it away again with redo; delete a highlighted sentence, see it listed as detached,
 * bring it back with undo, and
 * re-attach it to another passage; update the text from a file and put the earlier text back
 * from History.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';
import { describeE2E, e2eSuite, gloss, highlightText, L, type Lang, ready, selectPhrase, shot, tempDir } from './harness.js';

const HEBREW_TITLE = /^בצל היחלשות/;
const QUOTE = 'ובירך אותו לרגל יום הולדתו ה-67';
const SENTENCE = 'השיחה התקיימה בצל דעיכת התיאום בין המדינות בקשר לנעשה בסוריה';
const ELSEWHERE = 'שני המנהיגים החליפו ברכות';
const EDITOR = '.reader-text.editing';
/** The editor's blocks (in chunks of blocks, see reader/edit-doc.ts). */
const BLOCKS = `${EDITOR} > .edit-chunk > *`;
const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

interface Stored {
  id: string;
  exact: string;
  status: string;
  note: string;
  tags: string[];
}

function annotations(dataDir: string): Stored[] {
  return JSON.parse(gloss(['annotations', 'בצל היחלשות', '--json'], dataDir)) as Stored[];
}

/** Puts the caret just before or after `phrase` in the editor (as a click there would). */
async function caretAt(page: Page, phrase: string, side: 'before' | 'after'): Promise<void> {
  await page.locator(EDITOR).focus();
  const ok = await page.evaluate(
    ({ phrase, side, selector }) => {
      const block = Array.from(document.querySelectorAll(selector)).find((b) => b.textContent!.includes(phrase));
      if (!block) return false;
      let target = block.textContent!.indexOf(phrase) + (side === 'after' ? phrase.length : 0);
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        // At a boundary between text nodes, the caret goes into the node on the phrase's side.
        if (target < n.length || (target === n.length && side === 'after')) {
          document.getSelection()!.collapse(n, target);
          return true;
        }
        target -= n.length;
      }
      return false;
    },
    { phrase, side, selector: BLOCKS },
  );
  expect(ok, `caret ${side} "${phrase}"`).toBe(true);
  // ProseMirror reads the page's selection when it changes.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describeE2E('edit mode', () => {
  const suite = e2eSuite();

  async function start(lang: Lang, quotes: { quote: string; tag?: string; note?: string }[]) {
    const server = await suite.start();
    // The first command imports the sample library; the highlights are made from the command line.
    for (const q of quotes) gloss(['annotate', 'בצל היחלשות', '--quote', q.quote, ...(q.tag ? ['--tag', q.tag] : []), ...(q.note ? ['--note', q.note] : [])], server.dataDir);
    const session = await suite.open(server, locales[lang]);
    const page = session.page;
    await page.getByRole('region', { name: L[lang].library!.title }).getByRole('link', { name: HEBREW_TITLE }).click();
    await page.locator('.reader-text .hl').first().waitFor();
    return { server, page };
  }

  async function edit(page: Page, lang: Lang): Promise<void> {
    await page.getByRole('button', { name: L[lang].edit!.start, exact: true }).click();
    await page.locator(EDITOR).waitFor();
  }

  async function saved(page: Page, lang: Lang): Promise<void> {
    await expect.poll(() => page.locator('.save-status').textContent(), { timeout: 10_000 }).toBe(L[lang].edit!.saved);
  }

  for (const lang of ['en', 'he'] as const) {
    it(`edits a Hebrew paragraph around a highlight and keeps it on the same words (${lang} interface)`, async () => {
      const { server, page } = await start(lang, [{ quote: QUOTE, tag: 'claim/factual' }]);
      const [a] = annotations(server.dataDir);
      expect(a!.exact).toBe(QUOTE);
      await edit(page, lang);
      expect(await highlightText(page, a!.id)).toBe(QUOTE);

      // Typing at either edge of the highlight does not extend it.
      await caretAt(page, QUOTE, 'before');
      await page.keyboard.type('בחום ');
      await caretAt(page, QUOTE, 'after');
      await page.keyboard.type(' המלא');
      expect(await highlightText(page, a!.id)).toBe(QUOTE);
      // Undo takes the last typing back; redo brings it again.
      await page.keyboard.press('Control+z');
      await expect.poll(() => page.locator(EDITOR).textContent()).not.toContain('ה-67 המלא');
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => page.locator(EDITOR).textContent()).toContain('ה-67 המלא');

      // Enter opens a paragraph that takes the direction of its first strong character.
      await caretAt(page, 'מהקרמלין .', 'after');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Added in English, S-300 included.');
      const added = page.locator(BLOCKS, { hasText: 'Added in English' });
      await expect.poll(() => added.getAttribute('dir')).toBe('ltr');
      const before = page.locator(BLOCKS, { hasText: QUOTE });
      expect(await before.getAttribute('dir')).toBe('rtl');
      await saved(page, lang);
      await shot(page, 'edit-hebrew', lang);

      await page.reload();
      await ready(page);
      await page.locator('.reader-text .hl').first().waitFor();
      expect(await page.locator(EDITOR).count()).toBe(0);
      expect(await highlightText(page, a!.id)).toBe(QUOTE);
      const text = gloss(['show', 'בצל היחלשות'], server.dataDir);
      expect(text).toContain(`בחום ${QUOTE} המלא`);
      expect(text).toContain('Added in English, S-300 included.');
      const [after] = annotations(server.dataDir);
      expect([after!.exact, after!.status, after!.tags]).toEqual([QUOTE, 'anchored', ['claim/factual']]);
      // One edit session, one revision: the text as it was before.
      const revisions = JSON.parse(gloss(['revisions', 'בצל היחלשות', '--json'], server.dataDir)) as { reason: string }[];
      expect(revisions.map((r) => r.reason)).toEqual(['edit']);
    });

    it(`brings back a highlight deleted in edit mode with undo, the same annotation in the library, and takes it away again with redo (${lang} interface)`, async () => {
      const note = 'kept through undo';
      const { server, page } = await start(lang, [{ quote: QUOTE, tag: 'claim/factual', note }]);
      const [a] = annotations(server.dataDir);
      const panel = page.getByRole('region', { name: L[lang].panel!.title, exact: true });
      const listed = () => panel.locator(`.annotation-list li[data-annotation-id="${a!.id}"]`).count();
      const stored = () => annotations(server.dataDir).map(({ id, exact, status, note, tags }) => ({ id, exact, status, note, tags }));
      const whole = [{ id: a!.id, exact: QUOTE, status: 'anchored', note, tags: ['claim/factual'] }];
      await edit(page, lang);
      // Typing before it first, so that the text and every offset after it have changed.
      await caretAt(page, QUOTE, 'before');
      await page.keyboard.type('בחום ');
      await saved(page, lang);
      await page.locator(`${EDITOR} [data-annotation-id="${a!.id}"]`).first().click();
      await page.getByRole('button', { name: L[lang].toolbar!.delete, exact: true }).click();
      await expect.poll(() => highlightText(page, a!.id)).toBe('');
      await expect.poll(stored).toEqual([]);
      await expect.poll(listed).toBe(0);

      await page.locator(EDITOR).focus();
      await page.keyboard.press('Control+z');
      await expect.poll(() => highlightText(page, a!.id)).toBe(QUOTE);
      await expect.poll(stored).toEqual(whole);
      await expect.poll(listed).toBe(1);
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(() => highlightText(page, a!.id)).toBe('');
      await expect.poll(stored).toEqual([]);
      await expect.poll(listed).toBe(0);
      await page.keyboard.press('Control+z');
      await expect.poll(stored).toEqual(whole);
      // The typing before it is still there, and the reading view shows the highlight on its words.
      await page.getByRole('button', { name: L[lang].edit!.done, exact: true }).click();
      await expect.poll(() => page.locator(EDITOR).count()).toBe(0);
      await expect.poll(() => highlightText(page, a!.id)).toBe(QUOTE);
      expect(await page.locator('.reader-text').textContent()).toContain(`בחום ${QUOTE}`);
      await expect.poll(listed).toBe(1);
    });

    it(`lists a highlight whose sentence was deleted as detached, and re-attaches it (${lang} interface)`, async () => {
      const note = 'Sentence about the coordination';
      const { server, page } = await start(lang, [{ quote: SENTENCE, tag: 'context', note }]);
      const [a] = annotations(server.dataDir);
      const panel = page.getByRole('region', { name: L[lang].panel!.title, exact: true });
      const detached = panel.locator('.detached');
      await edit(page, lang);

      await page.locator(EDITOR).focus();
      await selectPhrase(page, `${SENTENCE} .`, 0, BLOCKS);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Delete');
      await expect.poll(() => page.locator(EDITOR).textContent()).not.toContain(SENTENCE);
      await saved(page, lang);
      await expect.poll(() => detached.isVisible()).toBe(true);
      const item = detached.getByRole('listitem').filter({ hasText: SENTENCE });
      expect(await item.textContent()).toContain(note);
      expect(await item.textContent()).toContain('context');
      expect(annotations(server.dataDir)[0]!.status).toBe('orphaned');
      await shot(page, 'edit-detached', lang);

      // Undo brings the sentence back, and its highlight with it.
      await page.locator(EDITOR).focus();
      await page.keyboard.press('Control+z');
      await expect.poll(() => highlightText(page, a!.id)).toBe(SENTENCE);
      await saved(page, lang);
      await expect.poll(() => detached.isVisible()).toBe(false);
      expect(annotations(server.dataDir)[0]).toMatchObject({ status: 'anchored', exact: SENTENCE });
      await page.keyboard.press('Control+Shift+z');
      await saved(page, lang);
      await expect.poll(() => detached.isVisible()).toBe(true);

      // Re-attach: without a selection it asks for one; with one, it goes there.
      const reattach = item.locator('button', { hasText: L[lang].panel!.reattach });
      await reattach.click();
      await expect.poll(() => detached.locator('.detached-hint').textContent()).toBe(L[lang].panel!.reattachHint);
      await selectPhrase(page, ELSEWHERE, 0, BLOCKS);
      await reattach.click();
      await expect.poll(() => highlightText(page, a!.id)).toBe(ELSEWHERE);
      await expect.poll(() => detached.isVisible()).toBe(false);
      expect(annotations(server.dataDir)[0]).toMatchObject({ status: 'anchored', exact: ELSEWHERE, note, tags: ['context'] });
      await shot(page, 'edit-reattached', lang);

      // Done editing: the reading view shows the saved text, the highlight where it was put.
      await page.getByRole('button', { name: L[lang].edit!.done, exact: true }).click();
      await expect.poll(() => page.locator(EDITOR).count()).toBe(0);
      // The reading view draws a section's highlights when the section mounts, after it appears.
      await expect.poll(() => highlightText(page, a!.id)).toBe(ELSEWHERE);
      expect(await page.locator('.reader-text').textContent()).not.toContain(SENTENCE);
    });

    it(`updates the text from a file and restores the earlier text from History (${lang} interface)`, async () => {
      const { server, page } = await start(lang, [{ quote: QUOTE }, { quote: SENTENCE }]);
      const seed = fs.readdirSync(path.join(repoRoot, 'seeds')).find((f) => f.startsWith('000'))!;
      const original = fs.readFileSync(path.join(repoRoot, 'seeds', seed), 'utf8');
      expect(original).toContain(SENTENCE);
      // A new version: the sentence gone, a paragraph added at the top.
      const file = path.join(tempDir('gloss-update-'), 'article-v2.txt');
      fs.writeFileSync(file, original.replace(SENTENCE, '').replace('\n', '\nפסקה חדשה בראש הכתבה .\n'));
      await page.locator('.doc-tools input[type=file].update-file').setInputFiles(file);
      const toast = page.locator('.toast', { hasText: 'article-v2.txt' });
      await toast.waitFor();
      expect(await toast.textContent()).toMatch(lang === 'en' ? /1 stayed.*1 detached/ : /1 נשארו במקומן.*1 נותקו/);
      await page.locator('.detached').waitFor();
      await shot(page, 'edit-updated', lang);

      await page.getByRole('button', { name: L[lang].versions!.history, exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('listitem').first().waitFor();
      await shot(page, 'edit-history', lang);
      await dialog.getByRole('listitem').first().getByRole('button').click();
      await page.getByRole('dialog').getByRole('button', { name: L[lang].versions!.restore, exact: true }).click();
      await page.locator('.toast', { hasText: L[lang].versions!.restored }).waitFor();
      await expect.poll(() => page.locator('.reader-text').textContent()).toContain(SENTENCE);
      await expect.poll(() => page.locator('.detached').isVisible()).toBe(false);
      expect(annotations(server.dataDir).map((x) => x.status)).toEqual(['anchored', 'anchored']);
    });
  }
});
