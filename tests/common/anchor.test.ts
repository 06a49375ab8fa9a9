/**
 * The re-anchoring suite: typo'd quotes, repeats told apart by context, inserted, deleted and
 * moved paragraphs, pointed and unpointed Hebrew (with marks in source order and NFC), acronym
 * quotes, deleted passages and decoys, plus the pieces underneath (normaliser, bit-parallel
 * search, diff and offset mapping).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUZZY_THRESHOLD, reanchor, summarize, type AnchorInput, type AnchorResult } from '../../src/common/anchor/anchor.js';
import { anchoredDistance, approxSearch, editDistance } from '../../src/common/anchor/bitap.js';
import { diffTexts } from '../../src/common/anchor/diff.js';
import { changedRegions, editChange, mapOffset, mapRange } from '../../src/common/anchor/mapping.js';
import { normalize, normalizeText, originalRange, toNormalized } from '../../src/common/anchor/normalize.js';
import { quoteSelector } from '../../src/common/text/canonical.js';
import { isFoldedMark } from '../../src/common/text/fold.js';
import { seedsDir } from '../helpers.js';
import { ruthChapterOne, sharedBook, sharedBookPath, type Verses } from '../fixtures/corpus.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** An annotation on the nth (0-based) occurrence of `quote` in `text`. */
function ann(text: string, quote: string, nth = 0, id = `${quote}#${nth}`): AnchorInput {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(quote, at + 1);
    if (at < 0) throw new Error(`"${quote}" occurs fewer than ${nth + 1} times`);
  }
  return { id, start: at, end: at + quote.length, ...quoteSelector(text, at, at + quote.length) };
}

function one(a: AnchorInput, oldText: string, newText: string): AnchorResult {
  return reanchor([a], oldText, newText)[0]!;
}

const strip = (s: string) => [...s].filter((c) => !isFoldedMark(c.charCodeAt(0))).join('');
const same = (a: string, b: string) => normalizeText(a).trim() === normalizeText(b).trim();

