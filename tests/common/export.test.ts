/** The pure export serializers: code points, W3C JSON-LD, CSV, Markdown and the HTML report. */
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CodePointIndex, codePointLength, codePointsToUtf16, utf16ToCodePoints } from '../../src/common/export/code-points.js';
import { CSV_BOM, CSV_COLUMNS, csvField, csvRows } from '../../src/common/export/csv.js';
import { escapeHtml, htmlReport, markBlock } from '../../src/common/export/html-report.js';
import { serialize } from '../../src/common/export/index.js';
import { CLOSE, escapeMarkdown, isolate, LTR_OPEN, markdownDocument, RTL_OPEN } from '../../src/common/export/markdown.js';
import { colorFromClass } from '../../src/common/export/palette.js';
import type { ExportDocument, ExportSection } from '../../src/common/export/types.js';
import { hashFromSource, toWadm, wadmCollection, wadmSerializer } from '../../src/common/export/wadm.js';
import type { Annotation, BlockInput } from '../../src/common/model.js';
import { canonicalText, placeBlocks, quoteSelector } from '../../src/common/text/canonical.js';

const Papa = createRequire(import.meta.url)('papaparse') as { parse(text: string, options?: { header?: boolean; skipEmptyLines?: boolean }): { data: unknown[]; errors: unknown[] } };

const G_CLEF = '\u{1D11E}';

function makeDoc(blocks: BlockInput[], language: ExportDocument['language'] = 'en'): ExportDocument {
  return { id: 1, title: 'A test', language, sourceName: 'test.txt', contentHash: 'ab'.repeat(32), blocks: placeBlocks(blocks) };
}

let serial = 0;
function annotate(doc: ExportDocument, start: number, end: number, extra: Partial<Annotation> = {}): Annotation {
  const text = canonicalText(doc.blocks);
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    documentId: doc.id,
    start,
    end,
    ...quoteSelector(text, start, end),
    color: 'yellow',
    note: '',
    status: 'anchored',
    tags: [],
    created: '2024-05-01T10:00:00.000Z',
    modified: '2024-05-01T10:00:00.000Z',
    ...extra,
  };
}

const section = (doc: ExportDocument, list: Annotation[]): ExportSection => ({ document: doc, annotations: () => list, count: list.length });
const joined = (g: Iterable<string>) => [...g].join('');

describe('code points', () => {
  it('counts an astral character as one code point and two UTF-16 units', () => {
    const text = `a${G_CLEF}b😀c`;
    expect(text.length).toBe(7);
    expect(codePointLength(text)).toBe(5);
    expect([0, 1, 3, 4, 6, 7].map((o) => utf16ToCodePoints(text, o))).toEqual([0, 1, 2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((c) => codePointsToUtf16(text, c))).toEqual([0, 1, 3, 4, 6, 7]);
    // An offset between the halves of a pair gives that pair's offset; past the end clamps.
    expect(utf16ToCodePoints(text, 2)).toBe(1);
    expect(codePointsToUtf16(text, 99)).toBe(7);
  });

  it('is the identity on Hebrew with niqqud (all in the BMP)', () => {
    const text = 'בְּרֵאשִׁית בָּרָא';
    const index = new CodePointIndex(text);
    for (let i = 0; i <= text.length; i++) expect(index.toCodePoints(i)).toBe(i);
  });

  it('round-trips every boundary of any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const index = new CodePointIndex(text);
        let cp = 0;
        for (let i = 0; i <= text.length; ) {
          expect(index.toCodePoints(i)).toBe(cp);
          expect(index.toUtf16(cp)).toBe(i);
          if (i === text.length) break;
          i += text.codePointAt(i)! > 0xffff ? 2 : 1;
          cp++;
        }
        expect(index.codePointLength).toBe([...text].length);
      }),
    );
  });
});

