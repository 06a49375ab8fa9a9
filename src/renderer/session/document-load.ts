/**
 * Opening a document: what is asked of the API, in which order (see `loadDocument`).
 */
import type { GlossApi } from '../../common/api.js';
import type { Annotation, DocumentFull } from '../../common/model.js';
import { SECTION_LIMITS } from '../reader/sections.js';

export interface DocumentLoad {
  id: number;
  /** The document's head and its first blocks (`total`: how many it has in all). */
  head: Promise<DocumentFull & { total: number }>;
  doc: Promise<DocumentFull>;
  annotations: Promise<Annotation[]>;
}

/** Blocks asked for first: at least as many as the first section can hold (sections.ts). */
const HEAD_BLOCKS = SECTION_LIMITS.blocks;

/**
 * Asks for a document and its annotations at once: the first blocks, then the rest of the text,
 * then the annotations. The first section is shown from the first answer, a few kilobytes, while
 * the rest of a book (megabytes to read, send and parse) is still on its way. The host may answer
 * one request at a time, so a book's annotations would hold back the text if asked for first;
 * asking for them only once the text is here was measured (5 MB, 10,000 highlights) to bring the
 * first text no sooner in the median and the highlights 250 ms later.
 */
export function loadDocument(api: GlossApi, id: number): DocumentLoad {
  const head = api['documents.blocks']({ documentId: id, from: 0, count: HEAD_BLOCKS });
  const rest = api['documents.blocks']({ documentId: id, from: HEAD_BLOCKS });
  const annotations = api['annotations.list']({ documentId: id });
  const doc = Promise.all([head, rest]).then(([h, r]): DocumentFull => {
    const { from: _from, total: _total, ...meta } = h;
    return { ...meta, blocks: r.blocks.length ? h.blocks.concat(r.blocks) : h.blocks };
  });
  // Any may be abandoned (another document opened meanwhile): never an unhandled rejection.
  for (const p of [head, rest, doc, annotations]) p.catch(() => undefined);
  return { id, head, doc, annotations };
}
