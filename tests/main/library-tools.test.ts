/**
 * The library verbs behind the reader's tools: search that tells the truth (total, counts per
 * document, pages), renaming a document, and deleting tags with undo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { tempDir } from '../helpers.js';

const libraries: Library[] = [];
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
});
function library(): Library {
  const lib = Library.open(tempDir('gloss-tools-'));
  libraries.push(lib);
  return lib;
}
const paragraphs = (texts: string[]) => texts.map((text) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text }));

describe('search pages', () => {
  function searchable() {
    const lib = library();
    const a = lib.storeParsed('a.txt', { title: 'Many', language: 'en', blocks: paragraphs(Array.from({ length: 230 }, (_, i) => `Verse ${i}: and Naomi said, return.`)) }).documentId!;
    const b = lib.storeParsed('b.txt', { title: 'Few', language: 'en', blocks: paragraphs(['Naomi went home.', 'Nothing here.', 'Naomi again.']) }).documentId!;
    lib.annotate(b, { quote: 'Nothing' }, { note: 'Naomi is not here' });
    return { lib, a, b };
  }

  it('gives the whole count, the count per document (most first) and pages that cover every hit once', () => {
    const { lib, a, b } = searchable();
    const first = lib.searchPage('naomi', 100, 0);
    expect(first.total).toBe(233);
    expect(first.documents).toEqual([
      { documentId: a, title: 'Many', count: 230 },
      { documentId: b, title: 'Few', count: 3 },
    ]);
    const seen = new Set<string>();
    for (let offset = 0; offset < first.total; offset += 100) {
      const page = lib.searchPage('naomi', 100, offset);
      expect(page.total).toBe(233);
      for (const h of page.hits) {
        const key = `${h.kind}:${h.documentId}:${h.blockIndex}:${h.annotationId}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
        const text = h.kind === 'text' ? lib.text(h.documentId) : lib.annotations(h.documentId).find((x) => x.id === h.annotationId)!.note;
        expect(text.slice(h.start, h.end).toLowerCase()).toBe('naomi');
      }
    }
    expect(seen.size).toBe(233);
    // Text hits in order: the document with most hits, block by block; the note last.
    const all = lib.searchPage('naomi', 500, 0).hits;
    expect(all.slice(0, 3).map((h) => [h.documentId, h.blockIndex])).toEqual([[a, 0], [a, 1], [a, 2]]);
    expect(all[all.length - 1]).toMatchObject({ kind: 'note', documentId: b });
  });

  it('counts a short term (which the trigram index cannot) by checking each candidate', () => {
    const { lib } = searchable();
    const page = lib.searchPage('naomi 1', 10, 0);
    // Verses 1, 10-19, 21, 31, ... 100-199, 201, 210-219, 221: those with a "1".
    const expected = Array.from({ length: 230 }, (_, i) => i).filter((i) => String(i).includes('1')).length;
    expect(page.total).toBe(expected);
    expect(page.hits).toHaveLength(10);
  });
});

describe('renaming a document', () => {
  it('changes the title, tidied, and refuses an empty or unknown one', () => {
    const lib = library();
    const id = lib.storeParsed('x.txt', { title: 'old', language: 'en', blocks: paragraphs(['text']) }).documentId!;
    expect(lib.rename(id, '  רות \t(Ruth)\n').title).toBe('רות (Ruth)');
    expect(lib.list()[0]!.title).toBe('רות (Ruth)');
    expect(() => lib.rename(id, ' \u0007 ')).toThrow(/at least one letter/);
    expect(() => lib.rename(999, 'x')).toThrow(/No document with id 999/);
  });
});

describe('deleting tags', () => {
  function tagged() {
    const lib = library();
    const id = lib.storeParsed('t.txt', { title: 'T', language: 'en', blocks: paragraphs(['one two three four']) }).documentId!;
    const x = lib.annotate(id, { quote: 'one' }, { tags: ['claim/factual'] });
    const y = lib.annotate(id, { quote: 'two' }, { tags: ['claim/factual/strong', 'topic'] });
    lib.recolorTag('claim/factual', '#ff0000');
    lib.annotate(id, { quote: 'three' }, { tags: ['unused/child'] });
    lib.updateAnnotation(lib.annotations(id)[2]!.id, { tags: [] });
    return { lib, id, x, y };
  }
  const tagsOf = (lib: Library, id: number) => lib.annotations(id).map((a) => a.tags);

  it('removes a tag and its subtree from its annotations, and undo puts everything back', () => {
    const { lib, id } = tagged();
    const before = { tags: lib.tags(), on: tagsOf(lib, id) };
    const done = lib.deleteTag('claim/factual', 'remove');
    expect(done).toMatchObject({ tags: 2, annotations: 2 });
    expect(tagsOf(lib, id)).toEqual([[], ['topic'], []]);
    expect(lib.tags().map((t) => t.path)).toEqual(['claim', 'topic', 'unused', 'unused/child']);
    lib.undeleteTags(done.undoId);
    expect({ tags: lib.tags().map(({ id: _id, ...t }) => t), on: tagsOf(lib, id) }).toEqual({ tags: before.tags.map(({ id: _id, ...t }) => t), on: before.on });
    expect(() => lib.undeleteTags(done.undoId)).toThrow(/Nothing to undo/);
  });

  it('moves the annotations to the parent, and undo takes the parent back off', () => {
    const { lib, id } = tagged();
    const done = lib.deleteTag('claim/factual', 'parent');
    expect(tagsOf(lib, id)).toEqual([['claim'], ['claim', 'topic'], []]);
    lib.undeleteTags(done.undoId);
    expect(tagsOf(lib, id)).toEqual([['claim/factual'], ['claim/factual/strong', 'topic'], []]);
  });

  it('clears every unused tag in one action', () => {
    const { lib } = tagged();
    const done = lib.clearUnusedTags();
    expect(done.tags).toBe(2);
    expect(lib.tags().map((t) => t.path)).toEqual(['claim', 'claim/factual', 'claim/factual/strong', 'topic']);
    lib.undeleteTags(done.undoId);
    expect(lib.tags().map((t) => t.path)).toContain('unused/child');
  });
});

describe('a document by ranges of blocks', () => {
  it('gives the head and the blocks asked for, and together the ranges make the whole document', () => {
    const lib = library();
    const id = lib.storeParsed('r.txt', { title: 'R', language: 'en', blocks: paragraphs(Array.from({ length: 25 }, (_, i) => `Paragraph ${i}.`)) }).documentId!;
    const first = lib.getBlocks(id, 0, 10);
    expect(first).toMatchObject({ id, title: 'R', from: 0, total: 25 });
    expect(first.blocks.map((b) => b.index)).toEqual([...Array(10).keys()]);
    const rest = lib.getBlocks(id, 10);
    expect([...first.blocks, ...rest.blocks]).toEqual(lib.get(id).blocks);
    expect(() => lib.getBlocks(999, 0)).toThrow(/No document with id 999/);
  });
});
