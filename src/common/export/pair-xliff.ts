/**
 * XLIFF 1.2 of a translation pair, both ways: the version OmegaT, Trados, memoQ and
 * translate-toolkit all read and write. Pure.
 *
 * **Writing** (`pairXliff`): one `<file>` (source and target languages he/en), one `<trans-unit>`
 * per alignment unit that has source text, its id naming the unit's blocks (`s3-4.t5`: source
 * blocks 3 to 4, target block 5; `s7.t`: no target block), `xml:space="preserve"`. `<source>`
 * and `<target>` carry `xml:lang`; the target's `state` says where the unit stands: `final` (and
 * `approved="yes"`) when it is confirmed, `translated` when it has text, `needs-review-translation`
 * when a text changed under it since. A unit not translated yet has its source copied into its
 * target with `state="new"`, as CAT tools expect (OmegaT translates the text it finds in
 * `<target>`; a file without targets gives it nothing to translate); reading back, a target that
 * is still its source is no translation (`PairService.importTranslation`). The notes and tags of annotations on a
 * unit's text become `<note annotates="source|target" from="gloss">`.
 *
 * **Reading** (`readXliff`): a strict, bounded XML reader (well-formedness checked, every limit
 * named in its message with the line and column): at most `XLIFF_LIMITS.chars` characters,
 * `units` trans-units, `depth` nested elements, `segment` characters of one source or target; no
 * DOCTYPE (entities are how a small file becomes a large one); only XML's own entities and
 * character references. Of each `<trans-unit>` it keeps the id, `translate`, and the text of its
 * own `<source>` and `<target>` (not those of `<alt-trans>` proposals or `<seg-source>`): the text
 * of inline `<g>` and `<mrk>` is kept, native codes (`<ph>`, `<bpt>`, `<ept>`, `<it>`) and
 * placeholders (`<x/>`, `<bx/>`, `<ex/>`) are not; line breaks become spaces (a segment is a
 * line). What to do with the units is the caller's (`PairService.importTranslation`).
 */
import type { Annotation } from '../annotation-schema.js';
import { languageCode } from '../pairs.js';
import type { AlignmentBead } from '../align/beads.js';
import { segmentText, type PairDocument, type PairExportInput } from './pair.js';
import { xmlText } from './pair-tmx.js';

export const XLIFF_NAMESPACE = 'urn:oasis:names:tc:xliff:document:1.2';

/** A unit's id from its blocks: `s3-4.t5`, `s7.t` (no target block), `s.t2` (no source block). */
export function unitId(bead: Pick<AlignmentBead, 'source' | 'target'>): string {
  const run = (xs: readonly number[]) => (xs.length === 0 ? '' : xs.length === 1 ? String(xs[0]) : `${xs[0]}-${xs[xs.length - 1]}`);
  return `s${run(bead.source)}.t${run(bead.target)}`;
}

/** The blocks a unit id names, or null when it is not one of Gloss's. */
export function parseUnitId(id: string): { source: number[]; target: number[] } | null {
  const m = /^s(?:(\d+)(?:-(\d+))?)?\.t(?:(\d+)(?:-(\d+))?)?$/.exec(id);
  if (!m) return null;
  const run = (a?: string, b?: string): number[] | null => {
    if (a === undefined) return [];
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    if (to < from || to - from > 10_000) return null;
    return Array.from({ length: to - from + 1 }, (_, k) => from + k);
  };
  const source = run(m[1], m[2]);
  const target = run(m[3], m[4]);
  return source && target ? { source, target } : null;
}

export type XliffState = 'final' | 'translated' | 'needs-review-translation' | 'new';

/** The target state a unit is written with. */
export function unitState(bead: Pick<AlignmentBead, 'confirmed' | 'review'>, hasText: boolean): XliffState {
  if (!hasText) return 'new';
  if (bead.review) return 'needs-review-translation';
  return bead.confirmed ? 'final' : 'translated';
}

/** Starts of a document's blocks in its canonical text (blocks joined by `\n`). */
function blockStarts(doc: PairDocument): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const b of doc.blocks) {
    starts.push(at);
    at += b.text.length + 1;
  }
  return starts;
}

/** The annotations of a document on a run of its blocks, as note texts. */
function notesOn(doc: PairDocument, starts: readonly number[], blocks: readonly number[], annotations: readonly Annotation[]): string[] {
  if (blocks.length === 0 || annotations.length === 0) return [];
  const first = blocks[0]!;
  const last = blocks[blocks.length - 1]!;
  const from = starts[first]!;
  const to = starts[last]! + (doc.blocks[last]?.text.length ?? 0);
  const out: string[] = [];
  for (const a of annotations) {
    if (a.status !== 'anchored' || a.end <= from || a.start >= to || (!a.note && a.tags.length === 0)) continue;
    const quote = a.exact.replace(/\s+/g, ' ').trim();
    const parts = [`“${quote.length > 80 ? `${quote.slice(0, 79)}…` : quote}”`];
    if (a.note) parts.push(a.note);
    if (a.tags.length) parts.push(`(tags: ${a.tags.join(', ')})`);
    out.push(parts.join(' '));
  }
  return out;
}

