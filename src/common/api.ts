/**
 * The API contract: every verb the renderer may call, declared once. Main implements it from
 * one handler table (`src/main/handlers.ts`); Electron's preload and the browser host carry the
 * same table. A payload is validated against its schema before any handler runs.
 */
import { z } from 'zod';
import { BLOCK_KINDS, COLORS } from './model.js';
import { MAX_NOTE_LENGTH } from './annotation-schema.js';
import { EXPORT_FORMATS } from './export/types.js';
import type { ReanchorSummary } from './anchor/anchor.js';
import type { Annotation, Block, DocumentFull, DocumentSummary, ImportProgress, SearchHit, SearchPage, Tag } from './model.js';
import { PAIR_EXPORT_FORMATS } from './pairs.js';
import type { AnnotationNote, ErrorParams, ImportReason, ProjectNoteLine, Reply } from './errors.js';
import type { AnnotationLink, PairSummary, PairView, TranslationImportReport, TranslationProgress } from './pairs.js';

const docId = z.number().int().positive();
const annotationId = z.string().min(1).max(100);
const tagPath = z.string().min(1).max(400);
const color = z.enum(COLORS);
const pairId = z.number().int().positive();
const beadIndex = z.number().int().min(0);
const blockList = z.array(beadIndex).max(10_000);
const importFiles = z
  .array(z.object({ name: z.string().min(1).max(255), base64: z.string().max(140_000_000) }))
  .min(1)
  .max(100);
const importJobId = z.string().min(1).max(64);
/** A block's metadata as the editor sends it back (what the reader was given). */
const blockMeta = z
  .object({
    level: z.number().int().min(1).max(6).optional(),
    marker: z.string().max(40).optional(),
    header: z.boolean().optional(),
    label: z.string().max(40).optional(),
    pages: z.array(z.string().max(40)).max(1_000).optional(),
    part: z.string().max(1_000).optional(),
  })
  .strict();

import { UI_LANGUAGES } from './methods.js';
export { METHODS, UI_LANGUAGES, type UiLanguage } from './methods.js';
export const THEMES = ['light', 'dark'] as const;

