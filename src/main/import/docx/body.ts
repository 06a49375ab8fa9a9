/**
 * The walk over WordprocessingML content shared by the document, the notes and the comments: it
 * turns `w:p`, `w:r`, `w:t`, tables and anchors into a few events for a sink, and decides what is
 * text. Kept: runs inside hyperlinks, smart tags, content controls, insertions (`w:ins`), moved-to
 * text and field results. Dropped: deletions (`w:del`, `w:delText`), moved-from text, field
 * instructions, hidden (`w:vanish`) runs, the previous properties of tracked changes, the
 * fallback copy of a text box (`mc:Fallback`) and ruby annotations. A tab is a space; a line break
 * is the sink's to decide; a non-breaking hyphen is U+2011; a soft hyphen is nothing.
 */
import { type ParagraphProps, applyParagraphProperty } from './styles.js';
import { type Attributes, type XmlHandler, isOn } from './xml.js';

export type MarkKind = 'start' | 'end' | 'ref';
export type NoteKind = 'footnote' | 'endnote';

export interface BodySink {
  /** A paragraph begins; its own properties are known (attributes: `w14:paraId`…). */
  paragraphStart(props: ParagraphProps, attributes: Attributes): void;
  paragraphEnd(): void;
  text(text: string): void;
  lineBreak(): void;
  /** A comment's range starts, ends, or its reference mark sits here. */
  mark(kind: MarkKind, id: string): void;
  /** A note is referenced here; `customLabel` is the author's own mark, already in the text. */
  noteRef(kind: NoteKind, id: string, customLabel: string | null): void;
  tableStart(): void;
  tableEnd(): void;
  rowStart(row: { header: boolean; bidi: boolean }): void;
  rowEnd(): void;
  cellStart(): void;
  cellEnd(): void;
  /** A `w:footnote`, `w:endnote` or `w:comment` in its part. */
  containerStart(name: string, attributes: Attributes): void;
  containerEnd(name: string): void;
}

/** Elements whose whole content is not text a reader sees. */
const DROPPED = new Set([
  'w:del', 'w:moveFrom', 'w:delText', 'w:delInstrText', 'w:instrText', 'w:pPrChange', 'w:rPrChange', 'w:sectPr',
  'w:sectPrChange', 'w:tblPrChange', 'w:trPrChange', 'w:tcPrChange', 'w:numberingChange', 'mc:Fallback', 'w:sdtPr',
  'w:rt', 'w:footnoteRef', 'w:endnoteRef', 'w:annotationRef', 'w:tblGrid',
]);
const CONTAINERS = new Set(['w:footnote', 'w:endnote', 'w:comment']);

/** Characters of the Symbol font at their code points (Word stores them as F020–F0FF), the ones a text uses. */
const SYMBOL_FONT: Record<number, string> = {
  0x41: 'Α', 0x42: 'Β', 0x43: 'Χ', 0x44: 'Δ', 0x45: 'Ε', 0x46: 'Φ', 0x47: 'Γ', 0x48: 'Η', 0x49: 'Ι', 0x4b: 'Κ',
  0x4c: 'Λ', 0x4d: 'Μ', 0x4e: 'Ν', 0x4f: 'Ο', 0x50: 'Π', 0x51: 'Θ', 0x52: 'Ρ', 0x53: 'Σ', 0x54: 'Τ', 0x55: 'Υ',
  0x57: 'Ω', 0x58: 'Ξ', 0x59: 'Ψ', 0x5a: 'Ζ', 0x61: 'α', 0x62: 'β', 0x63: 'χ', 0x64: 'δ', 0x65: 'ε', 0x66: 'φ',
  0x67: 'γ', 0x68: 'η', 0x69: 'ι', 0x6b: 'κ', 0x6c: 'λ', 0x6d: 'μ', 0x6e: 'ν', 0x6f: 'ο', 0x70: 'π', 0x71: 'θ',
  0x72: 'ρ', 0x73: 'σ', 0x74: 'τ', 0x75: 'υ', 0x77: 'ω', 0x78: 'ξ', 0x79: 'ψ', 0x7a: 'ζ', 0xb7: '•', 0xae: '→',
  0xac: '←', 0xad: '↑', 0xaf: '↓', 0xb1: '±', 0xb4: '×', 0xb8: '÷', 0xb9: '≠', 0xa3: '≤', 0xb3: '≥', 0xa5: '∞',
  0xbb: '≈', 0xd6: '√', 0xe5: '∑', 0xf2: '∫', 0xd8: '¬', 0xd9: '∧', 0xda: '∨', 0xce: '∈', 0xc7: '∩', 0xc8: '∪',
  0xa2: '′', 0xb2: '″', 0xb0: '°', 0xbc: '…', 0xd3: '©', 0xd2: '®', 0xd4: '™', 0x22: '∀', 0x24: '∃', 0x27: '∋',
};

