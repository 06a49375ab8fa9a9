/**
 * What an element and its ancestors make of the text inside them, for the HTML walk: kind of block
 * (heading, quote, code, item, row, note), list numbering, table rows and cells, and the declared
 * direction. One `Context` object per element that changes something; the others share their
 * parent's, so entering an element is O(1) whatever the nesting.
 */
import type { Direction } from '../../../common/model.js';
import type { RawBlock } from '../plain-text.js';
import { bullet, integerAttribute, ordinal } from './markers.js';
import { labelFromId, noteRole } from './notes.js';

/** Elements that start and end a block of text. */
export const BLOCKS = new Set([
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

/** Whether a language tag ("he", "he-IL", "ar_EG") names a language written right to left. */
export function isRtlLanguage(tag: string | undefined): boolean {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary !== undefined && RTL_LANGUAGES.has(primary);
}

export interface ListState {
  ordered: boolean;
  type: string | undefined;
  depth: number;
  next: number;
  step: 1 | -1;
  /** A reversed list without `start` counts down from its number of items, known at its end. */
  pending: ItemState[] | null;
}
export interface ItemState {
  marker: string | undefined;
  value: number | null;
  /** The block that shows the marker, once there is one. */
  block: RawBlock | undefined;
  placed: boolean;
}
export interface NoteState {
  label: string | undefined;
  /** The label was given (`data-note-label`, from Markdown): a number opening the text is text. */
  given: boolean;
  placed: boolean;
}
export interface Cell {
  header: boolean;
  blocks: RawBlock[];
}
export interface RowState {
  header: boolean;
  cells: Cell[];
  /** Text in the row outside any cell. */
  stray: RawBlock[];
}
/** What an element and its ancestors make of the text inside it. Shared, never mutated. */
export interface Context {
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

/**
 * The context inside an element: a copy of the parent's with what the element changes, or the
 * parent's own object when it changes nothing (most inline elements). `buffer` is the text of
 * the block so far.
 */
export function enterElement(parent: Context, name: string, attribs: Record<string, string>, buffer: string): Context {
  let next: Context | null = null;
  const dir = declaredDir(attribs, parent.dir);
  if (dir !== parent.dir) (next ??= { ...parent }).dir = dir;
  const level = HEADING_LEVEL[name];
  if (level !== undefined) (next ??= { ...parent }).heading = level;
  else if (name === 'blockquote') (next ??= { ...parent }).quotes = parent.quotes + 1;
  else if (PREFORMATTED.has(name)) (next ??= { ...parent }).pre = parent.pre + 1;
  else if (LISTS.has(name)) {
    const ordered = name === 'ol';
    const reversed = ordered && 'reversed' in attribs;
    const start = integerAttribute(attribs.start);
    const c = (next ??= { ...parent });
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
    const c = (next ??= { ...parent });
    c.item = item;
    if (c.listDepth === 0) c.listDepth = 1;
  } else if (name === 'table') {
    Object.assign((next ??= { ...parent }), { row: null, cell: null, thead: false });
  } else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
    (next ??= { ...parent }).thead = name === 'thead';
  } else if (name === 'tr') {
    const row: RowState = { header: parent.thead, cells: [], stray: [] };
    Object.assign((next ??= { ...parent }), { row, cell: null, sink: row.stray });
  } else if ((name === 'td' || name === 'th') && parent.row !== null && parent.cell === null) {
    const cell: Cell = { header: name === 'th', blocks: [] };
    Object.assign((next ??= { ...parent }), { cell, sink: cell.blocks });
  }
  const role = noteRole(attribs, BLOCKS.has(name));
  if (role === 'notes') (next ??= { ...parent }).notes = true;
  if (parent.note === null && (role === 'note' || (parent.notes && NOTE_ITEMS.has(name)))) {
    const c = (next ??= { ...parent });
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
}


function declaredDir(attribs: Record<string, string>, current: Direction | undefined): Direction | undefined {
  if (attribs.dir === undefined && attribs.lang === undefined && attribs['xml:lang'] === undefined) return current;
  const dir = attribs.dir?.trim().toLowerCase();
  if (dir === 'rtl' || dir === 'ltr') return dir;
  if (dir === 'auto') return undefined;
  const lang = attribs['xml:lang'] ?? attribs.lang;
  if (lang === undefined || lang.trim() === '') return current;
  if (isRtlLanguage(lang)) return 'rtl';
  // A left-to-right language inside a right-to-left context turns it back; elsewhere it says nothing new.
  return current === 'rtl' ? 'ltr' : current;
}

/** The context at the top of a document. */
export function rootContext(sink: RawBlock[], dir: Direction | undefined): Context {
  return {
    sink, dir, quotes: 0, heading: 0, pre: 0, list: null, listDepth: 0, item: null,
    notes: false, note: null, thead: false, row: null, cell: null,
  };
}
