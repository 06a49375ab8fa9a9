/**
 * The PDF reader's stages on runs and lines placed by hand, where the right answer is known
 * exactly: bidi order of a line's runs, points put back on their letters, column order, running
 * heads and page numbers, footnotes, line joins and Hebrew stored backwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readingOrder } from '../../src/main/import/pdf/columns.js';
import { removeFurniture } from '../../src/main/import/pdf/furniture.js';
import { joinLines, Spellings } from '../../src/main/import/pdf/hyphens.js';
import { assembleLine } from '../../src/main/import/pdf/line-text.js';
import { toRuns } from '../../src/main/import/pdf/runs.js';
import { groupLines } from '../../src/main/import/pdf/lines.js';
import { findNotes } from '../../src/main/import/pdf/notes.js';
import type { PageText, RawLine, Run, TextLine } from '../../src/main/import/pdf/types.js';
import { looksReversed, orderEvidence, repairLine } from '../../src/main/import/pdf/visual-order.js';

let seq = 0;
/** A run of text at (x, y), `w` wide (by default 6 points a character). */
function run(str: string, x: number, y = 100, size = 12, w = str.length * 6): Run {
  return { str, x, y, w, size, mark: /^\p{M}+$/u.test(str), space: /^\s+$/u.test(str), seq: ++seq };
}

/** Runs laid left to right from x, each followed by a space run (the way a browser draws Hebrew). */
function lineOf(words: string[], x = 50, y = 100): Run[] {
  const out: Run[] = [];
  for (const [i, w] of words.entries()) {
    out.push(run(w, x, y));
    x += w.length * 6;
    if (i < words.length - 1) {
      out.push(run(' ', x, y, 12, 3));
      x += 3;
    }
  }
  return out;
}

describe('line text: bidi order', () => {
  it('reads a Hebrew line drawn left to right from right to left', () => {
    // Drawn: "עולם" at the left, "שלום" at the right: logical "שלום עולם".
    expect(assembleLine(lineOf(['עולם', 'שלום']), 'ltr')).toMatchObject({ text: 'שלום עולם', dir: 'rtl' });
  });

  it('keeps numbers and Latin inside Hebrew in their own order', () => {
    // Logical "בשנת 1948 נפגש Benjamin Netanyahu עם", drawn right to left with the Latin run left to right.
    const drawn = lineOf(['עם', 'Benjamin', 'Netanyahu', 'נפגש', '1948', 'בשנת']);
    // On a Hebrew page the line is Hebrew though most of its letters are Latin.
    expect(assembleLine(drawn, 'rtl')).toMatchObject({ text: 'בשנת 1948 נפגש Benjamin Netanyahu עם', dir: 'rtl' });
    // On an English page it takes Hebrew's direction only when two thirds of its letters are Hebrew.
    expect(assembleLine(drawn, 'ltr').dir).toBe('ltr');
    expect(assembleLine(lineOf(['ok', 'עולם', 'גדול', 'שלום']), 'ltr')).toMatchObject({ text: 'שלום גדול עולם ok', dir: 'rtl' });
  });

  it('reads a Hebrew phrase inside an English line backwards, and a number after Hebrew with it', () => {
    expect(assembleLine(lineOf(['the', 'words', 'עולם', 'שלום', 'mean']), 'ltr').text).toBe('the words שלום עולם mean');
    expect(assembleLine(lineOf(['Chapter', '1', '—', '1', 'פרק']), 'ltr').text).toBe('Chapter 1 — פרק 1');
  });

  it('puts punctuation drawn in one piece with digits on the Hebrew side (".2010" is "2010.")', () => {
    // Through toRuns, as pdf.js items: the neutral edge of ".2010" becomes a run of its own.
    const item = (str: string, x: number, width: number) => ({ str, transform: [12, 0, 0, 12, x, 700], width });
    const runs = toRuns([item('.2010', 10, 30), item('ב־', 40, 12), item('שנחתם', 55, 30)], [1, 0, 0, -1, 0, 842]);
    expect(assembleLine(runs, 'rtl').text).toBe('שנחתם ב־2010.');
  });

  it('mirrors brackets and reverses neutral clusters read at the right-to-left level', () => {
    // Logical "אמש (שישי) ." is drawn, left to right: ". (שישי) אמש" — the paren at the right of
    // the aside opens it, and is drawn (and recorded) as ")".
    const runs = [run('.', 0, 100, 12, 3), run(' ', 3, 100, 12, 3), run('(', 6, 100, 12, 4), run('שישי', 10), run(')', 34, 100, 12, 4), run(' ', 38, 100, 12, 3), run('אמש', 41)];
    expect(assembleLine(runs, 'ltr').text).toBe('אמש (שישי) .');
  });

  it('inserts a space where the page shows a gap and none where a word was split', () => {
    expect(assembleLine([run('hyphen', 0), run('ated', 36), run('word', 70)], 'ltr').text).toBe('hyphenated word');
  });

  it('reports a superscript at the start of the line (a note label)', () => {
    const sup: Run = { ...run('12', 0, 96, 8, 8), raised: true };
    expect(assembleLine([sup, run('See the text.', 9)], 'ltr')).toMatchObject({ raisedStart: true, raisedText: '12' });
  });
});

