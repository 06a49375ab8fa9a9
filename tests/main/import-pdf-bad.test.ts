/**
 * The PDF reader on files it must refuse or bound: empty, not a PDF, damaged, encrypted, too many
 * pages, a hostile page of 100,000 text items; and a small hand-written PDF it must read (a
 * standard 14 font, no page labels). Every PDF here is written byte by byte by pdf-fixtures.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadPdfJs, documentOptions } from '../../src/main/import/pdf/pdfjs.js';
import { MAX_PAGE_TEXT_ITEMS, MAX_PDF_PAGES, readPdf } from '../../src/main/import/pdf/read-pdf.js';
import { encryptedPdf, helveticaPdf, manyItemsPdf, manyPagesPdf } from '../fixtures/pdf/write-pdf.js';

const refusal = (reason: RegExp | string) => ({ name: 'ImportError', reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });

describe('PDF reader: bad and hostile files', () => {
  it('reads a hand-written PDF in a standard font, pages numbered from 1', async () => {
    const pdf = helveticaPdf([
      [
        { x: 72, y: 700, size: 18, text: 'A Plain Title' },
        { x: 72, y: 670, size: 11, text: 'The first line of a paragraph that goes on' },
        { x: 72, y: 656, size: 11, text: 'to a second line and ends here.' },
      ],
      [{ x: 72, y: 700, size: 11, text: 'Page two holds one paragraph of its own, set in Helvetica.' }],
    ]);
    const doc = await readPdf(pdf, 'plain.pdf', {});
    expect(doc.blocks.map((b) => [b.kind, b.text, b.meta?.pages])).toEqual([
      ['heading', 'A Plain Title', ['1']],
      ['paragraph', 'The first line of a paragraph that goes on to a second line and ends here.', ['1']],
      ['paragraph', 'Page two holds one paragraph of its own, set in Helvetica.', ['2']],
    ]);
    expect(doc.title).toBe('A Plain Title');
    expect(doc.meta).toEqual({ sourceKind: 'pdf', pageCount: 2 });
  });

  it('refuses an empty file', async () => {
    await expect(readPdf(new Uint8Array(0), 'empty.pdf', {})).rejects.toMatchObject({ ...refusal('the file is empty'), file: 'empty.pdf' });
  });

  it('refuses random bytes named .pdf, and a file that starts like a PDF and is not one', async () => {
    await expect(readPdf(randomBytes(4096), 'noise.pdf', {})).rejects.toMatchObject(refusal(/is not a PDF/));
    const fake = new Uint8Array([...Buffer.from('%PDF-1.7\n'), ...randomBytes(4096)]);
    await expect(readPdf(fake, 'fake.pdf', {})).rejects.toMatchObject(refusal(/damaged or truncated/));
  });

  it('refuses a truncated PDF', async () => {
    const pdf = helveticaPdf([[{ x: 72, y: 700, size: 12, text: 'Soon cut short.' }]]);
    await expect(readPdf(pdf.slice(0, Math.floor(pdf.length * 0.6)), 'cut.pdf', {})).rejects.toMatchObject(refusal(/damaged or truncated/));
  });

  it('refuses an encrypted PDF with a message that says so (the file is real: it opens with its password)', async () => {
    const pdf = encryptedPdf('Secret minutes of the meeting', 'open-sesame');
    await expect(readPdf(pdf, 'locked.pdf', {})).rejects.toMatchObject(refusal(/encrypted with a password/));
    const pdfjs = await loadPdfJs();
    const doc = await pdfjs.getDocument({ ...documentOptions(pdf.slice()), password: 'open-sesame' }).promise;
    const text = await (await doc.getPage(1)).getTextContent();
    expect(text.items.map((i) => ('str' in i ? i.str : '')).join('')).toBe('Secret minutes of the meeting');
    await doc.destroy();
  });

  it(`refuses more than ${MAX_PDF_PAGES} pages, naming the limit`, async () => {
    const t = performance.now();
    await expect(readPdf(manyPagesPdf(MAX_PDF_PAGES + 1), 'huge.pdf', {})).rejects.toMatchObject(
      refusal('has more than 5,000 pages, the limit for a PDF (it has 5,001)'),
    );
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('a page of 100,000 tiny text items stops at the per-page limit, quickly', async () => {
    const pdf = manyItemsPdf(100_000);
    const t = performance.now();
    await expect(readPdf(pdf, 'hostile.pdf', {})).rejects.toMatchObject(
      refusal(`page 1 has more than ${MAX_PAGE_TEXT_ITEMS.toLocaleString('en-US')} pieces of text, the limit for one page of a PDF`),
    );
    const ms = performance.now() - t;
    console.log(`hostile page of 100,000 items refused in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
  });

  it('100,000 tiny text items spread under the per-page limit are read in bounded time', async () => {
    const pages = Math.ceil(100_000 / (MAX_PAGE_TEXT_ITEMS - 1000));
    const pdf = manyItemsPdf(100_000, pages);
    const t = performance.now();
    const doc = await readPdf(pdf, 'dense.pdf', {});
    const ms = performance.now() - t;
    console.log(`100,000 items on ${pages} pages read in ${ms.toFixed(0)} ms (${doc.blocks.length} blocks)`);
    expect(doc.meta?.pageCount).toBe(pages);
    // Every page's first and last lines read the same ("a a a …" at the same height), so they go
    // as running heads and feet; the rest is all there.
    const letters = doc.blocks.map((b) => b.text).join('').replace(/[^a]/g, '').length;
    expect(letters).toBeGreaterThan(95_000);
    expect(letters).toBeLessThanOrEqual(100_000);
    expect(ms).toBeLessThan(30_000);
  });
});
