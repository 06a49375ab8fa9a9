/**
 * Pages and authors from real documents reach every export: a paged document (as the PDF reader
 * makes it) with a Word-style comment that came with it, stored through the library's import path,
 * then exported as CSV, Markdown, the HTML report and W3C JSON-LD. Also: CSV cells that would start
 * a spreadsheet formula are written safe.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../../src/common/model.js';
import { exportAnnotations } from '../../src/main/export/export-service.js';
import { Library } from '../../src/main/library.js';
import { repoRoot, sharedDir, tempDir } from '../helpers.js';

const Papa = createRequire(import.meta.url)('papaparse') as { parse(text: string, options?: { header?: boolean }): { data: Record<string, string>[]; errors: unknown[] } };
const validator = path.join(sharedDir, 'conformance', 'validate-wadm.cjs');

const paged: ParsedDocument = {
  title: 'A paged report',
  language: 'en',
  meta: { sourceKind: 'pdf', pageCount: 3, author: 'R. Author' },
  blocks: [
    { kind: 'heading', dir: 'ltr', depth: 0, text: 'Findings', meta: { level: 1, pages: ['11'] } },
    { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The first finding is stated on page eleven.', meta: { pages: ['11'] } },
    { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'A long paragraph that runs from page eleven onto page twelve.', meta: { pages: ['11', '12'] } },
    { kind: 'note', dir: 'ltr', depth: 0, text: '1 A footnote on page twelve.', meta: { label: '1', pages: ['12'] } },
    { kind: 'paragraph', dir: 'ltr', depth: 0, text: 'The last paragraph sits on page thirteen.', meta: { pages: ['13'] } },
  ],
};

async function exportString(lib: Library, format: 'csv' | 'md' | 'html' | 'jsonld'): Promise<string> {
  let out = '';
  await exportAnnotations(lib, { format }, (chunk) => void (out += chunk));
  return out;
}

describe('pages and authors in exports', () => {
  let lib: Library;
  let documentId: number;
  const text = paged.blocks.map((b) => b.text).join('\n');
  const span = (quote: string) => ({ start: text.indexOf(quote), end: text.indexOf(quote) + quote.length });
  beforeAll(() => {
    lib = Library.open(tempDir('gloss-pages-'));
    const outcome = lib.storeParsed('report.pdf', {
      ...paged,
      annotations: [{ ...span('runs from page eleven onto page twelve'), note: '=HYPERLINK("http://evil.example","click")', author: 'Reviewer Two', created: '2026-01-05T10:00:00.000Z' }],
    });
    expect(outcome).toMatchObject({ status: 'imported', annotations: 1 });
    documentId = outcome.documentId!;
    lib.annotate(documentId, span('The last paragraph'), { tags: ['claim/factual'], note: '+1 agreed' });
  });
  afterAll(() => lib.close());

  it('keeps pages on blocks, document metadata and the comment author through the store', () => {
    const doc = lib.get(documentId);
    expect(doc.meta).toEqual({ sourceKind: 'pdf', pageCount: 3, author: 'R. Author' });
    expect(doc.blocks.map((b) => b.meta?.pages)).toEqual([['11'], ['11'], ['11', '12'], ['12'], ['13']]);
    expect(doc.blocks[3]).toMatchObject({ kind: 'note', meta: { label: '1' } });
    const [comment, own] = lib.annotations(documentId);
    expect(comment).toMatchObject({ author: 'Reviewer Two', created: '2026-01-05T10:00:00.000Z', exact: 'runs from page eleven onto page twelve' });
    expect(own!.author).toBeUndefined();
  });

  it('CSV: a page column (a range across a page break), the author, and no cell that starts a formula', async () => {
    const csv = await exportString(lib, 'csv');
    const rows = Papa.parse(csv.slice(1), { header: true }).data.filter((r) => r.document);
    expect(rows.map((r) => [r.page, r.author])).toEqual([
      ['11–12', 'Reviewer Two'],
      ['13', ''],
    ]);
    expect(rows[0]!.note).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[1]!.note).toBe(`'+1 agreed`);
    for (const r of rows) for (const cell of Object.values(r)) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('Markdown and the HTML report cite the pages and name the author', async () => {
    const md = await exportString(lib, 'md');
    expect(md).toContain('*pp. 11–12 · yellow · 2026-01-05 · Reviewer Two*');
    expect(md).toMatch(/\*p\. 13 · yellow · /);
    const html = await exportString(lib, 'html');
    expect(html).toContain('pp. 11–12 · yellow');
    expect(html).toContain('by Reviewer Two');
  });

  it('JSON-LD: an RFC 3778 FragmentSelector with the first page, and the creator', async () => {
    const data = JSON.parse(await exportString(lib, 'jsonld'));
    const [comment, own] = data.first.items;
    expect(comment.creator).toEqual({ type: 'Person', name: 'Reviewer Two' });
    expect(comment.target.selector[2]).toEqual({ type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=11' });
    expect(own.target.selector[2]).toEqual({ type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=13' });
    expect(own.creator).toBeUndefined();
  });

  it.skipIf(!fs.existsSync(validator))(`JSON-LD with page selectors passes the W3C assertions (needs ${validator})`, async () => {
    const file = path.join(tempDir('gloss-pages-out-'), 'paged.jsonld');
    fs.writeFileSync(file, await exportString(lib, 'jsonld'));
    const r = spawnSync(process.execPath, [validator, file, '--selectors'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('2 passed, 0 failed');
    expect(r.status).toBe(0);
  });
});

describe('exporting chosen colours', () => {
  it('keeps only the annotations of the colours asked for, with a tag filter too', async () => {
    const lib = Library.open(tempDir('gloss-colours-'));
    try {
      const id = lib.storeParsed('c.txt', { title: 'C', language: 'en', blocks: [{ kind: 'paragraph', dir: 'ltr', depth: 0, text: 'one two three four' }] }).documentId!;
      lib.annotate(id, { quote: 'one' }, { color: 'green', tags: ['a'] });
      lib.annotate(id, { quote: 'two' }, { color: 'pink', tags: ['a/b'] });
      lib.annotate(id, { quote: 'three' }, { color: 'green' });
      const quotes = async (options: { colors?: ('green' | 'pink')[]; tags?: string[] }) => {
        let out = '';
        await exportAnnotations(lib, { format: 'jsonld', ...options }, (c) => void (out += c));
        return JSON.parse(out).first.items.map((a: { target: { selector: { exact?: string }[] } }) => a.target.selector[0]!.exact);
      };
      expect(await quotes({ colors: ['green'] })).toEqual(['one', 'three']);
      expect(await quotes({ colors: ['green', 'pink'], tags: ['a'] })).toEqual(['one', 'two']);
      expect(await quotes({ colors: ['pink'], tags: ['a'] })).toEqual(['two']);
    } finally {
      lib.close();
    }
  });
});
