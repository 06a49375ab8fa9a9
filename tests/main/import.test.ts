/**
 * The importers against real files: the three seeds, and files made in a temp folder for the
 * encodings, the bad inputs, Markdown and HTML.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../../src/common/model.js';
import { ImportError } from '../../src/main/import/errors.js';
import { MAX_IMPORT_BYTES, parseBytes, readImportFile } from '../../src/main/import/index.js';
import { parsePlainText } from '../../src/main/import/plain-text.js';

const seedsDir = fileURLToPath(new URL('../../seeds/', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-import-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Imported = ParsedDocument & { encoding: string };

function seed(prefix: string): { file: string; raw: string; doc: Imported } {
  const name = fs.readdirSync(seedsDir).find((f) => f.startsWith(prefix));
  if (name === undefined) throw new Error(`no seed ${prefix}* in ${seedsDir}`);
  const file = path.join(seedsDir, name);
  return { file, raw: fs.readFileSync(file, 'utf8'), doc: importPath(file) };
}

function importPath(file: string): Imported {
  const { name, bytes } = readImportFile(file);
  return parseBytes(name, bytes);
}

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The ImportError thrown by `fn` (fails the test when there is none). */
function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

const nonSpace = (s: string): string => s.replace(/\s+/gu, '');
const texts = (doc: ParsedDocument): string[] => doc.blocks.map((b) => b.text);

describe('seed 000: a Hebrew news article, one paragraph a line', () => {
  const { raw, doc } = seed('000_');
  const lines = raw.split('\n').filter((l) => l.trim() !== '');

  it('makes one block per line, the first the title heading', () => {
    expect(doc.blocks).toHaveLength(lines.length);
    expect(doc.blocks[0]!.kind).toBe('heading');
    expect(doc.blocks.slice(1).every((b) => b.kind === 'paragraph' && b.depth === 0)).toBe(true);
    expect(doc.title).toBe('בצל היחלשות התיאום הביטחוני בסוריה : נתניהו שוחח עם פוטין');
    expect(doc.language).toBe('he');
    expect(doc.encoding).toBe('utf-8');
  });

  it('gives every block rtl, the ones with S-300 and NEWS: included', () => {
    expect(doc.blocks.map((b) => b.dir)).toEqual(lines.map(() => 'rtl'));
    const s300 = doc.blocks.find((b) => b.text.includes('S-300'));
    const news = doc.blocks.find((b) => b.text.includes('NEWS:'));
    expect(s300?.dir).toBe('rtl');
    expect(news?.dir).toBe('rtl');
  });

  it('stores the text without drift: each block is a whole line of the file', () => {
    expect(texts(doc)).toEqual(lines);
    for (const t of texts(doc)) expect(raw).toContain(t);
    // The lines that open with a single space keep it: it is not a quote's indentation.
    expect(doc.blocks[2]!.text.startsWith(' ( בווידאו :  נתניהו')).toBe(true);
    expect(doc.blocks.some((b) => b.text.includes('צה"ל ורוסיה'))).toBe(true);
    expect(doc.blocks.some((b) => b.text.includes('בסוריה :  נתניהו'))).toBe(true);
    expect(texts(doc).every((t) => !t.includes('\n'))).toBe(true);
  });
});

describe('seed 001: an English blog post with a thread of indented comments', () => {
  const { raw, doc } = seed('001_');
  const quote = (start: string) => doc.blocks.find((b) => b.text.startsWith(start));

  it('takes the first line for the title and heading', () => {
    expect(doc.title).toBe('A Growing Russian-Israeli Alliance?');
    expect(doc.blocks[0]).toEqual({ kind: 'heading', dir: 'ltr', depth: 0, text: 'A Growing Russian-Israeli Alliance?' });
    expect(doc.language).toBe('en');
    expect(doc.blocks.every((b) => b.dir === 'ltr')).toBe(true);
  });

  it('keeps the article paragraphs whole and exact', () => {
    const paragraphs = doc.blocks.filter((b) => b.kind === 'paragraph');
    expect(paragraphs).toHaveLength(11);
    for (const p of paragraphs) expect(raw.split('\n')).toContain(p.text);
    // Non-breaking spaces between sentences survive.
    expect(paragraphs[0]!.text).toContain('Israel.\u00a0 It will be Putin’s second visit');
  });

  it.each([
    ['The very thought that this could be a help', 1],
    ['I often watch the Russian English speaking news channel RT', 1],
    ["In short, what you're saying", 2],
    ['Considering the hatred for Obama from the left,I am hopeful', 2],
    ['I will be happy to see the Big O loose the election', 3],
    ['By what I just read here, Jews love Putin', 3],
    ['So, what does it tell you about the elections?', 4],
    ['Putin and Russia never been and never will be friends', 1],
  ])('makes the comment "%s ..." a quote of depth %i', (start, depth) => {
    const b = quote(start);
    expect(b?.kind).toBe('quote');
    expect(b?.depth).toBe(depth);
  });

  it('strips the indentation from quotes and keeps the rest of their text', () => {
    const quotes = doc.blocks.filter((b) => b.kind === 'quote');
    expect(new Set(quotes.map((q) => q.depth))).toEqual(new Set([1, 2, 3, 4]));
    for (const q of quotes) expect(q.text).toMatch(/^\S/u);
    expect(nonSpace(texts(doc).join(''))).toBe(nonSpace(raw));
  });

  it('joins a comment line that runs on in lower case, and only that', () => {
    expect(doc.blocks.some((b) => b.text.includes('lost to Bibi Netanyahu, my what big teeth you have'))).toBe(true);
    // "... for it." then "Putin invited ...": a new sentence, a new block.
    expect(quote('Putin invited the Israeli engineers')?.depth).toBe(1);
    expect(quote('Dennis there is democracy in turkey')?.depth).toBe(1);
  });
});

