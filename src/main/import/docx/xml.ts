/**
 * A bounded SAX walk over one XML part of a .docx, with element names resolved through their
 * namespaces to the prefixes Word uses (`w:p`, `w14:paraId`…). Word always writes `w:`, but other
 * producers may pick other prefixes or the ISO "strict" namespaces; resolving keeps the readers to
 * one spelling. htmlparser2's SAX mode keeps memory to the part's text; it expands no DTD
 * entities, so an entity bomb has nothing to grow from; nesting depth and element count are capped
 * so a hostile part fails fast with the limit named.
 */
import { Parser } from 'htmlparser2';
import { ImportError } from '../errors.js';

/** Deeper than any real document: a table in a table in a text box is ~40 levels. */
export const MAX_XML_DEPTH = 256;
/** Elements in one part: ~2 per character of a dense 100 MB part would be far beyond it anyway. */
export const MAX_XML_ELEMENTS = 5_000_000;

const NAMESPACES: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.microsoft.com/office/word/2010/wordml': 'w14',
  'http://schemas.microsoft.com/office/word/2012/wordml': 'w15',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'http://schemas.openxmlformats.org/officeDocument/2006/math': 'm',
  'http://purl.oclc.org/ooxml/officeDocument/math': 'm',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'rel',
  'http://schemas.openxmlformats.org/package/2006/metadata/core-properties': 'cp',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
};

export type Attributes = Record<string, string>;

export interface XmlHandler {
  open(name: string, attributes: Attributes): void;
  close(name: string): void;
  text(text: string): void;
}

type Scope = Map<string, string> | null;

/** `prefix:local` to the canonical prefix of its namespace; names in unknown namespaces get `?:`. */
function resolve(qualified: string, scopes: readonly Scope[], isAttribute: boolean): string {
  const colon = qualified.indexOf(':');
  const prefix = colon < 0 ? '' : qualified.slice(0, colon);
  if (prefix === 'xml' || prefix === 'xmlns') return qualified;
  // Unprefixed attributes belong to no namespace.
  if (prefix === '' && isAttribute) return qualified;
  let uri: string | undefined;
  for (let i = scopes.length - 1; i >= 0 && uri === undefined; i--) uri = scopes[i]?.get(prefix);
  const local = colon < 0 ? qualified : qualified.slice(colon + 1);
  if (uri === undefined || uri === '') return prefix === '' ? local : `?:${local}`;
  const canonical = NAMESPACES[uri];
  return canonical === undefined ? `?:${local}` : `${canonical}:${local}`;
}

/**
 * Walks `xml` (the part `part` of the file `file`), calling `handler` with resolved names.
 * Throws ImportError when the part is nested too deep, has too many elements or is not XML.
 */
export function walkXml(
  xml: string,
  file: string,
  part: string,
  handler: XmlHandler,
  limits: { maxDepth?: number; maxElements?: number } = {},
): void {
  const maxDepth = limits.maxDepth ?? MAX_XML_DEPTH;
  const maxElements = limits.maxElements ?? MAX_XML_ELEMENTS;
  const scopes: Scope[] = [];
  const names: string[] = [];
  let elements = 0;
  // Element and attribute names share the cache under different keys ("@" cannot start an XML name).
  const cache = new Map<string, string>();
  const cached = (qualified: string, isAttribute: boolean): string => {
    const key = isAttribute ? `@${qualified}` : qualified;
    let name = cache.get(key);
    if (name === undefined) {
      name = resolve(qualified, scopes, isAttribute);
      cache.set(key, name);
    }
    return name;
  };
  const parser = new Parser(
    {
      onopentag(qualified, raw) {
        elements += 1;
        if (elements > maxElements) {
          throw new ImportError(file, `has too many elements in ${part} (more than ${maxElements.toLocaleString('en-US')}, the limit)`, 'too-complex');
        }
        if (scopes.length >= maxDepth) {
          throw new ImportError(file, `nests elements too deeply in ${part} (more than ${maxDepth} levels, the limit)`, 'too-complex');
        }
        let scope: Scope = null;
        for (const key in raw) {
          if (key === 'xmlns' || key.startsWith('xmlns:')) {
            scope ??= new Map();
            scope.set(key === 'xmlns' ? '' : key.slice(6), raw[key] ?? '');
          }
        }
        // Resolutions hold while no declaration comes into or goes out of scope (in Word's parts,
        // only the root declares any), so they are remembered until then.
        if (scope !== null) cache.clear();
        scopes.push(scope);
        const attributes: Attributes = {};
        for (const key in raw) attributes[cached(key, true)] = raw[key] ?? '';
        const name = cached(qualified, false);
        names.push(name);
        handler.open(name, attributes);
      },
      onclosetag() {
        const name = names.pop();
        if (scopes.pop() != null) cache.clear();
        if (name !== undefined) handler.close(name);
      },
      ontext(text) {
        handler.text(text);
      },
    },
    { xmlMode: true },
  );
  try {
    parser.write(xml);
    parser.end();
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(file, `is damaged (${part} cannot be read: ${e instanceof Error ? e.message : String(e)})`, 'damaged');
  }
}

/** Word's on/off values: absent or "true"/"1"/"on" mean on; "false"/"0"/"off"/"none" mean off. */
export function isOn(attributes: Attributes, key = 'w:val'): boolean {
  const v = attributes[key];
  return v === undefined || !/^(false|0|off|none)$/i.test(v);
}

/** Collects an element's text (a `dc:title`): the handler for a small part such as core properties. */
export function textOf(xml: string, file: string, part: string, wanted: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  const stack: string[] = [];
  walkXml(xml, file, part, {
    open: (name) => void stack.push(name),
    close: () => void stack.pop(),
    text: (text) => {
      const name = stack[stack.length - 1];
      if (name !== undefined && wanted.has(name) && stack.length === 2) found.set(name, (found.get(name) ?? '') + text);
    },
  });
  return found;
}
