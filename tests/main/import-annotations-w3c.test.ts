/**
 * W3C Web Annotations from other tools, and Gloss's own across texts that differ in form: Recogito's
 * download (no prefix or suffix, its own document address), RecogitoJS (no source at all), an export
 * onto the same pointed text normalised to NFC, a position that names the wrong repeat, `--into`
 * with ids of another document, and the command line's report.
 */
import { Writable } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importAnnotationsCommand } from '../../src/main/cli/import-annotations.js';
import type { CliContext } from '../../src/main/cli/context.js';
import { exportAnnotations } from '../../src/main/export/export-service.js';
import { importAnnotationBytes, importAnnotationsFile } from '../../src/main/export/import-annotations.js';
import { uuidFor } from '../../src/main/export/incoming.js';
import { Library } from '../../src/main/library.js';
import { repoRoot, tempDir } from '../helpers.js';

const fixtures = path.join(repoRoot, 'tests', 'fixtures', 'exchange');
const fixture = (name: string) => path.join(fixtures, name);

const libraries: Library[] = [];
afterAll(() => {
  for (const l of libraries.splice(0)) l.close();
});

async function library(...files: string[]): Promise<Library> {
  const lib = Library.open(tempDir('gloss-w3c-'));
  libraries.push(lib);
  const outcomes = await lib.importPaths(files.map((f) => (path.isAbsolute(f) ? f : fixture(f))));
  expect(outcomes.map((o) => o.status)).toEqual(files.map(() => 'imported'));
  return lib;
}

async function exportJsonld(lib: Library, documentIds?: number[]): Promise<string> {
  let out = '';
  await exportAnnotations(lib, { format: 'jsonld', documentIds }, (chunk) => {
    out += chunk;
  });
  return out;
}

const words = (text: string, line: number) => text.split('\n')[line]!.split(' ');

describe("Recogito's W3C download", () => {
  it('finds the document by its quotes and places NFC quotes without context on the source-order text, the position choosing among repeats', async () => {
    const lib = await library('harbour-page.html', 'ruth-1.txt');
    const ruth = lib.list().find((d) => d.sourceName === 'ruth-1.txt')!;
    const text = lib.text(ruth.id);
    const report = importAnnotationsFile(lib, fixture('recogito-ruth.jsonld'));
    expect(report).toMatchObject({ format: 'w3c', total: 3, added: 3, approximate: 0, orphaned: 0, skipped: 0 });
    expect(report.documents).toEqual([expect.objectContaining({ documentId: ruth.id, matchedBy: 'quote', annotations: 3 })]);

    // בית לחם is in verses 1 and 2; Recogito's position is verse 2's.
    const bethlehem = lib.annotation('6f1b4b8e-3c1a-4a4d-9a0e-2b7f5b8c9d01');
    const v2 = text.split('\n').slice(0, 2).join('\n').length + 1;
    expect(bethlehem.start).toBeGreaterThan(v2);
    expect(bethlehem.exact).toBe(words(text, 2).slice(12, 14).join(' ').slice(2));
    expect(bethlehem.exact.normalize('NFC')).toBe(JSON.parse(fs.readFileSync(fixture('recogito-ruth.jsonld'), 'utf8'))[0].target.selector[1].exact);
    expect(bethlehem).toMatchObject({ author: 'noa', tags: ['place'], note: 'identifying: http://pleiades.stoa.org/places/687915\n\nBethlehem of Judah, as in verse 1', modified: '2024-04-28T16:03:41.000Z' });
    expect(lib.annotation('0b8e2f4a-91c7-4d3e-b5a6-7c8d9e0f1a22')).toMatchObject({ exact: words(text, 3)[3], tags: ['person/woman'], note: 'identifying: PERSON' });
    expect(lib.annotation('c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e63')).toMatchObject({ exact: words(text, 1)[14], author: 'amir' });
  });

  it('RecogitoJS (targets without a source, ids "#uuid"): found by quote, the body creator as author', async () => {
    const lib = await library('ruth-1.txt', 'harbour-page.html');
    const page = lib.list().find((d) => d.sourceName === 'harbour-page.html')!;
    const report = importAnnotationsFile(lib, fixture('recogitojs-harbour.jsonld'));
    expect(report).toMatchObject({ added: 2, skipped: 0 });
    expect(lib.annotation('a88b22d0-6106-4872-9435-c78b5e89fede')).toMatchObject({ documentId: page.id, exact: 'on a calm day there are forty of them', author: 'Ruth B.', tags: ['numbers'], created: '2024-04-02T12:00:00.000Z' });
    expect(lib.annotation('5d3c0b4a-2f1e-4d6c-9b8a-7e6f5d4c3b2a')).toMatchObject({ exact: 'in every colour the hardware shop sells', tags: ['hardware shop'] });
  });
});