export const settingsSchema = z.object({
  language: z.enum(UI_LANGUAGES).optional(),
  theme: z.enum(THEMES).optional(),
  fontSize: z.number().int().min(10).max(40).optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Request schemas, one per method. */
export const requests = {
  'library.list': z.object({}),
  /** Imports files and answers when all are done (small files; the app uses `imports.start`). */
  'library.import': z.object({ files: importFiles }),
  /** Starts importing files in the background; poll `imports.status`, stop with `imports.cancel`. */
  'imports.start': z.object({ files: importFiles }),
  'imports.status': z.object({ jobId: importJobId }),
  /** Cancels the file being read and those not started; files already imported stay. */
  'imports.cancel': z.object({ jobId: importJobId }),
  'library.remove': z.object({ documentId: docId }),
  'library.search': z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(500).optional() }),
  /** A page of results with the whole count and the count per document (`library.search` is its first page's hits). */
  'library.searchPage': z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).max(10_000_000).optional() }),
  /** Gives a document a new title. */
  'documents.rename': z.object({ documentId: docId, title: z.string().trim().min(1).max(500) }),
  'documents.get': z.object({ documentId: docId }),
  /** A document's head and the blocks from `from` (`count` of them): the reader shows the first section before the rest arrives. */
  'documents.blocks': z.object({ documentId: docId, from: z.number().int().min(0).optional(), count: z.number().int().min(1).max(1_000_000).optional() }),
  /**
   * A document's annotations, in text order; with `start` and/or `end`, only those overlapping
   * [start, end) (an empty one: lying in it), so that the reader can ask for its first section's first.
   */
  'annotations.list': z.object({ documentId: docId, tag: tagPath.optional(), start: z.number().int().min(0).optional(), end: z.number().int().min(0).optional() }),
  'annotations.create': z.object({
    documentId: docId,
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    color: color.optional(),
    note: z.string().max(MAX_NOTE_LENGTH).optional(),
    tags: z.array(tagPath).max(100).optional(),
  }),
  'annotations.update': z.object({
    id: annotationId,
    color: color.optional(),
    note: z.string().max(MAX_NOTE_LENGTH).optional(),
    tags: z.array(tagPath).max(100).optional(),
  }),
  'annotations.delete': z.object({ id: annotationId }),
  /** Brings a deleted annotation back from its tombstone (undo of delete): same id, tags, note, links. */
  'annotations.undelete': z.object({ id: annotationId }),
  'tags.list': z.object({}),
  'tags.rename': z.object({ from: tagPath, to: tagPath }),
  'tags.recolor': z.object({ path: tagPath, color: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable() }),
  'tags.merge': z.object({ from: tagPath, into: tagPath }),
  /** Deletes a tag and all below it; its annotations lose it (`remove`) or get its parent (`parent`). */
  'tags.delete': z.object({ path: tagPath, annotations: z.enum(['remove', 'parent']) }),
  /** Deletes every tag no annotation carries. */
  'tags.clearUnused': z.object({}),
  /** Undoes `tags.delete` or `tags.clearUnused` (for a day). */
  'tags.undelete': z.object({ undoId: z.number().int().positive() }),
  'settings.get': z.object({}),
  'settings.set': settingsSchema,
  /** The whole export as one string, for the app's Export action (the CLI streams instead). */
  /** The editor's save: the whole new text and where its mapping put each annotation. */
  'documents.saveEdit': z.object({
    documentId: docId,
    blocks: z
      .array(z.object({ kind: z.enum(BLOCK_KINDS), dir: z.enum(['rtl', 'ltr']), depth: z.number().int().min(0).max(20), meta: blockMeta.optional(), text: z.string().max(5_000_000).refine((t) => !t.includes('\n'), 'a block holds no line break') }))
      .min(1)
      .max(200_000),
    annotations: z.array(z.object({ id: annotationId, start: z.number().int().min(0), end: z.number().int().min(0) })).max(1_000_000),
  }),
  /**
   * The editor's incremental save: blocks [from, from + removed) are replaced by `blocks`, and
   * `annotations` are those whose range the editor changed (offsets in the new whole text).
   * `expectLength` is the text's length before the edit; another length is refused as stale.
   */
  'documents.applyEdit': z.object({
    documentId: docId,
    from: z.number().int().min(0),
    removed: z.number().int().min(0),
    blocks: z.array(z.object({ kind: z.enum(BLOCK_KINDS), dir: z.enum(['rtl', 'ltr']), depth: z.number().int().min(0).max(20), meta: blockMeta.optional(), text: z.string().max(5_000_000).refine((t) => !t.includes('\n'), 'a block holds no line break') })).max(200_000),
    annotations: z.array(z.object({ id: annotationId, start: z.number().int().min(0), end: z.number().int().min(0) })).max(1_000_000),
    expectLength: z.number().int().min(0).optional(),
  }),
  'documents.updateFromFile': z.object({ documentId: docId, name: z.string().min(1).max(255), base64: z.string().max(70_000_000) }),
  'documents.revisions': z.object({ documentId: docId }),
  'documents.restoreRevision': z.object({ documentId: docId, revisionId: z.number().int().positive() }),
  /** Puts a detached annotation on a new passage. */
  'annotations.reattach': z.object({ id: annotationId, start: z.number().int().min(0), end: z.number().int().min(1) }),
  'export.annotations': z.object({
    format: z.enum(EXPORT_FORMATS),
    documentIds: z.array(docId).max(10_000).optional(),
    tags: z.array(tagPath).max(100).optional(),
    /** Only annotations of these colours. */
    colors: z.array(color).max(COLORS.length).optional(),
  }),
  'export.importAnnotations': z.object({
    name: z.string().min(1).max(255),
    base64: z.string().max(70_000_000),
    intoDocumentId: docId.optional(),
    /** Keep annotations whose text is in no document, detached, in a document of their own. */
    keepOrphans: z.boolean().optional(),
  }),
  // The bilingual desk: pairs, alignment, translations, linked annotations (src/main/pairs.ts).
  /** All pairs, or those a document belongs to. */
  'pairs.list': z.object({ documentId: docId.optional() }),
  /** Pairs two documents; the alignment starts block by block, or computed with `autoAlign`. */
  'pairs.create': z.object({ sourceId: docId, targetId: docId, autoAlign: z.boolean().optional() }),
  'pairs.get': z.object({ pairId }),
  'pairs.delete': z.object({ pairId }),
  /** Recomputes the alignment; confirmed beads stay unless `keepConfirmed` is false. */
  'pairs.autoAlign': z.object({ pairId, keepConfirmed: z.boolean().optional() }),
  /** Makes one confirmed bead of these blocks (consecutive on each side; one side may be empty). */
  'pairs.link': z.object({ pairId, sourceBlocks: blockList, targetBlocks: blockList }),
  /** Splits bead `bead` (its index in `beads`) into blocks without counterpart. */
  'pairs.unlink': z.object({ pairId, bead: beadIndex }),
  /** Merges bead `bead` with the next one. */
  'pairs.merge': z.object({ pairId, bead: beadIndex }),
  /** Marks beads (all when `beads` is absent) confirmed, or not with `confirmed: false`. */
  'pairs.confirm': z.object({ pairId, beads: z.array(beadIndex).max(100_000).optional(), confirmed: z.boolean().optional() }),
  /** Starts a translation: a new document in `lang` with one empty block per block of the document. */
  'pairs.translate': z.object({ documentId: docId, lang: z.enum(['he', 'en']) }),
  /** Writes one block of a translation (the target of a `translation` pair); no line breaks. */
  'pairs.setBlockText': z.object({ pairId, blockIndex: beadIndex, text: z.string().max(1_000_000) }),
  'pairs.export': z.object({ pairId, format: z.enum(PAIR_EXPORT_FORMATS) }),
  /** Gives a unit of a translation with source text and no segment an empty segment to write into. */
  'pairs.addTargetBlock': z.object({ pairId, bead: beadIndex }),
  /** A translation back from an XLIFF 1.2 file (the file's bytes in base64), unit by unit, with a report. */
  'pairs.importTranslation': z.object({ pairId, name: z.string().min(1).max(255), base64: z.string().max(140_000_000) }),
  /** Links two annotations (usually in the two texts of a pair); optionally shares tags and a note. */
  'links.create': z.object({ a: annotationId, b: annotationId, shareTags: z.boolean().optional(), noteFrom: z.enum(['a', 'b']).optional() }),
  'links.delete': z.object({ a: annotationId, b: annotationId }),
  /** The links of a document's annotations, each with `a` in the document. */
  'links.list': z.object({ documentId: docId }),
  /** The library's team: connection, members present, what is shared, pending updates. */
  'team.status': z.object({}),
  /** Shares a document with the team (its text once, by content hash; then its annotations, live). */
  'team.share': z.object({ documentId: docId }),
  /** Sends what changed here and brings in what the team did, now. */
  'team.syncNow': z.object({}),
  /**
   * What the team changed in a document since `since` (omit it for the current version only);
   * `wait` (ms): when nothing has changed yet, answer at the first change or after that long.
   */
  'team.changes': z.object({ documentId: docId, since: z.number().int().min(0).optional(), wait: z.number().int().min(0).max(30_000).optional() }),
} as const;

