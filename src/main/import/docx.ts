/**
 * Word (.docx) to a document, read from the WordprocessingML itself (see docx/ for each part).
 *
 * Kept: paragraphs, headings (levels from outline levels or heading styles), list items with the
 * marker Word shows and their nesting, quotes and code by style, tables (one `row` block a row,
 * cells joined by TAB; nested tables flattened into their cell), footnotes (a `note` block after
 * the block that references them) and endnotes (`note` blocks at the end), right-to-left
 * paragraphs (`w:bidi`), tracked insertions; and Word comments, as annotations on the text they
 * comment with their author and date (replies folded into the note). Left out: deleted text, field
 * codes, hidden text, headers and footers, pictures. Metadata: title, author and date from the
 * core properties. Bounds: the zip limits (zip.ts) and the XML limits (docx/xml.ts).
 */
import type { DocumentMeta } from '../../common/model.js';
import { bodyWalker } from './docx/body.js';
import { DocumentSink, type FlatEntry } from './docx/blocks.js';
import { commentAnnotations, readCommentParents } from './docx/comments.js';
import { FlatSink } from './docx/flat.js';
import { Numbering } from './docx/numbering.js';
import { findParts, optionalPart, readCoreProperties, readNoteFormats } from './docx/parts.js';
import { Styles } from './docx/styles.js';
import { walkXml } from './docx/xml.js';
import { ImportError } from './errors.js';
import { finishDocument } from './plain-text.js';
import { type DocumentReader, throwIfCancelled } from './reader.js';
import { type ZipArchive, openZip } from './zip.js';

/** The signature of an OLE compound file: an old .doc, or a .docx encrypted with a password. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function open(bytes: Uint8Array, name: string): ZipArchive {
  if (OLE.every((b, i) => bytes[i] === b)) {
    throw new ImportError(name, 'is an old Word .doc file (or an encrypted .docx); open it in Word or LibreOffice and save it as .docx', 'office-binary');
  }
  try {
    return openZip(bytes, name);
  } catch (e) {
    if (e instanceof ImportError && e.reason === 'is not a zip archive') {
      throw new ImportError(name, 'is not a Word .docx file (not a zip archive)', 'not-docx');
    }
    throw e;
  }
}

function readFlat(xml: string | null, name: string, part: string, styles: Styles, mode: 'note' | 'comment'): Map<string, FlatEntry> {
  if (xml === null) return new Map();
  const sink = new FlatSink(styles, mode);
  walkXml(xml, name, part, bodyWalker(sink));
  return sink.entries;
}

function stem(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.[^.]+$/, '') || base;
}

export const readDocx: DocumentReader = async (bytes, name, { onProgress, signal } = {}) => {
  throwIfCancelled(signal, name);
  const zip = open(bytes, name);
  const parts = findParts(zip, name);

  // Progress by part: the document is most of the work, but the others can be large too.
  const total = 5;
  let done = 0;
  const step = (): void => {
    throwIfCancelled(signal, name);
    onProgress?.({ done: ++done, total, unit: 'part' });
  };

  const styles = Styles.read(optionalPart(zip, parts.styles), name, parts.styles);
  const numbering = Numbering.read(optionalPart(zip, parts.numbering), name, styles, parts.numbering);
  step();
  const notes = {
    footnote: readFlat(optionalPart(zip, parts.footnotes), name, parts.footnotes, styles, 'note'),
    endnote: readFlat(optionalPart(zip, parts.endnotes), name, parts.endnotes, styles, 'note'),
  };
  step();
  const comments = readFlat(optionalPart(zip, parts.comments), name, parts.comments, styles, 'comment');
  const parents = readCommentParents(optionalPart(zip, parts.commentsExtended), name, parts.commentsExtended);
  step();
  const noteFormats = readNoteFormats(optionalPart(zip, parts.settings), name, parts.settings);
  const sink = new DocumentSink(styles, numbering, notes, noteFormats);
  walkXml(zip.text(parts.document), name, parts.document, bodyWalker(sink));
  const blocks = sink.end();
  step();

  const annotations = commentAnnotations(blocks, comments, parents);
  // The same blocks finishDocument keeps, so the annotations' offsets hold in its text.
  const kept = blocks.filter((b) => b.raw.text.trim() !== '').map((b) => b.raw);
  if (kept.length === 0) throw new ImportError(name, 'has no text (an empty document, or only pictures)', 'no-text');
  const core = readCoreProperties(optionalPart(zip, parts.core), name, parts.core);
  const heading = kept.find((b) => b.kind === 'heading')?.text;
  const doc = finishDocument(name, kept, core.title ?? heading ?? stem(name));
  step();

  const meta: DocumentMeta = { sourceKind: 'docx' };
  if (core.author !== undefined) meta.author = core.author;
  if (core.date !== undefined) meta.date = core.date;
  if (core.language !== undefined) meta.sourceLanguage = core.language;
  return { ...doc, meta, ...(annotations.length > 0 ? { annotations } : {}) };
};
