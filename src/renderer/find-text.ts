/**
 * Find in a text the way a Hebrew reader expects: the query and the text are folded alike
 * (niqqud, cantillation and acronym quotes dropped, Latin lower-cased), so `שלום` finds `שָׁלוֹם`,
 * and each hit is mapped back to the original offsets for highlighting.
 */
import { fold, foldText, unfoldRange, type Folded } from '../common/text/fold.js';

export interface TextRange {
  start: number;
  end: number;
}

/** A text folded once, to run many queries against. */
export class FoldedText {
  private readonly folded: Folded;

  constructor(readonly original: string) {
    this.folded = fold(original);
  }

  /** Every non-overlapping hit of the folded query, in text order; none for a blank query. */
  findAll(query: string, limit = 10_000): TextRange[] {
    const needle = foldText(query).replace(/\s+/g, ' ').trim();
    if (!needle) return [];
    const hay = this.folded.text;
    const out: TextRange[] = [];
    for (let i = hay.indexOf(needle); i >= 0 && out.length < limit; i = hay.indexOf(needle, i + needle.length)) {
      out.push(unfoldRange(this.folded, i, i + needle.length, this.original));
    }
    return out;
  }
}

/** Splits a short text (a snippet) into plain and matched pieces for every query term. */
export function markTerms(text: string, query: string): { text: string; hit: boolean }[] {
  const folded = new FoldedText(text);
  const ranges = query
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((term) => folded.findAll(term))
    .sort((a, b) => a.start - b.start);
  const out: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start < at) continue;
    if (r.start > at) out.push({ text: text.slice(at, r.start), hit: false });
    out.push({ text: text.slice(r.start, r.end), hit: true });
    at = r.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}
