/**
 * Alignments follow their texts through every way a text changes (real SQLite, real importers):
 * "Update from file" on either side (a paragraph removed, inserted, split), edit-mode saves (two
 * paragraphs merged), restoring a revision, and a translation whose source changes. Untouched
 * units keep their partners and their confirmed state; changed ones are marked for review; a
 * removed paragraph's partner is left unpaired, never shifted onto its neighbour.
 *
 * Texts: Ruth 1:1–2:4 (tests/fixtures/pairs), a heading and one verse a paragraph on each side.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alignmentProblem, type AlignmentBead } from '../../src/common/align/beads.js';
import { restore, saveEdit, updateFromBytes } from '../../src/main/editing.js';
import { Library } from '../../src/main/library.js';
import { PairService } from '../../src/main/pairs.js';
import { listRevisions } from '../../src/main/store/revisions.js';
import { ruthExcerpt } from '../../bench/alignment.js';
import { glossBin, repoRoot, tempDir } from '../helpers.js';

const verses = ruthExcerpt();
const HE = verses.map((v) => v.he);
const EN = verses.map((v) => v.en);

const libraries: Library[] = [];
afterAll(() => {
  for (const l of libraries.splice(0)) l.close();
});

const markdown = (title: string, paragraphs: readonly string[]) => `# ${title}\n\n${paragraphs.join('\n\n')}\n`;

interface Fixture {
  lib: Library;
  dir: string;
  pairs: PairService;
  he: number;
  en: number;
  pairId: number;
}

/** Both texts imported and paired, aligned automatically and every unit confirmed. */
async function confirmedPair(): Promise<Fixture> {
  const dir = tempDir('gloss-carry-');
  const lib = Library.open(path.join(dir, 'data'));
  libraries.push(lib);
  fs.writeFileSync(path.join(dir, 'he.md'), markdown('רות', HE));
  fs.writeFileSync(path.join(dir, 'en.md'), markdown('Ruth', EN));
  const out = await lib.importPaths([path.join(dir, 'he.md'), path.join(dir, 'en.md')]);
  const [he, en] = out.map((o) => o.documentId!);
  const pairs = new PairService(lib);
  const view = pairs.create(he!, en!, { autoAlign: true });
  expect(view.beads).toHaveLength(verses.length + 1);
  expect(view.beads.every((b) => b.source.length === 1 && b.target.length === 1 && b.source[0] === b.target[0])).toBe(true);
  pairs.confirm(view.id);
  return { lib, dir, pairs, he: he!, en: en!, pairId: view.id };
}

/** Block index of verse `v` (0-based) in a text that is a heading and then the verses. */
const block = (v: number) => v + 1;

function beadOf(beads: readonly AlignmentBead[], side: 'source' | 'target', index: number): AlignmentBead {
  const b = beads.find((x) => x[side].includes(index));
  if (!b) throw new Error(`no bead holds ${side} block ${index}`);
  return b;
}

/** For each verse still in the source, the target block it is paired with now, by text. */
function pairedTexts(f: Fixture): { source: string; target: string[]; confirmed: boolean; review: boolean }[] {
  const view = f.pairs.get(f.pairId);
  const source = f.lib.get(f.he).blocks;
  const target = f.lib.get(f.en).blocks;
  expect(alignmentProblem(view.beads, source.length, target.length)).toBeUndefined();
  return view.beads.flatMap((b) => b.source.map((s) => ({ source: source[s]!.text, target: b.target.map((t) => target[t]!.text), confirmed: b.confirmed, review: b.review === true })));
}

