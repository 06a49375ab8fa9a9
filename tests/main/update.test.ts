/**
 * `gloss update DOC FILE` through the real command line (bin/gloss.cjs, built by
 * `node scripts/build.mjs`; `npm test` builds first), on a library holding the seeds: a new
 * version of a seed with edits re-anchors the annotations onto the same words, reports the
 * counts, keeps a revision that can be restored, and a bad file changes nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { listRevisions, restoreRevision } from '../../src/main/store/revisions.js';
import { glossBin, repoRoot, seedFiles, tempDir } from '../helpers.js';

function gloss(args: string[]) {
  const r = spawnSync(process.execPath, [glossBin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json<T>(args: string[]): T {
  const r = gloss([...args, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

interface Ann {
  id: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  status: 'anchored' | 'orphaned';
  tags: string[];
  note: string;
}
interface Shown {
  id: number;
  text: string;
  contentHash: string;
}
interface UpdateJson {
  documentId: number;
  changed: boolean;
  revisionId: number | null;
  counts: { stayed: number; moved: number; fuzzy: number; orphaned: number };
  orphans: { id: string; exact: string }[];
  results: { id: string; status: string; start: number; end: number }[];
}

beforeAll(() => {
  if (!fs.existsSync(path.join(repoRoot, 'dist/main/cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run `node scripts/build.mjs` (npm test does)');
});

const data = tempDir('gloss-update-');
const work = tempDir('gloss-update-files-');
const d = ['--data', data];
afterAll(() => {
  fs.rmSync(data, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const englishFile = seedFiles().find((f) => path.basename(f).startsWith('001_'))!;
const hebrewFile = seedFiles().find((f) => path.basename(f).startsWith('000_'))!;
const paragraphs = (raw: string) => raw.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/);

describe('gloss update (the real command line)', () => {
  let en: number;
  let he: number;
  const ids: Record<string, string> = {};
  let before: { text: string; annotations: Ann[] };

  it('imports the seeds and annotates the English and the Hebrew article', () => {
    const r = gloss(['import', ...d, ...seedFiles()]);
    expect(r.code, r.err).toBe(0);
    const list = json<{ id: number; title: string }[]>(['list', ...d]);
    en = list.find((x) => x.title.startsWith('A Growing'))!.id;
    he = list.find((x) => x.title.startsWith('בצל'))!.id;
    const annotate = (doc: number, quote: string, extra: string[] = []) => json<Ann>(['annotate', ...d, String(doc), '--quote', quote, ...extra]).id;
    ids.stays = annotate(en, 'state visit to Israel', ['--tag', 'visit']);
    ids.edited = annotate(en, 'civil war currently unfolding in Syria', ['--note', 'the war']);
    ids.deleted = annotate(en, 'attend the unveiling ceremony', ['--tag', 'ceremony', '--note', 'kept even when detached']);
    ids.moved = annotate(en, 'major supplier of arms and nuclear technologies');
    ids.acronym = annotate(he, 'צה"ל ורוסיה');
    before = { text: json<Shown>(['show', ...d, String(en)]).text, annotations: json<Ann[]>(['annotations', ...d, String(en)]) };
    expect(before.annotations).toHaveLength(4);
  });

  it('updates the English article from an edited version: counts, same words, one orphan', () => {
    const paras = paragraphs(fs.readFileSync(englishFile, 'utf8'));
    const iDeleted = paras.findIndex((p) => p.includes('unveiling ceremony'));
    const iMoved = paras.findIndex((p) => p.includes('major supplier of arms'));
    const iAfter = paras.findIndex((p) => p.includes('Avigdor Liberman'));
    expect(Math.min(iDeleted, iMoved, iAfter)).toBeGreaterThan(0);
    const next = paras
      .flatMap((p, i) => (i === iDeleted || i === iMoved ? [] : i === iAfter ? [p, paras[iMoved]!] : [p]))
      .map((p) => p.replace('civil war currently unfolding in Syria', 'civil war now unfolding in Syria'));
    const file = path.join(work, 'alliance-v2.txt');
    fs.writeFileSync(file, next.join('\n\n'));

    const out = json<UpdateJson>(['update', ...d, String(en), file]);
    expect(out.changed).toBe(true);
    expect(out.revisionId).toEqual(expect.any(Number));
    expect(out.counts).toEqual({ stayed: 1, moved: 1, fuzzy: 1, orphaned: 1 });
    expect(out.orphans).toEqual([{ id: ids.deleted, exact: 'attend the unveiling ceremony', note: 'kept even when detached' }]);
    const status = Object.fromEntries(out.results.map((r) => [r.id, r.status]));
    expect(status).toEqual({ [ids.stays!]: 'stayed', [ids.edited!]: 'fuzzy', [ids.moved!]: 'moved', [ids.deleted!]: 'orphaned' });

    const text = json<Shown>(['show', ...d, String(en)]).text;
    const anns = Object.fromEntries(json<Ann[]>(['annotations', ...d, String(en)]).map((a) => [a.id, a]));
    for (const a of Object.values(anns)) if (a.status === 'anchored') expect(text.slice(a.start, a.end)).toBe(a.exact);
    expect(anns[ids.stays!]).toMatchObject({ exact: 'state visit to Israel', status: 'anchored', tags: ['visit'] });
    expect(anns[ids.edited!]).toMatchObject({ exact: 'civil war now unfolding in Syria', note: 'the war' });
    expect(anns[ids.moved!]!.exact).toBe('major supplier of arms and nuclear technologies');
    expect(anns[ids.moved!]!.start).toBe(text.indexOf('major supplier of arms'));
    // The orphan keeps its quote, context, tags and note, and is marked detached.
    const orphan = before.annotations.find((a) => a.id === ids.deleted)!;
    expect(anns[ids.deleted!]).toMatchObject({ status: 'orphaned', exact: orphan.exact, prefix: orphan.prefix, suffix: orphan.suffix, tags: ['ceremony'], note: 'kept even when detached' });
    // Search sees the new text, not the old.
    const { hits } = json<{ hits: { documentId: number; kind: string }[] }>(['search', ...d, 'unveiling ceremony']);
    expect(hits.filter((h) => h.documentId === en && h.kind === 'text')).toEqual([]);
  });

  it('keeps every earlier text as a revision, and restoring one puts the annotations back', () => {
    const lib = Library.open(data);
    try {
      const revisions = listRevisions(lib.db, en);
      expect(revisions).toHaveLength(1);
      const first = revisions[0]!;
      expect(first.reason).toBe('update from alliance-v2.txt');
      expect(first.length).toBe(before.text.length);
      const outcome = restoreRevision(lib.db, first.id, new Date().toISOString());
      expect(outcome.changed).toBe(true);
      expect(listRevisions(lib.db, en).map((r) => r.reason)).toEqual([`restore of revision ${first.id}`, 'update from alliance-v2.txt']);
      expect(lib.text(en)).toBe(before.text);
    } finally {
      lib.close();
    }
    const anns = json<Ann[]>(['annotations', ...d, String(en)]);
    // The same places as before the first update; the orphan found its passage again.
    expect(anns.map(({ id, start, end, exact, status }) => ({ id, start, end, exact, status })).sort((x, y) => x.start - y.start)).toEqual(
      before.annotations.map(({ id, start, end, exact, status }) => ({ id, start, end, exact, status })).sort((x, y) => x.start - y.start),
    );
  });

  it('says what happened in words, and that nothing changed when the text is the same', () => {
    const v2 = path.join(work, 'alliance-v2.txt');
    const r = gloss(['update', ...d, String(en), v2]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/revision \d+ keeps the previous text/);
    expect(r.out).toContain('1 stayed, 1 moved, 1 placed by fuzzy match, 1 orphaned');
    expect(r.out).toContain('attend the unveiling ceremony');
    const again = gloss(['update', ...d, String(en), v2]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/nothing changed/);
  });

  it('treats " and ״ alike in Hebrew acronyms', () => {
    const raw = fs.readFileSync(hebrewFile, 'utf8');
    const file = path.join(work, 'hebrew-v2.txt');
    const paras = paragraphs(raw);
    // Gershayim for the ASCII quote in acronyms, and a paragraph added after the title.
    fs.writeFileSync(file, [paras[0], 'פסקה חדשה שנוספה לגרסה המעודכנת של הכתבה.', ...paras.slice(1)].join('\n\n').replace(/(\p{Script=Hebrew})"(\p{Script=Hebrew})/gu, '$1״$2'));
    const out = json<UpdateJson>(['update', ...d, String(he), file]);
    expect(out.counts.orphaned).toBe(0);
    const text = json<Shown>(['show', ...d, String(he)]).text;
    const a = json<Ann[]>(['annotations', ...d, String(he)]).find((x) => x.id === ids.acronym)!;
    expect(a.exact).toBe('צה״ל ורוסיה');
    expect(text.slice(a.start, a.end)).toBe('צה״ל ורוסיה');
  });

  it('changes nothing when the file is bad, and says which file', () => {
    const snapshot = () => ({ doc: json<Shown>(['show', ...d, String(en)]), anns: json<Ann[]>(['annotations', ...d, String(en)]) });
    const revisionCount = () => {
      const lib = Library.open(data);
      try {
        return listRevisions(lib.db, en).length;
      } finally {
        lib.close();
      }
    };
    const was = snapshot();
    const revs = revisionCount();
    const missing = path.join(work, 'no-such-file.txt');
    const empty = path.join(work, 'empty.txt');
    fs.writeFileSync(empty, '');
    const folder = path.join(work, 'a-folder');
    fs.mkdirSync(folder);
    for (const bad of [missing, empty, folder]) {
      const r = gloss(['update', ...d, String(en), bad]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(bad);
      expect(r.err).toMatch(/was not changed/);
      expect(snapshot()).toEqual(was);
      expect(revisionCount()).toBe(revs);
    }
    // The same text as another document is refused too.
    const r = gloss(['update', ...d, String(en), seedFiles().find((f) => path.basename(f).startsWith('002_'))!]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/same as document/);
    expect(snapshot()).toEqual(was);
  });

  it('is a usage error without DOC and FILE', () => {
    const r = gloss(['update', ...d, String(en)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/update needs a DOC and a FILE/);
  });
});
