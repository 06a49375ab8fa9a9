/**
 * HTML to a document, and the sanitiser: a SAX walk with htmlparser2 that keeps only text. No tag,
 * attribute, script, style or embedded content survives; entities are decoded; whitespace is
 * collapsed as a browser lays it out, except inside `pre`, whose lines become blocks as they are.
 */
import { Parser } from 'htmlparser2';
import type { ParsedDocument } from '../../common/model.js';
import { finishDocument, type RawBlock } from './plain-text.js';

/** Elements whose whole content is dropped: code, styling, embedded and inert content. */
const DROPPED = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset',
  'noembed', 'noframes', 'svg', 'math', 'canvas', 'audio', 'video', 'select', 'datalist',
  // The head holds no text to read; its (first) <title> is picked up on its own.
  'head', 'title',
]);

/** Elements that start and end a block of text. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'plaintext', 'pre', 'section', 'summary',
  'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul', 'xmp', 'br',
]);

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Content kept with its whitespace. */
const PREFORMATTED = new Set(['pre', 'listing', 'plaintext', 'xmp']);
/** Table cells sit side by side: a space between them. */
const CELLS = new Set(['td', 'th']);

/** Collapses ASCII whitespace as CSS `white-space: normal` does; non-breaking spaces stay. */
function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
}

export interface HtmlText {
  /** The text of `<title>`, collapsed; '' when there is none. */
  title: string;
  blocks: RawBlock[];
}

/** Walks `html` and returns its text as blocks, with nothing else. */
export function htmlToBlocks(html: string): HtmlText {
  const blocks: RawBlock[] = [];
  let buffer = '';
  let title = '';
  let titleBuffer: string | null = null;
  let titleDone = false;
  let depth = 0; // element nesting
  let droppedAt: number | null = null; // nesting of the outermost dropped element we are inside
  let droppedName = '';
  let quotes = 0;
  let headings = 0;
  let preformatted = 0;

  const flush = (): void => {
    const text = buffer;
    buffer = '';
    const kind = quotes > 0 ? 'quote' : headings > 0 ? 'heading' : 'paragraph';
    const lines = preformatted > 0 ? text.split(/\r\n?|\n/) : [collapse(text)];
    for (const line of lines) {
      if (line.trim() === '') continue;
      blocks.push({ kind, depth: quotes, text: preformatted > 0 ? line.replace(/\s+$/u, '') : line });
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        depth++;
        if (name === 'title' && (droppedAt === null || droppedName === 'head') && !titleDone) {
          titleBuffer = '';
          return;
        }
        if (droppedAt !== null) return;
        if (DROPPED.has(name) || 'hidden' in attribs) {
          droppedAt = depth;
          droppedName = name;
          return;
        }
        if (BLOCKS.has(name)) flush();
        if (CELLS.has(name)) buffer += ' ';
        if (name === 'blockquote') quotes++;
        if (HEADINGS.has(name)) headings++;
        if (PREFORMATTED.has(name)) preformatted++;
      },
      ontext(text) {
        if (titleBuffer !== null) titleBuffer += text;
        else if (droppedAt === null) buffer += text;
      },
      onclosetag(name) {
        const at = depth;
        depth--;
        if (name === 'title' && titleBuffer !== null) {
          title = collapse(titleBuffer);
          titleBuffer = null;
          titleDone = true;
          return;
        }
        if (droppedAt !== null) {
          if (droppedAt === at) droppedAt = null;
          return;
        }
        if (BLOCKS.has(name)) flush();
        if (CELLS.has(name)) buffer += ' ';
        if (name === 'blockquote') quotes = Math.max(0, quotes - 1);
        if (HEADINGS.has(name)) headings = Math.max(0, headings - 1);
        if (PREFORMATTED.has(name)) preformatted = Math.max(0, preformatted - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  flush();
  return { title, blocks };
}

/** Decodes HTML character references in text that has no markup (`&amp;` -> `&`); `<` stays text. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  const parser = new Parser({ ontext: (t) => (out += t) }, { decodeEntities: true });
  parser.write(text.replace(/</g, '&lt;'));
  parser.end();
  return out;
}

/** Parses an HTML file: the title from `<title>`, else the first heading, else the first block. */
export function parseHtml(html: string, file = 'input'): ParsedDocument {
  const { title, blocks } = htmlToBlocks(html);
  const heading = blocks.find((b) => b.kind === 'heading');
  return finishDocument(file, blocks, title !== '' ? title : heading?.text);
}