describe('seed 002: an English article extracted from a PDF, hard-wrapped', () => {
  const { raw, doc } = seed('002_');

  it('takes the first paragraph, joined at its hyphen, for the title', () => {
    expect(doc.title).toBe('PUTIN, NETANYAHU BREAK GROUND ON DEEPER RUSSIA-ISRAEL ENGAGEMENT');
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: ' PUTIN, NETANYAHU BREAK GROUND ON DEEPER RUSSIA-ISRAEL ENGAGEMENT' });
  });

  it('joins the wrapped lines of each paragraph', () => {
    expect(doc.blocks).toHaveLength(17);
    const second = doc.blocks[1]!.text;
    expect(second).toContain('visited Moscow today, his second trip to the Russian capital in three months.');
    expect(second.endsWith('to the level desired by both leaders.')).toBe(true);
    // A paragraph cut by a page break (blank lines in the middle of a sentence) is mended.
    expect(doc.blocks.some((b) => b.text.includes('he outsourced the marshy process of political settlement'))).toBe(true);
  });

  it('breaks no paragraph mid-sentence', () => {
    for (const b of doc.blocks.slice(1)) {
      expect(b.text, b.text).not.toMatch(/[\s-]$/u); // no wrap left dangling
      expect(b.text, b.text).toMatch(/^[^\p{Ll}]/u); // no paragraph starts in the middle of a sentence
      if (b.text.length > 100) expect(b.text, b.text).toMatch(/[.!?]["”’]?$/u);
    }
  });

  it('keeps the text without drift: non-breaking spaces and double spaces stay', () => {
    const nbsp = (s: string) => s.split('\u00a0').length - 1;
    expect(nbsp(texts(doc).join('\n'))).toBe(nbsp(raw));
    expect(nbsp(raw)).toBeGreaterThan(50);
    expect(doc.blocks.some((b) => b.text.includes('legally binding, but  Russia’s own attitude'))).toBe(true);
    expect(nonSpace(texts(doc).join(''))).toBe(nonSpace(raw));
    expect(texts(doc).every((t) => !t.includes('\n'))).toBe(true);
  });
});

