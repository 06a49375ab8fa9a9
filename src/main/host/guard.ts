/**
 * Who may talk to the browser host. It listens on 127.0.0.1, but any web page the user visits can
 * still send requests there, so three checks stand between a request and the library: the Host
 * header (a DNS-rebinding page reaches us under its own host name), the Origin header (a foreign
 * page's fetch or form), and the per-run token (everything else on this machine).
 */
import crypto from 'node:crypto';

export const TOKEN_HEADER = 'x-gloss-token';

/** A fresh per-run secret: 24 random bytes, URL-safe. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/**
 * The cookie carrying the token after the first page load. Cookies ignore ports, so two hosts on
 * 127.0.0.1 would overwrite one shared name; the port in the name keeps them apart.
 */
export function tokenCookieName(port: number): string {
  return `gloss_token_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** A request without Origin (a plain navigation, curl) passes; one with a foreign Origin does not. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export type TokenSource = 'header' | 'query' | 'cookie';

export interface TokenCheck {
  ok: boolean;
  /** Where the token came from (on success), so a page load by query can set the cookie. */
  source?: TokenSource;
  status?: 401 | 403;
  reason?: string;
}

/**
 * Checks the token of one request. An explicit token (header, then query) wins over the cookie,
 * and a wrong explicit token is refused even when the cookie is right.
 */
export function checkToken(
  expected: string,
  port: number,
  found: { header?: string | string[]; query?: string | null; cookieHeader?: string },
): TokenCheck {
  const header = Array.isArray(found.header) ? found.header[0] : found.header;
  const explicit: [TokenSource, string] | undefined =
    header !== undefined ? ['header', header] : found.query != null ? ['query', found.query] : undefined;
  if (explicit) {
    return sameToken(explicit[1], expected)
      ? { ok: true, source: explicit[0] }
      : { ok: false, status: 403, reason: 'Forbidden: the token is wrong (each run of `gloss serve` prints a new URL).' };
  }
  const cookie = parseCookies(found.cookieHeader).get(tokenCookieName(port));
  if (cookie === undefined) {
    return { ok: false, status: 401, reason: 'Unauthorized: open the URL with ?token=... that `gloss serve` printed.' };
  }
  return sameToken(cookie, expected)
    ? { ok: true, source: 'cookie' }
    : { ok: false, status: 403, reason: 'Forbidden: the token cookie is from another run; open the URL that `gloss serve` printed.' };
}
