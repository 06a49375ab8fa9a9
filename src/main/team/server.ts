/**
 * The team server: Hocuspocus 3 with the team's rules.
 *
 * - Who: the team token (read-write; the client names itself with `?name=`) or a member token
 *   (its name and role from `team.sqlite`); anything else is refused in `onAuthenticate`, as is a
 *   document name outside the protocol (`parseDocName`). A read-only member's connection is a
 *   Hocuspocus read-only connection: its writes are not applied, and the server logs them.
 * - What: a `gloss:content:<hash>` document takes one write, the whole text, whose canonical text
 *   hashes to its name; the server applies that write itself inside `beforeHandleMessage`, so two
 *   messages can never both pass the "still empty" check, and refuses anything that adds to it later.
 * - How much: WebSocket messages above `maxMessageBytes` are refused by `ws` (close 1009); a socket
 *   sending more than `messagesPerSecond` on average (a bucket holding ten seconds' worth) is closed.
 * - Durability: see server-store.ts (every update is on disk before it is acknowledged).
 * - Presence: each connection's awareness `user` is overwritten with its member name.
 */
import { Database } from '@hocuspocus/extension-database';
import { Redis } from '@hocuspocus/extension-redis';
import { OutgoingMessage, Server, type Connection, type Document, type Extension, type onAuthenticatePayload } from '@hocuspocus/server';
import IORedis from 'ioredis';
import type { IncomingMessage } from 'node:http';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  DEFAULT_LIMITS,
  MEMBER_HELLO,
  NAME_PARAMETER,
  REFUSAL,
  TEAM_TOKEN_MEMBER,
  parseDocName,
  type MemberHello,
  type Refusal,
  type TeamLimits,
} from '../../common/team-protocol.js';
import { addsToDoc, checkContentUpdate, hasBlocks, readMessage } from './server-checks.js';
import { TeamStore, checkMemberName, sameSecret } from './server-store.js';

export interface TeamServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** The team token: read-write for whoever holds it. Without it, only member tokens connect. */
  token?: string;
  /** `redis://host:port`: share documents with other instances through Redis. */
  redis?: string;
  limits?: Partial<TeamLimits>;
  /** Where log lines go (stderr by default). */
  log?: (line: string) => void;
  /** Hocuspocus's store debounce (ms): how often a busy document is compacted. */
  debounceMs?: number;
}

export interface TeamServer {
  port: number;
  url: string;
  limits: TeamLimits;
  /** Stores and closes every document, then the file (and Redis). */
  close(): Promise<void>;
}

/** What `onAuthenticate` leaves in the connection's context. */
interface MemberContext {
  member: string;
  readOnly: boolean;
}

/** A refusal as Hocuspocus passes it to the client: a plain object, so its log has no stack trace. */
function refuse(reason: Refusal, code = 4403): never {
  throw { code, reason };
}

