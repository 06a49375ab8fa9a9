/**
 * The bilingual desk on the command line:
 *
 *   gloss pair SRC TGT [--auto-align]         pair two documents
 *   gloss pairs [DOC]                         list pairs
 *   gloss align PAIR [--auto-align] [--show]  show the alignment (recompute it first with --auto-align)
 *   gloss translate DOC --lang he|en          start a translation
 *   gloss export-pair PAIR --format tmx|xliff|html|csv [--out FILE]
 *   gloss import-translation PAIR FILE.xlf     a translation back from a CAT tool (XLIFF 1.2)
 *   gloss link ANNOTATION_ID ANNOTATION_ID [--share-tags] [--note-from a|b]
 *   gloss links DOC                           a document's linked annotations
 *
 * Data-printing commands take `--json`. Each calls its verb (`pairs.*`, `links.*`) through the
 * handler table (`client.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { GlossError } from '../../common/api.js';
import { PAIR_EXPORT_FORMATS, type PairExportFormat, type PairView, type TranslationImportReport } from '../../common/pairs.js';
import { isFoldedMark } from '../../common/text/fold.js';
import { TRANSLATION_LANGUAGES, type TranslationLanguage } from '../pairs.js';
import { call, resolveDocument } from './client.js';
import type { CliContext } from './context.js';
import { isolate } from './terminal.js';
import { UsageError } from './usage-error.js';

const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';

/** A run of text isolated in its own direction, so that it cannot pull the line's columns around. */
export function isolateDir(text: string, dir: 'rtl' | 'ltr' | 'auto'): string {
  // Only a terminal gets isolates: in a file or a pipe they are invisible characters that break
  // copying, pasting and searching in other tools.
  if (process.stdout.isTTY !== true) return text;
  return `${dir === 'rtl' ? RLI : dir === 'ltr' ? LRI : FSI}${text}${PDI}`;
}

/** The start of a text, `max` letters long (marks stay with their letter), with an ellipsis when cut. */
export function shorten(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let letters = 0;
  let i = 0;
  for (const ch of flat) {
    if (!isFoldedMark(ch.codePointAt(0)!)) {
      if (letters === max) return flat.slice(0, i).trimEnd() + '…';
      letters++;
    }
    i += ch.length;
  }
  return flat;
}

function pairRef(ref: string | undefined): number {
  if (ref === undefined || !/^\d+$/.test(ref) || Number(ref) === 0) throw new UsageError(`PAIR is a pair id (see gloss pairs), not "${ref ?? ''}"`);
  return Number(ref);
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const blocks = (list: readonly number[]) => (list.length === 0 ? '–' : list.length === 1 ? String(list[0]) : `${list[0]}-${list[list.length - 1]}`);

function review(view: PairView): string {
  const n = view.beads.filter((b) => b.review).length;
  return n === 0 ? '' : `, ${n} to review (a text changed under them)`;
}

function headline(view: PairView): string {
  const kind = view.kind === 'translation' ? `translation, ${view.progress.translated} of ${view.progress.total} blocks written` : 'aligned texts';
  return `pair ${view.id}: ${isolateDir(view.source.title, 'auto')} (${view.source.language}, ${view.source.blockCount} blocks) ↔ ${isolateDir(view.target.title, 'auto')} (${view.target.language}, ${view.target.blockCount} blocks); ${view.beads.length} beads, ${view.beads.filter((b) => b.confirmed).length} confirmed${review(view)}; ${kind}`;
}

export async function pairCommand(ctx: CliContext, args: string[], options: { autoAlign: boolean }): Promise<number> {
  if (args.length !== 2) throw new UsageError(`pair needs SRC and TGT (two documents), got ${args.length}`);
  const source = await resolveDocument(ctx, args[0]!);
  const target = await resolveDocument(ctx, args[1]!);
  const view = await call(ctx, 'pairs.create', { sourceId: source.id, targetId: target.id, autoAlign: options.autoAlign });
  if (ctx.json) return ctx.printJson(view), 0;
  ctx.print(headline(view));
  ctx.print(options.autoAlign ? 'Aligned automatically; see it with: gloss align ' + view.id : `Aligned block by block; align automatically with: gloss align ${view.id} --auto-align`);
  return 0;
}

export async function pairsCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length > 1) throw new UsageError('pairs takes at most one DOC');
  const list = await call(ctx, 'pairs.list', args[0] === undefined ? {} : { documentId: (await resolveDocument(ctx, args[0])).id });
  if (ctx.json) return ctx.printJson(list), 0;
  if (list.length === 0) ctx.print('No pairs. Pair two documents with `gloss pair SRC TGT`, or start a translation with `gloss translate DOC --lang en`.');
  for (const p of list) {
    const extra = (p.kind === 'translation' ? `translation ${p.progress.translated}/${p.progress.total}` : `${p.confirmed}/${p.beads} confirmed`) + (p.review ? `, ${p.review} to review` : '');
    ctx.print(`${pad(p.id, 4)} ${pad(p.sourceId, 4)} ${isolateDir(p.sourceTitle, 'auto')} ↔ ${pad(p.targetId, 4)} ${isolateDir(p.targetTitle, 'auto')}  (${extra})`);
  }
  return 0;
}

