/**
 * Footnotes: the lines at the foot of a column set in a smaller size than the body, beginning with
 * a label (a number, a sign such as * or †, often raised). Each labelled line begins a note; the
 * lines after it continue it. Small lines at the foot that come before any label continue the last
 * note of an earlier page (a note running over a page break).
 */
import type { PageText, TextLine } from './types.js';

/** Note text is at most this size relative to the body. */
const NOTE_SIZE = 0.9;
const LABEL = /^(\d{1,3}|[*†‡§¶]{1,3}|\[\d{1,3}\]|\(\d{1,3}\))[.)]?(?=\s|\p{L})/u;
const ENDS_SENTENCE = /[.!?…׃:;"'”’»)\]]$/u;

/** What a line of a footnote area is: the start of a note (with its label) or a continuation. */
export interface NoteLine {
  label?: string;
  /** The text without the label. */
  text: string;
}

/** The label and text of a line that begins a note, or null. */
export function noteStart(line: TextLine): NoteLine | null {
  if (line.raisedStart && line.raisedText && /^[\p{N}*†‡§¶a-z]{1,4}$/u.test(line.raisedText)) {
    const rest = line.text.trim().slice(line.raisedText.length).trim();
    return { label: line.raisedText, text: rest };
  }
  const m = LABEL.exec(line.text.trim());
  if (!m) return null;
  return { label: m[1]!.replace(/^[[(]|[\])]$/gu, ''), text: line.text.trim().slice(m[0].length).trim() };
}

/**
 * Finds the footnote lines of every page. Returns, for each line that belongs to a footnote, what
 * it is; lines of the body are not in the map.
 */
export function findNotes(pages: readonly PageText[], bodySize: number): Map<TextLine, NoteLine> {
  const notes = new Map<TextLine, NoteLine>();
  for (const page of pages) {
    const regions = new Map<number, TextLine[]>();
    for (const l of page.lines) {
      let r = regions.get(l.region);
      if (!r) regions.set(l.region, (r = []));
      r.push(l);
    }
    for (const lines of regions.values()) {
      // The run of small lines at the foot of the column, in reading order.
      let start = lines.length;
      while (start > 0 && lines[start - 1]!.size <= NOTE_SIZE * bodySize) start--;
      const foot = lines.slice(start);
      if (foot.length === 0) continue;
      // With no label, the small lines may still finish a note from the page before (the paragraph
      // builder takes them so only when such a note is open).
      const found = foot.findIndex((l) => noteStart(l) !== null);
      const firstLabel = found < 0 ? foot.length : found;
      const width = Math.max(...foot.map((l) => l.x1 - l.x0));
      let previous: TextLine | undefined;
      for (const [i, l] of foot.entries()) {
        const start = noteStart(l);
        // A label opens a new note only where the line before could have ended one: a number at
        // the start of a wrapped line is just a number.
        const opens =
          start !== null &&
          (i <= firstLabel || previous === undefined || ENDS_SENTENCE.test(previous.text) || previous.x1 - previous.x0 < 0.85 * width);
        notes.set(l, opens ? start : { text: l.text.trim() });
        previous = l;
      }
    }
  }
  return notes;
}