export interface XliffExportInput extends PairExportInput {
  /** The annotations of each document, for `<note>`s (none when absent). */
  annotations?: { source: readonly Annotation[]; target: readonly Annotation[] };
}

/** The pair as XLIFF 1.2. */
export function pairXliff(input: XliffExportInput): string {
  const { source, target, beads } = input;
  const srcLang = languageCode(source.language, source.blocks);
  const tgtLang = languageCode(target.language, target.blocks);
  const sStarts = blockStarts(source);
  const tStarts = blockStarts(target);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<xliff version="1.2" xmlns="${XLIFF_NAMESPACE}">`);
  out.push(`  <file original="${xmlText(source.title)}" source-language="${srcLang}" target-language="${tgtLang}" datatype="plaintext" date="${xmlText(input.generated)}" tool-id="gloss">`);
  out.push('    <header>');
  out.push(`      <tool tool-id="gloss" tool-name="Gloss" tool-version="${xmlText(input.version ?? '0')}"/>`);
  out.push(`      <note from="gloss">${xmlText(`Translation of “${source.title}” (${srcLang}) into ${tgtLang}: “${target.title}”. Unit ids name the blocks of each text (s3-4.t5: source blocks 3 to 4, target block 5); import the file back with the same ids.`)}</note>`);
  out.push('    </header>');
  out.push('    <body>');
  for (const b of beads) {
    const src = segmentText(source, b.source);
    if (b.source.length === 0 || src.trim() === '') continue;
    const tgt = segmentText(target, b.target);
    const state = unitState(b, tgt.trim() !== '');
    const approved = state === 'final' ? ' approved="yes"' : '';
    out.push(`      <trans-unit id="${unitId(b)}" xml:space="preserve"${approved}>`);
    out.push(`        <source xml:lang="${srcLang}">${xmlText(src)}</source>`);
    out.push(`        <target xml:lang="${tgtLang}" state="${state}">${xmlText(state === 'new' ? src : tgt)}</target>`);
    for (const n of notesOn(source, sStarts, b.source, input.annotations?.source ?? [])) out.push(`        <note from="gloss" annotates="source">${xmlText(n)}</note>`);
    for (const n of notesOn(target, tStarts, b.target, input.annotations?.target ?? [])) out.push(`        <note from="gloss" annotates="target">${xmlText(n)}</note>`);
    out.push('      </trans-unit>');
  }
  out.push('    </body>');
  out.push('  </file>');
  out.push('</xliff>');
  return out.join('\n') + '\n';
}

// Reading ------------------------------------------------------------------------------------------

export const XLIFF_LIMITS = {
  /** Characters of the whole file. */
  chars: 50_000_000,
  /** `<trans-unit>` elements. */
  units: 100_000,
  /** Elements open at once. */
  depth: 64,
  /** Characters of one `<source>` or `<target>`. */
  segment: 1_000_000,
} as const;

export class XliffError extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? reason : `line ${line}, column ${column}: ${reason}`);
  }
}

export interface XliffUnit {
  id: string;
  /** `translate="no"`: the unit is not for translation. */
  translate: boolean;
  source: string;
  /** Absent when the unit has no `<target>`. */
  target?: { text: string; state?: string };
  approved: boolean;
  line: number;
}

export interface XliffFile {
  version: string;
  sourceLanguage: string;
  targetLanguage: string;
  original: string;
  units: XliffUnit[];
}

/** Elements whose content is native code, not text. */
const CODE = new Set(['ph', 'bpt', 'ept', 'it', 'sub']);
const PLACEHOLDER = new Set(['x', 'bx', 'ex']);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFF]*/y;

interface Open {
  name: string;
  local: string;
  line: number;
  column: number;
}

/** Reads an XLIFF 1.2 (or 1.1) document. Throws `XliffError` saying what is wrong and where. */
export function readXliff(text: string, limits: Partial<Record<keyof typeof XLIFF_LIMITS, number>> = {}): XliffFile {
  const max = { ...XLIFF_LIMITS, ...limits };
  if (text.length > max.chars) throw new XliffError(`the file is ${text.length.toLocaleString('en')} characters; at most ${max.chars.toLocaleString('en')} are read (XLIFF_LIMITS.chars)`);
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Line and column of an offset: counted on from the last one asked for (offsets asked for
  // while reading only grow), from the start otherwise.
  let seenAt = 0;
  let seenLine = 1;
  let seenLineStart = 0;
  const where = (at: number): [number, number] => {
    if (at < seenAt) {
      seenAt = 0;
      seenLine = 1;
      seenLineStart = 0;
    }
    for (let i = text.indexOf('\n', seenAt); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
      seenLine++;
      seenLineStart = i + 1;
    }
    seenAt = at;
    return [seenLine, at - seenLineStart + 1];
  };
  const fail = (reason: string, at = pos): never => {
    const [l, c] = where(at);
    throw new XliffError(reason, l, c);
  };
  const decode = (raw: string, at: number): string =>
    raw.includes('&')
      ? raw.replace(/&([^;&\s]{0,12});?/g, (m, ref: string, off: number) => {
          if (!m.endsWith(';')) return fail(`“&” must begin an entity such as &amp; (found “${m}”)`, at + off);
          if (ref in ENTITIES) return ENTITIES[ref]!;
          const num = /^#(\d{1,7})$/.exec(ref) ?? /^#x([0-9a-fA-F]{1,6})$/.exec(ref);
          if (num) {
            const cp = ref[1] === 'x' ? parseInt(num[1]!, 16) : Number(num[1]);
            if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return fail(`character reference &${ref}; is not a character XML allows`, at + off);
            return String.fromCodePoint(cp);
          }
          return fail(`unknown entity &${ref}; (XLIFF files use only &lt; &gt; &amp; &quot; &apos; and character references)`, at + off);
        })
      : raw;

  const stack: Open[] = [];
  const ids = new Set<string>();
  let root: Open | null = null;
  const file: XliffFile = { version: '', sourceLanguage: '', targetLanguage: '', original: '', units: [] };
  // The unit being read, and where its text goes.
  let unit: (XliffUnit & { sourceSeen: boolean }) | null = null;
  let unitDepth = -1;
  let capture: { into: 'source' | 'target'; depth: number; parts: string[]; length: number; skip: number } | null = null;
  let targetState: string | undefined;
  const addText = (s: string) => {
    if (!capture || capture.skip > 0 || s === '') return;
    capture.length += s.length;
    if (capture.length > max.segment) fail(`a ${capture.into} holds more than ${max.segment.toLocaleString('en')} characters (XLIFF_LIMITS.segment)`);
    capture.parts.push(s);
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunkEnd = lt < 0 ? text.length : lt;
    if (chunkEnd > pos) {
      const raw = text.slice(pos, chunkEnd);
      if (stack.length === 0) {
        if (raw.trim() !== '') fail(root ? 'text after the end of the document' : 'text before the first element: this is not an XML file');
      } else {
        if (raw.includes(']]>')) fail('“]]>” may not appear in text');
        addText(decode(raw, pos));
      }
      pos = chunkEnd;
      continue;
    }
    // At '<'.
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end < 0) fail('a comment is not closed (-->)');
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the document element');
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) fail('a CDATA section is not closed (]]>)');
      addText(text.slice(pos + 9, end));
      pos = end + 3;
      continue;
    }
    if (text.startsWith('<!DOCTYPE', pos) || text.startsWith('<!doctype', pos)) fail('a DOCTYPE is not read (its entities could make a small file expand without bound); XLIFF files have none');
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos + 2);
      if (end < 0) fail('a processing instruction is not closed (?>)');
      pos = end + 2;
      continue;
    }
    if (text.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(text);
      if (!m) fail('an end tag without a name');
      const name = m![0];
      let p = pos + 2 + name.length;
      while (p < text.length && /\s/.test(text[p]!)) p++;
      if (text[p] !== '>') fail(`the end tag </${name}> is not closed with “>”`);
      const open = stack.pop();
      if (!open) fail(`</${name}> closes nothing`);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}>, opened at line ${open!.line}, column ${open!.column}`);
      endElement(open!.local, stack.length);
      pos = p + 1;
      continue;
    }
    // A start tag.
    const tagAt = pos;
    NAME.lastIndex = pos + 1;
    const m = NAME.exec(text);
    if (!m) fail('“<” that begins no element (write &lt; for a “<” in text)');
    const name = m![0];
    let p = pos + 1 + name.length;
    const attrs: Record<string, string> = {};
    let count = 0;
    for (;;) {
      const before = p;
      while (p < text.length && /\s/.test(text[p]!)) p++;
      if (text[p] === '>' || text.startsWith('/>', p)) break;
      if (p >= text.length) fail(`<${name}> is not closed`, tagAt);
      if (p === before) fail(`attributes of <${name}> must be separated by spaces`);
      NAME.lastIndex = p;
      const a = NAME.exec(text);
      if (!a) fail(`a bad attribute name in <${name}>`);
      const attr = a![0];
      p += attr.length;
      while (/\s/.test(text[p] ?? '')) p++;
      if (text[p] !== '=') fail(`attribute ${attr} of <${name}> has no value`);
      p++;
      while (/\s/.test(text[p] ?? '')) p++;
      const quote = text[p];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attr} in <${name}> is not quoted`);
      const end = text.indexOf(quote!, p + 1);
      if (end < 0) fail(`the value of ${attr} in <${name}> is not closed`);
      const raw = text.slice(p + 1, end);
      if (raw.includes('<')) fail(`the value of ${attr} in <${name}> holds “<”`);
      if (attr in attrs) fail(`attribute ${attr} appears twice in <${name}>`);
      if (++count > 256) fail(`<${name}> has more than 256 attributes`);
      attrs[attr] = decode(raw, p + 1);
      p = end + 1;
    }
    const selfClosing = text.startsWith('/>', p);
    pos = p + (selfClosing ? 2 : 1);
    if (stack.length === 0 && root) fail(`a second document element <${name}>: an XML file has one`, tagAt);
    if (stack.length >= max.depth) fail(`elements nest more than ${max.depth} deep (XLIFF_LIMITS.depth)`, tagAt);
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    const [line, column] = unit === null && local === 'trans-unit' ? where(tagAt) : [0, 0];
    const open: Open = { name, local, line, column };
    if (!root) {
      root = open;
      if (local !== 'xliff') fail(`the document element is <${name}>, not <xliff>: this is not an XLIFF file`, tagAt);
      file.version = attrs.version ?? '';
      if (!/^1\.[0-2]$/.test(file.version)) fail(file.version ? `this is XLIFF ${file.version}; Gloss reads XLIFF 1.2 (and 1.1, 1.0)` : '<xliff> has no version; Gloss reads XLIFF 1.2', tagAt);
    }
    startElement(local, attrs, stack.length, line);
    if (selfClosing) endElement(local, stack.length);
    else stack.push(open);
  }
  if (!root) fail('the file holds no element: this is not an XLIFF file');
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    fail(`<${open.name}> is not closed (the file ends first)`);
  }
  return file;

  function startElement(local: string, attrs: Record<string, string>, depth: number, line: number): void {
    if (local === 'file' && !unit) {
      // Several <file>s may come one after another; languages must agree.
      const src = attrs['source-language'] ?? '';
      const tgt = attrs['target-language'] ?? '';
      if (file.sourceLanguage && (src !== file.sourceLanguage || (tgt && file.targetLanguage && tgt !== file.targetLanguage))) fail('two <file> elements with different languages');
      file.sourceLanguage ||= src;
      file.targetLanguage ||= tgt;
      file.original ||= attrs.original ?? '';
      return;
    }
    if (local === 'trans-unit') {
      if (unit) fail('a <trans-unit> inside another');
      if (file.units.length >= max.units) fail(`more than ${max.units.toLocaleString('en')} trans-units (XLIFF_LIMITS.units)`);
      const id = attrs.id;
      if (id === undefined || id === '') fail('a <trans-unit> without an id');
      unit = { id: id!, translate: attrs.translate !== 'no', source: '', approved: attrs.approved === 'yes', line, sourceSeen: false };
      unitDepth = depth;
      return;
    }
    if (!unit) return;
    if (capture) {
      if (CODE.has(local)) capture.skip++;
      else if (PLACEHOLDER.has(local)) {
        // A placeholder stands for something outside the text: nothing to keep.
      }
      return;
    }
    // Only the unit's own <source> and <target>, not those inside <alt-trans> or <seg-source>.
    if (depth === unitDepth + 1 && (local === 'source' || local === 'target')) {
      if (local === 'source' && unit.sourceSeen) fail(`trans-unit ${unit.id} has two <source>s`);
      if (local === 'target' && unit.target) fail(`trans-unit ${unit.id} has two <target>s`);
      capture = { into: local, depth, parts: [], length: 0, skip: 0 };
      if (local === 'target') targetState = attrs.state;
    }
  }

  function endElement(local: string, depth: number): void {
    if (capture && depth === capture.depth) {
      const value = capture.parts.join('').replace(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])+[ \t]*/g, ' ');
      if (capture.into === 'source') {
        unit!.source = value;
        unit!.sourceSeen = true;
      } else unit!.target = targetState === undefined ? { text: value } : { text: value, state: targetState };
      capture = null;
      return;
    }
    if (capture && CODE.has(local)) {
      capture.skip--;
      return;
    }
    if (unit && local === 'trans-unit' && depth === unitDepth) {
      if (!unit.sourceSeen) fail(`trans-unit ${unit.id} has no <source>`);
      const { sourceSeen: _, ...done } = unit;
      if (ids.has(done.id)) fail(`two trans-units have the id ${done.id}`);
      ids.add(done.id);
      file.units.push(done);
      unit = null;
      unitDepth = -1;
    }
  }
}
