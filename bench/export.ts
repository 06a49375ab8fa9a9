/**
 * Export at scale: a library with N annotations spread over one generated mixed Hebrew/English
 * document (the same document for every N, so only the number of annotations changes), exported to
 * a file as JSON-LD and as CSV, beside the baseline a naive exporter would be: read every row with
 * `.all()`, `JSON.stringify` them, write the string.
 *
 * Each case runs in a fresh child process (`node --import tsx --expose-gc`), so that one case's
 * garbage or RSS high-water mark does not count against the next. The child samples
 * `process.memoryUsage()` at every chunk written and on a 2 ms timer; the figure is the peak RSS
 * above the RSS it had just before the case started (after opening the library and a full GC).
 * Peak figures include garbage not yet collected (V8 lets its young generation fill before it
 * collects, so they grow with the run's length up to a ceiling); a second run of each case forces a
 * GC every 4 chunks and reports the live heap, which is what the export actually holds.
 *
 * `npx tsx bench/export.ts [N...]` runs it alone and prints a table (default 1,000 and 100,000).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COLORS, type Annotation } from '../src/common/model.js';
import { exportAnnotations, streamWriter } from '../src/main/export/export-service.js';
import { Library } from '../src/main/library.js';
import { insertAnnotation } from '../src/main/store/annotations.js';
import { mixedDocument, prng, repoRoot } from './corpus.js';
import { figure, printTable, type Figure } from './figures.js';

const MB = 1024 * 1024;
const DOCUMENT_BYTES = 2 * MB;
const TARGET_MS = 2000;
const TARGET_MB = 100;
const thisFile = fileURLToPath(import.meta.url);

const TAGS = ['claim', 'claim/factual', 'claim/opinion', 'source/kremlin', 'source/idf', 'person/פוטין', 'person/נתניהו', 'טענה/עובדתית', 'טענה/פרשנות', 'translation/check', 'date', 'place/סוריה'];
const NOTES = [
  'הערה: "ציטוט" עם פסיק, וגם שורה\nשנייה',
  'Check this against the Kremlin statement, "as reported".',
  'לא ברור מי אמר את זה',
  'Translation differs: see the English version',
  'S-300, again; compare with paragraph 12',
];

/** Makes a library in `dir` with `n` annotations over a generated document (one transaction). */
export async function makeLibrary(dir: string, n: number): Promise<{ documentId: number; seconds: number }> {
  const t0 = performance.now();
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, 'corpus.txt');
  fs.writeFileSync(src, mixedDocument(DOCUMENT_BYTES, 7));
  const lib = Library.open(path.join(dir, 'lib'));
  try {
    const [outcome] = await lib.importPaths([src]);
    if (outcome?.status !== 'imported' || outcome.documentId === undefined) throw new Error(`import failed: ${outcome?.message}`);
    const documentId = outcome.documentId;
    const text = lib.text(documentId);
    const rnd = prng(n);
    const stamp = new Date('2025-01-01T00:00:00.000Z').getTime();
    lib.db.transaction(() => {
      for (let i = 0; i < n; i++) {
        // Spread evenly with jitter; about one in ten overlaps its neighbour.
        const base = Math.floor(((i + rnd()) / n) * (text.length - 100));
        const length = 4 + Math.floor(rnd() * 60);
        const tags = rnd() < 0.6 ? [TAGS[Math.floor(rnd() * TAGS.length)]!, ...(rnd() < 0.3 ? [TAGS[Math.floor(rnd() * TAGS.length)]!] : [])] : [];
        const created = new Date(stamp + i * 1000).toISOString();
        insertAnnotation(
          lib.db,
          text,
          {
            documentId,
            start: base,
            end: Math.min(text.length, base + length),
            color: COLORS[Math.floor(rnd() * COLORS.length)]!,
            note: rnd() < 0.3 ? NOTES[Math.floor(rnd() * NOTES.length)]! : '',
            tags: [...new Set(tags)],
            created,
            modified: created,
          },
          created,
        );
      }
    })();
    return { documentId, seconds: (performance.now() - t0) / 1000 };
  } finally {
    lib.close();
  }
}

interface CaseResult {
  ms: number;
  /** Peak RSS and heap above their values just before the case. */
  rssGrowthMB: number;
  heapGrowthMB: number;
  /** With `live`: the largest heap still in use right after a full GC, above the start (what the export holds). */
  liveHeapMB: number;
  bytes: number;
  annotations: number;
}

type CaseName = 'jsonld' | 'csv' | 'baseline';

