import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { APPLICATION_ID, DB_FILE_NAME, LibraryOpenError, migrate, openDatabase, setLibraryAside } from '../../src/main/store/db.js';
import { LATEST_VERSION } from '../../src/main/store/migrations.js';
import { insertDocument } from '../../src/main/store/documents.js';
import { foldText } from '../../src/common/text/fold.js';
import { seedFiles, tempDir } from '../helpers.js';
import { ruthChapterOne, sharedBook, sharedBookPath, type Verses } from '../fixtures/corpus.js';

const open: Library[] = [];
function library(dir = tempDir()): Library {
  const lib = Library.open(dir);
  open.push(lib);
  return lib;
}
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

function hebrewSeed(lib: Library) {
  return lib.list().find((d) => d.language === 'he')!;
}

describe('opening and migrating', () => {
  it('creates a new library at the latest version with WAL, FULL sync and foreign keys', () => {
    const lib = library();
    expect(lib.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(lib.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  // Each earlier version, filled with data at that version, must migrate to the latest with its data searchable.
  for (let from = 1; from < LATEST_VERSION; from++) {
    it(`migrates a library from version ${from} with its data`, () => {
      const dir = tempDir();
      const file = path.join(dir, DB_FILE_NAME);
      const db = new Database(file);
      migrate(db, from);
      expect(db.pragma('user_version', { simple: true })).toBe(from);
      db.prepare("INSERT INTO documents (id, title, language, source_name, content_hash, imported_at) VALUES (1, 'צה\"ל', 'he', 'x.txt', 'h1', '2026-01-01')").run();
      db.prepare("INSERT INTO blocks (document_id, idx, kind, dir, depth, start, text) VALUES (1, 0, 'paragraph', 'rtl', 0, 0, 'דובר צה\"ל אמר')").run();
      db.prepare("INSERT INTO annotations (id, document_id, start, end, exact, note, created, modified) VALUES ('a1', 1, 0, 4, 'דובר', 'הערה חשובה', 't', 't')").run();
      if (from >= 2) {
        // What that version's code wrote beside the rows: the folded search shadow.
        db.prepare("INSERT INTO blocks_fts (rowid, folded) SELECT id, ? FROM blocks").run(foldText('דובר צה"ל אמר'));
        db.prepare("INSERT INTO notes_fts (rowid, folded) SELECT rid, ? FROM annotations").run(foldText('הערה חשובה'));
      }
      db.close();
      const lib = library(dir);
      expect(lib.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(lib.list().map((d) => d.title)).toEqual(['צה"ל']);
      expect(lib.annotations(1).map((a) => a.id)).toEqual(['a1']);
      expect(lib.search('צה״ל').map((h) => [h.kind, h.start, h.end])).toEqual([['text', 5, 9]]);
      expect(lib.search('חשובה').map((h) => h.annotationId)).toEqual(['a1']);
    });
  }

  it('refuses a damaged file and leaves it byte for byte', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    const junk = Buffer.from('this is not a database at all, just some text that someone saved here\n'.repeat(50));
    fs.writeFileSync(file, junk);
    expect(() => Library.open(dir)).toThrow(LibraryOpenError);
    expect(() => Library.open(dir)).toThrow(/not an SQLite database/);
    expect(fs.readFileSync(file).equals(junk)).toBe(true);
  });

  it('refuses a truncated library file', async () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    await lib.importPaths(seedFiles());
    lib.close();
    const file = path.join(dir, DB_FILE_NAME);
    const bytes = fs.readFileSync(file);
    const damaged = Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(bytes.length - 100, 0x5a)]);
    fs.writeFileSync(file, damaged);
    for (const s of ['-wal', '-shm']) fs.rmSync(file + s, { force: true });
    const err = (() => {
      try {
        Library.open(dir);
      } catch (e) {
        return e as LibraryOpenError;
      }
    })();
    expect(err).toBeInstanceOf(LibraryOpenError);
    expect(err!.problem).toBe('damaged');
    expect(fs.readFileSync(file).equals(damaged)).toBe(true);
  });

  it('refuses a foreign SQLite database and does not touch it', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    const other = new Database(file);
    other.exec('CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES (\'hummus\')');
    other.close();
    const before = fs.readFileSync(file);
    expect(() => Library.open(dir)).toThrow(/some other program/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a library from a newer Gloss instead of downgrading it', () => {
    const dir = tempDir();
    Library.open(dir).close();
    const file = path.join(dir, DB_FILE_NAME);
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => Library.open(dir)).toThrow(/newer Gloss/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    check.close();
  });

  it('sets a file aside only when asked, then starts fresh', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    fs.writeFileSync(file, 'garbage garbage garbage garbage');
    const aside = setLibraryAside(file);
    expect(fs.readFileSync(aside, 'utf8')).toBe('garbage garbage garbage garbage');
    const lib = library(dir);
    expect(lib.list()).toEqual([]);
  });

  it('a failing migration leaves the file at its earlier version', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    const db = new Database(file);
    migrate(db, 1);
    db.exec('CREATE TABLE settings (key TEXT)'); // will make version 2's CREATE TABLE settings fail
    db.close();
    expect(() => openDatabase(file)).toThrow(/already exists/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'blocks_fts'").get()).toEqual({ n: 0 });
    check.close();
  });
});

