/**
 * Reads Hypothesis's own API JSON (https://h.readthedocs.io/en/latest/api-reference/): a search
 * result `{ "total": N, "rows": [...] }`, one annotation, or an array of them.
 *
 * - `text` (Markdown) is the note, kept as written; `tags` the tags; `created` and `updated` the
 *   stamps; `user` (`acct:name@hypothes.is`) the author's name;
 * - `uri` and `document.title` name the document (matched by URL, then title, then quote);
 * - `target[0].selector`: the TextQuoteSelector is what places it; the TextPositionSelector
 *   counts UTF-16 units of the page's DOM text, a hint only; the RangeSelector (XPaths into the
 *   page's DOM) means nothing in Gloss's text and is left aside;
 * - a reply (`references`) is folded into the note of the annotation it answers, as
 *   "— name (date): text", in the file's order, so a thread stays one annotation on one passage;
 * - a page note (a target without selectors) is not a passage: skipped with that reason.
 *
 * Ids become `https://hypothes.is/a/<id>` before the UUID is derived, the id Hypothesis's JSON-LD
 * gives the same annotation, so importing both forms updates one annotation.
 */
import { normalizeTagPath } from '../../common/tag-path.js';
import { asArray, isObject, MAX_ANNOTATIONS, NotThisFormat, personName, stamp, uuidFor, type IncomingAnnotation, type Json, type JsonObject } from './incoming.js';

function isHypothesisAnnotation(v: Json | undefined): v is JsonObject {
  return isObject(v) && v.type === undefined && v['@context'] === undefined && typeof v.uri === 'string' && (Array.isArray(v.target) || typeof v.user === 'string');
}

/** Whether parsed JSON is Hypothesis's API shape. */
export function looksLikeHypothesis(data: Json): boolean {
  if (Array.isArray(data)) return data.length > 0 && isHypothesisAnnotation(data[0]);
  if (isObject(data) && Array.isArray(data.rows) && (typeof data.total === 'number' || data.rows.length === 0 || isHypothesisAnnotation(data.rows[0]))) return true;
  return isHypothesisAnnotation(data);
}

