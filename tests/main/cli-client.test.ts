/**
 * The command line is a client of the handler table: its commands call the app's verbs through
 * `dispatch`, and a payload the API's schema refuses is refused on the command line with the
 * schema's reason, phrased for the terminal (exit 2).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_NOTE_LENGTH } from '../../src/common/annotation-schema.js';
import type { Handlers, Method } from '../../src/common/api.js';
import type { DocumentSummary } from '../../src/common/model.js';
import { main } from '../../src/main/cli/main.js';
import { createHandlers } from '../../src/main/handlers.js';
import type { Library } from '../../src/main/library.js';
import { glossBin, repoRoot, seedFiles, tempDir } from '../helpers.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs `gloss` in this process over a handler table that records every handler the commands reach. */
async function glossWatched(argv: string[], fault?: { method: Method; error: Error }): Promise<{ code: number; out: string; err: string; calls: Method[] }> {
  const calls: Method[] = [];
  const watched = (library: Library): Handlers => {
    const table = createHandlers(library);
    const out: Record<string, unknown> = {};
    for (const [method, handler] of Object.entries(table)) {
      out[method] = (request: unknown) => {
        calls.push(method as Method);
        if (fault?.method === method) throw fault.error;
        return (handler as (r: unknown) => unknown)(request);
      };
    }
    return out as Handlers;
  };
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, stdout.stream, stderr.stream, watched);
  return { code, out: stdout.text(), err: stderr.text(), calls };
}

