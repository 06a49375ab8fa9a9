/**
 * The reader at book scale, in Chromium through the browser host: a 5 MB mixed Hebrew/English
 * document with 10,000 highlights (quick: 200 KB, 300), each figure beside a bare ProseMirror view
 * of the same text (a minimal doc/paragraph/text schema, no plugins) measured in the same run.
 *
 * - open: `gloss:first-text` and `gloss:ready` performance marks (see reader-view.ts), from
 *   navigation start, median of five loads after two warm-ups; the bare page sets the same marks
 *   after building its one view. Both pages load their code and the text (Gloss from its API, the
 *   bare page from a script file) and force layout before marking. Also the time from the
 *   reader's request for the document (`gloss:open`) to its first text, beside the bare page's
 *   build from the start of its script.
 * - typing: 200 one-character transactions into a paragraph, each a frame apart, timed from
 *   dispatch through the DOM update and the layout it causes (forced synchronously, so the idle
 *   wait for the next frame is not counted; paint is not either, in both).
 * - a new highlight with all the others present, through the same path as the toolbar, until the
 *   API call has resolved and the decoration is in the DOM; beside the API call alone.
 * - edit mode (one editable view over the whole text, drawn live near the screen): entering it
 *   until laid out, the same typing there, and one more character until the library holds it
 *   (an incremental `documents.applyEdit`, see reader/edit-span.ts).
 * - scrolling top to bottom a screen at a time, two frames per step, with a `longtask` observer
 *   (wall time: on a machine whose cores are shared, a task of 15 ms of CPU can take 50 ms).
 * - the JS heap (CDP `Runtime.getHeapUsage` after `HeapProfiler.collectGarbage`) with the document
 *   open, and again after scrolling through it; beside it the heap of the DOM and layout objects,
 *   which is where a view of the whole book keeps most of its memory.
 *
 * `npx tsx bench/ui.ts [--quick]` runs it alone and prints the table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { COLORS, type Block } from '../src/common/model.js';
import { Library } from '../src/main/library.js';
import { insertAnnotation } from '../src/main/store/annotations.js';
import { prng, repoRoot, writeCorpus } from './corpus.js';
import { figure, percentile, printTable, type Figure } from './figures.js';

const MB = 1024 * 1024;
const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 820 };
const TYPED = 200;
const CREATED = 30;

interface Marks {
  /** When the reader asked for the document (the bare page: when its script starts). */
  open: number;
  firstText: number;
  ready: number;
}

interface ScrollRun {
  steps: number;
  height: number;
  seconds: number;
  /** Long tasks' durations, and the step each was seen at. */
  tasks: number[];
  at: number[];
}

/** A library with one generated document and `n` highlights over it, some overlapping. */
export async function makeLibrary(dir: string, bytes: number, n: number): Promise<{ dataDir: string; documentId: number; blocks: Block[] }> {
  const file = writeCorpus(dir, bytes, 3);
  const dataDir = path.join(dir, 'data');
  const lib = Library.open(dataDir);
  try {
    const [outcome] = await lib.importPaths([file]);
    if (outcome?.status !== 'imported' || outcome.documentId === undefined) throw new Error(`import failed: ${outcome?.message}`);
    const documentId = outcome.documentId;
    const text = lib.text(documentId);
    const rnd = prng(n + 1);
    const stamp = new Date('2025-01-01T00:00:00.000Z').getTime();
    lib.db.transaction(() => {
      let previous = { start: 0, end: 0 };
      for (let i = 0; i < n; i++) {
        // Spread evenly with jitter; one in eight starts inside the one before it.
        let start = Math.floor(((i + rnd()) / n) * (text.length - 100));
        if (i % 8 === 7 && previous.end > previous.start + 1) start = previous.start + Math.floor((previous.end - previous.start) / 2);
        const end = Math.min(text.length, start + 4 + Math.floor(rnd() * 60));
        const created = new Date(stamp + i * 1000).toISOString();
        const tags = rnd() < 0.5 ? [['claim/factual', 'source/idf', 'person/פוטין', 'טענה/פרשנות'][i % 4]!] : [];
        insertAnnotation(lib.db, text, { documentId, start, end, color: COLORS[i % COLORS.length]!, note: rnd() < 0.2 ? 'הערה: check this / לבדוק' : '', tags, created, modified: created }, created);
        previous = { start, end };
      }
    })();
    return { dataDir, documentId, blocks: lib.get(documentId).blocks };
  } finally {
    lib.close();
  }
}

