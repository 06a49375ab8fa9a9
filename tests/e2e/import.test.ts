/**
 * Importing documents through the app, end to end in both interface languages: a Markdown file
 * with a nested list, a table and code through the file picker (and, again, dropped on the
 * library), shown with its structure (markers drawn, not in the text; cells side by side, a
 * Hebrew row keeping its table's columns; code in monospace; the footnote with its label) and a
 * highlight across a table cell keeping the exact text; many files imported with progress and
 * cancelled part way (the files not read are not in the library); a reviewed Word file whose
 * comments come in as annotations with their authors and dates; a two-page Hebrew and English PDF
 * printed by Chromium, its pages in the margin and in the panel; a long PDF's progress page by
 * page, cancelled while it is read; an EPUB dropped on the library.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { reviewedDocx } from '../main/docx-fixtures.js';
import { sampleEpub } from '../main/epub-fixtures.js';
import { fontFaces, helveticaPdf, printPdf } from '../main/pdf-fixtures.js';
import { describeE2E, e2eSuite, gloss, importThroughPicker, L, type Lang, selectPhrase, shot } from './harness.js';

const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

const MARKDOWN = `# Structured reading

A paragraph before the list.

- First point
- Second point
  - Nested point
- Third point

1. One
2. Two

| Name | Role |
| ---- | ---- |
| Ada | Engineer |
| רות | מתרגמת |

\`\`\`js
const x = 1;
  return x;
\`\`\`

Text with a note.[^1]

[^1]: The footnote text.
`;

/**
 * A two-page report printed by Chromium: English and Hebrew paragraphs, one of them a single long
 * sentence running from page 1 onto page 2 (so it is one block over both pages).
 */
