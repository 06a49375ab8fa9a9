/** Import and search at book scale, each beside a raw baseline measured in the same process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Library } from '../src/main/library.js';
import { documentExtent } from '../src/main/store/documents.js';
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
  // A big text's search rows are built after the import answers: when is all of it searchable?
  await lib.whenIndexed();
  const searchable = performance.now() - t1;
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const label = `${(size / MB).toFixed(1)} MB`;
  const rate = size / MB / (took / 1000);
  return [
    figure('import', `import ${label}: time`, took, 'ms', baseline, { baselineName: 'read + split' }),
    figure('import', `import ${label}: throughput`, rate, 'MB/s', size / MB / (baseline / 1000), { baselineName: 'read + split', target: '> 20 MB/s', met: rate > 20 }),
    figure('import', `import ${label}: searchable (search rows built after)`, searchable, 'ms', took, { baselineName: 'import' }),
  ];
}

const QUERIES = ['נתניהו', 'פוטין', 'בימי', 'ויאמר', 'אלהים', 'צהל', 'Putin', 'Israel', 'Netanyahu', 'Naomi', 'S-300', 'relations', 'הארץ', 'Moscow'];

export async function benchSearch(bytes: number): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-search-'));
  const file = writeCorpus(dir, bytes, 9);
  const lib = Library.open(path.join(dir, 'lib'));
  const [outcome] = await lib.importPaths([file]);
  if (outcome?.status !== 'imported') throw new Error(`import failed: ${outcome?.message}`);
  // A big import's search rows are built just after it; search measures the complete index.
  await lib.whenIndexed();
  const like = lib.db.prepare('SELECT id, text FROM block_texts WHERE text LIKE ? LIMIT 50');
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

/**
 * Saving one changed paragraph of a 5 MB document with 10,000 highlights on the main side:
 * `documents.applyEdit` (the span and the ranges the edit changed) beside `documents.saveEdit`
 * (every block and every range), the same edits, each in its own library, in this process.
 */
export async function benchEdit(bytes: number, highlights = 10_000, rounds = 9): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-bench-edit-'));
  const file = writeCorpus(dir, bytes, 11);
  const setup = async (name: string) => {
    const lib = Library.open(path.join(dir, name));
    const [outcome] = await lib.importPaths([file]);
    if (outcome?.status !== 'imported') throw new Error(`import failed: ${outcome?.message}`);
    const id = outcome.documentId!;
    await lib.whenIndexed();
    const text = lib.text(id);
    const step = Math.floor(text.length / highlights);
    lib.db.transaction(() => {
      for (let i = 0; i < highlights; i++) lib.annotate(id, { start: i * step, end: i * step + Math.min(8, step) });
    })();
    return { lib, id };
  };
  const { applyEdit } = await import('../src/main/apply-edit.js');
  const { saveEdit } = await import('../src/main/editing.js');
  const inc = await setup('apply');
  const whole = await setup('save');
  const blocks = inc.lib.get(inc.id).blocks.map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth, text: b.text, ...(b.meta ? { meta: b.meta } : {}) }));
  const applied: number[] = [];
  const saved: number[] = [];
  let now = Date.parse('2026-05-01T10:00:00Z');
  for (let round = 0; round < rounds; round++) {
    // A word typed at the start of a paragraph in the middle of the book: every later block and highlight moves.
    const at = Math.floor(blocks.length / 2) + round;
    const changed = { ...blocks[at]!, text: `מילה ${blocks[at]!.text}` };
    const start = inc.lib.getBlocks(inc.id, at, 1).blocks[0]!.start;
    const length = { n: documentExtent(inc.lib.db, inc.id)!.length };
    now += 1000;
    let t = performance.now();
    applyEdit(inc.lib, { documentId: inc.id, from: at, removed: 1, blocks: [changed], annotations: [], expectLength: length.n }, new Date(now));
    applied.push(performance.now() - t);
    blocks[at] = changed;
    // What the editor sends with saveEdit: every block, every highlight where its mapping put it.
    const ranges = whole.lib.annotations(whole.id).map((a) => (a.start >= start ? { id: a.id, start: a.start + 5, end: a.end + 5 } : { id: a.id, start: a.start, end: a.end }));
    t = performance.now();
    saveEdit(whole.lib, { documentId: whole.id, blocks, annotations: ranges }, new Date(now));
    saved.push(performance.now() - t);
  }
  if (inc.lib.text(inc.id) !== whole.lib.text(whole.id)) throw new Error('applyEdit and saveEdit disagree on the text');
  inc.lib.close();
  whole.lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const label = `${(bytes / MB).toFixed(0)} MB`;
  const median = percentile(applied, 50);
  return [
    figure('edit', `saveEdit: one paragraph changed in ${label} (median)`, percentile(saved, 50), 'ms', null),
    figure('edit', `applyEdit: one paragraph changed in ${label} (median)`, median, 'ms', percentile(saved, 50), { baselineName: 'saveEdit', target: '< 100 ms', met: median < 100 }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./figures.js');
  const only = process.argv[2];
  const figures = [...(only === "edit" ? [] : await benchImport(5 * MB)), ...(only === "import" ? [] : await benchEdit(5 * MB))];
  console.log(printTable(figures));
}
