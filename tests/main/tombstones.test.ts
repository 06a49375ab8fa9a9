/**
 * Deletes are tombstones: undo asks the library to bring an annotation back (`annotations.undelete`)
 * with its id, stamps, tags, note, author and links, placed again when the text changed since.
 * `annotations.restore`, which put back a record the client built, is gone from the API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { updateDocument } from '../../src/main/store/revisions.js';
import { tempDir } from '../helpers.js';

const libraries: Library[] = [];
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
});

function setup(now?: () => Date) {
  const dir = tempDir('gloss-tomb-');
  const lib = Library.open(dir, now ? { now } : {});
  libraries.push(lib);
  const blocks = (texts: string[]) => texts.map((text) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text }));
  const doc = lib.storeParsed('a.txt', { title: 'A', language: 'en', blocks: blocks(['First paragraph with a claim.', 'Second paragraph, a quiet one.']) });
  const other = lib.storeParsed('b.txt', { title: 'B', language: 'en', blocks: blocks(['Another text entirely.']) });
  return { dir, lib, id: doc.documentId!, otherId: other.documentId!, blocks };
}

describe('tombstones', () => {
  it('undelete brings back the same annotation with its tags, note, stamps and links', () => {
    const { lib, id, otherId } = setup();
    const a = lib.annotate(id, { quote: 'a claim' }, { tags: ['claim/factual'], note: 'note ה', color: 'green' });
    const b = lib.annotate(otherId, { quote: 'Another' });
    lib.db.prepare('INSERT INTO annotation_links (a_rid, b_rid, created) SELECT x.rid, y.rid, ? FROM annotations x, annotations y WHERE x.id = ? AND y.id = ?').run('2026-01-01T00:00:00.000Z', a.id, b.id);
    const gone = lib.deleteAnnotation(a.id);
    expect(gone).toEqual(a);
    expect(lib.annotations(id)).toEqual([]);
    const back = lib.undeleteAnnotation(a.id);
    expect(back).toEqual(a);
    expect(lib.annotations(id)).toEqual([a]);
    const linked = lib.db.prepare('SELECT count(*) AS n FROM annotation_links').get() as { n: number };
    expect(linked.n).toBe(1);
    expect(() => lib.undeleteAnnotation(a.id)).toThrow(/is not deleted/);
  });

  it('places it again by its quote when the text changed since it was deleted, or brings it back detached', () => {
    const { lib, id, blocks } = setup();
    const moved = lib.annotate(id, { quote: 'a quiet one' });
    const lost = lib.annotate(id, { quote: 'with a claim' });
    lib.deleteAnnotation(moved.id);
    lib.deleteAnnotation(lost.id);
    updateDocument(lib.db, id, { title: 'A', language: 'en', blocks: blocks(['A new opening line.', 'Second paragraph, a quiet one.']) }, new Date().toISOString());
    const back = lib.undeleteAnnotation(moved.id);
    expect(back.status).toBe('anchored');
    expect(lib.text(id).slice(back.start, back.end)).toBe('a quiet one');
    const detached = lib.undeleteAnnotation(lost.id);
    expect(detached.status).toBe('orphaned');
    expect(detached.exact).toBe('with a claim');
  });

  it('says when there is nothing to bring back, and forgets tombstones after thirty days', () => {
    let clock = new Date('2026-01-01T00:00:00.000Z');
    const { dir, lib, id } = setup(() => clock);
    expect(() => lib.undeleteAnnotation('4b9c6a8e-0000-4000-8000-000000000000')).toThrow(/No deleted annotation/);
    const a = lib.annotate(id, { quote: 'a claim' });
    lib.deleteAnnotation(a.id);
    lib.close();
    clock = new Date('2026-02-15T00:00:00.000Z');
    const reopened = Library.open(dir, { now: () => clock });
    libraries.push(reopened);
    expect(() => reopened.undeleteAnnotation(a.id)).toThrow(/No deleted annotation/);
  });
});

describe('annotations.restore is gone', () => {
  it('is not a method any more: undo of a delete is annotations.undelete, from the library\'s own tombstone', async () => {
    const { lib, id } = setup();
    const handlers = createHandlers(lib);
    const good = lib.annotate(id, { quote: 'a claim' });
    lib.deleteAnnotation(good.id);
    // A client-built record (here one claiming another passage) is refused as an unknown method.
    const r = await dispatch(handlers, 'annotations.restore', { annotation: { ...good, start: 0, end: 5 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unknown-method');
    expect(lib.annotations(id)).toEqual([]);
    const ok = await dispatch(handlers, 'annotations.undelete', { id: good.id });
    expect(ok.ok).toBe(true);
    expect(lib.annotations(id)).toEqual([good]);
  });
});
