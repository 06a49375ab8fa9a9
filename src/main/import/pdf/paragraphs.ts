/**
 * Lines in reading order to blocks: paragraphs, headings, list items and notes.
 *
 * A line goes on the paragraph before it unless something on the page says a new one begins:
 * - a wider gap above it than the usual line pitch;
 * - its start indented (a first-line indent), or the paragraph was indented as a whole and it is not;
 * - the line before it ended short: its column had room for this line's first word, so the break
 *   was the paragraph's end (or a forced break), not the text wrapping;
 * - a change of size (a heading, a caption), or a list marker at its start.
 * Across a page or column break only the short line, the indent and (in a document that marks
 * paragraphs by spacing rather than indents) a sentence end before the break begin a paragraph,
 * so a paragraph running over a page stays one block. Footnotes found at a page's foot become
 * note blocks placed after the paragraph that was open there, so they do not cut it.
 */
import type { BlockKind, BlockMeta, Direction } from '../../../common/model.js';
import type { RawBlock } from '../plain-text.js';
import { joinLines, Spellings, type HyphenHint } from './hyphens.js';
import { columnEdges, headingLevels, linePitch, type Edges } from './layout.js';
import { strongLetters } from './line-text.js';
import type { NoteLine } from './notes.js';
import type { PageText, TextLine } from './types.js';

/** A gap this much wider than the pitch begins a paragraph. */
const GAP_RATIO = 1.3;
/** An indent of this many ems begins a paragraph. */
const INDENT = 0.8;
/** A heading block longer than this is a paragraph set large (a lead), not a heading. */
const MAX_HEADING_LENGTH = 300;
/** Sizes differing by more than this ratio do not share a block. */
const SIZE_CHANGE = 0.15;

