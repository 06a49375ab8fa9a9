/** `gloss export`: being written (see its issue); until then it says so. */
import type { CliContext } from './context.js';

export async function exportCommand(ctx: CliContext, _args: string[], _options: { format?: string | undefined; tags: string[]; out?: string | undefined }): Promise<number> {
  ctx.warn('gloss export: not available yet');
  return 1;
}
