import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { placeBlocks } from '../../src/common/text/canonical.js';
import { seedFiles, tempDir } from '../helpers.js';

const open: Library[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

async function setup() {
  const lib = Library.open(tempDir());
  open.push(lib);
  await lib.importPaths(seedFiles());
  const he = lib.list().find((d) => d.language === 'he')!;
  return { lib, he, handlers: createHandlers(lib) };
}

async function call<T>(handlers: ReturnType<typeof createHandlers>, method: string, payload: unknown): Promise<T> {
  const r = await dispatch(handlers, method, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

describe('saving an edit', () => {
  it('writes the new text and the mapped annotations in one go, keeping one revision per session', async () => {
    const { lib, he, handlers } = await setup();
    const a = lib.annotate(he.id, { quote: 'S-300' }, { tags: ['claim/factual'], note: 'טילים' });
    const gone = lib.annotate(he.id, { quote: 'נתניהו', nth: 1 });
    const doc = lib.get(he.id);
    // Insert a word before the highlight in its block, and delete the block holding `gone`'s passage.
    const target = doc.blocks.find((b) => b.text.includes('S-300'))!;
    const goneBlock = doc.blocks.find((b) => b.start <= gone.start && gone.end <= b.start + b.text.length)!;
    expect(goneBlock.index).not.toBe(target.index);
    const inserted = 'מילה ';
    const blocks = doc.blocks
      .filter((b) => b.index !== goneBlock.index)
      .map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth, text: b.index === target.index ? inserted + b.text : b.text }));
    // What the editor's mapping would say.
    const shiftA = (goneBlock.index < target.index ? -(goneBlock.text.length + 1) : 0) + inserted.length;
    const out = await call<{ revisionId: number | null; counts: { moved: number; orphaned: number } }>(handlers, 'documents.saveEdit', {
      documentId: he.id,
      blocks,
      annotations: [
        { id: a.id, start: a.start + shiftA, end: a.end + shiftA },
        { id: gone.id, start: goneBlock.start, end: goneBlock.start },
      ],
    });
    expect(out.revisionId).not.toBeNull();
    expect(out.counts).toMatchObject({ moved: 1, orphaned: 1 });
    const text = lib.text(he.id);
    const after = lib.annotation(a.id);
    expect(text.slice(after.start, after.end)).toBe('S-300');
    expect([after.status, after.tags, after.note]).toEqual(['anchored', ['claim/factual'], 'טילים']);
    const orphan = lib.annotation(gone.id);
    expect([orphan.status, orphan.exact]).toEqual(['orphaned', 'נתניהו']);
    // A second save in the same session adds no revision; the first keeps the original text.
    const again = await call<{ revisionId: number | null }>(handlers, 'documents.saveEdit', {
      documentId: he.id,
      blocks: blocks.map((b, i) => (i === 0 ? { ...b, text: b.text + '!' } : b)),
      annotations: [{ id: a.id, start: after.start + 1, end: after.end + 1 }],
    });
    expect(again.revisionId).toBeNull();
    const revs = await call<{ id: number; reason: string }[]>(handlers, 'documents.revisions', { documentId: he.id });
    expect(revs.map((r) => r.reason)).toEqual(['edit']);
    // Restoring it brings back the original text and re-anchors.
    await call(handlers, 'documents.restoreRevision', { documentId: he.id, revisionId: revs[0]!.id });
    expect(lib.text(he.id)).toBe(doc.blocks.map((b) => b.text).join('\n'));
    const restored = lib.annotation(a.id);
    expect(lib.text(he.id).slice(restored.start, restored.end)).toBe('S-300');
  });

  it('re-attaches a detached annotation to a new passage with its tags and note', async () => {
    const { lib, he, handlers } = await setup();
    const a = lib.annotate(he.id, { quote: 'S-300' }, { tags: ['claim'], note: 'הערה' });
    const doc = lib.get(he.id);
    await call(handlers, 'documents.saveEdit', {
      documentId: he.id,
      blocks: doc.blocks.map((b) => ({ ...b, text: b.text.replace('S-300', '') })),
      annotations: [{ id: a.id, start: a.start, end: a.start }],
    });
    expect(lib.annotation(a.id).status).toBe('orphaned');
    const at = lib.text(he.id).indexOf('צה"ל');
    const back = await call<{ status: string; exact: string; tags: string[]; note: string }>(handlers, 'annotations.reattach', { id: a.id, start: at, end: at + 4 });
    expect(back).toMatchObject({ status: 'anchored', exact: 'צה"ל', tags: ['claim'], note: 'הערה' });
  });

  it('anchors a detached annotation again when the editor brings its words back (undo)', async () => {
    const { lib, he, handlers } = await setup();
    const a = lib.annotate(he.id, { quote: 'S-300' });
    const other = lib.annotate(he.id, { quote: 'נתניהו', nth: 2 });
    const doc = lib.get(he.id);
    const original = doc.blocks.map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth, text: b.text }));
    await call(handlers, 'documents.saveEdit', {
      documentId: he.id,
      blocks: original.map((b) => ({ ...b, text: b.text.replace('S-300', '') })),
      annotations: [{ id: a.id, start: 0, end: 0 }],
    });
    expect(lib.annotation(a.id).status).toBe('orphaned');
    // The editor's undo put the words back and says where the highlight is; the one it does not
    // mention (made elsewhere) is re-anchored by its quote.
    const out = await call<{ counts: { moved: number; stayed: number; orphaned: number }; annotations: unknown[] }>(handlers, 'documents.saveEdit', {
      documentId: he.id,
      blocks: original,
      annotations: [{ id: a.id, start: a.start, end: a.end }],
    });
    expect(out.counts.orphaned).toBe(0);
    expect(lib.annotation(a.id)).toMatchObject({ status: 'anchored', exact: 'S-300', start: a.start, end: a.end });
    // What it answers is what is stored.
    expect(out.annotations).toEqual(lib.annotations(he.id));
    expect(lib.annotation(other.id)).toMatchObject({ status: 'anchored', exact: 'נתניהו', start: other.start });
  });

  it('rewrites only the changed blocks; the rest keep their rows, move, and stay searchable', async () => {
    const { lib, he, handlers } = await setup();
    const doc = lib.get(he.id);
    const rows = () => lib.db.prepare('SELECT b.id, b.idx, b.start, t.text FROM blocks b JOIN block_texts t ON t.id = b.id WHERE b.document_id = ? ORDER BY b.idx').all(he.id) as { id: number; idx: number; start: number; text: string }[];
    const before = rows();
    const k = 3;
    const edited = doc.blocks.map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth, text: b.text }));
    const removed = edited[k]!.text.split(' ').find((w) => w.length > 4)!;
    edited[k] = { ...edited[k]!, text: edited[k]!.text.replace(removed, 'קשקשת') };
    edited.splice(k + 1, 0, { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'A new paragraph, zebra-crossing.' });
    await call(handlers, 'documents.saveEdit', { documentId: he.id, blocks: edited, annotations: [] });
    const after = rows();
    // The same text, offsets and indexes as a fresh write would give.
    expect(after.map((r) => [r.idx, r.start, r.text])).toEqual(placeBlocks(edited).map((b) => [b.index, b.start, b.text]));
    // The head and the tail kept their rows; only the edited and the new block are new rows.
    expect(after.slice(0, k).map((r) => r.id)).toEqual(before.slice(0, k).map((r) => r.id));
    expect(after.slice(k + 2).map((r) => r.id)).toEqual(before.slice(k + 1).map((r) => r.id));
    const hits = (q: string) => lib.search(q).filter((h) => h.documentId === he.id);
    expect(hits('zebra-crossing')).toHaveLength(1);
    expect(hits('קשקשת')).toHaveLength(1);
    const tailWord = after[after.length - 1]!.text.split(' ').find((w) => w.length > 5)!;
    expect(hits(tailWord).length).toBeGreaterThan(0);
  });

  it('refuses a block with a line break and changes nothing', async () => {
    const { lib, he, handlers } = await setup();
    const before = lib.text(he.id);
    const r = await dispatch(handlers, 'documents.saveEdit', { documentId: he.id, blocks: [{ kind: 'paragraph', dir: 'rtl', depth: 0, text: 'a\nb' }], annotations: [] });
    expect(r.ok).toBe(false);
    expect(lib.text(he.id)).toBe(before);
  });
});

