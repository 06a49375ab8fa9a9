/**
 * What the team server checks in the messages it receives: the Yjs updates a message carries,
 * and whether an update to a `gloss:content:<hash>` document is the one text that hash names.
 */
import { createHash } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { BLOCK_KINDS } from '../../common/model.js';
import { CONTENT_BLOCKS, CONTENT_META, REFUSAL, contentText, type Refusal } from '../../common/team-protocol.js';

/** Hocuspocus message types (client to server) and y-protocols sync steps. */
const SYNC = 0;
const AWARENESS = 1;
const SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

export interface ReadMessage {
  kind: 'update' | 'awareness' | 'other';
  /** The Yjs update a sync step 2 or update message carries. */
  update?: Uint8Array;
}

/** Reads what a Hocuspocus message (document name first) carries. Throws on a malformed message. */
export function readMessage(data: Uint8Array): ReadMessage {
  const d = decoding.createDecoder(data);
  decoding.readVarString(d);
  const type = decoding.readVarUint(d);
  if (type === AWARENESS) return { kind: 'awareness' };
  if (type !== SYNC && type !== SYNC_REPLY) return { kind: 'other' };
  const step = decoding.readVarUint(d);
  if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return { kind: 'other' };
  return { kind: 'update', update: decoding.readVarUint8Array(d) };
}

/** Does `update` add or delete anything `doc` does not already hold? */
export function addsToDoc(doc: Y.Doc, update: Uint8Array): boolean {
  return !Y.snapshotContainsUpdate(Y.snapshot(doc), update);
}

export const hasBlocks = (doc: Y.Doc): boolean => doc.getArray(CONTENT_BLOCKS).length > 0;

export type ContentCheck = { ok: true } | { ok: false; refusal: Refusal; why: string };

const DIRS = new Set(['rtl', 'ltr']);
const LANGUAGES = new Set(['he', 'en', 'mixed']);
const KINDS = new Set<string>(BLOCK_KINDS);

/**
 * Checks the first write to an empty content doc: the update alone must make a whole text (blocks
 * and meta, nothing else) whose canonical text hashes to `hash`. Call only when `update` adds
 * something to an empty document: once a content doc holds blocks, every addition is refused.
 */
export function checkContentUpdate(hash: string, update: Uint8Array, maxBytes: number): ContentCheck {
  if (update.byteLength > maxBytes) return { ok: false, refusal: REFUSAL.tooLarge, why: `the text is ${update.byteLength} bytes, more than the ${maxBytes} allowed` };
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, update);
  } catch {
    return { ok: false, refusal: REFUSAL.contentMismatch, why: 'the update cannot be read' };
  }
  if (copy.store.pendingStructs || copy.store.pendingDs) return { ok: false, refusal: REFUSAL.contentMismatch, why: 'the update is incomplete (it depends on changes the document does not hold)' };
  const extra = [...copy.share.keys()].filter((k) => k !== CONTENT_BLOCKS && k !== CONTENT_META);
  if (extra.length > 0) return { ok: false, refusal: REFUSAL.contentMismatch, why: `a content document holds only "blocks" and "meta", not "${extra[0]}"` };
  const blocks = copy.getArray(CONTENT_BLOCKS).toArray();
  if (blocks.length === 0) return { ok: false, refusal: REFUSAL.contentMismatch, why: 'a content document is written whole, blocks and meta in one update' };
  for (const [i, b] of blocks.entries()) {
    const block = b as Record<string, unknown> | null;
    if (!block || typeof block !== 'object' || typeof block.text !== 'string' || !KINDS.has(block.kind as string) || !DIRS.has(block.dir as string) || !Number.isInteger(block.depth)) {
      return { ok: false, refusal: REFUSAL.contentMismatch, why: `block ${i} is not a block ({kind, dir, depth, text})` };
    }
  }
  const meta = copy.getMap(CONTENT_META);
  if (typeof meta.get('title') !== 'string' || !LANGUAGES.has(meta.get('language') as string)) {
    return { ok: false, refusal: REFUSAL.contentMismatch, why: 'meta needs a title and a language (he, en or mixed)' };
  }
  const actual = createHash('sha256').update(contentText(blocks as { text: string }[]), 'utf8').digest('hex');
  if (actual !== hash) return { ok: false, refusal: REFUSAL.contentMismatch, why: `its text hashes to ${actual.slice(0, 12)}…, not to the name's ${hash.slice(0, 12)}…` };
  return { ok: true };
}
