#!/usr/bin/env node
// Enforces the layering of docs/ARCHITECTURE.md: common -> nothing; main, preload, renderer -> common.
// Also bans raw ipcMain/ipcRenderer outside the two transport files, Node/DOM/Electron in common,
// and SQL in src/main outside src/main/store/ (the store owns every query).
// Usage: node scripts/check-layers.mjs [ROOT] (ROOT, the folder holding src/, defaults to the repository).
import fs from 'node:fs';
import path from 'node:path';

const root = process.argv[2] ? path.resolve(process.argv[2]) : path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');
const allowed = { common: ['common'], main: ['main', 'common'], preload: ['preload', 'common'], renderer: ['renderer', 'common'] };
const nodeBuiltins = /^(node:|fs$|path$|os$|child_process$|crypto$|http$|https$|net$|url$|util$|stream$|worker_threads$|zlib$)/;
const bannedPackages = {
  common: [nodeBuiltins, /^electron$/, /^better-sqlite3$/, /^prosemirror-view$/],
  renderer: [nodeBuiltins, /^electron$/, /^better-sqlite3$/],
  preload: [/^better-sqlite3$/, /^node:fs$/, /^fs$/],
  main: [/^prosemirror-view$/],
};
// SQL lives in src/main/store/ alone. A statement is prepared (`.prepare(`), a pragma read or set
// (`.pragma(`), a script run on a database (`db.exec(`; RegExp's `.exec(` is not SQL, so only a
// receiver named like a database counts), or SQL written in a string for one of those to take.
const sql = {
  allowedDir: 'src/main/store/',
  // Other databases than the library, each owned by one module (file: why).
  otherDatabases: {
    'src/main/team/server-store.ts': "the team server's own file (team.sqlite), not a library",
  },
  patterns: [
    [/\.prepare\s*\(/, 'prepares a statement (.prepare)'],
    [/\.pragma\s*\(/, 'runs a pragma (.pragma)'],
    [/\b(?:db|database|sqlite|conn(?:ection)?)\s*\.\s*exec\s*\(/i, 'runs SQL on a database (.exec)'],
    [/['"`]\s*(?:SELECT\b[\s\S]{0,400}?\bFROM\b|INSERT\s+(?:OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|REPLACE\s+INTO\b|(?:CREATE|DROP|ALTER)\s+(?:VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b|PRAGMA\s+\w+|BEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b)/, 'holds SQL in a string'],
  ],
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
    const relPosix = rel.split(path.sep).join('/');
    if (layer === 'main' && !relPosix.startsWith(sql.allowedDir) && !(relPosix in sql.otherDatabases)) {
      for (const [re, what] of sql.patterns) {
        const m = re.exec(text);
        if (m) problems.push(`${rel}:${text.slice(0, m.index).split('\n').length}: ${what}; queries belong in ${sql.allowedDir} (a function there, called from here)`);
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
