/**
 * End-to-end harness: a real `gloss serve` on a temp library, driven in Debian's Chromium through
 * playwright-core. Any request that leaves 127.0.0.1 is recorded and fails the test (the app must
 * work offline for real); page errors and CSP violations fail it too. Screenshots go to
 * test-results/screenshots/<name>-<en|he>.png for a person to look at.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, assert, beforeAll, describe, expect } from 'vitest';
import { glossBin, repoRoot, tempDir } from '../helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export type Lang = 'en' | 'he';

/** The interface catalogues, so tests find controls by the names a user hears. */
export const L = {
  en: JSON.parse(fs.readFileSync(path.join(repoRoot, 'locales/en/translation.json'), 'utf8')),
  he: JSON.parse(fs.readFileSync(path.join(repoRoot, 'locales/he/translation.json'), 'utf8')),
} as Record<Lang, Record<string, Record<string, string>>>;

/**
 * `describe`, or a skipped one with a clear message when Chromium is not installed.
 *
 * No retries: a test that fails once fails the run (a flaky test is a bug to find), and leaves
 * its failure message, screenshot, page text and the server's stderr in test-results/failures/
 * (see `keepEvidence`). The end-to-end files run one at a time (vitest.config.ts), so a browser
 * test does not share the two cores with another browser.
 */
export function describeE2E(name: string, fn: () => void): void {
  if (!hasChromium) {
    console.log(`skipped: ${name}: ${CHROMIUM} is not installed (apt-get install chromium)`);
    describe.skip(name, fn);
    return;
  }
  describe(name, fn);
}

