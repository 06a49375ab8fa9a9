/**
 * The one handler table behind both transports (Electron IPC and the browser host). Payloads are
 * validated against the contract's schemas before a handler sees them.
 */
import { GlossError, isMethod, requests, type Handlers, type Method, type WireError } from '../common/api.js';
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

export function createHandlers(library: Library): Handlers {
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
    'annotations.list': ({ documentId, tag }) => library.annotations(documentId, tag),
    'annotations.create': ({ documentId, start, end, color, note, tags }) => library.annotate(documentId, { start, end }, { color, note, tags }),
    'annotations.update': ({ id, ...change }) => library.updateAnnotation(id, change),
    'annotations.delete': ({ id }) => library.deleteAnnotation(id),
    'annotations.restore': ({ annotation }) => library.restoreAnnotation(annotation),
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
  };
}

export type DispatchResult = { ok: true; value: unknown } | ({ ok: false; status: number } & WireError);

/** Validates and runs one call. Never throws: errors come back in the wire shape. */
export async function dispatch(handlers: Handlers, method: string, payload: unknown): Promise<DispatchResult> {
  if (!isMethod(method)) return { ok: false, status: 404, error: { message: `Unknown method "${method}"`, code: 'not-found' } };
  const parsed = requests[method].safeParse(payload ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
    return { ok: false, status: 400, error: { message: `Invalid request for ${method}: ${detail}`, code: 'invalid' } };
  }
  try {
    const handler = handlers[method] as (r: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    if (e instanceof GlossError) return { ok: false, status: e.code === 'not-found' ? 404 : 400, error: { message: e.message, code: e.code } };
    if (e instanceof RangeError) return { ok: false, status: 400, error: { message: e.message, code: 'invalid' } };
    if (e instanceof LibraryOpenError) return { ok: false, status: 500, error: { message: e.message, code: e.problem } };
    return { ok: false, status: 500, error: { message: `Internal error in ${method}: ${(e as Error).message}`, code: 'failed' } };
  }
}

export type { Method };
