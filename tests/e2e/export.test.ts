/**
 * Annotations out and back in through the interface, in both languages: annotate the Hebrew seed,
 * export it as W3C JSON-LD from the reader (a download), read the file, import it into a fresh
 * library through the library's "Import annotations…", and find the highlight, its tag and its
 * note in place again; importing it twice updates rather than doubles. Also the library's export
 * as CSV, and a foreign JSON file refused with a clear message that changes nothing.
 */
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { describeE2E, e2eSuite, highlightText, L, type Lang, selectPhrase, type Session, shot } from './harness.js';

const HEBREW_TITLE = /^בצל היחלשות/;
const PHRASE = 'הציבה רוסיה מערכת S-300 בבסיסה הימי';
const NOTE = 'מערכת ההגנה האווירית הוצבה בטרטוס';
const TAG = 'claim/factual';

/** i18next-style interpolation, for texts built from the catalogue. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

interface WebAnnotation {
  id: string;
  type: string;
  body?: { type: string; purpose?: string; value: string }[];
  target: { source: string; selector: { type: string; exact?: string }[] };
}

describeE2E('export and import of annotations', () => {
  const suite = e2eSuite();
  /** This test's sessions, to take back the one console error it expects. */
  const sessions: Session[] = [];
  afterEach(() => void sessions.splice(0));

  async function start(lang: Lang): Promise<Page> {
    const session = await suite.open(await suite.start(), lang === 'he' ? 'he-IL' : 'en-US');
    sessions.push(session);
    return session.page;
  }

  /**
   * Opens the export dialog from the view `scope` (the reader's header or the library), picks
   * `format`, and returns the downloaded file. The reader and the library each have an "Export
   * annotations…" button; a locator is resolved once and its element then waited for, so a
   * page-wide one asked for just after a click on "Library" (before the hashchange is handled)
   * took the reader's button, about to be hidden, and waited 30 s for it (a CI flake).
   */
  async function exportAs(scope: Locator, lang: Lang, format: string, name: string): Promise<{ fileName: string; text: string }> {
    const T = L[lang].transfer!;
    const page = scope.page();
    await scope.getByRole('button', { name: T.exportAnnotations, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: T.exportTitle, exact: true });
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: T.format, exact: true }).selectOption(format);
    await shot(page, name, lang);
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: T.export, exact: true }).click();
    const file = await download;
    await expect.poll(() => dialog.count()).toBe(0);
    return { fileName: file.suggestedFilename(), text: fs.readFileSync((await file.path())!, 'utf8') };
  }

  /** Imports a file through "Import annotations…" and returns the report dialog. */
  async function importFile(page: Page, lang: Lang, name: string, text: string) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: L[lang].transfer!.importAnnotations, exact: true }).click();
    await (await chooser).setFiles({ name, mimeType: 'application/ld+json', buffer: Buffer.from(text, 'utf8') });
    return page.getByRole('dialog');
  }

  for (const lang of ['en', 'he'] as const) {
    const T = L[lang];
    const X = T.transfer!;

    it(`exports JSON-LD from the reader and imports it into a fresh library (${lang} interface)`, async () => {
      const page = await start(lang);
      await page.getByRole('region', { name: T.library!.title }).getByRole('link', { name: HEBREW_TITLE }).click();
      await page.locator('.reader-text').waitFor();

      // Annotate: highlight, tag, note.
      await selectPhrase(page, PHRASE);
      await page.getByRole('button', { name: T.toolbar!.highlight, exact: true }).click();
      await page.getByRole('button', { name: T.toolbar!.delete, exact: true }).waitFor();
      const tags = page.getByRole('textbox', { name: T.toolbar!.tags, exact: true });
      await tags.fill(TAG);
      await tags.press('Enter');
      await page.getByRole('textbox', { name: T.toolbar!.note, exact: true }).fill(NOTE);
      const panel = page.getByRole('region', { name: T.panel!.title });
      await panel.getByRole('listitem').filter({ hasText: NOTE }).filter({ hasText: TAG }).waitFor();
      await page.keyboard.press('Escape');
      const id = (await page.locator('.reader-text .hl').first().getAttribute('data-annotation-id'))!;

      // Export this document as W3C JSON-LD, through the dialog, to a download.
      const { fileName, text } = await exportAs(page.locator('.doc-header'), lang, 'jsonld', 'export-dialog');
      expect(fileName).toMatch(/\.jsonld$/);
      const collection = JSON.parse(text) as { type: string | string[]; first: { items: WebAnnotation[] } };
      expect([collection.type].flat()).toContain('AnnotationCollection');
      expect(collection.first.items).toHaveLength(1);
      const item = collection.first.items[0]!;
      expect(item.id).toBe(`urn:uuid:${id}`);
      expect(item.target.source).toMatch(/^urn:sha256:[0-9a-f]{64}$/);
      expect(item.target.selector.find((s) => s.type === 'TextQuoteSelector')?.exact).toBe(PHRASE);
      expect(item.body?.find((b) => b.purpose === 'tagging')?.value).toBe(TAG);
      expect(item.body?.find((b) => b.purpose === 'commenting')?.value).toBe(NOTE);
      await expect.poll(() => page.locator('.toast').last().textContent()).toContain(fileName);

      // The whole library as CSV, from the library view: UTF-8 with a BOM, the Hebrew intact.
      await page.getByRole('link', { name: T.app!.library, exact: true }).click();
      const csv = await exportAs(page.getByRole('region', { name: T.library!.title }), lang, 'csv', 'export-dialog-library');
      expect(csv.fileName).toMatch(/\.csv$/);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain(PHRASE);
      expect(csv.text).toContain(NOTE);

      // A fresh library holding the same texts: import the JSON-LD through the interface.
      const fresh = await start(lang);
      const report = await importFile(fresh, lang, 'gloss-annotations.jsonld', text);
      await report.getByRole('heading', { name: X.reportTitle, exact: true }).waitFor();
      expect(await report.locator('.count-added').textContent()).toBe(fill(X.added_one!, { count: 1 }));
      expect(await report.locator('.count-skipped').getAttribute('data-count')).toBe('0');
      await shot(fresh, 'import-report', lang);
      await report.getByRole('button', { name: T.common!.close, exact: true }).click();
      const library = fresh.getByRole('region', { name: T.library!.title });
      const row = library.getByRole('row').filter({ has: fresh.getByRole('link', { name: HEBREW_TITLE }) });
      await expect.poll(() => row.textContent()).toContain(fill(T.library!.annotationCount_one!, { count: 1 }));

      // In place again: the same passage, tag and note.
      await library.getByRole('link', { name: HEBREW_TITLE }).click();
      const freshPanel = fresh.getByRole('region', { name: T.panel!.title });
      await freshPanel.getByRole('listitem').filter({ hasText: NOTE }).filter({ hasText: TAG }).waitFor();
      expect(await highlightText(fresh, id)).toBe(PHRASE);
      await shot(fresh, 'import-in-place', lang);

      // The same file again, from the reader: the annotation is updated, not doubled.
      const again = await importFile(fresh, lang, 'gloss-annotations.jsonld', text);
      await again.getByRole('heading', { name: X.reportTitle, exact: true }).waitFor();
      expect(await again.locator('.count-updated').textContent()).toBe(fill(X.updated_one!, { count: 1 }));
      expect(await again.locator('.count-added').getAttribute('data-count')).toBe('0');
      await again.getByRole('button', { name: T.common!.close, exact: true }).click();
      await expect.poll(() => freshPanel.getByRole('listitem').count()).toBe(1);
    });

    it(`refuses a foreign file with a clear message and changes nothing (${lang} interface)`, async () => {
      const page = await start(lang);
      const before = await page.locator('.documents tbody').textContent();
      const report = await importFile(page, lang, 'foreign.json', JSON.stringify({ hello: 'world' }));
      await report.getByRole('heading', { name: X.failedTitle, exact: true }).waitFor();
      const message = await report.getByRole('alert').textContent();
      expect(message).toContain('foreign.json');
      expect(message).toMatch(/W3C|Web Annotation/);
      await shot(page, 'import-refused', lang);
      await report.getByRole('button', { name: T.common!.close, exact: true }).click();
      expect(await page.locator('.documents tbody').textContent()).toBe(before);
      // The host refuses the file with HTTP 400, which Chromium logs as a failed load: expected here.
      const session = sessions[0]!;
      const refused = 'console: Failed to load resource: the server responded with a status of 400 (Bad Request)';
      expect(session.errors).toEqual([refused]);
      session.errors.splice(0);
    });
  }
});
