// The browser host as users get it: the real `gloss serve` in a child process, spoken to over
// real HTTP (http.request, so the Host and Origin headers can be forged like an attacker would).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/host/security.js';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist', 'main', 'cli.cjs');
const indexHtml = path.join(root, 'dist', 'renderer', 'index.html');
const URL_LINE = /Gloss is serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let child: ChildProcess;
let dataDir: string;
let port: number;
let token: string;
let stderr = '';
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

function request(
  pathname: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string | number>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function api(method: string, payload: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token, ...headers },
    body: JSON.stringify(payload),
  });
}

beforeAll(async () => {
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`node scripts/build.mjs\` (npm test does) before these tests`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-host-'));
  child = spawn(process.execPath, [path.join(root, 'bin', 'gloss.cjs'), 'serve', '--port', '0', '--data', dataDir], {
    cwd: root,
    env: { ...process.env, GLOSS_DATA_DIR: '', GLOSS_NO_SEED: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let stdout = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line from gloss serve within 20 s; stdout: ${stdout}; stderr: ${stderr}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = URL_LINE.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => reject(new Error(`gloss serve exited with ${code} before printing its URL; stderr: ${stderr}`)));
  });
  port = Number(match[2]);
  token = match[3]!;
  expect(stdout.trim().split('\n')).toHaveLength(1);
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exit;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the token', () => {
  it('is required: no token gets 401 with a plain-text reason', async () => {
    const res = await request('/');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/token/);
    expect((await request('/api/health')).status).toBe(401);
    expect((await api('library.list', {}, { 'X-Gloss-Token': '' })).status).toBe(403);
  });

  it('must be the right one', async () => {
    expect((await request('/?token=wrong')).status).toBe(403);
    expect((await request('/api/health', { headers: { 'X-Gloss-Token': token.slice(1) } })).status).toBe(403);
    expect((await request('/api/health', { headers: { Cookie: `gloss_token_${port}=nope` } })).status).toBe(403);
  });

  it('opens the page, which carries the security headers and sets the cookie', async () => {
    const res = await request(`/?token=${token}`);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    if (fs.existsSync(indexHtml)) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['set-cookie']).toEqual([`gloss_token_${port}=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    } else {
      console.log('dist/renderer/index.html is not built yet: checking the 503 that says so instead of the page');
      expect(res.status).toBe(503);
      expect(res.body).toMatch(/npm run build/);
    }
  });

  it('is accepted from the cookie or the header afterwards', async () => {
    const byCookie = await request('/api/health', { headers: { Cookie: `other=1; gloss_token_${port}=${token}` } });
    expect(byCookie.status).toBe(200);
    expect(JSON.parse(byCookie.body)).toEqual({ ok: true });
    const byHeader = await request('/api/health', { headers: { 'X-Gloss-Token': token } });
    expect(JSON.parse(byHeader.body)).toEqual({ ok: true });
  });
});

describe('Host and Origin', () => {
  // PORT stands for the server's port, which is known only once it runs.
  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1:1', '127.0.0.1.evil.example:PORT', '127.0.0.1'])('refuses Host "%s"', async (host) => {
    const res = await request(`/?token=${token}`, { headers: { Host: host.replace('PORT', String(port)) } });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/127\.0\.0\.1/);
  });

  it('refuses a request without Host', async () => {
    // HTTP/1.0 allows leaving Host out; http.request would always add one.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(`GET /api/health HTTP/1.0\r\nX-Gloss-Token: ${token}\r\n\r\n`));
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.[01] 403/);
  });

  it('refuses a DNS-rebound name carrying the right port', async () => {
    const res = await request('/api/health', { headers: { Host: `attacker.example:${port}`, 'X-Gloss-Token': token } });
    expect(res.status).toBe(403);
  });

  it('accepts localhost with the port', async () => {
    expect((await request('/api/health', { headers: { Host: `localhost:${port}`, 'X-Gloss-Token': token } })).status).toBe(200);
  });

  it('refuses a foreign Origin even with the token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'null']) {
      const res = await api('library.list', {}, { Origin: origin });
      expect(res.status, origin).toBe(403);
      expect(res.body).toMatch(/origin/i);
    }
  });

  it('accepts its own Origin', async () => {
    expect((await api('library.list', {}, { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await api('library.list', {}, { Origin: `http://localhost:${port}`, Host: `localhost:${port}` })).status).toBe(200);
  });
});

