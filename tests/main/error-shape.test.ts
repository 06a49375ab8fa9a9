// One error shape across transports (issue 15 item 8): the same call, failing the same way, gives
// the same reply object through Electron's IPC handler function and through the browser host's
// HTTP API, and the renderer's transport turns both into the same ApiError. Real library in a temp
// folder, real HTTP server; only Electron's IPC plumbing (ipcMain) is absent, and `answerCall`
// is the function its handler runs.
import fs from 'node:fs';
import net from 'node:net';
import i18next from 'i18next';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANNOTATION_NOTES, ERROR_CODES, GlossError, PROJECT_NOTES, asReply, httpStatus, type Reply } from '../../src/common/errors.js';
import { findDocument } from '../../src/common/document-ref.js';
import { importAnnotationsFile } from '../../src/main/export/import-annotations.js';
import { join, sync } from '../../src/main/team/sync.js';
import type { GlossBridge } from '../../src/common/api.js';
import { METHODS } from '../../src/common/methods.js';
import { answerCall, type InvokeEvent } from '../../src/main/electron/ipc.js';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/server.js';
import { Library } from '../../src/main/library.js';
import { tempDir } from '../helpers.js';

const root = path.resolve(__dirname, '../..');
const token = 'e'.repeat(43);
let lib: Library;
let closed: Library;
let host: BrowserHost;
let closedHost: BrowserHost;
let dataDir: string;
let docId: number;

/** What Electron's main window sends: its own contents id and the app's page in the main frame. */
const windowEvent: InvokeEvent = { sender: { id: 7 }, senderFrame: { url: 'gloss://app/index.html', parent: null } as InvokeEvent['senderFrame'] };

