/**
 * The HTML report: one self-contained file (inline CSS, no script, no external request; a
 * Content-Security-Policy of `default-src 'none'` makes sure of it) showing each document with its
 * highlights in place, each block in its own direction, then the list of its annotations with their
 * tags and notes. A print stylesheet keeps the highlight colours and adds an underline, so they
 * survive a printer set to drop backgrounds.
 *
 * Highlights are `<mark>` elements around segments of a block's text, cut by the segmenter the
 * desk uses (which also isolates opposite-direction runs in `<bdi>`): where annotations overlap,
 * the text is split at every boundary and each segment is marked once (with the colour of the
 * innermost annotation and a darker underline for the overlap). Nothing visible is inserted inside
 * the text; each mark's `title` names its annotations. The annotations are read twice (highlights,
 * then the list), as a sweep in text order that keeps only those still open at the current block.
 *
 * Every value from the library is untrusted here (a library can hold what an older Gloss or a
 * hand-made import stored): text goes through `escapeHtml`, colours through the palette
 * (`colorClass`, never the stored string), directions and languages through fixed lists, numbers
 * through `Number`. Nothing from the library is ever written raw into markup.
 */
import { formatPages, pagesOf } from '../text/pages.js';
import type { Annotation, Block, Direction } from '../model.js';
import { blockAt } from '../text/canonical.js';
import { blockDirection } from '../text/direction.js';
import { clipToBlock } from '../text/positions.js';
import { segmentBlock } from '../text/segments.js';
import { COLORS } from '../model.js';
import { colorClass, HIGHLIGHT_CSS, paletteColor } from './palette.js';
import { documentDirection, type ExportDocument, type ExportMeta, type ExportSection } from './types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute. Takes anything (a damaged row may hold a number or null). */
export function escapeHtml(s: string): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const colorRules = COLORS.map((c) => `.${colorClass(c)}{background-color:${HIGHLIGHT_CSS[c]}}`).join('\n');

