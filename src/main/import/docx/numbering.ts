/**
 * List numbering (`word/numbering.xml`): the marker Word would show before a list paragraph.
 * A paragraph names a numbering instance (`w:numId`) and a level (`w:ilvl`); the instance points
 * to an abstract definition whose level gives the format (`w:numFmt`), the text around the
 * number (`w:lvlText`, "%1.", "%1.%2") and the start. Counters run per instance: a level counts
 * up, and the levels below it start again. Bullets drawn from the Symbol or Wingdings fonts
 * (private-use characters) are shown as the Unicode bullet they look like.
 */
import type { Styles } from './styles.js';
import { walkXml } from './xml.js';

interface Level {
  format: string;
  text: string;
  start: number;
}

interface Instance {
  abstractId: string;
  /** Per-level overrides: a new start, or a whole new level definition. */
  starts: Map<number, number>;
  levels: Map<number, Level>;
}

interface Abstract {
  levels: Map<number, Level>;
  /** `w:numStyleLink`: the definition lives in a numbering style. */
  styleLink?: string;
}

const HEBREW_ONES = ['', 'א', 'ב', 'ג', 'ד', 'ה', 'ו', 'ז', 'ח', 'ט'];
const HEBREW_TENS = ['', 'י', 'כ', 'ל', 'מ', 'נ', 'ס', 'ע', 'פ', 'צ'];
const HEBREW_HUNDREDS = ['', 'ק', 'ר', 'ש', 'ת'];
const HEBREW_LETTERS = 'אבגדהוזחטיכלמנסעפצקרשת';

/** Private-use bullets (Symbol/Wingdings code points as Word stores them) and look-alike letters. */
const BULLETS: Record<string, string> = {
  '\uF0B7': '•', '\uF0A7': '▪', '\uF0D8': '➢', '\uF076': '❖', '\uF0FC': '✓', '\uF0A8': '□', '\uF06E': '■',
  '\uF0E0': '➔', '\uF0A1': '○', o: '◦', '·': '•', '': '•',
};

function roman(n: number): string {
  const table: [number, string][] = [
    [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
  ];
  if (n <= 0 || n >= 4000) return String(n);
  let out = '';
  for (const [value, digits] of table) while (n >= value) (out += digits), (n -= value);
  return out;
}

/** Word's letters: a…z, then aa…zz, then aaa… */
function letters(n: number, alphabet: string): string {
  if (n <= 0) return String(n);
  const chars = [...alphabet];
  const letter = chars[(n - 1) % chars.length] ?? '';
  return letter.repeat(Math.floor((n - 1) / chars.length) + 1);
}

/** Hebrew numerals (gematria), with 15 and 16 written ט״ו/ט״ז-style as טו and טז. */
function hebrewNumeral(n: number): string {
  if (n <= 0 || n >= 1000) return String(n);
  let out = '';
  let rest = n;
  while (rest >= 400) (out += 'ת'), (rest -= 400);
  out += HEBREW_HUNDREDS[Math.floor(rest / 100)] ?? '';
  rest %= 100;
  if (rest === 15 || rest === 16) return `${out}ט${HEBREW_ONES[rest - 9]}`;
  return out + (HEBREW_TENS[Math.floor(rest / 10)] ?? '') + (HEBREW_ONES[rest % 10] ?? '');
}

export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'lowerLetter':
      return letters(n, 'abcdefghijklmnopqrstuvwxyz');
    case 'upperLetter':
      return letters(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    case 'lowerRoman':
      return roman(n);
    case 'upperRoman':
      return roman(n).toUpperCase();
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n);
    case 'hebrew1':
      return hebrewNumeral(n);
    case 'hebrew2':
      return letters(n, HEBREW_LETTERS);
    case 'none':
      return '';
    default:
      // decimal, and the formats Gloss does not spell out (ordinal words, CJK counting…)
      return String(n);
  }
}

function bullet(text: string): string {
  const mapped = BULLETS[text];
  if (mapped !== undefined) return mapped;
  // Any other private-use character is a font-specific picture of a bullet.
  return /^[\uE000-\uF8FF]$/u.test(text) ? '•' : text;
}

export class Numbering {
  private readonly abstracts = new Map<string, Abstract>();
  private readonly instances = new Map<string, Instance>();
  private readonly counters = new Map<string, (number | undefined)[]>();

  private constructor(private readonly styles: Styles) {}