async function overHttp(h: BrowserHost, method: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${h.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': h.token },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: await res.json() };
}

/** One call through both transports: the two replies, and the HTTP status. */
async function both(which: 'open' | 'closed', method: string, payload: unknown): Promise<{ ipc: Reply; http: unknown; status: number }> {
  const library = which === 'open' ? lib : closed;
  const ipc = await answerCall(createHandlers(library), [7], windowEvent, method, payload);
  const { status, body } = await overHttp(which === 'open' ? host : closedHost, method, payload);
  return { ipc, http: body, status };
}

beforeAll(async () => {
  dataDir = tempDir();
  lib = Library.open(dataDir);
  const [outcome] = await lib.importFiles([{ name: 'psalm.txt', bytes: Buffer.from('שיר המעלות\n\nאשא עיני אל ההרים\n', 'utf8') }]);
  docId = outcome!.documentId!;
  const common = { rendererDir: path.join(root, 'dist', 'renderer'), localesDir: path.join(root, 'locales'), token, port: 0 };
  host = await startBrowserHost({ ...common, library: lib });
  // A library whose database is closed under the handlers: every call fails inside SQLite's binding.
  const closedDir = tempDir();
  closed = Library.open(closedDir);
  closedHost = await startBrowserHost({ ...common, library: closed });
  closed.close();
});

afterAll(async () => {
  await host?.close();
  await closedHost?.close();
  lib?.close();
});

describe('the same failure over IPC and HTTP', () => {
  it('a payload the schema refuses: invalid-request naming the field', async () => {
    const { ipc, http, status } = await both('open', 'documents.rename', { documentId: docId, title: 42 });
    expect(ipc).toEqual({ ok: false, error: { code: 'invalid-request', params: { method: 'documents.rename', path: 'title', reason: expect.any(String) }, message: expect.stringMatching(/^Invalid request for documents\.rename: title: /) } });
    expect(http).toEqual(ipc);
    expect(status).toBe(400);
  });

  it('a nested field is named by its path', async () => {
    const { ipc, http } = await both('open', 'library.import', { files: [{ name: '', base64: '' }] });
    expect(ipc).toMatchObject({ ok: false, error: { code: 'invalid-request', params: { path: 'files[0].name' } } });
    expect(http).toEqual(ipc);
  });

  it('an error the library raises on purpose: its code and parameters', async () => {
    const missing = await both('open', 'documents.rename', { documentId: 999, title: 'Psalm' });
    expect(missing.ipc).toEqual({ ok: false, error: { code: 'document-not-found', params: { id: 999 }, message: 'No document with id 999' } });
    expect(missing.http).toEqual(missing.ipc);
    expect(missing.status).toBe(404);

    const long = 'א'.repeat(201);
    const tooLong = await both('open', 'documents.rename', { documentId: docId, title: long });
    expect(tooLong.ipc).toMatchObject({ ok: false, error: { code: 'title-too-long', params: { max: 200, length: 201 } } });
    expect(tooLong.http).toEqual(tooLong.ipc);
    expect(tooLong.status).toBe(400);

    const tag = await both('open', 'tags.rename', { from: 'no/such', to: 'other' });
    expect(tag.ipc).toMatchObject({ ok: false, error: { code: 'tag-not-found', params: { tag: 'no/such' } } });
    expect(tag.http).toEqual(tag.ipc);
    expect(tag.status).toBe(404);
  });

  it('an unknown method', async () => {
    const { ipc, http, status } = await both('open', 'library.format', {});
    expect(ipc).toEqual({ ok: false, error: { code: 'unknown-method', params: { method: 'library.format' }, message: 'Unknown method "library.format"' } });
    expect(http).toEqual(ipc);
    expect(status).toBe(404);
  });

  it('an internal error: the code only, no stack, SQL binding text or path; the detail goes to the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { ipc, http, status } = await both('closed', 'library.list', {});
      expect(ipc).toEqual({ ok: false, error: { code: 'internal', params: { method: 'library.list' }, message: "Internal error in library.list; the details are in Gloss's log" } });
      expect(http).toEqual(ipc);
      expect(status).toBe(500);
      const text = JSON.stringify(http);
      expect(text).not.toMatch(/\bat \S+ \(|database|connection|sqlite|gloss-test|\/tmp\//i);
      // Logged on the main side, twice (once per transport), with the real cause.
      const logged = log.mock.calls.map((c) => c.map(String).join(' '));
      expect(logged).toHaveLength(2);
      for (const line of logged) expect(line).toMatch(/internal error in library\.list:.*database connection is not open/i);
      // A caller that reports the error itself (the command line) takes the detail instead of stderr.
      const taken: [string, unknown][] = [];
      const quiet = await dispatch(createHandlers(closed), 'library.list', {}, (method, e) => void taken.push([method, e]));
      expect(quiet).toMatchObject({ ok: false, status: 500, error: { code: 'internal' } });
      expect(taken).toHaveLength(1);
      expect(String(taken[0]![1])).toMatch(/database connection is not open/);
      expect(log.mock.calls).toHaveLength(2);
    } finally {
      log.mockRestore();
    }
  });

  it('a successful call is { ok: true, value } on both', async () => {
    const { ipc, http, status } = await both('open', 'documents.rename', { documentId: docId, title: 'שיר המעלות' });
    expect(ipc).toMatchObject({ ok: true, value: { id: docId, title: 'שיר המעלות' } });
    expect(http).toEqual(ipc);
    expect(status).toBe(200);
  });
});

describe('the IPC door', () => {
  it('answers a refused sender with a reply, not a throw', async () => {
    const handlers = createHandlers(lib);
    const foreign = await answerCall(handlers, [7], { sender: { id: 8 }, senderFrame: windowEvent.senderFrame }, 'library.list', {});
    expect(foreign).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/did not come from a Gloss window/) } });
    const page = await answerCall(handlers, [7], { sender: { id: 7 }, senderFrame: { url: 'https://example.com/', parent: null } as InvokeEvent['senderFrame'] }, 'library.list', {});
    expect(page).toMatchObject({ ok: false, error: { code: 'refused' } });
    const notString = await answerCall(handlers, [7], windowEvent, 42, {});
    expect(notString).toMatchObject({ ok: false, error: { code: 'invalid-request', params: { path: 'method' } } });
    expect(httpStatus('refused')).toBe(403);
  });
});

