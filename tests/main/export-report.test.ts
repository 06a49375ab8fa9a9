/**
 * The HTML report opened in Debian's Chromium (playwright-core): offline (every request other than
 * the report file itself is recorded, refused and fails the test), highlights visible, right-to-left
 * blocks right to left, the annotation list with tags and notes, and a print rendering. Screenshots
 * go to test-results/screenshots/export-report*.png for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAnnotations, streamWriter } from '../../src/main/export/export-service.js';
import { Library } from '../../src/main/library.js';
import { repoRoot, seedFiles, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const screenshots = path.join(repoRoot, 'test-results', 'screenshots');

if (!hasChromium) console.log(`skipped: the HTML report in Chromium: ${CHROMIUM} is not installed (apt-get install chromium)`);

describe.skipIf(!hasChromium)('the HTML report in Chromium', () => {
  let browser: Browser;
  let lib: Library;
  let file: string;
  let annotationCount = 0;

  beforeAll(async () => {
    lib = Library.open(tempDir('gloss-report-'));
    await lib.importPaths(seedFiles());
    const [he, en] = lib.list();
    // Hebrew: overlapping highlights, one across a block boundary, Hebrew notes and tags.
    const heText = lib.text(he!.id);
    const a = lib.annotate(he!.id, { quote: 'נתניהו שוחח עם פוטין', nth: 1 }, { tags: ['claim/factual', 'מקור/קרמלין'], note: 'הכותרת: "שוחח", לא "נפגש".\nשורה שנייה', color: 'green' });
    lib.annotate(he!.id, { start: a.start + 7, end: a.end + 12 }, { tags: ['claim'], color: 'blue', note: 'Overlap with the title highlight' });
    lib.annotate(he!.id, { quote: 'S-300' }, { tags: ['weapons'], color: 'pink', note: 'מערכת S-300 ברוסיה' });
    const nl = heText.indexOf('\n', 400);
    lib.annotate(he!.id, { start: nl - 8, end: nl + 8 }, { color: 'purple' });
    lib.annotate(he!.id, { quote: 'הקרמלין', nth: 1 }, { color: 'orange', tags: ['מקור'] });
    // English, with a yellow highlight and a note in Hebrew.
    lib.annotate(en!.id, { quote: 'Putin', nth: 1 }, { tags: ['person'], note: 'נשיא רוסיה' });
    lib.annotate(en!.id, { quote: 'state visit to Israel' }, { color: 'green', tags: ['claim/factual'] });
    annotationCount = lib.list().reduce((n, d) => n + d.annotationCount, 0);
    file = path.join(tempDir('gloss-report-out-'), 'report.html');
    const out = fs.createWriteStream(file);
    await exportAnnotations(lib, { format: 'html' }, streamWriter(out));
    await new Promise<void>((r) => out.end(r));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
    });
    fs.mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    lib?.close();
  });

  it('opens offline with its highlights visible, each block in its direction, and the annotation list', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 1300 }, deviceScaleFactor: 1, javaScriptEnabled: false });
    const url = pathToFileURL(file).href;
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u !== url) {
        requests.push(u);
        return route.abort();
      }
      return route.continue();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });

    expect(requests).toEqual([]);
    expect(errors).toEqual([]);

    // Highlights: marks in the text with a colour behind them, and visible.
    const marks = await page.$$eval('section.text mark', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { bg: getComputedStyle(e).backgroundColor, w: r.width, h: r.height, text: e.textContent ?? '' };
      }),
    );
    expect(marks.length).toBeGreaterThanOrEqual(annotationCount);
    for (const m of marks) {
      expect(m.bg, m.text).not.toMatch(/^(transparent|rgba\(0, 0, 0, 0\))$/);
      expect(m.w * m.h, m.text).toBeGreaterThan(0);
    }
    expect(marks.map((m) => m.text).join('')).toContain('S-300');
    expect(await page.locator('section.text mark.ov').count()).toBeGreaterThan(0);

    // Directions: every Hebrew block right to left; the English document's blocks left to right.
    const dirs = await page.$$eval('article.doc', (docs) =>
      docs.map((d) => ({
        lang: d.getAttribute('lang'),
        blocks: Array.from(d.querySelectorAll('section.text > *')).map((b) => getComputedStyle(b).direction),
      })),
    );
    expect(dirs.map((d) => d.lang)).toEqual(['he', 'en']);
    expect(dirs[0]!.blocks.length).toBeGreaterThan(5);
    expect(new Set(dirs[0]!.blocks)).toEqual(new Set(['rtl']));
    expect(new Set(dirs[1]!.blocks)).toEqual(new Set(['ltr']));
    // Right to left for real: the first Hebrew paragraph starts at the right edge.
    const edge = await page.$eval('article.doc[lang="he"] section.text > p', (p) => {
      const range = document.createRange();
      range.setStart(p.firstChild!, 0);
      range.setEnd(p.firstChild!, 1);
      const r = range.getBoundingClientRect();
      const box = p.getBoundingClientRect();
      return { fromRight: box.right - r.right, fromLeft: r.left - box.left };
    });
    expect(edge.fromRight).toBeLessThan(edge.fromLeft);

    // The list: every annotation, with tags and notes; Hebrew notes right to left.
    expect(await page.locator('ol.annotations > li').count()).toBe(annotationCount);
    expect(await page.locator('.tag', { hasText: 'מקור/קרמלין' }).count()).toBe(1);
    const note = page.locator('.note', { hasText: 'הכותרת' });
    expect(await note.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
    expect(await note.innerText()).toBe('הכותרת: "שוחח", לא "נפגש".\nשורה שנייה');

    await page.locator('article.doc[lang="he"]').screenshot({ path: path.join(screenshots, 'export-report.png') });
    await page.locator('article.doc[lang="he"] ol.annotations').screenshot({ path: path.join(screenshots, 'export-report-list.png') });

    // Print: colours kept (print-color-adjust: exact) and an underline in case backgrounds are dropped.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.$eval('section.text mark', (e) => {
      const s = getComputedStyle(e);
      return { adjust: s.getPropertyValue('print-color-adjust') || s.getPropertyValue('-webkit-print-color-adjust'), border: s.borderBottomStyle, bg: s.backgroundColor };
    });
    expect(printed).toMatchObject({ adjust: 'exact', border: 'solid' });
    expect(printed.bg).not.toMatch(/^(transparent|rgba\(0, 0, 0, 0\))$/);
    await page.screenshot({ path: path.join(screenshots, 'export-report-print.png') });
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(requests).toEqual([]);
    await context.close();
  });
});