export type Method = keyof typeof requests;
export type Request<M extends Method> = z.input<(typeof requests)[M]>;

export interface ImportOutcome {
  name: string;
  status: 'imported' | 'duplicate' | 'failed';
  documentId?: number;
  title?: string;
  /** For `duplicate`: which document already holds the content; for `failed`: the reason, in English. */
  message?: string;
  /** For `failed`: why, as the interface says it (`importReasons.<reason>`). */
  reason?: ImportReason;
  /** Annotations that came with the file (Word comments). */
  annotations?: number;
  /** For a REFI-QDA project: what its import adds to the line, for the interface (`message` says it in English). */
  notes?: ProjectNoteLine[];
}

/** One file of an import job. */
export interface ImportFileState {
  name: string;
  state: 'waiting' | 'reading' | 'storing' | 'done';
  /** Pages or chapters read so far, for long files. */
  progress?: ImportProgress;
  outcome?: ImportOutcome;
}

/** A background import: its files in order, each with its state and, when done, its outcome. */
export interface ImportJob {
  id: string;
  state: 'running' | 'done' | 'cancelled';
  files: ImportFileState[];
}

/** Response types, one per method. */
export interface Responses {
  'library.list': DocumentSummary[];
  'library.import': ImportOutcome[];
  'imports.start': ImportJob;
  'imports.status': ImportJob;
  'imports.cancel': ImportJob;
  'library.remove': { removed: boolean };
  'library.search': SearchHit[];
  'library.searchPage': SearchPage;
  'documents.rename': DocumentSummary;
  'documents.get': DocumentFull;
  'documents.blocks': DocumentFull & { from: number; total: number };
  'annotations.list': Annotation[];
  'annotations.create': Annotation;
  'annotations.update': Annotation;
  'annotations.delete': Annotation;
  'annotations.undelete': Annotation;
  'tags.list': Tag[];
  'tags.rename': { changed: number };
  'tags.recolor': Tag;
  'tags.merge': { changed: number };
  'tags.delete': TagDeletion;
  'tags.clearUnused': TagDeletion;
  'tags.undelete': { restored: number };
  'settings.get': Settings;
  'settings.set': Settings;
  'documents.saveEdit': { revisionId: number | null; counts: ReanchorCounts; annotations: Annotation[] };
  'documents.applyEdit': { revisionId: number | null; counts: ReanchorCounts; annotations: Annotation[]; textLength: number };
  'documents.updateFromFile': { changed: boolean; revisionId: number | null; counts: ReanchorCounts };
  'documents.revisions': RevisionInfo[];
  'documents.restoreRevision': { changed: boolean; revisionId: number | null; counts: ReanchorCounts };
  'annotations.reattach': Annotation;
  /** `content` is the text of the file; a binary format (qdpx) comes as `base64` with `content` empty. */
  'export.annotations': { fileName: string; mediaType: string; content: string; base64?: string; annotations: number };
  'export.importAnnotations': AnnotationImportSummary;
  'pairs.list': PairSummary[];
  'pairs.create': PairView;
  'pairs.get': PairView;
  'pairs.delete': { removed: boolean };
  'pairs.autoAlign': PairView;
  'pairs.link': PairView;
  'pairs.unlink': PairView;
  'pairs.merge': PairView;
  'pairs.confirm': PairView;
  'pairs.translate': { document: DocumentSummary; pair: PairView };
  'pairs.setBlockText': { block: Block; progress: TranslationProgress; delta: number; shifted: number; orphaned: number };
  'pairs.export': { fileName: string; mediaType: string; content: string };
  'pairs.importTranslation': TranslationImportReport;
  'pairs.addTargetBlock': PairView;
  'links.create': { link: AnnotationLink; a: Annotation; b: Annotation };
  'links.delete': { removed: boolean };
  'links.list': AnnotationLink[];
  'team.status': TeamStatusView;
  'team.share': TeamStatusView;
  'team.syncNow': TeamStatusView;
  'team.changes': TeamChanges;
}

