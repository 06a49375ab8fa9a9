import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { repoRoot, seedFiles, tempDir } from '../helpers.js';

describe('durability', () => {
  it('keeps every acknowledged annotation when the writer is killed with SIGKILL mid-burst', async () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    await lib.importPaths(seedFiles());
    const docId = lib.list()[0]!.id;
    lib.close();

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/fixtures/annotation-writer.ts'), dir, String(docId)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer made no progress: ${stderr}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        acked.push(...lines);
        if (acked.length >= 300) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');

    const after = Library.open(dir);
    const stored = new Set(after.annotations(docId).map((a) => a.id));
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acked.length);
    expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  });
});
