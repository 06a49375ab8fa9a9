/**
 * Plain text to a document. Two layouts are told apart at the document level:
 *
 * - line mode (the default): every line is its own block, as in a news article with one paragraph
 *   a line; lines indented by two columns or more are quotes (a reader-comment thread), ranked by
 *   indentation width into depths 1, 2, 3 ...;
 * - hard-wrapped mode (text extracted from a PDF or an e-mail): lines filled up to a fixed width
 *   of at most 120 columns; each blank-line separated group of lines is one paragraph.
 *
 * The stored text does not drift: only the line breaks inside joined paragraphs and the
 * indentation of quotes go; spacing, non-breaking spaces and punctuation stay as they are.
 *
 * `finishDocument` (directions, language, title) is shared with the Markdown and HTML importers.
 */
import type { BlockKind, BlockInput, BlockMeta, Direction, ParsedDocument } from '../../common/model.js';
import { languageOf, strongCounts } from '../../common/text/direction.js';
import { ImportError } from './errors.js';

/** A block before its direction is known. */
export interface RawBlock {
  kind: BlockKind;
  depth: number;
  text: string;
  meta?: BlockMeta;
  /** The direction the source declares (`dir`, `w:bidi`); used when the block has strong letters of both directions or none. */
  dir?: Direction;
}

export const MAX_TITLE_LENGTH = 200;
/** Hard-wrapped text is filled to at most this many columns. */
const MAX_WRAP_WIDTH = 120;
const MIN_WRAP_WIDTH = 30;
const TAB_WIDTH = 4;
/** Indentation narrower than this is not structure (a stray space at a line's start). */
const MIN_QUOTE_INDENT = 2;