/** The character a `w:sym` shows: Symbol-font code points mapped, other private-use ones as a bullet. */
export function symbolChar(font: string, hex: string): string {
  const code = Number.parseInt(hex, 16);
  if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff) return '';
  const low = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  if (/^symbol$/i.test(font.trim())) {
    const mapped = SYMBOL_FONT[low];
    if (mapped !== undefined) return mapped;
  }
  if (code >= 0xf000 && code <= 0xf0ff) return low >= 0x20 && low < 0x7f && !/wingdings|webdings/i.test(font) ? String.fromCharCode(low) : '•';
  return String.fromCodePoint(code);
}

interface Paragraph {
  props: ParagraphProps;
  attributes: Attributes;
  started: boolean;
}

interface Run {
  hidden: boolean;
  /** A note reference whose custom mark is the run's text. */
  custom: { kind: NoteKind; id: string; label: string } | null;
}

/** An XmlHandler that walks body content and reports it to `sink`. */
export function bodyWalker(sink: BodySink): XmlHandler {
  const stack: string[] = [];
  let droppedAt = -1;
  /** The depth of the paragraph properties being read, or -1. */
  let pPrAt = -1;
  const paragraphs: Paragraph[] = [];
  const runs: Run[] = [];
  const tables: { bidi: boolean; rows: { header: boolean; started: boolean }[] }[] = [];

  const startParagraph = (): void => {
    const p = paragraphs[paragraphs.length - 1];
    if (p !== undefined && !p.started) {
      p.started = true;
      sink.paragraphStart(p.props, p.attributes);
    }
  };
  const startRow = (): void => {
    const table = tables[tables.length - 1];
    const row = table?.rows[table.rows.length - 1];
    if (table !== undefined && row !== undefined && !row.started) {
      row.started = true;
      sink.rowStart({ header: row.header, bidi: table.bidi });
    }
  };

  return {
    open(name, a) {
      const parent = stack[stack.length - 1] ?? '';
      stack.push(name);
      if (droppedAt >= 0) return;
      if (DROPPED.has(name)) {
        droppedAt = stack.length;
        return;
      }
      const paragraph = paragraphs[paragraphs.length - 1];
      // Inside the paragraph's own w:pPr: collect; nothing else there is text.
      if (name === 'w:pPr' && parent === 'w:p' && paragraph !== undefined && !paragraph.started) pPrAt = stack.length;
      if (pPrAt >= 0) {
        if (paragraph !== undefined && stack.length - pPrAt <= 2) applyParagraphProperty(paragraph.props, parent, name, a);
        return;
      }
      if (parent === 'w:p' && name !== 'w:pPr') startParagraph();
      const run = runs[runs.length - 1];
      switch (name) {
        case 'w:p':
          paragraphs.push({ props: {}, attributes: a, started: false });
          return;
        case 'w:r':
          runs.push({ hidden: false, custom: null });
          return;
        case 'w:vanish':
        case 'w:webHidden':
          if (parent === 'w:rPr' && stack[stack.length - 3] === 'w:r' && run !== undefined) run.hidden = isOn(a);
          return;
        case 'w:tbl':
          tables.push({ bidi: false, rows: [] });
          sink.tableStart();
          return;
        case 'w:bidiVisual': {
          const table = tables[tables.length - 1];
          if (parent === 'w:tblPr' && table !== undefined) table.bidi = isOn(a);
          return;
        }
        case 'w:tr':
          tables[tables.length - 1]?.rows.push({ header: false, started: false });
          return;
        case 'w:tblHeader': {
          const rows = tables[tables.length - 1]?.rows;
          const row = rows?.[rows.length - 1];
          if (parent === 'w:trPr' && row !== undefined) row.header = isOn(a);
          return;
        }
        case 'w:tc':
          startRow();
          sink.cellStart();
          return;
        case 'w:commentRangeStart':
          sink.mark('start', a['w:id'] ?? '');
          return;
        case 'w:commentRangeEnd':
          sink.mark('end', a['w:id'] ?? '');
          return;
        case 'w:commentReference':
          sink.mark('ref', a['w:id'] ?? '');
          return;
        case 'w:footnoteReference':
        case 'w:endnoteReference': {
          const kind: NoteKind = name === 'w:footnoteReference' ? 'footnote' : 'endnote';
          const id = a['w:id'] ?? '';
          if (a['w:customMarkFollows'] !== undefined && isOn(a, 'w:customMarkFollows') && run !== undefined) {
            run.custom = { kind, id, label: '' };
          } else sink.noteRef(kind, id, null);
          return;
        }
        default:
          break;
      }
      if (parent !== 'w:r' || run?.hidden) {
        if (CONTAINERS.has(name) && stack.length === 2) sink.containerStart(name, a);
        return;
      }
      // Run content that stands for text.
      if (name === 'w:tab' || name === 'w:ptab') sink.text(' ');
      else if (name === 'w:br' || name === 'w:cr') sink.lineBreak();
      else if (name === 'w:noBreakHyphen') sink.text('\u2011');
      else if (name === 'w:sym') sink.text(symbolChar(a['w:font'] ?? '', a['w:char'] ?? ''));
    },
    close(name) {
      const depth = stack.length;
      stack.pop();
      if (droppedAt >= 0) {
        if (depth === droppedAt) droppedAt = -1;
        return;
      }
      if (depth === pPrAt) {
        pPrAt = -1;
        startParagraph();
        return;
      }
      if (pPrAt >= 0) return;
      switch (name) {
        case 'w:p':
          startParagraph();
          paragraphs.pop();
          sink.paragraphEnd();
          return;
        case 'w:r': {
          const run = runs.pop();
          if (run?.custom) sink.noteRef(run.custom.kind, run.custom.id, run.custom.label.trim() || '*');
          return;
        }
        case 'w:tc':
          sink.cellEnd();
          return;
        case 'w:tr': {
          const rows = tables[tables.length - 1]?.rows;
          if (rows?.[rows.length - 1]?.started) sink.rowEnd();
          rows?.pop();
          return;
        }
        case 'w:tbl':
          tables.pop();
          sink.tableEnd();
          return;
        default:
          if (CONTAINERS.has(name) && depth === 2) sink.containerEnd(name);
      }
    },
    text(text) {
      const element = stack[stack.length - 1];
      // Text is in w:t, and in m:t for an equation (read linearly: "x = 2").
      if (droppedAt >= 0 || (element !== 'w:t' && element !== 'm:t')) return;
      const run = runs[runs.length - 1];
      if (run?.hidden) return;
      startParagraph();
      if (run?.custom) run.custom.label += text;
      // A soft hyphen only says where a word may break.
      sink.text(text.replace(/\u00AD/g, ''));
    },
  };
}
