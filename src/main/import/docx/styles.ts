/**
 * Paragraph properties and paragraph styles (`word/styles.xml`): which paragraphs are headings
 * (by `w:outlineLvl`, or a style called "heading N" / id `HeadingN`, or the Title style), quotes or
 * code, which are numbered through their style, and which are right to left (`w:bidi`), following
 * `w:basedOn` chains and the document defaults.
 */
import { type Attributes, isOn, walkXml } from './xml.js';

/** What a paragraph's `w:pPr` (or a style's) says, as far as Gloss uses it. */
export interface ParagraphProps {
  styleId?: string;
  bidi?: boolean;
  /** 0-based outline level; 9 is body text. */
  outlineLevel?: number;
  numId?: string;
  ilvl?: number;
}

export type StyleRole = 'heading' | 'title' | 'quote' | 'code';

interface Style {
  name: string;
  basedOn?: string;
  props: ParagraphProps;
  role?: StyleRole;
  /** From the name: "heading 2" is level 2. */
  level?: number;
}

/** What a paragraph turns out to be once its own properties and its style are combined. */
export interface ResolvedParagraph {
  headingLevel?: number;
  role?: StyleRole;
  bidi: boolean;
  numId?: string;
  ilvl: number;
}

/** `basedOn` chains longer than this are a loop or an attack. */
const MAX_STYLE_CHAIN = 32;

/**
 * Applies one element found inside a `w:pPr` to `props`. `parent` is the element's parent: only
 * direct children of `w:pPr` and of its `w:numPr` count, so the old properties kept inside a
 * tracked change (`w:pPrChange`) and the paragraph mark's run properties are left alone.
 */
export function applyParagraphProperty(props: ParagraphProps, parent: string, name: string, a: Attributes): void {
  if (parent === 'w:pPr') {
    if (name === 'w:pStyle' && a['w:val']) props.styleId = a['w:val'];
    else if (name === 'w:bidi') props.bidi = isOn(a);
    else if (name === 'w:outlineLvl') {
      const level = Number.parseInt(a['w:val'] ?? '', 10);
      if (Number.isInteger(level)) props.outlineLevel = level;
    }
  } else if (parent === 'w:numPr') {
    if (name === 'w:numId' && a['w:val'] !== undefined) props.numId = a['w:val'];
    else if (name === 'w:ilvl') {
      const level = Number.parseInt(a['w:val'] ?? '', 10);
      if (Number.isInteger(level)) props.ilvl = Math.min(8, Math.max(0, level));
    }
  }
}

function roleOf(id: string, name: string): { role?: StyleRole; level?: number } {
  const n = name.toLowerCase().replace(/\s+/g, ' ').trim();
  const i = id.toLowerCase();
  const heading = /^heading ?([1-9])$/.exec(n) ?? /^heading([1-9])$/.exec(i);
  if (heading) return { role: 'heading', level: Number(heading[1]) };
  if (n === 'title' || i === 'title') return { role: 'title' };
  if (/^(intense )?quote$|^block text$|^block quote$|^quotations?$/.test(n) || /^(intense)?quote$|^blocktext$/.test(i)) {
    return { role: 'quote' };
  }
  if (/^html preformatted$|^(source )?code$|^plain text$|^preformatted text$/.test(n) || /^(htmlpreformatted|sourcecode|code)$/.test(i)) {
    return { role: 'code' };
  }
  return {};
}

export class Styles {
  private readonly styles = new Map<string, Style>();
  private defaults: ParagraphProps = {};
  private defaultStyle: string | undefined;

