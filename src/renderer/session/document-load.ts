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
  /** The annotations overlapping [0, `FIRST_RANGE`): those of the first section when it ends there. */
  first: Promise<Annotation[]>;
  /** Every annotation (those of `first` among them). */
  annotations: Promise<Annotation[]>;
}

/**
 * The first annotations asked for: those over the first characters of the text. The first
 * section (sections.ts) closes at the block that takes it past `SECTION_LIMITS.first`, so it ends
 * here unless its last block is very long; then it waits for all of them.
 */
export const FIRST_RANGE = SECTION_LIMITS.first * 4;

/** Blocks asked for first: at least as many as the first section can hold (sections.ts). */
const HEAD_BLOCKS = SECTION_LIMITS.blocks;

/**
 * Asks for a document and its annotations in this order: the first blocks and the annotations
 * over the first characters (an indexed query of a few rows) at once; the rest of the text and
 * the rest of the annotations once the first blocks have come. The first section is shown from
 * the first answer, a few kilobytes, and becomes readable for annotating (highlighted, selectable)
 * with the second, while the rest of a book (megabytes to read, send and parse) is still on its
 * way. The rest is asked for only then: asked at once, the host could be reading and sending a
 * book when the first blocks' request reaches it, and they would wait for it (measured at 5 MB:
 * up to 60 ms of the first text).
 */
export function loadDocument(api: GlossApi, id: number): DocumentLoad {
  const head = api['documents.blocks']({ documentId: id, from: 0, count: HEAD_BLOCKS });
  const first = api['annotations.list']({ documentId: id, start: 0, end: FIRST_RANGE });
  const rest = head.then((h) => (h.total > h.blocks.length ? api['documents.blocks']({ documentId: id, from: HEAD_BLOCKS }) : { ...h, blocks: [] }));
  const after = head.then(() => api['annotations.list']({ documentId: id, start: FIRST_RANGE }));
  const doc = Promise.all([head, rest]).then(([h, r]): DocumentFull => {
    const { from: _from, total: _total, ...meta } = h;
    return { ...meta, blocks: r.blocks.length ? h.blocks.concat(r.blocks) : h.blocks };
  });
  // One crossing FIRST_RANGE is in both answers.
  const annotations = Promise.all([first, after]).then(([f, a]) => {
    const seen = new Set(f.map((x) => x.id));
    return f.concat(a.filter((x) => !seen.has(x.id)));
  });
  // Any may be abandoned (another document opened meanwhile): never an unhandled rejection.
  for (const p of [head, first, rest, after, doc, annotations]) p.catch(() => undefined);
  return { id, head, doc, first, annotations };
}
