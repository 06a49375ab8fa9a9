/**
 * `gloss import FILE.qdpx`: a REFI-QDA project into the library, as QualCoder, ATLAS.ti, MAXQDA,
 * NVivo or Gloss wrote it. Its text sources become documents (a source already in the library,
 * by content hash, gets the codings only), its codebook becomes tags (nested codes are nested
 * tags; a code Gloss does not know is created, with its colour), and each `PlainTextSelection`
 * an annotation: its codes the tags, its notes (and a coding's notes) the note, its creator the
 * author (unless it is the Gloss user of a Gloss export), its dates the stamps.
 *
 * - The project file is `project.qde`, or the one `.qde` at the top (ATLAS.ti names it after the
 *   project); sources are `internal://<file>` under `sources/` or `Sources/` (both are written),
 *   or inline `PlainTextContent`. Sources outside the archive (`relative://`, `absolute://`) and
 *   sources that are not text (PDF, pictures, audio, video) are reported, not read.
 * - Positions count code points of the source's plain text (QualCoder indexes Python strings so;
 *   the standard says characters), converted to UTF-16 through the code-point index. The text
 *   becomes one block per line with blank lines dropped, so the canonical text is the source
 *   with blank lines out; an exact map carries every position across.
 * - Selections of the same passage (QualCoder writes one per coding) become one annotation with
 *   all their tags; not in a project Gloss wrote, where each selection is an annotation. The
 *   selection's GUID is the annotation's id, so importing a project twice, or a project Gloss
 *   exported, updates instead of doubling.
 * - A code name holding `/` (the tag separator) or `,` (not allowed in tags) gets look-alikes
 *   (U+2215, U+201A); longer than 80 characters, it is cut. The outcome says so.
 * - A highlight's colour is the nearest of Gloss's six to its first code's colour (a Gloss export
 *   writes each code's colour as the one its highlights use most, so the colours come back).
 *
 * Everything of one project is written in one transaction, or nothing.
 */
import type { ImportOutcome } from '../../common/api.js';
import type { ProjectNoteLine } from '../../common/errors.js';
import { normalizeText } from '../../common/anchor/normalize.js';
import { CodePointIndex } from '../../common/export/code-points.js';
import { HIGHLIGHT_CSS } from '../../common/export/palette.js';
import { guidKey } from '../../common/export/qdpx.js';
import { COLORS, type Color, type ParsedDocument } from '../../common/model.js';
import { TAG_SEPARATOR, normalizeTagPath } from '../../common/tag-path.js';
import { ImportError } from '../import/errors.js';
import { finishDocument, type RawBlock } from '../import/plain-text.js';
import { normaliseZipPath, openZip, type ZipArchive } from '../import/zip.js';
import type { Library } from '../library.js';
import { annotationHomes, colorTagIfUncolored } from '../store/annotation-import.js';
import { insertAnnotation, updateAnnotation } from '../store/annotations.js';
import { contentHash, findByHash, insertDocument } from '../store/documents.js';
import { ensureTag } from '../store/tags.js';
import { nameUuid, stamp } from './incoming.js';
import { qdpxGuid } from './qdpx.js';
import { QuotePlacer } from './place-quote.js';
import { readQde, type QdeSelection, type QdeTextSource } from './qde-read.js';

/** A project archive larger than this is refused before it is opened. */
export const MAX_QDPX_BYTES = 500 * 1024 * 1024;

const PAGE_CITATION = /^pp?\. [^\n]{1,40}$/;

/**
 * Imports a REFI-QDA project: one outcome per text source (and one for the project when it holds
 * none Gloss can read). Throws ImportError when the file is not a readable project.
 */
