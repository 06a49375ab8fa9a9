/**
 * The length-based aligner (Gale & Church) and the corrections to an alignment: synthetic cases,
 * then the real Hebrew/English Ruth (../shared/corpora/parallel-ruth) clean and perturbed.
 */
import { describe, expect, it } from 'vitest';
import {
  alignmentProblem,
  autoAlign,
  confirmBeads,
  indexAlignment,
  linkBlocks,
  mergeBeads,
  repairAlignment,
  unlinkBead,
  type AlignmentBead,
} from '../../src/common/align/beads.js';
import { alignByIndex, alignLengths, alignmentLength, alignTexts, beadCategory, lengthCost } from '../../src/common/align/gale-church.js';
import { accuracy, FIXED_PERTURBATION, parallelRuth, perturb, RUTH_FILE } from '../../bench/alignment.js';


describe('lengths', () => {
  it('counts letters and digits only: no niqqud, cantillation, spaces or punctuation', () => {
    const pointed = 'וַיְהִ֗י בִּימֵי֙ שְׁפֹ֣ט';
    expect(pointed.length).toBeGreaterThan(20);
    expect(alignmentLength(pointed)).toBe(alignmentLength('ויהי בימי שפט'));
    expect(alignmentLength('ויהי בימי שפט')).toBe(11);
    expect(alignmentLength('And it came, to pass: 42!')).toBe(17);
    expect(alignmentLength('')).toBe(0);
  });

  it('costs nothing for a perfect ratio and more the further from it', () => {
    expect(lengthCost(100, 200, 2, 5)).toBeCloseTo(0, 5);
    expect(lengthCost(0, 0, 2, 5)).toBe(0);
    const near = lengthCost(100, 210, 2, 5);
    const far = lengthCost(100, 300, 2, 5);
    expect(near).toBeGreaterThan(0);
    expect(far).toBeGreaterThan(near);
    // The broad component bounds an outlier's cost; the paper's pure normal does not.
    expect(lengthCost(100, 600, 2, 5)).toBeLessThan(lengthCost(100, 600, 2, 5, { weight: 0, width: 3 }));
    expect(Number.isFinite(lengthCost(1000, 1, 2, 1, { weight: 0, width: 3 }))).toBe(true);
  });
});

describe('Gale & Church alignment', () => {
  it('aligns equal-ratio texts one to one, covering both in order', () => {
    const ls = [30, 80, 45, 120, 60, 33, 90];
    const beads = alignLengths(
      ls,
      ls.map((l) => l * 2),
    ).beads;
    expect(beads).toEqual(ls.map((_, i) => ({ source: [i], target: [i] })));
  });

  it('finds merges, splits and omissions', () => {
    // source: 7 blocks; target: 1+2 merged, 4 split in two, 6 omitted.
    const ls = [40, 90, 55, 70, 150, 35, 80, 60];
    const lt = [(40 + 90) * 2, 55 * 2, 70 * 2, 75 * 2, 75 * 2, 35 * 2, 60 * 2];
    const result = alignLengths(ls, lt, { c: 2, s2: 3 });
    expect(alignmentProblem(result.beads, ls.length, lt.length)).toBeUndefined();
    expect(result.beads).toEqual([
      { source: [0, 1], target: [0] },
      { source: [2], target: [1] },
      { source: [3], target: [2] },
      { source: [4], target: [3, 4] },
      { source: [5], target: [5] },
      { source: [6], target: [] },
      { source: [7], target: [6] },
    ]);
    expect(result.beads.map(beadCategory)).toEqual(['2-1', '1-1', '1-1', '1-2', '1-1', '1-0', '1-1']);
    // Without c given, it is the ratio of the total lengths.
    expect(alignLengths(ls, lt).c).toBeCloseTo(lt.reduce((a, b) => a + b) / ls.reduce((a, b) => a + b));
  });

  it('handles empty sides and empty blocks', () => {
    expect(alignLengths([], []).beads).toEqual([]);
    expect(alignLengths([5, 6], []).beads).toEqual([
      { source: [0], target: [] },
      { source: [1], target: [] },
    ]);
    expect(alignLengths([], [7]).beads).toEqual([{ source: [], target: [0] }]);
    const withEmpty = alignTexts(['first block here', '', 'third block text'], ['erster Block hier', '', 'dritter Blocktext']).beads;
    expect(alignmentProblem(withEmpty, 3, 3)).toBeUndefined();
  });

  it('keeps headings with headings when kinds are given', () => {
    // Lengths alone would pair the short heading with the short paragraph after it.
    const ls = [10, 100, 100];
    const lt = [22, 21, 200, 200];
    const kinds = { sourceKinds: ['heading', 'paragraph', 'paragraph'], targetKinds: ['heading', 'paragraph', 'paragraph', 'paragraph'] };
    const beads = alignLengths(ls, lt, { ...kinds, kindPenalty: 20 }).beads;
    expect(beads[0]).toEqual({ source: [0], target: [0] });
  });

  it('searches a band on long texts with the same result as the full table', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const ls = Array.from({ length: 300 }, () => 20 + Math.floor(rnd() * 150));
    const lt = ls.map((l) => Math.round(l * 1.8 * (0.85 + 0.3 * rnd())));
    const full = alignLengths(ls, lt, { s2: 4 });
    const banded = alignLengths(ls, lt, { s2: 4, band: 40 });
    expect(banded.beads).toEqual(full.beads);
  });

  it('the naive baseline pairs by index', () => {
    expect(alignByIndex(2, 3)).toEqual([
      { source: [0], target: [0] },
      { source: [1], target: [1] },
      { source: [], target: [2] },
    ]);
  });
});

