/**
 * The document session against the real handler table and a real library in a temp folder: every
 * command goes through the API, the session's map and events follow it, and undo and redo walk
 * back and forth across highlights, colours, tags, notes and deletions, ending where the library
 * says they end. A slow API shows that commands keep their order and undo waits for them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GlossApi, Method } from '../../src/common/api.js';
import type { Annotation } from '../../src/common/model.js';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { DocumentSession, type SessionApi, type SessionEvent } from '../../src/renderer/session/document-session.js';
import { tempDir } from '../helpers.js';

const libraries: Library[] = [];
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
});

const TEXT = ['The first paragraph holds a claim worth marking.', 'A second paragraph, with a quieter passage in it.'];

/** The renderer's API shape over the real handler table, with each call's name logged. */
function realApi(lib: Library, log: string[] = [], delay = 0): GlossApi {
  const handlers = createHandlers(lib);
  return new Proxy({} as GlossApi, {
    get: (_, method: string) => async (request: unknown) => {
      const { id: _id, documentId: _doc, ...rest } = request as Record<string, unknown>;
      log.push(`${method} ${JSON.stringify(rest)}`);
      if (delay) await new Promise((r) => setTimeout(r, delay * Math.random()));
      const out = await dispatch(handlers, method as Method, request);
      if (!out.ok) throw new Error(out.error.message);
      return out.value;
    },
  });
}

function setup(delay = 0) {
  const lib = Library.open(tempDir('gloss-session-'));
  libraries.push(lib);
  const stored = lib.storeParsed('a.txt', { title: 'A', language: 'en', blocks: TEXT.map((text) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text })) });
  const documentId = stored.documentId!;
  const log: string[] = [];
  const api = realApi(lib, log, delay);
  const session = new DocumentSession(api as SessionApi, lib.get(documentId));
  const events: SessionEvent[] = [];
  session.subscribe((e) => events.push(e));
  const at = (quote: string) => {
    const start = session.text().indexOf(quote);
    return { start, end: start + quote.length };
  };
  /** What the library holds, as the session should. */
  const library = () => lib.annotations(documentId);
  return { lib, documentId, session, events, log, at, library };
}

/** The fields a reader sees, for comparing states. */
const seen = (a: Annotation | undefined) => a && { id: a.id, start: a.start, end: a.end, color: a.color, tags: a.tags, note: a.note, status: a.status };