describe('update from a file through the API', () => {
  it('re-anchors and keeps a revision; a bad file changes nothing', async () => {
    const { lib, handlers } = await setup();
    const en = lib.list().find((d) => d.title.startsWith('A Growing'))!;
    const a = lib.annotate(en.id, { quote: 'S-300', nth: 1 });
    const original = fs.readFileSync(seedFiles()[1]!, 'utf8');
    const edited = original.replace('Later this month,', 'Later this month, as expected,');
    const out = await call<{ changed: boolean; counts: { orphaned: number } }>(handlers, 'documents.updateFromFile', {
      documentId: en.id,
      name: 'blog-v2.txt',
      base64: Buffer.from(edited).toString('base64'),
    });
    expect(out.changed).toBe(true);
    expect(out.counts.orphaned).toBe(0);
    const moved = lib.annotation(a.id);
    expect(lib.text(en.id).slice(moved.start, moved.end)).toBe('S-300');
    const before = lib.text(en.id);
    const bad = await dispatch(handlers, 'documents.updateFromFile', { documentId: en.id, name: 'empty.txt', base64: '' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/empty\.txt: .*empty.*not changed/);
    expect(lib.text(en.id)).toBe(before);
  });
});

describe('gloss revisions and gloss restore (the real command line)', () => {
  it('lists the earlier text kept by an update and puts it back', async () => {
    const { spawnSync } = await import('node:child_process');
    const { glossBin, repoRoot } = await import('../helpers.js');
    const data = tempDir();
    const run = (...args: string[]) => spawnSync(process.execPath, [glossBin, '--data', data, ...args], { cwd: repoRoot, encoding: 'utf8' });
    expect(run('list').status).toBe(0);
    const v2 = `${tempDir()}/blog-v2.txt`;
    fs.writeFileSync(v2, fs.readFileSync(seedFiles()[1]!, 'utf8').replace('Later this month,', 'Early next month,'));
    expect(run('update', 'A Growing', v2).status).toBe(0);
    const revs = JSON.parse(run('revisions', 'A Growing', '--json').stdout) as { id: number; reason: string }[];
    expect(revs.map((r) => r.reason)).toEqual(['update from blog-v2.txt']);
    const restored = run('restore', 'A Growing', String(revs[0]!.id));
    expect(restored.status, restored.stderr).toBe(0);
    const doc = JSON.parse(run('show', 'A Growing', '--json').stdout) as { text: string };
    expect(doc.text).toContain('Later this month,');
    expect(run('restore', 'A Growing', '999').status).toBe(1);
  });
});
