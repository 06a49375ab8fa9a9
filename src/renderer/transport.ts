/**
 * How the renderer reaches main: Electron's preload object when there is one, else the browser
 * host's HTTP API. Both have the contract's type, so the UI cannot tell them apart.
 */
import type { GlossApi, GlossBridge, Method } from '../common/api.js';
import { asReply, type ErrorCode, type ErrorParams, type Reply } from '../common/errors.js';
import { METHODS } from '../common/methods.js';

const TOKEN_KEY = 'gloss.token';

/**
 * An error the API answered with, from either transport: its code and parameters (the interface
 * shows `errors.<code>` in its language, see `errorText` in i18n.ts) and the English sentence
 * (`message`, for logs and the console, not for the screen).
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly params: ErrorParams,
    /** The HTTP status; 0 over Electron's IPC or when the host could not be reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The one way both transports hand a reply to the UI: its value, or an ApiError. */
export function unwrap(reply: Reply, status = 0): unknown {
  if (reply.ok) return reply.value;
  throw new ApiError(reply.error.message, reply.error.code, reply.error.params, status);
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
    throw new ApiError(`Cannot reach Gloss (is \`gloss serve\` still running?): ${(e as Error).message}`, 'unreachable', {}, 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && 'ok' in body) return unwrap(asReply(body), response.status);
  // The host's guard (token, Host, Origin, size) answers in plain text, before any handler runs.
  const detail = text.trim() || `${method} failed with HTTP ${response.status}`;
  if (response.status === 401 || response.status === 403) throw new ApiError(detail, 'refused', {}, response.status);
  if (response.status === 413) throw new ApiError(detail, 'invalid-request', { method, path: 'body', reason: 'too large' }, response.status);
  throw new ApiError(detail, 'internal', { method }, response.status);
}

/** The contract over HTTP to the browser host (`gloss serve`). */
export function createHttpApi(base = ''): GlossApi {
  const api = {} as Record<Method, (request: unknown) => Promise<unknown>>;
  for (const method of METHODS) api[method] = (request) => call(base, method, request);
  return api as unknown as GlossApi;
}

/** The contract over Electron's preload bridge, whose functions answer reply objects. */
export function createBridgedApi(bridge: GlossBridge): GlossApi {
  const calls = bridge as unknown as Record<Method, (request: unknown) => Promise<unknown>>;
  const api = {} as Record<Method, (request: unknown) => Promise<unknown>>;
  for (const method of METHODS) api[method] = async (request) => unwrap(asReply(await calls[method](request)));
  return api as unknown as GlossApi;
}

let httpApi: GlossApi | undefined;
const bridgedApis = new WeakMap<GlossBridge, GlossApi>();

/** The API for this window: Electron's `window.gloss` when the preload set it, else HTTP. */
export function getApi(): GlossApi {
  const bridge = (globalThis as { gloss?: GlossBridge }).gloss;
  if (!bridge) return (httpApi ??= createHttpApi());
  let bridged = bridgedApis.get(bridge);
  if (!bridged) bridgedApis.set(bridge, (bridged = createBridgedApi(bridge)));
  return bridged;
}
