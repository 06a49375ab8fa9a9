/**
 * Team sync, the client: joining a team, sharing texts and pairs, and one sync session (scan the
 * library's changes into pending Yjs updates, connect, push, pull until quiescent, write what
 * came into the library, disconnect). See docs/ARCHITECTURE.md, "Team sync: the client".
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import * as Y from 'yjs';
import { GlossError } from '../../common/api.js';
import {
  CODEBOOK_DOC,
  CONTENT_CLIENT_ID,
  CONTENT_BLOCKS,
  CONTENT_META,
  INDEX_DOC,
  INDEX_PAIRS,
  INDEX_TEXTS,
  contentDocName,
  contentText,
  isContentHash,
  isPairId,
  pairDocName,
  textDocName,
  TEXT_META,
  type ContentBlock,
  type ContentMeta,
  type SharedPairEntry,
  type SharedTextEntry,
} from '../../common/team-protocol.js';
import type { BlockInput, Language } from '../../common/model.js';
import type { Library } from '../library.js';
import * as docs from '../store/documents.js';
import { findPair, insertPair, listPairs, type PairRow } from '../store/pairs.js';
import * as team from '../store/team.js';
import { TeamConnectionError, openConnection, type Connection } from './client-connection.js';
import { updateDocument } from '../store/revisions.js';
import { TeamDocs } from './sync-docs.js';
import { projectCodebookAfter, projectCodebookBefore, projectText, scanCodebook, scanText, type Projection } from './sync-map.js';
import { insertTranslationTarget, projectLinks, projectPair, scanLinks, scanPair, textLinks, type PairContext } from './sync-pairs.js';

export { TeamConnectionError };

const stamp = () => new Date().toISOString();
/** GLOSS_TEAM_DEBUG=1 traces a sync session's steps on stderr. */
const trace = process.env.GLOSS_TEAM_DEBUG ? (...what: unknown[]) => console.error('[team]', ...what) : () => {};

/**
 * Fault injection for tests: with GLOSS_TEAM_HOLD=<point>, a sync stops at that point (for ten
 * minutes) so that a test can kill the process exactly there, whatever the machine's load.
 */
async function hold(point: string): Promise<void> {
  if (process.env.GLOSS_TEAM_HOLD !== point) return;
  console.error(`[team] holding at ${point}`);
  await new Promise((resolve) => setTimeout(resolve, 600_000));
}

function connectionOf(lib: Library): team.TeamConnection {
  const c = team.getConnection(lib.db);
  if (!c) throw new GlossError('This library has not joined a team: run `gloss team join URL --token T` first', 'team-not-joined');
  return c;
}

/** Checks and normalises a server address: ws:// or wss:// (http(s):// is taken as the same). */
export function teamUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GlossError(`"${raw}" is not a server address: give one like ws://127.0.0.1:1234`, 'team-bad-url', { url: raw });
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new GlossError(`"${raw}" is not a team server address: it must start with ws:// or wss://`, 'team-bad-url', { url: raw });
  return url.toString().replace(/\/$/, '');
}

/** Records the team connection (joining again changes the server, token or name; what is shared stays). */
export function join(lib: Library, rawUrl: string, token: string, name?: string): team.TeamConnection {
  const url = teamUrl(rawUrl);
  if (!token.trim()) throw new GlossError('The team token is empty: give the one the server printed (--token T)', 'team-token-empty');
  const member = (name ?? os.userInfo().username).trim();
  if (!member) throw new GlossError('The member name is empty: give one with --name NAME', 'team-member-empty');
  if (member.length > 100) throw new GlossError(`The member name is ${member.length} characters long; at most 100`, 'team-member-too-long', { length: member.length, max: 100 });
  lib.db.transaction(() => team.setConnection(lib.db, { url, token, member, joined: stamp() }))();
  return connectionOf(lib);
}

export interface ShareOutcome {
  kind: 'text' | 'pair';
  /** The text id (content hash) or pair uuid. */
  id: string;
  title: string;
  alreadyShared: boolean;
  /** Pending updates recorded. */
  pending: number;
}

