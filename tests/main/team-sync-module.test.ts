/**
 * The sync module between libraries through a Hocuspocus server: offline edits on each library,
 * then a sync each, then the same annotations, tags and tombstones everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { join, share, status, sync } from '../../src/main/team/sync.js';
import { tempDir } from '../helpers.js';
import { libraryState, startServer, type RunningServer } from './team-sync-helpers.js';

const TOKEN = 'team-secret';
let server: RunningServer;
const open: Library[] = [];

beforeAll(async () => {
  server = await startServer(TOKEN);
}, 60_000);
afterAll(async () => {
  for (const l of open) l.close();
  await server?.stop();
});

function member(name: string): Library {
  const lib = Library.open(tempDir(`gloss-team-${name}-`));
  open.push(lib);
  join(lib, server.url, TOKEN, name);
  return lib;
}

const TEXT = 'The first paragraph holds a claim about water.\nThe second paragraph holds a claim about fire.\nA third one is about the wind and the sea.';

function importText(lib: Library, name = 'essay.txt', text = TEXT) {
  return lib.storeParsed(name, { title: 'Essay', language: 'en', blocks: text.split('\n').map((t) => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t })) });
}

describe('team sync through the module', () => {
  it('brings a shared text and its annotations to another library, with ids and authors', async () => {
    const a = member('ada');
    const b = member('ben');
    const doc = importText(a);
    const ann = a.annotate(doc.documentId!, { quote: 'claim about water' }, { tags: ['claim/factual'], note: 'a note', color: 'green' });
    expect(share(a, { documentId: doc.documentId! }).pending).toBeGreaterThan(0);
    const sa = await sync(a, { timeoutMs: 15_000 });
    expect(sa.uploaded).toBe(1);
    expect(status(a).pending).toBe(0);
    const sb = await sync(b, { timeoutMs: 15_000 });
    expect(sb.imported).toBe(1);
    const onB = b.list().find((d) => d.contentHash === a.list().find((x) => x.id === doc.documentId)!.contentHash)!;
    expect(b.annotation(ann.id)).toMatchObject({ documentId: onB.id, exact: 'claim about water', note: 'a note', color: 'green', tags: ['claim/factual'], author: 'ada' });
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 60_000);
});