describe('documents', () => {
  it('imports the seeds once and names the document that already holds a duplicate', async () => {
    const lib = library();
    const first = await lib.importPaths(seedFiles());
    expect(first.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
    const again = await lib.importPaths(seedFiles());
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(again[0]!.message).toContain(`document ${first[0]!.documentId}`);
    expect(lib.list()).toHaveLength(3);
  });

  it('writes a document all or nothing', () => {
    const lib = library();
    const bad = {
      title: 'broken',
      language: 'en' as const,
      blocks: [
        { kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text: 'fine' },
        { kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text: 'a line\nbreak' },
      ],
    };
    expect(() => lib.db.transaction(() => insertDocument(lib.db, bad, 'x.txt', 'now'))()).toThrow(/line break/);
    expect(lib.db.prepare('SELECT count(*) AS n FROM blocks').get()).toEqual({ n: 0 });
    expect(lib.list()).toEqual([]);
  });

  it('removing a document removes its blocks, annotations and search entries', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const he = hebrewSeed(lib);
    lib.annotate(he.id, { quote: 'S-300', nth: 1 }, { tags: ['claim/factual'], note: 'טילים' });
    const texts = () => (lib.db.prepare('SELECT count(*) AS n FROM block_texts').get() as { n: number }).n;
    const blocks = () => (lib.db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n;
    const heBlocks = lib.get(he.id).blocks.length;
    expect(texts()).toBe(blocks());
    const before = texts();
    expect(lib.remove(he.id)).toBe(true);
    // The blocks' texts (their own table since v10) go with them.
    expect(texts()).toBe(before - heBlocks);
    expect(texts()).toBe(blocks());
    expect(lib.search('S-300').filter((h) => h.documentId === he.id)).toEqual([]);
    expect(lib.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 });
    expect(lib.tags().find((t) => t.path === 'claim/factual')?.count).toBe(0);
  });
});

describe('annotations', () => {
  it('round-trips through SQLite with Hebrew notes, tags and colours, across a reopen', async () => {
    const dir = tempDir();
    let lib = Library.open(dir, { now: () => new Date('2026-11-22T10:00:00Z') });
    await lib.importPaths(seedFiles());
    const he = hebrewSeed(lib);
    const text = lib.text(he.id);
    const start = text.indexOf('צה"ל');
    expect(start).toBeGreaterThan(0);
    const made = lib.annotate(he.id, { start, end: start + 4 }, { tags: ['claim/factual', 'actor/idf'], note: 'הערה: צה"ל ו-S-300', color: 'green' });
    lib.close();
    lib = library(dir);
    const [back] = lib.annotations(he.id);
    expect(back).toEqual({
      id: made.id,
      documentId: he.id,
      start,
      end: start + 4,
      exact: 'צה"ל',
      prefix: text.slice(start - 32, start),
      suffix: text.slice(start + 4, start + 36),
      color: 'green',
      note: 'הערה: צה"ל ו-S-300',
      status: 'anchored',
      tags: ['actor/idf', 'claim/factual'],
      created: '2026-11-22T10:00:00.000Z',
      modified: '2026-11-22T10:00:00.000Z',
    });
  });

  it('annotates by quote, asks for --nth on repeats, and rejects ranges outside the text', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const he = hebrewSeed(lib);
    const text = lib.text(he.id);
    const repeated = 'נתניהו';
    const count = text.split(repeated).length - 1;
    expect(count).toBeGreaterThan(1);
    expect(() => lib.annotate(he.id, { quote: repeated })).toThrow(/occurs \d+ times/);
    const second = lib.annotate(he.id, { quote: repeated, nth: 2 });
    expect(second.start).toBe(text.indexOf(repeated, text.indexOf(repeated) + 1));
    expect(() => lib.annotate(he.id, { quote: 'not in this text' })).toThrow(/not in the document/);
    expect(() => lib.annotate(he.id, { start: text.length - 1, end: text.length + 5 })).toThrow(/outside the document/);
    expect(lib.annotations(he.id)).toHaveLength(1);
  });

  it('updates, deletes and restores (undo) an annotation exactly', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const en = lib.list().find((d) => d.title.startsWith('A Growing'))!;
    const a = lib.annotate(en.id, { quote: 'S-300', nth: 1 }, { tags: ['claim'] });
    const updated = lib.updateAnnotation(a.id, { note: 'missiles', color: 'pink', tags: ['claim/factual'] });
    expect([updated.note, updated.color, updated.tags]).toEqual(['missiles', 'pink', ['claim/factual']]);
    const deleted = lib.deleteAnnotation(a.id);
    expect(lib.annotations(en.id)).toEqual([]);
    expect(lib.restoreAnnotation(deleted)).toEqual(deleted);
    expect(lib.search('missiles').filter((h) => h.kind === 'note').map((h) => h.annotationId)).toEqual([a.id]);
  });
});

