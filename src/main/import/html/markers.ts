/**
 * List markers as a browser shows them: bullets by nesting depth (or the list's `type`), and
 * ordinals in decimal, letters or Roman numerals with a trailing full stop.
 */

const BULLETS = ['•', '◦', '▪'] as const;
const BULLET_TYPES: Record<string, string> = { disc: '•', circle: '◦', square: '▪' };

/** The bullet of an unordered list item at `depth` (1..): disc, then circle, then square, as browsers nest them. */
export function bullet(depth: number, type?: string): string {
  const named = type === undefined ? undefined : BULLET_TYPES[type.trim().toLowerCase()];
  if (named !== undefined) return named;
  return BULLETS[Math.min(Math.max(depth, 1), BULLETS.length) - 1] as string;
}

/** 1 -> a, 26 -> z, 27 -> aa (CSS `lower-alpha`). */
function alpha(n: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    v -= 1;
    out = String.fromCharCode(97 + (v % 26)) + out;
    v = Math.floor(v / 26);
  }
  return out;
}

const ROMAN: readonly [number, string][] = [
  [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'],
  [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
];

function roman(n: number): string {
  let out = '';
  let v = n;
  for (const [value, digits] of ROMAN) {
    while (v >= value) {
      out += digits;
      v -= value;
    }
  }
  return out;
}

/**
 * The marker of the `n`th item of an ordered list of `type` ("1", "a", "A", "i", "I"). Letters
 * and Roman numerals exist for positive numbers only (Roman up to 3999); elsewhere a browser falls
 * back to decimal, and so does this.
 */
export function ordinal(n: number, type?: string): string {
  const t = type?.trim() ?? '1';
  let shown: string;
  if (n > 0 && (t === 'a' || t === 'A')) shown = t === 'a' ? alpha(n) : alpha(n).toUpperCase();
  else if (n > 0 && n < 4000 && (t === 'i' || t === 'I')) shown = t === 'i' ? roman(n) : roman(n).toUpperCase();
  else shown = String(n);
  return `${shown}.`;
}

/** An integer attribute (`start`, `value`) as HTML parses it: leading digits with an optional sign, else null. */
export function integerAttribute(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^\s*([+-]?\d{1,9})/.exec(value);
  return m ? Number(m[1]) : null;
}
