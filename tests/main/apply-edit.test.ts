import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdit } from '../../src/main/apply-edit.js';
import { saveEdit } from '../../src/main/editing.js';
import { Library } from '../../src/main/library.js';
import { insertAnnotation } from '../../src/main/store/annotations.js';
import { canonicalText } from '../../src/common/text/canonical.js';
import { documentLanguage } from '../../src/common/text/direction.js';
import type { BlockInput } from '../../src/common/model.js';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { tempDir } from '../helpers.js';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE_NAME } from '../../src/main/store/db.js';
import { PairService } from '../../src/main/pairs.js';
import { editedText, type StoredText } from '../../src/main/store/text-bytes.js';

const open: Library[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

function library(): Library {
  const lib = Library.open(tempDir('gloss-apply-edit-'));
  open.push(lib);
  return lib;
}

interface Row {
  id: string;
  start: number;
  end: number;
  status: string;
  exact: string;
  prefix: string;
  suffix: string;
}

function rows(lib: Library, documentId: number): Row[] {
  return lib.db.prepare('SELECT id, start, "end", status, exact, prefix, suffix FROM annotations WHERE document_id = ? ORDER BY id').all(documentId) as Row[];
}

/** Everything stored about a document's text: blocks, search rows (no stale ones), hash, language. */
function stored(lib: Library, documentId: number) {
  const blocks = lib.db.prepare('SELECT b.idx, b.kind, b.dir, b.depth, b.start, t.text FROM blocks b JOIN block_texts t ON t.id = b.id WHERE b.document_id = ? ORDER BY b.idx').all(documentId);
  const fts = lib.db.prepare('SELECT b.idx, f.folded FROM blocks b JOIN blocks_fts f ON f.rowid = b.id WHERE b.document_id = ? ORDER BY b.idx').all(documentId);
  const ftsRows = (lib.db.prepare('SELECT count(*) AS n FROM blocks_fts').get() as { n: number }).n;
  const doc = lib.db.prepare('SELECT content_hash, language FROM documents WHERE id = ?').get(documentId);
  return { blocks, fts, ftsRows, doc, text: lib.text(documentId) };
}

const letter = fc.constantFrom('א', 'ב', 'ג', 'ד', 'ה', 'ו', ' ', 'a', 'b', 'c', ' ', 'ab');
const blockText = fc.array(letter, { maxLength: 10 }).map((xs) => xs.join(''));
const block = fc.record({ kind: fc.constantFrom('paragraph', 'heading', 'quote'), dir: fc.constantFrom('rtl', 'ltr'), text: blockText }).map(
  (b): BlockInput => ({ kind: b.kind as BlockInput['kind'], dir: b.dir as BlockInput['dir'], depth: b.kind === 'quote' ? 1 : 0, text: b.text }),
);
const edit = fc.record({
  from: fc.nat(),
  removed: fc.nat(),
  blocks: fc.array(block, { maxLength: 3 }),
  // What the editor says of each annotation the edit touches: 0 not sent, 1 detached, 2 a new range.
  choices: fc.array(fc.record({ kind: fc.nat(2), s: fc.nat(), e: fc.nat() }), { minLength: 8, maxLength: 8 }),
});

/** The change as one stretch of the canonical text, as the editor's mapping sees it. */
function stretch(old: BlockInput[], from: number, removed: number, blocks: BlockInput[]) {
  const next = [...old.slice(0, from), ...blocks, ...old.slice(from + removed)];
  const starts: number[] = [];
  let at = 0;
  for (const b of old) starts.push(at), (at += b.text.length + 1);
  const length = canonicalText(old).length;
  const joined = canonicalText(blocks);
  let a: number, b: number, ins: string;
  if (from + removed < old.length) [a, b, ins] = [starts[from]!, starts[from + removed]!, blocks.length ? joined + '\n' : ''];
  else if (from > 0) [a, b, ins] = [from < old.length ? starts[from]! - 1 : length, length, blocks.length ? '\n' + joined : ''];
  else [a, b, ins] = [0, length, joined];
  expect(canonicalText(next)).toBe(canonicalText(old).slice(0, a) + ins + canonicalText(old).slice(b));
  return { next, a, b, delta: ins.length - (b - a), newLength: canonicalText(next).length };
}

describe('documents.applyEdit', () => {
  it('stores what saveEdit stores for the same final text and ranges, edit after edit', () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ s: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }), { maxLength: 8 }),
        fc.array(edit, { minLength: 1, maxLength: 5 }),
        (initial, marks, edits) => {
          const A = library();
          const B = library();
          // The language an importer gives: the one its letters decide (saveEdit decides it again).
          const parsed = { title: 'T', language: documentLanguage(initial.map((b) => b.text)), blocks: initial };
          const idA = A.storeParsed('t.txt', parsed).documentId!;
          const idB = B.storeParsed('t.txt', parsed).documentId!;
          const text0 = canonicalText(initial);
          marks.forEach((m, i) => {
            if (text0.length === 0) return;
            const start = m.s % text0.length;
            const end = Math.min(text0.length, start + m.len);
            const a = { documentId: idA, start, end, id: `a${i}`, created: `2026-01-01T00:00:0${i}.000Z` };
            A.db.transaction(() => insertAnnotation(A.db, text0, a, a.created))();
            B.db.transaction(() => insertAnnotation(B.db, text0, { ...a, documentId: idB }, a.created))();
          });
          let current = initial;
          const now = new Date('2026-05-01T10:00:00Z');
          for (const e of edits) {
            const from = e.from % (current.length + 1);
            const removed = e.removed % (current.length - from + 1);
            // The editor sends a change only when the text changed: no empty replace.
            if (removed === 0 && e.blocks.length === 0) continue;
            const blocks = removed === current.length && e.blocks.length === 0 ? [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'x' } as BlockInput] : e.blocks;
            const { next, a, b, delta, newLength } = stretch(current, from, removed, blocks);
            const before = rows(A, idA);
            const sentA: { id: string; start: number; end: number }[] = [];
            const sentB: { id: string; start: number; end: number }[] = [];
            before.forEach((r, i) => {
              const touched = r.start < b && r.end > a;
              if (!touched) {
                const shift = r.start >= b ? delta : 0;
                sentB.push({ id: r.id, start: r.start + shift, end: r.end + shift });
                return;
              }
              const c = e.choices[i % 8]!;
              if (c.kind === 0) return;
              const p = c.s % (newLength + 1);
              const range = c.kind === 1 || newLength === 0 ? { start: p, end: p } : { start: Math.min(p, newLength - 1), end: Math.min(p, newLength - 1) + 1 + (c.e % Math.max(1, newLength - Math.min(p, newLength - 1))) };
              sentA.push({ id: r.id, ...range });
              sentB.push({ id: r.id, ...range });
            });
            const textA = A.text(idA);
            const out = applyEdit(A, { documentId: idA, from, removed, blocks, annotations: sentA, expectLength: textA.length }, now);
            saveEdit(B, { documentId: idB, blocks: next, annotations: sentB }, now);
            current = next;
            expect(out.textLength).toBe(newLength);
            const sa = stored(A, idA);
            expect(sa).toEqual(stored(B, idB));
            expect(sa.fts.length).toBe(next.length);
            expect(sa.ftsRows).toBe(next.length);
            const after = rows(A, idA);
            expect(after).toEqual(rows(B, idB));
            // Every row that changed other than by moving along with the text after the span is returned, as stored.
            const returned = new Map(out.annotations.map((x) => [x.id, x]));
            for (const r of after) {
              const was = before.find((x) => x.id === r.id)!;
              const movedAlong = was.start >= b && r.start === was.start + delta && r.end === was.end + delta && r.exact === was.exact && r.prefix === was.prefix && r.suffix === was.suffix && r.status === was.status;
              const same = JSON.stringify(r) === JSON.stringify(was);
              if (!same && !movedAlong) expect(returned.has(r.id), `annotation ${r.id} changed but was not returned`).toBe(true);
              const x = returned.get(r.id);
              if (x) expect({ id: x.id, start: x.start, end: x.end, status: x.status, exact: x.exact, prefix: x.prefix, suffix: x.suffix }).toEqual(r);
            }
          }
          // Search finds the same hits in both.
          const final = A.text(idA);
          for (const q of [final.slice(0, 3), final.slice(-3), 'אב', 'ab c']) {
            if (q.trim().length === 0) continue;
            expect(A.searchPage(q)).toEqual(B.searchPage(q));
          }
          A.close();
          B.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a stale edit with nothing written, and a span past the end', async () => {
    const lib = library();
    const handlers = createHandlers(lib);
    const id = lib.storeParsed('t.txt', { title: 'T', language: 'en', blocks: [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'one two' }, { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'three' }] }).documentId!;
    const a = lib.annotate(id, { start: 8, end: 13 });
    const before = { text: lib.text(id), blocks: lib.get(id).blocks, annotation: lib.annotation(a.id), revisions: lib.db.prepare('SELECT count(*) AS n FROM revisions').get() };
    const stale = await dispatch(handlers, 'documents.applyEdit', { documentId: id, from: 0, removed: 1, blocks: [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'one' }], annotations: [], expectLength: 12 });
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.error.message).toMatch(/Stale edit: document \d+'s text is 13 characters long, not 12/);
    const past = await dispatch(handlers, 'documents.applyEdit', { documentId: id, from: 1, removed: 2, blocks: [], annotations: [] });
    expect(past.ok).toBe(false);
    if (!past.ok) expect(past.error.message).toMatch(/it has 2 blocks/);
    const all = await dispatch(handlers, 'documents.applyEdit', { documentId: id, from: 0, removed: 2, blocks: [], annotations: [] });
    expect(all.ok).toBe(false);
    expect({ text: lib.text(id), blocks: lib.get(id).blocks, annotation: lib.annotation(a.id), revisions: lib.db.prepare('SELECT count(*) AS n FROM revisions').get() }).toEqual(before);
    // The right length goes through, and the answer carries the changed annotation and the new length.
    const ok = await dispatch(handlers, 'documents.applyEdit', { documentId: id, from: 0, removed: 1, blocks: [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'one' }], annotations: [], expectLength: 13 });
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      const value = ok.value as { textLength: number; annotations: { id: string; prefix: string }[]; revisionId: number | null };
      expect(value.textLength).toBe(9);
      expect(value.revisionId).not.toBeNull();
      // The annotation after the span moved along; its prefix reached into the changed text, so it is returned.
      expect(value.annotations.map((x) => [x.id, x.prefix])).toEqual([[a.id, 'one\n']]);
    }
    expect(lib.annotation(a.id)).toMatchObject({ start: 4, end: 9, exact: 'three', status: 'anchored' });
  });

  it('keeps one revision per editing session and carries pair alignments', () => {
    const lib = library();
    const mk = (t: string): BlockInput => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t });
    const id = lib.storeParsed('t.txt', { title: 'T', language: 'en', blocks: [mk('one'), mk('two'), mk('three')] }).documentId!;
    const other = lib.storeParsed('u.txt', { title: 'U', language: 'en', blocks: [mk('uno'), mk('dos'), mk('tres')] }).documentId!;
    lib.db.prepare("INSERT INTO pairs (source_id, target_id, kind, created) VALUES (?, ?, 'aligned', '2026-01-01')").run(id, other);
    const pairId = (lib.db.prepare('SELECT id FROM pairs').get() as { id: number }).id;
    for (let i = 0; i < 3; i++) lib.db.prepare('INSERT INTO alignments (pair_id, source_blocks, target_blocks, confirmed) VALUES (?, ?, ?, 1)').run(pairId, `[${i}]`, `[${i}]`);
    const t0 = new Date('2026-05-01T10:00:00Z');
    const first = applyEdit(lib, { documentId: id, from: 1, removed: 1, blocks: [mk('TWO')], annotations: [] }, t0);
    const second = applyEdit(lib, { documentId: id, from: 0, removed: 0, blocks: [mk('zero')], annotations: [] }, new Date(t0.getTime() + 60_000));
    expect(first.revisionId).not.toBeNull();
    expect(second.revisionId).toBeNull();
    expect(lib.text(id)).toBe('zero\none\nTWO\nthree');
    const revs = lib.db.prepare('SELECT text, reason FROM revisions WHERE document_id = ?').all(id);
    expect(revs).toEqual([{ text: 'one\ntwo\nthree', reason: 'edit' }]);
    const beads = lib.db.prepare('SELECT source_blocks, target_blocks, needs_review FROM alignments WHERE pair_id = ? ORDER BY id').all(pairId) as { source_blocks: string; target_blocks: string; needs_review: number }[];
    // The inserted block is a unit of its own and the changed one, both marked for review; the others follow their blocks.
    expect(beads.map((x) => [x.source_blocks, x.target_blocks, x.needs_review])).toEqual([
      ['[0]', '[]', 1],
      ['[1]', '[0]', 0],
      ['[2]', '[1]', 1],
      ['[3]', '[2]', 0],
    ]);
  });

  it('hashes the text the library holds when it was written elsewhere between two saves', () => {
    const lib = library();
    const mk = (t: string): BlockInput => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t });
    const sha = (id: number) => createHash('sha256').update(lib.text(id), 'utf8').digest('hex');
    const hash = (id: number) => (lib.db.prepare('SELECT content_hash FROM documents WHERE id = ?').get(id) as { content_hash: string }).content_hash;
    const source = lib.storeParsed('s.txt', { title: 'S', language: 'he', blocks: [mk('אחת'), mk('שתיים'), mk('שלוש')] }).documentId!;
    // A translation's blocks are written without changing its hash (an identity of its own).
    const pairs = new PairService(lib);
    const { document, pair } = pairs.translate(source, 'en');
    const id = document.id;
    const t0 = new Date('2026-05-01T10:00:00Z');
    const save = (from: number, text: string, at: number) => applyEdit(lib, { documentId: id, from, removed: 1, blocks: [mk(text)], annotations: [], expectLength: lib.text(id).length }, new Date(t0.getTime() + at));
    save(0, 'One', 0);
    expect(hash(id)).toBe(sha(id));
    pairs.setBlockText(pair.id, 2, 'Three, written in the pair desk');
    save(1, 'Two', 1000);
    expect(lib.text(id)).toBe('One\nTwo\nThree, written in the pair desk');
    expect(hash(id)).toBe(sha(id));
    // And by another connection to the same library.
    const other = Library.open(lib.dataDir);
    open.push(other);
    new PairService(other).setBlockText(pair.id, 0, 'Uno');
    save(1, 'Dos', 2000);
    expect(lib.text(id)).toBe('Uno\nDos\nThree, written in the pair desk');
    expect(hash(id)).toBe(sha(id));
    expect(lib.get(id).language).toBe('en');
  });

  it('builds the edited text from the old one for any span (editedText)', () => {
    const text = fc.array(fc.constantFrom('a', 'א', '😀', ' ', 'é'), { maxLength: 6 }).map((xs) => xs.join(''));
    const stored = (texts: string[]): StoredText => {
      const bytes = Buffer.from(texts.join('\n'), 'utf8');
      const starts: number[] = [];
      let at = 0;
      for (const t of texts) starts.push(at), (at += Buffer.byteLength(t) + 1);
      starts.push(at);
      return { hash: createHash('sha256').update(bytes).digest('hex'), bytes, starts, letters: { rtl: 0, ltr: 0 } };
    };
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.array(text, { maxLength: 3 }), (old, f, r, added) => {
        const from = f % (old.length + 1);
        const removed = r % (old.length - from + 1);
        const next = [...old.slice(0, from), ...added, ...old.slice(from + removed)];
        fc.pre(next.length > 0);
        const got = editedText(stored(old), from, removed, added, { rtl: 1, ltr: 2 });
        const want = stored(next);
        expect(got.bytes.toString('utf8')).toBe(want.bytes.toString('utf8'));
        expect(got.starts).toEqual(want.starts);
        expect(got.hash).toBe(want.hash);
        expect(got.letters).toEqual({ rtl: 1, ltr: 2 });
      }),
    );
    expect(() => editedText(stored(['a']), 1, 1, [], { rtl: 0, ltr: 0 })).toThrow(RangeError);
  });

  it('copies the log into the library file after the save has answered, not in its commit', async () => {
    const lib = library();
    const mk = (t: string): BlockInput => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t });
    const blocks = Array.from({ length: 400 }, (_, i) => mk(`Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}`));
    const id = lib.storeParsed('t.txt', { title: 'T', language: 'en', blocks }).documentId!;
    await lib.whenIndexed();
    lib.db.pragma('wal_autocheckpoint = 5');
    lib.db.pragma('wal_checkpoint(TRUNCATE)');
    const size = () => fs.statSync(path.join(lib.dataDir, DB_FILE_NAME)).size;
    const before = size();
    // A word at the start: every later block moves, far more than five pages.
    applyEdit(lib, { documentId: id, from: 0, removed: 1, blocks: [mk(`New ${blocks[0]!.text}`)], annotations: [], expectLength: lib.text(id).length }, new Date('2026-05-01T10:00:00Z'));
    expect(lib.db.pragma('wal_autocheckpoint', { simple: true })).toBe(5);
    const committed = size();
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed).toBe(before);
    expect(size()).toBeGreaterThan(before);
    expect(lib.text(id).startsWith('New Paragraph 0')).toBe(true);
  });
});
