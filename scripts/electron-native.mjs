#!/usr/bin/env node
// Builds better-sqlite3's native module for Electron's ABI into build/electron-native/better_sqlite3.node.
//
//   node scripts/electron-native.mjs [--target ELECTRON_VERSION] [--arch x64|arm64|...] [--platform linux|darwin|win32] [--force]
//
// Also electron-builder's `beforePack` hook (electron-builder.yml), run once per platform/arch.
//
// Why a separate copy: Node (the CLI, the browser host, the tests) and Electron have different
// native ABIs, and one node_modules/better-sqlite3/build cannot serve both. So this works on a
// copy of the package under build/electron-native/work and never touches node_modules; the
// Electron main process passes the result to better-sqlite3 as `nativeBinding`.
//
// How: first prebuild-install (downloads a prebuilt binary from better-sqlite3's GitHub
// releases), then node-gyp (compiles against Electron's headers from electronjs.org). Both need
// the network; where neither is reachable it says so and exits 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'build', 'electron-native');
const outFile = path.join(outDir, 'better_sqlite3.node');
const infoFile = path.join(outDir, 'info.json');
const ELECTRON_HEADERS = 'https://electronjs.org/headers';
/** electron-builder's Arch enum, by value. */
const BUILDER_ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

class NativeBuildError extends Error {}

function installedElectronVersion() {
  try {
    return createRequire(path.join(root, 'package.json'))('electron/package.json').version;
  } catch {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const range = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
    const exact = /^\D*(\d+\.\d+\.\d+)$/.exec(range ?? '')?.[1];
    if (exact) return exact;
    throw new NativeBuildError(`cannot tell which Electron version to build for (the electron package is not installed and package.json gives "${range}"); pass --target VERSION`);
  }
}

function binPath(pkg, bin) {
  return path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve(`${pkg}/package.json`)), bin);
}

function run(label, args, cwd) {
  // npm passes its config down as npm_config_*; a `nodedir` there would make node-gyp build
  // against Node's headers instead of Electron's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|arch)$/i.test(k)));
  const r = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: 10 * 60_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status === 0) return { ok: true };
  const lines = output.split('\n').filter((l) => l.trim());
  const telling = lines.filter((l) => /\bGET\b|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN|Error:|\bwarn\b|not found/i.test(l));
  const lastLines = (telling.length ? telling : lines).slice(-4).join('\n      ');
  return { ok: false, why: `${label} failed${r.error ? ` (${r.error.message})` : ` (exit ${r.status ?? r.signal})`}${lastLines ? `:\n      ${lastLines}` : ''}` };
}

/** Builds (or reuses) the Electron-ABI binding; returns its path. Throws NativeBuildError with the reason. */
export function buildElectronNative({ target, arch = process.arch, platform = process.platform, force = false } = {}) {
  const electronVersion = target ?? installedElectronVersion();
  const wanted = { electron: electronVersion, platform, arch };
  if (!force && fs.existsSync(outFile) && fs.existsSync(infoFile)) {
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
    if (info.electron === wanted.electron && info.platform === wanted.platform && info.arch === wanted.arch) {
      console.log(`electron-native: ${path.relative(root, outFile)} is already built for Electron ${electronVersion} (${platform}-${arch})`);
      return outFile;
    }
  }

  const source = path.dirname(createRequire(path.join(root, 'package.json')).resolve('better-sqlite3/package.json'));
  const work = path.join(outDir, 'work', 'better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  // The source package without its Node build: binding.gyp, src, deps (the SQLite amalgamation), lib.
  const skip = new Set(['build', 'node_modules', 'prebuilds']);
  fs.cpSync(source, work, { recursive: true, filter: (p) => !skip.has(path.relative(source, p).split(path.sep)[0]) });

  const common = [`--runtime=electron`, `--target=${electronVersion}`, `--arch=${arch}`];
  console.log(`electron-native: building better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}) in ${path.relative(root, work)}`);
  const attempts = [];
  const prebuilt = run('prebuild-install (download a prebuilt binary)', [binPath('prebuild-install', 'bin.js'), ...common, `--platform=${platform}`, '--verbose'], work);
  let method = 'prebuild-install';
  let ok = prebuilt.ok;
  if (!ok) {
    attempts.push(prebuilt.why);
    if (platform !== process.platform) {
      attempts.push(`node-gyp not tried: it cannot compile for ${platform} on ${process.platform}`);
    } else {
      const compiled = run('node-gyp (compile against Electron headers)', [binPath('node-gyp', 'bin/node-gyp.js'), 'rebuild', '--release', ...common, `--dist-url=${ELECTRON_HEADERS}`], work);
      method = 'node-gyp';
      ok = compiled.ok;
      if (!ok) attempts.push(compiled.why);
    }
  }
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!ok || !fs.existsSync(built)) {
    fs.rmSync(path.join(outDir, 'work'), { recursive: true, force: true });
    throw new NativeBuildError(
      [
        `could not build better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}).`,
        ...attempts.map((a) => `  - ${a}`),
        `Both ways need the network: prebuild-install downloads from better-sqlite3's GitHub releases, and`,
        `node-gyp downloads Electron's headers from ${ELECTRON_HEADERS} (and needs a C++ toolchain and Python).`,
        `Without ${path.relative(root, outFile)} the Electron app cannot open its database; the browser host`,
        `(\`gloss serve\`, \`npm start\`'s fallback) and the tests use Node's own build and are not affected.`,
        `Run this again where those hosts are reachable: node scripts/electron-native.mjs`,
      ].join('\n'),
    );
  }
  fs.copyFileSync(built, outFile);
  fs.writeFileSync(infoFile, JSON.stringify({ ...wanted, method, built: new Date().toISOString() }, null, 2) + '\n');
  fs.rmSync(path.join(outDir, 'work'), { recursive: true, force: true });
  console.log(`electron-native: wrote ${path.relative(root, outFile)} (${method})`);
  return outFile;
}

/** electron-builder's beforePack hook: one build per target platform and arch. */
export async function beforePack(context) {
  const arch = typeof context.arch === 'number' ? BUILDER_ARCH[context.arch] : String(context.arch);
  if (arch === 'universal') throw new Error('electron-native: universal macOS builds need one binding per arch; build x64 and arm64 separately');
  const target = context.packager?.info?.framework?.version ?? context.packager?.config?.electronVersion;
  try {
    buildElectronNative({ target, arch, platform: context.electronPlatformName, force: true });
  } catch (e) {
    if (e instanceof NativeBuildError) throw new Error(`electron-native: ${e.message}`);
    throw e;
  }
}

export default beforePack;

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({
    options: { target: { type: 'string' }, arch: { type: 'string' }, platform: { type: 'string' }, force: { type: 'boolean', default: false } },
    strict: true,
  });
  try {
    buildElectronNative(values);
  } catch (e) {
    if (!(e instanceof NativeBuildError)) throw e;
    console.error(`electron-native: ${e.message}`);
    process.exit(1);
  }
}
