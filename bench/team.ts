/**
 * Team sync through the real `gloss team-server` process and real HocuspocusProvider clients on
 * 127.0.0.1, beside bare Yjs in one process (the same changes encoded and applied between Y.Docs,
 * no network, no server): what the server and the wire add.
 *
 * - change-to-visible latency: one client sets an annotation, the time until another client's
 *   document holds it (p50 and p95 over 200 changes; quick: 50). Target p95 < 200 ms.
 * - convergence: 10 clients on one text, each in a process of its own, make 1,000 changes each
 *   (quick: 100), every one its own transaction (its own message), all at once; the time until
 *   every client holds all of them (and their state vectors agree).
 *   Target < 10 s. Beside it the server process's CPU time for the run (a loaded machine stretches
 *   wall time; CPU time says what the server itself costs).
 * - server memory per shared text: the server's resident memory grown by opening texts, each a
 *   content doc (a 20 KB text) and its annotations doc (50 annotations), all kept open: what the
 *   second 100 (quick: 20) added after the first 100, per text; the baseline is their encoded Yjs size.
 *
 * `npx tsx bench/team.ts [--quick]` runs it alone and prints a table (build first: it runs bin/gloss.cjs).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { contentDocName, textDocName, type ContentBlock } from '../src/common/team-protocol.js';
import { tempDir } from '../tests/helpers.js';
import { WebSocketPolyfill, acked, connect, contentUpdate, destroyAllClients, killAll, sha256, startServer, synced, until } from '../tests/main/team-server-harness.js';
import { mixedDocument } from './corpus.js';
import { figure, percentile, printTable, type Figure } from './figures.js';

const TOKEN = 'bench-team-token';
const group = 'team sync';
const annotations = (d: Y.Doc) => d.getMap<unknown>('annotations');

/** CPU time (user + system) a process has used, ms (Linux: /proc). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]);
}

/** Resolves when `doc`'s annotations hold `key`. */
function seen(doc: Y.Doc, key: string): Promise<void> {
  const map = annotations(doc);
  if (map.has(key)) return Promise.resolve();
  return new Promise((resolve) => {
    const look = () => {
      if (map.has(key)) map.unobserve(look), resolve();
    };
    map.observe(look);
  });
}

async function latency(url: string, n: number): Promise<{ ms: number[]; bare: number[] }> {
  const name = textDocName(sha256('latency'));
  const a = connect(url, name, TOKEN, { memberName: 'A' });
  const b = connect(url, name, TOKEN, { memberName: 'B' });
  await Promise.all([synced(a), synced(b)]);
  const ms: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const key = `l${i}`;
    const t0 = performance.now();
    const visible = seen(b.doc, key);
    annotations(a.doc).set(key, new Y.Map<unknown>([['start', i], ['end', i + 5], ['note', new Y.Text(`note ${i}`)]]));
    await visible;
    if (i >= 10) ms.push(performance.now() - t0); // the first ten warm the path up
  }
  await acked(a);
  a.destroy();
  b.destroy();

  // Bare Yjs: the same change, its update encoded by one doc and applied to the other.
  const da = new Y.Doc();
  const db = new Y.Doc();
  let last: Uint8Array = new Uint8Array();
  da.on('update', (u: Uint8Array) => (last = u));
  const bare: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const t0 = performance.now();
    annotations(da).set(`l${i}`, new Y.Map<unknown>([['start', i], ['end', i + 5], ['note', new Y.Text(`note ${i}`)]]));
    Y.applyUpdate(db, last);
    if (!annotations(db).has(`l${i}`)) throw new Error('bare Yjs baseline: the change did not arrive');
    if (i >= 10) bare.push(performance.now() - t0);
  }
  return { ms, bare };
}

/** One client's share of the convergence run: map sets, and every tenth change typing into the shared note. */
function makeChanges(doc: Y.Doc, who: number, count: number): void {
  const map = annotations(doc);
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) (map.get('note') as Y.Text).insert(0, `${who}.${i};`);
    else map.set(`c${who}-${i}`, i);
  }
}

interface ConvergenceJob {
  url: string;
  name: string;
  who: number;
  perClient: number;
  keys: number;
  noteLength: number;
}

const noteLength = (d: Y.Doc) => (annotations(d).get('note') as Y.Text).length;

/**
 * One client of the convergence run, in a process of its own (as each member is on a machine of
 * their own): connects, says ready, makes its changes on `go`, and reports the time (Date.now())
 * at which it held every client's changes and the server had acknowledged its own.
 */
