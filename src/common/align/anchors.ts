/**
 * Lexical anchors for the aligner: words and signs that a text and its translation share, so that
 * the cost of a bead can say more than its lengths do. Pure.
 *
 * - **Numbers**: digits (`12`, `1,000`) and number words (two … ten, twenty, hundred, thousand in
 *   English; שני/שתי … עשר, עשרים, מאה, אלף in Hebrew, with their construct and suffixed forms);
 * - **`?` and `!`**, counted per block;
 * - **names**, learned from the pair itself: a capitalised English word that is (almost) never
 *   written in lower case, and a Hebrew word (without its clitic prefixes ו ה ב ל מ כ ש) that
 *   *sounds alike* (a small Hebrew↔English transliteration: consonant classes, with ה ו י א ע and
 *   vowels as weak or silent letters), and that *occur together*: in the units of a first
 *   alignment (or the units the user confirmed) more often than chance (Dice coefficient).
 *   נעמי/Naomi, בעז/Boaz, מואב/Moab, אלימלך/Elimelech, מחלון/Mahlon, כליון/Chilion.
 *   Two texts in the same script share names spelled alike.
 *
 * An anchor type counts only when both texts have it (a Hebrew text without `?` says nothing
 * about where an English `?` belongs). Each anchor weighs by its rarity: a name in every other
 * verse places a verse less surely than one that occurs twice.
 */
import type { Bead } from './gale-church.js';

/**
 * The anchors of both texts: for each block, the ids of the anchors it holds (sorted, each once),
 * and for each id the chance `p` that a translation keeps it and the chances `qs`, `qt` that a
 * block of the source or of the target holds it (by chance, as far as alignment goes).
 */
export interface AnchorTable {
  source: Int32Array[];
  target: Int32Array[];
  p: Float64Array;
  qs: Float64Array;
  qt: Float64Array;
  /** What each id stands for (`n:2`, `?`, `name:naomi`, `w:L:night`), for tests and the bench. */
  names: string[];
}

