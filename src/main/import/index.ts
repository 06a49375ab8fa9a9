/**
 * The importers' front door: read a file from disk with checks a person can act on, pick the
 * reader by the file's extension and by its first bytes (a PDF named `.txt` is still a PDF), and
 * run it. Every reader turns bytes into the same block model (`ParsedDocument`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedDocument } from '../../common/model.js';
import { decodeText } from './decode.js';
import { ImportError } from './errors.js';
import { parseMarkdown } from './markdown.js';
import { parsePlainText } from './plain-text.js';
import type { ReadOptions } from './reader.js';
import { binaryReader, parseHtmlFile } from './readers.js';

export { ImportError } from './errors.js';

/** Text files (plain text, Markdown, HTML) are read whole into memory as text. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** PDF, EPUB and Word files: their text is a small part of their bytes. */
export const MAX_BINARY_IMPORT_BYTES = 100 * 1024 * 1024;

export type SourceFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'epub' | 'docx';

const BY_EXTENSION: Record<string, SourceFormat> = {
  '.md': 'markdown', '.markdown': 'markdown', '.mdown': 'markdown', '.mkd': 'markdown',
  '.html': 'html', '.htm': 'html', '.xhtml': 'html', '.shtml': 'html',
  '.pdf': 'pdf',
  '.epub': 'epub',
  '.docx': 'docx', '.docm': 'docx', '.dotx': 'docx',
};

/** The extensions the import dialog offers, in the order the README lists them. */
export const IMPORT_EXTENSIONS = ['.txt', '.text', '.md', '.markdown', '.html', '.htm', '.xhtml', '.pdf', '.epub', '.docx', '.qdpx'] as const;

const isBinary = (f: SourceFormat): f is 'pdf' | 'epub' | 'docx' => f === 'pdf' || f === 'epub' || f === 'docx';

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** `%PDF-` within the first KiB (some producers put junk before it, and pdf.js allows that). */
function looksLikePdf(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - 5, 1024);
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) return true;
  }
  return false;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stored `mimetype` entry that the EPUB container puts first. */
const EPUB_MIME = 'mimetypeapplication/epub+zip';

function sniffZip(bytes: Uint8Array): SourceFormat | undefined {
  // EPUB's OCF puts an uncompressed `mimetype` first, at a fixed place after the local header.
  const head = new TextDecoder('latin1').decode(bytes.subarray(30, 30 + EPUB_MIME.length));
  if (head === EPUB_MIME) return 'epub';
  const sample = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (sample.includes('word/')) return 'docx';
  if (sample.includes('META-INF/container.xml')) return 'epub';
  return undefined;
}

/**
 * The format of a file: its extension, unless its bytes say otherwise (a PDF or a Word file
 * mislabelled as text would otherwise come in as pages of garbage).
 */
export function formatOf(name: string, bytes: Uint8Array): SourceFormat {
  const byName = BY_EXTENSION[path.extname(name).toLowerCase()] ?? 'text';
  if (isBinary(byName)) return byName;
  if (looksLikePdf(bytes)) return 'pdf';
  if (startsWith(bytes, ZIP)) return sniffZip(bytes) ?? byName;
  if (startsWith(bytes, OLE)) {
    throw new ImportError(name, 'is a Microsoft Office binary file (.doc, .xls or an encrypted Office file); open it in Word or LibreOffice and save it as .docx', 'office-binary');
  }
  return byName;
}

function tooLarge(size: number, limit: number): string {
  const mb = Math.ceil((size / (1024 * 1024)) * 10) / 10;
  return `is larger than the ${limit / (1024 * 1024)} MB limit (${mb.toFixed(1)} MB)`;
}

/** The size limit for a file of this name (binary formats are allowed more). */
export function sizeLimitFor(name: string): number {
  const ext = path.extname(name).toLowerCase();
  return ext === '.qdpx' || isBinary(BY_EXTENSION[ext] ?? 'text') ? MAX_BINARY_IMPORT_BYTES : MAX_IMPORT_BYTES;
}

/** Decodes and parses a text file's bytes (plain text, Markdown, HTML) synchronously. */
export function parseBytes(name: string, bytes: Uint8Array): ParsedDocument & { encoding: string } {
  if (bytes.length === 0) throw new ImportError(name, 'the file is empty', 'empty');
  const format = formatOf(name, bytes);
  if (isBinary(format)) throw new ImportError(name, `is a ${format.toUpperCase()} file, which is read by the asynchronous importer`, 'unreadable');
  if (bytes.length > MAX_IMPORT_BYTES) throw new ImportError(name, tooLarge(bytes.length, MAX_IMPORT_BYTES), 'too-large');
  const { text, encoding } = decodeText(bytes, name);
  const doc = format === 'markdown' ? withKind(parseMarkdown(text, name), 'markdown') : format === 'html' ? parseHtmlFile(text, name) : withKind(parsePlainText(text, name), 'text');
  return { ...doc, encoding };
}

function withKind(doc: ParsedDocument, sourceKind: 'text' | 'markdown'): ParsedDocument {
  return { ...doc, meta: { sourceKind, ...doc.meta } };
}

/** Parses any supported file: the text formats in place, PDF, EPUB and Word through their readers. */
export async function parseDocument(name: string, bytes: Uint8Array, options: ReadOptions = {}): Promise<ParsedDocument> {
  if (bytes.length === 0) throw new ImportError(name, 'the file is empty', 'empty');
  const format = formatOf(name, bytes);
  if (!isBinary(format)) return parseBytes(name, bytes);
  if (bytes.length > MAX_BINARY_IMPORT_BYTES) throw new ImportError(name, tooLarge(bytes.length, MAX_BINARY_IMPORT_BYTES), 'too-large');
  const read = binaryReader(format);
  return read(bytes, name, options);
}

/** Reads a file to import. Throws ImportError naming the file for a missing path, a directory, an empty or an oversized file. */
export function readImportFile(file: string): { name: string; bytes: Uint8Array } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new ImportError(file, reasonFor(e));
  }
  if (stat.isDirectory()) throw new ImportError(file, 'is a directory, not a file');
  if (!stat.isFile()) throw new ImportError(file, 'is not a regular file');
  const limit = sizeLimitFor(file);
  if (stat.size > limit) throw new ImportError(file, tooLarge(stat.size, limit), 'too-large');
  if (stat.size === 0) throw new ImportError(file, 'the file is empty', 'empty');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ImportError(file, reasonFor(e));
  }
  // The file may have changed between stat and read.
  if (bytes.length > limit) throw new ImportError(file, tooLarge(bytes.length, limit), 'too-large');
  if (bytes.length === 0) throw new ImportError(file, 'the file is empty', 'empty');
  return { name: path.basename(file), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function reasonFor(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a folder)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return e instanceof Error ? `cannot be read (${e.message})` : 'cannot be read';
  }
}
