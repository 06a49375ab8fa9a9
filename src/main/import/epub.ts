/**
 * EPUB 2 and 3 to a document.
 *
 * The zip is opened with the bounded reader (`zip.ts`: a cap on entries and on uncompressed bytes,
 * so a zip bomb stops with a message naming the limit). `META-INF/container.xml` names the
 * package document; its metadata gives title, authors, date, language and publisher; its spine
 * gives the chapters, read in spine order. The items marked `linear="no"` (covers, notes and
 * answers that reading systems open out of the flow) keep their text but come after the main
 * flow, in their spine order. Spine items that are not XHTML/HTML (an SVG or image page) have no
 * text to give and are passed over; the navigation document is not text either, even when the
 * spine lists it.
 *
 * Each chapter goes through the HTML walk in XHTML mode: structure, notes (`epub:type`) and
 * direction (`dir`, `xml:lang` on html/body and below) as for any HTML, with the spine's
 * `page-progression-direction` (else a right-to-left `dc:language`) as the direction around it.
 * A chapter that does not open with a heading gets its table-of-contents label (nav document or
 * NCX) as one. Every block's `meta.part` is its chapter's path in the archive.
 *
 * A book whose `META-INF/encryption.xml` encrypts chapters is refused (DRM); encrypted fonts
 * alone (IDPF or Adobe font obfuscation) are not DRM.
 */
import type { DocumentMeta, Direction, ParsedDocument } from '../../common/model.js';
import { ImportError } from './errors.js';
import { htmlToBlocks } from './html.js';
import { isRtlLanguage } from './html/context.js';
import { containerRootfile, encryptedPaths, parsePackage, type ManifestItem, type PackageDocument } from './epub/package.js';
import { navLabels, ncxLabels } from './epub/toc.js';
import { finishDocument, type RawBlock } from './plain-text.js';
import { throwIfCancelled, type DocumentReader, type ReadOptions } from './reader.js';
import { openZip, type ZipArchive, type ZipLimits } from './zip.js';

const CONTAINER = 'META-INF/container.xml';
const ENCRYPTION = 'META-INF/encryption.xml';
const CONTENT_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/xml', 'text/xml', 'application/x-dtbook+xml']);

export const DRM_REASON =
  'is protected by DRM (META-INF/encryption.xml encrypts its chapters); Gloss imports DRM-free EPUBs only';

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const normalise = (s: string): string => s.replace(/\s+/gu, ' ').trim().toLowerCase();

/** Opens the archive; bytes that are no zip at all are "not an EPUB", not a damaged zip. */
function openBook(bytes: Uint8Array, name: string, limits: ZipLimits | undefined): ZipArchive {
  try {
    return openZip(bytes, name, limits);
  } catch (e) {
    if (e instanceof ImportError && e.reason === 'is not a zip archive') {
      throw new ImportError(name, 'is not an EPUB file (it is not a zip archive)', 'not-epub');
    }
    throw e;
  }
}

function readPackage(zip: ZipArchive, name: string): { pkg: PackageDocument; opfPath: string } {
  if (!zip.has(CONTAINER)) throw new ImportError(name, `is not an EPUB file (it has no ${CONTAINER})`, 'not-epub');
  const opfPath = containerRootfile(zip.text(CONTAINER));
  if (opfPath === undefined) throw new ImportError(name, `is a damaged EPUB: ${CONTAINER} names no package document`, 'damaged');
  if (!zip.has(opfPath)) throw new ImportError(name, `is a damaged EPUB: its package document ${opfPath} is missing`, 'damaged');
  return { pkg: parsePackage(zip.text(opfPath), opfPath), opfPath };
}

/** The chapter files in reading order: the linear spine, then the non-linear items. */
function chapters(pkg: PackageDocument): ManifestItem[] {
  const readable = pkg.spine.filter(({ item }) => CONTENT_TYPES.has(item.mediaType) && !item.properties.includes('nav'));
  const seen = new Set<string>();
  const ordered: ManifestItem[] = [];
  for (const linear of [true, false]) {
    for (const entry of readable) {
      if (entry.linear !== linear || seen.has(entry.item.path)) continue;
      seen.add(entry.item.path);
      ordered.push(entry.item);
    }
  }
  return ordered;
}

