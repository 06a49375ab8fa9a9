/**
 * The one handler table behind both transports (Electron IPC and the browser host). Payloads are
 * validated against the contract's schemas before a handler sees them.
 */
import { isMethod, requests, type Handlers, type Method } from '../common/api.js';
import { GlossError, httpStatus, type ErrorCode, type ErrorParams, type Reply, type WireError } from '../common/errors.js';
import { ImportError } from './import/errors.js';
import type { Library } from './library.js';
import { LibraryOpenError } from './store/db.js';
import { FORMAT_FILES } from '../common/export/types.js';
import { exportAnnotations } from './export/export-service.js';
import { importAnnotationBytes } from './export/import-annotations.js';
import { exportQdpx } from './export/qdpx.js';
import * as editing from './editing.js';
import { applyEdit } from './apply-edit.js';
import { LinkService, PairService, xliffText } from './pairs.js';
import { ImportJobs } from './import-jobs.js';
import { LiveTeam, type TeamService } from './team/live.js';
import { getSummary } from './store/documents.js';
import { listAnnotations } from './store/annotations.js';
import { normalizeTagPath } from '../common/tag-path.js';

/** Verbs that write annotations, tags, texts, pairs or links: the team session scans after them. */
const WRITES = /^(annotations\.(?!list)|tags\.(?!list)|documents\.(saveEdit|applyEdit|updateFromFile|restoreRevision)|export\.importAnnotations|links\.(create|delete)|pairs\.(?!list|get|export)|library\.(import|remove))/;

/**
 * A document's annotations overlapping [start, end) (`annotations.list` with a range): one
 * indexed query, the document's existence checked from its summary rather than its text.
 */
function annotationsIn(library: Library, documentId: number, tag: string | undefined, start: number, end: number) {
  if (!getSummary(library.db, documentId)) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
  return listAnnotations(library.db, documentId, tag ? normalizeTagPath(tag) : undefined, { start, end });
}

/**
 * The handler table. `team` is the app's live team session (`gloss serve`, Electron); without
 * one (the command line) the team verbs run one-shot syncs.
 */
export function createHandlers(library: Library, team: TeamService = new LiveTeam(library, { live: false })): Handlers {
  const table = handlerTable(library, team);
  for (const method of Object.keys(table) as Method[]) {
    if (!WRITES.test(method)) continue;
    const run = table[method] as (r: unknown) => unknown;
    (table as Record<Method, (r: unknown) => unknown>)[method] = async (request: unknown) => {
      const value = await run(request);
      team.touched();
      return value;
    };
  }
  return table;
}

