/**
 * The height of a section that is not mounted, so that the scrollbar is about right before its
 * text is there: each block wraps at a number of characters per line taken from the reading
 * column (its width and font size) and is followed by a gap; lines become pixels by a factor
 * measured on the sections that have been mounted.
 */
import type { Block } from '../../common/model.js';
import type { Section } from './sections.js';

/** Before anything is measured: characters per line, the gap after a block (in lines), pixels per line. */
const GUESS = { charsPerLine: 75, gap: 0.5, pxPerLine: 33 };

export class PlaceholderSizer {
  private charsPerLine = GUESS.charsPerLine;
  private pxPerLine = 0;

  constructor(private readonly blocks: readonly Block[]) {}

  get calibrated(): boolean {
    return this.pxPerLine > 0;
  }

  /** Forgets what was measured (the text size or the width changed). */
  reset(): void {
    this.charsPerLine = GUESS.charsPerLine;
    this.pxPerLine = 0;
  }

  /** Learns the line length from a mounted reading column and pixels per line from mounted sections. */
  calibrate(column: HTMLElement, mounted: readonly { section: Section; height: number }[]): void {
    const fontSize = parseFloat(getComputedStyle(column).fontSize);
    const width = column.clientWidth;
    // About half an em per character in the reading fonts, Hebrew and Latin alike.
    if (width > 0 && fontSize > 0) this.charsPerLine = Math.max(20, width / (fontSize * 0.5));
    let px = 0;
    let lines = 0;
    for (const m of mounted) {
      if (m.height <= 0) continue;
      px += m.height;
      lines += this.lines(m.section);
    }
    if (px > 0 && lines > 0) this.pxPerLine = px / lines;
  }

  height(section: Section): number {
    return Math.round(this.lines(section) * (this.pxPerLine || GUESS.pxPerLine));
  }

  private lines(section: Section): number {
    let lines = 0;
    for (let i = section.from; i < section.to; i++) {
      lines += Math.max(1, Math.ceil(this.blocks[i]!.text.length / this.charsPerLine)) + GUESS.gap;
    }
    return lines;
  }
}
