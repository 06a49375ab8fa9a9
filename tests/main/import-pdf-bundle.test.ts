/**
 * The PDF reader bundled as the app bundles the main process (esbuild, CommonJS, `pdfjs-dist`
 * external) and run by plain Node from another folder: pdf.js must load through the kept dynamic
 * `import()`, take its standard font data from the package on disk (found from the bundle's own
 * place), and read a PDF set in a standard font.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers.js';
import { helveticaPdf } from '../fixtures/pdf/write-pdf.js';

describe('PDF reader in a CommonJS bundle', () => {
  it('loads pdf.js by dynamic import and reads a PDF in Node', async () => {
    // Inside the repository, as dist/main is, so that node_modules resolves from the bundle.
    const outDir = path.join(repoRoot, 'node_modules', '.cache', 'gloss-pdf-bundle');
    const outfile = path.join(outDir, 'read-pdf.cjs');
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'src/main/import/pdf/read-pdf.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'es2022',
      external: ['pdfjs-dist'],
      outfile,
      logLevel: 'silent',
    });
    const bundle = fs.readFileSync(outfile, 'utf8');
    expect(bundle).toContain('import("pdfjs-dist/legacy/build/pdf.mjs")');

    const dir = tempDir('gloss-pdf-bundle-');
    const file = path.join(dir, 'plain.pdf');
    fs.writeFileSync(
      file,
      helveticaPdf([
        [
          { x: 72, y: 700, size: 20, text: 'Bundled Reader' },
          { x: 72, y: 670, size: 11, text: 'Read by the CommonJS bundle.' },
        ],
      ]),
    );
    // pdf.js reads its data files with fs.promises.readFile: the script records what it reads.
    const script = `
      const fs = require('node:fs');
      const natives = [Array.prototype.push, JSON.parse, JSON.stringify];
      const read = [];
      const readFile = fs.promises.readFile;
      fs.promises.readFile = (p, ...rest) => (read.push(String(p)), readFile.call(fs.promises, p, ...rest));
      const { readPdf } = require(${JSON.stringify(outfile)});
      const bytes = new Uint8Array(fs.readFileSync(${JSON.stringify(file)}));
      readPdf(bytes, 'plain.pdf', {}).then((doc) => {
        const kept = [Array.prototype.push, JSON.parse, JSON.stringify].every((f, i) => f === natives[i]);
        process.stdout.write(JSON.stringify({ doc, read, kept }));
      }, (e) => { console.error(e); process.exit(1); });
    `;
    // From a folder outside the repository: the bundle must not depend on the working folder.
    const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const { doc, read, kept } = JSON.parse(out) as { doc: { blocks: { kind: string; text: string }[]; meta: unknown }; read: string[]; kept: boolean };
    // pdf.js's polyfills for Array.prototype.push and JSON (slower than the engine's) are undone.
    expect(kept).toBe(true);
    // Helvetica is not embedded: pdf.js took the standard font data from the installed package.
    const font = path.join(repoRoot, 'node_modules', 'pdfjs-dist', 'standard_fonts', 'LiberationSans-Regular.ttf');
    expect(read).toContain(font);
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['heading', 'Bundled Reader'],
      ['paragraph', 'Read by the CommonJS bundle.'],
    ]);
    expect(doc.meta).toEqual({ sourceKind: 'pdf', pageCount: 1 });
  });
});
