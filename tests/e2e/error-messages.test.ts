/**
 * Errors reach the user in the interface language (issue 15 item 8): a rename the library refuses
 * (a title longer than 200 characters) and a rename of a document another window removed meanwhile
 * fail in the API with a code and parameters, and the toast says `errors.<code>` from the
 * catalogue of the interface's language, never the server's English sentence; a file that cannot
 * be imported is listed with `importReasons.<reason>`; an annotation whose text is in no document
 * is reported with `transfer.notes.no-document`, not the importer's English reason.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, importThroughPicker, L, type Lang, shot } from './harness.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

/** The error toasts' text, without the isolation marks placed around names. */
const errorToasts = (page: Page) => page.locator('.toast-error .toast-text').allTextContents();

describeE2E('error messages in the interface language', () => {
  const suite = e2eSuite();

  for (const [lang, locale] of [
    ['he', 'he-IL'],
    ['en', 'en-US'],
  ] as [Lang, string][]) {
    it(`shows the library's refusals as errors.<code> (${lang})`, async () => {
      const T = L[lang];
      const server = await suite.start();
      const session = await suite.open(server, locale);
      const { page } = session;
      const docs = JSON.parse(gloss(['list', '--json'], server.dataDir)) as { id: number; title: string }[];
      const [first, second] = docs;
      expect(first && second, 'the seeded library has two documents').toBeTruthy();
      const library = page.getByRole('region', { name: T.library!.title });

      // 1. A title longer than the library takes: the API answers title-too-long { max, length }.
      await library.getByRole('button', { name: fill(T.library!.renameNamed!, { title: first!.title }), exact: true }).click();
      const box = library.getByRole('textbox', { name: fill(T.library!.newTitle!, { title: first!.title }), exact: true });
      await box.fill('ש'.repeat(250));
      await box.press('Enter');
      const tooLong = fill(T.errors!['title-too-long']!, { max: 200, length: 250 });
      await expect.poll(() => errorToasts(page)).toEqual([tooLong]);
      await shot(page, 'error-toast', lang);
      if (lang === 'he') expect(tooLong).toMatch(/^כותרת/);
      // The server's English sentence did not reach the page (in either language).
      expect(await page.locator('.toasts').textContent()).not.toContain('(this one has 250)');
      if (lang === 'he') expect(await page.locator('.toasts').textContent()).not.toMatch(/[A-Za-z]/);
      await box.press('Escape');

      // 2. A file that cannot be imported: its outcome says why in the interface language.
      await importThroughPicker(page, lang, [{ name: 'ריק.txt', text: '' }]);
      const failedRow = page.locator('li.outcome-failed');
      const expected = fill(T.library!.failed!, { name: 'ריק.txt', reason: T.importReasons!.empty! });
      await expect.poll(async () => (await failedRow.textContent())?.replace(/[\u2068\u2069]/g, '')).toBe(expected);
      // Besides the file's own name, no English: the reason is the catalogue's, not the importer's.
      if (lang === 'he') expect((await failedRow.textContent())!.replace('ריק.txt', '')).not.toMatch(/[A-Za-z]{2}/);
      await shot(page, 'error-import', lang);

      // 2b. Annotations whose text is in no document: the import report's note is the catalogue's
      // (transfer.notes.<code>), not the importer's English reason, and it offers to keep them.
      const notes = (T.transfer as unknown as { notes: Record<string, string> }).notes;
      const homeless = [{ '@context': 'http://www.w3.org/ns/anno.jsonld', id: 'urn:uuid:3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f', type: 'Annotation', target: { source: 'https://example.org/elsewhere.html', selector: { type: 'TextQuoteSelector', exact: 'words of another text entirely' } } }];
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: T.transfer!.importAnnotations, exact: true }).click();
      await (await chooser).setFiles({ name: 'elsewhere.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(JSON.stringify(homeless), 'utf8') });
      const report = page.getByRole('dialog');
      const note = report.locator('.import-notes li[data-note="no-document"] .reason');
      await expect.poll(() => note.textContent()).toBe(notes['no-document']);
      expect(await report.locator('.import-notes').textContent()).not.toContain('--keep-orphans');
      if (lang === 'he') expect((await report.locator('.import-notes').textContent())!.replace(/Gloss/g, '')).not.toMatch(/[A-Za-z]{2}/);
      await report.getByRole('button', { name: T.transfer!.keepOrphans, exact: true }).waitFor();
      await shot(page, 'error-import-note', lang);
      await report.getByRole('button', { name: T.common!.close, exact: true }).click();

      // 3. Another client (a second window) removes a document while this page still shows it.
      const removed = await fetch(`${server.origin}/api/library.remove`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': server.token }, body: JSON.stringify({ documentId: second!.id }) });
      expect(await removed.json()).toEqual({ ok: true, value: { removed: true } });
      await library.getByRole('button', { name: fill(T.library!.renameNamed!, { title: second!.title }), exact: true }).click();
      const box2 = library.getByRole('textbox', { name: fill(T.library!.newTitle!, { title: second!.title }), exact: true });
      await box2.fill('כותרת חדשה');
      await box2.press('Enter');
      await expect.poll(async () => (await errorToasts(page)).at(-1)).toBe(T.errors!['document-not-found']);
      expect(await page.locator('.toasts').textContent()).not.toMatch(/No document with id/);
      await shot(page, 'error-toast-gone', lang);

      // The browser logs each refused call (400, 404) as a failed resource: those two, nothing else.
      const refused = session.errors.filter((e) => /Failed to load resource: the server responded with a status of 40[04]/.test(e));
      expect(refused).toHaveLength(2);
      session.errors.splice(0, session.errors.length, ...session.errors.filter((e) => !refused.includes(e)));
    });
  }
});
