/**
 * Where a .docx keeps its parts. The package relationships (`_rels/.rels`) name the main document
 * and the core properties; the document's relationships name its styles, numbering, notes and
 * comments. Word always uses the usual paths, but other producers need not, so the relationships
 * are followed, with the usual paths as the fallback when they are missing.
 */
import { ImportError } from '../errors.js';
import { type ZipArchive, normaliseZipPath } from '../zip.js';
import { DEFAULT_NOTE_FORMATS, type NoteFormats } from './blocks.js';
import { textOf, walkXml } from './xml.js';

export interface DocxParts {
  document: string;
  styles: string;
  numbering: string;
  footnotes: string;
  endnotes: string;
  comments: string;
  commentsExtended: string;
  settings: string;
  core: string;
}

const DEFAULTS: DocxParts = {
  document: 'word/document.xml',
  styles: 'word/styles.xml',
  numbering: 'word/numbering.xml',
  footnotes: 'word/footnotes.xml',
  endnotes: 'word/endnotes.xml',
  comments: 'word/comments.xml',
  commentsExtended: 'word/commentsExtended.xml',
  settings: 'word/settings.xml',
  core: 'docProps/core.xml',
};

/** Relationship types by their last path segment (the transitional and strict URIs share it). */
const TYPES: Record<string, keyof DocxParts> = {
  officeDocument: 'document',
  styles: 'styles',
  numbering: 'numbering',
  footnotes: 'footnotes',
  endnotes: 'endnotes',
  comments: 'comments',
  commentsExtended: 'commentsExtended',
  settings: 'settings',
  'core-properties': 'core',
};

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

/** Reads a relationships part: part name → target path, resolved against `base` (the source part's folder). */
function readRelationships(zip: ZipArchive, file: string, part: string, base: string): Map<keyof DocxParts, string> {
  const found = new Map<keyof DocxParts, string>();
  if (!zip.has(part)) return found;
  walkXml(zip.text(part), file, part, {
    open(name, a) {
      if (name !== 'rel:Relationship' || a.TargetMode === 'External') return;
      const type = (a.Type ?? '').split('/').pop() ?? '';
      const key = TYPES[type];
      const target = a.Target;
      if (key === undefined || target === undefined || found.has(key)) return;
      const path = normaliseZipPath(target.startsWith('/') ? target : base + target);
      if (path !== null && path !== '') found.set(key, path);
    },
    close() {},
    text() {},
  });
  return found;
}

/** The parts of a .docx. Throws ImportError when there is no main document. */
export function findParts(zip: ZipArchive, file: string): DocxParts {
  const parts: DocxParts = { ...DEFAULTS };
  const root = readRelationships(zip, file, '_rels/.rels', '');
  const main = root.get('document');
  if (main !== undefined && zip.has(main)) parts.document = main;
  else if (!zip.has(parts.document)) {
    if (zip.has('mimetype') && /opendocument\.text/.test(zip.text('mimetype'))) {
      throw new ImportError(file, 'is an OpenDocument text (.odt), not a Word document; save it as .docx to import it', 'odt');
    }
    throw new ImportError(file, 'is not a Word document (no word/document.xml)', 'not-docx');
  }
  const core = root.get('core');
  if (core !== undefined) parts.core = core;
  const folder = dirname(parts.document);
  const own = readRelationships(zip, file, `${folder}_rels/${parts.document.slice(folder.length)}.rels`, folder);
  for (const [key, path] of own) if (key !== 'document' && key !== 'core') parts[key] = path;
  // Without relationships the parts are looked for beside the document.
  if (own.size === 0 && folder !== 'word/') {
    for (const key of ['styles', 'numbering', 'footnotes', 'endnotes', 'comments', 'commentsExtended', 'settings'] as const) {
      parts[key] = folder + DEFAULTS[key].slice('word/'.length);
    }
  }
  return parts;
}

/** A part's text, or null when the archive does not have it. */
export function optionalPart(zip: ZipArchive, path: string): string | null {
  return zip.has(path) ? zip.text(path) : null;
}

export interface CoreProperties {
  title?: string;
  author?: string;
  date?: string;
  language?: string;
}

/** Title, author, date and language from `docProps/core.xml` (Dublin Core). */
export function readCoreProperties(xml: string | null, file: string, part: string): CoreProperties {
  if (xml === null) return {};
  const found = textOf(xml, file, part, new Set(['dc:title', 'dc:creator', 'dcterms:created', 'dcterms:modified', 'dc:language']));
  const value = (key: string): string | undefined => {
    const v = found.get(key)?.replace(/\s+/g, ' ').trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const out: CoreProperties = {};
  const title = value('dc:title');
  const author = value('dc:creator');
  const date = value('dcterms:created') ?? value('dcterms:modified');
  const language = value('dc:language');
  if (title !== undefined) out.title = title;
  if (author !== undefined) out.author = author;
  if (date !== undefined) out.date = date;
  if (language !== undefined) out.language = language;
  return out;
}

/** How the document numbers its footnotes and endnotes (`w:footnotePr`/`w:endnotePr` in settings.xml). */
export function readNoteFormats(xml: string | null, file: string, part: string): NoteFormats {
  const formats: NoteFormats = { footnote: { ...DEFAULT_NOTE_FORMATS.footnote }, endnote: { ...DEFAULT_NOTE_FORMATS.endnote } };
  if (xml === null) return formats;
  const stack: string[] = [];
  walkXml(xml, file, part, {
    open(name, a) {
      const parent = stack[stack.length - 1];
      stack.push(name);
      const kind = parent === 'w:footnotePr' ? 'footnote' : parent === 'w:endnotePr' ? 'endnote' : null;
      if (kind === null || stack.length !== 3) return;
      const value = a['w:val'];
      if (name === 'w:numFmt' && value) formats[kind].format = value;
      if (name === 'w:numStart' && value) formats[kind].start = Number.parseInt(value, 10) || 1;
    },
    close: () => void stack.pop(),
    text() {},
  });
  return formats;
}
