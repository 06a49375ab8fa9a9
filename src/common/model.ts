/** The document and annotation model shared by every layer. */

export type Direction = 'rtl' | 'ltr';
export type BlockKind = 'paragraph' | 'heading' | 'quote';
export type Language = 'he' | 'en' | 'mixed';
export type AnnotationStatus = 'anchored' | 'orphaned';

export const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple', 'orange'] as const;
export type Color = (typeof COLORS)[number];

/** One block as an importer produces it. */
export interface BlockInput {
  kind: BlockKind;
  dir: Direction;
  /** Quote nesting depth: 0 for paragraphs and headings, 1.. for quotes. */
  depth: number;
  text: string;
}

/** What an importer hands to the library. */
export interface ParsedDocument {
  title: string;
  language: Language;
  blocks: BlockInput[];
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
}

export interface DocumentFull extends DocumentSummary {
  blocks: Block[];
}

/** An annotation, shaped after a W3C Web Annotation with a position and a quote selector. */
export interface Annotation {
  id: string;
  documentId: number;
  /** UTF-16 offsets into the canonical text. */
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  color: Color;
  note: string;
  status: AnnotationStatus;
  tags: string[];
  created: string;
  modified: string;
}

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
