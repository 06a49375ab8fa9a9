/**
 * The live team session (src/main/team/live.ts) of two libraries through a real `gloss team-server`
 * process: a change written through the handler table on one reaches the other's rows, and its
 * `team.changes`, without any sync being asked for; offline, changes wait and go on reconnect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../src/common/api.js';
import { createHandlers } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { LiveTeam } from '../../src/main/team/live.js';
import { join } from '../../src/main/team/sync.js';
import { tempDir } from '../helpers.js';
import { freePort, killAll, startServer, type ServerProcess } from './team-server-harness.js';

const TOKEN = 'team-secret-for-live-tests';
const TEXT = 'The first paragraph holds a claim about water.\nThe second paragraph holds a claim about fire.';
let server: ServerProcess | undefined;
const sessions: LiveTeam[] = [];
const libs: Library[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const l of libs.splice(0)) l.close();
  await server?.stop();
  server = undefined;
  killAll();
});

function member(name: string, url: string): { lib: Library; team: LiveTeam; api: Handlers } {
  const lib = Library.open(tempDir(`gloss-live-${name}-`));
  libs.push(lib);
  join(lib, url, TOKEN, name);
  const team = new LiveTeam(lib, { retryMs: 200, maxRetryMs: 1_000 });
  sessions.push(team);
  return { lib, team, api: createHandlers(lib, team) };
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the live team session', () => {
  it('brings a highlight, a note and a delete from one library to the other as they are written', async () => {
    server = await startServer(tempDir('gloss-live-server-'), ['--token', TOKEN]);
    const a = member('ada', server.url);
    const b = member('ben', server.url);
    const doc = a.lib.storeParsed('essay.txt', { title: 'Essay', language: 'en', blocks: TEXT.split('\n').map((t) => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t })) }).documentId!;
    a.team.start();
    b.team.start();
    await until('ada connected', () => a.team.status().state === 'connected');
    await a.api['team.share']({ documentId: doc });
    // Ben's session sees the index change and brings the text in.
    const docB = await until('the text on ben', () => b.lib.list().find((d) => d.contentHash === a.lib.get(doc).contentHash)?.id);
    await until('both present', () => a.team.status().present.length === 2 && a.team.status().present);
    expect(a.team.status().present).toEqual(['ada', 'ben']);
    const since = b.team.changes(docB).version;

    const made = await a.api['annotations.create']({ documentId: doc, start: 28, end: 45, color: 'yellow' });
    const seen = await until('the highlight on ben', () => b.team.changes(docB, since).annotations?.find((x) => x.id === made.id));
    expect(seen).toMatchObject({ exact: 'claim about water', author: 'ada' });

    // A long poll is answered at the change, not at its end.
    const v1 = b.team.changes(docB).version;
    const asked = Date.now();
    const waiting = b.api['team.changes']({ documentId: docB, since: v1, wait: 25_000 });
    await a.api['annotations.update']({ id: made.id, color: 'green' });
    expect((await waiting).annotations?.find((x) => x.id === made.id)?.color).toBe('green');
    expect(Date.now() - asked).toBeLessThan(20_000);

    const v2 = b.team.changes(docB).version;
    await b.api['annotations.update']({ id: made.id, note: 'Wet, says Ben.' });
    await until('the note on ada', () => a.lib.annotation(made.id).note === 'Wet, says Ben.');
    expect(b.team.changes(docB, v2)).toEqual({ version: v2 });

    const v3 = b.team.changes(docB).version;
    await a.api['annotations.delete']({ id: made.id });
    const gone = await until('the delete on ben', () => b.team.changes(docB, v3).removed);
    expect(gone).toEqual([made.id]);
    await until('nothing pending on ada', () => a.team.status().pending === 0);

    // Sharing a document that is not there: refused, and the session is back as it was.
    await expect(a.api['team.share']({ documentId: 999 })).rejects.toMatchObject({ code: 'document-not-found' });
    await until('ada connected again', () => a.team.status().state === 'connected');
  }, 120_000);

  it('says when the server refuses the token, and keeps trying', async () => {
    server = await startServer(tempDir('gloss-live-server-'), ['--token', TOKEN]);
    const lib = Library.open(tempDir('gloss-live-wrong-'));
    libs.push(lib);
    join(lib, server.url, 'not-the-team-token', 'eve');
    const team = new LiveTeam(lib, { retryMs: 200, maxRetryMs: 1_000 }).start();
    sessions.push(team);
    const s = await until('a refusal', () => team.status().problem && team.status());
    expect(s).toMatchObject({ joined: true, state: expect.stringMatching(/offline|connecting/), present: [], problem: { reason: 'refused' } });
    // The command line's table: no live connection, a one-shot sync on demand.
    const oneShot = createHandlers(lib);
    expect((await oneShot['team.syncNow']({})).problem?.reason).toBe('refused');
    expect(await oneShot['team.changes']({ documentId: 1 })).toEqual({ version: 0 });
  }, 120_000);

  it('keeps changes while the server is away and sends them when it is back', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    const a = member('ada', url);
    const doc = a.lib.storeParsed('essay.txt', { title: 'Essay', language: 'en', blocks: TEXT.split('\n').map((t) => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t })) }).documentId!;
    a.team.start();
    const off = await until('ada offline', () => a.team.status().state === 'offline' && a.team.status());
    expect(off.problem?.reason).toBe('unreachable');
    await a.api['team.share']({ documentId: doc });
    await a.api['annotations.create']({ documentId: doc, start: 28, end: 45, color: 'green' });
    await until('pending updates', () => a.team.status().pending > 0);
    expect(a.team.status().texts).toHaveLength(1);
    // (a server on that port: the session's retries find it)
    server = await startServer(tempDir('gloss-live-server-'), ['--port', String(port), '--token', TOKEN]);
    await until('ada connected', () => a.team.status().state === 'connected', 60_000);
    await until('nothing pending', () => a.team.status().pending === 0);
  }, 120_000);
});