describe('corrections', () => {
  const base = (): AlignmentBead[] => indexAlignment(5, 5);

  it('links blocks into one confirmed bead, splitting beads that crossed it', () => {
    const linked = linkBlocks(base(), [1, 2], [1], 5, 5);
    expect(alignmentProblem(linked, 5, 5)).toBeUndefined();
    expect(linked).toEqual([
      { source: [0], target: [0], confirmed: false },
      { source: [1, 2], target: [1], confirmed: true },
      { source: [], target: [2], confirmed: false },
      { source: [3], target: [3], confirmed: false },
      { source: [4], target: [4], confirmed: false },
    ]);
    // A link that crosses: source 3 with target 1.
    const crossed = linkBlocks(base(), [3], [1], 5, 5);
    expect(alignmentProblem(crossed, 5, 5)).toBeUndefined();
    expect(crossed.find((b) => b.confirmed)).toEqual({ source: [3], target: [1], confirmed: true });
    // One side empty: target 2 alone.
    const alone = linkBlocks(base(), [], [2], 5, 5);
    expect(alignmentProblem(alone, 5, 5)).toBeUndefined();
    expect(alone).toContainEqual({ source: [], target: [2], confirmed: true });
    expect(() => linkBlocks(base(), [1, 3], [1], 5, 5)).toThrow(/follow each other/);
    expect(() => linkBlocks(base(), [9], [1], 5, 5)).toThrow(/does not exist/);
    expect(() => linkBlocks(base(), [], [], 5, 5)).toThrow(/at least one block/);
  });

  it('unlinks, merges and confirms', () => {
    const merged = mergeBeads(base(), 1);
    expect(merged[1]).toEqual({ source: [1, 2], target: [1, 2], confirmed: true });
    expect(alignmentProblem(merged, 5, 5)).toBeUndefined();
    const unlinked = unlinkBead(merged, 1);
    expect(unlinked.slice(1, 5)).toEqual([
      { source: [1], target: [], confirmed: true },
      { source: [2], target: [], confirmed: true },
      { source: [], target: [1], confirmed: true },
      { source: [], target: [2], confirmed: true },
    ]);
    expect(alignmentProblem(unlinked, 5, 5)).toBeUndefined();
    expect(() => mergeBeads(base(), 4)).toThrow(/last one/);
    expect(() => unlinkBead(base(), 7)).toThrow(/no bead 7/);
    expect(confirmBeads(base(), [0, 3]).map((b) => b.confirmed)).toEqual([true, false, false, true, false]);
    expect(confirmBeads(base(), undefined).every((b) => b.confirmed)).toBe(true);
    expect(confirmBeads(confirmBeads(base(), undefined), [2], false).map((b) => b.confirmed)).toEqual([true, true, false, true, true]);
  });

  it('repairs an alignment after the documents changed', () => {
    const stored: AlignmentBead[] = [
      { source: [0], target: [0], confirmed: true },
      { source: [1, 2], target: [1], confirmed: true },
      { source: [3], target: [2], confirmed: true },
    ];
    // The source lost a block and the target gained two.
    const repaired = repairAlignment(stored, 3, 5);
    expect(alignmentProblem(repaired, 3, 5)).toBeUndefined();
    expect(repaired[0]).toEqual({ source: [0], target: [0], confirmed: true });
    expect(repaired[1]).toEqual({ source: [1, 2], target: [1], confirmed: true });
    expect(repaired.at(-1)).toEqual({ source: [], target: [4], confirmed: false });
  });

  it('re-aligns around confirmed beads, which stay', () => {
    const src = ['a'.repeat(40), 'b'.repeat(90), 'c'.repeat(55), 'd'.repeat(70), 'e'.repeat(30)].map((t) => ({ text: t }));
    const tgt = ['a'.repeat(80), 'b'.repeat(180), 'c'.repeat(110), 'd'.repeat(140), 'e'.repeat(60)].map((t) => ({ text: t }));
    expect(autoAlign(src, tgt).map((b) => [b.source, b.target])).toEqual([0, 1, 2, 3, 4].map((i) => [[i], [i]]));
    // The user insists that source 2 has no counterpart and target 2 neither.
    const corrected = unlinkBead(autoAlign(src, tgt), 2);
    const again = autoAlign(src, tgt, corrected);
    expect(alignmentProblem(again, 5, 5)).toBeUndefined();
    expect(again.filter((b) => b.confirmed)).toEqual([
      { source: [2], target: [], confirmed: true },
      { source: [], target: [2], confirmed: true },
    ]);
    expect(again.find((b) => b.source.includes(3))).toEqual({ source: [3], target: [3], confirmed: false });
  });
});