/** `gloss serve` on the library; resolves with its URL (token included). */
export function serve(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'gloss.cjs'), 'serve', '--port', '0', '--data', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GLOSS_NO_SEED: '1' },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`gloss serve printed no URL in 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Gloss is serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gloss serve exited (${code}); stderr: ${stderr}`));
    });
  });
}

/** The bare view's page code: a minimal schema, one paragraph per block, no plugins. */
const BARE_SOURCE = `
import { Schema } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';

const schema = new Schema({
  nodes: {
    doc: { content: 'paragraph+' },
    paragraph: {
      content: 'text*',
      attrs: { dir: { default: 'ltr' } },
      toDOM: (node) => ['p', { dir: node.attrs.dir }, 0],
      parseDOM: [{ tag: 'p' }],
    },
    text: {},
  },
});
performance.mark('gloss:open');
const blocks = window.__BARE_BLOCKS;
const doc = schema.node('doc', null, blocks.map((b) => schema.node('paragraph', { dir: b.dir }, b.text ? [schema.text(b.text)] : [])));
const scroller = document.getElementById('scroll');
const view = new EditorView(scroller, { state: EditorState.create({ doc }) });
void scroller.offsetHeight;
performance.mark('gloss:first-text');
performance.mark('gloss:ready');
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
window.__bareBench = {
  async typing(pos, count) {
    const out = [];
    for (let i = 0; i < count; i++) {
      await frame();
      const t0 = performance.now();
      view.dispatch(view.state.tr.insertText('x', pos + i));
      void view.dom.offsetHeight;
      out.push(performance.now() - t0);
    }
    return out;
  },
};
`;

