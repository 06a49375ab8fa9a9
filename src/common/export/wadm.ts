/**
 * W3C Web Annotation Data Model (JSON-LD) export: an `AnnotationCollection` whose `first` is an
 * embedded `AnnotationPage` holding every annotation.
 *
 * Each annotation:
 * - `id`: `urn:uuid:<the annotation's UUID>` (stable across export and import);
 * - `motivation`: `commenting` when it has a note, else `tagging` when it has tags, else
 *   `highlighting`; each body carries its own `purpose` too;
 * - `target`: a SpecificResource whose `source` is `urn:sha256:<content hash>` (SHA-256 of the
 *   document's canonical text: the same text has the same identity in every library), with a
 *   `TextQuoteSelector` (exact, prefix, suffix) and a `TextPositionSelector` counted in Unicode
 *   code points (not UTF-16 units), as the model requires;
 * - `body`: one `TextualBody` per tag (`purpose: tagging`, `value`: the tag path) and one for the
 *   note (`purpose: commenting`, `format: text/plain`, `language`, `textDirection`);
 * - the colour: the model's own styling mechanism (section 4.4): the target's `styleClass`
 *   (`gloss-yellow` ...) and an embedded `CssStylesheet` defining that class. It needs no extension
 *   vocabulary, passes the W3C assertions, and a generic W3C client can render it;
 * - links (a passage and its counterpart in a translation): an annotation linked to passages in
 *   other texts has several targets, its own first, then each linked passage as a SpecificResource
 *   of its own text (`urn:sha256:` source, quote and position selectors). The model's meaning of
 *   several targets, "the body is about each of them", is what a link with shared tags and notes
 *   says; no extension vocabulary is needed, and an importer that reads the first target places
 *   the annotation where it was.
 *
 * The page's `total` is written after its `items`, since a stream knows it only at the end; JSON
 * does not order keys.
 */
import type { Annotation, Direction } from '../model.js';
import { blockDirection } from '../text/direction.js';
import { canonicalText } from '../text/canonical.js';
import { hasPages, pagesOf } from '../text/pages.js';
import { CodePointIndex } from './code-points.js';
import { colorClass, colorRule } from './palette.js';
import { documentDirection, type ExportMeta, type ExportSection, type LinkedPassage } from './types.js';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

export interface WadmTextualBody {
  type: 'TextualBody';
  purpose: 'tagging' | 'commenting';
  value: string;
  format?: 'text/plain';
  language?: string;
  textDirection?: Direction;
}

export interface WadmAnnotation {
  '@context': typeof ANNO_CONTEXT;
  id: string;
  type: 'Annotation';
  motivation: 'highlighting' | 'commenting' | 'tagging';
  created: string;
  modified: string;
  creator?: { type: 'Person'; name: string };
  body?: WadmTextualBody[];
  target: {
    type: 'SpecificResource';
    source: string;
    styleClass: string;
    selector: [
      { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string },
      { type: 'TextPositionSelector'; start: number; end: number },
      ...{ type: 'FragmentSelector'; conformsTo: typeof PDF_FRAGMENT; value: string }[],
    ];
  };
  stylesheet: { type: 'CssStylesheet'; value: string };
}

/** A linked passage as an additional target: a SpecificResource of its own text, with both selectors. */
export interface WadmLinkedTarget {
  type: 'SpecificResource';
  source: string;
  selector: [
    { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string },
    { type: 'TextPositionSelector'; start: number; end: number },
  ];
}

/** An annotation linked to passages in other texts: its own target first, then each linked passage. */
export type WadmLinkedAnnotation = Omit<WadmAnnotation, 'target'> & { target: [WadmAnnotation['target'], ...WadmLinkedTarget[]] };

export function linkedTarget(p: LinkedPassage): WadmLinkedTarget {
  return {
    type: 'SpecificResource',
    source: sourceUri(p.contentHash),
    selector: [
      { type: 'TextQuoteSelector', exact: p.exact, prefix: p.prefix, suffix: p.suffix },
      { type: 'TextPositionSelector', start: p.start, end: p.end },
    ],
  };
}