  /** Reads `word/styles.xml`; a document without one uses Word's defaults (nothing special). */
  static read(xml: string | null, file: string, part = 'word/styles.xml'): Styles {
    const styles = new Styles();
    if (xml === null) return styles;
    const stack: string[] = [];
    let current: (Style & { id: string; paragraph: boolean }) | null = null;
    let inDefaults = false;
    walkXml(xml, file, part, {
      open(name, a) {
        const parent = stack[stack.length - 1] ?? '';
        stack.push(name);
        if (name === 'w:style' && stack.length === 2) {
          current = { id: a['w:styleId'] ?? '', name: '', props: {}, paragraph: (a['w:type'] ?? 'paragraph') === 'paragraph' };
          if (current.paragraph && isOn(a, 'w:default') && a['w:default'] !== undefined) styles.defaultStyle = current.id;
          return;
        }
        if (name === 'w:pPrDefault') inDefaults = true;
        const target = current?.props ?? (inDefaults ? styles.defaults : null);
        if (current !== null && stack.length === 3) {
          if (name === 'w:name') current.name = a['w:val'] ?? '';
          else if (name === 'w:basedOn') current.basedOn = a['w:val'];
        }
        // Properties count only as w:style/w:pPr/… or w:docDefaults/w:pPrDefault/w:pPr/…
        const pPrAt = stack.lastIndexOf('w:pPr');
        if (target !== null && pPrAt === (inDefaults ? 3 : 2) && stack.length - pPrAt <= 3) {
          applyParagraphProperty(target, parent, name, a);
        }
      },
      close(name) {
        stack.pop();
        if (name === 'w:style' && stack.length === 1 && current !== null) {
          if (current.paragraph && current.id !== '') {
            const { role, level } = roleOf(current.id, current.name);
            const style: Style = { name: current.name, props: current.props };
            if (current.basedOn !== undefined) style.basedOn = current.basedOn;
            if (role !== undefined) style.role = role;
            if (level !== undefined) style.level = level;
            styles.styles.set(current.id, style);
          }
          current = null;
        }
        if (name === 'w:pPrDefault') inDefaults = false;
      },
      text() {},
    });
    return styles;
  }

  /** The numbering a style gives (for `w:numStyleLink`). */
  styleNumId(styleId: string): string | undefined {
    return this.chain(styleId).find((s) => s.props.numId !== undefined)?.props.numId;
  }

  private readonly chains = new Map<string, Style[]>();

  /** The style and its ancestors, nearest first, bounded and loop-safe (remembered: every paragraph asks). */
  private chain(styleId: string | undefined): Style[] {
    if (styleId === undefined) return [];
    const known = this.chains.get(styleId);
    if (known !== undefined) return known;
    const out: Style[] = [];
    this.chains.set(styleId, out);
    const seen = new Set<string>();
    let id: string | undefined = styleId;
    while (id !== undefined && !seen.has(id) && out.length < MAX_STYLE_CHAIN) {
      seen.add(id);
      const style = this.styles.get(id);
      if (style === undefined) break;
      out.push(style);
      id = style.basedOn;
    }
    return out;
  }

  /** A paragraph's own properties over its style's (and the style's ancestors'), over the defaults. */
  resolve(own: ParagraphProps): ResolvedParagraph {
    const chain = this.chain(own.styleId ?? this.defaultStyle);
    const pick = <K extends keyof ParagraphProps>(key: K): ParagraphProps[K] => {
      if (own[key] !== undefined) return own[key];
      for (const s of chain) if (s.props[key] !== undefined) return s.props[key];
      return this.defaults[key];
    };
    const out: ResolvedParagraph = { bidi: pick('bidi') ?? false, ilvl: pick('ilvl') ?? 0 };
    const numId = pick('numId');
    if (numId !== undefined && numId !== '0') out.numId = numId;
    const outline = pick('outlineLevel');
    const named = chain.find((s) => s.role !== undefined);
    if (outline !== undefined && outline >= 0 && outline <= 8) {
      out.role = 'heading';
      out.headingLevel = Math.min(6, outline + 1);
    } else if (outline === undefined && named?.role === 'heading') {
      out.role = 'heading';
      out.headingLevel = Math.min(6, named.level ?? 1);
    } else if (named !== undefined && named.role !== 'heading') {
      out.role = named.role;
      if (named.role === 'title') out.headingLevel = 1;
    }
    return out;
  }
}
