/**
 * The one error shape of the API, on both transports. A handler throws a `GlossError` with a code
 * from the closed list below and the parameters its sentence needs; `dispatch` turns it into a
 * failed `Reply`; Electron's preload and the browser host both hand that reply object to the
 * renderer as it is, and the renderer shows `errors.<code>` from the interface language's
 * catalogue with the parameters. `message` is the English sentence, for the command line and logs.
 * Anything that is not a GlossError becomes `internal`, with no stack, SQL or path in the reply.
 */

/** Every code an error may carry. The catalogues hold `errors.<code>` for each (checked by tsc). */
export const ERROR_CODES = [
  // Raised around the handlers: the call itself.
  'internal',
  'unknown-method',
  'invalid-request',
  'refused',
  'unreachable',
  // Generic codes for a handler's own sentence that has no code of its own yet.
  'invalid',
  'not-found',
  'conflict',
  'failed',
  // Things that are not there (any more).
  'document-not-found',
  'annotation-not-found',
  'deleted-annotation-not-found',
  'tag-not-found',
  'pair-not-found',
  'revision-not-found',
  'import-job-not-found',
  'block-not-found',
  'unit-not-found',
  'undo-expired',
  // Requests the library cannot take as they are.
  'title-empty',
  'title-too-long',
  'range-outside',
  'tag-inside-itself',
  'tag-empty',
  'tag-too-long',
  'tag-invalid-character',
  'annotation-exists',
  'annotation-not-deleted',
  'duplicate-document',
  'link-to-self',
  'already-linked',
  'pair-with-self',
  'already-paired',
  'imports-busy',
  'line-break',
  'stale-edit',
  'edit-outside',
  'edit-removes-all',
  'revision-damaged',
  // Translations and their pairs.
  'already-in-language',
  'nothing-to-translate',
  'translation-exists',
  'not-a-translation',
  'unit-has-segment',
  'link-blocks-apart',
  'link-empty',
  'merge-last',
  'unit-no-source',
  // A file that could not be read.
  'import-failed',
  'not-annotations',
  'file-too-large',
  'xliff-invalid',
  'xliff-languages',
  'file-not-found',
  'file-is-folder',
  'file-unreadable',
  'folder-not-found',
  // The command line's own requests.
  'quote-empty',
  'quote-not-found',
  'quote-nth-out-of-range',
  'quote-ambiguous',
  'document-ref-not-found',
  'document-ref-ambiguous',
  'port-in-use',
  'port-not-allowed',
  // A team and its server.
  'team-not-joined',
  'team-bad-url',
  'team-token-empty',
  'team-member-empty',
  'team-member-too-long',
  'team-unreachable',
  'team-refused',
  'team-closed',
  'team-timeout',
  'team-content-differs',
  // The library itself.
  'library-busy',
  'library-read-only',
  'library-damaged',
  'library-foreign',
  'library-newer',
  'library-missing',
  'library-unreadable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why a file could not be imported, for the interface (`importReasons.<reason>` in the catalogues);
 * the importer's English sentence, with its details, stays in `ImportError.reason` for the CLI.
 */
export const IMPORT_REASONS = [
  'unreadable',
  'empty',
  'too-large',
  'too-complex',
  'too-slow',
  'too-much-memory',
  'cancelled',
  'not-text',
  'office-binary',
  'odt',
  'not-docx',
  'not-epub',
  'not-zip',
  'not-pdf',
  'not-qdpx',
  'no-text',
  'no-text-layer',
  'encrypted',
  'damaged',
] as const;

export type ImportReason = (typeof IMPORT_REASONS)[number];

export function isImportReason(value: unknown): value is ImportReason {
  return typeof value === 'string' && (IMPORT_REASONS as readonly string[]).includes(value);
}

/** The values a code's sentence is built from (ids, titles, paths, limits). */
export type ErrorParams = Readonly<Record<string, string | number>>;

/**
 * Why an annotation of an imported file needed a word in the report, for the interface
 * (`transfer.notes.<code>` in the catalogues, with the note's `params`); the English sentence, with
 * its details, stays in the note's `reason` for `gloss import-annotations`.
 */
export const ANNOTATION_NOTES = [
  // Skipped.
  'note-too-long',
  'repeated-id',
  'library-newer',
  'whole-resource',
  'no-selector',
  'page-note',
  'reply-elsewhere',
  'no-document',
  'no-document-alike',
  'empty-quote',
  // Kept detached, or skipped for want of a passage.
  'position-outside',
  'no-quote-no-position',
  'quote-whitespace',
  'quote-not-found',
  'quote-search-spent',
  'quote-not-close',
  'quote-rivals',
  // Placed, with a word.
  'approximate',
  'doubtful',
  'attached-again',
  'moved-from-unplaced',
  'copied',
  // Warnings.
  'tag-dropped',
  'reply-folded',
] as const;

export type AnnotationNote = (typeof ANNOTATION_NOTES)[number];

/** What a REFI-QDA project's outcome adds to its line (`transfer.projectNotes.<code>`). */
export const PROJECT_NOTES = ['documents', 'merged', 'codings-updated', 'placed-by-text', 'whole-codings', 'selections-skipped', 'sources-left-out', 'codes-renamed'] as const;

export type ProjectNote = (typeof PROJECT_NOTES)[number];

export interface ProjectNoteLine {
  code: ProjectNote;
  params: ErrorParams;
}

/** A report note's sentence: its code and the values it needs. */
export interface NoteWhy {
  code: AnnotationNote;
  params: ErrorParams;
}

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/**
 * An error a handler throws on purpose. `message` is the English sentence (the CLI prints it);
 * the interface shows `errors.<code>` with `params` in its own language.
 */
export class GlossError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'invalid',
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'GlossError';
  }
}