const TERMINAL = /[.!?:;…"'”’»)\]׃]$/u;
/** Line ends after which a wrapped line continues with nothing in between. */
const JOINS_TIGHT = /[\s\-\u00AD\u2010\u05BE]$/u;

// ---------------------------------------------------------------------------------------------
// Shared by every importer

/** The title from a block's text: whitespace collapsed, trimmed, at most 200 characters. */
export function makeTitle(text: string): string {
  const t = text.replace(/\s+/gu, ' ').trim();
  if (t.length <= MAX_TITLE_LENGTH) return t;
  let cut = t.slice(0, MAX_TITLE_LENGTH - 1);
  if (/[\uD800-\uDBFF]$/u.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > MAX_TITLE_LENGTH * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

type Counts = { rtl: number; ltr: number };

/** `blockDirection` from a block's strong letter counts, already taken. */
function directionOf(c: Counts, fallback: Direction): Direction {
  if (c.rtl === 0 && c.ltr === 0) return fallback;
  return c.rtl >= c.ltr ? 'rtl' : 'ltr';
}

/**
 * A declared direction wins over the letters unless the block's letters are all of the other
 * direction (a `dir="rtl"` wrapper around an English quotation is a template's default, not a fact).
 */
function declaredOrOwnDirection(b: RawBlock, c: Counts, previous: Direction): Direction {
  if (b.dir === undefined) return directionOf(c, previous);
  if (b.dir === 'rtl' && c.rtl === 0 && c.ltr > 0) return 'ltr';
  if (b.dir === 'ltr' && c.ltr === 0 && c.rtl > 0) return 'rtl';
  return b.dir;
}

const LINE_BREAK = /\r\n?|\n/g;

/**
 * Directions, language and title for an importer's blocks. Each block's direction comes from its
 * own strong letters; a block without any takes the direction of the block before it (the first
 * such block takes the first direction found further on). Throws when no block has any text.
 * Each block's letters are counted once, for its direction and the document's language both
 * (counting is most of the time this takes: it runs over every imported character).
 */
export function finishDocument(file: string, raw: readonly RawBlock[], title?: string): ParsedDocument {
  const kept: { b: RawBlock; text: string; counts: Counts }[] = [];
  let rtl = 0;
  let ltr = 0;
  let lead: Counts | undefined;
  for (const b of raw) {
    const text = b.text.includes('\n') || b.text.includes('\r') ? b.text.replace(LINE_BREAK, ' ') : b.text;
    if (text.trim() === '') continue;
    const counts = strongCounts(text);
    rtl += counts.rtl;
    ltr += counts.ltr;
    if (lead === undefined && counts.rtl + counts.ltr > 0) lead = counts;
    kept.push({ b, text, counts });
  }
  const first = kept[0];
  if (first === undefined) throw new ImportError(file, 'the file is empty', 'empty');
  let previous: Direction = lead ? directionOf(lead, 'ltr') : 'ltr';
  const blocks: BlockInput[] = kept.map(({ b, text, counts }) => {
    const dir = declaredOrOwnDirection(b, counts, previous);
    previous = dir;
    const depth = b.kind === 'quote' || b.kind === 'item' ? Math.max(1, b.depth) : 0;
    const block: BlockInput = { kind: b.kind, dir, depth, text };
    if (b.meta && Object.keys(b.meta).length > 0) block.meta = b.meta;
    return block;
  });
  const fromTitle = title === undefined ? '' : makeTitle(title);
  return {
    title: fromTitle !== '' ? fromTitle : makeTitle(first.text),
    language: languageOf(rtl, ltr),
    blocks,
  };
}

// ---------------------------------------------------------------------------------------------
// Lines and groups

interface Line {
  raw: string;
  /** Indentation in columns (a tab counts 4). */
  indent: number;
  /** The line without its indentation. */
  body: string;
}

function toLine(raw: string): Line {
  let indent = 0;
  let i = 0;
  for (; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === ' ') indent += 1;
    else if (ch === '\t') indent += TAB_WIDTH;
    else break;
  }
  return { raw, indent, body: raw.slice(i) };
}

/** Removes `columns` columns of leading indentation (a document indented as a whole). */
function dedent(line: Line, columns: number): Line {
  if (columns === 0) return line;
  let i = 0;
  let removed = 0;
  while (removed < columns && i < line.raw.length) {
    const ch = line.raw[i];
    if (ch === ' ') removed += 1;
    else if (ch === '\t') removed += TAB_WIDTH;
    else break;
    i++;
  }
  return { raw: line.raw.slice(i), indent: Math.max(0, line.indent - removed), body: line.body };
}

/** Blank-line separated groups of lines. */
function splitGroups(text: string): Line[][] {
  const groups: Line[][] = [];
  let group: Line[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') {
      if (group.length > 0) groups.push(group);
      group = [];
    } else {
      group.push(toLine(raw));
    }
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

const isQuoted = (line: Line): boolean => line.indent >= MIN_QUOTE_INDENT;

/** The smallest indentation (a loop: a spread would overflow the stack on a million lines). */
function minIndent(lines: readonly Line[]): number {
  let min = Infinity;
  for (const l of lines) if (l.indent < min) min = l.indent;
  return min === Infinity ? 0 : min;
}

/** Joins two lines of one paragraph: the break becomes nothing where whitespace or a hyphen is already there. */
function joinLines(previous: string, next: string): string {
  return JOINS_TIGHT.test(previous) || /^\s/u.test(next) ? previous + next : `${previous} ${next}`;
}

// ---------------------------------------------------------------------------------------------
// Hard-wrap detection

/**
 * The fill width of a hard-wrapped document, or null when it is not hard-wrapped. A document is
 * taken for hard-wrapped when, over the lines followed by another line of the same paragraph:
 * the longest is between 30 and 120 columns; most (60 %) are "full" (the next line's first word
 * would not have fitted: length + 1 + word >= 85 % of the width); and most (50 %) end without
 * sentence punctuation (a sentence runs on). A news article with a paragraph a line fails the
 * width test; a list or a poem fails the fill or the punctuation test.
 */
function hardWrapWidth(groups: readonly (readonly Line[])[]): number | null {
  let width = 0;
  const wrapped: { length: number; nextWord: number; open: boolean }[] = [];
  for (const group of groups) {
    if (group.length < 2) continue;
    for (const [i, line] of group.entries()) {
      const length = line.raw.trimEnd().length;
      width = Math.max(width, length);
      const next = group[i + 1];
      if (next === undefined) continue;
      const nextWord = next.body.split(/\s/u)[0]?.length ?? 0;
      wrapped.push({ length, nextWord, open: !TERMINAL.test(line.raw.trimEnd()) });
    }
  }
  if (wrapped.length < 2 || width > MAX_WRAP_WIDTH || width < MIN_WRAP_WIDTH) return null;
  const full = wrapped.filter((w) => w.length + 1 + w.nextWord >= width * 0.85).length / wrapped.length;
  const open = wrapped.filter((w) => w.open).length / wrapped.length;
  return full >= 0.6 && open >= 0.5 ? width : null;
}

// ---------------------------------------------------------------------------------------------
// The parser

interface Unit {
  quote: boolean;
  /** Indentation of a quote (ranked into a depth later). */
  indent: number;
  text: string;
  /** The last line as it was, for deciding joins. */
  lastRaw: string;
}

/** Line mode: a line continues the one before when that ends in a lower-case letter or comma (and, outside quotes, it starts with one). */
function lineModeUnits(groups: readonly Line[][]): Unit[] {
  const units: Unit[] = [];
  for (const group of groups) {
    let current: Unit | null = null;
    for (const line of group) {
      const quote = isQuoted(line);
      const text = quote ? line.body : line.raw;
      const continues =
        current !== null &&
        current.quote === quote &&
        current.indent === (quote ? line.indent : 0) &&
        /[\p{Ll},]$/u.test(current.lastRaw.trimEnd()) &&
        // Inside a reader's comment a line ending mid-sentence continues whatever comes next
        // ("…abandonment of" / "America's traditional allies"); in body text the next line must
        // also start in lower case, since a heading or a caption often ends without punctuation.
        (quote || /^\p{Ll}/u.test(line.body));
      if (current !== null && continues) {
        current.text = joinLines(current.text, text);
        current.lastRaw = line.raw;
      } else {
        current = { quote, indent: quote ? line.indent : 0, text, lastRaw: line.raw };
        units.push(current);
      }
    }
  }
  return units;
}

/** Hard-wrapped mode: each group is one paragraph (or quote), and a paragraph cut by a page break is mended. */
function wrappedUnits(groups: readonly Line[][], width: number): Unit[] {
  const units: Unit[] = [];
  let previousGroupEnd: Unit | null = null;
  for (const group of groups) {
    const runs = splitRuns(group);
    for (const [r, run] of runs.entries()) {
      const quote = run.every(isQuoted);
      const indent = quote ? minIndent(run) : 0;
      let text = '';
      for (const [i, line] of run.entries()) {
        const part = quote ? line.body : line.raw;
        text = i === 0 ? part : joinLines(text, part);
      }
      const lastRaw = run[run.length - 1]?.raw ?? '';
      const prev = previousGroupEnd;
      const mends =
        r === 0 &&
        prev !== null &&
        prev.quote === quote &&
        prev.indent === indent &&
        !TERMINAL.test(prev.lastRaw.trimEnd()) &&
        prev.lastRaw.trimEnd().length >= width * 0.7 &&
        /^\p{Ll}/u.test(run[0]?.body ?? '');
      if (prev !== null && mends) {
        prev.text = joinLines(prev.text, text);
        prev.lastRaw = lastRaw;
      } else {
        units.push({ quote, indent, text, lastRaw });
      }
    }
    previousGroupEnd = units[units.length - 1] ?? null;
  }
  return units;
}

/**
 * Splits a group into runs of quoted and unquoted lines; a group whose first line alone is
 * indented (a first-line indent) stays one paragraph.
 */
function splitRuns(group: readonly Line[]): Line[][] {
  const first = group[0];
  if (first === undefined) return [];
  if (group.length > 1 && isQuoted(first) && !group.slice(1).some(isQuoted)) return [[...group]];
  const runs: Line[][] = [];
  let run: Line[] = [];
  for (const line of group) {
    const last = run[run.length - 1];
    if (last !== undefined && isQuoted(last) !== isQuoted(line)) {
      runs.push(run);
      run = [];
    }
    run.push(line);
  }
  runs.push(run);
  return runs;
}

/** Parses plain text; `file` names the file in errors. */
export function parsePlainText(text: string, file = 'input'): ParsedDocument {
  const normalised = text.replace(/^\uFEFF/u, '').replace(/\r\n?|[\f\v]/g, '\n');
  let groups = splitGroups(normalised);
  if (groups.length === 0) throw new ImportError(file, 'the file is empty', 'empty');

  // A document indented as a whole: that indentation is not structure.
  const base = minIndent(groups.flat());
  if (base >= MIN_QUOTE_INDENT) groups = groups.map((g) => g.map((l) => dedent(l, base)));

  const width = hardWrapWidth(groups);
  const units = width === null ? lineModeUnits(groups) : wrappedUnits(groups, width);

  const widths = [...new Set(units.filter((u) => u.quote).map((u) => u.indent))].sort((a, b) => a - b);
  const titled = looksLikeTitle(units, groups, width !== null);
  const raw: RawBlock[] = units.map((u, i) =>
    i === 0 && titled
      ? { kind: 'heading', depth: 0, text: u.text }
      : u.quote
        ? { kind: 'quote', depth: widths.indexOf(u.indent) + 1, text: u.text }
        : { kind: 'paragraph', depth: 0, text: u.text },
  );
  return finishDocument(file, raw, titled ? undefined : titleFromFileName(file));
}

/** A title is short; a line this long is a paragraph (Ruth's first verse, an opening sentence). */
const MAX_TITLE_LINE = 120;
/** A sentence ends in a full stop (a question can be a title: "A Growing Russian-Israeli Alliance?"). */
const SENTENCE_END = /[.;…׃]["'”’»)]*$/u;

/**
 * Whether a text's first line is its title: short, not a sentence, and standing apart (a blank
 * line after it, or, in a text of one paragraph a line, a paragraph after it at least twice as
 * long). Otherwise the first line is text like the rest, and the title comes from the file name.
 */
function looksLikeTitle(units: readonly Unit[], groups: readonly Line[][], wrapped: boolean): boolean {
  const first = units[0];
  if (!first || first.quote) return false;
  const text = first.text.trim();
  if (text.length === 0 || text.length > MAX_TITLE_LINE || SENTENCE_END.test(text)) return false;
  if (units.length === 1) return true;
  const firstGroup = groups[0] ?? [];
  const alone = wrapped ? units.length > 1 && firstGroup.map((l) => l.body).join(' ').trim().length <= text.length + firstGroup.length : firstGroup.length === 1;
  if (alone) return true;
  const next = units[1]!.text.trim();
  return !wrapped && next.length >= 2 * text.length;
}

/** A title made from a file name: no folder, no extension, runs of `_` and spaces as one space. */
export function titleFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.[A-Za-z0-9]{1,8}$/, '');
  const tidy = stem.replace(/[_\s]+/g, ' ').trim();
  return tidy === '' ? 'Untitled' : tidy;
}
