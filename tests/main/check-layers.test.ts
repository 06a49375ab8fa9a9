import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers.js';

const script = path.join(repoRoot, 'scripts', 'check-layers.mjs');

/** A source tree in a temp folder: `files` maps paths under src/ to their text. */
function tree(files: Record<string, string>): string {
  const root = tempDir('gloss-layers-');
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, 'src', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

function check(root: string) {
  const r = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const STORE = {
  'main/store/things.ts': "export const count = (db) => db.prepare('SELECT count(*) AS n FROM things').get();\nexport const wal = (db) => db.pragma('journal_mode');\n",
};

describe('scripts/check-layers.mjs: no SQL outside src/main/store/', () => {
  it('passes a tree whose queries are all in the store, with RegExp.exec and SQL-free strings elsewhere', () => {
    const root = tree({
      ...STORE,
      'main/service.ts': [
        "import { count } from './store/things.js';",
        "const m = /^(\\d+)$/.exec('12');",
        "const said = 'Select a passage from the text, then update it';",
        'export const n = (db) => count(db).n + Number(m?.[1]);',
      ].join('\n'),
      'common/sql-free.ts': 'export const x = 1;\n',
    });
    const r = check(root);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Layer check: ok');
  });

  it.each([
    ['a prepared statement', "export const f = (library) => library.db.prepare('UPDATE tags SET color = ? WHERE path = ?');\n", /main\/service\.ts:1: prepares a statement \(\.prepare\)/],
    ['a pragma', "\nexport const f = (db) => db.pragma('user_version');\n", /main\/service\.ts:2: runs a pragma \(\.pragma\)/],
    ['a script on a database', 'export const f = (db) => db.exec(script);\n', /main\/service\.ts:1: runs SQL on a database \(\.exec\)/],
    ['SQL in a template string', 'export const q = `\n  DELETE FROM annotations WHERE id = ?`;\n', /main\/service\.ts:1: holds SQL in a string/],
    ['a query in a string', "export const q = 'SELECT id FROM documents WHERE source_name = ?';\n", /holds SQL in a string/],
  ])('fails on %s in src/main outside the store, naming the file and line', (_what, text, message) => {
    const r = check(tree({ ...STORE, 'main/service.ts': text }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Layer check failed/);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('queries belong in src/main/store/');
    expect(r.err).not.toContain('things.ts');
  });

  it('allows the one module named as owning another database (the team server’s file), and no other', () => {
    const sqlFile = "export const open = (db) => db.exec('CREATE TABLE IF NOT EXISTS members (name TEXT)');\n";
    expect(check(tree({ ...STORE, 'main/team/server-store.ts': sqlFile })).code).toBe(0);
    const r = check(tree({ ...STORE, 'main/team/server-store.ts': sqlFile, 'main/team/sync.ts': sqlFile }));
    expect(r.code).toBe(1);
    expect(r.err).toContain('sync.ts:1: runs SQL on a database');
    expect(r.err).not.toContain('server-store.ts');
  });

  it('the repository itself passes the SQL rule', () => {
    const r = check(repoRoot);
    expect(r.err).not.toMatch(/SQL|\.prepare|\.pragma/);
  });
});
