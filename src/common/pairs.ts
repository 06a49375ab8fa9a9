/**
 * Translation pairs and linked annotations as the API hands them out: two documents, the
 * alignment between their blocks, the progress of a translation, and links between annotations
 * in different texts.
 */
import type { AlignmentBead } from './align/beads.js';
import type { AnnotationStatus, DocumentSummary, Language } from './model.js';

export type { AlignmentBead } from './align/beads.js';
export type { Bead } from './align/gale-church.js';

/** `aligned`: two existing texts; `translation`: the target was started in Gloss and is edited here. */
export const PAIR_KINDS = ['aligned', 'translation'] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

export const PAIR_EXPORT_FORMATS = ['tmx', 'xliff', 'html', 'csv'] as const;
export type PairExportFormat = (typeof PAIR_EXPORT_FORMATS)[number];

export interface TranslationProgress {
  /** Target blocks holding text (anything but spaces). */
  translated: number;
  /** All target blocks. */
  total: number;
}

export interface PairSummary {
  id: number;
  kind: PairKind;
  created: string;
  sourceId: number;
  targetId: number;
  sourceTitle: string;
  targetTitle: string;
  sourceLanguage: Language;
  targetLanguage: Language;
  /** Number of beads, how many of them are confirmed, and how many are marked for review. */
  beads: number;
  confirmed: number;
  review: number;
  progress: TranslationProgress;
}

/** What importing a translation (XLIFF) did, unit by unit. */
export interface TranslationImportReport {
  /** The file's name, as given. */
  file: string;
  /** Trans-units in the file. */
  units: number;
  /** Units whose translation was written into the target text. */
  updated: number;
  /** Units whose translation is the text the target already has. */
  unchanged: number;
  /** Units with no translation in the file (no target, an empty one, one that is still a copy of the source, or translate="no"). */
  untranslated: number;
  /** Units confirmed because the file says their translation is final (state final or signed-off, or approved). */
  confirmed: number;
  /** Units found by their source text because their id no longer names them (the alignment changed since the export). */
  matchedByText: number;
  /** Units not written, each with its id, its line in the file and why (in English, and as a code with values for the interface). */
  notMatched: { id: string; line: number; reason: string; code: NotMatchedCode; values: Record<string, string | number> }[];
}

/** Why a trans-unit was not written. */
export type NotMatchedCode = 'source-changed' | 'ambiguous' | 'no-source' | 'duplicate' | 'no-target' | 'several-targets' | 'line-break';

export interface PairView {
  id: number;
  kind: PairKind;
  created: string;
  source: DocumentSummary;
  target: DocumentSummary;
  /** The alignment in text order: every block of each document in exactly one bead. */
  beads: AlignmentBead[];
  progress: TranslationProgress;
}

/** One side of a link: the annotation and where it sits. */
export interface LinkEnd {
  annotationId: string;
  documentId: number;
  documentTitle: string;
  start: number;
  end: number;
  exact: string;
  status: AnnotationStatus;
}

/** A link between two annotations (undirected; `a` is the side asked about when there is one). */
export interface AnnotationLink {
  a: LinkEnd;
  b: LinkEnd;
  created: string;
}

/** The language code of a document for TMX and `lang` attributes. */
export function languageCode(language: Language, blocks: readonly { dir: string }[] = []): 'he' | 'en' {
  if (language !== 'mixed') return language;
  const rtl = blocks.filter((b) => b.dir === 'rtl').length;
  return rtl * 2 > blocks.length ? 'he' : 'en';
}
