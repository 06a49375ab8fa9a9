/**
 * Tags, in both interface languages. The tag manager: deleting a tag (and those below it) with a
 * choice for its annotations (remove it from them, or move them to the parent), undone from the
 * dialog; clearing every unused tag in one action, also undone; counts that follow each change;
 * the reader's panel following once the dialog is closed. The export dialog: only the chosen
 * tags (a parent takes in its children) and documents.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, type GlossServer, L, type Lang, shot } from './harness.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

/** A plural string as i18next picks it (Hebrew has a dual). */
function plural(lang: Lang, group: Record<string, string>, key: string, count: number, values: Record<string, string | number> = {}): string {
  const form = count === 1 ? 'one' : count === 2 && lang === 'he' ? 'two' : 'other';
  return fill(group[`${key}_${form}`]!, { count, ...values });
}

const isolate = (s: string) => `\u2068${s}\u2069`;

describeE2E('tag manager', () => {
  const suite = e2eSuite();
  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  function tagsOf(server: GlossServer): Record<string, string[]> {
    const list = JSON.parse(gloss(['annotations', 'PUTIN', '--json'], server.dataDir)) as { exact: string; tags: string[] }[];
    return Object.fromEntries(list.map((a) => [a.exact, [...a.tags].sort()]));
  }

  function counts(server: GlossServer): Record<string, number> {
    return Object.fromEntries((JSON.parse(gloss(['tags', '--json'], server.dataDir)) as { path: string; count: number }[]).map((t) => [t.path, t.count]));
  }

  async function rows(page: Page): Promise<[string, string][]> {
    return page.locator('.tag-manager tr[data-tag]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-tag')!, tr.querySelector('td.num')!.textContent!] as [string, string]));
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];
    const count = (n: number) => plural(lang, T.tags!, 'count', n);

    it(`deletes tags with a choice for their annotations, clears unused ones, and undoes both (${lang} interface)`, async () => {
      const server = await suite.start();
      const A = 'The previous visit at the end of';
      const B = 'the conventional wisdom in Moscow';
      const C = 'Although the Astana format';
      const D = 'Putin and Netanyahu seem to be on the same page';
      gloss(['annotate', 'PUTIN', '--quote', A, '--tag', 'claim/factual/strong'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', B, '--tag', 'claim/factual'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', C, '--tag', 'claim/opinion'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', D, '--tag', 'source/press'], server.dataDir);
      const { page } = await suite.open(server, locales[lang]);
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: /^PUTIN/ }).click();
      const panel = page.getByRole('region', { name: T.panel!.title, exact: true });
      await expect.poll(() => panel.locator('.annotation-list > li').count()).toBe(4);

      await page.getByRole('button', { name: T.tags!.manage, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: T.tags!.title, exact: true });
      await dialog.waitFor();
      expect(await rows(page)).toEqual([
        ['claim', count(3)],
        ['claim/factual', count(2)],
        ['claim/factual/strong', count(1)],
        ['claim/opinion', count(1)],
        ['source', count(1)],
        ['source/press', count(1)],
      ]);
      const clear = dialog.getByRole('button', { name: T.tags!.noUnused, exact: true });
      expect(await clear.isDisabled()).toBe(true);
      // The manager's own status line (the app's toasts, also a status region, come into an open modal dialog).
      const status = dialog.locator('.tm-status[role="status"]');
      const undo = dialog.getByRole('button', { name: T.common!.undo, exact: true });

      // Merging source/press away leaves "source" carried by nothing: one unused tag to clear.
      await dialog.getByRole('button', { name: fill(T.tags!.mergeNamed!, { tag: 'source/press' }), exact: true }).click();
      await dialog.getByRole('combobox', { name: fill(T.tags!.mergeTarget!, { tag: 'source/press' }), exact: true }).selectOption('claim/opinion');
      await dialog.getByRole('button', { name: T.tags!.mergeApply, exact: true }).click();
      const clearOne = dialog.getByRole('button', { name: plural(lang, T.tags!, 'clearUnused', 1), exact: true });
      await clearOne.waitFor();
      // Counts follow: claim/opinion now has two.
      expect(await rows(page)).toContainEqual(['claim/opinion', count(2)]);
      await clearOne.click();
      await expect.poll(() => status.textContent()).toBe(plural(lang, T.tags!, 'cleared', 1));
      expect((await rows(page)).map(([p]) => p)).not.toContain('source');
      await shot(page, 'tags-cleared', lang);
      await undo.click();
      await expect.poll(() => status.textContent()).toBe(plural(lang, T.tags!, 'restored', 1));
      expect((await rows(page)).map(([p]) => p)).toContain('source');
      expect(await undo.isVisible()).toBe(false);
      await clearOne.click();
      await expect.poll(() => counts(server)).not.toHaveProperty('source');

      // Delete claim/factual (and claim/factual/strong below it); its annotations move to "claim".
      await dialog.getByRole('button', { name: fill(T.tags!.deleteNamed!, { tag: 'claim/factual' }), exact: true }).click();
      await dialog.getByText(plural(lang, T.tags!, 'deleteIntroBelow', 1, { tag: isolate('claim/factual') })).waitFor();
      const choices = dialog.getByRole('group', { name: plural(lang, T.tags!, 'deleteChoice', 2) });
      expect(await choices.getByRole('radio', { name: T.tags!.deleteRemove, exact: true }).isChecked()).toBe(true);
      await choices.getByRole('radio', { name: fill(T.tags!.deleteToParent!, { parent: isolate('claim') }), exact: true }).check();
      await shot(page, 'tags-delete', lang);
      await dialog.getByRole('button', { name: T.tags!.deleteApply, exact: true }).click();
      await expect.poll(() => status.textContent()).toBe(plural(lang, T.tags!, 'deleted', 2, { tag: isolate('claim/factual') }));
      expect(await rows(page)).toEqual([
        ['claim', count(4)],
        ['claim/opinion', count(2)],
      ]);
      expect(tagsOf(server)).toEqual({ [A]: ['claim'], [B]: ['claim'], [C]: ['claim/opinion'], [D]: ['claim/opinion'] });

      // Undo puts both tags back, on the same annotations (and takes "claim" off them again).
      await undo.click();
      await expect.poll(() => status.textContent()).toBe(plural(lang, T.tags!, 'restored', 2));
      expect(tagsOf(server)).toEqual({ [A]: ['claim/factual/strong'], [B]: ['claim/factual'], [C]: ['claim/opinion'], [D]: ['claim/opinion'] });
      expect(await rows(page)).toContainEqual(['claim/factual', count(2)]);

      // Delete claim/opinion, removing it from its annotations.
      await dialog.getByRole('button', { name: fill(T.tags!.deleteNamed!, { tag: 'claim/opinion' }), exact: true }).click();
      await dialog.getByRole('button', { name: T.tags!.deleteApply, exact: true }).click();
      await expect.poll(() => status.textContent()).toBe(plural(lang, T.tags!, 'deleted', 2, { tag: isolate('claim/opinion') }));
      expect(tagsOf(server)).toEqual({ [A]: ['claim/factual/strong'], [B]: ['claim/factual'], [C]: [], [D]: [] });
      await shot(page, 'tags-deleted', lang);
      await page.keyboard.press('Escape');

      // The reader's panel shows the annotations as they are now.
      await expect.poll(() => panel.locator('.annotation-item .tag').allTextContents()).toEqual(['claim/factual/strong', 'claim/factual']);
      expect(await panel.getByRole('combobox', { name: T.panel!.filterTag }).locator('option').allTextContents()).toEqual([T.panel!.allTags, 'claim', 'claim/factual', 'claim/factual/strong']);
    });
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];
    const X = T.transfer!;

    it(`exports only the chosen tags (a parent with those below it) and documents (${lang} interface)`, async () => {
      const server = await suite.start();
      gloss(['annotate', 'PUTIN', '--quote', 'The previous visit at the end of', '--tag', 'claim/factual/strong'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', 'the conventional wisdom in Moscow', '--tag', 'claim/factual'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', 'Although the Astana format', '--tag', 'claim/opinion'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', 'Putin and Netanyahu seem to be on the same page', '--tag', 'source/press'], server.dataDir);
      gloss(['annotate', 'A Growing', '--quote', 'Obama should take notice', '--tag', 'claim/factual'], server.dataDir);
      gloss(['annotate', 'בצל', '--quote', 'S-300'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', 'visited Moscow today', '--color', 'green'], server.dataDir);
      const { page } = await suite.open(server, locales[lang]);

      const exportFrom = async (name: string, choose: (dialog: ReturnType<Page['getByRole']>) => Promise<void>): Promise<string> => {
        await page.getByRole('button', { name: X.exportAnnotations, exact: true }).click();
        const dialog = page.getByRole('dialog', { name: X.exportTitle, exact: true });
        await dialog.waitFor();
        await choose(dialog);
        await shot(page, name, lang);
        const download = page.waitForEvent('download');
        await dialog.getByRole('button', { name: X.export, exact: true }).click();
        const file = await download;
        await expect.poll(() => dialog.count()).toBe(0);
        return fs.readFileSync((await file.path())!, 'utf8');
      };

      // From the library: every document ticked; claim/factual ticked takes claim/factual/strong in.
      const csv = await exportFrom('export-tags', async (dialog) => {
        const documents = dialog.getByRole('group', { name: X.documents, exact: true });
        expect(await documents.getByRole('checkbox').count()).toBe(3);
        expect(await documents.getByRole('checkbox', { checked: true }).count()).toBe(3);
        await documents.getByRole('checkbox', { name: /^A Growing Russian-Israeli Alliance\?/ }).uncheck();
        const tags = dialog.getByRole('group', { name: X.tags, exact: true });
        expect(await tags.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual(['claim', 'claim/factual', 'claim/factual/strong', 'claim/opinion', 'source', 'source/press']);
        await tags.getByRole('checkbox', { name: 'claim/factual', exact: true }).check();
        const child = tags.getByRole('checkbox', { name: 'claim/factual/strong', exact: true });
        expect([await child.isChecked(), await child.isDisabled()]).toEqual([true, true]);
        await dialog.getByRole('combobox', { name: X.format, exact: true }).selectOption('csv');
      });
      expect(csv).toContain('The previous visit at the end of');
      expect(csv).toContain('the conventional wisdom in Moscow');
      for (const left of ['Although the Astana format', 'Putin and Netanyahu seem', 'Obama should take notice', 'S-300']) expect(csv).not.toContain(left);

      // From the reader, with the panel filtered by "source": that tag and this document only.
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: /^PUTIN/ }).click();
      const panel = page.getByRole('region', { name: T.panel!.title, exact: true });
      await expect.poll(() => panel.locator('.annotation-list > li').count()).toBe(5);
      await panel.getByRole('combobox', { name: T.panel!.filterTag }).selectOption('source');
      const jsonld = await exportFrom('export-tags-reader', async (dialog) => {
        const tags = dialog.getByRole('group', { name: X.tags, exact: true });
        expect(await tags.getByRole('checkbox', { checked: true }).evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual(['source', 'source/press']);
        const documents = dialog.getByRole('group', { name: X.documents, exact: true });
        expect(await documents.getByRole('checkbox', { checked: true }).count()).toBe(1);
        await dialog.getByRole('combobox', { name: X.format, exact: true }).selectOption('jsonld');
      });
      const items = (JSON.parse(jsonld) as { first: { items: { target: { selector: { type: string; exact?: string }[] } }[] } }).first.items;
      expect(items.map((i) => i.target.selector.find((x) => x.type === 'TextQuoteSelector')?.exact)).toEqual(['Putin and Netanyahu seem to be on the same page']);

      // Colours: with the tag filter cleared, only the green highlight.
      await panel.getByRole('combobox', { name: T.panel!.filterTag }).selectOption({ index: 0 });
      const green = await exportFrom('export-colours', async (dialog) => {
        const colours = dialog.getByRole('group', { name: X.colours, exact: true });
        expect(await colours.getByRole('checkbox').count()).toBe(6);
        await colours.getByRole('checkbox', { name: T.colors!.green, exact: true }).check();
        await dialog.getByRole('combobox', { name: X.format, exact: true }).selectOption('jsonld');
      });
      const greens = (JSON.parse(green) as { first: { items: { target: { selector: { type: string; exact?: string }[] } }[] } }).first.items;
      expect(greens.map((i) => i.target.selector.find((x) => x.type === 'TextQuoteSelector')?.exact)).toEqual(['visited Moscow today']);
    });
  }
});
