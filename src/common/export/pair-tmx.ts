/**
 * TMX 1.4b (Translation Memory eXchange) of an aligned pair: one `<tu>` per alignment bead, each
 * with a `<tuv xml:lang="…"><seg>…</seg></tuv>` for the source and one for the target. A bead of
 * several blocks becomes one segment, its blocks joined by a space; a side with no block (an
 * omission) has an empty `<seg/>`, so every unit holds both languages. `tuid` is the bead's index
 * (0-based, as `gloss align --show` prints it); a `prop` says whether the user confirmed it.
 *
 * Text is escaped for XML (`&`, `<`, `>`, and both quotes), and characters XML 1.0 does not allow
 * (C0 controls other than tab, line feed and carriage return; lone surrogates; U+FFFE and U+FFFF)
 * are dropped, so the file is always well-formed.
 */
import { languageCode } from '../pairs.js';
import { segmentText, type PairExportInput } from './pair.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Characters outside XML 1.0's `Char` production. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text made safe for XML content and attribute values. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** TMX's date form: YYYYMMDDThhmmssZ (UTC). */
export function tmxDate(iso: string): string {
  const d = new Date(iso);
  const t = Number.isNaN(d.getTime()) ? new Date(0) : d;
  return t.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function pairTmx(input: PairExportInput): string {
  const { source, target, beads } = input;
  const srcLang = languageCode(source.language, source.blocks);
  const tgtLang = languageCode(target.language, target.blocks);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<tmx version="1.4">');
  out.push(
    `  <header creationtool="Gloss" creationtoolversion="${xmlText(input.version ?? '0')}" datatype="plaintext" segtype="paragraph" adminlang="en" srclang="${srcLang}" o-tmf="gloss" creationdate="${tmxDate(input.generated)}">`,
  );
  out.push(`    <prop type="x-gloss-source-title">${xmlText(source.title)}</prop>`);
  out.push(`    <prop type="x-gloss-target-title">${xmlText(target.title)}</prop>`);
  out.push('  </header>');
  out.push('  <body>');
  for (const [k, b] of beads.entries()) {
    const seg = (text: string) => (text ? `<seg>${xmlText(text)}</seg>` : '<seg/>');
    out.push(`    <tu tuid="${k}">`);
    out.push(`      <prop type="x-gloss-confirmed">${b.confirmed ? 'yes' : 'no'}</prop>`);
    out.push(`      <tuv xml:lang="${srcLang}">${seg(segmentText(source, b.source))}</tuv>`);
    out.push(`      <tuv xml:lang="${tgtLang}">${seg(segmentText(target, b.target))}</tuv>`);
    out.push('    </tu>');
  }
  out.push('  </body>');
  out.push('</tmx>');
  return out.join('\n') + '\n';
}
