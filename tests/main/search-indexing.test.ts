import { afterEach, describe, expect, it } from 'vitest';
import { applyEdit } from '../../src/main/apply-edit.js';
import { INDEX_LATER_CHARS, Library } from '../../src/main/library.js';
import type { BlockInput } from '../../src/common/model.js';
import { tempDir } from '../helpers.js';
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE_NAME } from '../../src/main/store/db.js';

const open: Library[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

function openLibrary(dir: string): Library {
  const lib = Library.open(dir);
  open.push(lib);
  return lib;
}

/** A text past the threshold: numbered paragraphs, every tenth holding the word "zephyr". */
function bigDocument(title: string): { title: string; language: 'en'; blocks: BlockInput[] } {
  const blocks: BlockInput[] = [];
  let length = 0;
  for (let i = 0; length <= INDEX_LATER_CHARS + 1000; i++) {
    const text = `${title} paragraph ${i} ${i % 10 === 0 ? 'zephyr ' : ''}lorem ipsum dolor sit amet, consectetur adipiscing elit.`;
    blocks.push({ kind: 'paragraph', dir: 'ltr', depth: 0, text });
    length += text.length + 1;
  }
  return { title, language: 'en', blocks };
}

const searchRows = (lib: Library) => (lib.db.prepare('SELECT count(*) AS n FROM blocks_fts').get() as { n: number }).n;
const blockRows = (lib: Library) => (lib.db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n;

describe('search rows built after a big import', () => {
  it('answers at once, says which document is still being indexed, then finds every hit', async () => {
    const lib = openLibrary(tempDir());
    const doc = bigDocument('Alpha');
    const id = lib.storeParsed('alpha.txt', doc).documentId!;
    const expected = doc.blocks.filter((b) => b.text.includes('zephyr')).length;
    // The blocks are committed; the search rows come in batches after this turn of the event loop.
    expect(lib.get(id).blocks.length).toBe(doc.blocks.length);
    const early = lib.searchPage('zephyr', 500);
    expect(early.indexing).toEqual([{ documentId: id, title: 'Alpha' }]);
    expect(early.total).toBeLessThan(expected);
    await lib.whenIndexed();
    const page = lib.searchPage('zephyr', 500);
    expect(page.indexing).toBeUndefined();
    expect(page.total).toBe(expected);
    expect(searchRows(lib)).toBe(blockRows(lib));
    // A small text is searchable in its own transaction, as before.
    const small = lib.storeParsed('b.txt', { title: 'Beta', language: 'en', blocks: [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'a quokka here' }] }).documentId!;
    expect(lib.searchPage('quokka').hits.map((h) => h.documentId)).toEqual([small]);
  });

  it("leaves copying the big import's log into the library file to the indexer's first commit", async () => {
    const dir = tempDir('gloss-checkpoint-');
    const lib = openLibrary(dir);
    // A low threshold, so that this text's log is well past it.
    lib.db.pragma('wal_autocheckpoint = 10');
    lib.db.pragma('wal_checkpoint(TRUNCATE)');
    const size = () => fs.statSync(path.join(dir, DB_FILE_NAME)).size;
    const before = size();
    const outcome = lib.storeParsed('big.txt', bigDocument('Big'));
    expect(outcome.status).toBe('imported');
    expect(lib.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10);
    expect(size()).toBe(before);
    await lib.whenIndexed();
    expect(size()).toBeGreaterThan(before + INDEX_LATER_CHARS);
    // Committed all along: another connection reads it.
    const other = openLibrary(dir);
    expect(other.text(outcome.documentId!)).toBe(lib.text(outcome.documentId!));
  });

  it('resumes after the process stopped before indexing, and survives an edit or a removal meanwhile', async () => {
    const dir = tempDir();
    const first = Library.open(dir);
    const a = first.storeParsed('a.txt', bigDocument('Alpha')).documentId!;
    const b = first.storeParsed('b.txt', bigDocument('Beta')).documentId!;
    const c = first.storeParsed('c.txt', bigDocument('Gamma')).documentId!;
    // Closed in the same turn: no batch has run (as after a crash right after the import's commit).
    expect(searchRows(first)).toBe(0);
    first.close();

    const lib = openLibrary(dir);
    expect(lib.indexing().map((d) => d.documentId)).toEqual([a, b, c]);
    // An edit to a waiting document writes its changed block's search row; the rest still comes.
    applyEdit(lib, { documentId: a, from: 0, removed: 1, blocks: [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'a zephyr quokka' }], annotations: [] });
    lib.remove(b);
    await lib.whenIndexed();
    expect(lib.indexing()).toEqual([]);
    expect(searchRows(lib)).toBe(blockRows(lib));
    expect(lib.searchPage('quokka').hits.map((h) => [h.documentId, h.blockIndex])).toEqual([[a, 0]]);
    expect(lib.searchPage('Gamma paragraph 7 ', 5).documents.map((d) => d.documentId)).toEqual([c]);
  });
});
