/**
 * An HTML file: a saved web page, or a fragment.
 *
 * A page with chrome (navigation, header and footer landmarks, sidebars, forms, cookie banners,
 * comment sections, ad slots) goes through Mozilla Readability, Firefox's Reader View, on a
 * linkedom DOM (which runs no script and fetches nothing). The article HTML Readability returns
 * then goes through the same walk as every HTML file (`htmlToBlocks`), so the sanitising is the
 * same: no script, style or handler survives. Title, byline, site name, date, language, excerpt
 * and the page's address become document metadata.
 *
 * A file with no chrome (a fragment, a hand-written page), or one Readability does not take for
 * an article (`isProbablyReaderable` false, or nothing extracted), is imported whole, as before.
 *
 * Bounds: the page is scanned with the linear walk first; a page with chrome of more than
 * MAX_PAGE_ELEMENTS elements or nested deeper than MAX_PAGE_DEPTH is refused before any DOM is
 * built (linkedom recurses per level and Readability's scoring climbs ancestors, so depth and size
 * are what cost time there: 100,000 elements take about 3 s here).
 */
import { isProbablyReaderable, Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { DocumentMeta, ParsedDocument } from '../../common/model.js';
import { ImportError } from './errors.js';
import { htmlToBlocks, parseHtml } from './html.js';
import { isRtlLanguage } from './html/context.js';
import { NOTE_CLASS_NAMES, noteRole } from './html/notes.js';
import { walkHtml } from './html/sax.js';
import { finishDocument, type RawBlock } from './plain-text.js';

export const MAX_PAGE_ELEMENTS = 100_000;
export const MAX_PAGE_DEPTH = 400;
/**
 * Reader View counts paragraphs of 140 characters and more towards "this is an article"; news
 * sites, Hebrew ones especially, write shorter paragraphs, and a file saved on purpose is more
 * likely an article than a page met while browsing, so shorter ones count here.
 */
const READERABLE_PARAGRAPH = 80;

/** Elements and landmark roles that only a page around an article has. */
const CHROME_ELEMENTS = new Set(['nav', 'header', 'footer', 'aside', 'form']);
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search']);
/** Class and id words of page furniture (matched as whole words of the class or id). */
const CHROME_WORDS =
  /(?:^|[\s_-])(?:nav|navbar|navigation|menu|sidebar|masthead|footer|header|cookies?|consent|gdpr|comments?|related|share|social|ads?|advert|advertisement|sponsored|promo|newsletter|subscribe|breadcrumbs?)(?:$|[\s_-])/i;
/** Consent banners: Readability has no rule for them, so they are taken out of the DOM first. */
const BANNER_WORDS = /(?:^|[\s_-])(?:cookies?|consent|gdpr|cmp)(?:$|[\s_-])/i;

interface PageScan {
  elements: number;
  depth: number;
  chrome: boolean;
  canonical?: string;
  ogUrl?: string;
}

/** One linear pass: the size of the page, whether it has chrome, and its address. */
function scanPage(html: string): PageScan {
  const scan: PageScan = { elements: 0, depth: 0, chrome: false };
  let depth = 0;
  walkHtml(html, {
    open(name, attribs) {
      scan.elements++;
      depth++;
      if (depth > scan.depth) scan.depth = depth;
      if (!scan.chrome) {
        const role = attribs.role?.toLowerCase();
        scan.chrome =
          // A footnote written as <aside epub:type="footnote"> is text, not a sidebar.
          (CHROME_ELEMENTS.has(name) && !(name === 'aside' && noteRole(attribs, true) !== null)) ||
          (role !== undefined && CHROME_ROLES.has(role)) ||
          CHROME_WORDS.test(attribs.class ?? '') ||
          CHROME_WORDS.test(attribs.id ?? '');
      }
      if (name === 'link' && attribs.rel?.toLowerCase().split(/\s+/).includes('canonical')) scan.canonical ??= attribs.href;
      if (name === 'meta' && attribs.property?.toLowerCase() === 'og:url') scan.ogUrl ??= attribs.content;
    },
    close() {
      depth--;
    },
    text() {},
  });
  return scan;
}

/** An absolute http(s) address, or undefined. */
function webAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The page's address: the "saved from" mark a browser writes, else the canonical link, else og:url. */
function pageUrl(html: string, scan: PageScan): string | undefined {
  const saved = /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(html.slice(0, 4096));
  return webAddress(saved?.[1]) ?? webAddress(scan.canonical) ?? webAddress(scan.ogUrl);
}

const SEPARATORS = '|\\-–—·:»/';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The title without the site's name: "Title | Site", "Title - Site", "Title — Site" (and "Site |
 * Title" when the site's name is known). Without a known site name only a last part shorter than
 * the rest, after a spaced separator, is taken for the site.
 */
export function stripSiteName(title: string, siteName?: string): string {
  const t = title.trim();
  const site = siteName?.trim();
  if (site) {
    const s = escapeRegExp(site);
    const stripped = t
      .replace(new RegExp(`\\s+[${SEPARATORS}]+\\s+${s}$`, 'iu'), '')
      .replace(new RegExp(`^${s}\\s*[${SEPARATORS}]+\\s+`, 'iu'), '');
    if (stripped !== t && stripped !== '') return stripped;
  }
  const m = new RegExp(`^(.*\\S)\\s+[${SEPARATORS}]\\s+([^${SEPARATORS}]+)$`, 'u').exec(t);
  if (m && (m[2] as string).length < (m[1] as string).length && (m[1] as string).includes(' ')) return m[1] as string;
  return t;
}

/** ISO 8601 stays as it is; another date a JavaScript Date can read becomes ISO; else the text as given. */
function isoDate(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(v)) return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}