export async function alignCommand(ctx: CliContext, args: string[], options: { autoAlign: boolean; show: boolean }): Promise<number> {
  if (args.length !== 1) throw new UsageError(`align needs one PAIR, got ${args.length}`);
  const id = pairRef(args[0]);
  const view = options.autoAlign ? await call(ctx, 'pairs.autoAlign', { pairId: id }) : await call(ctx, 'pairs.get', { pairId: id });
  if (ctx.json) return ctx.printJson(view), 0;
  ctx.print(headline(view));
  if (options.autoAlign && !options.show) return 0;
  const source = (await call(ctx, 'documents.get', { documentId: view.source.id })).blocks;
  const target = (await call(ctx, 'documents.get', { documentId: view.target.id })).blocks;
  const side = (list: readonly number[], from: typeof source) => {
    const first = from[list[0] ?? -1];
    if (!first) return '';
    const text = list.map((i) => from[i]?.text ?? '').join(' ');
    return isolateDir(text.trim() ? shorten(text) : '(empty)', first.dir);
  };
  for (const [k, b] of view.beads.entries()) {
    ctx.print(`${pad(k, 5)}${b.confirmed ? '✓' : b.review ? '!' : ' '} ${blocks(b.source).padStart(7)} ↔ ${pad(blocks(b.target), 7)}  ${side(b.source, source) || '—'}  │  ${side(b.target, target) || '—'}`);
  }
  return 0;
}

export async function translateCommand(ctx: CliContext, args: string[], options: { lang: string | undefined }): Promise<number> {
  if (args.length !== 1) throw new UsageError(`translate needs one DOC, got ${args.length}`);
  const lang = options.lang;
  if (lang === undefined) throw new UsageError(`translate needs --lang ${TRANSLATION_LANGUAGES.join('|')} (the language of the translation)`);
  if (!(TRANSLATION_LANGUAGES as readonly string[]).includes(lang)) throw new UsageError(`--lang must be one of ${TRANSLATION_LANGUAGES.join(', ')}, not "${lang}"`);
  const doc = await resolveDocument(ctx, args[0]!);
  const result = await call(ctx, 'pairs.translate', { documentId: doc.id, lang: lang as TranslationLanguage });
  if (ctx.json) return ctx.printJson(result), 0;
  ctx.print(`started document ${result.document.id} ${isolateDir(result.document.title, 'auto')} with ${result.document.blockCount} empty blocks, aligned one to one with document ${doc.id} as pair ${result.pair.id}`);
  return 0;
}

const BY_EXTENSION: Record<string, PairExportFormat> = { '.tmx': 'tmx', '.xlf': 'xliff', '.xliff': 'xliff', '.html': 'html', '.htm': 'html', '.csv': 'csv' };

