/** `gloss import-annotations FILE.jsonld [--into DOC] [--json]`: brings exported annotations back. */
import { importAnnotationsFile } from '../export/import-annotations.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage-error.js';

/** Reasons printed before "and N more". */
const MAX_REASONS = 20;

export async function importAnnotationsCommand(ctx: CliContext, args: string[], options: { into?: string | undefined }): Promise<number> {
  if (args.length !== 1) throw new UsageError(`import-annotations takes one FILE.jsonld, got ${args.length}`);
  const file = args[0]!;
  const lib = ctx.library();
  const into = options.into !== undefined ? lib.resolve(options.into).id : undefined;
  const report = importAnnotationsFile(lib, file, { intoDocumentId: into });
  if (ctx.json) {
    ctx.printJson(report);
    return 0;
  }
  ctx.print(`${file}: ${report.total} annotation(s): added ${report.added}, updated ${report.updated}, orphaned ${report.orphaned}, skipped ${report.skipped}`);
  for (const n of report.notes.slice(0, MAX_REASONS)) ctx.print(`  ${n.outcome.padEnd(8)} ${n.id}: ${n.reason}`);
  if (report.notes.length > MAX_REASONS) ctx.print(`  ... and ${report.notes.length - MAX_REASONS} more (see --json)`);
  return 0;
}
