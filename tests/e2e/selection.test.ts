/**
 * Selection that never lies, with real mouse drags (press, move in steps, release) in both
 * interface languages: across two and three lines, in English and in Hebrew text, forwards and
 * backwards, and ending over the place the toolbar takes. The toolbar never shows during a drag,
 * never covers the selected text and leaves the selection as it is; what Alt+H saves is exactly
 * what was dragged over; a selection extended from the keyboard after the toolbar came is what
 * is saved, and the toolbar moves with it.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, highlightText, L, type Lang, shot } from './harness.js';

interface Point {
  x: number;
  y: number;
}

interface Drag {
  from: Point;
  to: Point;
  /** The text between the two points, from the block's own text. */
  expected: string;
  /** How many line boxes the passage spans. */
  lines: number;
}

/**
 * A drag over a block's text: from the logical start edge of `startPhrase`'s first letter to the
 * logical end edge of the word ending nearest below it `linesDown` lines further (or, with
 * `endAt`, of the word drawn under that point). Edges are taken 1 px inside the letter, so the
 * browser puts the selection's ends exactly at them.
 */
async function planDrag(page: Page, startPhrase: string, options: { linesDown?: number; endAt?: Point }): Promise<Drag> {
  return page.evaluate(
    ({ startPhrase, linesDown, endAt }) => {
      const block = Array.from(document.querySelectorAll<HTMLElement>('.reader-text > *')).find((b) => b.textContent!.includes(startPhrase));
      if (!block) throw new Error(`no block holds "${startPhrase}"`);
      if (!endAt) {
        const box = block.getBoundingClientRect();
        const view = block.closest('.reader-scroll')!.getBoundingClientRect();
        if (box.top < view.top || box.bottom > view.bottom) block.scrollIntoView({ block: 'center' });
      }
      const text = block.textContent!;
      const rtl = getComputedStyle(block).direction === 'rtl';
      const locate = (offset: number): [Text, number] => {
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          if (offset < seen + n.data.length) return [n, offset - seen];
          seen += n.data.length;
        }
        throw new Error('offset outside the block');
      };
      const rectOf = (offset: number): DOMRect => {
        const [node, at] = locate(offset);
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getClientRects()[0]!;
      };
      const letter = rtl ? /[\u05d0-\u05ea]/ : /[A-Za-z]/;
      const start = text.indexOf(startPhrase);
      const first = rectOf(start);
      const lineHeight = parseFloat(getComputedStyle(block).lineHeight);
      let end = -1;
      if (endAt) {
        const hit = document.caretPositionFromPoint(endAt.x, endAt.y)!;
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          if (n === hit.offsetNode) break;
          seen += n.data.length;
        }
        end = seen + hit.offset;
        // To the end of the word there.
        while (end < text.length && letter.test(text[end]!)) end++;
        while (end > start && !letter.test(text[end - 1]!)) end--;
      } else {
        // The word end on the line `linesDown` below whose letter is drawn nearest the start's.
        let best = Infinity;
        for (let i = start + 1; i < text.length - 1; i++) {
          if (!letter.test(text[i]!) || letter.test(text[i + 1]!)) continue;
          const r = rectOf(i);
          if (Math.round((r.top - first.top) / lineHeight) !== linesDown) continue;
          const distance = Math.abs(r.left - first.left);
          if (distance < best) [best, end] = [distance, i + 1];
        }
      }
      if (end <= start) throw new Error('no word end found');
      const last = rectOf(end - 1);
      const edge = (r: DOMRect, atStart: boolean) => ({ x: atStart !== rtl ? r.left + 1 : r.right - 1, y: r.top + r.height / 2 });
      return {
        from: edge(first, true),
        to: edge(last, false),
        expected: text.slice(start, end),
        lines: Math.round((last.top - first.top) / lineHeight) + 1,
      };
    },
    { startPhrase, linesDown: options.linesDown ?? 0, endAt: options.endAt ?? null },
  );
}

/**
 * Presses at `from`, moves to `to` in steps as a hand does, and releases. Halfway, it checks that
 * no toolbar has opened under the drag.
 */
async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    if (i === steps / 2 || i === steps) {
      // Two frames: a toolbar opened by the selection's change would be on screen by then.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await page.locator('.selection-toolbar').isVisible(), 'a toolbar during the drag').toBe(false);
    }
  }
  await page.mouse.up();
}

/** The toolbar's box and the selection's line boxes, to check that the one covers none of the others. */
async function overlap(page: Page): Promise<number> {
  return page.evaluate(() => {
    const bar = document.querySelector('.selection-toolbar')!.getBoundingClientRect();
    const sel = document.getSelection()!;
    const rects = sel.rangeCount ? Array.from(sel.getRangeAt(0).getClientRects()) : [];
    return rects.filter((r) => r.width > 0 && r.left < bar.right && r.right > bar.left && r.top < bar.bottom && r.bottom > bar.top).length;
  });
}