describe('tags', () => {
  it('keeps a hierarchy: ancestors exist, a filter includes descendants, counts per tag', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const en = lib.list().find((d) => d.title.startsWith('A Growing'))!;
    lib.annotate(en.id, { quote: 'S-300', nth: 1 }, { tags: ['claim/factual'] });
    lib.annotate(en.id, { quote: 'Putin', nth: 1 }, { tags: ['claim/opinion', 'actor'] });
    lib.annotate(en.id, { quote: 'Israel', nth: 1 }, { tags: [' claim / factual '] });
    expect(lib.tags().map((t) => [t.path, t.count])).toEqual([
      ['actor', 1],
      ['claim', 0],
      ['claim/factual', 2],
      ['claim/opinion', 1],
    ]);
    expect(lib.annotations(en.id, 'claim')).toHaveLength(3);
    expect(lib.annotations(en.id, 'claim/factual')).toHaveLength(2);
  });

  it('renames with descendants, nests under a new parent, and merges', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const en = lib.list().find((d) => d.title.startsWith('A Growing'))!;
    const a = lib.annotate(en.id, { quote: 'S-300', nth: 1 }, { tags: ['claim/factual'] });
    const b = lib.annotate(en.id, { quote: 'Putin', nth: 1 }, { tags: ['assertion', 'claim'] });
    expect(lib.renameTag('claim', 'topic/claim')).toBe(2);
    expect(lib.annotation(a.id).tags).toEqual(['topic/claim/factual']);
    expect(lib.mergeTag('assertion', 'topic/claim')).toBe(1);
    expect(lib.annotation(b.id).tags).toEqual(['topic/claim']);
    expect(lib.tags().map((t) => t.path)).toEqual(['topic', 'topic/claim', 'topic/claim/factual']);
    expect(() => lib.renameTag('topic', 'topic/inner')).toThrow(/inside itself/);
    expect(lib.recolorTag('topic', '#ff8800').color).toBe('#ff8800');
  });
});

describe('search with Hebrew folding', () => {
  it('finds צה"ל from any spelling of the acronym, with offsets into the original text', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const he = hebrewSeed(lib);
    const text = lib.text(he.id);
    for (const q of ['צהל', 'צה"ל', 'צה״ל']) {
      const hits = lib.search(q).filter((h) => h.documentId === he.id);
      expect(hits.length, q).toBeGreaterThan(0);
      for (const h of hits) expect(text.slice(h.start, h.end)).toBe('צה"ל');
    }
  });

  it('finds Latin runs inside Hebrew and words across the English seeds', async () => {
    const lib = library();
    await lib.importPaths(seedFiles());
    const hits = lib.search('s-300');
    expect(new Set(hits.map((h) => h.documentId)).size).toBeGreaterThanOrEqual(2);
    for (const h of hits) expect(lib.text(h.documentId).slice(h.start, h.end)).toBe('S-300');
    const both = lib.search('Putin Netanyahu');
    expect(both.length).toBeGreaterThan(0);
    for (const h of both) {
      const found = h.ranges.map((r) => lib.text(h.documentId).slice(r.start, r.end).toLowerCase());
      expect(found).toContain('putin');
      expect(found).toContain('netanyahu');
    }
  });

  // Ruth 1 (the repository's fixture) everywhere; the whole book where ../shared/corpora is.
  const ruth = sharedBook('Ruth');
  const sources: [string, Verses | null, number][] = [
    ['Ruth 1, tests/fixtures/wlc', ruthChapterOne(), 5],
    [`the whole book of Ruth (needs ${sharedBookPath('Ruth')})`, ruth, 10],
  ];
  for (const [name, verses, naomiAtLeast] of sources) {
    it.skipIf(!verses)(`finds pointed text from an unpointed query (the Westminster Leningrad Codex): ${name}`, async () => {
      if (!verses) throw new Error('unreachable: skipped without verses');
      const dir = tempDir();
      const file = path.join(dir, 'ruth.txt');
      fs.writeFileSync(file, 'רות\n\n' + verses.map(([, t]) => t).join('\n\n'));
      const lib = library();
      expect((await lib.importPaths([file]))[0]!.status).toBe('imported');
      const doc = lib.list()[0]!;
      const text = lib.text(doc.id);
      const hits = lib.search('בימי שפט השפטים');
      expect(hits).toHaveLength(1);
      // שפט is also inside השפטים: a range inside another is not reported twice.
      expect(hits[0]!.ranges.map((r) => text.slice(r.start, r.end))).toEqual(verses[0]![1].split(' ').slice(1, 4));
      expect(text).toBe(['רות', ...verses.map(([, t]) => t)].join('\n')); // stored as in the source: no NFC, no drift
      // Names recur through the book: each hit maps back onto the pointed word.
      const naomi = lib.search('נעמי', 500);
      expect(naomi.length).toBeGreaterThan(naomiAtLeast);
      for (const h of naomi) for (const r of h.ranges) expect(text.slice(r.start, r.end).replace(/[\u0591-\u05c7]/g, '')).toBe('נעמי');
      // A two-letter query falls back to a scan and still maps back.
      expect(lib.search('רות').length).toBeGreaterThan(0);
    });
  }
});
