/**
 * `gloss import-annotations FILE [--into DOC] [--keep-orphans] [--json]`: annotations from Gloss's
 * exports, any tool's W3C JSON-LD or Hypothesis's API JSON. Prints the counts, the documents they
 * went to (and how each was recognised), then every annotation that needs a word, with the reason.
 *
 * Not through the handler table: `export.importAnnotations` carries the file as base64 within the
 * transports' 70 MB cap, while a long import (100,000 annotations) is read here from disk whatever
 * its size. Both run the same importer, which checks every annotation the file holds.
 */
import type { AnnotationImportSummary } from '../../common/api.js';
import { importAnnotationsFile } from '../export/import-annotations.js';
import { resolveDocument } from './client.js';
import type { CliContext } from './context.js';
import { isolate } from './terminal.js';
import { UsageError } from './usage-error.js';

/** Reasons printed before "and N more". */
const MAX_REASONS = 20;

const FORMAT: Record<AnnotationImportSummary['format'], string> = { w3c: 'W3C Web Annotations', hypothesis: 'Hypothesis API JSON' };
const MATCHED_BY: Record<AnnotationImportSummary['documents'][number]['matchedBy'], string> = {
  into: 'given with --into',
  id: 'holding annotations with the same ids',
  hash: 'the same text (content hash)',
  url: 'its URL',
  name: 'its file name',
  title: 'its title',
  quote: 'its quotes',
  holding: 'unplaced: the text is not in the library',
};


export async function importAnnotationsCommand(ctx: CliContext, args: string[], options: { into?: string | undefined; keepOrphans?: boolean | undefined }): Promise<number> {
  if (args.length !== 1) throw new UsageError(`import-annotations takes one FILE (.jsonld or .json), got ${args.length}`);
  const file = args[0]!;
  const lib = ctx.library();
  const into = options.into !== undefined ? (await resolveDocument(ctx, options.into)).id : undefined;
  const report = importAnnotationsFile(lib, file, { intoDocumentId: into, keepOrphans: options.keepOrphans });
  if (ctx.json) {
    ctx.printJson(report);
    return 0;
  }
  ctx.print(
    `${file} (${FORMAT[report.format]}): ${report.total} annotation(s): added ${report.added}, updated ${report.updated}, orphaned ${report.orphaned}, skipped ${report.skipped}; placed approximately ${report.approximate}`,
  );
  for (const d of report.documents) ctx.print(`  document ${d.documentId} ${isolate(ctx, d.title)}: ${d.annotations} annotation(s), found by ${MATCHED_BY[d.matchedBy]}${d.note ? ` (${d.note})` : ''}`);
  const doubtful = report.annotations.filter((a) => a.doubtful).map((a) => ({ id: a.id, outcome: 'doubtful', reason: a.how }));
  const lines = [...report.notes, ...doubtful];
  for (const n of lines.slice(0, MAX_REASONS)) ctx.print(`  ${n.outcome.padEnd(11)} ${n.id}: ${n.reason}`);
  if (lines.length > MAX_REASONS) ctx.print(`  ... and ${lines.length - MAX_REASONS} more (see --json)`);
  return 0;
}
