/**
 * CSV export (RFC 4180): CRLF line ends; a field is quoted when it holds `"`, `,`, CR or LF or
 * starts or ends with a space (which spreadsheets would trim), with `"` doubled inside. The file
 * starts with a UTF-8 BOM so that spreadsheets read the Hebrew as UTF-8.
 *
 * Columns: document (title), block index, start, end (code points in the canonical text, like the
 * W3C export), quote, prefix, suffix, tags (joined by `; `), note, colour, created, modified; and,
 * when some exported annotation is linked to a passage in another text (`meta.links`), `link`: each
 * linked passage as `title [start-end]: quote` (code points in its own text), one per line. Files
 * without links keep the twelve columns.
 * Cell text is written as it is: nothing is added in front of a note that begins with `=`, so that
 * the file reads back unchanged (a spreadsheet asked to open it may treat such a cell as a formula).
 */
import type { Annotation } from '../model.js';
import { blockAt, canonicalText } from '../text/canonical.js';
import { CodePointIndex } from './code-points.js';
import type { ExportDocument, ExportMeta, ExportSection, LinkedPassage } from './types.js';

export const CSV_BOM = '\uFEFF';
export const CSV_COLUMNS = ['document', 'block index', 'start', 'end', 'quote', 'prefix', 'suffix', 'tags', 'note', 'colour', 'created', 'modified'] as const;
export const CSV_TAG_SEPARATOR = '; ';
export const CSV_LINK_COLUMN = 'link';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field, quoted when RFC 4180 (or a spreadsheet's trimming) needs it. */
export function csvField(value: string | number): string {
  const s = String(value);
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
export function csvRow(doc: ExportDocument, a: Annotation, index: CodePointIndex, link?: string): string {
  const block = blockAt(doc.blocks, Math.min(a.start, index.length));
  const fields: (string | number)[] = [
    doc.title,
    block ? block.index : '',
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
    for (const a of annotations()) {
      yield csvRow(doc, a, index, withLinks ? csvLinkCell(links?.get(a.id) ?? []) : undefined);
      total++;
    }
  }
  return total;
}
