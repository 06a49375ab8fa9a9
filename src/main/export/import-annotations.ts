/**
 * Reads W3C Web Annotation JSON-LD back into the library (Gloss's own exports, or another tool's).
 *
 * 1. The whole file is read and checked before anything is written: a file that is not JSON, or
 *    JSON that is not Web Annotations (no anno.jsonld context, no Annotation / AnnotationPage /
 *    AnnotationCollection, an annotation without an id or target, a selector with fields of the
 *    wrong type) is refused with "FILE: not a W3C Web Annotation file: <reason>" and changes nothing.
 * 2. Each annotation's target `source` (`urn:sha256:<content hash>`) names its document; `--into`
 *    sends every annotation to one document instead.
 * 3. Re-anchoring: the TextPositionSelector (code points, converted back to UTF-16) when the text
 *    there equals the quote; else the TextQuoteSelector's `exact`, choosing among repeats by prefix,
 *    suffix and nearness to the old position; else the annotation is kept as an orphan with its
 *    quote (never dropped).
 * 4. Merge: an id already in the library is updated (tags, note, colour, modified), never doubled;
 *    when the library's copy was modified later than the file's, the library's copy is kept.
 * 5. Everything is written in one transaction.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { GlossError } from '../../common/api.js';
import { CodePointIndex } from '../../common/export/code-points.js';
import { colorFromClass } from '../../common/export/palette.js';
import { hashFromSource } from '../../common/export/wadm.js';
import type { Color } from '../../common/model.js';
import { normalizeTagPath } from '../../common/tag-path.js';
import { occurrences } from '../../common/text/canonical.js';
import type { Library } from '../library.js';
import { insertAnnotation, updateAnnotation } from '../store/annotations.js';
import { findByHash } from '../store/documents.js';
import type { AnnotationImportSummary } from '../../common/api.js';

export type ImportOutcomeKind = 'added' | 'updated' | 'orphaned' | 'skipped';

export type AnnotationImportReport = AnnotationImportSummary;

export interface ImportAnnotationsOptions {
  /** Put every annotation into this document, whatever its source. */
  intoDocumentId?: number | undefined;
  /** Clock for annotations that carry no created/modified stamps. */
  now?: () => Date;
}

const ANNO_CONTEXTS = new Set(['http://www.w3.org/ns/anno.jsonld', 'https://www.w3.org/ns/anno.jsonld']);
const TAG_PURPOSES = new Set(['tagging', 'classifying']);
const NOTE_PURPOSES = new Set(['commenting', 'describing', 'replying', 'editing', 'questioning', 'assessing']);

/** The file is not Web Annotations: nothing is changed. */
class NotAnnotations extends Error {}