function handlerTable(library: Library, team: TeamService): Handlers {
  const pairs = new PairService(library);
  const links = new LinkService(library);
  const imports = new ImportJobs(library);
  const decoded = (files: readonly { name: string; base64: string }[]) => files.map((f) => ({ name: f.name, bytes: Buffer.from(f.base64, 'base64') }));
  return {
    'library.list': () => library.list(),
    'library.import': ({ files }) => library.importFiles(decoded(files)),
    'imports.start': ({ files }) => imports.start(decoded(files)),
    'imports.status': ({ jobId }) => imports.status(jobId),
    'imports.cancel': ({ jobId }) => imports.cancel(jobId),
    'library.remove': ({ documentId }) => ({ removed: library.remove(documentId) }),
    'library.search': ({ query, limit }) => library.search(query, limit),
    'library.searchPage': ({ query, limit, offset }) => library.searchPage(query, limit, offset),
    'documents.rename': ({ documentId, title }) => library.rename(documentId, title),
    'documents.get': ({ documentId }) => library.get(documentId),
    'documents.blocks': ({ documentId, from, count }) => library.getBlocks(documentId, from ?? 0, count),
    'annotations.list': ({ documentId, tag, start, end }) => (start === undefined && end === undefined ? library.annotations(documentId, tag) : annotationsIn(library, documentId, tag, start ?? 0, end ?? Number.MAX_SAFE_INTEGER)),
    'annotations.create': ({ documentId, start, end, color, note, tags }) => library.annotate(documentId, { start, end }, { color, note, tags }),
    'annotations.update': ({ id, ...change }) => library.updateAnnotation(id, change),
    'annotations.delete': ({ id }) => library.deleteAnnotation(id),
    'annotations.undelete': ({ id }) => library.undeleteAnnotation(id),
    'tags.list': () => library.tags(),
    'tags.rename': ({ from, to }) => ({ changed: library.renameTag(from, to) }),
    'tags.recolor': ({ path, color }) => library.recolorTag(path, color),
    'tags.merge': ({ from, into }) => ({ changed: library.mergeTag(from, into) }),
    'tags.delete': ({ path, annotations }) => library.deleteTag(path, annotations),
    'tags.clearUnused': () => library.clearUnusedTags(),
    'tags.undelete': ({ undoId }) => library.undeleteTags(undoId),
    'settings.get': () => library.settings(),
    'settings.set': (change) => library.updateSettings(change),
    'documents.saveEdit': (request) => editing.saveEdit(library, request),
    'documents.applyEdit': (request) => applyEdit(library, request),
    'documents.updateFromFile': ({ documentId, name, base64 }) => editing.updateFromBytes(library, documentId, name, Buffer.from(base64, 'base64')),
    'documents.revisions': ({ documentId }) => editing.revisions(library, documentId),
    'documents.restoreRevision': ({ documentId, revisionId }) => editing.restore(library, documentId, revisionId),
    'annotations.reattach': ({ id, start, end }) => editing.reattach(library, id, start, end),
    'export.annotations': async ({ format, documentIds, tags, colors }) => {
      const stamp = new Date().toISOString().slice(0, 10);
      const file = { fileName: `gloss-annotations-${stamp}${FORMAT_FILES[format].extension}`, mediaType: FORMAT_FILES[format].mediaType };
      if (format === 'qdpx') {
        // An archive: bytes, carried as base64.
        const parts: Uint8Array[] = [];
        const result = await exportQdpx(library, { format, documentIds, tags, colors }, (chunk) => void parts.push(chunk));
        return { ...file, content: '', base64: Buffer.concat(parts).toString('base64'), annotations: result.annotations };
      }
      const chunks: string[] = [];
      const result = await exportAnnotations(library, { format, documentIds, tags, colors }, (chunk) => void chunks.push(chunk));
      return { ...file, content: chunks.join(''), annotations: result.annotations };
    },
    'export.importAnnotations': ({ name, base64, intoDocumentId, keepOrphans }) => importAnnotationBytes(library, name, Buffer.from(base64, 'base64'), { intoDocumentId, keepOrphans }),
    'pairs.list': ({ documentId }) => pairs.list(documentId),
    'pairs.create': ({ sourceId, targetId, autoAlign }) => pairs.create(sourceId, targetId, { autoAlign }),
    'pairs.get': ({ pairId }) => pairs.get(pairId),
    'pairs.delete': ({ pairId }) => ({ removed: pairs.delete(pairId) }),
    'pairs.autoAlign': ({ pairId, keepConfirmed }) => pairs.autoAlign(pairId, { keepConfirmed }),
    'pairs.link': ({ pairId, sourceBlocks, targetBlocks }) => pairs.link(pairId, sourceBlocks, targetBlocks),
    'pairs.unlink': ({ pairId, bead }) => pairs.unlink(pairId, bead),
    'pairs.merge': ({ pairId, bead }) => pairs.merge(pairId, bead),
    'pairs.confirm': ({ pairId, beads, confirmed }) => pairs.confirm(pairId, beads, confirmed),
    'pairs.translate': ({ documentId, lang }) => pairs.translate(documentId, lang),
    'pairs.setBlockText': ({ pairId, blockIndex, text }) => pairs.setBlockText(pairId, blockIndex, text),
    'pairs.export': ({ pairId, format }) => pairs.export(pairId, format),
    'pairs.importTranslation': ({ pairId, name, base64 }) => pairs.importTranslation(pairId, name, xliffText(name, Buffer.from(base64, 'base64'))),
    'pairs.addTargetBlock': ({ pairId, bead }) => pairs.addTargetBlock(pairId, bead),
    'links.create': ({ a, b, shareTags, noteFrom }) => links.create(a, b, { shareTags, noteFrom }),
    'links.delete': ({ a, b }) => ({ removed: links.delete(a, b) }),
    'links.list': ({ documentId }) => links.list(documentId),
    'team.status': () => team.status(),
    'team.share': ({ documentId }) => team.share(documentId),
    'team.syncNow': () => team.syncNow(),
    'team.changes': ({ documentId, since, wait }) => team.changes(documentId, since, wait),
  };
}

/** A call's reply; a failure also carries the HTTP status the browser host answers with. */
export type DispatchResult = { ok: true; value: unknown } | { ok: false; status: number; error: WireError };

function failed(code: ErrorCode, message: string, params: ErrorParams = {}): DispatchResult {
  return { ok: false, status: httpStatus(code), error: { code, params, message } };
}

/** The path of a payload issue as the user would name the field: `annotation.start`, `files[0].name`. */
function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || 'payload';
}

/** Where the detail of an `internal` error goes: main's log (stderr) unless the caller says otherwise. */
export type InternalLog = (method: string, error: unknown) => void;

const logToStderr: InternalLog = (method, e) => console.error(`Gloss: internal error in ${method}:`, e);

/** Turns what a handler threw into a reply: coded errors as they are, anything else `internal`. */
export function errorReply(method: string, e: unknown, log: InternalLog = logToStderr): DispatchResult {
  if (e instanceof GlossError) return failed(e.code, e.message, e.params);
  if (e instanceof LibraryOpenError) return failed(`library-${e.problem}`, e.message, { file: e.file });
  if (e instanceof ImportError) return failed('import-failed', e.message, { file: e.file, why: e.why });
  // Raised by the shared code (tag paths, alignments, ranges) on a value it cannot take.
  if (e instanceof RangeError) return failed('invalid', e.message);
  // A bug or the system (SQL, I/O): the detail goes to main's log, never to the window.
  log(method, e);
  return failed('internal', `Internal error in ${method}; the details are in Gloss's log`, { method });
}

/**
 * Validates and runs one call. Never throws: errors come back in the wire shape. `log` receives an
 * internal error's detail; the command line, which reports the original error itself, passes its own.
 */
export async function dispatch(handlers: Handlers, method: string, payload: unknown, log: InternalLog = logToStderr): Promise<DispatchResult> {
  if (!isMethod(method)) return failed('unknown-method', `Unknown method "${method}"`, { method });
  const parsed = requests[method].safeParse(payload ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const detail = parsed.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`).join('; ');
    return failed('invalid-request', `Invalid request for ${method}: ${detail}`, { method, path: issuePath(first?.path ?? []), reason: first?.message ?? '' });
  }
  try {
    const handler = handlers[method] as (r: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    return errorReply(method, e, log);
  }
}

/** The reply as it crosses a transport: the same object, without the HTTP status. */
export function toReply(result: DispatchResult): Reply {
  return result.ok ? { ok: true, value: result.value ?? null } : { ok: false, error: result.error };
}

export type { Method };
