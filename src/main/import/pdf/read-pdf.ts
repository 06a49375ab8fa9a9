/**
 * The PDF reader: pdf.js's text layer to the block model.
 *
 * Per page: the text items become runs placed on the page (runs.ts), runs sharing a baseline
 * become lines (lines.ts), lines are put in reading order column by column (columns.ts) and each
 * line's runs in logical order (line-text.ts); a page whose Hebrew reads backwards is turned
 * round (visual-order.ts). Then, over the whole document: running heads, feet and page numbers
 * go (furniture.ts), footnotes are found (notes.ts) and lines become paragraphs, headings, list
 * items and notes, each with the pages it spans (paragraphs.ts).
 *
 * Bounded: at most MAX_PDF_PAGES pages, MAX_PAGE_TEXT_ITEMS text items on a page and
 * MAX_PDF_TEXT_ITEMS in all (the item stream of a page is cut off as soon as it passes the cap).
 */
import path from 'node:path';
import type { Direction } from '../../../common/model.js';
import { ImportError } from '../errors.js';
import { finishDocument, makeTitle } from '../plain-text.js';
import { throwIfCancelled, type DocumentReader } from '../reader.js';
import { readingOrder } from './columns.js';
import { removeFurniture } from './furniture.js';
import { bodySizeOf } from './layout.js';
import { assembleLine, strongLetters } from './line-text.js';
import { groupLines } from './lines.js';
import {
  MAX_PAGE_TEXT_ITEMS,
  MAX_PDF_PAGES,
  MAX_PDF_TEXT_ITEMS,
  MIN_CHARACTERS_PER_PAGE,
  tooManyItems,
  tooManyItemsOnPage,
  tooManyPages,
} from './limits.js';
import { readInfo } from './meta.js';
import { findNotes } from './notes.js';
import { buildBlocks } from './paragraphs.js';
import { loadPdfJs, openPdf, type PdfDocument, type PdfPage } from './pdfjs.js';
import { toRuns } from './runs.js';
import type { PageText, Run, TextLine } from './types.js';
import { looksReversed, orderEvidence, repairLine, type OrderEvidence } from './visual-order.js';

export { MAX_PAGE_TEXT_ITEMS, MAX_PDF_PAGES, MAX_PDF_TEXT_ITEMS } from './limits.js';

export const NO_TEXT_LAYER =
  'has no text layer (it looks like a scanned image); run it through OCR (e.g. ocrmypdf) and import the result';

