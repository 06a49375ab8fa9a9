/**
 * `gloss team-server`: the team's sync server, and its members. Parses its own options (the
 * server's are not the library commands'), so main.ts hands it the arguments as they came.
 * Exit codes as everywhere: 0 done, 1 failed, 2 a usage error.
 */
import IORedis from 'ioredis';
import path from 'node:path';
import { startTeamServer, type TeamServer } from '../team/server.js';
import { TeamStore, TeamStoreError } from '../team/server-store.js';
import { cleanForTerminal } from './terminal.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export const TEAM_SERVER_USAGE = `Usage:
  gloss team-server --data DIR [--port N] [--host H] [--token T] [--redis URL]
                    [--max-message-mb N] [--rate N]
      run the team's sync server (WebSocket; put TLS in front with a reverse proxy).
      --token T (or GLOSS_TEAM_TOKEN): a read-write token for the whole team; without it,
      only member tokens connect. --redis redis://HOST:PORT: share documents with other
      instances. --rate: messages per second per connection (default 100).
  gloss team-server member add NAME [--read-only] --data DIR   a new member; prints their token
  gloss team-server member list [--json] --data DIR
  gloss team-server member remove NAME --data DIR`;

const options = {
  data: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  redis: { type: 'string' },
  'max-message-mb': { type: 'string' },
  rate: { type: 'string' },
  'read-only': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function whole(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not "${raw}"`);
  return Number(raw);
}

export async function teamServerMain(argv: string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const say = (line: string) => void stderr.write(`gloss team-server: ${cleanForTerminal(line)}\n`);
  try {
    const parsed = parseCommandArgs(argv, options);
    const v = parsed.values;
    if (v.help) return stdout.write(TEAM_SERVER_USAGE + '\n'), 0;
    if (!v.data) throw new UsageError('--data DIR is required: the folder that holds the server\'s team.sqlite');
    const dataDir = path.resolve(v.data);
    const [sub, ...rest] = parsed.positionals;
    if (sub === 'member') return members(rest, dataDir, v['read-only'] ?? false, v.json ?? false, stdout);
    if (sub !== undefined) throw new UsageError(`unknown sub-command "${sub}" (member add|list|remove)`);
    return await serveTeam(
      {
        dataDir,
        port: whole('port', v.port, 0, 65535) ?? 0,
        host: v.host ?? '127.0.0.1',
        token: v.token ?? process.env.GLOSS_TEAM_TOKEN,
        redis: v.redis,
        maxMessageMb: whole('max-message-mb', v['max-message-mb'], 1, 1024),
        rate: whole('rate', v.rate, 1, 100_000),
      },
      stdout,
      say,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      say(e.message);
      stderr.write('(see gloss team-server --help)\n');
      return 2;
    }
    if (e instanceof TeamStoreError) return say(e.message), 1;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') return say(`the port is already in use; choose another with --port N`), 1;
    if (err.code === 'EACCES') return say(`not allowed to listen there (${err.message}); choose a port above 1024`), 1;
    if (process.env.GLOSS_DEBUG) stderr.write(`${err.stack}\n`);
    return say(`failed: ${err.message ?? String(e)}`), 1;
  }
}

function members(args: string[], dataDir: string, readOnly: boolean, json: boolean, stdout: NodeJS.WritableStream): number {
  const [verb, ...names] = args;
  const print = (line: string) => void stdout.write(`${cleanForTerminal(line)}\n`);
  if (verb !== 'add' && verb !== 'list' && verb !== 'remove') throw new UsageError(`member takes add, list or remove, not "${verb ?? ''}"`);
  if (verb !== 'list' && names.length !== 1) throw new UsageError(`member ${verb} needs one NAME (quote a name with spaces)`);
  const store = new TeamStore(dataDir);
  try {
    if (verb === 'add') {
      const token = store.addMember(names[0]!, readOnly);
      const name = store.memberByToken(token)!.name;
      if (json) print(JSON.stringify({ name, readOnly, token }));
      else {
        print(token);
        process.stderr.write(`gloss team-server: added ${cleanForTerminal(name)} (${readOnly ? 'read-only' : 'read-write'}). The token above is shown once; give it to them privately.\n`);
      }
      return 0;
    }
    if (verb === 'list') {
      const list = store.members();
      if (json) print(JSON.stringify(list, null, 2));
      else if (list.length === 0) print('No members yet: add one with gloss team-server member add NAME --data DIR.');
      else for (const m of list) print(`${m.name.padEnd(24)} ${m.readOnly ? 'read-only ' : 'read-write'} since ${m.created}`);
      return 0;
    }
    if (!store.removeMember(names[0]!)) throw new TeamStoreError(`there is no member named "${names[0]}" (see gloss team-server member list)`);
    print(`removed ${names[0]}: their token no longer connects (connections open now stay until they close)`);
    return 0;
  } finally {
    store.close();
  }
}

interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  token?: string;
  redis?: string;
  maxMessageMb?: number;
  rate?: number;
}

async function serveTeam(o: ServeOptions, stdout: NodeJS.WritableStream, say: (line: string) => void): Promise<number> {
  if (o.token !== undefined && o.token.length < 8) throw new UsageError('--token must be at least 8 characters');
  if (o.redis !== undefined) {
    if (!/^rediss?:\/\/[^\s]+$/.test(o.redis)) throw new UsageError(`--redis takes a URL such as redis://127.0.0.1:6379, not "${o.redis}"`);
    await checkRedis(o.redis);
  }
  const check = new TeamStore(o.dataDir);
  const memberCount = check.members().length;
  check.close();
  if (!o.token && memberCount === 0) say('warning: no --token and no members yet, so nobody can connect (gloss team-server member add NAME --data DIR)');

  const server: TeamServer = await startTeamServer({
    port: o.port,
    host: o.host,
    dataDir: o.dataDir,
    token: o.token,
    redis: o.redis,
    limits: { ...(o.maxMessageMb && { maxMessageBytes: o.maxMessageMb * 1024 * 1024 }), ...(o.rate && { messagesPerSecond: o.rate }) },
    log: say,
  });
  // Tests and scripts read this line.
  stdout.write(`gloss team-server: listening on ${server.url} (data ${o.dataDir})\n`);

  let stop: (s: NodeJS.Signals) => void = () => {};
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    let received = false;
    stop = (s) => {
      if (received) return;
      received = true;
      resolve(s);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  say(`stopping (${signal}): storing documents…`);
  try {
    await server.close();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  say('stopped; every document is stored.');
  return 0;
}

/** Fails with a clear line when Redis cannot be reached, rather than a stream of reconnect errors. */
async function checkRedis(url: string): Promise<void> {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  let cause = '';
  client.on('error', (e: Error) => (cause ||= e.message)); // the socket's own error (ECONNREFUSED …) says more than "Connection is closed"
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new TeamStoreError(`cannot reach Redis at ${url}: ${cause || (e as Error).message}`);
  } finally {
    client.disconnect();
  }
}
