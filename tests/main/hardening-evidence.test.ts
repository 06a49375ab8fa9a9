/**
 * Item 7: the evidence an end-to-end failure leaves says why it failed. The e2e harness writes
 * the failure's message and stack first in test-results/failures/<test>.txt (then the page and
 * the server's stderr), and there are no retries to hide a first failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepEvidence } from '../e2e/harness.js';
import { repoRoot } from '../helpers.js';

describe('end-to-end failure evidence', () => {
  it('writes the failure message and stack into the evidence file', async () => {
    const name = `evidence self-check ${process.pid}`;
    const file = await keepEvidence(name, ['AssertionError: expected 2 to be 3\n    at somewhere.test.ts:1:1'], [], []);
    try {
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toMatch(new RegExp(`^test: ${name}\\n`));
      expect(text).toContain('failure:\nAssertionError: expected 2 to be 3\n    at somewhere.test.ts:1:1');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('no end-to-end suite is retried', () => {
    const harness = fs.readFileSync(path.join(repoRoot, 'tests/e2e/harness.ts'), 'utf8');
    const dir = path.join(repoRoot, 'tests/e2e');
    const sources = [harness, ...fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))];
    for (const source of sources) expect(source).not.toMatch(/\bretry\s*:/);
    const config = fs.readFileSync(path.join(repoRoot, 'vitest.config.ts'), 'utf8');
    expect(config).not.toMatch(/\bretry\s*:/);
  });
});