describe('the API', () => {
  it('lists the sample library seeded on first run', async () => {
    const res = await api('library.list', {});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const { value: result } = JSON.parse(res.body) as { value: { id: number; title: string }[] };
    expect(result).toHaveLength(3);
    expect(result.map((d) => d.id).sort()).toEqual([1, 2, 3]);
  });

  it('carries a change and reads it back', async () => {
    const created = JSON.parse((await api('annotations.create', { documentId: 1, start: 0, end: 4, tags: ['claim/factual'], note: 'first' })).body);
    expect(created.value).toMatchObject({ documentId: 1, start: 0, end: 4, tags: ['claim/factual'], note: 'first' });
    const listed = JSON.parse((await api('annotations.list', { documentId: 1 })).body);
    expect(listed.value.map((a: { id: string }) => a.id)).toEqual([created.value.id]);
    const settings = JSON.parse((await api('settings.set', { language: 'he' })).body);
    expect(settings.value).toMatchObject({ language: 'he' });
  });

  it('lists the annotations overlapping a range, in text order, and the rest after it', async () => {
    const make = async (start: number, end: number) => JSON.parse((await api('annotations.create', { documentId: 2, start, end })).body).value.id as string;
    const [a, b, c] = [await make(0, 5), await make(8, 20), await make(30, 40)];
    // Only these three (the sample document may come with its own).
    const ids = async (range: object) => (JSON.parse((await api('annotations.list', { documentId: 2, ...range })).body).value as { id: string }[]).map((x) => x.id).filter((id) => [a, b, c].includes(id));
    expect(await ids({ start: 0, end: 10 })).toEqual([a, b]);
    // Touching is not overlapping: [20, 30) meets b's end and c's start.
    expect(await ids({ start: 20, end: 30 })).toEqual([]);
    expect(await ids({ start: 10 })).toEqual([b, c]);
    expect(await ids({ end: 8 })).toEqual([a]);
    expect(await ids({})).toEqual([a, b, c]);
    expect((await api('annotations.list', { documentId: 99, start: 0 })).status).toBe(404);
  });

  it('answers a bad payload with 400 naming the field', async () => {
    const res = await api('documents.get', { documentId: 'one' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { message: expect.stringMatching(/documentId/), code: 'invalid-request', params: { method: 'documents.get', path: 'documentId', reason: expect.any(String) } } });
  });

  it('answers a missing document with 404', async () => {
    const res = await api('documents.get', { documentId: 999 });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'document-not-found', params: { id: 999 } });
  });

  it('answers an unknown method with 404', async () => {
    const res = await api('library.format', {});
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.message).toMatch(/Unknown method "library.format"/);
  });

  it('refuses bodies that are not JSON, other content types and other verbs', async () => {
    const notJson = await request('/api/library.list', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token }, body: '{"' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/not valid JSON/);
    const form = await request('/api/library.list', { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-Gloss-Token': token }, body: '{}' });
    expect(form.status).toBe(415);
    const get = await request('/api/library.list', { headers: { 'X-Gloss-Token': token } });
    expect(get.status).toBe(405);
  });

  it('treats an empty body as an empty request', async () => {
    const res = await request('/api/tags.list', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token } });
    expect(res.status).toBe(200);
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const res = await new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/api/library.import', method: 'POST', headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', 'X-Gloss-Token': token, 'Content-Length': 200 * 1024 * 1024 } },
        (r) => {
          let body = '';
          r.on('data', (c: Buffer) => (body += c.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
          r.on('error', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body }));
        },
      );
      req.on('error', (e) => (String(e).includes('ECONNRESET') || String(e).includes('EPIPE') ? undefined : reject(e)));
      req.write('{"files":[');
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/too large.*140 MB/i);
  });
});