describe('plain text layout', () => {
  const paragraphs = [
    'The quick brown fox jumps over the lazy dog, and then it runs away into the forest where nobody can find it again for a long while.',
    'Another paragraph follows here; it is also long enough to be wrapped over several lines by the program that produced this file, as e-mail programs do.',
  ];
  const wrap = (p: string, width: number): string[] => {
    const out: string[] = [];
    let line = '';
    for (const word of p.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(line);
    return out;
  };

  it.each([
    ['hard-wrapped at 72 without trailing spaces', ['Title', '', ...wrap(paragraphs[0]!, 72), '', ...wrap(paragraphs[1]!, 72)], ['Title', ...paragraphs]],
    ['hard-wrapped at 50 with CRLF', ['Title', '', ...wrap(paragraphs[0]!, 50), '', ...wrap(paragraphs[1]!, 50)], ['Title', ...paragraphs]],
    ['a poem: short lines stay lines', ['Poem', '', 'Roses are red,', 'violets are blue.', 'Sugar is sweet.', 'And so are you.'], ['Poem', 'Roses are red, violets are blue.', 'Sugar is sweet.', 'And so are you.']],
    [
      'sentences of even length, one a line',
      ['List', 'The first item on this list ends right here with a full stop.', 'The second item on this list also ends here with a full stop.', 'The third item on this list is the last one and it ends here.'],
      ['List', 'The first item on this list ends right here with a full stop.', 'The second item on this list also ends here with a full stop.', 'The third item on this list is the last one and it ends here.'],
    ],
  ])('%s', (label, lines, expected) => {
    const eol = label.includes('CRLF') ? '\r\n' : '\n';
    const doc = parsePlainText(lines.join(eol));
    expect(texts(doc)).toEqual(expected);
  });

  it('normalises CR and CRLF line ends and never leaves a line break in a block', () => {
    const doc = parsePlainText('One\r\nTwo\rThree\n');
    expect(texts(doc)).toEqual(['One', 'Two', 'Three']);
  });

  it.each([
    // [lines, expected directions]
    [['שלום לכם', '12345', 'Hello there', '—'], ['rtl', 'rtl', 'ltr', 'ltr']],
    [['Title', 'NEWS: חדשות מהעולם הגדול היום', '2019'], ['ltr', 'rtl', 'rtl']],
    [['...', 'עברית'], ['rtl', 'rtl']],
  ])('gives %j the directions %j', (lines, dirs) => {
    expect(parsePlainText(lines.join('\n')).blocks.map((b) => b.dir)).toEqual(dirs);
  });

  it('takes a long first line for text, not a title, and names the document after its file', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join('  ');
    const doc = parsePlainText(`${long}\nbody`, '/some/folder/my_notes-2024.txt');
    expect(doc.title).toBe('my notes-2024');
    expect(doc.blocks[0]).toMatchObject({ kind: 'paragraph', text: long });
  });

  it.each([
    ['a headline over a longer paragraph', 'A short headline\nA paragraph that is a good deal longer than the headline above it.\n', 'A short headline', 'heading'],
    ['a title and a blank line', 'The Title\n\nFirst paragraph.\nSecond paragraph.\n', 'The Title', 'heading'],
    ['a question as a title', 'Is this a title?\n\nIt is.\n', 'Is this a title?', 'heading'],
    ['verses, one a line (Ruth)', 'וַיְהִי בִּימֵי שְׁפֹט הַשֹּׁפְטִים וַיְהִי רָעָב בָּאָרֶץ׃\nוְשֵׁם הָאִישׁ אֱלִימֶלֶךְ וְשֵׁם אִשְׁתּוֹ נָעֳמִי׃\n', 'ruth he', 'paragraph'],
    ['a sentence, then a blank line', 'This opens with a sentence.\n\nAnd goes on.\n', 'ruth he', 'paragraph'],
    ['two lines alike', 'One line here\nAnother line\n', 'ruth he', 'paragraph'],
  ])('titles %s', (_what, text, title, kind) => {
    const doc = parsePlainText(text, 'ruth_he.txt');
    expect(doc.title).toBe(title);
    expect(doc.blocks[0]!.kind).toBe(kind);
  });

  it('ranks tab indentation with spaces (a tab counts 4)', () => {
    const doc = parsePlainText('Title\nBody.\n\tone\n      two\n\t\tthree');
    expect(doc.blocks.slice(2).map((b) => [b.text, b.depth])).toEqual([
      ['one', 1],
      ['two', 2],
      ['three', 3],
    ]);
  });
});

