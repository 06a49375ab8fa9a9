/**
 * EPUB 2 and 3 books zipped here (`epub-fixtures.ts`) through the EPUB reader: spine order,
 * metadata, chapter headings from the nav document or NCX, direction, notes, provenance,
 * progress and cancellation, and the bad books (not a zip, no container, no package, empty spine,
 * DRM, a zip bomb).
 */
import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ImportProgress, ParsedDocument } from '../../src/common/model.js';
import { DRM_REASON, parseEpub, readEpub } from '../../src/main/import/epub.js';
import { ImportError } from '../../src/main/import/errors.js';
import { CANCELLED } from '../../src/main/import/reader.js';
import { buildEpub, sampleEpub, type EpubSpec } from './epub-fixtures.js';

async function importError(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

const read = (spec: EpubSpec, name = 'book.epub'): Promise<ParsedDocument> => readEpub(buildEpub(spec), name, {});
const texts = (doc: ParsedDocument): string[] => doc.blocks.map((b) => b.text);

const HE_1 = 'בראשית הייתה המילה, והמילה נכתבה בשוליים של הספר הישן.';
const HE_2 = 'המתרגם קרא כל עמוד פעמיים, פעם בעברית ופעם ב-English.';
const EN_1 = 'The second chapter is written in English and opens without a heading of its own.';
const EN_2 = 'Its second paragraph mentions a note.';

const epub3: EpubSpec = {
  version: 3,
  title: 'שוליים — Margins',
  creators: ['רות כהן', 'Daniel Levi'],
  language: 'he',
  dates: [{ value: '2021-06-15' }],
  publisher: 'הוצאת הדף',
  pageProgression: 'rtl',
  navInSpine: true,
  reverseManifest: true,
  imagePages: ['images/cover.svg'],
  chapters: [
    {
      href: 'text/פרק 1.xhtml',
      label: 'פרק ראשון: השוליים',
      lang: 'he',
      dir: 'rtl',
      body: `<section epub:type="chapter"><h1 id="start">פרק ראשון: השוליים</h1><p>${HE_1}</p><p>${HE_2}</p>
        <blockquote><p>ציטוט בתוך הפרק.</p></blockquote></section>`,
    },
    {
      label: 'Chapter Two',
      lang: 'en',
      body: `<p>${EN_1}</p><p>${EN_2}<a epub:type="noteref" href="#fn1">1</a></p>
        <ol start="3"><li>third</li><li>fourth</li></ol>
        <table><tr><th>Word</th><th>מילה</th></tr><tr><td>margin</td><td>שוליים</td></tr></table>
        <aside epub:type="footnote" id="fn1"><p><a epub:type="backlink" href="#r1">1.</a> A footnote in English.</p></aside>
        <script>alert("epub")</script>`,
    },
    {
      label: 'Endnotes',
      linear: false,
      lang: 'en',
      body: `<section epub:type="endnotes"><h2>Notes</h2><ol><li id="en1"><p>An endnote read after the main flow.</p></li></ol></section>`,
    },
    {
      label: 'פרק שלישי',
      lang: 'he',
      body: `<p>פרק שלישי בלי כותרת, אחרי פרק באנגלית.</p><pre>  שורה  אחת\nline two</pre>`,
    },
  ],
};

describe('an EPUB 3 book', () => {
  let progress: ImportProgress[] = [];
  const doc = () => readEpub(buildEpub(epub3), 'margins.epub', { onProgress: (p) => progress.push(p) });

  it('reads the chapters in spine order, the non-linear one after the main flow, the nav and images not as text', async () => {
    progress = [];
    const d = await doc();
    expect(texts(d)).toEqual([
      'פרק ראשון: השוליים',
      HE_1,
      HE_2,
      'ציטוט בתוך הפרק.',
      'Chapter Two',
      EN_1,
      `${EN_2}1`,
      'third',
      'fourth',
      'Word\tמילה',
      'margin\tשוליים',
      'A footnote in English.',
      'פרק שלישי',
      'פרק שלישי בלי כותרת, אחרי פרק באנגלית.',
      '  שורה  אחת',
      'line two',
      'Notes',
      'An endnote read after the main flow.',
    ]);
    const all = JSON.stringify(d);
    for (const trace of ['Contents', 'Start', 'cover text', 'alert', 'text-indent', 'margin: 0']) expect(all).not.toContain(trace);
    expect(progress).toEqual([0, 1, 2, 3, 4].map((done) => ({ done, total: 4, unit: 'chapter' })));
  });

  it('keeps the kinds: headings (own or from the nav), quote, items, rows, code, notes', async () => {
    const d = await doc();
    const kind = (text: string) => d.blocks.find((b) => b.text === text);
    expect(kind('פרק ראשון: השוליים')).toMatchObject({ kind: 'heading', meta: { level: 1 } });
    expect(kind('Chapter Two')).toMatchObject({ kind: 'heading', meta: { level: 1 } });
    expect(kind('ציטוט בתוך הפרק.')).toMatchObject({ kind: 'quote', depth: 1 });
    expect(kind('fourth')).toMatchObject({ kind: 'item', depth: 1, meta: { marker: '4.' } });
    expect(kind('Word\tמילה')).toMatchObject({ kind: 'row', meta: { header: true } });
    expect(kind('  שורה  אחת')?.kind).toBe('code');
    expect(kind('A footnote in English.')).toMatchObject({ kind: 'note', meta: { label: '1' } });
    expect(kind('An endnote read after the main flow.')).toMatchObject({ kind: 'note', meta: { label: '1' } });
  });

  it('gives each chapter its direction from dir and xml:lang, within the book’s right-to-left progression', async () => {
    const d = await doc();
    const dir = (text: string) => d.blocks.find((b) => b.text === text)?.dir;
    expect(dir(HE_1)).toBe('rtl');
    expect(dir(HE_2)).toBe('rtl'); // Hebrew with an English word
    expect(dir(EN_1)).toBe('ltr');
    expect(dir('Chapter Two')).toBe('ltr');
    expect(dir('margin\tשוליים')).toBe('ltr'); // declared ltr by the chapter's xml:lang="en"
    expect(dir('  שורה  אחת')).toBe('rtl');
    expect(dir('line two')).toBe('ltr'); // all its letters are Latin: they outweigh a chapter's lang="he"
    expect(d.language).toBe('mixed');
  });

  it('records each block’s chapter file and the book’s metadata', async () => {
    const d = await doc();
    const part = (text: string) => d.blocks.find((b) => b.text === text)?.meta?.part;
    expect(part(HE_1)).toBe('OEBPS/text/פרק 1.xhtml');
    expect(part('Chapter Two')).toBe('OEBPS/text/chapter-2.xhtml');
    expect(part('An endnote read after the main flow.')).toBe('OEBPS/text/chapter-3.xhtml');
    expect(d.blocks.every((b) => b.meta?.part !== undefined)).toBe(true);
    expect(d.title).toBe('שוליים — Margins');
    expect(d.meta).toEqual({
      sourceKind: 'epub',
      chapterCount: 4,
      author: 'רות כהן, Daniel Levi',
      date: '2021-06-15',
      publisher: 'הוצאת הדף',
      sourceLanguage: 'he',
    });
  });
});

describe('an EPUB 2 book', () => {
  const spec: EpubSpec = {
    version: 2,
    title: 'An Old Book',
    creators: ['A. Writer'],
    language: 'en',
    dates: [
      { value: '2020-01-01', event: 'modification' },
      { value: '1911', event: 'publication' },
    ],
    opfDir: '',
    chapters: [
      { label: 'I. The Beginning', body: '<p>Chapter one has no heading element.</p><p class="footnote" id="fn-4">4 A note by class.</p>' },
      { label: 'II. The Middle', body: '<h2>II. The Middle</h2><p>Chapter two has its own.</p><p>Second<br/>line.</p>' },
      { label: 'III. The End', body: '<div/><p>Self-closed div above must not swallow this.</p>' },
    ],
  };

  it('takes chapter titles from the NCX when a chapter has no heading, and reads XHTML self-closing tags', async () => {
    const d = await read(spec);
    expect(d.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['heading', 'I. The Beginning'],
      ['paragraph', 'Chapter one has no heading element.'],
      ['note', 'A note by class.'],
      ['heading', 'II. The Middle'],
      ['paragraph', 'Chapter two has its own.'],
      ['paragraph', 'Second'],
      ['paragraph', 'line.'],
      ['heading', 'III. The End'],
      ['paragraph', 'Self-closed div above must not swallow this.'],
    ]);
    expect(d.blocks[2]!.meta).toMatchObject({ label: '4', part: 'text/chapter-1.xhtml' });
    expect(d.meta).toEqual({ sourceKind: 'epub', chapterCount: 3, author: 'A. Writer', date: '1911', sourceLanguage: 'en' });
    expect(d.title).toBe('An Old Book');
  });

  it('uses the page progression as the direction around chapters that declare none', async () => {
    const d = await read({
      version: 2,
      title: 'ספר',
      pageProgression: 'rtl',
      chapters: [{ label: 'א', body: '<p>שלום</p><p>2024</p><p>ABC אבג DEF</p><p lang="en">English inside</p>' }],
    });
    expect(d.blocks.map((b) => [b.text, b.dir])).toEqual([
      ['א', 'rtl'],
      ['שלום', 'rtl'],
      ['2024', 'rtl'],
      ['ABC אבג DEF', 'rtl'],
      ['English inside', 'ltr'],
    ]);
  });
});

