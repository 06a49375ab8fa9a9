/**
 * `gloss`: the command line. Every command takes `--data DIR`; data-printing commands take `--json`.
 * Exit codes: 0 done, 1 a command failed (message on stderr), 2 a usage error (a payload the API's
 * schema refuses is one too).
 *
 * A client of the handler table (`client.ts`): every command with an API verb calls it through
 * `dispatch`, and formats the answer. Those without one say why where they are handled.
 */
import { parseArgs } from 'node:util';
import { GlossError, type Handlers } from '../../common/api.js';
import { COLORS, type Color } from '../../common/model.js';
import { canonicalText, occurrences } from '../../common/text/canonical.js';
import { formatPages } from '../../common/text/pages.js';
import { resolveDataDir } from '../data-dir.js';
import { DB_FILE_NAME, LibraryBusyError, LibraryOpenError, LibraryReadOnlyError, setLibraryAside } from '../store/db.js';
import { createContext, type CliContext } from './context.js';
import { serve } from './serve.js';
import { teamServerMain } from './team-server.js';
import { teamMain } from './team.js';
import { exportCommand } from './export.js';
import { importAnnotationsCommand } from './import-annotations.js';
import { updateCommand } from './update.js';
import type { ImportOptions, Library } from '../library.js';
import { call, checkArguments, resolveDocument } from './client.js';
import { alignCommand, exportPairCommand, importTranslationCommand, linkCommand, linksCommand, pairCommand, pairsCommand, translateCommand } from './pair.js';
import path from 'node:path';

import { UsageError } from './usage-error.js';
import { cleanForTerminal, isolate } from './terminal.js';

const USAGE = `Gloss: a reading and annotation desk for Hebrew and English texts

Usage: gloss <command> [options]          (all commands: --data DIR, or GLOSS_DATA_DIR)

  import FILE...                           import documents: .txt (UTF-8/UTF-16/Windows-1255/ISO-8859-8), .md,
                                           .html/.htm (saved web pages), .pdf, .epub, .docx, .qdpx (REFI-QDA)
  list [--json]                            the documents: id, title, language, annotations
  show DOC [--json]                        a document's blocks: index, direction, kind, pages, text
  rename DOC TITLE                         give a document a new title
  annotate DOC (--quote TEXT [--nth N] | --start N --end N)
           [--tag PATH]... [--note TEXT] [--color NAME]
  annotations DOC [--tag PATH] [--json]    a document's annotations in text order
  tags [--json]                            the tag tree with counts
  search QUERY [--limit N] [--offset N] [--json]
                                           search texts and notes (niqqud and acronym quotes folded);
                                           prints the total, hits grouped by document
  export [DOC...] --format jsonld|csv|md|html|qdpx [--tag PATH]... [--out FILE]
                                           export annotations (all documents without DOC; stdout without --out)
  import-annotations FILE [--into DOC] [--keep-orphans]
                                           annotations from W3C JSON-LD (any tool) or Hypothesis JSON: each
                                           finds its document and its words (merged by id, re-anchored)
  update DOC FILE                          replace a document's text with a new version and re-anchor its annotations
  revisions DOC [--json]                   the earlier texts of a document (kept by update and by edits)
  restore DOC REVISION                     put an earlier text back (the current one is kept as a revision)
  pair SRC TGT [--auto-align]              pair two documents (a text and its translation)
  pairs [DOC] [--json]                     the pairs: id, source, target, progress
  align PAIR [--auto-align] [--show] [--json]
                                           show a pair's alignment (--auto-align recomputes it, keeping confirmed beads)
  translate DOC --lang he|en               start a translation: a new document of empty blocks, aligned one to one
  export-pair PAIR --format tmx|xliff|html|csv [--out FILE]
                                           export a pair's aligned segments (stdout without --out)
  import-translation PAIR FILE.xlf [--json]
                                           a translation back from a CAT tool (XLIFF 1.2): units updated,
                                           unchanged, without a translation, not matched (and why)
  link ANNOTATION_ID ANNOTATION_ID [--share-tags] [--note-from a|b]
                                           link two annotations (a passage and its counterpart)
  links DOC [--json]                       a document's linked annotations
  serve [--port N]                         the browser host on 127.0.0.1 (prints its URL with a token)
  reset-library --yes                      set a damaged or foreign library file aside and start fresh
  team-server --data DIR [--port N] [--token T] [--redis URL] | team-server member add|list|remove
                                           the team's sync server and its members (gloss team-server --help)
  team join URL --token T | share DOC | sync | status
                                           this library in a team: share texts, sync offline edits (gloss team --help)

DOC is a document id or an unambiguous start of its title. Offsets count UTF-16 units in the
canonical text (blocks joined by \\n), as \`gloss show --json\` prints it. PAIR is a pair id (gloss pairs).
Colours: ${COLORS.join(', ')}.`;

