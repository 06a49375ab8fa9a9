/**
 * The desk's undo history over two real document sessions and a real library: a link made with
 * two new highlights is undone through the sessions (each a delete, taking the link with it) and
 * redone (each an undelete, bringing the same ids and the link back), each step told as a session
 * event; a link between highlights already there, and a removed link, are undone with the link verbs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GlossApi, Method } from '../../src/common/api.js';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import type { BlockHighlight } from '../../src/renderer/pair/block-text.js';
import { sameHighlights } from '../../src/renderer/pair/block-text.js';
import { DeskHistory } from '../../src/renderer/pair/desk-history.js';
import { DocumentSession, type SessionApi, type SessionEvent } from '../../src/renderer/session/document-session.js';
import { tempDir } from '../helpers.js';

const libraries: Library[] = [];
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
});

function realApi(lib: Library): GlossApi {
  const handlers = createHandlers(lib);
  return new Proxy({} as GlossApi, {
    get: (_, method: string) => async (request: unknown) => {
      const out = await dispatch(handlers, method as Method, request);
      if (!out.ok) throw new Error(out.error.message);
      return out.value;
    },
  });
}

function setup() {
  const lib = Library.open(tempDir('gloss-desk-'));
  libraries.push(lib);
  const store = (name: string, language: 'he' | 'en', dir: 'rtl' | 'ltr', text: string) =>
    lib.storeParsed(name, { title: name, language, blocks: [{ kind: 'paragraph' as const, dir, depth: 0, text }] }).documentId!;
  const he = store('he.txt', 'he', 'rtl', 'ויהי בימי שפט השפטים ויהי רעב בארץ');
  const en = store('en.txt', 'en', 'ltr', 'In the days when the judges ruled, there was a famine in the land.');
  const api = realApi(lib);
  const sessions = { source: new DocumentSession(api as SessionApi, lib.get(he)), target: new DocumentSession(api as SessionApi, lib.get(en)) };
  const events: { side: string; e: SessionEvent }[] = [];
  for (const side of ['source', 'target'] as const) sessions[side].subscribe((e) => events.push({ side, e }));
  const range = (session: DocumentSession, quote: string) => {
    const start = session.text().indexOf(quote);
    return { start, end: start + quote.length };
  };
  const links = async () => (await api['links.list']({ documentId: he })).map((l) => `${l.a.annotationId}|${l.b.annotationId}`);
  return { lib, he, en, api, sessions, events, range, links, history: new DeskHistory(api, sessions) };
}

describe('DeskHistory', () => {
  it('undoes and redoes a link with its new highlights through the sessions, same ids, the link with them', async () => {
    const { lib, he, en, api, sessions, events, range, links, history } = setup();
    const a = await sessions.source.create({ ...range(sessions.source, 'ויהי בימי'), color: 'blue' });
    const b = await sessions.target.create({ ...range(sessions.target, 'In the days'), color: 'blue' });
    await api['links.create']({ a: a.id, b: b.id });
    history.record({ kind: 'link', made: [{ side: 'source', id: a.id }, { side: 'target', id: b.id }], link: { a: a.id, b: b.id } });
    expect(await links()).toEqual([`${a.id}|${b.id}`]);
    events.length = 0;

    expect(await history.undo()).toMatchObject({ kind: 'link' });
    // The target's highlight went first, then the source's, each told by its session.
    expect(events.map(({ side, e }) => [side, e.origin, e.removed.map((x) => x.id)])).toEqual([
      ['target', 'undo', [b.id]],
      ['source', 'undo', [a.id]],
    ]);
    expect(sessions.source.size + sessions.target.size).toBe(0);
    expect(lib.annotations(he)).toEqual([]);
    expect(lib.annotations(en)).toEqual([]);
    expect(await links()).toEqual([]);
    expect(history.canUndo).toBe(false);

    events.length = 0;
    expect(await history.redo()).toMatchObject({ kind: 'link' });
    expect(events.map(({ side, e }) => [side, e.origin, e.added.map((x) => x.id)])).toEqual([
      ['source', 'redo', [a.id]],
      ['target', 'redo', [b.id]],
    ]);
    expect(sessions.source.get(a.id)?.start).toBe(a.start);
    expect(lib.annotations(en).map((x) => x.id)).toEqual([b.id]);
    expect(await links()).toEqual([`${a.id}|${b.id}`]);
  });

  it('undoes a link between existing highlights, and a removed link, with the link verbs; a step forgotten is not undone', async () => {
    const { api, sessions, range, links, history } = setup();
    const a = await sessions.source.create({ ...range(sessions.source, 'רעב'), color: 'blue' });
    const b = await sessions.target.create({ ...range(sessions.target, 'famine'), color: 'blue' });
    await api['links.create']({ a: a.id, b: b.id });
    history.record({ kind: 'link', made: [], link: { a: a.id, b: b.id } });
    await api['links.delete']({ a: a.id, b: b.id });
    const unlink = { kind: 'unlink' as const, link: { a: a.id, b: b.id } };
    history.record(unlink);

    await history.undo();
    expect(await links()).toEqual([`${a.id}|${b.id}`]);
    await history.undo();
    expect(await links()).toEqual([]);
    // The highlights were not the link's to take.
    expect(sessions.source.has(a.id) && sessions.target.has(b.id)).toBe(true);
    await history.redo();
    expect(await links()).toEqual([`${a.id}|${b.id}`]);
    // Undone by a toast's Undo: out of the history.
    expect(history.forget(unlink)).toBe(false);
    await history.redo();
    expect(await links()).toEqual([]);
    expect(history.forget(unlink)).toBe(true);
    expect(history.canRedo).toBe(false);
  });

  it('refuses to undo through a session whose last step is not the link\'s highlight', async () => {
    const { sessions, range, history } = setup();
    const a = await sessions.source.create({ ...range(sessions.source, 'ויהי'), color: 'blue' });
    history.record({ kind: 'link', made: [{ side: 'source', id: 'not-' + a.id }], link: null });
    await expect(history.undo()).rejects.toThrow(/history is not the desk's/);
  });
});

describe('sameHighlights', () => {
  const hl = (id: string, from: number, to: number, extra: Partial<BlockHighlight> = {}): BlockHighlight => ({ id, from, to, color: 'blue', layer: 0, linked: false, ...extra });
  it('tells a block drawn the same from one whose highlights moved, changed colour, layer or link', () => {
    expect(sameHighlights(undefined, [])).toBe(true);
    expect(sameHighlights([hl('a', 0, 3)], [hl('a', 0, 3)])).toBe(true);
    expect(sameHighlights([hl('a', 0, 3)], undefined)).toBe(false);
    expect(sameHighlights([hl('a', 0, 3)], [hl('a', 0, 4)])).toBe(false);
    expect(sameHighlights([hl('a', 0, 3)], [hl('a', 0, 3, { color: 'pink' })])).toBe(false);
    expect(sameHighlights([hl('a', 0, 3)], [hl('a', 0, 3, { layer: 1 })])).toBe(false);
    expect(sameHighlights([hl('a', 0, 3)], [hl('a', 0, 3, { linked: true })])).toBe(false);
    expect(sameHighlights([hl('a', 0, 3)], [hl('b', 0, 3)])).toBe(false);
  });
});