/** Why the team connection is down, as the interface names it; `detail` is the technical sentence. */
export type TeamProblem = 'unreachable' | 'refused' | 'closed' | 'failed';

/** The library's team as the Team panel shows it. */
export interface TeamStatusView {
  joined: boolean;
  url?: string;
  member?: string;
  /** `off`: not in a team; `offline`: waiting to try again (see `problem`). */
  state: 'off' | 'connecting' | 'connected' | 'offline';
  problem?: { reason: TeamProblem; detail: string };
  lastSync?: string | null;
  /** Members connected now (awareness), this one included, sorted. */
  present: string[];
  texts: { textId: string; documentId: number | null; title: string | null }[];
  pairs: { pairUuid: string; pairId: number | null }[];
  /** Local changes the server has not acknowledged yet. */
  pending: number;
}

/** What the team changed in a document: its annotations when anything changed since `since`. */
export interface TeamChanges {
  version: number;
  annotations?: Annotation[];
  /** Annotations the team deleted since `since`. */
  removed?: string[];
}

/** What deleting tags did: how many tags went, how many annotations carried them, and the undo id. */
export interface TagDeletion {
  tags: number;
  annotations: number;
  undoId: number;
}

/** How many annotations stayed, moved, were placed fuzzily, or were detached by a text change. */
export type ReanchorCounts = ReanchorSummary;