const MARKS = /[\p{M}\u05BD\u05BF\u05C0\u05C3\u05F3\u05F4\u200C-\u200F]/gu;
const HEBREW_WORD = /[\u05D0-\u05EA]+/g;
const LATIN_WORD = /[A-Za-z]+(?:['’][A-Za-z]+)*/g;
const DIGITS = /\d[\d,.]*\d|\d/g;

/** Hebrew number words (unpointed, without prefixes) and the value each stands for. */
const HEBREW_NUMBERS: Record<string, number> = {};
for (const [value, words] of [
  [2, 'שני שתי שניהם שתיהם שניהן שתיהן שנינו'],
  [3, 'שלש שלוש שלשה שלושה שלשת שלושת'],
  [4, 'ארבע ארבעה ארבעת'],
  [5, 'חמש חמשה חמישה חמשת'],
  [6, 'ששה שישה ששת'],
  [7, 'שבעה שבעת'],
  [8, 'שמנה שמונה שמנת שמונת'],
  [9, 'תשע תשעה תשעת'],
  [10, 'עשר עשרה עשרת'],
  [20, 'עשרים'],
  [30, 'שלשים שלושים'],
  [40, 'ארבעים'],
  [50, 'חמשים חמישים'],
  [100, 'מאה מאת'],
  [1000, 'אלף'],
] as const) {
  for (const w of words.split(' ')) HEBREW_NUMBERS[w] = value;
}

const ENGLISH_NUMBERS: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, thousand: 1000,
};

/** Letters a Hebrew word may carry in front of it (and, the, in, to, from, as, that). */
const PREFIX = new Set(['ו', 'ה', 'ב', 'ל', 'מ', 'כ', 'ש']);

/** A Hebrew word and the forms it has with one or two prefix letters taken off (at least two letters left). */
export function hebrewForms(word: string): string[] {
  const out = [word];
  if (word.length > 2 && PREFIX.has(word[0]!)) {
    out.push(word.slice(1));
    if (word.length > 3 && PREFIX.has(word[1]!)) out.push(word.slice(2));
  }
  return out;
}

interface Token {
  /** `he` for a Hebrew word (its forms), `en` for a Latin word. */
  script: 'he' | 'en';
  /** Hebrew: the forms; Latin: the word as written (possessive dropped). */
  forms: string[];
  capital: boolean;
}

function tokens(text: string): Token[] {
  const bare = text.normalize('NFD').replace(MARKS, '').replace(/[\u05BE-]/g, ' ');
  const out: Token[] = [];
  for (const m of bare.matchAll(HEBREW_WORD)) {
    // Final letters compare as their plain forms (a name with a suffix or a prefix keeps its letters).
    out.push({ script: 'he', forms: hebrewForms(m[0]), capital: false });
  }
  for (const m of bare.matchAll(LATIN_WORD)) {
    const word = m[0].replace(/['’]s$/i, '');
    out.push({ script: 'en', forms: [word], capital: /^[A-Z]/.test(word) });
  }
  return out;
}

// Transliteration ---------------------------------------------------------------------------------

/**
 * Consonant classes: a word becomes a string of these. Lower case letters are weak (ה ו י and
 * English h w y v j, which come and go between spellings); silent letters (א ע, vowels) vanish.
 */
const HEBREW_CLASS: Record<string, string> = {
  ב: 'B', ג: 'G', ד: 'D', ה: 'h', ו: 'w', ז: 'Z', ח: 'X', ט: 'T', י: 'y', כ: 'K', ך: 'K', ל: 'L', מ: 'M', ם: 'M',
  נ: 'N', ן: 'N', ס: 'S', פ: 'P', ף: 'P', צ: 'Z', ץ: 'Z', ק: 'K', ר: 'R', ש: 'S', ת: 'T', א: '', ע: '',
};

export function hebrewSkeleton(word: string): string {
  let out = '';
  for (const ch of word) out += HEBREW_CLASS[ch] ?? '';
  return out;
}

export function latinSkeleton(word: string): string {
  const w = word.toLowerCase();
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const two = w.slice(i, i + 2);
    let cls: string;
    if (two === 'sh') cls = 'S';
    else if (two === 'ch' || two === 'kh') cls = 'X';
    else if (two === 'th') cls = 'T';
    else if (two === 'ph') cls = 'P';
    else if (two === 'tz' || two === 'ts') cls = 'Z';
    else if (two === 'ck') cls = 'K';
    else cls = '';
    if (cls) {
      i++;
    } else {
      const c = w[i]!;
      cls =
        c === 'c' ? (/[eiy]/.test(w[i + 1] ?? '') ? 'S' : 'K')
        : c === 'x' ? 'KS'
        : c === 'q' ? 'K'
        : c === 'f' ? 'P'
        : c === 'j' || c === 'y' ? 'y'
        : c === 'v' || c === 'w' ? 'w'
        : c === 'h' ? 'h'
        : /[aeiou]/.test(c) ? ''
        : c.toUpperCase();
    }
    // A doubled consonant is one (Hebrew writes it once).
    if (cls && out.endsWith(cls)) continue;
    out += cls;
  }
  return out;
}

/** Letters that stand for one another in transliteration: ח as h, ch or kh; כ as ch or k; ב as v; ס/ש/צ as s or z. */
function substitution(a: string, b: string): number {
  if (a === b) return 0;
  const pair = a < b ? a + b : b + a;
  switch (pair) {
    case 'KX':
    case 'Xh':
    case 'SZ':
    case 'Bw':
      return 0.3;
    case 'DT':
    case 'GK':
    case 'hy':
    case 'hw':
    case 'wy':
      return 0.6;
    default:
      return a === a.toLowerCase() || b === b.toLowerCase() ? 1 : 1.2;
  }
}

const gap = (c: string) => (c === c.toLowerCase() ? 0.3 : 1);
const weightOf = (s: string) => {
  let w = 0;
  for (const c of s) w += c === c.toLowerCase() ? 0.5 : 1;
  return w;
};

/**
 * How far apart two consonant skeletons are, 0 (alike) to 1 and more: a weighted edit distance
 * (weak letters cheap to add or drop, near letters cheap to swap) over the longer one's weight.
 */
export function skeletonDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  let prev = new Float64Array(m + 1);
  let row = new Float64Array(m + 1);
  for (let j = 1; j <= m; j++) prev[j] = prev[j - 1]! + gap(b[j - 1]!);
  for (let i = 1; i <= n; i++) {
    row[0] = prev[0]! + gap(a[i - 1]!);
    for (let j = 1; j <= m; j++) {
      row[j] = Math.min(prev[j]! + gap(a[i - 1]!), row[j - 1]! + gap(b[j - 1]!), prev[j - 1]! + substitution(a[i - 1]!, b[j - 1]!));
    }
    [prev, row] = [row, prev];
  }
  return prev[m]! / Math.max(1, weightOf(a), weightOf(b));
}

/** The most two skeletons of one name may differ by (`skeletonDistance`). */
const NAME_DISTANCE = 0.34;

/** How far a Hebrew skeleton and a Latin one are as a name: their distance, or Infinity when too far or too short to mean something. */
function nameDistance(h: string, l: string): number {
  if (weightOf(h) < 1.5 || weightOf(l) < 1.5 || !/[A-Z]/.test(h) || !/[A-Z]/.test(l)) return Infinity;
  const d = skeletonDistance(h, l);
  return d <= NAME_DISTANCE ? d : Infinity;
}

/** A Hebrew word and a Latin one that may be the same name: skeletons close enough, and long enough to mean something. */
export function soundsAlike(hebrew: string, latin: string): boolean {
  return nameDistance(hebrewSkeleton(hebrew), latinSkeleton(latin)) !== Infinity;
}

// Learning names from the pair ------------------------------------------------------------------------

export interface NamePair {
  /** The Latin name as written (lower case) and the Hebrew form (or the same-script name) found with it. */
  latin: string;
  other: string;
  /** How often they occur together in aligned units, and the Dice coefficient. */
  together: number;
  dice: number;
}

export interface LearnOptions {
  /** The least Dice coefficient of a name pair (default 0.3). */
  minDice?: number;
}

/** The Latin words of a text that read as names: capitalised, and written so at least as often as in lower case. */
function latinNames(blocks: readonly Token[][]): Set<string> {
  const capital = new Map<string, number>();
  const lower = new Map<string, number>();
  for (const list of blocks) {
    for (const t of list) {
      if (t.script !== 'en') continue;
      const key = t.forms[0]!.toLowerCase();
      if (key.length < 3) continue;
      const into = t.capital ? capital : lower;
      into.set(key, (into.get(key) ?? 0) + 1);
    }
  }
  const out = new Set<string>();
  for (const [w, n] of capital) if ((lower.get(w) ?? 0) * 3 <= n) out.add(w);
  return out;
}

/**
 * Name pairs between the two texts, learned from units believed aligned (`beads`: a first
 * alignment, or the confirmed units): Latin names of one text with the Hebrew words (or the same
 * names) of the other that occur in the same units, sound alike, and go together (Dice).
 */
export function learnNames(source: readonly string[], target: readonly string[], beads: readonly Bead[], options: LearnOptions = {}): NamePair[] {
  const minDice = options.minDice ?? 0.3;
  const st = source.map(tokens);
  const tt = target.map(tokens);
  const sNames = latinNames(st);
  const tNames = latinNames(tt);
  const keysOf = (blocks: readonly Token[][], indices: readonly number[], names: ReadonlySet<string>) => {
    const latin = new Set<string>();
    const other = new Set<string>();
    for (const i of indices) {
      for (const t of blocks[i] ?? []) {
        if (t.script === 'en') {
          const k = t.forms[0]!.toLowerCase();
          if (names.has(k)) {
            latin.add(k);
            other.add(`=${k}`);
          }
        } else for (const f of t.forms) other.add(f);
      }
    }
    return { latin, other };
  };
  // Per unit, each side's Latin names and its other keys (Hebrew forms, and `=name` for a Latin name).
  const units = beads.map((b) => ({ s: keysOf(st, b.source, sNames), t: keysOf(tt, b.target, tNames) }));
  const freqName = new Map<string, number>();
  const freqOther = new Map<string, number>();
  const together = new Map<string, number>();
  const inUnit = new Set<string>();
  const sep = '\u0000';
  const judged = new Map<string, Map<string, number>>();
  const skeletons = new Map<string, string>();
  const distanceOf = (latin: string, o: string): number => {
    let row = judged.get(latin);
    if (!row) judged.set(latin, (row = new Map()));
    let d = row.get(o);
    if (d === undefined) {
      if (o.startsWith('=')) d = o.slice(1) === latin ? 0 : Infinity;
      else {
        let l = skeletons.get(latin);
        if (l === undefined) skeletons.set(latin, (l = latinSkeleton(latin)));
        let h = skeletons.get(o);
        if (h === undefined) skeletons.set(o, (h = hebrewSkeleton(o)));
        d = nameDistance(h, l);
      }
      row.set(o, d);
    }
    return d;
  };
  for (const [k, u] of units.entries()) {
    for (const [names, side] of [
      [u.s.latin, 't'],
      [u.t.latin, 's'],
    ] as const) {
      if (names.size === 0) continue;
      // A name and the words of the other text in this unit or the ones beside it: a first
      // alignment a unit off around a merge or an omission still puts them together.
      const near = new Set<string>();
      for (let x = Math.max(0, k - 1); x <= Math.min(units.length - 1, k + 1); x++) for (const o of units[x]![side].other) near.add(o);
      const here = u[side].other;
      for (const n of names) {
        freqName.set(n, (freqName.get(n) ?? 0) + 1);
        for (const o of near) {
          // Only pairs that could be the same name are counted (each pair judged once).
          if (distanceOf(n, o) === Infinity) continue;
          const key = n + sep + o;
          together.set(key, (together.get(key) ?? 0) + 1);
          if (here.has(o)) inUnit.add(key);
        }
      }
    }
    for (const o of u.s.other) freqOther.set(o, (freqOther.get(o) ?? 0) + 1);
    for (const o of u.t.other) freqOther.set(o, (freqOther.get(o) ?? 0) + 1);
  }
  // Candidates for each name, best first: goes with it best, then sounds most like it, then the
  // longest form (שלמון, not למון with its first letter taken for a prefix).
  const candidates = new Map<string, (NamePair & { distance: number })[]>();
  for (const [key, c] of together) {
    // Seen together in one unit at least once, or beside each other more than once.
    if (c < 2 && !inUnit.has(key)) continue;
    const [latin, o] = key.split(sep) as [string, string];
    const same = o.startsWith('=');
    const other = same ? o.slice(1) : o;
    const distance = distanceOf(latin, o);
    const dice = Math.min(1, (2 * c) / (freqName.get(latin)! + freqOther.get(o)!));
    if (dice < minDice) continue;
    const slot = latin + sep + (same ? '=' : '');
    const list = candidates.get(slot) ?? [];
    list.push({ latin, other, together: c, dice, distance });
    candidates.set(slot, list);
  }
  const eps = 1e-9;
  for (const list of candidates.values()) {
    list.sort((a, b) => (Math.abs(a.dice - b.dice) > eps ? b.dice - a.dice : Math.abs(a.distance - b.distance) > eps ? a.distance - b.distance : b.other.length - a.other.length));
  }
  // One name per Hebrew word: a form that is another chosen form with a prefix letter taken off
  // (חלון from מחלון, Mahlon's) is that name's, not this one's; this one takes its next candidate.
  const choice = new Map<string, number>([...candidates.keys()].map((k) => [k, 0]));
  for (let round = 0; round < 8; round++) {
    const chosen = new Map<string, string>();
    for (const [slot, list] of candidates) {
      const c = list[choice.get(slot)!];
      if (c && !slot.endsWith('=')) chosen.set(c.other, slot);
    }
    let moved = false;
    for (const [slot, list] of candidates) {
      const c = list[choice.get(slot)!];
      if (!c || slot.endsWith('=')) continue;
      const taken = [...chosen.keys()].some((f) => f !== c.other && f.length > c.other.length && f.endsWith(c.other) && [...f.slice(0, f.length - c.other.length)].every((x) => PREFIX.has(x)) && chosen.get(f) !== slot);
      if (taken) {
        choice.set(slot, choice.get(slot)! + 1);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const out: NamePair[] = [];
  for (const [slot, list] of candidates) {
    const c = list[choice.get(slot)!];
    if (c) out.push({ latin: c.latin, other: c.other, together: c.together, dice: c.dice });
  }
  return out.sort((a, b) => (a.latin < b.latin ? -1 : a.latin > b.latin ? 1 : 0));
}

// Learning a small dictionary from the pair ---------------------------------------------------------------

/** A word of one text and a word of the other that go together in aligned units (keys: `L:word` or `H:form`). */
export interface WordPair {
  source: string;
  target: string;
  together: number;
  dice: number;
}

export interface WordOptions {
  /** Words in more than this share of a text's blocks are too common to place one (default 0.25). */
  maxShare?: number;
  /** The least number of units a pair shares (default 3) and its least Dice coefficient (default 0.65). */
  minTogether?: number;
  minDice?: number;
  /** Stop counting past this many word co-occurrences (a bound on time and memory; default 20,000,000). */
  maxPairs?: number;
}

/** The keys a block's words give: Latin words in lower case (three letters or more), Hebrew words with their prefix-less forms. */
function wordKeys(list: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (const t of list) {
    if (t.script === 'en') {
      const w = t.forms[0]!.toLowerCase();
      if (w.length >= 3) out.add(`L:${w}`);
    } else for (const f of t.forms) if (f.length >= 2) out.add(`H:${f}`);
  }
  return out;
}

/**
 * A dictionary learned from the pair, as hunalign's -realign does: word pairs that occur in the
 * same units of a first alignment (`beads`) much more often than apart (Dice), each the other's
 * best partner, not too common to say where a verse is.
 */
export function learnWords(source: readonly string[], target: readonly string[], beads: readonly Bead[], options: WordOptions = {}): WordPair[] {
  const maxShare = options.maxShare ?? 0.25;
  const minTogether = options.minTogether ?? 3;
  const minDice = options.minDice ?? 0.65;
  let budget = options.maxPairs ?? 20_000_000;
  const sk = source.map((t) => wordKeys(tokens(t)));
  const tk = target.map((t) => wordKeys(tokens(t)));
  // Words each side may use: in at least minTogether blocks, in at most maxShare of them.
  const usable = (keys: Set<string>[]) => {
    const df = new Map<string, number>();
    for (const set of keys) for (const k of set) df.set(k, (df.get(k) ?? 0) + 1);
    const limit = Math.max(minTogether, maxShare * keys.length);
    const ids = new Map<string, number>();
    for (const [k, n] of df) if (n >= minTogether && n <= limit) ids.set(k, ids.size);
    return ids;
  };
  const sIds = usable(sk);
  const tIds = usable(tk);
  if (sIds.size === 0 || tIds.size === 0) return [];
  const T = tIds.size;
  const fs = new Float64Array(sIds.size);
  const ft = new Float64Array(T);
  const together = new Map<number, number>();
  for (const b of beads) {
    if (b.source.length === 0 || b.target.length === 0) continue;
    const a = new Set<number>();
    const c = new Set<number>();
    for (const i of b.source) for (const k of sk[i] ?? []) if (sIds.has(k)) a.add(sIds.get(k)!);
    for (const j of b.target) for (const k of tk[j] ?? []) if (tIds.has(k)) c.add(tIds.get(k)!);
    for (const x of a) fs[x]!++;
    for (const y of c) ft[y]!++;
    budget -= a.size * c.size;
    if (budget < 0) return [];
    for (const x of a) for (const y of c) together.set(x * T + y, (together.get(x * T + y) ?? 0) + 1);
  }
  // Each word's best partner by Dice, kept when the choice is mutual.
  const bestS = new Map<number, { y: number; dice: number; n: number }>();
  const bestT = new Map<number, { x: number; dice: number }>();
  for (const [key, n] of together) {
    if (n < minTogether) continue;
    const x = Math.floor(key / T);
    const y = key % T;
    const dice = (2 * n) / (fs[x]! + ft[y]!);
    if (dice < minDice) continue;
    if (!bestS.has(x) || dice > bestS.get(x)!.dice) bestS.set(x, { y, dice, n });
    if (!bestT.has(y) || dice > bestT.get(y)!.dice) bestT.set(y, { x, dice });
  }
  const sKeys = [...sIds.keys()];
  const tKeys = [...tIds.keys()];
  const out: WordPair[] = [];
  for (const [x, b] of bestS) if (bestT.get(b.y)?.x === x) out.push({ source: sKeys[x]!, target: tKeys[b.y]!, together: b.n, dice: b.dice });
  return out.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

// The anchor table -------------------------------------------------------------------------------------

export interface AnchorOptions {
  /** Name pairs to anchor with (from `learnNames`); none by default. */
  names?: readonly NamePair[];
  /** Word pairs to anchor with (from `learnWords`); none by default. */
  words?: readonly WordPair[];
}

/** The anchors of every block of both texts. */
export function anchorTable(source: readonly string[], target: readonly string[], options: AnchorOptions = {}): AnchorTable {
  const ids = new Map<string, number>();
  const idOf = (key: string) => {
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  };
  const hebrewName = new Map<string, string>();
  const latinName = new Map<string, string>();
  for (const p of options.names ?? []) {
    latinName.set(p.latin, p.latin);
    if (p.other !== p.latin) hebrewName.set(p.other, p.latin);
  }
  const sWord = new Map<string, string>();
  const tWord = new Map<string, string>();
  const isName = (key: string) => key.startsWith('L:') && latinName.has(key.slice(2));
  for (const w of options.words ?? []) {
    // A name is anchored as a name already.
    if (isName(w.source) || isName(w.target)) continue;
    sWord.set(w.source, w.source);
    tWord.set(w.target, w.source);
  }
  const keysOf = (text: string, side: 'source' | 'target'): string[] => {
    const keys: string[] = [];
    const dictionary = side === 'source' ? sWord : tWord;
    for (const m of text.matchAll(DIGITS)) keys.push(`n:${Number(m[0].replace(/[,.](?=\d{3}\b)/g, '').replace(/,/g, ''))}`);
    for (const ch of text) if (ch === '?' || ch === '!') keys.push(ch);
    for (const t of tokens(text)) {
      if (t.script === 'en') {
        const w = t.forms[0]!.toLowerCase();
        const n = ENGLISH_NUMBERS[w];
        if (n !== undefined) keys.push(`n:${n}`);
        const name = latinName.get(w);
        if (name !== undefined) keys.push(`name:${name}`);
        const word = dictionary.get(`L:${w}`);
        if (word !== undefined) keys.push(`w:${word}`);
      } else {
        const n = t.forms.map((f) => HEBREW_NUMBERS[f]).find((x) => x !== undefined);
        if (n !== undefined) keys.push(`n:${n}`);
        const name = t.forms.map((f) => hebrewName.get(f)).find((x) => x !== undefined);
        if (name !== undefined) keys.push(`name:${name}`);
        const word = t.forms.map((f) => dictionary.get(`H:${f}`)).find((x) => x !== undefined);
        if (word !== undefined) keys.push(`w:${word}`);
      }
    }
    return keys;
  };
  const sKeys = source.map((t) => keysOf(t, 'source'));
  const tKeys = target.map((t) => keysOf(t, 'target'));
  // Blocks holding each key, per side; a key only one text has is no anchor.
  const df = (list: string[][]) => {
    const out = new Map<string, number>();
    for (const keys of list) for (const k of new Set(keys)) out.set(k, (out.get(k) ?? 0) + 1);
    return out;
  };
  const sdf = df(sKeys);
  const tdf = df(tKeys);
  const wordDice = new Map((options.words ?? []).map((w) => [`w:${w.source}`, w.dice]));
  const kept = new Set<string>();
  for (const k of sdf.keys()) if (tdf.has(k)) kept.add(k);
  // Sets: an anchor counts once per block, however often the block holds it.
  const toIds = (keys: string[]) => Int32Array.from(new Set(keys.filter((k) => kept.has(k)).map(idOf))).sort();
  const s = sKeys.map(toIds);
  const t = tKeys.map(toIds);
  const count = ids.size;
  const names: string[] = new Array<string>(count);
  const p = new Float64Array(count);
  const qs = new Float64Array(count);
  const qt = new Float64Array(count);
  const chance = (n: number, blocks: number) => Math.min(0.9, Math.max(0.5 / Math.max(1, blocks), n / Math.max(1, blocks)));
  for (const [k, id] of ids) {
    names[id] = k;
    p[id] = k.startsWith('name:') ? 0.9 : k.startsWith('n:') ? 0.7 : k === '?' ? 0.7 : k === '!' ? 0.5 : Math.min(WORD_P_MAX, Math.max(0.3, WORD_P_SCALE * (wordDice.get(k) ?? 0.5)));
    qs[id] = chance(sdf.get(k)!, source.length);
    qt[id] = chance(tdf.get(k)!, target.length);
  }
  return { source: s, target: t, names, p, qs, qt };
}

/**
 * A learned word pair is kept by a translation about as often as its Dice coefficient says,
 * scaled down and capped: a dictionary learned from one text is noisier than a name.
 */
const WORD_P_SCALE = 0.8;
const WORD_P_MAX = 0.7;

/** Chance that one of `blocks` blocks holds an anchor one block holds with chance q. */
const within = (q: number, blocks: number) => 1 - (1 - q) ** blocks;

/** Beads hold at most this many blocks a side (3-1, 1-3); evidence tables are made for each size. */
const MAX_BEAD_SIDE = 3;

interface EvidenceTerms {
  /** [size - 1][id]: log(p / q) of a shared anchor against blocks of that size of the source and of the target, halved (bounded below by 0). */
  matchS: Float64Array[];
  matchT: Float64Array[];
  /** [size - 1][id]: log((1 - p) / (1 - q)) of an anchor the other side's blocks of that size lack (bounded above by 0). */
  missS: Float64Array[];
  missT: Float64Array[];
}

// Keyed by the table's `p`, which the slices of one table (the stretches between confirmed units) share.
const termsCache = new WeakMap<Float64Array, EvidenceTerms>();

function terms(table: AnchorTable): EvidenceTerms {
  let t = termsCache.get(table.p);
  if (t) return t;
  const count = table.p.length;
  const make = (q: Float64Array, f: (p: number, q: number) => number) =>
    Array.from({ length: MAX_BEAD_SIDE }, (_, k) => Float64Array.from({ length: count }, (_, id) => f(table.p[id]!, within(q[id]!, k + 1))));
  t = {
    matchS: make(table.qs, (p, q) => Math.max(0, Math.log(p / q)) / 2),
    matchT: make(table.qt, (p, q) => Math.max(0, Math.log(p / q)) / 2),
    missS: make(table.qs, (p, q) => Math.min(0, Math.log((1 - p) / (1 - q)))),
    missT: make(table.qt, (p, q) => Math.min(0, Math.log((1 - p) / (1 - q)))),
  };
  termsCache.set(table.p, t);
  return t;
}

/** Per anchor id, the last bead whose source (or target) holds it: marks for `anchorEvidence`, without sorting. */
let markS = new Int32Array(0);
let markT = new Int32Array(0);
let stamp = 0;

/**
 * What the anchors of source blocks [s0, s1) and target blocks [t0, t1) say about their being a
 * translation of each other, as a log-likelihood ratio (nats; positive: they are): for each anchor
 * both sides hold, log(p / q), p the chance a translation keeps it and q the chance that blocks
 * this many hold it by chance (averaged over the two sides); for each anchor one side holds and
 * the other lacks, log((1 - p) / (1 - q)). Bigger beads hold anchors by chance more often, so each
 * match in them says less.
 */
export function anchorEvidence(table: AnchorTable, s0: number, s1: number, t0: number, t1: number): number {
  const count = table.p.length;
  if (markS.length < count) {
    markS = new Int32Array(Math.max(count, 2 * markS.length));
    markT = new Int32Array(markS.length);
    stamp = 0;
  }
  if (++stamp >= 0x7fffffff) {
    markS.fill(0);
    markT.fill(0);
    stamp = 1;
  }
  const t = terms(table);
  const k = Math.min(MAX_BEAD_SIDE, s1 - s0);
  const l = Math.min(MAX_BEAD_SIDE, t1 - t0);
  const matchS = t.matchS[k - 1]!;
  const matchT = t.matchT[l - 1]!;
  const missS = t.missS[k - 1]!;
  const missT = t.missT[l - 1]!;
  for (let j = t0; j < t1; j++) for (const y of table.target[j]!) markT[y] = stamp;
  let llr = 0;
  for (let i = s0; i < s1; i++) {
    for (const x of table.source[i]!) {
      if (markS[x] === stamp) continue;
      markS[x] = stamp;
      // Shared: evidence for; in the source only (the target's blocks lack it): against.
      llr += markT[x] === stamp ? matchT[x]! + matchS[x]! : missT[x]!;
    }
  }
  for (let j = t0; j < t1; j++) {
    for (const y of table.target[j]!) {
      if (markS[y] === stamp) continue;
      // In the target only (counted once: marked as seen).
      markS[y] = stamp;
      llr += missS[y]!;
    }
  }
  return llr;
}