/** What the checks extract from one annotation. */
export interface ParsedAnnotation {
  index: number;
  id: string;
  rawId: string;
  source: string | undefined;
  exact: string | undefined;
  prefix: string;
  suffix: string;
  position: { start: number; end: number } | undefined;
  tags: string[];
  note: string;
  color: Color | undefined;
  created: string | undefined;
  modified: string | undefined;
  /** Why it cannot be placed, though well formed. */
  unplaceable?: string;
  warnings: string[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const typesOf = (o: JsonObject): string[] => asArray(o.type ?? o['@type']).filter((t): t is string => typeof t === 'string');

function hasAnnoContext(o: JsonObject): boolean {
  return asArray(o['@context']).some((c) => typeof c === 'string' && ANNO_CONTEXTS.has(c));
}

function describe(v: Json): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (isObject(v)) {
    const t = typesOf(v);
    return t.length ? `an object of type ${t.map((x) => JSON.stringify(x)).join(', ')}` : `an object without a type (keys: ${Object.keys(v).slice(0, 6).join(', ') || 'none'})`;
  }
  return `a ${typeof v}`;
}

/** The annotations of a parsed file, or NotAnnotations with the reason. */
function annotationsOf(data: Json): Json[] {
  if (Array.isArray(data)) {
    data.forEach((item, i) => {
      if (!isObject(item) || !hasAnnoContext(item)) throw new NotAnnotations(`item ${i} of the array is not an annotation with the context http://www.w3.org/ns/anno.jsonld`);
    });
    return data;
  }
  if (!isObject(data)) throw new NotAnnotations(`the file holds ${describe(data)}, not an Annotation, AnnotationPage or AnnotationCollection`);
  const types = typesOf(data);
  const known = ['AnnotationCollection', 'AnnotationPage', 'Annotation'].find((t) => types.includes(t));
  if (!known) throw new NotAnnotations(`the file holds ${describe(data)}, not an Annotation, AnnotationPage or AnnotationCollection`);
  if (!hasAnnoContext(data)) throw new NotAnnotations(`its @context does not name http://www.w3.org/ns/anno.jsonld`);
  if (known === 'Annotation') return [data];
  let page: Json | undefined = data;
  if (known === 'AnnotationCollection') {
    page = data.first;
    if (page === undefined) {
      if (data.total === 0 || data.total === undefined) return [];
      throw new NotAnnotations('the collection has no first page');
    }
    if (typeof page === 'string') throw new NotAnnotations(`the collection's first page is a link (${page}), not embedded in the file`);
    if (!isObject(page) || !typesOf(page).includes('AnnotationPage')) throw new NotAnnotations('the collection\'s "first" is not an AnnotationPage');
    if (page.next !== undefined) throw new NotAnnotations('the collection has more pages than the first; only a collection whose annotations are all in the file can be imported');
  }
  const items = isObject(page) ? page.items : undefined;
  if (!Array.isArray(items)) throw new NotAnnotations('the AnnotationPage has no "items" array');
  return items;
}

/** A stable UUID for an annotation id: the UUID of `urn:uuid:...`, else one derived from the id. */
export function uuidFor(rawId: string): string {
  const m = /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(rawId.trim());
  if (m) return m[1]!.toLowerCase();
  const h = createHash('sha1').update('gloss-annotation-id:' + rawId).digest('hex');
  // Formatted as a name-based (version 5 style) UUID.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function isStamp(v: Json | undefined): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v));
}

function parseAnnotation(item: Json, index: number): ParsedAnnotation {
  const where = `annotation ${index}`;
  if (!isObject(item)) throw new NotAnnotations(`${where} is ${describe(item)}, not an object`);
  if (!typesOf(item).includes('Annotation')) throw new NotAnnotations(`${where} is ${describe(item)}, not an Annotation`);
  const rawId = item.id ?? item['@id'];
  if (typeof rawId !== 'string' || !rawId.trim()) throw new NotAnnotations(`${where} has no id`);
  const w = `${where} (${rawId})`;
  for (const key of ['created', 'modified'] as const) {
    if (item[key] !== undefined && !isStamp(item[key])) throw new NotAnnotations(`${w}: "${key}" is not a date-time`);
  }
  if (item.target === undefined) throw new NotAnnotations(`${w} has no target`);

  const parsed: ParsedAnnotation = {
    index,
    id: uuidFor(rawId),
    rawId,
    source: undefined,
    exact: undefined,
    prefix: '',
    suffix: '',
    position: undefined,
    tags: [],
    note: '',
    color: undefined,
    created: item.created as string | undefined,
    modified: item.modified as string | undefined,
    warnings: [],
  };

  // The target: the first specific resource with text selectors (others, such as whole-page
  // targets, cannot be placed in a text).
  const targets = asArray(item.target);
  if (targets.length === 0) throw new NotAnnotations(`${w} has an empty target`);
  for (const t of targets) if (!(typeof t === 'string' || isObject(t))) throw new NotAnnotations(`${w}: a target is ${describe(t)}`);
  const target = targets.find((t): t is JsonObject => isObject(t) && t.selector !== undefined) ?? targets.find(isObject);
  if (!target) {
    parsed.unplaceable = `its target is a whole resource (${String(targets[0])}), not a passage of a text`;
    return parsed;
  }
  const source = target.source ?? target.id;
  if (source !== undefined && typeof source !== 'string') throw new NotAnnotations(`${w}: the target's source is not a string`);
  parsed.source = source;
  for (const s of asArray(target.selector)) {
    if (typeof s === 'string') continue;
    if (!isObject(s)) throw new NotAnnotations(`${w}: a selector is ${describe(s)}`);
    const types = typesOf(s);
    if (types.includes('TextQuoteSelector')) {
      if (typeof s.exact !== 'string') throw new NotAnnotations(`${w}: its TextQuoteSelector has no "exact" string`);
      for (const k of ['prefix', 'suffix'] as const) if (s[k] !== undefined && typeof s[k] !== 'string') throw new NotAnnotations(`${w}: its TextQuoteSelector's "${k}" is not a string`);
      if (parsed.exact === undefined) {
        parsed.exact = s.exact;
        parsed.prefix = (s.prefix as string | undefined) ?? '';
        parsed.suffix = (s.suffix as string | undefined) ?? '';
      }
    } else if (types.includes('TextPositionSelector')) {
      const { start, end } = s;
      if (!(Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (end as number) >= (start as number))) {
        throw new NotAnnotations(`${w}: its TextPositionSelector's start and end are not whole numbers with 0 <= start <= end`);
      }
      parsed.position ??= { start: start as number, end: end as number };
    }
  }
  if (parsed.exact === undefined && parsed.position === undefined) parsed.unplaceable = 'its target has no TextQuoteSelector or TextPositionSelector';
  for (const sc of asArray(target.styleClass)) {
    const c = typeof sc === 'string' ? colorFromClass(sc) : undefined;
    if (c) {
      parsed.color = c;
      break;
    }
  }

  // Bodies: tags and the note.
  const notes: string[] = [];
  if (item.bodyValue !== undefined) {
    if (typeof item.bodyValue !== 'string') throw new NotAnnotations(`${w}: "bodyValue" is not a string`);
    notes.push(item.bodyValue);
  }
  for (const b of asArray(item.body)) {
    if (typeof b === 'string') continue; // a linked resource: nothing Gloss can keep
    if (!isObject(b)) throw new NotAnnotations(`${w}: a body is ${describe(b)}`);
    if (b.value === undefined) continue;
    if (typeof b.value !== 'string') throw new NotAnnotations(`${w}: a body's "value" is not a string`);
    const purposes = asArray(b.purpose).filter((p): p is string => typeof p === 'string');
    if (purposes.some((p) => TAG_PURPOSES.has(p))) {
      try {
        parsed.tags.push(normalizeTagPath(b.value));
      } catch (e) {
        parsed.warnings.push(`dropped the tag ${JSON.stringify(b.value)}: ${(e as Error).message}`);
      }
    } else if (purposes.length === 0 || purposes.some((p) => NOTE_PURPOSES.has(p))) {
      notes.push(b.value);
    }
  }
  parsed.tags = [...new Set(parsed.tags)];
  parsed.note = notes.join('\n\n');
  return parsed;
}

/** Reads and checks a whole file; throws GlossError "FILE: not a W3C Web Annotation file: ..." when it is not one. */
export function parseAnnotationFile(name: string, bytes: Uint8Array): ParsedAnnotation[] {
  try {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new NotAnnotations('it is not UTF-8 text (a JSON-LD file is)');
    }
    let data: Json;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
    } catch (e) {
      throw new NotAnnotations(`it is not JSON (${(e as Error).message})`);
    }
    const parsed = annotationsOf(data).map((item, i) => parseAnnotation(item, i));
    return parsed;
  } catch (e) {
    if (e instanceof NotAnnotations) throw new GlossError(`${name}: not a W3C Web Annotation file: ${e.message}`, 'invalid');
    throw e;
  }
}