const PDF_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report on the talks</title><style>
${fontFaces()}
body{font-family:GlossTest,serif;font-size:12pt;line-height:1.5;margin:0}
h1{font-size:20pt;margin:0 0 10pt} p{margin:0 0 8pt} .spacer{height:200mm}
</style></head><body>
<h1>Report on the talks</h1>
<p>The delegates met in Geneva on the first morning and agreed on an order of business for the week.</p>
<p dir="rtl" lang="he">המשלחות נפגשו בז׳נבה בבוקר הראשון והסכימו על סדר היום לשבוע כולו.</p>
<div class="spacer"></div>
<p>The second session ran long, since each side read out its opening statement in full and the chairs then asked for written proposals on the three open questions (the order of signing, which text would be binding, and when the agreement would take effect), proposals that came in late in the evening and that the drafting committee worked on through the night to set side by side for the morning.</p>
<p dir="rtl" lang="he">בישיבה השלישית הוצגו ההצעות זו לצד זו, והוועדה המנסחת המליצה לחתום על שני הנוסחים בעת ובעונה אחת.</p>
</body></html>`;

/** What the reader shows of each block: kind class, text, generated marker or label. */
async function blocks(page: Page): Promise<{ tag: string; cls: string; text: string; before: string; dir: string }[]> {
  return page.locator('.reader-text > *').evaluateAll((els) =>
    els.map((e) => ({
      tag: e.tagName.toLowerCase(),
      cls: e.className,
      text: e.textContent ?? '',
      before: getComputedStyle(e, '::before').content,
      dir: e.getAttribute('dir') ?? '',
    })),
  );
}

/** Selects from `from` characters into one cell's text to `to` characters into another's, as a drag would. */
async function selectAcrossCells(page: Page, row: number, a: [number, number], b: [number, number]): Promise<void> {
  await page.evaluate(
    ({ row, a, b }) => {
      const el = document.querySelectorAll('.reader-text > .block-row')[row]!;
      const cells = el.querySelectorAll('.cell');
      const textIn = (cell: Element) => document.createTreeWalker(cell, NodeFilter.SHOW_TEXT).nextNode()!;
      const range = document.createRange();
      range.setStart(textIn(cells[a[0]]!), a[1]);
      range.setEnd(textIn(cells[b[0]]!), b[1]);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      document.dispatchEvent(new Event('selectionchange'));
    },
    { row, a, b },
  );
}

/** Imports binary files through the library's file picker, as a user would. */
async function pickFiles(page: Page, lang: Lang, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: L[lang].library!.import, exact: true }).click();
  const picker = await chooser;
  // The picker offers the new kinds of file.
  expect(await picker.element().getAttribute('accept')).toContain('.pdf,.epub,.docx');
  await picker.setFiles(files);
}

describeE2E('importing documents', () => {
  const suite = e2eSuite();

  async function start(lang: Lang): Promise<{ page: Page; dataDir: string }> {
    const server = await suite.start();
    const session = await suite.open(server, locales[lang]);
    await expect.poll(() => session.page.evaluate(() => document.documentElement.lang)).toBe(lang);
    return { page: session.page, dataDir: server.dataDir };
  }

  for (const lang of ['en', 'he'] as const) {
    it(`imports Markdown with a list, a table and code through the picker and reads its structure (${lang} interface)`, async () => {
      const { page } = await start(lang);
      const lib = L[lang].library!;
      await importThroughPicker(page, lang, [{ name: 'structured.md', mimeType: 'text/markdown', text: MARKDOWN }]);
      const outcome = page.locator('.import-outcomes li.outcome-imported');
      await outcome.waitFor();
      expect(await outcome.textContent()).toBe(lib.imported!.replace('{{name}}', '\u2068structured.md\u2069').replace('{{title}}', '\u2068Structured reading\u2069'));
      // The library says what kind of source it was.
      const row = page.locator('tr', { has: page.getByRole('link', { name: 'Structured reading' }) });
      await expect.poll(() => row.locator('.source-cell').textContent()).toBe(L[lang].sources!.markdown);
      await shot(page, 'import-markdown-library', lang);

      await page.getByRole('link', { name: 'Structured reading' }).click();
      await page.locator('.reader-text .block-row').first().waitFor();
      const shown = await blocks(page);
      const before = await page.locator('.reader-text').textContent();

      // List items: their markers drawn by CSS, not in the text; the nested one indented further.
      const items = shown.filter((b) => b.cls.includes('block-item'));
      expect(items.map((i) => i.text)).toEqual(['First point', 'Second point', 'Nested point', 'Third point', 'One', 'Two']);
      expect(items.map((i) => i.before)).toEqual(['"•"', '"•"', '"◦"', '"•"', '"1."', '"2."']);
      const indent = await page.locator('.reader-text > .block-item').evaluateAll((els) => els.map((e) => Math.round(parseFloat(getComputedStyle(e).paddingInlineStart))));
      expect(indent[2]).toBeGreaterThan(indent[1]!);
      const marker = await page.locator('.reader-text > .block-item').first().evaluate((e) => {
        const text = document.createRange();
        text.selectNodeContents(e);
        return { textLeft: text.getBoundingClientRect().left, boxLeft: e.getBoundingClientRect().left };
      });
      // The marker sits in the indent, before the text.
      expect(marker.textLeft - marker.boxLeft).toBeGreaterThan(15);

      // The table: one row per line, cells side by side; the header bold; the Hebrew row from the right.
      const rows = page.locator('.reader-text > .block-row');
      expect(await rows.count()).toBe(3);
      const cells = await rows.evaluateAll((els) =>
        els.map((e) => ({
          header: e.classList.contains('row-header'),
          weight: getComputedStyle(e).fontWeight,
          cells: Array.from(e.querySelectorAll('.cell')).map((c) => {
            const r = c.getBoundingClientRect();
            return { text: c.textContent, left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top) };
          }),
        })),
      );
      expect(cells.map((r) => r.cells.map((c) => c.text))).toEqual([
        ['Name', 'Role'],
        ['Ada', 'Engineer'],
        ['רות', 'מתרגמת'],
      ]);
      expect(cells[0]!.header).toBe(true);
      expect(Number(cells[0]!.weight)).toBeGreaterThanOrEqual(600);
      for (const r of cells) expect(r.cells[0]!.top).toBe(r.cells[1]!.top);
      expect(cells[1]!.cells[1]!.left).toBeGreaterThanOrEqual(cells[1]!.cells[0]!.right);
      // Columns line up from row to row; the Hebrew row of this English table keeps its columns
      // (its name under Name), its text right to left inside each cell.
      expect(cells[1]!.cells[1]!.left).toBe(cells[0]!.cells[1]!.left);
      expect(cells[2]!.cells[0]!.left).toBe(cells[0]!.cells[0]!.left);
      const hebrewCell = await rows.nth(2).locator('.cell').first().evaluate((c) => getComputedStyle(c).direction);
      expect(hebrewCell).toBe('rtl');

      // Code: monospace, its spaces kept.
      const code = shown.filter((b) => b.tag === 'pre');
      expect(code.map((c) => c.text)).toEqual(['const x = 1;', '  return x;']);
      const codeStyle = await page.locator('.reader-text > pre').first().evaluate((e) => ({ font: getComputedStyle(e).fontFamily, space: getComputedStyle(e).whiteSpace }));
      expect(codeStyle.font).toMatch(/mono/i);
      expect(codeStyle.space).toBe('pre-wrap');

      // The footnote: a note block with its label drawn before it, not in its text.
      const note = shown.find((b) => b.cls.includes('block-note'))!;
      expect(note.text).not.toMatch(/^\[?1/);
      expect(note.before).toBe('"1"');
      await shot(page, 'import-markdown-reader', lang);

      // A highlight from inside one cell to inside the next keeps the exact text, TAB and all.
      await selectAcrossCells(page, 1, [0, 1], [1, 4]);
      const t = L[lang].toolbar!;
      await page.getByRole('button', { name: t.highlight, exact: true }).click();
      await page.getByRole('button', { name: t.delete, exact: true }).waitFor();
      const panel = page.getByRole('region', { name: L[lang].panel!.title });
      const quote = panel.locator('.annotation-item .quote').first();
      await expect.poll(() => quote.textContent()).toBe('da\tEngi');
      const drawn = await page.locator('.reader-text .block-row .hl').allTextContents();
      expect(drawn.join('|')).toBe('da|Engi');
      expect(await page.locator('.reader-text').textContent()).toBe(before);
      await shot(page, 'import-markdown-cell-highlight', lang);
    });

    it(`imports a file dropped on the library (${lang} interface)`, async () => {
      const { page, dataDir } = await start(lang);
      await page.evaluate((text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], 'dropped.md', { type: 'text/markdown' }));
        const library = document.querySelector('.library')!;
        for (const type of ['dragenter', 'dragover', 'drop']) library.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      }, MARKDOWN.replace('# Structured reading', '# Dropped reading'));
      await page.locator('.import-outcomes li.outcome-imported').waitFor();
      await page.getByRole('link', { name: 'Dropped reading' }).waitFor();
      const listed = JSON.parse(gloss(['list', '--json'], dataDir)) as { title: string; meta: { sourceKind?: string } }[];
      expect(listed.find((d) => d.title === 'Dropped reading')?.meta.sourceKind).toBe('markdown');
    });

    it(`shows each file's progress and cancels a long import part way (${lang} interface)`, async () => {
      const { page, dataDir } = await start(lang);
      // Four text files, then a 1,500-page PDF (many seconds of reading), then three more texts:
      // cancelled while the PDF is read, the four before it stay and the rest never come in.
      const text = (n: string) => {
        const para = `Paragraph of document ${n}, long enough to take a moment to read and store. `.repeat(12);
        return Buffer.from(`Document ${n}\n\n${Array.from({ length: 200 }, () => para).join('\n\n')}`, 'utf8');
      };
      const lines = (p: number) => Array.from({ length: 45 }, (_, l) => ({ x: 72, y: 740 - l * 15, size: 11, text: `Page ${p + 1}, line ${l + 1}: the delegates read the draft again, clause by clause.` }));
      const files = Array.from({ length: 8 }, (_, i) => {
        const n = String(i + 1).padStart(2, '0');
        return i === 4
          ? { name: `long-${n}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(helveticaPdf(Array.from({ length: 1500 }, (_, p) => lines(p)))) }
          : { name: `long-${n}.txt`, mimeType: 'text/plain', buffer: text(n) };
      });
      await pickFiles(page, lang, files);
      // A bar, named after its file, beside the file being read.
      const progress = page.getByRole('progressbar').first();
      await progress.waitFor();
      const label = L[lang].importing!.progressLabel!.replace('{{name}}', 'long-\\d\\d\\.(txt|pdf)');
      expect(await progress.getAttribute('aria-label')).toMatch(new RegExp(`^${label}$`));
      await shot(page, 'import-progress', lang);
      // Cancel while the PDF is being read, page by page.
      const pdfBar = page.getByRole('progressbar', { name: L[lang].importing!.progressLabel!.replace('{{name}}', 'long-05.pdf') });
      await expect.poll(async () => Number((await pdfBar.count()) ? await pdfBar.getAttribute('value') : 0), { timeout: 30_000 }).toBeGreaterThan(0);
      await page.getByRole('button', { name: L[lang].importing!.cancel, exact: true }).click();

      const summary = page.locator('.import-summary');
      await expect.poll(() => summary.isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await summary.textContent()).toMatch(lang === 'en' ? /^Import cancelled: 4 of 8 files imported$/ : /^הייבוא בוטל: יובאו? 4 מתוך 8 קבצים$/);
      const states = await page.locator('.import-outcomes li').evaluateAll((els) => els.map((e) => e.className));
      expect(states).toEqual([...Array(4).fill('outcome outcome-imported'), ...Array(4).fill('outcome outcome-cancelled')]);
      expect(await page.getByRole('button', { name: L[lang].importing!.cancel, exact: true }).count()).toBe(0);
      await shot(page, 'import-cancelled', lang);

      const listed = JSON.parse(gloss(['list', '--json'], dataDir)) as { title: string; sourceName: string }[];
      const titles = listed.map((d) => d.title);
      for (const n of ['01', '02', '03', '04']) expect(titles).toContain(`Document ${n}`);
      for (const n of ['06', '07', '08']) expect(titles).not.toContain(`Document ${n}`);
      expect(listed.map((d) => d.sourceName)).not.toContain('long-05.pdf');
      // The library on screen shows what was imported.
      await expect.poll(() => page.locator('.documents a.doc-link', { hasText: /^Document \d\d$/ }).count()).toBe(4);
    });

    it(`brings a reviewed Word file's comments in as annotations with their authors (${lang} interface)`, async () => {
      const { page } = await start(lang);
      const lib = L[lang].library!;
      await pickFiles(page, lang, [{ name: 'reviewed.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from(reviewedDocx()) }]);
      const outcome = page.locator('.import-outcomes li.outcome-imported');
      await outcome.waitFor();
      const withComments = lib.importedWithComments_other!.replace('{{name}}', '\u2068reviewed.docx\u2069').replace('{{title}}', '\u2068Treaty notes (draft)\u2069').replace('{{count}}', '4');
      expect(await outcome.textContent()).toBe(withComments);
      const row = page.locator('tr', { has: page.getByRole('link', { name: 'Treaty notes (draft)' }) });
      await expect.poll(() => row.locator('.source-cell').textContent()).toBe(L[lang].sources!.docx);
      expect(await row.locator('.doc-byline').textContent()).toMatch(/^\u2068Dana Reviewer\u2069 · \u2068.*2024\u2069$/);
      await shot(page, 'import-docx-library', lang);

      await page.getByRole('link', { name: 'Treaty notes (draft)' }).click();
      await page.locator('.reader-text .block-row').first().waitFor();
      expect(await page.locator('.doc-heading .doc-byline').textContent()).toMatch(/^\u2068Dana Reviewer\u2069 · \u2068.*2024\u2069$/);
      const panel = page.getByRole('region', { name: L[lang].panel!.title });
      const items = panel.locator('.annotation-item');
      await expect.poll(() => items.count()).toBe(4);
      const listed = await items.evaluateAll((els) => els.map((e) => ({ quote: e.querySelector('.quote')?.textContent, about: e.querySelector('.about')?.textContent, note: e.querySelector('.note')?.textContent })));
      const by = (author: string) => L[lang].panel!.commentBy!.replace('{{author}}', `\u2068${author}\u2069`);
      expect(listed.map((a) => a.quote)).toEqual(['The talks lasted three days\nand ended without agreement', 'נפגשו בז׳נבה', 'פרוטוקול', 'catalogue']);
      expect(listed.map((a) => a.about!.split(' · ')[0])).toEqual([by('Dana Reviewer'), by('נועה כהן'), by('נועה כהן'), by('Dana Reviewer')]);
      for (const a of listed) expect(a.about).toMatch(/2024/);
      expect(listed[0]!.note).toContain('Check the dates.');
      // The comment in a table cell is drawn on its words there; the text has nothing added.
      expect(await page.locator('.reader-text .block-row .hl').allTextContents()).toEqual(['פרוטוקול']);
      // The Word list keeps its numbering as markers, outside the text.
      const markers = await page.locator('.reader-text > .block-item').evaluateAll((els) => els.map((e) => [e.getAttribute('data-marker'), e.textContent]));
      expect(markers.slice(0, 4)).toEqual([
        ['1.', 'Who signed first?'],
        ['2.', 'Which text is binding?'],
        ['a.', 'The Hebrew or the English?'],
        ['3.', 'When did it take effect?'],
      ]);
      await shot(page, 'import-docx-reader', lang);
    });

    it(`imports a two-page PDF in Hebrew and English, and shows the pages of a highlight (${lang} interface)`, async () => {
      const { page } = await start(lang);
      const pdf = await printPdf(suite.browser, PDF_HTML);
      await pickFiles(page, lang, [{ name: 'talks.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) }]);
      await page.locator('.import-outcomes li.outcome-imported').waitFor({ timeout: 30_000 });
      const row = page.locator('tr', { has: page.getByRole('link', { name: 'Report on the talks' }) });
      const pages = L[lang].sources!.pageCount_other!.replace('{{count}}', '2');
      await expect.poll(() => row.locator('.source-cell').textContent()).toBe(`\u2068PDF\u2069 · \u2068${pages}\u2069`);
      await shot(page, 'import-pdf-library', lang);

      await page.getByRole('link', { name: 'Report on the talks' }).click();
      await page.locator('.reader-text h2').waitFor();
      const shown = await page.locator('.reader-text > *').evaluateAll((els) => els.map((e) => ({ tag: e.tagName.toLowerCase(), dir: e.getAttribute('dir'), page: e.getAttribute('data-page'), text: e.textContent })));
      expect(shown.map((b) => [b.tag, b.dir, b.page])).toEqual([
        ['h2', 'ltr', '1'],
        ['p', 'ltr', null],
        ['p', 'rtl', null],
        ['p', 'ltr', '2'],
        ['p', 'rtl', null],
      ]);
      expect(shown[2]!.text).toBe('המשלחות נפגשו בז׳נבה בבוקר הראשון והסכימו על סדר היום לשבוע כולו.');
      // The sentence over the page break is one paragraph, whole.
      expect(shown[3]!.text).toMatch(/^The second session ran long, .* for the morning\.$/);
      // The page mark is drawn in the margin, not put in the text.
      const mark = await page.locator('.reader-text > [data-page="2"]').evaluate((e) => getComputedStyle(e, '::after').content);
      expect(mark).toBe(JSON.stringify(`${L[lang].sources!.pagePrefix} 2`));

      const t = L[lang].toolbar!;
      const panel = page.getByRole('region', { name: L[lang].panel!.title });
      const highlight = async (phrase: string) => {
        await selectPhrase(page, phrase);
        await page.getByRole('button', { name: t.highlight, exact: true }).click();
        await page.getByRole('button', { name: t.delete, exact: true }).waitFor();
        await page.keyboard.press('Escape');
        return panel.locator('.annotation-item', { hasText: phrase }).locator('.about');
      };
      const pageLabel = (p: string) => L[lang].sources!.page!.replace('{{page}}', `\u2068${p}\u2069`);
      const pagesLabel = (a: string, b: string) => L[lang].sources!.pages!.replace('{{first}}', `\u2068${a}\u2069`).replace('{{last}}', `\u2068${b}\u2069`);
      expect(await (await highlight('first morning')).textContent()).toBe(pageLabel('1'));
      expect(await (await highlight('הוועדה המנסחת')).textContent()).toBe(pageLabel('2'));
      expect(await (await highlight('drafting committee')).textContent()).toBe(pagesLabel('1', '2'));
      await shot(page, 'import-pdf-reader', lang);
    });

    it(`shows a long PDF's progress page by page and cancels it while it is read (${lang} interface)`, async () => {
      const { page, dataDir } = await start(lang);
      const lines = (p: number) => Array.from({ length: 45 }, (_, l) => ({ x: 72, y: 740 - l * 15, size: 11, text: `Page ${p + 1}, line ${l + 1}: the delegates read the draft again, clause by clause, and noted every change.` }));
      const pdf = helveticaPdf(Array.from({ length: 1500 }, (_, p) => lines(p)));
      await pickFiles(page, lang, [{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) }]);
      const I = L[lang].importing!;
      const reading = new RegExp(`^${I.readingPage!.replace('{{name}}', '\u2068minutes\\.pdf\u2069').replace('{{done}}', '(\\d+)').replace('{{total}}', '1500')}$`);
      const text = page.locator('.import-file-text').first();
      await expect.poll(async () => reading.exec((await text.textContent()) ?? '')?.[1] ?? '0', { timeout: 30_000 }).not.toBe('0');
      const bar = page.getByRole('progressbar', { name: I.progressLabel!.replace('{{name}}', 'minutes.pdf') });
      expect(await bar.getAttribute('max')).toBe('1500');
      expect(Number(await bar.getAttribute('value'))).toBeGreaterThan(0);
      await shot(page, 'import-pdf-progress', lang);
      await page.getByRole('button', { name: I.cancel, exact: true }).click();
      const outcome = page.locator('.import-outcomes li.outcome-cancelled');
      await outcome.waitFor({ timeout: 30_000 });
      expect(await outcome.textContent()).toBe(I.cancelled!.replace('{{name}}', '\u2068minutes.pdf\u2069'));
      expect(await page.locator('.import-summary').textContent()).toBe(I.cancelledJob_one!.replace('{{imported}}', '0').replace('{{count}}', '1'));
      const titles = (JSON.parse(gloss(['list', '--json'], dataDir)) as { sourceName: string }[]).map((d) => d.sourceName);
      expect(titles).not.toContain('minutes.pdf');
    });

    it(`imports a dropped EPUB with its chapters, author, publisher and footnote (${lang} interface)`, async () => {
      const { page } = await start(lang);
      await page.evaluate((bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'sample.epub', { type: 'application/epub+zip' }));
        const library = document.querySelector('.library')!;
        for (const type of ['dragenter', 'dragover', 'drop']) library.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      }, [...sampleEpub()]);
      await page.locator('.import-outcomes li.outcome-imported').waitFor();
      const title = 'ספר לדוגמה — A Sample Book';
      const row = page.locator('tr', { has: page.getByRole('link', { name: title }) });
      const chapters = L[lang].sources!.chapterCount_other!.replace('{{count}}', '2');
      await expect.poll(() => row.locator('.source-cell').textContent()).toBe(`\u2068EPUB\u2069 · \u2068${chapters}\u2069`);
      const byline = (await row.locator('.doc-byline').textContent())!.split(' · ');
      expect(byline[0]).toBe('\u2068רות כהן, Ruth Cohen\u2069');
      expect(byline[1]).toMatch(/2024/);
      expect(byline[2]).toBe('\u2068Gloss Test Press\u2069');
      await shot(page, 'import-epub-library', lang);

      await page.getByRole('link', { name: title }).click();
      await page.locator('.reader-text .block-note').waitFor();
      const shown = await blocks(page);
      expect(shown.map((b) => [b.tag, b.dir, b.text])).toEqual([
        ['h2', 'rtl', 'פרק ראשון'],
        ['p', 'rtl', 'בראשית הייתה המילה, והמילה נכתבה בשוליים.1'],
        ['p', 'rtl', 'הערה בתחתית העמוד.'],
        ['h2', 'ltr', 'Chapter Two'],
        ['p', 'ltr', 'The second chapter is in English and has no heading of its own.'],
        ['p', 'ltr', 'one item'],
        ['p', 'ltr', 'another'],
      ]);
      expect(shown[2]!.before).toBe('"1"');
      expect(shown.slice(5).map((b) => b.before)).toEqual(['"•"', '"•"']);
      await shot(page, 'import-epub-reader', lang);
    });
  }
});
