/**
 * The bilingual desk against real SQLite in temp folders: pairing and automatic alignment,
 * corrections, starting and writing a translation (offsets kept consistent), linked annotations in
 * the JSON-LD and CSV exports, the pair exports (TMX through a real XML parser, HTML, CSV), the API
 * verbs through the handler table, and the real command line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignmentProblem } from '../../src/common/align/beads.js';
import { CodePointIndex } from '../../src/common/export/code-points.js';
import { CSV_BOM, csvRows } from '../../src/common/export/csv.js';
import { toWadm, wadmSerializer, withLinks } from '../../src/common/export/wadm.js';
import { pairTmx, xmlText } from '../../src/common/export/pair-tmx.js';
import type { PairView } from '../../src/common/pairs.js';
import { canonicalText, placeBlocks } from '../../src/common/text/canonical.js';
import { exportAnnotations } from '../../src/main/export/export-service.js';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { LinkService, PairService, translationHash } from '../../src/main/pairs.js';
import { contentHash } from '../../src/main/store/documents.js';
import { accuracy, FIXED_PERTURBATION, parallelRuth, perturb } from '../../bench/alignment.js';
import { glossBin, repoRoot, sharedDir, tempDir } from '../helpers.js';
import { collectionProblems } from '../fixtures/wadm-musts.js';

const Papa = createRequire(import.meta.url)('papaparse') as { parse(text: string, options?: { header?: boolean; skipEmptyLines?: boolean }): { data: unknown[]; errors: unknown[] } };
const validator = path.join(sharedDir, 'conformance', 'validate-wadm.cjs');
const hasValidator = fs.existsSync(validator);

const libraries: Library[] = [];
function library(dir = tempDir('gloss-pairs-')): Library {
  const lib = Library.open(dir);
  libraries.push(lib);
  return lib;
}
afterAll(() => {
  for (const l of libraries.splice(0)) l.close();
});

/** Hebrew and English paragraphs, one a line, when ../shared is not here. */
const FALLBACK = [
  ['בראשית ברא אלהים את השמים ואת הארץ.', 'In the beginning God created the heaven and the earth.'],
  ['והארץ היתה תהו ובהו וחשך על פני תהום ורוח אלהים מרחפת על פני המים.', 'And the earth was without form, and void; and darkness was upon the face of the deep. And the Spirit of God moved upon the face of the waters.'],
  ['ויאמר אלהים יהי אור ויהי אור.', 'And God said, Let there be light: and there was light.'],
  ['וירא אלהים את האור כי טוב ויבדל אלהים בין האור ובין החשך.', 'And God saw the light, that it was good: and God divided the light from the darkness.'],
  ['ויקרא אלהים לאור יום ולחשך קרא לילה ויהי ערב ויהי בקר יום אחד.', 'And God called the light Day, and the darkness he called Night. And the evening and the morning were the first day.'],
  ['ויאמר אלהים יהי רקיע בתוך המים ויהי מבדיל בין מים למים.', 'And God said, Let there be a firmament in the midst of the waters, and let it divide the waters from the waters.'],
];

const ruth = parallelRuth();
const verses = ruth ? ruth.map((v) => [v.he, v.en] as [string, string]) : FALLBACK;
if (!ruth) console.log('note: ../shared/corpora/parallel-ruth is missing; pair tests use a short built-in text');

/** Writes a Markdown file: a heading, then one paragraph per item. */
function markdown(dir: string, name: string, title: string, paragraphs: readonly string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `# ${title}\n\n${paragraphs.join('\n\n')}\n`);
  return file;
}

async function importPair(lib: Library, en: readonly string[] = verses.map((v) => v[1])): Promise<{ he: number; en: number }> {
  const dir = tempDir('gloss-pairs-src-');
  const out = await lib.importPaths([markdown(dir, 'he.md', 'רות', verses.map((v) => v[0])), markdown(dir, 'en.md', 'Ruth', en)]);
  expect(out.map((o) => o.status)).toEqual(['imported', 'imported']);
  return { he: out[0]!.documentId!, en: out[1]!.documentId! };
}

