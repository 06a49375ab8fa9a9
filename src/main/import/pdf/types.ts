/**
 * The shapes the PDF reader passes between its stages. Coordinates are page units (1/72 inch) in
 * the page's viewport: x grows to the right, y grows downward, and a run's or line's `y` is its
 * baseline, so "higher on the page" is a smaller y.
 */
import type { Direction } from '../../../common/model.js';

/** One text item from pdf.js, placed on the page. */
export interface Run {
  str: string;
  /** Left edge. */
  x: number;
  /** Baseline. */
  y: number;
  /** Advance width (0 for a combining mark drawn over its letter). */
  w: number;
  /** Font size (the height of the text's em square on the page). */
  size: number;
  /** Only combining marks (niqqud, accents): belongs to the letter it is drawn on. */
  mark: boolean;
  /** Only whitespace. */
  space: boolean;
  /** The item's place in the page's content stream (the order the producer drew it in). */
  seq: number;
  /** A piece cut from a larger item (its punctuation split from its letters). */
  piece?: boolean;
  /** Set on a smaller run merged into the line below it: a superscript (a note reference or a note's label). */
  raised?: boolean;
}

/** Runs sharing a baseline, in visual order (x ascending). */
export interface RawLine {
  runs: Run[];
  /** Extent of the line's ink (runs that are not whitespace). */
  x0: number;
  x1: number;
  y: number;
  /** The font size most of the line's characters have. */
  size: number;
}

/** A line in reading order, with its text in logical order. */
export interface TextLine {
  text: string;
  dir: Direction;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** 0-based page index. */
  page: number;
  /** The column the line sits in on its page (0: the page as a whole). */
  region: number;
  /** The line begins with a superscript (a footnote's label is often one). */
  raisedStart: boolean;
  /** The superscript at the line's start, when it has one. */
  raisedText?: string;
  /** The line ends in a hyphen drawn as an item of its own (how Chromium draws a hyphen it inserts). */
  loneHyphen?: boolean;
}

/** What one page gives the document-level stages. */
export interface PageText {
  /** 0-based. */
  index: number;
  /** The page's label (the PDF's own, else its number). */
  label: string;
  width: number;
  height: number;
  /** In reading order. */
  lines: TextLine[];
}