describe('Ruth, Hebrew beside English (../shared/corpora/parallel-ruth)', () => {
  const ruth = parallelRuth();
  if (!ruth) {
    it.skip(`skipped: ${RUTH_FILE} is not here (../shared/corpora is missing)`, () => {});
    console.log(`skipped: ${RUTH_FILE} is not here (../shared/corpora is missing)`);
    return;
  }
  const he = ruth.map((v) => v.he);
  const en = ruth.map((v) => v.en);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

  it('pairs the 85 verses correctly', () => {
    expect(ruth).toHaveLength(85);
    const result = alignTexts(he, en);
    const acc = accuracy(
      result.beads,
      en.map((_, i) => i),
    );
    console.log(`Ruth he→en, clean: accuracy ${pct(acc)} (85 verses; c = ${result.c.toFixed(3)}, s² = ${result.s2.toFixed(2)})`);
    expect(acc).toBe(1);
    expect(result.beads).toEqual(he.map((_, i) => ({ source: [i], target: [i] })));
  });

  it('still pairs them after English verses are merged into one block and one is removed', () => {
    const p = perturb(en, FIXED_PERTURBATION.mergeIntoPrevious, FIXED_PERTURBATION.removed);
    expect(p.blocks).toHaveLength(85 - 3 - 1);
    const beads = alignTexts(he, p.blocks).beads;
    const acc = accuracy(beads, p.truth);
    console.log(
      `Ruth he→en, English verses ${FIXED_PERTURBATION.mergeIntoPrevious.map((i) => `${ruth[i - 1]!.ref}+${ruth[i]!.ref.split('.').pop()}`).join(', ')} merged and ${ruth[FIXED_PERTURBATION.removed[0]]!.ref} removed: accuracy ${pct(acc)} (required ≥ 98 %)`,
    );
    expect(acc).toBeGreaterThanOrEqual(0.98);
    // The removed verse is aligned with nothing, each merged pair of Hebrew verses with its one block.
    const removed = FIXED_PERTURBATION.removed[0];
    expect(beads.find((b) => b.source.includes(removed))!.target).toEqual([]);
    for (const i of FIXED_PERTURBATION.mergeIntoPrevious) expect(beads.find((b) => b.source.includes(i))).toEqual({ source: [i - 1, i], target: [p.truth[i]] });
  });

  it('and in other perturbations of the same size (each ≥ 98 %)', () => {
    const cases = [
      { mergeIntoPrevious: [5, 35, 65], removed: [50] },
      { mergeIntoPrevious: [20, 40, 60], removed: [70] },
      { mergeIntoPrevious: [2, 30, 55], removed: [15] },
      { mergeIntoPrevious: [11, 41, 61], removed: [30] },
    ];
    const results = cases.map((c) => {
      const p = perturb(en, c.mergeIntoPrevious, c.removed);
      return accuracy(alignTexts(he, p.blocks).beads, p.truth);
    });
    console.log(`Ruth he→en, four more perturbations (3 merges + 1 removal): accuracy ${results.map(pct).join(', ')}`);
    for (const r of results) expect(r).toBeGreaterThanOrEqual(0.98);
    // And the other way round: Hebrew verses merged, English as the source.
    const p = perturb(he, FIXED_PERTURBATION.mergeIntoPrevious, FIXED_PERTURBATION.removed);
    const reverse = accuracy(alignTexts(en, p.blocks).beads, p.truth);
    console.log(`Ruth en→he, Hebrew verses merged and one removed: accuracy ${pct(reverse)}`);
    expect(reverse).toBeGreaterThanOrEqual(0.98);
  });
});