describe("the renderer's transport", () => {
  it('turns both replies into the same ApiError, and values into values', async () => {
    // The renderer module reads the token from the address, as the page does.
    Object.assign(globalThis, {
      location: new URL(`http://127.0.0.1:${host.port}/?token=${token}`),
      sessionStorage: { getItem: () => null, setItem: () => undefined },
      history: { state: null, replaceState: () => undefined },
    });
    try {
      const { createHttpApi, createBridgedApi, ApiError } = await import('../../src/renderer/transport.js');
      const viaHttp = createHttpApi(`http://127.0.0.1:${host.port}`);
      // What the preload exposes: each method answers the reply main's IPC handler returned.
      const handlers = createHandlers(lib);
      const bridge = Object.fromEntries(METHODS.map((m) => [m, (request: unknown) => answerCall(handlers, [7], windowEvent, m, request)])) as unknown as GlossBridge;
      const viaIpc = createBridgedApi(bridge);

      const fromHttp = await viaHttp['documents.get']({ documentId: 999 }).catch((e: unknown) => e);
      const fromIpc = await viaIpc['documents.get']({ documentId: 999 }).catch((e: unknown) => e);
      for (const e of [fromHttp, fromIpc]) {
        expect(e).toBeInstanceOf(ApiError);
        expect(e).toMatchObject({ code: 'document-not-found', params: { id: 999 }, message: 'No document with id 999' });
      }
      expect((fromHttp as InstanceType<typeof ApiError>).status).toBe(404);
      expect((fromIpc as InstanceType<typeof ApiError>).status).toBe(0);

      const bad = await viaIpc['documents.rename']({ documentId: docId, title: '' }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: 'invalid-request', params: { path: 'title' } });

      expect((await viaHttp['library.list']({})).map((d) => d.id)).toEqual([docId]);
      expect((await viaIpc['library.list']({})).map((d) => d.id)).toEqual([docId]);
    } finally {
      for (const key of ['location', 'sessionStorage', 'history']) delete (globalThis as Record<string, unknown>)[key];
    }
  });
});

describe('replies that crossed a transport are checked', () => {
  it('keeps a reply as it is and rebuilds it from its known fields only', () => {
    expect(asReply({ ok: true, value: [1] })).toEqual({ ok: true, value: [1] });
    expect(asReply({ ok: true })).toEqual({ ok: true, value: null });
    const odd = asReply({ ok: false, error: { code: 'tag-not-found', params: { tag: 'x', nested: { no: 1 }, n: 2, nan: Number.NaN }, message: 'No tag "x"', stack: 'at x' } });
    expect(odd).toEqual({ ok: false, error: { code: 'tag-not-found', params: { tag: 'x', n: 2 }, message: 'No tag "x"' } });
  });

  it('turns anything else into internal, naming what came', () => {
    expect(asReply(undefined)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/not a Gloss reply \(undefined\)/) } });
    expect(asReply('boom')).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/\(string\)/) } });
    expect(asReply({ ok: false, error: { code: 'made-up', message: 'x' } })).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/unknown error code "made-up"/) } });
  });
});

describe('every code has its message in both catalogues', () => {
  it.each(['en', 'he'])('%s', (lang) => {
    const catalogue = JSON.parse(fs.readFileSync(path.join(root, 'locales', lang, 'translation.json'), 'utf8')) as { errors: Record<string, string> };
    expect(Object.keys(catalogue.errors).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      const text = catalogue.errors[code]!;
      expect(text.length, code).toBeGreaterThan(10);
      // The Hebrew catalogue speaks Hebrew: every message has Hebrew letters.
      if (lang === 'he') expect(text, code).toMatch(/[\u05d0-\u05ea]/);
    }
  });
});

