/**
 * Which reader reads which format. The readers of PDF, EPUB and Word land one by one; a format
 * whose reader is not here yet says so instead of importing garbage.
 */
import type { ParsedDocument } from '../../common/model.js';
import { ImportError } from './errors.js';
import { parseHtml } from './html.js';
import type { DocumentReader } from './reader.js';
import { readDocx } from './docx.js';

const readers: Partial<Record<'pdf' | 'epub' | 'docx', DocumentReader>> = { docx: readDocx };

export function binaryReader(format: 'pdf' | 'epub' | 'docx'): DocumentReader {
  const read = readers[format];
  if (read) return read;
  return async (_bytes, name) => {
    throw new ImportError(name, `is a ${format.toUpperCase()} file, which this build of Gloss cannot read yet`);
  };
}

/** An HTML file: a saved web page goes through the article extractor, a fragment as it is. */
export function parseHtmlFile(html: string, name: string): ParsedDocument {
  const doc = parseHtml(html, name);
  return { ...doc, meta: { sourceKind: 'html', ...doc.meta } };
}