/** The annotation with its linked passages as further targets (unchanged when it has none). */
export function withLinks(w: WadmAnnotation, links: readonly LinkedPassage[] | undefined): WadmAnnotation | WadmLinkedAnnotation {
  if (!links || links.length === 0) return w;
  return { ...w, target: [w.target, ...links.map(linkedTarget)] };
}

export function sourceUri(contentHash: string): string {
  return `urn:sha256:${contentHash}`;
}

/** RFC 3778's fragment identifiers for PDF (`page=12`), as the W3C model names them. */
export const PDF_FRAGMENT = 'http://tools.ietf.org/rfc/rfc3778';

/**
 * The page of a passage as an RFC 3778 fragment (`page=12`), from its first page. RFC 3778 counts
 * pages by number, so a label that is not a number ("iv") gives none; CSV and the reports still
 * show the label.
 */
export function pageFragment(pages: readonly string[] | undefined): string | undefined {
  const first = pages?.[0];
  return first !== undefined && /^[1-9][0-9]{0,5}$/.test(first) ? `page=${first}` : undefined;
}

/** The content hash in a `urn:sha256:` source, or undefined for any other source. */
export function hashFromSource(source: string): string | undefined {
  const m = /^urn:sha256:([0-9a-f]{64})$/i.exec(source.trim());
  return m ? m[1]!.toLowerCase() : undefined;
}

export function annotationUri(id: string): string {
  return `urn:uuid:${id}`;
}

/** Language and direction of a note, from its letters (Hebrew or not); `fallback` when it has none. */
export function noteLanguage(note: string, fallback: Direction): { language: 'he' | 'en'; textDirection: Direction } {
  const dir = blockDirection(note, fallback);
  return { language: dir === 'rtl' ? 'he' : 'en', textDirection: dir };
}

/**
 * One Gloss annotation as a W3C annotation. `index` converts the stored UTF-16 offsets of the
 * document's canonical text to code points; `docDir` is the fallback direction of a note.
 */
export function toWadm(a: Annotation, contentHash: string, index: CodePointIndex, docDir: Direction = 'ltr', pages?: readonly string[]): WadmAnnotation {
  // An orphan's stored position no longer holds its quote; it is exported as it is (the quote is
  // what re-anchors it), kept inside the text so that the offsets stay valid.
  const start16 = Math.max(0, Math.min(a.start, index.length));
  const end16 = Math.max(start16, Math.min(a.end, index.length));
  const body: WadmTextualBody[] = a.tags.map((t) => ({ type: 'TextualBody', purpose: 'tagging', value: t }));
  if (a.note) body.push({ type: 'TextualBody', purpose: 'commenting', value: a.note, format: 'text/plain', ...noteLanguage(a.note, docDir) });
  const out: WadmAnnotation = {
    '@context': ANNO_CONTEXT,
    id: annotationUri(a.id),
    type: 'Annotation',
    motivation: a.note ? 'commenting' : a.tags.length ? 'tagging' : 'highlighting',
    created: a.created,
    modified: a.modified,
    ...(a.author ? { creator: { type: 'Person' as const, name: a.author } } : {}),
    ...(body.length ? { body } : {}),
    target: {
      type: 'SpecificResource',
      source: sourceUri(contentHash),
      styleClass: colorClass(a.color),
      selector: [
        { type: 'TextQuoteSelector', exact: a.exact, prefix: a.prefix, suffix: a.suffix },
        { type: 'TextPositionSelector', start: index.toCodePoints(start16), end: index.toCodePoints(end16) },
      ],
    },
    stylesheet: { type: 'CssStylesheet', value: colorRule(a.color) },
  };
  const fragment = pageFragment(pages);
  if (fragment) out.target.selector.push({ type: 'FragmentSelector', conformsTo: PDF_FRAGMENT, value: fragment });
  return out;
}

const str = JSON.stringify;

function fragmentJson(pages: readonly string[] | undefined): string {
  const fragment = pageFragment(pages);
  return fragment ? `,{"type":"FragmentSelector","conformsTo":"${PDF_FRAGMENT}","value":"${fragment}"}` : '';
}