/** Chapter labels from the nav document (EPUB 3), else the NCX (EPUB 2); none when neither reads. */
function tableOfContents(zip: ZipArchive, pkg: PackageDocument): Map<string, string> {
  const nav = [...pkg.manifest.values()].find((item) => item.properties.includes('nav'));
  const ncx = (pkg.tocId !== undefined ? pkg.manifest.get(pkg.tocId) : undefined) ??
    [...pkg.manifest.values()].find((item) => item.mediaType === 'application/x-dtbncx+xml');
  try {
    if (nav !== undefined && zip.has(nav.path)) {
      const labels = navLabels(zip.text(nav.path), nav.path);
      if (labels.size > 0) return labels;
    }
    if (ncx !== undefined && zip.has(ncx.path)) return ncxLabels(zip.text(ncx.path), ncx.path);
  } catch (e) {
    // A damaged table of contents costs the labels only; a zip limit still stops the import.
    if (e instanceof ImportError && !/damaged/.test(e.reason)) throw e;
  }
  return new Map();
}

/** The direction around the chapters: the spine's page progression, else the book's language. */
function bookDirection(pkg: PackageDocument): Direction | undefined {
  if (pkg.pageProgression !== undefined) return pkg.pageProgression;
  return isRtlLanguage(pkg.metadata.language) ? 'rtl' : undefined;
}

/** A chapter's blocks, headed by its table-of-contents label when it does not open with a heading. */
function chapterBlocks(blocks: RawBlock[], label: string | undefined, around: Direction | undefined): RawBlock[] {
  if (label === undefined) return blocks;
  const first = blocks[0];
  if (first?.kind === 'heading') return blocks;
  if (blocks.slice(0, 3).some((b) => b.kind === 'heading' && normalise(b.text) === normalise(label))) return blocks;
  const heading: RawBlock = { kind: 'heading', depth: 0, text: label, meta: { level: 1 } };
  // The label is in the chapter's language: it takes the direction the chapter declares.
  const dir = first?.dir ?? around;
  if (dir) heading.dir = dir;
  return [heading, ...blocks];
}

export interface EpubOptions extends ReadOptions {
  /** Lower zip limits (tests). */
  zipLimits?: ZipLimits;
}

/** Reads an EPUB's bytes into a document. */
export async function parseEpub(bytes: Uint8Array, name: string, options: EpubOptions = {}): Promise<ParsedDocument> {
  const { onProgress, signal } = options;
  throwIfCancelled(signal, name);
  const zip = openBook(bytes, name, options.zipLimits);
  const { pkg, opfPath } = readPackage(zip, name);
  if (pkg.spine.length === 0) throw new ImportError(name, `is a damaged EPUB: the spine of ${opfPath} lists no chapters`, 'damaged');

  const parts = chapters(pkg);
  if (zip.has(ENCRYPTION)) {
    const encrypted = encryptedPaths(zip.text(ENCRYPTION));
    if (parts.some((p) => encrypted.has(p.path))) throw new ImportError(name, DRM_REASON, 'encrypted');
  }
  if (parts.length === 0) throw new ImportError(name, `has no text chapters: the spine of ${opfPath} lists only images or other media`, 'no-text');

  const labels = tableOfContents(zip, pkg);
  const around = bookDirection(pkg);
  const blocks: RawBlock[] = [];
  onProgress?.({ done: 0, total: parts.length, unit: 'chapter' });
  for (const [i, part] of parts.entries()) {
    if (!zip.has(part.path)) throw new ImportError(name, `is a damaged EPUB: its chapter ${part.path} is missing`, 'damaged');
    const html = zip.text(part.path);
    const { blocks: own } = htmlToBlocks(html, { file: name, xhtml: true, dir: around, counted: blocks.length });
    for (const b of chapterBlocks(own, labels.get(part.path), around)) {
      b.meta = { ...b.meta, part: part.path };
      blocks.push(b);
    }
    onProgress?.({ done: i + 1, total: parts.length, unit: 'chapter' });
    // Lets a cancel (a message to the worker) arrive between chapters.
    await yieldToEvents();
    throwIfCancelled(signal, name);
  }
  if (!blocks.some((b) => b.text.trim() !== '')) throw new ImportError(name, 'has no text in its chapters (only images?)', 'no-text');

  const m = pkg.metadata;
  const firstHeading = blocks.find((b) => b.kind === 'heading')?.text;
  const doc = finishDocument(name, blocks, m.title ?? firstHeading);
  const meta: DocumentMeta = { sourceKind: 'epub', chapterCount: parts.length };
  if (m.creators.length > 0) meta.author = m.creators.join(', ');
  if (m.date !== undefined) meta.date = m.date;
  if (m.publisher !== undefined) meta.publisher = m.publisher;
  if (m.language !== undefined) meta.sourceLanguage = m.language;
  return { ...doc, meta };
}

/** The reader the import pipeline runs for `.epub` files. */
export const readEpub: DocumentReader = (bytes, name, options) => parseEpub(bytes, name, options);