describe('the same pointed text in another normal form', () => {
  it('an export made on source-order marks lands every annotation on the NFC copy, on the same words', async () => {
    const a = await library('ruth-1.txt');
    const text = a.text(1);
    const lines = text.split('\n');
    const at = (line: number, word: number, n = 1) => {
      const start = lines.slice(0, line).join('\n').length + 1 + words(text, line).slice(0, word).join(' ').length + (word ? 1 : 0);
      return { start, end: start + words(text, line).slice(word, word + n).join(' ').length };
    };
    const ranges = [at(1, 1, 3), at(1, 9, 2), at(2, 12, 2), at(3, 3), at(4, 6, 2)];
    for (const [i, r] of ranges.entries()) a.annotate(1, r, { tags: [`t${i}`] });
    const before = a.annotations(1);
    // Most quotes change under NFC (a dagesh before its vowel, shin dot before the vowel ...).
    expect(before.filter((x) => x.exact !== x.exact.normalize('NFC')).length).toBeGreaterThanOrEqual(3);
    const file = path.join(tempDir('gloss-w3c-file-'), 'ruth.jsonld');
    fs.writeFileSync(file, await exportJsonld(a));

    const nfcFile = path.join(tempDir('gloss-w3c-nfc-'), 'ruth-nfc.txt');
    fs.writeFileSync(nfcFile, fs.readFileSync(fixture('ruth-1.txt'), 'utf8').normalize('NFC'));
    const b = await library(nfcFile);
    expect(b.list()[0]!.contentHash).not.toBe(a.list()[0]!.contentHash);
    const report = importAnnotationsFile(b, file);
    expect(report).toMatchObject({ total: 5, added: 5, approximate: 0, orphaned: 0 });
    const nfc = b.text(1);
    for (const x of before) {
      const y = b.annotation(x.id);
      expect(y.exact, x.tags[0]).toBe(x.exact.normalize('NFC'));
      // The same place: NFC reorders marks inside letters, so offsets agree.
      expect([y.start, y.end]).toEqual([x.start, x.end]);
      expect(nfc.slice(y.start, y.end)).toBe(y.exact);
    }
  });
});

describe('a position that names the wrong repeat (a tool counting in UTF-16 before an emoji)', () => {
  it('goes where the prefix and suffix are', async () => {
    const file = path.join(tempDir('gloss-w3c-flags-'), 'flags.txt');
    fs.writeFileSync(file, 'Boats 😀 raise their flags at dawn.\nLater the children paint flags on the wall.\n');
    const lib = await library(file);
    const text = lib.text(1);
    const first = text.indexOf('flags');
    const second = text.indexOf('flags', first + 1);
    const anno = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      type: 'Annotation',
      target: {
        source: `urn:sha256:${lib.list()[0]!.contentHash}`,
        selector: [
          { type: 'TextQuoteSelector', exact: 'flags', prefix: 'Later the children paint ', suffix: ' on the wall.' },
          // UTF-16 units where code points were due: one too many, and on the first "flags".
          { type: 'TextPositionSelector', start: first + 1, end: first + 6 },
        ],
      },
    };
    const report = importAnnotationBytes(lib, 'one.jsonld', Buffer.from(JSON.stringify(anno)));
    expect(report).toMatchObject({ added: 1 });
    expect(report.annotations[0]!.how).toMatch(/by its quote and context/);
    expect(lib.annotation('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d')).toMatchObject({ start: second, end: second + 5 });
  });
});

