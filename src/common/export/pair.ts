/**
 * What the exports of a translation pair read: the aligned segments as TMX 1.4b (for translation
 * memories, `pair-tmx.ts`), XLIFF 1.2 (for CAT tools, and back, `pair-xliff.ts`), a side-by-side
 * HTML page (`pair-html.ts`), or CSV (`pair-csv.ts`). Pure:
 * each takes the two documents and the alignment and returns the file's text.
 */
import type { AlignmentBead } from '../align/beads.js';
import type { Block, Language } from '../model.js';
import type { PairExportFormat } from '../pairs.js';

export interface PairDocument {
  title: string;
  language: Language;
  blocks: readonly Pick<Block, 'index' | 'kind' | 'dir' | 'depth' | 'text'>[];
}

export interface PairExportInput {
  source: PairDocument;
  target: PairDocument;
  /** The alignment in text order (block indices into each document's blocks). */
  beads: readonly AlignmentBead[];
  /** ISO time of the export. */
  generated: string;
  /** Gloss's version, for the TMX header. */
  version?: string;
}

export const PAIR_FORMAT_FILES: Record<PairExportFormat, { extension: string; mediaType: string }> = {
  tmx: { extension: '.tmx', mediaType: 'application/x-tmx+xml; charset=utf-8' },
  xliff: { extension: '.xlf', mediaType: 'application/x-xliff+xml; charset=utf-8' },
  html: { extension: '.html', mediaType: 'text/html; charset=utf-8' },
  csv: { extension: '.csv', mediaType: 'text/csv; charset=utf-8; header=present' },
};

/** The texts of a bead's blocks on one side, joined by a space (a segment of several paragraphs). */
export function segmentText(doc: PairDocument, indices: readonly number[]): string {
  return indices
    .map((i) => doc.blocks[i]?.text ?? '')
    .filter((t) => t.length > 0)
    .join(' ');
}
