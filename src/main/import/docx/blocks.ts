/**
 * The sinks that turn the body walk into blocks.
 *
 * `DocumentSink` makes the document's blocks: a top-level paragraph is one block (a heading, a
 * list item with its marker, a quote, a code line, or a paragraph); a top-level table row is one
 * `row` block, its cells trimmed and joined by TAB; anything nested deeper (a cell's paragraphs,
 * a table in a cell, a text box in a paragraph) is flattened into the text around it with spaces.
 * A footnote is placed as a `note` block right after the block that references it (after the
 * whole table when the reference is in a table), so it is read where it is called; endnotes go at
 * the end of the document, in the order they are referenced. The reference itself stays in the
 * text as a superscript label ("¹", "ⁱⁱ"), like the printed page.
 *
 * `FlatSink` collects each footnote, endnote or comment of its part as one text.
 */
import type { BlockKind, BlockMeta, Direction } from '../../../common/model.js';
import type { RawBlock } from '../plain-text.js';
import type { BodySink, MarkKind, NoteKind } from './body.js';
import { formatNumber, type Numbering } from './numbering.js';
import { type Mark, Segment, joinSegments } from './segments.js';
import type { ParagraphProps, Styles } from './styles.js';
import type { Attributes } from './xml.js';

/** A block with the comment anchors pinned in its text. */
export interface MarkedBlock {
  raw: RawBlock;
  marks: Mark[];
}

/** A footnote's, endnote's or comment's content. */
export interface FlatEntry {
  id: string;
  attributes: Attributes;
  text: string;
  marks: Mark[];
  bidi: boolean;
  /** `w14:paraId` of its paragraphs, in order (a comment reply names its parent's last one). */
  paraIds: string[];
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  i: 'ⁱ', v: 'ᵛ', x: 'ˣ', l: 'ˡ', c: 'ᶜ', d: 'ᵈ', m: 'ᵐ',
};

function superscript(label: string): string {
  const chars = [...label];
  return chars.every((c) => SUPERSCRIPT[c] !== undefined) ? chars.map((c) => SUPERSCRIPT[c]).join('') : `[${label}]`;
}

/** How notes are numbered (`w:footnotePr`/`w:endnotePr` in settings.xml): Word's defaults are 1, 2, 3 and i, ii, iii. */
export interface NoteFormats {
  footnote: { format: string; start: number };
  endnote: { format: string; start: number };
}
export const DEFAULT_NOTE_FORMATS: NoteFormats = {
  footnote: { format: 'decimal', start: 1 },
  endnote: { format: 'lowerRoman', start: 1 },
};

interface OpenBlock {
  kind: BlockKind;
  depth: number;
  meta: BlockMeta;
  dir?: Direction;
  separator: string;
  segments: Segment[];
  cells: number;
}

export class DocumentSink implements BodySink {
  readonly blocks: MarkedBlock[] = [];
  private current: OpenBlock | null = null;
  private tables = 0;
  private paragraphs = 0;
  /** Comment starts met between blocks: they belong to the next text. */
  private loose: { kind: MarkKind; id: string }[] = [];
  private pendingFootnotes: { id: string; label: string }[] = [];
  private readonly endnotes: { id: string; label: string }[] = [];
  private readonly placed = new Set<string>();
  private footnoteCount = 0;
  private endnoteCount = 0;

  constructor(
    private readonly styles: Styles,
    private readonly numbering: Numbering,
    private readonly notes: { footnote: Map<string, FlatEntry>; endnote: Map<string, FlatEntry> },
    private readonly noteFormats: NoteFormats = DEFAULT_NOTE_FORMATS,
  ) {}

  private get flattened(): boolean {
    return this.tables > 0 || this.paragraphs > 1;
  }

  private segment(): Segment {
    if (this.current === null) this.open({ kind: 'paragraph', depth: 0, meta: {}, separator: '', segments: [], cells: 0 });
    const block = this.current as OpenBlock;
    let segment = block.segments[block.segments.length - 1];
    if (segment === undefined) {
      segment = new Segment();
      block.segments.push(segment);
    }
    return segment;
  }

  private open(block: OpenBlock): void {
    this.current = block;
    if (this.loose.length > 0) {
      const segment = new Segment();
      block.segments.push(segment);
      for (const m of this.loose) segment.mark(m.kind, m.id);
      this.loose = [];
    }
  }

  private finish(): void {
    const block = this.current;
    if (block === null) return;
    this.current = null;
    const { text, marks } = joinSegments(block.segments, block.separator, block.kind === 'code');
    const raw: RawBlock = { kind: block.kind, depth: block.depth, text };
    if (Object.keys(block.meta).length > 0) raw.meta = block.meta;
    if (block.dir !== undefined) raw.dir = block.dir;
    this.blocks.push({ raw, marks });
  }

  private placeFootnotes(): void {
    for (const { id, label } of this.pendingFootnotes) this.placeNote('footnote', id, label);
    this.pendingFootnotes = [];
  }