/** The library's shared rows (annotations of every shared text, the tag tree) into `d` as local changes. */
export function scanAll(lib: Library, d: TeamDocs, member: string): void {
  const now = stamp();
  for (const t of team.sharedTexts(lib.db)) {
    if (t.documentId === null || d.isHeld(textDocName(t.textId))) continue;
    d.change(textDocName(t.textId), (doc) => {
      scanText(lib.db, doc, t.documentId!, member, now);
      scanLinks(lib.db, textLinks(doc), t.documentId!, t.documentId!);
    });
    // A new revision made here: the index names it, for members who join later.
    const hash = docs.getSummary(lib.db, t.documentId)?.contentHash;
    const texts = d.get(INDEX_DOC).getMap<SharedTextEntry>(INDEX_TEXTS);
    const entry = texts.get(t.textId);
    if (hash && entry && entry.contentHash !== hash) d.change(INDEX_DOC, () => texts.set(t.textId, { ...entry, contentHash: hash }));
  }
  d.change(CODEBOOK_DOC, (doc) => scanCodebook(lib.db, doc));
  for (const p of sharedPairContexts(lib)) {
    if (d.isHeld(textDocName(p.sourceTextId)) || d.isHeld(textDocName(p.targetTextId))) continue;
    d.change(pairDocName(p.uuid), (doc) => scanPair(lib.db, doc, p));
  }
}

/** The shared pairs this library holds, with their texts' team ids. */
export function sharedPairContexts(lib: Library): (PairContext & { uuid: string })[] {
  const ids = new Map(team.sharedTexts(lib.db).filter((t) => t.documentId !== null).map((t) => [t.documentId!, t.textId]));
  const out: (PairContext & { uuid: string })[] = [];
  for (const p of team.sharedPairs(lib.db)) {
    const pair = p.pairId === null ? undefined : findPair(lib.db, p.pairId);
    const sourceTextId = pair && ids.get(pair.sourceId);
    const targetTextId = pair && ids.get(pair.targetId);
    if (pair && sourceTextId && targetTextId) out.push({ uuid: p.pairUuid, pair, sourceTextId, targetTextId });
  }
  return out;
}

/**
 * Every shared pair's doc and every shared text's links into the rows (after the texts'
 * annotations, so that links find their ends). Returns the documents whose rows changed.
 */
export function projectPairs(lib: Library, d: TeamDocs, skipped: string[]): Set<number> {
  const changed = new Set<number>();
  for (const t of team.sharedTexts(lib.db)) {
    if (t.documentId === null || d.isHeld(textDocName(t.textId))) continue;
    if (projectLinks(lib.db, textLinks(d.get(textDocName(t.textId))), t.documentId, t.documentId)) changed.add(t.documentId);
  }
  for (const p of sharedPairContexts(lib)) {
    if (d.isHeld(textDocName(p.sourceTextId)) || d.isHeld(textDocName(p.targetTextId))) continue;
    const out = projectPair(lib.db, d.get(pairDocName(p.uuid)), p.pair);
    skipped.push(...out.skipped);
    if (out.drafts || out.links) changed.add(p.pair.targetId);
    if (out.links) changed.add(p.pair.sourceId);
  }
  return changed;
}

function shareText(lib: Library, d: TeamDocs, documentId: number, member: string): { textId: string; title: string; already: boolean } {
  const existing = team.sharedTexts(lib.db).find((t) => t.documentId === documentId);
  const doc = docs.getSummary(lib.db, documentId);
  if (!doc) throw new GlossError(`No document with id ${documentId}`, 'document-not-found', { id: documentId });
  if (existing) return { textId: existing.textId, title: doc.title, already: true };
  const textId = doc.contentHash;
  team.addSharedText(lib.db, textId, documentId, stamp());
  d.change(INDEX_DOC, (index) => {
    const entry: SharedTextEntry = { title: doc.title, language: doc.language, contentHash: doc.contentHash, sharedBy: member, sharedAt: stamp() };
    index.getMap<SharedTextEntry>(INDEX_TEXTS).set(textId, entry);
  });
  d.change(textDocName(textId), (text) => scanText(lib.db, text, documentId, member, stamp()));
  return { textId, title: doc.title, already: false };
}

/**
 * Shares a document (its text goes to the server at the next sync, once, by content hash) or a
 * pair (both texts and the pairing). Works offline: the changes wait as pending updates.
 */