export const REPORT_CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#5f6368;--rule:#d9d9d9}
*{box-sizing:border-box}
body{margin:0 auto;max-width:48rem;padding:2rem 1.25rem 4rem;font:17px/1.6 "Noto Serif Hebrew","Noto Serif","Frank Ruehl CLM","David CLM","Times New Roman",serif;color:var(--ink);background:#fff}
header.report{border-block-end:2px solid var(--ink);margin-block-end:2rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.35rem;margin:0 0 .25rem}
h3{font-size:1.1rem}
.meta{color:var(--muted);font:13px/1.5 system-ui,"Noto Sans Hebrew","Noto Sans",sans-serif;margin:.25rem 0}
article.doc{margin-block:0 3rem}
.text{border-block:1px solid var(--rule);padding-block:.5rem;margin-block:1rem}
.text p,.text h3,.text blockquote{white-space:pre-wrap;unicode-bidi:isolate;margin:.6rem 0}
.text blockquote{border-inline-start:3px solid var(--rule);padding-inline-start:.75rem;color:#333}
.text blockquote.d2{margin-inline-start:1.5rem}.text blockquote.d3{margin-inline-start:3rem}.text blockquote.d4{margin-inline-start:4.5rem}
mark{color:inherit;border-radius:2px;padding:0;-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.ov{box-shadow:inset 0 -.2em 0 rgba(0,0,0,.28)}
${colorRules}
ol.annotations{padding-inline-start:1.75rem}
ol.annotations>li{margin-block:0 1rem;padding-block-end:.75rem;border-block-end:1px solid var(--rule)}
.passage{margin:0;white-space:pre-wrap;unicode-bidi:isolate}
.tags{margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem}
.tag{font:13px/1.4 system-ui,"Noto Sans Hebrew","Noto Sans",sans-serif;border:1px solid #9aa0a6;border-radius:999px;padding:0 .55rem;unicode-bidi:isolate}
.note{margin:.3rem 0;white-space:pre-wrap;unicode-bidi:isolate;font-family:system-ui,"Noto Sans Hebrew","Noto Sans",sans-serif;font-size:15px}
.orphan{color:#a50e0e}
footer.report{color:var(--muted);font-size:13px}
@media print{
  @page{margin:18mm 16mm}
  body{max-width:none;padding:0;font-size:11pt;line-height:1.45}
  mark,.tag,[class*="gloss-"]{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  mark{border-block-end:1.5pt solid rgba(0,0,0,.55)}
  article.doc+article.doc{break-before:page}
  h1,h2,h3{break-after:avoid}
  .text p,.text blockquote{orphans:3;widows:3}
  ol.annotations>li{break-inside:avoid}
  a{color:inherit;text-decoration:none}
}`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A `dir` value for markup: one of three words, whatever the library holds. */
function safeDir(dir: unknown): Direction | 'auto' {
  return dir === 'rtl' || dir === 'ltr' ? dir : 'auto';
}

/** A number for markup (a block depth, a count): digits only. */
function safeInt(n: unknown, fallback = 0): number {
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : fallback;
}

function dirAttr(text: string, fallback: Direction): string {
  return safeDir(blockDirection(text, fallback));
}

/** Short text for a mark's tooltip. */
function summary(a: Annotation, n: number): string {
  const parts = [`#${n}`];
  if (a.tags.length) parts.push(a.tags.join(', '));
  if (a.note) parts.push(a.note.length > 120 ? a.note.slice(0, 119) + '…' : a.note);
  return parts.join(' — ');
}

interface Open {
  a: Annotation;
  n: number;
}

/**
 * A block's text with its highlights (`open` are the annotations covering some of it), cut by the
 * shared segmenter (`text/segments.ts`, as the desk draws a block): opposite-direction runs are
 * `<bdi>` isolates (`S-300` in a Hebrew paragraph stays `S-300`), and a highlight across a run's
 * edge is split there rather than the isolate.
 */
export function markBlock(block: Block, open: readonly Open[]): string {
  const text = String(block.text ?? '');
  const spans = clipToBlock({ start: block.start, text }, open.map((o) => ({ from: o.a.start, to: o.a.end, layer: 0, o })));
  const dir = safeDir(block.dir);
  let html = '';
  for (const run of segmentBlock(text, dir === 'auto' ? blockDirection(text, 'ltr') : dir, spans)) {
    let inner = '';
    for (const p of run.pieces) {
      const piece = escapeHtml(text.slice(p.from, p.to));
      if (p.highlights.length === 0) {
        inner += piece;
        continue;
      }
      const covering = p.highlights.map((h) => h.o);
      // The innermost (latest starting, then shortest) annotation gives the colour.
      const top = covering.reduce((x, y) => (y.a.start > x.a.start || (y.a.start === x.a.start && y.a.end < x.a.end) ? y : x));
      const cls = colorClass(top.a.color) + (covering.length > 1 ? ' ov' : '');
      inner += `<mark class="${cls}" title="${escapeHtml(covering.map((o) => summary(o.a, o.n)).join('\n'))}">${piece}</mark>`;
    }
    html += run.dir ? `<bdi dir="${run.dir}">${inner}</bdi>` : inner;
  }
  return html;
}

function blockHtml(block: Block, open: readonly Open[]): string {
  const inner = markBlock(block, open);
  const dir = safeDir(block.dir);
  if (block.kind === 'heading') return `<h3 dir="${dir}">${inner}</h3>\n`;
  if (block.kind === 'quote') return `<blockquote dir="${dir}" class="d${Math.min(Math.max(safeInt(block.depth, 1), 1), 4)}">${inner}</blockquote>\n`;
  return `<p dir="${dir}">${inner}</p>\n`;
}

/** The document's blocks with their highlights, sweeping over its annotations in text order. */
export function* documentText(doc: ExportDocument, annotations: Iterable<Annotation>): Generator<string> {
  const it = annotations[Symbol.iterator]();
  let next = it.next();
  let n = 0;
  let open: Open[] = [];
  yield '<section class="text">\n';
  for (const block of doc.blocks) {
    const be = block.start + block.text.length;
    while (!next.done && next.value.start <= be) {
      n++;
      const a = next.value;
      if (a.status === 'anchored' && a.end > a.start) open.push({ a, n });
      next = it.next();
    }
    open = open.filter((o) => o.a.end > block.start);
    yield blockHtml(block, open);
  }
  // Read to the end so that the iterator can release what it holds.
  while (!next.done) next = it.next();
  yield '</section>\n';
}

/** English interface text inside a document of either direction: aligned with it, read left to right. */
function label(text: string): string {
  return `<bdi dir="ltr" lang="en">${text}</bdi>`;
}

function annotationItem(a: Annotation, n: number, doc: ExportDocument, context: Direction): string {
  const block = blockAt(doc.blocks, a.start);
  // The passage reads in the direction of the block it comes from ("S-300" in a Hebrew paragraph).
  const passageDir = block && a.status === 'anchored' ? safeDir(block.dir) : dirAttr(a.exact, context);
  const lines: string[] = [`<li id="a-${escapeHtml(String(a.id))}" value="${safeInt(n, 1)}">`];
  lines.push(`<p class="passage" dir="${passageDir}"><mark class="${colorClass(a.color)}">${escapeHtml(a.exact)}</mark></p>`);
  if (a.tags.length) {
    lines.push(`<p class="tags">${a.tags.map((t) => `<span class="tag" dir="${dirAttr(t, context)}">${escapeHtml(t)}</span>`).join('')}</p>`);
  }
  if (a.note) {
    const dir = dirAttr(a.note, context);
    lines.push(`<p class="note" dir="${dir}" lang="${dir === 'rtl' ? 'he' : 'en'}">${escapeHtml(a.note)}</p>`);
  }
  const meta = [formatPages(pagesOf(doc.blocks, a.start, a.end)), paletteColor(a.color), block ? `block ${block.index}` : '', `created ${String(a.created).slice(0, 16).replace('T', ' ')}`];
  if (a.modified !== a.created) meta.push(`edited ${String(a.modified).slice(0, 16).replace('T', ' ')}`);
  if (a.author) meta.push(`by ${a.author}`);
  const orphan = a.status === 'orphaned' ? ' · <span class="orphan">detached: the text no longer holds this passage</span>' : '';
  lines.push(`<p class="meta">${label(escapeHtml(meta.filter(Boolean).join(' · ')) + orphan)}</p>`);
  lines.push('</li>\n');
  return lines.join('\n');
}

export function* documentSection(section: ExportSection): Generator<string, number> {
  const doc = section.document;
  const dir = documentDirection(doc);
  const lang = doc.language === 'he' || doc.language === 'en' ? ` lang="${doc.language}"` : '';
  yield `<article class="doc"${lang} dir="${dir}">\n<h2 dir="${dirAttr(doc.title, dir)}">${escapeHtml(doc.title.replace(/\s+/g, ' ').trim())}</h2>\n`;
  yield `<p class="meta">${label(escapeHtml([doc.sourceName, doc.language, `${doc.blocks.length} blocks`, `sha256 ${doc.contentHash.slice(0, 16)}…`].join(' · ')))}</p>\n`;
  yield* documentText(doc, section.annotations());
  yield `<h3>${label(`Annotations${section.count !== undefined ? ` (${safeInt(section.count)})` : ''}`)}</h3>\n<ol class="annotations">\n`;
  let n = 0;
  for (const a of section.annotations()) {
    n++;
    yield annotationItem(a, n, doc, dir);
  }
  yield `</ol>\n${n === 0 ? `<p class="meta">${label('No annotations.')}</p>\n` : ''}</article>\n`;
  return n;
}

export function* htmlReport(sections: Iterable<ExportSection>, meta: ExportMeta): Generator<string, number> {
  const title = meta.label ?? 'Gloss annotations';
  yield `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(meta.version ? `Gloss ${meta.version}` : 'Gloss')}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}
</style>
</head>
<body>
<header class="report"><h1>${escapeHtml(title)}</h1><p class="meta">Exported ${escapeHtml(meta.generated)} by Gloss</p></header>
<main>
`;
  let total = 0;
  let docs = 0;
  for (const section of sections) {
    total += yield* documentSection(section);
    docs++;
  }
  yield `</main>\n<footer class="report"><p>${docs} document${docs === 1 ? '' : 's'}, ${total} annotation${total === 1 ? '' : 's'}.</p></footer>\n</body>\n</html>\n`;
  return total;
}