function rowsOf(data: Json): Json[] {
  if (Array.isArray(data)) return data;
  if (isObject(data) && Array.isArray(data.rows)) {
    if (typeof data.total === 'number' && data.total > data.rows.length) {
      // A search answers at most 200 rows a page; the file holds one page of a longer result.
      throw new NotThisFormat(`it is one page of a search result (${data.rows.length} of ${data.total} annotations); fetch every page (search_after) into one file`);
    }
    return data.rows;
  }
  return [data];
}

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The annotations of a Hypothesis file, checked whole; throws NotThisFormat with the first problem. */
export function parseHypothesis(data: Json): IncomingAnnotation[] {
  const rows = rowsOf(data);
  if (rows.length > MAX_ANNOTATIONS) throw new NotThisFormat(`it holds ${rows.length.toLocaleString('en-US')} annotations, more than ${MAX_ANNOTATIONS.toLocaleString('en-US')} (the limit for one file)`);
  const out: IncomingAnnotation[] = [];
  const byRawId = new Map<string, IncomingAnnotation>();
  const replies: { row: JsonObject; parsed: IncomingAnnotation; parents: string[] }[] = [];
  rows.forEach((row, index) => {
    const where = `row ${index}`;
    if (!isObject(row)) throw new NotThisFormat(`${where} is not an object`);
    const id = row.id;
    if (typeof id !== 'string' || !id.trim()) throw new NotThisFormat(`${where} has no id`);
    const w = `${where} (${id})`;
    const rawId = `https://hypothes.is/a/${id}`;
    for (const k of ['uri', 'text', 'user'] as const) if (row[k] !== undefined && row[k] !== null && typeof row[k] !== 'string') throw new NotThisFormat(`${w}: "${k}" is not a string`);
    const created = stamp(row.created);
    const modified = stamp(row.updated);
    if (created === null) throw new NotThisFormat(`${w}: "created" is not a date-time`);
    if (modified === null) throw new NotThisFormat(`${w}: "updated" is not a date-time`);
    if (row.tags !== undefined && row.tags !== null && !(Array.isArray(row.tags) && row.tags.every((t) => typeof t === 'string'))) throw new NotThisFormat(`${w}: "tags" is not a list of strings`);
    if (row.target !== undefined && !Array.isArray(row.target)) throw new NotThisFormat(`${w}: "target" is not a list`);
    const doc = row.document;
    const titles = isObject(doc) ? asArray(doc.title).filter((t): t is string => typeof t === 'string' && t.trim() !== '') : [];

    const parsed: IncomingAnnotation = {
      index,
      id: uuidFor(rawId),
      rawId,
      source: str(row.uri),
      title: titles[0]?.trim(),
      exact: undefined,
      prefix: undefined,
      suffix: undefined,
      position: undefined,
      positionUnit: 'utf16',
      tags: [],
      note: str(row.text) ?? '',
      color: undefined,
      author: personName(str(row.user) ?? undefined),
      created,
      modified,
      warnings: [],
    };
    for (const t of (row.tags as string[] | undefined) ?? []) {
      try {
        parsed.tags.push(normalizeTagPath(t));
      } catch (e) {
        parsed.warnings.push({ text: `dropped the tag ${JSON.stringify(t)}: ${(e as Error).message}`, code: 'tag-dropped', params: { tag: String(t) } });
      }
    }
    parsed.tags = [...new Set(parsed.tags)];

    const target = asArray(row.target)[0];
    if (target !== undefined && !isObject(target)) throw new NotThisFormat(`${w}: its target is not an object`);
    if (target && typeof target.source === 'string') parsed.source = target.source;
    for (const s of target ? asArray(target.selector) : []) {
      if (!isObject(s)) throw new NotThisFormat(`${w}: a selector is not an object`);
      if (s.type === 'TextQuoteSelector') {
        if (typeof s.exact !== 'string') throw new NotThisFormat(`${w}: its TextQuoteSelector has no "exact" string`);
        for (const k of ['prefix', 'suffix'] as const) if (s[k] !== undefined && typeof s[k] !== 'string') throw new NotThisFormat(`${w}: its TextQuoteSelector's "${k}" is not a string`);
        parsed.exact ??= s.exact;
        parsed.prefix ??= s.prefix as string | undefined;
        parsed.suffix ??= s.suffix as string | undefined;
      } else if (s.type === 'TextPositionSelector') {
        const { start, end } = s;
        if (!(Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (end as number) >= (start as number))) {
          throw new NotThisFormat(`${w}: its TextPositionSelector's start and end are not whole numbers with 0 <= start <= end`);
        }
        parsed.position ??= { start: start as number, end: end as number };
      }
    }
    const references = asArray(row.references).filter((r): r is string => typeof r === 'string');
    if (references.length > 0 && parsed.exact === undefined) {
      replies.push({ row, parsed, parents: references });
      return;
    }
    if (parsed.exact === undefined && parsed.position === undefined) parsed.unplaceable = { text: 'it is a page note (no passage selected), which Gloss cannot place in a text', code: 'page-note', params: {} };
    out.push(parsed);
    byRawId.set(id, parsed);
  });

  // Replies after their threads are known: each into the note of the annotation the thread starts from.
  for (const { parsed, parents } of replies) {
    const root = parents.map((p) => byRawId.get(p)).find((p) => p !== undefined);
    if (!root) {
      out.push({ ...parsed, unplaceable: { text: `it is a reply to ${parents[0]}, which is not in this file`, code: 'reply-elsewhere', params: { parent: String(parents[0]) } } });
      continue;
    }
    const when = parsed.created ? ` (${parsed.created.slice(0, 10)})` : '';
    root.note = `${root.note}${root.note ? '\n\n' : ''}— ${parsed.author ?? 'reply'}${when}: ${parsed.note}`;
    root.warnings.push({ text: `folded the reply ${parsed.rawId} into its note`, code: 'reply-folded', params: { id: parsed.rawId } });
  }
  out.sort((a, b) => a.index - b.index);
  return out;
}
