/**
 * Markdown to a document. marked's lexer and parser turn the source into HTML, and the HTML
 * importer's walk turns that into blocks. Going through HTML means one sanitiser for everything:
 * raw HTML written inside the Markdown (a `<script>` left open across a blank line included) is
 * handled by the same code as an HTML file, and inline markup (`**`, `_`, links) is reduced to its
 * text the same way. Headings -> heading, paragraphs and list items -> paragraph, blockquotes ->
 * quote with their nesting depth, code -> one paragraph per line.
 */
import { Marked } from 'marked';
import type { ParsedDocument } from '../../common/model.js';
import { htmlToBlocks } from './html.js';
import { finishDocument } from './plain-text.js';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** A leading YAML front-matter block, and its `title:` if it has one. */
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

function frontMatter(source: string): { body: string; title: string } {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { body: source, title: '' };
  const line = /^title:[ \t]*(.*)$/m.exec(match[1] ?? '');
  const title = (line?.[1] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
  return { body: source.slice(match[0].length), title };
}

/** Parses Markdown: the title from front matter, else the first heading, else the first block. */
export function parseMarkdown(source: string, file = 'input'): ParsedDocument {
  const { body, title } = frontMatter(source.replace(/^\uFEFF/u, '').replace(/\r\n?/g, '\n'));
  const html = marked.parser(marked.lexer(body));
  const { blocks } = htmlToBlocks(html);
  const heading = blocks.find((b) => b.kind === 'heading');
  return finishDocument(file, blocks, title !== '' ? title : heading?.text);
}
