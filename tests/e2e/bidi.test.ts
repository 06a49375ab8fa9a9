/**
 * Bidi in the manner of CodeMirror's tests: the order in which the browser actually draws the
 * characters of mixed Hebrew/English/digit paragraphs, measured from each character's client
 * rectangle, must be the same before and after highlighting spans inside them, including spans
 * that start or end in the middle of an embedded run (`S-3|00`), overlapping ones, and quotes.
 * The document is imported through the interface's file picker.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, type GlossServer, importThroughPicker, L, type Lang, ready, type Session, shot } from './harness.js';

const MARKDOWN = `# בדיקת כיווניות: Bidi check

הציבה רוסיה מערכת S-300 בבסיסה הימי.

עוד בוואלה! NEWS: חאלב זכתה ביממה של שקט

נתניהו (Netanyahu) נפגש עם פוטין ב-2019 במוסקבה.

Putin met נתניהו in 2019 (ב-2019) at 10:30.

The IDF (צה״ל) said 3 ships left; Iran's S-300 deal, 2016.

מחיר: 1,250.50 ש״ח עבור 3 יחידות של ABC-123.

> ציטוט: "הצי הרוסי" (Russian Navy) הגיע.
>
> > ציטוט מקונן עם S-400 ועוד.

> A quote in English with עברית בפנים, and 42.
`;

/** Spans to highlight: boundaries inside embedded runs, around digits and brackets, overlapping. */
const SPANS = ['מערכת S-3', '00 בבסיסה', 'רוסיה מערכת S-300', 'WS: ח', 'met נתני', 'הו in 20', '(ב-20', '״ל) sa', '250.5', 'Navy) הג', 'S-4', 'with עבר', '(Netanyahu'];

type Order = { dir: string; order: number[]; visual: string }[];

/** Each block's characters (marks and spaces aside) sorted into drawn order: by line, then left to right. */
function visualOrder(page: Page): Promise<Order> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.reader-text > *')).map((block) => {
      const chars: { index: number; ch: string; x: number; y: number }[] = [];
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let index = 0;
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        for (let i = 0; i < n.data.length; i++, index++) {
          const ch = n.data[i]!;
          if (/\s|\p{M}/u.test(ch)) continue;
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const rect = r.getClientRects()[0];
          if (rect) chars.push({ index, ch, x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
        }
      }
      chars.sort((a, b) => a.y - b.y);
      const lines: (typeof chars)[] = [];
      for (const c of chars) {
        const line = lines[lines.length - 1];
        if (line && Math.abs(line[0]!.y - c.y) < 10) line.push(c);
        else lines.push([c]);
      }
      const sorted = lines.flatMap((line) => line.sort((a, b) => a.x - b.x));
      return { dir: block.getAttribute('dir')!, order: sorted.map((c) => c.index), visual: sorted.map((c) => c.ch).join('') };
    }),
  );
}

describeE2E('bidi: highlights change no word order', () => {
  const suite = e2eSuite();
  let server: GlossServer | undefined;
  let session: Session | undefined;

  for (const lang of ['en', 'he'] as const satisfies Lang[]) {
    it(`keeps the drawn order of mixed paragraphs (${lang} interface)`, async () => {
      server = await suite.start();
      session = await suite.open(server, lang === 'he' ? 'he-IL' : 'en-US');
      const { page } = session;
      const lib = L[lang].library!;

      // Import through the file picker: once, again (already there), and a file that cannot be read.
      const md = { name: 'bidi.md', mimeType: 'text/markdown', text: MARKDOWN };
      await importThroughPicker(page, lang, [md]);
      const outcomes = page.locator('.import-outcomes li');
      await expect.poll(() => outcomes.first().getAttribute('class')).toContain('outcome-imported');
      await importThroughPicker(page, lang, [md, { name: 'empty.txt', text: '   \n\n' }]);
      await expect.poll(() => outcomes.evaluateAll((els) => els.map((e) => e.className))).toEqual(['outcome outcome-duplicate', 'outcome outcome-failed']);
      await shot(page, 'bidi-import', lang);

      await page.getByRole('region', { name: lib.title }).getByRole('link', { name: /^בדיקת כיווניות/ }).click();
      await page.locator('.reader-text').waitFor();
      const docId = /doc=(\d+)/.exec(page.url())![1]!;
      const before = await visualOrder(page);
      await shot(page, 'bidi-before', lang);

      expect(before.map((b) => b.dir)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'ltr', 'ltr', 'rtl', 'rtl', 'rtl', 'ltr']);
      // Sanity of the reading itself: the Latin run reads left to right inside the Hebrew line, and
      // the colon after NEWS stays on its left, where a Hebrew reader meets it after the word.
      expect(before[1]!.visual).toContain('S-300');
      expect(before[2]!.visual).toContain(':NEWS');
      // Mirrored brackets: in a right-to-left line the code point ')' is drawn on the left, as '('.
      expect(before[3]!.visual).toContain(')Netanyahu(');
      // Quotes indent on the reading side: the Hebrew one from the right, the English one from the left.
      const indents = await page.locator('.reader-text > blockquote').evaluateAll((els) =>
        els.map((e) => {
          const box = e.getBoundingClientRect();
          const parent = e.parentElement!.getBoundingClientRect();
          return { dir: e.getAttribute('dir'), depth: e.getAttribute('data-depth'), left: Math.round(box.left - parent.left), right: Math.round(parent.right - box.right) };
        }),
      );
      expect(indents.map((i) => [i.dir, i.depth])).toEqual([
        ['rtl', '1'],
        ['rtl', '2'],
        ['ltr', '1'],
      ]);
      expect(indents[0]!.right).toBeGreaterThan(10);
      expect(indents[0]!.left).toBe(0);
      expect(indents[1]!.right).toBeGreaterThan(indents[0]!.right);
      expect(indents[2]!.left).toBeGreaterThan(10);
      expect(indents[2]!.right).toBe(0);

      for (const quote of SPANS) gloss(['annotate', docId, '--quote', quote, '--color', 'green'], server.dataDir);
      await page.reload();
      await ready(page);
      await expect.poll(() => page.locator('.reader-text .hl').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('data-annotation-id'))).size)).toBe(SPANS.length);
      const after = await visualOrder(page);
      await shot(page, 'bidi-after', lang);

      for (let i = 0; i < before.length; i++) {
        expect(after[i]!.visual, `block ${i}`).toBe(before[i]!.visual);
        expect(after[i]!.order, `block ${i}`).toEqual(before[i]!.order);
      }
    });
  }
});
