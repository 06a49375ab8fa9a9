/** `gloss serve`: the browser host on 127.0.0.1 until SIGINT or SIGTERM. */
import fs from 'node:fs';
import path from 'node:path';
import { GlossError } from '../../common/api.js';
import { startBrowserHost, type BrowserHost } from '../host/server.js';
import { createHandlers } from '../handlers.js';
import { LiveTeam } from '../team/live.js';
import { localesDir, rendererDir } from '../paths.js';
import type { CliContext } from './context.js';

export async function serve(ctx: CliContext, options: { port: number }): Promise<number> {
  const library = ctx.library();
  // In a team, the host keeps a live session: remote changes reach the open document at once.
  const team = new LiveTeam(library).start();
  let host: BrowserHost;
  try {
    host = await startBrowserHost({ library, port: options.port, rendererDir: rendererDir(), localesDir: localesDir(), handlers: createHandlers(library, team) });
  } catch (e) {
    await team.close();
    ctx.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new GlossError(`port ${options.port} is already in use; choose another with --port N, or --port 0 for any free port`, 'port-in-use', { port: options.port });
    if (code === 'EACCES') throw new GlossError(`not allowed to listen on port ${options.port}; choose a port above 1024, or --port 0`, 'port-not-allowed', { port: options.port });
    throw e;
  }
  // Tests and scripts/start.mjs read this line; keep it the only line on stdout.
  ctx.print(`Gloss is serving on ${host.url}`);
  if (!fs.existsSync(path.join(rendererDir(), 'index.html'))) {
    ctx.warn(`The interface is not built (${rendererDir()} has no index.html): run \`npm run build\`. The API is served meanwhile.`);
  }
  ctx.warn('Open the URL above in a browser. Stop with Ctrl+C.');

  // Ctrl+C in a terminal signals the whole process group, so `npm start`'s forwarded copy can
  // arrive as well: the first signal stops the host and later ones are ignored until it is closed.
  let stop: (s: NodeJS.Signals) => void = () => {};
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    let received: NodeJS.Signals | undefined;
    stop = (s) => {
      if (received) return;
      received = s;
      resolve(s);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  try {
    await host.close();
    await team.close();
    ctx.close();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  ctx.warn(`Gloss stopped (${signal}); the library is closed.`);
  return 0;
}
