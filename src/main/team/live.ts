/**
 * The live team session of the process that serves the app (`gloss serve`, Electron's main): while
 * the library is in a team it stays connected to the server, sends each local change shortly after
 * it is written and writes each remote change into SQLite as it arrives, so that an open document
 * shows a teammate's highlight within a second. Offline first: when the server is away, local
 * changes keep going to pending updates and the session tries again with a growing pause.
 *
 * Everything heavy (texts new to this library, content uploads, the first exchange after being
 * away) is the one-shot `sync()` of sync.ts, run with this session's documents put away, so that
 * two copies of one Y.Doc never scan the same rows. See docs/ARCHITECTURE.md, "Team sync: live".
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import type { TeamChanges, TeamProblem, TeamStatusView } from '../../common/api.js';
import { AWARENESS_USER_FIELD, CODEBOOK_DOC, INDEX_DOC, INDEX_PAIRS, INDEX_TEXTS, NAME_PARAMETER, pairDocName, textDocName, type SharedPairEntry, type SharedTextEntry } from '../../common/team-protocol.js';
import type { Library } from '../library.js';
import * as team from '../store/team.js';
import { listAnnotations } from '../store/annotations.js';
import { TeamDocs } from './sync-docs.js';
import { projectCodebookAfter, projectCodebookBefore, projectText, type Projection } from './sync-map.js';
import { projectPairs, scanAll, share, status, sync, TeamConnectionError } from './sync.js';

const stamp = () => new Date().toISOString();
/** GLOSS_TEAM_DEBUG=1 traces the live session on stderr. */
const trace = process.env.GLOSS_TEAM_DEBUG ? (...what: unknown[]) => console.error('[team live]', ...what) : () => {};
/** Removed ids kept per document for `changes` (a renderer more than this far behind reloads the list anyway). */
const REMOVED_LOG = 1_000;

export interface LiveOptions {
  /** Keep a connection (the app's process); false runs one-shot syncs only (the command line). */
  live?: boolean;
  /** First pause before trying the server again; doubles up to `maxRetryMs`. Defaults 1 s, 30 s. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** The team verbs of the handler table. */
export interface TeamService {
  status(): TeamStatusView;
  share(documentId: number): Promise<TeamStatusView>;
  syncNow(): Promise<TeamStatusView>;
  changes(documentId: number, since?: number, wait?: number): TeamChanges | Promise<TeamChanges>;
  /** Something was written to the library: scan and send it soon. */
  touched(): void;
  close(): Promise<void>;
}

function problemOf(e: unknown): { reason: TeamProblem; detail: string } {
  const detail = e instanceof Error ? e.message : String(e);
  if (!(e instanceof TeamConnectionError)) return { reason: 'failed', detail };
  // By the error's code, never its English words.
  const reasons: Partial<Record<string, TeamProblem>> = { 'team-unreachable': 'unreachable', 'team-refused': 'refused', 'team-closed': 'closed' };
  return { reason: reasons[e.code] ?? 'failed', detail };
}

interface Live {
  socket: HocuspocusProviderWebsocket;
  providers: Map<string, HocuspocusProvider>;
  docs: TeamDocs;
}

export class LiveTeam implements TeamService {
  private state: TeamStatusView['state'] = 'off';
  private problem: TeamStatusView['problem'];
  /** Documents kept while offline (local writes still become pending updates). */
  private docs: TeamDocs | undefined;
  private live: Live | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private retryMs: number;
  private projectTimer: NodeJS.Timeout | undefined;
  private readonly remoteDocs = new Set<string>();
  private closed = false;
  private busy = false;
  /** A change counter: bumped by every remote change that reached a document's rows. */
  private version = 0;
  private readonly changedAt = new Map<number, number>();
  private readonly removed = new Map<number, { version: number; id: string }[]>();
  /** Long polls of `changes`, answered at the next change. */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly lib: Library,
    private readonly options: LiveOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Connects when the library is in a team (call once, after opening it). */
  start(): this {
    if (this.options.live !== false && team.getConnection(this.lib.db)) void this.cycle();
    return this;
  }

