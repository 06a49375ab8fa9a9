/**
 * XLIFF 1.2 both ways: the export (well-formed, one trans-unit per unit with text, languages,
 * states, notes from annotations), the bounded reader (every limit named, malformed files refused
 * with a line and column, proposals in <alt-trans> and native codes left out), and the import
 * into a translation started in Gloss and into the target of two imported texts: a report of
 * units updated, unchanged and not matched, never a text in the wrong unit. Then the round trip
 * through translate-toolkit's XLIFF reader (Debian python3-translate) and OmegaT in console mode
 * (Debian omegat), each where the machine has it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUnitId, readXliff, unitId, XLIFF_LIMITS, XliffError } from '../../src/common/export/pair-xliff.js';
import { createContext } from '../../src/main/cli/context.js';
import { exportPairCommand, importTranslationCommand } from '../../src/main/cli/pair.js';
import { createHandlers, dispatch } from '../../src/main/handlers.js';
import { Library } from '../../src/main/library.js';
import { PairService, xliffText } from '../../src/main/pairs.js';
import { listRevisions } from '../../src/main/store/revisions.js';
import { ruthExcerpt } from '../../bench/alignment.js';
import { tempDir } from '../helpers.js';

const verses = ruthExcerpt().slice(0, 8);
const HE = verses.map((v) => v.he);
const EN = verses.map((v) => v.en);

const libraries: Library[] = [];
afterAll(() => {
  for (const l of libraries.splice(0)) l.close();
});

const markdown = (title: string, paragraphs: readonly string[]) => `# ${title}\n\n${paragraphs.join('\n\n')}\n`;

async function setup(): Promise<{ lib: Library; dir: string; pairs: PairService; he: number; en: number }> {
  const dir = tempDir('gloss-xliff-');
  const lib = Library.open(path.join(dir, 'data'));
  libraries.push(lib);
  fs.writeFileSync(path.join(dir, 'he.md'), markdown('רות', HE));
  fs.writeFileSync(path.join(dir, 'en.md'), markdown('Ruth', EN));
  const out = await lib.importPaths([path.join(dir, 'he.md'), path.join(dir, 'en.md')]);
  return { lib, dir, pairs: new PairService(lib, () => new Date('2025-03-01T10:00:00Z')), he: out[0]!.documentId!, en: out[1]!.documentId! };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', isArray: (name) => ['trans-unit', 'note'].includes(name) });

/** Fills in the targets of an exported file: each trans-unit's target becomes `translate(id, source)`. */
function translateFile(xliff: string, translate: (id: string, source: string) => string | null, state = 'translated'): string {
  return xliff.replace(/(<trans-unit id="([^"]+)"[^>]*>\n\s*<source xml:lang="he">)([^<]*)(<\/source>)(\n\s*<target[^>]*>[^<]*<\/target>)?/g, (_m: string, open: string, id: string, src: string, close: string) => {
    const text = translate(id, src.replace(/&amp;/g, '&'));
    return text === null ? _m : `${open}${src}${close}\n        <target xml:lang="en" state="${state}">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</target>`;
  });
}

