/**
 * Word comments to annotations. A comment's range is where its `w:commentRangeStart` and
 * `w:commentRangeEnd` sit (possibly in different paragraphs); a comment with only a reference mark
 * is anchored to the word before the mark. Offsets are into the final canonical text: the kept
 * (non-blank) blocks joined by "\n"; an anchor in a blank block moves to the nearest kept text,
 * and a range is trimmed so it neither starts nor ends on whitespace.
 *
 * Replies (Word 2013+, `commentsExtended.xml`: `w15:paraIdParent` names the parent comment's last
 * paragraph) are folded into the parent's note as "— Author (date): text", in the order Word keeps
 * them, so a review thread stays one annotation on one passage. A comment anchored nowhere in the
 * text read (in a header or footer) is left out.
 */
import type { ImportedAnnotation } from '../../../common/model.js';
import type { FlatEntry, MarkedBlock } from './blocks.js';
import { walkXml } from './xml.js';

/** Reply chains deeper than this are cut (a loop in a hostile file). */
const MAX_THREAD_DEPTH = 64;

/** `w15:paraId` → the paraId of the parent comment's last paragraph, from `word/commentsExtended.xml`. */
export function readCommentParents(xml: string | null, file: string, part = 'word/commentsExtended.xml'): Map<string, string> {
  const parents = new Map<string, string>();
  if (xml === null) return parents;
  walkXml(xml, file, part, {
    open(name, a) {
      if (name !== 'w15:commentEx') return;
      const id = a['w15:paraId'];
      const parent = a['w15:paraIdParent'];
      if (id !== undefined && parent !== undefined) parents.set(id.toUpperCase(), parent.toUpperCase());
    },
    close() {},
    text() {},
  });
  return parents;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);

/** A paragraph or cell boundary: the word a bare reference belongs to is on its side of it. */
const isBoundary = (c: string | undefined): boolean => c === '\n' || c === '\t';

/**
 * The word ending at or before `at` in the same block or cell (its trailing punctuation left out),
 * else the word after it there (a reference at a paragraph's start), else the nearest word anywhere.
 */
function wordNear(text: string, at: number): { start: number; end: number } | null {
  const back = (stopAtBoundary: boolean): { start: number; end: number } => {
    let i = at;
    while (i > 0 && isSpace(text[i - 1]) && !(stopAtBoundary && isBoundary(text[i - 1]))) i--;
    const end = i;
    while (i > 0 && !isSpace(text[i - 1])) i--;
    return { start: i, end };
  };
  const forward = (stopAtBoundary: boolean): { start: number; end: number } => {
    let start = at;
    while (start < text.length && isSpace(text[start]) && !(stopAtBoundary && isBoundary(text[start]))) start++;
    let end = start;
    while (end < text.length && !isSpace(text[end])) end++;
    return { start, end };
  };
  const found = [back(true), forward(true), back(false), forward(false)].find((r) => r.start < r.end);
  if (found === undefined) return null;
  const bare = text.slice(found.start, found.end).replace(/[\p{P}\p{S}]+$/u, '');
  return /[\p{L}\p{N}]/u.test(bare) ? { start: found.start, end: found.start + bare.length } : found;
}

function trimRange(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = start;
  let e = end;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  return s < e ? { start: s, end: e } : null;
}