/** An error as it travels: the code, its parameters and the English sentence. Plain data only. */
export interface WireError {
  code: ErrorCode;
  params: ErrorParams;
  message: string;
}

/** What every call answers, over IPC and HTTP alike. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** The HTTP status the browser host answers a failed call with. */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'unknown-method':
    case 'not-found':
    case 'document-not-found':
    case 'annotation-not-found':
    case 'deleted-annotation-not-found':
    case 'tag-not-found':
    case 'pair-not-found':
    case 'revision-not-found':
    case 'import-job-not-found':
    case 'block-not-found':
    case 'unit-not-found':
    case 'undo-expired':
    case 'file-not-found':
    case 'folder-not-found':
    case 'quote-not-found':
    case 'document-ref-not-found':
    case 'library-missing':
      return 404;
    case 'conflict':
    case 'annotation-exists':
    case 'annotation-not-deleted':
    case 'duplicate-document':
    case 'already-linked':
    case 'already-paired':
    case 'imports-busy':
    case 'translation-exists':
    case 'stale-edit':
    case 'edit-outside':
    case 'unit-has-segment':
    case 'library-read-only':
      return 409;
    case 'team-not-joined':
    case 'port-in-use':
      return 409;
    case 'library-busy':
    case 'team-unreachable':
    case 'team-timeout':
      return 503;
    case 'refused':
      return 403;
    case 'file-too-large':
      return 413;
    case 'internal':
    case 'unreachable':
    case 'failed':
    case 'revision-damaged':
    case 'library-damaged':
    case 'library-foreign':
    case 'library-newer':
    case 'library-unreadable':
    case 'file-unreadable':
    case 'port-not-allowed':
    case 'team-refused':
    case 'team-closed':
    case 'team-content-differs':
      return 500;
    default:
      return 400;
  }
}

export function failure(code: ErrorCode, message: string, params: ErrorParams = {}): { ok: false; error: WireError } {
  return { ok: false, error: { code, params, message } };
}

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Checks that a value that crossed a transport (IPC, HTTP) is a reply, and rebuilds it from its
 * known fields only; anything else becomes an `internal` failure naming what came instead.
 */
export function asReply(value: unknown): Reply {
  if (value && typeof value === 'object' && 'ok' in value) {
    const v = value as { ok: unknown; value?: unknown; error?: unknown };
    if (v.ok === true) return { ok: true, value: v.value ?? null };
    const e = v.error as { code?: unknown; params?: unknown; message?: unknown } | undefined;
    if (v.ok === false && e && typeof e === 'object') {
      const params: Record<string, string | number> = {};
      if (e.params && typeof e.params === 'object') for (const [k, p] of Object.entries(e.params)) if (isScalar(p)) params[k] = p;
      const message = typeof e.message === 'string' ? e.message : '';
      return isErrorCode(e.code) ? failure(e.code, message, params) : failure('internal', `unknown error code ${JSON.stringify(e.code)}: ${message}`);
    }
  }
  return failure('internal', `the answer is not a Gloss reply (${value === null ? 'null' : typeof value})`);
}
