/**
 * Exports and annotation import against real SQLite: the W3C check over all seeds, code points
 * after astral characters, the CSV and JSON-LD round trips, refusing malformed or foreign files,
 * streaming, and the real command line.
 */
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlossError } from '../../src/common/api.js';
import { safeCell, CSV_BOM } from '../../src/common/export/csv.js';
import { CLOSE, LTR_OPEN, RTL_OPEN } from '../../src/common/export/markdown.js';
import { COLORS, type Annotation } from '../../src/common/model.js';
import { blockAt } from '../../src/common/text/canonical.js';
import { exportAnnotations, streamWriter } from '../../src/main/export/export-service.js';
import { importAnnotationBytes, importAnnotationsFile } from '../../src/main/export/import-annotations.js';
import { Library } from '../../src/main/library.js';
import { glossBin, repoRoot, seedFiles, sharedDir, tempDir } from '../helpers.js';
import { wadmSamples } from '../fixtures/corpus.js';
import { annotationProblems, collectionProblems } from '../fixtures/wadm-musts.js';

const Papa = createRequire(import.meta.url)('papaparse') as { parse(text: string, options?: { header?: boolean; skipEmptyLines?: boolean }): { data: unknown[]; errors: unknown[] } };

// The W3C test suite and its validator live in ../shared; where it is not (a fresh clone), the
// tests that need it are skipped with the reason in their names, and the MUSTs that bear on
// Gloss's output are still checked by tests/fixtures/wadm-musts.ts.
const validator = path.join(sharedDir, 'conformance', 'validate-wadm.cjs');
const hasValidator = fs.existsSync(validator);
const wadmSuite = path.join(sharedDir, 'conformance', 'wadm');
const hasWadmSuite = fs.existsSync(wadmSuite);

const libraries: Library[] = [];
function library(dir = tempDir('gloss-export-')): Library {
  const lib = Library.open(dir);
  libraries.push(lib);
  return lib;
}
afterAll(() => {
  for (const l of libraries.splice(0)) l.close();
});

async function seededLibrary(): Promise<Library> {
  const lib = library();
  const outcomes = await lib.importPaths(seedFiles());
  expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
  return lib;
}

/** A range of `length` characters starting at the first letter of block `i` (or later blocks). */
function rangeIn(lib: Library, docId: number, i: number, length: number, skip = 0): { start: number; end: number } {
  const blocks = lib.get(docId).blocks.filter((b) => b.text.trim().length > length + skip + 4);
  const b = blocks[i % blocks.length]!;
  const first = b.text.search(/\S/) + skip;
  return { start: b.start + first, end: b.start + first + length };
}

/**
 * Annotations on a seed: Hebrew and English notes with quotes, commas and line breaks; nested and
 * Hebrew tags; every colour; overlapping and block-spanning highlights; a repeated quote; an orphan.
 */
function annotateSeed(lib: Library, docId: number): void {
  const text = lib.text(docId);
  const r1 = rangeIn(lib, docId, 1, 12);
  lib.annotate(docId, r1, { tags: ['claim/factual', 'טענה/עובדתית'], note: 'הערה: "ציטוט", עם פסיק\nושורה שנייה', color: 'green' });
  lib.annotate(docId, { start: r1.start + 4, end: r1.end + 6 }, { tags: ['claim'], note: 'Overlaps the first, says "so", and, well,\nbreaks a line', color: 'blue' });
  lib.annotate(docId, rangeIn(lib, docId, 2, 20, 3), { tags: ['claimant'], color: 'pink', note: ' leading and trailing spaces ' });
  // Across the line break between two blocks.
  const nl = text.indexOf('\n', Math.floor(text.length / 2));
  lib.annotate(docId, { start: nl - 5, end: nl + 6 }, { color: 'purple' });
  const word = /[\u05d0-\u05ea]/.test(text) ? 'נתניהו' : 'Putin';
  lib.annotate(docId, { quote: word, nth: 2 }, { tags: ['person/פוטין'], color: 'orange', note: 'שני' });
  for (const [k, color] of COLORS.entries()) lib.annotate(docId, rangeIn(lib, docId, 3 + k, 6, k), { color, note: k % 2 ? `note ${k}` : '' });
  // An orphan: its quote is no longer in the text.
  const at = rangeIn(lib, docId, 4, 5);
  lib.restoreAnnotation({
    id: `0000aaaa-0000-4000-8000-00000000000${docId}`,
    documentId: docId,
    ...at,
    exact: 'a passage that was edited away',
    prefix: 'before ',
    suffix: ' after',
    color: 'yellow',
    note: 'נשאר יתום',
    status: 'orphaned',
    tags: ['lost'],
    created: '2024-01-02T03:04:05.000Z',
    modified: '2024-01-02T03:04:05.000Z',
  });
}

