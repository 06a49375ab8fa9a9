/** Every locale key the interface names exists in the catalogue (scripts/check-locales.mjs then keeps en and he in step). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLORS } from '../../src/common/model.js';
import { repoRoot } from '../helpers.js';

const en = JSON.parse(fs.readFileSync(path.join(repoRoot, 'locales/en/translation.json'), 'utf8')) as Record<string, Record<string, string>>;

function has(key: string): boolean {
  const [group, name] = key.split('.') as [string, string];
  const g = en[group];
  return g !== undefined && (name in g || `${name}_one` in g);
}

function* sources(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    // `*.check.ts` files hold keys that must NOT exist (compile-time checks under @ts-expect-error).
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.check.ts')) yield p;
  }
}

describe('locale keys', () => {
  it('names only keys that exist', () => {
    const groups = Object.keys(en);
    // API verbs look alike (`api['tags.list']`): a literal right after '[' is a method, not a key.
    const literal = new RegExp(`(?<!\\[)'((?:${groups.join('|')})\\.[a-zA-Z]+)'`, 'g');
    const missing: string[] = [];
    let seen = 0;
    for (const file of sources(path.join(repoRoot, 'src/renderer'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(literal)) {
        seen++;
        if (!has(m[1]!)) missing.push(`${path.relative(repoRoot, file)}: ${m[1]}`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('holds the keys built at run time', () => {
    const built = [
      ...COLORS.map((c) => `colors.${c}`),
      ...['he', 'en', 'mixed'].map((l) => `languages.${l}`),
      ...['rename', 'merge', 'nest'].flatMap((m) => [`tags.${m}`, `tags.${m}Named`, `tags.${m}Apply`]),
    ];
    expect(built.filter((k) => !has(k))).toEqual([]);
  });

  it('holds the native menu labels', () => {
    const menu = ['file', 'import', 'quit', 'edit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'view', 'reload', 'toggleDevTools', 'zoomIn', 'zoomOut', 'resetZoom', 'language', 'help', 'about'];
    expect(menu.filter((k) => !has(`menu.${k}`))).toEqual([]);
  });
});
