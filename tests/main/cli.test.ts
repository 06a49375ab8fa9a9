import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { glossBin, repoRoot, seedFiles, tempDir } from '../helpers.js';

function gloss(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [glossBin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json<T>(args: string[]): T {
  const r = gloss([...args, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

interface Doc {
  id: number;
  title: string;
  language: string;
  blocks: { index: number; dir: string; kind: string; depth: number; text: string; start: number }[];
  text: string;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(repoRoot, 'dist/main/cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run `npm run build` (npm test does)');
});

describe('gloss (the real command line)', () => {
  const data = tempDir();
  const d = ['--data', data];

  it('imports the three seeds', () => {
    const r = gloss(['import', ...d, ...seedFiles()]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/^imported /gm)).toHaveLength(3);
  });

  it('lists their titles and languages', () => {
    const list = json<{ title: string; language: string }[]>(['list', ...d]);
    expect(list.map((x) => [x.title, x.language])).toEqual([
      ['בצל היחלשות התיאום הביטחוני בסוריה :  נתניהו שוחח עם פוטין'.replace(/\s+/g, ' '), 'he'],
      ['A Growing Russian-Israeli Alliance?', 'en'],
      ['PUTIN, NETANYAHU BREAK GROUND ON DEEPER RUSSIA-ISRAEL ENGAGEMENT', 'en'],
    ]);
    const human = gloss(['list', ...d]);
    expect(human.out).toContain('A Growing Russian-Israeli Alliance?');
    expect(human.out).toMatch(/\bhe\b/);
  });

  it('shows the Hebrew seed right to left, including the paragraphs with S-300 and NEWS:', () => {
    const doc = json<Doc>(['show', ...d, 'בצל']);
    expect(doc.blocks.length).toBeGreaterThan(5);
    expect(doc.blocks.every((b) => b.dir === 'rtl')).toBe(true);
    expect(doc.blocks.some((b) => b.text.includes('S-300'))).toBe(true);
    expect(doc.blocks.some((b) => b.text.trimStart().startsWith('NEWS:') || b.text.includes('NEWS:'))).toBe(true);
    expect(doc.text).toBe(doc.blocks.map((b) => b.text).join('\n'));
    const human = gloss(['show', ...d, 'בצל']);
    expect(human.out).toMatch(/^\d+\s+rtl /m);
  });

  it('shows seed 002 as whole paragraphs, not hard-wrapped lines', () => {
    const doc = json<Doc>(['show', ...d, 'PUTIN, NET']);
    const body = doc.blocks.filter((b) => b.kind === 'paragraph');
    expect(body.some((b) => b.text.includes('his second trip to the Russian capital in three months.'))).toBe(true);
    // No paragraph is cut mid-sentence: a block without closing punctuation is never followed by one
    // that starts in lower case.
    for (let i = 0; i + 1 < doc.blocks.length; i++) {
      const [a, b] = [doc.blocks[i]!, doc.blocks[i + 1]!];
      if (!/[.!?:"”’)\]]\s*$/.test(a.text)) expect(b.text, `${a.text} / ${b.text}`).not.toMatch(/^\s*[a-z]/);
    }
    expect(body.every((b) => !b.text.includes('\n'))).toBe(true);
    expect(doc.text).toContain('\u00a0');
  });

  it('shows seed 001 with the reader comments as nested quotes', () => {
    const doc = json<Doc>(['show', ...d, 'A Growing']);
    const depths = new Set(doc.blocks.filter((b) => b.kind === 'quote').map((b) => b.depth));
    expect([...depths].sort()).toEqual([1, 2, 3, 4]); // indents of 4, 6, 8 and 10 spaces
    const quote = doc.blocks.find((b) => b.text.startsWith('In short, what you'))!;
    expect([quote.kind, quote.depth]).toEqual(['quote', 2]);
  });

  it('annotates by quote and by offsets, lists by tag, shows tags and searches', () => {
    const he = gloss(['annotate', ...d, 'בצל', '--quote', 'צה"ל', '--nth', '1', '--tag', 'claim/factual', '--note', 'הערה בעברית', '--color', 'green']);
    expect(he.code, he.err).toBe(0);
    const doc = json<Doc>(['show', ...d, 'A Growing']);
    const at = doc.text.indexOf('S-300');
    const en = gloss(['annotate', ...d, 'A Growing', '--start', String(at), '--end', String(at + 5), '--tag', 'claim/opinion']);
    expect(en.code, en.err).toBe(0);
    const anns = json<{ exact: string; tags: string[]; note: string; color: string }[]>(['annotations', ...d, 'בצל', '--tag', 'claim']);
    expect(anns.map((a) => [a.exact, a.tags, a.note, a.color])).toEqual([['צה"ל', ['claim/factual'], 'הערה בעברית', 'green']]);
    expect(json<unknown[]>(['annotations', ...d, 'A Growing', '--tag', 'claim/factual'])).toEqual([]);
    const tags = json<{ path: string; count: number }[]>(['tags', ...d]);
    expect(tags.map((t) => [t.path, t.count])).toEqual([
      ['claim', 0],
      ['claim/factual', 1],
      ['claim/opinion', 1],
    ]);
    expect(gloss(['tags', ...d]).out).toMatch(/^claim/m);
    const { hits } = json<{ hits: { kind: string; documentId: number }[] }>(['search', ...d, 'צהל']);
    expect(hits.some((h) => h.kind === 'text')).toBe(true);
    expect(json<{ hits: { kind: string }[] }>(['search', ...d, 'בעברית']).hits.map((h) => h.kind)).toEqual(['note']);
  });

  it('explains usage errors and unknown documents', () => {
    expect(gloss(['annotate', ...d, 'A Growing', '--start', '5'])).toMatchObject({ code: 2 });
    const r = gloss(['show', ...d, 'Nothing like this']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('No document matches "Nothing like this"');
    const repeat = gloss(['annotate', ...d, 'A Growing', '--quote', 'Putin']);
    expect(repeat.code).toBe(1);
    expect(repeat.err).toMatch(/occurs \d+ times; choose one with --nth/);
    expect(gloss(['frobnicate', ...d]).code).toBe(2);
  });

  it('says which document already holds a duplicate', () => {
    const r = gloss(['import', ...d, seedFiles()[1]!]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/already in the library as document \d+ "A Growing Russian-Israeli Alliance\?"/);
  });
});

describe('bad input', () => {
  it('reports each bad file with its reason, writes nothing for it, and imports the rest', () => {
    const data = tempDir();
    const files = tempDir();
    const at = (n: string) => path.join(files, n);
    fs.writeFileSync(at('empty.txt'), '');
    fs.writeFileSync(at('binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3, 0, 0, 0xff, 0xfe]));
    fs.writeFileSync(at('huge.txt'), '');
    fs.truncateSync(at('huge.txt'), 50 * 1024 * 1024 + 1);
    fs.writeFileSync(at('undecodable.txt'), Buffer.from([0x41, 0x42, 0xc3, 0x28, 0xa0, 0xa1, 0x8f, 0x90, 0x9d, 0x41]));
    fs.writeFileSync(at('good.txt'), iconv.encode('כותרת\n\nשָׁלוֹם עוֹלָם, זה קובץ ב-Windows-1255.\n', 'windows-1255'));
    const missing = at('missing.txt');
    const r = gloss(['import', '--data', data, at('empty.txt'), at('binary.txt'), at('huge.txt'), at('undecodable.txt'), missing, at('good.txt')]);
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(r.err).toMatch(/empty\.txt: .*empty/);
    expect(r.err).toMatch(/binary\.txt: .*binary/);
    expect(r.err).toMatch(/huge\.txt: .*50 MB/);
    expect(r.err).toMatch(/undecodable\.txt: .+/);
    expect(r.err).toMatch(/missing\.txt: .*no such file/);
    expect(r.out).toMatch(/imported .*good\.txt/);
    const list = JSON.parse(gloss(['list', '--data', data, '--json']).out) as { title: string }[];
    expect(list.map((x) => x.title)).toEqual(['כותרת']);
  });

  it('refuses a damaged library with a clear message, leaves it, and resets only when asked', () => {
    const data = tempDir();
    const file = path.join(data, 'gloss.sqlite');
    fs.writeFileSync(file, 'definitely not sqlite '.repeat(100));
    const r = gloss(['list', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/not an SQLite database/);
    expect(r.err).toContain('gloss reset-library --yes');
    expect(fs.readFileSync(file, 'utf8')).toBe('definitely not sqlite '.repeat(100));
    expect(gloss(['reset-library', '--data', data]).code).toBe(2);
    expect(gloss(['reset-library', '--data', data, '--yes']).code).toBe(0);
    const list = JSON.parse(gloss(['list', '--data', data, '--json']).out) as unknown[];
    expect(list).toHaveLength(3); // a fresh library gets the sample library on first run
    expect(fs.readdirSync(data).some((f) => f.endsWith('.aside'))).toBe(true);
  });

  it('answers a system error in one sentence, never with a stack trace (GLOSS_DEBUG=1 adds it)', () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, '');
    const r = gloss(['list', '--data', file]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`gloss list: ${file} is a file, not a folder: --data (or GLOSS_DATA_DIR) names the folder that holds the library.\n`);
    const debug = gloss(['list', '--data', file], { GLOSS_DEBUG: '1' });
    expect(debug.err).toMatch(/\n\s+at /);
  });

  it('imports the sample library on the first run of a command, once', () => {
    const data = tempDir();
    const first = gloss(['list', '--data', data]);
    expect(first.err).toMatch(/First run: imported the sample library \(3 documents\)/);
    expect(first.out.trim().split('\n')).toHaveLength(3);
    const ids = (JSON.parse(gloss(['list', '--data', data, '--json']).out) as { id: number }[]).map((x) => x.id);
    for (const id of ids) expect(gloss(['annotations', '--data', data, String(id)]).code).toBe(0);
    const env = { GLOSS_DATA_DIR: data };
    expect(gloss(['list'], env).err).not.toMatch(/First run/);
  });
});

describe('gloss search, rename and the other tools', () => {
  const data = tempDir();
  const d = ['--data', data];

  it('search prints the total and the documents, pages with --limit/--offset, and --json carries the total', () => {
    expect(gloss(['import', ...d, ...seedFiles()]).code).toBe(0);
    const page = json<{ total: number; documents: { count: number }[]; hits: unknown[] }>(['search', ...d, 'putin', '--limit', '3']);
    expect(page.total).toBeGreaterThan(3);
    expect(page.documents.reduce((n, x) => n + x.count, 0)).toBe(page.total);
    expect(page.hits).toHaveLength(3);
    const r = gloss(['search', ...d, 'putin', '--limit', '3', '--offset', '3']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`${page.total} match(es) in ${page.documents.length} document(s); showing 4-6`);
    const all = new Set<string>();
    for (let offset = 0; offset < page.total; offset += 7) {
      for (const h of json<{ hits: { documentId: number; start: number; kind: string; annotationId: string | null }[] }>(['search', ...d, 'putin', '--limit', '7', '--offset', String(offset)]).hits) all.add(`${h.kind}${h.documentId}@${h.start}${h.annotationId}`);
    }
    expect(all.size).toBe(page.total);
    expect(gloss(['search', ...d, 'putin', '--limit', '0']).code).toBe(2);
  });

  it('renames a document, and a non-terminal output carries no invisible direction controls', () => {
    const r = gloss(['rename', ...d, '1', 'בצל (the shadow)']);
    expect(r.code, r.err).toBe(0);
    const list = gloss(['list', ...d]);
    expect(list.out).toContain('בצל (the shadow)');
    expect(list.out).not.toMatch(/[\u2066-\u2069]/);
  });
});
