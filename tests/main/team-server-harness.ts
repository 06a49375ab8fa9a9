/**
 * Helpers for the team-server tests and bench: the real `gloss team-server` process (bin/gloss.cjs),
 * real HocuspocusProvider clients over the `ws` package, a real redis-server, and waiting on
 * conditions (never on fixed sleeps).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as Y from 'yjs';
import { CONTENT_BLOCKS, CONTENT_CLIENT_ID, CONTENT_META, contentText, type ContentBlock } from '../../src/common/team-protocol.js';
import { glossBin, repoRoot } from '../helpers.js';

/** The `ws` package (it ships no types of its own here). */
export const WebSocketPolyfill: unknown = createRequire(import.meta.url)('ws');

export function requireBuild(): void {
  if (!fs.existsSync(path.join(repoRoot, 'dist/main/cli.cjs'))) throw new Error('dist/main/cli.cjs is missing: run `npm run build` (npm test does)');
}

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  /** Everything the server wrote to stderr so far. */
  log(): string;
  /** Resolves when a stderr line matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM (stores and closes) and waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to store anything. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every process these helpers started and that is still running. */
export function killAll(): void {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  running.clear();
}

export async function startServer(dataDir: string, args: string[] = [], timeoutMs = 60_000): Promise<ServerProcess> {
  requireBuild();
  const proc = spawn(process.execPath, [glossBin, 'team-server', '--data', dataDir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const w of [...waiters]) {
      const line = err.split('\n').find((l) => w.pattern.test(l));
      if (line) waiters.splice(waiters.indexOf(w), 1), w.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => (running.delete(proc), resolve(code))));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`team-server did not start in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+) \(data /.exec(out);
      if (m) clearTimeout(timer), resolve(Number(m[1]));
    });
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`team-server exited (${code}) before listening; stderr: ${err}`))));
  });
  return {
    proc,
    port,
    url: `ws://127.0.0.1:${port}`,
    log: () => err,
    waitForLog(pattern, ms = 30_000) {
      const line = err.split('\n').find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${pattern} in ${ms} ms; stderr so far:\n${err}`)), ms);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** `gloss team-server member add NAME [--read-only]`: the printed token. */
export function addMember(dataDir: string, name: string, readOnly = false): string {
  const r = spawnSync(process.execPath, [glossBin, 'team-server', 'member', 'add', name, ...(readOnly ? ['--read-only'] : []), '--data', dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`member add failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

export interface Client {
  provider: HocuspocusProvider;
  doc: Y.Doc;
  socket: HocuspocusProviderWebsocket;
  /** Stateless messages received (the server's member hello among them). */
  stateless: string[];
  authFailure: Promise<string>;
  destroy(): void;
}

const clients = new Set<Client>();

export function connect(url: string, name: string, token: string | null, options: { doc?: Y.Doc; memberName?: string } = {}): Client {
  const socket = new HocuspocusProviderWebsocket({
    url: options.memberName ? `${url}?name=${encodeURIComponent(options.memberName)}` : url,
    WebSocketPolyfill,
    // Reconnect quickly after a test restarts the server.
    delay: 100,
    minDelay: 100,
    maxDelay: 500,
    factor: 1.5,
  });
  const doc = options.doc ?? new Y.Doc();
  const stateless: string[] = [];
  let failed: (reason: string) => void = () => {};
  const authFailure = new Promise<string>((resolve) => (failed = resolve));
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token, onStateless: ({ payload }) => void stateless.push(payload), onAuthenticationFailed: ({ reason }) => failed(reason) });
  // A provider given its socket does not attach itself.
  provider.attach();
  const client: Client = {
    provider,
    doc,
    socket,
    stateless,
    authFailure,
    destroy() {
      provider.destroy();
      socket.destroy();
      clients.delete(client);
    },
  };
  clients.add(client);
  return client;
}

export function destroyAllClients(): void {
  for (const c of [...clients]) c.destroy();
}

/** Polls `check` until it is true; fails after `timeoutMs` with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 30_000, intervalMs = 10): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const synced = (c: Client, ms?: number) => until(() => c.provider.isSynced, `${c.provider.configuration.name} to sync`, ms);
/** Every change this client made was acknowledged by the server (applied and appended to its file). */
export const acked = (c: Client, ms?: number) => until(() => c.provider.isSynced && c.provider.unsyncedChanges === 0, `${c.provider.configuration.name}'s changes to be acknowledged`, ms);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));

/** A redis-server of the test's own, on a free port with its own folder and no persistence. */
export async function startRedis(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 30_000);
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (/Ready to accept connections/i.test(out)) clearTimeout(timer), resolve();
    });
    proc.on('exit', (code) => (clearTimeout(timer), reject(new Error(`redis-server exited (${code}): ${out}`))));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGTERM');
      await gone;
      running.delete(proc);
    },
  };
}

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** A content doc's one update, built the protocol's way (CONTENT_CLIENT_ID, one transaction). */
export function contentUpdate(blocks: ContentBlock[], meta: { title: string; language: 'he' | 'en' | 'mixed' }): { hash: string; update: Uint8Array } {
  const doc = new Y.Doc();
  doc.clientID = CONTENT_CLIENT_ID;
  doc.transact(() => {
    const m = doc.getMap(CONTENT_META);
    m.set('title', meta.title);
    m.set('language', meta.language);
    doc.getArray<ContentBlock>(CONTENT_BLOCKS).push(blocks);
  });
  return { hash: sha256(contentText(blocks)), update: Y.encodeStateAsUpdate(doc) };
}
