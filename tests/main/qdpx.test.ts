/**
 * REFI-QDA against real SQLite: `gloss export --format qdpx` validated by xmllint against the
 * REFI-QDA schema (when ../shared has it), the round trip into an empty library and into the same
 * one, the QualCoder-shaped fixture project, and projects that must be refused or partly left out.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, ParsedDocument } from '../../src/common/model.js';
import type { CliContext } from '../../src/main/cli/context.js';
import { exportCommand } from '../../src/main/cli/export.js';
import { exportQdpx } from '../../src/main/export/qdpx.js';
import { importQdpxProject, linesToDocument } from '../../src/main/export/qdpx-import.js';
import { ImportError } from '../../src/main/import/errors.js';
import { Library } from '../../src/main/library.js';
import { repoRoot, seedFiles, sharedDir, tempDir } from '../helpers.js';

const xsd = path.join(sharedDir, 'conformance', 'refi-qda', 'Project.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const fixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'exchange', 'qualcoder-project');

const libraries: Library[] = [];
function library(): Library {
  const lib = Library.open(tempDir('gloss-qdpx-'));
  libraries.push(lib);
  return lib;
}
afterAll(() => {
  for (const l of libraries.splice(0)) l.close();
});

async function exportBytes(lib: Library, documentIds?: number[]): Promise<{ bytes: Uint8Array; detached: number; annotations: number }> {
  const parts: Uint8Array[] = [];
  const result = await exportQdpx(lib, { format: 'qdpx', documentIds }, (chunk) => void parts.push(chunk));
  return { bytes: Buffer.concat(parts), detached: result.detached ?? 0, annotations: result.annotations };
}

/** A folder as a zip, the way QualCoder's make_archive packs its export folder. */
function zipFolder(dir: string): Uint8Array {
  const files: Zippable = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else files[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name));
    }
  };
  walk(dir, '');
  return zipSync(files);
}

