/** `gloss import-annotations`: being written (see its issue); until then it says so. */
import type { CliContext } from './context.js';

export async function importAnnotationsCommand(ctx: CliContext, _args: string[], _options: { into?: string | undefined }): Promise<number> {
  ctx.warn('gloss import-annotations: not available yet');
  return 1;
}
