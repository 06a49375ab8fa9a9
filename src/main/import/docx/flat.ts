/**
 * The sink for the parts made of small containers: `w:footnote`s, `w:endnote`s and `w:comment`s.
 * Each container becomes one text. A note's paragraphs, tables and line breaks become spaces (a
 * note is one block); a comment keeps its line breaks and separates its paragraphs by a blank
 * line (a note of an annotation may hold line breaks). The separator notes Word keeps in the same
 * part (`w:type="separator"`…) are not content.
 */
import type { BodySink, MarkKind } from './body.js';
import type { FlatEntry } from './blocks.js';
import { Segment, joinSegments } from './segments.js';
import type { ParagraphProps, Styles } from './styles.js';
import type { Attributes } from './xml.js';

interface Building {
  id: string;
  attributes: Attributes;
  segment: Segment;
  bidi: boolean | null;
  paraIds: string[];
}

export class FlatSink implements BodySink {
  readonly entries = new Map<string, FlatEntry>();
  private current: Building | null = null;

  constructor(
    private readonly styles: Styles,
    private readonly mode: 'note' | 'comment',
  ) {}

  containerStart(_name: string, attributes: Attributes): void {
    const type = attributes['w:type'];
    const special = type !== undefined && type !== 'normal';
    this.current = special ? null : { id: attributes['w:id'] ?? '', attributes, segment: new Segment(), bidi: null, paraIds: [] };
  }

  containerEnd(): void {
    const b = this.current;
    this.current = null;
    if (b === null || this.entries.has(b.id)) return;
    let { text, marks } = joinSegments([b.segment], '');
    if (this.mode === 'comment') {
      text = text
        .split('\n')
        .map((line) => line.trim())
        .join('\n')
        .replace(/\n{3,}/g, '\n\n');
      marks = [];
    }
    this.entries.set(b.id, { id: b.id, attributes: b.attributes, text, marks, bidi: b.bidi ?? false, paraIds: b.paraIds });
  }

  paragraphStart(props: ParagraphProps, attributes: Attributes): void {
    const b = this.current;
    if (b === null) return;
    b.bidi ??= this.styles.resolve(props).bidi;
    const paraId = attributes['w14:paraId'];
    if (paraId !== undefined) b.paraIds.push(paraId.toUpperCase());
    b.segment.separate(this.mode === 'comment' ? '\n\n' : ' ');
  }

  paragraphEnd(): void {}

  text(text: string): void {
    this.current?.segment.append(text);
  }

  lineBreak(): void {
    if (this.mode === 'comment') this.current?.segment.appendRaw('\n');
    else this.current?.segment.append(' ');
  }

  mark(kind: MarkKind, id: string): void {
    this.current?.segment.mark(kind, id);
  }

  /** A note inside a note or a comment has nowhere to go; its reference is dropped. */
  noteRef(): void {}

  tableStart(): void {
    this.current?.segment.separate(' ');
  }

  tableEnd(): void {}
  rowStart(): void {
    this.current?.segment.separate(' ');
  }

  rowEnd(): void {}
  cellStart(): void {
    this.current?.segment.separate(' ');
  }

  cellEnd(): void {}
}
