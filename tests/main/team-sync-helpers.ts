/** Shared by the team-sync tests: a server to sync through, and a library's state to compare. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Library } from '../../src/main/library.js';
import { glossBin, tempDir } from '../helpers.js';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Everything the team shares, keyed so that libraries compare whole: each shared text by its
 * id (content hash) with its annotations by id (every field, tags), its tombstones' ids, and
 * the tag tree with colours.
 */
export function libraryState(lib: Library) {
  const texts = lib.db.prepare('SELECT t.text_id, t.document_id FROM team_texts t ORDER BY t.text_id').all() as { text_id: string; document_id: number | null }[];
  const out: Record<string, unknown> = {};
  for (const t of texts) {
    if (t.document_id === null) continue;
    const annotations = Object.fromEntries(
      lib.annotations(t.document_id).map((a) => {
        const { documentId: _d, ...rest } = a;
        void _d;
        return [a.id, rest];
      }),
    );
    const tombstones = (lib.db.prepare('SELECT id FROM annotation_tombstones WHERE document_id = ? ORDER BY id').all(t.document_id) as { id: string }[]).map((r) => r.id);
    out[t.text_id] = { text: lib.text(t.document_id), annotations, tombstones };
  }
  const tags = lib.tags().map((t) => ({ path: t.path, color: t.color, count: t.count }));
  return { texts: out, tags };
}

/** A real `gloss team-server` process on 127.0.0.1, a port of its choosing, a fresh data folder. */
export async function startServerProcess(token: string): Promise<RunningServer & { process: ChildProcess; dataDir: string }> {
  const dir = tempDir('gloss-team-server-');
  const child = spawn(process.execPath, [glossBin, 'team-server', '--data', dir, '--port', '0', '--token', token], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the team server did not start in 60 s: ${out}${err}`)), 60_000);
    const look = () => {
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the team server exited (${code}): ${out}${err}`));
    });
  });
  return {
    url,
    dataDir: dir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Runs the real command line; resolves with its exit code (or signal) and output. */
export function gloss(args: string[], options: { env?: NodeJS.ProcessEnv; onStderr?: (text: string, child: ChildProcess) => void } = {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [glossBin, ...args], { env: { ...process.env, GLOSS_NO_SEED: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
