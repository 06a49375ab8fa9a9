/**
 * The team server's file with two instances writing to it (two servers sharing a data folder):
 * compacting never drops what the other instance appended or compacted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TeamStore } from '../../src/main/team/server-store.js';
import { tempDir } from '../helpers.js';

const open: TeamStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function store(dir: string): TeamStore {
  const s = new TeamStore(dir);
  open.push(s);
  return s;
}

/** A doc holding `keys`, and each key's own update. */
function docWith(...keys: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const k of keys) doc.getMap('m').set(k, k);
  return { doc, updates };
}

const keysOf = (state: Uint8Array | null) => {
  const d = new Y.Doc();
  if (state) Y.applyUpdate(d, state);
  return Object.keys(d.getMap('m').toJSON()).sort();
};

describe('TeamStore shared by two instances', () => {
  it("keeps the other instance's appended rows and its snapshot when compacting", async () => {
    const dir = tempDir('gloss-team-store-');
    const one = store(dir);
    const two = store(dir);
    const a = docWith('a1', 'a2');
    const b = docWith('b1');
    for (const u of a.updates) one.append('doc', u);
    for (const u of b.updates) two.append('doc', u);
    await Promise.all([one.committed(), two.committed()]);

    // One compacts with a state lacking b1 (it never saw it): b1's row is merged, not dropped.
    one.compact('doc', Y.encodeStateAsUpdate(a.doc));
    expect(keysOf(store(dir).load('doc'))).toEqual(['a1', 'a2', 'b1']);

    // Two compacts with a state lacking a1 and a2: one's snapshot is newer than two's view: merged.
    const more = docWith('b2');
    Y.applyUpdate(more.doc, Y.encodeStateAsUpdate(b.doc));
    two.compact('doc', Y.encodeStateAsUpdate(more.doc));
    expect(keysOf(store(dir).load('doc'))).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect((store(dir).db.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }).n).toBe(0);
  });

  it('alone on its file, takes its state as the snapshot; unflushed updates are written on close', () => {
    const dir = tempDir('gloss-team-store-');
    const one = store(dir);
    const a = docWith('x', 'y');
    for (const u of a.updates) one.append('doc', u);
    one.close();
    expect(keysOf(store(dir).load('doc'))).toEqual(['x', 'y']);
  });
});
