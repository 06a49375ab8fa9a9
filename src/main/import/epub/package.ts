/**
 * The EPUB container's XML: `META-INF/container.xml` (where the package document is), the
 * package document (OPF: metadata, manifest, spine) and `META-INF/encryption.xml`. Read with the
 * linear SAX walk in XML mode, by local name, so `dc:title`, `opf:item` and unprefixed names all
 * match.
 */
import { walkHtml } from '../html/sax.js';
import { normaliseZipPath } from '../zip.js';

export interface ManifestItem {
  id: string;
  /** The item's path inside the archive. */
  path: string;
  mediaType: string;
  properties: string[];
}

export interface SpineEntry {
  item: ManifestItem;
  /** `linear="no"`: outside the main reading order (a cover, notes shown as pop-ups). */
  linear: boolean;
}

export interface PackageDocument {
  metadata: {
    title?: string;
    creators: string[];
    date?: string;
    language?: string;
    publisher?: string;
  };
  manifest: Map<string, ManifestItem>;
  spine: SpineEntry[];
  /** The NCX's manifest id (EPUB 2's `spine@toc`). */
  tocId?: string;
  pageProgression?: 'rtl' | 'ltr';
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const collapse = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/** Walks XML by local names, keeping the text of the current element. */
function walkXml(
  xml: string,
  open: (name: string, attribs: Record<string, string>, path: readonly string[]) => void,
  close: (name: string, text: string, path: readonly string[]) => void,
): void {
  const path: string[] = [];
  const texts: string[] = [];
  walkHtml(
    xml,
    {
      open(name, attribs) {
        const local = localName(name);
        open(local, attribs, path);
        path.push(local);
        texts.push('');
      },
      close(name) {
        const text = texts.pop() ?? '';
        path.pop();
        close(localName(name), text, path);
        // The text of a child is part of its parent's text.
        if (texts.length > 0) texts[texts.length - 1] += text;
      },
      text(t) {
        if (texts.length > 0) texts[texts.length - 1] += t;
      },
    },
    { xml: true },
  );
}

/** Decodes a URL path (`Chapter%201.xhtml`), leaving a malformed escape as it is. */
function decodePath(href: string): string {
  try {
    return decodeURIComponent(href);
  } catch {
    return href;
  }
}

/**
 * The archive path an href points to from the file `base` (fragment and query dropped), or null
 * for one outside the archive or on another host.
 */
export function resolveHref(base: string, href: string): string | null {
  const bare = href.trim().replace(/[#?].*$/s, '');
  if (bare === '' || /^[a-z][a-z0-9+.-]*:/i.test(bare)) return null;
  const dir = base.includes('/') ? base.slice(0, base.lastIndexOf('/') + 1) : '';
  const joined = bare.startsWith('/') ? bare : dir + bare;
  return normaliseZipPath(decodePath(joined));
}

/** The package document's path from `container.xml`: the first OPF rootfile. */
export function containerRootfile(xml: string): string | undefined {
  let found: string | undefined;
  let any: string | undefined;
  walkXml(
    xml,
    (name, attribs) => {
      if (name !== 'rootfile') return;
      const path = attribs['full-path'];
      if (path === undefined || path.trim() === '') return;
      any ??= path;
      if (found === undefined && (attribs['media-type'] ?? '').trim() === 'application/oebps-package+xml') found = path;
    },
    () => {},
  );
  const chosen = found ?? any;
  return chosen === undefined ? undefined : (normaliseZipPath(decodePath(chosen.trim())) ?? undefined);
}

/** Reads the package document at `opfPath`. Spine references to items not in the manifest are left out. */
export function parsePackage(xml: string, opfPath: string): PackageDocument {
  const pkg: PackageDocument = { metadata: { creators: [] }, manifest: new Map(), spine: [] };
  const refs: { idref: string; linear: boolean }[] = [];
  const dates: { event: string; value: string }[] = [];
  let dateEvent = '';
  walkXml(
    xml,
    (name, attribs, path) => {
      const parent = path[path.length - 1];
      if (name === 'item' && parent === 'manifest') {
        const id = attribs.id;
        const href = attribs.href;
        const at = href === undefined ? null : resolveHref(opfPath, href);
        if (id !== undefined && at !== null && !pkg.manifest.has(id)) {
          const properties = (attribs.properties ?? '').split(/\s+/).filter((p) => p !== '');
          pkg.manifest.set(id, { id, path: at, mediaType: (attribs['media-type'] ?? '').trim().toLowerCase(), properties });
        }
      } else if (name === 'spine') {
        if (attribs.toc) pkg.tocId = attribs.toc;
        const ppd = attribs['page-progression-direction']?.trim().toLowerCase();
        if (ppd === 'rtl' || ppd === 'ltr') pkg.pageProgression = ppd;
      } else if (name === 'itemref' && parent === 'spine' && attribs.idref !== undefined) {
        refs.push({ idref: attribs.idref, linear: (attribs.linear ?? 'yes').trim().toLowerCase() !== 'no' });
      } else if (name === 'date' && parent === 'metadata') {
        dateEvent = (attribs['opf:event'] ?? attribs.event ?? '').toLowerCase();
      }
    },
    (name, text, path) => {
      // Old OEB-style packages wrap the Dublin Core in <dc-metadata> inside <metadata>.
      const parent = path[path.length - 1];
      if (parent !== 'metadata' && !(parent === 'dc-metadata' && path[path.length - 2] === 'metadata')) return;
      const value = collapse(text);
      if (value === '') return;
      const m = pkg.metadata;
      if (name === 'title') m.title ??= value;
      else if (name === 'creator') m.creators.push(value);
      else if (name === 'language') m.language ??= value;
      else if (name === 'publisher') m.publisher ??= value;
      else if (name === 'date') dates.push({ event: dateEvent, value });
    },
  );
  // EPUB 2 can date several events; the publication is the book's date.
  const date = dates.find((d) => d.event === 'publication') ?? dates.find((d) => d.event === '') ?? dates[0];
  if (date) pkg.metadata.date = date.value;
  for (const ref of refs) {
    const item = pkg.manifest.get(ref.idref);
    if (item !== undefined) pkg.spine.push({ item, linear: ref.linear });
  }
  return pkg;
}

/** Algorithms that only obfuscate embedded fonts (IDPF and Adobe): not DRM, the text is readable. */
const FONT_OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#rc']);

/** The archive paths that `encryption.xml` encrypts with a real cipher (font obfuscation left out). */
export function encryptedPaths(xml: string): Set<string> {
  const out = new Set<string>();
  let algorithm = '';
  walkXml(
    xml,
    (name, attribs) => {
      if (name === 'encrypteddata') algorithm = '';
      else if (name === 'encryptionmethod') algorithm = (attribs.algorithm ?? '').trim().toLowerCase();
      else if (name === 'cipherreference' && attribs.uri !== undefined && !FONT_OBFUSCATION.has(algorithm)) {
        const path = resolveHref('', attribs.uri);
        if (path !== null) out.add(path);
      }
    },
    () => {},
  );
  return out;
}