describe('static files', () => {
  it.each(['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/..%5cpackage.json', '/locales/../package.json', '/locales/%2e%2e/%2e%2e/package.json', '/%00index.html', '/main/cli.cjs'])(
    'does not serve %s',
    async (p) => {
      const res = await request(p, { headers: { 'X-Gloss-Token': token } });
      expect(res.status).not.toBe(200);
      expect(res.body).not.toMatch(/"name":\s*"gloss"/);
    },
  );

  it('serves the built files with their content types', async (ctx) => {
    if (!fs.existsSync(indexHtml)) return ctx.skip();
    const js = fs.readdirSync(path.dirname(indexHtml)).find((f) => f.endsWith('.js'));
    if (js) {
      const res = await request(`/${js}`, { headers: { Cookie: `gloss_token_${port}=${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
  });

  it('lets the browser keep scripts, styles and fonts, answering 304 while they are unchanged; never the page', async (ctx) => {
    if (!fs.existsSync(indexHtml)) return ctx.skip();
    const js = fs.readdirSync(path.dirname(indexHtml)).find((f) => f.endsWith('.js'))!;
    const auth = { Cookie: `gloss_token_${port}=${token}` };
    const first = await request(`/${js}`, { headers: auth });
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await request(`/${js}`, { headers: { ...auth, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // Another version (the validator of an older build) gets the file whole.
    const stale = await request(`/${js}`, { headers: { ...auth, 'If-None-Match': 'W/"1-1", W/"2-2"' } });
    expect(stale.status).toBe(200);
    expect(stale.body).toBe(first.body);
    // The page sets the token's cookie: never kept, never 304.
    const page = await request(`/?token=${token}`, { headers: { 'If-None-Match': etag } });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers.etag).toBeUndefined();
    // Nor an API answer.
    expect((await api('library.list', {})).headers['cache-control']).toBe('no-store');
  });

  it('serves a locale catalogue when there is one', async (ctx) => {
    const en = path.join(root, 'locales', 'en', 'translation.json');
    if (!fs.existsSync(en)) return ctx.skip();
    const res = await request('/locales/en/translation.json', { headers: { 'X-Gloss-Token': token } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual(JSON.parse(fs.readFileSync(en, 'utf8')));
    expect((await request('/locales/xx/translation.json', { headers: { 'X-Gloss-Token': token } })).status).toBe(404);
  });
});

describe('the renderer transport against the real host', () => {
  // The renderer's module, run in Node with the few browser globals it touches stubbed.
  it('takes the token from the address, keeps it for reloads, and calls the API', async () => {
    const stored = new Map<string, string>();
    const replaced: string[] = [];
    const page = new URL(`http://127.0.0.1:${port}/?token=${token}&lang=he#/doc/1`);
    Object.assign(globalThis, {
      location: page,
      sessionStorage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) },
      history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => void replaced.push(url) },
    });
    try {
      const { createHttpApi, getApi, ApiError } = await import('../../src/renderer/transport.js');
      const api = createHttpApi(`http://127.0.0.1:${port}`);
      expect(await api['library.list']({})).toHaveLength(3);
      expect(stored.get('gloss.token')).toBe(token);
      expect(replaced).toEqual(['/?lang=he#/doc/1']);
      const error = await api['documents.get']({ documentId: 999 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'document-not-found', params: { id: 999 }, status: 404, message: expect.stringMatching(/999/) });
      // Electron's preload answers the same reply object; the renderer unwraps it the same way.
      const wire = JSON.parse((await request('/api/documents.get', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token }, body: JSON.stringify({ documentId: 999 }) })).body);
      (globalThis as { gloss?: unknown }).gloss = { 'documents.get': async () => wire };
      const bridged = await getApi()['documents.get']({ documentId: 999 }).catch((e: unknown) => e);
      expect(bridged).toBeInstanceOf(ApiError);
      expect(bridged).toMatchObject({ code: 'document-not-found', params: { id: 999 }, status: 0, message: (error as Error).message });
    } finally {
      for (const key of ['location', 'sessionStorage', 'history', 'gloss']) delete (globalThis as Record<string, unknown>)[key];
    }
  });
});

describe('shutdown', () => {
  it('stops cleanly on SIGTERM, closing the library', async () => {
    child.kill('SIGTERM');
    const { code, signal } = await exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toMatch(/Gloss stopped \(SIGTERM\); the library is closed/);
    // WAL mode leaves -wal/-shm files while open; a clean close checkpoints and removes them.
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);
  });
});
