/**
 * `gloss team-server` as a team meets it: the real process (bin/gloss.cjs) on 127.0.0.1, real
 * HocuspocusProvider clients over `ws`, and the server's own file read back to check what was stored.
 */
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MEMBER_HELLO, contentDocName, textDocName, type ContentBlock, type MemberHello } from '../../src/common/team-protocol.js';
import { TeamStore } from '../../src/main/team/server-store.js';
import { glossBin, tempDir } from '../helpers.js';
import { acked, addMember, connect, contentUpdate, destroyAllClients, killAll, sha256, startServer, synced, until, type Client, type ServerProcess } from './team-server-harness.js';

const TOKEN = 'team-token-for-tests';

/** What the server has stored for a document (its file, read while it runs: WAL). */
function stored(dataDir: string, name: string): Y.Doc {
  const store = new TeamStore(dataDir);
  try {
    const doc = new Y.Doc();
    const state = store.load(name);
    if (state) Y.applyUpdate(doc, state);
    return doc;
  } finally {
    store.close();
  }
}

const annotations = (c: Client | Y.Doc) => ('doc' in c ? c.doc : c).getMap<unknown>('annotations');
const hello = (c: Client): MemberHello | undefined => c.stateless.map((s) => JSON.parse(s) as MemberHello).find((h) => h.type === MEMBER_HELLO);

afterAll(() => {
  destroyAllClients();
  killAll();
});