async function exportToString(lib: Library, options: Parameters<typeof exportAnnotations>[1]): Promise<string> {
  let out = '';
  await exportAnnotations(lib, options, (chunk) => {
    out += chunk;
  });
  return out;
}

function allAnnotations(lib: Library): Map<string, Omit<Annotation, 'documentId'> & { hash: string }> {
  const out = new Map<string, Omit<Annotation, 'documentId'> & { hash: string }>();
  for (const d of lib.list()) {
    for (const a of lib.annotations(d.id)) {
      const { documentId: _ignored, ...rest } = a;
      out.set(a.id, { ...rest, hash: d.contentHash });
    }
  }
  return out;
}

/** Everything an import could change, for before/after comparisons. */
function snapshot(lib: Library): string {
  const q = (sql: string) => JSON.stringify(lib.db.prepare(sql).all());
  return [
    q('SELECT * FROM annotations ORDER BY rid'),
    q('SELECT * FROM tags ORDER BY id'),
    q('SELECT * FROM annotation_tags ORDER BY annotation_rid, tag_id'),
    q('SELECT rowid, folded FROM notes_fts ORDER BY rowid'),
  ].join('\n');
}

function writeTemp(name: string, content: string | Uint8Array): string {
  const file = path.join(tempDir('gloss-export-file-'), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('W3C Web Annotation export of the three seeds', () => {
  let lib: Library;
  let file: string;
  beforeAll(async () => {
    lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    file = writeTemp('seeds.jsonld', await exportToString(lib, { format: 'jsonld' }));
  });

  it('passes the data model’s MUSTs checked in the repository (tests/fixtures/wadm-musts.ts), on every machine', () => {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(collectionProblems(data)).toEqual([]);
    expect(data.first.items.length).toBeGreaterThan(30);
  });

  it.skipIf(!hasValidator)(`passes every MUST assertion of the W3C test suite, with the selectors (needs ${validator})`, () => {
    const count = lib.list().reduce((n, d) => n + d.annotationCount, 0);
    expect(count).toBeGreaterThan(30);
    const r = spawnSync(process.execPath, [validator, file, '--selectors'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain(`${count} passed, 0 failed`);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it.skipIf(!hasWadmSuite)(`has a collection and an embedded page that pass the W3C collection and page assertions (needs ${wadmSuite})`, () => {
    const wadm = wadmSuite;
    const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(wadm, p), 'utf8'));
    const ajv = new Ajv({ strict: false, validateSchema: false, logger: false });
    addFormats(ajv);
    for (const f of fs.readdirSync(path.join(wadm, 'definitions')).filter((f) => f.endsWith('.json'))) ajv.addSchema(readJson(path.join('definitions', f)));
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    const failures: string[] = [];
    const check = (suite: string, value: unknown) => {
      for (const name of readJson(suite).assertions as string[]) {
        const schema = readJson(name);
        const validate = ajv.getSchema(schema.id) ?? ajv.compile(schema);
        if ((validate(value) ? 'valid' : 'invalid') !== (schema.expectedResult ?? 'valid')) failures.push(`${suite}: ${name}`);
      }
    };
    check('collections/collectionMusts.test', data);
    check('collections/pages/pageMusts.test', data);
    check('collections/pages/pageMusts.test', { '@context': data['@context'], ...data.first });
    expect(failures).toEqual([]);
    expect(data.total).toBe(data.first.items.length);
  });

  it('carries the Hebrew notes with language and direction, the tags and the colours', () => {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    const items = data.first.items as { body?: { purpose: string; value: string; language?: string; textDirection?: string }[]; target: { styleClass: string; source: string } }[];
    const notes = items.flatMap((a) => (a.body ?? []).filter((b) => b.purpose === 'commenting'));
    expect(notes.find((b) => b.value.startsWith('הערה:'))).toMatchObject({ language: 'he', textDirection: 'rtl' });
    expect(notes.find((b) => b.value.startsWith('Overlaps'))).toMatchObject({ language: 'en', textDirection: 'ltr' });
    expect(items.flatMap((a) => (a.body ?? []).filter((b) => b.purpose === 'tagging').map((b) => b.value))).toContain('טענה/עובדתית');
    expect(new Set(items.map((a) => a.target.styleClass))).toEqual(new Set(COLORS.map((c) => `gloss-${c}`)));
    expect(new Set(items.map((a) => a.target.source))).toEqual(new Set(lib.list().map((d) => `urn:sha256:${d.contentHash}`)));
  });

  it('round-trips into an empty library holding the same texts: same annotations, tags, notes, colours', async () => {
    const fresh = await seededLibrary();
    const report = importAnnotationsFile(fresh, file);
    const before = allAnnotations(lib);
    expect(report).toMatchObject({ total: before.size, added: before.size - 3, orphaned: 3, updated: 0, skipped: 0 });
    const after = allAnnotations(fresh);
    expect(after.size).toBe(before.size);
    for (const [id, a] of before) expect(after.get(id), id).toEqual(a);
    expect(fresh.tags().map((t) => [t.path, t.count])).toEqual(lib.tags().map((t) => [t.path, t.count]));

    // Twice: updated, never doubled.
    const again = importAnnotationsFile(fresh, file);
    expect(again).toMatchObject({ added: 0, orphaned: 0, updated: before.size, skipped: 0 });
    expect(allAnnotations(fresh)).toEqual(after);
  });

  it('updates an annotation with the same id (tags, note, colour, modified) but keeps a newer local copy', async () => {
    const fresh = await seededLibrary();
    importAnnotationsFile(fresh, file);
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [first, second] = data.first.items;
    const id1 = (first.id as string).slice('urn:uuid:'.length);
    const id2 = (second.id as string).slice('urn:uuid:'.length);
    first.body = [{ type: 'TextualBody', purpose: 'tagging', value: 'changed/tag' }, { type: 'TextualBody', purpose: 'commenting', value: 'עודכן' }];
    first.target.styleClass = 'gloss-orange';
    first.modified = '2099-01-01T00:00:00.000Z';
    // The library's copy of the second was edited after the export.
    const local = fresh.updateAnnotation(id2, { note: 'edited here' });
    const report = importAnnotationBytes(fresh, 'changed.jsonld', Buffer.from(JSON.stringify(data.first.items.slice(0, 2))));
    expect(report).toMatchObject({ updated: 1, skipped: 1, added: 0 });
    expect(report.notes[0]!.reason).toContain('newer');
    expect(fresh.annotation(id1)).toMatchObject({ tags: ['changed/tag'], note: 'עודכן', color: 'orange', modified: '2099-01-01T00:00:00.000Z' });
    expect(fresh.annotation(id2)).toEqual(local);
  });

  it('skips annotations whose text is not in the library, and places them with --into', async () => {
    const empty = library();
    const report = importAnnotationsFile(empty, file);
    expect(report.added + report.updated + report.orphaned).toBe(0);
    expect(report.skipped).toBe(report.total);
    expect(report.notes[0]!.reason).toContain('no document in the library has the text urn:sha256:');

    const one = library();
    const hebrewSeed = seedFiles()[0]!;
    await one.importPaths([hebrewSeed]);
    const into = importAnnotationsFile(one, file, { intoDocumentId: 1 });
    expect(into.added + into.orphaned).toBe(into.total);
    const placed = one.annotations(1).filter((a) => a.status === 'anchored');
    for (const a of placed) expect(one.text(1).slice(a.start, a.end)).toBe(a.exact);
  });
});

describe('an astral character before a highlight', () => {
  const content = `Music 𝄞 and faces 😀😀 before the highlight here.\nשלום 𝄞 עולם, והדגשה בעברית כאן.\n`;

  it('counts the TextPositionSelector in code points and imports back to the same UTF-16 offsets', async () => {
    const a = library();
    const src = writeTemp('astral.txt', content);
    expect((await a.importPaths([src]))[0]!.status).toBe('imported');
    const text = a.text(1);
    const en = a.annotate(1, { quote: 'highlight' }, { tags: ['x'] });
    const he = a.annotate(1, { quote: 'והדגשה' }, { note: 'עם 😀 בהערה' });
    const json = JSON.parse(await exportToString(a, { format: 'jsonld' }));
    const items = json.first.items as { id: string; target: { selector: { type: string; start: number; end: number }[] } }[];
    const pos = (id: string) => items.find((i) => i.id === `urn:uuid:${id}`)!.target.selector.find((s) => s.type === 'TextPositionSelector')!;
    expect(pos(en.id)).toMatchObject({ start: en.start - 3, end: en.end - 3 });
    expect(pos(he.id)).toMatchObject({ start: he.start - 4, end: he.end - 4 });
    expect([...text].slice(pos(he.id).start, pos(he.id).end).join('')).toBe('והדגשה');

    const b = library();
    await b.importPaths([src]);
    // Position only (no quote): the code points must land on the same UTF-16 offsets.
    for (const it of items) it.target.selector = it.target.selector.filter((s) => s.type === 'TextPositionSelector');
    const report = importAnnotationBytes(b, 'positions.jsonld', Buffer.from(JSON.stringify(json)));
    expect(report).toMatchObject({ added: 2, orphaned: 0 });
    expect(b.annotation(en.id)).toMatchObject({ start: en.start, end: en.end, exact: 'highlight' });
    expect(b.annotation(he.id)).toMatchObject({ start: he.start, end: he.end, exact: 'והדגשה', note: 'עם 😀 בהערה' });
  });

  it('falls back to the quote, chosen among repeats by prefix and suffix, when the position is off', async () => {
    const b = library();
    await b.importPaths([writeTemp('repeat.txt', 'the word here and 😀 the word there and the word again\n')]);
    const text = b.text(1);
    const second = text.indexOf('word', text.indexOf('word') + 1);
    const anno = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'urn:uuid:12345678-1234-4234-8234-123456789abc',
      type: 'Annotation',
      target: {
        source: 'urn:sha256:' + b.list()[0]!.contentHash,
        selector: [
          { type: 'TextQuoteSelector', exact: 'word', prefix: '😀 the ', suffix: ' there' },
          { type: 'TextPositionSelector', start: 0, end: 4 },
        ],
      },
    };
    expect(importAnnotationBytes(b, 'one.jsonld', Buffer.from(JSON.stringify(anno)))).toMatchObject({ added: 1 });
    expect(b.annotation('12345678-1234-4234-8234-123456789abc')).toMatchObject({ start: second, end: second + 4, status: 'anchored' });
  });
});

describe("another tool's annotations", () => {
  it('imports a page of annotations with bodyValue, plain ids and no colour; twice without doubling', async () => {
    const lib = await seededLibrary();
    const [he, en] = lib.list();
    const page = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'AnnotationPage',
      items: [
        {
          '@context': 'http://www.w3.org/ns/anno.jsonld',
          id: 'http://example.org/anno/1',
          type: 'Annotation',
          bodyValue: 'A comment from elsewhere',
          target: { source: `urn:sha256:${en!.contentHash}`, selector: { type: 'TextQuoteSelector', exact: 'Vladimir Putin is scheduled' } },
        },
        {
          '@context': 'http://www.w3.org/ns/anno.jsonld',
          id: 'http://example.org/anno/2',
          type: 'Annotation',
          body: [
            { type: 'TextualBody', value: 'הערה', purpose: 'commenting' },
            { type: 'TextualBody', value: 'source/קרמלין', purpose: 'tagging' },
            { type: 'TextualBody', value: 'bad, tag', purpose: 'tagging' },
            'http://example.org/linked-body',
          ],
          target: [{ source: `urn:sha256:${he!.contentHash}`, selector: [{ type: 'TextQuoteSelector', exact: 'הקרמלין', prefix: 'בהודעת ' }] }],
        },
        { '@context': 'http://www.w3.org/ns/anno.jsonld', id: 'http://example.org/anno/3', type: 'Annotation', target: 'http://example.org/page.html' },
        {
          '@context': 'http://www.w3.org/ns/anno.jsonld',
          id: 'http://example.org/anno/4',
          type: 'Annotation',
          target: { source: 'http://example.org/other.html', selector: { type: 'TextQuoteSelector', exact: 'x' } },
        },
      ],
    };
    const bytes = Buffer.from(JSON.stringify(page));
    const report = importAnnotationBytes(lib, 'page.jsonld', bytes);
    expect(report).toMatchObject({ total: 4, added: 2, updated: 0, orphaned: 0, skipped: 2 });
    expect(report.notes.map((n) => n.outcome)).toEqual(['warning', 'skipped', 'skipped']);
    expect(report.notes[1]!.reason).toContain('whole resource');
    expect(report.notes[2]!.reason).toContain('not a Gloss text identity');
    const [a] = lib.annotations(en!.id);
    expect(a).toMatchObject({ note: 'A comment from elsewhere', color: 'yellow', exact: 'Vladimir Putin is scheduled', tags: [] });
    expect(a!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [b] = lib.annotations(he!.id);
    expect(b).toMatchObject({ note: 'הערה', tags: ['source/קרמלין'], exact: 'הקרמלין' });
    expect(lib.text(he!.id).slice(b!.start - 7, b!.start)).toBe('בהודעת ');
    expect(importAnnotationBytes(lib, 'page.jsonld', bytes)).toMatchObject({ added: 0, updated: 2, skipped: 2 });
    expect(lib.annotations(en!.id)).toHaveLength(1);
  });
});

describe('the W3C’s own sample annotations (tests/fixtures/wadm, on every machine)', () => {
  const correct = wadmSamples('correct');
  const incorrect = wadmSamples('incorrect');

  it('the repository’s MUST checker agrees with the W3C: every correct sample passes, every well-formed incorrect one fails', () => {
    expect(correct.length).toBeGreaterThanOrEqual(5);
    for (const s of correct) expect(annotationProblems(JSON.parse(s.text)), s.name).toEqual([]);
    let wellFormed = 0;
    for (const s of incorrect) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s.text);
      } catch {
        continue; // not JSON at all: refused by the importer below
      }
      wellFormed++;
      expect(annotationProblems(parsed), s.name).not.toEqual([]);
    }
    expect(wellFormed).toBeGreaterThanOrEqual(3);
  });

  /** A text holding the passages the samples select (anno26's quote, anno27's positions). */
  async function samplePage(): Promise<{ lib: Library; docId: number; text: string }> {
    const lib = library();
    const filler = Array.from({ length: 30 }, (_, i) => `Filler sentence number ${i + 1} of the sample page.`).join(' ');
    const file = writeTemp('page1.txt', `Page one\n\nthis is an anotation that has some text before the Selected Text and text after it. ${filler}\n`);
    expect((await lib.importPaths([file]))[0]!.status).toBe('imported');
    const docId = lib.list()[0]!.id;
    return { lib, docId, text: lib.text(docId) };
  }

  it('imports the correct samples with --into: a quote is placed on its words, a position on its code points', async () => {
    const { lib, docId, text } = await samplePage();
    const byName = new Map(correct.map((s) => [s.name, s]));
    const quote = importAnnotationBytes(lib, 'anno26.json', Buffer.from(byName.get('anno26.json')!.text), { intoDocumentId: docId });
    expect(quote).toMatchObject({ total: 1, added: 1, skipped: 0 });
    const position = importAnnotationBytes(lib, 'anno27.json', Buffer.from(byName.get('anno27.json')!.text), { intoDocumentId: docId });
    expect(position).toMatchObject({ total: 1, added: 1, skipped: 0 });
    const whole = importAnnotationBytes(lib, 'anno5.json', Buffer.from(byName.get('anno5.json')!.text), { intoDocumentId: docId });
    expect(whole).toMatchObject({ total: 1, added: 0, skipped: 1 });
    const list = lib.annotations(docId);
    expect(list.map((a) => a.exact)).toContain('anotation');
    const placed = list.find((a) => a.exact === 'anotation')!;
    expect(text.slice(placed.start - 'this is an '.length, placed.end + ' that has some'.length)).toBe('this is an anotation that has some');
    // The page is ASCII: code points 412-795 are the same UTF-16 offsets.
    expect(list.find((a) => a.start === 412)).toMatchObject({ end: 795, exact: text.slice(412, 795) });
    // The rest of the samples never land on a wrong passage: they are skipped, or placed on their own words.
    for (const s of correct) {
      const before = lib.annotations(docId).length;
      importAnnotationBytes(lib, s.name, Buffer.from(s.text), { intoDocumentId: docId });
      for (const a of lib.annotations(docId).slice(before)) expect(['anotation', 'Selected Text', text.slice(412, 795), text.slice(6, 27)]).toContain(a.exact);
    }
  });

  it('refuses every incorrect sample with a clear message and changes nothing', async () => {
    const { lib } = await samplePage();
    const before = snapshot(lib);
    const refused = incorrect.filter((s) => {
      try {
        importAnnotationBytes(lib, s.name, Buffer.from(s.text));
        return false;
      } catch (e) {
        expect(e, s.name).toBeInstanceOf(GlossError);
        expect((e as Error).message, s.name).toMatch(new RegExp(`^${s.name.replace('.', '\\.')}: not a W3C Web Annotation file`));
        return true;
      }
    });
    expect(refused.map((s) => s.name)).toEqual(incorrect.map((s) => s.name));
    expect(snapshot(lib)).toBe(before);
  });
});

