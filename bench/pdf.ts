/**
 * PDF import at book scale: a ~300-page mixed Hebrew/English PDF printed by Chromium (running
 * head and foot, chapter headings, justified paragraphs that run over pages), read by `readPdf`
 * (pdf.js plus the reconstruction of lines, columns, paragraphs, notes and pages) beside pdf.js's
 * bare `getTextContent` over every page of the same file, in the same process. Each is run twice,
 * alternating, and the faster run of each counts (the first run also loads and compiles pdf.js).
 * Fidelity: the share of the printed paragraphs that come back as a block of exactly their text
 * (cantillation marks aside, see `norm`).
 *
 * The printed PDF is kept in the system's temp folder under a name made from its HTML, so a second
 * run does not print it again. `npx tsx bench/pdf.ts [--quick]` runs it alone (quick: 10 pages).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { documentOptions, loadPdfJs } from '../src/main/import/pdf/pdfjs.js';
import { readPdf } from '../src/main/import/pdf/read-pdf.js';
import { fontFaces, hasChromium, launchChromium, printPdf, runningLine } from '../tests/main/pdf-fixtures.js';
import { prng, sourceParagraphs } from './corpus.js';
import { figure, printTable, type Figure } from './figures.js';

/** Characters of running text that fill a page at the bench's type size (measured: about 5,370). */
const CHARS_PER_PAGE = 5370;
const TARGET_RATIO = 2;
const TARGET_SECONDS = 10;

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/**
 * Cantillation marks (U+0591-U+05AF) are left out of the comparison: Chromium's text layer drops a
 * few of them itself (a pashta on a final kaf with qamats has no text in the PDF), which no reader
 * can bring back. Points (niqqud) are compared.
 */
const norm = (s: string): string =>
  s
    .normalize('NFC')
    .replace(/[\u0591-\u05AF]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/** A long mixed document: chapters of paragraphs drawn (seeded) from the corpus. */
export function benchDocument(pages: number): { html: string; paragraphs: string[] } {
  const pool = sourceParagraphs();
  const rnd = prng(pages);
  const paragraphs: string[] = [];
  const body: string[] = [];
  let chars = 0;
  let chapter = 0;
  while (chars < pages * CHARS_PER_PAGE) {
    if (paragraphs.length % 14 === 0) {
      chapter++;
      body.push(`<h2 dir="auto">Chapter ${chapter} — פרק ${chapter}</h2>`);
    }
    const p = pool[Math.floor(rnd() * pool.length)]!;
    paragraphs.push(p);
    body.push(`<p dir="auto">${escapeHtml(p)}</p>`);
    chars += p.length + 40;
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gloss PDF benchmark</title><style>
${fontFaces()}
body{font-family:GlossTest,serif;font-size:11pt;line-height:1.4;margin:0}
p{margin:0 0 6pt;text-align:justify}
h2{font-size:15pt;margin:12pt 0 6pt}
</style></head><body>${body.join('\n')}</body></html>`;
  return { html, paragraphs };
}

/** Prints the bench document (or takes the copy printed by an earlier run). */
async function benchPdf(pages: number): Promise<{ pdf: Uint8Array; paragraphs: string[]; printSeconds: number }> {
  const { html, paragraphs } = benchDocument(pages);
  const header = runningLine('Gloss PDF benchmark — מדידת ייבוא');
  const footer = runningLine('Page <span class="pageNumber"></span> of <span class="totalPages"></span>');
  const key = createHash('sha256').update(html).update(header).update(footer).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `gloss-bench-${pages}-${key}.pdf`);
  if (fs.existsSync(file)) return { pdf: new Uint8Array(fs.readFileSync(file)), paragraphs, printSeconds: 0 };
  const t = performance.now();
  const browser = await launchChromium();
  try {
    const pdf = await printPdf(browser, html, { header, footer });
    fs.writeFileSync(file, pdf);
    return { pdf, paragraphs, printSeconds: (performance.now() - t) / 1000 };
  } finally {
    await browser.close();
  }
}

/** CPU time (user + system) of this process since `from`, in ms. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** pdf.js alone: open the file and take every page's text content. */
async function bareExtraction(pdf: Uint8Array): Promise<{ ms: number; cpu: number; items: number; pages: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const pdfjs = await loadPdfJs();
  const doc = await pdfjs.getDocument(documentOptions(pdf.slice())).promise;
  let items = 0;
  try {
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      items += (await page.getTextContent()).items.length;
      page.cleanup();
    }
    return { ms: performance.now() - t, cpu: cpuMs(cpu), items, pages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

/** Paragraphs that come back as a block of exactly their text (each copy counted). */
function wholeShare(blocks: readonly { text: string }[], paragraphs: readonly string[]): number {
  const count = new Map<string, number>();
  for (const b of blocks) count.set(norm(b.text), (count.get(norm(b.text)) ?? 0) + 1);
  let whole = 0;
  for (const p of paragraphs) {
    const n = count.get(norm(p)) ?? 0;
    if (n > 0) {
      whole++;
      count.set(norm(p), n - 1);
    }
  }
  return whole / paragraphs.length;
}

export async function benchPdfImport({ quick }: { quick: boolean }): Promise<Figure[]> {
  if (!hasChromium) {
    console.error('bench pdf: skipped, /usr/bin/chromium is not installed (it prints the benchmark PDF)');
    return [];
  }
  const { pdf, paragraphs, printSeconds } = await benchPdf(quick ? 10 : 300);
  const bare: number[] = [];
  const ours: number[] = [];
  const bareCpu: number[] = [];
  const oursCpu: number[] = [];
  let pages = 0;
  let items = 0;
  let share = 0;
  let blocks = 0;
  for (let round = 0; round < 2; round++) {
    const b = await bareExtraction(pdf);
    bare.push(b.ms);
    bareCpu.push(b.cpu);
    pages = b.pages;
    items = b.items;
    const t = performance.now();
    const cpu = process.cpuUsage();
    const doc = await readPdf(pdf, 'bench.pdf', {});
    ours.push(performance.now() - t);
    oursCpu.push(cpuMs(cpu));
    share = wholeShare(doc.blocks, paragraphs);
    blocks = doc.blocks.length;
  }
  const oursS = Math.min(...ours) / 1000;
  const bareS = Math.min(...bare) / 1000;
  const met = oursS <= TARGET_RATIO * bareS && oursS < TARGET_SECONDS;
  const label = `${pages} pages, ${items.toLocaleString('en-US')} text items, ${(pdf.length / 1024 / 1024).toFixed(1)} MB`;
  if (printSeconds > 0) console.error(`bench pdf: printed ${label} in ${printSeconds.toFixed(1)} s`);
  return [
    figure('pdf', `readPdf, ${label}`, oursS, 's', bareS, {
      baselineName: 'pdf.js getTextContent',
      target: `≤ ${TARGET_RATIO}× bare, < ${TARGET_SECONDS} s`,
      met,
    }),
    // CPU time is the steadier figure on a shared machine (wall time counts other processes' turns).
    figure('pdf', 'readPdf CPU time', Math.min(...oursCpu) / 1000, 's', Math.min(...bareCpu) / 1000, { baselineName: 'pdf.js getTextContent' }),
    figure('pdf', 'readPdf pages per second', pages / oursS, 'pages/s', pages / bareS, { baselineName: 'pdf.js getTextContent' }),
    figure('pdf', `paragraphs back whole (${paragraphs.length} printed, ${blocks} blocks)`, share * 100, '%', null),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchPdfImport({ quick: process.argv.includes('--quick') });
  console.log(printTable(figures));
}
