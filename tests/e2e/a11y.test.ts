/**
 * Accessibility checked by a machine: axe-core (injected into the page: @axe-core/playwright needs
 * @playwright/test) over every view and dialog, in both interface languages: the library, search
 * results, the reader with its panel, the selection toolbar, an annotation edited in the panel,
 * the find bar, edit mode, the tag manager and its delete form, the export, import-report,
 * confirmation, history, translation and pairing dialogs, a toast with Undo, and the bilingual
 * desk, in the light theme and (reader, desk, library) the dark one. No serious or
 * critical violation passes; the others are written to test-results/a11y/<lang>.json and printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { repoRoot } from '../helpers.js';
import { describeE2E, e2eSuite, gloss, L, type Lang, selectPhrase } from './harness.js';

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

interface Finding {
  state: string;
  /** A violation, or a check axe could not decide (a person has to look). */
  kind: string;
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

/** Runs axe over the page as it is now (or over `within`), after the next two frames. */
async function audit(page: Page, state: string, findings: Finding[], within?: string): Promise<void> {
  // Not addScriptTag: the page's CSP refuses inline scripts, and evaluating through the
  // debugging protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const violations = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(selector ? document.querySelector(selector) : document, { resultTypes: ['violations', 'incomplete'] });
    const list = (items: typeof result.violations, kind: string) =>
      items.map((v) => ({ kind, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`) }));
    return [...list(result.violations, 'violation'), ...list((result as unknown as { incomplete: typeof result.violations }).incomplete, 'needs review')];
  }, within ?? null);
  for (const v of violations) findings.push({ state, ...v });
}

describeE2E('accessibility (axe-core)', () => {
  const suite = e2eSuite();
  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];

    it(`has no serious or critical violation in any view or dialog (${lang} interface)`, async () => {
      const findings: Finding[] = [];
      const server = await suite.start();
      gloss(['annotate', 'PUTIN', '--quote', 'The previous visit at the end of', '--tag', 'claim/factual', '--note', 'a note'], server.dataDir);
      gloss(['annotate', 'PUTIN', '--quote', 'the conventional wisdom in Moscow', '--tag', 'source/press', '--color', 'green'], server.dataDir);
      const pair = /^pair (\d+)/.exec(gloss(['pair', 'בצל', 'A Growing'], server.dataDir))![1]!;
      const jsonld = gloss(['export', 'PUTIN', '--format', 'jsonld'], server.dataDir);
      const { page } = await suite.open(server, locales[lang]);
      const dialog = page.getByRole('dialog');

      await audit(page, 'library', findings);
      const library = page.getByRole('region', { name: T.library!.title, exact: true });

      // Dialogs opened from the library.
      await library.getByRole('button', { name: fill(T.library!.removeNamed!, { title: 'A Growing Russian-Israeli Alliance?' }), exact: true }).click();
      await dialog.waitFor();
      await audit(page, 'remove confirmation', findings);
      await page.keyboard.press('Escape');
      await library.getByRole('button', { name: fill(T.pair!.startTranslationNamed!, { title: 'A Growing Russian-Israeli Alliance?' }), exact: true }).click();
      await dialog.waitFor();
      await audit(page, 'translation dialog', findings);
      await page.keyboard.press('Escape');
      await library.getByRole('button', { name: fill(T.pair!.openAsPairNamed!, { title: 'A Growing Russian-Israeli Alliance?' }), exact: true }).click();
      await dialog.waitFor();
      await audit(page, 'pair dialog', findings);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: T.transfer!.exportAnnotations, exact: true }).first().click();
      await dialog.waitFor();
      await audit(page, 'export dialog', findings);
      await page.keyboard.press('Escape');
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: T.transfer!.importAnnotations, exact: true }).first().click();
      // The library's own annotations back again: a report with counts and documents.
      await (await chooser).setFiles({ name: 'gloss.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(jsonld, 'utf8') });
      await dialog.waitFor();
      await audit(page, 'import report', findings);
      await dialog.getByRole('button', { name: T.common!.close, exact: true }).click();

      // The tag manager, and its delete form.
      await page.getByRole('button', { name: T.tags!.manage, exact: true }).click();
      await dialog.waitFor();
      await audit(page, 'tag manager', findings);
      await dialog.getByRole('button', { name: fill(T.tags!.deleteNamed!, { tag: 'claim/factual' }), exact: true }).click();
      await audit(page, 'tag manager: delete', findings);
      await page.keyboard.press('Escape');

      // Search results.
      const search = page.getByRole('searchbox', { name: T.search!.label, exact: true });
      await search.fill('Putin');
      await search.press('Enter');
      await page.getByRole('region', { name: T.search!.results, exact: true }).locator('.search-hit').first().waitFor();
      await audit(page, 'search results', findings);

      // The reader, its panel, the toolbar, an annotation edited in place, the find bar.
      await page.getByRole('link', { name: T.app!.library, exact: true }).click();
      await library.getByRole('link', { name: /^PUTIN/ }).click();
      const panel = page.getByRole('region', { name: T.panel!.title, exact: true });
      await expect.poll(() => panel.locator('.annotation-list > li').count()).toBe(2);
      await audit(page, 'reader and panel', findings);
      await selectPhrase(page, 'Netanyahu visited Moscow today');
      await page.getByRole('dialog', { name: T.toolbar!.label }).waitFor();
      await audit(page, 'selection toolbar', findings);
      await page.keyboard.press('Alt+KeyH');
      await page.getByRole('button', { name: T.toolbar!.delete, exact: true }).waitFor();
      await audit(page, 'selection toolbar on an annotation', findings);
      await page.keyboard.press('Escape');
      await panel.getByRole('button', { name: fill(T.panel!.editNamed!, { quote: 'The previous visit at the end of' }), exact: true }).click();
      await panel.getByRole('group', { name: T.panel!.editing, exact: true }).waitFor();
      await audit(page, 'panel: editing an annotation', findings);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+KeyF');
      await page.getByRole('searchbox', { name: T.find!.label, exact: true }).fill('Putin');
      await audit(page, 'find bar', findings);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: T.versions!.history, exact: true }).click();
      await dialog.waitFor();
      await audit(page, 'history dialog', findings);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: T.edit!.start, exact: true }).click();
      await page.locator('.reader-text.editing').waitFor();
      await audit(page, 'edit mode', findings);
      await page.getByRole('button', { name: T.edit!.done, exact: true }).click();
      await page.locator('.reader-text:not(.editing)').first().waitFor();

      // A deletion's toast, with its Undo; then the dark theme over the reader and the library.
      await panel.getByRole('button', { name: fill(T.panel!.deleteNamed!, { quote: 'the conventional wisdom in Moscow' }), exact: true }).click();
      await page.locator('.toast').getByRole('button', { name: T.common!.undo, exact: true }).waitFor();
      await audit(page, 'toast with Undo', findings);
      await page.getByRole('button', { name: T.app!.darkTheme, exact: true }).click();
      await audit(page, 'reader, dark theme', findings);

      // The bilingual desk.
      await page.goto(`${server.url}#pair=${pair}`);
      await page.locator('.pair-title .title-part').first().waitFor();
      await audit(page, 'bilingual desk, dark theme', findings);
      await page.getByRole('link', { name: T.app!.library, exact: true }).click();
      await library.waitFor();
      await audit(page, 'library, dark theme', findings);

      const dir = path.join(repoRoot, 'test-results', 'a11y');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${lang}.json`), JSON.stringify(findings, null, 2));
      const violations = findings.filter((f) => f.kind === 'violation');
      const lesser = violations.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
      const review = findings.filter((f) => f.kind !== 'violation');
      console.log(`axe (${lang}): ${violations.length} violations; not serious or critical: ${[...new Set(lesser.map((f) => `${f.id} (${f.impact}) in ${f.state}`))].join('; ') || 'none'}; to review by eye: ${[...new Set(review.map((f) => f.id))].join(', ') || 'none'}`);
      expect(violations.filter((f) => f.impact === 'serious' || f.impact === 'critical')).toEqual([]);
    });
  }
});
