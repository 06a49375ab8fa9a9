/**
 * Which reader reads which format. The readers of PDF, EPUB and Word land one by one; a format
 * whose reader is not here yet says so instead of importing garbage.
 */
import { ImportError } from './errors.js';
import type { DocumentReader } from './reader.js';
import { readDocx } from './docx.js';
import { readEpub } from './epub.js';
import { readPdf } from './pdf/read-pdf.js';
export { parseHtmlFile } from './web-page.js';

const readers: Partial<Record<'pdf' | 'epub' | 'docx', DocumentReader>> = { docx: readDocx, epub: readEpub, pdf: readPdf };

export function binaryReader(format: 'pdf' | 'epub' | 'docx'): DocumentReader {
  const read = readers[format];
  if (read) return read;
  return async (_bytes, name) => {
    throw new ImportError(name, `is a ${format.toUpperCase()} file, which this build of Gloss cannot read yet`);
  };
}
