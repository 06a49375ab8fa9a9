/**
 * The command line as a client of the handler table: a command that has an API verb builds the
 * verb's payload from its arguments and calls `dispatch`, as Electron's IPC and the browser host
 * do, so the same zod schema checks it and the same handler runs. What comes back is phrased for
 * the terminal here:
 *
 * - a payload the schema refuses is a usage error (exit 2), each problem named by its option
 *   (`--start`, `--note`) and the value typed, not by the payload's field;
 * - an error a handler throws on purpose (`GlossError`, `RangeError`, `ImportError`) is printed
 *   from the wire shape `dispatch` returns, `{ code, params, message }` (`refusal`, the one place
 *   that reads it);
 * - anything else (a full disk, a damaged library) is thrown on as it was, so main.ts can say
 *   what to do about it; `dispatch` is handed a quiet stand-in, since it logs an internal error
 *   with its stack for the app's log, and no stack trace is shown on a terminal.
 *
 * `DOC` arguments (an id or the start of a title) are resolved against `library.list`.
 */
import type { z } from 'zod';
import { GlossError, requests, type Handlers, type Method, type Request, type Response } from '../../common/api.js';
import { findDocument } from '../../common/document-ref.js';
import type { DocumentSummary } from '../../common/model.js';
import { createHandlers, dispatch, type DispatchResult } from '../handlers.js';
import { ImportError } from '../import/errors.js';
import type { Library } from '../library.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage-error.js';

/** How the command line spells a payload field (`start` → `--start`) and what was typed for it. */
export type ArgumentNames = Record<string, { name: string; raw?: string | undefined }>;

const tables = new WeakMap<Library, Handlers>();

/** The handler table the commands call: the context's own (tests watch it), else one per library. */
function handlersOf(ctx: CliContext): Handlers {
  const lib = ctx.library();
  if (ctx.handlers) return ctx.handlers(lib);
  let table = tables.get(lib);
  if (!table) {
    table = createHandlers(lib);
    tables.set(lib, table);
  }
  return table;
}

/** Calls one verb through `dispatch` and answers its value, or throws the refusal phrased for the terminal. */
export async function call<M extends Method>(ctx: CliContext, method: M, payload: Request<M>, names: ArgumentNames = {}): Promise<Response<M>> {
  const table = handlersOf(ctx);
  // The handler's own exception, kept so that an unexpected one reaches main.ts whole.
  let thrown: { error: unknown } | undefined;
  const handler = table[method] as (r: unknown) => unknown;
  const watched = {
    ...table,
    [method]: async (request: unknown) => {
      try {
        return await handler(request);
      } catch (e) {
        thrown = { error: e };
        throw expected(e) ? e : new GlossError('unexpected', 'internal');
      }
    },
  } as Handlers;
  // An unexpected error is thrown on whole (below) for main.ts to describe: dispatch need not log it.
  const result = await dispatch(watched, method, payload, () => undefined);
  if (result.ok) return result.value as Response<M>;
  throw refusal(method, payload, result, thrown, names);
}

/**
 * Checks arguments against the verb's schema before the library is opened (only the fields given),
 * so a mistyped option is answered at once, on an empty or busy library too. `call` checks the
 * whole payload again.
 */
export function checkArguments<M extends Method>(method: M, fields: Partial<Request<M>>, names: ArgumentNames): void {
  const schema = requests[method] as unknown as z.ZodObject;
  const mask = Object.fromEntries(Object.keys(fields).map((k) => [k, true as const])) as Record<string, true> & Record<number, never>;
  const parsed = schema.pick(mask).safeParse(fields);
  if (!parsed.success) throw new UsageError(phraseIssues(parsed.error.issues, fields, names));
}

/** Errors a handler raises on purpose, which `dispatch` answers with their own sentence. */
const expected = (e: unknown): boolean => e instanceof GlossError || e instanceof RangeError || e instanceof ImportError;

/** What `dispatch` refused, as the error main.ts prints. */
function refusal(method: Method, payload: unknown, result: Extract<DispatchResult, { ok: false }>, thrown: { error: unknown } | undefined, names: ArgumentNames): Error {
  const { code, params, message } = result.error;
  if (!thrown) {
    // Refused before the handler ran: the schema. Its issues, read again, name the options.
    const parsed = requests[method].safeParse(payload);
    if (code === 'invalid-request' && !parsed.success) return new UsageError(phraseIssues(parsed.error.issues, payload, names));
    return new UsageError(message);
  }
  if (expected(thrown.error)) return new GlossError(message, code, params);
  return thrown.error instanceof Error ? thrown.error : new Error(String(thrown.error));
}

type Issue = z.core.$ZodIssue;

function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let v = payload;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** Schema issues in the command line's words: the option, what is wrong, what was typed. */
export function phraseIssues(issues: readonly Issue[], payload: unknown, names: ArgumentNames): string {
  return issues.map((issue) => phraseIssue(issue, payload, names)).join('; ');
}

function phraseIssue(issue: Issue, payload: unknown, names: ArgumentNames): string {
  const field = String(issue.path[0] ?? '');
  const arg = names[field];
  const name = arg?.name ?? (field || 'the request');
  const value = valueAt(payload, issue.path);
  const typed = arg?.raw ?? (typeof value === 'string' && value.length > 40 ? undefined : value === undefined ? undefined : String(value));
  const not = typed === undefined ? '' : `, not "${typed}"`;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number') return Number(issue.minimum) === 0 ? `${name} counts from 0 and cannot be negative${typed === undefined ? '' : ` ("${typed}")`}` : `${name} must be at least ${issue.minimum}${not}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${name} is empty` : `${name} needs at least ${issue.minimum} characters`;
      return `${name}: ${issue.message}`;
    case 'too_big':
      if (issue.origin === 'number') return `${name} must be at most ${issue.maximum}${not}`;
      if (issue.origin === 'string') return `${name} is too long: at most ${Number(issue.maximum).toLocaleString('en')} characters${typeof value === 'string' ? ` (it has ${value.length.toLocaleString('en')})` : ''}`;
      if (issue.origin === 'array') return `at most ${issue.maximum} ${name} may be given${Array.isArray(value) ? ` (got ${value.length})` : ''}`;
      return `${name}: ${issue.message}`;
    case 'invalid_value':
      return `${name} must be one of ${issue.values.map(String).join(', ')}${not}`;
    default:
      return `${name}: ${issue.message}`;
  }
}

/** `DOC` on the command line: an id, or an unambiguous start of a title, among `library.list`'s documents. */
export async function resolveDocument(ctx: CliContext, ref: string): Promise<DocumentSummary> {
  return findDocument(await call(ctx, 'library.list', {}), ref);
}