export function share(lib: Library, target: { documentId: number } | { pairId: number }): ShareOutcome {
  const { member } = connectionOf(lib);
  const d = new TeamDocs(lib.db);
  try {
    return lib.db.transaction((): ShareOutcome => {
      let out: ShareOutcome;
      if ('documentId' in target) {
        const s = shareText(lib, d, target.documentId, member);
        out = { kind: 'text', id: s.textId, title: s.title, alreadyShared: s.already, pending: 0 };
      } else {
        const pair = findPair(lib.db, target.pairId);
        if (!pair) throw new GlossError(`No pair with id ${target.pairId} (see \`gloss pairs\`)`, 'pair-not-found', { id: target.pairId });
        const source = shareText(lib, d, pair.sourceId, member);
        const targetText = shareText(lib, d, pair.targetId, member);
        // A translation's text travels in the pair doc (its drafts), not as a content doc: its
        // content hash is an identity, not the hash of its text.
        if (pair.kind === 'translation' && !targetText.already) team.setContentSent(lib.db, targetText.textId, targetText.textId);
        const title = `${source.title} ↔ ${targetText.title}`;
        const known = team.sharedPairs(lib.db).find((p) => p.pairId === pair.id);
        if (known) {
          out = { kind: 'pair', id: known.pairUuid, title, alreadyShared: true, pending: 0 };
        } else {
          const uuid = randomUUID();
          team.addSharedPair(lib.db, uuid, pair.id, stamp());
          d.change(INDEX_DOC, (index) => index.getMap<SharedPairEntry>(INDEX_PAIRS).set(uuid, { source: source.textId, target: targetText.textId, sharedBy: member, kind: pair.kind }));
          d.change(pairDocName(uuid), (doc) => scanPair(lib.db, doc, { pair, sourceTextId: source.textId, targetTextId: targetText.textId }));
          out = { kind: 'pair', id: uuid, title, alreadyShared: false, pending: 0 };
        }
      }
      d.change(CODEBOOK_DOC, (doc) => scanCodebook(lib.db, doc));
      out.pending = d.flush(stamp());
      return out;
    })();
  } finally {
    d.destroy();
  }
}

export interface TeamStatus {
  joined: boolean;
  url?: string;
  member?: string;
  lastSync?: string | null;
  texts: { textId: string; documentId: number | null; title: string | null }[];
  pairs: { pairUuid: string; pairId: number | null }[];
  pending: number;
}

export function status(lib: Library): TeamStatus {
  const c = team.getConnection(lib.db);
  const texts = team.sharedTexts(lib.db).map((t) => ({ textId: t.textId, documentId: t.documentId, title: t.documentId === null ? null : (docs.getSummary(lib.db, t.documentId)?.title ?? null) }));
  const pairs = team.sharedPairs(lib.db).map((p) => ({ pairUuid: p.pairUuid, pairId: p.pairId }));
  const pending = team.pendingCount(lib.db);
  if (!c) return { joined: false, texts, pairs, pending };
  return { joined: true, url: c.url, member: c.member, lastSync: c.lastSync, texts, pairs, pending };
}

export interface SyncOptions {
  /** Gives up (keeping every pending update) after this long. Default 60 s. */
  timeoutMs?: number;
  /** How long nothing must arrive before the session counts as quiescent. Default 300 ms. */
  quietMs?: number;
}

export interface SyncSummary {
  /** Pending updates the server acknowledged. */
  sent: number;
  /** Updates received from the server. */
  received: number;
  /** Texts new to this library: imported, or linked to a local document with the same text. */
  imported: number;
  linked: number;
  /** Annotations written and deleted from the team's state. */
  written: number;
  deleted: number;
  /** Texts whose content went to the server. */
  uploaded: number;
  pairs: number;
  /** Texts brought to a new revision another member made. */
  revised: number;
  /** The name the server knows this member by, when it differs from the one given at join. */
  member?: string;
  /** The server lets this member read only: local changes stay pending. */
  readOnly?: boolean;
  skipped: string[];
  rounds: number;
}

function blocksOf(doc: Y.Doc): ContentBlock[] {
  return doc.getArray<ContentBlock>(CONTENT_BLOCKS).toArray();
}

/**
 * One sync session. Throws TeamConnectionError when the server cannot be reached or refuses;
 * pending updates are then kept for the next time.
 */
