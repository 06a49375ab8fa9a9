/**
 * HTML to blocks, and the sanitiser: a linear SAX walk (`html/sax.ts`) that keeps text and the
 * structure a reader needs, and nothing else. No tag, attribute, script, style, handler or
 * embedded content survives; entities are decoded; whitespace is collapsed as a browser lays it
 * out, except inside `pre`.
 *
 * What becomes which block:
 * - `h1`-`h6` -> heading (`meta.level`); `blockquote` -> quote, its nesting the depth.
 * - `li` -> item, its depth the list nesting (1..), `meta.marker` the marker a browser shows:
 *   "•", "◦", "▪" by depth in `ul`; "1.", "b.", "iv." in `ol`, honouring `start`, `type`,
 *   `reversed` and an item's `value`; "☐"/"☑" for a task list's checkbox. A list item's second
 *   paragraph is an item of the same depth without a marker (a continuation).
 * - `tr` -> one row: its cells' text, whitespace collapsed, joined by TAB (`CELL_SEPARATOR`);
 *   `meta.header` when it is in `thead` or all its cells are `th`. A row that is layout rather than
 *   data (a nested table in a cell, or a single cell holding several blocks or a heading or list)
 *   gives the cells' own blocks instead.
 * - `pre` -> code, one block per line, leading whitespace kept and trailing whitespace dropped.
 *   A block cannot hold a line break and a blank block is no block, so the blank lines of a
 *   listing are lost; the lines with text keep their order and indentation.
 * - footnotes and endnotes (`html/notes.ts`) -> note, with `meta.label` from a leading "1." / "*"
 *   (taken off the text), else the item's number in an ordered list of notes, else the number
 *   at the end of the note's id; `data-note-label` (written by the Markdown importer) gives it
 *   outright. Their "↩" backlinks are dropped.
 * - A `dir` attribute (or `lang`/`xml:lang` naming a right-to-left language) declares the
 *   direction of the blocks inside.
 *
 * Bounds: elements nested deeper than MAX_HTML_DEPTH are not structure any more: their text runs
 * into the enclosing block (what is dropped is still dropped). More than MAX_HTML_BLOCKS blocks is
 * an ImportError naming the limit. The walk and the per-element work are O(1) per tag.
 */
import type { BlockKind, BlockMeta, Direction, ParsedDocument } from '../../common/model.js';
import { CELL_SEPARATOR } from '../../common/model.js';
import { ImportError } from './errors.js';
import { BLOCKS, enterElement, rootContext, type Context, type RowState } from './html/context.js';
import { ordinal } from './html/markers.js';
import { isBacklink, leadingLabel, TRAILING_BACKLINK } from './html/notes.js';
import { walkHtml } from './html/sax.js';
import { finishDocument, type RawBlock } from './plain-text.js';

/** Elements nested deeper than this are flattened into the block that holds them. */
export const MAX_HTML_DEPTH = 256;
/** Blocks one HTML document (or one EPUB) may make. */
export const MAX_HTML_BLOCKS = 500_000;

/** Elements whose whole content is dropped: code, styling, embedded and inert content. */
const DROPPED = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset',
  'noembed', 'noframes', 'svg', 'math', 'canvas', 'audio', 'video', 'select', 'datalist',
  // The head holds no text to read; its (first) <title> is picked up on its own.
  'head', 'title',
]);

/** Collapses ASCII whitespace as CSS `white-space: normal` does; non-breaking spaces stay. */
function collapse(text: string): string {
  const t = text.replace(/[ \t\n\r\f]+/g, ' ');
  const from = t.charCodeAt(0) === 32 ? 1 : 0;
  const to = t.length > from && t.charCodeAt(t.length - 1) === 32 ? t.length - 1 : t.length;
  return from === 0 && to === t.length ? t : t.slice(from, to);
}

export interface HtmlText {
  /** The text of `<title>`, collapsed; '' when there is none. */
  title: string;
  blocks: RawBlock[];
}

export interface HtmlOptions {
  /** Names the file in errors. */
  file?: string;
  /** XHTML (an EPUB chapter): `<x/>` self-closes, CDATA is text. */
  xhtml?: boolean;
  /** The direction declared around the document (an EPUB's page progression). */
  dir?: Direction;
  /** Lowers MAX_HTML_BLOCKS (tests). */
  maxBlocks?: number;
  /** Blocks the earlier parts of the same document made (EPUB chapters share one budget). */
  counted?: number;
}

function tooManyBlocks(file: string, max: number): ImportError {
  return new ImportError(
    file,
    `has more than ${max.toLocaleString('en-US')} blocks (paragraphs, list items, table rows, lines of code), the limit for one document`,
    'too-complex',
  );
}

