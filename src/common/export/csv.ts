/**
 * CSV export (RFC 4180): CRLF line ends; a field is quoted when it holds `"`, `,`, CR or LF or
 * starts or ends with a space (which spreadsheets would trim), with `"` doubled inside. The file
 * starts with a UTF-8 BOM so that spreadsheets read the Hebrew as UTF-8.
 *
 * Columns: document (title), block index, page (the page labels the passage spans, `12` or
 * `12–13`, for paged sources), start, end (code points in the canonical text, like the W3C export),
 * quote, prefix, suffix, tags (joined by `; `), note, colour, created, modified, author; and, when
 * some exported annotation is linked to a passage in another text (`meta.links`), `link`: each
 * linked passage as `title [start-end]: quote` (code points in its own text), one per line. Files
 * without links keep the fourteen columns.
 *
 * Spreadsheets run a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula (CSV injection: `=HYPERLINK(...)` in a note becomes a live link). Such a text cell is
 * written with a leading apostrophe, as OWASP recommends; spreadsheets show the text without it.
 * Numeric columns are numbers and never get one.
 */
import type { Annotation } from '../model.js';
import { blockAt, canonicalText } from '../text/canonical.js';
import { hasPages, pagesOf } from '../text/pages.js';
import { CodePointIndex } from './code-points.js';
import type { ExportDocument, ExportMeta, ExportSection, LinkedPassage } from './types.js';

export const CSV_BOM = '\uFEFF';
export const CSV_COLUMNS = ['document', 'block index', 'page', 'start', 'end', 'quote', 'prefix', 'suffix', 'tags', 'note', 'colour', 'created', 'modified', 'author'] as const;
export const CSV_TAG_SEPARATOR = '; ';
export const CSV_LINK_COLUMN = 'link';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** What makes a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet: a formula-like start gets a leading apostrophe. */
export function safeCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, quoted when RFC 4180 (or a spreadsheet's trimming) needs it; text made formula-safe. */
export function csvField(value: string | number): string {
  const s = typeof value === 'number' ? String(value) : safeCell(value);
  if (NEEDS_QUOTES.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

export function csvHeader(links = false): string {
  return CSV_BOM + csvLine(links ? [...CSV_COLUMNS, CSV_LINK_COLUMN] : CSV_COLUMNS);
}

/** The `link` cell: each linked passage as `title [start-end]: quote`, one per line. */
export function csvLinkCell(passages: readonly LinkedPassage[]): string {
  return passages.map((p) => `${p.documentTitle} [${p.start}-${p.end}]: ${p.exact}`).join('\n');
}

/** One annotation's row. `index` is the document's code point index; `link` the link cell when the file has that column. */
export function csvRow(doc: ExportDocument, a: Annotation, index: CodePointIndex, link?: string, paged = false): string {
  const block = blockAt(doc.blocks, Math.min(a.start, index.length));
  const pages = paged ? pagesOf(doc.blocks, a.start, a.end) : [];
  const fields: (string | number)[] = [
    doc.title,
    block ? block.index : '',
    pages.length > 1 ? `${pages[0]}–${pages[pages.length - 1]}` : (pages[0] ?? ''),
    index.toCodePoints(a.start),
    index.toCodePoints(a.end),
    a.exact,
    a.prefix,
    a.suffix,
    a.tags.join(CSV_TAG_SEPARATOR),
    a.note,
    a.color,
    a.created,
    a.modified,
    a.author ?? '',
  ];
  if (link !== undefined) fields.push(link);
  return csvLine(fields);
}

export function* csvRows(sections: Iterable<ExportSection>, meta: Pick<ExportMeta, 'links'> = {}): Generator<string, number> {
  const withLinks = meta.links === true;
  yield csvHeader(withLinks);
  let total = 0;
  for (const { document: doc, annotations, links } of sections) {
    const index = new CodePointIndex(canonicalText(doc.blocks));
    const paged = hasPages(doc.blocks);
    for (const a of annotations()) {
      yield csvRow(doc, a, index, withLinks ? csvLinkCell(links?.get(a.id) ?? []) : undefined, paged);
      total++;
    }
  }
  return total;
}