export const readPdf: DocumentReader = async (bytes, name, options = {}) => {
  const { onProgress, signal } = options;
  throwIfCancelled(signal, name);
  const pdfjs = await loadPdfJs();
  const doc = await openPdf(pdfjs, bytes, name);
  try {
    const total = doc.numPages;
    if (total > MAX_PDF_PAGES) throw new ImportError(name, tooManyPages(total), 'too-large');
    if (total < 1) throw new ImportError(name, 'has no pages', 'no-text');
    const labels = await pageLabels(doc);
    const pages: PageText[] = [];
    const evidence: OrderEvidence = { logical: 0, reversed: 0 };
    let items = 0;
    for (let n = 1; n <= total; n++) {
      throwIfCancelled(signal, name);
      const label = labels?.[n - 1]?.trim() || String(n);
      const page = await pageOf(doc, n, label, name);
      const viewport = page.getViewport({ scale: 1 });
      const content = await pageItems(page, label, name, MAX_PDF_TEXT_ITEMS - items);
      items += content.length;
      page.cleanup();
      pages.push(layOutPage(toRuns(content, viewport.transform), n - 1, label, viewport.width, viewport.height, evidence));
      onProgress?.({ done: n, total, unit: 'page' });
    }
    throwIfCancelled(signal, name);

    const bodySize = bodySizeOf(pages);
    removeFurniture(pages, bodySize);
    let characters = 0;
    for (const p of pages) for (const l of p.lines) characters += l.text.replace(/\s/gu, '').length;
    if (characters < MIN_CHARACTERS_PER_PAGE * total) throw new ImportError(name, NO_TEXT_LAYER, 'no-text-layer');

    const notes = findNotes(pages, bodySize);
    const info = await readInfo(pdfjs, doc);
    const blocks = buildBlocks({ pages, notes, bodySize, ...(info.producer ? { producer: info.producer } : {}) });
    const heading = blocks.find((b) => b.kind === 'heading' && b.text.trim() !== '');
    const title = info.title ?? heading?.text ?? path.basename(name).replace(/\.pdf$/iu, '');
    const parsed = finishDocument(name, blocks, makeTitle(title));
    return { ...parsed, meta: info.meta };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
};

/** The PDF's own page labels ("i", "ii", "1", "A-1"), or null when it has none. */
async function pageLabels(doc: PdfDocument): Promise<string[] | null> {
  try {
    return await doc.getPageLabels();
  } catch {
    return null;
  }
}

async function pageOf(doc: PdfDocument, n: number, label: string, name: string): Promise<PdfPage> {
  try {
    return await doc.getPage(n);
  } catch (e) {
    throw new ImportError(name, `is damaged: page ${label} cannot be read (${e instanceof Error ? e.message : String(e)})`, 'damaged');
  }
}

/**
 * A page's text items, read from pdf.js's stream and cut off once there are more than the page's
 * cap or than `budget` (what is left of the document's cap).
 */
async function pageItems(page: PdfPage, label: string, name: string, budget: number): Promise<unknown[]> {
  const reader = page.streamTextContent({ includeMarkedContent: false }).getReader();
  const items: unknown[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = (value as { items?: unknown[] } | undefined)?.items ?? [];
      for (const item of chunk) items.push(item);
      if (items.length > MAX_PAGE_TEXT_ITEMS || items.length > budget) {
        await reader.cancel(new Error('text item limit reached')).catch(() => undefined);
        throw new ImportError(name, items.length > MAX_PAGE_TEXT_ITEMS ? tooManyItemsOnPage(label) : tooManyItems(), 'too-complex');
      }
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(name, `is damaged: the text of page ${label} cannot be read (${e instanceof Error ? e.message : String(e)})`, 'damaged');
  }
  return items;
}

/** One page's runs to its lines in reading order, with their text. */
function layOutPage(runs: Run[], index: number, label: string, width: number, height: number, evidence: OrderEvidence): PageText {
  let rtl = 0;
  let ltr = 0;
  for (const r of runs) {
    const c = strongLetters(r.str);
    rtl += c.rtl;
    ltr += c.ltr;
  }
  const dir: Direction = rtl > ltr ? 'rtl' : 'ltr';
  const lines: TextLine[] = [];
  for (const { line, region } of readingOrder(groupLines(runs), dir)) {
    const a = assembleLine(line.runs, dir);
    if (a.text === '') continue;
    const t: TextLine = { text: a.text, dir: a.dir, x0: line.x0, x1: line.x1, y: line.y, size: line.size, page: index, region, raisedStart: a.raisedStart };
    if (a.raisedText !== undefined) t.raisedText = a.raisedText;
    if (a.loneHyphen) t.loneHyphen = true;
    lines.push(t);
  }
  // Hebrew stored backwards: decided on the page's own words, or on the document's so far when
  // the page has too few telling words.
  const own = { logical: 0, reversed: 0 };
  for (const l of lines) orderEvidence(l.text, own);
  evidence.logical += own.logical;
  evidence.reversed += own.reversed;
  const reversed = own.logical + own.reversed >= 4 ? looksReversed(own) : looksReversed(evidence);
  for (const l of lines) {
    // A line that alone says it is backwards is turned round even on a page that reads right.
    const mine = orderEvidence(l.text);
    if (reversed || (mine.reversed >= 3 && mine.logical === 0)) l.text = repairLine(l.text, l.dir);
  }
  return { index, label, width, height, lines };
}