/** An earlier text of a document, kept by an update or an edit. */
export interface RevisionInfo {
  id: number;
  documentId: number;
  created: string;
  reason: string;
  /** Length of the revision's canonical text, in characters (code points). */
  length: number;
  blockCount: number;
  contentHash: string;
  sourceName: string;
}

/** What importing a file of annotations did. */
export interface AnnotationImportSummary {
  file: string;
  /** What the file was read as: W3C Web Annotations (any tool's) or Hypothesis's API JSON. */
  format: 'w3c' | 'hypothesis';
  /** Annotations found in the file. */
  total: number;
  /** Placed on their exact words. */
  added: number;
  /** Added on a passage that only resembles the quote (an approximate match). */
  approximate: number;
  updated: number;
  /** Kept detached, with their quote: in their document when it was found, else (keepOrphans) in one of their own. */
  orphaned: number;
  skipped: number;
  /** The documents the annotations went to, and how each was recognised. */
  documents: { documentId: number; title: string; matchedBy: 'into' | 'id' | 'hash' | 'url' | 'name' | 'title' | 'quote' | 'holding'; annotations: number; note?: string }[];
  /** One line per annotation that needs a word (approximate, orphaned, skipped, copied) and per dropped tag, with the reason. */
  notes: {
    id: string;
    outcome: 'added' | 'updated' | 'approximate' | 'orphaned' | 'skipped' | 'warning';
    /** The English sentence, with its details (the command line prints it). */
    reason: string;
    /** The same for the interface: `transfer.notes.<code>` with `params`. */
    code: AnnotationNote;
    params: ErrorParams;
    documentId?: number;
  }[];
  /** Every annotation's outcome in file order: where it went and how it was placed. */
  annotations: {
    id: string;
    outcome: 'added' | 'updated' | 'approximate' | 'orphaned' | 'skipped';
    documentId?: number;
    start?: number;
    end?: number;
    how: string;
    /** Its exact words occur in several places that fit alike; it went to the first. */
    doubtful?: true;
  }[];
}

export type Response<M extends Method> = Responses[M];

/** The handler table's type: a missing or mistyped handler is a compile error. */
export type Handlers = { [M in Method]: (request: z.output<(typeof requests)[M]>) => Response<M> | Promise<Response<M>> };

/** What the renderer holds: one async function per method. Derived, never hand-kept. */
export type GlossApi = { [M in Method]: (request: Request<M>) => Promise<Response<M>> };


export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(requests, name);
}

export { GlossError, type ErrorCode, type ErrorParams, type Reply, type WireError } from './errors.js';

/** What Electron's preload puts on `window.gloss`: each method answers a `Reply`, never throws. */
export type GlossBridge = { [M in Method]: (request: Request<M>) => Promise<Reply<Response<M>>> };
