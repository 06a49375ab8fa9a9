/** The browser host refuses requests without its per-run token, and the page needs nothing from the network. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2E, startGloss, type GlossServer } from './harness.js';

describeE2E('browser host token', () => {
  let server: GlossServer;

  beforeAll(async () => {
    server = await startGloss();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses the page and the API without the token', async () => {
    const page = await fetch(`${server.origin}/`);
    expect([401, 403]).toContain(page.status);
    const api = await fetch(`${server.origin}/api/library.list`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect([401, 403]).toContain(api.status);
    const wrong = await fetch(`${server.origin}/api/library.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': 'x'.repeat(32) }, body: '{}' });
    expect([401, 403]).toContain(wrong.status);
  });

  it('serves the page and the API with it', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('app.js');
    const api = await fetch(`${server.origin}/api/library.list`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': server.token }, body: '{}' });
    expect(api.status).toBe(200);
  });
});
