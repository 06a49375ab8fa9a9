/**
 * The PDF reader on real PDFs printed by Chromium from HTML made here: English and Hebrew
 * articles with running heads and feet, two columns, footnotes, words broken at line ends, a
 * paragraph over a page break, Hebrew stored in visual order and a page of drawing only. Each test
 * first checks that the printed file really has the case in it (pdf.js's raw text shows the
 * running head, the broken word, the reversed Hebrew), then what the reader makes of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { BlockInput, ParsedDocument } from '../../src/common/model.js';
import { ImportError } from '../../src/main/import/errors.js';
import { CANCELLED } from '../../src/main/import/reader.js';
import { loadPdfJs, documentOptions } from '../../src/main/import/pdf/pdfjs.js';
import { NO_TEXT_LAYER, readPdf } from '../../src/main/import/pdf/read-pdf.js';
import {
  englishArticle,
  footnotes,
  GENESIS,
  hasChromium,
  hebrewArticle,
  imageOnly,
  launchChromium,
  printPdf,
  twoColumns,
  visualOrderHebrew,
  type PrintedDocument,
} from './pdf-fixtures.js';
import { updatePdf } from '../fixtures/pdf/write-pdf.js';

const norm = (s: string): string => s.normalize('NFC').replace(/\u00AD/g, '').replace(/\s+/g, ' ').trim();

/** pdf.js's own items, page by page. */
async function rawItems(pdf: Uint8Array): Promise<{ str: string; hasEOL: boolean }[][]> {
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument(documentOptions(pdf.slice())).promise;
  try {
    const pages: { str: string; hasEOL: boolean }[][] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.flatMap((it) => ('str' in it ? [{ str: it.str, hasEOL: it.hasEOL }] : [])));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** pdf.js's own text of each page, items joined, a line break where pdf.js marks one. */
async function rawText(pdf: Uint8Array): Promise<string[]> {
  return (await rawItems(pdf)).map((items) => items.map((it) => it.str + (it.hasEOL ? '\n' : '')).join(''));
}

/**
 * The expected paragraphs that do not come out as a block of exactly that text (a paragraph
 * expected twice must be there twice).
 */
function missingParagraphs(doc: ParsedDocument, expected: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const b of doc.blocks) count.set(norm(b.text), (count.get(norm(b.text)) ?? 0) + 1);
  const missing: string[] = [];
  for (const p of expected.map(norm)) {
    const n = count.get(p) ?? 0;
    if (n > 0) count.set(p, n - 1);
    else missing.push(p);
  }
  return missing;
}

function blockWith(doc: ParsedDocument, text: string): BlockInput {
  const b = doc.blocks.find((x) => norm(x.text) === norm(text));
  if (!b) throw new Error(`no block reads: ${text.slice(0, 60)}…`);
  return b;
}

