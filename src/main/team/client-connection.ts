/**
 * One WebSocket to the team server carrying one Hocuspocus provider per document (the 3.x
 * multiplexing), with the waits a one-shot sync needs: connected, every document synced and every
 * update acknowledged, nothing arriving for a while. Any refusal or drop fails the waits with a
 * TeamConnectionError; the caller keeps its pending updates.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { GlossError, type ErrorParams } from '../../common/errors.js';
import { MEMBER_HELLO, NAME_PARAMETER, type MemberHello } from '../../common/team-protocol.js';

/** The server could not be reached, refused, closed or ran out of time: a code the interface phrases. */
export class TeamConnectionError extends GlossError {
  override name = 'TeamConnectionError';
  constructor(message: string, code: 'team-unreachable' | 'team-refused' | 'team-closed' | 'team-timeout' | 'team-content-differs', params: ErrorParams = {}) {
    super(message, code, params);
  }
}

const POLL_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Connection {
  private readonly socket: HocuspocusProviderWebsocket;
  private readonly providers = new Map<string, { provider: HocuspocusProvider; stop: () => void }>();
  private failure: TeamConnectionError | undefined;
  private connected = false;
  private lastUpdate = Date.now();
  /** The member name the server verified (its `gloss:member` hello), once it has said it. */
  member: string | undefined;
  readOnly = false;

  /** `url` is the server's address as the user gave it (for messages); `socketUrl` adds the member's name. */
  constructor(
    readonly url: string,
    socketUrl: string,
    private readonly token: string,
  ) {
    this.socket = new HocuspocusProviderWebsocket({
      url: socketUrl,
      WebSocketPolyfill: WebSocket,
      autoConnect: false,
      maxAttempts: 1,
      // A one-shot session sends no awareness pings: no forced reconnect while it waits.
      messageReconnectTimeout: 10 * 60_000,
    });
    this.socket.on('close', ({ event }: { event: { code?: number; reason?: string } }) => {
      if (this.connected && !this.failure) this.failure = new TeamConnectionError(`the server closed the connection${event?.reason ? ` (${String(event.reason)})` : event?.code ? ` (code ${event.code})` : ''}`, 'team-closed');
    });
  }

  /** Connects; throws when the server cannot be reached before `deadline`. */
  async connect(deadline: number): Promise<void> {
    const unreachable = (message: string) => new TeamConnectionError(message, 'team-unreachable', { url: this.url });
    const attempt = this.socket.connect().then(
      () => 'ok' as const,
      (e: unknown) => unreachable(`cannot reach the team server at ${this.url}${describe(e)}`),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<TeamConnectionError>((resolve) => {
      timer = setTimeout(() => resolve(unreachable(`no answer from the team server at ${this.url} in time`)), Math.max(0, deadline - Date.now()));
    });
    // The timer must not outlive the answer: it would keep a finished `gloss team sync` alive.
    const result = await Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
    if (result !== 'ok') {
      this.failure = result;
      throw result;
    }
    if (this.failure) throw this.failure;
    this.connected = true;
  }

  attach(name: string, document: Y.Doc): void {
    if (this.providers.has(name)) return;
    const provider = new HocuspocusProvider({ name, document, token: this.token, websocketProvider: this.socket, awareness: null });
    provider.on('stateless', ({ payload }: { payload: string }) => {
      try {
        const hello = JSON.parse(payload) as Partial<MemberHello>;
        if (hello.type === MEMBER_HELLO && typeof hello.name === 'string' && hello.name) {
          this.member = hello.name;
          this.readOnly = hello.readOnly === true;
        }
      } catch {
        // Not a hello: stateless messages this client does not know are ignored.
      }
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
      this.failure ??= new TeamConnectionError(`the server refused ${name}: ${reason || 'not allowed'}`, 'team-refused', { reason: reason || 'not allowed' });
    });
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      if (origin === provider) this.lastUpdate = Date.now();
    };
    document.on('update', onUpdate);
    provider.attach();
    this.providers.set(name, { provider, stop: () => document.off('update', onUpdate) });
  }

  detach(name: string): void {
    const p = this.providers.get(name);
    if (!p) return;
    p.stop();
    p.provider.destroy();
    this.providers.delete(name);
  }

  names(): string[] {
    return [...this.providers.keys()];
  }

  private check(deadline: number, what: string): void {
    if (this.failure) throw this.failure;
    if (Date.now() > deadline) {
      const waiting = [...this.providers].filter(([, { provider }]) => !(provider.isSynced && provider.unsyncedChanges === 0)).map(([name]) => name);
      throw new TeamConnectionError(`the time ran out while ${what}${waiting.length ? ` (${waiting.join(', ')})` : ''}`, 'team-timeout');
    }
  }

  /** Waits until every attached document is synced and every update it sent is acknowledged. */
  async settled(deadline: number): Promise<void> {
    for (;;) {
      this.check(deadline, 'waiting for the server to acknowledge');
      // A read-only member's updates are answered "not applied": there is no acknowledgement to wait for.
      if ([...this.providers.values()].every(({ provider }) => provider.isSynced && (this.readOnly || provider.unsyncedChanges === 0))) return;
      await sleep(POLL_MS);
    }
  }

  /** Waits until no update has arrived for `ms`, then until everything is acknowledged again. */
  async quiet(ms: number, deadline: number): Promise<void> {
    for (;;) {
      this.check(deadline, 'waiting for the server to fall quiet');
      if (Date.now() - this.lastUpdate >= ms) break;
      await sleep(POLL_MS);
    }
    await this.settled(deadline);
  }

  close(): void {
    for (const name of [...this.providers.keys()]) this.detach(name);
    this.socket.disconnect();
    this.socket.destroy();
  }
}

function describe(e: unknown): string {
  if (!e) return '';
  const err = e as { message?: string; error?: { code?: string; message?: string } };
  const inner = err.error?.code ?? err.error?.message ?? err.message;
  return inner ? ` (${inner})` : '';
}

/** A connection to `url` as `member` (the server takes the name from the URL for the team token). */
export function openConnection(url: string, token: string, member: string): Connection {
  const u = new URL(url);
  u.searchParams.set(NAME_PARAMETER, member);
  return new Connection(url, u.toString(), token);
}
