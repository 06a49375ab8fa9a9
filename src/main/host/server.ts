/**
 * The browser host: the renderer bundle and the handler table over HTTP on 127.0.0.1, for
 * machines where Electron cannot run and for driving the UI from a real browser in tests.
 *
 * Every request passes the Host, Origin and token checks of `guard.ts` before anything else.
 * `POST /api/<method>` runs the same `dispatch` as Electron's IPC; everything else is a GET of a
 * file of the built renderer or a locale catalogue.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Handlers } from '../../common/api.js';
import { createHandlers, dispatch, toReply } from '../handlers.js';
import { failure } from '../../common/errors.js';
import type { Library } from '../library.js';
import { checkToken, isAllowedHost, isAllowedOrigin, newToken, TOKEN_HEADER, tokenCookieName } from './guard.js';
import { SECURITY_HEADERS } from './security.js';
import { contentType, existingFileInside, localeFile } from './static-files.js';

/** Imports carry whole files as base64 (the contract allows 70 MB of it per call). */
// A 100 MB PDF (the import limit) in base64 is 134 MB.
export const MAX_BODY_BYTES = 140 * 1024 * 1024;

export interface BrowserHostOptions {
  library: Library;
  /** 0 picks a free port. */
  port?: number;
  rendererDir: string;
  localesDir: string;
  /** A fixed token (tests); by default a fresh random one per run. */
  token?: string;
  /** The handler table to serve; by default `createHandlers(library)`. */
  handlers?: Handlers;
  maxBodyBytes?: number;
}

export interface BrowserHost {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: what the user opens. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendText(res: http.ServerResponse, status: number, text: string, extra: http.OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(text.endsWith('\n') ? text : text + '\n', 'utf8');
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

/**
 * A file of the built renderer. Scripts, styles and fonts carry a validator: the browser keeps
 * them and asks again each time (`no-cache`), and an unchanged file is answered 304 with no body.
 * A script that comes from the browser's cache also keeps the code compiled from it (V8's code
 * cache), so an open does not fetch, parse and compile the whole bundle again (measured in
 * `npm run bench`, open: first text). The page itself (`cacheable` false: it sets the token's
 * cookie) and every API answer stay `no-store`.
 */
function sendFile(res: http.ServerResponse, file: string, extra: http.OutgoingHttpHeaders = {}, cacheable = true): void {
  const stat = fs.statSync(file);
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const cache = cacheable ? { 'Cache-Control': 'no-cache', ETag: etag } : {};
  const asked = res.req.headers['if-none-match'];
  if (cacheable && asked !== undefined && asked.split(',').some((t) => t.trim() === etag)) {
    res.writeHead(304, { ...SECURITY_HEADERS, ...cache, ...extra });
    return void res.end();
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentType(file), 'Content-Length': stat.size, ...cache, ...extra });
  if (res.req.method === 'HEAD') return void res.end();
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(new HttpError(413, tooLarge(limit)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, tooLarge(limit)));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const tooLarge = (limit: number) => `Payload too large: a request may carry at most ${Math.round(limit / (1024 * 1024))} MB (import fewer or smaller files at once).`;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newToken();
  if (!token) throw new RangeError('The browser host needs a non-empty token');
  const handlers = options.handlers ?? createHandlers(options.library);
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const rendererDir = path.resolve(options.rendererDir);
  const localesDir = path.resolve(options.localesDir);
  let port = options.port ?? 0;

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendText(res, 405, `Method not allowed: call /api/${method} with POST.`, { Allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    // A JSON content type cannot be sent by a plain HTML form: one more wall against cross-site posts.
    if (type !== 'application/json') return sendText(res, 415, 'Unsupported media type: send the payload as application/json.');
    const body = await readBody(req, limit);
    let payload: unknown;
    if (body.length > 0) {
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, failure('invalid-request', `Invalid request for ${method}: the body is not valid JSON`, { method, path: 'body', reason: 'not JSON' }));
      }
    }
    // The body is the reply object Electron's preload returns too: `{ ok, value }` or `{ ok, error }`.
    const outcome = await dispatch(handlers, method, payload);
    sendJson(res, outcome.ok ? 200 : outcome.status, toReply(outcome));
  }

  function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, setCookie: string | undefined): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
    if (pathname === '/' || pathname === '/index.html') {
      const index = path.join(rendererDir, 'index.html');
      if (!fs.existsSync(index)) {
        return sendText(res, 503, `Gloss's interface is not built: run \`npm run build\` in the Gloss folder, then reload this page. (The API is running; ${index} is missing.)`);
      }
      return sendFile(res, index, setCookie ? { 'Set-Cookie': setCookie } : {}, false);
    }
    if (pathname.startsWith('/locales/')) {
      const file = localeFile(localesDir, pathname);
      return file ? sendFile(res, file) : sendText(res, 404, `Not found: ${pathname}`);
    }
    const file = existingFileInside(rendererDir, pathname);
    if (file) return sendFile(res, file);
    // Browsers ask for a favicon on their own; without one, answer quietly instead of logging a 404.
    if (pathname === '/favicon.ico') return void res.writeHead(204, SECURITY_HEADERS).end();
    return sendText(res, 404, `Not found: ${pathname}`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      return sendText(res, 403, `Forbidden: this server answers only to 127.0.0.1:${port} or localhost:${port}.`);
    }
    if (!isAllowedOrigin(req.headers.origin, port)) return sendText(res, 403, 'Forbidden: requests from other origins are refused.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const auth = checkToken(token, port, { header: req.headers[TOKEN_HEADER], query: url.searchParams.get('token'), cookieHeader: req.headers.cookie });
    if (!auth.ok) return sendText(res, auth.status ?? 401, auth.reason ?? 'Unauthorized.', auth.status === 401 ? { 'WWW-Authenticate': 'Gloss-Token' } : {});

    const pathname = url.pathname;
    if (pathname === '/api/health' && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, { ok: true });
    if (pathname.startsWith('/api/')) return handleApi(req, res, pathname.slice('/api/'.length));
    const setCookie = auth.source === 'query' ? `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/` : undefined;
    return handleStatic(req, res, pathname, setCookie);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpError) {
        // The rest of an oversized body is not worth reading: answer, then drop the connection.
        sendText(res, e.status, e.message, { Connection: 'close' });
        res.on('finish', () => req.destroy());
        return;
      }
      // The detail (a path, a stack) stays in the log; the page gets no more than the fact.
      console.error('Gloss: internal error in the browser host:', e);
      sendText(res, 500, 'Internal error: the details are in the log of gloss serve.');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
