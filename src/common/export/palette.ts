/** Highlight colours as CSS, shared by the W3C export's stylesheet and the HTML report. */
import { COLORS, type Color } from '../model.js';

/** Background of a highlight of each colour (light enough to read black text on, and to print). */
export const HIGHLIGHT_CSS: Record<Color, string> = {
  yellow: '#fff176',
  green: '#b9f6ca',
  blue: '#b3e5fc',
  pink: '#f8bbd0',
  purple: '#e1bee7',
  orange: '#ffcc80',
};

/** The W3C `styleClass` Gloss writes for a colour: `gloss-yellow` ... */
export function colorClass(color: Color): string {
  return `gloss-${color}`;
}

/** The colour named by a `styleClass` value, if it is one of Gloss's. */
export function colorFromClass(styleClass: string): Color | undefined {
  const m = /^gloss-([a-z]+)$/.exec(styleClass.trim());
  const name = m?.[1];
  return name && (COLORS as readonly string[]).includes(name) ? (name as Color) : undefined;
}

/** A CSS rule for one colour's class (the W3C `stylesheet` of an annotation). */
export function colorRule(color: Color): string {
  return `.${colorClass(color)} { background-color: ${HIGHLIGHT_CSS[color]}; }`;
}