const BULLET = /^([•◦▪‣●○■□➢►\u2043\u25E6])\s+/u;
const NUMBERED = /^((?:\d{1,3}|[a-z]|[ivx]{1,4})[.)])\s+/u;
const ENDS_SENTENCE = /[.!?…׃]["'”’»)\]]*$/u;
const HYPHEN_END = /\p{L}[-\u2010\u00AD]$/u;

interface Open {
  kind: BlockKind;
  text: string;
  pages: string[];
  lines: TextLine[];
  /** The horizontal extent of the block's lines in the column its last line is in. */
  span: { page: number; region: number; left: number; right: number; count: number };
  level?: number;
  label?: string;
  marker?: string;
  /** Indentation of a list item's marker (ems from the column's start edge), for its depth. */
  markerIndent?: number;
}

export interface ParagraphInput {
  pages: readonly PageText[];
  notes: ReadonlyMap<TextLine, NoteLine>;
  bodySize: number;
  /** The PDF's Producer and Creator. */
  producer?: string;
}

/**
 * Producers known to draw a hyphen they insert as a separate item and a word's own hyphen inside
 * the word's item: Chromium's Skia, which prints web pages and most HTML-to-PDF output.
 */
const DRAWS_INSERTED_HYPHENS_APART = /Skia\/PDF|HeadlessChrome|Chromium/u;

/** The blocks of a document, in reading order. */
export function buildBlocks({ pages, notes, bodySize, producer }: ParagraphInput): RawBlock[] {
  const level = headingLevels(pages, bodySize);
  const pitch = linePitch(pages);
  const edgesOf = columnEdges(pages, (l) => !notes.has(l) && level(l.size) === null);
  const labels = new Map(pages.map((p) => [p.index, p.label]));
  const labelOf = (page: number): string => labels.get(page) ?? String(page + 1);
  const spellings = new Spellings();
  for (const p of pages) for (const l of p.lines) spellings.add(l.text);
  spellings.settleHyphens(pages.flatMap((p) => p.lines.map((l) => l.text)));
  const hintOf = (l: TextLine): HyphenHint | undefined =>
    producer && DRAWS_INSERTED_HYPHENS_APART.test(producer) ? (l.loneHyphen ? 'inserted' : 'text') : undefined;

  const indentOf = (l: TextLine, e: Edges): number => (l.dir === 'rtl' ? e.right - l.x1 : l.x0 - e.left) / l.size;
  const usesIndents = countIndentStarts(pages, notes, edgesOf, indentOf, pitch) >= 2;

  const blocks: (RawBlock & { open?: Open })[] = [];
  const pending: RawBlock[] = [];
  let current: Open | null = null;
  let lastNote: { block: RawBlock; page: number; line: TextLine } | null = null;

  const close = (): void => {
    if (current) blocks.push(toBlock(current));
    current = null;
    blocks.push(...pending);
    pending.length = 0;
  };
  const addPage = (pagesList: string[], page: number): void => {
    const label = labelOf(page);
    if (pagesList[pagesList.length - 1] !== label) pagesList.push(label);
  };

  for (const page of pages) {
    for (const line of page.lines) {
      const note = notes.get(line);
      if (note) {
        if (note.label === undefined) {
          // A note goes on over the page only if it stopped mid-sentence.
          if (lastNote && lastNote.page >= line.page - 1 && (lastNote.page === line.page || !ENDS_SENTENCE.test(lastNote.block.text))) {
            lastNote.block.text = joinLines(lastNote.block.text, note.text, spellings, lastNote.line && hintOf(lastNote.line));
            lastNote.line = line;
            addPage(lastNote.block.meta!.pages!, line.page);
            lastNote.page = line.page;
            continue;
          }
          // Small print with no note to continue: it is text.
        } else {
          const block: RawBlock = { kind: 'note', depth: 0, text: note.text, meta: { label: note.label, pages: [labelOf(line.page)] }, dir: line.dir };
          if (current) pending.push(block);
          else blocks.push(block);
          lastNote = { block, page: line.page, line };
          continue;
        }
      }

      const headingLevel = level(line.size);
      const bullet = BULLET.exec(line.text);
      const numbered = NUMBERED.exec(line.text);
      const prev: TextLine | undefined = current?.lines[current.lines.length - 1];
      let goesOn = false;
      if (current && prev) {
        if (headingLevel !== null || current.kind === 'heading') {
          goesOn =
            current.kind === 'heading' &&
            current.level === headingLevel &&
            prev.page === line.page &&
            prev.region === line.region &&
            line.y - prev.y > 0 &&
            line.y - prev.y <= GAP_RATIO * pitch(line.size);
        } else if (!bullet && !(numbered && current.kind === 'item')) {
          goesOn = continues(current, prev, line);
        }
      }
      if (goesOn && current) {
        current.text = joinLines(current.text, line.text, spellings, prev && hintOf(prev));
        current.lines.push(line);
        widen(current, line);
        addPage(current.pages, line.page);
        continue;
      }
      close();
      const marker = bullet ?? (numbered && (headingLevel === null) ? numbered : null);
      const edges = edgesOf(line);
      current = {
        kind: headingLevel !== null ? 'heading' : marker ? 'item' : 'paragraph',
        text: marker ? line.text.slice(marker[0].length) : line.text,
        pages: [],
        lines: [line],
        span: { page: line.page, region: line.region, left: line.x0, right: line.x1, count: 1 },
      };
      if (headingLevel !== null) current.level = headingLevel;
      if (marker) {
        current.marker = marker[1]!;
        current.markerIndent = Math.max(0, indentOf(line, edges));
      }
      addPage(current.pages, line.page);
    }
  }
  close();
  return withItemDepths(blocks);

  function continues(block: Open, prev: TextLine, line: TextLine): boolean {
    if (Math.abs(line.size - prev.size) > SIZE_CHANGE * Math.max(line.size, prev.size)) return false;
    const prevEdges = edgesOf(prev);
    const edges = edgesOf(line);
    const indent = indentOf(line, edges);
    const short = endsShort(block, prev, line, prevEdges);
    // A line in the other direction after a line that stops short is a new paragraph (a Hebrew
    // paragraph after an English one), even where the break could be a wrap.
    if (line.dir !== prev.dir && slackOf(prev, local(block, line, prevEdges)) > prev.size) return false;
    if (prev.page === line.page && prev.region === line.region) {
      const dy = line.y - prev.y;
      if (dy <= 0 || dy > GAP_RATIO * pitch(line.size) + 0.5) return false;
      if (short) return false;
      const prevIndent = indentOf(prev, prevEdges);
      if (block.kind === 'item') return indent >= (block.markerIndent ?? 0) - INDENT / 2;
      if (indent - prevIndent > INDENT) return false;
      // A block indented as a whole (a quotation) ends where its lines stop being indented.
      const second = block.lines[1];
      if (second && indentOf(second, edgesOf(second)) > INDENT && indent < INDENT / 2) return false;
      return true;
    }
    if (short) return false;
    if (block.kind !== 'item' && indent > INDENT) return false;
    if (!usesIndents && ENDS_SENTENCE.test(prev.text)) return false;
    return true;
  }

  /**
   * The line before stops short of its column's end: there was room for the next line's first
   * word, or (in justified text, where only a paragraph's last line is short) it ends a sentence.
   */
  function endsShort(block: Open, prev: TextLine, next: TextLine, e: Edges): boolean {
    if (HYPHEN_END.test(prev.text)) return false;
    const slack = slackOf(prev, local(block, next, e));
    const perChar = (next.x1 - next.x0) / Math.max(1, Array.from(next.text).length);
    const firstWord = Array.from(next.text.split(/\s/u)[0] ?? '').length * perChar;
    if (slack > Math.max(next.size, firstWord + 0.5 * next.size)) return true;
    return e.justified && slack > prev.size && ENDS_SENTENCE.test(prev.text);
  }

  /**
   * The measure the block is set to: a paragraph narrower than its column (a narrow box, a
   * quotation indented on both sides) ends its lines at its own edge, not the column's.
   */
  function local(block: Open, next: TextLine, e: Edges): Edges {
    const s = block.span;
    const same = next.page === s.page && next.region === s.region;
    if (s.count + (same ? 1 : 0) < 2) return e;
    const left = same ? Math.min(s.left, next.x0) : s.left;
    const right = same ? Math.max(s.right, next.x1) : s.right;
    return { left: Math.max(left, e.left), right: Math.min(right, e.right), justified: e.justified };
  }

  function slackOf(line: TextLine, e: Edges): number {
    return line.dir === 'rtl' ? line.x0 - e.left : e.right - line.x1;
  }

  function toBlock(open: Open): RawBlock {
    let kind = open.kind;
    if (kind === 'heading' && open.text.length > MAX_HEADING_LENGTH) kind = 'paragraph';
    const meta: BlockMeta = { pages: open.pages };
    if (kind === 'heading' && open.level !== undefined) meta.level = open.level;
    if (kind === 'item' && open.marker) meta.marker = open.marker;
    const block: RawBlock & { open?: Open } = { kind, depth: 0, text: open.text, meta, dir: majorityDir(open.text, open.lines[0]?.dir ?? 'ltr') };
    if (kind === 'item') block.open = open;
    return block;
  }
}

/** Takes a line into the block's extent, starting afresh in a new column. */
function widen(block: Open, line: TextLine): void {
  const s = block.span;
  if (line.page !== s.page || line.region !== s.region) {
    block.span = { page: line.page, region: line.region, left: line.x0, right: line.x1, count: 1 };
    return;
  }
  s.left = Math.min(s.left, line.x0);
  s.right = Math.max(s.right, line.x1);
  s.count++;
}

function majorityDir(text: string, fallback: Direction): Direction {
  const c = strongLetters(text);
  return c.rtl > c.ltr ? 'rtl' : c.ltr > c.rtl ? 'ltr' : fallback;
}

/** How many paragraphs in the document begin with a first-line indent and no gap above. */
function countIndentStarts(
  pages: readonly PageText[],
  notes: ReadonlyMap<TextLine, NoteLine>,
  edgesOf: (l: TextLine) => Edges,
  indentOf: (l: TextLine, e: Edges) => number,
  pitch: (size: number) => number,
): number {
  let n = 0;
  for (const p of pages) {
    for (let i = 1; i < p.lines.length; i++) {
      const a = p.lines[i - 1]!;
      const b = p.lines[i]!;
      if (notes.has(a) || notes.has(b) || a.region !== b.region) continue;
      const dy = b.y - a.y;
      if (dy > 0 && dy <= GAP_RATIO * pitch(b.size) && indentOf(b, edgesOf(b)) - indentOf(a, edgesOf(a)) > INDENT) n++;
    }
  }
  return n;
}

/** List items' depths: the distinct indents of their markers, ranked. */
function withItemDepths(blocks: (RawBlock & { open?: Open })[]): RawBlock[] {
  const indents: number[] = [];
  for (const b of blocks) {
    const m = b.open?.markerIndent;
    if (m !== undefined && !indents.some((x) => Math.abs(x - m) < 0.5)) indents.push(m);
  }
  indents.sort((a, b) => a - b);
  return blocks.map(({ open, ...b }) => {
    if (b.kind !== 'item' || open?.markerIndent === undefined) return b;
    const m = open.markerIndent;
    const depth = indents.findIndex((x) => Math.abs(x - m) < 0.5) + 1;
    return { ...b, depth: Math.max(1, depth) };
  });
}
