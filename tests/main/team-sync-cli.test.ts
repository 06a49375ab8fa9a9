/**
 * `gloss team` through the real command line against a real `gloss team-server` process: three
 * libraries with offline edits converge; an unreachable server keeps the pending updates; a
 * client killed in the middle of a sync loses nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { tempDir } from '../helpers.js';
import { gloss, libraryState, startServerProcess, type RunningServer } from './team-sync-helpers.js';

const TOKEN = 'team-token-for-tests';
let server: RunningServer;
const extra: RunningServer[] = [];

beforeAll(async () => {
  server = await startServerProcess(TOKEN);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  for (const s of extra) await s.stop();
});

/** Opens a library for a moment (the way the app would write to it), then closes it. */
function withLibrary<T>(dir: string, fn: (lib: Library) => T): T {
  const lib = Library.open(dir);
  try {
    return fn(lib);
  } finally {
    lib.close();
  }
}

async function ok(args: string[]) {
  const r = await gloss(args);
  expect(r.code, `gloss ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  return r;
}

describe('gloss team', () => {
  it('three libraries edit offline, sync, and end identical', async () => {
    const [a, b, c] = [tempDir('gloss-team-a-'), tempDir('gloss-team-b-'), tempDir('gloss-team-c-')];
    const file = path.join(tempDir(), 'ruth.txt');
    fs.writeFileSync(file, 'In the days when the judges ruled, there was a famine in the land.\nA man of Bethlehem went to sojourn in the country of Moab.\nהוא ואשתו ושני בניו.\n');
    await ok(['import', file, '--data', a]);
    await ok(['annotate', '1', '--quote', 'famine', '--tag', 'event/famine', '--note', 'The famine.', '--data', a]);
    await ok(['annotate', '1', '--quote', 'Bethlehem', '--tag', 'place', '--data', a]);
    await ok(['annotate', '1', '--quote', 'ושני בניו', '--tag', 'people', '--note', 'שני בנים', '--data', a]);
    for (const [dir, name] of [[a, 'ada'], [b, 'ben'], [c, 'chen']] as const) await ok(['team', 'join', server.url, '--token', TOKEN, '--name', name, '--data', dir]);
    const shared = await ok(['team', 'share', 'ruth', '--data', a]);
    expect(shared.stdout).toMatch(/^shared "ruth" \(text [0-9a-f]{64}\)/);
    expect((await ok(['team', 'sync', '--data', a])).stdout).toMatch(/1 text uploaded/);
    for (const dir of [b, c]) expect((await ok(['team', 'sync', '--data', dir])).stdout).toMatch(/1 new text imported, 3 annotations written/);
    const status = JSON.parse((await ok(['team', 'status', '--json', '--data', b])).stdout);
    expect(status).toMatchObject({ joined: true, member: 'ben', pending: 0, texts: [{ title: 'ruth' }] });

    // Offline, each on its own: create, edit a note, retag, delete, rename a tag.
    const ids = withLibrary(a, (lib) => Object.fromEntries(lib.annotations(1).map((x) => [x.exact, x.id])));
    withLibrary(a, (lib) => {
      lib.annotate(1, { quote: 'Moab' }, { tags: ['place'], note: 'A land east of the Dead Sea.' });
      lib.updateAnnotation(ids['famine']!, { note: 'The famine, by Ada.' });
    });
    withLibrary(b, (lib) => {
      const doc = lib.list()[0]!.id;
      lib.updateAnnotation(ids['Bethlehem']!, { tags: ['place/town'] });
      lib.deleteAnnotation(ids['ושני בניו']!);
      lib.annotate(doc, { quote: 'judges' }, { tags: ['event/famine'] });
    });
    withLibrary(c, (lib) => {
      lib.renameTag('event', 'happening');
      lib.updateAnnotation(ids['famine']!, { note: 'Chen: The famine.' });
    });
    for (const dir of [a, b, c]) expect(JSON.parse((await ok(['team', 'status', '--json', '--data', dir])).stdout).pending).toBe(0);

    for (let round = 0; round < 2; round++) for (const dir of [a, b, c]) await ok(['team', 'sync', '--data', dir]);

    const states = [a, b, c].map((dir) => withLibrary(dir, (lib) => libraryState(lib)));
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    const [text] = Object.values(states[0]!.texts) as { annotations: Record<string, { exact: string; note: string; tags: string[]; author?: string }>; tombstones: string[] }[];
    const byQuote = Object.fromEntries(Object.values(text!.annotations).map((x) => [x.exact, x]));
    expect(Object.keys(byQuote).sort()).toEqual(['Bethlehem', 'Moab', 'famine', 'judges']);
    expect(byQuote['famine']).toMatchObject({ note: 'Chen: The famine, by Ada.', tags: ['happening/famine'], author: 'ada' });
    expect(byQuote['judges']).toMatchObject({ tags: ['happening/famine'], author: 'ben' });
    expect(byQuote['Bethlehem']!.tags).toEqual(['place/town']);
    expect(text!.tombstones).toEqual([ids['ושני בניו']]);
    expect(states[0]!.tags.map((t) => t.path)).not.toContain('event');
  }, 240_000);

  it('an unreachable server: a clear message, exit 1, and the pending updates kept', async () => {
    const dir = tempDir('gloss-team-off-');
    const file = path.join(tempDir(), 'note.txt');
    fs.writeFileSync(file, 'A short text to share while offline.\n');
    await ok(['import', file, '--data', dir]);
    await ok(['annotate', '1', '--quote', 'offline', '--data', dir]);
    // A port nothing listens on: the server's own port after it is gone.
    const gone = await startServerProcess(TOKEN);
    extra.push(gone);
    await gone.stop();
    await ok(['team', 'join', gone.url, '--token', TOKEN, '--name', 'dana', '--data', dir]);
    await ok(['team', 'share', '1', '--data', dir]);
    const before = JSON.parse((await ok(['team', 'status', '--json', '--data', dir])).stdout).pending;
    expect(before).toBeGreaterThan(0);
    const r = await gloss(['team', 'sync', '--timeout', '20', '--data', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^gloss team sync: cannot reach the team server at ${gone.url.replace(/[.]/g, '\\.')}.*Nothing is lost: ${before} pending updates? wait`, 'm'));
    expect(JSON.parse((await ok(['team', 'status', '--json', '--data', dir])).stdout).pending).toBe(before);
  }, 120_000);

  it('a client killed in the middle of a sync loses nothing: the next sync completes', async () => {
    // A team of its own, so that the other library receives exactly this text.
    const own = await startServerProcess(TOKEN);
    extra.push(own);
    const server = own;
    const [a, b] = [tempDir('gloss-team-kill-a-'), tempDir('gloss-team-kill-b-')];
    const file = path.join(tempDir(), 'long.txt');
    const lines = Array.from({ length: 400 }, (_, i) => `Paragraph ${i} says something worth marking, line ${i}.`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await ok(['import', file, '--data', a]);
    await ok(['team', 'join', server.url, '--token', TOKEN, '--name', 'kim', '--data', a]);
    await ok(['team', 'join', server.url, '--token', TOKEN, '--name', 'lev', '--data', b]);
    withLibrary(a, (lib) => {
      for (let i = 0; i < lines.length; i++) lib.annotate(1, { quote: `Paragraph ${i} says` }, { tags: [`para/${i % 7}`], note: `note ${i}` });
    });
    await ok(['team', 'share', 'long', '--data', a]);
    let killed = false;
    const r = await gloss(['team', 'sync', '--data', a], {
      env: { GLOSS_TEAM_DEBUG: '1' },
      onStderr: (text, child) => {
        if (!killed && text.includes('[team] connected')) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    const pending = JSON.parse((await ok(['team', 'status', '--json', '--data', a])).stdout).pending;
    expect(pending).toBeGreaterThan(0);
    await ok(['team', 'sync', '--data', a]);
    expect(JSON.parse((await ok(['team', 'status', '--json', '--data', a])).stdout).pending).toBe(0);
    expect((await ok(['team', 'sync', '--data', b])).stdout).toMatch(/1 new text imported, 400 annotations written/);
    const [sa, sb] = [a, b].map((dir) => withLibrary(dir, (lib) => libraryState(lib)));
    expect(sb).toEqual(sa);
  }, 240_000);

  it('a member token: the server names the author; a read-only member syncs in but its changes stay pending', async () => {
    const own = await startServerProcess(TOKEN);
    extra.push(own);
    const dana = (await ok(['team-server', 'member', 'add', 'Dana Levi', '--data', own.dataDir])).stdout.trim();
    const eli = (await ok(['team-server', 'member', 'add', 'Eli', '--read-only', '--data', own.dataDir])).stdout.trim();
    const [d, e] = [tempDir('gloss-team-dana-'), tempDir('gloss-team-eli-')];
    const file = path.join(tempDir(), 'memo.txt');
    fs.writeFileSync(file, 'A memo about the budget and the schedule.\n');
    await ok(['import', file, '--data', d]);
    await ok(['team', 'join', own.url, '--token', dana, '--name', 'someone-else', '--data', d]);
    await ok(['team', 'share', 'memo', '--data', d]);
    const first = await ok(['team', 'sync', '--data', d]);
    expect(first.stderr).toMatch(/the server knows this member as Dana Levi/);
    await ok(['annotate', '1', '--quote', 'budget', '--data', d]);
    await ok(['team', 'sync', '--data', d]);
    await ok(['team', 'join', own.url, '--token', eli, '--name', 'Eli', '--data', e]);
    expect((await ok(['team', 'sync', '--data', e])).stdout).toMatch(/1 new text imported, 1 annotation written/);
    expect(withLibrary(e, (lib) => lib.annotations(1).map((x) => x.author))).toEqual(['Dana Levi']);
    await ok(['annotate', '1', '--quote', 'schedule', '--data', e]);
    const r = await ok(['team', 'sync', '--timeout', '30', '--data', e]);
    expect(r.stderr).toMatch(/this member may read, not write: \d+ changes? made here stay pending/);
    expect(JSON.parse((await ok(['team', 'status', '--json', '--data', e])).stdout).pending).toBeGreaterThan(0);
    await ok(['team', 'sync', '--data', d]);
    expect(withLibrary(d, (lib) => lib.annotations(1).map((x) => x.exact))).toEqual(['budget']);
  }, 240_000);

  it('a new revision whose content has not reached the server waits: nothing is detached or lost meanwhile', async () => {
    const own = await startServerProcess(TOKEN);
    extra.push(own);
    const [a, b] = [tempDir('gloss-team-rev-a-'), tempDir('gloss-team-rev-b-')];
    const file = path.join(tempDir(), 'draft.txt');
    fs.writeFileSync(file, 'The draft has a first line.\nIt has a second line too.\n');
    await ok(['import', file, '--data', a]);
    await ok(['annotate', '1', '--quote', 'second line', '--data', a]);
    for (const [dir, name] of [[a, 'ada'], [b, 'ben']] as const) await ok(['team', 'join', own.url, '--token', TOKEN, '--name', name, '--data', dir]);
    await ok(['team', 'share', '1', '--data', a]);
    await ok(['team', 'sync', '--data', a]);
    await ok(['team', 'sync', '--data', b]);
    fs.writeFileSync(file, 'A new line opens the draft.\nThe draft has a first line.\nIt has a second line too.\n');
    await ok(['update', '1', file, '--data', a]);
    await ok(['annotate', '1', '--quote', 'new line', '--data', a]);
    // Killed once the server has the new revision's name but before its content was sent: the
    // sync holds there (GLOSS_TEAM_HOLD), so the kill lands there however slow the machine is.
    let killed = false;
    const r = await gloss(['team', 'sync', '--data', a], {
      env: { GLOSS_TEAM_DEBUG: '1', GLOSS_TEAM_HOLD: 'content synced' },
      onStderr: (text, child) => {
        if (!killed && text.includes('[team] holding at content synced')) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    await ok(['annotate', '1', '--quote', 'first line', '--data', b]);
    const waiting = await ok(['team', 'sync', '--data', b]);
    expect(waiting.stderr).toMatch(/the new revision of "draft" has not reached the server intact yet/);
    expect(withLibrary(b, (lib) => lib.annotations(1).map((x) => [x.exact, x.status]))).toEqual([['first line', 'anchored'], ['second line', 'anchored']]);
    await ok(['team', 'sync', '--data', a]);
    expect((await ok(['team', 'sync', '--data', b])).stdout).toMatch(/1 text brought to a new revision/);
    await ok(['team', 'sync', '--data', a]);
    const [sa, sb] = [a, b].map((dir) => withLibrary(dir, (lib) => libraryState(lib)));
    expect(sb).toEqual(sa);
    const [text] = Object.values(sa!.texts) as { text: string; annotations: Record<string, { exact: string; start: number; status: string }> }[];
    expect(text!.text).toBe('A new line opens the draft.\nThe draft has a first line.\nIt has a second line too.');
    expect(Object.values(text!.annotations).map((x) => x.exact).sort()).toEqual(['first line', 'new line', 'second line']);
    for (const x of Object.values(text!.annotations)) expect([x.status, text!.text.slice(x.start, x.start + x.exact.length)]).toEqual(['anchored', x.exact]);
  }, 240_000);
});
