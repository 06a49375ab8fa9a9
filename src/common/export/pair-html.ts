/**
 * A side-by-side HTML page of an aligned pair: one table row per alignment bead, the two texts in
 * two columns, every block in its own direction (`dir`) and each column in its language (`lang`).
 * As readers of bilingual texts expect, a right-to-left text stands on the right: when exactly one
 * of the two is right-to-left, the left-to-right text takes the left column whichever is the
 * source. Self-contained: inline CSS, no script, no request (a Content-Security-Policy of
 * `default-src 'none'` makes sure of it).
 */
import type { AlignmentBead } from '../align/beads.js';
import { languageCode } from '../pairs.js';
import { segmentBlock } from '../text/segments.js';
import { escapeHtml } from './html-report.js';
import type { PairDocument, PairExportInput } from './pair.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const PAIR_CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#5f6368;--rule:#d9d9d9}
*{box-sizing:border-box}
body{margin:0 auto;max-width:80rem;padding:2rem 1.25rem 4rem;font:17px/1.6 "Noto Serif Hebrew","Noto Serif","Frank Ruehl CLM","David CLM","Times New Roman",serif;color:var(--ink);background:#fff}
header.pair{border-block-end:2px solid var(--ink);margin-block-end:1.5rem}
h1{font-size:1.5rem;margin:0 0 .25rem}
.meta{color:var(--muted);font:13px/1.5 system-ui,"Noto Sans Hebrew","Noto Sans",sans-serif;margin:.25rem 0}
table.pair{width:100%;border-collapse:collapse;table-layout:fixed}
table.pair th,table.pair td{vertical-align:top;padding:.4rem .75rem;border-block-end:1px solid var(--rule);text-align:start}
table.pair th{font:600 14px/1.4 system-ui,"Noto Sans Hebrew","Noto Sans",sans-serif;unicode-bidi:isolate}
table.pair col.n{width:3.5rem}
td.n{color:var(--muted);font:12px/1.8 system-ui,sans-serif;text-align:center}
tr.confirmed td.n::after{content:" \\2713"}
td p,td blockquote,td .heading{margin:.2rem 0;white-space:pre-wrap;unicode-bidi:isolate}
td .heading{font-weight:700}
td blockquote{border-inline-start:3px solid var(--rule);padding-inline-start:.6rem;margin-inline:0}
td p.empty::before{content:"\\2014";color:var(--muted)}
td.none{background:#fafafa}
@media print{body{max-width:none;padding:0;font-size:11pt}tr{break-inside:avoid}}`;

function blockHtml(block: PairDocument['blocks'][number]): string {
  // Opposite-direction runs isolated, as the desk and the report draw them (`S-300` stays whole).
  const text = segmentBlock(block.text, block.dir === 'rtl' ? 'rtl' : 'ltr', [])
    .map((run) => (run.dir ? `<bdi dir="${run.dir}">${escapeHtml(block.text.slice(run.from, run.to))}</bdi>` : escapeHtml(block.text.slice(run.from, run.to))))
    .join('');
  if (block.text.length === 0) return `<p dir="${block.dir}" class="empty"></p>`;
  if (block.kind === 'heading') return `<p dir="${block.dir}" class="heading">${text}</p>`;
  if (block.kind === 'quote') return `<blockquote dir="${block.dir}">${text}</blockquote>`;
  return `<p dir="${block.dir}">${text}</p>`;
}

function cell(doc: PairDocument, indices: readonly number[], lang: string, dir: string): string {
  const blocks = indices.map((i) => doc.blocks[i]).filter((b) => b !== undefined);
  if (blocks.length === 0) return `<td lang="${lang}" dir="${dir}" class="none"></td>`;
  return `<td lang="${lang}" dir="${dir}">${blocks.map(blockHtml).join('')}</td>`;
}

export function pairHtml(input: PairExportInput): string {
  const { source, target, beads } = input;
  const sides = [
    { doc: source, lang: languageCode(source.language, source.blocks), pick: (b: AlignmentBead) => b.source },
    { doc: target, lang: languageCode(target.language, target.blocks), pick: (b: AlignmentBead) => b.target },
  ].map((s) => ({ ...s, dir: s.lang === 'he' ? 'rtl' : 'ltr' }));
  // The right-to-left text on the right.
  if (sides[0]!.dir === 'rtl' && sides[1]!.dir === 'ltr') sides.reverse();
  // Titles go in <bdi>, each in its own direction whatever its heading's or column's: in the
  // Hebrew column, "A Growing Russian-Israeli Alliance? (תרגום לעברית)" drew its question mark
  // before the "A", and a title's parentheses could face the wrong way.
  const title = `${source.title} — ${target.title}`;
  const confirmed = beads.filter((b) => b.confirmed).length;
  const rows = beads
    .map((b, k) => `<tr${b.confirmed ? ' class="confirmed"' : ''}><td class="n">${k}</td>${sides.map((s) => cell(s.doc, s.pick(b), s.lang, s.dir)).join('')}</tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Gloss${input.version ? ' ' + escapeHtml(input.version) : ''}">
<title>${escapeHtml(title)}</title>
<style>${PAIR_CSS}
</style>
</head>
<body>
<header class="pair">
<h1><bdi>${escapeHtml(source.title)}</bdi> — <bdi>${escapeHtml(target.title)}</bdi></h1>
<p class="meta">${beads.length} aligned segments, ${confirmed} confirmed. Exported ${escapeHtml(input.generated)}.</p>
</header>
<table class="pair">
<colgroup><col class="n">${sides.map(() => '<col>').join('')}</colgroup>
<thead><tr><th scope="col">#</th>${sides.map((s) => `<th scope="col" lang="${s.lang}" dir="${s.dir}"><bdi>${escapeHtml(s.doc.title)}</bdi></th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
