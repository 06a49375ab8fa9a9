/**
 * Chapter labels from an EPUB's table of contents: the EPUB 3 navigation document (`nav` with
 * `epub:type="toc"`) or the EPUB 2 NCX (`navMap`). A chapter file's label is that of the first
 * entry pointing into it, so a file split into sections takes its first section's name.
 */
import { walkHtml } from '../html/sax.js';
import { resolveHref } from './package.js';

const collapse = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/** Labels from an EPUB 3 navigation document at `navPath`, by chapter path. */
export function navLabels(xhtml: string, navPath: string): Map<string, string> {
  const labels = new Map<string, string>();
  /** Nesting inside the toc nav (0: outside), and inside any nav when the book marks none as toc. */
  let inToc = 0;
  let inNav = 0;
  let sawToc = false;
  let anyNav: Map<string, string> | null = null;
  let link: { path: string; text: string; depth: number } | null = null;
  let depth = 0;
  walkHtml(
    xhtml,
    {
      open(name, attribs) {
        depth++;
        if (name === 'nav') {
          const types = (attribs['epub:type'] ?? attribs.role ?? '').toLowerCase().split(/\s+/);
          if (inToc === 0 && (types.includes('toc') || types.includes('doc-toc'))) {
            inToc = depth;
            sawToc = true;
          } else if (inNav === 0 && inToc === 0) inNav = depth;
        }
        if (name === 'a' && (inToc > 0 || inNav > 0) && attribs.href !== undefined) {
          const path = resolveHref(navPath, attribs.href);
          if (path !== null) link = { path, text: '', depth };
        }
      },
      text(t) {
        if (link !== null) link.text += t;
      },
      close(name) {
        if (link !== null && name === 'a' && link.depth === depth) {
          const text = collapse(link.text);
          const target = inToc > 0 ? labels : (anyNav ??= new Map());
          if (text !== '' && !target.has(link.path)) target.set(link.path, text);
          link = null;
        }
        if (depth === inToc) inToc = 0;
        if (depth === inNav) inNav = 0;
        depth--;
      },
    },
    { xhtml: true },
  );
  return sawToc ? labels : (anyNav ?? labels);
}

/** Labels from an EPUB 2 NCX at `ncxPath`, by chapter path. */
export function ncxLabels(xml: string, ncxPath: string): Map<string, string> {
  const labels = new Map<string, string>();
  /** One entry per open navPoint: its label as read so far. */
  const points: { label: string }[] = [];
  let inLabel = 0;
  walkHtml(
    xml,
    {
      open(name, attribs) {
        const local = name.slice(name.indexOf(':') + 1);
        if (local === 'navpoint') points.push({ label: '' });
        else if (local === 'navlabel' && points.length > 0) inLabel++;
        else if (local === 'content' && points.length > 0 && attribs.src !== undefined) {
          const path = resolveHref(ncxPath, attribs.src);
          const label = collapse(points[points.length - 1]?.label ?? '');
          if (path !== null && label !== '' && !labels.has(path)) labels.set(path, label);
        }
      },
      text(t) {
        const point = points[points.length - 1];
        if (inLabel > 0 && point !== undefined) point.label += t;
      },
      close(name) {
        const local = name.slice(name.indexOf(':') + 1);
        if (local === 'navpoint') points.pop();
        else if (local === 'navlabel' && inLabel > 0) inLabel--;
      },
    },
    { xml: true },
  );
  return labels;
}