  status(): TeamStatusView {
    // Joined from the command line while the app runs: connect now.
    if (this.state === 'off' && this.options.live !== false && !this.closed && team.getConnection(this.lib.db)) void this.cycle();
    const s = status(this.lib);
    const view: TeamStatusView = { joined: s.joined, state: s.joined ? this.state : 'off', present: this.present(), texts: s.texts, pairs: s.pairs, pending: s.pending };
    if (s.joined) {
      view.url = s.url;
      view.member = s.member;
      view.lastSync = s.lastSync ?? null;
      if (view.state === 'off') view.state = this.options.live === false ? 'offline' : 'connecting';
    }
    if (this.problem && view.state !== 'connected') view.problem = this.problem;
    return view;
  }

  async share(documentId: number): Promise<TeamStatusView> {
    await this.cycle(() => share(this.lib, { documentId }));
    return this.status();
  }

  async syncNow(): Promise<TeamStatusView> {
    await this.cycle();
    return this.status();
  }

  /** With `wait`, a long poll: answered at the document's next change, or after `wait` ms. */
  changes(documentId: number, since?: number): TeamChanges;
  changes(documentId: number, since: number | undefined, wait: number): TeamChanges | Promise<TeamChanges>;
  changes(documentId: number, since?: number, wait = 0): TeamChanges | Promise<TeamChanges> {
    const now = this.read(documentId, since);
    if (now.annotations || since === undefined || wait <= 0 || this.closed) return now;
    return new Promise<TeamChanges>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.read(documentId, since));
      };
      const timer = setTimeout(done, wait);
      timer.unref?.();
      this.waiters.add(done);
    });
  }

  private read(documentId: number, since?: number): TeamChanges {
    const version = this.version;
    if (since === undefined || (this.changedAt.get(documentId) ?? 0) <= since) return { version };
    const out: TeamChanges = { version, annotations: listAnnotations(this.lib.db, documentId) };
    const removed = (this.removed.get(documentId) ?? []).filter((r) => r.version > since).map((r) => r.id);
    if (removed.length) out.removed = removed;
    return out;
  }

  touched(): void {
    // The command line scans in its own `gloss team sync`.
    if (this.options.live === false || this.closed || !this.lib.db.open || !team.getConnection(this.lib.db)) return;
    // At once, not after a pause: a remote change must never meet rows newer than the Yjs state
    // (the scan before it would read a teammate's new annotation as one deleted here). While a
    // cycle runs, its sync() scans the rows itself, and the cycle scans again at its end.
    if (!this.busy) this.scan();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.projectTimer);
    for (const w of [...this.waiters]) w();
    // Electron closes the library right after: save what is here now, synchronously.
    if (!this.busy) this.putAway();
    await this.queue.catch(() => {});
    this.putAway();
  }

  // -- the connection ---------------------------------------------------------------------------

  /**
   * One cycle, never two at once: the live documents saved and put away, `before` run (a share),
   * a one-shot sync (everything new both ways, texts and content included), then the live
   * connection opened on the documents as sync() left them. Offline: the documents come back for
   * local writes and a retry is scheduled.
   */
  private cycle<T>(before?: () => T): Promise<T | undefined> {
    const run = async (): Promise<T | undefined> => {
      if (this.closed) return undefined;
      clearTimeout(this.retry);
      this.busy = true;
      try {
        this.putAway();
        // A share that fails (no such document) is reported after the session is back.
        let value: T | undefined;
        let failed: { error: unknown } | undefined;
        try {
          value = before?.();
        } catch (error) {
          failed = { error };
        }
        const answer = (): T | undefined => {
          if (failed) throw failed.error;
          return value;
        };
        if (!team.getConnection(this.lib.db)) {
          this.state = 'off';
          return answer();
        }
        if (this.options.live !== false) this.state = 'connecting';
        const watched = this.watch();
        let brought = false;
        try {
          const summary = await sync(this.lib, { timeoutMs: 30_000, quietMs: 150 });
          brought = summary.written + summary.deleted + summary.imported > 0;
          this.problem = undefined;
        } catch (e) {
          this.problem = problemOf(e);
          if (!(e instanceof TeamConnectionError)) console.error('Gloss: team sync failed:', e);
          if (this.options.live !== false) this.offline();
          return answer();
        } finally {
          this.noteChanges(watched, brought);
        }
        if (this.options.live !== false && !this.closed) this.open();
        return answer();
      } finally {
        this.busy = false;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  private offline(): void {
    this.state = 'offline';
    this.docs ??= new TeamDocs(this.lib.db);
    this.later();
  }

  /** Saves what the live documents hold (local rows scanned first) and closes the connection. */
  private putAway(): void {
    if ((this.docs || this.live) && this.lib.db.open) {
      try {
        this.scan();
      } catch (e) {
        console.error('Gloss: team scan failed:', e);
      }
    }
    if (this.live) {
      for (const p of this.live.providers.values()) p.destroy();
      // Closing a socket still connecting makes `ws` emit an error nobody else listens for.
      (this.live.socket as unknown as { webSocket?: { on?: (e: string, f: () => void) => void } }).webSocket?.on?.('error', () => {});
      this.live.socket.disconnect();
      this.live.socket.destroy();
    }
    this.docs?.destroy();
    this.docs = undefined;
    this.live = undefined;
  }

  private open(): void {
    const conn = team.getConnection(this.lib.db)!;
    const docs = new TeamDocs(this.lib.db);
    const u = new URL(conn.url);
    u.searchParams.set(NAME_PARAMETER, conn.member);
    const socket = new HocuspocusProviderWebsocket({ url: u.toString(), WebSocketPolyfill: WebSocket, autoConnect: false, maxAttempts: 1 });
    const live: Live = { socket, providers: new Map(), docs };
    this.live = live;
    this.docs = docs;
    const dropped = (why: string) => {
      if (this.live !== live || this.closed) return;
      this.problem = { reason: 'closed', detail: why };
      this.putAway();
      this.offline();
    };
    socket.on('close', ({ event }: { event?: { code?: number; reason?: string } }) => dropped(`the server closed the connection${event?.reason ? ` (${String(event.reason)})` : event?.code ? ` (code ${event.code})` : ''}`));
    const names = [INDEX_DOC, CODEBOOK_DOC, ...team.sharedTexts(this.lib.db).map((t) => textDocName(t.textId)), ...team.sharedPairs(this.lib.db).map((p) => pairDocName(p.pairUuid))];
    for (const name of names) this.attach(live, name, conn.token, conn.member);
    socket.connect().then(
      () => {
        if (this.live === live) this.state = 'connected';
      },
      (e: unknown) => dropped(`cannot reach the team server at ${conn.url} (${e instanceof Error ? e.message : 'no connection'})`),
    );
    // Rows written while the cycle ran go out now.
    this.scan();
    // A text the team shares that sync() could not bring yet (its content was still on its way
    // from the member who shared it): try again shortly, then less and less often.
    if (this.missingTexts(docs)) this.later();
    else this.retryMs = this.options.retryMs ?? 1_000;
  }

  private missingTexts(docs: TeamDocs): boolean {
    const known = new Set(team.sharedTexts(this.lib.db).map((t) => t.textId));
    const pairs = new Set(team.sharedPairs(this.lib.db).map((p) => p.pairUuid));
    // A pair this library holds both texts of but has not linked yet: sync() links it.
    const unlinked = [...docs.get(INDEX_DOC).getMap<SharedPairEntry>(INDEX_PAIRS).entries()].some(([uuid, e]) => !pairs.has(uuid) && e && known.has(e.source) && known.has(e.target));
    return unlinked || [...docs.get(INDEX_DOC).getMap<SharedTextEntry>(INDEX_TEXTS).keys()].some((id) => !known.has(id));
  }

  /** Another cycle after the current pause, which doubles each time (up to `maxRetryMs`). */
  private later(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 30_000);
    this.retry = setTimeout(() => void this.cycle(), wait);
    this.retry.unref?.();
  }

  private attach(live: Live, name: string, token: string, member: string): void {
    const doc: Y.Doc = live.docs.get(name);
    const provider = new HocuspocusProvider({ name, document: doc, token, websocketProvider: live.socket });
    if (name === INDEX_DOC) provider.setAwarenessField(AWARENESS_USER_FIELD, { name: member });
    else provider.awareness?.setLocalState(null);
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
      if (this.live !== live) return;
      this.problem = { reason: 'refused', detail: `the server refused ${name}: ${reason || 'not allowed'}` };
    });
    provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      // Everything this document sent is acknowledged: its pending updates can go.
      if (number === 0 && provider.isSynced && this.live === live) this.lib.db.transaction(() => team.dropPending(this.lib.db, name, team.maxPendingId(this.lib.db)))();
    });
    doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== provider || this.live !== live) return;
      trace(member, 'remote update', name, provider.isSynced);
      this.remoteDocs.add(name);
      this.projectTimer ??= setTimeout(() => {
        this.projectTimer = undefined;
        this.project();
      }, 10);
    });
    provider.attach();
    live.providers.set(name, provider);
  }

  private present(): string[] {
    const index = this.live?.providers.get(INDEX_DOC);
    if (!index?.awareness || this.state !== 'connected') return [];
    const names = new Set<string>();
    for (const s of index.awareness.getStates().values()) {
      const user = (s as Record<string, unknown>)[AWARENESS_USER_FIELD] as { name?: unknown } | undefined;
      if (typeof user?.name === 'string' && user.name) names.add(user.name);
    }
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  // -- rows and Yjs state -----------------------------------------------------------------------

  /** Local rows into the documents (pending updates, sent at once when connected). */
  private scan(): void {
    const d = this.docs;
    const conn = team.getConnection(this.lib.db);
    if (!d || !conn) return;
    const db = this.lib.db;
    const added = db.transaction(() => {
      this.scanInto(d, conn.member);
      return d.flush(stamp());
    })();
    trace(conn.member, 'scanned', added, 'pending rows added', this.live ? 'live' : 'offline');
  }

  private scanInto(d: TeamDocs, member: string): void {
    scanAll(this.lib, d, member);
  }

  /**
   * Remote updates into the rows, in one transaction. Every local write was scanned when it was
   * made, so the rows hold nothing the Yjs state lacks; the scan after the projection sends what
   * it filled in (authors).
   */
  private project(): void {
    const live = this.live;
    const conn = team.getConnection(this.lib.db);
    if (!live || !conn) return;
    if (this.busy) {
      trace('project deferred: a cycle runs');
      return;
    }
    const names = new Set(this.remoteDocs);
    this.remoteDocs.clear();
    live.docs.takeRemote();
    const db = this.lib.db;
    let newTexts = false;
    const watched = this.watch();
    const changed = new Set<number>();
    try {
      db.transaction(() => {
        const codebook = live.docs.get(CODEBOOK_DOC);
        const resolve = projectCodebookBefore(db, codebook);
        for (const t of team.sharedTexts(db)) {
          if (t.documentId === null || (!names.has(textDocName(t.textId)) && !names.has(CODEBOOK_DOC))) continue;
          const out: Projection = { written: 0, deleted: 0, skipped: [] };
          projectText(db, live.docs.get(textDocName(t.textId)), t.documentId, resolve, out);
          if (out.written || out.deleted) changed.add(t.documentId);
          trace(conn.member, 'projected', t.documentId, out);
          for (const s of out.skipped) console.error(`Gloss: team: ${s}`);
        }
        projectCodebookAfter(db, codebook, resolve);
        const skipped: string[] = [];
        for (const id of projectPairs(this.lib, live.docs, skipped)) changed.add(id);
        for (const s of skipped) console.error(`Gloss: team: ${s}`);
        this.scanInto(live.docs, conn.member);
        live.docs.flush(stamp());
      })();
    } finally {
      this.noteChanges(watched, false, changed);
    }
    if (names.has(INDEX_DOC)) newTexts = this.missingTexts(live.docs);
    // A text this library does not hold yet: the one-shot sync brings it (and its content).
    if (newTexts) void this.cycle();
  }

  /** The live annotation ids of every shared document, to tell afterwards what went. */
  private watch(): Map<number, Set<string>> {
    const out = new Map<number, Set<string>>();
    for (const t of team.sharedTexts(this.lib.db)) if (t.documentId !== null) out.set(t.documentId, team.annotationIds(this.lib.db, t.documentId).live);
    return out;
  }

  private noteChanges(before: Map<number, Set<string>>, all: boolean, changed = new Set<number>()): void {
    if (!this.lib.db.open) return;
    const touched = new Set(changed);
    const gone = new Map<number, string[]>();
    for (const [documentId, ids] of before) {
      const now = team.annotationIds(this.lib.db, documentId).live;
      const removed = [...ids].filter((id) => !now.has(id));
      if (removed.length) gone.set(documentId, removed);
      if (removed.length || [...now].some((id) => !ids.has(id))) touched.add(documentId);
      else if (all) touched.add(documentId);
    }
    if (touched.size === 0) return;
    this.version++;
    for (const documentId of touched) {
      this.changedAt.set(documentId, this.version);
      const list = this.removed.get(documentId) ?? [];
      for (const id of gone.get(documentId) ?? []) list.push({ version: this.version, id });
      if (list.length > REMOVED_LOG) list.splice(0, list.length - REMOVED_LOG);
      this.removed.set(documentId, list);
    }
    for (const w of [...this.waiters]) w();
  }
}