describe('export', () => {
  it('one trans-unit per unit with text, languages, states, approved, and notes from annotations', async () => {
    const { lib, pairs, he, en } = await setup();
    const pair = pairs.create(he, en, { autoAlign: true });
    pairs.confirm(pair.id, [1, 2]);
    const sourceText = lib.text(he);
    const at = sourceText.indexOf(HE[1]!.slice(0, 20));
    lib.annotate(he, { start: at, end: at + 10 }, { color: 'green', note: 'הערה & note', tags: ['name/person'] });
    const out = pairs.export(pair.id, 'xliff');
    expect(out.fileName).toBe(`gloss-pair-${pair.id}.xlf`);
    expect(out.mediaType).toMatch(/xliff/);
    expect(XMLValidator.validate(out.content)).toBe(true);
    const doc = parser.parse(out.content);
    expect(doc.xliff['@version']).toBe('1.2');
    expect(doc.xliff['@xmlns']).toBe('urn:oasis:names:tc:xliff:document:1.2');
    const file = doc.xliff.file;
    expect([file['@source-language'], file['@target-language'], file['@datatype'], file['@original']]).toEqual(['he', 'en', 'plaintext', 'רות']);
    const units = file.body['trans-unit'];
    expect(units).toHaveLength(verses.length + 1);
    expect(units.map((u: { '@id': string }) => u['@id'])).toEqual(Array.from({ length: verses.length + 1 }, (_, i) => `s${i}.t${i}`));
    expect(units[2].source['#text']).toBe(HE[1]);
    expect(units[2].source['@xml:lang']).toBe('he');
    expect(units[2].target['#text']).toBe(EN[1]);
    expect(units[2].target['@state']).toBe('final');
    expect(units[2]['@approved']).toBe('yes');
    expect(units[4].target['@state']).toBe('translated');
    expect(units[4]['@approved']).toBeUndefined();
    expect(units[2].note[0]['#text']).toContain('הערה & note');
    expect(units[2].note[0]['#text']).toContain('(tags: name/person)');
    expect(units[2].note[0]['@annotates']).toBe('source');
    // Our own reader reads our own file.
    const read = readXliff(out.content);
    expect(read.units).toHaveLength(verses.length + 1);
    expect(read.units[2]).toMatchObject({ id: 's2.t2', source: HE[1], target: { text: EN[1], state: 'final' }, approved: true, translate: true });
  });

  it('unit ids name their blocks, both ways', () => {
    expect(unitId({ source: [3, 4], target: [5] })).toBe('s3-4.t5');
    expect(unitId({ source: [7], target: [] })).toBe('s7.t');
    expect(parseUnitId('s3-4.t5')).toEqual({ source: [3, 4], target: [5] });
    expect(parseUnitId('s7.t')).toEqual({ source: [7], target: [] });
    expect(parseUnitId('tu-12')).toBeNull();
    expect(parseUnitId('s9-3.t1')).toBeNull();
  });
});

