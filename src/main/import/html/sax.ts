/**
 * A streaming HTML walk that stays linear however deep the markup nests.
 *
 * htmlparser2's `Parser` keeps its open-element stack top-first and calls `Array.unshift` on every
 * open tag (and `indexOf` on every close tag), so each tag costs O(depth): 200,000 nested `<div>`s
 * took 85 s (issue 15, F3). This module drives htmlparser2's `Tokenizer` (the part that knows
 * HTML's lexical rules: raw text in `script`/`style`, entities, comments) and keeps the stack
 * itself, top-last with push/pop, plus a count of open elements per name so that a close tag
 * with no open element of its name is dismissed without a scan. Every element is pushed and popped
 * once, so the whole walk is O(length of the input).
 *
 * The tree rules are htmlparser2's own (which open tags close which, void elements, `</p>` and
 * `</br>` alone, self-closing only in SVG and MathML), so the events are the ones `Parser` gave.
 * Every open event is matched by exactly one close event, in order.
 */
import { QuoteType, Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

export interface SaxHandler {
  open(name: string, attribs: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

export interface SaxOptions {
  /**
   * XHTML (an EPUB chapter): `<x/>` closes any element, and CDATA sections are text. HTML's
   * other rules still apply, which is harmless on well-formed XHTML.
   */
  xhtml?: boolean;
  /**
   * XML (an EPUB's container, package and NCX): no HTML rules at all (no implied closes, no void
   * elements, no raw-text elements), only XML's five entities; names are still lower-cased.
   */
  xml?: boolean;
}

const formTags = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const pTag = new Set(['p']);
const tableSectionTags = new Set(['thead', 'tbody']);
const ddtTags = new Set(['dd', 'dt']);
const rtpTags = new Set(['rt', 'rp']);
/** Opening the key closes any of these while they are the current element (htmlparser2's table). */
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((t) => [t, pTag] as [string, Set<string>]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, formTags] as [string, Set<string>]),
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', ddtTags],
  ['dt', ddtTags],
  ...[
    'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer',
    'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul',
  ].map((t) => [t, pTag] as [string, Set<string>]),
  ['rt', rtpTags],
  ['rp', rtpTags],
  ['tbody', tableSectionTags],
  ['tfoot', tableSectionTags],
]);

export const VOID_ELEMENTS = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const FOREIGN = new Set(['math', 'svg']);
const HTML_INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);

/** Walks `html`, calling `handler` for every element opened and closed and every run of text. */
export function walkHtml(html: string, handler: SaxHandler, options: SaxOptions = {}): void {
  const xml = options.xml === true;
  const xhtml = options.xhtml === true || xml;
  const isVoid = (name: string): boolean => !xml && VOID_ELEMENTS.has(name);
  const stack: string[] = [];
  const openCount: Record<string, number> = Object.create(null);
  /** Whether `<x/>` self-closes here: inside SVG/MathML (and everywhere in XHTML). */
  const foreign: boolean[] = [xhtml];
  let tagname = '';
  let attribs: Record<string, string> = {};
  let attribname = '';
  let attribvalue = '';

  const push = (name: string): void => {
    stack.push(name);
    openCount[name] = (openCount[name] ?? 0) + 1;
  };
  const pop = (): string => {
    const name = stack.pop() as string;
    openCount[name] = (openCount[name] ?? 1) - 1;
    return name;
  };
  const top = (): string | undefined => stack[stack.length - 1];

  const emitOpenTag = (name: string): void => {
    tagname = name;
    const closes = xml ? undefined : OPEN_IMPLIES_CLOSE.get(name);
    if (closes) {
      while (stack.length > 0 && closes.has(top() as string)) handler.close(pop());
    }
    if (!isVoid(name)) {
      push(name);
      if (FOREIGN.has(name)) foreign.push(true);
      else if (HTML_INTEGRATION.has(name)) foreign.push(xhtml);
    }
    attribs = {};
  };
  const endOpenTag = (): void => {
    handler.open(tagname, attribs);
    if (isVoid(tagname)) handler.close(tagname);
    tagname = '';
  };
  const closeCurrentTag = (): void => {
    const name = tagname;
    endOpenTag();
    if (top() === name) {
      pop();
      handler.close(name);
    }
  };

  const callbacks: TokenizerCallbacks = {
    ontext(start, end) {
      handler.text(html.slice(start, end));
    },
    ontextentity(codepoint) {
      handler.text(String.fromCodePoint(codepoint));
    },
    onopentagname(start, end) {
      emitOpenTag(html.slice(start, end).toLowerCase());
    },
    onattribname(start, end) {
      attribname = html.slice(start, end).toLowerCase();
    },
    onattribdata(start, end) {
      attribvalue += html.slice(start, end);
    },
    onattribentity(codepoint) {
      attribvalue += String.fromCodePoint(codepoint);
    },
    onattribend(_quote: QuoteType) {
      if (!Object.prototype.hasOwnProperty.call(attribs, attribname)) attribs[attribname] = attribvalue;
      attribvalue = '';
    },
    onopentagend() {
      endOpenTag();
    },
    onselfclosingtag() {
      if (foreign[foreign.length - 1]) closeCurrentTag();
      else endOpenTag();
    },
    onclosetag(start, end) {
      const name = html.slice(start, end).toLowerCase();
      if ((FOREIGN.has(name) || HTML_INTEGRATION.has(name)) && foreign.length > 1) foreign.pop();
      if (!isVoid(name)) {
        if ((openCount[name] ?? 0) > 0) {
          // The nearest open element of that name and everything opened after it close; each
          // element popped here was pushed once, so the scan costs nothing over the whole walk.
          let closed: string;
          do {
            closed = pop();
            handler.close(closed);
          } while (closed !== name);
        } else if (name === 'p' && !xml) {
          // `</p>` with no open p is an empty paragraph, as browsers make it.
          emitOpenTag('p');
          closeCurrentTag();
        }
      } else if (name === 'br' && !xml) {
        handler.open('br', {});
        handler.close('br');
      }
    },
    oncdata(start, end, offset) {
      if (xhtml) handler.text(html.slice(start, end - offset));
    },
    oncomment() {},
    ondeclaration() {},
    onprocessinginstruction() {},
    onend() {
      while (stack.length > 0) handler.close(pop());
    },
  };
  const tokenizer = new Tokenizer({ decodeEntities: true, xmlMode: xml }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
}
