// `npm start` where Electron cannot run (as on these machines): one line saying why, then the
// browser host's URL, and both processes gone after SIGTERM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const FALLBACK_LINE = /^Electron cannot start here \((.+)\); starting the browser host instead\.$/;
const URL_LINE = /^Gloss is serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/;

function electronRunsHere(): boolean {
  try {
    const binary = createRequire(path.join(root, 'package.json'))('electron') as unknown;
    return typeof binary === 'string' && fs.existsSync(binary);
  } catch {
    return false;
  }
}

function health(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/api/health', headers: { 'X-Gloss-Token': token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

it('falls back to the browser host with one line of explanation', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-start-'));
  // Where Electron does run, force the fallback: this test is about the fallback path.
  const forced = electronRunsHere();
  if (forced) console.log('Electron can run here; forcing the fallback with GLOSS_NO_ELECTRON=1');
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--data', dataDir, '--port', '0'], {
    cwd: root,
    env: { ...process.env, GLOSS_NO_OPEN: '1', GLOSS_DATA_DIR: '', ...(forced ? { GLOSS_NO_ELECTRON: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s; stdout: ${stdout}; stderr: ${stderr}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (URL_LINE.test(stdout.split('\n')[1] ?? '')) {
        clearTimeout(timer);
        resolve(stdout.trim().split('\n'));
      }
    });
    child.on('exit', (code) => reject(new Error(`start.mjs exited with ${code}; stdout: ${stdout}; stderr: ${stderr}`)));
  });

  expect(lines[0]).toMatch(FALLBACK_LINE);
  console.log(`npm start said: ${lines[0]}`);
  const [, , port, token] = URL_LINE.exec(lines[1]!)!;
  expect(await health(Number(port), token!)).toBe(200);

  // Stopping npm start stops the host it started.
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  await expect(health(Number(port), token!)).rejects.toThrow(/ECONNREFUSED/);
  expect(stderr).toMatch(/Gloss stopped/);
});