describe('alignment carried through updates', () => {
  it('update from file removes a Hebrew verse: its English partner is left unpaired, every later verse keeps its partner and confirmation', async () => {
    const f = await confirmedPair();
    const gone = 9;
    const bytes = Buffer.from(markdown('רות', HE.filter((_, i) => i !== gone)));
    const outcome = await updateFromBytes(f.lib, f.he, 'he.md', bytes);
    expect(outcome.changed).toBe(true);
    const view = f.pairs.get(f.pairId);
    expect(view.beads).toHaveLength(verses.length + 1);
    // The English verse of the removed one stands alone, for review.
    expect(beadOf(view.beads, 'target', block(gone))).toEqual({ source: [], target: [block(gone)], confirmed: false, review: true });
    // Every remaining Hebrew verse is with its own English verse, still confirmed.
    for (const p of pairedTexts(f).slice(1)) {
      const v = HE.indexOf(p.source);
      expect({ v, target: p.target, confirmed: p.confirmed }).toEqual({ v, target: [EN[v]], confirmed: true });
    }
    expect(f.pairs.list()[0]).toMatchObject({ review: 1, confirmed: verses.length });
  });

  it('update from file of the English: an inserted paragraph stands alone, a split verse stays with its Hebrew as two blocks', async () => {
    const f = await confirmedPair();
    const split = 15;
    const at = EN[split]!.indexOf('; for whither') + 1;
    const next = [...EN.slice(0, 3), 'A translator’s note, added in this edition.', ...EN.slice(3, split), EN[split]!.slice(0, at), EN[split]!.slice(at + 1), ...EN.slice(split + 1)];
    await updateFromBytes(f.lib, f.en, 'en.md', Buffer.from(markdown('Ruth', next)));
    const rows = pairedTexts(f);
    for (const p of rows.slice(1)) {
      const v = HE.indexOf(p.source);
      if (v === split) expect(p).toEqual({ source: HE[v], target: [EN[v]!.slice(0, at), EN[v]!.slice(at + 1)], confirmed: false, review: true });
      else expect({ v, target: p.target, confirmed: p.confirmed }).toEqual({ v, target: [EN[v]], confirmed: true });
    }
    const view = f.pairs.get(f.pairId);
    expect(beadOf(view.beads, 'target', block(3))).toEqual({ source: [], target: [block(3)], confirmed: false, review: true });
    expect(view.beads.filter((b) => b.review)).toHaveLength(2);
  });

  it('an edit-mode save that merges two Hebrew verses makes their units one, for review; the rest stay', async () => {
    const f = await confirmedPair();
    const doc = f.lib.get(f.he);
    const blocks = doc.blocks.map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth, text: b.text }));
    const merged = [...blocks.slice(0, block(4)), { ...blocks[block(4)]!, text: `${HE[4]} ${HE[5]}` }, ...blocks.slice(block(6))];
    saveEdit(f.lib, { documentId: f.he, blocks: merged, annotations: [] });
    const view = f.pairs.get(f.pairId);
    expect(beadOf(view.beads, 'source', block(4))).toEqual({ source: [block(4)], target: [block(4), block(5)], confirmed: false, review: true });
    for (const p of pairedTexts(f).slice(1)) {
      const v = HE.indexOf(p.source);
      if (v >= 0) expect({ v, target: p.target, confirmed: p.confirmed }).toEqual({ v, target: [EN[v]], confirmed: true });
    }
    // Typing in a verse (another save) marks only that verse's unit.
    const typed = merged.map((b, i) => (i === block(10) ? { ...b, text: `${b.text} ויהי` } : b));
    saveEdit(f.lib, { documentId: f.he, blocks: typed, annotations: [] });
    const after = f.pairs.get(f.pairId);
    expect(after.beads.filter((b) => b.review).map((b) => b.source)).toEqual([[block(4)], [block(10)]]);
  });

  it('restoring a revision carries the alignment too: the verse that comes back stands alone for review, nothing shifts', async () => {
    const f = await confirmedPair();
    const gone = 20;
    await updateFromBytes(f.lib, f.he, 'he.md', Buffer.from(markdown('רות', HE.filter((_, i) => i !== gone))));
    const revision = listRevisions(f.lib.db, f.he)[0]!;
    restore(f.lib, f.he, revision.id);
    const view = f.pairs.get(f.pairId);
    expect(f.lib.get(f.he).blocks).toHaveLength(verses.length + 1);
    expect(alignmentProblem(view.beads, verses.length + 1, verses.length + 1)).toBeUndefined();
    // Untouched verses: with their partners, confirmed. The verse and its old partner: each alone, for review.
    for (let v = 0; v < verses.length; v++) {
      const b = beadOf(view.beads, 'source', block(v));
      if (v === gone) expect(b).toEqual({ source: [block(v)], target: [], confirmed: false, review: true });
      else expect(b).toEqual({ source: [block(v)], target: [block(v)], confirmed: true });
    }
    expect(beadOf(view.beads, 'target', block(gone))).toEqual({ source: [], target: [block(gone)], confirmed: false, review: true });
    // Linking them again is the review: one confirmed unit, no mark left.
    const relinked = f.pairs.link(f.pairId, [block(gone)], [block(gone)]);
    expect(relinked.beads.filter((b) => b.review)).toHaveLength(0);
    expect(relinked.beads.every((b) => b.confirmed)).toBe(true);
  });

  it('a translation whose source is updated: the translated segments stay with their sources; a changed source loses its confirmation', async () => {
    const f = await confirmedPair();
    const { pair } = f.pairs.translate(f.en, 'he');
    for (const i of [1, 2, 3]) f.pairs.setBlockText(pair.id, i, `תרגום ${i}`);
    const changed = EN.map((t, i) => (i === 1 ? t.replace('Elimelech', 'Elimelekh') : t));
    await updateFromBytes(f.lib, f.en, 'en.md', Buffer.from(markdown('Ruth', changed)));
    const view = f.pairs.get(pair.id);
    expect(view.beads.map((b) => [b.source, b.target, b.confirmed, b.review ?? false])).toEqual(
      view.beads.map((_, i) => [[i], [i], i !== block(1), i === block(1)]),
    );
    // The aligned pair with the Hebrew (the English is its target) carried the same change.
    expect(beadOf(f.pairs.get(f.pairId).beads, 'target', block(1))).toMatchObject({ source: [block(1)], confirmed: false, review: true });
  });

  it('a paragraph added to a translation’s source gets an empty segment of its own in the translation, on request, in its place', async () => {
    const f = await confirmedPair();
    const { pair } = f.pairs.translate(f.en, 'he');
    for (const i of [1, 2, 3, 4]) f.pairs.setBlockText(pair.id, i, `תרגום ${i}`);
    // A highlight in the translation after the place the new segment goes: it moves with its words.
    const translation = f.lib.text(pair.target.id);
    const at = translation.indexOf('תרגום 4');
    const note = f.lib.annotate(pair.target.id, { start: at, end: at + 7 }, { note: 'x' });
    const added = 'A paragraph the new edition added.';
    await updateFromBytes(f.lib, f.en, 'en.md', Buffer.from(markdown('Ruth', [...EN.slice(0, 2), added, ...EN.slice(2)])));
    const view = f.pairs.get(pair.id);
    const unit = view.beads.findIndex((b) => b.source.includes(block(2)));
    expect(view.beads[unit]).toEqual({ source: [block(2)], target: [], confirmed: false, review: true });
    expect(() => f.pairs.addTargetBlock(f.pairId, 0)).toThrow(/aligns two existing texts/);
    expect(() => f.pairs.addTargetBlock(pair.id, unit + 1)).toThrow(/has a segment in the translation already/);
    const after = f.pairs.addTargetBlock(pair.id, unit);
    expect(after.beads[unit]).toEqual({ source: [block(2)], target: [block(2)], confirmed: true });
    expect(alignmentProblem(after.beads, verses.length + 2, verses.length + 2)).toBeUndefined();
    expect(after.beads.every((b) => b.source.length === 1 && b.target.length === 1 && b.source[0] === b.target[0])).toBe(true);
    const texts = f.lib.get(pair.target.id).blocks.map((b) => b.text);
    expect(texts.slice(0, 6)).toEqual(['', 'תרגום 1', 'תרגום 2', '', 'תרגום 3', 'תרגום 4']);
    expect(f.lib.annotation(note.id)).toMatchObject({ start: at + 1, end: at + 8, exact: 'תרגום 4', status: 'anchored' });
    // The new segment is written like any other.
    f.pairs.setBlockText(pair.id, block(2), 'פסקה חדשה');
    expect(f.lib.get(pair.target.id).blocks[block(2)]!.text).toBe('פסקה חדשה');
    expect(f.lib.annotation(note.id)).toMatchObject({ exact: 'תרגום 4', status: 'anchored' });
  });

  it('a document in no pair is updated without reading any alignment, and the command line shows units to review', async () => {
    const f = await confirmedPair();
    fs.writeFileSync(path.join(f.dir, 'he2.md'), markdown('רות', HE.filter((_, i) => i !== 2)));
    f.lib.close();
    libraries.splice(libraries.indexOf(f.lib), 1);
    const run = (args: string[]) => spawnSync(process.execPath, [glossBin, ...args, '--data', path.join(f.dir, 'data')], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, GLOSS_NO_SEED: '1' } });
    const updated = run(['update', String(f.he), path.join(f.dir, 'he2.md')]);
    expect(updated.status, updated.stderr).toBe(0);
    const shown = run(['align', String(f.pairId), '--show']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout.split('\n')[0]).toMatch(/, 1 to review \(a text changed under them\);/);
    const line = shown.stdout.split('\n').find((l) => /^\d+\s+!/.test(l));
    expect(line).toMatch(/–\s+↔\s+3\b/);
    const list = run(['pairs']);
    expect(list.stdout).toMatch(/1 to review/);
  });
});