describe('import failures carry a reason the interface can say', () => {
  it('each kind of bad file has its code, from the worker that read it too', async () => {
    const dir = tempDir();
    const own = Library.open(dir);
    try {
      const ole = Buffer.alloc(1024);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
      const files = [
        { name: 'empty.txt', bytes: Buffer.alloc(0) },
        { name: 'binary.txt', bytes: Buffer.from([0x47, 0x00, 0x01, 0x02, 0x00, 0x03, 0x00, 0xff]) },
        { name: 'old.doc', bytes: ole },
        { name: 'fake.pdf', bytes: Buffer.from('this is not a PDF at all', 'utf8') },
        { name: 'fake.epub', bytes: Buffer.from('nor is this a book', 'utf8') },
      ];
      const outcomes = await own.importFiles(files);
      expect(outcomes.map((o) => [o.name, o.status, o.reason])).toEqual([
        ['empty.txt', 'failed', 'empty'],
        ['binary.txt', 'failed', 'not-text'],
        ['old.doc', 'failed', 'office-binary'],
        ['fake.pdf', 'failed', 'not-pdf'],
        ['fake.epub', 'failed', 'not-epub'],
      ]);
      // The English sentence is still there for the command line.
      for (const o of outcomes) expect(o.message, o.name).toMatch(/\w{3}/);
    } finally {
      own.close();
    }
  });

  it('an update from a file that cannot be read: import-failed with the file and why, on both transports', async () => {
    const payload = { documentId: docId, name: 'empty.txt', base64: '' };
    const { ipc, http, status } = await both('open', 'documents.updateFromFile', payload);
    expect(ipc).toEqual({ ok: false, error: { code: 'import-failed', params: { file: 'empty.txt', why: 'empty' }, message: 'empty.txt: the file is empty. The document was not changed.' } });
    expect(http).toEqual(ipc);
    expect(status).toBe(400);
  });
});

describe('tag paths and annotation files', () => {
  it('a bad tag path has its own code on both transports (the CLI keeps the sentence)', async () => {
    const comma = await both('open', 'annotations.create', { documentId: docId, start: 0, end: 3, tags: ['claim,fact'] });
    expect(comma.ipc).toEqual({ ok: false, error: { code: 'tag-invalid-character', params: {}, message: 'Tag path "claim,fact" contains a control character or a comma' } });
    expect(comma.http).toEqual(comma.ipc);
    const long = await both('open', 'tags.rename', { from: 'x', to: `a/${'b'.repeat(81)}` });
    expect(long.ipc).toMatchObject({ ok: false, error: { code: 'tag-too-long', params: { max: 80 } } });
    expect(long.http).toEqual(long.ipc);
    const empty = await both('open', 'annotations.list', { documentId: docId, tag: ' / ' });
    expect(empty.ipc).toMatchObject({ ok: false, error: { code: 'tag-empty' } });
  });

  it('a file that is not annotations: not-annotations with the file', async () => {
    const payload = { name: 'notes.json', base64: Buffer.from('{"hello": "world"}').toString('base64') };
    const { ipc, http, status } = await both('open', 'export.importAnnotations', payload);
    expect(ipc).toMatchObject({ ok: false, error: { code: 'not-annotations', params: { file: 'notes.json' }, message: expect.stringMatching(/^notes\.json: not a W3C Web Annotation file: /) } });
    expect(http).toEqual(ipc);
    expect(status).toBe(400);
  });
});

describe('the desk', () => {
  it("an alignment change that does not fit has its code (from the shared alignment code)", async () => {
    const own = Library.open(tempDir());
    try {
      await own.importFiles([
        { name: 'he.txt', bytes: Buffer.from('אחת\n\nשתיים\n\nשלוש\n', 'utf8') },
        { name: 'en.txt', bytes: Buffer.from('One\n\nTwo\n\nThree\n', 'utf8') },
      ]);
      const [he, en] = own.list();
      const handlers = createHandlers(own);
      const created = await answerCall(handlers, [7], windowEvent, 'pairs.create', { sourceId: he!.id, targetId: en!.id });
      expect(created.ok).toBe(true);
      const pairId = (created as { value: { id: number } }).value.id;
      const apart = await answerCall(handlers, [7], windowEvent, 'pairs.link', { pairId, sourceBlocks: [0, 2], targetBlocks: [0] });
      expect(apart).toMatchObject({ ok: false, error: { code: 'link-blocks-apart', message: 'the source blocks of a link must follow each other (0, 2)' } });
      const last = await answerCall(handlers, [7], windowEvent, 'pairs.merge', { pairId, bead: 2 });
      expect(last).toMatchObject({ ok: false, error: { code: 'merge-last', params: { unit: 3 } } });
      const none = await answerCall(handlers, [7], windowEvent, 'pairs.unlink', { pairId, bead: 9 });
      expect(none).toMatchObject({ ok: false, error: { code: 'unit-not-found', params: { unit: 10, units: 3 } } });
    } finally {
      own.close();
    }
  });
});

