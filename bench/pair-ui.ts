/**
 * The bilingual desk at book scale, in Chromium through the browser host, beside the reader on the
 * same text in the same run: a pair of two generated mixed Hebrew/English documents of 5 MB each
 * (quick: 200 KB), aligned block by block, with 1,000 highlights on each (quick: 100).
 *
 * - open: from navigation to the first rows on screen (`gloss:pair-first-rows`, set once the
 *   first section of rows is laid out), and to ready (`gloss:pair-ready`: both whole texts, their
 *   annotations and links loaded and drawn), median of three loads after a warm-up; beside them
 *   the reader's first text and ready (`gloss:first-text`, `gloss:ready`) on the pair's source;
 * - how many sections of rows are drawn once open (the rest are placeholders);
 * - scrolling the desk top to bottom a screen at a time, two frames a step, with a `longtask`
 *   observer: the longest task and the tasks over 50 ms, beside the reader scrolled the same way;
 * - the JS heap with the pair open and after scrolling through it, beside the reader's.
 *
 * `npx tsx bench/pair-ui.ts [--quick]` runs it alone and prints the table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { COLORS } from '../src/common/model.js';
import { Library } from '../src/main/library.js';
import { PairService } from '../src/main/pairs.js';
import { insertAnnotation } from '../src/main/store/annotations.js';
import { prng, repoRoot, writeCorpus } from './corpus.js';
import { figure, percentile, printTable, type Figure } from './figures.js';
import { openAndMark, scrollThrough, serve } from './ui.js';

const MB = 1024 * 1024;
const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 820 };

/** A library holding two documents of `bytes` each, paired block by block, `n` highlights on each. */
export async function makePairLibrary(dir: string, bytes: number, n: number): Promise<{ dataDir: string; pairId: number; sourceId: number; units: number }> {
  const files = [1, 2].map((seed) => {
    const sub = path.join(dir, `text-${seed}`);
    fs.mkdirSync(sub, { recursive: true });
    return writeCorpus(sub, bytes, seed * 7);
  });
  const dataDir = path.join(dir, 'data');
  const lib = Library.open(dataDir);
  try {
    const out = await lib.importPaths(files);
    const ids = out.map((o) => {
      if (o.status !== 'imported' || o.documentId === undefined) throw new Error(`import failed: ${o.message}`);
      return o.documentId;
    });
    const stamp = new Date('2025-01-01T00:00:00.000Z').getTime();
    for (const [k, documentId] of ids.entries()) {
      const text = lib.text(documentId);
      const rnd = prng(n + k);
      lib.db.transaction(() => {
        for (let i = 0; i < n; i++) {
          const start = Math.floor(((i + rnd()) / n) * (text.length - 100));
          const end = Math.min(text.length, start + 4 + Math.floor(rnd() * 60));
          const created = new Date(stamp + i * 1000).toISOString();
          insertAnnotation(lib.db, text, { documentId, start, end, color: COLORS[i % COLORS.length]!, note: i % 5 === 0 ? 'הערה: check this' : '', tags: [], created, modified: created }, created);
        }
      })();
    }
    const pair = new PairService(lib).create(ids[0]!, ids[1]!);
    return { dataDir, pairId: pair.id, sourceId: ids[0]!, units: pair.beads.length };
  } finally {
    lib.close();
  }
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US' });
  await context.newPage();
  return context;
}

/** Loads `url` in a fresh page and waits for the marks; their times from navigation. */
async function openOnce(context: BrowserContext, url: string, marks: [string, string]): Promise<{ page: Page; first: number; ready: number }> {
  const page = await context.newPage();
  const [first, ready] = await openAndMark(page, url, marks, marks[1], 300_000);
  return { page, first: first!, ready: ready! };
}

/** The median of `runs` opens after `warm` uncounted ones; the last page left open. */
async function openRuns(context: BrowserContext, url: string, marks: [string, string], warm: number, runs: number): Promise<{ first: number; ready: number; page: Page }> {
  const first: number[] = [];
  const ready: number[] = [];
  let page: Page | null = null;
  for (let i = 0; i < warm + runs; i++) {
    await page?.close();
    const r = await openOnce(context, url, marks);
    page = r.page;
    if (i >= warm) {
      first.push(r.first);
      ready.push(r.ready);
    }
  }
  return { first: percentile(first, 50), ready: percentile(ready, 50), page: page! };
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await page.waitForTimeout(300);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usage.usedSize / MB;
}