/** Walks `html` and returns its text as blocks, with nothing else. */
export function htmlToBlocks(html: string, options: HtmlOptions = {}): HtmlText {
  const file = options.file ?? 'input';
  const maxBlocks = options.maxBlocks ?? MAX_HTML_BLOCKS;
  const blocks: RawBlock[] = [];
  let made = options.counted ?? 0;
  let ctx: Context = rootContext(blocks, options.dir);
  const frames: Context[] = [];
  let buffer = '';
  let title = '';
  let titleBuffer: string | null = null;
  let titleDone = false;
  /** Nesting inside the outermost dropped element (0: not in one), and that element. */
  let dropped = 0;
  let droppedName = '';
  /** Nesting past MAX_HTML_DEPTH. */
  let flat = 0;

  const emit = (sink: RawBlock[], block: RawBlock): void => {
    if (++made > maxBlocks) throw tooManyBlocks(file, maxBlocks);
    sink.push(block);
  };

  const flush = (): void => {
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    if (ctx.pre > 0) {
      for (const line of text.split(/\r\n?|\n/)) {
        const kept = line.replace(/\s+$/u, '');
        if (kept.trim() !== '') emit(ctx.sink, { kind: 'code', depth: 0, text: kept, ...(ctx.dir ? { dir: ctx.dir } : {}) });
      }
      return;
    }
    let body = collapse(text);
    if (body === '') return;
    let kind: BlockKind = 'paragraph';
    let meta: BlockMeta | undefined;
    let depth = 0;
    const { note, item } = ctx;
    if (ctx.heading > 0) {
      kind = 'heading';
      meta = { level: ctx.heading };
    } else if (note !== null) {
      kind = 'note';
      body = body.replace(TRAILING_BACKLINK, '');
      if (!note.placed) {
        const lead = note.given ? null : leadingLabel(body);
        if (lead !== null) {
          note.label = lead.label;
          body = lead.rest;
        }
        if (body === '') return; // the label stood alone; the note's text follows
        note.placed = true;
        if (note.label !== undefined) meta = { label: note.label };
      }
      if (body === '') return;
    } else if (item !== null) {
      kind = 'item';
      depth = Math.max(1, ctx.listDepth);
    } else if (ctx.quotes > 0) {
      kind = 'quote';
      depth = ctx.quotes;
    }
    const block: RawBlock = { kind, depth, text: body };
    if (ctx.dir) block.dir = ctx.dir;
    if (kind === 'item' && item !== null && !item.placed) {
      item.placed = true;
      item.block = block;
      if (item.marker !== undefined) meta = { marker: item.marker };
    }
    if (meta) block.meta = meta;
    emit(ctx.sink, block);
  };


  /** Work an element leaves when it closes, in the context it had. */
  const leave = (name: string, inner: Context, outer: Context): void => {
    if (name === 'tr' && inner.row !== null && inner.row !== outer.row) {
      finishRow(inner.row, inner.dir, outer.sink);
    } else if ((name === 'td' || name === 'th') && inner.cell !== null && inner.cell !== outer.cell) {
      inner.row?.cells.push(inner.cell);
    } else if (name === 'ol' && inner.list !== null && inner.list !== outer.list && inner.list.pending !== null) {
      let n = inner.list.pending.length;
      for (const item of inner.list.pending) {
        if (item.value !== null) n = item.value;
        if (item.block !== undefined) item.block.meta = { ...item.block.meta, marker: ordinal(n, inner.list.type) };
        n -= 1;
      }
    }
  };

  const finishRow = (row: RowState, dir: Direction | undefined, sink: RawBlock[]): void => {
    const cells = row.stray.length > 0 ? [...row.cells, { header: false, blocks: row.stray }] : row.cells;
    if (cells.length === 0) return;
    const only = cells.length === 1 ? cells[0] : undefined;
    const layout =
      cells.some((c) => c.blocks.some((b) => b.kind === 'row')) ||
      (only !== undefined && (only.blocks.length > 1 || only.blocks.some((b) => b.kind !== 'paragraph')));
    if (layout) {
      for (const c of cells) for (const b of c.blocks) sink.push(b);
      return;
    }
    // The cells' blocks become one row: they no longer count against the limit, the row does.
    for (const c of cells) made -= c.blocks.length;
    const texts = cells.map((c) => collapse(c.blocks.map((b) => b.text).join(' ')));
    if (texts.every((t) => t === '')) return;
    const block: RawBlock = { kind: 'row', depth: 0, text: texts.join(CELL_SEPARATOR) };
    if (dir) block.dir = dir;
    if (row.header || cells.every((c) => c.header)) block.meta = { header: true };
    emit(sink, block);
  };

  walkHtml(
    html,
    {
      open(name, attribs) {
        if (dropped > 0) {
          dropped++;
          if (name === 'title' && droppedName === 'head' && !titleDone) titleBuffer = '';
          return;
        }
        if (DROPPED.has(name) || 'hidden' in attribs || isBacklink(attribs)) {
          if (name === 'title' && !titleDone) titleBuffer = '';
          dropped = 1;
          droppedName = name;
          return;
        }
        if (flat > 0 || frames.length >= MAX_HTML_DEPTH) {
          flat++;
          if (BLOCKS.has(name)) buffer += ' ';
          return;
        }
        if (BLOCKS.has(name)) flush();
        frames.push(ctx);
        ctx = enterElement(ctx, name, attribs, buffer);
      },
      text(text) {
        if (dropped === 0) buffer += text;
        else if (titleBuffer !== null) titleBuffer += text;
      },
      close(name) {
        if (dropped > 0) {
          dropped--;
          if (name === 'title' && titleBuffer !== null) {
            title = collapse(titleBuffer);
            titleBuffer = null;
            titleDone = true;
          }
          return;
        }
        if (flat > 0) {
          flat--;
          if (BLOCKS.has(name)) buffer += ' ';
          return;
        }
        if (BLOCKS.has(name)) flush();
        const inner = ctx;
        ctx = frames.pop() ?? ctx;
        if (inner !== ctx) leave(name, inner, ctx);
      },
    },
    { xhtml: options.xhtml === true },
  );
  flush();
  return { title, blocks };
}

/** Decodes HTML character references in text that has no markup (`&amp;` -> `&`); `<` stays text. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  walkHtml(text.replace(/</g, '&lt;'), { open() {}, close() {}, text: (t) => (out += t) });
  return out;
}

/** Parses an HTML file: the title from `<title>`, else the first heading, else the first block. */
export function parseHtml(html: string, file = 'input'): ParsedDocument {
  const { title, blocks } = htmlToBlocks(html, { file });
  const heading = blocks.find((b) => b.kind === 'heading');
  return finishDocument(file, blocks, title !== '' ? title : heading?.text);
}
