/**
 * Markdown export: a heading per document, then each annotation as a blockquote of its passage,
 * followed by its tags and note.
 *
 * Right-to-left text is kept in logical order (never reversed) and isolated with HTML that
 * Markdown allows inline: `<bdi dir="rtl">…</bdi>` around a right-to-left passage, and
 * `<bdi dir="ltr">…</bdi>` around a left-to-right passage inside a right-to-left document or
 * holding Hebrew itself. An isolate keeps a passage's punctuation and numbers on the right side
 * of it and keeps it from reordering the label around it ("Note:") in rendered Markdown. No
 * invisible direction controls (U+2066–U+2069) are written: they break copy, paste and search in
 * the tools the file goes to; the markup is visible and can be searched around.
 * Characters Markdown would take as markup are backslash-escaped so the text shows as written.
 */
import { formatPages, hasPages, pagesOf } from '../text/pages.js';
import type { Annotation, Direction } from '../model.js';
import { blockDirection } from '../text/direction.js';
import { documentDirection, type ExportMeta, type ExportSection } from './types.js';

export const LTR_OPEN = '<bdi dir="ltr">';
export const RTL_OPEN = '<bdi dir="rtl">';
export const CLOSE = '</bdi>';

const HAS_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** Wraps one line of text in the isolate its direction needs in a `context`-direction paragraph. */
export function isolate(text: string, context: Direction): string {
  if (!text) return text;
  const dir = blockDirection(text, context);
  if (dir === 'rtl') return RTL_OPEN + text + CLOSE;
  if (context === 'rtl' || HAS_RTL.test(text)) return LTR_OPEN + text + CLOSE;
  return text;
}

/** Escapes what Markdown (CommonMark, GFM) would read as markup in one line of text. */
export function escapeMarkdown(line: string): string {
  let s = line.replace(/[\\`*_[\]<>|~]/g, (c) => '\\' + c).replace(/&(?=#?\w+;)/g, '&amp;');
  // Constructs that count only at the start of a line: headings, list items, setext rules, code.
  s = s.replace(/^(\s*)([#+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  if (/^ {4,}/.test(s)) s = s.replace(/^ +/, (sp) => '&#32;' + sp.slice(1));
  return s;
}

/** Text of several lines as one Markdown paragraph: each line escaped and isolated, hard breaks between. */
export function mdText(text: string, context: Direction): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => isolate(escapeMarkdown(line), context))
    .join('\\\n');
}

/** A passage as a blockquote: each line of it (a block of the document) its own quoted paragraph. */
export function mdQuote(text: string, context: Direction): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${isolate(escapeMarkdown(line), context)}` : '>'))
    .join('\n>\n');
}

export function mdAnnotation(a: Annotation, context: Direction, pages: readonly string[] = []): string {
  const lines = [mdQuote(a.exact, context), ''];
  const meta: string[] = [];
  if (a.tags.length) meta.push(`**Tags:** ${a.tags.map((t) => isolate(escapeMarkdown(t), context)).join(', ')}`);
  if (a.note) meta.push(`**Note:** ${mdText(a.note, context)}`);
  const status = a.status === 'orphaned' ? ' · *detached: the text no longer holds this passage*' : '';
  const cite = pages.length ? `${formatPages(pages)} · ` : '';
  const by = a.author ? ` · ${escapeMarkdown(a.author)}` : '';
  meta.push(`*${cite}${a.color} · ${a.created.slice(0, 10)}${a.modified !== a.created ? ` (edited ${a.modified.slice(0, 10)})` : ''}${by}*${status}`);
  // Each meta item its own paragraph, so that no label is pulled into the previous one's direction.
  lines.push(meta.join('\n\n'), '', '');
  return lines.join('\n');
}

export function* markdownDocument(sections: Iterable<ExportSection>, meta: ExportMeta): Generator<string, number> {
  yield `# ${escapeMarkdown(meta.label ?? 'Gloss annotations')}\n\n*Exported ${meta.generated}*\n\n`;
  let total = 0;
  for (const { document: doc, annotations } of sections) {
    const dir = documentDirection(doc);
    const paged = hasPages(doc.blocks);
    yield `## ${isolate(escapeMarkdown(doc.title.replace(/\s+/g, ' ').trim()), dir)}\n\n*${escapeMarkdown(doc.sourceName)} · ${doc.language} · sha256 ${doc.contentHash.slice(0, 12)}*\n\n`;
    let n = 0;
    for (const a of annotations()) {
      yield mdAnnotation(a, dir, paged ? pagesOf(doc.blocks, a.start, a.end) : []);
      n++;
    }
    if (n === 0) yield '*No annotations.*\n\n';
    total += n;
  }
  return total;
}
