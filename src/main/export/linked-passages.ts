/**
 * The other ends of linked annotations, as the annotation exports show them: for each annotation
 * of a document, the passages linked to it in their own texts, with offsets in code points (the
 * W3C export adds each as a second target, the CSV names them in its `link` column).
 */
import type { Database } from 'better-sqlite3';
import { CodePointIndex } from '../../common/export/code-points.js';
import type { LinkedPassage } from '../../common/export/types.js';
import { getCanonicalText } from '../store/documents.js';
import { linkedRids, linkedRow } from '../store/links.js';

/** Code point indices of the texts the links point into, shared across the documents of one export. */
export type TextIndexCache = Map<number, CodePointIndex>;

export function linkedPassages(db: Database, documentId: number, cache: TextIndexCache = new Map()): Map<string, LinkedPassage[]> {
  const out = new Map<string, LinkedPassage[]>();
  for (const [id, rids] of linkedRids(db, documentId)) {
    const passages: LinkedPassage[] = [];
    for (const rid of rids) {
      const r = linkedRow(db, rid);
      if (!r) continue;
      let index = cache.get(r.documentId);
      if (!index) {
        index = new CodePointIndex(getCanonicalText(db, r.documentId));
        cache.set(r.documentId, index);
      }
      const start = Math.max(0, Math.min(r.start, index.length));
      const end = Math.max(start, Math.min(r.end, index.length));
      passages.push({
        id: r.id,
        documentTitle: r.documentTitle,
        contentHash: r.contentHash,
        exact: r.exact,
        prefix: r.prefix,
        suffix: r.suffix,
        start: index.toCodePoints(start),
        end: index.toCodePoints(end),
      });
    }
    if (passages.length) out.set(id, passages);
  }
  return out;
}
