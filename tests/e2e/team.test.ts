/**
 * Two members of a team, live: a real `gloss team-server`, two libraries joined through the
 * command line, each served by its own `gloss serve`, each open in Chromium (one in English, one
 * in Hebrew). A document shared from A's Team panel reaches B; a highlight made with a mouse drag
 * in A appears in B's text and panel with its author, without a reload; a note written in B
 * appears in A; a delete in A takes it away in B.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, e2eSuite, gloss, L, shot, tempDir } from './harness.js';
import { repoRoot } from '../helpers.js';
import { freePort, killAll, startServer, type ServerProcess } from '../main/team-server-harness.js';

const TOKEN = 'a-team-token-for-the-e2e-test';
const TEXT = [
  'Notes on the river',
  'The river rises in the hills and reaches the sea after a long journey through the plain.',
  'הנהר עולה בהרים ומגיע אל הים אחרי מסע ארוך במישור.',
  'Fishermen say the water was clearer before the dam was built upstream.',
].join('\n');
const PHRASE = 'reaches the sea after a long journey';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
}

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations inside the open Team panel. */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document.querySelector('.team-panel'));
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Waits until the open document is whole and its annotations have come (the text is laid out for good). */
async function opened(page: Page, lang: 'en' | 'he'): Promise<void> {
  await page.locator('.reader-text').getByText('Fishermen say').waitFor();
  await expect.poll(() => page.locator('.panel-count').textContent()).not.toBe(L[lang].panel!.loading);
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/** Presses at the start of `phrase` in the reader and drags to its end, as a hand would. */
async function dragOver(page: Page, phrase: string): Promise<void> {
  const box = await page.evaluate((phrase) => {
    const block = Array.from(document.querySelectorAll<HTMLElement>('.reader-text > *')).find((b) => b.textContent!.includes(phrase))!;
    block.scrollIntoView({ block: 'center' });
    const at = block.textContent!.indexOf(phrase);
    /** The box of the one character at `offset` of the block's text. */
    const charBox = (offset: number): DOMRect => {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        if (offset < seen + n.data.length) {
          const r = document.createRange();
          r.setStart(n, offset - seen);
          r.setEnd(n, offset - seen + 1);
          return r.getBoundingClientRect();
        }
        seen += n.data.length;
      }
      throw new Error('outside the block');
    };
    const first = charBox(at);
    const last = charBox(at + phrase.length - 1);
    // Into the first letter's near half and just past the last letter: the nearest boundaries.
    return { x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right + 1, y1: last.top + last.height / 2 };
  }, phrase);
  await page.mouse.move(box.x0, box.y0);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x0 + ((box.x1 - box.x0) * i) / 10, box.y0 + ((box.y1 - box.y0) * i) / 10);
  await page.mouse.up();
}