function gloss(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, [glossBin, ...args, '--data', dataDir], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function exportString(lib: Library, format: 'jsonld' | 'csv', documentIds?: number[]): Promise<string> {
  let out = '';
  await exportAnnotations(lib, { format, documentIds }, (c) => {
    out += c;
  });
  return out;
}

describe('pairs and automatic alignment', () => {
  it('pairs two texts block by block, or aligned automatically; refuses a duplicate or a self pair', async () => {
    const lib = library();
    const ids = await importPair(lib);
    const pairs = new PairService(lib);
    const plain = pairs.create(ids.he, ids.en);
    expect(plain.kind).toBe('aligned');
    expect(plain.beads.every((b, k) => b.source[0] === k && b.target[0] === k && !b.confirmed)).toBe(true);
    expect(() => pairs.create(ids.he, ids.en)).toThrow(/already paired/);
    expect(() => pairs.create(ids.en, ids.he)).toThrow(/already paired/);
    expect(() => pairs.create(ids.he, ids.he)).toThrow(/itself/);
    expect(pairs.delete(plain.id)).toBe(true);
    const auto = pairs.create(ids.he, ids.en, { autoAlign: true });
    const n = verses.length + 1;
    expect(auto.source.blockCount).toBe(n);
    expect(auto.beads).toHaveLength(n);
    expect(alignmentProblem(auto.beads, n, n)).toBeUndefined();
    expect(auto.beads.map((b) => [b.source, b.target])).toEqual(Array.from({ length: n }, (_, i) => [[i], [i]]));
    expect(pairs.list().map((p) => [p.id, p.sourceId, p.targetId, p.beads])).toEqual([[auto.id, ids.he, ids.en, n]]);
    expect(pairs.list(ids.en)).toHaveLength(1);
    expect(pairs.list(999)).toEqual([]);
  });

  it.runIf(ruth !== null)('aligns Ruth with English verses merged and one removed, from the library', async () => {
    const lib = library();
    const p = perturb(
      verses.map((v) => v[1]),
      FIXED_PERTURBATION.mergeIntoPrevious,
      FIXED_PERTURBATION.removed,
    );
    const ids = await importPair(lib, p.blocks);
    const view = new PairService(lib).create(ids.he, ids.en, { autoAlign: true });
    // Block 0 is the heading on both sides; verse i is block i + 1.
    expect(view.beads[0]).toEqual({ source: [0], target: [0], confirmed: false });
    const shifted = view.beads.slice(1).map((b) => ({ source: b.source.map((s) => s - 1), target: b.target.map((t) => t - 1) }));
    const acc = accuracy(shifted, p.truth);
    console.log(`Ruth from the library (headings, 85 verses, 3 merges, 1 removal): accuracy ${(acc * 100).toFixed(2)} %`);
    expect(acc).toBeGreaterThanOrEqual(0.98);
  });

  it('corrects the alignment: link, unlink, merge, confirm; stored, and kept by a new automatic alignment', async () => {
    const dir = tempDir('gloss-pairs-');
    const lib = library(dir);
    const ids = await importPair(lib);
    const pairs = new PairService(lib);
    const { id } = pairs.create(ids.he, ids.en, { autoAlign: true });
    const merged = pairs.merge(id, 1);
    expect(merged.beads[1]).toEqual({ source: [1, 2], target: [1, 2], confirmed: true });
    const unlinked = pairs.unlink(id, 1);
    expect(unlinked.beads.slice(1, 5)).toEqual([
      { source: [1], target: [], confirmed: true },
      { source: [2], target: [], confirmed: true },
      { source: [], target: [1], confirmed: true },
      { source: [], target: [2], confirmed: true },
    ]);
    const linked = pairs.link(id, [1], [1, 2]);
    expect(linked.beads[1]).toEqual({ source: [1], target: [1, 2], confirmed: true });
    expect(alignmentProblem(linked.beads, linked.source.blockCount, linked.target.blockCount)).toBeUndefined();
    const confirmed = pairs.confirm(id, [0, 3]);
    expect(confirmed.beads.filter((b) => b.confirmed)).toHaveLength(3 + 1);
    expect(() => pairs.link(id, [1, 3], [1])).toThrow(/follow each other/);
    expect(() => pairs.merge(id, 10_000)).toThrow(/no bead/);
    // Re-aligning keeps the confirmed beads and realigns the rest.
    const again = pairs.autoAlign(id);
    expect(again.beads[1]).toEqual({ source: [1], target: [1, 2], confirmed: true });
    expect(alignmentProblem(again.beads, again.source.blockCount, again.target.blockCount)).toBeUndefined();
    const fresh = pairs.autoAlign(id, { keepConfirmed: false });
    expect(fresh.beads.every((b) => !b.confirmed)).toBe(true);
    pairs.link(id, [1], [1, 2]);
    // Stored: a new library on the same file sees the same beads.
    lib.close();
    const reopened = library(dir);
    expect(new PairService(reopened).get(id).beads[1]).toEqual({ source: [1], target: [1, 2], confirmed: true });
  });
});

describe('translations', () => {
  let lib: Library;
  let ids: { he: number; en: number };
  let pairs: PairService;
  let view: PairView;
  let target: number;
  beforeAll(async () => {
    lib = library();
    ids = await importPair(lib);
    pairs = new PairService(lib);
    const started = pairs.translate(ids.he, 'en');
    view = started.pair;
    target = started.document.id;
  });

  it('starts a document in the other language with one empty block per source block, aligned one to one', () => {
    const source = lib.get(ids.he);
    const doc = lib.get(target);
    expect(doc.title).toBe('רות (English translation)');
    expect(doc.language).toBe('en');
    expect(doc.blocks).toHaveLength(source.blocks.length);
    expect(doc.blocks.map((b) => [b.kind, b.depth, b.dir, b.text])).toEqual(source.blocks.map((b) => [b.kind, b.depth, 'ltr', '']));
    expect(doc.blocks.map((b) => b.start)).toEqual(source.blocks.map((_, i) => i));
    expect(view.kind).toBe('translation');
    expect(view.beads).toEqual(source.blocks.map((_, i) => ({ source: [i], target: [i], confirmed: true })));
    expect(view.progress).toEqual({ translated: 0, total: source.blocks.length });
    // Its hash is its own identity, not the hash of its empty text, and never collides.
    expect(doc.contentHash).not.toBe(contentHash(doc));
    expect(doc.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const second = pairs.translate(ids.he, 'en');
    expect(second.document.contentHash).not.toBe(doc.contentHash);
    expect(second.document.title).toBe(doc.title);
    expect(translationHash('ab', 'en', 'x')).toBe(translationHash('ab', 'en', 'x'));
    expect(() => pairs.translate(ids.en, 'en')).toThrow(/already in English/);
    const hebrew = pairs.translate(ids.en, 'he');
    expect(hebrew.document.title).toBe('Ruth (תרגום לעברית)');
    expect(lib.get(hebrew.document.id).blocks.every((b) => b.dir === 'rtl' && b.text === '')).toBe(true);
    // The search shadow has a row for every block, empty or not.
    const rows = lib.db.prepare('SELECT count(*) AS n FROM blocks_fts WHERE rowid IN (SELECT id FROM blocks WHERE document_id = ?)').get(target) as { n: number };
    expect(rows.n).toBe(doc.blocks.length);
  });

  it('writes blocks: progress, later starts, search and annotations after the block move with it', () => {
    const first = pairs.setBlockText(view.id, 0, 'Ruth');
    expect(first.progress).toEqual({ translated: 1, total: view.target.blockCount });
    pairs.setBlockText(view.id, 3, 'And Elimelech Naomi’s husband died; and she was left, and her two sons.');
    const anchor = lib.text(target).indexOf('Naomi');
    const note = lib.annotate(target, { start: anchor, end: anchor + 5 }, { note: 'name' });
    const before = lib.annotate(target, { start: 0, end: 4 });
    const sentence = 'And the name of the man was <Elimelech> & "Naomi".';
    const written = pairs.setBlockText(view.id, 2, sentence);
    expect(written.delta).toBe(sentence.length);
    expect(written.progress.translated).toBe(3);
    const doc = lib.get(target);
    expect(doc.blocks.map((b) => b.start)).toEqual(placeBlocks(doc.blocks).map((b) => b.start));
    const text = canonicalText(doc.blocks);
    const moved = lib.annotation(note.id);
    expect(moved.start).toBe(anchor + sentence.length);
    expect(text.slice(moved.start, moved.end)).toBe('Naomi');
    expect(moved.status).toBe('anchored');
    expect(lib.annotation(before.id)).toMatchObject({ start: 0, end: 4, exact: 'Ruth' });
    // Editing inside an annotated block maps the annotation around the change.
    const inside = lib.annotate(target, { start: text.indexOf('Elimelech>'), end: text.indexOf('Elimelech>') + 9 });
    pairs.setBlockText(view.id, 2, 'And the name of the man was <Elimelech> & "Naomi", a Moabite.');
    expect(lib.annotation(inside.id)).toMatchObject({ exact: 'Elimelech', status: 'anchored' });
    // A change inside the annotated word keeps it, with its new quote; deleting the word detaches it.
    pairs.setBlockText(view.id, 2, 'And the name of the man was <Elimelekh> & "Naomi", a Moabite.');
    expect(lib.annotation(inside.id)).toMatchObject({ status: 'anchored', exact: 'Elimelekh' });
    pairs.setBlockText(view.id, 2, 'And the name of the man was & "Naomi", a Moabite.');
    expect(lib.annotation(inside.id)).toMatchObject({ status: 'orphaned' });
    expect(lib.annotation(note.id).exact).toBe('Naomi');
    expect(lib.search('Moabite').map((h) => h.documentId)).toContain(target);
    expect(() => pairs.setBlockText(view.id, 1, 'two\nparagraphs')).toThrow(/line break/);
    expect(() => pairs.setBlockText(view.id, 10_000, 'x')).toThrow(/no block/);
    const aligned = pairs.create(ids.he, ids.en);
    expect(() => pairs.setBlockText(aligned.id, 0, 'x')).toThrow(/only a translation/);
  });
});

describe('linked annotations', () => {
  let lib: Library;
  let ids: { he: number; en: number };
  let links: LinkService;
  let a: string;
  let b: string;
  beforeAll(async () => {
    lib = library();
    ids = await importPair(lib);
    links = new LinkService(lib);
    const heText = lib.text(ids.he);
    const enText = lib.text(ids.en);
    const he1 = lib.get(ids.he).blocks[1]!;
    const en1 = lib.get(ids.en).blocks[1]!;
    a = lib.annotate(ids.he, { start: he1.start, end: he1.start + 10 }, { tags: ['name'], note: 'הערה "עם" מירכאות' }).id;
    b = lib.annotate(ids.en, { start: en1.start + 4, end: en1.start + 20 }, { tags: ['translation/choice'], color: 'blue' }).id;
    expect(heText.length).toBeGreaterThan(0);
    expect(enText.length).toBeGreaterThan(0);
  });

  it('links two annotations, sharing tags and a note; listed from both sides; no duplicates', () => {
    const made = links.create(a, b, { shareTags: true, noteFrom: 'a' });
    expect(made.link.a).toMatchObject({ annotationId: a, documentId: ids.he });
    expect(made.link.b).toMatchObject({ annotationId: b, documentId: ids.en, documentTitle: 'Ruth' });
    expect(made.a.tags).toEqual(['name', 'translation/choice']);
    expect(made.b.tags).toEqual(['name', 'translation/choice']);
    expect(made.b.note).toBe('הערה "עם" מירכאות');
    expect(links.list(ids.he).map((l) => [l.a.annotationId, l.b.annotationId])).toEqual([[a, b]]);
    expect(links.list(ids.en).map((l) => [l.a.annotationId, l.b.annotationId])).toEqual([[b, a]]);
    expect(() => links.create(b, a)).toThrow(/already linked/);
    expect(() => links.create(a, a)).toThrow(/itself/);
    expect(() => links.create(a, 'nosuch')).toThrow(/No annotation/);
  });

  it('appear in the JSON-LD export as a second target (W3C-valid) and in a CSV link column', async () => {
    const jsonld = await exportString(lib, 'jsonld');
    const data = JSON.parse(jsonld) as { first: { items: { id: string; target: unknown }[] } };
    const item = data.first.items.find((i) => i.id === `urn:uuid:${a}`)!;
    expect(Array.isArray(item.target)).toBe(true);
    const targets = item.target as { source: string; selector: { type: string; exact?: string }[]; styleClass?: string }[];
    expect(targets).toHaveLength(2);
    expect(targets[0]!.source).toBe(`urn:sha256:${lib.get(ids.he).contentHash}`);
    expect(targets[1]!.source).toBe(`urn:sha256:${lib.get(ids.en).contentHash}`);
    expect(targets[1]!.selector[0]).toMatchObject({ type: 'TextQuoteSelector', exact: lib.annotation(b).exact });
    // The model's MUSTs, checked in the repository (a second target is a plain SpecificResource).
    expect(collectionProblems(data)).toEqual([]);
    const csv = await exportString(lib, 'csv');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const parsed = Papa.parse(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data as Record<string, string>[];
    expect(Object.keys(rows[0]!).at(-1)).toBe('link');
    const heRow = rows.find((r) => r.document === 'רות')!;
    const b1 = lib.annotation(b);
    expect(heRow.link).toBe(`Ruth [${b1.start}-${b1.end}]: ${b1.exact}`);
  });

  it.skipIf(!hasValidator)(`a linked annotation's JSON-LD passes the W3C test suite (needs ${validator})`, async () => {
    const file = path.join(tempDir(), 'linked.jsonld');
    fs.writeFileSync(file, await exportString(lib, 'jsonld'));
    const r = spawnSync(process.execPath, [validator, file, '--selectors'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('2 passed, 0 failed');
  });

  it('the fast JSON-LD serializer writes exactly the W3C object with its linked targets', () => {
    const doc = lib.get(ids.he);
    const index = new CodePointIndex(lib.text(ids.he));
    const ann = lib.annotation(a);
    const passages = [
      { id: b, documentTitle: 'Ruth', contentHash: 'cd'.repeat(32), exact: 'the "name"', prefix: 'And ', suffix: ' of', start: 5, end: 15 },
      { id: 'x', documentTitle: 'Other 😀', contentHash: 'ef'.repeat(32), exact: 'שם', prefix: '', suffix: '', start: 0, end: 2 },
    ];
    const item = wadmSerializer(doc.contentHash, index, 'rtl');
    expect(item(ann, passages)).toBe(JSON.stringify(withLinks(toWadm(ann, doc.contentHash, index, 'rtl'), passages)));
    expect(item(ann, [])).toBe(JSON.stringify(toWadm(ann, doc.contentHash, index, 'rtl')));
    expect(item(ann)).toBe(JSON.stringify(toWadm(ann, doc.contentHash, index, 'rtl')));
    // Without meta.links the CSV keeps its fourteen columns even when a section carries links.
    const plain = [...csvRows([{ document: doc, annotations: () => [ann], links: new Map([[a, passages]]) }])].join('');
    expect(plain.split('\r\n')[0]!.endsWith(',modified,author')).toBe(true);
    const linked = [...csvRows([{ document: doc, annotations: () => [ann], links: new Map([[a, passages]]) }], { links: true })].join('');
    const rows = Papa.parse(linked.slice(1), { header: true, skipEmptyLines: true }).data as Record<string, string>[];
    expect(rows[0]!.link).toBe('Ruth [5-15]: the "name"\nOther 😀 [0-2]: שם');
  });

  it('a linked annotation imports back at its own target; unlinking removes the link column', async () => {
    const jsonld = await exportString(lib, 'jsonld', [ids.he]);
    const other = library();
    const copy = await importPair(other);
    const { importAnnotationBytes } = await import('../../src/main/export/import-annotations.js');
    const report = importAnnotationBytes(other, 'linked.jsonld', Buffer.from(jsonld));
    expect(report).toMatchObject({ added: 1, orphaned: 0 });
    expect(other.annotations(copy.he)[0]).toMatchObject({ id: a, exact: lib.annotation(a).exact });
    expect(links.delete(a, b)).toBe(true);
    expect(links.delete(a, b)).toBe(false);
    expect(links.list(ids.he)).toEqual([]);
    const csv = await exportString(lib, 'csv');
    expect(csv.split('\r\n')[0]!.endsWith(',modified,author')).toBe(true);
  });

  it('survive a translation being written around them, and deleting an annotation removes its links', () => {
    const pairs = new PairService(lib);
    const started = pairs.translate(ids.he, 'en');
    pairs.setBlockText(started.pair.id, 1, 'And the name of the man was Elimelech');
    const t = lib.text(started.document.id);
    const mine = lib.annotate(started.document.id, { start: t.indexOf('Elimelech'), end: t.indexOf('Elimelech') + 9 });
    links.create(a, mine.id);
    pairs.setBlockText(started.pair.id, 0, 'The Book of Ruth');
    expect(links.list(started.document.id).map((l) => [l.a.annotationId, l.a.exact, l.b.annotationId])).toEqual([[mine.id, 'Elimelech', a]]);
    lib.deleteAnnotation(mine.id);
    expect(links.list(ids.he)).toEqual([]);
  });
});

describe('pair exports', () => {
  let lib: Library;
  let pairs: PairService;
  let pairId: number;
  beforeAll(async () => {
    lib = library();
    const ids = await importPair(lib);
    pairs = new PairService(lib);
    const started = pairs.translate(ids.he, 'en');
    pairId = started.pair.id;
    pairs.setBlockText(pairId, 0, 'Ruth');
    pairs.setBlockText(pairId, 1, 'Tom & Jerry <b>bold</b> "double" \'single\' \u0001\u0008 control characters, 😀 kept');
    pairs.setBlockText(pairId, 2, 'x < y > z && a;');
    pairs.merge(pairId, 3);
  });

  it('TMX: well-formed, one tu per bead with both languages, escaping right', () => {
    const { content, fileName, mediaType } = pairs.export(pairId, 'tmx');
    expect(fileName).toBe(`gloss-pair-${pairId}.tmx`);
    expect(mediaType).toContain('xml');
    expect(XMLValidator.validate(content)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['tu', 'tuv', 'prop'].includes(name), parseTagValue: false, trimValues: false });
    const doc = parser.parse(content) as {
      tmx: { '@version': string; header: Record<string, string>; body: { tu: { '@tuid': string; tuv: { '@xml:lang': string; seg: string | { '#text'?: string } }[] }[] } };
    };
    expect(doc.tmx['@version']).toBe('1.4');
    expect(doc.tmx.header).toMatchObject({ '@creationtool': 'Gloss', '@srclang': 'he', '@adminlang': 'en', '@datatype': 'plaintext', '@segtype': 'paragraph', '@o-tmf': 'gloss' });
    const view = pairs.get(pairId);
    const tus = doc.tmx.body.tu;
    expect(tus).toHaveLength(view.beads.length);
    const seg = (s: string | { '#text'?: string }) => (typeof s === 'string' ? s : (s['#text'] ?? ''));
    for (const tu of tus) expect(tu.tuv.map((v) => v['@xml:lang'])).toEqual(['he', 'en']);
    expect(seg(tus[1]!.tuv[1]!.seg)).toBe('Tom & Jerry <b>bold</b> "double" \'single\'  control characters, 😀 kept');
    expect(seg(tus[2]!.tuv[1]!.seg)).toBe('x < y > z && a;');
    expect(seg(tus[3]!.tuv[0]!.seg)).toBe(
      [3, 4]
        .map((i) => lib.get(view.source.id).blocks[i]!.text)
        .join(' '),
    );
    expect(seg(tus[0]!.tuv[0]!.seg)).toBe('רות');
    expect(content).toContain('&amp; Jerry &lt;b&gt;');
    expect(xmlText('a\u0000b\uFFFEc\uD800d"\'')).toBe('abcd&quot;&apos;');
  });

  it('TMX of an omission still holds both languages (an empty seg)', () => {
    const tmx = pairTmx({
      source: { title: 's', language: 'he', blocks: [{ index: 0, kind: 'paragraph', dir: 'rtl', depth: 0, text: 'שלום' }] },
      target: { title: 't', language: 'en', blocks: [] },
      beads: [{ source: [0], target: [], confirmed: false }],
      generated: '2024-06-01T12:00:00.000Z',
    });
    expect(tmx).toContain('creationdate="20240601T120000Z"');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(tmx) as { tmx: { body: { tu: { tuv: unknown[] } } } };
    expect(parsed.tmx.body.tu.tuv).toHaveLength(2);
  });

  it('HTML: two columns, each in its direction and language, self-contained', () => {
    const { content } = pairs.export(pairId, 'html');
    expect(content.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(content).toContain("default-src 'none'");
    expect(content).not.toMatch(/<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org)/i);
    const row = content.split('\n').find((l) => l.includes('Tom &amp; Jerry'))!;
    // The left-to-right translation first (left), the Hebrew source on the right.
    expect(row.indexOf('lang="en" dir="ltr"')).toBeGreaterThan(-1);
    expect(row.indexOf('lang="en" dir="ltr"')).toBeLessThan(row.indexOf('lang="he" dir="rtl"'));
    expect(row).toContain('&lt;b&gt;bold&lt;/b&gt; &quot;double&quot;');
    expect(content).toContain('<p dir="ltr" class="empty"></p>');
  });

  it('CSV: one row per bead, RFC 4180 with a BOM', () => {
    const { content } = pairs.export(pairId, 'csv');
    expect(content.startsWith(CSV_BOM)).toBe(true);
    const parsed = Papa.parse(content.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data as Record<string, string>[];
    expect(rows).toHaveLength(pairs.get(pairId).beads.length);
    expect(Object.keys(rows[0]!)).toEqual(['bead', 'source blocks', 'target blocks', 'source (he)', 'target (en)', 'confirmed']);
    expect(rows[1]).toMatchObject({ bead: '1', 'source blocks': '1', 'target blocks': '1', 'target (en)': 'Tom & Jerry <b>bold</b> "double" \'single\' \u0001\u0008 control characters, 😀 kept' });
    expect(rows[3]).toMatchObject({ 'source blocks': '3 4', 'target blocks': '3 4', confirmed: 'yes' });
  });
});

describe('API verbs through the handler table', () => {
  it('validates payloads and answers with the contract shapes', async () => {
    const lib = library();
    const ids = await importPair(lib);
    const h = createHandlers(lib);
    const ok = async (method: string, payload: unknown) => {
      const r = await dispatch(h, method, payload);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as never;
    };
    const created: PairView = await ok('pairs.create', { sourceId: ids.he, targetId: ids.en, autoAlign: true });
    expect(created.beads.length).toBe(verses.length + 1);
    expect(((await ok('pairs.list', {})) as unknown[]).length).toBe(1);
    expect(((await ok('pairs.get', { pairId: created.id })) as PairView).id).toBe(created.id);
    expect(((await ok('pairs.merge', { pairId: created.id, bead: 0 })) as PairView).beads[0]!.confirmed).toBe(true);
    expect(((await ok('pairs.unlink', { pairId: created.id, bead: 0 })) as PairView).beads[0]).toEqual({ source: [0], target: [], confirmed: true });
    expect(((await ok('pairs.link', { pairId: created.id, sourceBlocks: [0], targetBlocks: [0] })) as PairView).beads[0]).toEqual({ source: [0], target: [0], confirmed: true });
    expect(((await ok('pairs.confirm', { pairId: created.id })) as PairView).beads.every((b) => b.confirmed)).toBe(true);
    expect(((await ok('pairs.autoAlign', { pairId: created.id, keepConfirmed: false })) as PairView).beads.some((b) => b.confirmed)).toBe(false);
    const started = (await ok('pairs.translate', { documentId: ids.he, lang: 'en' })) as { document: { id: number }; pair: PairView };
    const written = (await ok('pairs.setBlockText', { pairId: started.pair.id, blockIndex: 1, text: 'Hello' })) as { block: { text: string }; progress: { translated: number } };
    expect(written.block.text).toBe('Hello');
    expect(written.progress.translated).toBe(1);
    const exported = (await ok('pairs.export', { pairId: started.pair.id, format: 'tmx' })) as { content: string };
    expect(exported.content).toContain('<seg>Hello</seg>');
    const x = lib.annotate(ids.he, { start: 0, end: 3 });
    const y = lib.annotate(started.document.id, { start: lib.text(started.document.id).indexOf('Hello'), end: lib.text(started.document.id).indexOf('Hello') + 5 });
    await ok('links.create', { a: x.id, b: y.id });
    expect(((await ok('links.list', { documentId: started.document.id })) as unknown[]).length).toBe(1);
    expect(await ok('links.delete', { a: x.id, b: y.id })).toEqual({ removed: true });
    expect(await ok('pairs.delete', { pairId: created.id })).toEqual({ removed: true });
    const bad = await dispatch(h, 'pairs.export', { pairId: started.pair.id, format: 'docx' });
    expect(bad).toMatchObject({ ok: false, status: 400 });
    const missing = await dispatch(h, 'pairs.get', { pairId: 9999 });
    expect(missing).toMatchObject({ ok: false, status: 404 });
    const wrong = await dispatch(h, 'pairs.link', { pairId: started.pair.id, sourceBlocks: [0, 2], targetBlocks: [] });
    expect(wrong).toMatchObject({ ok: false, status: 400 });
  });
});

describe('the command line', () => {
  const dir = tempDir('gloss-pairs-cli-');
  const src = tempDir('gloss-pairs-cli-src-');
  const heFile = markdown(src, 'he.md', 'רות', verses.map((v) => v[0]));
  const enFile = markdown(src, 'en.md', 'Ruth', verses.map((v) => v[1]));

  it('pair, align --show, translate, export-pair, link, links', () => {
    expect(gloss(['import', heFile, enFile], dir).code).toBe(0);
    const paired = gloss(['pair', '1', 'Ruth', '--auto-align', '--json'], dir);
    expect(paired.code, paired.err).toBe(0);
    const view = JSON.parse(paired.out) as PairView;
    expect(view.beads).toHaveLength(verses.length + 1);

    const shown = gloss(['align', String(view.id), '--show'], dir);
    expect(shown.code, shown.err).toBe(0);
    const lines = shown.out.trim().split('\n');
    expect(lines).toHaveLength(1 + verses.length + 1);
    expect(lines[0]).toContain(`pair ${view.id}:`);
    // Not a terminal: no invisible isolates, just the two texts.
    expect(lines[2]).toMatch(/^1 +1 ↔ 1 +[^\u2066-\u2069│]+ +│ +[^\u2066-\u2069]+$/);

    const translated = gloss(['translate', '1', '--lang', 'en', '--json'], dir);
    expect(translated.code, translated.err).toBe(0);
    const started = JSON.parse(translated.out) as { document: { id: number; title: string }; pair: PairView };
    expect(started.document.title).toBe('רות (English translation)');
    expect(gloss(['translate', '1'], dir).code).toBe(2);
    expect(gloss(['translate', '1', '--lang', 'fr'], dir).code).toBe(2);

    const out = path.join(tempDir(), 'ruth.tmx');
    const exported = gloss(['export-pair', String(view.id), '--format', 'tmx', '--out', out], dir);
    expect(exported.code, exported.err).toBe(0);
    expect(XMLValidator.validate(fs.readFileSync(out, 'utf8'))).toBe(true);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['ruth.tmx']);
    const html = gloss(['export-pair', String(view.id), '--format', 'html'], dir);
    expect(html.out).toContain('<table class="pair">');
    const byExtension = path.join(path.dirname(out), 'ruth.csv');
    expect(gloss(['export-pair', String(view.id), '--out', byExtension], dir).code).toBe(0);
    expect(fs.readFileSync(byExtension, 'utf8').startsWith(CSV_BOM)).toBe(true);
    expect(gloss(['export-pair', String(view.id), '--format', 'docx'], dir).code).toBe(2);
    expect(gloss(['export-pair', 'abc', '--format', 'tmx'], dir).code).toBe(2);
    expect(gloss(['align', '999'], dir).code).toBe(1);

    const a = JSON.parse(gloss(['annotate', '1', '--start', '0', '--end', '3', '--json'], dir).out) as { id: string };
    const b = JSON.parse(gloss(['annotate', '2', '--start', '0', '--end', '4', '--tag', 'book', '--json'], dir).out) as { id: string };
    const linked = gloss(['link', a.id, b.id, '--share-tags'], dir);
    expect(linked.code, linked.err).toBe(0);
    expect(linked.out).toContain('linked');
    expect(gloss(['link', a.id, b.id], dir).code).toBe(1);
    const list = JSON.parse(gloss(['links', '1', '--json'], dir).out) as { a: { annotationId: string }; b: { annotationId: string } }[];
    expect(list.map((l) => [l.a.annotationId, l.b.annotationId])).toEqual([[a.id, b.id]]);
    const pairsList = gloss(['pairs'], dir);
    expect(pairsList.out.trim().split('\n')).toHaveLength(2);
    expect(gloss(['--help'], dir).out).toMatch(/export-pair PAIR --format tmx\|(xliff\|)?html\|csv/);
  });
});
