/**
 * `npm run bench [-- --quick]`: Gloss measured at book scale, every figure beside a baseline run in
 * the same process. Prints a table and writes bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './corpus.js';
import { printTable, type Figure } from './figures.js';
import { benchEdit, benchImport, benchSearch } from './library.js';
import { benchExport } from './export.js';
import { benchAlignment } from './alignment.js';
import { benchAnchoring } from './anchoring.js';
import { benchUi } from './ui.js';
import { benchPdfImport } from './pdf.js';
import { benchPairUi } from './pair-ui.js';
import { benchTeam } from './team.js';

const quick = process.argv.includes('--quick');
const MB = 1024 * 1024;

function chromiumVersion(): string | null {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const figures: Figure[] = [];
  const step = async (name: string, run: () => Figure[] | Promise<Figure[]>) => {
    const t = Date.now();
    process.stderr.write(`bench: ${name}…`);
    const out = await run();
    figures.push(...out);
    process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  };

  await step('import', () => benchImport(quick ? 0.2 * MB : 5 * MB));
  await step('pdf import', () => benchPdfImport({ quick }));
  await step('search', () => benchSearch(quick ? 0.5 * MB : 20 * MB));
  await step('edit', () => benchEdit(quick ? 0.5 * MB : 5 * MB, quick ? 1000 : 10_000));
  await step('export', () => benchExport(quick ? [200, 2000] : [1000, 100_000]));
  await step('anchoring', () => benchAnchoring({ quick }));
  await step('alignment', () => benchAlignment({ quick }));
  await step('ui', () => benchUi({ quick }));
  await step('pair desk', () => benchPairUi({ quick }));
  await step('team sync', () => benchTeam({ quick }));

  const results = {
    date: new Date().toISOString(),
    quick,
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      chromium: chromiumVersion(),
      platform: `${os.platform()} ${os.release()}`,
    },
    seconds: (Date.now() - started) / 1000,
    figures,
  };
  console.log(printTable(figures));
  const missed = figures.filter((f) => f.met === false);
  console.log(missed.length ? `\n${missed.length} target(s) missed: ${missed.map((f) => f.name).join('; ')}` : '\nAll targets met.');
  fs.mkdirSync(path.join(repoRoot, 'bench'), { recursive: true });
  const out = path.join(repoRoot, 'bench', quick ? 'results.quick.json' : 'results.json');
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${path.relative(repoRoot, out)} in ${results.seconds.toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