describe('line text: points (niqqud)', () => {
  it('puts a point drawn as its own item back on the letter drawn after it in the stream', () => {
    // "עֲלֵיכֶם" as a browser draws it: points first, then the letter, left to right.
    seq = 0;
    const runs: Run[] = [
      run('ם', 182.75, 100, 12, 7.96),
      { ...run('ֶ', 190.07, 100, 12, 0), mark: true },
      run('כ', 190.71, 100, 12, 6.35),
      run('י', 197.06, 100, 12, 2.68),
      { ...run('ֵ', 198.79, 100, 12, 0), mark: true },
      run('ל', 199.74, 100, 12, 6.82),
      run('עֲ', 206.56, 100, 12, 7.63),
    ];
    // The stream order is visual left to right; the point comes just before its letter.
    expect(assembleLine(runs, 'rtl').text).toBe('עֲלֵיכֶם');
  });

  it('puts a point inside a run of several letters after the letter it stands over', () => {
    // "שלום" drawn as one run 24 points wide; a holam over the vav (the third letter from the right).
    const word = run('שלום', 100, 100, 12, 24);
    const holam: Run = { ...run('\u05B9', 107.5, 100, 12, 0), mark: true, seq: 0 };
    expect(assembleLine([word, holam], 'rtl').text).toBe('שלו\u05B9ם');
  });

  it('keeps two identical points a few points apart ("זּוּ": a dagesh on each letter)', () => {
    // As Chromium drew "בֹזּוּ" (from the benchmark's Genesis): point, letter, point, letter …
    const mark = (str: string, x: number): Run => ({ ...run(str, x, 100, 10.99, 0), mark: true });
    const runs = [mark('\u05BC', 499.78), run('ו', 499.57, 100, 10.99, 3.58), mark('\u05BC', 502.61), run('ז', 503.16, 100, 10.99, 3.32), mark('\u05B9', 505.23), run('ב', 506.48, 100, 10.99, 5.93)];
    const [line] = groupLines(runs);
    expect(assembleLine(line!.runs, 'rtl').text.normalize('NFC')).toBe('בֹזּוּ'.normalize('NFC'));
  });

  it('keeps a point on its line when its origin sits below the baseline', () => {
    const lines = groupLines([run('ךָ', 50, 100, 12, 6), { ...run('\u05B0', 58, 104.9, 12, 0), mark: true }, run('ל', 58, 100, 12, 6)]);
    expect(lines).toHaveLength(1);
  });
});

describe('lines: superscripts and doubled text', () => {
  it('joins a raised smaller run to its line and marks it', () => {
    const lines = groupLines([run('Text with a note', 50, 100), run('1', 146, 95.25, 8, 4), run('and more.', 153, 100)]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.runs.find((r) => r.str === '1')?.raised).toBe(true);
  });

  it('drops text printed twice half a point apart (fake bold)', () => {
    const lines = groupLines([run('Bold', 50, 100), run('Bold', 50.4, 100)]);
    expect(lines[0]!.runs.map((r) => r.str)).toEqual(['Bold']);
  });
});

