/**
 * `gloss export [DOC...] --format jsonld|csv|md|html|qdpx [--tag PATH]... [--out FILE]`
 *
 * Without --out the export streams to stdout. With --out it is written to a temporary file next to
 * FILE, flushed, and renamed over FILE only when complete, so a failed export leaves no half file.
 * Without --format the format comes from FILE's extension. A REFI-QDA project (qdpx) is a zip:
 * it goes to a file, or to stdout only when that is not a terminal.
 *
 * Not through the handler table: `export.annotations` answers the whole export in one string (or
 * base64), while this streams it in bounded memory, however large the library. Both run the same
 * export service with the same filters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GlossError } from '../../common/api.js';
import { EXPORT_FORMATS, FORMAT_FILES, isBinaryFormat, isExportFormat, type ExportFormat } from '../../common/export/types.js';
import { exportAnnotations, planExport, streamWriter, type ExportResult } from '../export/export-service.js';
import { exportQdpx } from '../export/qdpx.js';
import { resolveDocument } from './client.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage-error.js';

const BY_EXTENSION: Record<string, ExportFormat> = { '.jsonld': 'jsonld', '.json': 'jsonld', '.csv': 'csv', '.md': 'md', '.markdown': 'md', '.html': 'html', '.htm': 'html', '.qdpx': 'qdpx' };

function chooseFormat(format: string | undefined, out: string | undefined): ExportFormat {
  if (format !== undefined) {
    if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${format}"`);
    return format;
  }
  const byExt = out ? BY_EXTENSION[path.extname(out).toLowerCase()] : undefined;
  if (byExt) return byExt;
  throw new UsageError(`export needs --format ${EXPORT_FORMATS.join('|')}${out ? ` (the extension of ${out} does not say)` : ''}`);
}

async function toFile(out: string, run: (write: (chunk: string | Uint8Array) => Promise<void>) => Promise<ExportResult>): Promise<ExportResult> {
  const target = path.resolve(out);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new GlossError(`--out: the folder ${dir} does not exist`, 'folder-not-found', { path: dir });
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new GlossError(`--out: ${target} is a folder`, 'file-is-folder', { file: target });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.part`);
  // A 1 MiB buffer lets the disk write while the next chunks are made; memory stays bounded by it.
  const stream = fs.createWriteStream(temp, { flags: 'wx', encoding: 'utf8', flush: true, highWaterMark: 1024 * 1024 });
  // Interrupted (Ctrl-C): remove the partial file before leaving.
  const interrupted = (signal: NodeJS.Signals) => {
    fs.rmSync(temp, { force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const result = await run(streamWriter(stream));
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    fs.renameSync(temp, target);
    return result;
  } catch (e) {
    stream.destroy();
    fs.rmSync(temp, { force: true });
    throw e;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

export async function exportCommand(ctx: CliContext, args: string[], options: { format?: string | undefined; tags: string[]; out?: string | undefined }): Promise<number> {
  const format = chooseFormat(options.format, options.out);
  const lib = ctx.library();
  const documentIds: number[] = [];
  for (const ref of args) documentIds.push((await resolveDocument(ctx, ref)).id);
  // Check the documents and tags before a file is made.
  planExport(lib, { documentIds, tags: options.tags });
  const request = { format, documentIds, tags: options.tags };
  const binary = isBinaryFormat(format);
  if (binary && !options.out && (ctx.stdout as NodeJS.WriteStream).isTTY) throw new UsageError(`${format} is a zip archive: give --out FILE${FORMAT_FILES[format].extension}, or redirect the output to a file`);
  const run = (write: (chunk: string | Uint8Array) => Promise<void>) => (binary ? exportQdpx(lib, request, write) : exportAnnotations(lib, request, write));
  // Detached annotations have no passage, so a REFI-QDA selection cannot hold them.
  const leftOut = (result: ExportResult) => {
    if (result.detached) ctx.warn(`gloss export: ${result.detached} detached annotation(s) left out (${format} needs a passage in the text for each)`);
  };
  if (options.out) {
    const out = options.out;
    const result = await toFile(out, run);
    if (ctx.json) ctx.printJson({ ...result, out: path.resolve(out) });
    else ctx.warn(`exported ${result.annotations} annotation(s) from ${result.documents} document(s) as ${format} to ${out}`);
    leftOut(result);
    return 0;
  }
  const result = await run(streamWriter(ctx.stdout));
  if (result.annotations === 0) ctx.warn('gloss export: no annotations matched');
  leftOut(result);
  return 0;
}