describeE2E('selection', () => {
  const suite = e2eSuite();
  const locales: Record<Lang, string> = { en: 'en-US', he: 'he-IL' };

  async function open(lang: Lang, title: RegExp): Promise<Page> {
    const server = await suite.start();
    const { page } = await suite.open(server, locales[lang]);
    await page.getByRole('region', { name: L[lang].library!.title }).getByRole('link', { name: title }).click();
    await page.locator('.reader-text').waitFor();
    // The panel's width settles once the annotations are listed; the text column is centred
    // beside it, so the drags are planned after that.
    await page.getByRole('region', { name: L[lang].panel!.title }).locator('.annotation-list .empty').waitFor();
    // And once the text's own font has come: it is asked for when the text is first laid out,
    // after the page said it was ready, and the letters move when it replaces the fallback.
    await page.evaluate(() => (void document.body.offsetHeight, document.fonts.ready.then(() => undefined)));
    return page;
  }

  /** Drags, waits for the toolbar, checks it, presses Alt+H, and returns what was highlighted. */
  async function dragAndHighlight(page: Page, lang: Lang, plan: Drag, backwards: boolean, name: string): Promise<string> {
    const before = new Set(await page.locator('.reader-text .hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id'))));
    if (backwards) await drag(page, plan.to, plan.from);
    else await drag(page, plan.from, plan.to);
    await page.getByRole('dialog', { name: L[lang].toolbar!.label }).waitFor();
    // The toolbar takes nothing: the selection is still the dragged text, and not under it.
    expect(await page.evaluate(() => document.getSelection()!.toString())).toBe(plan.expected);
    expect(await overlap(page)).toBe(0);
    await shot(page, name, lang);
    await page.keyboard.press('Alt+KeyH');
    await page.getByRole('button', { name: L[lang].toolbar!.delete, exact: true }).waitFor();
    const id = (await page.locator('.reader-text .hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id')))).find((x) => !before.has(x))!;
    expect(id).toBeTruthy();
    await page.keyboard.press('Escape');
    return highlightText(page, id);
  }

  for (const lang of ['en', 'he'] as const) {
    it(`saves exactly the English passage dragged across two and three lines, either way (${lang} interface)`, async () => {
      const page = await open(lang, /^PUTIN, NETANYAHU/);
      // The case: press on "The previous visit", drag to "…President Vladimir Putin" below.
      const twoLines = await planDrag(page, 'The previous visit', { linesDown: 1 });
      expect(twoLines.lines).toBe(2);
      expect(twoLines.expected).toMatch(/^The previous visit at the end of February saw/);
      expect(await dragAndHighlight(page, lang, twoLines, false, 'selection-en-two-lines')).toBe(twoLines.expected);

      const threeLines = await planDrag(page, 'At that meeting', { linesDown: 2 });
      expect(threeLines.lines).toBe(3);
      expect(await dragAndHighlight(page, lang, threeLines, true, 'selection-en-three-lines-back')).toBe(threeLines.expected);

      // In the panel too: the saved quotes are the dragged texts.
      const quotes = await page.getByRole('region', { name: L[lang].panel!.title }).locator('.annotation-item .quote').allTextContents();
      expect(quotes).toEqual([twoLines.expected, threeLines.expected]);
    });

    it(`saves exactly the Hebrew passage dragged across two and three lines, either way (${lang} interface)`, async () => {
      const page = await open(lang, /^בצל היחלשות/);
      const twoLines = await planDrag(page, 'נשיא רוסיה ולדימיר פוטין', { linesDown: 1 });
      expect(twoLines.lines).toBe(2);
      expect(await dragAndHighlight(page, lang, twoLines, true, 'selection-he-two-lines-back')).toBe(twoLines.expected);
      const threeLines = await planDrag(page, 'השיחה התקיימה', { linesDown: 2 });
      expect(threeLines.lines).toBe(3);
      expect(await dragAndHighlight(page, lang, threeLines, false, 'selection-he-three-lines')).toBe(threeLines.expected);
    });

    it(`ends a drag over the place the toolbar takes, and follows a selection extended from the keyboard (${lang} interface)`, async () => {
      const page = await open(lang, /^PUTIN, NETANYAHU/);
      // Where the toolbar goes for a passage on one line: under it, over the lines below.
      const first = await planDrag(page, 'the conventional wisdom', { linesDown: 0 });
      await drag(page, first.from, first.to);
      const toolbar = page.getByRole('dialog', { name: L[lang].toolbar!.label });
      await toolbar.waitFor();
      const box = (await toolbar.boundingBox())!;
      await page.keyboard.press('Escape');
      await expect.poll(() => toolbar.isVisible()).toBe(false);

      // The same press, released in the middle of where the toolbar was.
      const plan = await planDrag(page, 'the conventional wisdom', { endAt: { x: box.x + box.width / 2, y: box.y + box.height / 2 } });
      expect(plan.lines).toBeGreaterThanOrEqual(3);
      expect(await dragAndHighlight(page, lang, plan, false, 'selection-over-toolbar')).toBe(plan.expected);

      // A passage, its toolbar, then Shift+Down: the toolbar follows, and Alt+H saves the longer one.
      const short = await planDrag(page, 'For Putin, the 13th meeting', { linesDown: 0 });
      await drag(page, short.from, short.to);
      await toolbar.waitFor();
      const top = (await toolbar.boundingBox())!.y;
      expect(await page.evaluate(() => document.activeElement?.classList.contains('reader-scroll'))).toBe(true);
      await page.keyboard.press('Shift+ArrowDown');
      const extended = await page.evaluate(() => document.getSelection()!.toString());
      expect(extended.startsWith(short.expected)).toBe(true);
      expect(extended.length).toBeGreaterThan(short.expected.length);
      await expect.poll(async () => (await toolbar.boundingBox())!.y).toBeGreaterThan(top + 10);
      expect(await overlap(page)).toBe(0);
      await shot(page, 'selection-extended', lang);
      const before = new Set(await page.locator('.reader-text .hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id'))));
      await page.keyboard.press('Alt+KeyH');
      await page.getByRole('button', { name: L[lang].toolbar!.delete, exact: true }).waitFor();
      const id = (await page.locator('.reader-text .hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-annotation-id')))).find((x) => !before.has(x))!;
      expect(await highlightText(page, id)).toBe(extended);
    });
  }
});
