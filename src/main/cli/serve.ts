/** `gloss serve`: placeholder until the browser host lands (src/main/host). */
import type { CliContext } from './context.js';

export async function serve(ctx: CliContext, _options: { port: number }): Promise<number> {
  ctx.warn('gloss serve: the browser host is not built yet');
  return 1;
}
