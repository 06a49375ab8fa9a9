/**
 * Two languages: the interface follows the system language on first run, the Language control
 * switches it at run time (`<html lang dir>`, labels, the panel's side) without touching the
 * text's own directions, and the choice survives a reload.
 */
import { expect, it } from 'vitest';

import { describeE2E, e2eSuite, type GlossServer, L, ready, selectPhrase, type Session, shot } from './harness.js';

describeE2E('interface language', () => {
  const suite = e2eSuite();
  let server: GlossServer | undefined;
  let session: Session | undefined;

  it('switches from English to Hebrew at run time and back', async () => {
    server = await suite.start();
    session = await suite.open(server, 'en-US');
    const { page } = session;
    const html = () => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
    expect(await html()).toEqual({ lang: 'en', dir: 'ltr' });

    await page.getByRole('region', { name: 'Library' }).getByRole('link', { name: /^בצל היחלשות/ }).click();
    await page.locator('.reader-text').waitFor();
    const blockDirs = () => page.locator('.reader-text > *').evaluateAll((els) => els.map((e) => e.getAttribute('dir')));
    const dirsBefore = await blockDirs();
    const side = async () => {
      const panel = (await page.getByRole('region', { name: /^(Annotations|הערות)$/ }).boundingBox())!;
      const text = (await page.locator('.reader-scroll').boundingBox())!;
      return panel.x > text.x ? 'right' : 'left';
    };
    expect(await side()).toBe('right');
    await selectPhrase(page, 'מערכת S-300');
    await page.getByRole('button', { name: 'Highlight', exact: true }).waitFor();
    await shot(page, 'language-before', 'en');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('he');
    await expect.poll(html).toEqual({ lang: 'he', dir: 'rtl' });
    const he = L.he;
    // Labels change, the toolbar that was open included.
    await page.getByRole('button', { name: he.toolbar!.highlight, exact: true }).waitFor();
    await page.getByRole('textbox', { name: he.toolbar!.tags, exact: true }).waitFor();
    await page.getByRole('textbox', { name: he.toolbar!.note, exact: true }).waitFor();
    await page.getByRole('region', { name: he.panel!.title, exact: true }).waitFor();
    await page.getByRole('combobox', { name: he.app!.language, exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Highlight', exact: true }).count()).toBe(0);
    // The panel moves to the other side; the text keeps its own directions.
    expect(await side()).toBe('left');
    expect(await blockDirs()).toEqual(dirsBefore);
    await shot(page, 'language-after', 'he');

    // Remembered after a reload, whatever the system says.
    await page.reload();
    await ready(page);
    expect(await html()).toEqual({ lang: 'he', dir: 'rtl' });
    await page.getByRole('region', { name: he.panel!.title, exact: true }).waitFor();

    await page.getByRole('combobox', { name: he.app!.language, exact: true }).selectOption('en');
    await expect.poll(html).toEqual({ lang: 'en', dir: 'ltr' });
    await page.getByRole('region', { name: 'Annotations', exact: true }).waitFor();
    expect(await side()).toBe('right');
  });

  it('starts in Hebrew on a Hebrew system, with the library in Hebrew', async () => {
    server = await suite.start();
    session = await suite.open(server, 'he-IL');
    const { page } = session;
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    await page.getByRole('region', { name: L.he.library!.title, exact: true }).waitFor();
    await page.getByRole('button', { name: L.he.library!.import, exact: true }).waitFor();
    // Accessible names from the English catalogue exist when the interface is English (checked
    // above); here every labelled control has a Hebrew name.
    const unnamed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('button, input, select, textarea'))
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .filter((e) => !(e.getAttribute('aria-label') || e.textContent!.trim() || (e as HTMLInputElement).labels?.length))
        .map((e) => e.outerHTML),
    );
    expect(JSON.stringify(unnamed)).toBe('[]');
  });
});