describe('DocumentSession', () => {
  it('creates, recolours, tags, notes and deletes through the API, emitting each change once with a rising version', async () => {
    const { session, events, at, library } = setup();
    session.load([]);
    const a = await session.create({ ...at('a claim'), color: 'yellow', tags: [], note: '' });
    await session.recolor(a.id, 'green');
    await session.tag(a.id, ['claim/factual']);
    await session.update(a.id, { note: 'worth it' });
    expect(seen(session.get(a.id))).toEqual(seen(library()[0]));
    expect(session.get(a.id)).toMatchObject({ color: 'green', tags: ['claim/factual'], note: 'worth it', exact: 'a claim' });
    await session.delete(a.id);
    expect(session.has(a.id)).toBe(false);
    expect(library()).toEqual([]);
    expect(events.map((e) => [e.origin, e.added.length, e.updated.length, e.removed.length])).toEqual([
      ['load', 0, 0, 0],
      ['command', 1, 0, 0],
      ['command', 0, 1, 0],
      ['command', 0, 1, 0],
      ['command', 0, 1, 0],
      ['command', 0, 0, 1],
    ]);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[2]!.previous.get(a.id)?.color).toBe('yellow');
  });

  it('undoes every step back to nothing and redoes them all, the library agreeing at each step', async () => {
    const { session, at, library } = setup();
    session.load([]);
    const states: ReturnType<typeof library>[] = [library()];
    const a = await session.create({ ...at('a claim'), color: 'yellow', tags: [], note: '' });
    states.push(library());
    const b = await session.create({ ...at('a quieter passage'), color: 'blue', tags: ['mood'], note: '' });
    states.push(library());
    await session.recolor(a.id, 'pink');
    states.push(library());
    await session.tag(a.id, ['claim/factual', 'context']);
    states.push(library());
    await session.update(a.id, { note: 'first' });
    states.push(library());
    await session.delete(b.id);
    states.push(library());

    const compare = (i: number) => {
      const want = states[i]!.map(seen);
      expect(library().map(seen)).toEqual(want);
      expect(session.list().map(seen)).toEqual(want);
    };
    for (let i = states.length - 2; i >= 0; i--) {
      expect(session.canUndo).toBe(true);
      await session.undo();
      compare(i);
    }
    expect(session.canUndo).toBe(false);
    expect(await session.undo()).toBeNull();
    for (let i = 1; i < states.length; i++) {
      await session.redo();
      compare(i);
    }
    expect(session.canRedo).toBe(false);
    // The same ids throughout: undoing a create and redoing it is a tombstone brought back.
    expect(library().map((x) => x.id)).toEqual([a.id]);
    await session.undo();
    expect(library().map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('makes the note typed in pauses one step, and a new command forgets what was undone', async () => {
    const { session, at, library } = setup();
    session.load([]);
    const a = await session.create({ ...at('a claim'), color: 'yellow', tags: [], note: '' });
    await session.update(a.id, { note: 'w' });
    await session.update(a.id, { note: 'wor' });
    await session.update(a.id, { note: 'word' });
    await session.undo();
    expect(library()[0]?.note).toBe('');
    await session.redo();
    expect(library()[0]?.note).toBe('word');
    await session.undo();
    await session.recolor(a.id, 'blue');
    expect(session.canRedo).toBe(false);
    await session.undo();
    expect(library()[0]).toMatchObject({ color: 'yellow', note: '' });
    await session.undo();
    expect(library()).toEqual([]);
  });

  it('restores a deletion that is not the last step alone, out of order', async () => {
    const { session, at, library } = setup();
    session.load([]);
    const a = await session.create({ ...at('a claim'), color: 'yellow', tags: [], note: '' });
    await session.delete(a.id);
    const b = await session.create({ ...at('a quieter passage'), color: 'blue', tags: [], note: '' });
    await session.restore(a.id);
    expect(library().map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    // The deletion left the history: undo now takes back the second highlight, then the first.
    await session.undo();
    expect(library().map((x) => x.id)).toEqual([a.id]);
    await session.undo();
    expect(library()).toEqual([]);
  });

  it('keeps the order of commands given without waiting, and undo waits for them', async () => {
    const { session, at, library, log } = setup(15);
    session.load([]);
    const made = session.create({ ...at('a claim'), color: 'yellow', tags: [], note: '' });
    const a = await made;
    const calls = [session.recolor(a.id, 'green'), session.tag(a.id, ['x']), session.update(a.id, { note: 'n' }), session.recolor(a.id, 'purple')];
    expect(session.pending).toBe(4);
    const undone = session.undo();
    await Promise.all(calls);
    await undone;
    expect(library()[0]).toMatchObject({ color: 'green', tags: ['x'], note: 'n' });
    // Sent in the order given, each after the one before was answered, whatever the delays.
    expect(log.slice(-5)).toEqual([
      'annotations.update {"color":"green"}',
      'annotations.update {"tags":["x"]}',
      'annotations.update {"note":"n"}',
      'annotations.update {"color":"purple"}',
      'annotations.update {"color":"green"}',
    ]);
    expect(session.pending).toBe(0);
    expect(seen(session.get(a.id))).toEqual(seen(library()[0]));
  });

  it('takes saves from edit mode without recording them, emitting only what changed', async () => {
    const { lib, session, events, at, documentId } = setup();
    const a = lib.annotate(documentId, { quote: 'a claim' }, {});
    const b = lib.annotate(documentId, { quote: 'a quieter passage' }, {});
    session.load(lib.annotations(documentId));
    const moved = { ...b, start: b.start + 1, end: b.end + 1 };
    events.length = 0;
    session.absorb([a, moved], true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ origin: 'saved', added: [], updated: [moved], removed: [] });
    session.absorb([moved], true);
    expect(events[1]).toMatchObject({ origin: 'saved', removed: [a] });
    expect(session.canUndo).toBe(false);
    expect(session.list()).toEqual([moved]);
    // A save sent before a highlight was made answers without it: the highlight stays.
    const sent = session.version;
    const made = await session.create({ ...at('a claim'), color: 'pink', tags: [], note: '' });
    const recoloured = await session.recolor(moved.id, 'purple');
    session.absorb([moved], true, undefined, sent);
    expect(session.list().map((x) => x.id).sort()).toEqual([made.id, moved.id].sort());
    expect(session.get(moved.id)).toBe(recoloured);
  });

  it('brings back a highlight that edit mode undid, on the range the editor gives', async () => {
    const { lib, session, at, documentId, library } = setup();
    session.recording = false;
    const a = lib.annotate(documentId, { quote: 'claim' }, { note: 'kept' });
    session.load(lib.annotations(documentId));
    await session.delete(a.id, 'editor');
    expect(library()).toEqual([]);
    // Put back on a longer range than the tombstone's (the editor's mark had grown): reattached.
    const range = at('a claim worth');
    const back = await session.returned(a.id, range);
    expect(back).toMatchObject({ id: a.id, note: 'kept', start: range.start, end: range.end, exact: 'a claim worth', status: 'anchored' });
    expect(library().map(seen)).toEqual([seen(back)]);
    expect(session.canUndo).toBe(false);
  });

  it('begins with the first block and its annotations, then takes the whole, keeping what changed meanwhile and the undo history', async () => {
    const { lib, documentId, library } = setup();
    const full = lib.get(documentId);
    const firstEnd = TEXT[0]!.length;
    const kept = lib.annotate(documentId, { quote: 'claim' }, {});
    const gone = lib.annotate(documentId, { quote: 'first' }, {});
    const later = lib.annotate(documentId, { quote: 'quieter' }, {});
    // What opening asks for: the annotations over the first block, then (already under way) all of them.
    const api = realApi(lib);
    const head = await api['annotations.list']({ documentId, start: 0, end: firstEnd });
    expect(head.map((a) => a.id).sort()).toEqual([kept.id, gone.id].sort());
    const all = await api['annotations.list']({ documentId });
    const session = new DocumentSession(api as SessionApi, { ...full, blocks: full.blocks.slice(0, 1) });
    session.load(head);
    const since = session.version;
    const made = await session.create({ start: 4, end: 9, color: 'green', tags: [], note: '' });
    await session.delete(gone.id);
    await session.recolor(kept.id, 'pink');
    const events: SessionEvent[] = [];
    session.subscribe((e) => events.push(e));
    session.extend(all, full.blocks, since);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ origin: 'load', reset: true });
    expect(session.text()).toBe(TEXT.join('\n'));
    expect(session.list().map(seen)).toEqual(library().map(seen));
    expect(session.list().map((a) => a.id)).toEqual([made.id, kept.id, later.id]);
    expect(session.get(kept.id)!.color).toBe('pink');
    // Undo still walks back what was done on the first block alone.
    await session.undo();
    await session.undo();
    expect(session.has(gone.id)).toBe(true);
    expect(session.list().map(seen)).toEqual(library().map(seen));
  });

  it('loads again without losing highlights made while the list was on its way, and emits nothing once closed', async () => {
    const { lib, session, events, at, documentId } = setup();
    const early = await session.create({ ...at('a claim'), color: 'yellow', tags: [], note: '' });
    const other = lib.annotate(documentId, { quote: 'quieter' }, {});
    session.load([other]);
    expect(session.list().map((x) => x.id)).toEqual([early.id, other.id]);
    expect(events.at(-1)).toMatchObject({ origin: 'load', reset: true });
    session.close();
    const count = events.length;
    await session.recolor(early.id, 'pink');
    expect(events).toHaveLength(count);
  });
});
