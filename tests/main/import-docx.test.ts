import fs from 'node:fs';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../../src/common/model.js';
import { readDocx } from '../../src/main/import/docx.js';
import { walkXml } from '../../src/main/import/docx/xml.js';
import { openZip } from '../../src/main/import/zip.js';
import { ImportError } from '../../src/main/import/errors.js';
import { CANCELLED } from '../../src/main/import/reader.js';
import {
  STANDARD_NUMBERING,
  STANDARD_STYLES,
  W,
  buildDocx,
  comment,
  commentEnd,
  commentReference,
  commentStart,
  footnoteReference,
  note,
  para,
  reviewedDocx,
  run,
  table,
} from './docx-fixtures.js';

const canonical = (doc: ParsedDocument): string => doc.blocks.map((b) => b.text).join('\n');

async function reason(bytes: Uint8Array, name: string): Promise<string> {
  try {
    await readDocx(bytes, name, {});
  } catch (e) {
    if (e instanceof ImportError) {
      expect(e.file).toBe(name);
      return e.reason;
    }
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('readDocx: a reviewed translation draft', () => {
  it('keeps the text, kinds, markers, directions and notes in reading order', async () => {
    const doc = await readDocx(reviewedDocx(), 'review.docx', {});
    expect(doc.title).toBe('Treaty notes (draft)');
    expect(doc.meta).toEqual({ sourceKind: 'docx', author: 'Dana Reviewer', date: '2024-03-01T09:00:00Z' });
    expect(doc.blocks).toEqual([
      { kind: 'heading', dir: 'ltr', depth: 0, text: 'Reading Notes on the Treaty', meta: { level: 1 } },
      { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The delegates met in Geneva. The talks lasted three days' },
      { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'and ended without agreement.' },
      { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'המשלחות נפגשו בז׳נבה ודנו בהסכם.' },
      { kind: 'heading', dir: 'ltr', depth: 0, text: 'Open questions', meta: { level: 2 } },
      { kind: 'item', dir: 'ltr', depth: 1, text: 'Who signed first?', meta: { marker: '1.' } },
      { kind: 'item', dir: 'ltr', depth: 1, text: 'Which text is binding?', meta: { marker: '2.' } },
      { kind: 'item', dir: 'ltr', depth: 2, text: 'The Hebrew or the English?', meta: { marker: 'a.' } },
      { kind: 'item', dir: 'ltr', depth: 1, text: 'When did it take effect?', meta: { marker: '3.' } },
      { kind: 'item', dir: 'ltr', depth: 1, text: 'Archives to visit', meta: { marker: '•' } },
      { kind: 'item', dir: 'rtl', depth: 2, text: 'ארכיון המדינה', meta: { marker: '◦' } },
      { kind: 'row', dir: 'ltr', depth: 0, text: 'Term\tTranslation', meta: { header: true } },
      { kind: 'row', dir: 'ltr', depth: 0, text: 'treaty\tאמנה' },
      { kind: 'row', dir: 'ltr', depth: 0, text: 'protocol\tפרוטוקול' },
      { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'Sources differ on this point¹.' },
      { kind: 'note', dir: 'ltr', depth: 0, text: 'See the minutes of the second session.', meta: { label: '1' } },
      // The deletion is gone, the insertion kept; the endnote's call stays as a superscript.
      { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The agreement was eventually signedⁱ.' },
      // Field result without its code, a line break and a tab as spaces, hidden text gone,
      // a non-breaking hyphen, a Symbol-font arrow, a hyperlink's text.
      { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'See page 4 for the full list of 1949\u201150 → the archive catalogue' },
      { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'הערה אחרונה על התרגום.' },
      { kind: 'note', dir: 'rtl', depth: 0, text: 'ההסכם נחתם ב־1950.', meta: { label: 'i' } },
    ]);
    for (const b of doc.blocks) expect(b.text).not.toContain('\n');
  });

  it('turns every comment into an annotation on exactly its words, with author, date and replies', async () => {
    const doc = await readDocx(reviewedDocx(), 'review.docx', {});
    const text = canonical(doc);
    const found = (doc.annotations ?? []).map((a) => ({ quote: text.slice(a.start, a.end), note: a.note, author: a.author, created: a.created }));
    expect(found).toEqual([
      {
        // Spans two paragraphs; the reply is folded into the note.
        quote: 'The talks lasted three days\nand ended without agreement',
        note: 'Check the dates.\n\nThe minutes say four days.\n\n— נועה כהן (2024-03-06): Four, per the minutes.',
        author: 'Dana Reviewer',
        created: '2024-03-05T10:15:00Z',
      },
      { quote: 'נפגשו בז׳נבה', note: 'בז׳נבה או בלוזאן?', author: 'נועה כהן', created: '2024-03-06T08:00:00Z' },
      { quote: 'פרוטוקול', note: 'Or: פרוטוקול הישיבה', author: 'נועה כהן', created: '2024-03-06T08:30:00Z' },
      // Only a reference mark: the word before it.
      { quote: 'catalogue', note: 'Which catalogue?', author: 'Dana Reviewer', created: '2024-03-05T11:00:00Z' },
    ]);
  });

  it('reports progress by part and stops when cancelled', async () => {
    const seen: number[] = [];
    await readDocx(reviewedDocx(), 'review.docx', { onProgress: (p) => seen.push(p.done / p.total) });
    expect(seen).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    const controller = new AbortController();
    controller.abort();
    await expect(readDocx(reviewedDocx(), 'review.docx', { signal: controller.signal })).rejects.toThrow(CANCELLED);
  });
});

describe('readDocx: a file LibreOffice wrote (tests/fixtures/docx)', () => {
  it('reads its text, structure, directions and comments', async () => {
    const bytes = new Uint8Array(fs.readFileSync(new URL('../fixtures/docx/libreoffice-reviewed.docx', import.meta.url)));
    const doc = await readDocx(bytes, 'libreoffice-reviewed.docx', {});
    expect(doc.title).toBe('Treaty notes (LibreOffice)');
    expect(doc.meta).toMatchObject({ sourceKind: 'docx', author: 'Dana Reviewer', date: '2024-03-01T09:00:00Z' });
    expect(doc.blocks.map((b) => [b.kind, b.dir, b.depth, b.text, b.meta?.marker ?? b.meta?.level ?? b.meta?.label])).toEqual([
      ['heading', 'ltr', 0, 'Reading Notes on the Treaty', 1],
      ['paragraph', 'ltr', 0, 'The delegates met in Geneva. The talks lasted three days', undefined],
      ['paragraph', 'ltr', 0, 'and ended without agreement.', undefined],
      ['paragraph', 'rtl', 0, 'המשלחות נפגשו בז׳נבה ודנו בהסכם.', undefined],
      ['item', 'ltr', 1, 'Who signed first?', '1.'],
      ['item', 'ltr', 1, 'Which text is binding?', '2.'],
      ['item', 'ltr', 2, 'The Hebrew or the English?', 'a.'],
      ['item', 'ltr', 1, 'When did it take effect?', '3.'],
      ['item', 'ltr', 1, 'Archives to visit', '•'],
      ['row', 'ltr', 0, 'Term\tTranslation', undefined],
      ['row', 'ltr', 0, 'treaty\tאמנה', undefined],
      ['paragraph', 'ltr', 0, 'Sources differ on this point¹.', undefined],
      ['note', 'ltr', 0, 'See the minutes of the second session.', '1'],
      ['paragraph', 'ltr', 0, 'The word catalogue ends here.', undefined],
    ]);
    const text = canonical(doc);
    expect((doc.annotations ?? []).map((a) => [text.slice(a.start, a.end), a.note, a.author, a.created])).toEqual([
      ['The talks lasted three days\nand ended without agreement', 'Check the dates.', 'Dana Reviewer', '2024-03-05T10:15:00Z'],
      ['נפגשו בז׳נבה', 'בז׳נבה או בלוזאן?', 'נועה כהן', '2024-03-06T08:00:00Z'],
      ['catalogue', 'Which catalogue?', 'Dana Reviewer', '2024-03-05T11:00:00Z'],
    ]);
  });
});

describe('readDocx: anchoring comments', () => {
  const pool = ['alpha', 'beta', 'gamma,', 'delta.', 'שלום', 'עולם', 'ספר', '"quoted"', 'x', '1949', 'א־ב'];
  const paragraphArb = fc.record({
    words: fc.array(fc.constantFrom(...pool), { minLength: 0, maxLength: 5 }),
    cell: fc.boolean(),
    bidi: fc.boolean(),
    /** Spaces before and after the words, which Gloss trims. */
    pad: fc.boolean(),
  });

  it('lands every comment on exactly its words, across paragraphs, cells and blank paragraphs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(paragraphArb, { minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
        async (paragraphs, picks) => {
          const words: { p: number; w: number }[] = [];
          paragraphs.forEach((p, pi) => p.words.forEach((_, wi) => words.push({ p: pi, w: wi })));
          fc.pre(words.length > 0);
          const comments = picks.map(([a, b], id) => {
            const [from, to] = [a % words.length, b % words.length].sort((x, y) => x - y) as [number, number];
            return { id, from: words[from] as { p: number; w: number }, to: words[to] as { p: number; w: number } };
          });
          // The body, and the canonical text Gloss should make of it, with each word's place.
          const at = new Map<string, { start: number; end: number }>();
          const blocks: string[] = [];
          let body = '';
          let i = 0;
          while (i < paragraphs.length) {
            const rowStart = i;
            const inRow = paragraphs[i]?.cell === true;
            do i++;
            while (inRow && i < paragraphs.length && paragraphs[i]?.cell === true);
            const group = paragraphs.slice(rowStart, i);
            const cells = group.map((p, k) => {
              const pi = rowStart + k;
              const pad = p.pad ? run('  ') : '';
              const content = p.words
                .map((word, wi) => {
                  const starts = comments.filter((c) => c.from.p === pi && c.from.w === wi).map((c) => commentStart(c.id)).join('');
                  const ends = comments.filter((c) => c.to.p === pi && c.to.w === wi).map((c) => commentEnd(c.id)).join('');
                  return starts + run(wi === 0 ? word : ` ${word}`, { rtl: p.bidi }) + ends;
                })
                .join('');
              return pad + content + pad;
            });
            const paras = cells.map((content, k) => para(content, { bidi: group[k]?.bidi === true }));
            body += inRow ? table([paras.map((p) => p)]) : paras.join('');
            const blockText = group.map((p) => p.words.join(' ')).join(inRow ? '\t' : '');
            if (blockText.trim() === '') continue;
            let offset = blocks.reduce((n, b) => n + b.length + 1, 0);
            group.forEach((p, k) => {
              if (k > 0) offset += 1; // the TAB between cells
              p.words.forEach((word, wi) => {
                at.set(`${rowStart + k}:${wi}`, { start: offset, end: offset + word.length });
                offset += word.length + (wi < p.words.length - 1 ? 1 : 0);
              });
            });
            blocks.push(blockText);
          }
          const xml = comments.map((c) => comment({ id: c.id, author: `Reader ${c.id % 2}`, date: '2024-01-02T03:04:05Z', paragraphs: [`c${c.id}`] }));
          const doc = await readDocx(buildDocx({ body, styles: STANDARD_STYLES, comments: xml.join('') }), 'p.docx', {});
          const text = canonical(doc);
          expect(text).toBe(blocks.join('\n'));
          expect(doc.annotations).toHaveLength(comments.length);
          for (const c of comments) {
            const a = doc.annotations?.find((x) => x.note === `c${c.id}`);
            const start = at.get(`${c.from.p}:${c.from.w}`)?.start;
            const end = at.get(`${c.to.p}:${c.to.w}`)?.end;
            expect(a && text.slice(a.start, a.end)).toBe(text.slice(start, end));
            expect(a?.author).toBe(`Reader ${c.id % 2}`);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('anchors a reference-only comment to the word before it, and a comment on a blank paragraph to the nearest text', async () => {
    const body =
      para(run('First words here') + commentReference(0) + run(' and more.')) +
      para(run('Ends with a word.') + commentReference(1)) +
      para(commentStart(2) + run('   ')) +
      para(run('  next paragraph  ') + commentEnd(2)) +
      para(commentReference(3) + run('Opening word'));
    const comments = [0, 1, 2, 3].map((id) => comment({ id, author: 'R', date: '2024-01-01T00:00:00Z', paragraphs: [`n${id}`] })).join('');
    const doc = await readDocx(buildDocx({ body, comments }), 'refs.docx', {});
    const text = canonical(doc);
    const quotes = Object.fromEntries((doc.annotations ?? []).map((a) => [a.note, text.slice(a.start, a.end)]));
    expect(quotes).toEqual({ n0: 'here', n1: 'word', n2: 'next paragraph', n3: 'Opening' });
  });
});

describe('readDocx: structure', () => {
  it('numbers with restarts, Hebrew counting and legal numbering; numbered headings keep their number', async () => {
    const numbering =
      '<w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="hebrew1"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="6"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="5"><w:abstractNumId w:val="5"/></w:num><w:num w:numId="6"><w:abstractNumId w:val="6"/></w:num>' +
      '<w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num>' +
      '<w:num w:numId="8"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>';
    const hebrew = Array.from({ length: 16 }, (_, i) => para(run(`פריט ${i + 1}`, { rtl: true }), { numId: 5, bidi: true })).join('');
    const body =
      hebrew +
      para(run('Method'), { style: 'Heading1', numId: 6 }) +
      para(run('Sampling'), { style: 'Heading2', numId: 6, ilvl: 1 }) +
      para(run('Results'), { style: 'Heading1', numId: 6 }) +
      para(run('one'), { numId: 7 }) +
      para(run('two'), { numId: 7 }) +
      para(run('four'), { numId: 8 }) +
      para('', { numId: 8 }) +
      para(run('six'), { numId: 8 });
    const doc = await readDocx(buildDocx({ body, styles: STANDARD_STYLES, numbering }), 'numbers.docx', {});
    const markers = doc.blocks.map((b) => (b.kind === 'item' ? b.meta?.marker : b.text));
    expect(markers).toEqual([
      'א.', 'ב.', 'ג.', 'ד.', 'ה.', 'ו.', 'ז.', 'ח.', 'ט.', 'י.', 'יא.', 'יב.', 'יג.', 'יד.', 'טו.', 'טז.',
      '1 Method', '1.1 Sampling', '2 Results', '(I)', '(II)', '(IV)', '(VI)',
    ]);
    expect(doc.blocks[16]).toMatchObject({ kind: 'heading', meta: { level: 1 } });
    expect(doc.blocks[17]).toMatchObject({ kind: 'heading', meta: { level: 2 } });
    expect(doc.title).toBe('1 Method');
  });

  it('flattens a nested table into its cell, splits code at line breaks, and reads a text box once', async () => {
    const styles = `${STANDARD_STYLES}<w:style w:type="paragraph" w:styleId="HTMLPreformatted"><w:name w:val="HTML Preformatted"/><w:basedOn w:val="Normal"/></w:style>`;
    const inner = table([[para(run('inner A')), para(run('inner B'))]]);
    const textBox =
      '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wps:wsp><wps:txbx><w:txbxContent>' +
      para(run('Boxed words')) +
      '</w:txbxContent></wps:txbx></wps:wsp></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>' +
      para(run('Boxed words')) +
      '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>';
    const body =
      table([[para(run('outer')) + inner, para(run('second'))]]) +
      para('<w:r><w:t>const a = 1;</w:t><w:br/><w:t xml:space="preserve">  return a;</w:t></w:r>', { style: 'HTMLPreformatted' }) +
      para(run('Before the box ') + textBox + run(' after.'));
    const doc = await readDocx(buildDocx({ body, styles }), 'nest.docx', {});
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['row', 'outer inner A inner B\tsecond'],
      ['code', 'const a = 1;'],
      ['code', '  return a;'],
      ['paragraph', 'Before the box Boxed words after.'],
    ]);
  });

  it('reads a footnote with a custom mark, and a document whose producer chose other prefixes', async () => {
    const withMark = para(
      run('A claim') + '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="2"/><w:t>*</w:t></w:r>' + run(' and another') + footnoteReference(3),
    );
    const equation =
      '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>x</m:t></m:r><m:r><m:t>=2</m:t></m:r></m:oMath>';
    const footnotes = note('footnote', 2, run(' Starred.')) + note('footnote', 3, run(' Numbered.'));
    const doc = await readDocx(buildDocx({ body: withMark + para(run('So ') + equation + run('.')), footnotes }), 'marks.docx', {});
    expect(doc.blocks.map((b) => [b.kind, b.text, b.meta?.label])).toEqual([
      ['paragraph', 'A claim* and another¹', undefined],
      ['note', 'Starred.', '*'],
      ['note', 'Numbered.', '1'],
      ['paragraph', 'So x=2.', undefined],
    ]);
    // Notes numbered the document's way (settings.xml): Hebrew letters from א, bracketed in the text.
    const settings = `<?xml version="1.0"?><w:settings xmlns:w="${W}"><w:footnotePr><w:numFmt w:val="hebrew1"/></w:footnotePr></w:settings>`;
    const hebrew = await readDocx(
      buildDocx({ body: para(run('טענה') + footnoteReference(3), { bidi: true }), footnotes, files: { 'word/settings.xml': settings } }),
      'he.docx',
      {},
    );
    expect(hebrew.blocks.map((b) => [b.kind, b.text, b.meta?.label])).toEqual([
      ['paragraph', 'טענה[א]', undefined],
      ['note', 'Numbered.', 'א'],
    ]);
    // The same WordprocessingML with a default namespace and an odd prefix for relationships.
    const document =
      '<?xml version="1.0"?><document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<body><p><pPr><bidi/></pPr><r><t>שלום לכולם</t></r></p><ns0:p><ns0:r><ns0:t>Hello</ns0:t></ns0:r></ns0:p><x:p xmlns:x="urn:other"><x:r><x:t>not Word</x:t></x:r></x:p></body></document>';
    const other = await readDocx(buildDocx({ document }), 'other.docx', {});
    expect(other.blocks.map((b) => [b.dir, b.text])).toEqual([
      ['rtl', 'שלום לכולם'],
      ['ltr', 'Hello'],
    ]);
    expect(other.title).toBe('other');
  });
});

describe('readDocx: bad input', () => {
  it('names what a mislabelled file really is', async () => {
    expect(await reason(strToU8('This is plain text, saved with the wrong name.'), 'notes.docx')).toBe('is not a Word .docx file (not a zip archive)');
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await reason(ole, 'old.docx')).toBe(
      'is an old Word .doc file (or an encrypted .docx); open it in Word or LibreOffice and save it as .docx',
    );
    const epub = zipSync({ mimetype: strToU8('application/epub+zip'), 'OEBPS/a.xhtml': strToU8('<p>x</p>') });
    expect(await reason(epub, 'book.docx')).toBe('is not a Word document (no word/document.xml)');
    const odt = zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text'), 'content.xml': strToU8('<x/>') });
    expect(await reason(odt, 'letter.docx')).toBe('is an OpenDocument text (.odt), not a Word document; save it as .docx to import it');
    const docx = reviewedDocx();
    expect(await reason(docx.subarray(0, docx.length - 100), 'cut.docx')).toMatch(/^is damaged \(/);
    expect(await reason(buildDocx({ body: para('') + para(run('   ')) }), 'blank.docx')).toBe('has no text (an empty document, or only pictures)');
  });

  it('refuses nesting past the limit and too many elements, naming the limit', async () => {
    const deep = `${'<w:sdt><w:sdtContent>'.repeat(200)}${para(run('deep'))}${'</w:sdtContent></w:sdt>'.repeat(200)}`;
    expect(await reason(buildDocx({ body: deep }), 'deep.docx')).toBe(
      'nests elements too deeply in word/document.xml (more than 256 levels, the limit)',
    );
    const handler = { open() {}, close() {}, text() {} };
    expect(() => walkXml('<a><b/><b/><b/></a>', 'many.docx', 'word/document.xml', handler, { maxElements: 3 })).toThrow(
      'many.docx: has too many elements in word/document.xml (more than 3, the limit)',
    );
  });

  it('reads a long document quickly', async () => {
    const paragraphs: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      paragraphs.push(
        i % 2 === 0
          ? para(run(`Paragraph ${i} of a long report, with `) + commentStart(i) + run('commented words') + commentEnd(i) + run(' in it.'))
          : para(run(`פסקה ${i} בדוח ארוך, עם מילים שיש עליהן הערה.`, { rtl: true }), { bidi: true }),
      );
    }
    const comments = Array.from({ length: 10_000 }, (_, k) => comment({ id: k * 2, author: 'R', date: '2024-01-01T00:00:00Z', paragraphs: ['why?'] }));
    const bytes = buildDocx({ body: paragraphs.join(''), styles: STANDARD_STYLES, numbering: STANDARD_NUMBERING, comments: comments.join('') });
    // Measured against a bare pass over the same bytes (unzip, and a SAX walk doing nothing over
    // the document and the comments) in the same run, so a busy machine does not fail the test.
    let started = performance.now();
    const zip = openZip(bytes, 'long.docx');
    const noop = { open() {}, close() {}, text() {} };
    walkXml(zip.text('word/document.xml'), 'long.docx', 'word/document.xml', noop);
    walkXml(zip.text('word/comments.xml'), 'long.docx', 'word/comments.xml', noop);
    const bare = performance.now() - started;
    started = performance.now();
    const doc = await readDocx(bytes, 'long.docx', {});
    const ms = performance.now() - started;
    expect(doc.blocks).toHaveLength(20_000);
    expect(doc.annotations).toHaveLength(10_000);
    const text = canonical(doc);
    expect(doc.annotations?.every((a) => text.slice(a.start, a.end) === 'commented words')).toBe(true);
    console.log(
      `docx: 20,000 paragraphs, 10,000 comments, ${(bytes.length / 1024).toFixed(0)} KB zipped: ${ms.toFixed(0)} ms (bare unzip + SAX walk ${bare.toFixed(0)} ms)`,
    );
    expect(ms).toBeLessThan(Math.max(6 * bare, 1000));
  });
});
