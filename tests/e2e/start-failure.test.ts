/**
 * A window whose interface cannot start says so in the interface language (`app.startFailed` with
 * the error's sentence from the catalogue), not in English: here the browser lacks an API the
 * interface builds on at start (IntersectionObserver and ResizeObserver, removed before the page's
 * scripts run).
 */
import { expect, it } from 'vitest';
import { describeE2E, e2eSuite, L } from './harness.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

describeE2E('a window that cannot start', () => {
  const suite = e2eSuite();

  it('says so in the interface language (he)', async () => {
    const server = await suite.start();
    // The first window sets the library's interface language (Hebrew, from the browser's locale).
    const session = await suite.open(server, 'he-IL');
    const page = await session.context.newPage();
    const logged: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') logged.push(m.text());
    });
    await page.addInitScript(() => {
      Object.defineProperty(window, 'IntersectionObserver', { value: undefined, configurable: true });
      Object.defineProperty(window, 'ResizeObserver', { value: undefined, configurable: true });
    });
    await page.goto(server.url);
    const alert = page.locator('#app[role="alert"]');
    const expected = fill(L.he.app!.startFailed!, { reason: L.he.errors!.internal! });
    await expect.poll(() => alert.textContent()).toBe(expected);
    expect(expected).toMatch(/^לא ניתן היה להפעיל את Gloss: /);
    // The detail went to the console, not to the screen.
    expect(logged.length).toBeGreaterThan(0);
    await page.close();
  });
});
