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
 *   `reversed` and an item's `value`. A list item's second paragraph is an item of the same depth
 *   without a marker (a continuation).
 * - `tr` -> one row: its cells' text, whitespace collapsed, joined by TAB (`CELL_SEPARATOR`);
 *   `meta.header` when it is in `thead` or all its cells are `th`. A row that is layout rather than
 *   data (a nested table in a cell, or a single cell holding several blocks or a heading or list)
 *   gives the cells' own blocks instead.
 * - `pre` -> code, one block per line, leading whitespace kept and trailing whitespace dropped.
 *   A block cannot hold a line break and a blank block is no block, so the blank lines of a
 *   listing are lost; the lines with text keep their order and indentation.
 * - footnotes and endnotes (`html/notes.ts`) -> note, with `meta.label` from a leading "1." / "*"
 *   (taken off the text), else the item's number in an ordered list of notes, else the number
 *   at the end of the note's id. Their "↩" backlinks are dropped.
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
import { bullet, integerAttribute, ordinal } from './html/markers.js';
import { isBacklink, labelFromId, leadingLabel, noteRole, TRAILING_BACKLINK } from './html/notes.js';
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

/** Elements that start and end a block of text. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'plaintext', 'pre', 'section', 'summary',
  'table', 'tbody', 'tfoot', 'thead', 'tr', 'td', 'th', 'ul', 'xmp', 'br',
]);
const HEADING_LEVEL: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const PREFORMATTED = new Set(['pre', 'listing', 'plaintext', 'xmp']);
const LISTS = new Set(['ul', 'ol', 'menu']);
/** Elements that start a new note inside a container of notes. */
const NOTE_ITEMS = new Set(['li', 'p', 'div', 'aside', 'section']);
/** Languages written right to left (primary subtags), for `lang` as a direction hint. */
const RTL_LANGUAGES = new Set(['he', 'iw', 'yi', 'ji', 'ar', 'fa', 'ur', 'ps', 'sd', 'ug', 'dv', 'ckb', 'syr']);

/** Collapses ASCII whitespace as CSS `white-space: normal` does; non-breaking spaces stay. */
function collapse(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
}

interface ListState {
  ordered: boolean;
  type: string | undefined;
  depth: number;
  next: number;
  step: 1 | -1;
  /** A reversed list without `start` counts down from its number of items, known at its end. */
  pending: ItemState[] | null;
}
interface ItemState {
  marker: string | undefined;
  value: number | null;
  /** The block that shows the marker, once there is one. */
  block: RawBlock | undefined;
  placed: boolean;
}
interface NoteState {
  label: string | undefined;
  /** The label was given (`data-note-label`, from Markdown): a number opening the text is text. */
  given: boolean;
  placed: boolean;
}
interface Cell {
  header: boolean;
  blocks: RawBlock[];
}
interface RowState {
  header: boolean;
  cells: Cell[];
  /** Text in the row outside any cell. */
  stray: RawBlock[];
}
/** What an element and its ancestors make of the text inside it. Shared, never mutated. */
interface Context {
  sink: RawBlock[];
  dir: Direction | undefined;
  quotes: number;
  heading: number;
  pre: number;
  list: ListState | null;
  listDepth: number;
  item: ItemState | null;
  notes: boolean;
  note: NoteState | null;
  thead: boolean;
  row: RowState | null;
  cell: Cell | null;
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

function declaredDir(attribs: Record<string, string>, current: Direction | undefined): Direction | undefined {
  const dir = attribs.dir?.trim().toLowerCase();
  if (dir === 'rtl' || dir === 'ltr') return dir;
  if (dir === 'auto') return undefined;
  const lang = attribs['xml:lang'] ?? attribs.lang;
  const primary = lang?.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === undefined || primary === '') return current;
  if (RTL_LANGUAGES.has(primary)) return 'rtl';
  // A left-to-right language inside a right-to-left context turns it back; elsewhere it says nothing new.
  return current === 'rtl' ? 'ltr' : current;
}

