/** `gloss update`: being written (see its issue); until then it says so. */
import type { CliContext } from './context.js';

export async function updateCommand(ctx: CliContext, _args: string[]): Promise<number> {
  ctx.warn('gloss update: not available yet');
  return 1;
}
