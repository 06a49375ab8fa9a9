/** A PDF's document information: title, author, date, language. */
import type { DocumentMeta } from '../../../common/model.js';
import type { PdfDocument, PdfJs } from './pdfjs.js';

/** Titles that tools write when nobody gave one. */
const JUNK_TITLE = /^(?:about:blank|untitled(?:\s*\d*)?|unknown|none|document\d*|microsoft (?:word|powerpoint|excel) - .*|.*\.(?:docx?|pdf|tex|dvi|indd|qxd|rtf|odt|txt|html?|ps))$/iu;

export interface PdfInfo {
  title?: string;
  meta: DocumentMeta;
  /** The program that wrote the PDF (its Producer, else its Creator). */
  producer?: string;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.replace(/\s+/gu, ' ').trim();
  return t === '' ? undefined : t;
}

/** Reads the info dictionary (and the XMP title when the dictionary has none); never throws. */
export async function readInfo(pdfjs: PdfJs, doc: PdfDocument): Promise<PdfInfo> {
  const meta: DocumentMeta = { sourceKind: 'pdf', pageCount: doc.numPages };
  let info: Record<string, unknown> = {};
  let xmpTitle: string | undefined;
  try {
    const data = await doc.getMetadata();
    info = (data.info ?? {}) as Record<string, unknown>;
    xmpTitle = text(data.metadata?.get('dc:title'));
  } catch {
    return { meta };
  }
  const author = text(info.Author);
  if (author) meta.author = author;
  const date = isoDate(pdfjs, info.CreationDate) ?? isoDate(pdfjs, info.ModDate);
  if (date) meta.date = date;
  const language = text(info.Language);
  if (language) meta.sourceLanguage = language;
  const title = [text(info.Title), xmpTitle].find((t) => t !== undefined && !JUNK_TITLE.test(t));
  const producer = [text(info.Producer), text(info.Creator)].filter(Boolean).join(' ');
  const out: PdfInfo = { meta };
  if (title) out.title = title;
  if (producer) out.producer = producer;
  return out;
}

/** A PDF date ("D:20240102153000+02'00'") as ISO 8601, or undefined. */
function isoDate(pdfjs: PdfJs, value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    const d = pdfjs.PDFDateString.toDateObject(value);
    return d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
  } catch {
    return undefined;
  }
}