describe('the reader', () => {
  const wrap = (body: string, file = 'source-language="he" target-language="en" original="x" datatype="plaintext"') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file ${file}><body>\n${body}\n</body></file>\n</xliff>\n`;

  it('keeps the text of <g> and <mrk>, drops native codes and placeholders, ignores <alt-trans> and <seg-source>, reads CDATA and references', () => {
    const f = readXliff(
      wrap(`<group id="g1"><trans-unit id="a">
  <source>שלום <g id="1">עולם</g><x id="2"/>!</source>
  <seg-source><mrk mtype="seg" mid="1">not this</mrk></seg-source>
  <target state="translated">Hello <g id="1">world</g><ph id="3">&lt;br/&gt;</ph> <bpt id="4">{b}</bpt>again<ept id="4">{/b}</ept> &amp; <![CDATA[<more>]]> &#x2014; &#1488;
  next line</target>
  <alt-trans><source>old</source><target>Proposal, not the translation</target></alt-trans>
  <note>a note</note>
</trans-unit></group>`),
    );
    expect(f.units).toEqual([{ id: 'a', translate: true, source: 'שלום עולם!', target: { text: 'Hello world again & <more> — א next line', state: 'translated' }, approved: false, line: 4 }]);
    expect(f.sourceLanguage).toBe('he');
  });

  const refuses = (text: string, pattern: RegExp, limits?: Partial<Record<keyof typeof XLIFF_LIMITS, number>>) => {
    let error: unknown;
    try {
      readXliff(text, limits);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XliffError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('refuses malformed files, saying where and why', () => {
    refuses(wrap('<trans-unit id="a"><source>x</target></trans-unit>'), /^line 4, column \d+: <\/target> closes <source>, opened at line/);
    refuses(wrap('<trans-unit id="a"><source>x &nbsp; y</source></trans-unit>'), /unknown entity &nbsp;/);
    refuses(wrap('<trans-unit id="a"><source>a & b</source></trans-unit>'), /“&” must begin an entity/);
    refuses('<!DOCTYPE xliff [<!ENTITY a "aaaa">]><xliff version="1.2"/>', /a DOCTYPE is not read/);
    refuses('<xliff version="2.0"><file/></xliff>', /this is XLIFF 2\.0; Gloss reads XLIFF 1\.2/);
    refuses('<tmx version="1.4"/>', /the document element is <tmx>, not <xliff>/);
    refuses('just text', /not an XML file/);
    refuses('<xliff version="1.2"><file source-language="he"><body>', /^line 1, column \d+: <body> is not closed \(the file ends first\)/);
    refuses(wrap('<trans-unit id="a"><source>x</source></trans-unit><trans-unit id="a"><source>y</source></trans-unit>'), /two trans-units have the id a/);
    refuses(wrap('<trans-unit id="a"><target>x</target></trans-unit>'), /trans-unit a has no <source>/);
    refuses(wrap('<trans-unit><source>x</source></trans-unit>'), /without an id/);
  });

  it('names every limit it stops at', () => {
    const units = Array.from({ length: 6 }, (_, i) => `<trans-unit id="u${i}"><source>x</source></trans-unit>`).join('');
    refuses(wrap(units), /more than 5 trans-units \(XLIFF_LIMITS\.units\)/, { units: 5 });
    refuses(wrap(`<trans-unit id="a"><source>${'<g>'.repeat(70)}x${'</g>'.repeat(70)}</source></trans-unit>`), /nest more than 64 deep \(XLIFF_LIMITS\.depth\)/);
    refuses(wrap('<trans-unit id="a"><source>0123456789</source></trans-unit>'), /more than 5 characters \(XLIFF_LIMITS\.segment\)/, { segment: 5 });
    refuses(wrap(''), /at most 10 are read \(XLIFF_LIMITS\.chars\)/, { chars: 10 });
    expect(XLIFF_LIMITS).toEqual({ chars: 50_000_000, units: 100_000, depth: 64, segment: 1_000_000 });
  });

  it('reads a 100,000-unit file in bounded time', () => {
    const body = Array.from({ length: 100_000 }, (_, i) => `<trans-unit id="u${i}"><source>שורה ${i}</source><target>line ${i}</target></trans-unit>`).join('\n');
    const t0 = performance.now();
    const f = readXliff(wrap(body));
    const ms = performance.now() - t0;
    expect(f.units).toHaveLength(100_000);
    expect(f.units[99_999]!.line).toBe(100_003);
    console.log(`read 100,000 trans-units (${(body.length / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(10_000);
  });

  it('decodes UTF-8 and UTF-16 files and refuses others', () => {
    const xml = wrap('<trans-unit id="a"><source>שלום</source></trans-unit>');
    expect(xliffText('a.xlf', Buffer.from(xml, 'utf8'))).toBe(xml);
    expect(xliffText('a.xlf', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]))).toBe(xml);
    expect(() => xliffText('a.xlf', Buffer.from([0x3c, 0xe9, 0xff, 0x3e]))).toThrow(/a\.xlf: the file is not UTF-8/);
  });
});

