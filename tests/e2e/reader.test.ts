/**
 * The reader end to end, in both interface languages: open a seed, select a passage, highlight,
 * tag, write a note, reload, find it in the panel, filter by tag; overlapping highlights; undo of
 * a deletion; undo and redo from the keyboard across a highlight, its colour, tags, note and
 * deletion, checked in the panel, in the text and in the library after a reload; a long text
 * opened from its first blocks, its highlights drawn in every section and undone there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, type GlossServer, highlightText, L, type Lang, ready, selectPhrase, type Session, shot, tempDir } from './harness.js';

const HEBREW_TITLE = /^בצל היחלשות/;
const HEBREW_PHRASE = 'הציבה רוסיה מערכת S-300 בבסיסה הימי';
const HEBREW_NOTE = 'מערכת ההגנה האווירית הוצבה בטרטוס';
const ENGLISH_TITLE = /^A Growing Russian-Israeli Alliance/;
const ENGLISH_PHRASE = 'shelved its plans to sell Iran S-300 ground-to-air missiles';
const ENGLISH_NOTE = 'Contrast with the later sale.';

describeE2E('reader', () => {
  const suite = e2eSuite();
  let server: GlossServer | undefined;
  let session: Session | undefined;

  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  async function start(lang: Lang): Promise<Page> {
    server = await suite.start();
    session = await suite.open(server, locales[lang]);
    // The first run follows the system language.
    await expect.poll(() => session!.page.evaluate(() => document.documentElement.lang)).toBe(lang);
    return session.page;
  }

  /** Opens a document from the library; `whole`: waits until the whole text is shown, not its first section alone. */
  async function openDocument(page: Page, lang: Lang, title: RegExp, whole = true): Promise<void> {
    const library = page.getByRole('region', { name: L[lang].library!.title });
    await library.getByRole('link', { name: title }).click();
    await page.locator('.reader-text').waitFor();
    if (whole) await page.locator('.reader-scroll:not([aria-busy])').waitFor();
  }

  /** Highlight, tag and note a phrase through the toolbar; returns the new annotation's id. */
  async function annotate(page: Page, lang: Lang, phrase: string, tag: string | null, note: string | null, name: string): Promise<string> {
    const t = L[lang].toolbar!;
    const before = await page.locator('.reader-text').textContent();
    await selectPhrase(page, phrase);
    const highlight = page.getByRole('button', { name: t.highlight, exact: true });
    await highlight.waitFor();
    await shot(page, `${name}-1-selected`, lang);
    const ids = () => page.locator('.reader-text .hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id')!));
    const existing = new Set(await ids());
    await highlight.click();
    const del = page.getByRole('button', { name: t.delete, exact: true });
    await del.waitFor();
    const id = (await ids()).find((x) => !existing.has(x));
    expect(id).toBeTruthy();
    if (tag) {
      const tags = page.getByRole('textbox', { name: t.tags, exact: true });
      await tags.fill(tag);
      await tags.press('Enter');
      await expect.poll(() => page.locator('.selection-toolbar .chip').allTextContents()).toEqual([`${tag}×`]);
    }
    if (note) {
      await page.getByRole('textbox', { name: t.note, exact: true }).fill(note);
    }
    const panel = page.getByRole('region', { name: L[lang].panel!.title });
    await panel.locator('li', { hasText: note ?? phrase.slice(0, 10) }).waitFor();
    await shot(page, `${name}-2-annotated`, lang);
    // Highlights add nothing to the text, and cover exactly the phrase.
    expect(await page.locator('.reader-text').textContent()).toBe(before);
    expect(await highlightText(page, id!)).toBe(phrase);
    return id!;
  }

  for (const lang of ['en', 'he'] as const) {
    it(`annotates the Hebrew seed across S-300 and keeps it after a reload (${lang} interface)`, async () => {
      const page = await start(lang);
      await shot(page, 'library', lang);
      await openDocument(page, lang, HEBREW_TITLE);
      await shot(page, 'hebrew-open', lang);
      const block = page.locator('.reader-text > *', { hasText: 'S-300' }).first();
      expect(await block.getAttribute('dir')).toBe('rtl');
      expect(await block.locator('.bidi-iso', { hasText: 'S-300' }).getAttribute('dir')).toBe('ltr');

      const id = await annotate(page, lang, HEBREW_PHRASE, 'claim/factual', HEBREW_NOTE, 'hebrew');
      // A second annotation without the tag, for the filter to leave out.
      await page.keyboard.press('Escape');
      await annotate(page, lang, 'שתי ספינות טילים', null, null, 'hebrew-second');
      await page.keyboard.press('Escape');

      await page.reload();
      await ready(page);
      expect(page.url()).toMatch(/#doc=\d+/);
      const panel = page.getByRole('region', { name: L[lang].panel!.title });
      const item = panel.getByRole('listitem').filter({ hasText: HEBREW_NOTE });
      await expect.poll(() => item.count()).toBe(1);
      expect(await item.textContent()).toContain('claim/factual');
      expect(await item.textContent()).toContain('S-300');
      expect(await panel.getByRole('listitem').count()).toBe(2);
      expect(await highlightText(page, id)).toBe(HEBREW_PHRASE);

      // Filter by the parent tag: hierarchical, so claim matches claim/factual.
      await panel.getByRole('combobox', { name: L[lang].panel!.filterTag }).selectOption('claim');
      await expect.poll(() => panel.getByRole('listitem').count()).toBe(1);
      await panel.getByRole('combobox', { name: L[lang].panel!.filterTag }).selectOption('claim/factual');
      await expect.poll(() => panel.getByRole('listitem').count()).toBe(1);
      // The entry itself (Edit and Delete follow it).
      await item.getByRole('button').first().click();
      await expect.poll(() => page.locator('.hl-focused').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: L[lang].toolbar!.delete, exact: true }).waitFor();
      await shot(page, 'hebrew-3-reloaded-filtered', lang);
    });

    it(`annotates an English seed (${lang} interface)`, async () => {
      const page = await start(lang);
      await openDocument(page, lang, ENGLISH_TITLE);
      const block = page.locator('.reader-text > *', { hasText: 'S-300' }).first();
      expect(await block.getAttribute('dir')).toBe('ltr');
      await annotate(page, lang, ENGLISH_PHRASE, 'claim/factual', ENGLISH_NOTE, 'english');
      await page.keyboard.press('Escape');
      await page.reload();
      await ready(page);
      const panel = page.getByRole('region', { name: L[lang].panel!.title });
      await panel.getByRole('combobox', { name: L[lang].panel!.filterTag }).selectOption('claim/factual');
      const item = panel.getByRole('listitem').filter({ hasText: ENGLISH_NOTE });
      await expect.poll(() => item.count()).toBe(1);
      expect(await item.textContent()).toContain(ENGLISH_PHRASE);
      await shot(page, 'english-3-reloaded-filtered', lang);
    });

    it(`undoes and redoes a highlight, its colour, tags, note and deletion from the keyboard, and the library agrees (${lang} interface)`, async () => {
      const page = await start(lang);
      await openDocument(page, lang, ENGLISH_TITLE);
      const t = L[lang].toolbar!;
      const panel = page.getByRole('region', { name: L[lang].panel!.title, exact: true });
      const id = await annotate(page, lang, ENGLISH_PHRASE, null, null, 'history');
      const toolbar = page.locator('.selection-toolbar');
      await toolbar.getByRole('button', { name: L[lang].colors!.blue, exact: true }).click();
      await expect.poll(() => page.locator(`.reader-text .hl-blue[data-annotation-id="${id}"]`).count()).toBeGreaterThan(0);
      const tags = page.getByRole('textbox', { name: t.tags, exact: true });
      await tags.fill('claim/factual');
      await tags.press('Enter');
      await expect.poll(() => toolbar.locator('.chip').allTextContents()).toEqual(['claim/factual×']);
      await page.getByRole('textbox', { name: t.note, exact: true }).fill(ENGLISH_NOTE);
      // Escape saves the note and closes the toolbar.
      await page.keyboard.press('Escape');
      await expect.poll(() => panel.locator('.annotation-list .note').allTextContents()).toEqual([ENGLISH_NOTE]);
      await page.locator(`.reader-text [data-annotation-id="${id}"]`).first().click();
      await page.getByRole('button', { name: t.delete, exact: true }).click();

      interface State {
        drawn: string;
        color: string | null;
        panel: string[];
        stored: { id: string; color: string; tags: string[]; note: string; exact: string }[];
      }
      const state = async (): Promise<State> => {
        const drawn = await highlightText(page, id);
        const color = await page.evaluate((id) => /\bhl-(yellow|green|blue|pink|purple|orange)\b/.exec(document.querySelector(`.reader-text [data-annotation-id="${id}"]`)?.className ?? '')?.[1] ?? null, id);
        const items = await panel.locator('.annotation-list > li[data-annotation-id]').evaluateAll((els) =>
          els.map((li) => [li.querySelector('.swatch-dot')?.className.match(/swatch-(?!dot)(\w+)/)?.[1], li.querySelector('.tags')?.textContent ?? '', li.querySelector('.note')?.textContent ?? ''].join('|')),
        );
        const stored = (JSON.parse(gloss(['annotations', 'A Growing Russian-Israeli Alliance', '--json'], server!.dataDir)) as State['stored']).map(({ id, color, tags, note, exact }) => ({ id, color, tags, note, exact }));
        return { drawn, color, panel: items, stored };
      };
      const expected = (step: 'none' | 'yellow' | 'blue' | 'tagged' | 'noted'): State => {
        if (step === 'none') return { drawn: '', color: null, panel: [], stored: [] };
        const color = step === 'yellow' ? 'yellow' : 'blue';
        const tags = step === 'tagged' || step === 'noted' ? ['claim/factual'] : [];
        const note = step === 'noted' ? ENGLISH_NOTE : '';
        return { drawn: ENGLISH_PHRASE, color, panel: [[color, tags.join(''), note].join('|')], stored: [{ id, color, tags, note, exact: ENGLISH_PHRASE }] };
      };
      // From the deletion back to nothing, one Ctrl+Z at a time, then forward again with Ctrl+Shift+Z.
      const steps = ['none', 'yellow', 'blue', 'tagged', 'noted', 'none'] as const;
      await expect.poll(state).toEqual(expected('none'));
      await page.locator('.reader-scroll').focus();
      for (let i = steps.length - 2; i >= 0; i--) {
        await page.keyboard.press('Control+KeyZ');
        await expect.poll(state).toEqual(expected(steps[i]!));
      }
      await shot(page, 'history-undone', lang);
      for (let i = 1; i < steps.length; i++) {
        await page.keyboard.press('Control+Shift+KeyZ');
        await expect.poll(state).toEqual(expected(steps[i]!));
      }
      // Nothing left to redo; one more undo brings the deleted annotation back whole, which a
      // reload shows from the library.
      await page.keyboard.press('Control+Shift+KeyZ');
      await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining(t.nothingToRedo!));
      await page.keyboard.press('Control+KeyZ');
      await expect.poll(state).toEqual(expected('noted'));
      await page.reload();
      await ready(page);
      await expect.poll(state).toEqual(expected('noted'));
      await shot(page, 'history-reloaded', lang);
    });

    it(`opens a long text from its first blocks, draws highlights in every section and undoes one made far down (${lang} interface)`, async () => {
      server = await suite.start();
      const file = path.join(tempDir('gloss-long-'), 'long-text.txt');
      const paragraphs = Array.from({ length: 240 }, (_, i) => `Paragraph ${i + 1} opens here. ` + 'The river keeps its course past the old mill and the bridge. '.repeat(5) + `End of paragraph ${i + 1}.`);
      fs.writeFileSync(file, paragraphs.join('\n\n') + '\n');
      gloss(['import', file], server.dataDir);
      for (const n of [2, 150, 239]) gloss(['annotate', 'long-text', '--quote', `Paragraph ${n} opens here.`, '--note', `note ${n}`], server.dataDir);
      session = await suite.open(server, locales[lang]);
      const page = session.page;
      await openDocument(page, lang, /^long-text/);
      const panel = page.getByRole('region', { name: L[lang].panel!.title, exact: true });
      const items = panel.locator('.annotation-list > li[data-annotation-id]');
      await expect.poll(() => items.count()).toBe(3);
      // Asked for in two parts (the first blocks, then the rest), never whole.
      const asked = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => /^\/api\/documents\./.test(p)));
      expect(asked).toEqual(['/api/documents.blocks', '/api/documents.blocks']);
      // The annotations too: those over the first section's characters, then the rest.
      const listed = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === '/api/annotations.list').length);
      expect(listed).toBe(2);
      expect(await page.locator('.reader-section').count()).toBeGreaterThan(5);
      const stored = () => JSON.parse(gloss(['annotations', 'long-text', '--json'], server!.dataDir)) as { id: string; exact: string }[];
      const [first, , last] = stored();
      expect(await highlightText(page, first!.id)).toBe('Paragraph 2 opens here.');
      // Chosen in the panel, the last one's section is mounted and scrolled to, its highlight drawn.
      await items.filter({ hasText: 'note 239' }).locator('.annotation-item').click();
      await expect.poll(() => highlightText(page, last!.id)).toBe('Paragraph 239 opens here.');
      await page.keyboard.press('Escape');
      // A new highlight there, then Ctrl+Z takes it away again (text, panel and library).
      const ids = () => page.locator('.reader-text .hl').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-annotation-id')!))]);
      const before = new Set(await ids());
      await selectPhrase(page, 'End of paragraph 238.');
      await page.getByRole('button', { name: L[lang].toolbar!.highlight, exact: true }).click();
      await expect.poll(() => items.count()).toBe(4);
      const made = (await ids()).find((x) => !before.has(x))!;
      expect(await highlightText(page, made)).toBe('End of paragraph 238.');
      expect(stored().map((a) => a.exact)).toContain('End of paragraph 238.');
      await page.keyboard.press('Escape');
      await page.locator('.reader-scroll').focus();
      await page.keyboard.press('Control+KeyZ');
      await expect.poll(() => items.count()).toBe(3);
      await expect.poll(() => highlightText(page, made)).toBe('');
      expect(stored().map((a) => a.id).sort()).toEqual([first!.id, stored()[1]!.id, last!.id].sort());
      await shot(page, 'long-text', lang);
    });

    it(`keeps a passage selected in the first section while the rest of the text comes, and annotates it (${lang} interface)`, async () => {
      const page = await start(lang);
      // All the annotations held back: the first section stays alone (read-only, no session yet).
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/annotations.list', async (route) => {
        await held;
        await route.continue();
      });
      await openDocument(page, lang, ENGLISH_TITLE, false);
      const panel = page.getByRole('region', { name: L[lang].panel!.title, exact: true });
      await expect.poll(() => panel.getByText(L[lang].panel!.loading!, { exact: true }).count()).toBe(1);
      expect(await page.locator('.reader-text').textContent()).not.toContain('Moldova native');
      const phrase = 'civil war currently unfolding in Syria';
      await selectPhrase(page, phrase);
      release();
      // The whole text replaces the first section; the passage is still selected, its toolbar comes.
      await expect.poll(() => page.locator('.reader-text').textContent()).toContain('Moldova native');
      await page.getByRole('button', { name: L[lang].toolbar!.highlight, exact: true }).click();
      await page.getByRole('button', { name: L[lang].toolbar!.delete, exact: true }).waitFor();
      const stored = JSON.parse(gloss(['annotations', 'A Growing', '--json'], server!.dataDir)) as { id: string; exact: string }[];
      expect(stored.map((a) => a.exact)).toEqual([phrase]);
      expect(await highlightText(page, stored[0]!.id)).toBe(phrase);
    });

    it(`annotates in the first section, by keyboard, before the rest of the annotations comes, and undoes it after (${lang} interface)`, async () => {
      const page = await start(lang);
      // Only the rest of the annotations held back (asked for from an offset on, no end): the
      // first section's come, so it has its session while the rest of the book is on its way.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let rest = 0;
      await page.route('**/api/annotations.list', async (route) => {
        const body = route.request().postDataJSON() as { start?: number; end?: number };
        if (body.start && body.end === undefined) {
          rest++;
          await held;
        }
        await route.continue();
      });
      await openDocument(page, lang, ENGLISH_TITLE, false);
      const panel = page.getByRole('region', { name: L[lang].panel!.title, exact: true });
      await expect.poll(() => rest).toBe(1);
      await expect.poll(() => panel.getByText(L[lang].panel!.loading!, { exact: true }).count()).toBe(0);
      expect(await page.locator('.reader-text').textContent()).not.toContain('Moldova native');
      expect(await page.locator('.reader-scroll').getAttribute('aria-busy')).toBe('true');
      // The page scrolls on past the first section (room is kept for the rest).
      expect(await page.locator('.reader-scroll').evaluate((e) => e.scrollHeight > 2 * e.clientHeight)).toBe(true);
      const phrase = 'civil war currently unfolding in Syria';
      await selectPhrase(page, phrase);
      await page.keyboard.press('Alt+KeyH');
      await page.getByRole('button', { name: L[lang].toolbar!.delete, exact: true }).waitFor();
      const stored = () => JSON.parse(gloss(['annotations', 'A Growing', '--json'], server!.dataDir)) as { id: string; exact: string }[];
      expect(stored().map((a) => a.exact)).toEqual([phrase]);
      const id = stored()[0]!.id;
      expect(await highlightText(page, id)).toBe(phrase);
      expect(await page.locator('.reader-text').textContent()).not.toContain('Moldova native');
      release();
      // The whole text replaces the first section: the highlight is there, and undo still takes it away.
      await expect.poll(() => page.locator('.reader-text').textContent()).toContain('Moldova native');
      await page.locator('.reader-scroll:not([aria-busy])').waitFor();
      expect(await highlightText(page, id)).toBe(phrase);
      await page.keyboard.press('Escape');
      await page.locator('.reader-scroll').focus();
      await page.keyboard.press('Control+KeyZ');
      await expect.poll(() => stored().length).toBe(0);
      await expect.poll(() => highlightText(page, id)).toBe('');
    });

    it(`shows overlapping highlights, both visible, and undoes a deletion (${lang} interface)`, async () => {
      const page = await start(lang);
      await openDocument(page, lang, HEBREW_TITLE);
      const t = L[lang].toolbar!;
      const first = await annotate(page, lang, 'הציבה רוסיה מערכת S-300', null, null, 'overlap-a');
      await page.keyboard.press('Escape');
      await selectPhrase(page, 'S-300 בבסיסה הימי');
      await page.getByRole('button', { name: L[lang].colors!.blue, exact: true }).click();
      await page.getByRole('button', { name: t.delete, exact: true }).waitFor();
      await page.keyboard.press('Escape');
      const ids = await page.locator('.hl').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-annotation-id')))]);
      expect(ids).toHaveLength(2);
      const second = ids.find((x) => x !== first)!;
      expect(await highlightText(page, first)).toBe('הציבה רוסיה מערכת S-300');
      expect(await highlightText(page, second)).toBe('S-300 בבסיסה הימי');
      // In the overlap both are drawn: one as a background, the other with its own line.
      const overlap = await page.evaluate(([a, b]) => {
        const inner = Array.from(document.querySelectorAll(`[data-annotation-id="${b}"]`)).find((e) => e.closest(`[data-annotation-id="${a}"]`) || e.querySelector(`[data-annotation-id="${a}"]`));
        if (!inner) return null;
        const outer = inner.closest(`[data-annotation-id="${a}"]`) ?? inner.querySelector(`[data-annotation-id="${a}"]`)!;
        const style = (el: Element) => getComputedStyle(el);
        const [x, y] = [style(inner), style(outer)];
        return { text: inner.textContent, backgrounds: [x.backgroundColor, y.backgroundColor], lines: [x.textDecorationLine, y.textDecorationLine] };
      }, [first, second]);
      expect(overlap).not.toBeNull();
      expect(overlap!.text).toContain('S-300');
      expect(overlap!.backgrounds.every((c) => c !== 'rgba(0, 0, 0, 0)')).toBe(true);
      expect(overlap!.lines.some((l) => l.includes('underline'))).toBe(true);
      await shot(page, 'overlap', lang);

      // Click the second highlight, delete it, then undo with Ctrl+Z.
      await page.locator(`.reader-text [data-annotation-id="${second}"]`).last().click();
      await page.getByRole('button', { name: t.delete, exact: true }).click();
      await expect.poll(() => page.locator(`.reader-text [data-annotation-id="${second}"]`).count()).toBe(0);
      await shot(page, 'overlap-deleted', lang);
      await page.locator('.reader-scroll').focus();
      await page.keyboard.press('Control+KeyZ');
      await expect.poll(() => page.locator(`.reader-text [data-annotation-id="${second}"]`).count()).toBeGreaterThan(0);
      await page.reload();
      await ready(page);
      expect(await highlightText(page, second)).toBe('S-300 בבסיסה הימי');
    });
  }
});
