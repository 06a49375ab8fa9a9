/** The document and annotation model shared by every layer. */

export type Direction = 'rtl' | 'ltr';
/**
 * Block kinds. `item` is a list item (`depth` its nesting, 1..; `meta.marker` the marker shown),
 * `row` a table row (cells separated by TAB in its text; `meta.header` for a header row), `code`
 * one line of preformatted text, `note` a footnote or endnote (`meta.label` its number or sign).
 */
export const BLOCK_KINDS = ['paragraph', 'heading', 'quote', 'item', 'row', 'code', 'note'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** The separator between a table row's cells in its text. */
export const CELL_SEPARATOR = '\t';
export type Language = 'he' | 'en' | 'mixed';
export type AnnotationStatus = 'anchored' | 'orphaned';

export const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple', 'orange'] as const;
export type Color = (typeof COLORS)[number];

/** What a block keeps beyond its text: structure and provenance. Every field is optional. */
export interface BlockMeta {
  /** Heading level, 1-6. */
  level?: number;
  /** A list item's marker as shown: "•", "1.", "iv.". */
  marker?: string;
  /** A table row that heads its table. */
  header?: boolean;
  /** A note's label ("1", "*"). */
  label?: string;
  /** The pages the block spans, as the source labels them (PDF page labels, else numbers), in order. */
  pages?: string[];
  /** The part of the source the block came from (an EPUB chapter's file), for provenance. */
  part?: string;
}

/** One block as an importer produces it. */
export interface BlockInput {
  kind: BlockKind;
  dir: Direction;
  /** Quote nesting depth for quotes (1..), list nesting for items (1..), else 0. */
  depth: number;
  text: string;
  meta?: BlockMeta;
}

/** The kinds of source a document can come from. */
export const SOURCE_KINDS = ['text', 'markdown', 'html', 'web', 'pdf', 'epub', 'docx', 'qdpx', 'translation'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** What is known about a document besides its text. Every field is optional. */
export interface DocumentMeta {
  sourceKind?: SourceKind;
  author?: string;
  /** Publication or creation date as the source gives it (ISO 8601 when it can be read as a date). */
  date?: string;
  siteName?: string;
  publisher?: string;
  /** The source's own language tag (xml:lang, dc:language, <html lang>). */
  sourceLanguage?: string;
  url?: string;
  description?: string;
  pageCount?: number;
  chapterCount?: number;
}

/**
 * An annotation that comes with the document (a Word comment). Offsets are UTF-16 offsets into the
 * canonical text of the parsed document's blocks.
 */
export interface ImportedAnnotation {
  start: number;
  end: number;
  note: string;
  author?: string;
  /** ISO 8601. */
  created?: string;
  tags?: string[];
  color?: Color;
}

/** What an importer hands to the library. */
export interface ParsedDocument {
  title: string;
  language: Language;
  blocks: BlockInput[];
  meta?: DocumentMeta;
  annotations?: ImportedAnnotation[];
}

/** How far a long import has got. */
export interface ImportProgress {
  done: number;
  total: number;
  unit: 'page' | 'chapter' | 'part';
}

/** A stored block, with its place in the canonical text. */
export interface Block extends BlockInput {
  index: number;
  /** UTF-16 offset of the block's first character in the canonical text. */
  start: number;
}

export interface DocumentSummary {
  id: number;
  title: string;
  language: Language;
  sourceName: string;
  contentHash: string;
  importedAt: string;
  blockCount: number;
  annotationCount: number;
  meta: DocumentMeta;
}

export interface DocumentFull extends DocumentSummary {
  blocks: Block[];
}

// The type comes from the one zod schema (type-only: no zod in bundles that only need the type).
export type { Annotation } from './annotation-schema.js';

export interface Tag {
  id: number;
  path: string;
  color: string | null;
  /** Annotations carrying this exact tag. */
  count: number;
}

export interface SearchHit {
  documentId: number;
  documentTitle: string;
  /** Where the hit is: in a block's text or in an annotation's note. */
  kind: 'text' | 'note';
  blockIndex: number | null;
  annotationId: string | null;
  /** Offsets of the hit in the original text (canonical text for `text`, the note for `note`). */
  start: number;
  end: number;
  /** Every matched term's range, in the same coordinates, for highlighting hits in place. */
  ranges: { start: number; end: number }[];
  snippet: string;
}

/** One page of a library search, with the whole count and the count per document. */
export interface SearchPage {
  /** Every hit the query has (text blocks and notes), not just this page's. */
  total: number;
  /** Documents with hits, those with the most in their text first. */
  documents: { documentId: number; title: string; count: number }[];
  /** This page: text hits by document (in the order above) and block, then hits in notes. */
  hits: SearchHit[];
  offset: number;
  /** Documents whose search rows are still being built (just imported): their hits may be missing. */
  indexing?: { documentId: number; title: string }[];
}