describe('CSV export', () => {
  it('reads back through a real CSV parser: quotes, commas, line breaks and Hebrew; BOM first', async () => {
    const lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    const csv = await exportToString(lib, { format: 'csv' });
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv.split(CSV_BOM)[1]!.startsWith('document,block index,page,start,end,quote,prefix,suffix,tags,note,colour,created,modified,author\r\n')).toBe(true);
    const parsed = Papa.parse(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data as Record<string, string>[];
    const expected = lib.list().flatMap((d) => lib.annotations(d.id).map((a) => ({ a, d: lib.get(d.id) })));
    expect(rows).toHaveLength(expected.length);
    const byKey = new Map(rows.map((r) => [`${r.document}|${r.created}|${r.quote}|${r.start}`, r]));
    for (const { a, d } of expected) {
      const r = byKey.get(`${d.title}|${a.created}|${a.exact}|${a.start}`);
      expect(r, a.exact).toBeDefined();
      expect(r).toEqual({
        document: d.title,
        'block index': String(blockAt(d.blocks, a.start)!.index),
        page: '',
        start: String(a.start),
        end: String(a.end),
        quote: safeCell(a.exact),
        prefix: safeCell(a.prefix),
        suffix: safeCell(a.suffix),
        tags: a.tags.join('; '),
        note: safeCell(a.note),
        colour: a.color,
        created: a.created,
        modified: a.modified,
        author: '',
      });
    }
    expect(rows.some((r) => r.note.includes('\n') && r.note.includes('"') && r.note.includes(','))).toBe(true);
    expect(rows.some((r) => /[\u05d0-\u05ea]/.test(r.note))).toBe(true);
    expect(rows.some((r) => r.quote.includes('\n'))).toBe(true);
  });
});

