/** Where the app's own files are: the package root (seeds, locales, the built renderer). */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The folder holding Gloss's package.json, found upward from this module (source or bundle). */
export function appRoot(): string {
  if (cached) return cached;
  if (process.env.GLOSS_APP_ROOT) return (cached = path.resolve(process.env.GLOSS_APP_ROOT));
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'gloss') return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Cannot find Gloss's package root above ${__dirname}`);
    dir = up;
  }
}

export const seedsDir = (): string => path.join(appRoot(), 'seeds');
export const rendererDir = (): string => path.join(appRoot(), 'dist', 'renderer');
export const localesDir = (): string => path.join(appRoot(), 'locales');
