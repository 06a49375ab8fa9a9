/** Hierarchical tag paths such as `claim/factual`. */
import { GlossError } from './errors.js';

export const TAG_SEPARATOR = '/';

/** Trims each segment, drops empty ones, and checks the characters; throws a GlossError (`tag-*`) on a bad path. */
export function normalizeTagPath(raw: string): string {
  const segments = raw
    .normalize('NFC')
    .split(TAG_SEPARATOR)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s.length > 0);
  if (segments.length === 0) throw new GlossError(`Tag path "${raw}" is empty`, 'tag-empty');
  for (const s of segments) {
    if (s.length > 80) throw new GlossError(`Tag path "${raw}": segment "${s.slice(0, 20)}…" is longer than 80 characters`, 'tag-too-long', { max: 80 });
    if (/[\u0000-\u001f,]/.test(s)) throw new GlossError(`Tag path "${raw}" contains a control character or a comma`, 'tag-invalid-character');
  }
  return segments.join(TAG_SEPARATOR);
}

/** `a/b/c` -> [`a`, `a/b`, `a/b/c`]. */
export function tagAncestors(path: string): string[] {
  const parts = path.split(TAG_SEPARATOR);
  return parts.map((_, i) => parts.slice(0, i + 1).join(TAG_SEPARATOR));
}

/** True when `path` is `ancestor` or lies below it. */
export function isTagWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + TAG_SEPARATOR);
}
