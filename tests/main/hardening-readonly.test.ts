/**
 * F4: a read-only library is named as such, never as damage. The real `gloss` runs as a user who
 * may not write the data folder (or the library file): reading commands work, writing commands
 * and `reset-library` fail with a message naming the path and what to do (no stack trace, no
 * advice to reset), and nothing on disk changes.
 *
 * Permissions do not bind root, and these machines run the tests as root: there the commands run
 * as `nobody` through util-linux `setpriv`. As any other user they run as that user.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { glossBin, repoRoot, seedFiles, tempDir } from '../helpers.js';

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version'], { encoding: 'utf8' }).status === 0;
const canDropToNobody = isRoot && hasSetpriv && spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, '-e', 'require(process.argv[1])', path.join(repoRoot, 'package.json')]).status === 0;
const usable = !isRoot || canDropToNobody;
if (!usable) console.log('skipped: read-only libraries: running as root without a way to drop to nobody (setpriv), so permissions would not apply');

/** The command as a user that permissions apply to. */
function asUser(command: string[]): string[] {
  return isRoot ? ['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', ...command] : command;
}

function gloss(args: string[], data: string) {
  const [cmd, ...rest] = asUser([process.execPath, glossBin, ...args, '--data', data]);
  const r = spawnSync(cmd!, rest, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A folder anyone may enter (mkdtemp makes them private to their owner). */
function openDir(prefix: string): string {
  const dir = tempDir(prefix);
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Every file in a folder with its bytes, to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

const NOT_DAMAGE = /damaged|reset-library --yes|unexpected error|\n\s+at \S+ \(|SqliteError|EACCES/;

async function makeLibrary(dir: string): Promise<{ docId: number; annotationId: string }> {
  const lib = Library.open(dir);
  await lib.importPaths(seedFiles());
  const docId = lib.list()[0]!.id;
  const a = lib.annotate(docId, { start: 0, end: 5 }, { note: 'kept', tags: ['claim'] });
  lib.close();
  return { docId, annotationId: a.id };
}

describe.skipIf(!usable)('a read-only library (F4)', () => {
  const root = openDir('gloss-ro-');
  const data = path.join(root, 'library');
  let docId = 0;
  let before: Record<string, string> = {};
  /** A text the library does not hold yet, where the user may read it. */
  const newText = path.join(openDir('gloss-ro-text-'), 'new.txt');

  beforeAll(async () => {
    fs.writeFileSync(newText, 'A new text.\n\nIt has two paragraphs, and nothing else.\n');
    fs.chmodSync(newText, 0o644);
    fs.mkdirSync(data);
    ({ docId } = await makeLibrary(data));
    fs.chmodSync(path.join(data, 'gloss.sqlite'), 0o444);
    fs.chmodSync(data, 0o555);
    before = snapshot(data);
  });
  afterAll(() => fs.chmodSync(data, 0o755));

  it.each([
    ['list', ['list']],
    ['show', ['show', '__DOC__']],
    ['annotations', ['annotations', '__DOC__']],
    ['search', ['search', 'נתניהו']],
    ['export', ['export', '--format', 'csv']],
    ['list --json', ['list', '--json']],
  ])('gloss %s works on it', (_name, args) => {
    const r = gloss(args.map((a) => (a === '__DOC__' ? String(docId) : a)), data);
    expect(r.code, r.err).toBe(0);
    expect(r.out.length).toBeGreaterThan(0);
    expect(r.err).not.toMatch(NOT_DAMAGE);
  });

  it('shows the annotation written before it became read-only', () => {
    const list = JSON.parse(gloss(['annotations', String(docId), '--json'], data).out) as { note: string }[];
    expect(list.map((a) => a.note)).toEqual(['kept']);
  });

  it.each([
    ['annotate', ['annotate', '__DOC__', '--start', '0', '--end', '3']],
    ['import', ['import', '__NEW__']],
    ['update', ['update', '__DOC__', '__NEW__']],
  ])('gloss %s says the folder is read-only and what to do, and changes nothing', (_name, args) => {
    const r = gloss(args.map((a) => (a === '__DOC__' ? String(docId) : a === '__NEW__' ? newText : a)), data);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the library folder ${data} is read-only`);
    expect(r.err).toMatch(/chmod u\+w|--data DIR/);
    expect(r.err).not.toMatch(NOT_DAMAGE);
    expect(snapshot(data)).toEqual(before);
  });

  it('reset-library --yes fails with a message, not a stack trace, and moves nothing', () => {
    const r = gloss(['reset-library', '--yes'], data);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`the library folder ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only.*nothing was changed`));
    expect(r.err).not.toMatch(/\n\s+at \S+|EACCES|unexpected/);
    expect(snapshot(data)).toEqual(before);
  });

  it('an export into a read-only folder names it, leaves no file, and no stack', () => {
    const r = gloss(['export', '--format', 'csv', '--out', path.join(data, 'out.csv')], data);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/permission denied|read-only/);
    expect(r.err).not.toMatch(/\n\s+at \S+/);
    expect(snapshot(data)).toEqual(before);
  });

  it('the browser host serves it for reading and answers a write with the reason', async () => {
    const [cmd, ...rest] = asUser([process.execPath, glossBin, 'serve', '--port', '0', '--data', data]);
    const child = spawn(cmd!, rest, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GLOSS_NO_SEED: '1' } });
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('no URL in 20 s')), 20_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(new URL(m[1]!));
          }
        });
      });
      const call = (method: string, body: unknown) =>
        fetch(new URL(`/api/${method}`, url.origin), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gloss-token': url.searchParams.get('token')!, origin: url.origin },
          body: JSON.stringify(body),
        });
      const read = await call('documents.get', { documentId: docId });
      expect(read.status).toBe(200);
      const write = await call('annotations.create', { documentId: docId, start: 0, end: 3 });
      const reply = (await write.json()) as { error?: { message: string } };
      expect(write.status).toBeGreaterThanOrEqual(400);
      expect(reply.error?.message).toContain(`the library folder ${data} is read-only`);
      expect(snapshot(data)).toEqual(before);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe.skipIf(!usable)('other read-only places (F4)', () => {
  it('a read-only library file in a writable folder: reading works, a write names the file', async () => {
    const data = openDir('gloss-ro-file-');
    const { docId } = await makeLibrary(data);
    fs.chmodSync(data, 0o777);
    fs.chmodSync(path.join(data, 'gloss.sqlite'), 0o444);
    expect(gloss(['annotations', String(docId)], data).code).toBe(0);
    const r = gloss(['annotate', String(docId), '--start', '0', '--end', '3'], data);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the library file ${path.join(data, 'gloss.sqlite')} is read-only`);
    expect(r.err).not.toMatch(NOT_DAMAGE);
  });

  it('a library left with its WAL by a killed writer is read, WAL included', async () => {
    const data = openDir('gloss-ro-wal-');
    const { docId } = await makeLibrary(data);
    // A writer killed after committing: its annotation is in gloss.sqlite-wal, not yet in the file.
    const killed = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      import { Library } from ${JSON.stringify(path.join(repoRoot, 'src/main/library.ts'))};
      const lib = Library.open(${JSON.stringify(data)});
      lib.annotate(${docId}, { start: 10, end: 20 }, { note: 'in the wal' });
      process.kill(process.pid, 'SIGKILL');
    `], { cwd: repoRoot, encoding: 'utf8' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(fs.existsSync(path.join(data, 'gloss.sqlite-wal'))).toBe(true);
    fs.chmodSync(data, 0o555);
    try {
      const r = gloss(['annotations', String(docId), '--json'], data);
      expect(r.code, r.err).toBe(0);
      expect((JSON.parse(r.out) as { note: string }[]).map((a) => a.note).sort()).toEqual(['in the wal', 'kept']);
    } finally {
      fs.chmodSync(data, 0o755);
    }
  });

  it('a read-only folder with no library yet says so', () => {
    const data = openDir('gloss-ro-empty-');
    fs.chmodSync(data, 0o555);
    const r = gloss(['list'], data);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`there is no library at ${path.join(data, 'gloss.sqlite')} yet, and its folder is read-only`);
    expect(r.err).not.toMatch(NOT_DAMAGE);
  });

  it('a data folder that cannot be made (its parent is read-only) is named, without a stack', () => {
    const parent = openDir('gloss-ro-parent-');
    fs.chmodSync(parent, 0o555);
    const r = gloss(['list'], path.join(parent, 'new'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cannot make the folder ${path.join(parent, 'new')}`);
    expect(r.err).not.toMatch(/\n\s+at \S+|unexpected/);
  });
});