  private placeNote(kind: NoteKind, id: string, label: string): void {
    const entry = this.notes[kind].get(id);
    const key = `${kind}:${id}`;
    if (entry === undefined || this.placed.has(key)) return;
    this.placed.add(key);
    const raw: RawBlock = { kind: 'note', depth: 0, text: entry.text, meta: { label } };
    if (entry.bidi) raw.dir = 'rtl';
    this.blocks.push({ raw, marks: entry.marks });
  }

  /** The marker for a numbered paragraph, counted even when the paragraph is empty (Word shows it). */
  private marker(numId: string | undefined, ilvl: number): string | null {
    return numId === undefined ? null : this.numbering.next(numId, ilvl);
  }

  paragraphStart(props: ParagraphProps): void {
    this.paragraphs += 1;
    const p = this.styles.resolve(props);
    const marker = this.marker(p.numId, p.ilvl);
    if (this.flattened) {
      const segment = this.segment();
      segment.separate(' ');
      if (marker) segment.append(`${marker} `);
      return;
    }
    this.finish();
    const dir: Direction | undefined = p.bidi ? 'rtl' : undefined;
    const base = { separator: '', segments: [] as Segment[], cells: 0, ...(dir ? { dir } : {}) };
    if (p.role === 'heading' || p.role === 'title') {
      this.open({ ...base, kind: 'heading', depth: 0, meta: { level: p.headingLevel ?? 1 } });
      // A numbered heading shows its number as part of its text ("2.1 Method").
      if (marker) this.segment().append(`${marker} `);
    } else if (p.numId !== undefined) {
      this.open({ ...base, kind: 'item', depth: p.ilvl + 1, meta: marker ? { marker } : {} });
    } else if (p.role === 'quote') {
      this.open({ ...base, kind: 'quote', depth: 1, meta: {} });
    } else {
      this.open({ ...base, kind: p.role === 'code' ? 'code' : 'paragraph', depth: 0, meta: {} });
    }
  }

  paragraphEnd(): void {
    this.paragraphs -= 1;
    if (this.flattened || this.paragraphs > 0) return;
    this.finish();
    this.placeFootnotes();
  }

  text(text: string): void {
    this.segment().append(text);
  }

  lineBreak(): void {
    const block = this.current;
    // Code keeps its lines: each is a block of its own.
    if (block !== null && block.kind === 'code' && !this.flattened) {
      this.finish();
      this.open({ ...block, meta: { ...block.meta }, segments: [] });
    } else this.text(' ');
  }

  mark(kind: MarkKind, id: string): void {
    if (this.current !== null) {
      this.segment().mark(kind, id);
      return;
    }
    const last = this.blocks[this.blocks.length - 1];
    if (kind !== 'start' && last !== undefined) last.marks.push({ kind, id, at: last.raw.text.length });
    else this.loose.push({ kind, id });
  }

  noteRef(kind: NoteKind, id: string, customLabel: string | null): void {
    // A note with its own mark does not take a number (Word numbers the others on).
    let label = customLabel;
    if (label === null) {
      const { format, start } = this.noteFormats[kind];
      const count = kind === 'footnote' ? this.footnoteCount++ : this.endnoteCount++;
      label = formatNumber(start + count, format);
    }
    if (customLabel === null) this.segment().append(superscript(label));
    (kind === 'footnote' ? this.pendingFootnotes : this.endnotes).push({ id, label });
  }

  tableStart(): void {
    if (!this.flattened && this.paragraphs === 0) this.finish();
    else this.segment().separate(' ');
    this.tables += 1;
  }

  tableEnd(): void {
    this.tables -= 1;
    if (this.tables === 0 && this.paragraphs === 0) this.placeFootnotes();
  }

  rowStart(row: { header: boolean; bidi: boolean }): void {
    if (this.tables === 1 && this.paragraphs === 0) {
      this.finish();
      // All rows of a table read one way, as Word lays them out (bidiVisual or not); a row whose
      // letters are all of the other direction still follows its letters (finishDocument).
      const dir: Direction = row.bidi ? 'rtl' : 'ltr';
      this.open({ kind: 'row', depth: 0, meta: row.header ? { header: true } : {}, separator: '\t', segments: [], cells: 0, dir });
    } else this.segment().separate(' ');
  }

  rowEnd(): void {
    if (this.tables === 1 && this.paragraphs === 0) this.finish();
  }

  cellStart(): void {
    const block = this.current;
    if (this.tables === 1 && this.paragraphs === 0 && block !== null && block.kind === 'row') {
      // The first cell takes the segment holding marks met before it, if there is one.
      if (block.cells > 0 || block.segments.length === 0) block.segments.push(new Segment());
      block.cells += 1;
    } else this.segment().separate(' ');
  }

  cellEnd(): void {}

  containerStart(): void {}
  containerEnd(): void {}

  /** Finishes the last block and places what is left: footnotes, endnotes, marks past the end. */
  end(): MarkedBlock[] {
    this.finish();
    this.placeFootnotes();
    for (const { id, label } of this.endnotes) this.placeNote('endnote', id, label);
    const last = this.blocks[this.blocks.length - 1];
    if (last !== undefined) for (const m of this.loose) last.marks.push({ ...m, at: last.raw.text.length });
    this.loose = [];
    return this.blocks;
  }
}