export async function benchPairUi({ quick }: { quick: boolean }): Promise<Figure[]> {
  for (const f of ['dist/main/cli.cjs', 'dist/renderer/app.js']) {
    if (!fs.existsSync(path.join(repoRoot, f))) throw new Error(`${f} is missing: run \`node scripts/build.mjs\` first`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`bench pair-ui: skipped: ${CHROMIUM} is not installed`);
    return [];
  }
  const bytes = quick ? 200 * 1024 : 5 * MB;
  const n = quick ? 100 : 1_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-pair-'));
  let browser: Browser | null = null;
  let server: Awaited<ReturnType<typeof serve>>['child'] | null = null;
  try {
    const { dataDir, pairId, sourceId, units } = await makePairLibrary(dir, bytes, n);
    const served = await serve(dataDir);
    server = served.child;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    });
    const desk = await newContext(browser);
    const reader = await newContext(browser);
    const pairUrl = `${served.url}#pair=${pairId}&bench`;
    const docUrl = `${served.url}#doc=${sourceId}&bench`;
    const warm = quick ? 0 : 1;
    const runs = quick ? 1 : 3;

    const p = await openRuns(desk, pairUrl, ['gloss:pair-first-rows', 'gloss:pair-ready'], warm, runs);
    const sections = await p.page.evaluate(() => (window as unknown as { __glossPairBench: { sections(): { total: number; mounted: number } } }).__glossPairBench.sections());
    const heapDesk = await heapMB(p.page);
    const deskScroll = await scrollThrough(p.page, '.pair-pane');
    const heapDeskAfter = await heapMB(p.page);
    const after = await p.page.evaluate(() => (window as unknown as { __glossPairBench: { sections(): { total: number; mounted: number } } }).__glossPairBench.sections());
    // The reader on the same text is the baseline; the desk's figures stand without it if it fails.
    let r: { first: number; ready: number; heap: number; heapAfter: number; scroll: Awaited<ReturnType<typeof scrollThrough>> } | null = null;
    try {
      const opened = await openRuns(reader, docUrl, ['gloss:first-text', 'gloss:ready'], warm, runs);
      const heap = await heapMB(opened.page);
      const scroll = await scrollThrough(opened.page, '.reader-scroll');
      r = { first: opened.first, ready: opened.ready, heap, scroll, heapAfter: await heapMB(opened.page) };
    } catch (e) {
      console.error(`bench pair-ui: the reader's baseline failed, the desk's figures have none: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
    if (process.env.GLOSS_BENCH_VERBOSE) console.error(`  scroll long tasks (ms@step): desk ${deskScroll.tasks.map((t, i) => `${t}@${deskScroll.at[i]}`).join(' ')}; reader ${r?.scroll.tasks.map((t, i) => `${t}@${r.scroll.at[i]}`).join(' ') ?? '—'}`);

    const label = `2 × ${bytes >= MB ? `${(bytes / MB).toFixed(0)} MB` : `${Math.round(bytes / 1024)} KB`}, ${units.toLocaleString('en')} units`;
    const base = { baselineName: 'the reader, same text' };
    const over = (tasks: number[]) => tasks.filter((t) => t > 50).length;
    const longest = (tasks: number[]) => (tasks.length ? Math.max(...tasks) : 0);
    return [
      figure('pair desk', `open (${label}): first rows on screen`, p.first, 'ms', r?.first ?? null, { baselineName: "the reader's first text, same text", target: '< 2 s', met: p.first < 2000 }),
      figure('pair desk', `open: ready (both whole texts, annotations and links drawn)`, p.ready, 'ms', r?.ready ?? null, { baselineName: "the reader's ready, same text" }),
      figure('pair desk', `open: sections of rows drawn (of ${sections.total})`, sections.mounted, 'sections', null),
      figure('pair desk', `scroll through (${deskScroll.steps} screens): longest task`, longest(deskScroll.tasks), 'ms', r ? longest(r.scroll.tasks) : null, { ...base, target: 'none > 50 ms', met: over(deskScroll.tasks) === 0 }),
      figure('pair desk', `scroll through: tasks over 50 ms`, over(deskScroll.tasks), 'tasks', r ? over(r.scroll.tasks) : null, { ...base, target: '0', met: over(deskScroll.tasks) === 0 }),
      figure('pair desk', `scroll through: sections drawn at the end (of ${after.total})`, after.mounted, 'sections', null),
      figure('pair desk', `JS heap, pair open`, heapDesk, 'MB', r?.heap ?? null, { ...base, target: '< 400 MB', met: heapDesk < 400 }),
      figure('pair desk', `JS heap after scrolling through`, heapDeskAfter, 'MB', r?.heapAfter ?? null, { ...base, target: '< 400 MB', met: heapDeskAfter < 400 }),
    ];
  } finally {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  benchPairUi({ quick })
    .then((figures) => console.log(printTable(figures)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