export async function sync(lib: Library, options: SyncOptions = {}): Promise<SyncSummary> {
  const conn = connectionOf(lib);
  const db = lib.db;
  const d = new TeamDocs(db);
  const summary: SyncSummary = { sent: 0, received: 0, imported: 0, linked: 0, written: 0, deleted: 0, uploaded: 0, pairs: 0, revised: 0, skipped: [], rounds: 0 };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const quietMs = options.quietMs ?? 300;
  let connection: Connection | undefined;
  try {
    // 1. What changed here since the last sync, as pending updates (kept if anything below fails).
    db.transaction(() => {
      scanAll(lib, d, conn.member);
      d.flush(stamp());
    })();

    // 2. Connect and exchange state for every document this library keeps.
    connection = openConnection(conn.url, conn.token, conn.member);
    const names = new Set<string>([
      INDEX_DOC,
      CODEBOOK_DOC,
      ...team.sharedTexts(db).map((t) => textDocName(t.textId)),
      ...team.sharedPairs(db).map((p) => pairDocName(p.pairUuid)),
      ...team.pendingUpdates(db).map((p) => p.doc),
    ]);
    for (const name of names) connection.attach(name, d.get(name));
    await connection.connect(deadline);
    trace('connected', conn.url);
    await connection.settled(deadline);
    // The server says who this member is (a member token carries its name): authors from now on.
    const verified = connection.member;
    if (verified && verified !== conn.member) {
      summary.member = verified;
      conn.member = verified;
      db.transaction(() => team.setMember(db, verified))();
    }
    if (connection.readOnly) summary.readOnly = true;
    const unavailable = new Set<string>();

    for (;;) {
      summary.rounds++;
      trace('round', summary.rounds);
      // 3. Texts the team shares that this library does not hold yet: their text docs, and content.
      const index = d.get(INDEX_DOC).getMap<SharedTextEntry>(INDEX_TEXTS);
      const known = new Set(team.sharedTexts(db).map((t) => t.textId));
      const incoming: { textId: string; entry: SharedTextEntry; blocks?: ContentBlock[]; meta?: ContentMeta }[] = [];
      // Pairs: their docs; a translation's target is made from its pair doc, not fetched.
      const translations = new Map<string, string>();
      for (const [uuid, entry] of d.get(INDEX_DOC).getMap<SharedPairEntry>(INDEX_PAIRS)) {
        if (!entry || !isPairId(uuid)) continue;
        connection.attach(pairDocName(uuid), d.get(pairDocName(uuid)));
        if (entry.kind === 'translation') translations.set(entry.target, uuid);
      }
      for (const [textId, entry] of index) {
        if (known.has(textId) || unavailable.has(textId)) continue;
        if (translations.has(textId)) {
          connection.attach(textDocName(textId), d.get(textDocName(textId)));
          continue;
        }
        if (!isContentHash(textId) || !entry || !isContentHash(entry.contentHash)) {
          summary.skipped.push(`shared text ${textId}: its index entry is malformed`);
          unavailable.add(textId);
          continue;
        }
        connection.attach(textDocName(textId), d.get(textDocName(textId)));
        incoming.push({ textId, entry });
      }
      await connection.settled(deadline);
      for (const item of incoming) {
        // The current revision, as the text doc says (the index entry may lag behind it).
        const current = d.get(textDocName(item.textId)).getMap(TEXT_META).get('currentHash');
        if (typeof current === 'string' && isContentHash(current)) item.entry = { ...item.entry, contentHash: current };
        if (docs.findByHash(db, item.entry.contentHash) || docs.findByHash(db, item.textId)) continue;
        const content = await fetchContent(connection, item.entry.contentHash, deadline);
        item.blocks = content.blocks;
        item.meta = content.meta;
      }
      // Texts updated by another member: the new revision's content, applied below.
      const revised: { documentId: number; hash: string; blocks: ContentBlock[] }[] = [];
      for (const t of team.sharedTexts(db)) {
        if (t.documentId === null || incoming.some((i) => i.textId === t.textId)) continue;
        const current = d.get(textDocName(t.textId)).getMap(TEXT_META).get('currentHash');
        const local = docs.getSummary(db, t.documentId);
        if (!local || typeof current !== 'string' || !isContentHash(current) || current === local.contentHash) continue;
        revised.push({ documentId: t.documentId, hash: current, blocks: (await fetchContent(connection, current, deadline)).blocks });
      }
      await connection.settled(deadline);

      // 4. Everything received into the library, in one transaction; then what that changed here
      // (authors filled in, tags a use brought back) is scanned again and sent.
      const remote = d.takeRemote();
      for (const n of remote.values()) summary.received += n;
      db.transaction(() => {
        const now = stamp();
        for (const item of incoming) {
          const have = docs.findByHash(db, item.entry.contentHash) ?? docs.findByHash(db, item.textId);
          if (have) {
            if (team.sharedTexts(db).some((t) => t.documentId === have.id)) {
              summary.skipped.push(`shared text ${item.textId}: document ${have.id} is already shared under another id`);
            unavailable.add(item.textId);
              continue;
            }
            team.addSharedText(db, item.textId, have.id, now);
            summary.linked++;
            continue;
          }
          const blocks = item.blocks ?? [];
          if (blocks.length === 0) {
            summary.skipped.push(`shared text "${item.entry.title}": its content has not reached the server yet`);
            unavailable.add(item.textId);
            continue;
          }
          const parsed = { title: item.meta?.title ?? item.entry.title, language: (item.meta?.language ?? item.entry.language) as Language, blocks: blocks.map(toBlockInput) };
          if (docs.contentHash(parsed) !== item.entry.contentHash) {
            summary.skipped.push(`shared text "${item.entry.title}": its content does not match its hash`);
            unavailable.add(item.textId);
            continue;
          }
          const id = docs.insertDocument(db, parsed, 'team', now);
          team.addSharedText(db, item.textId, id, now);
          team.setContentSent(db, item.textId, item.entry.contentHash);
          summary.imported++;
        }
        for (const r of revised) {
          const doc = docs.getSummary(db, r.documentId)!;
          const parsed = { title: doc.title, language: doc.language, blocks: r.blocks.map(toBlockInput) };
          const textId = team.sharedTexts(db).find((t) => t.documentId === r.documentId)!.textId;
          // Not applicable now: the text and its annotations wait, unprojected, for a later session.
          const hold = (why: string) => {
            summary.skipped.push(why);
            d.hold(textDocName(textId));
          };
          if (r.blocks.length === 0 || docs.contentHash(parsed) !== r.hash) {
            hold(`the new revision of "${doc.title}" has not reached the server intact yet`);
            continue;
          }
          const other = docs.findByHash(db, r.hash);
          if (other) {
            hold(`the new revision of "${doc.title}" is the text of document ${other.id} "${other.title}" here; not applied`);
            continue;
          }
          // The same engine as "Update from file": annotations re-anchored, the old text kept as a revision.
          updateDocument(db, r.documentId, parsed, now, { reason: 'a new revision from the team' });
          team.setContentSent(db, textId, r.hash);
          d.unhold(textDocName(textId));
          summary.revised++;
        }
        // Pairs whose texts are here (a translation's target made from its pair doc) become local pairs.
        summary.pairs += linkPairs(lib, d, now);
        for (const textId of translations.keys()) if (!team.sharedTexts(db).some((t) => t.textId === textId)) unavailable.add(textId);
        const resolve = projectCodebookBefore(db, d.get(CODEBOOK_DOC));
        const out: Projection = { written: 0, deleted: 0, skipped: [] };
        for (const t of team.sharedTexts(db)) {
          if (t.documentId !== null && !d.isHeld(textDocName(t.textId))) projectText(db, d.get(textDocName(t.textId)), t.documentId, resolve, out);
        }
        projectCodebookAfter(db, d.get(CODEBOOK_DOC), resolve);
        projectPairs(lib, d, out.skipped);
        summary.written += out.written;
        summary.deleted += out.deleted;
        summary.skipped.push(...out.skipped);
        scanAll(lib, d, conn.member);
        d.flush(now);
      })();

      // 5. Content of texts this library shares that the server has not had from it.
      for (const t of team.sharedTexts(db)) {
        if (t.documentId === null) continue;
        const doc = docs.getSummary(db, t.documentId);
        if (!doc || t.contentSent === doc.contentHash) continue;
        const content = new Y.Doc();
        const name = contentDocName(doc.contentHash);
        connection.attach(name, content);
        trace('content', name);
        await connection.settled(deadline);
        trace('content synced', blocksOf(content).length);
        await hold('content synced');
        if (blocksOf(content).length === 0) {
          // Built the same way by every member (protocol: a fresh doc with CONTENT_CLIENT_ID, meta
          // then blocks in one transaction), so two members sharing one text at once send the same bytes.
          const full = docs.getDocument(db, doc.id);
          const fresh = new Y.Doc();
          fresh.clientID = CONTENT_CLIENT_ID;
          fresh.transact(() => {
            const meta = fresh.getMap(CONTENT_META);
            meta.set('title', doc.title);
            meta.set('language', doc.language);
            fresh.getArray<ContentBlock>(CONTENT_BLOCKS).push(full.blocks.map((b) => ({ kind: b.kind, dir: b.dir, depth: b.depth, text: b.text, ...(b.meta ? { meta: b.meta } : {}) })));
          });
          Y.applyUpdate(content, Y.encodeStateAsUpdate(fresh));
          fresh.destroy();
          await connection.settled(deadline);
          summary.uploaded++;
        }
        if (contentText(blocksOf(content)) !== docs.getCanonicalText(db, doc.id)) throw new TeamConnectionError(`the server holds other content under ${name}`, 'team-content-differs', { name });
        connection.detach(name);
        content.destroy();
        team.setContentSent(db, t.textId, doc.contentHash);
      }

      // 6. Acknowledged: the pending updates of every attached document go.
      await connection.settled(deadline);
      const upto = team.maxPendingId(db);
      if (!connection.readOnly) db.transaction(() => {
        for (const name of connection!.names()) summary.sent += team.dropPending(db, name, upto);
      })();
      await connection.quiet(quietMs, deadline);
      let more = 0;
      for (const n of d.takeRemote().values()) more += n;
      summary.received += more;
      const index2 = d.get(INDEX_DOC).getMap<SharedTextEntry>(INDEX_TEXTS);
      const shared = new Set(team.sharedTexts(db).map((t) => t.textId));
      const newTexts = [...index2.keys()].some((id) => !shared.has(id) && !unavailable.has(id));
      if (more === 0 && !newTexts) break;
      if (Date.now() > deadline) throw new TeamConnectionError('the server kept sending changes until the time ran out', 'team-timeout');
    }
    db.transaction(() => team.setLastSync(db, stamp()))();
    return summary;
  } finally {
    connection?.close();
    d.destroy();
  }
}