const options = {
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  quote: { type: 'string' },
  nth: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  tag: { type: 'string', multiple: true },
  note: { type: 'string' },
  color: { type: 'string' },
  port: { type: 'string' },
  yes: { type: 'boolean', default: false },
  format: { type: 'string' },
  out: { type: 'string' },
  into: { type: 'string' },
  'keep-orphans': { type: 'boolean', default: false },
  limit: { type: 'string' },
  offset: { type: 'string' },
  'auto-align': { type: 'boolean', default: false },
  show: { type: 'boolean', default: false },
  lang: { type: 'string' },
  'share-tags': { type: 'boolean', default: false },
  'note-from': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** Options that take a number: `--start -1` reaches `int` (which says what is wrong), not the parser. */
const NUMERIC = new Set(['--start', '--end', '--nth', '--port', '--limit', '--offset']);

/** `--start -1` as `--start=-1`: node's parser would read `-1` as an option and answer in its own words. */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (NUMERIC.has(a) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** A whole-number option; `signed` leaves the range (a negative number too) to the verb's schema. */
function int(name: string, raw: string | undefined, signed = false): number | undefined {
  if (raw === undefined) return undefined;
  if (!signed && /^-\d/.test(raw)) throw new UsageError(`--${name} counts from 0 and cannot be negative ("${raw}")`);
  if (!(signed ? /^-?\d+$/ : /^\d+$/).test(raw)) throw new UsageError(`--${name} takes a whole number (0, 1, 2 …), not "${raw}"`);
  if (!Number.isSafeInteger(Number(raw))) throw new UsageError(`--${name} is too large ("${raw}")`);
  return Number(raw);
}

/** The quote's place in a document's text: its `nth` occurrence (the only one when `nth` is not given). */
function locateQuote(text: string, quote: string, nth: number | undefined): { start: number; end: number } {
  if (quote === '') throw new GlossError('The quote is empty: give the words to annotate', 'quote-empty');
  const found = occurrences(text, quote);
  const n = nth ?? 1;
  if (found.length === 0) throw new GlossError(`The quote "${quote}" is not in the document`, 'quote-not-found', { quote });
  if (n < 1 || n > found.length) throw new GlossError(`The quote occurs ${found.length} time(s); --nth ${n} is out of range`, 'quote-nth-out-of-range', { count: found.length, nth: n });
  if (found.length > 1 && nth === undefined) throw new GlossError(`The quote "${quote}" occurs ${found.length} times; choose one with --nth 1..${found.length}`, 'quote-ambiguous', { quote, count: found.length });
  return { start: found[n - 1]!, end: found[n - 1]! + quote.length };
}

/** node:util parseArgs errors, in Gloss's words. */
function parserMessage(e: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `there is no option ${option ?? e.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing|ambiguous/.test(e.message) ? `${option ?? 'an option'} needs a value` : `${option ?? 'an option'} takes no value`;
    default:
      return e.message;
  }
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${positionals.length}`);
  return positionals[0]!;
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);

/**
 * A progress line on stderr while long files import ("reading book.pdf: page 12 of 300"), only
 * when stderr is a terminal: a script reading stderr gets the outcome lines alone.
 */
function progressLine(ctx: CliContext, files: readonly string[]): { options: ImportOptions; clear(): void } {
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  if (!tty) return { options: {}, clear() {} };
  let shown = false;
  const write = (line: string) => {
    ctx.stderr.write(`\r\u001b[2K${line}`);
    shown = true;
  };
  const clear = () => {
    if (shown) ctx.stderr.write('\r\u001b[2K');
    shown = false;
  };
  const label = (i: number) => cleanForTerminal(path.basename(files[i] ?? ''));
  return {
    options: {
      onState: (i, state) => (state === 'reading' ? write(`reading ${label(i)}…`) : state === 'done' ? clear() : undefined),
      onProgress: (i, p) => write(`reading ${label(i)}: ${p.unit} ${p.done} of ${p.total}`),
    },
    clear,
  };
}

async function run(command: string, args: string[], v: Values, ctx: CliContext): Promise<number> {
  switch (command) {
    case 'import': {
      // Direct: the verbs carry files as base64 within the transports' size caps, while the command
      // reads paths of any size from disk, text files in place, with a progress line per page.
      if (args.length === 0) throw new UsageError('import needs at least one FILE');
      const progress = progressLine(ctx, args);
      const outcomes = await ctx.library({ seed: false }).importPaths(args, progress.options);
      // A big text's search rows are built after its blocks are stored: done before the command ends.
      await ctx.library({ seed: false }).whenIndexed();
      progress.clear();
      if (ctx.json) ctx.printJson(outcomes);
      for (const o of outcomes) {
        if (ctx.json) break;
        if (o.status === 'imported') ctx.print(`imported  ${cleanForTerminal(o.name)} -> document ${o.documentId} ${isolate(ctx, o.title ?? '')}`);
        else if (o.status === 'duplicate') ctx.print(`skipped   ${cleanForTerminal(o.name)}: ${cleanForTerminal(o.message ?? '')}`);
        else ctx.warn(`failed    ${cleanForTerminal(o.name)}: ${cleanForTerminal(o.message ?? '')}`);
      }
      return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
    }
    case 'list': {
      const list = await call(ctx, 'library.list', {});
      if (ctx.json) return ctx.printJson(list), 0;
      if (list.length === 0) ctx.print('The library is empty. Import texts with `gloss import FILE...`.');
      for (const d of list) ctx.print(`${pad(d.id, 4)} ${pad(d.language, 6)} ${pad(d.annotationCount + ' ann.', 9)} ${isolate(ctx, d.title)}`);
      return 0;
    }
    case 'show': {
      const { id } = await resolveDocument(ctx, one(args, 'DOC'));
      const doc = await call(ctx, 'documents.get', { documentId: id });
      if (ctx.json) return ctx.printJson({ ...doc, text: canonicalText(doc.blocks) }), 0;
      const about = [doc.language, `${doc.blocks.length} blocks`, doc.meta.sourceKind, doc.meta.author && `by ${isolate(ctx, doc.meta.author)}`, doc.meta.date && cleanForTerminal(doc.meta.date), doc.meta.pageCount && `${doc.meta.pageCount} page${doc.meta.pageCount === 1 ? '' : 's'}`];
      ctx.print(`${isolate(ctx, doc.title)}  (${about.filter(Boolean).join(', ')})`);
      const paged = doc.blocks.some((b) => b.meta?.pages);
      for (const b of doc.blocks) {
        const kind = b.kind === 'quote' || b.kind === 'item' ? `${b.kind}${b.depth}` : b.kind === 'heading' && b.meta?.level ? `heading${b.meta.level}` : b.kind;
        const pages = paged ? pad(formatPages(b.meta?.pages ?? []), 11) + ' ' : '';
        const lead = cleanForTerminal(b.meta?.marker ?? (b.kind === 'note' && b.meta?.label ? `[${b.meta.label}]` : ''));
        ctx.print(`${pad(b.index, 4)} ${b.dir} ${pad(kind, 9)} ${pad('@' + b.start, 7)} ${pages}${lead ? lead + ' ' : ''}${isolate(ctx, b.text)}`);
      }
      return 0;
    }
    case 'annotate': {
      // The arguments are checked before the library is opened: a usage error is a usage error.
      const ref = one(args, 'DOC');
      const names = { start: { name: '--start', raw: v.start }, end: { name: '--end', raw: v.end }, color: { name: '--color', raw: v.color }, note: { name: '--note' }, tags: { name: '--tag' } };
      const extra = { tags: v.tag ?? [], ...(v.note !== undefined ? { note: v.note } : {}), ...(v.color !== undefined ? { color: v.color as Color } : {}) };
      let range: { start: number; end: number } | undefined;
      let quote: { quote: string; nth: number | undefined } | undefined;
      if (v.quote !== undefined) {
        if (v.start !== undefined || v.end !== undefined) throw new UsageError('give either --quote or --start/--end, not both');
        quote = { quote: v.quote, nth: int('nth', v.nth) };
        checkArguments('annotations.create', extra, names);
      } else {
        const start = int('start', v.start, true);
        const end = int('end', v.end, true);
        if (start === undefined || end === undefined) throw new UsageError('annotate needs --quote TEXT or both --start N and --end N');
        range = { start, end };
        checkArguments('annotations.create', { ...range, ...extra }, names);
      }
      const doc = await resolveDocument(ctx, ref);
      // A quote is the command line's own way to name a passage: found here, sent as offsets.
      range ??= locateQuote(canonicalText((await call(ctx, 'documents.get', { documentId: doc.id })).blocks), quote!.quote, quote!.nth);
      const a = await call(ctx, 'annotations.create', { documentId: doc.id, ...range, ...extra }, names);
      if (ctx.json) ctx.printJson(a);
      else ctx.print(`annotated document ${doc.id} ${a.start}-${a.end} ${isolate(ctx, a.exact)} as ${a.id}`);
      return 0;
    }
    case 'annotations': {
      const doc = await resolveDocument(ctx, one(args, 'DOC'));
      const tag = v.tag?.[0];
      const list = await call(ctx, 'annotations.list', { documentId: doc.id, ...(tag !== undefined ? { tag } : {}) }, { tag: { name: '--tag' } });
      if (ctx.json) return ctx.printJson(list), 0;
      if (list.length === 0) ctx.print(tag ? `No annotations tagged ${tag}.` : 'No annotations.');
      for (const a of list) {
        ctx.print(`${pad(a.start + '-' + a.end, 12)} ${pad(cleanForTerminal(a.color), 7)} ${isolate(ctx, a.exact)}${a.tags.length ? '  [' + a.tags.map((t) => isolate(ctx, t)).join(', ') + ']' : ''}${a.note ? '  — ' + isolate(ctx, a.note) : ''}${a.status === 'orphaned' ? '  (detached)' : ''}`);
      }
      return 0;
    }
    case 'tags': {
      const tags = await call(ctx, 'tags.list', {});
      if (ctx.json) return ctx.printJson(tags), 0;
      if (tags.length === 0) ctx.print('No tags yet.');
      for (const t of tags) {
        const depth = t.path.split('/').length - 1;
        ctx.print(`${'  '.repeat(depth)}${isolate(ctx, t.path.split('/').pop() ?? '')}  (${t.count})${t.color ? ' ' + t.color : ''}`);
      }
      return 0;
    }
    case 'import-translation':
      return importTranslationCommand(ctx, args);
    case 'rename': {
      if (args.length < 2) throw new UsageError('rename needs a DOC and a TITLE');
      const doc = await resolveDocument(ctx, args[0]!);
      const renamed = await call(ctx, 'documents.rename', { documentId: doc.id, title: args.slice(1).join(' ') }, { title: { name: 'TITLE' } });
      if (ctx.json) ctx.printJson(renamed);
      else ctx.print(`renamed document ${doc.id} to ${isolate(ctx, renamed.title)}`);
      return 0;
    }
    case 'search': {
      if (args.length === 0) throw new UsageError('search needs a QUERY');
      const request = { query: args.join(' '), limit: int('limit', v.limit, true) ?? 50, offset: int('offset', v.offset, true) ?? 0 };
      const names = { query: { name: 'QUERY' }, limit: { name: '--limit', raw: v.limit }, offset: { name: '--offset', raw: v.offset } };
      checkArguments('library.searchPage', request, names);
      const { offset } = request;
      // Search rows an earlier process did not finish (it was stopped) are built first.
      await ctx.library().whenIndexed();
      const page = await call(ctx, 'library.searchPage', request, names);
      if (ctx.json) return ctx.printJson(page), 0;
      if (page.total === 0) {
        ctx.print('No matches.');
        return 0;
      }
      const shown = page.hits.length === 0 ? 'none here' : `${offset + 1}-${offset + page.hits.length}`;
      ctx.print(`${page.total} match(es) in ${page.documents.length} document(s); showing ${shown}`);
      for (const d of page.documents) ctx.print(`  ${pad(d.count, 6)} ${isolate(ctx, d.title)}`);
      let last = -1;
      for (const h of page.hits) {
        if (h.documentId !== last) ctx.print(`${h.documentId} ${isolate(ctx, h.documentTitle)}`);
        last = h.documentId;
        ctx.print(`  ${h.kind === 'note' ? 'note'.padEnd(12) : `@${h.start}-${h.end}`.padEnd(12)} ${isolate(ctx, h.snippet)}`);
      }
      if (offset + page.hits.length < page.total) ctx.print(`more: --offset ${offset + page.hits.length}`);
      return 0;
    }
    case 'export':
      // Direct: the verb answers the whole export in one string; the command streams it to stdout
      // or a file in bounded memory, however large the library.
      return exportCommand(ctx, args, { format: v.format, tags: v.tag ?? [], out: v.out });
    case 'import-annotations':
      return importAnnotationsCommand(ctx, args, { into: v.into, keepOrphans: v['keep-orphans'] });
    case 'update':
      // Direct: see update.ts (its report gives every annotation's new place and score).
      return updateCommand(ctx, args);
    case 'revisions': {
      const doc = await resolveDocument(ctx, one(args, 'DOC'));
      const list = await call(ctx, 'documents.revisions', { documentId: doc.id });
      if (ctx.json) return ctx.printJson(list), 0;
      if (list.length === 0) ctx.print('No earlier texts of this document.');
      for (const r of list) ctx.print(`${pad(r.id, 5)} ${r.created}  ${pad(r.length + ' chars', 14)} ${isolate(ctx, r.reason)}`);
      return 0;
    }
    case 'restore': {
      if (args.length !== 2 || !/^\d+$/.test(args[1]!)) throw new UsageError('restore needs a DOC and a revision number (see gloss revisions DOC)');
      const doc = await resolveDocument(ctx, args[0]!);
      const out = await call(ctx, 'documents.restoreRevision', { documentId: doc.id, revisionId: Number(args[1]) }, { revisionId: { name: 'REVISION', raw: args[1] } });
      if (ctx.json) return ctx.printJson(out), 0;
      const c = out.counts;
      ctx.print(out.changed ? `restored revision ${args[1]} of document ${doc.id}: ${c.stayed} stayed, ${c.moved} moved, ${c.fuzzy} placed fuzzily, ${c.orphaned} detached; the replaced text is revision ${out.revisionId}` : 'That revision holds the current text: nothing changed.');
      return 0;
    }
    case 'pair':
      return pairCommand(ctx, args, { autoAlign: v['auto-align'] ?? false });
    case 'pairs':
      return pairsCommand(ctx, args);
    case 'align':
      return alignCommand(ctx, args, { autoAlign: v['auto-align'] ?? false, show: v.show ?? false });
    case 'translate':
      return translateCommand(ctx, args, { lang: v.lang });
    case 'export-pair':
      return exportPairCommand(ctx, args, { format: v.format, out: v.out });
    case 'link':
      return linkCommand(ctx, args, { shareTags: v['share-tags'] ?? false, noteFrom: v['note-from'] });
    case 'links':
      return linksCommand(ctx, args);
    case 'serve':
      // The browser host itself: it serves the handler table to the browser.
      return serve(ctx, { port: int('port', v.port) ?? 0 });
    case 'reset-library': {
      // No verb: it acts on a library that cannot be opened, so no handler table exists.
      if (!v.yes) throw new UsageError(`reset-library sets the current library file aside and starts an empty one; confirm with --yes`);
      const file = path.join(ctx.dataDir, DB_FILE_NAME);
      // Throws LibraryReadOnlyError (named, nothing moved) when the folder is read-only.
      const aside = setLibraryAside(file);
      ctx.print(`The old library is kept at ${aside}. A new, empty library will be made at ${file}.`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

export async function main(
  argv: string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  /** The handler table the commands call (default: `createHandlers` over the library); tests watch it. */
  handlers?: (library: Library) => Handlers,
): Promise<number> {
  // The team server has options of its own and opens no library.
  if (argv[0] === 'team-server') return teamServerMain(argv.slice(1), stdout, stderr);
  if (argv[0] === 'team') return teamMain(argv.slice(1), stdout, stderr);
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(argv), options, allowPositionals: true, strict: true });
  } catch (e) {
    stderr.write(`gloss: ${cleanForTerminal(parserMessage(e as Error))}\n(see gloss --help)\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (!command || parsed.values.help) {
    (command ? stdout : parsed.values.help ? stdout : stderr).write(USAGE + '\n');
    return command || parsed.values.help ? 0 : 2;
  }
  const ctx = createContext(resolveDataDir(parsed.values.data), parsed.values.json ?? false, stdout, stderr, handlers);
  const say = (line: string) => void stderr.write(`${cleanForTerminal(line)}\n`);
  try {
    return await run(command, rest, parsed.values, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      say(`gloss ${command}: ${e.message}`);
      say('(see gloss --help)');
      return 2;
    }
    if (e instanceof LibraryReadOnlyError || e instanceof LibraryBusyError) {
      say(`gloss ${command}: ${e.message}`);
      return 1;
    }
    if (e instanceof LibraryOpenError) {
      say(`gloss: the library ${e.message}`);
      say(`Nothing was changed. To keep that file aside and start a new library, run: gloss reset-library --yes${e.problem === 'newer' ? ' (or update Gloss)' : ''} --data ${ctx.dataDir}`);
      return 1;
    }
    if (e instanceof GlossError || e instanceof RangeError) {
      say(`gloss ${command}: ${e.message}`);
      return 1;
    }
    say(`gloss ${command}: ${describeUnexpected(e, ctx.dataDir)}`);
    return 1;
  } finally {
    if (command !== 'serve') ctx.close();
  }
}

/**
 * An error no command expected, in one line without a stack trace (GLOSS_DEBUG=1 prints it):
 * what the system said, and for the common system errors what to do.
 */
export function describeUnexpected(e: unknown, dataDir: string): string {
  const err = e as NodeJS.ErrnoException & { code?: string };
  const where = err.path ? ` (${err.path})` : '';
  let line: string;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      line =
        err.syscall === 'mkdir'
          ? `cannot make the folder ${err.path ?? dataDir}: its parent folder is read-only to you. Make it writable, or use another library with --data DIR.`
          : `permission denied${where}: that file or folder is read-only to you. Make it writable, or use another library with --data DIR.`;
      break;
    case 'EEXIST':
    case 'ENOTDIR':
      line =
        err.syscall === 'mkdir'
          ? `${err.path ?? dataDir} is a file, not a folder: --data (or GLOSS_DATA_DIR) names the folder that holds the library.`
          : `${err.path ?? 'a path'} is not a folder where one is needed.`;
      break;
    case 'ENOSPC':
      line = `the disk is full${where}. Free some space and try again; nothing half-written was kept.`;
      break;
    case 'SQLITE_FULL':
      line = `the disk holding ${dataDir} is full. Free some space and try again; the library is unchanged.`;
      break;
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      line = `the library in ${dataDir} is in use by another Gloss process; try again when it has finished.`;
      break;
    default:
      line = `unexpected error: ${err?.message ?? String(e)}`;
  }
  if (process.env.GLOSS_DEBUG) line += `\n${err?.stack ?? ''}`;
  else if (!err?.code || !/^(EACCES|EPERM|EROFS|EEXIST|ENOTDIR|ENOSPC|SQLITE_)/.test(err.code)) line += ' (GLOSS_DEBUG=1 shows the details)';
  return line;
}

if (typeof require !== "undefined" && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      // main() answers every error itself; this is the last guard, still without a stack trace.
      process.stderr.write(`gloss: ${cleanForTerminal(describeUnexpected(e, ''))}\n`);
      process.exitCode = 1;
    },
  );
}