const clean = (s: string | null | undefined): string | undefined => {
  const t = s?.replace(/\s+/gu, ' ').trim();
  return t ? t : undefined;
};

/** The minimal DOM surface used here (the main process has no DOM types). */
interface DomElement {
  readonly localName: string;
  readonly textContent: string | null;
  readonly attributes: Iterable<{ name: string; value: string }>;
  readonly firstChild: unknown;
  remove(): void;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  appendChild(node: unknown): void;
  replaceWith(node: unknown): void;
}
interface DomDocument {
  querySelectorAll(selector: string): Iterable<DomElement>;
  createElement(name: string): DomElement;
}

/**
 * Readability removes every <aside>; a note written as one (EPUB and DPUB-ARIA footnotes) becomes
 * a <section> with the same attributes first, so the walk still reads it as a note. Not a <div>:
 * Readability replaces a div holding one paragraph by the paragraph, attributes and all.
 */
function keepNoteAsides(document: DomDocument): void {
  for (const aside of [...document.querySelectorAll('aside')]) {
    const attribs: Record<string, string> = {};
    for (const a of aside.attributes) attribs[a.name.toLowerCase()] = a.value;
    if (noteRole(attribs, true) === null) continue;
    const section = document.createElement('section');
    for (const [k, v] of Object.entries(attribs)) section.setAttribute(k, v);
    while (aside.firstChild) section.appendChild(aside.firstChild);
    aside.replaceWith(section);
  }
}

/** A consent banner is short; a long element with such a class is a page wrapper ("cookies-accepted" on a layout div). */
const MAX_BANNER_TEXT = 2000;
const NEVER_BANNERS = new Set(['html', 'head', 'body', 'main', 'article']);

/** Takes consent banners out before Readability sees the page: it has no rule for them, and keeps one that sits in the article. */
function removeBanners(document: DomDocument): void {
  for (const el of [...document.querySelectorAll('[class], [id]')]) {
    if (NEVER_BANNERS.has(el.localName)) continue;
    if (!BANNER_WORDS.test(el.getAttribute('class') ?? '') && !BANNER_WORDS.test(el.getAttribute('id') ?? '')) continue;
    if ((el.textContent ?? '').length <= MAX_BANNER_TEXT) el.remove();
  }
}

function fragment(html: string, name: string, url: string | undefined): ParsedDocument {
  const doc = parseHtml(html, name);
  return { ...doc, meta: { sourceKind: 'html', ...(url ? { url } : {}) } };
}

/** Parses an HTML file: a saved web page through Reader View's extraction, a fragment as it is. */
export function parseHtmlFile(html: string, name: string): ParsedDocument {
  const scan = scanPage(html);
  const url = pageUrl(html, scan);
  if (!scan.chrome) return fragment(html, name, url);
  if (scan.elements > MAX_PAGE_ELEMENTS) {
    throw new ImportError(
      name,
      `is a web page of ${scan.elements.toLocaleString('en-US')} elements, more than the ${MAX_PAGE_ELEMENTS.toLocaleString('en-US')} Gloss reads as a page`,
      'too-complex',
    );
  }
  if (scan.depth > MAX_PAGE_DEPTH) {
    throw new ImportError(name, `is a web page nested ${scan.depth.toLocaleString('en-US')} elements deep, deeper than the ${MAX_PAGE_DEPTH} levels Gloss reads in a page`, 'too-complex');
  }

  const { document } = parseHTML(html);
  removeBanners(document as unknown as DomDocument);
  keepNoteAsides(document as unknown as DomDocument);
  if (!isProbablyReaderable(document as never, { minContentLength: READERABLE_PARAGRAPH })) return fragment(html, name, url);
  const article = new Readability(document as never, { classesToPreserve: [...NOTE_CLASS_NAMES] }).parse();
  if (!article?.content) return fragment(html, name, url);

  const language = clean(article.lang);
  const declared = article.dir === 'rtl' || article.dir === 'ltr' ? article.dir : undefined;
  const { blocks } = htmlToBlocks(article.content, { file: name, dir: declared ?? (isRtlLanguage(language) ? 'rtl' : undefined) });

  const siteName = clean(article.siteName);
  const rawTitle = clean(article.title);
  const title = rawTitle === undefined ? undefined : stripSiteName(rawTitle, siteName);
  // Reader View shows the title above the text. Readability either takes the article's own
  // heading out when it repeats the title, or keeps it demoted to h2: either way it leads, at level 1.
  const first = blocks.find((b) => b.text.trim() !== '');
  let withTitle: RawBlock[] = blocks;
  if (title !== undefined && first?.kind === 'heading' && first.text.replace(/\s+/gu, ' ').trim() === title) {
    first.meta = { ...first.meta, level: 1 };
  } else if (title !== undefined) {
    withTitle = [{ kind: 'heading', depth: 0, text: title, meta: { level: 1 } }, ...blocks];
  }
  const doc = finishDocument(name, withTitle, title);

  const meta: DocumentMeta = { sourceKind: 'web' };
  const author = clean(article.byline)?.replace(/^(?:by|מאת)\s+/iu, '');
  if (author) meta.author = author;
  const date = isoDate(article.publishedTime);
  if (date) meta.date = date;
  if (siteName) meta.siteName = siteName;
  if (language) meta.sourceLanguage = language;
  const description = clean(article.excerpt);
  if (description) meta.description = description;
  if (url) meta.url = url;
  return { ...doc, meta };
}
