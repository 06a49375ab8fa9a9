#!/usr/bin/env node
'use strict';
// The `gloss` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'main', 'cli.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write(`gloss: ${cli} is missing; run \`npm run build\` in ${path.dirname(__dirname)} first\n`);
  process.exit(1);
}
// `gloss list | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0); else throw e; });
}
require(cli)
  .main(process.argv.slice(2))
  .then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`gloss: unexpected error: ${(e && e.stack) || e}\n`); process.exitCode = 1; },
  );
