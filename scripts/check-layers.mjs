#!/usr/bin/env node
// Enforces the layering of docs/ARCHITECTURE.md: common -> nothing; main, preload, renderer -> common.
// Also bans raw ipcMain/ipcRenderer outside the two transport files, and Node/DOM/Electron in common.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');
const allowed = { common: ['common'], main: ['main', 'common'], preload: ['preload', 'common'], renderer: ['renderer', 'common'] };
const nodeBuiltins = /^(node:|fs$|path$|os$|child_process$|crypto$|http$|https$|net$|url$|util$|stream$|worker_threads$|zlib$)/;
const bannedPackages = {
  common: [nodeBuiltins, /^electron$/, /^better-sqlite3$/, /^prosemirror-view$/],
  renderer: [nodeBuiltins, /^electron$/, /^better-sqlite3$/],
  preload: [/^better-sqlite3$/, /^node:fs$/, /^fs$/],
  main: [/^prosemirror-view$/],
};
const rawIpc = { pattern: /\bipc(Main|Renderer)\b/, allowedFiles: ['src/main/electron/ipc.ts', 'src/preload/index.ts'] };

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(ts|mts|cts|tsx)$/.test(e.name)) yield p;
  }
}

const problems = [];
const importRe = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
for (const layer of Object.keys(allowed)) {
  const dir = path.join(src, layer);
  if (!fs.existsSync(dir)) continue;
  for (const file of files(dir)) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        const relToSrc = path.relative(src, target);
        const targetLayer = relToSrc.split(path.sep)[0];
        if (relToSrc.startsWith('..') || !allowed[layer].includes(targetLayer)) {
          problems.push(`${rel}: imports '${spec}' (layer ${targetLayer ?? 'outside src'}); ${layer} may import only ${allowed[layer].join(', ')}`);
        }
      } else {
        for (const re of bannedPackages[layer]) {
          if (re.test(spec)) problems.push(`${rel}: imports '${spec}', which the ${layer} layer must not use`);
        }
      }
    }
    if (rawIpc.pattern.test(text) && !rawIpc.allowedFiles.includes(rel.split(path.sep).join('/'))) {
      problems.push(`${rel}: uses raw ipcMain/ipcRenderer; go through src/main/electron/ipc.ts (validating wrapper) or the preload`);
    }
  }
}
if (problems.length) {
  console.error(`Layer check failed (${problems.length}):\n` + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log('Layer check: ok');
