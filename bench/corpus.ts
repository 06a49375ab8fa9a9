/**
 * Deterministic corpora for the benchmarks: mixed Hebrew/English documents built from the seeds and,
 * when ../shared/corpora exists, pointed Hebrew verses and the Ruth translation. Same bytes every run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '..', 'shared');

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paragraph-sized pieces of real text in both languages. */
export function sourceParagraphs(): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(path.join(repoRoot, 'seeds')).sort()) {
    const text = fs.readFileSync(path.join(repoRoot, 'seeds', f), 'utf8');
    for (const p of text.split(/\n\s*\n|\n(?=\S)/)) {
      const flat = p.replace(/\s*\n\s*/g, ' ').trim();
      if (flat.length > 40) out.push(flat);
    }
  }
  const morph = path.join(shared, 'corpora', 'morphhb');
  if (fs.existsSync(morph)) {
    for (const book of ['Gen', 'Jonah']) {
      const lines = fs.readFileSync(path.join(morph, `${book}.tsv`), 'utf8').split('\n');
      for (let i = 0; i + 3 < lines.length; i += 3) {
        out.push(lines.slice(i, i + 3).map((l) => l.split('\t')[1] ?? '').join(' ').trim());
      }
    }
  }
  const ruth = path.join(shared, 'corpora', 'parallel-ruth', 'Ruth.parallel.tsv');
  if (fs.existsSync(ruth)) {
    for (const l of fs.readFileSync(ruth, 'utf8').split('\n').slice(1)) {
      const en = l.split('\t')[2];
      if (en) out.push(en.trim());
    }
  }
  return out.filter((p) => p.length > 0);
}

/** A mixed document of about `bytes` UTF-8 bytes: a title, then paragraphs separated by blank lines. */
export function mixedDocument(bytes: number, seed = 1): string {
  const paragraphs = sourceParagraphs();
  const rnd = prng(seed);
  const parts = [`Gloss benchmark corpus ${bytes} bytes — קורפוס מדידה`];
  let size = Buffer.byteLength(parts[0]!);
  while (size < bytes) {
    const p = paragraphs[Math.floor(rnd() * paragraphs.length)]!;
    parts.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  return parts.join('\n\n') + '\n';
}

export function writeCorpus(dir: string, bytes: number, seed = 1): string {
  const file = path.join(dir, `mixed-${bytes}.txt`);
  fs.writeFileSync(file, mixedDocument(bytes, seed));
  return file;
}
