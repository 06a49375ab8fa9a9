/**
 * The importers' front door: read a file from disk with checks a person can act on, decode its
 * bytes and pick the parser by extension (.md/.markdown Markdown, .html/.htm HTML, else text).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedDocument } from '../../common/model.js';
import { decodeText } from './decode.js';
import { ImportError } from './errors.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parsePlainText } from './plain-text.js';

export { ImportError } from './errors.js';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const MARKDOWN = new Set(['.md', '.markdown', '.mdown', '.mkd']);
const HTML = new Set(['.html', '.htm', '.xhtml']);

function tooLarge(size: number): string {
  const mb = Math.ceil((size / (1024 * 1024)) * 10) / 10;
  return `is larger than the ${MAX_IMPORT_BYTES / (1024 * 1024)} MB limit (${mb.toFixed(1)} MB)`;
}

/** Decodes and parses one file's bytes; `name` (a file name or path) picks the parser and names the file in errors. */
export function parseBytes(name: string, bytes: Uint8Array): ParsedDocument & { encoding: string } {
  if (bytes.length === 0) throw new ImportError(name, 'the file is empty');
  if (bytes.length > MAX_IMPORT_BYTES) throw new ImportError(name, tooLarge(bytes.length));
  const { text, encoding } = decodeText(bytes, name);
  const ext = path.extname(name).toLowerCase();
  const doc = MARKDOWN.has(ext) ? parseMarkdown(text, name) : HTML.has(ext) ? parseHtml(text, name) : parsePlainText(text, name);
  return { ...doc, encoding };
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
  if (stat.size > MAX_IMPORT_BYTES) throw new ImportError(file, tooLarge(stat.size));
  if (stat.size === 0) throw new ImportError(file, 'the file is empty');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ImportError(file, reasonFor(e));
  }
  // The file may have changed between stat and read.
  if (bytes.length > MAX_IMPORT_BYTES) throw new ImportError(file, tooLarge(bytes.length));
  if (bytes.length === 0) throw new ImportError(file, 'the file is empty');
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
