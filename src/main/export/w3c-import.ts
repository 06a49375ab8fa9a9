/**
 * Reads W3C Web Annotation JSON-LD from any tool: Gloss's own export, Hypothesis's JSON-LD,
 * Recogito's download (an array of annotations whose targets name Recogito's document part and
 * whose quotes have no prefix or suffix), RecogitoJS and Annotorious (targets with no source at
 * all). An Annotation, an AnnotationPage, an AnnotationCollection with its first page embedded, or
 * an array of annotations.
 *
 * Everything is checked before anything is used: a file that is not Web Annotations, or an
 * annotation with fields of the wrong type, throws NotThisFormat with the reason (the caller
 * names the file and changes nothing).
 */
import { colorFromClass } from '../../common/export/palette.js';
import { normalizeTagPath } from '../../common/tag-path.js';
import { asArray, isObject, MAX_ANNOTATIONS, NotThisFormat, personName, stamp, uuidFor, type IncomingAnnotation, type Json, type JsonObject } from './incoming.js';

const ANNO_CONTEXTS = new Set(['http://www.w3.org/ns/anno.jsonld', 'https://www.w3.org/ns/anno.jsonld']);
const TAG_PURPOSES = new Set(['tagging', 'classifying']);
const NOTE_PURPOSES = new Set(['commenting', 'describing', 'replying', 'editing', 'questioning', 'assessing']);
const LINK_PURPOSES = new Set(['identifying', 'linking']);

export const typesOf = (o: JsonObject): string[] => asArray(o.type ?? o['@type']).filter((t): t is string => typeof t === 'string');

export function hasAnnoContext(o: JsonObject): boolean {
  return asArray(o['@context']).some((c) => typeof c === 'string' && ANNO_CONTEXTS.has(c));
}

/** "an object of type …", "an object without a type (keys: …)", "an array", for messages. */
export function describe(v: Json): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (isObject(v)) {
    const t = typesOf(v);
    return t.length ? `an object of type ${t.map((x) => JSON.stringify(x)).join(', ')}` : `an object without a type (keys: ${Object.keys(v).slice(0, 6).join(', ') || 'none'})`;
  }
  return `a ${typeof v}`;
}

/** Whether parsed JSON claims to be Web Annotations (so its errors are reported as such). */
export function looksLikeW3c(data: Json): boolean {
  if (Array.isArray(data)) return data.length > 0 && isObject(data[0]) && hasAnnoContext(data[0]);
  return isObject(data) && (hasAnnoContext(data) || typesOf(data).some((t) => t === 'Annotation' || t === 'AnnotationPage' || t === 'AnnotationCollection'));
}

/** The annotations of a parsed file, or NotThisFormat with the reason. */
function annotationsOf(data: Json): Json[] {
  if (Array.isArray(data)) {
    data.forEach((item, i) => {
      if (!isObject(item) || !hasAnnoContext(item)) throw new NotThisFormat(`item ${i} of the array is not an annotation with the context http://www.w3.org/ns/anno.jsonld`);
    });
    return data;
  }
  if (!isObject(data)) throw new NotThisFormat(`the file holds ${describe(data)}, not an Annotation, AnnotationPage or AnnotationCollection`);
  const types = typesOf(data);
  const known = ['AnnotationCollection', 'AnnotationPage', 'Annotation'].find((t) => types.includes(t));
  if (!known) throw new NotThisFormat(`the file holds ${describe(data)}, not an Annotation, AnnotationPage or AnnotationCollection`);
  if (!hasAnnoContext(data)) throw new NotThisFormat(`its @context does not name http://www.w3.org/ns/anno.jsonld`);
  if (known === 'Annotation') return [data];
  let page: Json | undefined = data;
  if (known === 'AnnotationCollection') {
    page = data.first;
    if (page === undefined) {
      if (data.total === 0 || data.total === undefined) return [];
      throw new NotThisFormat('the collection has no first page');
    }
    if (typeof page === 'string') throw new NotThisFormat(`the collection's first page is a link (${page}), not embedded in the file`);
    if (!isObject(page) || !typesOf(page).includes('AnnotationPage')) throw new NotThisFormat('the collection\'s "first" is not an AnnotationPage');
    if (page.next !== undefined) throw new NotThisFormat('the collection has more pages than the first; only a collection whose annotations are all in the file can be imported');
  }
  const items = isObject(page) ? page.items : undefined;
  if (!Array.isArray(items)) throw new NotThisFormat('the AnnotationPage has no "items" array');
  return items;
}

