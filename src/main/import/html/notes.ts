/**
 * Footnotes and endnotes in HTML, as EPUB (`epub:type`), DPUB-ARIA (`role`) and Markdown tools
 * (markdown-it's `section.footnotes` / `li.footnote-item`, pandoc's `section.footnotes` with
 * `role="doc-endnotes"`) mark them.
 */

/** `epub:type` / `role` tokens and classes that make an element one note. */
const NOTE_TYPES = new Set(['footnote', 'endnote', 'rearnote', 'doc-footnote', 'doc-endnote']);
/** Tokens and classes of a container whose every item (li, p, div, aside) is a note. */
const NOTES_TYPES = new Set(['footnotes', 'endnotes', 'rearnotes', 'doc-endnotes', 'doc-footnotes']);
/** The classes above plus markdown-it's item class; a class alone counts on a block element only (an inline `a.footnote` is a reference). */
const NOTE_CLASSES = new Set(['footnote', 'footnote-item', 'endnote']);
const NOTES_CLASSES = new Set(['footnotes', 'endnotes']);
/** The "back to the text" link a note ends with: navigation, not text. */
const BACKLINK_TYPES = new Set(['backlink', 'doc-backlink']);
const BACKLINK_CLASSES = new Set(['footnote-back', 'footnote-backref', 'footnote-return', 'reversefootnote']);

const tokens = (value: string | undefined): string[] => (value === undefined ? [] : value.toLowerCase().split(/\s+/u));

export type NoteRole = 'note' | 'notes' | null;

/** Whether an element (a block-level one when `block`) is a note, a container of notes, or neither. */
export function noteRole(attribs: Record<string, string>, block: boolean): NoteRole {
  if (attribs.class === undefined && attribs.role === undefined && attribs['epub:type'] === undefined) return null;
  const typed = [...tokens(attribs['epub:type']), ...tokens(attribs.role)];
  if (typed.some((t) => NOTE_TYPES.has(t))) return 'note';
  if (typed.some((t) => NOTES_TYPES.has(t))) return 'notes';
  if (!block) return null;
  const classes = tokens(attribs.class);
  if (classes.some((c) => NOTE_CLASSES.has(c))) return 'note';
  if (classes.some((c) => NOTES_CLASSES.has(c))) return 'notes';
  return null;
}

/** Whether an element is a note's link back to its reference (dropped with its "↩"). */
export function isBacklink(attribs: Record<string, string>): boolean {
  if (attribs.class === undefined && attribs.role === undefined && attribs['epub:type'] === undefined) return false;
  if ([...tokens(attribs['epub:type']), ...tokens(attribs.role)].some((t) => BACKLINK_TYPES.has(t))) return true;
  return tokens(attribs.class).some((c) => BACKLINK_CLASSES.has(c));
}

/**
 * A label at the start of a note's text: "1", "1.", "[1]", "12)", "*", "†". At most three digits,
 * so that a note opening with a year ("1948 saw …") keeps it.
 */
const LEADING_LABEL = /^(?:\[(\d{1,3}|[*†‡§¶]{1,3})\]|(\d{1,3}|[*†‡§¶]{1,3})[.):]?)(?=\s|$)\s*/u;

/** Splits a note's leading label off its (collapsed) text. */
export function leadingLabel(text: string): { label: string; rest: string } | null {
  const m = LEADING_LABEL.exec(text);
  if (!m) return null;
  return { label: (m[1] ?? m[2]) as string, rest: text.slice(m[0].length) };
}

/** The number at the end of a note's id ("fn3", "note-12", "fn:4"), if any. */
export function labelFromId(id: string | undefined): string | undefined {
  const m = id === undefined ? null : /(\d{1,6})$/.exec(id);
  return m ? String(Number(m[1])) : undefined;
}

/** A trailing "↩" (with its emoji or text variation selector) that a backlink left as plain text. */
export const TRAILING_BACKLINK = /\s*↩[\uFE0E\uFE0F]?\s*$/u;

/** Every class this module reads, for an extractor that strips classes (Readability) to keep. */
export const NOTE_CLASS_NAMES: readonly string[] = [...NOTE_CLASSES, ...NOTES_CLASSES, ...BACKLINK_CLASSES];
