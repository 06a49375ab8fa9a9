/**
 * F1: writers never collide. A long write (100,000 annotations, as a big annotation import) runs
 * in another process in batches (`commitInBatches`), while the real CLI and the browser host's API
 * write to the same library: none of their writes fails, each waits at most about one batch.
 * A write that meets another process's lock says "waiting for another Gloss process…" and gets
 * through; one that waits past the bound fails with a sentence, not "database is locked" or a
 * stack. A SIGKILL in the middle of the long write leaves whole batches only.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { DB_FILE_NAME, LibraryBusyError, commitInBatches, openDatabase } from '../../src/main/store/db.js';
import { glossBin, repoRoot, seedFiles, tempDir } from '../helpers.js';

const require = createRequire(import.meta.url);
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function seededLibrary(): Promise<{ dir: string; docId: number }> {
  const dir = tempDir('gloss-locks-');
  const lib = Library.open(dir);
  await lib.importPaths(seedFiles());
  const docId = lib.list().find((d) => d.language === 'en')!.id;
  lib.close();
  return { dir, docId };
}

function run(cmd: string, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GLOSS_NO_SEED: '1' } });
  children.push(child);
  return child;
}

/** Runs the real CLI to its end. */
function gloss(args: string[], dir: string): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const t0 = Date.now();
  const child = run(process.execPath, [glossBin, ...args, '--data', dir]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err, ms: Date.now() - t0 })));
}

/** The long writer (tests/fixtures/batch-writer.ts); `lines` holds what it printed so far. */
function batchWriter(dir: string, docId: number, count: number, extra: string[] = []) {
  const child = run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/fixtures/batch-writer.ts'), dir, String(docId), String(count), ...extra]);
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (test: (line: string) => boolean, ms = 120_000) =>
    new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const tick = setInterval(() => {
        if (lines.some(test)) {
          clearInterval(tick);
          resolve();
        } else if (child.exitCode !== null || Date.now() - t0 > ms) {
          clearInterval(tick);
          reject(new Error(`the batch writer did not get there: ${lines.slice(-3).join(' | ')} ${stderr}`));
        }
      }, 20);
    });
  return { child, lines, exited, waitFor, stderr: () => stderr };
}

/** A process that holds the library's write lock for `ms`, then commits. Resolves once it holds it. */
async function holdLock(file: string, ms: number): Promise<ChildProcessWithoutNullStreams> {
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new D(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('locked');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
  const child = run(process.execPath, ['-e', script]);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
  return child;
}

async function startHost(dir: string) {
  const child = run(process.execPath, [glossBin, 'serve', '--port', '0', '--data', dir]);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL in 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    });
  });
  const call = async (method: string, body: unknown) => {
    const t0 = Date.now();
    const r = await fetch(new URL(`/api/${method}`, url.origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gloss-token': url.searchParams.get('token')!, origin: url.origin },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as { error?: { message: string } }, ms: Date.now() - t0 };
  };
  return { call, stderr: () => stderr };
}

describe('waiting for another process’s lock (F1)', () => {
  it('a CLI write that meets a lock says it is waiting, then gets through', async () => {
    const { dir, docId } = await seededLibrary();
    await holdLock(path.join(dir, DB_FILE_NAME), 1500);
    const r = await gloss(['annotate', String(docId), '--start', '0', '--end', '5', '--note', 'after the wait'], dir);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('waiting for another Gloss process…');
    expect(r.ms).toBeGreaterThan(1000);
    const lib = Library.open(dir);
    expect(lib.annotations(docId).map((a) => a.note)).toEqual(['after the wait']);
    lib.close();
  });

  it('past the bound it fails with a sentence (LibraryBusyError), having written nothing', async () => {
    const { dir, docId } = await seededLibrary();
    const file = path.join(dir, DB_FILE_NAME);
    // The lock holder is a second connection in this process: it cannot let go while we wait.
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    let told = 0;
    const db = openDatabase(file, { lockTimeoutMs: 400, onWait: () => told++ });
    const t0 = Date.now();
    let error: unknown;
    try {
      db.transaction(() => db.prepare("UPDATE documents SET title = 'changed' WHERE id = ?").run(docId))();
    } catch (e) {
      error = e;
    }
    const waited = Date.now() - t0;
    expect(error).toBeInstanceOf(LibraryBusyError);
    expect((error as Error).message).toMatch(/stayed locked by another Gloss process for \d+ s, so nothing was written/);
    expect((error as Error).message).not.toMatch(/database is locked/);
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(3000);
    expect(told).toBe(1);
    // A single statement outside a transaction waits and fails the same way.
    expect(() => db.prepare("UPDATE documents SET title = 'changed' WHERE id = ?").run(docId)).toThrow(LibraryBusyError);
    holder.exec('ROLLBACK');
    holder.close();
    expect((db.prepare('SELECT title FROM documents WHERE id = ?').get(docId) as { title: string }).title).not.toBe('changed');
    db.close();
  });

  it('commitInBatches inside a caller’s transaction runs as part of it (no lock to hand over)', async () => {
    const { dir } = await seededLibrary();
    const db = openDatabase(path.join(dir, DB_FILE_NAME));
    db.exec('CREATE TABLE t (n INTEGER)');
    const commits: number[] = [];
    db.transaction(() => commitInBatches(db, [1, 2, 3, 4, 5], (n) => db.prepare('INSERT INTO t VALUES (?)').run(n), { maxItems: 2, onCommit: (n) => commits.push(n) }))();
    expect(commits).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 5 });
    commitInBatches(db, [6, 7, 8, 9, 10], (n) => db.prepare('INSERT INTO t VALUES (?)').run(n), { maxItems: 2, onCommit: (n) => commits.push(n) });
    expect(commits).toEqual([2, 4, 5]);
    db.close();
  });
});

