/**
 * `gloss update DOC FILE [--json]`: replaces a document's text with a new version of its source
 * and re-anchors every annotation (stored position, exact quote, fuzzy match, or orphan). The
 * previous text is kept as a revision. A file that cannot be read or imported changes nothing.
 *
 * The update itself is not `documents.updateFromFile`: that verb answers counts for the app's
 * dialog, while this reports every annotation's new place and score, and keeps the title. It goes
 * through the same editing service (`editing.updateFromParsed`); reading goes through the handler
 * table.
 */
import path from 'node:path';
import { ImportError } from '../import/errors.js';
import { readImportFile } from '../import/index.js';
import { parseIsolated } from '../import/isolated.js';
import { updateFromParsed } from '../editing.js';
import { call, resolveDocument } from './client.js';
import type { CliContext } from './context.js';
import { isolate } from './terminal.js';
import { UsageError } from './usage-error.js';


function shorten(s: string, max = 80): string {
  const flat = s.replace(/\s+/gu, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export async function updateCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length !== 2) throw new UsageError(`update needs a DOC and a FILE, got ${args.length} argument(s)`);
  const [ref, file] = args as [string, string];
  const doc = await resolveDocument(ctx, ref);
  const lib = ctx.library();

  // Read and import the new version first: a bad file stops here, before anything is written.
  let parsed;
  try {
    const { name, bytes } = readImportFile(file);
    parsed = await parseIsolated(name, bytes);
  } catch (e) {
    if (e instanceof ImportError) {
      ctx.warn(`gloss update: ${file}: ${e.reason}. Document ${doc.id} was not changed.`);
      return 1;
    }
    throw e;
  }

  const before = new Map((await call(ctx, 'annotations.list', { documentId: doc.id })).map((a) => [a.id, a]));
  const outcome = updateFromParsed(lib, doc.id, parsed, path.basename(file));
  const orphans = outcome.results.filter((r) => r.status === 'orphaned').map((r) => ({ id: r.id, exact: before.get(r.id)?.exact ?? r.exact, note: before.get(r.id)?.note ?? '' }));

  if (ctx.json) {
    ctx.printJson({
      documentId: doc.id,
      title: doc.title,
      file,
      changed: outcome.changed,
      revisionId: outcome.revisionId,
      counts: outcome.counts,
      orphans,
      results: outcome.results.map((r) => ({ id: r.id, status: r.status, start: r.start, end: r.end, score: Number(r.score.toFixed(3)) })),
    });
    return 0;
  }
  if (!outcome.changed) {
    ctx.print(`Document ${doc.id} ${isolate(ctx, doc.title)} already has the text of ${file}; nothing changed.`);
    return 0;
  }
  const c = outcome.counts;
  const total = c.stayed + c.moved + c.fuzzy + c.orphaned;
  ctx.print(`Updated document ${doc.id} ${isolate(ctx, doc.title)} from ${file}; revision ${outcome.revisionId} keeps the previous text.`);
  ctx.print(`${total} annotation(s): ${c.stayed} stayed, ${c.moved} moved, ${c.fuzzy} placed by fuzzy match, ${c.orphaned} orphaned.`);
  if (orphans.length > 0) {
    ctx.print('Orphaned (kept with their quote, tags and note; shown as detached):');
    for (const o of orphans) ctx.print(`  ${o.id}  ${isolate(ctx, `"${shorten(o.exact)}"`)}`);
  }
  return 0;
}