export async function importQdpxProject(library: Library, name: string, bytes: Uint8Array): Promise<ImportOutcome[]> {
  if (bytes.length > MAX_QDPX_BYTES) throw new ImportError(name, `is larger than ${MAX_QDPX_BYTES / 1024 / 1024} MB, the limit for a project`, 'too-large');
  const zip = openZip(bytes, name);
  const qde = projectFile(zip, name);
  const project = readQde(zip.text(qde), name, qde);
  const now = new Date().toISOString();
  const ownUser = qdpxGuid(guidKey.ownUser);

  // The codebook as tag paths.
  const renamed: string[] = [];
  const paths = new Map<string, string>();
  const pathOf = (guid: string, seen = new Set<string>()): string | undefined => {
    const known = paths.get(guid);
    if (known !== undefined) return known;
    const code = project.codes.get(guid);
    if (!code || seen.has(guid)) return undefined;
    seen.add(guid);
    const segment = tagSegment(code.name, renamed);
    const up = code.parent ? pathOf(code.parent, seen) : undefined;
    const path = normalizeTagPath(up ? `${up}${TAG_SEPARATOR}${segment}` : segment);
    paths.set(guid, path);
    return path;
  };
  for (const guid of project.codes.keys()) pathOf(guid);

  // Sources: their text, read (and checked) before anything is written.
  const outcomes: ImportOutcome[] = [];
  const readable: { source: QdeTextSource; label: string; parsed: ParsedDocument; toCanonical: (codePoint: number) => number; length: number }[] = [];
  for (const source of project.sources) {
    const label = `${name} › ${source.name ?? source.guid}`;
    const text = sourceText(zip, source);
    if (typeof text !== 'string') {
      outcomes.push({ name: label, status: 'failed', message: text.reason, reason: 'damaged' });
      continue;
    }
    const doc = linesToDocument(text, label, titleOf(source));
    if (!doc) {
      outcomes.push({ name: label, status: 'failed', message: 'its text is empty', reason: 'empty' });
      continue;
    }
    const meta: NonNullable<ParsedDocument['meta']> = { sourceKind: 'qdpx' };
    if (source.description.trim()) meta.description = source.description.trim();
    const date = stamp(source.created ?? undefined);
    if (date) meta.date = date;
    readable.push({ source, label, parsed: { ...doc.parsed, meta }, toCanonical: doc.toCanonical, length: doc.length });
  }
  if (project.sources.length === 0) {
    const others = [...project.otherSources].map(([kind, n]) => `${n} ${kind}`).join(', ');
    outcomes.push({ name, status: 'failed', message: `the project holds no text source${others ? ` (only ${others}, which Gloss does not read)` : ''}`, reason: 'no-text' });
  }

  const notes = (guids: readonly string[]): string[] =>
    guids
      .map((g) => project.notes.get(g))
      .map((n) => (n?.content ?? (n?.plainTextPath ? noteFile(zip, n.plainTextPath) : undefined))?.trim())
      .filter((t): t is string => !!t);

  // Producers known to write a selection's text as its name (ATLAS.ti and others name quotations freely).
  const namesText = /qualcoder|gloss/i.test(project.origin ?? '');
  // Gloss writes one selection per annotation (two annotations may share a passage); others one per coding.
  const fromGloss = /^gloss\b/i.test(project.origin ?? '');
  const db = library.db;
  const existingOf = annotationHomes(db);
  db.transaction(() => {
    // Every code, used or not: a codebook moves whole.
    for (const [guid, path] of paths) {
      ensureTag(db, path);
      const color = hexColor(project.codes.get(guid)!.color);
      if (color) colorTagIfUncolored(db, path, color);
    }
    for (const r of readable) {
      const hash = contentHash(r.parsed);
      const existing = findByHash(db, hash);
      const documentId = existing ? existing.id : insertDocument(db, r.parsed, r.label.split(' › ').pop()!, now);
      const text = r.parsed.blocks.map((b) => b.text).join('\n');
      let added = 0;
      let updated = 0;
      let byName = 0;
      const problems: string[] = [];
      // QualCoder's annotations: notes the source refers to, each holding its passage.
      const noted: QdeSelection[] = r.source.noteRefs.flatMap((g) => {
        const n = project.notes.get(g);
        return n?.selection ? [{ guid: g, name: undefined, ...n.selection, modified: undefined, description: '', codes: [], notes: [g] }] : [];
      });
      let placer: QuotePlacer | undefined;
      for (const group of samePassage([...r.source.selections, ...noted], !fromGloss)) {
        const first = group[0]!;
        if (!(first.end > first.start && first.end <= r.length)) {
          problems.push(`the selection ${first.guid} (${first.start}-${first.end}) is outside the text (${r.length} characters)`);
          continue;
        }
        let start = r.toCanonical(first.start);
        let end = r.toCanonical(first.end);
        if (!(end > start)) {
          problems.push(`the selection ${first.guid} covers only blank lines`);
          continue;
        }
        // QualCoder and Gloss name a selection by its text: when the position holds other words
        // (a tool that counted line breaks as two characters), the words decide, near the position.
        const named = namesText && first.name ? first.name.trim() : '';
        if (named && !sameWords(named, text.slice(start, end))) {
          placer ??= new QuotePlacer(text);
          const placed = named.endsWith('…') ? undefined : placer.place({ exact: named, hint: { start, end } });
          if (placed?.kind === 'exact') {
            start = placed.start;
            end = placed.end;
            byName++;
          }
        }
        const tags = [...new Set(group.flatMap((s) => s.codes.map((c) => paths.get(c)).filter((p): p is string => p !== undefined)))];
        const noteParts = group.flatMap((s) => [...(s.description.trim() && !PAGE_CITATION.test(s.description.trim()) ? [s.description.trim()] : []), ...notes(s.notes)]);
        const firstCode = group.flatMap((s) => s.codes).find((c) => project.codes.has(c));
        const color = nearestColor(firstCode ? project.codes.get(firstCode)!.color : undefined);
        const userName = first.creatingUser && first.creatingUser !== ownUser ? project.users.get(first.creatingUser) : undefined;
        const created = stamp(first.created ?? undefined) ?? now;
        const modified = stamp(first.modified ?? undefined) ?? created;
        const note = [...new Set(noteParts)].join('\n\n');
        let id = first.guid;
        const had = existingOf(id);
        if (had && had.document_id !== documentId) id = nameUuid(`${first.guid} in ${hash}`);
        if (existingOf(id)) {
          // REFI-QDA carries no colour for a selection: the library's stays.
          updateAnnotation(db, id, { tags, note }, modified);
          updated++;
        } else {
          insertAnnotation(db, text, { id, documentId, start, end, tags, note, color, author: userName || undefined, created, modified }, now);
          added++;
        }
      }
      const parts: string[] = [];
      const said: ProjectNoteLine[] = [];
      if (existing) {
        parts.push(`already in the library as document ${existing.id} "${existing.title}"; its codings were merged in (${added} added, ${updated} updated)`);
        said.push({ code: 'merged', params: { id: existing.id, title: existing.title, added, updated } });
      } else if (updated) {
        parts.push(`${updated} coding(s) updated`);
        said.push({ code: 'codings-updated', params: { count: updated } });
      }
      if (byName) {
        parts.push(`${byName} selection(s) placed by their text, which their positions did not hold`);
        said.push({ code: 'placed-by-text', params: { count: byName } });
      }
      if (r.source.wholeCodings) {
        parts.push(`${r.source.wholeCodings} coding(s) of the whole source left out (Gloss codes passages)`);
        said.push({ code: 'whole-codings', params: { count: r.source.wholeCodings } });
      }
      if (problems.length) {
        parts.push(`${problems.length} selection(s) not imported: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`);
        said.push({ code: 'selections-skipped', params: { count: problems.length } });
      }
      const outcome: ImportOutcome = { name: r.label, status: existing ? 'duplicate' : 'imported', documentId, title: existing?.title ?? r.parsed.title, annotations: added + updated };
      if (parts.length) outcome.message = parts.join('; ');
      if (said.length) outcome.notes = said;
      outcomes.push(outcome);
    }
  })();

  // Said once, on the first outcome: what the project held that Gloss left aside or renamed.
  const first = outcomes[0];
  if (first) {
    const extra: string[] = [];
    const said: ProjectNoteLine[] = [];
    if (project.otherSources.size > 0) {
      extra.push(`left out ${[...project.otherSources].map(([kind, n]) => `${n} ${kind}`).join(', ')} (Gloss reads text sources)`);
      said.push({ code: 'sources-left-out', params: { count: [...project.otherSources.values()].reduce((a, n) => a + n, 0), kinds: [...project.otherSources.keys()].join(', ') } });
    }
    if (renamed.length) {
      extra.push(`renamed ${renamed.length} code(s) to fit tag paths: ${renamed.slice(0, 3).join('; ')}${renamed.length > 3 ? '; …' : ''}`);
      said.push({ code: 'codes-renamed', params: { count: renamed.length } });
    }
    if (extra.length) first.message = [first.message, ...extra].filter(Boolean).join('; ');
    if (said.length) first.notes = [...(first.notes ?? []), ...said];
  }
  return outcomes;
}