export async function startTeamServer(options: TeamServerOptions): Promise<TeamServer> {
  const limits: TeamLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => void process.stderr.write(`gloss team-server: ${line}\n`));
  const store = new TeamStore(options.dataDir);
  const buckets = new Map<string, { tokens: number; at: number }>();
  const who = (c: Connection | { context?: unknown }) => (c.context as MemberContext | undefined)?.member ?? 'someone';

  /** Takes one message from the socket's bucket; false when it is empty. */
  function withinRate(socketId: string): boolean {
    const now = Date.now();
    const burst = limits.messagesPerSecond * 10;
    const b = buckets.get(socketId) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * limits.messagesPerSecond);
    b.at = now;
    buckets.set(socketId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  const guard: Extension = {
    extensionName: 'gloss-guard',
    priority: 500,
    async onAuthenticate({ token, documentName, requestParameters, connectionConfig }: onAuthenticatePayload): Promise<MemberContext> {
      if (!parseDocName(documentName)) {
        log(`refused a connection to "${documentName.slice(0, 80)}": not a Gloss team document name`);
        refuse(REFUSAL.badName);
      }
      if (options.token && token && sameSecret(token, options.token)) {
        const asked = requestParameters.get(NAME_PARAMETER);
        let member = TEAM_TOKEN_MEMBER;
        if (asked) {
          try {
            member = checkMemberName(asked);
          } catch {
            log(`refused a connection with the team token: the name "${asked.slice(0, 80)}" is not allowed`);
            refuse(REFUSAL.unauthorized, 4401);
          }
        }
        return { member, readOnly: false };
      }
      const m = token ? store.memberByToken(token) : undefined;
      if (!m) {
        log(`refused a connection to ${documentName}: ${token ? 'unknown token' : 'no token'}`);
        refuse(REFUSAL.unauthorized, 4401);
      }
      connectionConfig.readOnly = m.readOnly;
      return { member: m.name, readOnly: m.readOnly };
    },
    async onLoadDocument({ documentName }) {
      if (!parseDocName(documentName)) refuse(REFUSAL.badName);
    },
    async beforeHandleMessage({ connection, document, documentName, socketId, update: data }) {
      if (!withinRate(socketId)) {
        log(`closed ${who(connection)}'s connection: more than ${limits.messagesPerSecond} messages per second (on ${documentName})`);
        // The whole socket, not only this document: the provider then reconnects at once and
        // sends what it holds in one sync message, so the limit delays changes but loses none.
        connection.webSocket.close(4429, REFUSAL.rateLimited);
        refuse(REFUSAL.rateLimited, 4429);
      }
      let msg;
      try {
        msg = readMessage(data);
      } catch {
        log(`closed ${who(connection)}'s connection: a message on ${documentName} could not be read`);
        refuse(REFUSAL.malformed, 4400);
      }
      if (msg.kind !== 'update' || !msg.update) return;
      if (connection.readOnly) {
        if (addsToDoc(document, msg.update)) log(`refused a write to ${documentName} from ${who(connection)}: a read-only member`);
        return; // Hocuspocus answers it as not applied.
      }
      const name = parseDocName(documentName);
      if (name?.kind === 'content' && addsToDoc(document, msg.update)) {
        if (hasBlocks(document)) {
          log(`refused a change to ${documentName} from ${who(connection)}: a shared text's content never changes (a new revision is a new content document)`);
          refuse(REFUSAL.contentImmutable);
        }
        const check = checkContentUpdate(name.id!, msg.update, limits.maxContentBytes);
        if (!check.ok) {
          log(`refused ${documentName} from ${who(connection)}: ${check.why}`);
          refuse(check.refusal);
        }
      }
      // Applied here, in the order messages came (this hook starts synchronously for each), so a
      // content doc's next message sees its blocks; then held until the update is on disk, and
      // only then does Hocuspocus handle the message: applying it again changes nothing, and the
      // acknowledgement it sends means stored.
      try {
        Y.applyUpdate(document, msg.update, connection);
      } catch {
        log(`closed ${who(connection)}'s connection: an update to ${documentName} could not be read`);
        refuse(REFUSAL.malformed, 4400);
      }
      try {
        await store.committed();
      } catch (e) {
        log(`could not store an update to ${documentName}: ${(e as Error).message}; ${who(connection)}'s connection is closed and will send it again`);
        refuse(REFUSAL.storageFailed, 4500);
      }
    },
  };

  const database = new Database({
    fetch: async ({ documentName }) => store.load(documentName),
    // Synchronous inside: the state Hocuspocus encoded and the rows merged belong to the same moment.
    store: async ({ documentName, state }) => store.compact(documentName, state),
  });

  const extensions: Extension[] = [guard, database];
  let redis: Redis | undefined;
  if (options.redis) {
    const url = options.redis;
    let said = '';
    const createClient = () => {
      const client = new IORedis(url, { maxRetriesPerRequest: 3 });
      client.on('error', (e: Error) => {
        if (e.message !== said) log(`Redis at ${url}: ${(said = e.message)}`);
      });
      client.on('ready', () => (said = ''));
      return client;
    };
    redis = new Redis({ createClient, prefix: 'gloss' });
    extensions.push(redis);
  }

  const server = new Server(
    {
      name: 'gloss',
      port: options.port,
      address: options.host ?? '127.0.0.1',
      quiet: true,
      stopOnSignals: false,
      debounce: options.debounceMs ?? 2000,
      maxDebounce: 10_000,
      extensions,
      async afterLoadDocument({ document, documentName }) {
        // Every change (from a client, from Redis) is appended; a client's is acknowledged once stored.
        document.on('update', (update: Uint8Array) => store.append(documentName, update));
        coalesceBroadcasts(document);
        document.awareness.on('update', (change: { added: number[]; updated: number[] }, origin: unknown) => verifyPresence(document, change, origin));
      },
      async connected({ connection, context }) {
        const c = context as MemberContext;
        const hello: MemberHello = { type: MEMBER_HELLO, name: c.member, readOnly: c.readOnly };
        connection.sendStateless(JSON.stringify(hello));
      },
      async onDisconnect({ socketId }) {
        buckets.delete(socketId);
      },
    },
    { maxPayload: limits.maxMessageBytes },
  );

  /**
   * Hocuspocus sends every update to every connection as it comes: ten members each sending a
   * burst of 1,000 changes made each client apply 10,000 updates, one transaction each. This sends
   * what one turn of the event loop brought as one merged update (Y.mergeUpdates), so a client
   * applies a burst in a few transactions. Done by swapping the Document's own broadcasting
   * listener (registered in its constructor) for one that calls the same callback at once and
   * broadcasts on setImmediate; a Hocuspocus whose Document differs is left as it is.
   */
  function coalesceBroadcasts(document: Document) {
    const observers = (document as unknown as { _observers?: Map<string, Set<(update: Uint8Array, origin: unknown) => void>> })._observers?.get('update');
    const own = observers && [...observers][0];
    if (!own || own.name !== 'bound handleUpdate') return;
    document.off('update', own);
    let pending: Uint8Array[] = [];
    const flush = () => {
      const merged = pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending);
      pending = [];
      if (document.isDestroyed) return;
      const message = new OutgoingMessage(document.name).createSyncMessage().writeUpdate(merged).toUint8Array();
      for (const c of document.getConnections()) c.send(message);
    };
    document.on('update', (update: Uint8Array, origin: unknown) => {
      document.callbacks.onUpdate(document, origin as Connection, update);
      if (pending.length === 0) setImmediate(flush);
      pending.push(update);
    });
  }

  /** Overwrites the awareness `user` a connection sent with its member's name, for every peer. */
  function verifyPresence(document: Document, change: { added: number[]; updated: number[] }, origin: unknown) {
    const entry = origin ? document.connections.get(origin as never) : undefined;
    if (!entry) return;
    const c = entry.connection.context as MemberContext;
    for (const id of [...change.added, ...change.updated]) {
      const state = document.awareness.getStates().get(id);
      const user = state?.user as { name?: unknown; readOnly?: unknown } | undefined;
      if (!state || (user?.name === c.member && user.readOnly === c.readOnly)) continue;
      const clock = document.awareness.meta.get(id)?.clock ?? 0;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, id);
      encoding.writeVarUint(e, clock + 1);
      encoding.writeVarString(e, JSON.stringify({ ...state, user: { ...(user ?? {}), name: c.member, readOnly: c.readOnly } }));
      applyAwarenessUpdate(document.awareness, encoding.toUint8Array(e), null);
    }
  }

  // Hocuspocus logs a socket's errors with their stack; an oversize message is an expected one.
  server.webSocketServer.removeAllListeners('connection');
  server.webSocketServer.on('connection', (ws: Parameters<Server['hocuspocus']['handleConnection']>[0], request: IncomingMessage) => {
    (ws as unknown as NodeJS.EventEmitter).on('error', (e: Error & { code?: string }) => {
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') log(`closed a connection from ${request.socket.remoteAddress}: a message larger than ${limits.maxMessageBytes} bytes`);
      else log(`a connection failed: ${e.message}`);
    });
    server.hocuspocus.handleConnection(ws, request);
  });

  try {
    await server.listen();
  } catch (e) {
    store.close();
    redis?.onDestroy();
    throw e;
  }
  const port = server.address.port;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `ws://${options.host ?? '127.0.0.1'}:${port}`,
    limits,
    close() {
      closing ??= (async () => {
        await server.destroy();
        store.close();
      })();
      return closing;
    },
  };
}
