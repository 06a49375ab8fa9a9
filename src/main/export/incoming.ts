/**
 * What the annotation readers (W3C JSON-LD, Hypothesis's API JSON) make of a file: one shape for
 * document matching and placing, whatever the tool. Also the bounded JSON reading they share.
 */
import { createHash } from 'node:crypto';
import type { NoteWhy } from '../../common/errors.js';
import type { Color } from '../../common/model.js';

export interface IncomingAnnotation {
  /** Its place in the file (0-based), for messages. */
  index: number;
  /** The Gloss id: the annotation's own UUID, else one derived from its id. */
  id: string;
  /** The id as the file gives it. */
  rawId: string;
  /** The target's source (a URI: `urn:sha256:…`, a web page, a file). */
  source: string | undefined;
  /** The document's title as the other tool knew it (Hypothesis's `document.title`). */
  title: string | undefined;
  exact: string | undefined;
  /** Undefined when the file gives none (not the same as '' at the text's edge). */
  prefix: string | undefined;
  suffix: string | undefined;
  position: { start: number; end: number } | undefined;
  /** What the position counts: code points (the W3C model) or UTF-16 units (a browser's DOM offsets). */
  positionUnit: 'code-points' | 'utf16';
  tags: string[];
  note: string;
  color: Color | undefined;
  author: string | undefined;
  created: string | undefined;
  modified: string | undefined;
  /** Why it cannot be placed in a text, though well formed (a page note, a whole-resource target). */
  unplaceable?: Reasoned;
  warnings: Reasoned[];
}

/** A sentence of the report: in English (`text`, for the command line) and as a code for the interface. */
export type Reasoned = NoteWhy & { text: string };

/** The file is not of the kind being read: nothing is changed. The message says why. */
export class NotThisFormat extends Error {}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Annotation files larger than this are refused (about 150,000 annotations with long notes). */
export const MAX_ANNOTATION_FILE_BYTES = 64 * 1024 * 1024;
/** Annotations in one file, at most. */
export const MAX_ANNOTATIONS = 200_000;
/** JSON nesting, at most: a W3C annotation is about 6 levels deep, a Hypothesis search result 7. */
export const MAX_JSON_DEPTH = 64;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Decodes and parses a JSON file within the limits: size, nesting (checked on the text before
 * parsing, so a hostile file costs one linear scan) and UTF-8. Throws NotThisFormat with the reason.
 */
export function readJson(bytes: Uint8Array): Json {
  if (bytes.length > MAX_ANNOTATION_FILE_BYTES) throw new NotThisFormat(`it is larger than ${MAX_ANNOTATION_FILE_BYTES / 1024 / 1024} MB, the limit for a file of annotations`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NotThisFormat('it is not UTF-8 text (a JSON file is)');
  }
  text = text.replace(/^\uFEFF/, '');
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new NotThisFormat(`it nests more than ${MAX_JSON_DEPTH} levels deep (the limit)`);
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new NotThisFormat(`it is not JSON (${(e as Error).message})`);
  }
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings skipped); stops counting past the limit. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > MAX_JSON_DEPTH) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * A stable UUID for an annotation id: the UUID an id is made of (`urn:uuid:X`, `#X`, `…/annotation/X`,
 * as Gloss, RecogitoJS and Recogito write them), else a name-based one derived from the whole id,
 * so the same file imported twice updates instead of doubling.
 */
export function uuidFor(rawId: string): string {
  const id = rawId.trim();
  const m = UUID.exec(id);
  if (m && (id.length === 36 || /(^urn:uuid:|#|\/)$/i.test(id.slice(0, id.length - 36)))) return m[1]!.toLowerCase();
  return nameUuid('gloss-annotation-id:' + rawId);
}

/** A name-based UUID (version 5 layout, SHA-1) for any string. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An ISO 8601 date-time (with any offset or fractional seconds) as Gloss stores stamps: UTC, milliseconds. */
export function stamp(v: Json | undefined): string | undefined | null {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return null;
  // Microseconds (Hypothesis writes six digits) are cut to what Date reads.
  const ms = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A person as an author name: `acct:name@host` -> name; a profile URL -> its last segment; an object's name or nickname; a plain string as it is. */
export function personName(v: Json | undefined): string | undefined {
  for (const p of asArray(v)) {
    if (typeof p === 'string') {
      const acct = /^acct:([^@]+)@/.exec(p.trim());
      if (acct) return acct[1];
      // A profile address (Recogito writes https://recogito.pelagios.org/<user>): its last segment.
      const url = /^https?:\/\/[^/]+\/(?:.*\/)?([^/?#]+)\/?(?:[?#].*)?$/.exec(p.trim());
      if (url) {
        try {
          return decodeURIComponent(url[1]!);
        } catch {
          return url[1];
        }
      }
      if (p.trim()) return p.trim();
    } else if (isObject(p)) {
      for (const k of ['name', 'nickname', 'id']) {
        const s = p[k];
        if (typeof s === 'string' && s.trim()) return personName(s);
      }
    }
  }
  return undefined;
}