export async function exportPairCommand(ctx: CliContext, args: string[], options: { format: string | undefined; out: string | undefined }): Promise<number> {
  if (args.length !== 1) throw new UsageError(`export-pair needs one PAIR, got ${args.length}`);
  let format: PairExportFormat | undefined;
  if (options.format !== undefined) {
    if (!(PAIR_EXPORT_FORMATS as readonly string[]).includes(options.format)) throw new UsageError(`--format must be one of ${PAIR_EXPORT_FORMATS.join(', ')}, not "${options.format}"`);
    format = options.format as PairExportFormat;
  } else if (options.out) {
    format = BY_EXTENSION[path.extname(options.out).toLowerCase()];
  }
  if (!format) throw new UsageError(`export-pair needs --format ${PAIR_EXPORT_FORMATS.join('|')}`);
  const id = pairRef(args[0]);
  const result = await call(ctx, 'pairs.export', { pairId: id, format });
  if (!options.out) {
    ctx.stdout.write(result.content);
    return 0;
  }
  const target = path.resolve(options.out);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new GlossError(`--out: the folder ${dir} does not exist`, 'folder-not-found', { path: dir });
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new GlossError(`--out: ${target} is a folder`, 'file-is-folder', { file: target });
  // Written beside the target and renamed over it when complete: never a half file.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.part`);
  try {
    fs.writeFileSync(temp, result.content, { encoding: 'utf8', flag: 'wx', flush: true });
    fs.renameSync(temp, target);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  const view = await call(ctx, 'pairs.get', { pairId: id });
  if (ctx.json) ctx.printJson({ out: target, format, beads: view.beads.length });
  else ctx.warn(`exported pair ${id} (${view.beads.length} aligned segments) as ${format} to ${options.out}`);
  return 0;
}

/** What an XLIFF import did, in a few lines (the units not matched one a line, with the reason). */
export function importReportLines(r: TranslationImportReport, iso: (text: string) => string = (t) => t): string[] {
  const lines = [
    `${iso(r.file)}: ${r.units} trans-units: ${r.updated} updated, ${r.unchanged} unchanged, ${r.untranslated} without a translation, ${r.notMatched.length} not matched` +
      (r.confirmed ? `; ${r.confirmed} confirmed (final in the file)` : '') +
      (r.matchedByText ? `; ${r.matchedByText} found by their source text (the alignment changed since the export)` : ''),
  ];
  for (const m of r.notMatched) lines.push(`  not matched: ${iso(m.id)} (line ${m.line}): ${m.reason}`);
  return lines;
}

export async function importTranslationCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length !== 2) throw new UsageError(`import-translation needs a PAIR and an XLIFF file, got ${args.length} arguments`);
  const id = pairRef(args[0]);
  const file = path.resolve(args[1]!);
  if (!fs.existsSync(file)) throw new GlossError(`${args[1]}: no such file`, 'file-not-found', { file: args[1]! });
  if (fs.statSync(file).isDirectory()) throw new GlossError(`${args[1]}: is a folder, not an XLIFF file`, 'file-is-folder', { file: args[1]! });
  const name = path.basename(file);
  const report = await call(ctx, 'pairs.importTranslation', { pairId: id, name, base64: fs.readFileSync(file).toString('base64') }, { name: { name: 'FILE' }, base64: { name: 'FILE' } });
  if (ctx.json) return ctx.printJson(report), 0;
  for (const line of importReportLines(report, (t) => isolate(ctx, t))) ctx.print(line);
  return 0;
}

export async function linkCommand(ctx: CliContext, args: string[], options: { shareTags: boolean; noteFrom: string | undefined }): Promise<number> {
  if (args.length !== 2) throw new UsageError(`link needs two ANNOTATION_IDs, got ${args.length}`);
  if (options.noteFrom !== undefined && options.noteFrom !== 'a' && options.noteFrom !== 'b') throw new UsageError(`--note-from must be a (the first annotation) or b (the second), not "${options.noteFrom}"`);
  const result = await call(
    ctx,
    'links.create',
    { a: args[0]!, b: args[1]!, shareTags: options.shareTags, ...(options.noteFrom !== undefined ? { noteFrom: options.noteFrom as 'a' | 'b' } : {}) },
    { a: { name: 'the first ANNOTATION_ID' }, b: { name: 'the second ANNOTATION_ID' } },
  );
  if (ctx.json) return ctx.printJson(result), 0;
  const end = (e: typeof result.link.a) => `${e.annotationId} (document ${e.documentId}, ${e.start}-${e.end} ${isolateDir(e.exact, 'auto')})`;
  ctx.print(`linked ${end(result.link.a)} ↔ ${end(result.link.b)}`);
  return 0;
}

export async function linksCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError(`links needs one DOC, got ${args.length}`);
  const list = await call(ctx, 'links.list', { documentId: (await resolveDocument(ctx, args[0]!)).id });
  if (ctx.json) return ctx.printJson(list), 0;
  if (list.length === 0) ctx.print('No linked annotations.');
  for (const l of list) {
    ctx.print(`${pad(`${l.a.start}-${l.a.end}`, 12)} ${isolateDir(l.a.exact, 'auto')} ↔ document ${l.b.documentId} ${pad(`${l.b.start}-${l.b.end}`, 12)} ${isolateDir(l.b.exact, 'auto')}  (${l.a.annotationId} ↔ ${l.b.annotationId})`);
  }
  return 0;
}
