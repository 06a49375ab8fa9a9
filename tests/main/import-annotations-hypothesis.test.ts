/**
 * Hypothesis's own API JSON into the library, with no --into: the search result and the single
 * annotation in tests/fixtures/exchange (written from the API reference), a saved web page and
 * pointed Ruth as the documents. Documents are found by URL, by quote; the quote decides where.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GlossError } from '../../src/common/api.js';
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
  const lib = Library.open(tempDir('gloss-hyp-'));
  libraries.push(lib);
  const outcomes = await lib.importPaths(files.map(fixture));
  expect(outcomes.map((o) => o.status)).toEqual(files.map(() => 'imported'));
  return lib;
}

const hid = (id: string) => uuidFor(`https://hypothes.is/a/${id}`);

describe('a Hypothesis search result ({ total, rows })', () => {
  it('lands every annotation on its words in the page found by its URL; the quote decides, not the position', async () => {
    const lib = await library('harbour-page.html', 'ruth-1.txt');
    const page = lib.list().find((d) => d.sourceName === 'harbour-page.html')!;
    const text = lib.text(page.id);
    const report = importAnnotationsFile(lib, fixture('hypothesis-search.json'));
    expect(report).toMatchObject({ format: 'hypothesis', total: 6, added: 3, approximate: 1, orphaned: 1, skipped: 1, updated: 0 });
    expect(report.documents).toEqual([{ documentId: page.id, title: page.title, matchedBy: 'url', annotations: 5 }]);

    // The position points at the first "flags"; the prefix and suffix name the second.
    const raw = JSON.parse(fs.readFileSync(fixture('hypothesis-search.json'), 'utf8'));
    const pos = raw.rows[0].target[0].selector[1];
    expect(text.slice(pos.start, pos.end)).toBe('flags');
    const second = text.indexOf('flags', text.indexOf('flags') + 1);
    const flags = lib.annotation(hid('Kq3x8uJ1Ee6vQ0dS2mYp4A'));
    expect(flags).toMatchObject({ documentId: page.id, start: second, end: second + 5, status: 'anchored', author: 'dana_k', tags: ['custom', 'people/children'] });
    // The reply is folded into the note, after the Markdown as written.
    expect(flags.note).toBe("The children's **flags**, not the fleet's.\n\n— eli.m (2024-03-15): Agreed: there is a photo of the wall in the print edition.");
    expect(flags).toMatchObject({ created: '2024-03-14T09:26:53.123Z', modified: '2024-03-14T09:31:02.654Z' });

    expect(lib.annotation(hid('Lr4y9vK2Ee6wR1eT3nZq5B'))).toMatchObject({ exact: 'counts the boats as they pass the breakwater', tags: ['people/harbour master'] });
    // A typo in the quote: placed approximately, on the sentence it meant, and said so.
    const typo = lib.annotation(hid('Ou7b2yN5Ee6zU4hW6qCt8E'));
    expect(typo.exact).toBe('Nobody remembers when the custom started');
    expect(report.notes.find((n) => n.outcome === 'approximate')!.reason).toMatch(/approximate match of its quote \(1 of 40 characters differ/);
    // A sentence the page no longer has: detached in its document, with its quote.
    expect(lib.annotation(hid('Pv8c3zO6Ee60V5iX7rDu9F'))).toMatchObject({ status: 'orphaned', exact: 'The lighthouse keeper slept late', documentId: page.id });
    // The page note has no passage.
    expect(report.notes.find((n) => n.outcome === 'skipped')!.reason).toContain('page note');
    // The PDF edition (an unknown urn:x-pdf: and another title) is found by its quote.
    expect(lib.annotation(hid('Qw9d4aP7Ee61W6jY8sEv0G'))).toMatchObject({ documentId: page.id, exact: 'raise their flags over the quay', tags: [] });
    expect(report.notes.find((n) => n.outcome === 'warning' && n.reason.includes('boats, fleet'))).toBeTruthy();
    expect(report.annotations).toHaveLength(6);
    expect(report.annotations.every((a) => typeof a.how === 'string' && a.how.length > 0)).toBe(true);

    // Twice: updated, never doubled.
    const again = importAnnotationsFile(lib, fixture('hypothesis-search.json'));
    expect(again).toMatchObject({ added: 0, approximate: 0, updated: 5, skipped: 1 });
    expect(lib.annotations(page.id)).toHaveLength(5);
  });

  it('refuses one page of a longer search, and a malformed row, naming the file and changing nothing', async () => {
    const lib = await library('harbour-page.html');
    const raw = JSON.parse(fs.readFileSync(fixture('hypothesis-search.json'), 'utf8'));
    const partial = { ...raw, total: 250 };
    expect(() => importAnnotationBytes(lib, 'page1.json', Buffer.from(JSON.stringify(partial)))).toThrow(/^page1\.json: not a Hypothesis API file: it is one page of a search result \(7 of 250/);
    const broken = structuredClone(raw);
    broken.rows[4].target[0].selector[2].exact = 42;
    let error: unknown;
    try {
      importAnnotationBytes(lib, 'broken.json', Buffer.from(JSON.stringify(broken)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GlossError);
    expect((error as Error).message).toBe('broken.json: not a Hypothesis API file: row 4 (Ou7b2yN5Ee6zU4hW6qCt8E): its TextQuoteSelector has no "exact" string');
    expect(lib.annotations(lib.list()[0]!.id)).toEqual([]);
  });
});

describe('one Hypothesis annotation', () => {
  it('finds pointed Hebrew from an unpointed quote, in a document it names by nothing but its words', async () => {
    const lib = await library('harbour-page.html', 'ruth-1.txt');
    const ruth = lib.list().find((d) => d.sourceName === 'ruth-1.txt')!;
    const report = importAnnotationsFile(lib, fixture('hypothesis-one.json'));
    expect(report).toMatchObject({ total: 1, added: 1, approximate: 0, skipped: 0 });
    expect(report.documents).toEqual([expect.objectContaining({ documentId: ruth.id, matchedBy: 'quote' })]);
    const a = lib.annotation(hid('Rx0e5bQ8Ee62X7kZ9tFw1H'));
    const text = lib.text(ruth.id);
    // The pointed words, marks and all, from the first letter to the last mark.
    expect(a.exact).toBe(text.split('\n')[1]!.split(' ').slice(1, 4).join(' '));
    expect(a).toMatchObject({ documentId: ruth.id, author: 'yael', tags: ['שופטים/רקע', 'תקופה'], note: 'ימי השופטים: לפני המלוכה' });
  });

  it('an annotation whose text is nowhere: skipped with the reason, or kept detached with --keep-orphans and moved onto the text once it is imported', async () => {
    const lib = await library('harbour-page.html');
    const skipped = importAnnotationsFile(lib, fixture('hypothesis-one.json'));
    expect(skipped).toMatchObject({ skipped: 1, added: 0 });
    expect(skipped.notes[0]!.reason).toMatch(/names no document of the library by URL or file name, no document has the title "Ruth 1 \| Sefaria", and no document holds its quote; .*--keep-orphans/);
    expect(lib.list()).toHaveLength(1);

    const kept = importAnnotationsFile(lib, fixture('hypothesis-one.json'), { keepOrphans: true });
    expect(kept).toMatchObject({ orphaned: 1 });
    expect(kept.documents).toEqual([expect.objectContaining({ matchedBy: 'holding' })]);
    const holding = lib.list().find((d) => d.sourceName === 'unplaced annotations')!;
    expect(holding.title).toBe('Unplaced annotations: Ruth 1 | Sefaria');
    expect(lib.annotations(holding.id)).toEqual([expect.objectContaining({ id: hid('Rx0e5bQ8Ee62X7kZ9tFw1H'), status: 'orphaned', exact: 'בימי שפט השפטים', note: 'ימי השופטים: לפני המלוכה' })]);
    // The same again finds the same holder.
    importAnnotationsFile(lib, fixture('hypothesis-one.json'), { keepOrphans: true });
    expect(lib.list()).toHaveLength(2);

    // The text arrives; the next import moves the annotation onto it and the holder goes.
    await lib.importPaths([fixture('ruth-1.txt')]);
    const moved = importAnnotationsFile(lib, fixture('hypothesis-one.json'));
    expect(moved).toMatchObject({ updated: 1, added: 0 });
    expect(moved.notes[0]!.reason).toMatch(/^moved from the unplaced annotations to document \d+: by its quote/);
    const ruth = lib.list().find((d) => d.sourceName === 'ruth-1.txt')!;
    expect(lib.annotation(hid('Rx0e5bQ8Ee62X7kZ9tFw1H'))).toMatchObject({ documentId: ruth.id, status: 'anchored', author: 'yael' });
    expect(lib.list().map((d) => d.sourceName).sort()).toEqual(['harbour-page.html', 'ruth-1.txt']);
  });
});