function xmllint(qde: Uint8Array): { status: number | null; out: string } {
  const file = path.join(tempDir('gloss-qde-'), 'project.qde');
  fs.writeFileSync(file, qde);
  const r = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Annotations by id, without what a round trip may change (the document id). */
function byId(lib: Library): Map<string, Omit<Annotation, 'documentId'> & { hash: string }> {
  const out = new Map<string, Omit<Annotation, 'documentId'> & { hash: string }>();
  for (const d of lib.list()) {
    for (const { documentId: _d, ...a } of lib.annotations(d.id)) out.set(a.id, { ...a, hash: d.contentHash });
  }
  return out;
}

/** A document with pages, as the PDF reader makes one. */
const paged: ParsedDocument = {
  title: 'Minutes of the harbour board',
  language: 'en',
  blocks: [
    { kind: 'heading', dir: 'ltr', depth: 0, text: 'Minutes 😀 of the harbour board', meta: { pages: ['12'] } },
    { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The board agreed that the flags stay up until the last boat is in.', meta: { pages: ['12', '13'] } },
    { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'הוחלט: הדגלים נשארים עד שהסירה האחרונה בנמל.', meta: { pages: ['13'] } },
  ],
};

async function annotatedLibrary(): Promise<Library> {
  const lib = library();
  const outcomes = await lib.importPaths(seedFiles());
  expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
  expect(lib.storeParsed('minutes.pdf', paged).status).toBe('imported');
  for (const d of lib.list()) {
    const text = lib.text(d.id);
    const second = text.indexOf('\n') + 1;
    lib.annotate(d.id, { start: second, end: second + 9 }, { tags: ['claim/factual', 'טענה/עובדתית'], note: 'הערה: "ציטוט", & <עוד>\nשורה', color: 'green' });
    lib.annotate(d.id, { start: second + 3, end: second + 20 }, { tags: ['claim/factual'], color: 'green' });
    lib.annotate(d.id, { start: second + 25, end: second + 31 }, { tags: ['person'], color: 'pink', note: 'pink person' });
    lib.annotate(d.id, { start: 2, end: 7 }, { color: 'purple' });
  }
  // An annotation from elsewhere (an author), and a detached one.
  const minutes = lib.list().find((d) => d.sourceName === 'minutes.pdf')!;
  const t = lib.text(minutes.id);
  const flags = t.indexOf('the flags');
  lib.db.prepare('UPDATE annotations SET author = ? WHERE id = ?').run('Dana K.', lib.annotate(minutes.id, { start: flags, end: flags + 9 }, { tags: ['claim'], color: 'blue' }).id);
  lib.restoreAnnotation({ id: '0000aaaa-0000-4000-8000-000000000001', documentId: minutes.id, start: 3, end: 8, exact: 'edited away', prefix: '', suffix: '', color: 'yellow', note: '', status: 'orphaned', tags: ['lost'], created: '2024-01-02T03:04:05.000Z', modified: '2024-01-02T03:04:05.000Z' });
  return lib;
}

describe('gloss export --format qdpx', () => {
  let lib: Library;
  let bytes: Uint8Array;
  let entries: Record<string, Uint8Array>;
  beforeAll(async () => {
    lib = await annotatedLibrary();
    const out = await exportBytes(lib);
    bytes = out.bytes;
    expect(out).toMatchObject({ detached: 1, annotations: 17 });
    entries = unzipSync(bytes);
  });

  it('is a zip of project.qde and one sources/<guid>.txt per document, each its canonical text', () => {
    const names = Object.keys(entries).sort();
    expect(names).toHaveLength(5);
    expect(names.filter((n) => /^sources\/[0-9a-f-]{36}\.txt$/.test(n))).toHaveLength(4);
    expect(names).toContain('project.qde');
    const texts = names.filter((n) => n.startsWith('sources/')).map((n) => new TextDecoder().decode(entries[n]));
    expect(texts.sort()).toEqual(lib.list().map((d) => lib.text(d.id)).sort());
    const qde = new TextDecoder().decode(entries['project.qde']);
    expect(qde).toContain('<Description>pp. 12–13</Description>');
    expect(qde).toContain('name="Dana K."');
    expect(qde).not.toContain('edited away');
  });

  it.skipIf(!fs.existsSync(xsd) || !hasXmllint)('validates against the REFI-QDA Project schema with xmllint (needs ../shared and libxml2-utils)', () => {
    const r = xmllint(entries['project.qde']!);
    expect(r.out).toContain('validates');
    expect(r.status).toBe(0);
    // And the schema is not a rubber stamp: a selection without its end is refused.
    const broken = new TextDecoder().decode(entries['project.qde']).replace(/ endPosition="\d+"/, '');
    expect(xmllint(strToU8(broken)).status).not.toBe(0);
  });

  it('round-trips into an empty library: the same texts, ids, offsets, tags, notes, colours, authors and dates', async () => {
    const fresh = library();
    const outcomes = await importQdpxProject(fresh, 'all.qdpx', bytes);
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported', 'imported']);
    expect(outcomes.map((o) => o.message)).toEqual([undefined, undefined, undefined, undefined]);
    const before = byId(lib);
    before.delete('0000aaaa-0000-4000-8000-000000000001'); // detached: not exported
    const after = byId(fresh);
    expect(after.size).toBe(before.size);
    // REFI-QDA has no colour for a selection: a tagged highlight's comes back through its first
    // code's colour; an untagged one's does not travel.
    for (const [id, a] of before) expect(after.get(id), id).toEqual(a.tags.length ? a : { ...a, color: 'yellow' });
    expect([...before.values()].filter((a) => a.tags.length && a.color !== 'yellow')).toHaveLength(13);
    expect(fresh.list().every((d) => d.meta.sourceKind === 'qdpx')).toBe(true);
    expect(fresh.tags().map((t) => t.path)).toEqual(lib.tags().filter((t) => t.path !== 'lost').map((t) => t.path));
  });

  it('into the library it came from: every document a duplicate, every coding an update, nothing doubled', async () => {
    const snapshot = byId(lib);
    const outcomes = await importQdpxProject(lib, 'all.qdpx', bytes);
    expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(outcomes[0]!.message).toMatch(/already in the library as document \d+ .*; its codings were merged in \(0 added, 4 updated\)/);
    // The interface says the same from a code and its parameters (transfer.projectNotes.merged).
    expect(outcomes[0]!.notes).toEqual([{ code: 'merged', params: { id: outcomes[0]!.documentId, title: outcomes[0]!.title, added: 0, updated: 4 } }]);
    expect(byId(lib)).toEqual(snapshot);
  });

  it('exports the same project twice (GUIDs come from what they name)', async () => {
    const again = unzipSync((await exportBytes(lib)).bytes);
    const strip = (b: Uint8Array) => new TextDecoder().decode(b).replace(/creationDateTime="[^"]+" *>/, '');
    expect(strip(again['project.qde']!).replace(/<Project[^>]*>/, '')).toBe(strip(entries['project.qde']!).replace(/<Project[^>]*>/, ''));
  });

  it('on the command line: --out FILE.qdpx (the format from the extension), refused on a terminal without --out', async () => {
    let err = '';
    const sink = (tty: boolean) => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: tty });
    const ctx = (tty: boolean): CliContext => ({
      dataDir: lib.dataDir,
      json: false,
      stdout: sink(tty),
      stderr: sink(false),
      library: () => lib,
      print: () => {},
      printJson: () => {},
      warn: (line) => void (err += line + '\n'),
      close: () => {},
    });
    const out = path.join(tempDir('gloss-qdpx-out-'), 'project.qdpx');
    expect(await exportCommand(ctx(false), [], { tags: [], out })).toBe(0);
    expect(err).toContain('as qdpx to');
    expect(err).toContain('1 detached annotation(s) left out');
    expect(Object.keys(unzipSync(fs.readFileSync(out))).sort()).toEqual(Object.keys(entries).sort());
    await expect(exportCommand(ctx(true), [], { format: 'qdpx', tags: [] })).rejects.toThrow(/qdpx is a zip archive: give --out FILE\.qdpx/);
  });
});

