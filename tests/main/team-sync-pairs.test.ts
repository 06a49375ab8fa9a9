/**
 * Shared pairs through a real team server: alignment units (confirm, relink), translation
 * drafts edited on two sides (one draft concurrently, offline), and links between annotations
 * within a text and across the pair's two texts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../src/common/api.js';
import { createHandlers } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { LiveTeam } from '../../src/main/team/live.js';
import { LinkService, PairService } from '../../src/main/pairs.js';
import { join, share, sync } from '../../src/main/team/sync.js';
import { getBeads } from '../../src/main/store/pairs.js';
import { tempDir } from '../helpers.js';
import { libraryState, startServerProcess, type RunningServer } from './team-sync-helpers.js';

const TOKEN = 'team-secret-for-pair-tests';
let server: RunningServer;
const open: Library[] = [];

beforeEach(async () => {
  server = await startServerProcess(TOKEN);
}, 60_000);
const sessions: LiveTeam[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const l of open.splice(0)) l.close();
  await server?.stop();
});

function member(name: string): Library {
  const lib = Library.open(tempDir(`gloss-team-pairs-${name}-`));
  open.push(lib);
  join(lib, server.url, TOKEN, name);
  return lib;
}

const paragraphs = (text: string) => text.split('\n').map((t) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text: t }));
const SOURCE = 'In the beginning there was water.\nThen came the fire, bright and hot.\nAt last the wind blew over the sea.';
const TARGET = 'בראשית היו מים.\nאחר כך בא האש, בהירה וחמה.\nולבסוף נשבה הרוח מעל הים.';

async function syncAll(libs: Library[], rounds = 2): Promise<void> {
  for (let r = 0; r < rounds; r++) for (const l of libs) await sync(l, { timeoutMs: 30_000 });
}

/** Everything a shared pair is, keyed by the team's ids: units, the target's blocks, and links by annotation ids. */
function pairState(lib: Library) {
  const row = lib.db.prepare('SELECT pair_uuid, pair_id FROM team_pairs ORDER BY pair_uuid').all() as { pair_uuid: string; pair_id: number }[];
  return row.map((p) => {
    const pair = new PairService(lib).get(p.pair_id);
    const links = (
      lib.db
        .prepare('SELECT x.id AS a, y.id AS b FROM annotation_links l JOIN annotations x ON x.rid = l.a_rid JOIN annotations y ON y.rid = l.b_rid')
        .all() as { a: string; b: string }[]
    )
      .map((l) => [l.a, l.b].sort().join(' '))
      .sort();
    return { uuid: p.pair_uuid, kind: pair.kind, beads: getBeads(lib.db, p.pair_id), source: lib.text(pair.source.id), target: lib.text(pair.target.id), links };
  });
}

