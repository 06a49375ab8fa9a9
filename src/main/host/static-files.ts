/** Mapping request paths to files of the built renderer and the locale catalogues, never outside them. */
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that `urlPath` names, or null when it names nothing there. `urlPath` is
 * the still-encoded path of the request; `..` segments, encoded separators and NUL are refused
 * rather than normalised, so no spelling of a path can leave `root`.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%2f|%5c/i.test(urlPath)) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

/** Like `resolveInside`, but only an existing regular file (symlinks resolved and checked too). */
export function existingFileInside(root: string, urlPath: string): string | null {
  const file = resolveInside(root, urlPath);
  if (!file) return null;
  try {
    const real = fs.realpathSync(file);
    const realRoot = fs.realpathSync(root);
    if (!real.startsWith(realRoot + path.sep)) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

const LOCALE_PATH = /^\/locales\/([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\/([A-Za-z0-9_-]{1,64})\.json$/;

/** `/locales/<lang>/<ns>.json` -> that catalogue under `localesDir`, when it exists. */
export function localeFile(localesDir: string, urlPath: string): string | null {
  const m = LOCALE_PATH.exec(urlPath);
  if (!m) return null;
  return existingFileInside(localesDir, `/${m[1]}/${m[2]}.json`);
}
