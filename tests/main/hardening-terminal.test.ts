/**
 * F5: text from files never drives the terminal. A title, a paragraph, a note and a tag holding
 * ESC sequences (window title, clear screen, colours), BEL, a C1 CSI, a carriage return and the
 * bidi override and isolate characters are printed by the real `gloss` escaped as \uXXXX, while
 * the library (and --json, as JSON escapes) keeps exactly what the file had. The CLI's own bidi
 * isolates around titles appear on a terminal only (issue 11): checked through a real
 * pseudo-terminal (`script`), and absent on a pipe.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanForTerminal, cleanLine, isolateFor, jsonForTerminal } from '../../src/main/cli/terminal.js';
import { glossBin, repoRoot, tempDir } from '../helpers.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Everything a hostile file put in one title: OSC window title, clear screen, colour, C1 CSI, CR, RLO, LRI. */
const TITLE = `Report ${ESC}]0;pwned${BEL}${ESC}[2J${ESC}[31mRED\u009b31m\rback \u202egnp.exe\u202c \u2066iso\u2069 end`;
const BODY = `A paragraph ${ESC}[1mbold${ESC}[0m and a bell${BEL} and \u202eoverride\u202c here.`;
/** What must never reach the terminal raw. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/u;

function gloss(args: string[], data: string) {
  const r = spawnSync(process.execPath, [glossBin, ...args, '--data', data], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs gloss with stdout on a real pseudo-terminal (util-linux `script`), returning what the terminal received. */
function glossOnTerminal(args: string[], data: string): string {
  const command = [process.execPath, glossBin, ...args, '--data', data].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.replace(/\r\n/g, '\n');
}

describe('control characters from files in CLI output (F5)', () => {
  const data = tempDir('gloss-f5-');
  const file = path.join(tempDir('gloss-f5-files-'), 'hostile.html');

  beforeAll(() => {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    // Enough ordinary text around them that the importer takes the file for text, as a real page would be.
    const prose = '<p>An ordinary paragraph of a web page, with nothing in it but words and a full stop.</p>'.repeat(8);
    fs.writeFileSync(file, `<!doctype html><html><head><title>${esc(TITLE)}</title></head><body><h1>${esc(TITLE)}</h1><p>${esc(BODY)}</p>${prose}</body></html>`);
    const r = gloss(['import', file], data);
    expect(r.code, r.err).toBe(0);
    const note = gloss(['annotate', '1', '--quote', 'bold', '--note', `see ${ESC}[8mhidden${ESC}[0m`, '--tag', 'claim/\u202eevil'], data);
    expect(note.code, note.err).toBe(0);
  });

  it('keeps the stored text as the file had it (--json reads back the same characters)', () => {
    const r = gloss(['list', '--json'], data);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(RAW);
    const [doc] = JSON.parse(r.out) as { title: string }[];
    // The importer folds whitespace in titles (the CR becomes a space); every control character stays.
    expect(doc!.title).toBe(TITLE.replace(/\s+/gu, ' '));
    const show = JSON.parse(gloss(['show', '1', '--json'], data).out) as { text: string };
    expect(show.text).toContain(BODY);
  });

  it.each([
    ['list', ['list']],
    ['show', ['show', '1']],
    ['annotations', ['annotations', '1']],
    ['search', ['search', 'bold']],
    ['tags', ['tags']],
    ['import (the outcome line)', ['import', '__FILE__']],
  ])('gloss %s prints them escaped, never raw', (_name, args) => {
    const r = gloss(args.map((a) => (a === '__FILE__' ? file : a)), data);
    const printed = r.out + r.err;
    expect(printed, printed).not.toMatch(RAW);
    // Escaped, so a person still sees that they are there.
    if (args[0] !== 'tags' && args[0] !== 'import') expect(printed).toMatch(/\\u001b/);
  });

  it('shows the title escaped in full on a pipe, without the CLI’s isolates', () => {
    const r = gloss(['list'], data);
    expect(r.out).toContain('\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mRED\\u009b31m back \\u202egnp.exe\\u202c \\u2066iso\\u2069 end');
    expect(r.out).not.toMatch(/[\u2066-\u2069]/u);
  });

  it.skipIf(!hasScript)('on a terminal: the CLI isolates each title (FSI … PDI), the file’s own isolates escaped inside it', () => {
    const out = glossOnTerminal(['list'], data);
    expect(out).not.toMatch(RAW);
    const line = out.split('\n').find((l) => l.includes('Report'))!;
    // Exactly one pair of isolates: the CLI's own, around the title.
    expect(line.match(/[\u2066-\u2069]/gu)).toEqual(['\u2068', '\u2069']);
    expect(line).toMatch(/\u2068Report .*\\u2066iso\\u2069 end\u2069$/u);
  });
});

describe('terminal.ts', () => {
  it('escapes C0 (not tab or newline), DEL, C1 and the bidi controls; leaves everything else', () => {
    const all = Array.from({ length: 0x250 }, (_, i) => String.fromCharCode(i)).join('') + '\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 שָׁלוֹם';
    const clean = cleanForTerminal(all);
    expect(clean).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(clean).toContain('\t\n');
    expect(clean).toContain('\\u001b');
    expect(clean).toContain('\\u009b');
    expect(clean).toContain('\\u202e');
    expect(clean).toContain('\\u2069');
    expect(clean).toContain(' שָׁלוֹם');
    // Idempotent: escaping what is escaped changes nothing.
    expect(cleanForTerminal(clean)).toBe(clean);
  });

  it('a whole line keeps the CLI’s isolates; a cell is isolated only on a terminal', () => {
    expect(cleanLine(`a \u2068${ESC}[2J\u2069`)).toBe('a \u2068\\u001b[2J\u2069');
    expect(isolateFor(true, `x\u2067y`, 'rtl')).toBe('\u2067x\\u2067y\u2069');
    expect(isolateFor(false, `x\u2067y`, 'rtl')).toBe('x\\u2067y');
  });

  it('JSON for the terminal parses back to the same value', () => {
    const value = { title: TITLE, list: [BODY, '\u0085\u2028\u2029'] };
    const text = jsonForTerminal(value);
    expect(text).not.toMatch(RAW);
    expect(text).not.toMatch(/[\u2066-\u2069]/u);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('argument errors in Gloss’s words', () => {
  const data = tempDir('gloss-args-');

  it.each([
    [['annotate', '1', '--start', '-1', '--end', '3'], /--start counts from 0 and cannot be negative \("-1"\)/],
    [['annotate', '1', '--start=-5', '--end', '3'], /--start counts from 0 and cannot be negative \("-5"\)/],
    [['annotate', '1', '--start', '1.5', '--end', '3'], /--start takes a whole number \(0, 1, 2 …\), not "1\.5"/],
    [['annotate', '1', '--start', '99999999999999999999', '--end', '3'], /--start is too large/],
    [['annotate', '1', '--start'], /--start needs a value/],
    [['list', '--frobnicate'], /there is no option --frobnicate/],
    [['list', `--${ESC}[2J`], /there is no option --\\u001b\[2J/],
  ])('%j', (args, message) => {
    const r = gloss(args, data);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/ERR_PARSE_ARGS|ambiguous|TypeError|\n\s+at /);
    expect(r.err).not.toMatch(RAW);
  });
});
