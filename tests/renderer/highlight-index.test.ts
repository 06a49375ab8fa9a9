/**
 * The reader's highlight index: loading a document's highlights at once gives each the layer that
 * placing them one by one in start order (`assignLayers`) gives, keeps them in start order, and
 * finds those over a range as a scan of the whole list would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../src/common/model.js';
import { HighlightIndex } from '../../src/renderer/reader/highlight-index.js';
import { assignLayers } from '../../src/common/text/layers.js';

const annotation = (id: string, start: number, end: number, status: Annotation['status'] = 'anchored'): Annotation => ({
  id,
  documentId: 1,
  start,
  end,
  exact: '',
  prefix: '',
  suffix: '',
  color: 'yellow',
  note: '',
  status,
  tags: [],
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
});

const ranges = fc.array(
  fc.record({ start: fc.integer({ min: 0, max: 400 }), length: fc.integer({ min: 0, max: 60 }), orphan: fc.boolean() }),
  { maxLength: 120 },
);

describe('HighlightIndex', () => {
  it('gives every highlight the layer assignLayers gives, in start order, longer first at a tie', () => {
    fc.assert(
      fc.property(ranges, (rs) => {
        const list = rs.map((r, i) => annotation(`a${i}`, r.start, r.start + r.length, r.orphan && i % 3 === 0 ? 'orphaned' : 'anchored'));
        const index = new HighlightIndex();
        index.reset(list);
        const drawn = list.filter((a) => a.status === 'anchored' && a.end > a.start);
        const want = assignLayers(drawn.map((a) => ({ from: a.start, to: a.end, id: a.id }))).map((p) => ({ id: p.id, start: p.from, end: p.to, layer: p.layer }));
        const got = index.overlapping(0, 1_000).map((i) => ({ id: i.id, start: i.start, end: i.end, layer: i.layer }));
        expect(got).toEqual(want);
        expect(index.size).toBe(drawn.length);
        for (const a of drawn) expect(index.get(a.id)?.layer).toBe(want.find((w) => w.id === a.id)!.layer);
      }),
    );
  });

  it('finds the highlights over a range as a scan of all of them would', () => {
    fc.assert(
      fc.property(ranges, fc.integer({ min: 0, max: 460 }), fc.integer({ min: 1, max: 80 }), (rs, from, span) => {
        const list = rs.map((r, i) => annotation(`a${i}`, r.start, r.start + r.length));
        const index = new HighlightIndex();
        index.reset(list);
        const want = list.filter((a) => a.end > a.start && a.start < from + span && a.end > from).map((a) => a.id).sort();
        expect(index.overlapping(from, from + span).map((i) => i.id).sort()).toEqual(want);
      }),
    );
  });

  it('stacks three highlights over one word on three layers, and a fourth shares the last', () => {
    const index = new HighlightIndex();
    index.reset([annotation('a', 0, 10), annotation('b', 2, 8), annotation('c', 3, 6), annotation('d', 4, 5), annotation('e', 20, 30)]);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => index.get(id)?.layer)).toEqual([0, 1, 2, 3, 0]);
    const f = index.add(annotation('f', 4, 5));
    expect(f?.layer).toBe(3);
  });
});
