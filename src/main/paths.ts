/** Where the app's own files are: the package root (seeds, locales, the built renderer). */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The folder holding Gloss's package.json, found upward from this module (`__dirname` in the
 * CommonJS bundles and under vitest). An ES module runner without `__dirname` (tsx, which runs the
 * benchmarks) looks upward from the working folder and the entry script instead; `import.meta`
 * is not used because the bundles lack it.
 */
export function appRoot(): string {
  if (cached) return cached;
  if (process.env.GLOSS_APP_ROOT) return (cached = path.resolve(process.env.GLOSS_APP_ROOT));
  const starts = [typeof __dirname === 'string' ? __dirname : undefined, process.cwd(), process.argv[1] && path.dirname(process.argv[1])];
  for (const start of starts) {
    if (!start) continue;
    for (let dir = start; ; ) {
      const pkg = path.join(dir, 'package.json');
      if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'gloss') return (cached = dir);
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`Cannot find Gloss's package root above ${starts.filter(Boolean).join(' or ')}`);
}

export const seedsDir = (): string => path.join(appRoot(), 'seeds');
export const rendererDir = (): string => path.join(appRoot(), 'dist', 'renderer');
export const localesDir = (): string => path.join(appRoot(), 'locales');
