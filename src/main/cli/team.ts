/**
 * `gloss team join|share|sync|status`: this library as a member of a team. Parses its own options
 * (--token, --name, --timeout are the team's), so main.ts hands it the arguments as they came.
 * Exit codes as everywhere: 0 done, 1 failed (the server unreachable: pending updates are kept),
 * 2 a usage error.
 */
import { GlossError } from '../../common/api.js';
import { resolveDataDir } from '../data-dir.js';
import { LibraryBusyError, LibraryOpenError, LibraryReadOnlyError } from '../store/db.js';
import { join, share, status, sync, TeamConnectionError, type SyncSummary } from '../team/sync.js';
import { createContext } from './context.js';
import { cleanForTerminal } from './terminal.js';
import { parseCommandArgs, UsageError } from './usage-error.js';

export const TEAM_USAGE = `Usage (every command takes --data DIR, or GLOSS_DATA_DIR):
  gloss team join URL --token T [--name NAME]   join a team: its server (ws://HOST:PORT), the token
                                                it gave you, your name on annotations
  gloss team share DOC                          share a document (an id or the start of its title)
  gloss team share pair PAIR                    share a pair (gloss pairs) and its two texts
  gloss team sync [--timeout SECONDS] [--json]  send what changed here, bring in what the team did,
                                                until nothing more comes; offline, changes wait
  gloss team status [--json]                    server, member, shared texts and pairs, pending updates`;

const options = {
  data: { type: 'string' },
  token: { type: 'string' },
  name: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describeSync(s: SyncSummary): string {
  const parts = [`sent ${plural(s.sent, 'update')}`, `received ${plural(s.received, 'update')}`];
  if (s.imported) parts.push(`${plural(s.imported, 'new text')} imported`);
  if (s.linked) parts.push(`${plural(s.linked, 'text')} matched to documents already here`);
  if (s.uploaded) parts.push(`${plural(s.uploaded, 'text')} uploaded`);
  if (s.revised) parts.push(`${plural(s.revised, 'text')} brought to a new revision`);
  if (s.written || s.deleted) parts.push(`${plural(s.written, 'annotation')} written, ${s.deleted} deleted`);
  if (s.pairs) parts.push(`${plural(s.pairs, 'pair')} linked`);
  return `synced: ${parts.join(', ')}`;
}

export async function teamMain(argv: string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  const say = (line: string) => void stderr.write(`${cleanForTerminal(line)}\n`);
  let sub = '';
  let ctx: ReturnType<typeof createContext> | undefined;
  try {
    const parsed = parseCommandArgs(argv, options);
    const v = parsed.values;
    const [command, ...args] = parsed.positionals;
    sub = command ?? '';
    if (v.help || !command) {
      (v.help ? stdout : stderr).write(TEAM_USAGE + '\n');
      return v.help ? 0 : 2;
    }
    ctx = createContext(resolveDataDir(v.data), v.json ?? false, stdout, stderr);
    const lib = () => ctx!.library({ seed: false });
    switch (command) {
      case 'join': {
        if (args.length !== 1) throw new UsageError(`join needs the server's URL, got ${args.length} argument(s)`);
        if (v.token === undefined) throw new UsageError('join needs --token T (the token the team server gave you)');
        const c = join(lib(), args[0]!, v.token, v.name);
        if (ctx.json) ctx.printJson({ url: c.url, member: c.member });
        else ctx.print(`joined ${c.url} as ${c.member}; run gloss team sync to bring in what the team shares`);
        return 0;
      }
      case 'share': {
        const l = lib();
        let out;
        if (args[0] === 'pair') {
          if (args.length !== 2 || !/^\d+$/.test(args[1]!)) throw new UsageError('share pair needs a pair id (see gloss pairs)');
          out = share(l, { pairId: Number(args[1]) });
        } else {
          if (args.length === 0) throw new UsageError('share needs a DOC (an id or the start of a title) or pair PAIR');
          out = share(l, { documentId: l.resolve(args.join(' ')).id });
        }
        if (ctx.json) ctx.printJson(out);
        else ctx.print(out.alreadyShared ? `"${out.title}" is already shared` : `shared "${out.title}" (${out.kind} ${out.id}); it reaches the team at the next gloss team sync`);
        return 0;
      }
      case 'sync': {
        if (args.length) throw new UsageError(`sync takes no arguments, got ${args.length}`);
        let timeoutMs: number | undefined;
        if (v.timeout !== undefined) {
          if (!/^\d+$/.test(v.timeout) || Number(v.timeout) < 1 || Number(v.timeout) > 3600) throw new UsageError(`--timeout takes whole seconds from 1 to 3600, not "${v.timeout}"`);
          timeoutMs = Number(v.timeout) * 1000;
        }
        const l = lib();
        try {
          const s = await sync(l, timeoutMs !== undefined ? { timeoutMs } : {});
          if (ctx.json) ctx.printJson(s);
          else {
            ctx.print(describeSync(s));
            if (s.member) ctx.warn(`note: the server knows this member as ${s.member}; annotations made here carry that name from now on`);
            if (s.readOnly) ctx.warn(`note: this member may read, not write: ${plural(status(l).pending, 'change')} made here stay pending`);
            for (const skipped of s.skipped) ctx.warn(`note: ${skipped}`);
          }
          return 0;
        } catch (e) {
          if (!(e instanceof TeamConnectionError)) throw e;
          say(`gloss team sync: ${e.message}. Nothing is lost: ${plural(status(l).pending, 'pending update')} wait for the next sync.`);
          return 1;
        }
      }
      case 'status': {
        if (args.length) throw new UsageError(`status takes no arguments, got ${args.length}`);
        const s = status(lib());
        if (ctx.json) return ctx.printJson(s), 0;
        if (!s.joined) ctx.print('not in a team (gloss team join URL --token T)');
        else ctx.print(`server ${s.url}, member ${s.member}, last sync ${s.lastSync ?? 'never'}`);
        ctx.print(`${plural(s.texts.length, 'shared text')}, ${plural(s.pairs.length, 'shared pair')}, ${plural(s.pending, 'pending update')}`);
        for (const t of s.texts) ctx.print(`  ${t.documentId ?? '-'}\t${t.title ?? '(not in this library)'}\t${t.textId.slice(0, 12)}`);
        return 0;
      }
      default:
        throw new UsageError(`unknown team command "${command}" (join, share, sync, status)`);
    }
  } catch (e) {
    const name = `gloss team${sub ? ` ${sub}` : ''}`;
    if (e instanceof UsageError) {
      say(`${name}: ${e.message}`);
      say('(see gloss team --help)');
      return 2;
    }
    if (e instanceof GlossError || e instanceof LibraryReadOnlyError || e instanceof LibraryBusyError || e instanceof LibraryOpenError || e instanceof RangeError) {
      say(`${name}: ${e.message}`);
      return 1;
    }
    say(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    ctx?.close();
  }
}