  static read(xml: string | null, file: string, styles: Styles, part = 'word/numbering.xml'): Numbering {
    const numbering = new Numbering(styles);
    if (xml === null) return numbering;
    const stack: string[] = [];
    let abstract: Abstract | null = null;
    let instance: Instance | null = null;
    let level: (Level & { ilvl: number }) | null = null;
    let overrideLevel: number | null = null;
    walkXml(xml, file, part, {
      open(name, a) {
        stack.push(name);
        const depth = stack.length;
        if (depth === 2 && name === 'w:abstractNum') {
          abstract = { levels: new Map() };
          numbering.abstracts.set(a['w:abstractNumId'] ?? '', abstract);
        } else if (depth === 2 && name === 'w:num') {
          instance = { abstractId: '', starts: new Map(), levels: new Map() };
          numbering.instances.set(a['w:numId'] ?? '', instance);
        } else if (name === 'w:lvl' && (abstract !== null || overrideLevel !== null)) {
          const ilvl = Number.parseInt(a['w:ilvl'] ?? '0', 10);
          level = { ilvl: Number.isInteger(ilvl) ? ilvl : 0, format: 'decimal', text: '', start: 1 };
        } else if (level !== null && stack[depth - 2] === 'w:lvl') {
          const v = a['w:val'] ?? '';
          if (name === 'w:numFmt') level.format = v;
          else if (name === 'w:lvlText') level.text = v;
          else if (name === 'w:start') level.start = Number.parseInt(v, 10) || 0;
        } else if (abstract !== null && depth === 3 && name === 'w:numStyleLink') {
          abstract.styleLink = a['w:val'];
        } else if (instance !== null && depth === 3 && name === 'w:abstractNumId') {
          instance.abstractId = a['w:val'] ?? '';
        } else if (instance !== null && depth === 3 && name === 'w:lvlOverride') {
          const ilvl = Number.parseInt(a['w:ilvl'] ?? '0', 10);
          overrideLevel = Number.isInteger(ilvl) ? ilvl : 0;
        } else if (instance !== null && overrideLevel !== null && name === 'w:startOverride') {
          instance.starts.set(overrideLevel, Number.parseInt(a['w:val'] ?? '1', 10) || 0);
        }
      },
      close(name) {
        stack.pop();
        if (name === 'w:lvl' && level !== null) {
          const { ilvl, ...definition } = level;
          if (overrideLevel !== null && instance !== null) instance.levels.set(overrideLevel, definition);
          else abstract?.levels.set(ilvl, definition);
          level = null;
        } else if (name === 'w:lvlOverride') overrideLevel = null;
        else if (name === 'w:abstractNum') abstract = null;
        else if (name === 'w:num') instance = null;
      },
      text() {},
    });
    return numbering;
  }

  /** The level definition for an instance, following a numbering-style link (one hop, as Word does). */
  private level(numId: string, ilvl: number): Level | undefined {
    const instance = this.instances.get(numId);
    if (instance === undefined) return undefined;
    const own = instance.levels.get(ilvl);
    if (own !== undefined) return own;
    let abstract = this.abstracts.get(instance.abstractId);
    if (abstract?.styleLink !== undefined) {
      const linked = this.styles.styleNumId(abstract.styleLink);
      const target = linked === undefined ? undefined : this.instances.get(linked);
      if (target !== undefined) abstract = this.abstracts.get(target.abstractId);
    }
    return abstract?.levels.get(ilvl);
  }

  /**
   * Counts a list paragraph and returns its marker ("1.", "a)", "•", "1.2."), or null when the
   * instance or level is unknown (the paragraph is then an unmarked item).
   */
  next(numId: string, ilvl: number): string | null {
    const definition = this.level(numId, ilvl);
    if (definition === undefined) return null;
    const instance = this.instances.get(numId);
    const startOf = (l: number): number => instance?.starts.get(l) ?? this.level(numId, l)?.start ?? 1;
    let counters = this.counters.get(numId);
    if (counters === undefined) {
      counters = [];
      this.counters.set(numId, counters);
    }
    const previous = counters[ilvl];
    counters[ilvl] = previous === undefined ? startOf(ilvl) : previous + 1;
    for (let deeper = ilvl + 1; deeper < counters.length; deeper++) counters[deeper] = undefined;
    if (definition.format === 'bullet') return bullet(definition.text);
    if (definition.format === 'none' && definition.text === '') return null;
    return definition.text.replace(/%([1-9])/g, (_, digit: string) => {
      const l = Number(digit) - 1;
      const count = counters[l] ?? startOf(l);
      // A higher level shown in a legal-style number ("%1.%2") uses its own format.
      return formatNumber(count, this.level(numId, l)?.format ?? 'decimal');
    });
  }
}
