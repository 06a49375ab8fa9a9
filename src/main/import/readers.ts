/** Which reader reads which binary format; text formats are parsed in `index.ts`. */
import type { DocumentReader } from './reader.js';
import { readDocx } from './docx.js';
import { readEpub } from './epub.js';
import { readPdf } from './pdf/read-pdf.js';
export { parseHtmlFile } from './web-page.js';

const readers: Record<'pdf' | 'epub' | 'docx', DocumentReader> = { docx: readDocx, epub: readEpub, pdf: readPdf };

export function binaryReader(format: 'pdf' | 'epub' | 'docx'): DocumentReader {
  return readers[format];
}
