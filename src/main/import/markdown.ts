/**
 * Markdown to a document. marked's lexer and parser turn the source into HTML, and the HTML
 * importer's walk turns that into blocks. Going through HTML means one sanitiser for everything:
 * raw HTML written inside the Markdown (a `<script>` left open across a blank line included) is
 * handled by the same code as an HTML file, and inline markup (`**`, `_`, links) is reduced to its
 * text the same way. So Markdown gets what HTML gets: headings, quotes with their nesting, list
 * items with their markers and depth, GFM tables as rows, fenced and indented code as code lines.
 *
 * marked has no footnotes; the GFM/pandoc footnote syntax is added here: a definition
 * `[^label]: text` (continued by indented lines) becomes a note labelled `label` where it is
 * written, and a reference `[^label]` to a defined note becomes its label, as a superscript shows
 * it. A reference with no definition stays as it was written, as on GitHub.
 */
import { Marked, type Tokens } from 'marked';
import type { ParsedDocument } from '../../common/model.js';
import { ImportError } from './errors.js';
import { htmlToBlocks } from './html.js';
import { finishDocument } from './plain-text.js';

/** Labels defined in the source being parsed (the inline pass runs after every block is read). */
let defined = new Set<string>();

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const DEFINITION = /^\[\^([^\]\s]{1,40})\]:[ \t]?/;

/** The lines of a footnote definition: its first, lazy continuations, and indented blocks after blank lines. */
function definitionLength(lines: readonly string[]): number {
  let end = 1;
  let i = 1;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      let j = i;
      while (j < lines.length && (lines[j] as string).trim() === '') j++;
      if (j < lines.length && /^(?: {4}|\t)/.test(lines[j] as string)) {
        i = j;
        continue;
      }
      break;
    }
    if (DEFINITION.test(line)) break;
    // An indented line belongs to the note; an unindented one only continues its paragraph (lazily).
    if (!/^(?: {4}|\t)/.test(line) && (lines[i - 1] as string).trim() === '') break;
    end = i + 1;
    i++;
  }
  return end;
}

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  extensions: [
    {
      name: 'footnoteDefinition',
      level: 'block',
      start: (src: string) => src.match(/^\[\^[^\]\s]{1,40}\]:/m)?.index,
      tokenizer(src: string) {
        const head = DEFINITION.exec(src);
        if (!head) return undefined;
        const lines = src.split('\n');
        const count = definitionLength(lines);
        const raw = lines.slice(0, count).join('\n') + (count < lines.length ? '\n' : '');
        const body = [(lines[0] as string).slice(head[0].length), ...lines.slice(1, count).map((l) => l.replace(/^(?: {4}|\t)/, ''))].join('\n');
        const label = head[1] as string;
        defined.add(label);
        return { type: 'footnoteDefinition', raw, label, tokens: this.lexer.blockTokens(body, []) };
      },
      renderer(token: Tokens.Generic) {
        const inner = this.parser.parse(token.tokens ?? []);
        return `<aside role="doc-footnote" data-note-label="${escapeHtml(String(token.label))}">${inner}</aside>\n`;
      },
    },
    {
      name: 'footnoteReference',
      level: 'inline',
      start: (src: string) => {
        const at = src.indexOf('[^');
        return at < 0 ? undefined : at;
      },
      tokenizer(src: string) {
        const m = /^\[\^([^\]\s]{1,40})\]/.exec(src);
        if (!m || !defined.has(m[1] as string)) return undefined;
        return { type: 'footnoteReference', raw: m[0], label: m[1] };
      },
      renderer(token: Tokens.Generic) {
        return `<sup>${escapeHtml(String(token.label))}</sup>`;
      },
    },
  ],
});

/**
 * Lists and quotes nested deeper than this are refused. marked lexes a container's content again
 * for every level, recursively: 1,500 nested list items (2 MB) took 16 s and 2,000 nested quotes
 * overflow the stack; 100 levels take milliseconds, and no real document comes near.
 */
export const MAX_MARKDOWN_NESTING = 100;

/**
 * How deep lists and quotes nest, estimated from the start of each line without parsing: quote
 * markers, plus the list items still open at the column of the line's list markers (an item
 * stays open for a marker at or right of its content column). The estimate may exceed marked's
 * own nesting, never fall short of it, so that nothing deeper than the limit reaches marked.
 */
export function markdownNesting(source: string, stopAbove = Infinity): number {
  let max = 0;
  /** Content columns of the list items that may still be open. */
  const open: number[] = [];
  for (let start = 0; start <= source.length; ) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    let col = 0;
    let quotes = 0;
    let i = start;
    for (;;) {
      while (i < end && (source[i] === ' ' || source[i] === '\t')) {
        col = source[i] === '\t' ? col + 4 - (col % 4) : col + 1;
        i++;
      }
      const ch = source[i];
      if (ch === '>') {
        quotes++;
        i++;
        col++;
        continue;
      }
      let marker = 0;
      if (ch === '-' || ch === '+' || ch === '*') marker = 1;
      else {
        while (marker < 10 && i + marker < end && source.charCodeAt(i + marker) >= 48 && source.charCodeAt(i + marker) <= 57) marker++;
        marker = marker > 0 && marker < 10 && (source[i + marker] === '.' || source[i + marker] === ')') ? marker + 1 : 0;
      }
      const after = source[i + marker];
      if (marker === 0 || (i + marker < end && after !== ' ' && after !== '\t')) break;
      while (open.length > 0 && (open[open.length - 1] as number) > col) open.pop();
      open.push(col + marker + 1);
      i += marker;
      col += marker;
    }
    const depth = quotes + open.length;
    if (depth > max) max = depth;
    if (max > stopAbove) return max;
    start = end + 1;
  }
  return max;
}

/** A leading YAML front-matter block, and its `title:` if it has one. */
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

function frontMatter(source: string): { body: string; title: string } {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { body: source, title: '' };
  const line = /^title:[ \t]*(.*)$/m.exec(match[1] ?? '');
  const title = (line?.[1] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
  return { body: source.slice(match[0].length), title };
}

/** Markdown to the HTML the walk reads (exported for tests). */
export function markdownToHtml(body: string): string {
  defined = new Set();
  try {
    return marked.parser(marked.lexer(body));
  } finally {
    defined = new Set();
  }
}

/** Parses Markdown: the title from front matter, else the first heading, else the first block. */
export function parseMarkdown(source: string, file = 'input'): ParsedDocument {
  const { body, title } = frontMatter(source.replace(/^\uFEFF/u, '').replace(/\r\n?/g, '\n'));
  if (markdownNesting(body, MAX_MARKDOWN_NESTING) > MAX_MARKDOWN_NESTING) {
    throw new ImportError(file, `nests lists or quotes more than ${MAX_MARKDOWN_NESTING} levels deep, the limit for Markdown`, 'too-complex');
  }
  const { blocks } = htmlToBlocks(markdownToHtml(body), { file });
  const heading = blocks.find((b) => b.kind === 'heading');
  return { ...finishDocument(file, blocks, title !== '' ? title : heading?.text), meta: { sourceKind: 'markdown' } };
}