describe('W3C Web Annotation JSON-LD', () => {
  const doc = makeDoc([
    { kind: 'heading', dir: 'ltr', depth: 0, text: `Music ${G_CLEF} and 😀 emoji` },
    { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'שלום עולם, a world' },
  ]);
  const text = canonicalText(doc.blocks);

  it('counts the TextPositionSelector in code points, after astral characters', () => {
    const start = text.indexOf('שלום');
    const a = annotate(doc, start, start + 4, { note: 'הערה קצרה', tags: ['claim/factual', 'טענה'], color: 'pink' });
    const w = toWadm(a, doc.contentHash, new CodePointIndex(text), 'ltr');
    expect(w.target.selector[1]).toEqual({ type: 'TextPositionSelector', start: start - 2, end: start + 2 });
    expect(w.target.selector[0]).toMatchObject({ type: 'TextQuoteSelector', exact: 'שלום', suffix: ' עולם, a world' });
    expect(w.target.source).toBe(`urn:sha256:${'ab'.repeat(32)}`);
    expect(w.id).toBe(`urn:uuid:${a.id}`);
    expect(w.motivation).toBe('commenting');
    expect(w.body).toEqual([
      { type: 'TextualBody', purpose: 'tagging', value: 'claim/factual' },
      { type: 'TextualBody', purpose: 'tagging', value: 'טענה' },
      { type: 'TextualBody', purpose: 'commenting', value: 'הערה קצרה', format: 'text/plain', language: 'he', textDirection: 'rtl' },
    ]);
    expect(w.target.styleClass).toBe('gloss-pink');
    expect(w.stylesheet.value).toContain('.gloss-pink');
    expect(colorFromClass(w.target.styleClass)).toBe('pink');
    expect(hashFromSource(w.target.source)).toBe('ab'.repeat(32));
  });

  it('picks the motivation: highlighting, tagging, commenting; English notes are ltr', () => {
    const idx = new CodePointIndex(text);
    expect(toWadm(annotate(doc, 0, 5), doc.contentHash, idx).motivation).toBe('highlighting');
    expect(toWadm(annotate(doc, 0, 5), doc.contentHash, idx).body).toBeUndefined();
    expect(toWadm(annotate(doc, 0, 5, { tags: ['x'] }), doc.contentHash, idx).motivation).toBe('tagging');
    const en = toWadm(annotate(doc, 0, 5, { note: 'A note about ש' }), doc.contentHash, idx).body!.at(-1)!;
    expect([en.language, en.textDirection]).toEqual(['en', 'ltr']);
  });

  it('streams each annotation as exactly JSON.stringify of its W3C object', () => {
    const idx = new CodePointIndex(text);
    const item = wadmSerializer(doc.contentHash, idx, 'rtl');
    const list = [
      annotate(doc, 0, 5),
      annotate(doc, 6, 8, { tags: ['a/b', 'טענה'], color: 'green' }),
      annotate(doc, text.indexOf('שלום'), text.length, { note: 'line "one"\nline\ttwo \u2028 😀', color: 'purple' }),
      { ...annotate(doc, 1, 4), status: 'orphaned' as const, start: text.length + 5, end: text.length + 9, exact: 'gone', note: 'שורה' },
    ];
    for (const a of list) expect(item(a)).toBe(JSON.stringify(toWadm(a, doc.contentHash, idx, 'rtl')));
  });

  it('writes one collection with an embedded first page and the total at the end', () => {
    const list = [annotate(doc, 0, 5), annotate(doc, 6, 8, { tags: ['t'] })];
    const gen = wadmCollection([section(doc, list)], { generated: '2024-06-01T00:00:00.000Z', id: 'urn:uuid:11111111-2222-4333-8444-555555555555' });
    const pieces = [...gen];
    expect(pieces.length).toBe(4);
    const data = JSON.parse(pieces.join(''));
    expect(data.type).toBe('AnnotationCollection');
    expect(data.first.type).toBe('AnnotationPage');
    expect(data.first.items).toHaveLength(2);
    expect(data.total).toBe(2);
    const empty = JSON.parse(joined(wadmCollection([], { generated: '2024-06-01T00:00:00.000Z' })));
    expect(empty.first.items).toEqual([]);
    expect(empty.total).toBe(0);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and for leading or trailing spaces', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField('trail ')).toBe('"trail "');
    expect(csvField('שלום')).toBe('שלום');
    expect(csvField(12)).toBe('12');
  });

  it('starts with a BOM, ends lines with CRLF, and reads back through a real parser', () => {
    const doc = makeDoc([
      { kind: 'paragraph', dir: 'ltr', depth: 0, text: `${G_CLEF} Opening line, with "quotes"` },
      { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'שורה שנייה בעברית' },
    ]);
    const text = canonicalText(doc.blocks);
    const s = text.indexOf('שנייה');
    const list = [
      annotate(doc, 3, 10, { note: 'note, with "quotes"\nand a second line', tags: ['a/b', 'c'], color: 'blue' }),
      annotate(doc, s, s + 5, { note: ' הערה, "בעברית" ', tags: ['טענה/עובדתית'] }),
    ];
    const out = joined(csvRows([section(doc, list)]));
    expect(out.startsWith(CSV_BOM)).toBe(true);
    expect(out.replace(/"[^"]*"/g, '').split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).toBe(true);
    const parsed = Papa.parse(out.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows[0]).toMatchObject({ document: 'A test', 'block index': '0', start: '2', end: '9', quote: list[0]!.exact, note: list[0]!.note, tags: 'a/b; c', colour: 'blue' });
    expect(rows[1]).toMatchObject({ 'block index': '1', start: String(s - 1), quote: 'שנייה', note: ' הערה, "בעברית" ', tags: 'טענה/עובדתית', prefix: list[1]!.prefix, suffix: list[1]!.suffix });
  });
});

describe('Markdown', () => {
  it('isolates right-to-left passages with <bdi>, without reversing them or adding invisible controls', () => {
    expect(isolate('שלום עולם', 'ltr')).toBe(`${RTL_OPEN}שלום עולם${CLOSE}`);
    expect(isolate('plain English', 'ltr')).toBe('plain English');
    expect(isolate('S-300 missiles', 'rtl')).toBe(`${LTR_OPEN}S-300 missiles${CLOSE}`);
    expect(isolate('mostly English, שלום', 'ltr')).toBe(`${LTR_OPEN}mostly English, שלום${CLOSE}`);
  });

  it('escapes Markdown markup', () => {
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
    expect(escapeMarkdown('a *b* [c](d) <e> `f`')).toBe('a \\*b\\* \\[c\\](d) \\<e\\> \\`f\\`');
  });

  it('writes a heading per document, then each passage as a blockquote with tags and note', () => {
    const doc = makeDoc([{ kind: 'paragraph', dir: 'rtl', depth: 0, text: 'נתניהו שוחח עם פוטין בטלפון' }], 'he');
    const list = [annotate(doc, 0, 6, { tags: ['claim/factual'], note: 'הערה\nשורה שנייה' })];
    const md = joined(markdownDocument([section(doc, list)], { generated: '2024-06-01T00:00:00Z' }));
    expect(md).toContain(`## ${LTR_OPEN}A test${CLOSE}`);
    expect(md).toContain(`> ${RTL_OPEN}נתניהו${CLOSE}`);
    expect(md).toContain(`**Tags:** ${LTR_OPEN}claim/factual${CLOSE}`);
    expect(md).toContain(`**Note:** ${RTL_OPEN}הערה${CLOSE}\\\n${RTL_OPEN}שורה שנייה${CLOSE}`);
    // No invisible direction controls: they break copy, paste and search elsewhere.
    expect(md).not.toMatch(/[\u2066-\u2069\u202a-\u202e]/);
    // Logical order kept: the Hebrew reads as stored, never reversed.
    expect(md).not.toContain('ּוהינתנ');
    expect(md).not.toContain('והינתנ');
  });
});

describe('HTML report', () => {
  const doc = makeDoc([
    { kind: 'heading', dir: 'ltr', depth: 0, text: 'Title <script>alert(1)</script>' },
    { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'אחת שתיים שלוש ארבע' },
    { kind: 'quote', dir: 'ltr', depth: 2, text: 'quoted & "nested"' },
  ]);
  const text = canonicalText(doc.blocks);

  it('escapes everything', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    const html = joined(htmlReport([section(doc, [annotate(doc, 0, 5, { note: '<img src=x onerror=alert(1)>', tags: ['<b>'] })])], { generated: 'now' }));
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('splits overlapping highlights into segments, each marked once', () => {
    const b = doc.blocks[1]!;
    const s = text.indexOf('שתיים');
    const a1 = annotate(doc, s, s + 'שתיים שלוש'.length, { color: 'green' });
    const a2 = annotate(doc, text.indexOf('שלוש'), text.indexOf('ארבע') + 4, { color: 'blue' });
    const html = markBlock(b, [
      { a: a1, n: 1 },
      { a: a2, n: 2 },
    ]);
    expect(html).toBe(
      'אחת <mark class="gloss-green" title="#1">שתיים </mark><mark class="gloss-blue ov" title="#1\n#2">שלוש</mark><mark class="gloss-blue" title="#2"> ארבע</mark>',
    );
  });

  it('marks a highlight that spans blocks in each block, and gives each block its direction', () => {
    const from = text.indexOf('ארבע');
    const to = text.indexOf('quoted') + 6;
    const html = joined(htmlReport([section(doc, [annotate(doc, from, to, { color: 'orange' })])], { generated: 'now' }));
    expect(html).toContain('<p dir="rtl">אחת שתיים שלוש <mark class="gloss-orange" title="#1">ארבע</mark></p>');
    expect(html).toContain('<blockquote dir="ltr" class="d2"><mark class="gloss-orange" title="#1">quoted</mark> &amp; &quot;nested&quot;</blockquote>');
    expect(html).toContain('@media print');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('serializes all four formats through one entry point', () => {
    const list = [annotate(doc, 0, 5)];
    for (const f of ['jsonld', 'csv', 'md', 'html'] as const) {
      const gen = serialize(f, [section(doc, list)], { generated: 'now' });
      let r = gen.next();
      while (!r.done) r = gen.next();
      expect(r.value, f).toBe(1);
    }
  });
});