/** A content doc's blocks and meta, read through a provider attached for the moment. */
async function fetchContent(connection: Connection, hash: string, deadline: number): Promise<{ blocks: ContentBlock[]; meta: ContentMeta }> {
  const content = new Y.Doc();
  const name = contentDocName(hash);
  connection.attach(name, content);
  try {
    await connection.settled(deadline);
    return { blocks: blocksOf(content), meta: content.getMap(CONTENT_META).toJSON() as ContentMeta };
  } finally {
    connection.detach(name);
    content.destroy();
  }
}

function toBlockInput(b: ContentBlock): BlockInput {
  const block: BlockInput = { kind: b.kind, dir: b.dir, depth: b.depth, text: b.text };
  if (b.meta) block.meta = b.meta;
  return block;
}

/**
 * Pairs the team shares whose two texts this library holds become local pairs; a shared
 * translation whose source is here gets its target made from the pair doc.
 */
function linkPairs(lib: Library, d: TeamDocs, now: string): number {
  const db = lib.db;
  const shared = new Map(team.sharedPairs(db).map((p) => [p.pairUuid, p]));
  const texts = new Map(team.sharedTexts(db).map((t) => [t.textId, t.documentId]));
  const index = d.get(INDEX_DOC).getMap<SharedTextEntry>(INDEX_TEXTS);
  let made = 0;
  for (const [uuid, entry] of d.get(INDEX_DOC).getMap<SharedPairEntry>(INDEX_PAIRS)) {
    if (shared.has(uuid) || !entry || !isPairId(uuid)) continue;
    const source = texts.get(entry.source);
    let target = texts.get(entry.target);
    const kind = entry.kind === 'translation' ? 'translation' : 'aligned';
    if (source != null && target === undefined && kind === 'translation') {
      const e = index.get(entry.target);
      const have = docs.findByHash(db, entry.target);
      const id = have ? have.id : e ? insertTranslationTarget(db, d.get(pairDocName(uuid)), entry.target, e.title, e.language, now) : undefined;
      if (id !== undefined) {
        team.addSharedText(db, entry.target, id, now);
        team.setContentSent(db, entry.target, entry.target);
        texts.set(entry.target, id);
        target = id;
      }
    }
    if (source == null || target == null) continue;
    const existing: PairRow | undefined = listPairs(db, source).find((p) => (p.sourceId === source && p.targetId === target) || (p.sourceId === target && p.targetId === source));
    const pairId = existing ? existing.id : insertPair(db, source, target, kind, now);
    team.addSharedPair(db, uuid, pairId, now);
    made++;
  }
  return made;
}