function tooManyBlocks(file: string, max: number): ImportError {
  return new ImportError(
    file,
    `has more than ${max.toLocaleString('en-US')} blocks (paragraphs, list items, table rows, lines of code), the limit for one document`,
  );
}

/** Walks `html` and returns its text as blocks, with nothing else. */
export function htmlToBlocks(html: string, options: HtmlOptions = {}): HtmlText {
  const file = options.file ?? 'input';
  const maxBlocks = options.maxBlocks ?? MAX_HTML_BLOCKS;
  const blocks: RawBlock[] = [];
  let made = options.counted ?? 0;
  let ctx: Context = {
    sink: blocks, dir: options.dir, quotes: 0, heading: 0, pre: 0, list: null, listDepth: 0, item: null,
    notes: false, note: null, thead: false, row: null, cell: null,
  };
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

  /** The context inside an element; the parent's own object when the element changes nothing. */
  const enter = (name: string, attribs: Record<string, string>): Context => {
    const parent = ctx;
    let next: Context | null = null;
    const edit = (): Context => (next ??= { ...parent });
    const dir = declaredDir(attribs, parent.dir);
    if (dir !== parent.dir) edit().dir = dir;
    const level = HEADING_LEVEL[name];
    if (level !== undefined) edit().heading = level;
    else if (name === 'blockquote') edit().quotes = parent.quotes + 1;
    else if (PREFORMATTED.has(name)) edit().pre = parent.pre + 1;
    else if (LISTS.has(name)) {
      const ordered = name === 'ol';
      const reversed = ordered && 'reversed' in attribs;
      const start = integerAttribute(attribs.start);
      const c = edit();
      c.listDepth = parent.listDepth + 1;
      c.item = null;
      c.list = {
        ordered, type: attribs.type, depth: c.listDepth, next: start ?? 1, step: reversed ? -1 : 1,
        pending: reversed && start === null ? [] : null,
      };
    } else if (name === 'li') {
      const list = parent.list;
      const value = integerAttribute(attribs.value);
      const item: ItemState = { marker: undefined, value, block: undefined, placed: false };
      if (list === null) item.marker = bullet(1);
      else if (!list.ordered) item.marker = bullet(list.depth, list.type);
      else if (list.pending !== null) list.pending.push(item);
      else {
        const n = value ?? list.next;
        list.next = n + list.step;
        item.marker = ordinal(n, list.type);
      }
      const c = edit();
      c.item = item;
      if (c.listDepth === 0) c.listDepth = 1;
    } else if (name === 'table') {
      Object.assign(edit(), { row: null, cell: null, thead: false });
    } else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
      edit().thead = name === 'thead';
    } else if (name === 'tr') {
      const row: RowState = { header: parent.thead, cells: [], stray: [] };
      Object.assign(edit(), { row, cell: null, sink: row.stray });
    } else if ((name === 'td' || name === 'th') && parent.row !== null && parent.cell === null) {
      const cell: Cell = { header: name === 'th', blocks: [] };
      Object.assign(edit(), { cell, sink: cell.blocks });
    }
    const role = noteRole(attribs, BLOCKS.has(name));
    if (role === 'notes') edit().notes = true;
    if (parent.note === null && (role === 'note' || (parent.notes && NOTE_ITEMS.has(name)))) {
      const c = edit();
      const given = attribs['data-note-label'];
      // An ordered list of notes numbers them; else a number at the end of the id ("fn3").
      const marker = c.item?.marker;
      const numbered = name === 'li' && parent.list?.ordered === true && marker !== undefined ? marker.replace(/\.$/, '') : undefined;
      c.note = { label: given ?? numbered ?? labelFromId(attribs.id), given: given !== undefined, placed: false };
    }
    // A task list's checkbox (Markdown's "- [x]") is the item's marker.
    if (name === 'input' && attribs.type?.toLowerCase() === 'checkbox' && parent.item !== null && !parent.item.placed && buffer.trim() === '') {
      parent.item.marker = 'checked' in attribs ? '☑' : '☐';
    }
    return next ?? parent;
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
        ctx = enter(name, attribs);
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