function seedText(prefix: string): string {
  const file = fs.readdirSync(seedsDir).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no seed ${prefix}`);
  return fs.readFileSync(path.join(seedsDir, file), 'utf8').replace(/\r\n?/g, '\n');
}

const english = seedText('001_');
const hebrew = seedText('000_');

// ---------------------------------------------------------------------------------------------

describe('re-anchoring', () => {
  it('keeps annotations in untouched text where they are, mapping their offsets past edits before them', () => {
    const a = ann(english, 'state visit to Israel');
    const b = ann(english, 'civil war currently unfolding in Syria');
    const inserted = 'A new opening paragraph, added by the editor.\n';
    const next = inserted + english;
    const [ra, rb] = reanchor([a, b], english, next);
    expect(ra).toMatchObject({ status: 'stayed', start: a.start + inserted.length, end: a.end + inserted.length, exact: a.exact, score: 1 });
    expect(rb).toMatchObject({ status: 'stayed', start: b.start + inserted.length, exact: b.exact });
  });

  it('places typo-corrected and typo-ridden quotes by fuzzy match, on the same words', () => {
    const a = ann(english, 'civil war currently unfolding in Syria');
    const next = english.replace('civil war currently unfolding in Syria', 'civil war curently unfoldng in Syria');
    const r = one(a, english, next);
    expect(r.status).toBe('fuzzy');
    expect(r.exact).toBe('civil war curently unfoldng in Syria');
    expect(r.score).toBeGreaterThanOrEqual(FUZZY_THRESHOLD);

    // A quote that carried a typo, corrected in the new version, and an edited word at its edge.
    const typoed = english.replace('Putin’s trip comes amidst', 'Putin’s trpi comes amidst');
    const b = ann(typoed, 'Putin’s trpi comes amidst');
    const fixed = typoed.replace('Putin’s trpi comes amidst', 'Putin’s trip comes amid');
    const rb = one(b, typoed, fixed);
    expect(rb.status).toBe('fuzzy');
    expect(rb.exact).toBe('Putin’s trip comes amid');
  });

  it('tells repeated passages apart by their prefix and suffix when both moved', () => {
    const text = [
      'Intro to the first part, about Moscow.',
      'The meeting was cordial and short. It ended at noon in Moscow.',
      'A paragraph that stays where it is, between the two.',
      'Intro to the second part, about Jerusalem.',
      'The meeting was cordial and short. It ended at noon in Jerusalem.',
      'Closing words.',
    ].join('\n');
    const first = ann(text, 'The meeting was cordial and short', 0, 'first');
    const second = ann(text, 'The meeting was cordial and short', 1, 'second');
    const lines = text.split('\n');
    // Both passages move: the two parts trade places around the middle paragraph.
    const next = [lines[3], lines[4], lines[2], lines[0], lines[1], lines[5]].join('\n');
    const [r1, r2] = reanchor([first, second], text, next);
    const firstAt = next.indexOf('The meeting was cordial and short. It ended at noon in Moscow.');
    const secondAt = next.indexOf('The meeting was cordial and short. It ended at noon in Jerusalem.');
    expect(r1).toMatchObject({ start: firstAt, exact: first.exact });
    expect(r2).toMatchObject({ start: secondAt, exact: second.exact });
    expect(r1.status === 'orphaned' || r2.status === 'orphaned').toBe(false);
  });

  it('re-attaches a detached annotation by its context among several copies of its quote', () => {
    const text = 'Alpha. The same words. Beta.\nGamma. The same words. Delta.\nEpsilon.';
    const detached: AnchorInput = { id: 'd', start: 0, end: 0, exact: 'The same words', prefix: 'Gamma. ', suffix: '. Delta.', status: 'orphaned' };
    const restored = 'Zeta.\n' + text;
    const r = one(detached, 'Zeta.', restored);
    expect(r.status).toBe('moved');
    expect(r.start).toBe(restored.indexOf('Gamma. The same words') + 'Gamma. '.length);
  });

  it('follows inserted and deleted paragraphs', () => {
    const paras = english.split('\n');
    const keep = paras.findIndex((p) => p.includes('state visit to Israel'));
    const gone = paras.findIndex((p, i) => i > keep && p.length > 120);
    const victim = paras[gone]!;
    const inDeleted = ann(english, victim.slice(10, 60).trim());
    const before = ann(english, 'state visit to Israel');
    const after = ann(english, paras[gone + 1]!.slice(0, 30).trim() || paras[gone + 2]!.slice(0, 30).trim());
    const next = paras
      .flatMap((p, i) => (i === gone ? [] : i === keep ? [p, 'An inserted paragraph that says something new about relations.'] : [p]))
      .join('\n');
    const [rd, rb, ra] = reanchor([inDeleted, before, after], english, next);
    expect(rd.status).toBe('orphaned');
    expect(rd.exact).toBe(inDeleted.exact);
    expect(rd.end).toBe(rd.start);
    expect(rb).toMatchObject({ status: 'stayed', exact: before.exact, start: before.start });
    expect(ra.status).toBe('stayed');
    expect(next.slice(ra.start, ra.end)).toBe(after.exact);
  });

  it('finds annotations in moved paragraphs at their new place', () => {
    const paras = english.split('\n').filter((p) => p.trim().length > 0);
    const oldText = paras.join('\n');
    // A short paragraph moved past long ones is the one the diff sees move.
    const short = paras.findIndex((p, i) => i > 0 && p.length < 200 && p.length > 40);
    const moved = [...paras.slice(0, short), ...paras.slice(short + 1), paras[short]!];
    const newText = moved.join('\n');
    const a = ann(oldText, paras[short]!.slice(5, 35));
    const r = one(a, oldText, newText);
    expect(r.status).toBe('moved');
    expect(r.start).toBe(newText.lastIndexOf(a.exact));
    expect(r.exact).toBe(a.exact);
    // A long one moved to the top: whichever the diff keeps in place, the words are found.
    const i = paras.findIndex((p) => p.includes('Putin’s trip comes amidst'));
    const top = [paras[i]!, ...paras.slice(0, i), ...paras.slice(i + 1)].join('\n');
    const b = ann(oldText, 'Putin’s trip comes amidst the controversial role');
    const rb = one(b, oldText, top);
    expect(['moved', 'stayed']).toContain(rb.status);
    expect(rb.start).toBe(top.indexOf(b.exact));
  });

  it('orphans an annotation whose passage was deleted, keeping its quote', () => {
    const sentence = 'Putin’s trip comes amidst the controversial role Russia is playing';
    const a = ann(english, sentence);
    const next = english.replace(sentence, '');
    const r = one(a, english, next);
    expect(r).toMatchObject({ status: 'orphaned', exact: sentence });
  });

  it('orphans rather than guesses: a similar passage below the threshold is not taken', () => {
    const text = 'First paragraph about the weather.\nThe delegation arrived in Moscow on Tuesday evening.\nLast paragraph about trade.';
    const a = ann(text, 'The delegation arrived in Moscow on Tuesday evening');
    // The sentence is gone; a new one elsewhere shares many words (a decoy).
    const next = 'First paragraph about the weather.\nLast paragraph about trade.\nA delegation departed from Minsk on Thursday morning.';
    const r = one(a, text, next);
    expect(r.status).toBe('orphaned');
    // An unchanged passage elsewhere that resembles the quote is another passage: never taken.
    const text2 = 'The delegation arrived in Moscow on Tuesday evening.\nThe delegation arrived in Minsk on Tuesday evening.';
    const b = ann(text2, 'The delegation arrived in Moscow on Tuesday evening');
    const r2 = one(b, text2, 'The delegation arrived in Minsk on Tuesday evening.');
    expect(r2.status).toBe('orphaned');
  });

  it('treats " and ״ (and \' and ׳) alike in Hebrew acronyms', () => {
    expect(hebrew).toContain('צה"ל');
    const a = ann(hebrew, 'צה"ל ורוסיה');
    const next = hebrew.replace(/"/g, '״');
    const r = one(a, hebrew, next);
    expect(r.status).toBe('stayed');
    expect(r.exact).toBe('צה״ל ורוסיה');
    // And back, with a paragraph inserted before it.
    const b = ann(next, 'צה״ל ורוסיה');
    const back = 'פסקה חדשה בראש הכתבה.\n' + hebrew;
    const rb = one(b, next, back);
    expect(rb.exact).toBe('צה"ל ורוסיה');
    expect(rb.start).toBe(back.indexOf('צה"ל ורוסיה'));
  });

  it('gives back the space a double-clicked word brought along', () => {
    const a = ann(english, 'visit ');
    const next = 'Added.\n' + english;
    const r = one(a, english, next);
    expect(r.exact).toBe('visit ');
  });

  it('reports what happened to each annotation, in order, with counts', () => {
    const anns = [ann(english, 'state visit to Israel'), ann(english, 'civil war currently unfolding in Syria')];
    const next = english.replace('civil war currently unfolding in Syria', 'civil war now unfolding in Syria');
    const results = reanchor(anns, english, next);
    expect(results.map((r) => r.id)).toEqual(anns.map((a) => a.id));
    expect(summarize(results)).toEqual({ stayed: 1, moved: 0, fuzzy: 1, orphaned: 0 });
  });
});

// ---------------------------------------------------------------------------------------------

// The same checks on Ruth 1 (the repository's fixture: every machine, a fresh clone included) and
// on the whole book (85 verses) where ../shared/corpora is.
const pointedSources: [name: string, verses: Verses | null][] = [
  ['Ruth 1, tests/fixtures/wlc', ruthChapterOne()],
  [`the whole book of Ruth (needs ${sharedBookPath('Ruth')})`, sharedBook('Ruth')],
];

describe.each(pointedSources)('pointed and unpointed Hebrew (Westminster Leningrad Codex): %s', (_name, verses) => {
  const pointed = verses ? verses.map(([, t]) => t).reduce<string[]>((paras, v, i) => (i % 4 === 0 ? [...paras, v] : [...paras.slice(0, -1), `${paras[paras.length - 1]} ${v}`]), []).join('\n') : '';

  /** Annotations on word spans spread over the text. */
  function wordAnnotations(text: string, count: number): AnchorInput[] {
    const words = [...text.matchAll(/[^\s\u05BE]+/gu)];
    const out: AnchorInput[] = [];
    for (let i = 0; i < count; i++) {
      const w = Math.floor(((i + 0.5) * words.length) / count);
      const span = 1 + (i % 4);
      const first = words[w]!;
      const last = words[Math.min(words.length - 1, w + span - 1)]!;
      const start = first.index!;
      const end = last.index! + last[0].length;
      if (text.slice(start, end).includes('\n')) continue;
      out.push({ id: `w${i}`, start, end, ...quoteSelector(text, start, end) });
    }
    return out;
  }

  /** The same words in another rendering: the k-th word of old is the k-th word of new. */
  function expectSameWords(results: AnchorResult[], anns: AnchorInput[], oldText: string, newText: string) {
    const wordIndex = (text: string, at: number) => [...text.slice(0, at).matchAll(/[^\s\u05BE]+/gu)].length;
    for (const [i, r] of results.entries()) {
      expect(r.status, anns[i]!.exact).not.toBe('orphaned');
      expect(same(r.exact, anns[i]!.exact), `${anns[i]!.exact} -> ${r.exact}`).toBe(true);
      expect(wordIndex(newText, r.start)).toBe(wordIndex(oldText, anns[i]!.start));
    }
  }

  it.skipIf(!verses)('finds quotes from pointed text in the unpointed version, and the other way', () => {
    const unpointed = strip(pointed);
    expect(unpointed).not.toBe(pointed);
    const fromPointed = wordAnnotations(pointed, 60);
    expectSameWords(reanchor(fromPointed, pointed, unpointed), fromPointed, pointed, unpointed);
    const fromUnpointed = wordAnnotations(unpointed, 60);
    expectSameWords(reanchor(fromUnpointed, unpointed, pointed), fromUnpointed, unpointed, pointed);
  });

  it.skipIf(!verses)('finds them in the NFC-normalised text (marks reordered), and back', () => {
    const nfc = pointed.normalize('NFC');
    expect(nfc).not.toBe(pointed);
    const anns = wordAnnotations(pointed, 60);
    expectSameWords(reanchor(anns, pointed, nfc), anns, pointed, nfc);
    const back = wordAnnotations(nfc, 60);
    expectSameWords(reanchor(back, nfc, pointed), back, nfc, pointed);
  });

  it.skipIf(!verses)('still holds when the unpointed version also lost a paragraph and gained one', () => {
    const paras = pointed.split('\n');
    const unpointed = strip([...paras.slice(0, 3), 'פסקה שנוספה בגרסה החדשה', ...paras.slice(4)].join('\n'));
    const anns = wordAnnotations(pointed, 80);
    const results = reanchor(anns, pointed, unpointed);
    const lostStart = paras.slice(0, 3).join('\n').length + 1;
    const lostEnd = lostStart + paras[3]!.length;
    for (const [i, r] of results.entries()) {
      const a = anns[i]!;
      if (a.start >= lostStart && a.end <= lostEnd) {
        // Its verses are gone; any place it is given must hold the same words (a repeat elsewhere).
        if (r.status !== 'orphaned') expect(same(r.exact, a.exact)).toBe(true);
      } else {
        expect(r.status, a.exact).not.toBe('orphaned');
        expect(same(r.exact, a.exact)).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('the matching normaliser', () => {
  it('drops niqqud and cantillation, keeps case, unifies acronym quotes and collapses spaces', () => {
    expect(normalizeText('בְּרֵאשִׁ֖ית')).toBe('בראשית');
    expect(normalizeText('צה״ל')).toBe(normalizeText('צה"ל'));
    expect(normalizeText('ג׳ורג׳')).toBe(normalizeText("ג'ורג'"));
    expect(normalizeText('Élan  S-300\u00a0NEWS')).toBe('Elan S-300 NEWS');
    expect(normalizeText('a \n b')).toBe('a\nb');
    expect(normalizeText('e\u0301')).toBe(normalizeText('\u00e9'));
  });

  it('maps every normalised position back, and ranges back with their marks', () => {
    const original = 'וַיְהִ֗י בִּימֵי֙ שְׁפֹ֣ט';
    const n = normalize(original);
    expect(n.map.length).toBe(n.text.length + 1);
    for (let i = 0; i < n.text.length; i++) expect(normalizeText(original[n.map[i]!]!) || ' ').toContain(n.text[i]);
    const at = n.text.indexOf('בימי');
    const r = originalRange(n, original, at, at + 4);
    expect(original.slice(r.start, r.end)).toBe('בִּימֵי֙');
    expect(toNormalized(n, r.start)).toBe(at);
  });
});

describe('bit-parallel search (Myers)', () => {
  /** Brute force: the best distance of the pattern ending at each text position. */
  function bestEnds(text: string, p: string): number[] {
    let prev = Array.from({ length: p.length + 1 }, (_, i) => i);
    const out = [p.length];
    for (let j = 1; j <= text.length; j++) {
      const cur = [0];
      for (let i = 1; i <= p.length; i++) cur[i] = Math.min(prev[i - 1]! + (p[i - 1] === text[j - 1] ? 0 : 1), prev[i]! + 1, cur[i - 1]! + 1);
      out.push(cur[p.length]!);
      prev = cur;
    }
    return out;
  }

  it('agrees with dynamic programming on random texts, for patterns of one and several words', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const rs = (n: number) => Array.from({ length: n }, () => 'abcd'[Math.floor(rnd() * 4)]).join('');
    for (let t = 0; t < 300; t++) {
      const p = rs(1 + Math.floor(rnd() * 140));
      const text = rs(Math.floor(rnd() * 400));
      const k = Math.floor(rnd() * p.length * 0.4);
      const ends = bestEnds(text, p);
      const found = approxSearch(text, p, k);
      for (const m of found) {
        expect(ends[m.end]).toBeLessThanOrEqual(k);
        expect(editDistance(p, text.slice(m.start, m.end))).toBe(m.errors);
      }
      const min = Math.min(...ends);
      if (min <= k) expect(Math.min(...found.map((m) => m.errors))).toBe(min);
      else expect(found).toEqual([]);
    }
  });

  it('measures how well a context fits beside a place', () => {
    const text = 'the quick brown fox jumps';
    expect(anchoredDistance('quick ', text, text.indexOf('brown'), -1)).toBe(0);
    expect(anchoredDistance(' jumps', text, text.indexOf(' jumps'), 1)).toBe(0);
    expect(anchoredDistance('quack ', text, text.indexOf('brown'), -1)).toBe(1);
  });
});

describe('diff and offset mapping', () => {
  it('maps offsets through one edit like an editor: before, after, or into a replaced stretch', () => {
    const c = editChange(20, 5, 10, 2);
    expect(mapOffset(c, 3)).toBe(3);
    expect(mapOffset(c, 12)).toBe(9);
    expect(mapOffset(c, 5, 'before')).toBe(5);
    expect(mapOffset(c, 10, 'after')).toBe(7);
    expect(mapRange(c, 2, 15)).toMatchObject({ start: 2, end: 12, deleted: false, unchanged: false });
    expect(mapRange(c, 6, 9)).toMatchObject({ deleted: true });
    // An insertion at a highlight's edge does not extend it.
    const ins = editChange(20, 10, 10, 4);
    expect(mapRange(ins, 5, 10)).toMatchObject({ start: 5, end: 10 });
    expect(mapRange(ins, 10, 15)).toMatchObject({ start: 14, end: 19 });
  });

  it('finds the unchanged runs of two versions, and a deleted sentence as a whole sentence', () => {
    const a = 'One. Two said hello. Two said goodbye. Three.';
    const b = 'One. Two said goodbye. Three.';
    const c = diffTexts(a, b);
    for (const r of c.runs) expect(a.slice(r.a, r.a + r.len)).toBe(b.slice(r.b, r.b + r.len));
    const [region] = changedRegions(c);
    expect(a.slice(region!.oldStart, region!.oldEnd)).toBe('Two said hello. ');
  });
});