/** How well the text around `at` agrees with the quote's prefix and suffix (characters matching). */
function contextScore(text: string, at: number, length: number, prefix: string, suffix: string): number {
  let score = 0;
  for (let i = 1; i <= prefix.length && at - i >= 0 && text[at - i] === prefix[prefix.length - i]; i++) score++;
  for (let i = 0; i < suffix.length && at + length + i < text.length && text[at + length + i] === suffix[i]; i++) score++;
  return score;
}

/** Where the annotation goes in `text`: a UTF-16 range, or null (an orphan). */
export function reanchor(
  text: string,
  index: CodePointIndex,
  sel: { exact?: string | undefined; prefix: string; suffix: string; position?: { start: number; end: number } | undefined },
): { start: number; end: number; by: 'position' | 'quote' } | null {
  let hint: number | undefined;
  if (sel.position) {
    const start = index.toUtf16(sel.position.start);
    const end = index.toUtf16(sel.position.end);
    hint = start;
    const inside = sel.position.end <= index.codePointLength && end > start;
    if (inside && (sel.exact === undefined || text.slice(start, end) === sel.exact)) return { start, end, by: 'position' };
  }
  if (!sel.exact) return null;
  const found = occurrences(text, sel.exact);
  if (found.length === 0) return null;
  let best = found[0]!;
  let bestScore = -1;
  let bestDistance = Infinity;
  for (const at of found) {
    const score = contextScore(text, at, sel.exact.length, sel.prefix, sel.suffix);
    const distance = hint === undefined ? 0 : Math.abs(at - hint);
    if (score > bestScore || (score === bestScore && distance < bestDistance)) {
      best = at;
      bestScore = score;
      bestDistance = distance;
    }
  }
  return { start: best, end: best + sel.exact.length, by: 'quote' };
}