describe.skipIf(!hasChromium)(`PDF reader on documents printed by Chromium${hasChromium ? '' : ' (skipped: /usr/bin/chromium is not installed)'}`, () => {
  let browser: Browser;
  const docs: Record<string, PrintedDocument> = {};
  const pdfs: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    browser = await launchChromium();
    const makers = { english: englishArticle, hebrew: hebrewArticle, columns: twoColumns, notes: footnotes, visual: visualOrderHebrew };
    for (const [name, make] of Object.entries(makers)) {
      docs[name] = make();
      pdfs[name] = await printPdf(browser, docs[name]!.html, docs[name]!.print);
    }
    pdfs.image = await printPdf(browser, imageOnly(), { footer: '<div style="font-size:9px;width:100%;text-align:center"><span class="pageNumber"></span></div>' });
    await browser.close();
  });
  afterAll(async () => {
    if (browser?.isConnected()) await browser.close();
  });

  it('English: paragraphs whole, headings, numbered items, pages, meta; no running head, foot or page number', async () => {
    const raw = await rawText(pdfs.english!);
    expect(raw.length).toBeGreaterThanOrEqual(3);
    expect(raw[1]).toContain('Gloss Test Quarterly');
    expect(raw[1]).toMatch(/Page 2 of \d/);

    const doc = await readPdf(pdfs.english!, 'article.pdf', {});
    const d = docs.english!;
    expect(missingParagraphs(doc, d.paragraphs)).toEqual([]);
    const all = doc.blocks.map((b) => b.text).join('\n');
    expect(all).not.toContain('Gloss Test Quarterly');
    expect(all).not.toMatch(/Page \d+ of \d+/);
    expect(doc.blocks.filter((b) => /^\d+$/.test(b.text.trim()))).toEqual([]);

    const [title, section] = d.headings;
    expect(blockWith(doc, title!)).toMatchObject({ kind: 'heading', meta: { level: 1, pages: ['1'] } });
    expect(blockWith(doc, section!)).toMatchObject({ kind: 'heading', meta: { level: 2 } });
    d.items.forEach((text, i) => expect(blockWith(doc, text)).toMatchObject({ kind: 'item', depth: 1, meta: { marker: `${i + 1}.` } }));

    // The paragraph longer than a page runs over a page break and stays one block.
    expect(blockWith(doc, d.paragraphs[d.paragraphs.length - 1]!).meta?.pages?.length).toBeGreaterThanOrEqual(2);
    for (const b of doc.blocks) {
      expect(b.dir).toBe('ltr');
      expect(b.meta?.pages?.length).toBeGreaterThan(0);
      for (const p of b.meta!.pages!) expect(Number(p)).toBeLessThanOrEqual(raw.length);
    }
    expect(doc.title).toBe('A Growing Russian-Israeli Alliance?');
    expect(doc.language).toBe('en');
    expect(doc.meta).toMatchObject({ sourceKind: 'pdf', pageCount: raw.length });
    expect(doc.meta?.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
  });

  it('English: words broken by a soft hyphen are joined, a real hyphen at a line end stays', async () => {
    const items = (await rawItems(pdfs.english!)).flat();
    // The printed file has both cases at line ends: a hyphen Chromium inserted where a soft hyphen
    // was (an item of its own) and a word's own hyphen (the end of the word's item).
    expect(items.filter((it) => /^[-\u2010]$/u.test(it.str) && it.hasEOL).length).toBeGreaterThanOrEqual(2);
    expect(items.filter((it) => /\p{L}-$/u.test(it.str) && it.hasEOL).length).toBeGreaterThanOrEqual(2);
    const doc = await readPdf(pdfs.english!, 'article.pdf', {});
    const text = doc.blocks.map((b) => b.text).join('\n');
    expect(text).not.toMatch(/[\u2010\u00AD]/u);
    expect(text).toContain('Moscow-Jerusalem-Washington');
    expect(text).toContain('Israeli-Russian-American');
    expect(text).toContain('diplomatically');
    expect(text).toContain('Mediterranean');
  });

  it('Hebrew: logical order, points on their letters, numbers and Latin in order, RTL blocks over pages', async () => {
    const raw = await rawText(pdfs.hebrew!);
    expect(raw.length).toBeGreaterThanOrEqual(2);
    expect(raw[1]).toContain('עמוד');
    const doc = await readPdf(pdfs.hebrew!, 'מאמר.pdf', {});
    const d = docs.hebrew!;
    expect(missingParagraphs(doc, d.paragraphs)).toEqual([]);
    expect(blockWith(doc, GENESIS).text.normalize('NFC')).toBe(GENESIS.normalize('NFC'));
    expect(doc.blocks.map((b) => b.text).join('\n')).toContain('בשנת 2017 נפגש Benjamin Netanyahu עם Vladimir Putin במוסקבה');
    expect(doc.blocks.map((b) => b.text).join('\n')).toContain('( שישי )');
    const all = doc.blocks.map((b) => b.text).join('\n');
    expect(all).not.toContain('כתב העת לבדיקה');
    expect(all).not.toMatch(/עמוד \d+ מתוך/);
    for (const b of doc.blocks) expect(b.dir).toBe('rtl');
    expect(blockWith(doc, d.headings[0]!)).toMatchObject({ kind: 'heading', meta: { level: 1 } });
    const spanned = blockWith(doc, d.paragraphs[d.paragraphs.length - 1]!).meta!.pages!.map(Number);
    expect(spanned.length).toBeGreaterThanOrEqual(2);
    expect(spanned).toEqual(spanned.map((_, i) => spanned[0]! + i));
    expect(doc.language).toBe('he');
    expect(doc.title).toBe(norm(d.headings[0]!));
  });

  it('two columns are read column by column: left to right in English, right to left in Hebrew', async () => {
    const doc = await readPdf(pdfs.columns!, 'columns.pdf', {});
    const d = docs.columns!;
    expect(missingParagraphs(doc, d.paragraphs)).toEqual([]);
    const order = d.paragraphs.map((p) => doc.blocks.findIndex((b) => norm(b.text) === norm(p)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(doc.blocks.map((b) => b.kind)).toEqual(['heading', ...d.paragraphs.slice(0, 6).map(() => 'paragraph'), 'heading', ...d.paragraphs.slice(6).map(() => 'paragraph')]);
    // Both columns of each page are really used.
    const raw = await rawText(pdfs.columns!);
    expect(raw.length).toBe(2);
  });

  it('footnotes become note blocks after the paragraph they interrupt; the paragraph cut by the page is whole', async () => {
    const doc = await readPdf(pdfs.notes!, 'notes.pdf', {});
    const d = docs.notes!;
    expect(missingParagraphs(doc, d.paragraphs)).toEqual([]);
    const notes = doc.blocks.filter((b) => b.kind === 'note');
    expect(notes.map((n) => ({ label: n.meta?.label, text: n.text }))).toEqual(d.notes);
    expect(notes.map((n) => n.meta?.pages)).toEqual([['1'], ['1'], ['2'], ['3']]);
    expect(notes[3]!.dir).toBe('rtl');
    const cut = blockWith(doc, d.paragraphs[3]!);
    expect(cut.meta?.pages).toEqual(['1', '2']);
    const at = doc.blocks.indexOf(cut);
    expect(doc.blocks[at + 1]).toBe(notes[0]);
    expect(doc.blocks[at + 2]).toBe(notes[1]);
    for (const b of doc.blocks.filter((x) => x.kind !== 'note')) for (const n of d.notes) expect(b.text).not.toContain(n.text);
  });

  it('Hebrew stored in visual order is turned round, numbers and Latin kept in their order', async () => {
    const raw = (await rawText(pdfs.visual!)).join('');
    expect(raw).toContain('םולש');
    const doc = await readPdf(pdfs.visual!, 'visual.pdf', {});
    expect(missingParagraphs(doc, docs.visual!.paragraphs)).toEqual([]);
    expect(doc.blocks).toHaveLength(3);
    for (const b of doc.blocks) expect(b.dir).toBe('rtl');
  });

  it('reports progress per page and stops between pages when cancelled', async () => {
    const seen: unknown[] = [];
    const doc = await readPdf(pdfs.english!, 'a.pdf', { onProgress: (p) => seen.push(p) });
    const total = doc.meta!.pageCount!;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => ({ done: i + 1, total, unit: 'page' })));

    const controller = new AbortController();
    const run = readPdf(pdfs.english!, 'a.pdf', { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow(ImportError);
    await expect(run).rejects.toMatchObject({ reason: CANCELLED, file: 'a.pdf' });
  });

  it('uses the PDF’s page labels and its information dictionary', async () => {
    const labelled = updatePdf(pdfs.english!, {
      pageLabels: [
        { from: 0, style: 'r' },
        { from: 1, style: 'D', start: 7 },
      ],
      info: { title: 'מאמר על רוסיה וישראל', author: 'Jane Doe', creationDate: "D:20240102153000+02'00'" },
    });
    const doc = await readPdf(labelled, 'labelled.pdf', {});
    expect(doc.title).toBe('מאמר על רוסיה וישראל');
    expect(doc.meta).toMatchObject({ author: 'Jane Doe', date: '2024-01-02T13:30:00.000Z', sourceKind: 'pdf' });
    const pages = new Set(doc.blocks.flatMap((b) => b.meta?.pages ?? []));
    const count = doc.meta!.pageCount!;
    expect([...pages]).toEqual(['i', ...Array.from({ length: count - 1 }, (_, i) => String(7 + i))]);
    expect(doc.blocks[0]!.meta?.pages).toEqual(['i']);
    const long = blockWith(doc, docs.english!.paragraphs[docs.english!.paragraphs.length - 1]!);
    expect(long.meta?.pages?.length).toBeGreaterThanOrEqual(2);
    expect(long.meta?.pages?.every((p) => /^\d+$/.test(p) && Number(p) >= 7)).toBe(true);
  });

  it('a PDF of drawing only is refused as a scan, with OCR suggested', async () => {
    expect((await rawText(pdfs.image!)).join('').replace(/\s|\d/g, '')).toBe('');
    await expect(readPdf(pdfs.image!, 'scan.pdf', {})).rejects.toMatchObject({ name: 'ImportError', file: 'scan.pdf', reason: NO_TEXT_LAYER });
  });

  it('a truncated PDF is refused as damaged', async () => {
    const cut = pdfs.english!.slice(0, Math.floor(pdfs.english!.length / 2));
    await expect(readPdf(cut, 'cut.pdf', {})).rejects.toMatchObject({ name: 'ImportError', reason: expect.stringMatching(/damaged or truncated/) });
  });
});