describe('placing: the quote decides, the context tells repeats apart, the position only breaks ties', () => {
  const anno = (id: string, hash: string, quote: Record<string, string>, position?: { start: number; end: number }) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:uuid:${id}`,
    type: 'Annotation',
    target: { source: `urn:sha256:${hash}`, selector: [{ type: 'TextQuoteSelector', ...quote }, ...(position ? [{ type: 'TextPositionSelector', ...position }] : [])] },
  });

  it('an edited passage whose old words stand elsewhere: the close match in its own context wins, reported as approximate', async () => {
    const file = path.join(tempDir('gloss-w3c-edit-'), 'edited.txt');
    fs.writeFileSync(file, 'The harbour master counted the boats at dawn.\nEvery evening she counts the boats again, alone.\n');
    const lib = await library(file);
    const text = lib.text(1);
    const json = anno('1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d', lib.list()[0]!.contentHash, { exact: 'counts the boats', prefix: 'The harbour master ', suffix: ' at dawn.' });
    const report = importAnnotationBytes(lib, 'edited.jsonld', Buffer.from(JSON.stringify(json)));
    expect(report).toMatchObject({ added: 0, approximate: 1 });
    expect(report.notes[0]!.reason).toMatch(/^by an approximate match of its quote in its context \(2 of 16 characters differ; fit 0\.\d\d\), rather than the same words where the context does not fit/);
    expect(lib.annotation('1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d')).toMatchObject({ start: text.indexOf('counted the boats'), exact: 'counted the boats' });
  });

  it('a word that occurs forty times, with no context: the position chooses; without a position the place is flagged uncertain', async () => {
    const file = path.join(tempDir('gloss-w3c-many-'), 'many.txt');
    fs.writeFileSync(file, Array.from({ length: 40 }, (_, i) => `Line ${i + 1}: the flags are up.`).join('\n') + '\n');
    const lib = await library(file);
    const text = lib.text(1);
    const hash = lib.list()[0]!.contentHash;
    let at = -1;
    for (let i = 0; i < 33; i++) at = text.indexOf('flags', at + 1);
    const report = importAnnotationBytes(lib, 'many.jsonld', Buffer.from(JSON.stringify([anno('2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e', hash, { exact: 'flags' }, { start: at, end: at + 5 }), anno('3d4e5f60-7182-4c3d-8e4f-5a6b7c8d9e0f', hash, { exact: 'flags' })])));
    expect(report).toMatchObject({ added: 2 });
    expect(lib.annotation('2c3d4e5f-6071-4b2c-9d3e-4f5a6b7c8d9e').start).toBe(at);
    expect(report.annotations[0]).toMatchObject({ how: 'by its quote; its position chose among 40 places whose context fits alike' });
    expect(report.annotations[0]!.doubtful).toBeUndefined();
    expect(report.annotations[1]).toMatchObject({ doubtful: true, how: 'the quote occurs 40 times and the file gives no context; took the first' });
  });
});

describe('--into DOC with ids that live in another document', () => {
  it('adds copies to DOC and says so; a second import updates the copies; the originals stay', async () => {
    const lib = await library('harbour-page.html', 'ruth-1.txt');
    const page = lib.list().find((d) => d.sourceName === 'harbour-page.html')!;
    const copyFile = path.join(tempDir('gloss-w3c-copy-'), 'harbour-copy.txt');
    fs.writeFileSync(copyFile, lib.text(page.id) + '\nA last line only the copy has.\n');
    await lib.importPaths([copyFile]);
    const copy = lib.list().find((d) => d.sourceName === 'harbour-copy.txt')!;
    const original = lib.annotate(page.id, { quote: 'the breakwater' }, { tags: ['place'], note: 'mole' });
    const file = path.join(tempDir('gloss-w3c-into-'), 'page.jsonld');
    fs.writeFileSync(file, await exportJsonld(lib, [page.id]));

    const report = importAnnotationsFile(lib, file, { intoDocumentId: copy.id });
    expect(report).toMatchObject({ added: 1, updated: 0 });
    expect(report.notes[0]!.reason).toMatch(new RegExp(`^its id belongs to an annotation of document ${page.id}, which is left as it was; added to document ${copy.id} as a copy: by its quote`));
    const [copied] = lib.annotations(copy.id);
    expect(copied).toMatchObject({ exact: 'the breakwater', tags: ['place'], note: 'mole' });
    expect(copied!.id).not.toBe(original.id);
    expect(lib.annotation(original.id)).toEqual(original);
    const again = importAnnotationsFile(lib, file, { intoDocumentId: copy.id });
    expect(again).toMatchObject({ added: 0, updated: 1 });
    expect(lib.annotations(copy.id)).toHaveLength(1);
    expect(uuidFor(copied!.id)).toBe(copied!.id);
  });
});

describe('gloss import-annotations (the command)', () => {
  function context(lib: Library): { ctx: CliContext; out: () => string } {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const ctx: CliContext = {
      dataDir: lib.dataDir,
      json: false,
      stdout: sink,
      stderr: sink,
      library: () => lib,
      print: (line = '') => void (out += line + '\n'),
      printJson: (v) => void (out += JSON.stringify(v)),
      warn: (line) => void (out += line + '\n'),
      close: () => {},
    };
    return { ctx, out: () => out };
  }

  it('prints the format, the counts, each document with how it was found, and every annotation that needs a word', async () => {
    const lib = await library('harbour-page.html');
    const { ctx, out } = context(lib);
    expect(await importAnnotationsCommand(ctx, [fixture('hypothesis-search.json')], {})).toBe(0);
    const text = out();
    expect(text).toContain('(Hypothesis API JSON): 6 annotation(s): added 3, updated 0, orphaned 1, skipped 1; placed approximately 1');
    expect(text).toMatch(/document 1 The harbour at dawn \| Example Gazette: 5 annotation\(s\), found by its URL/);
    expect(text).toMatch(/approximate +https:\/\/hypothes\.is\/a\/Ou7b2yN5Ee6zU4hW6qCt8E: by an approximate match/);
    expect(text).toMatch(/orphaned +https:\/\/hypothes\.is\/a\/Pv8c3zO6Ee60V5iX7rDu9F: its quote is not in the text/);
    const kept = context(lib);
    await importAnnotationsCommand(kept.ctx, [fixture('hypothesis-one.json')], { keepOrphans: true });
    expect(kept.out()).toContain('found by unplaced: the text is not in the library');
  });
});