describe('gloss team-server: one running server', () => {
  let dir: string;
  let server: ServerProcess;
  let alice: string;
  let reader: string;
  beforeAll(async () => {
    dir = tempDir('gloss-team-');
    alice = addMember(dir, 'Alice');
    reader = addMember(dir, 'Rina', true);
    server = await startServer(dir, ['--token', TOKEN]);
  });
  afterAll(async () => {
    destroyAllClients();
    expect(await server.stop()).toBe(0);
  });

  it('two clients on one text converge, each told its verified name, presence showing member names', async () => {
    const name = textDocName(sha256('a text shared by two'));
    const a = connect(server.url, name, alice);
    const b = connect(server.url, name, TOKEN, { memberName: 'Boaz' });
    await Promise.all([synced(a), synced(b)]);
    expect(hello(a)).toEqual({ type: MEMBER_HELLO, name: 'Alice', readOnly: false });
    expect(hello(b)).toEqual({ type: MEMBER_HELLO, name: 'Boaz', readOnly: false });

    // Concurrent: each creates an annotation, then both type into the first one's note.
    const note = new Y.Text('shared note');
    const first = new Y.Map<unknown>([['note', note], ['author', 'Alice']]);
    annotations(a).set('a1', first);
    annotations(b).set('b1', new Y.Map<unknown>([['note', new Y.Text('Boaz')], ['author', 'Boaz']]));
    await until(() => annotations(b).has('a1') && annotations(a).has('b1'), 'both annotations on both sides');
    ((annotations(b).get('a1') as Y.Map<unknown>).get('note') as Y.Text).insert(0, '[B] ');
    note.insert(note.length, ' [A]');
    await until(() => isDeepStrictEqual(a.doc.toJSON(), b.doc.toJSON()) && String((annotations(a).get('a1') as Y.Map<unknown>).get('note')).length === '[B] shared note [A]'.length, 'the two docs to converge');
    expect(String((annotations(a).get('a1') as Y.Map<unknown>).get('note'))).toBe('[B] shared note [A]');
    await Promise.all([acked(a), acked(b)]);
    expect(annotations(stored(dir, name)).toJSON()).toEqual(annotations(a).toJSON());

    // Alice claims to be someone else in her awareness state; Boaz sees her member name.
    a.provider.setAwarenessField('user', { name: 'Mallory' });
    await until(() => (b.provider.awareness!.getStates().get(a.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Alice', "Alice's verified name in Boaz's awareness");
    a.destroy();
    b.destroy();
  });

  it('refuses a wrong token, a missing token and document names outside the scheme', async () => {
    const name = textDocName(sha256('private'));
    expect(await connect(server.url, name, 'not-the-token').authFailure).toBe('unauthorized');
    expect(await connect(server.url, name, null).authFailure).toBe('unauthorized');
    for (const bad of ['notes', 'gloss:content:abc', `gloss:text:${sha256('x').toUpperCase()}`, 'gloss:pair:not-a-uuid', 'gloss:index:extra']) {
      expect(await connect(server.url, bad, TOKEN).authFailure, bad).toBe('bad-document-name');
    }
    await server.waitForLog(/refused a connection to gloss:text:[0-9a-f]{64}: unknown token/);
    await server.waitForLog(/refused a connection to gloss:text:[0-9a-f]{64}: no token/);
    await server.waitForLog(/refused a connection to "notes": not a Gloss team document name/);
    destroyAllClients();
  });

  it("a read-only member reads; its write is refused and never stored", async () => {
    const name = textDocName(sha256('read-only test'));
    const writer = connect(server.url, name, alice);
    await synced(writer);
    annotations(writer).set('kept', 'by Alice');
    await acked(writer);

    const r = connect(server.url, name, reader);
    await synced(r);
    expect(hello(r)).toEqual({ type: MEMBER_HELLO, name: 'Rina', readOnly: true });
    expect(annotations(r).get('kept')).toBe('by Alice');
    annotations(r).set('forged', 'by Rina');
    await server.waitForLog(new RegExp(`refused a write to ${name} from Rina: a read-only member`));
    expect(r.provider.unsyncedChanges).toBeGreaterThan(0);

    // A later change by Alice still flows to everyone; Rina's never does.
    annotations(writer).set('later', 'by Alice');
    await acked(writer);
    await until(() => annotations(r).get('later') === 'by Alice', 'the later change at the reader');
    const fresh = connect(server.url, name, TOKEN);
    await synced(fresh);
    expect(annotations(fresh).toJSON()).toEqual({ kept: 'by Alice', later: 'by Alice' });
    expect(annotations(writer).has('forged')).toBe(false);
    expect(annotations(stored(dir, name)).toJSON()).toEqual({ kept: 'by Alice', later: 'by Alice' });
    destroyAllClients();
  });

  const blocks: ContentBlock[] = [
    { kind: 'heading', dir: 'rtl', depth: 0, text: 'בראשית' },
    { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'בְּרֵאשִׁית בָּרָא אֱלֹהִים' },
    { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'In the beginning' },
  ];

  it('a content doc takes its text once, checked against its hash; identical copies pass, changes are refused', async () => {
    const { hash, update } = contentUpdate(blocks, { title: 'Genesis', language: 'mixed' });
    const name = contentDocName(hash);
    const first = connect(server.url, name, alice);
    await synced(first);
    Y.applyUpdate(first.doc, update);
    await acked(first);

    // Another member shares the same text at the same time: the same bytes, already held: accepted.
    const second = connect(server.url, name, TOKEN, { memberName: 'Boaz' });
    Y.applyUpdate(second.doc, update);
    await acked(second);

    // Any change afterwards is refused and closes that connection.
    first.doc.getArray<ContentBlock>('blocks').push([{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'an added line' }]);
    await server.waitForLog(new RegExp(`refused a change to ${name} from Alice: a shared text's content never changes`));
    first.destroy();
    second.doc.getMap('meta').set('title', 'Renamed');
    await server.waitForLog(new RegExp(`refused a change to ${name} from Boaz`));
    second.destroy();

    const reader = connect(server.url, name, TOKEN);
    await synced(reader);
    expect(reader.doc.getArray('blocks').toJSON()).toEqual(blocks);
    expect(reader.doc.getMap('meta').toJSON()).toEqual({ title: 'Genesis', language: 'mixed' });
    const kept = stored(dir, name);
    expect(kept.getArray('blocks').toJSON()).toEqual(blocks);
    expect(kept.getMap('meta').get('title')).toBe('Genesis');
    destroyAllClients();
  });

  it('refuses a content doc whose text does not hash to its name, and a piecemeal one', async () => {
    const { update } = contentUpdate(blocks, { title: 'Genesis', language: 'mixed' });
    const otherHash = sha256('another text altogether');
    const name = contentDocName(otherHash);
    const c = connect(server.url, name, alice);
    await synced(c);
    Y.applyUpdate(c.doc, update);
    await server.waitForLog(new RegExp(`refused ${name} from Alice: its text hashes to [0-9a-f]{12}…, not to the name's ${otherHash.slice(0, 12)}`));
    c.destroy();

    // Meta alone, blocks to follow: refused (a content doc is written whole).
    const piece = contentDocName(sha256('piecemeal'));
    const p = connect(server.url, piece, alice);
    await synced(p);
    p.doc.getMap('meta').set('title', 'Piecemeal');
    await server.waitForLog(new RegExp(`refused ${piece} from Alice: a content document is written whole`));
    p.destroy();

    for (const n of [name, piece]) {
      const look = connect(server.url, n, TOKEN);
      await synced(look);
      expect(look.doc.getArray('blocks').length, n).toBe(0);
      expect(look.doc.getMap('meta').size, n).toBe(0);
      expect(stored(dir, n).getMap('meta').size).toBe(0);
      look.destroy();
    }
  });
});

describe('gloss team-server: limits', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = tempDir('gloss-team-limits-');
    server = await startServer(dir, ['--token', TOKEN, '--max-message-mb', '1', '--rate', '20']);
  });
  afterAll(async () => {
    destroyAllClients();
    await server.stop();
  });

  it('refuses a message over the size limit; nothing of it is stored', async () => {
    const name = textDocName(sha256('oversize'));
    const c = connect(server.url, name, TOKEN);
    await synced(c);
    annotations(c).set('small', 'fits');
    await acked(c);
    annotations(c).set('huge', 'x'.repeat(1_500_000));
    await server.waitForLog(/closed a connection from .*: a message larger than 1048576 bytes/);
    c.destroy();
    const look = connect(server.url, name, TOKEN);
    await synced(look);
    expect(annotations(look).toJSON()).toEqual({ small: 'fits' });
    expect(annotations(stored(dir, name)).has('huge')).toBe(false);
    look.destroy();
  });

  it('closes a connection sending faster than the rate limit; on reconnect its changes merge, none lost', async () => {
    const name = textDocName(sha256('rate'));
    const c = connect(server.url, name, TOKEN, { memberName: 'Flood' });
    await synced(c);
    // 400 separate transactions: 400 messages, against a bucket of 200 refilled at 20 a second.
    for (let i = 0; i < 400; i++) annotations(c).set(`k${i}`, i);
    await server.waitForLog(/closed Flood's connection: more than 20 messages per second/);
    const look = connect(server.url, name, TOKEN);
    await synced(look);
    await until(() => annotations(look).size === 400, 'all 400 changes after the reconnect', 60_000);
    await acked(c, 60_000);
    expect(annotations(stored(dir, name)).size).toBe(400);
    destroyAllClients();
  });
});

describe('gloss team-server: restarts', () => {
  it('keeps everything across a clean stop, and everything acknowledged across a SIGKILL', async () => {
    const dir = tempDir('gloss-team-restart-');
    const name = textDocName(sha256('durable'));
    let server = await startServer(dir, ['--token', TOKEN]);
    const a = connect(server.url, name, TOKEN);
    await synced(a);
    const note = new Y.Text();
    annotations(a).set('n', note);
    for (let i = 0; i < 50; i++) note.insert(note.length, `${i};`);
    await acked(a);
    a.destroy();
    expect(await server.stop()).toBe(0);
    expect(server.log()).toMatch(/stopped; every document is stored/);

    server = await startServer(dir, ['--token', TOKEN]);
    const b = connect(server.url, name, TOKEN);
    await synced(b);
    const expected = Array.from({ length: 50 }, (_, i) => `${i};`).join('');
    expect(String(annotations(b).get('n'))).toBe(expected);

    // 200 more changes, acknowledged one by one; then SIGKILL before any debounced store.
    const bNote = annotations(b).get('n') as Y.Text;
    for (let i = 0; i < 200; i++) {
      annotations(b).set(`k${i}`, i);
      if (i % 20 === 0) bNote.insert(0, `<${i}>`);
    }
    await acked(b);
    const want = annotations(b).toJSON();
    await server.kill();
    b.destroy();

    server = await startServer(dir, ['--token', TOKEN]);
    const c = connect(server.url, name, TOKEN);
    await synced(c);
    expect(annotations(c).toJSON()).toEqual(want);
    expect(Object.keys(want)).toHaveLength(201);
    c.destroy();
    expect(await server.stop()).toBe(0);
  });
});

describe('gloss team-server member', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [glossBin, 'team-server', ...args], { encoding: 'utf8' });

  it('adds, lists and removes members; a removed member is refused; bad input is named', async () => {
    const dir = tempDir('gloss-team-members-');
    const token = addMember(dir, 'Dana');
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    addMember(dir, 'Eli', true);
    const list = JSON.parse(run('member', 'list', '--json', '--data', dir).stdout) as { name: string; readOnly: boolean }[];
    expect(list.map((m) => [m.name, m.readOnly])).toEqual([['Dana', false], ['Eli', true]]);

    const dup = run('member', 'add', 'Dana', '--data', dir);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/there is already a member named "Dana"/);
    const badName = run('member', 'add', '<script>', '--data', dir);
    expect(badName.status).toBe(1);
    expect(badName.stderr).toMatch(/member name "<script>" is not allowed/);
    expect(run('member', 'remove', 'Nobody', '--data', dir).stderr).toMatch(/there is no member named "Nobody"/);
    const noData = run('--port', '0');
    expect(noData.status).toBe(2);
    expect(noData.stderr).toMatch(/--data DIR is required/);
    const badPort = run('--port', 'eighty', '--data', dir);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/--port takes a whole number from 0 to 65535, not "eighty"/);
    const badRedis = run('--redis', 'localhost', '--data', dir);
    expect(badRedis.status).toBe(2);
    expect(badRedis.stderr).toMatch(/--redis takes a URL such as redis:\/\/127.0.0.1:6379, not "localhost"/);
    const noRedis = run('--redis', 'redis://127.0.0.1:1', '--token', 'team-token', '--data', dir);
    expect(noRedis.status).toBe(1);
    expect(noRedis.stderr).toMatch(/cannot reach Redis at redis:\/\/127.0.0.1:1: connect ECONNREFUSED/);
    for (const r of [dup, badName, noData, badPort, badRedis, noRedis]) expect(r.stderr).not.toMatch(/\n\s+at /);

    const server = await startServer(dir);
    const name = textDocName(sha256('members'));
    const ok = connect(server.url, name, token);
    await synced(ok);
    ok.destroy();
    expect(run('member', 'remove', 'Dana', '--data', dir).status).toBe(0);
    expect(await connect(server.url, name, token).authFailure).toBe('unauthorized');
    destroyAllClients();
    expect(await server.stop()).toBe(0);
  });
});