describe('a REFI-QDA project as QualCoder writes it (tests/fixtures/exchange/qualcoder-project)', () => {
  it.skipIf(!fs.existsSync(xsd) || !hasXmllint)('is itself valid against the schema (needs ../shared and libxml2-utils)', () => {
    expect(xmllint(fs.readFileSync(path.join(fixtureDir, 'project.qde'))).status).toBe(0);
  });

  it('imports its text sources, codebook and codings: categories as parent tags, merged selections, code points after an emoji, blank lines dropped', async () => {
    const lib = library();
    const outcomes = await importQdpxProject(lib, 'harbour_study.qdpx', zipFolder(fixtureDir));
    expect(outcomes.map((o) => [o.name, o.status, o.annotations])).toEqual([
      ['harbour_study.qdpx › interview-01.txt', 'imported', 6],
      ['harbour_study.qdpx › ראיון-02.txt', 'imported', 1],
    ]);
    expect(outcomes[0]!.message).toContain('left out 1 PictureSource (Gloss reads text sources)');
    expect(outcomes[0]!.notes).toEqual(expect.arrayContaining([{ code: 'sources-left-out', params: { count: 1, kinds: 'PictureSource' } }, { code: 'codes-renamed', params: { count: 1 } }]));
    // Every position held its words (code points converted, blank lines mapped): none needed its name.
    expect(outcomes.map((o) => o.message ?? '').join()).not.toContain('placed by their text');
    expect(outcomes[0]!.message).toContain('renamed 1 code(s) to fit tag paths: "Emotion/Feeling" is "Emotion∕Feeling"');

    const [en, he] = lib.list();
    expect(en).toMatchObject({ title: 'interview-01', meta: { sourceKind: 'qdpx', description: 'First interview, at the quay', date: '2024-05-20T10:05:00.000Z' } });
    const text = lib.text(en!.id);
    expect(text.startsWith('Interviewer: How long')).toBe(true);
    expect(text).not.toContain('\n\n');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);

    const tags = new Map(lib.tags().map((t) => [t.path, t.color]));
    expect([...tags.keys()]).toEqual(['Emotion∕Feeling', 'Emotion∕Feeling/Joy', 'Tradition', 'Tradition/Family', 'Tradition/Ritual']);
    expect(tags.get('Tradition/Ritual')).toBe('#f5a9bc');

    const list = lib.annotations(en!.id);
    const on = (exact: string) => list.find((a) => a.exact === exact)!;
    expect(list.map((a) => a.exact)).toEqual([
      'Since I was twelve',
      'My father took me out on his boat every summer.',
      'the flags',
      'We raise them before we leave.',
      'I was so happy 😀 the first time they let me do it.',
      'It is a promise to come back.',
    ]);
    expect(on('My father took me out on his boat every summer.')).toMatchObject({ tags: ['Tradition/Family', 'Tradition/Ritual'], note: 'father as teacher', color: 'blue' });
    expect(on('We raise them before we leave.')).toMatchObject({ author: 'Miriam', tags: ['Tradition/Ritual'], color: 'pink', created: '2024-05-21T09:03:00.000Z' });
    expect(on('It is a promise to come back.')).toMatchObject({ note: 'promise & return <core>' });
    expect(on('the flags')).toMatchObject({ note: 'He smiled here', tags: [] });
    expect(on('Since I was twelve').author).toBe('default');
    expect(lib.annotations(he!.id)).toEqual([expect.objectContaining({ exact: 'את הדגלים על המזח', tags: ['Tradition/Ritual'], author: 'Miriam' })]);

    // Twice: the same documents, the codings updated, not doubled.
    const again = await importQdpxProject(lib, 'harbour_study.qdpx', zipFolder(fixtureDir));
    expect(again.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    expect(lib.annotations(en!.id)).toHaveLength(6);
  });

  it('reads a project whose selections counted line breaks as two characters, by the text QualCoder names them with', async () => {
    const dir = tempDir('gloss-qdpx-crlf-');
    fs.cpSync(fixtureDir, dir, { recursive: true });
    // The MAXQDA option of QualCoder's export: the text file gets CRLF, the positions do not.
    const src = path.join(dir, 'sources', '8e7fddfe-db36-48dc-b464-80c3a4decd90.txt');
    fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace(/\n/g, '\r\n'));
    const lib = library();
    const [outcome] = await importQdpxProject(lib, 'crlf.qdpx', zipFolder(dir));
    expect(outcome!.message).toMatch(/selection\(s\) placed by their text, which their positions did not hold/);
    const exacts = lib.annotations(lib.list()[0]!.id).map((a) => a.exact);
    expect(exacts).toContain('We raise them before we leave.');
    expect(exacts).toContain('It is a promise to come back.');
  });
});