/** `project.qde`, else the one `.qde` at the top of the archive. */
function projectFile(zip: ZipArchive, name: string): string {
  if (zip.has('project.qde')) return 'project.qde';
  const top = zip.names().filter((n) => !n.includes('/') && /\.qde$/i.test(n));
  if (top.length === 1) return top[0]!;
  throw new ImportError(name, top.length === 0 ? 'is not a REFI-QDA project (it holds no project.qde)' : `holds ${top.length} project files (${top.join(', ')}); a .qdpx holds one`, 'not-qdpx');
}

/** A source's plain text, or why it cannot be read. */
function sourceText(zip: ZipArchive, source: QdeTextSource): string | { reason: string } {
  if (source.plainTextPath) {
    const path = internalPath(source.plainTextPath);
    if (!path) return { reason: `its text is outside the project (${source.plainTextPath}); Gloss reads the sources inside the .qdpx` };
    const entry = ['sources/', 'Sources/'].map((d) => d + path).find((p) => zip.has(p));
    if (!entry) return { reason: `its text file ${source.plainTextPath} is not in the project` };
    const data = zip.read(entry);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
    } catch {
      return { reason: `its text file ${entry} is not UTF-8 (REFI-QDA sources are)` };
    }
  }
  if (source.content !== undefined) return source.content;
  return { reason: 'it has neither a plainTextPath nor PlainTextContent' };
}