describe('encodings', () => {
  const pointed = 'בְּרֵאשִׁית בָּרָא אֱלֹהִים – “אֵת הַשָּׁמַיִם”';
  const plain = 'שלום עולם, זהו טקסט בעברית.';
  const second = 'שורה שנייה: צה"ל ו-S-300.';
  const utf16be = (s: string) => {
    const le = Buffer.from(s, 'utf16le');
    for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return le;
  };

  it.each([
    ['cp1255.txt', 'windows-1255', iconv.encode(`${pointed}\n${second}\n`, 'windows-1255'), [pointed, second]],
    ['iso8859-8.txt', 'iso-8859-8', iconv.encode(`${plain}\r\n${second}\r\n`, 'iso-8859-8'), [plain, second]],
    ['utf16le.txt', 'utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${pointed}\n${second}`, 'utf16le')]), [pointed, second]],
    ['utf16be.txt', 'utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`${pointed}\n${second}`)]), [pointed, second]],
    ['utf8bom.txt', 'utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${plain}\n${second}`, 'utf8')]), [plain, second]],
    ['utf8.txt', 'utf-8', Buffer.from(`${pointed}\n${second}`, 'utf8'), [pointed, second]],
  ])('reads %s as %s', (name, encoding, bytes, expected) => {
    const doc = importPath(write(name, bytes));
    expect(doc.encoding).toBe(encoding);
    expect(texts(doc)).toEqual(expected);
    // Two lines of text and no line apart as a title: the file's name is the title.
    expect(doc.title).toBe(name.replace(/\.txt$/, ''));
    expect(doc.language).toBe('he');
    expect(doc.blocks.every((b) => b.dir === 'rtl')).toBe(true);
  });

  it('reads UTF-8 with a stray control character among many letters (not a binary file)', () => {
    const line = `${plain} ${second}`;
    const doc = importPath(write('stray-control.txt', Buffer.from(`${line}\u0007${line}\n`, 'utf8')));
    expect(doc.encoding).toBe('utf-8');
    expect(texts(doc)).toEqual([`${line}\u0007${line}`]);
  });

  it('tells a legacy file with niqqud but no typographic punctuation for Windows-1255', () => {
    const doc = importPath(write('pointed-only.txt', iconv.encode('שָׁלוֹם עֲלֵיכֶם\n', 'windows-1255')));
    expect(doc.encoding).toBe('windows-1255');
    expect(doc.blocks[0]!.text).toBe('שָׁלוֹם עֲלֵיכֶם');
  });
});

describe('bad input', () => {
  const bigFile = () => {
    const file = path.join(tmp, 'huge.txt');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, MAX_IMPORT_BYTES + 1);
    return file;
  };
  const binary = () => {
    const bytes = randomBytes(4096);
    for (let i = 0; i < bytes.length; i += 97) bytes[i] = 0;
    return write('image.bin', bytes);
  };
  const dir = () => {
    const d = path.join(tmp, 'a-folder.txt');
    fs.mkdirSync(d, { recursive: true });
    return d;
  };

  it.each([
    ['an empty file', () => write('empty.txt', ''), 'the file is empty'],
    ['a file of whitespace', () => write('blank.txt', '  \n\t\n \u00a0 \r\n'), 'the file is empty'],
    ['an HTML file with nothing but a script', () => write('script-only.html', '<script>alert(1)</script>'), 'the file is empty'],
    ['a binary file', binary, 'looks like a binary file, not text'],
    ['a file of control characters', () => write('controls.txt', Buffer.from('ab\x01\x02\x03\x04\x05\x06cd\x07\x08\x0e\x0f')), 'looks like a binary file, not text'],
    ['a UTF-8 file of C1 control characters', () => write('c1.txt', Buffer.from('ab\u0085\u0086\u0087cd\u0088\u0089 ef', 'utf8')), 'looks like a binary file, not text'],
    ['a UTF-8 text with a NUL in it', () => write('nul.txt', Buffer.from('A line of text\u0000 and another one that is long enough.', 'utf8')), 'looks like a binary file, not text'],
    ['a file over the size limit', bigFile, 'is larger than the 50 MB limit (50.1 MB)'],
    ['Latin-1 bytes', () => write('latin1.txt', Buffer.from('café crème brûlée\n', 'latin1')), 'cannot be decoded'],
    ['bytes undefined in every encoding', () => write('undefined.txt', Buffer.from([0x61, 0xff, 0xfc, 0x81, 0x62])), 'cannot be decoded'],
    ['a bad UTF-16 file', () => write('odd.txt', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62])), 'not valid UTF-16'],
    ['a missing path', () => path.join(tmp, 'no-such-file.txt'), 'no such file'],
    ['a directory', dir, 'is a directory'],
  ])('rejects %s with a reason naming the file', (_label, make, reason) => {
    const file = make();
    const e = importError(() => importPath(file));
    expect(e.message).toContain(path.basename(file));
    expect(e.reason).toContain(reason);
    expect(e.message).toContain(reason);
    expect(e.message).toBe(`${e.file}: ${e.reason}`);
  });

  it('rejects empty and oversized bytes in parseBytes too', () => {
    expect(importError(() => parseBytes('x.txt', new Uint8Array(0))).message).toBe('x.txt: the file is empty');
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x61);
    expect(importError(() => parseBytes('big.txt', big)).reason).toMatch(/^is larger than the 50 MB limit/);
  });
});