describe('projects that cannot be read, whole or in part', () => {
  const qde = (body: string, attrs = '') => `<?xml version="1.0" encoding="UTF-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t"${attrs}>${body}</Project>`;
  const source = (guid: string, path: string, selections = '') => `<TextSource guid="${guid}" name="s.txt" plainTextPath="${path}">${selections}</TextSource>`;
  const g = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  async function refused(files: Zippable): Promise<string> {
    const lib = library();
    try {
      await importQdpxProject(lib, 'bad.qdpx', zipSync(files));
    } catch (e) {
      expect(e).toBeInstanceOf(ImportError);
      expect(lib.list()).toEqual([]);
      expect(lib.tags()).toEqual([]);
      return (e as Error).message;
    }
    throw new Error('not refused');
  }

  it('refuses what is not a project, naming the file and the reason; nothing is written', async () => {
    const lib = library();
    await expect(importQdpxProject(lib, 'notes.qdpx', strToU8('just some text, long enough to look at'))).rejects.toThrow('notes.qdpx: is not a zip archive');
    expect(await refused({ 'readme.txt': strToU8('hello') })).toBe('bad.qdpx: is not a REFI-QDA project (it holds no project.qde)');
    expect(await refused({ 'project.qde': strToU8('<Book xmlns="urn:other"/>') })).toMatch(/^bad\.qdpx: is not a REFI-QDA project its reader understands \(project\.qde: its root element is <Book> in urn:other/);
    const deep = `<CodeBook><Codes>${`<Code guid="${g(1)}" name="x" isCodable="true">`.repeat(300)}${'</Code>'.repeat(300)}</Codes></CodeBook>`;
    expect(await refused({ 'project.qde': strToU8(qde(deep)) })).toBe('bad.qdpx: nests elements too deeply in project.qde (more than 256 levels, the limit)');
    const badSel = source(g(2), `internal://${g(2)}.txt`, `<PlainTextSelection guid="${g(3)}" startPosition="x" endPosition="4"/>`);
    expect(await refused({ 'project.qde': strToU8(qde(`<Sources>${badSel}</Sources>`)), [`sources/${g(2)}.txt`]: strToU8('abcdef') })).toMatch(/the selection 00000000-0000-4000-8000-000000000003 has no whole-number startPosition and endPosition/);
  });

  it('reads the good sources and reports the others: outside the archive, missing, not UTF-8; a selection outside its text', async () => {
    const lib = library();
    const body = `<Sources>${source(g(1), `internal://${g(1)}.txt`, `<PlainTextSelection guid="${g(9)}" startPosition="0" endPosition="5"/><PlainTextSelection guid="${g(10)}" startPosition="4" endPosition="99"/>`)}${source(g(2), 'relative:///interviews/b.txt')}${source(g(3), `internal://${g(3)}.txt`)}${source(g(4), `internal://${g(4)}.txt`)}</Sources>`;
    const outcomes = await importQdpxProject(lib, 'mixed.qdpx', zipSync({ 'Project.qde': strToU8(qde(body)), [`Sources/${g(1)}.txt`]: strToU8('Hello world\n'), [`Sources/${g(4)}.txt`]: new Uint8Array([0xff, 0xfe, 0x41]) }));
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed', 'imported']);
    expect(outcomes[0]!.message).toContain('its text is outside the project (relative:///interviews/b.txt)');
    expect(outcomes[1]!.message).toContain(`its text file internal://${g(3)}.txt is not in the project`);
    expect(outcomes[2]!.message).toContain('is not UTF-8');
    expect(outcomes[3]!.message).toContain('1 selection(s) not imported: the selection 00000000-0000-4000-8000-000000000010 (4-99) is outside the text (12 characters)');
    expect(lib.annotations(outcomes[3]!.documentId!)).toEqual([expect.objectContaining({ exact: 'Hello' })]);
  });
});

describe('source text to blocks', () => {
  it('maps every code point of the source onto the canonical text, across CRLF, blank lines and an emoji', () => {
    const source = '\r\nFirst 😀 line\r\n\r\n   \r\nSecond\rThird\n\n';
    const doc = linesToDocument(source, 'x.txt', undefined)!;
    const canonical = doc.parsed.blocks.map((b) => b.text).join('\n');
    expect(canonical).toBe('First 😀 line\nSecond\nThird');
    for (const word of ['First', 'line', 'Second', 'Third', '😀']) {
      const start = [...source.slice(0, source.indexOf(word))].length;
      const end = start + [...word].length;
      expect(canonical.slice(doc.toCanonical(start), doc.toCanonical(end)), word).toBe(word);
    }
    // A position in a blank stretch goes to the next line's start.
    expect(doc.toCanonical([...source.slice(0, source.indexOf('   '))].length)).toBe(canonical.indexOf('Second'));
  });
});
