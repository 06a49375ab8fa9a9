/**
 * The sync module between libraries through a Hocuspocus server: offline edits on each library,
 * then a sync each, then the same annotations, tags and tombstones everywhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { join, share, status, sync } from '../../src/main/team/sync.js';
import { updateDocument } from '../../src/main/store/revisions.js';
import { insertPair, listPairs } from '../../src/main/store/pairs.js';
import { tempDir } from '../helpers.js';
import { libraryState, startServerProcess, type RunningServer } from './team-sync-helpers.js';

const TOKEN = 'team-secret-for-tests';
let server: RunningServer;
const open: Library[] = [];

// A server per test: each test's team starts with an empty index and codebook.
beforeEach(async () => {
  server = await startServerProcess(TOKEN);
}, 60_000);
afterEach(async () => {
  for (const l of open.splice(0)) l.close();
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

  async function syncAll(libs: Library[], rounds = 2): Promise<void> {
    for (let r = 0; r < rounds; r++) for (const l of libs) await sync(l, { timeoutMs: 30_000 });
  }

  /** Two members holding one shared text with three annotations, in sync. */
  async function pairOfMembers() {
    const a = member('ada');
    const b = member('ben');
    const doc = importText(a).documentId!;
    const water = a.annotate(doc, { quote: 'claim about water' }, { tags: ['claim'], note: 'Water is wet.' });
    const fire = a.annotate(doc, { quote: 'claim about fire' }, { tags: ['claim', 'element/fire'] });
    const wind = a.annotate(doc, { quote: 'the wind' }, { tags: ['element/air'] });
    share(a, { documentId: doc });
    await syncAll([a, b]);
    expect(libraryState(b)).toEqual(libraryState(a));
    const docB = b.list().find((d) => d.contentHash === a.get(doc).contentHash)!.id;
    return { a, b, doc, docB, water, fire, wind };
  }

  it('an edit and a delete of one annotation at once: the delete wins; undeleting brings the edit back', async () => {
    const { a, b, water } = await pairOfMembers();
    a.updateAnnotation(water.id, { note: 'Water is wet, said Ada.', color: 'blue' });
    b.deleteAnnotation(water.id);
    await syncAll([a, b]);
    expect(() => a.annotation(water.id)).toThrow(/No annotation/);
    expect(libraryState(b)).toEqual(libraryState(a));
    expect((libraryState(a).texts[Object.keys(libraryState(a).texts)[0]!] as { tombstones: string[] }).tombstones).toEqual([water.id]);
    a.undeleteAnnotation(water.id);
    await syncAll([a, b]);
    expect(b.annotation(water.id)).toMatchObject({ note: 'Water is wet, said Ada.', color: 'blue' });
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 120_000);

  it('two people editing one note at once: both edits are kept', async () => {
    const { a, b, water } = await pairOfMembers();
    a.updateAnnotation(water.id, { note: 'Water is wet. (Ada agrees)' });
    b.updateAnnotation(water.id, { note: 'Ben: Water is wet.' });
    await syncAll([a, b]);
    expect(a.annotation(water.id).note).toBe('Ben: Water is wet. (Ada agrees)');
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 120_000);

  it('a tag renamed on one side while used on the other: the use follows the rename', async () => {
    const { a, b, docB, wind } = await pairOfMembers();
    a.renameTag('claim', 'assertion');
    const sea = b.annotate(docB, { quote: 'the sea' }, { tags: ['claim/doubtful'] });
    b.updateAnnotation(wind.id, { tags: ['element/air', 'claim'] });
    await syncAll([a, b]);
    expect(a.annotation(sea.id).tags).toEqual(['assertion/doubtful']);
    expect(a.annotation(wind.id).tags).toEqual(['assertion', 'element/air']);
    expect(a.tags().map((t) => t.path)).not.toContain('claim');
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 120_000);

  it('a tag merged into another on one side: uses elsewhere follow the merge', async () => {
    const { a, b, wind } = await pairOfMembers();
    a.mergeTag('element/air', 'element/fire');
    b.updateAnnotation(wind.id, { tags: ['element/air', 'claim'], note: 'windy' });
    await syncAll([a, b]);
    expect(b.annotation(wind.id).tags).toEqual(['claim', 'element/fire']);
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 120_000);

  it('a tag deleted on one side while added on the other: the new use keeps it, the old uses go', async () => {
    const { a, b, fire, wind } = await pairOfMembers();
    a.deleteTag('element/fire', 'remove');
    b.updateAnnotation(wind.id, { tags: ['element/air', 'element/fire'] });
    await syncAll([a, b]);
    expect(a.annotation(fire.id).tags).toEqual(['claim']);
    expect(a.annotation(wind.id).tags).toEqual(['element/air', 'element/fire']);
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 120_000);

  it('a text updated by one member reaches the others as a new revision, annotations re-anchored', async () => {
    const { a, b, doc, docB, water, fire } = await pairOfMembers();
    // Ada updates the text (as "Update from file" does); Ben, offline, marks a passage in the old text.
    const newText = 'A new opening paragraph comes first.\n' + TEXT.replace('claim about fire', 'claim about burning fire');
    updateDocument(a.db, doc, { title: 'Essay', language: 'en', blocks: newText.split('\n').map((t) => ({ kind: 'paragraph', dir: 'ltr', depth: 0, text: t })) }, new Date().toISOString(), { reason: 'update from essay-2.txt' });
    const sea = b.annotate(docB, { quote: 'wind and the sea' }, { tags: ['element/air'] });
    await syncAll([a, b]);
    expect(b.text(docB)).toBe(newText);
    for (const lib of [a, b]) {
      expect(lib.annotation(water.id)).toMatchObject({ exact: 'claim about water', status: 'anchored' });
      expect(lib.annotation(sea.id)).toMatchObject({ exact: 'wind and the sea', start: newText.indexOf('wind and the sea'), status: 'anchored' });
      expect(lib.annotation(fire.id).status).toBe('anchored');
    }
    expect(b.db.prepare('SELECT count(*) AS n FROM revisions WHERE document_id = ?').get(docB)).toEqual({ n: 1 });
    expect(libraryState(b)).toEqual(libraryState(a));
  }, 120_000);

  it('sharing a pair shares both texts and the pairing; a member holding both gets the pair', async () => {
    const a = member('ada');
    const b = member('ben');
    const source = importText(a).documentId!;
    const target = importText(a, 'translation.txt', 'המשפט הראשון מכיל טענה על מים.\nהשני על אש.\nוהשלישי על הרוח והים.').documentId!;
    const pairId = insertPair(a.db, source, target, 'aligned', new Date().toISOString());
    const out = share(a, { pairId });
    expect(out).toMatchObject({ kind: 'pair', alreadyShared: false });
    expect(status(a).texts).toHaveLength(2);
    await syncAll([a, b]);
    const hashes = [source, target].map((id) => a.get(id).contentHash);
    const onB = hashes.map((h) => b.list().find((d) => d.contentHash === h)!.id);
    expect(listPairs(b.db).map((p) => [p.sourceId, p.targetId])).toEqual([onB]);
    expect(status(b).pairs).toEqual([{ pairUuid: out.id, pairId: listPairs(b.db)[0]!.id }]);
  }, 120_000);
});
