#!/usr/bin/env node
// Builds every bundle with esbuild (a second or two). Runs on `npm install` (prepare) and before tests.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const at = (...p) => path.join(root, ...p);
// pdf.js stays a package on disk: an ES module loaded by `import()` at run time, with its font data.
const external = ['electron', 'better-sqlite3', 'pdfjs-dist'];
// `@gloss/locales/<lang>/translation.json`: the catalogues bundled into whichever layer needs them
// (the renderer, the Electron menu) without a relative import across layers.
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none', charset: 'utf8', target: 'es2022', alias: { '@gloss/locales': at('locales') } };

const node = [
  { in: 'src/main/cli/main.ts', out: 'dist/main/cli.cjs' },
  { in: 'src/main/electron/main.ts', out: 'dist/main/electron-main.cjs' },
  // Readers run in a worker thread, off the thread that serves the app (src/main/import/isolated.ts).
  { in: 'src/main/import/worker.ts', out: 'dist/main/import-worker.cjs' },
];
const jobs = [];
for (const e of node) {
  if (!fs.existsSync(at(e.in))) continue;
  jobs.push(esbuild.build({ ...common, entryPoints: [at(e.in)], outfile: at(e.out), platform: 'node', format: 'cjs', external }));
}
if (fs.existsSync(at('src/preload/index.ts'))) {
  // A sandboxed preload may require only 'electron': everything else is bundled in.
  jobs.push(esbuild.build({ ...common, entryPoints: [at('src/preload/index.ts')], outfile: at('dist/preload/preload.cjs'), platform: 'node', format: 'cjs', external: ['electron'] }));
}
if (fs.existsSync(at('src/renderer/index.ts'))) {
  jobs.push(
    esbuild.build({
      ...common,
      entryPoints: [at('src/renderer/index.ts')],
      outdir: at('dist/renderer'),
      // The page parses its script before the first text shows: minified, it is a third the size.
      minify: true,
      entryNames: 'app',
      platform: 'browser',
      format: 'esm',
      loader: { '.woff2': 'file', '.woff': 'file', '.json': 'json' },
      assetNames: 'fonts/[name]-[hash]',
    }),
  );
}
const started = Date.now();
await Promise.all(jobs);
if (fs.existsSync(at('src/renderer/index.html'))) {
  // The regular faces of the reading and interface fonts are asked for with the script, not when
  // the first layout finds it needs them: by then the host may be sending a book, and the first
  // text would be laid out in a fallback font, then again when its own font came (font-display: swap).
  const regular = fs.readdirSync(at('dist/renderer/fonts')).filter((f) => /^noto-(sans|serif)-hebrew-(hebrew|latin)-400-normal-[A-Z0-9]+\.woff2$/.test(f)).sort();
  const preload = regular.map((f) => `<link rel="preload" href="fonts/${f}" as="font" type="font/woff2" crossorigin />`).join('\n    ');
  const html = fs.readFileSync(at('src/renderer/index.html'), 'utf8').replace('<link rel="stylesheet"', `${preload}\n    <link rel="stylesheet"`);
  fs.writeFileSync(at('dist/renderer/index.html'), html);
}
console.log(`build: ${jobs.length} bundle(s) in ${Date.now() - started} ms`);