function parseAnnotation(item: Json, index: number): IncomingAnnotation {
  const where = `annotation ${index}`;
  if (!isObject(item)) throw new NotThisFormat(`${where} is ${describe(item)}, not an object`);
  if (!typesOf(item).includes('Annotation')) throw new NotThisFormat(`${where} is ${describe(item)}, not an Annotation`);
  const rawId = item.id ?? item['@id'];
  if (typeof rawId !== 'string' || !rawId.trim()) throw new NotThisFormat(`${where} has no id`);
  const w = `${where} (${rawId})`;
  const created = stamp(item.created);
  const modified = stamp(item.modified);
  if (created === null) throw new NotThisFormat(`${w}: "created" is not a date-time`);
  if (modified === null) throw new NotThisFormat(`${w}: "modified" is not a date-time`);
  if (item.target === undefined) throw new NotThisFormat(`${w} has no target`);

  const parsed: IncomingAnnotation = {
    index,
    id: uuidFor(rawId),
    rawId,
    source: undefined,
    title: undefined,
    exact: undefined,
    prefix: undefined,
    suffix: undefined,
    position: undefined,
    positionUnit: 'code-points',
    tags: [],
    note: '',
    color: undefined,
    author: personName(item.creator),
    created,
    modified,
    warnings: [],
  };

  // The target: the first specific resource with text selectors (others, such as whole-page
  // targets, cannot be placed in a text).
  const targets = asArray(item.target);
  if (targets.length === 0) throw new NotThisFormat(`${w} has an empty target`);
  for (const t of targets) if (!(typeof t === 'string' || isObject(t))) throw new NotThisFormat(`${w}: a target is ${describe(t)}`);
  const target = targets.find((t): t is JsonObject => isObject(t) && t.selector !== undefined) ?? targets.find(isObject);
  if (!target) {
    parsed.unplaceable = { text: `its target is a whole resource (${String(targets[0])}), not a passage of a text`, code: 'whole-resource', params: { target: String(targets[0]) } };
    return parsed;
  }
  const source = target.source ?? target.id;
  if (source !== undefined && typeof source !== 'string') throw new NotThisFormat(`${w}: the target's source is not a string`);
  parsed.source = source;
  for (const s of asArray(target.selector)) {
    if (typeof s === 'string') continue;
    if (!isObject(s)) throw new NotThisFormat(`${w}: a selector is ${describe(s)}`);
    const types = typesOf(s);
    if (types.includes('TextQuoteSelector')) {
      if (typeof s.exact !== 'string') throw new NotThisFormat(`${w}: its TextQuoteSelector has no "exact" string`);
      for (const k of ['prefix', 'suffix'] as const) if (s[k] !== undefined && typeof s[k] !== 'string') throw new NotThisFormat(`${w}: its TextQuoteSelector's "${k}" is not a string`);
      if (parsed.exact === undefined) {
        parsed.exact = s.exact;
        parsed.prefix = s.prefix as string | undefined;
        parsed.suffix = s.suffix as string | undefined;
      }
    } else if (types.includes('TextPositionSelector')) {
      const { start, end } = s;
      if (!(Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (end as number) >= (start as number))) {
        throw new NotThisFormat(`${w}: its TextPositionSelector's start and end are not whole numbers with 0 <= start <= end`);
      }
      parsed.position ??= { start: start as number, end: end as number };
    }
  }
  if (parsed.exact === undefined && parsed.position === undefined) parsed.unplaceable = { text: 'its target has no TextQuoteSelector or TextPositionSelector', code: 'no-selector', params: {} };
  for (const sc of asArray(target.styleClass)) {
    const c = typeof sc === 'string' ? colorFromClass(sc) : undefined;
    if (c) {
      parsed.color = c;
      break;
    }
  }

  // Bodies: tags and the note; a body that identifies or links a resource (Recogito's places and
  // persons) is kept in the note as its purpose and address; a georeferencing geometry is not.
  const notes: string[] = [];
  if (item.bodyValue !== undefined) {
    if (typeof item.bodyValue !== 'string') throw new NotThisFormat(`${w}: "bodyValue" is not a string`);
    notes.push(item.bodyValue);
  }
  for (const b of asArray(item.body)) {
    if (typeof b === 'string') continue; // a linked resource with nothing to show
    if (!isObject(b)) throw new NotThisFormat(`${w}: a body is ${describe(b)}`);
    const purposes = asArray(b.purpose).filter((p): p is string => typeof p === 'string');
    parsed.author ??= personName(b.creator);
    // Recogito and RecogitoJS date the bodies, not the annotation: the latest body's date stands in.
    for (const k of ['created', 'modified'] as const) {
      const when = stamp(b[k]);
      if (when && !(item.created ?? item.modified)) {
        if (!parsed.created || when < parsed.created) parsed.created = when;
        if (!parsed.modified || when > parsed.modified) parsed.modified = when;
      }
    }
    if (b.value !== undefined && typeof b.value !== 'string') throw new NotThisFormat(`${w}: a body's "value" is not a string`);
    if (purposes.some((p) => LINK_PURPOSES.has(p))) {
      // Recogito's place and person identifications: the gazetteer's address is the value (or the source).
      const link = typeof b.source === 'string' ? b.source : typeof b.value === 'string' ? b.value : typeof b.id === 'string' ? b.id : undefined;
      if (link) notes.push(`${purposes.join(', ')}: ${link}`);
      continue;
    }
    if (b.value === undefined) continue;
    if (purposes.some((p) => TAG_PURPOSES.has(p))) {
      try {
        parsed.tags.push(normalizeTagPath(b.value));
      } catch (e) {
        parsed.warnings.push({ text: `dropped the tag ${JSON.stringify(b.value)}: ${(e as Error).message}`, code: 'tag-dropped', params: { tag: String(b.value) } });
      }
    } else if (purposes.length === 0 || purposes.some((p) => NOTE_PURPOSES.has(p))) {
      notes.push(b.value);
    }
  }
  parsed.tags = [...new Set(parsed.tags)];
  parsed.note = notes.join('\n\n');
  return parsed;
}

/** The annotations of a W3C file, checked whole; throws NotThisFormat with the first problem. */
export function parseW3c(data: Json): IncomingAnnotation[] {
  const items = annotationsOf(data);
  if (items.length > MAX_ANNOTATIONS) throw new NotThisFormat(`it holds ${items.length.toLocaleString('en-US')} annotations, more than ${MAX_ANNOTATIONS.toLocaleString('en-US')} (the limit for one file)`);
  return items.map((item, i) => parseAnnotation(item, i));
}
