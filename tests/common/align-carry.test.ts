/**
 * Carrying an alignment through a change of one of its texts: blocks removed, inserted, split,
 * merged and edited on either side. Untouched units keep partners and state; changed ones lose
 * "confirmed" and are marked for review; a removed block's partner is left unpaired, never
 * shifted onto a neighbour.
 */
import { describe, expect, it } from 'vitest';
import { alignmentProblem, confirmBeads, type AlignmentBead } from '../../src/common/align/beads.js';
import { carryAlignment, mapBlocks } from '../../src/common/align/carry.js';

const HE = ['ויהי בימי שפט השפטים ויהי רעב בארץ', 'ושם האיש אלימלך ושם אשתו נעמי', 'וימת אלימלך איש נעמי ותשאר היא ושני בניה', 'וישאו להם נשים מאביות שם האחת ערפה ושם השנית רות', 'וימותו גם שניהם מחלון וכליון'];
const EN = [
  'And it came to pass in the days when the judges judged, that there was a famine in the land.',
  'And the name of the man was Elimelech, and the name of his wife Naomi.',
  'And Elimelech Naomi’s husband died; and she was left, and her two sons.',
  'And they took them wives of the women of Moab: the name of the one was Orpah, and the name of the other Ruth.',
  'And Mahlon and Chilion died both of them.',
];

/** One to one, all confirmed. */
const confirmedOneToOne = (n: number): AlignmentBead[] => Array.from({ length: n }, (_, i) => ({ source: [i], target: [i], confirmed: true }));

/** Which target a source block is paired with now (its bead's target blocks). */
function partnersOf(beads: readonly AlignmentBead[], side: 'source' | 'target', block: number): number[] {
  const other = side === 'source' ? 'target' : 'source';
  return beads.find((b) => b[side].includes(block))?.[other] ?? [];
}

describe('block mapping', () => {
  it('finds untouched, edited, split, merged, removed and inserted blocks', () => {
    const old = ['alpha beta gamma delta', 'one two three four five six', 'seven eight nine ten', 'to be removed entirely', 'last block stays'];
    const next = ['alpha beta gamma delta', 'one two three', 'four five six', 'a brand new paragraph, nothing like any other', 'seven eight nine ten!', 'last block stays'];
    const m = mapBlocks(old, next);
    expect(m.oldToNew).toEqual([[0], [1, 2], [4], [], [5]]);
    expect(m.newToOld).toEqual([[0], [1], [1], [], [2], [4]]);
    expect(m.untouched).toEqual([true, false, false, false, true]);
    const merged = mapBlocks(['first half of it.', 'second half of it.', 'after'], ['first half of it. second half of it.', 'after']);
    expect(merged.oldToNew).toEqual([[0], [0], [1]]);
    expect(merged.untouched).toEqual([false, false, true]);
  });

  it('keeps empty blocks apart (a translation not written yet)', () => {
    const m = mapBlocks(['a text', '', '', 'more'], ['a text', '', 'new', '', 'more']);
    expect(m.untouched[0]).toBe(true);
    expect(m.untouched[3]).toBe(true);
    expect(m.newToOld[2]).toEqual([]);
  });
});

