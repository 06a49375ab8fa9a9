/**
 * Scale-out: two `gloss team-server --redis URL` processes and one real redis-server started here
 * (own port, own folder). Clients connected to different instances converge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
import { textDocName } from '../../src/common/team-protocol.js';
import { tempDir } from '../helpers.js';
import { REDIS_SERVER, acked, connect, destroyAllClients, killAll, sha256, startRedis, startServer, synced, until, type ServerProcess } from './team-server-harness.js';

const hasRedis = REDIS_SERVER !== undefined;
const TOKEN = 'team-token-for-redis-tests';

describe('gloss team-server --redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let one: ServerProcess;
  let two: ServerProcess;
  // Both instances keep one data folder: each appends what it sees, and compacting merges the
  // other's rows (a restart on the same folder, at the end, finds everything).
  const dataDir = tempDir('gloss-team-shared-');
  beforeAll(async () => {
    if (!hasRedis) return;
    redis = await startRedis(tempDir('gloss-redis-'));
    [one, two] = await Promise.all([startServer(dataDir, ['--token', TOKEN, '--redis', redis.url]), startServer(dataDir, ['--token', TOKEN, '--redis', redis.url])]);
  });
  afterAll(async () => {
    destroyAllClients();
    for (const s of [one, two]) if (s && s.proc.exitCode === null) await s.stop();
    await redis?.stop();
    killAll();
  });

  const title = 'clients on two instances converge, presence included';
  if (!hasRedis) console.log('skipped: redis-server is not installed (apt-get install redis-server)');
  it.skipIf(!hasRedis)(hasRedis ? title : `${title} (skipped: redis-server is not installed)`, async () => {
    const name = textDocName(sha256('scaled out'));
    const a = connect(one.url, name, TOKEN, { memberName: 'Ada' });
    const b = connect(two.url, name, TOKEN, { memberName: 'Ben' });
    await Promise.all([synced(a), synced(b)]);
    const ann = (d: Y.Doc) => d.getMap<unknown>('annotations');
    for (let i = 0; i < 100; i++) {
      ann(a.doc).set(`a${i}`, i);
      ann(b.doc).set(`b${i}`, i);
    }
    const note = new Y.Text('both type here');
    ann(a.doc).set('note', note);
    await until(() => ann(b.doc).has('note'), 'the note at the other instance');
    (ann(b.doc).get('note') as Y.Text).insert(0, 'Ben: ');
    note.insert(note.length, ' :Ada');
    await until(() => ann(a.doc).size === 201 && isDeepStrictEqual(ann(a.doc).toJSON(), ann(b.doc).toJSON()) && String(ann(a.doc).get('note')).startsWith('Ben: '), 'the two instances\' clients to converge', 60_000);
    expect(String(ann(b.doc).get('note'))).toBe('Ben: both type here :Ada');
    await Promise.all([acked(a), acked(b)]);

    // Presence crosses instances too, with the verified names.
    a.provider.setAwarenessField('user', { name: 'not Ada' });
    await until(() => (b.provider.awareness!.getStates().get(a.doc.clientID)?.user as { name?: string } | undefined)?.name === 'Ada', "Ada's presence at Ben's instance", 60_000);

    // A third client joining the second instance later gets everything.
    const c = connect(two.url, name, TOKEN);
    await synced(c);
    await until(() => ann(c.doc).size === 201, 'the late joiner to hold everything', 60_000);
    expect(ann(c.doc).toJSON()).toEqual(ann(a.doc).toJSON());

    // Both instances stopped (each stores and compacts), one alone on the shared folder has it all.
    const want = ann(a.doc).toJSON();
    destroyAllClients();
    expect(await one.stop()).toBe(0);
    expect(await two.stop()).toBe(0);
    const alone = await startServer(dataDir, ['--token', TOKEN]);
    const d = connect(alone.url, name, TOKEN);
    await synced(d);
    expect(ann(d.doc).toJSON()).toEqual(want);
    d.destroy();
    expect(await alone.stop()).toBe(0);
  });
});
