// Electron smoke test: the real app with a temporary library, where an Electron binary exists.
// It loads the window, calls the API through the real preload and IPC, and quits. Elsewhere
// (these machines: Electron's binary cannot be downloaded) it says plainly why it was skipped.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function electronBinary(): { binary: string } | { reason: string } {
  const req = createRequire(path.join(root, 'package.json'));
  let binary: unknown;
  try {
    const pkgDir = path.dirname(req.resolve('electron/package.json'));
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH && !fs.existsSync(path.join(pkgDir, 'path.txt'))) {
      return { reason: 'the electron package is installed, but its binary was never downloaded' };
    }
    binary = req('electron');
  } catch (e) {
    return { reason: String((e as Error).message).split('\n')[0]! };
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) return { reason: `the binary ${String(binary)} does not exist` };
  return { binary };
}

/** How to run it: directly with a display, under xvfb-run without one, or not at all. */
function launcher(binary: string): { command: string; prefix: string[] } | { reason: string; binaryFound?: boolean } {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { command: binary, prefix: [] };
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0) return { command: 'xvfb-run', prefix: ['-a', binary] };
  return { reason: 'no display and no xvfb-run', binaryFound: true };
}

const found = electronBinary();
const launch = 'binary' in found ? launcher(found.binary) : found;

if ('reason' in launch) {
  const what = 'binaryFound' in launch ? 'Electron cannot open a window here' : 'no Electron binary on this machine';
  console.log(`Electron smoke test skipped: ${what} (${launch.reason})`);
  it.skip(`Electron smoke test (skipped: ${launch.reason})`, () => {});
} else {
  it('starts the app, loads the window and answers through the preload', async () => {
    const native = path.join(root, 'build', 'electron-native', 'better_sqlite3.node');
    expect(fs.existsSync(native), `${native} is missing: run \`node scripts/electron-native.mjs\` to build better-sqlite3 for Electron`).toBe(true);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-electron-'));
    try {
      // Chromium's setuid sandbox cannot run as root; the page's own sandbox settings still apply.
      const noSandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
      const child = spawn(launch.command, [...launch.prefix, root, '--data', dataDir, ...noSandbox], {
        cwd: root,
        env: { ...process.env, GLOSS_SMOKE_TEST: '1', GLOSS_DATA_DIR: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      const context = `stdout:\n${stdout}\nstderr:\n${stderr}`;
      expect(stdout, context).toMatch(/Gloss window ready: gloss:\/\/app\/index\.html/);
      expect(stdout, context).toMatch(/library\.list gave 3 documents; a bad payload gave: .*documentId/);
      expect(code, context).toBe(0);
      expect(fs.existsSync(path.join(dataDir, 'gloss.sqlite'))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, '.electron', 'window-state.json'))).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
}