/** Builds the bare page (bundle, text, fonts) into `dir`; returns its file URL. */
export async function buildBarePage(dir: string, blocks: readonly Block[]): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  await esbuild.build({
    stdin: { contents: BARE_SOURCE, resolveDir: repoRoot, loader: 'js', sourcefile: 'bare.js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(dir, 'bare.js'),
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(dir, 'text.js'), `window.__BARE_BLOCKS = ${JSON.stringify(blocks.map((b) => ({ dir: b.dir, text: b.text })))};\n`);
  // The same reading font as Gloss (its bundled files), so both lay out the same glyphs.
  const renderer = path.join(repoRoot, 'dist', 'renderer');
  const css = fs.readFileSync(path.join(renderer, 'app.css'), 'utf8');
  const faces = (css.match(/@font-face\s*{[^}]*}/g) ?? [])
    .filter((f) => f.includes('Noto Serif Hebrew'))
    .map((f) => f.replace(/url\("\.\/([^"]+)"\)/g, (_, file: string) => `url("${pathToFileURL(path.join(renderer, file)).href}")`));
  fs.writeFileSync(
    path.join(dir, 'bare.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title><style>
${faces.join('\n')}
html, body { margin: 0; height: 100%; }
#scroll { height: 100vh; overflow: auto; padding: 1.5rem; box-sizing: border-box; }
.ProseMirror { max-width: 42em; margin: 0 auto; font-family: 'Noto Serif Hebrew', serif; font-size: 18px; line-height: 1.85; white-space: pre-wrap; word-wrap: break-word; outline: none; }
.ProseMirror p { margin: 0 0 0.9em; text-align: start; }
</style></head><body><div id="scroll"></div><script src="text.js"></script><script src="bare.js"></script></body></html>`,
  );
  return pathToFileURL(path.join(dir, 'bare.html')).href;
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US' });
  // A blank page kept open for the context's life. Without it each load started in a context
  // with no page at all and was measured 150-250 ms slower to its first text, in both pages.
  await context.newPage();
  return context;
}

/**
 * What a page fetched from anywhere but this machine (a benchmark that reached the network would
 * measure the network). Read from the page's own resource timings afterwards: a Playwright request
 * listener or route would itself slow every response down (measured: 160 ms on the first text).
 */
function external(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((r) => r.name)
      .filter((u) => !/^(file|data|blob):/.test(u) && new URL(u).hostname !== '127.0.0.1'),
  );
}

/**
 * Opens `url` in `page` and waits for the mark `until`; the times of the marks `names` (ms from
 * navigation). Asked through the DevTools protocol: Playwright's own waiting (`waitForFunction`,
 * `evaluate`) first puts its helper script into the page, 10-20 ms of the page's main thread,
 * which landed between the first blocks' answer and the first text. Every page is timed this way.
 */
export async function openAndMark(page: Page, url: string, names: readonly string[], until: string, timeoutMs = 180_000): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(url);
    const { result, exceptionDetails } = (await cdp.send('Runtime.evaluate', {
      expression: `new Promise((resolve, reject) => {
        const names = ${JSON.stringify(names)}, until = ${JSON.stringify(until)};
        const marks = () => names.map((n) => performance.getEntriesByName(n)[0]?.startTime ?? null);
        if (performance.getEntriesByName(until).length) return resolve(marks());
        const timer = setTimeout(() => reject(new Error('no ' + until + ' mark after ${timeoutMs / 1000} s')), ${timeoutMs});
        new PerformanceObserver((list, observer) => {
          if (!list.getEntriesByName(until).length) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve(marks());
        }).observe({ type: 'mark' });
      })`,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: (number | null)[] }; exceptionDetails?: { exception?: { description?: string } } };
    if (exceptionDetails || !result.value) throw new Error(`${url}: ${exceptionDetails?.exception?.description ?? 'no marks'}`);
    const missing = names.filter((_, i) => result.value![i] === null);
    if (missing.length) throw new Error(`${url}: no ${missing.join(', ')} mark`);
    return result.value as number[];
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function load(page: Page, url: string): Promise<Marks> {
  const [open, firstText, ready] = await openAndMark(page, url, ['gloss:open', 'gloss:first-text', 'gloss:ready'], 'gloss:ready');
  return { open: open!, firstText: firstText!, ready: ready! };
}

/**
 * Opens the page `runs` times after `warm` loads that are not counted (the host's and the
 * browser's caches, the JIT); the median marks, and the last page still open.
 */
async function openRuns(context: BrowserContext, url: string, warm: number, runs: number): Promise<{ marks: Marks; inApp: number; page: Page }> {
  const all: Marks[] = [];
  let page: Page | null = null;
  for (let i = 0; i < warm + runs; i++) {
    await page?.close();
    page = await context.newPage();
    const m = await load(page, url);
    if (i >= warm) all.push(m);
    if (process.env.GLOSS_BENCH_VERBOSE) console.error(`  ${url.startsWith('file:') ? 'bare' : 'gloss'} load ${i}: first text ${m.firstText.toFixed(0)} ms, ready ${m.ready.toFixed(0)} ms`);
  }
  const median = (key: keyof Marks) => percentile(all.map((m) => m[key]), 50);
  const inApp = percentile(all.map((m) => m.firstText - m.open), 50);
  return { marks: { open: median('open'), firstText: median('firstText'), ready: median('ready') }, inApp, page: page! };
}

/** The JS heap (V8) and the heap of the DOM and layout objects (Blink's, "embedder"), after a full GC. */
async function heapMB(page: Page): Promise<{ js: number; dom: number }> {
  const cdp = await page.context().newCDPSession(page);
  await page.waitForTimeout(300);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number };
  await cdp.detach();
  return { js: usage.usedSize / MB, dom: (usage.embedderHeapUsedSize ?? NaN) / MB };
}

/**
 * The CPU time of each task of the page's main thread over `run`, from a trace (category
 * `toplevel`: the tasks alone, so the trace costs little). A long task in wall time may be a
 * short one that the machine's other work kept off the core; its CPU time says what the page did.
 */
async function taskCpu(page: Page, run: () => Promise<ScrollRun>): Promise<{ run: ScrollRun; cpu: number[] }> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['toplevel'] });
  const result = await run();
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: { name: string; ph: string; pid: number; tid: number; tdur?: number; args?: { name?: string } }[] };
  const counts = new Map<string, number>();
  const main = new Set<string>();
  for (const e of trace.traceEvents) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(key);
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // The page's main thread: the renderer main thread with the most tasks (others are idle pages).
  const thread = [...main].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0];
  const cpu = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && `${e.pid}:${e.tid}` === thread).map((e) => (e.tdur ?? 0) / 1000);
  return { run: result, cpu };
}

/** Scrolls the element matching `selector` from top to bottom a screen at a time, watching for long tasks. */
export function scrollThrough(page: Page, selector: string): Promise<ScrollRun> {
  return page.evaluate(async (selector) => {
    const scroller = document.querySelector<HTMLElement>(selector)!;
    const tasks: number[] = [];
    const at: number[] = [];
    let steps = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        tasks.push(e.duration);
        at.push(steps);
      }
    });
    observer.observe({ type: 'longtask' });
    // No named helpers in here: tsx would wrap them in a `__name` call the page does not have.
    // Let the open settle first (the fonts arrive, the collector runs after the big responses).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const t0 = performance.now();
    scroller.scrollTop = 0;
    while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2 && steps < 100_000) {
      scroller.scrollTop += Math.round(scroller.clientHeight * 0.9);
      for (let f = 0; f < 2; f++) await new Promise((resolve) => requestAnimationFrame(resolve));
      steps++;
    }
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 500));
    observer.disconnect();
    return { steps, height: scroller.scrollHeight, seconds, tasks, at };
  }, selector);
}

/** Offsets for new highlights inside the first screenful of blocks (mounted, so drawn at once). */
function creationTargets(blocks: readonly Block[], count: number): { start: number; end: number }[] {
  const rnd = prng(99);
  const usable = blocks.slice(1, 40).filter((b) => b.text.length > 40);
  if (!usable.length) throw new Error('the corpus has no paragraph long enough to highlight in');
  return Array.from({ length: count }, () => {
    const b = usable[Math.floor(rnd() * usable.length)]!;
    const start = b.start + Math.floor(rnd() * (b.text.length - 35));
    return { start, end: start + 5 + Math.floor(rnd() * 30) };
  });
}

export async function benchUi({ quick }: { quick: boolean }): Promise<Figure[]> {
  for (const f of ['dist/main/cli.cjs', 'dist/renderer/app.js']) {
    if (!fs.existsSync(path.join(repoRoot, f))) throw new Error(`${f} is missing: run \`node scripts/build.mjs\` first`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`bench ui: skipped: ${CHROMIUM} is not installed`);
    return [];
  }
  const bytes = quick ? 200 * 1024 : 5 * MB;
  const n = quick ? 300 : 10_000;
  const runs = quick ? 1 : 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-ui-'));
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    const { dataDir, documentId, blocks } = await makeLibrary(dir, bytes, n);
    const bareUrl = await buildBarePage(path.join(dir, 'bare'), blocks);
    const served = await serve(dataDir);
    server = served.child;
    const glossUrl = `${served.url}#doc=${documentId}&bench`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-gpu',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // No name resolves but the local host's: nothing can reach the network.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    const gloss = await newContext(browser);
    const bare = await newContext(browser);

    // Open, then the heap with the document open.
    const g = await openRuns(gloss, glossUrl, quick ? 1 : 2, runs);
    const b = await openRuns(bare, bareUrl, quick ? 0 : 1, quick ? 1 : 3);
    const heap = { gloss: await heapMB(g.page), bare: await heapMB(b.page) };
    const sections = await g.page.evaluate(() => (window as unknown as { __glossBench: { sections(): { total: number; mounted: number } } }).__glossBench.sections());

    // A new highlight with all the others there, beside the API call alone (interleaved).
    const created: number[] = [];
    const apiOnly: number[] = [];
    for (const r of creationTargets(blocks, CREATED)) {
      created.push(await g.page.evaluate(({ start, end }) => (window as unknown as { __glossBench: { highlight(s: number, e: number): Promise<number> } }).__glossBench.highlight(start, end), r));
      apiOnly.push(await g.page.evaluate(({ id, start, end }) => (window as unknown as { __glossBench: { apiCreate(d: number, s: number, e: number): Promise<number> } }).__glossBench.apiCreate(id, start, end), { id: documentId, ...r }));
    }

    // Typing in the middle of the sixth paragraph.
    const k = Math.min(5, blocks.length - 1);
    const block = blocks[k]!;
    const offset = block.start + Math.floor(block.text.length / 2);
    let barePos = 0;
    for (let i = 0; i < k; i++) barePos += blocks[i]!.text.length + 2;
    barePos += 1 + Math.floor(block.text.length / 2);
    const typed = await g.page.evaluate(({ offset, count }) => (window as unknown as { __glossBench: { typing(o: number, c: number): Promise<number[]> } }).__glossBench.typing(offset, count), { offset, count: TYPED });
    const bareTyped = await b.page.evaluate(({ pos, count }) => (window as unknown as { __bareBench: { typing(p: number, c: number): Promise<number[]> } }).__bareBench.typing(pos, count), { pos: barePos, count: TYPED });
    // Edit mode: the whole text in one editable view; typing there, and saving a change.
    type EditBench = { enterEdit(): Promise<number>; editTyping(o: number, c: number): Promise<number[]>; editSave(o: number): Promise<number> };
    const enterEdit = await g.page.evaluate(() => (window as unknown as { __glossBench: EditBench }).__glossBench.enterEdit());
    const editTyped = await g.page.evaluate(({ offset, count }) => (window as unknown as { __glossBench: EditBench }).__glossBench.editTyping(offset, count), { offset, count: TYPED });
    const saves: number[] = [];
    for (let i = 0; i < (quick ? 2 : 5); i++) saves.push(await g.page.evaluate((offset) => (window as unknown as { __glossBench: EditBench }).__glossBench.editSave(offset), offset));
    await g.page.close();
    await b.page.close();

    // Scrolling, on fresh pages; then the heap once every part has been seen.
    const gs = await gloss.newPage();
    await load(gs, glossUrl);
    const { run: scroll, cpu: scrollCpu } = await taskCpu(gs, () => scrollThrough(gs, '.reader-scroll'));
    const bs = await bare.newPage();
    await load(bs, bareUrl);
    const { run: bareScroll, cpu: bareScrollCpu } = await taskCpu(bs, () => scrollThrough(bs, '#scroll'));
    const heapAfter = { gloss: await heapMB(gs), bare: await heapMB(bs) };
    const away = [...(await external(gs)), ...(await external(bs))];
    if (away.length) throw new Error(`the pages asked for the network: ${[...new Set(away)].join(', ')}`);
    if (process.env.GLOSS_BENCH_VERBOSE) console.error(`  scroll long tasks (ms@step): gloss ${scroll.tasks.map((t, i) => `${t}@${scroll.at[i]}`).join(' ')}; bare ${bareScroll.tasks.map((t, i) => `${t}@${bareScroll.at[i]}`).join(' ')}`);

    const label = `${bytes >= MB ? `${(bytes / MB).toFixed(0)} MB` : `${Math.round(bytes / 1024)} KB`}, ${n.toLocaleString('en')} highlights`;
    const base = { baselineName: 'bare ProseMirror' };
    const over = (tasks: number[]) => tasks.filter((t) => t > 50).length;
    const longest = (tasks: number[]) => (tasks.length ? Math.max(...tasks) : 0);
    const typeP95 = percentile(typed, 95);
    const bareTypeP95 = percentile(bareTyped, 95);
    const createdP95 = percentile(created, 95);
    return [
      figure('ui', `open (${label}): first text`, g.marks.firstText, 'ms', b.marks.firstText, { ...base, target: '< 300 ms, < bare', met: g.marks.firstText < 300 && g.marks.firstText < b.marks.firstText }),
      figure('ui', `open: first text, from the reader's request`, g.inApp, 'ms', b.inApp, { baselineName: 'bare, from its script' }),
      figure('ui', `open: ready for input`, g.marks.ready, 'ms', b.marks.ready, { ...base, target: '< 1000 ms, < bare', met: g.marks.ready < 1000 && g.marks.ready < b.marks.ready }),
      figure('ui', `open: sections mounted (of ${sections.total})`, sections.mounted, 'sections', null),
      figure('ui', `typing: p50`, percentile(typed, 50), 'ms', percentile(bareTyped, 50), base),
      figure('ui', `typing: p95`, typeP95, 'ms', bareTypeP95, { ...base, target: '< 16 ms, ≤ 1.3× bare', met: typeP95 < 16 && typeP95 <= 1.3 * bareTypeP95 }),
      figure('ui', `edit mode: enter (whole text in one editable view)`, enterEdit, 'ms', b.marks.firstText, { baselineName: 'bare view built (first text)', target: '< 1 s', met: enterEdit < 1000 }),
      figure('ui', `edit mode: typing p95`, percentile(editTyped, 95), 'ms', bareTypeP95, { ...base, target: '< 16 ms, ≤ 1.3× bare', met: percentile(editTyped, 95) < 16 && percentile(editTyped, 95) <= 1.3 * bareTypeP95 }),
      figure('ui', `edit mode: a change saved (median)`, percentile(saves, 50), 'ms', null, { target: '< 100 ms', met: percentile(saves, 50) < 100 }),
      figure('ui', `new highlight (${n.toLocaleString('en')} present): p50`, percentile(created, 50), 'ms', percentile(apiOnly, 50), { baselineName: 'API call alone' }),
      figure('ui', `new highlight: p95`, createdP95, 'ms', percentile(apiOnly, 95), { baselineName: 'API call alone', target: '< 30 ms', met: createdP95 < 30 }),
      figure('ui', `scroll through (${scroll.steps} screens): longest task`, longest(scroll.tasks), 'ms', longest(bareScroll.tasks), { ...base, target: 'none > 50 ms', met: over(scroll.tasks) === 0 }),
      figure('ui', `scroll through: tasks over 50 ms`, over(scroll.tasks), 'tasks', over(bareScroll.tasks), { ...base, target: '0', met: over(scroll.tasks) === 0 }),
      figure('ui', `scroll through: longest task, CPU time`, longest(scrollCpu), 'ms', longest(bareScrollCpu), { ...base, target: '< 50 ms', met: longest(scrollCpu) < 50 }),
      figure('ui', `scroll through: tasks over 16 ms of CPU`, scrollCpu.filter((t) => t > 16).length, 'tasks', bareScrollCpu.filter((t) => t > 16).length, base),
      figure('ui', `JS heap, document open`, heap.gloss.js, 'MB', heap.bare.js, { ...base, target: '< 400 MB', met: heap.gloss.js < 400 }),
      figure('ui', `DOM heap (Blink), document open`, heap.gloss.dom, 'MB', heap.bare.dom, base),
      figure('ui', `JS heap after scrolling through`, heapAfter.gloss.js, 'MB', heapAfter.bare.js, { ...base, target: '< 400 MB', met: heapAfter.gloss.js < 400 }),
      figure('ui', `DOM heap (Blink) after scrolling through`, heapAfter.gloss.dom, 'MB', heapAfter.bare.dom, base),
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
  benchUi({ quick })
    .then((figures) => console.log(printTable(figures)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