/**
 * A fast serializer for one document's annotations: the same text as `JSON.stringify(toWadm(...))`
 * (a test holds them equal), built from per-document and per-colour constants, which halves the
 * time of a 100,000-annotation export.
 */
export function wadmSerializer(contentHash: string, index: CodePointIndex, docDir: Direction = 'ltr'): (a: Annotation, links?: readonly LinkedPassage[], pages?: readonly string[]) => string {
  const source = `{"type":"SpecificResource","source":${str(sourceUri(contentHash))},"styleClass":`;
  const perColor = new Map<string, { cls: string; sheet: string }>();
  const colorParts = (c: Annotation['color']) => {
    let parts = perColor.get(c);
    if (!parts) {
      parts = { cls: str(colorClass(c)), sheet: `,"stylesheet":{"type":"CssStylesheet","value":${str(colorRule(c))}}}` };
      perColor.set(c, parts);
    }
    return parts;
  };
  return (a, links, pages) => {
    const start16 = Math.max(0, Math.min(a.start, index.length));
    const end16 = Math.max(start16, Math.min(a.end, index.length));
    const motivation = a.note ? 'commenting' : a.tags.length ? 'tagging' : 'highlighting';
    let out = `{"@context":"${ANNO_CONTEXT}","id":${str(annotationUri(a.id))},"type":"Annotation","motivation":"${motivation}","created":${str(a.created)},"modified":${str(a.modified)}`;
    if (a.author) out += `,"creator":{"type":"Person","name":${str(a.author)}}`;
    if (a.tags.length || a.note) {
      const bodies = a.tags.map((t) => `{"type":"TextualBody","purpose":"tagging","value":${str(t)}}`);
      if (a.note) {
        const { language, textDirection } = noteLanguage(a.note, docDir);
        bodies.push(`{"type":"TextualBody","purpose":"commenting","value":${str(a.note)},"format":"text/plain","language":"${language}","textDirection":"${textDirection}"}`);
      }
      out += `,"body":[${bodies.join(',')}]`;
    }
    const { cls, sheet } = colorParts(a.color);
    const own = `${source}${cls},"selector":[{"type":"TextQuoteSelector","exact":${str(a.exact)},"prefix":${str(a.prefix)},"suffix":${str(a.suffix)}},{"type":"TextPositionSelector","start":${index.toCodePoints(start16)},"end":${index.toCodePoints(end16)}}${fragmentJson(pages)}]}`;
    out += links && links.length ? `,"target":[${own},${links.map((p) => str(linkedTarget(p))).join(',')}]${sheet}` : `,"target":${own}${sheet}`;
    return out;
  };
}

/** The collection around the annotations, in pieces: the opening, each item, the close. */
export function* wadmCollection(sections: Iterable<ExportSection>, meta: ExportMeta): Generator<string, number> {
  const head: Record<string, unknown> = {
    '@context': ANNO_CONTEXT,
    ...(meta.id ? { id: meta.id } : {}),
    type: 'AnnotationCollection',
    label: meta.label ?? 'Gloss annotations',
    generated: meta.generated,
    generator: { type: 'Software', name: meta.version ? `Gloss ${meta.version}` : 'Gloss' },
  };
  const opening = JSON.stringify(head, null, 2);
  // Reopen the object to embed the first page; its items follow one per line.
  yield `${opening.slice(0, -2)},\n  "first": {\n    "type": "AnnotationPage",\n${meta.id ? `    "id": ${JSON.stringify(meta.id + '#page-1')},\n` : ''}    "startIndex": 0,\n    "items": [`;
  let total = 0;
  for (const section of sections) {
    const doc = section.document;
    const item = wadmSerializer(doc.contentHash, new CodePointIndex(canonicalText(doc.blocks)), documentDirection(doc));
    const paged = hasPages(doc.blocks);
    for (const a of section.annotations()) {
      yield `${total === 0 ? '\n' : ',\n'}      ${item(a, section.links?.get(a.id), paged ? pagesOf(doc.blocks, a.start, a.end) : undefined)}`;
      total++;
    }
  }
  yield `${total ? '\n    ' : ''}]\n  },\n  "total": ${total}\n}\n`;
  return total;
}
