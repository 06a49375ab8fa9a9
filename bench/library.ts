/** Import and search at book scale, each beside a raw baseline measured in the same process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Library } from '../src/main/library.js';
import { writeCorpus } from './corpus.js';
import { figure, percentile, type Figure } from './figures.js';

const MB = 1024 * 1024;

export async function benchImport(bytes: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-import-'));
  const file = writeCorpus(dir, bytes, 5);
  const size = fs.statSync(file).size;
  // Baseline: read the file and split it into paragraphs, nothing else.
  const t0 = performance.now();
  const raw = fs.readFileSync(file, 'utf8').split(/\n\s*\n/);
  const baseline = performance.now() - t0;
  if (raw.length < 2) throw new Error('corpus has no paragraphs');
  const lib = Library.open(path.join(dir, 'lib'));
  const t1 = performance.now();
  const [outcome] = await lib.importPaths([file]);
  const took = performance.now() - t1;
  if (outcome?.status !== 'imported') throw new Error(`import failed: ${outcome?.message}`);
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const label = `${(size / MB).toFixed(1)} MB`;
  const rate = size / MB / (took / 1000);
  return [
    figure('import', `import ${label}: time`, took, 'ms', baseline, { baselineName: 'read + split' }),
    figure('import', `import ${label}: throughput`, rate, 'MB/s', size / MB / (baseline / 1000), { baselineName: 'read + split', target: '> 20 MB/s', met: rate > 20 }),
  ];
}

const QUERIES = ['נתניהו', 'פוטין', 'בימי', 'ויאמר', 'אלהים', 'צהל', 'Putin', 'Israel', 'Netanyahu', 'Naomi', 'S-300', 'relations', 'הארץ', 'Moscow'];

export async function benchSearch(bytes: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-search-'));
  const file = writeCorpus(dir, bytes, 9);
  const lib = Library.open(path.join(dir, 'lib'));
  const [outcome] = await lib.importPaths([file]);
  if (outcome?.status !== 'imported') throw new Error(`import failed: ${outcome?.message}`);
  const like = lib.db.prepare('SELECT id, text FROM blocks WHERE text LIKE ? LIMIT 50');
  const ours: number[] = [];
  const base: number[] = [];
  let found = 0;
  for (let round = 0; round < 5; round++) {
    for (const q of QUERIES) {
      let t = performance.now();
      found += lib.search(q, 50).length;
      ours.push(performance.now() - t);
      t = performance.now();
      like.all(`%${q}%`);
      base.push(performance.now() - t);
    }
  }
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (found === 0) throw new Error('search found nothing: the benchmark would measure nothing');
  const label = `${(bytes / MB).toFixed(0)} MB`;
  const p95 = percentile(ours, 95);
  return [
    figure('search', `library search ${label}: p50`, percentile(ours, 50), 'ms', percentile(base, 50), { baselineName: 'LIKE scan' }),
    figure('search', `library search ${label}: p95`, p95, 'ms', percentile(base, 95), { baselineName: 'LIKE scan', target: '< 30 ms', met: p95 < 30 }),
  ];
}