describe('import', () => {
  it('into a translation started in Gloss: units updated, unchanged, untranslated and not matched, each counted; nothing in the wrong unit', async () => {
    const { lib, pairs, he } = await setup();
    const { pair } = pairs.translate(he, 'en');
    pairs.setBlockText(pair.id, 1, EN[0]!);
    const exported = pairs.export(pair.id, 'xliff').content;
    // Not translated yet: the source copied into the target, state "new" (what CAT tools translate).
    expect(readXliff(exported).units[3]).toMatchObject({ id: 's3.t3', source: HE[2], target: { text: HE[2], state: 'new' } });
    // The CAT tool translates units 1–7 (unit 1 as it already was); unit 5's source is changed in
    // the file, so that it is no longer the pair's; units 6 and 7 swap ids (each must still go
    // where its source text is).
    let file = translateFile(exported, (id) => {
      const n = Number(/^s(\d+)/.exec(id)![1]);
      return n >= 1 && n <= 7 ? EN[n - 1]! : null;
    });
    file = file.replace(`>${HE[4]!.slice(0, 12)}`, '>שונה ');
    file = file.replace('id="s6.t6"', 'id="swap"').replace('id="s7.t7"', 'id="s6.t6"').replace('id="swap"', 'id="s7.t7"');
    const report = pairs.importTranslation(pair.id, 'ruth.xlf', file);
    expect(report).toMatchObject({ file: 'ruth.xlf', units: verses.length + 1, updated: 5, unchanged: 1, untranslated: verses.length + 1 - 7, matchedByText: 2 });
    expect(report.notMatched).toEqual([
      { id: 's5.t5', line: expect.any(Number), reason: "the source text of segment 6 is not the file's any more (it changed since the export)", code: 'source-changed', values: { segments: '6' } },
    ]);
    const target = lib.get(pair.target.id).blocks.map((b) => b.text);
    expect(target.slice(0, 8)).toEqual(['', EN[0], EN[1], EN[2], EN[3], '', EN[5], EN[6]]);
    expect(target.slice(8).every((t) => t === '')).toBe(true);
    // Importing the same file again changes nothing.
    const again = pairs.importTranslation(pair.id, 'ruth.xlf', file);
    expect(again).toMatchObject({ updated: 0, unchanged: 6 });
  });

  it('a file of another pair, another language, or malformed: a clear error and nothing changed', async () => {
    const { lib, pairs, he } = await setup();
    const { pair } = pairs.translate(he, 'en');
    const good = translateFile(pairs.export(pair.id, 'xliff').content, (_id, src) => `T ${src.length}`);
    expect(() => pairs.importTranslation(pair.id, 'x.xlf', good.replace('target-language="en"', 'target-language="fr"'))).toThrow(/^x\.xlf: its target language is fr; the translation in pair \d+ is in en\. Nothing was changed\.$/);
    expect(() => pairs.importTranslation(pair.id, 'x.xlf', good.replace('source-language="he"', 'source-language="en"'))).toThrow(/x\.xlf: it translates from en into en; pair \d+ translates from he into en/);
    expect(() => pairs.importTranslation(pair.id, 'x.xlf', good.replace('</body>', '</bod>'))).toThrow(/^x\.xlf: line \d+, column \d+: <\/bod> closes <body>.*Nothing was changed\.$/);
    expect(lib.get(pair.target.id).blocks.every((b) => b.text === '')).toBe(true);
    // Through the handler table: the same, as an error the app can show.
    const handlers = createHandlers(lib);
    const answer = await dispatch(handlers, 'pairs.importTranslation', { pairId: pair.id, name: 'x.xlf', base64: Buffer.from(good.replace('</body>', '</bod>')).toString('base64') });
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^x\.xlf: line/) } });
    const ok = await dispatch(handlers, 'pairs.importTranslation', { pairId: pair.id, name: 'x.xlf', base64: Buffer.from(good).toString('base64') });
    expect(ok).toMatchObject({ ok: true, value: { updated: verses.length + 1, notMatched: [] } });
  });

  it('units of two blocks or none are reported, not cut at a guess; final translations confirm their units', async () => {
    const { lib, pairs, he, en } = await setup();
    const pair = pairs.create(he, en, { autoAlign: true });
    // Unit 3 takes two English blocks; unit 5 loses its English.
    pairs.link(pair.id, [3], [3, 4]);
    const view = pairs.get(pair.id);
    const five = view.beads.findIndex((b) => b.source[0] === 5);
    pairs.unlink(pair.id, five);
    const before = pairs.get(pair.id).beads;
    const exported = pairs.export(pair.id, 'xliff').content;
    const file = translateFile(exported, (id, src) => `NEW ${id} ${src.length}`, 'final');
    const report = pairs.importTranslation(pair.id, 'ruth.xlf', file);
    // Source 3 now has two English blocks; sources 4 and 5 none (4 lost its block to the link).
    expect(report.notMatched.map((m) => [m.id, m.reason])).toEqual([
      ['s3.t3-4', expect.stringMatching(/^unit \d+ spans 2 segments of the translation; its text cannot be divided among them/)],
      ['s4.t', expect.stringMatching(/^unit \d+ has no segment in the translation to write into$/)],
      ['s5.t', expect.stringMatching(/^unit \d+ has no segment in the translation to write into$/)],
    ]);
    expect(report.updated).toBe(verses.length + 1 - 3);
    // The target of two imported texts gets a new version: the old text is a revision.
    const target = lib.get(en).blocks;
    expect(target[0]!.text).toBe('NEW s0.t0 3');
    expect(target[3]!.text).toBe(EN[2]);
    expect(target[4]!.text).toBe(EN[3]);
    expect(listRevisions(lib.db, en)[0]!.reason).toBe('translation from ruth.xlf');
    // Units keep their places; the final ones are confirmed, none is marked for review.
    const after = pairs.get(pair.id);
    expect(after.beads.map((b) => [b.source, b.target])).toEqual(before.map((b) => [b.source, b.target]));
    expect(after.beads.filter((b) => b.review)).toHaveLength(0);
    expect(after.beads.find((b) => b.source[0] === 0)!.confirmed).toBe(true);
    expect(report.confirmed).toBe(report.updated);
  });

  it('the command line: export-pair --format xliff, and import-translation with its report', async () => {
    const { lib, dir, pairs, he } = await setup();
    const { pair } = pairs.translate(he, 'en');
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += d));
    const err = new PassThrough();
    const ctx = createContext(path.join(dir, 'data'), false, out, err);
    const xlf = path.join(dir, 'ruth.xlf');
    expect(await exportPairCommand(ctx, [String(pair.id)], { format: undefined, out: xlf })).toBe(0);
    expect(readXliff(fs.readFileSync(xlf, 'utf8')).units).toHaveLength(verses.length + 1);
    fs.writeFileSync(xlf, translateFile(fs.readFileSync(xlf, 'utf8'), (id) => (id === 's2.t2' ? EN[1]! : null)));
    expect(await importTranslationCommand(ctx, [String(pair.id), xlf])).toBe(0);
    expect(printed).toContain(`ruth.xlf: ${verses.length + 1} trans-units: 1 updated, 0 unchanged, ${verses.length} without a translation, 0 not matched`);
    expect(lib.get(pair.target.id).blocks[2]!.text).toBe(EN[1]);
    await expect(importTranslationCommand(ctx, [String(pair.id), path.join(dir, 'none.xlf')])).rejects.toThrow(/none\.xlf: no such file/);
    ctx.close();
  });
});