describe('a team, and the command line', () => {
  it('a team call on a library that never joined: team-not-joined on both transports', async () => {
    const { ipc, http, status } = await both('open', 'team.share', { documentId: docId });
    expect(ipc).toMatchObject({ ok: false, error: { code: 'team-not-joined', params: {} } });
    expect(http).toEqual(ipc);
    expect(status).toBe(409);
    await expect(sync(lib)).rejects.toMatchObject({ code: 'team-not-joined' });
  });

  it('a server that cannot be reached: team-unreachable with its address; a bad address: team-bad-url', async () => {
    // A port that was free a moment ago, with nothing listening on it now.
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const own = Library.open(tempDir());
    try {
      expect(() => join(own, 'ftp://example.org', 'token')).toThrow(expect.objectContaining({ code: 'team-bad-url', params: { url: 'ftp://example.org' } }));
      expect(() => join(own, `ws://127.0.0.1:${port}`, '  ')).toThrow(expect.objectContaining({ code: 'team-token-empty' }));
      join(own, `ws://127.0.0.1:${port}`, 'token', 'reader');
      const e = await sync(own, { timeoutMs: 5000 }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(GlossError);
      expect(e).toMatchObject({ code: 'team-unreachable', params: { url: `ws://127.0.0.1:${port}` } });
      expect((e as Error).message).toMatch(/cannot reach the team server|no answer from the team server/);
      expect(httpStatus('team-unreachable')).toBe(503);
    } finally {
      own.close();
    }
  });

  it('an edit outside the document, or one that would empty it: codes of their own on both transports', async () => {
    const outside = await both('open', 'documents.applyEdit', { documentId: docId, from: 5, removed: 1, blocks: [], annotations: [] });
    expect(outside.ipc).toMatchObject({ ok: false, error: { code: 'edit-outside', params: { id: docId, from: 6, to: 6, blocks: 2 } } });
    expect(outside.http).toEqual(outside.ipc);
    expect(outside.status).toBe(409);
    const empty = await both('open', 'documents.applyEdit', { documentId: docId, from: 0, removed: 2, blocks: [], annotations: [] });
    expect(empty.ipc).toMatchObject({ ok: false, error: { code: 'edit-removes-all', params: { id: docId } } });
    expect(empty.http).toEqual(empty.ipc);
  });

  it("the command line's lookups have codes of their own", async () => {
    const own = Library.open(tempDir());
    try {
      const [a] = await own.importFiles([{ name: 'a.txt', bytes: Buffer.from('alpha beta alpha\n', 'utf8') }]);
      const id = a!.documentId!;
      expect(() => own.annotate(id, { quote: 'gamma' })).toThrow(expect.objectContaining({ code: 'quote-not-found', params: { quote: 'gamma' } }));
      expect(() => own.annotate(id, { quote: 'alpha' })).toThrow(expect.objectContaining({ code: 'quote-ambiguous', params: { quote: 'alpha', count: 2 } }));
      expect(() => own.annotate(id, { quote: 'alpha', nth: 3 })).toThrow(expect.objectContaining({ code: 'quote-nth-out-of-range', params: { count: 2, nth: 3 } }));
      expect(() => findDocument(own.list(), 'zzz')).toThrow(expect.objectContaining({ code: 'document-ref-not-found', params: { ref: 'zzz' } }));
      expect(() => importAnnotationsFile(own, path.join(tempDir(), 'none.jsonld'))).toThrow(expect.objectContaining({ code: 'file-not-found' }));
    } finally {
      own.close();
    }
  });
});

describe('the notes of an import report carry a code the interface phrases', () => {
  const he = JSON.parse(fs.readFileSync(path.join(root, 'locales', 'he', 'translation.json'), 'utf8')) as { transfer: { notes: Record<string, string>; projectNotes: Record<string, string> } };
  const en = JSON.parse(fs.readFileSync(path.join(root, 'locales', 'en', 'translation.json'), 'utf8')) as typeof he;

  it('every note code has its sentence in both catalogues', () => {
    for (const cat of [en, he]) {
      for (const code of ANNOTATION_NOTES) expect(cat.transfer.notes[code], code).toBeTruthy();
      for (const code of PROJECT_NOTES) expect(cat.transfer.projectNotes[code], code).toBeTruthy();
    }
    for (const code of ANNOTATION_NOTES) expect(he.transfer.notes[code], code).toMatch(/[\u05d0-\u05ea]/);
  });

  it('skipped, detached and warned annotations: code and params in the reply, said in Hebrew by the catalogue', async () => {
    const own = Library.open(tempDir());
    try {
      const [a] = await own.importFiles([{ name: 'psalm.txt', bytes: Buffer.from('שיר המעלות\n\nאשא עיני אל ההרים מאין יבוא עזרי\n', 'utf8') }]);
      const hash = own.get(a!.documentId!).contentHash;
      const anno = (id: string, exact: string, source = `urn:sha256:${hash}`, body?: unknown) => ({
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        id: `urn:uuid:${id}`,
        type: 'Annotation',
        ...(body ? { body } : {}),
        target: { source, selector: { type: 'TextQuoteSelector', exact } },
      });
      const file = [
        anno('1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d', 'עזרי'),
        anno('1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d', 'עזרי'),
        anno('2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e', 'ויאמר משה אל העם'),
        anno('3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f', 'words of another text entirely', 'https://example.org/elsewhere.html'),
        anno('4e5f6071-8293-4d4e-9f50-6b7c8d9e0f1a', 'ההרים', undefined, { type: 'TextualBody', purpose: 'tagging', value: '   ' }),
      ];
      const payload = { name: 'notes.jsonld', base64: Buffer.from(JSON.stringify(file)).toString('base64') };
      const ipc = await answerCall(createHandlers(own), [7], windowEvent, 'export.importAnnotations', payload);
      expect(ipc.ok).toBe(true);
      const notes = (ipc as { value: { notes: { id: string; outcome: string; reason: string; code: string; params: Record<string, string | number> }[] } }).value.notes;
      const byCode = new Map(notes.map((n) => [n.code, n]));
      expect(byCode.get('repeated-id')).toMatchObject({ outcome: 'skipped', reason: 'the same id appears earlier in the file' });
      expect(byCode.get('quote-not-found')).toMatchObject({ outcome: 'orphaned', params: { quote: 'ויאמר משה אל העם' } });
      // Its text is in no document: the interface may offer to keep it detached.
      expect(byCode.get('no-document')).toMatchObject({ outcome: 'skipped', params: { keepable: 1 } });
      expect(byCode.get('no-document')!.reason).toContain('--keep-orphans');
      expect(byCode.get('tag-dropped')).toMatchObject({ outcome: 'warning', params: { tag: '   ' } });

      // The interface's sentence: the Hebrew catalogue with the parameters, no English word.
      const t = i18next.createInstance();
      await t.init({ lng: 'he', resources: { he: { translation: he } }, interpolation: { escapeValue: false } });
      for (const n of notes) {
        const text = t.t(`transfer.notes.${n.code}`, n.params);
        expect(text, n.code).toMatch(/[\u05d0-\u05ea]/);
        // Besides the program's name, no English.
        expect(text.replace(/Gloss/g, ''), n.code).not.toMatch(/[A-Za-z]{2}/);
        expect(text, n.code).not.toContain('{{');
      }
      expect(t.t('transfer.notes.quote-not-found', byCode.get('quote-not-found')!.params)).toBe('הציטוט שלה אינו בטקסט.');
    } finally {
      own.close();
    }
  });
});