describe('a 100,000-annotation write beside the CLI and the API (F1)', () => {
  it(
    'every CLI and API write gets through while the long write runs, each within about one batch',
    async () => {
      const { dir, docId } = await seededLibrary();
      const writer = batchWriter(dir, docId, 100_000);
      await writer.waitFor((l) => l.startsWith('committed'));
      const host = await startHost(dir);
      const failures: string[] = [];
      const waits: number[] = [];
      let cli = 0;
      let api = 0;
      // Write as the user would, again and again, until the long write is done.
      while (writer.child.exitCode === null) {
        const r = await gloss(['annotate', String(docId), '--start', String(cli), '--end', String(cli + 4), '--note', `cli ${cli}`], dir);
        if (r.code !== 0) failures.push(`cli ${cli}: ${r.code} ${r.err}`);
        if (/database is locked|SqliteError|\n\s+at /.test(r.err)) failures.push(`cli ${cli} said: ${r.err}`);
        waits.push(r.ms);
        cli++;
        for (let k = 0; k < 3 && writer.child.exitCode === null; k++) {
          const a = await host.call('annotations.create', { documentId: docId, start: 100 + api, end: 104 + api, note: `api ${api}` });
          if (a.status !== 200) failures.push(`api ${api}: ${a.status} ${JSON.stringify(a.body)}`);
          waits.push(a.ms);
          api++;
        }
      }
      const end = await writer.exited;
      expect(end, writer.stderr()).toEqual({ code: 0, signal: null });
      expect(writer.lines.at(-1)).toBe('done 100000');
      expect(failures).toEqual([]);
      // Enough writes happened during the long one for this to mean something.
      expect(cli).toBeGreaterThanOrEqual(5);
      expect(api).toBeGreaterThanOrEqual(15);
      const lib = Library.open(dir);
      const notes = lib.annotations(docId).map((a) => a.note);
      lib.close();
      expect(notes.filter((n) => n.startsWith('batch note'))).toHaveLength(100_000);
      expect(notes.filter((n) => n.startsWith('cli '))).toHaveLength(cli);
      expect(notes.filter((n) => n.startsWith('api '))).toHaveLength(api);
      // The API's writes wait at most about a batch (500 ms) plus the pause; a process start costs more.
      const apiWaits = waits.filter((_, i) => i % 4 !== 0);
      console.log(`F1: ${cli} CLI and ${api} API writes during a 100,000-annotation write, 0 failed; longest API call ${Math.max(...apiWaits)} ms`);
      expect(Math.max(...apiWaits)).toBeLessThan(5_000);
    },
    300_000,
  );

  it(
    'a SIGKILL in the middle of the long write leaves whole batches only, and the library sound',
    async () => {
      const { dir, docId } = await seededLibrary();
      // Batches of exactly 1,000 (no time limit), so a half batch would show in the count.
      const writer = batchWriter(dir, docId, 100_000, ['1000', '600000']);
      await writer.waitFor((l) => l === 'committed 5000');
      writer.child.kill('SIGKILL');
      expect((await writer.exited).signal).toBe('SIGKILL');
      const acked = Math.max(...writer.lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.slice(10))));
      const lib = Library.open(dir);
      const stored = (lib.db.prepare("SELECT count(*) AS n FROM annotations WHERE note LIKE 'batch note %'").get() as { n: number }).n;
      expect(lib.db.pragma('integrity_check', { simple: true })).toBe('ok');
      lib.close();
      expect(stored % 1000, `${stored} annotations: a batch was cut in half`).toBe(0);
      expect(stored).toBeGreaterThanOrEqual(acked);
      expect(stored).toBeLessThan(100_000);
    },
    120_000,
  );
});