/** An ISO date as Word writes it ("2024-03-05T10:00:00Z"), or undefined for anything else. */
function isoDate(value: string | undefined): string | undefined {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

/** The canonical text of the kept blocks, and each block's offset in it (-1 for a dropped block). */
export function canonicalLayout(blocks: readonly MarkedBlock[]): { text: string; starts: number[] } {
  const starts: number[] = [];
  const kept: string[] = [];
  let offset = 0;
  for (const b of blocks) {
    if (b.raw.text.trim() === '') {
      starts.push(-1);
      continue;
    }
    if (kept.length > 0) offset += 1;
    starts.push(offset);
    kept.push(b.raw.text);
    offset += b.raw.text.length;
  }
  return { text: kept.join('\n'), starts };
}

/** Where each comment's marks fall in the canonical text. */
function markPositions(blocks: readonly MarkedBlock[], starts: readonly number[], length: number) {
  // For a dropped block: where the next kept block starts, and where the previous one ends.
  const nextStart: number[] = new Array<number>(blocks.length);
  let next = length;
  for (let i = blocks.length - 1; i >= 0; i--) {
    nextStart[i] = next;
    if ((starts[i] ?? -1) >= 0) next = starts[i] ?? length;
  }
  const found = new Map<string, { start?: number; end?: number; ref?: number }>();
  let previousEnd = 0;
  blocks.forEach((block, i) => {
    const own = starts[i] ?? -1;
    for (const m of block.marks) {
      // In a dropped block a start moves on to the next text, an end back to the previous.
      const at = own >= 0 ? own + m.at : m.kind === 'start' ? (nextStart[i] ?? length) : previousEnd;
      const entry = found.get(m.id) ?? {};
      if (m.kind === 'start') entry.start ??= at;
      else if (m.kind === 'end') entry.end = at;
      else entry.ref ??= at;
      found.set(m.id, entry);
    }
    if (own >= 0) previousEnd = own + block.raw.text.length;
  });
  return found;
}

/** The annotations for `comments`, anchored in the blocks' canonical text. */
export function commentAnnotations(
  blocks: readonly MarkedBlock[],
  comments: ReadonlyMap<string, FlatEntry>,
  parents: ReadonlyMap<string, string>,
): ImportedAnnotation[] {
  if (comments.size === 0) return [];
  const { text, starts } = canonicalLayout(blocks);
  const positions = markPositions(blocks, starts, text.length);

  // Threads: each reply under its root comment, in comments.xml order.
  const byLastPara = new Map<string, string>();
  for (const c of comments.values()) {
    const last = c.paraIds[c.paraIds.length - 1];
    if (last !== undefined) byLastPara.set(last, c.id);
  }
  const rootOf = (c: FlatEntry): string | null => {
    let current = c;
    for (let hops = 0; hops < MAX_THREAD_DEPTH; hops++) {
      const last = current.paraIds[current.paraIds.length - 1];
      const parentPara = last === undefined ? undefined : parents.get(last);
      const parentId = parentPara === undefined ? undefined : byLastPara.get(parentPara);
      const parent = parentId === undefined ? undefined : comments.get(parentId);
      if (parent === undefined || parent === c) return hops === 0 ? null : current.id;
      current = parent;
    }
    return current.id;
  };
  const replies = new Map<string, FlatEntry[]>();
  for (const c of comments.values()) {
    const root = rootOf(c);
    if (root === null || root === c.id) continue;
    const thread = replies.get(root);
    if (thread === undefined) replies.set(root, [c]);
    else thread.push(c);
  }
  const isReply = new Set([...replies.values()].flat().map((c) => c.id));

  const out: ImportedAnnotation[] = [];
  for (const c of comments.values()) {
    if (isReply.has(c.id)) continue;
    const where = positions.get(c.id);
    if (where === undefined) continue;
    let range: { start: number; end: number } | null = null;
    if (where.start !== undefined && where.end !== undefined && where.end > where.start) {
      range = trimRange(text, where.start, where.end);
    }
    if (range === null) {
      const at = where.ref ?? where.end ?? where.start;
      range = at === undefined ? null : wordNear(text, at);
    }
    if (range === null) continue;
    let note = c.text;
    for (const r of replies.get(c.id) ?? []) {
      const who = r.attributes['w:author']?.trim() || 'Someone';
      const when = isoDate(r.attributes['w:date'])?.slice(0, 10);
      note += `${note === '' ? '' : '\n\n'}— ${who}${when ? ` (${when})` : ''}: ${r.text}`;
    }
    const annotation: ImportedAnnotation = { start: range.start, end: range.end, note };
    const author = c.attributes['w:author']?.trim();
    if (author) annotation.author = author;
    const created = isoDate(c.attributes['w:date']);
    if (created !== undefined) annotation.created = created;
    out.push(annotation);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