describe('carrying an alignment', () => {
  it('a removed source paragraph: its partner is left unpaired, later units keep their partners and state', () => {
    const beads = confirmedOneToOne(5);
    const next = HE.filter((_, i) => i !== 2);
    const r = carryAlignment(beads, 'source', HE, next, EN.length);
    expect(alignmentProblem(r.beads, 4, 5)).toBeUndefined();
    expect(r.beads).toEqual([
      { source: [0], target: [0], confirmed: true },
      { source: [1], target: [1], confirmed: true },
      { source: [], target: [2], confirmed: false, review: true },
      { source: [2], target: [3], confirmed: true },
      { source: [3], target: [4], confirmed: true },
    ]);
    expect(r).toMatchObject({ kept: 4, review: 1, removed: 1, inserted: 0 });
  });

  it('a removed target paragraph: the same, the other way round', () => {
    const next = EN.filter((_, i) => i !== 1);
    const r = carryAlignment(confirmedOneToOne(5), 'target', EN, next, HE.length);
    expect(alignmentProblem(r.beads, 5, 4)).toBeUndefined();
    expect(r.beads[1]).toEqual({ source: [1], target: [], confirmed: false, review: true });
    for (const s of [2, 3, 4]) expect(partnersOf(r.beads, 'source', s)).toEqual([s - 1]);
    expect(r.beads.filter((b) => b.confirmed)).toHaveLength(4);
  });

  it('an inserted paragraph becomes a unit of its own, for review; the others stay', () => {
    const next = [...EN.slice(0, 3), 'A paragraph the new edition added, with nothing beside it.', ...EN.slice(3)];
    const r = carryAlignment(confirmedOneToOne(5), 'target', EN, next, HE.length);
    expect(alignmentProblem(r.beads, 5, 6)).toBeUndefined();
    expect(r.beads[3]).toEqual({ source: [], target: [3], confirmed: false, review: true });
    expect(partnersOf(r.beads, 'source', 3)).toEqual([4]);
    expect(partnersOf(r.beads, 'source', 4)).toEqual([5]);
    expect(r).toMatchObject({ kept: 5, review: 1, inserted: 1, removed: 0 });
  });

  it('a split paragraph stays with its partner as one unit of two blocks, for review', () => {
    const split = EN[3]!.indexOf(': ') + 1;
    const next = [...EN.slice(0, 3), EN[3]!.slice(0, split), EN[3]!.slice(split + 1), EN[4]!];
    const r = carryAlignment(confirmedOneToOne(5), 'target', EN, next, HE.length);
    expect(alignmentProblem(r.beads, 5, 6)).toBeUndefined();
    expect(r.beads[3]).toEqual({ source: [3], target: [3, 4], confirmed: false, review: true });
    expect(r.beads[4]).toEqual({ source: [4], target: [5], confirmed: true });
  });

  it('two paragraphs merged into one: their units become one, for review', () => {
    const next = [HE[0]!, `${HE[1]} ${HE[2]}`, HE[3]!, HE[4]!];
    const r = carryAlignment(confirmedOneToOne(5), 'source', HE, next, EN.length);
    expect(alignmentProblem(r.beads, 4, 5)).toBeUndefined();
    expect(r.beads).toEqual([
      { source: [0], target: [0], confirmed: true },
      { source: [1], target: [1, 2], confirmed: false, review: true },
      { source: [2], target: [3], confirmed: true },
      { source: [3], target: [4], confirmed: true },
    ]);
  });

  it('an edited paragraph keeps its partner but is no longer confirmed; confirming clears the mark', () => {
    const next = [...HE];
    next[3] = HE[3]!.replace('ערפה', 'עָרְפָּה');
    const r = carryAlignment(confirmedOneToOne(5), 'source', HE, next, EN.length);
    expect(r.beads[3]).toEqual({ source: [3], target: [3], confirmed: false, review: true });
    expect(r.beads.filter((b) => b.review)).toHaveLength(1);
    expect(confirmBeads(r.beads, [3])[3]).toEqual({ source: [3], target: [3], confirmed: true });
  });

  it('a paragraph rewritten where it stood stays with its partner, for review; one rewritten and one removed is removed and inserted', () => {
    const next = [...HE];
    next[2] = 'פסקה חדשה לגמרי שאין בה דבר מן הקודמת';
    const r = carryAlignment(confirmedOneToOne(5), 'source', HE, next, EN.length);
    expect(r.beads[2]).toEqual({ source: [2], target: [2], confirmed: false, review: true });
    expect(r).toMatchObject({ removed: 0, inserted: 0, review: 1 });
    // Two old paragraphs gone, one new one in their place: nothing to pair them by.
    const fewer = [HE[0]!, HE[1]!, 'פסקה חדשה לגמרי שאין בה דבר מן הקודמת', HE[4]!];
    const q = carryAlignment(confirmedOneToOne(5), 'source', HE, fewer, EN.length);
    expect(alignmentProblem(q.beads, 4, 5)).toBeUndefined();
    expect(q.beads.slice(2, 5)).toEqual([
      { source: [], target: [2], confirmed: false, review: true },
      { source: [], target: [3], confirmed: false, review: true },
      { source: [2], target: [], confirmed: false, review: true },
    ]);
    expect(partnersOf(q.beads, 'source', 3)).toEqual([4]);
  });

  it('keeps proposed units proposed, units of the other side alone as they are, and earlier review marks', () => {
    const beads: AlignmentBead[] = [
      { source: [0], target: [0], confirmed: false },
      { source: [], target: [1], confirmed: true },
      { source: [1], target: [2], confirmed: false, review: true },
      { source: [2, 3], target: [3], confirmed: true },
      { source: [4], target: [4], confirmed: true },
    ];
    const next = [...HE, 'ויהי ערב'];
    const r = carryAlignment(beads, 'source', HE, next, 5);
    expect(r.beads).toEqual([...beads, { source: [5], target: [], confirmed: false, review: true }]);
  });

  it('a change that removes, inserts, splits and merges at once leaves a valid alignment with every untouched unit in place', () => {
    const n = 40;
    const old = Array.from({ length: n }, (_, i) => `Paragraph number ${i} says something of its own about item ${i * 7}, at some length to be found.`);
    const next = [...old];
    next.splice(30, 2, `${old[30]} ${old[31]}`); // merge 30+31
    next.splice(20, 1, old[20]!.slice(0, 40), old[20]!.slice(40)); // split 20
    next.splice(12, 0, 'An inserted paragraph of new words entirely.'); // insert before 12
    next.splice(5, 1); // remove 5
    const beads = confirmedOneToOne(n);
    const r = carryAlignment(beads, 'target', old, next, n);
    expect(alignmentProblem(r.beads, n, next.length)).toBeUndefined();
    for (let s = 0; s < n; s++) {
      const want = next.indexOf(old[s]!);
      if (want >= 0) expect({ s, partners: partnersOf(r.beads, 'source', s), confirmed: r.beads.find((b) => b.source.includes(s))!.confirmed }).toEqual({ s, partners: [want], confirmed: true });
    }
    expect(partnersOf(r.beads, 'source', 5)).toEqual([]);
    expect(partnersOf(r.beads, 'source', 20)).toHaveLength(2);
    expect(partnersOf(r.beads, 'source', 30)).toEqual(partnersOf(r.beads, 'source', 31));
    expect(r).toMatchObject({ removed: 1, inserted: 1 });
  });
});
