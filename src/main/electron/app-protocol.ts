/** Answers `gloss://app/...` requests from the built renderer and the locale catalogues. */
import fs from 'node:fs';
import path from 'node:path';
import { SECURITY_HEADERS } from '../host/security.js';
import { contentType, existingFileInside, localeFile } from '../host/static-files.js';
import { APP_HOST, APP_SCHEME } from './app-url.js';

function text(status: number, message: string): Response {
  return new Response(message + '\n', { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

export function appResponse(request: { url: string; method: string }, rendererDir: string, localesDir: string): Response {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return text(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'Not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
  let file: string | null;
  if (url.pathname === '/' || url.pathname === '/index.html') {
    file = path.join(rendererDir, 'index.html');
    if (!fs.existsSync(file)) return text(503, `Gloss's interface is not built: run \`npm run build\` (${file} is missing).`);
  } else if (url.pathname.startsWith('/locales/')) {
    file = localeFile(localesDir, url.pathname);
  } else {
    file = existingFileInside(rendererDir, url.pathname);
  }
  if (!file) return text(404, `Not found: ${url.pathname}`);
  const body = request.method === 'HEAD' ? null : fs.readFileSync(file);
  return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': contentType(file) } });
}
