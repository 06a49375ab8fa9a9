/**
 * Highlight colours as CSS, shared by the W3C export's stylesheet and the HTML report.
 *
 * Only the palette's colours ever reach CSS or HTML: every function here takes the stored value
 * as untrusted (a library can hold whatever an older Gloss or a hand-made file put in its colour
 * column, such as `"><meta http-equiv=refresh …>`) and draws anything that is not one of
 * `COLORS` as the default colour.
 */
import { COLORS, type Color } from '../model.js';

/** The colour of a highlight made without one (as the store's column default). */
export const DEFAULT_COLOR: Color = 'yellow';

/** Background of a highlight of each colour (light enough to read black text on, and to print). */
export const HIGHLIGHT_CSS: Record<Color, string> = {
  yellow: '#fff176',
  green: '#b9f6ca',
  blue: '#b3e5fc',
  pink: '#f8bbd0',
  purple: '#e1bee7',
  orange: '#ffcc80',
};

/** Whether a value is one of the palette's colour names. */
export function isPaletteColor(value: unknown): value is Color {
  return typeof value === 'string' && (COLORS as readonly string[]).includes(value);
}

/** The palette colour to draw for a stored value: the value itself when it is one, else the default. */
export function paletteColor(value: unknown): Color {
  return isPaletteColor(value) ? value : DEFAULT_COLOR;
}

/** The W3C `styleClass` Gloss writes for a colour: `gloss-yellow` ... (never anything outside the palette). */
export function colorClass(color: Color | string): string {
  return `gloss-${paletteColor(color)}`;
}

/** The colour named by a `styleClass` value, if it is one of Gloss's. */
export function colorFromClass(styleClass: string): Color | undefined {
  const m = /^gloss-([a-z]+)$/.exec(styleClass.trim());
  const name = m?.[1];
  return isPaletteColor(name) ? name : undefined;
}

/** A CSS rule for one colour's class (the W3C `stylesheet` of an annotation). */
export function colorRule(color: Color | string): string {
  const c = paletteColor(color);
  return `.${colorClass(c)} { background-color: ${HIGHLIGHT_CSS[c]}; }`;
}