describe('a hand-made package', () => {
  const zipOf = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

  it('reads OEB-style metadata, prefixed OPF names, escaped hrefs and nested NCX points', async () => {
    const bytes = zipOf({
      mimetype: 'application/epub+zip',
      'META-INF/container.xml':
        '<container><rootfiles><rootfile full-path="book/pkg.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
      'book/pkg.opf': `<opf:package xmlns:opf="http://www.idpf.org/2007/opf" version="2.0">
        <opf:metadata><dc-metadata><dc:Title>Old &amp; Odd</dc:Title><dc:Creator>Someone</dc:Creator></dc-metadata></opf:metadata>
        <opf:manifest><opf:item id="a" href="Part%20One.html" media-type="application/xhtml+xml"/><opf:item id="n" href="toc.ncx" media-type="application/x-dtbncx+xml"/></opf:manifest>
        <opf:spine toc="n"><opf:itemref idref="a"/><opf:itemref idref="not-in-manifest"/></opf:spine></opf:package>`,
      'book/toc.ncx': `<ncx><navMap><navPoint><navLabel><text>Part One</text></navLabel><content src="Part%20One.html"/>
        <navPoint><navLabel><text>Section 1.1</text></navLabel><content src="Part%20One.html#s1"/></navPoint></navPoint></navMap></ncx>`,
      'book/Part One.html': '<html><body><p>First words.</p><h2 id="s1">Section 1.1</h2><p>More.</p></body></html>',
    });
    const d = await readEpub(bytes, 'old.epub', {});
    expect(d.title).toBe('Old & Odd');
    expect(d.meta).toMatchObject({ author: 'Someone', chapterCount: 1 });
    expect(texts(d)).toEqual(['Part One', 'First words.', 'Section 1.1', 'More.']);
    expect(d.blocks[0]!.meta).toEqual({ level: 1, part: 'book/Part One.html' });
  });
});

