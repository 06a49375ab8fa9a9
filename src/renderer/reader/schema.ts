/**
 * The reading schema: `doc > block+`, one text block per stored block, each with its own `dir`.
 *
 * Opposite-direction runs are an `iso` mark rather than decorations. A decoration wraps each text
 * segment on its own, so a highlight that starts or ends inside `S-300` would split one isolate
 * into two, and a right-to-left paragraph then lays the two pieces out right to left (`-300S`);
 * a mark keeps one wrapper around all the segments it covers. The mark is computed from the text
 * when the document is built and changes no character, so offsets are untouched.
 */
import { Schema, type Node as PMNode, type NodeSpec } from 'prosemirror-model';
import type { Block } from '../../common/model.js';
import { isolatedRuns } from './bidi.js';

const MAX_DEPTH = 6;

function blockSpec(tag: string, extra: (node: PMNode) => Record<string, string> = () => ({})): NodeSpec {
  return {
    group: 'block',
    content: 'text*',
    marks: 'iso highlight',
    defining: true,
    // `fresh`: made in the editor (Enter, paste), so it takes the direction of its first strong
    // character as it is typed; blocks that came with the text keep theirs.
    attrs: { dir: { default: 'ltr' }, depth: { default: 0 }, index: { default: 0 }, fresh: { default: false } },
    toDOM: (node) => [tag, { dir: node.attrs.dir as string, 'data-block': String(node.attrs.index), ...extra(node) }, 0],
    parseDOM: [{ tag, getAttrs: (dom) => ({ dir: (dom as HTMLElement).getAttribute('dir') === 'rtl' ? 'rtl' : 'ltr' }) }],
  };
}

export const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: blockSpec('p'),
    heading: blockSpec('h2'),
    quote: blockSpec('blockquote', (node) => ({ 'data-depth': String(Math.min(MAX_DEPTH, Math.max(1, node.attrs.depth as number))) })),
    text: { group: 'inline' },
  },
  marks: {
    iso: {
      attrs: { dir: {} },
      inclusive: false,
      toDOM: (mark) => ['span', { class: 'bidi-iso', dir: mark.attrs.dir as string }, 0],
    },
    // Edit mode only (reading draws highlights as decorations): a highlight as a mark moves with
    // its words through every edit and comes back with them on undo. Listed after `iso`, so it
    // is drawn inside an isolate and never splits one. Non-inclusive: typing at either edge
    // does not extend it. `excludes: ''`: overlapping highlights are separate marks.
    highlight: {
      attrs: { id: {}, color: { default: 'yellow' }, layer: { default: 0 } },
      inclusive: false,
      excludes: '',
      toDOM: (mark) => [
        'span',
        { class: `hl hl-${mark.attrs.color as string} hl-layer-${mark.attrs.layer as number}`, 'data-annotation-id': mark.attrs.id as string },
        0,
      ],
    },
  },
});

/** One block as a node: its text, with the opposite-direction runs marked. */
export function blockNode(block: Pick<Block, 'kind' | 'dir' | 'depth' | 'index' | 'text'>): PMNode {
  const type = schema.nodes[block.kind] ?? schema.nodes.paragraph!;
  const attrs = { dir: block.dir, depth: block.depth, index: block.index };
  if (!block.text) return type.create(attrs);
  const pieces: PMNode[] = [];
  let at = 0;
  for (const run of isolatedRuns(block.text, block.dir)) {
    if (run.from > at) pieces.push(schema.text(block.text.slice(at, run.from)));
    pieces.push(schema.text(block.text.slice(run.from, run.to), [schema.marks.iso!.create({ dir: run.dir })]));
    at = run.to;
  }
  if (at < block.text.length) pieces.push(schema.text(block.text.slice(at)));
  return type.create(attrs, pieces);
}

/** The whole document, built once (never by appending steps). */
export function buildDoc(blocks: readonly Block[]): PMNode {
  const nodes = blocks.map(blockNode);
  if (nodes.length === 0) nodes.push(schema.nodes.paragraph!.create({ dir: 'ltr', depth: 0, index: 0 }));
  return schema.nodes.doc!.create(null, nodes);
}
