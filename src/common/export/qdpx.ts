/**
 * REFI-QDA project exchange (QDA-XML 1.0, `urn:QDA-XML:project:1.0`): the `project.qde` of a
 * `.qdpx`, which ATLAS.ti, MAXQDA, NVivo and QualCoder read. Pure: the caller zips it with the
 * sources (`sources/<guid>.txt`, each document's canonical text in UTF-8) and gives the GUIDs.
 *
 * - `Users`: the library's own user (annotations made in Gloss) and one user per author of
 *   imported annotations (a Word comment's author, a Hypothesis user);
 * - `CodeBook`: the tag tree as nested `Code`s (`claim/factual` is `factual` inside `claim`), each
 *   codable, with its colour: the tag's own, else the highlight colour its annotations use most;
 * - `Sources`: one `TextSource` per document (`plainTextPath="internal://<guid>.txt"`), each
 *   annotation a `PlainTextSelection` whose `startPosition`/`endPosition` count code points of that
 *   text (as QualCoder and the other readers index it), its quote as `name`, its pages ("p. 12")
 *   as `Description`, one `Coding` per tag, and a `NoteRef` to its note;
 * - `Notes`: each note a `Note` with its `PlainTextContent`;
 * - dates: `creationDateTime`/`modifiedDateTime` of each selection and coding.
 *
 * A detached annotation has no passage in the text, and REFI-QDA has no selection without one: it
 * is left out (the caller reports how many). The elements follow the schema's sequence order,
 * and every string is made safe for XML 1.0 (characters it cannot hold become U+FFFD).
 */
import type { Annotation } from '../model.js';
import { canonicalText } from '../text/canonical.js';
import { formatPages, hasPages, pagesOf } from '../text/pages.js';
import { CodePointIndex } from './code-points.js';
import type { ExportSection } from './types.js';

export const QDA_NAMESPACE = 'urn:QDA-XML:project:1.0';

export interface QdpxCode {
  /** The tag path; the code's name is its last segment. */
  path: string;
  /** `#rrggbb`, or none. */
  color?: string | undefined;
}

export interface QdpxUser {
  guid: string;
  name: string;
}

export interface QdpxMeta {
  /** The project's name. */
  name: string;
  /** The writing application, e.g. "Gloss 0.1.0". */
  origin: string;
  /** ISO time of the export. */
  generated: string;
  /** The library's own user: the creator of annotations without an author. */
  user: QdpxUser;
  /** GUIDs for every element: the same key gives the same GUID, so a second export matches the first. */
  guid: (key: string) => string;
  /** The authors of the exported annotations (each a `User`). */
  authors: readonly string[];
  /** Every tag path the exported annotations use, and colours. */
  codes: readonly QdpxCode[];
  /** The GUID of each document's source (also its file name under `sources/`). */
  sourceGuid: (contentHash: string) => string;
}

export interface QdpxCounts {
  documents: number;
  annotations: number;
  /** Detached annotations, which have no passage to select. */
  detached: number;
}

/** GUID keys, shared with the importer (which recognises the library's own user by its GUID). */
export const guidKey = {
  user: (author: string) => `gloss-user:${author}`,
  ownUser: 'gloss-user',
  code: (path: string) => `gloss-code:${path}`,
  coding: (annotationId: string, path: string) => `gloss-coding:${annotationId}:${path}`,
  note: (annotationId: string) => `gloss-note:${annotationId}`,
  source: (contentHash: string) => `gloss-source:${contentHash}`,
};