describe('the sample book for end-to-end tests', () => {
  it('imports', async () => {
    const d = await readEpub(sampleEpub(), 'sample.epub', {});
    expect(d.title).toBe('ספר לדוגמה — A Sample Book');
    expect(d.blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'note', 'heading', 'paragraph', 'item', 'item']);
  });
});

describe('bad books', () => {
  const chapter = { label: 'One', body: '<p>Text.</p>' };
  const zipOf = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));

  it.each<[string, () => Uint8Array, string]>([
    ['random bytes', () => new Uint8Array(randomBytes(2048)), 'is not an EPUB file (it is not a zip archive)'],
    ['an empty file', () => new Uint8Array(0), 'is not an EPUB file (it is not a zip archive)'],
    ['a zip of other things', () => zipOf({ 'readme.txt': 'hello' }), 'is not an EPUB file (it has no META-INF/container.xml)'],
    ['a book without its package document', () => buildEpub({ chapters: [chapter], omitPackage: true }), 'is a damaged EPUB: its package document OEBPS/content.opf is missing'],
    [
      'a container naming no package',
      () => zipOf({ mimetype: 'application/epub+zip', 'META-INF/container.xml': '<container><rootfiles></rootfiles></container>' }),
      'is a damaged EPUB: META-INF/container.xml names no package document',
    ],
    ['an empty spine', () => buildEpub({ chapters: [{ ...chapter, outOfSpine: true }] }), 'is a damaged EPUB: the spine of OEBPS/content.opf lists no chapters'],
    ['a spine of images', () => buildEpub({ chapters: [], imagePages: ['cover.svg'] }), 'has no text chapters: the spine of OEBPS/content.opf lists only images or other media'],
    ['a missing chapter', () => buildEpub({ chapters: [chapter, { label: 'Two', body: '<p>x</p>', missing: true }] }), 'is a damaged EPUB: its chapter OEBPS/text/chapter-2.xhtml is missing'],
    ['chapters without text', () => buildEpub({ chapters: [{ body: '<img src="a.png" alt=""/>' }] }), 'has no text in its chapters (only images?)'],
    [
      'a DRM-protected book',
      () =>
        buildEpub({
          chapters: [chapter],
          encryption: [
            { path: 'OEBPS/fonts/a.otf', algorithm: 'http://www.idpf.org/2008/embedding' },
            { path: 'OEBPS/text/chapter-1.xhtml', algorithm: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc' },
          ],
          extraFiles: { 'META-INF/rights.xml': '<rights/>' },
        }),
      DRM_REASON,
    ],
  ])('refuses %s with a clear reason', async (_label, make, reason) => {
    const e = await importError(readEpub(make(), 'bad.epub', {}));
    expect(e.reason).toBe(reason);
    expect(e.message).toBe(`bad.epub: ${reason}`);
  });

  it('says the DRM message in full', () => {
    expect(DRM_REASON).toBe('is protected by DRM (META-INF/encryption.xml encrypts its chapters); Gloss imports DRM-free EPUBs only');
  });

  it('imports a book whose fonts alone are obfuscated (IDPF and Adobe): that is not DRM', async () => {
    const d = await read({
      chapters: [chapter],
      encryption: [
        { path: 'OEBPS/fonts/a.otf', algorithm: 'http://www.idpf.org/2008/embedding' },
        { path: 'OEBPS/fonts/b.otf', algorithm: 'http://ns.adobe.com/pdf/enc#RC' },
      ],
      extraFiles: { 'OEBPS/fonts/a.otf': new Uint8Array(64), 'OEBPS/fonts/b.otf': new Uint8Array(64) },
    });
    expect(texts(d)).toEqual(['One', 'Text.']);
  });

  it('stops a zip bomb at the archive limit and says so', async () => {
    // 3 MB of one letter compresses to a few KB; a 1 MB limit keeps the test quick.
    const bomb = buildEpub({ chapters: [{ label: 'Bomb', body: `<p>${'a'.repeat(3 * 1024 * 1024)}</p>` }] });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const e = await importError(parseEpub(bomb, 'bomb.epub', { zipLimits: { maxTotalBytes: 1024 * 1024 } }));
    expect(e.reason).toBe('expands to more than 1 MB (the limit for an archive): a zip bomb?');
  });
});

describe('cancellation', () => {
  const book = () => buildEpub({ chapters: Array.from({ length: 5 }, (_, i) => ({ label: `C${i}`, body: `<p>Chapter ${i}.</p>` })) });

  it('stops between chapters when the signal is aborted', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const e = await importError(
      readEpub(book(), 'long.epub', {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.done);
          if (p.done === 2) controller.abort();
        },
      }),
    );
    expect(e.reason).toBe(CANCELLED);
    expect(seen).toEqual([0, 1, 2]);
  });

  it('does not start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await importError(readEpub(book(), 'long.epub', { signal: controller.signal }))).reason).toBe(CANCELLED);
  });
});
