/** Test helpers: temp folders, the repository's paths, and ../shared when it exists. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const seedsDir = path.join(repoRoot, 'seeds');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const hasShared = fs.existsSync(path.join(sharedDir, 'corpora'));
export const glossBin = path.join(repoRoot, 'bin', 'gloss.cjs');

export function tempDir(prefix = 'gloss-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function seedFiles(): string[] {
  return fs
    .readdirSync(seedsDir)
    .sort()
    .map((f) => path.join(seedsDir, f));
}

/** The morphhb corpus as [osisId, pointed text] pairs, or null (with a message) without ../shared. */
export function morphhb(book: 'Gen' | 'Ruth' | 'Jonah'): [string, string][] | null {
  const file = path.join(sharedDir, 'corpora', 'morphhb', `${book}.tsv`);
  if (!fs.existsSync(file)) {
    console.log(`skipped: ${file} is not here (../shared/corpora is missing)`);
    return null;
  }
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t', 2) as [string, string]);
}