/** The file part of `internal://…`, checked to stay inside the archive; undefined for other schemes. */
function internalPath(uri: string): string | undefined {
  const m = /^internal:\/\/(.+)$/i.exec(uri.trim());
  if (!m) return undefined;
  return normaliseZipPath(decodeURIComponentSafe(m[1]!)) ?? undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function noteFile(zip: ZipArchive, uri: string): string | undefined {
  const path = internalPath(uri);
  const entry = path ? ['sources/', 'Sources/'].map((d) => d + path).find((p) => zip.has(p)) : undefined;
  if (!entry) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(zip.read(entry)).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

function titleOf(source: QdeTextSource): string | undefined {
  const n = source.name?.trim();
  return n ? n.replace(/\.(txt|text|docx?|rtf|odt|pdf|html?|md)$/i, '') : undefined;
}

/**
 * The source text as a document of one block per non-blank line, and the map from its code
 * points to UTF-16 offsets of the canonical text (the kept lines joined by `\n`). An offset in a
 * dropped blank stretch goes to the start of the next kept line.
 */
export function linesToDocument(text: string, label: string, title: string | undefined): { parsed: ParsedDocument; toCanonical: (codePoint: number) => number; length: number } | null {
  const lines: { from: number; text: string }[] = [];
  const re = /\r\n|\r|\n/g;
  let at = 0;
  for (;;) {
    const m = re.exec(text);
    const end = m ? m.index : text.length;
    const line = text.slice(at, end);
    if (line.trim() !== '') lines.push({ from: at, text: line });
    if (!m) break;
    at = m.index + m[0].length;
  }
  if (lines.length === 0) return null;
  // Kept line i starts at canon[i] in the canonical text.
  const canon: number[] = [];
  let c = 0;
  for (const l of lines) {
    canon.push(c);
    c += l.text.length + 1;
  }
  const index = new CodePointIndex(text);
  const toCanonical = (codePoint: number): number => {
    const u = index.toUtf16(codePoint);
    let lo = 0;
    let hi = lines.length - 1;
    // The last kept line starting at or before u.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]!.from <= u) lo = mid;
      else hi = mid - 1;
    }
    const l = lines[lo]!;
    if (u < l.from) return canon[lo]!;
    if (u <= l.from + l.text.length) return canon[lo]! + (u - l.from);
    // Past the line's end (its line break, blank lines): the next kept line's start, or the text's end.
    return lo + 1 < lines.length ? canon[lo + 1]! : canon[lo]! + l.text.length;
  };
  const raw: RawBlock[] = lines.map((l) => ({ kind: 'paragraph', depth: 0, text: l.text }));
  return { parsed: finishDocument(label, raw, title), toCanonical, length: index.codePointLength };
}

/** Whether a selection's name is the text it selects (whitespace, marks and a cut-off end aside). */
function sameWords(name: string, selected: string): boolean {
  const flat = (t: string) => normalizeText(t).replace(/\s+/g, ' ').trim();
  const n = flat(name.endsWith('…') ? name.slice(0, -1) : name);
  const t = flat(selected);
  return n.length < 4 || (name.endsWith('…') ? t.startsWith(n) : t === n);
}

/** Selections of one passage together (QualCoder writes one selection per coding), in text order; each alone when `merge` is off. */
function samePassage(selections: readonly QdeSelection[], merge: boolean): QdeSelection[][] {
  const byRange = new Map<string, QdeSelection[]>();
  for (const s of selections) {
    const key = merge ? `${s.start}:${s.end}` : s.guid;
    const list = byRange.get(key);
    if (list) list.push(s);
    else byRange.set(key, [s]);
  }
  return [...byRange.values()].sort((a, b) => a[0]!.start - b[0]!.start || a[0]!.end - b[0]!.end);
}

/** A code name as one tag segment: `/` and `,` become look-alikes, controls spaces, at most 80 characters. */
function tagSegment(name: string, renamed: string[]): string {
  let s = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\//g, '\u2215')
    .replace(/,/g, '\u201a');
  if ([...s].length > 80) s = `${[...s].slice(0, 79).join('').trimEnd()}…`;
  if (s === '') s = 'code';
  if (s !== name) renamed.push(`${JSON.stringify(name)} is ${JSON.stringify(s)}`);
  return s;
}

function hexColor(color: string | undefined): string | undefined {
  const m = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(color?.trim() ?? '');
  if (!m) return undefined;
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return `#${h.toLowerCase()}`;
}

/** The Gloss highlight colour nearest to a code's colour (RGB distance); yellow without one. */
export function nearestColor(color: string | undefined): Color {
  const hex = hexColor(color);
  if (!hex) return 'yellow';
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [r, g, b] = rgb(hex) as [number, number, number];
  let best: Color = 'yellow';
  let bestDistance = Infinity;
  for (const c of COLORS) {
    const [cr, cg, cb] = rgb(HIGHLIGHT_CSS[c]) as [number, number, number];
    const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

