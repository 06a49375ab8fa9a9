/**
 * How the renderer reaches main: Electron's preload object when there is one, else the browser
 * host's HTTP API. Both have the contract's type, so the UI cannot tell them apart.
 */
import type { GlossApi, Method, WireError } from '../common/api.js';
import { METHODS } from '../common/methods.js';

const TOKEN_KEY = 'gloss.token';

/** An error the API answered with; `message` is the server's, fit to show to the user. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let token: string | null | undefined;

/**
 * The host's token: taken once from `?token=` (then dropped from the address bar, so it does not
 * end up in screenshots or history) and kept in sessionStorage, so a reload keeps working.
 */
function hostToken(): string | null {
  if (token !== undefined) return token;
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    token = fromUrl;
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the HttpOnly cookie the host set still carries the token.
    }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
    return token;
  }
  try {
    token = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    token = null;
  }
  return token;
}

async function call(base: string, method: Method, request: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const t = hostToken();
  if (t) headers['X-Gloss-Token'] = t;
  let response: Response;
  try {
    response = await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(request ?? {}), credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(`Cannot reach Gloss (is \`gloss serve\` still running?): ${(e as Error).message}`, 'unreachable', 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok && body && typeof body === 'object' && 'result' in body) return (body as { result: unknown }).result;
  const wire = (body as Partial<WireError> | undefined)?.error;
  // Guard refusals (token, Host, Origin) come back as plain text.
  throw new ApiError(wire?.message ?? (text.trim() || `${method} failed with HTTP ${response.status}`), wire?.code ?? `http-${response.status}`, response.status);
}

/** The contract over HTTP to the browser host (`gloss serve`). */
export function createHttpApi(base = ''): GlossApi {
  const api = {} as Record<Method, (request: unknown) => Promise<unknown>>;
  for (const method of METHODS) api[method] = (request) => call(base, method, request);
  return api as unknown as GlossApi;
}

let httpApi: GlossApi | undefined;

/** The API for this window: Electron's `window.gloss` when the preload set it, else HTTP. */
export function getApi(): GlossApi {
  const bridged = (globalThis as { gloss?: GlossApi }).gloss;
  if (bridged) return bridged;
  return (httpApi ??= createHttpApi());
}
