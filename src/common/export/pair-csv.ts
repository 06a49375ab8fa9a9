/**
 * CSV of an aligned pair (RFC 4180, CRLF, UTF-8 with a BOM, quoting as the annotation CSV does):
 * one row per alignment bead. Columns: bead (0-based), source blocks and target blocks (indices
 * separated by spaces, empty for an omission), the source text and the target text (a bead's
 * blocks joined by a space; headers name the language, e.g. `source (he)`), confirmed (yes/no).
 */
import { languageCode } from '../pairs.js';
import { CSV_BOM, csvLine } from './csv.js';
import { segmentText, type PairExportInput } from './pair.js';

export function pairCsvColumns(input: Pick<PairExportInput, 'source' | 'target'>): string[] {
  return ['bead', 'source blocks', 'target blocks', `source (${languageCode(input.source.language, input.source.blocks)})`, `target (${languageCode(input.target.language, input.target.blocks)})`, 'confirmed'];
}

export function pairCsv(input: PairExportInput): string {
  let out = CSV_BOM + csvLine(pairCsvColumns(input));
  for (const [k, b] of input.beads.entries()) {
    out += csvLine([k, b.source.join(' '), b.target.join(' '), segmentText(input.source, b.source), segmentText(input.target, b.target), b.confirmed ? 'yes' : 'no']);
  }
  return out;
}
