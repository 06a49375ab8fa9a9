/**
 * What the export serializers read. They are pure and streaming-friendly: each takes documents
 * whose annotations come as (lazy) iterables and yields the output in pieces, so the caller can
 * fetch rows in batches and write each piece before the next is made.
 */
import type { Annotation, Block, Direction, Language } from '../model.js';

export const EXPORT_FORMATS = ['jsonld', 'csv', 'md', 'html', 'qdpx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

/** File extension and media type per format. */
export const FORMAT_FILES: Record<ExportFormat, { extension: string; mediaType: string }> = {
  jsonld: { extension: '.jsonld', mediaType: 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"' },
  csv: { extension: '.csv', mediaType: 'text/csv; charset=utf-8; header=present' },
  md: { extension: '.md', mediaType: 'text/markdown; charset=utf-8' },
  html: { extension: '.html', mediaType: 'text/html; charset=utf-8' },
  // A REFI-QDA project: a zip of project.qde and the sources (see qdpx.ts).
  qdpx: { extension: '.qdpx', mediaType: 'application/zip' },
};

/** Formats that are archives (bytes), not text: written by the main process, never by `serialize`. */
export function isBinaryFormat(format: ExportFormat): format is 'qdpx' {
  return format === 'qdpx';
}

export interface ExportDocument {
  id: number;
  title: string;
  language: Language;
  sourceName: string;
  /** SHA-256 (hex) of the canonical text: the document's identity across libraries. */
  contentHash: string;
  /** The blocks in order; their texts joined by `\n` are the canonical text. */
  blocks: readonly Block[];
}

export interface ExportSection {
  document: ExportDocument;
  /**
   * The document's annotations in text order (start, then creation). A function, because the
   * HTML report reads them twice (highlights in the text, then the list); each call starts over.
   */
  annotations: () => Iterable<Annotation>;
  /** How many annotations the section holds, when the caller knows. */
  count?: number;
  /** The passages linked to each annotation (by annotation id), for the W3C targets and the CSV `link` column. */
  links?: ReadonlyMap<string, readonly LinkedPassage[]>;
}

/** The other end of a link between annotations, as the exports show it (offsets in code points of its own text). */
export interface LinkedPassage {
  /** The linked annotation's id. */
  id: string;
  documentTitle: string;
  contentHash: string;
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
}

export interface ExportMeta {
  /** ISO time the export was made. */
  generated: string;
  /** A URI naming this export (the W3C collection's id), e.g. `urn:uuid:...`. */
  id?: string;
  /** Free text: what was exported (documents, tag filter). */
  label?: string;
  /** The application version, for the generator. */
  version?: string;
  /** Some exported annotation is linked: the CSV gets its `link` column. */
  links?: boolean;
}

/** The document's base direction from its language (mixed documents read from the left). */
export function documentDirection(doc: Pick<ExportDocument, 'language'>): Direction {
  return doc.language === 'he' ? 'rtl' : 'ltr';
}
