#!/usr/bin/env node
// The English and Hebrew catalogues must hold the same keys (plural forms aside) and placeholders.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dirs = { en: path.join(root, 'locales/en'), he: path.join(root, 'locales/he') };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out.set(key, String(v));
  }
  return out;
}
const placeholders = (s) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort().join(',');

export function compareCatalogues() {
  const problems = [];
  const files = new Set([...fs.readdirSync(dirs.en), ...fs.readdirSync(dirs.he)].filter((f) => f.endsWith('.json')));
  for (const f of files) {
    const load = (lang) => {
      const p = path.join(dirs[lang], f);
      if (!fs.existsSync(p)) { problems.push(`locales/${lang}/${f} is missing`); return new Map(); }
      return flatten(JSON.parse(fs.readFileSync(p, 'utf8')));
    };
    const en = load('en');
    const he = load('he');
    const base = (m) => {
      const groups = new Map();
      for (const [k, v] of m) {
        const b = k.replace(PLURAL, '');
        if (!groups.has(b)) groups.set(b, []);
        groups.get(b).push({ key: k, value: v });
      }
      return groups;
    };
    const ge = base(en);
    const gh = base(he);
    for (const k of ge.keys()) if (!gh.has(k)) problems.push(`${f}: '${k}' is in en but not in he`);
    for (const k of gh.keys()) if (!ge.has(k)) problems.push(`${f}: '${k}' is in he but not in en`);
    for (const [k, items] of gh) {
      const isPlural = items.some((i) => PLURAL.test(i.key));
      if (isPlural) {
        for (const form of ['one', 'two', 'other']) {
          if (!items.some((i) => i.key.endsWith('_' + form))) problems.push(`${f}: Hebrew plural '${k}' lacks _${form}`);
        }
      }
      const ens = ge.get(k);
      if (!ens) continue;
      const ph = new Set([...ens, ...items].map((i) => placeholders(i.value)));
      if (ph.size > 1) problems.push(`${f}: '${k}' has different placeholders in en and he (${[...ph].join(' | ')})`);
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const problems = compareCatalogues();
  if (problems.length) {
    console.error(`Locale check failed (${problems.length}):\n` + problems.map((p) => '  ' + p).join('\n'));
    process.exit(1);
  }
  console.log('Locale check: ok');
}