async function convergenceClient(job: ConvergenceJob): Promise<void> {
  const c = connect(job.url, job.name, TOKEN, { memberName: `c${job.who}` });
  await synced(c, 120_000);
  await until(() => annotations(c.doc).has('note'), 'the note', 120_000);
  process.send!({ ready: true });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const cpu0 = process.cpuUsage();
  makeChanges(c.doc, job.who, job.perClient);
  // Checked every 25 ms: a check walks the whole map, and ten clients share two cores.
  await until(() => annotations(c.doc).size === job.keys && noteLength(c.doc) === job.noteLength, 'every change', 300_000, 25);
  const heldAt = Date.now();
  await acked(c, 300_000);
  const cpu = process.cpuUsage(cpu0);
  process.send!({ heldAt, cpuMs: (cpu.user + cpu.system) / 1000, stateVector: Buffer.from(Y.encodeStateVector(c.doc)).toString('base64') });
  c.destroy();
}

async function convergence(url: string, serverPid: number, clientCount: number, perClient: number): Promise<{ ms: number; serverCpuMs: number; clientCpuMs: number; bareMs: number; keys: number }> {
  const name = textDocName(sha256('convergence'));
  const seed = connect(url, name, TOKEN);
  await synced(seed);
  annotations(seed.doc).set('note', new Y.Text(''));
  await acked(seed);
  seed.destroy();
  const keys = 1 + clientCount * (perClient - Math.floor(perClient / 10));
  let wantNote = 0;
  for (let k = 0; k < clientCount; k++) for (let i = 9; i < perClient; i += 10) wantNote += `${k}.${i};`.length;

  const children: ChildProcess[] = [];
  const results: Promise<{ heldAt: number; cpuMs: number; stateVector: string }>[] = [];
  const ready: Promise<void>[] = [];
  for (let k = 0; k < clientCount; k++) {
    const job: ConvergenceJob = { url, name, who: k, perClient, keys, noteLength: wantNote };
    const child = fork(fileURLToPath(import.meta.url), ['--convergence-client', JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const messages: unknown[] = [];
    const next = () =>
      new Promise<unknown>((resolve, reject) => {
        if (messages.length) return resolve(messages.shift());
        child.once('message', () => resolve(messages.shift()));
        child.once('exit', (code) => reject(new Error(`convergence client ${k} exited (${code})`)));
      });
    child.on('message', (m) => messages.push(m));
    ready.push(next().then(() => undefined));
    results.push(ready[k]!.then(() => next() as Promise<{ heldAt: number; cpuMs: number; stateVector: string }>));
  }
  try {
    await Promise.all(ready);
    const cpu0 = cpuMs(serverPid);
    const t0 = Date.now();
    for (const child of children) child.send('go');
    const done = await Promise.all(results);
    const ms = Math.max(...done.map((d) => d.heldAt)) - t0;
    const serverCpuMs = cpuMs(serverPid) - cpu0;
    if (new Set(done.map((d) => d.stateVector)).size !== 1) throw new Error('convergence: the clients\' state vectors differ');

    // Bare Yjs: the same changes, each doc's updates applied to every other doc, in one process.
    const docs = Array.from({ length: clientCount }, () => new Y.Doc());
    const first = new Y.Doc();
    annotations(first).set('note', new Y.Text(''));
    const init = Y.encodeStateAsUpdate(first);
    for (const d of docs) Y.applyUpdate(d, init);
    const updates: Uint8Array[][] = docs.map(() => []);
    docs.forEach((d, k) => d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && updates[k]!.push(u)));
    const b0 = performance.now();
    docs.forEach((d, k) => makeChanges(d, k, perClient));
    docs.forEach((d, k) => {
      for (const [j, list] of updates.entries()) if (j !== k) for (const u of list) Y.applyUpdate(d, u, 'remote');
    });
    const bareMs = performance.now() - b0;
    if (!docs.every((d) => annotations(d).size === keys && noteLength(d) === wantNote)) throw new Error('bare Yjs baseline did not converge');
    return { ms, serverCpuMs, clientCpuMs: done.reduce((a, d) => a + d.cpuMs, 0) / done.length, bareMs, keys };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export async function memory(texts: number): Promise<{ perTextKb: number; encodedKb: number }> {
  const dir = tempDir('gloss-bench-team-mem-');
  const server = await startServer(dir, ['--token', TOKEN, '--rate', '100000']);
  const socket = new HocuspocusProviderWebsocket({ url: server.url, WebSocketPolyfill });
  const providers: HocuspocusProvider[] = [];
  let encoded = 0;
  const open = async (i: number) => {
    const words = mixedDocument(20_000, 100 + i).split('\n').filter(Boolean);
    const blocks: ContentBlock[] = words.map((text) => ({ kind: 'paragraph', dir: /[\u0590-\u05ff]/.test(text) ? 'rtl' : 'ltr', depth: 0, text }));
    const { hash, update } = contentUpdate(blocks, { title: `text ${i}`, language: 'mixed' });
    const content = new HocuspocusProvider({ websocketProvider: socket, name: contentDocName(hash), token: TOKEN });
    const notes = new HocuspocusProvider({ websocketProvider: socket, name: textDocName(hash), token: TOKEN });
    content.attach();
    notes.attach();
    providers.push(content, notes);
    Y.applyUpdate(content.document, update);
    const ann = annotations(notes.document);
    for (let k = 0; k < 50; k++) ann.set(`a${k}`, new Y.Map<unknown>([['start', k * 10], ['end', k * 10 + 5], ['note', new Y.Text(`a note on passage ${k}`)], ['tags', new Y.Map<boolean>([['claim/factual', true]])]]));
    await until(() => content.isSynced && notes.isSynced && content.unsyncedChanges === 0 && notes.unsyncedChanges === 0, `text ${i} to be stored`, 60_000);
    return update.byteLength + Y.encodeStateAsUpdate(notes.document).byteLength;
  };
  // The first half warms up (code paths, V8's heap reaching its working size); the figure is
  // what the second half added: measured from the first text on, 20 texts came to 1.6 MB each
  // and 100 to 0.5 MB each, which was the heap's growth spread thin, not the texts.
  const half = Math.floor(texts / 2);
  for (let i = 0; i < half; i++) await open(i);
  const before = rssKb(server.proc.pid!);
  for (let i = half; i < texts; i++) encoded += await open(i);
  const after = rssKb(server.proc.pid!);
  for (const p of providers) p.destroy();
  socket.destroy();
  await server.stop();
  return { perTextKb: (after - before) / (texts - half), encodedKb: encoded / (texts - half) / 1024 };
}

export async function benchTeam({ quick }: { quick: boolean }): Promise<Figure[]> {
  const dir = tempDir('gloss-bench-team-');
  // The rate limit is for people, not for a benchmark sending thousands of messages a second.
  const server = await startServer(dir, ['--token', TOKEN, '--rate', '100000']);
  const out: Figure[] = [];
  try {
    const n = quick ? 50 : 200;
    const lat = await latency(server.url, n);
    const p95 = percentile(lat.ms, 95);
    out.push(figure(group, `change-to-visible latency between two clients, p50 (${n} changes)`, percentile(lat.ms, 50), 'ms', percentile(lat.bare, 50), { baselineName: 'bare Yjs encode+apply' }));
    out.push(figure(group, `change-to-visible latency between two clients, p95 (${n} changes)`, p95, 'ms', percentile(lat.bare, 95), { baselineName: 'bare Yjs encode+apply', target: '< 200 ms', met: p95 < 200 }));

    const perClient = quick ? 100 : 1000;
    const conv = await convergence(server.url, server.proc.pid!, 10, perClient);
    out.push(figure(group, `convergence: 10 clients × ${perClient} changes (${conv.keys} keys and a shared note)`, conv.ms / 1000, 's', conv.bareMs / 1000, { baselineName: 'bare Yjs, 10 docs in one process', target: '< 10 s', met: conv.ms < 10_000 }));
    // Wall time on a shared machine is mostly waiting for a core; the server's own CPU time is not.
    out.push(figure(group, `convergence: the server's CPU time for those changes (stored and acknowledged)`, conv.serverCpuMs / 1000, 's', conv.bareMs / 1000, { baselineName: 'bare Yjs, 10 docs in one process' }));
    out.push(figure(group, `convergence: one client's CPU time (mean of 10: its changes, everyone else's applied)`, conv.clientCpuMs / 1000, 's', conv.bareMs / 10 / 1000, { baselineName: 'bare Yjs, a tenth of the 10 docs' }));
  } finally {
    destroyAllClients();
    await server.stop();
  }
  const texts = quick ? 40 : 200;
  const mem = await memory(texts);
  const half = Math.floor(texts / 2);
  out.push(figure(group, `server memory per shared text (texts ${half + 1}-${texts} of 20 KB with 50 annotations, all open)`, mem.perTextKb, 'KB', mem.encodedKb, { baselineName: 'its encoded Yjs state' }));
  killAll();
  return out;
}

if (process.argv[2] === '--convergence-client') {
  convergenceClient(JSON.parse(process.argv[3]!) as ConvergenceJob).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchTeam({ quick: process.argv.includes('--quick') }).then(
    (f) => console.log(printTable(f)),
    (e) => {
      console.error(e);
      killAll();
      process.exit(1);
    },
  );
}
