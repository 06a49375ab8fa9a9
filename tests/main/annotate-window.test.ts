/**
 * A new highlight reads only the blocks around its range (`textAround`): its quote selector must
 * be exactly what the whole text gives, at the document's edges, across blocks, with astral
 * characters, and a range outside the text must still be refused.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteSelector } from '../../src/common/text/canonical.js';
import { Library } from '../../src/main/library.js';
import { textAround } from '../../src/main/store/documents.js';
import { seedFiles, tempDir } from '../helpers.js';

describe('annotating from the text around the range', () => {
  let lib: Library;
  let ids: number[];
  beforeAll(async () => {
    lib = Library.open(tempDir('gloss-window-'));
    await lib.importPaths(seedFiles());
    const emoji = lib.storeParsed('e.txt', {
      title: 'E',
      language: 'en',
      blocks: ['😀 a', '', 'b 😀😀 c', 'end'].filter(Boolean).map((text) => ({ kind: 'paragraph' as const, dir: 'ltr' as const, depth: 0, text })),
    });
    ids = [...lib.list().map((d) => d.id)];
    expect(ids).toContain(emoji.documentId);
  });
  afterAll(() => lib.close());

  it('gives the same quote selector as the whole text, for any range of any document', () => {
    const texts = new Map(ids.map((id) => [id, lib.text(id)]));
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.nat(), fc.nat(200), fc.nat(40), (id, a, len, context) => {
        const text = texts.get(id)!;
        const start = a % text.length;
        const end = Math.min(text.length, start + 1 + len);
        const around = textAround(lib.db, id, start, end, context + 32);
        expect(around.length).toBe(text.length);
        expect(quoteSelector(around, start, end)).toEqual(quoteSelector(text, start, end));
      }),
      { numRuns: 300 },
    );
  });

  it('stores the same annotation as before, and refuses a range outside the text', () => {
    const id = ids[0]!;
    const text = lib.text(id);
    const a = lib.annotate(id, { start: text.length - 5, end: text.length });
    expect({ exact: a.exact, prefix: a.prefix, suffix: a.suffix }).toEqual(quoteSelector(text, text.length - 5, text.length));
    expect(() => lib.annotate(id, { start: text.length - 2, end: text.length + 1 })).toThrow(/outside the document/);
    expect(() => lib.annotate(id, { quote: '' })).toThrow(/The quote is empty/);
  });
});