/** Runs one case in this process (the child side). */
async function runCase(kind: CaseName, libDir: string, out: string, live = false): Promise<CaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const lib = Library.open(libDir);
  lib.list();
  gc?.();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  // The timer reads only the RSS (cheap); the full sample (heap too) runs at every fourth chunk.
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  }, 2);
  let chunks = 0;
  let peakLive = start.heapUsed;
  // The `live` run forces a GC every 4 chunks and records what survives it (slower; timing unused).
  const liveSample = () => {
    if (!live || !gc) return;
    gc();
    const h = process.memoryUsage().heapUsed;
    if (h > peakLive) peakLive = h;
  };
  const t0 = performance.now();
  let annotations = 0;
  try {
    if (kind === 'baseline') {
      const rows = (
        lib.db
          .prepare(
            `SELECT a.*, (SELECT group_concat(path, char(31)) FROM (SELECT t.path FROM annotation_tags at JOIN tags t ON t.id = at.tag_id
              WHERE at.annotation_rid = a.rid ORDER BY t.path)) AS tags FROM annotations a ORDER BY a.document_id, a.start, a.rid`,
          )
          .all() as (Omit<Annotation, 'tags'> & { tags: string | null })[]
      ).map((r) => ({ ...r, tags: r.tags ? r.tags.split('\u001f') : [] }));
      sample();
      const json = JSON.stringify(rows);
      sample();
      liveSample();
      fs.writeFileSync(out, json);
      sample();
      annotations = rows.length;
    } else {
      // As `gloss export --out` writes: a 1 MiB stream buffer, backpressure beyond it.
      const stream = fs.createWriteStream(out, { highWaterMark: 1024 * 1024 });
      const write = streamWriter(stream);
      const result = await exportAnnotations(lib, { format: kind }, async (chunk) => {
        await write(chunk);
        if (++chunks % 4 === 0) sample();
        if (chunks % 4 === 0) liveSample();
      });
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
      annotations = result.annotations;
    }
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - t0;
  sample();
  lib.close();
  return {
    ms,
    rssGrowthMB: (peakRss - start.rss) / MB,
    heapGrowthMB: (peakHeap - start.heapUsed) / MB,
    liveHeapMB: (peakLive - start.heapUsed) / MB,
    bytes: fs.statSync(out).size,
    annotations,
  };
}

/** Runs one case in a fresh child process and reads its result. */
function runChild(kind: CaseName, libDir: string, out: string, live = false): CaseResult {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', thisFile, live ? '--child-live' : '--child', kind, libDir, out], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  const line = stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as CaseResult;
}

/** Export figures for each size: time and peak memory growth, JSON-LD and CSV, beside JSON.stringify. */
export async function benchExport(sizes: number[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  const lives: Record<string, number[]> = { jsonld: [], csv: [], baseline: [] };
  for (const n of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-export-'));
    try {
      await makeLibrary(dir, n);
      const libDir = path.join(dir, 'lib');
      const base = runChild('baseline', libDir, path.join(dir, 'baseline.json'));
      const baseLive = runChild('baseline', libDir, path.join(dir, 'baseline.json'), true);
      const label = n.toLocaleString('en-US');
      const big = n >= 100_000;
      for (const kind of ['jsonld', 'csv'] as const) {
        const r = runChild(kind, libDir, path.join(dir, `out.${kind}`));
        const liveRun = runChild(kind, libDir, path.join(dir, `out.${kind}`), true);
        if (r.annotations !== n) throw new Error(`${kind} export wrote ${r.annotations} annotations, expected ${n}`);
        const name = kind === 'jsonld' ? 'JSON-LD' : 'CSV';
        const extra = { baselineName: 'JSON.stringify of the rows' };
        figures.push(
          figure('export', `export ${label} annotations to ${name}: time`, r.ms, 'ms', base.ms, { ...extra, ...(big ? { target: `< ${TARGET_MS} ms`, met: r.ms < TARGET_MS } : {}) }),
          figure('export', `export ${label} annotations to ${name}: peak RSS growth`, r.rssGrowthMB, 'MB', base.rssGrowthMB, {
            ...extra,
            ...(big ? { target: `< ${TARGET_MB} MB`, met: r.rssGrowthMB < TARGET_MB } : {}),
          }),
          figure('export', `export ${label} annotations to ${name}: peak heap growth`, r.heapGrowthMB, 'MB', base.heapGrowthMB, extra),
          figure('export', `export ${label} annotations to ${name}: live heap (after GC)`, liveRun.liveHeapMB, 'MB', baseLive.liveHeapMB, extra),
          figure('export', `export ${label} annotations to ${name}: file size`, r.bytes / MB, 'MB', base.bytes / MB, extra),
        );
        lives[kind]!.push(liveRun.liveHeapMB);
      }
      lives.baseline!.push(baseLive.liveHeapMB);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (sizes.length > 1) {
    // Flat memory: what the export holds (live heap after GC) at the largest size minus at the
    // smallest; the baseline holds every row and the whole string, so its difference grows with N.
    const lo = sizes[0]!.toLocaleString('en-US');
    const hi = sizes[sizes.length - 1]!.toLocaleString('en-US');
    const b = lives.baseline!;
    for (const kind of ['jsonld', 'csv'] as const) {
      const g = lives[kind]!;
      figures.push(
        figure('export', `${kind === 'jsonld' ? 'JSON-LD' : 'CSV'}: live heap at ${hi} minus at ${lo} annotations`, g[g.length - 1]! - g[0]!, 'MB', b[b.length - 1]! - b[0]!, {
          baselineName: 'JSON.stringify',
        }),
      );
    }
  }
  return figures;
}

const direct = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (direct && (process.argv[2] === '--child' || process.argv[2] === '--child-live')) {
  const [, , flag, kind, libDir, out] = process.argv;
  runCase(kind as CaseName, libDir!, out!, flag === '--child-live').then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
} else if (direct) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  void benchExport(sizes.length ? sizes : [1000, 100_000]).then((f) => console.log(printTable(f)));
}
