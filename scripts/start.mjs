#!/usr/bin/env node
// `npm start`: Gloss in Electron when Electron can run here, else the browser host.
//
//   npm start -- [--data DIR] [--port N]        (GLOSS_DATA_DIR works too)
//
// Electron is an optional dependency whose binary is downloaded at install time; where that
// failed (no network, no display), this prints one line saying why and runs `gloss serve`.
// GLOSS_NO_OPEN=1 stops it from opening the URL in a browser; GLOSS_NO_ELECTRON=1 skips Electron.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const READY_LINE = 'Gloss window ready';
/** How long Electron gets to show its window before we call it started anyway. */
const ELECTRON_GRACE_MS = 15_000;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { data: { type: 'string' }, port: { type: 'string' } },
  strict: true,
});
const forwarded = [...(values.data ? ['--data', values.data] : []), ...(values.port ? ['--port', values.port] : [])];

function buildIfMissing() {
  const outputs = { 'dist/main/cli.cjs': 'src/main/cli/main.ts', 'dist/main/electron-main.cjs': 'src/main/electron/main.ts', 'dist/preload/preload.cjs': 'src/preload/index.ts', 'dist/renderer/index.html': 'src/renderer/index.html' };
  const missing = Object.entries(outputs)
    .filter(([out, src]) => !fs.existsSync(path.join(root, out)) && fs.existsSync(path.join(root, src)))
    .map(([out]) => out);
  if (missing.length === 0) return;
  console.error(`Building Gloss (missing: ${missing.join(', ')}) ...`);
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error('The build failed; see above.');
    process.exit(r.status ?? 1);
  }
}

/** Electron's binary path, or the reason there is none. */
function electronBinary() {
  if (process.env.GLOSS_NO_ELECTRON) return { reason: 'GLOSS_NO_ELECTRON is set' };
  const req = createRequire(path.join(root, 'package.json'));
  let pkgDir;
  try {
    pkgDir = path.dirname(req.resolve('electron/package.json'));
  } catch {
    return { reason: 'the optional electron package is not installed' };
  }
  // The package downloads its binary at install time and records it in path.txt.
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH && !fs.existsSync(path.join(pkgDir, 'path.txt'))) {
    return { reason: "the electron package is installed, but its binary was never downloaded: that needs network access to Electron's releases" };
  }
  let binary;
  try {
    binary = req('electron');
  } catch (e) {
    return { reason: `the electron package has no usable binary: ${String(e?.message ?? e).split('\n')[0]}` };
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) return { reason: `the Electron binary ${binary} does not exist` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { binary };
}

/** Starts Electron; resolves with the child once its window is up, or with a reason it is not. */
function launchElectron(binary) {
  return new Promise((resolve) => {
    const { ELECTRON_RUN_AS_NODE: _asNode, ...env } = process.env;
    const child = spawn(binary, [root, ...forwarded], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    let settled = false;
    let errorText = '';
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => settle({ child }), ELECTRON_GRACE_MS);
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      if (chunk.toString().includes(READY_LINE)) settle({ child });
    });
    child.stderr.on('data', (chunk) => {
      if (settled) process.stderr.write(chunk);
      else errorText += chunk.toString();
    });
    child.on('error', (e) => settle({ reason: `it could not be spawned: ${e.message}` }));
    child.on('exit', (code, signal) => {
      const last = errorText.trim().split('\n').filter(Boolean).pop();
      settle({ reason: `it exited at once (${signal ?? `code ${code}`})${last ? `: ${last.slice(0, 200)}` : ''}` });
    });
  });
}

function forwardSignals(child) {
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 0 : 1);
  });
}

function openInBrowser(url) {
  if (process.env.GLOSS_NO_OPEN) return;
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? null : 'xdg-open';
  if (!opener) return;
  if (opener === 'xdg-open' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const found = spawnSync('sh', ['-c', `command -v ${opener}`], { stdio: 'ignore' }).status === 0;
  if (!found) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

function serveInBrowser() {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'gloss.cjs'), 'serve', ...forwarded], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  forwardSignals(child);
  let opened = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(chunk.toString())?.[0];
    if (url && !opened) {
      opened = true;
      openInBrowser(url);
    }
  });
}

buildIfMissing();
const found = electronBinary();
let reason = found.reason;
if (found.binary) {
  const launched = await launchElectron(found.binary);
  if (launched.child) {
    forwardSignals(launched.child);
  } else {
    reason = launched.reason;
  }
}
if (reason) {
  console.log(`Electron cannot start here (${reason}); starting the browser host instead.`);
  serveInBrowser();
}