interface Target {
  documentId: number;
  text: string;
  index: CodePointIndex;
}

/** Imports annotations from JSON-LD bytes (see the module comment). */
export function importAnnotationBytes(library: Library, name: string, bytes: Uint8Array, options: ImportAnnotationsOptions = {}): AnnotationImportReport {
  const items = parseAnnotationFile(name, bytes);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const report: AnnotationImportReport = { file: name, total: items.length, added: 0, updated: 0, orphaned: 0, skipped: 0, notes: [] };
  const db = library.db;

  const targets = new Map<number, Target>();
  const targetOf = (documentId: number): Target => {
    let t = targets.get(documentId);
    if (!t) {
      const text = library.text(documentId);
      t = { documentId, text, index: new CodePointIndex(text) };
      targets.set(documentId, t);
    }
    return t;
  };
  if (options.intoDocumentId !== undefined) library.get(options.intoDocumentId); // throws not-found

  const existingOf = db.prepare('SELECT id, document_id, modified FROM annotations WHERE id = ?');
  const skip = (p: ParsedAnnotation, reason: string) => {
    report.skipped++;
    report.notes.push({ id: p.rawId, outcome: 'skipped', reason });
  };

  db.transaction(() => {
    const seen = new Set<string>();
    for (const p of items) {
      for (const w of p.warnings) report.notes.push({ id: p.rawId, outcome: 'warning', reason: w });
      if (seen.has(p.id)) {
        skip(p, 'the same id appears earlier in the file');
        continue;
      }
      seen.add(p.id);
      const existing = existingOf.get(p.id) as { id: string; document_id: number; modified: string } | undefined;
      if (existing) {
        if (p.modified && Date.parse(p.modified) < Date.parse(existing.modified)) {
          skip(p, `the library's copy is newer (modified ${existing.modified}, the file's ${p.modified}); kept it`);
          continue;
        }
        updateAnnotation(db, p.id, { tags: p.tags, note: p.note, color: p.color }, p.modified ?? now);
        report.updated++;
        continue;
      }
      if (p.unplaceable) {
        skip(p, p.unplaceable);
        continue;
      }
      let documentId = options.intoDocumentId;
      if (documentId === undefined) {
        const hash = p.source ? hashFromSource(p.source) : undefined;
        if (!hash) {
          skip(p, `its source ${p.source ? JSON.stringify(p.source) : '(none)'} is not a Gloss text identity (urn:sha256:...); import it with --into DOC`);
          continue;
        }
        const doc = findByHash(db, hash);
        if (!doc) {
          skip(p, `no document in the library has the text ${p.source}; import that text first, or use --into DOC`);
          continue;
        }
        documentId = doc.id;
      }
      const target = targetOf(documentId);
      const place = reanchor(target.text, target.index, p);
      const stamps = { created: p.created ?? p.modified ?? now, modified: p.modified ?? p.created ?? now };
      const common = { id: p.id, documentId, color: p.color, note: p.note, tags: p.tags, ...stamps };
      if (place) {
        insertAnnotation(db, target.text, { ...common, start: place.start, end: place.end }, now);
        report.added++;
      } else if (p.exact !== undefined && p.exact !== '') {
        const start = p.position ? Math.min(target.index.toUtf16(p.position.start), target.text.length) : 0;
        const end = p.position ? Math.max(start, Math.min(target.index.toUtf16(p.position.end), target.text.length)) : start;
        insertAnnotation(db, target.text, { ...common, start, end, status: 'orphaned', quote: { exact: p.exact, prefix: p.prefix, suffix: p.suffix } }, now);
        report.orphaned++;
        report.notes.push({ id: p.rawId, outcome: 'orphaned', reason: 'its passage is not in the text (neither at its position nor by its quote); kept as detached with its quote' });
      } else {
        skip(p, 'its position is outside the text and it has no quote to look for');
      }
    }
  })();
  return report;
}

/** Reads a file from disk and imports it; an unreadable file is a GlossError naming it. */
export function importAnnotationsFile(library: Library, file: string, options: ImportAnnotationsOptions = {}): AnnotationImportReport {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new GlossError(`${file}: cannot read it (${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message})`, 'not-found');
  }
  return importAnnotationBytes(library, file, bytes, options);
}
