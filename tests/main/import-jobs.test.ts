/**
 * Reading files off the serving thread: the worker that runs every reader (with a time limit, a
 * memory limit and cancellation), and the background import jobs the app polls for progress.
 * Runs against the built worker (`npm test` builds first).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseIsolated, workerFile } from '../../src/main/import/isolated.js';
import { ImportError } from '../../src/main/import/errors.js';
import { ImportJobs } from '../../src/main/import-jobs.js';
import { Library } from '../../src/main/library.js';
import { tempDir } from '../helpers.js';

const encode = (s: string) => new TextEncoder().encode(s);
const libraries: Library[] = [];
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
});
function library(): Library {
  const lib = Library.open(tempDir('gloss-jobs-'));
  libraries.push(lib);
  return lib;
}

async function rejection(p: Promise<unknown>): Promise<ImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('reading in a worker', () => {
  it('uses the built worker', () => {
    expect(workerFile(), 'run `npm run build` first').toBeDefined();
  });

  it('reads a file in the worker and returns the same document as reading it in place', async () => {
    const md = '# Title\n\n- one\n- two\n\nשלום עולם.\n';
    const doc = await parseIsolated('list.md', encode(md));
    expect(doc.title).toBe('Title');
    expect(doc.blocks.map((b) => b.text)).toContain('שלום עולם.');
  });

  it('names the file and the reason when the reader refuses it', async () => {
    const e = await rejection(parseIsolated('empty.txt', new Uint8Array(0)));
    expect(e.message).toBe('empty.txt: the file is empty');
  });

  it('stops a read that takes longer than its time limit, saying so', async () => {
    const big = encode('A line of text that goes on.\n'.repeat(200_000));
    const e = await rejection(parseIsolated('slow.txt', big, { timeLimitMs: 5, inlineTextBytes: 0 }));
    expect(e.reason).toBe('took longer than 0.005 s to read, the limit for one file');
  });

  it('cancels at once when asked', async () => {
    const controller = new AbortController();
    const pending = parseIsolated('long.txt', encode('word '.repeat(2_000_000)), { signal: controller.signal });
    controller.abort();
    expect((await rejection(pending)).reason).toBe('the import was cancelled');
  });
});

describe('background import jobs', () => {
  it('imports files one after another, reporting each state and outcome', async () => {
    const lib = library();
    const jobs = new ImportJobs(lib);
    const job = jobs.start([
      { name: 'a.txt', bytes: encode('First text.\n') },
      { name: 'bad.txt', bytes: new Uint8Array(0) },
      { name: 'b.md', bytes: encode('# Second\n\nBody.\n') },
    ]);
    expect(job.state).toBe('running');
    expect(job.files.map((f) => f.name)).toEqual(['a.txt', 'bad.txt', 'b.md']);
    const done = await jobs.wait(job.id);
    expect(done.state).toBe('done');
    expect(done.files.map((f) => [f.state, f.outcome?.status])).toEqual([
      ['done', 'imported'],
      ['done', 'failed'],
      ['done', 'imported'],
    ]);
    expect(done.files[1]!.outcome!.message).toBe('the file is empty');
    expect(lib.list().map((d) => d.title)).toEqual(['a', 'Second']);
    expect(lib.list()[1]!.meta.sourceKind).toBe('markdown');
  });

  it('cancels: the file being read and those after it are not imported, those before it stay', async () => {
    const lib = library();
    const jobs = new ImportJobs(lib);
    const job = jobs.start([
      { name: 'small.txt', bytes: encode('A small text.\n') },
      { name: 'large.txt', bytes: encode('A long line of text that goes on and on.\n'.repeat(400_000)) },
      { name: 'after.txt', bytes: encode('Never read.\n') },
    ]);
    // Cancel once the large file is being read.
    for (let i = 0; i < 400 && jobs.status(job.id).files[1]!.state !== 'reading'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(jobs.status(job.id).files[1]!.state).toBe('reading');
    jobs.cancel(job.id);
    const done = await jobs.wait(job.id);
    expect(done.state).toBe('cancelled');
    expect(done.files.map((f) => f.outcome?.status)).toEqual(['imported', 'failed', 'failed']);
    expect(done.files[1]!.outcome!.message).toBe('the import was cancelled');
    expect(lib.list().map((d) => d.title)).toEqual(['small']);
  });

  it('says when a job is unknown', () => {
    const jobs = new ImportJobs(library());
    expect(() => jobs.status('nope')).toThrow(/No import job nope/);
  });
});
