/**
 * Text being built with positions pinned in it. A block is made of segments (a paragraph is one,
 * a table row has one per cell); a comment's range start or end is pinned at an offset of the
 * segment being written. When the block is finished each segment is trimmed and the segments are
 * joined (cells by TAB), and every pinned offset is carried over, so an anchor still points at the
 * same character in the block's final text.
 */
import type { MarkKind } from './body.js';

export interface Mark {
  kind: MarkKind;
  id: string;
  /** UTF-16 offset in the text it belongs to. */
  at: number;
}

export class Segment {
  text = '';
  readonly marks: Mark[] = [];
  /** A separator owed before the next text (between flattened paragraphs or cells). */
  private owed = '';

  /** Appends text; tabs and line ends become spaces (a block holds neither, and a cell no TAB). */
  append(text: string): void {
    if (text === '') return;
    if (this.owed !== '') {
      if (this.text !== '' && !(this.owed === ' ' && /\s$/u.test(this.text))) this.text += this.owed;
      this.owed = '';
    }
    this.text += text.replace(/[\t\n\r\v\f]/g, ' ');
  }

  /** Owes a separator before the next text; a paragraph separator wins over a space. */
  separate(separator: string): void {
    if (separator.length > this.owed.length) this.owed = separator;
  }

  /** Appends a line break as is (comments keep theirs). */
  appendRaw(text: string): void {
    this.owed = '';
    this.text += text;
  }

  mark(kind: MarkKind, id: string): void {
    this.marks.push({ kind, id, at: this.text.length });
  }
}

/** Whitespace trimmed off a segment's ends (only its end when the indentation is meant: code). */
function trimmed(segment: Segment, keepIndent: boolean): { text: string; lead: number } {
  if (keepIndent) return { text: segment.text.trimEnd(), lead: 0 };
  const lead = segment.text.length - segment.text.trimStart().length;
  return { text: segment.text.trim(), lead };
}

/** Joins segments (trimmed) with `separator`, carrying their marks to offsets in the result. */
export function joinSegments(segments: readonly Segment[], separator: string, keepIndent = false): { text: string; marks: Mark[] } {
  let text = '';
  const marks: Mark[] = [];
  segments.forEach((segment, i) => {
    if (i > 0) text += separator;
    const { text: t, lead } = trimmed(segment, keepIndent);
    for (const m of segment.marks) marks.push({ ...m, at: text.length + Math.min(t.length, Math.max(0, m.at - lead)) });
    text += t;
  });
  return { text, marks };
}