describe('team sync of pairs and links', () => {
  it('units confirmed and relinked on two sides, links within a text and across the pair, a link removed', async () => {
    const a = member('ada');
    const b = member('ben');
    const c = member('cy');
    const src = a.storeParsed('water.txt', { title: 'Water', language: 'en', blocks: paragraphs(SOURCE) }).documentId!;
    const tgt = a.storeParsed('mayim.txt', { title: 'מים', language: 'he', blocks: paragraphs(TARGET).map((x) => ({ ...x, dir: 'rtl' as const })) }).documentId!;
    const pairs = new PairService(a);
    const pairId = pairs.create(src, tgt).id;
    pairs.link(pairId, [0], [0]);
    const water = a.annotate(src, { quote: 'there was water' }, { note: 'water' });
    const fire = a.annotate(src, { quote: 'came the fire' });
    const mayim = a.annotate(tgt, { quote: 'היו מים' });
    new LinkService(a).create(water.id, mayim.id);
    new LinkService(a).create(water.id, fire.id);
    expect(share(a, { pairId }).kind).toBe('pair');
    await syncAll([a, b, c]);
    expect(pairState(b)).toEqual(pairState(a));
    expect(pairState(c)).toEqual(pairState(a));
    expect(pairState(b)[0]!.links).toEqual([[water.id, mayim.id].sort().join(' '), [water.id, fire.id].sort().join(' ')].sort());

    // Offline on each side: ada confirms every unit and removes the link within the source;
    // ben relinks units 2 and 3 into one and links fire to its Hebrew passage.
    pairs.confirm(pairId);
    new LinkService(a).delete(water.id, fire.id);
    const pairB = pairState(b)[0]!;
    const pairIdB = (b.db.prepare('SELECT pair_id FROM team_pairs').get() as { pair_id: number }).pair_id;
    new PairService(b).link(pairIdB, [1, 2], [1, 2]);
    const srcB = b.list().find((d) => d.title === 'Water')!.id;
    const tgtB = b.list().find((d) => d.title === 'מים')!.id;
    expect(b.text(srcB)).toBe(pairB.source);
    const esh = b.annotate(tgtB, { quote: 'בא האש' });
    const fireB = b.annotations(srcB).find((x) => x.id === fire.id)!;
    new LinkService(b).create(fireB.id, esh.id);

    await syncAll([a, b, c], 3);
    const state = pairState(a);
    expect(pairState(b)).toEqual(state);
    expect(pairState(c)).toEqual(state);
    expect(libraryState(b)).toEqual(libraryState(a));
    expect(libraryState(c)).toEqual(libraryState(a));
    // Unit 1 confirmed by ada; ben's relink (the last two source blocks with the last two target
    // blocks) holds, confirmed as a link made by hand is.
    expect(state[0]!.beads).toEqual([
      { source: [0], target: [0], confirmed: true },
      { source: [1, 2], target: [1, 2], confirmed: true },
    ]);
    expect(state[0]!.links).toEqual([[water.id, mayim.id].sort().join(' '), [fire.id, esh.id].sort().join(' ')].sort());
  }, 180_000);

  it('translation drafts: a member gets the translation; drafts edited on two sides, one of them concurrently, merge', async () => {
    const a = member('ada');
    const b = member('ben');
    const src = a.storeParsed('water.txt', { title: 'Water', language: 'en', blocks: paragraphs(SOURCE) }).documentId!;
    const pairs = new PairService(a);
    const { pair } = pairs.translate(src, 'he');
    pairs.setBlockText(pair.id, 0, 'בראשית היו מים.');
    const note = a.annotate(pair.target.id, { quote: 'היו מים' }, { note: 'a draft passage' });
    const water = a.annotate(src, { quote: 'there was water' });
    new LinkService(a).create(water.id, note.id);
    share(a, { pairId: pair.id });
    await syncAll([a, b]);
    expect(pairState(b)).toEqual(pairState(a));
    expect(pairState(b)[0]!.kind).toBe('translation');
    expect(pairState(b)[0]!.target).toBe('בראשית היו מים.\n\n');
    expect(libraryState(b)).toEqual(libraryState(a));

    // Offline: ada writes into the first segment's middle and confirms; ben writes at its end
    // and drafts the second segment.
    const pairIdB = (b.db.prepare('SELECT pair_id FROM team_pairs').get() as { pair_id: number }).pair_id;
    pairs.setBlockText(pair.id, 0, 'בראשית, בתחילה, היו מים.');
    pairs.confirm(pair.id, [0]);
    new PairService(b).setBlockText(pairIdB, 0, 'בראשית היו מים רבים.');
    new PairService(b).setBlockText(pairIdB, 1, 'אחר כך בא האש.');

    await syncAll([a, b], 3);
    const state = pairState(a);
    expect(pairState(b)).toEqual(state);
    expect(libraryState(b)).toEqual(libraryState(a));
    expect(state[0]!.target).toBe('בראשית, בתחילה, היו מים רבים.\nאחר כך בא האש.\n');
    expect(state[0]!.beads[0]).toEqual({ source: [0], target: [0], confirmed: true });
    expect(state[0]!.links).toEqual([[water.id, note.id].sort().join(' ')]);
  }, 180_000);

  it('live: a unit confirmed and a draft written in one app show up in the other without a sync being asked for', async () => {
    const live = (name: string): { lib: Library; team: LiveTeam; api: Handlers } => {
      const lib = member(name);
      const team = new LiveTeam(lib, { retryMs: 200, maxRetryMs: 1_000 });
      sessions.push(team);
      return { lib, team, api: createHandlers(lib, team) };
    };
    const until = async <T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = check();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const a = live('ada');
    const b = live('ben');
    const src = a.lib.storeParsed('water.txt', { title: 'Water', language: 'en', blocks: paragraphs(SOURCE) }).documentId!;
    const { pair } = await a.api['pairs.translate']({ documentId: src, lang: 'he' });
    share(a.lib, { pairId: pair.id });
    a.team.start();
    b.team.start();
    await until('ada connected', () => a.team.status().state === 'connected');
    await a.team.syncNow();
    const pairB = await until('the pair on ben', () => (b.lib.db.prepare('SELECT pair_id FROM team_pairs WHERE pair_id IS NOT NULL').get() as { pair_id: number } | undefined)?.pair_id);
    await until('the same pair on both', () => JSON.stringify(pairState(b.lib)) === JSON.stringify(pairState(a.lib)));

    await a.api['pairs.confirm']({ pairId: pair.id, beads: [1] });
    await a.api['pairs.setBlockText']({ pairId: pair.id, blockIndex: 2, text: 'ולבסוף נשבה הרוח.' });
    await until('the confirmation and the draft on ben', () => getBeads(b.lib.db, pairB)[1]?.confirmed && b.lib.text(new PairService(b.lib).get(pairB).target.id).endsWith('ולבסוף נשבה הרוח.'));
    await b.api['pairs.setBlockText']({ pairId: pairB, blockIndex: 0, text: 'בראשית היו מים.' });
    await until('ben\'s draft on ada', () => a.lib.text(pair.target.id).startsWith('בראשית היו מים.'));
    await until('the same pair on both', () => JSON.stringify(pairState(b.lib)) === JSON.stringify(pairState(a.lib)));
    expect(pairState(b.lib)).toEqual(pairState(a.lib));
    expect(pairState(a.lib)[0]!.target).toBe('בראשית היו מים.\n\nולבסוף נשבה הרוח.');
  }, 180_000);
});
