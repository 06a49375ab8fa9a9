/**
 * Gloss's aligner beside hunalign, the standard length-plus-dictionary aligner
 * (../shared/tools/hunalign, built once into a temporary folder; `-utf -realign`, no dictionary,
 * so that it learns one from a first pass as Gloss learns its names and words), on Ruth
 * (../shared/corpora/parallel-ruth) perturbed the same way for both: at least hunalign's accuracy,
 * mean and worst, on every family of perturbations. Skipped, saying why, without ../shared.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareFamilies, HUNALIGN_DIR, hunalignBinary, parallelRuth, RUTH_FILE, type FamilyScore } from '../../bench/alignment.js';

const ruth = parallelRuth();
const hasHunalign = fs.existsSync(HUNALIGN_DIR);
const why = !ruth ? `${RUTH_FILE} is not here` : !hasHunalign ? `${HUNALIGN_DIR} is not here` : '';
if (why) console.log(`skipped: the comparison with hunalign: ${why} (../shared is missing)`);

describe.skipIf(why !== '')('Gloss beside hunalign on Ruth', () => {
  let bin: string | null = null;
  beforeAll(() => {
    // The first run builds hunalign (about a minute on two busy cores); later runs reuse it.
    bin = hunalignBinary();
  }, 900_000);

  it('at least hunalign’s accuracy, mean and worst, on every family of perturbations (25 random each)', () => {
    expect(bin).not.toBeNull();
    const scores: FamilyScore[] = compareFamilies(ruth!, 25, bin, 4242);
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    for (const s of scores) {
      console.log(
        `${s.family}: Gloss mean ${pct(s.gloss.mean)}, worst ${pct(s.gloss.worst)}, ${s.gloss.ms.toFixed(0)} ms; hunalign mean ${pct(s.hunalign!.mean)}, worst ${pct(s.hunalign!.worst)}, ${s.hunalign!.ms.toFixed(0)} ms`,
      );
    }
    for (const s of scores) {
      expect({ family: s.family, mean: s.gloss.mean >= s.hunalign!.mean, worst: s.gloss.worst >= s.hunalign!.worst }).toEqual({ family: s.family, mean: true, worst: true });
    }
  });
});