function gloss(args: string[]) {
  const r = spawnSync(process.execPath, [glossBin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('every command with a verb goes through the handler table', () => {
  const d = ['--data', tempDir('gloss-client-')];

  it('each command reaches the verbs the app calls, and only those', async () => {
    expect((await glossWatched(['import', ...d, ...seedFiles()])).calls).toEqual([]); // no verb: paths with progress
    const listed = await glossWatched(['list', ...d, '--json']);
    expect(listed.calls).toEqual(['library.list']);
    const docs = JSON.parse(listed.out) as DocumentSummary[];
    const he = docs.find((x) => x.language === 'he')!;
    const en = docs.find((x) => x.language === 'en')!;

    const steps: [string[], Method[]][] = [
      [['show', String(he.id)], ['library.list', 'documents.get']],
      [['annotations', String(he.id), '--tag', 'x'], ['library.list', 'annotations.list']],
      [['tags'], ['tags.list']],
      [['search', 'the'], ['library.searchPage']],
      [['rename', String(en.id), 'A', 'new', 'title'], ['library.list', 'documents.rename']],
      [['revisions', String(en.id)], ['library.list', 'documents.revisions']],
      [['pairs'], ['pairs.list']],
      [['links', String(he.id)], ['library.list', 'links.list']],
    ];
    for (const [args, methods] of steps) {
      const r = await glossWatched([...args, ...d]);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
      expect(r.calls, args.join(' ')).toEqual(methods);
    }

    const annotate = async (doc: number) => {
      const r = await glossWatched(['annotate', String(doc), '--start', '0', '--end', '3', '--tag', 'claim', '--json', ...d]);
      expect(r.calls).toEqual(['library.list', 'annotations.create']);
      return (JSON.parse(r.out) as { id: string }).id;
    };
    const a = await annotate(he.id);
    const b = await annotate(en.id);
    // A quote is found by the command line in the document the verb answers, then sent as offsets.
    const byQuote = await glossWatched(['annotate', 'A new', '--quote', 'the', '--nth', '1', ...d]);
    expect(byQuote.calls).toEqual(['library.list', 'documents.get', 'annotations.create']);
    expect((await glossWatched(['link', a, b, ...d])).calls).toEqual(['links.create']);

    const translated = await glossWatched(['translate', String(he.id), '--lang', 'en', '--json', ...d]);
    expect(translated.calls).toEqual(['library.list', 'pairs.translate']);
    const pairId = String((JSON.parse(translated.out) as { pair: { id: number } }).pair.id);
    expect((await glossWatched(['align', pairId, ...d])).calls).toEqual(['pairs.get', 'documents.get', 'documents.get']);
    expect((await glossWatched(['align', pairId, '--auto-align', ...d])).calls).toEqual(['pairs.autoAlign']);
    const out = path.join(tempDir('gloss-client-out-'), 'pair.xlf');
    expect((await glossWatched(['export-pair', pairId, '--out', out, ...d])).calls).toEqual(['pairs.export', 'pairs.get']);
    const back = await glossWatched(['import-translation', pairId, out, ...d]);
    expect(back.code, back.err).toBe(0);
    expect(back.calls).toEqual(['pairs.importTranslation']);
  });

  it('a payload the schema refuses never reaches the handler: exit 2, the option named, the limit said', async () => {
    const title = 'T'.repeat(600);
    const r = await glossWatched(['rename', '1', title, ...d]);
    // The library's own rule (200 characters, exit 1) never ran: dispatch's schema refused first.
    expect(r.calls).toEqual(['library.list']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('gloss rename: TITLE is too long: at most 500 characters (it has 600)\n(see gloss --help)\n');
    expect((await glossWatched(['list', ...d, '--json'])).out).not.toContain(title);
  });

  it('a system error inside a handler is told in one sentence, with no stack trace on the terminal or from dispatch', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      const r = await glossWatched(['tags', ...d], { method: 'tags.list', error: full });
      expect(r.calls).toEqual(['tags.list']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^gloss tags: the disk holding .* is full\. Free some space and try again; the library is unchanged\.\n$/);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});

describe('the API schema’s refusals on the real command line', () => {
  const data = tempDir('gloss-client-cli-');
  const d = ['--data', data];
  let doc = '';
  beforeAll(() => {
    if (!fs.existsSync(path.join(repoRoot, 'dist/main/cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run `npm run build` (npm test does)');
    expect(gloss(['import', ...d, seedFiles()[1]!]).code).toBe(0);
    doc = String((JSON.parse(gloss(['list', ...d, '--json']).out) as DocumentSummary[])[0]!.id);
  });

  it.each([
    ['a note over the API’s cap', ['annotate', '--start', '0', '--end', '4', '--note', 'n'.repeat(MAX_NOTE_LENGTH + 1)], `--note is too long: at most 100,000 characters (it has 100,001)`],
    ['a negative offset', ['annotate', '--start', '-1', '--end', '4'], '--start counts from 0 and cannot be negative ("-1")'],
    ['an end before any text', ['annotate', '--start', '0', '--end', '0'], '--end must be at least 1, not "0"'],
    ['a colour not in the palette', ['annotate', '--quote', 'Russia', '--nth', '1', '--color', 'mauve'], '--color must be one of yellow, green, blue, pink, purple, orange, not "mauve"'],
    ['a tag path over 400 characters', ['annotate', '--start', '0', '--end', '4', '--tag', 't'.repeat(401)], '--tag is too long: at most 400 characters (it has 401)'],
    ['more tags than an annotation takes', ['annotate', '--start', '0', '--end', '4', ...Array.from({ length: 101 }, (_, i) => ['--tag', `t${i}`]).flat()], 'at most 100 --tag may be given (got 101)'],
  ])('annotate with %s', (_what, args, message) => {
    const [command, ...rest] = args as [string, ...string[]];
    const r = gloss([command, doc, ...rest, ...d]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`gloss annotate: ${message}`);
    expect(r.err).toContain('(see gloss --help)');
    expect(r.err).not.toMatch(/ZodError|Invalid request|\n\s+at /);
    expect(JSON.parse(gloss(['annotations', doc, '--json', ...d]).out)).toEqual([]);
  });

  it('search with a query over 500 characters, and a --limit past 500', () => {
    const long = gloss(['search', 'q'.repeat(501), ...d]);
    expect(long.code).toBe(2);
    expect(long.err).toContain('gloss search: QUERY is too long: at most 500 characters (it has 501)');
    const limit = gloss(['search', 'Russia', '--limit', '501', ...d]);
    expect(limit.code).toBe(2);
    expect(limit.err).toContain('gloss search: --limit must be at most 500, not "501"');
  });

  it('an error the handler throws on purpose keeps its words and exit 1', () => {
    const r = gloss(['annotate', doc, '--start', '0', '--end', '99999999', ...d]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^gloss annotate: Range 0-99999999 is outside the document/);
    const none = gloss(['revisions', '999', ...d]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('gloss revisions: No document matches "999"');
  });
});
