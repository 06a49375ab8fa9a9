/**
 * `gloss import FILE.qdpx`: a REFI-QDA project comes in through the same door as any document
 * (the command line, `library.import`, the app's import jobs): its documents, codebook and codings.
 */
import { spawnSync } from 'node:child_process';
import { zipSync, type Zippable } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../src/main/library.js';
import { glossBin, repoRoot, tempDir } from '../helpers.js';

const fixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'exchange', 'qualcoder-project');

function projectFile(): string {
  const files: Zippable = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else files[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name));
    }
  };
  walk(fixtureDir, '');
  const file = path.join(tempDir('gloss-qdpx-file-'), 'study.qdpx');
  fs.writeFileSync(file, zipSync(files));
  return file;
}

describe('importing a REFI-QDA project as documents', () => {
  it('through the library: one outcome naming the documents; codes and codings arrive', async () => {
    const lib = Library.open(tempDir('gloss-qdpx-lib-'));
    try {
      const [outcome] = await lib.importPaths([projectFile()]);
      expect(outcome).toMatchObject({ status: 'imported' });
      expect(outcome!.message).toMatch(/^a REFI-QDA project: /);
      // The interface's line: the documents as a note with a code (transfer.projectNotes.documents).
      expect(outcome!.notes?.[0]).toMatchObject({ code: 'documents', params: { count: lib.list().length } });
      const docs = lib.list();
      expect(docs.length).toBeGreaterThan(0);
      expect(lib.tags().length).toBeGreaterThan(0);
      expect(docs.reduce((n, d) => n + d.annotationCount, 0)).toBe(outcome!.annotations);
      // Again: nothing doubles.
      const [again] = await lib.importPaths([projectFile()]);
      expect(again!.status).not.toBe('failed');
      expect(lib.list().length).toBe(docs.length);
    } finally {
      lib.close();
    }
  });

  it('through the command line, and a damaged project is refused with its name and reason', () => {
    const data = tempDir('gloss-qdpx-cli-');
    const ok = spawnSync(process.execPath, [glossBin, 'import', projectFile(), '--data', data], { encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/imported .*study\.qdpx/);
    const bad = path.join(tempDir('gloss-qdpx-bad-'), 'broken.qdpx');
    fs.writeFileSync(bad, 'not a zip at all');
    const r = spawnSync(process.execPath, [glossBin, 'import', bad, '--data', data], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/broken\.qdpx: .*zip/);
  });
});
