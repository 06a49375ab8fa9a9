/** Migration v9 and the team tables in store/team.ts, without a server. */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { DB_FILE_NAME, migrate } from '../../src/main/store/db.js';
import * as team from '../../src/main/store/team.js';
import { join, share, status } from '../../src/main/team/sync.js';
import { tempDir } from '../helpers.js';

const open: Library[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});
function library(dir = tempDir()): Library {
  const lib = Library.open(dir);
  open.push(lib);
  return lib;
}
const blocks = (text: string) => text.split('\n').map((t) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text: t }));

describe('team tables (migration v9)', () => {
  it('a version 8 library with data migrates, and can then join a team and share what it held', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DB_FILE_NAME));
    migrate(db, 8);
    db.prepare("INSERT INTO documents (id, title, language, source_name, content_hash, imported_at) VALUES (1, 'Old', 'en', 'old.txt', 'h1', '2026-01-01')").run();
    db.prepare("INSERT INTO blocks (document_id, idx, kind, dir, depth, start, text) VALUES (1, 0, 'paragraph', 'ltr', 0, 0, 'An old text')").run();
    db.prepare("INSERT INTO annotations (id, document_id, start, end, exact, created, modified) VALUES ('a1', 1, 3, 6, 'old', 't', 't')").run();
    db.close();
    const lib = library(dir);
    expect(status(lib)).toEqual({ joined: false, texts: [], pairs: [], pending: 0 });
    join(lib, 'http://127.0.0.1:8420', 'a-token-here', 'ada');
    expect(team.getConnection(lib.db)).toMatchObject({ url: 'ws://127.0.0.1:8420', member: 'ada', lastSync: null });
    const out = share(lib, { documentId: 1 });
    expect(out).toMatchObject({ kind: 'text', id: 'h1', title: 'Old', alreadyShared: false });
    expect(out.pending).toBeGreaterThan(0);
    // The shared annotation got the member's name.
    expect(lib.annotation('a1').author).toBe('ada');
    expect(share(lib, { documentId: 1 }).alreadyShared).toBe(true);
  });

  it('pending updates and Yjs state survive closing the library; a removed document leaves its shared row', () => {
    const dir = tempDir();
    let lib = library(dir);
    join(lib, 'ws://127.0.0.1:8420', 'a-token-here', 'ada');
    const doc = lib.storeParsed('t.txt', { title: 'T', language: 'en', blocks: blocks('one two three') }).documentId!;
    lib.annotate(doc, { quote: 'two' }, { note: 'n' });
    share(lib, { documentId: doc });
    const pending = team.pendingUpdates(lib.db);
    lib.close();
    lib = library(dir);
    expect(team.pendingUpdates(lib.db)).toEqual(pending);
    expect(team.docState(lib.db, 'gloss:index')).toBeInstanceOf(Uint8Array);
    lib.remove(doc);
    expect(team.sharedTexts(lib.db)).toMatchObject([{ documentId: null }]);
  });

  it('tag renames are logged for the team only when the library is in one', () => {
    const lib = library();
    const doc = lib.storeParsed('t.txt', { title: 'T', language: 'en', blocks: blocks('one two three') }).documentId!;
    lib.annotate(doc, { quote: 'two' }, { tags: ['claim'] });
    lib.renameTag('claim', 'assertion');
    expect(team.tagRenames(lib.db)).toEqual([]);
    join(lib, 'ws://127.0.0.1:8420', 'a-token-here', 'ada');
    lib.renameTag('assertion', 'thesis');
    expect(team.tagRenames(lib.db)).toMatchObject([{ from: 'assertion', to: 'thesis' }]);
  });

  it('refuses a bad address, an empty token and an empty name, naming them', () => {
    const lib = library();
    expect(() => join(lib, 'not a url', 't')).toThrow(/"not a url" is not a server address/);
    expect(() => join(lib, 'ftp://example.org', 't')).toThrow(/must start with ws:\/\/ or wss:\/\//);
    expect(() => join(lib, 'ws://127.0.0.1:1', '  ')).toThrow(/token is empty/);
    expect(() => join(lib, 'ws://127.0.0.1:1', 't', ' ')).toThrow(/member name is empty/);
    expect(status(lib).joined).toBe(false);
    expect(() => share(lib, { documentId: 1 })).toThrow(/has not joined a team/);
  });
});