describeE2E('team: two libraries live', () => {
  const suite = e2eSuite();
  let teamServer: ServerProcess | undefined;

  it('shows each member the other’s highlights, notes and deletes as they are made', async () => {
    teamServer = await startServer(tempDir('gloss-e2e-team-server-'), ['--token', TOKEN]);
    try {
      const dirA = tempDir('gloss-e2e-team-a-');
      const dirB = tempDir('gloss-e2e-team-b-');
      const file = path.join(tempDir('gloss-e2e-team-file-'), 'river.txt');
      fs.writeFileSync(file, TEXT);
      gloss(['import', file], dirA);
      gloss(['team', 'join', teamServer.url, '--token', TOKEN, '--name', 'Ada'], dirA);
      gloss(['team', 'join', teamServer.url, '--token', TOKEN, '--name', 'בן'], dirB);
      const A = await suite.start(dirA);
      const B = await suite.start(dirB);
      const { page: a } = await suite.open(A, 'en-US');
      const { page: b } = await suite.open(B, 'he-IL');
      const en = L.en;
      const he = L.he;

      // A opens the document and shares it from the Team panel (keyboard: the top bar's button).
      await a.getByRole('region', { name: en.library!.title }).getByRole('link', { name: /^Notes on the river/ }).click();
      await opened(a, 'en');
      const teamA = a.getByRole('button', { name: en.team!.button, exact: true });
      await teamA.focus();
      await a.keyboard.press('Enter');
      const panelA = a.getByRole('dialog', { name: en.team!.title, exact: true });
      await expect.poll(() => panelA.locator('.team-state').textContent(), { timeout: 60_000 }).toBe(fill(en.team!.connected!, { url: `\u2068${teamServer!.url}\u2069` }));
      await panelA.getByRole('button', { name: fill(en.team!.share!, { title: '\u2068Notes on the river\u2069' }) }).click();
      await expect.poll(() => panelA.locator('.team-open-shared').count(), { timeout: 60_000 }).toBe(1);
      await expect.poll(() => panelA.locator('.team-present li').allTextContents(), { timeout: 30_000 }).toEqual(['Ada (you)', 'בן']);
      await expect.poll(() => panelA.locator('.team-pending').textContent(), { timeout: 30_000 }).toBe(en.team!.pendingNone);
      await shot(a, 'team-panel', 'en');
      expect(await axeProblems(a)).toEqual([]);
      await a.keyboard.press('Escape');

      // B's library brings the text in by itself; B opens it.
      const linkB = b.getByRole('region', { name: he.library!.title }).getByRole('link', { name: /^Notes on the river/ });
      await expect.poll(() => linkB.count(), { timeout: 60_000 }).toBe(1);
      await linkB.click();
      await opened(b, 'he');
      const teamB = b.getByRole('button', { name: he.team!.button, exact: true });
      await teamB.click();
      const panelB = b.getByRole('dialog', { name: he.team!.title, exact: true });
      await expect.poll(() => panelB.locator('.team-open-shared').textContent(), { timeout: 30_000 }).toBe(he.team!.openShared);
      await expect.poll(() => panelB.locator('.team-present li').allTextContents(), { timeout: 30_000 }).toEqual(['Ada', `בן ${he.team!.youMark}`]);
      await shot(b, 'team-panel', 'he');
      expect(await axeProblems(b)).toEqual([]);
      expect(await b.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await b.keyboard.press('Escape');

      // A highlights with a mouse drag; B sees it, without reloading, with its author.
      await dragOver(a, PHRASE);
      await a.getByRole('dialog', { name: en.toolbar!.label }).waitFor();
      expect(await a.evaluate(() => document.getSelection()!.toString())).toBe(PHRASE);
      await a.keyboard.press('Alt+KeyH');
      await a.getByRole('button', { name: en.toolbar!.delete, exact: true }).waitFor();
      await a.keyboard.press('Escape');
      const hlB = b.locator('.reader-text .hl');
      await expect.poll(() => hlB.allTextContents(), { timeout: 15_000 }).toEqual([PHRASE]);
      const panelListB = b.getByRole('region', { name: he.panel!.title, exact: true }).locator('.annotation-list > li');
      await expect.poll(() => panelListB.locator('.annotation-item').count()).toBe(1);
      expect(await panelListB.first().textContent()).toContain(fill(he.panel!.commentBy!, { author: '\u2068Ada\u2069' }));
      await shot(b, 'team-live-highlight', 'he');

      // B writes a note in its panel; A sees it.
      const itemB = panelListB.first();
      await itemB.getByRole('button', { name: fill(he.panel!.editNamed!, { quote: PHRASE }) }).click();
      const note = itemB.getByRole('textbox', { name: he.toolbar!.note, exact: true });
      await note.focus();
      await b.keyboard.type('נכתב אצל בן');
      const panelListA = a.getByRole('region', { name: en.panel!.title, exact: true }).locator('.annotation-list > li');
      await expect.poll(() => panelListA.first().textContent(), { timeout: 15_000 }).toContain('נכתב אצל בן');
      await b.keyboard.press('Escape');
      await shot(a, 'team-live-note', 'en');

      // The author filter in B's panel: Ada's one, then nobody's.
      const author = b.getByRole('combobox', { name: he.panel!.filterAuthor, exact: true });
      await expect.poll(() => author.locator('option').allTextContents()).toEqual([he.panel!.allAuthors, 'Ada']);
      await author.selectOption('Ada');
      expect(await panelListB.locator('.annotation-item').count()).toBe(1);
      await author.selectOption('');

      // A deletes it from its panel; it goes from B's text and panel.
      await panelListA.first().locator('.annotation-item').focus();
      await a.keyboard.press('Delete');
      await expect.poll(() => hlB.count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => panelListB.locator('.annotation-item').count()).toBe(0);
    } finally {
      await teamServer?.stop();
      killAll();
    }
  }, 240_000);

  it('says when the library is in no team, and when its server cannot be reached (changes then wait)', async () => {
    // English: a library in no team.
    const alone = await suite.start(tempDir('gloss-e2e-team-alone-'));
    const { page: en } = await suite.open(alone, 'en-US');
    await en.getByRole('button', { name: L.en.team!.button, exact: true }).click();
    const panel = en.getByRole('dialog', { name: L.en.team!.title, exact: true });
    await expect.poll(() => panel.locator('.team-state').textContent()).toBe(L.en.team!.notJoined);
    expect(await panel.locator('.team-command').textContent()).toContain('gloss team join');
    await shot(en, 'team-panel-alone', 'en');
    await en.keyboard.press('Escape');
    await expect.poll(() => panel.isVisible()).toBe(false);

    // Hebrew: a library whose server is not there.
    const dir = tempDir('gloss-e2e-team-away-');
    const file = path.join(tempDir('gloss-e2e-team-file-'), 'river.txt');
    fs.writeFileSync(file, TEXT);
    gloss(['import', file], dir);
    gloss(['team', 'join', `ws://127.0.0.1:${await freePort()}`, '--token', TOKEN, '--name', 'דנה'], dir);
    gloss(['team', 'share', 'Notes on the river'], dir);
    const away = await suite.start(dir);
    const { page: he } = await suite.open(away, 'he-IL');
    await he.getByRole('region', { name: L.he.library!.title }).getByRole('link', { name: /^Notes on the river/ }).click();
    await opened(he, 'he');
    await dragOver(he, PHRASE);
    await he.getByRole('dialog', { name: L.he.toolbar!.label }).waitFor();
    expect(await he.evaluate(() => document.getSelection()!.toString())).toBe(PHRASE);
    await he.keyboard.press('Alt+KeyH');
    await he.getByRole('button', { name: L.he.toolbar!.delete, exact: true }).waitFor();
    await he.keyboard.press('Escape');
    const button = he.getByRole('button', { name: L.he.team!.button, exact: true });
    await button.focus();
    await he.keyboard.press('Enter');
    const panelHe = he.getByRole('dialog', { name: L.he.team!.title, exact: true });
    await expect.poll(() => panelHe.locator('.team-state').textContent(), { timeout: 30_000 }).toBe(L.he.team!.offline);
    expect(await panelHe.locator('.team-problem').textContent()).toContain((L.he.team!.problem as unknown as Record<string, string>).unreachable);
    expect(await panelHe.locator('.team-pending').textContent()).not.toBe(L.he.team!.pendingNone);
    expect(await panelHe.locator('.team-present').count()).toBe(0);
    expect(await button.getAttribute('data-state')).toBe('offline');
    await shot(he, 'team-panel-offline', 'he');
    expect(await axeProblems(he)).toEqual([]);
    // Sync now says it is still offline; the focus stays in the panel.
    await panelHe.getByRole('button', { name: L.he.team!.syncNow, exact: true }).click();
    await expect.poll(() => panelHe.locator('.team-note').textContent(), { timeout: 30_000 }).toBe(L.he.team!.offline);
    expect(await he.evaluate(() => !!document.activeElement?.closest('.team-panel'))).toBe(true);
  }, 180_000);
});