// Round trips through real CAT tools ------------------------------------------------------------------

const PYTHON = '/usr/bin/python3';
const hasToolkit = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import translate.storage.xliff'], { encoding: 'utf8' }).status === 0;
if (!hasToolkit) console.log('skipped: the translate-toolkit round trip: python3-translate is not installed (apt-get install python3-translate)');

describe.skipIf(!hasToolkit)('round trip through translate-toolkit (python3-translate)', () => {
  it('translate-toolkit reads every unit with its languages and states, writes translations that Gloss imports back', async () => {
    const { lib, dir, pairs, he } = await setup();
    const { pair } = pairs.translate(he, 'en');
    pairs.setBlockText(pair.id, 1, EN[0]!);
    const xlf = path.join(dir, 'ruth.xlf');
    fs.writeFileSync(xlf, pairs.export(pair.id, 'xliff').content);
    const script = `
import json, sys
from translate.storage import xliff
store = xliff.xlifffile.parsefile(sys.argv[1])
units = [u for u in store.units if not u.isheader()]
seen = [{"id": u.getid().split("\x04")[-1], "source": u.source, "target": u.target, "translated": u.istranslated(), "approved": u.isapproved()} for u in units]
for u in units:
    if u.target == u.source:
        u.settarget("TT " + u.getid().split("\x04")[-1])
        u.markapproved(True)
store.savefile(sys.argv[2])
print(json.dumps({"source": store.getsourcelanguage(), "target": store.gettargetlanguage(), "units": seen}, ensure_ascii=False))
`;
    const out = path.join(dir, 'ruth.tt.xlf');
    const r = spawnSync(PYTHON, ['-c', script, xlf, out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as { source: string; target: string; units: { id: string; source: string; target: string; translated: boolean }[] };
    expect([seen.source, seen.target]).toEqual(['he', 'en']);
    expect(seen.units).toHaveLength(verses.length + 1);
    // Not translated yet: its target is a copy of its source, in state "new", which the toolkit does not count as translated.
    expect(seen.units[2]).toMatchObject({ id: 's2.t2', source: HE[1], target: HE[1], translated: false });
    expect(seen.units[1]).toMatchObject({ id: 's1.t1', source: HE[0], target: EN[0] });
    const report = pairs.importTranslation(pair.id, 'ruth.tt.xlf', xliffText('ruth.tt.xlf', fs.readFileSync(out)));
    console.log(`translate-toolkit round trip: ${JSON.stringify({ ...report, notMatched: report.notMatched.length })}`);
    expect(report).toMatchObject({ updated: verses.length, unchanged: 1, notMatched: [] });
    const target = lib.get(pair.target.id).blocks;
    expect(target[1]!.text).toBe(EN[0]);
    expect(target[2]!.text).toBe('TT s2.t2');
    expect(pairs.get(pair.id).beads.every((b) => b.confirmed)).toBe(true);
  });
});

const OMEGAT = ['/usr/bin/omegat', '/usr/share/omegat/OmegaT.jar'].find((f) => fs.existsSync(f));
if (!OMEGAT) console.log('skipped: the OmegaT round trip: omegat is not installed (apt-get install omegat)');

describe.skipIf(!OMEGAT)('round trip through OmegaT in console mode (omegat)', () => {
  it('OmegaT translates the exported file from a translation memory; Gloss imports its target file back', async () => {
    const { lib, dir, pairs, he } = await setup();
    const { pair } = pairs.translate(he, 'en');
    const project = path.join(dir, 'omegat');
    for (const sub of ['source', 'target', 'tm', 'glossary', 'dictionary', 'omegat']) fs.mkdirSync(path.join(project, sub), { recursive: true });
    fs.writeFileSync(path.join(project, 'source', 'ruth.xlf'), pairs.export(pair.id, 'xliff').content);
    fs.writeFileSync(
      path.join(project, 'omegat.project'),
      `<?xml version="1.0" encoding="UTF-8"?>
<omegat><project version="1.0">
<source_dir>source/</source_dir><source_dir_excludes/><target_dir>target/</target_dir><tm_dir>tm/</tm_dir>
<glossary_dir>glossary/</glossary_dir><glossary_file>glossary/glossary.txt</glossary_file><dictionary_dir>dictionary/</dictionary_dir>
<source_lang>he</source_lang><target_lang>en</target_lang><source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok><target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
<sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations><remove_tags>false</remove_tags>
</project></omegat>
`,
    );
    // The project's memory holds the English of each verse (as if typed in OmegaT earlier): its
    // console mode writes those translations into the target file.
    const tmx = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="paragraph" o-tmf="x" adminlang="en" srclang="he" datatype="plaintext"/><body>'];
    for (const [i, v] of verses.entries()) tmx.push(`<tu><tuv xml:lang="he"><seg>${v.he}</seg></tuv><tuv xml:lang="en"><seg>OMT ${i} ${v.en.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</seg></tuv></tu>`);
    tmx.push('</body></tmx>');
    fs.writeFileSync(path.join(project, 'omegat', 'project_save.tmx'), tmx.join('\n'));
    const omegat = OMEGAT!;
    const args = omegat.endsWith('.jar') ? ['-jar', omegat, project, '--mode=console-translate', '--disable-project-locking'] : [project, '--mode=console-translate', '--disable-project-locking'];
    const r = spawnSync(omegat.endsWith('.jar') ? 'java' : omegat, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, HOME: dir, JAVA_TOOL_OPTIONS: '-Djava.awt.headless=true' } });
    const translated = path.join(project, 'target', 'ruth.xlf');
    expect(fs.existsSync(translated), `OmegaT wrote no target file; exit ${r.status}; ${r.stdout.slice(-2000)} ${r.stderr.slice(-2000)}`).toBe(true);
    const report = pairs.importTranslation(pair.id, 'ruth.xlf', xliffText('ruth.xlf', fs.readFileSync(translated)));
    console.log(`OmegaT round trip: ${JSON.stringify({ ...report, notMatched: report.notMatched.length })}`);
    expect(report.notMatched).toEqual([]);
    expect(report.updated).toBe(verses.length);
    const target = lib.get(pair.target.id).blocks;
    for (const [i, v] of verses.entries()) expect(target[i + 1]!.text).toBe(`OMT ${i} ${v.en}`);
  }, 600_000);
});