// XML 1.0 allows tab, line feed, carriage return and U+0020..U+D7FF, U+E000..U+FFFD, and
// well-formed surrogate pairs; anything else (C0 controls, lone surrogates, U+FFFE/F) becomes U+FFFD.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content: markup characters escaped; a carriage return as a reference, since parsers turn a literal one into a line feed. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/** An attribute value in double quotes: tabs and line breaks as references, which attribute normalisation would turn into spaces. */
export function xmlAttr(s: string): string {
  return s
    .replace(NOT_XML, '\uFFFD')
    .replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

const attrs = (pairs: Record<string, string | number | undefined>): string =>
  Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');

/** The quote as a selection's name: at most 80 characters, on one line. */
function selectionName(exact: string): string {
  const one = exact.replace(/\s+/g, ' ').trim();
  const chars = [...one];
  return chars.length <= 80 ? one : `${chars.slice(0, 79).join('')}…`;
}

interface CodeNode {
  name: string;
  path: string;
  color?: string | undefined;
  children: Map<string, CodeNode>;
}

function codeTree(codes: readonly QdpxCode[]): Map<string, CodeNode> {
  const roots = new Map<string, CodeNode>();
  const colors = new Map(codes.map((c) => [c.path, c.color]));
  for (const { path } of [...codes].sort((a, b) => a.path.localeCompare(b.path))) {
    let level = roots;
    let sofar = '';
    for (const segment of path.split('/')) {
      sofar = sofar ? `${sofar}/${segment}` : segment;
      let node = level.get(segment);
      if (!node) {
        node = { name: segment, path: sofar, color: colors.get(sofar), children: new Map() };
        level.set(segment, node);
      }
      level = node.children;
    }
  }
  return roots;
}

function* codeXml(nodes: Map<string, CodeNode>, meta: QdpxMeta, indent: string): Generator<string> {
  for (const node of nodes.values()) {
    const color = node.color && /^#[0-9a-fA-F]{6}$/.test(node.color) ? node.color.toUpperCase() : undefined;
    const open = `${indent}<Code${attrs({ guid: meta.guid(guidKey.code(node.path)), name: node.name, isCodable: 'true', color })}`;
    if (node.children.size === 0) {
      yield `${open}/>\n`;
    } else {
      yield `${open}>\n`;
      yield* codeXml(node.children, meta, indent + '  ');
      yield `${indent}</Code>\n`;
    }
  }
}

function userOf(a: Annotation, meta: QdpxMeta): string {
  return a.author ? meta.guid(guidKey.user(a.author)) : meta.user.guid;
}

/**
 * The `project.qde` in pieces. `sections` is called twice (the selections, then the notes, which
 * the schema puts after the sources); each call starts over.
 */
export function* qdeProject(sections: () => Iterable<ExportSection>, meta: QdpxMeta): Generator<string, QdpxCounts> {
  const counts: QdpxCounts = { documents: 0, annotations: 0, detached: 0 };
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<Project${attrs({ xmlns: QDA_NAMESPACE, name: meta.name, origin: meta.origin, creatingUserGUID: meta.user.guid, creationDateTime: meta.generated })}>\n`;

  yield '  <Users>\n';
  yield `    <User${attrs({ guid: meta.user.guid, name: meta.user.name })}/>\n`;
  for (const author of [...new Set(meta.authors)].sort()) yield `    <User${attrs({ guid: meta.guid(guidKey.user(author)), name: author })}/>\n`;
  yield '  </Users>\n';

  if (meta.codes.length > 0) {
    yield '  <CodeBook>\n    <Codes>\n';
    yield* codeXml(codeTree(meta.codes), meta, '      ');
    yield '    </Codes>\n  </CodeBook>\n';
  }

  let notes = 0;
  let openSources = false;
  for (const section of sections()) {
    const doc = section.document;
    if (!openSources) {
      yield '  <Sources>\n';
      openSources = true;
    }
    counts.documents++;
    const guid = meta.sourceGuid(doc.contentHash);
    const index = new CodePointIndex(canonicalText(doc.blocks));
    const paged = hasPages(doc.blocks);
    yield `    <TextSource${attrs({ guid, name: doc.title, plainTextPath: `internal://${guid}.txt` })}>\n`;
    for (const a of section.annotations()) {
      if (a.status !== 'anchored') {
        counts.detached++;
        continue;
      }
      counts.annotations++;
      const user = userOf(a, meta);
      yield `      <PlainTextSelection${attrs({
        guid: a.id,
        name: selectionName(a.exact),
        startPosition: index.toCodePoints(a.start),
        endPosition: index.toCodePoints(a.end),
        creatingUser: user,
        creationDateTime: a.created,
        modifyingUser: user,
        modifiedDateTime: a.modified,
      })}>\n`;
      const pages = paged ? formatPages(pagesOf(doc.blocks, a.start, a.end)) : '';
      if (pages) yield `        <Description>${xmlText(pages)}</Description>\n`;
      for (const tag of a.tags) {
        yield `        <Coding${attrs({ guid: meta.guid(guidKey.coding(a.id, tag)), creatingUser: user, creationDateTime: a.created })}><CodeRef${attrs({ targetGUID: meta.guid(guidKey.code(tag)) })}/></Coding>\n`;
      }
      if (a.note) {
        notes++;
        yield `        <NoteRef${attrs({ targetGUID: meta.guid(guidKey.note(a.id)) })}/>\n`;
      }
      yield '      </PlainTextSelection>\n';
    }
    yield '    </TextSource>\n';
  }
  if (openSources) yield '  </Sources>\n';

  if (notes > 0) {
    yield '  <Notes>\n';
    for (const section of sections()) {
      for (const a of section.annotations()) {
        if (a.status !== 'anchored' || !a.note) continue;
        const user = userOf(a, meta);
        yield `    <Note${attrs({ guid: meta.guid(guidKey.note(a.id)), name: selectionName(a.exact), creatingUser: user, creationDateTime: a.created, modifyingUser: user, modifiedDateTime: a.modified })}>`;
        yield `<PlainTextContent>${xmlText(a.note)}</PlainTextContent></Note>\n`;
      }
    }
    yield '  </Notes>\n';
  }
  yield `  <Description>${xmlText(`Exported from ${meta.origin}: ${counts.annotations} annotation(s) in ${counts.documents} document(s).`)}</Description>\n`;
  yield '</Project>\n';
  return counts;
}