describe('Markdown', () => {
  const source = [
    '# The *first* heading',
    '',
    'A paragraph with **bold**, _emphasis_, `code`, a [link text](https://example.com) and AT&amp;T.',
    'It goes on on a second line.',
    '',
    '> A quote',
    '>',
    '> > A nested **quote**',
    '> > > Deeper still',
    '',
    '## Second heading',
    '',
    '- item one',
    '- item two',
    '',
    '<div onclick="steal()">Raw <b>HTML</b> text</div>',
    '',
    '<script>',
    '',
    'alert("md")',
    '</script>',
    '',
    '```',
    'const x = 1 < 2;',
    '```',
    '',
    'Hebrew: שלום',
  ].join('\n');

  it.each(['notes.md', 'notes.markdown'])('parses %s into blocks of plain text', (name) => {
    const doc = importPath(write(name, source));
    expect(doc.title).toBe('The first heading');
    expect(doc.blocks.map((b) => [b.kind, b.depth, b.text])).toEqual([
      ['heading', 0, 'The first heading'],
      ['paragraph', 0, 'A paragraph with bold, emphasis, code, a link text and AT&T. It goes on on a second line.'],
      ['quote', 1, 'A quote'],
      ['quote', 2, 'A nested quote'],
      ['quote', 3, 'Deeper still'],
      ['heading', 0, 'Second heading'],
      ['item', 1, 'item one'],
      ['item', 1, 'item two'],
      ['paragraph', 0, 'Raw HTML text'],
      ['code', 0, 'const x = 1 < 2;'],
      ['paragraph', 0, 'Hebrew: שלום'],
    ]);
    const all = JSON.stringify(doc);
    for (const trace of ['**', 'alert', 'steal', 'onclick', '<b>', 'https://example.com']) expect(all).not.toContain(trace);
  });

  it('reads the same source as plain text when the file is .txt', () => {
    const doc = importPath(write('notes.txt', source));
    expect(doc.blocks[0]!.text).toBe('# The *first* heading');
  });

  it('never lets a script opened in raw HTML through, even across a blank line', () => {
    const doc = importPath(write('sneaky.md', 'Intro\n\n<div>\n<script>\n\nalert("x")\n</script>\n</div>\n\nOutro'));
    expect(texts(doc)).toEqual(['Intro', 'Outro']);
  });
});

describe('HTML', () => {
  const page = `<!DOCTYPE html>
<html lang="he" dir="rtl"><head><meta charset="utf-8"><title>  כותרת &amp; עמוד  </title>
<style>body { color: red }</style><script>var secret = "alert(0)";</script></head>
<body>
  <h1>Heading   one</h1>
  <p>First&nbsp;paragraph with   <b>bold</b> and
     <a href="javascript:alert(2)">a link</a>.<img src="x" onerror="alert(1)"></p>
  <script>alert(1)</script>
  <blockquote>Outer<blockquote>Inner <i>quote</i></blockquote>Outer again</blockquote>
  <ul><li>one<li>two</ul>
  <noscript>no script</noscript><template><p>template</p></template>
  <iframe src="evil.html"><p>frame</p></iframe><object data="x.swf">object</object>
  <pre>  keep   spacing
line two</pre>
  <p>טקסט בעברית עם S-300 באמצע.</p>
  <p>a<br>b</p>
</body></html>`;

  it('keeps only text, with quotes nested, entities decoded and whitespace collapsed', () => {
    const doc = importPath(write('page.html', page));
    expect(doc.title).toBe('כותרת & עמוד');
    expect(doc.blocks.map((b) => [b.kind, b.depth, b.text])).toEqual([
      ['heading', 0, 'Heading one'],
      ['paragraph', 0, 'First\u00a0paragraph with bold and a link.'],
      ['quote', 1, 'Outer'],
      ['quote', 2, 'Inner quote'],
      ['quote', 1, 'Outer again'],
      ['item', 1, 'one'],
      ['item', 1, 'two'],
      ['code', 0, '  keep   spacing'],
      ['code', 0, 'line two'],
      ['paragraph', 0, 'טקסט בעברית עם S-300 באמצע.'],
      ['paragraph', 0, 'a'],
      ['paragraph', 0, 'b'],
    ]);
    expect(doc.blocks.find((b) => b.text.includes('S-300'))?.dir).toBe('rtl');
    const all = JSON.stringify(doc);
    for (const trace of ['alert', 'onerror', 'secret', 'color', 'script', 'template', 'frame', 'object', 'javascript', '<', '>']) {
      expect(all).not.toContain(trace);
    }
  });

  it('takes the title from the first heading when there is no <title>', () => {
    const doc = importPath(write('untitled.htm', '<body><p>Intro</p><h2>The <em>real</em> title</h2><p>Body</p></body>'));
    expect(doc.title).toBe('The real title');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'heading', 'paragraph']);
  });
});
