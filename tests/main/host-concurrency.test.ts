// The browser host answers requests as they come: a long import (read in a worker) or search rows
// being built do not hold back a read that arrives meanwhile.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/server.js';
import { createHandlers } from '../../src/main/handlers.js';
import type { Handlers } from '../../src/common/api.js';
import { Library } from '../../src/main/library.js';
import { tempDir } from '../helpers.js';

const root = path.resolve(__dirname, '../..');
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function serve(wrap: (handlers: Handlers) => Handlers = (h) => h): Promise<{ lib: Library; host: BrowserHost; call: (method: string, payload: unknown) => Promise<{ ok: boolean; value?: unknown }> }> {
  const lib = Library.open(tempDir('gloss-host-conc-'));
  cleanup.push(() => lib.close());
  const host = await startBrowserHost({ library: lib, handlers: wrap(createHandlers(lib)), port: 0, rendererDir: path.join(root, 'dist', 'renderer'), localesDir: path.join(root, 'locales'), token: 't0k3n' });
  cleanup.push(() => host.close());
  const call = async (method: string, payload: unknown) => {
    const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': 't0k3n' }, body: JSON.stringify(payload) });
    return (await res.json()) as { ok: boolean; value?: unknown };
  };
  return { lib, host, call };
}

/** About `bytes` of plain text in paragraphs, Hebrew and English. */
function text(bytes: number): string {
  const parts: string[] = [];
  for (let n = 0, i = 0; n < bytes; i++) {
    const p = `פסקה ${i}: בראשית ברא אלהים את השמים ואת הארץ. Paragraph ${i} of the sample, with a few plain English words in it.`;
    parts.push(p);
    n += Buffer.byteLength(p) + 2;
  }
  return parts.join('\n\n');
}

describe('the browser host serves requests concurrently', () => {
  it('answers a read while an import is under way, and while its search rows are built', async () => {
    // The import is held at a gate once its handler has begun, so the order does not depend on timing.
    let begun!: () => void;
    const started = new Promise<void>((r) => (begun = r));
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { lib, call } = await serve((h) => ({
      ...h,
      'library.import': async (request) => {
        begun();
        await gate;
        return h['library.import'](request);
      },
    }));
    const order: string[] = [];
    const big = call('library.import', { files: [{ name: 'big.txt', base64: Buffer.from(text(3 * 1024 * 1024)).toString('base64') }] }).then((r) => (order.push('import'), r));
    await started;
    const list = await call('library.list', {}).then((r) => (order.push('list'), r));
    expect(list.ok).toBe(true);
    open();
    const imported = await big;
    expect(imported.ok).toBe(true);
    expect(order).toEqual(['list', 'import']);
    // Right after the import its search rows are built in slices: reads are answered between them.
    const page = await call('library.searchPage', { query: 'בראשית' });
    expect(lib.indexing().length).toBe(1);
    expect((page.value as { indexing?: unknown[] }).indexing?.length).toBe(1);
    const blocks = await call('documents.blocks', { documentId: 1, from: 0, count: 10 });
    expect(blocks.ok).toBe(true);
    await lib.whenIndexed();
    const after = await call('library.searchPage', { query: 'בראשית' });
    expect((after.value as { indexing?: unknown }).indexing).toBeUndefined();
    expect((after.value as { total: number }).total).toBeGreaterThan(10_000);
  }, 60_000);
});