describe('refusing files that are not Web Annotations', () => {
  let lib: Library;
  let good: string;
  beforeAll(async () => {
    lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    good = await exportToString(lib, { format: 'jsonld' });
  });

  const cases: [string, () => string | Uint8Array, RegExp][] = [
    ['truncated JSON', () => good.slice(0, good.length / 2), /not JSON/],
    ['a file that is not JSON', () => 'This is a plain text file, not JSON.\n', /not JSON/],
    ['binary bytes', () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]), /not UTF-8 text/],
    ['foreign JSON-LD (schema.org)', () => JSON.stringify({ '@context': 'https://schema.org', '@type': 'Person', name: 'Ada' }), /not an Annotation, AnnotationPage or AnnotationCollection/],
    ['plain JSON without a type', () => JSON.stringify({ annotations: [1, 2, 3] }), /an object without a type/],
    ['an annotation type without the W3C context', () => JSON.stringify({ '@context': 'http://example.org/ctx', type: 'Annotation', id: 'x', target: 'y' }), /@context does not name/],
    [
      'a collection with one malformed annotation among good ones',
      () => {
        const data = JSON.parse(good);
        delete data.first.items[3].target;
        return JSON.stringify(data);
      },
      /annotation 3 \(urn:uuid:[^)]+\) has no target/,
    ],
    [
      'a selector with the wrong types',
      () => {
        const data = JSON.parse(good);
        data.first.items[0].target.selector[1].start = 'ten';
        return JSON.stringify(data);
      },
      /TextPositionSelector's start and end are not whole numbers/,
    ],
    ['a JSON array of numbers', () => '[1, 2, 3]', /item 0 of the array is not an annotation/],
    [
      'a collection whose pages are only linked',
      () => JSON.stringify({ '@context': 'http://www.w3.org/ns/anno.jsonld', id: 'http://example.org/c', type: 'AnnotationCollection', total: 3, first: 'http://example.org/c/page1' }),
      /first page is a link \(http:\/\/example.org\/c\/page1\), not embedded/,
    ],
  ];

  for (const [what, content, reason] of cases) {
    it(`${what}: a clear message, nothing changed`, async () => {
      const fresh = await seededLibrary();
      // Some annotations already there, so that a half-applied import would show.
      importAnnotationBytes(fresh, 'good.jsonld', Buffer.from(good));
      const before = snapshot(fresh);
      const file = writeTemp('input.jsonld', content());
      let error: unknown;
      try {
        importAnnotationsFile(fresh, file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GlossError);
      expect((error as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a W3C Web Annotation file: `));
      expect((error as Error).message).toMatch(reason);
      expect(snapshot(fresh)).toBe(before);
    });
  }
});

describe('streaming', () => {
  it('writes in chunks, reads in batches, and gives the same output however it is cut', async () => {
    const lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    for (const format of ['jsonld', 'csv', 'md', 'html'] as const) {
      const pinned = { format, generated: '2024-06-01T00:00:00.000Z', id: 'urn:uuid:00000000-0000-4000-8000-000000000000' };
      const whole = await exportToString(lib, pinned);
      const chunks: string[] = [];
      await exportAnnotations(lib, { ...pinned, chunkSize: 200, batchSize: 3 }, async (c) => {
        chunks.push(c);
        await new Promise((r) => setImmediate(r));
      });
      expect(chunks.length, format).toBeGreaterThan(5);
      expect(chunks.join(''), format).toBe(whole);
    }
  });

  it('lets the library write while an export waits on its output', async () => {
    const lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    let wrote = 0;
    await exportAnnotations(lib, { format: 'csv', chunkSize: 100, batchSize: 2 }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      if (wrote++ < 3) lib.annotate(1, { start: 10 + wrote, end: 20 }, { note: 'written mid-export' });
    });
    expect(wrote).toBeGreaterThan(3);
  });

  it('honours backpressure on a file stream', async () => {
    const lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    const file = path.join(tempDir(), 'out.jsonld');
    const stream = fs.createWriteStream(file, { highWaterMark: 64 });
    const result = await exportAnnotations(lib, { format: 'jsonld', chunkSize: 128 }, streamWriter(stream));
    await new Promise<void>((r) => stream.end(r));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).total).toBe(result.annotations);
  });

  it('filters by tag, hierarchically (claim includes claim/factual, not claimant)', async () => {
    const lib = await seededLibrary();
    for (const d of lib.list()) annotateSeed(lib, d.id);
    const data = JSON.parse(await exportToString(lib, { format: 'jsonld', tags: ['claim'], documentIds: [2] }));
    const tags = (data.first.items as { body: { purpose: string; value: string }[] }[]).map((a) => a.body.filter((b) => b.purpose === 'tagging').map((b) => b.value));
    expect(tags).toHaveLength(2);
    expect(tags.every((t) => t.some((v) => v === 'claim' || v.startsWith('claim/')))).toBe(true);
    await expect(exportToString(lib, { format: 'csv', tags: ['nosuch'] })).rejects.toThrow(/No tag "nosuch"/);
  });
});

describe('the real command line', () => {
  const data = tempDir('gloss-export-cli-');
  const d = ['--data', data];
  const gloss = (args: string[], dataDir = d) => {
    const r = spawnSync(process.execPath, [glossBin, ...args, ...dataDir], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '' } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(() => {
    if (!fs.existsSync(path.join(repoRoot, 'dist/main/cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run `node scripts/build.mjs` (npm test does)');
    expect(gloss(['list']).code).toBe(0); // seeds the library
    const add = (args: string[]) => expect(gloss(['annotate', ...args]).code).toBe(0);
    add(['1', '--quote', 'נתניהו', '--nth', '1', '--tag', 'claim', '--note', 'הערה, "בעברית"\nשורה']);
    add(['1', '--quote', 'נתניהו', '--nth', '2', '--tag', 'claim/factual', '--color', 'green']);
    add(['1', '--quote', 'פוטין', '--nth', '1', '--tag', 'claimant']);
    add(['2', '--quote', 'Putin', '--nth', '1', '--tag', 'claim/factual/checked', '--note', 'English, with a comma']);
    add(['3', '--quote', 'Putin', '--nth', '2', '--color', 'blue']);
  });

  it('exports JSON-LD to stdout', () => {
    const r = gloss(['export', '--format', 'jsonld']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.total).toBe(5);
    expect(collectionProblems(json)).toEqual([]);
  });

  it.skipIf(!hasValidator)(`its JSON-LD on stdout passes the W3C test suite (needs ${validator})`, () => {
    const r = gloss(['export', '--format', 'jsonld']);
    expect(r.code, r.err).toBe(0);
    const file = writeTemp('cli.jsonld', r.out);
    const v = spawnSync(process.execPath, [validator, file, '--selectors'], { cwd: repoRoot, encoding: 'utf8' });
    expect(v.stdout).toContain('5 passed, 0 failed');
  });

  it('exports CSV of one document with a tag filter to --out (claim includes claim/factual, not claimant)', () => {
    const out = path.join(tempDir(), 'claims.csv');
    const r = gloss(['export', 'בצל', '--format', 'csv', '--tag', 'claim', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('exported 2 annotation(s) from 1 document(s)');
    const rows = Papa.parse(fs.readFileSync(out, 'utf8').slice(1), { header: true, skipEmptyLines: true }).data as Record<string, string>[];
    expect(rows.map((x) => x.tags).sort()).toEqual(['claim', 'claim/factual']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['claims.csv']);
  });

  it('exports Markdown and the HTML report; the format may come from --out', () => {
    const md = gloss(['export', '1', '--format', 'md']);
    expect(md.code, md.err).toBe(0);
    expect(md.out).toContain(`> ${RTL_OPEN}נתניהו${CLOSE}`);
    expect(md.out).toContain(`**Tags:** ${LTR_OPEN}claim${CLOSE}`);
    expect(md.out).not.toMatch(/[\u2066-\u2069]/);
    const out = path.join(tempDir(), 'report.html');
    const html = gloss(['export', '--out', out]);
    expect(html.code, html.err).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<mark class="gloss-green"/);
  });

  it('refuses bad requests without leaving a file', () => {
    const dir = tempDir();
    const out = path.join(dir, 'x.csv');
    const unknownTag = gloss(['export', '--format', 'csv', '--tag', 'nosuch', '--out', out]);
    expect(unknownTag.code).toBe(1);
    expect(unknownTag.err).toContain('No tag "nosuch"');
    const badFormat = gloss(['export', '--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toContain('--format must be one of jsonld, csv, md, html');
    expect(gloss(['export', 'nosuchdocument', '--format', 'csv', '--out', out]).code).toBe(1);
    expect(gloss(['export']).code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('imports annotations back into a fresh library, twice without doubling', () => {
    const exported = gloss(['export', '--format', 'jsonld']);
    const file = writeTemp('all.jsonld', exported.out);
    const other = ['--data', tempDir('gloss-export-cli2-')];
    expect(gloss(['list'], other).code).toBe(0);
    const first = gloss(['import-annotations', file, '--json'], other);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ total: 5, added: 5, updated: 0, orphaned: 0, skipped: 0 });
    const second = gloss(['import-annotations', file], other);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toContain('added 0, updated 5, orphaned 0, skipped 0');
    const list = JSON.parse(gloss(['annotations', '1', '--json'], other).out) as Annotation[];
    expect(list).toHaveLength(3);
    expect(list.find((a) => a.note.startsWith('הערה'))).toMatchObject({ tags: ['claim'], note: 'הערה, "בעברית"\nשורה' });
  });

  it('refuses a file that is not Web Annotations with a clear message and exit 1', () => {
    const file = writeTemp('foreign.json', JSON.stringify({ '@context': 'https://schema.org', '@type': 'Book' }));
    const r = gloss(['import-annotations', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}: not a W3C Web Annotation file: `);
    expect(gloss(['import-annotations']).code).toBe(2);
  });
});