describe('columns', () => {
  const raw = (x0: number, x1: number, y: number, text = 'x'): RawLine => ({ runs: [run(text, x0, y, 12, x1 - x0)], x0, x1, y, size: 12 });

  it('reads two columns left column first, under a title across both', () => {
    const lines = [raw(50, 550, 40, 'title')];
    for (let i = 0; i < 10; i++) lines.push(raw(50, 290, 80 + i * 14, `L${i}`), raw(310, 550, 80 + i * 14, `R${i}`));
    const order = readingOrder(lines, 'ltr').map((p) => p.line.runs[0]!.str);
    expect(order).toEqual(['title', ...Array.from({ length: 10 }, (_, i) => `L${i}`), ...Array.from({ length: 10 }, (_, i) => `R${i}`)]);
  });

  it('reads the right column first on a right-to-left page, and splits lines that run across the gutter', () => {
    const lines: RawLine[] = [];
    for (let i = 0; i < 8; i++) {
      // Baselines aligned: each line holds both columns' text, as a page-wide cluster does.
      const left = run(`L${i}`, 50, 80 + i * 14, 12, 240);
      const right = run(`R${i}`, 310, 80 + i * 14, 12, 240);
      lines.push({ runs: [left, right], x0: 50, x1: 550, y: 80 + i * 14, size: 12 });
    }
    const placed = readingOrder(lines, 'rtl');
    expect(placed.map((p) => p.line.runs.map((r) => r.str).join())).toEqual([...Array.from({ length: 8 }, (_, i) => `R${i}`), ...Array.from({ length: 8 }, (_, i) => `L${i}`)]);
    expect(new Set(placed.slice(0, 8).map((p) => p.region)).size).toBe(1);
    expect(placed[0]!.region).not.toBe(placed[8]!.region);
  });

  it('reads a single column of ragged lines top to bottom', () => {
    const lines = Array.from({ length: 12 }, (_, i) => raw(50, 300 + ((i * 37) % 200), 80 + i * 14, `${i}`));
    expect(readingOrder(lines, 'ltr').map((p) => p.line.runs[0]!.str)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}`));
  });
});

function textLine(text: string, y: number, page: number, extra: Partial<TextLine> = {}): TextLine {
  return { text, dir: 'ltr', x0: 72, x1: 520, y, size: 11, page, region: 0, raisedStart: false, ...extra };
}

function pageOf(index: number, lines: TextLine[]): PageText {
  return { index, label: String(index + 1), width: 595, height: 842, lines };
}

describe('furniture', () => {
  it('drops a repeated running head (digits masked) and page numbers, keeps body text and a chapter title', () => {
    const pages = Array.from({ length: 5 }, (_, i) =>
      pageOf(i, [
        textLine(`Journal of Tests, vol. 3, p. ${i + 10}`, 30, i, { size: 8 }),
        ...(i === 2 ? [textLine('Chapter Two', 70, i, { size: 18 })] : []),
        textLine(`Body text on page ${i} that does not repeat word for word ${'abcde'[i]}.`, 100, i),
        textLine(`More body text ${i * 7} and so on.`, 114, i),
        textLine(i % 2 ? `- ${i + 1} -` : `${i + 1}`, 800, i, { size: 9 }),
      ]),
    );
    removeFurniture(pages, 11);
    for (const p of pages) {
      expect(p.lines.some((l) => l.text.startsWith('Journal'))).toBe(false);
      expect(p.lines.some((l) => /^[-\s\d]+$/.test(l.text))).toBe(false);
      expect(p.lines.filter((l) => l.text.startsWith('Body'))).toHaveLength(1);
    }
    expect(pages[2]!.lines[0]!.text).toBe('Chapter Two');
  });

  it('keeps a one-page document whole apart from its page number', () => {
    const pages = [pageOf(0, [textLine('A title line', 30, 0), textLine('Text.', 100, 0), textLine('Page 1', 800, 0, { size: 9 })])];
    removeFurniture(pages, 11);
    expect(pages[0]!.lines.map((l) => l.text)).toEqual(['A title line', 'Text.']);
  });
});

describe('footnotes', () => {
  it('finds labelled small lines at the foot, their continuation lines and a continuation on the next page', () => {
    const p1 = pageOf(0, [
      textLine('Body text that runs on.', 100, 0),
      textLine('1 The first note, which runs over', 760, 0, { size: 8, x1: 520 }),
      textLine('two lines.', 770, 0, { size: 8, x1: 150 }),
      textLine('2', 780, 0, { size: 8, raisedStart: true, raisedText: '2', text: '2The second note goes on to the next', x1: 520 }),
    ]);
    const p2 = pageOf(1, [textLine('More body text.', 100, 1), textLine('page, where it ends.', 780, 1, { size: 8 })]);
    const notes = findNotes([p1, p2], 11);
    expect(notes.get(p1.lines[1]!)).toEqual({ label: '1', text: 'The first note, which runs over' });
    expect(notes.get(p1.lines[2]!)).toEqual({ text: 'two lines.' });
    expect(notes.get(p1.lines[3]!)).toEqual({ label: '2', text: 'The second note goes on to the next' });
    expect(notes.get(p2.lines[1]!)).toEqual({ text: 'page, where it ends.' });
    expect(notes.has(p1.lines[0]!)).toBe(false);
  });
});

describe('joining lines', () => {
  const spell = (...texts: string[]): Spellings => {
    const s = new Spellings();
    for (const t of texts) s.add(t);
    return s;
  };

  it('joins a word broken by a hyphen, keeps a compound of names, a maqaf, a dash and a number', () => {
    expect(joinLines('the negoti-', 'ations began')).toBe('the negotiations began');
    expect(joinLines('the Russia-', 'Israel talks')).toBe('the Russia-Israel talks');
    expect(joinLines('בית־', 'המשפט')).toBe('בית־המשפט');
    expect(joinLines('from 1990–', '2000')).toBe('from 1990–2000');
    expect(joinLines('he said —', 'and left')).toBe('he said — and left');
    expect(joinLines('the S-', '300 missiles')).toBe('the S-300 missiles');
    expect(joinLines('soft\u00AD', 'ware')).toBe('software');
    expect(joinLines('one line', 'and the next')).toBe('one line and the next');
  });

  it('follows the document’s own spelling of a broken compound', () => {
    expect(joinLines('a well-', 'known fact', spell('a well-known case'))).toBe('a well-known fact');
    expect(joinLines('the state-of-', 'the-art tool', spell('state-of-the-art'))).toBe('the state-of-the-art tool');
    expect(joinLines('re-', 'examine it', spell('we reexamine'))).toBe('reexamine it');
  });

  it('follows what the page shows when the producer draws inserted hyphens apart', () => {
    expect(joinLines('Russian-', 'speaking', undefined, 'text')).toBe('Russian-speaking');
    expect(joinLines('diploma-', 'tically', undefined, 'inserted')).toBe('diplomatically');
  });
});

describe('Hebrew stored backwards', () => {
  it('is told apart from Hebrew in logical order by final letters', () => {
    expect(looksReversed(orderEvidence('שלום עולם, מלך ומים נוספים כמו ספרים'))).toBe(false);
    expect(looksReversed(orderEvidence('םולש םלוע, ךלמ םימו םיפסונ ומכ םירפס'))).toBe(true);
  });

  it('is read round again with numbers and Latin kept in order', () => {
    expect(repairLine('.םימו ךלמ Hello World םע 1948 תנשב ,םלוע םולש', 'rtl')).toBe('שלום עולם, בשנת 1948 עם Hello World מלך ומים.');
    expect(repairLine('the word םולש means peace', 'ltr')).toBe('the word שלום means peace');
  });

  it('repair is its own inverse on Hebrew-only text (property)', () => {
    const hebrew = fc.stringMatching(/^[\u05D0-\u05EA]{1,8}( [\u05D0-\u05EA]{1,8}){0,6}$/);
    fc.assert(fc.property(hebrew, (t) => repairLine(repairLine(t, 'rtl'), 'rtl') === t));
  });
});