export interface GlossServer {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** What the server has written to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `gloss serve --port 0` on a fresh library (seeded with the sample texts on first run). */
export async function startGloss(dataDir = tempDir('gloss-e2e-')): Promise<GlossServer> {
  const child: ChildProcess = spawn(process.execPath, [glossBin, 'serve', '--port', '0', '--data', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GLOSS_NO_SEED: '' },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`gloss serve printed no URL in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Gloss is serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gloss serve exited (${code}) before printing its URL; stderr: ${stderr}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => (clearTimeout(kill), resolve()));
        child.kill('SIGTERM');
      }),
  };
}

/** Runs the command line against a library (e.g. to import a test file). */
export function gloss(args: string[], dataDir: string): string {
  return execFileSync(process.execPath, [glossBin, ...args, '--data', dataDir], { cwd: repoRoot, encoding: 'utf8' });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but 127.0.0.1 (refused, and a test failure). */
  external: string[];
  /** Uncaught page errors and console errors (CSP violations among them). */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh browser context whose system language is `locale`, opened on the app. */
export async function openSession(browser: Browser, server: GlossServer, locale: string): Promise<Session> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 820 }, deviceScaleFactor: 1 });
  const external: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== '127.0.0.1') {
      external.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(server.url);
  await ready(page);
  return { context, page, external, errors, close: () => context.close() };
}

/** One Chromium per test file, and the servers and sessions a test starts, closed after it. */
export interface E2ESuite {
  readonly browser: Browser;
  /** A `gloss serve` on a fresh (or the given) library, stopped after the test. */
  start(dataDir?: string): Promise<GlossServer>;
  /** A session on `server`, closed after the test, which then fails on any external request or page error. */
  open(server: GlossServer, locale: string): Promise<Session>;
}

/** Registers the hooks of an end-to-end test file; call it inside `describeE2E`. */
export function e2eSuite(): E2ESuite {
  let browser: Browser | undefined;
  const servers: GlossServer[] = [];
  const sessions: Session[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async (ctx) => {
    // A failed test, or one whose page made an external request or logged an error (checked
    // below), leaves why: the failure message, what the page showed and what its server said.
    const failures = (ctx.task.result?.state === 'fail' ? (ctx.task.result.errors ?? []) : []).map((e) => [e.message, e.stack ?? ''].join('\n'));
    for (const [i, s] of sessions.entries()) {
      if (s.external.length) failures.push(`session ${i}: requests that left 127.0.0.1: ${s.external.join(' ')}`);
      if (s.errors.length) failures.push(`session ${i}: page errors: ${s.errors.join(' | ')}`);
    }
    if (failures.length) await keepEvidence(ctx.task.name, failures, sessions, servers);
    const opened = sessions.splice(0);
    for (const s of opened) await s.close();
    for (const s of servers.splice(0)) await s.stop();
    for (const s of opened) {
      expect(s.external, 'requests that left 127.0.0.1').toEqual([]);
      expect(s.errors, 'page errors').toEqual([]);
    }
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet (use the suite inside a test)');
      return browser;
    },
    async start(dataDir?: string) {
      const server = await startGloss(dataDir);
      servers.push(server);
      return server;
    },
    async open(server, locale) {
      const session = await openSession(this.browser, server, locale);
      sessions.push(session);
      return session;
    },
  };
}

/**
 * test-results/failures/<test>.png and .txt: why it failed (the assertion's message and stack),
 * the page as it was, its text, and the servers' stderr.
 */
export async function keepEvidence(name: string, failures: readonly string[], sessions: readonly Session[], servers: readonly GlossServer[]): Promise<string> {
  const dir = path.join(repoRoot, 'test-results', 'failures');
  fs.mkdirSync(dir, { recursive: true });
  const base = name.replace(/[^\w\u0590-\u05ff-]+/g, '-').slice(0, 100);
  const lines: string[] = [`test: ${name}`, `at: ${new Date().toISOString()}`, '', 'failure:', ...failures, ''];
  for (const [i, s] of sessions.entries()) {
    try {
      await s.page.screenshot({ path: path.join(dir, `${base}-${i}.png`), timeout: 5_000 });
      const text = await s.page.evaluate(() => ({ url: location.href, focus: document.activeElement?.outerHTML.slice(0, 300), body: document.body.innerText.slice(0, 6000) }));
      lines.push(`session ${i}: ${text.url}`, `focused: ${text.focus}`, `errors: ${s.errors.join(' | ')}`, text.body, '');
    } catch (e) {
      lines.push(`session ${i}: could not capture (${String(e)})`);
    }
  }
  for (const [i, s] of servers.entries()) lines.push(`server ${i} stderr:`, s.stderr(), '');
  const file = path.join(dir, `${base}.txt`);
  fs.writeFileSync(file, lines.join('\n'));
  console.log(`evidence of the failure kept in ${path.relative(repoRoot, dir)}/${base}.*`);
  return file;
}

/** Waits until the app has rendered its current view. */
export async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

export async function shot(page: Page, name: string, lang: Lang): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: path.join(screenshotDir, `${name}-${lang}.png`) });
}

/**
 * Selects `phrase` inside the `nth` block (matching `blocks`, the reader's by default) whose text
 * contains it, with a DOM Range over the text nodes (as a mouse would), then sends mouseup and
 * selectionchange so the toolbar appears.
 */
export async function selectPhrase(page: Page, phrase: string, nth = 0, blocks = '.reader-text > *'): Promise<void> {
  // A long text's sections are mounted as they come near the screen (an IntersectionObserver, on
  // its own time): wait for the block to be there, and fail below if it never comes.
  await page
    .waitForFunction(
      ({ phrase, nth, selector }) => Array.from(document.querySelectorAll(selector)).filter((b) => b.textContent!.includes(phrase)).length > nth,
      { phrase, nth, selector: blocks },
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  const ok = await page.evaluate(
    ({ phrase, nth, blocks: selector }) => {
      const blocks = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter((b) => b.textContent!.includes(phrase));
      const block = blocks[nth];
      if (!block) return false;
      const at = block.textContent!.indexOf(phrase);
      const locate = (offset: number, preferNext: boolean): [Node, number] => {
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          const len = n.data.length;
          if (offset < seen + len || (offset === seen + len && !preferNext)) return [n, offset - seen];
          seen += len;
        }
        throw new Error('offset outside block');
      };
      block.scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(...locate(at, true));
      range.setEnd(...locate(at + phrase.length, false));
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      block.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      document.dispatchEvent(new Event('selectionchange'));
      return true;
    },
    { phrase, nth, blocks },
  );
  if (!ok) throw new Error(`No block (${blocks}) contains "${phrase}"`);
}

/** Imports files through the library's file picker, as a user would. */
export async function importThroughPicker(page: Page, lang: Lang, files: { name: string; text: string; mimeType?: string }[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: L[lang].library!.import, exact: true }).click();
  await (await chooser).setFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType ?? 'text/plain', buffer: Buffer.from(f.text, 'utf8') })));
}

/** The text of every highlight span of one annotation, joined in document order. */
export async function highlightText(page: Page, id: string): Promise<string> {
  return page.evaluate((id) => Array.from(document.querySelectorAll(`.reader-text [data-annotation-id="${id}"]`)).map((e) => e.textContent).join(''), id);
}

export { tempDir };

/** A Markdown text: its title, then one paragraph each. */
export const markdown = (title: string, paragraphs: readonly string[]): string => `# ${title}\n\n${paragraphs.join('\n\n')}\n`;

export interface ImportedPair {
  /** The temp folder the two files were written to (for later versions of them). */
  dir: string;
  he: { id: number; title: string; language: string };
  en: { id: number; title: string; language: string };
  pair: { id: number; beads: { source: number[]; target: number[] }[] };
}

/**
 * A Hebrew and an English text written as Markdown (`<name>-he.md`, `<name>-en.md` in a temp
 * folder), imported and paired with the command line: aligned by the aligner (`autoAlign`) or
 * block by block.
 */
export function importPair(dataDir: string, name: string, he: { title: string; paragraphs: readonly string[] }, en: { title: string; paragraphs: readonly string[] }, autoAlign: boolean): ImportedPair {
  const dir = tempDir(`gloss-e2e-${name}-`);
  const files = [path.join(dir, `${name}-he.md`), path.join(dir, `${name}-en.md`)];
  fs.writeFileSync(files[0]!, markdown(he.title, he.paragraphs));
  fs.writeFileSync(files[1]!, markdown(en.title, en.paragraphs));
  gloss(['import', ...files], dataDir);
  const docs = JSON.parse(gloss(['list', '--json'], dataDir)) as ImportedPair['he'][];
  const find = (title: string) => docs.find((d) => d.title === title) ?? assert.fail(`"${title}" was not imported`);
  const [h, e] = [find(he.title), find(en.title)];
  const pair = JSON.parse(gloss(['pair', String(h.id), String(e.id), ...(autoAlign ? ['--auto-align'] : []), '--json'], dataDir)) as ImportedPair['pair'];
  return { dir, he: h, en: e, pair };
}
