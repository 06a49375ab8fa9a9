/**
 * The reading schema: `doc > block+`, one node per stored block, each with its own `dir` and the
 * block's `meta` (heading level, list marker, table header, note label, pages), so that edit mode
 * sends back what it was given. Every block but a table row is one text block. A row is
 * `row > cell+`: its stored text is its cells joined by TAB, and a cell per TAB-separated part is
 * the one way the cells can be laid out side by side while each keeps its own text (and its own
 * isolates); `positions.ts` maps the TABs to the cell boundaries, so offsets stay exact.
 *
 * Opposite-direction runs are an `iso` mark rather than decorations. A decoration wraps each text
 * segment on its own, so a highlight that starts or ends inside `S-300` would split one isolate
 * into two, and a right-to-left paragraph then lays the two pieces out right to left (`-300S`);
 * a mark keeps one wrapper around all the segments it covers. The mark is computed from the text
 * when the document is built and changes no character, so offsets are untouched.
 *
 * List markers, note labels and page marks are drawn by CSS from attributes (`::before`), never
 * put in the text, so they can be neither selected into a quote nor counted in an offset.
 */
import { Mark, Schema, type Node as PMNode, type NodeSpec, type DOMOutputSpec } from 'prosemirror-model';
import type { Block, BlockMeta } from '../../common/model.js';
import { segmentBlock, segmentRow, type Span, type TextRun } from '../../common/text/segments.js';

const MAX_DEPTH = 6;

const clampDepth = (depth: unknown) => String(Math.min(MAX_DEPTH, Math.max(1, Number(depth) || 1)));

/** Attributes every block node carries. */
const blockAttrs = {
  dir: { default: 'ltr' },
  depth: { default: 0 },
  index: { default: 0 },
  // `fresh`: made in the editor (Enter, paste), so it takes the direction of its first strong
  // character as it is typed; blocks that came with the text keep theirs.
  fresh: { default: false },
  meta: { default: null },
  // The page labels that begin in this block (a PDF's page turns here): drawn in the margin.
  pageMark: { default: null },
  // At a section's edge, whether the block before (after) it, in the section before (after), is
  // of the same kind: a list, table or code box goes on across the edge without a gap.
  continues: { default: false },
  continued: { default: false },
};

function meta(node: PMNode): BlockMeta {
  return (node.attrs.meta as BlockMeta | null) ?? {};
}

/** The DOM attributes every block has: direction, index, the page mark. */
function common(node: PMNode): Record<string, string> {
  const out: Record<string, string> = { dir: node.attrs.dir as string, 'data-block': String(node.attrs.index) };
  if (node.attrs.pageMark) out['data-page'] = node.attrs.pageMark as string;
  // Made in the editor: laid out at once (see `.reader-text.editing` in reader.css).
  if (node.attrs.fresh) out['data-fresh'] = '';
  if (node.attrs.continues) out['data-continues'] = '';
  if (node.attrs.continued) out['data-continued'] = '';
  return out;
}

function textBlock(tag: string, render: (node: PMNode) => { tag?: string; attrs?: Record<string, string> } = () => ({})): NodeSpec {
  return {
    group: 'block',
    content: 'text*',
    marks: 'iso highlight',
    defining: true,
    attrs: blockAttrs,
    toDOM: (node): DOMOutputSpec => {
      const r = render(node);
      return [r.tag ?? tag, { ...common(node), ...r.attrs }, 0];
    },
    parseDOM: [{ tag, getAttrs: (dom) => ({ dir: (dom as HTMLElement).getAttribute('dir') === 'rtl' ? 'rtl' : 'ltr' }) }],
  };
}

/** Heading level 1 is drawn as h2 (the document's title is the page's h1), down to h6. */
export function headingTag(level: number | undefined): string {
  return `h${Math.min(6, Math.max(2, (level ?? 1) + 1))}`;
}

export const schema = new Schema({
  nodes: {
    // Reading: `doc > block+`. Edit mode: `doc > chunk+ > block+` (edit-doc.ts); either is valid,
    // never both in one document. `chunk+` first: what a deletion of everything leaves is a chunk.
    doc: { content: 'chunk+ | block+' },
    // Edit mode's run of blocks: a box of its own, laid out by the browser only near the screen
    // (`content-visibility: auto`), so that a keystroke lays out and diffs one chunk and the list
    // of chunks rather than every block of a book. `height`: its estimated height (em) until it
    // has been laid out once. `fresh`: made in the editor (a deletion of everything), so laid out
    // at once, as a fresh block is (see reader.css).
    chunk: {
      content: 'block+',
      attrs: { height: { default: 20 }, fresh: { default: true } },
      toDOM: (node): DOMOutputSpec => [
        'div',
        {
          class: 'edit-chunk',
          style: `contain-intrinsic-size: auto ${Math.round(node.attrs.height as number)}em`,
          ...(node.attrs.fresh ? { 'data-fresh': '' } : {}),
        },
        0,
      ],
      parseDOM: [{ tag: 'div.edit-chunk', getAttrs: () => ({ fresh: true }) }],
    },
    paragraph: textBlock('p'),
    heading: {
      ...textBlock('h2', (node) => {
        const level = Math.min(6, Math.max(1, meta(node).level ?? 1));
        return { tag: headingTag(level), attrs: { 'data-level': String(level) } };
      }),
      parseDOM: ['h2', 'h3', 'h4', 'h5', 'h6'].map((tag) => ({ tag, getAttrs: (dom: HTMLElement) => ({ dir: dom.getAttribute('dir') === 'rtl' ? 'rtl' : 'ltr' }) })),
    },
    quote: textBlock('blockquote', (node) => ({ attrs: { 'data-depth': clampDepth(node.attrs.depth) } })),
    item: textBlock('p', (node) => ({
      attrs: { class: 'block-item', 'data-depth': clampDepth(node.attrs.depth), 'data-marker': meta(node).marker ?? '•' },
    })),
    code: textBlock('pre', () => ({ attrs: { class: 'block-code' } })),
    note: textBlock('p', (node) => {
      const label = meta(node).label;
      return { attrs: { class: 'block-note', role: 'note', ...(label ? { 'data-label': label } : {}) } };
    }),
    row: {
      group: 'block',
      content: 'cell+',
      // `tableDir`: the direction of the table the row is in (its cells' order); the row's own
      // `dir` is its text's. A Hebrew row in an English table keeps the English column order.
      attrs: { ...blockAttrs, tableDir: { default: null } },
      toDOM: (node) => {
        const m = meta(node);
        const cls = m.header ? 'block-row row-header' : 'block-row';
        return ['div', { ...common(node), class: cls, 'data-table-dir': (node.attrs.tableDir as string | null) ?? (node.attrs.dir as string) }, 0];
      },
      parseDOM: [{ tag: 'div.block-row' }],
    },
    cell: {
      content: 'text*',
      marks: 'iso highlight',
      toDOM: () => ['span', { class: 'cell' }, 0],
      parseDOM: [{ tag: 'span.cell' }],
    },
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

/** A mark over part of a block's text: offsets within the block's stored text (a row's: TABs included). */
export interface MarkedSpan {
  from: number;
  to: number;
  mark: Mark;
}

/** The text nodes of one run of segments (`segments.ts`): an isolate's `iso` mark, each piece's spans' marks. */
function textNodes(text: string, runs: readonly TextRun<MarkedSpan & Span>[]): PMNode[] {
  const iso = schema.marks.iso!;
  const out: PMNode[] = [];
  for (const run of runs) {
    const base = run.dir ? iso.create({ dir: run.dir }).addToSet(Mark.none) : Mark.none;
    for (const piece of run.pieces) {
      let marks = base;
      // In the order given (all at layer 0 here, so the sort keeps it): marks of one type nest as listed.
      for (const h of piece.highlights) marks = h.mark.addToSet(marks);
      out.push(schema.text(text.slice(piece.from, piece.to), marks));
    }
  }
  return out;
}

const asSpans = (spans: readonly MarkedSpan[]) => spans.map((x) => ({ ...x, layer: 0 }));

/**
 * A block's text with its opposite-direction runs marked `iso`, and `spans` (offsets in `text`,
 * e.g. highlights) marked too, cut by the shared segmenter (`segmentBlock`); a row's text as its
 * cells (`segmentRow`), each isolated on its own.
 */
function blockContent(kind: 'text' | 'row', text: string, dir: string, spans: readonly MarkedSpan[]): PMNode[] {
  const d = dir === 'rtl' ? 'rtl' : 'ltr';
  if (kind === 'text') return textNodes(text, segmentBlock(text, d, asSpans(spans)));
  return segmentRow(text, d, asSpans(spans)).map((cell) => schema.nodes.cell!.create(null, textNodes(text, cell.runs)));
}

type BlockLike = Pick<Block, 'kind' | 'dir' | 'depth' | 'index' | 'text'> & { meta?: BlockMeta };

/** One block as a node: its text, with the opposite-direction runs marked. */
export function blockNode(
  block: BlockLike,
  pageMark: string | null = null,
  tableDir: string | null = null,
  edges: { continues?: boolean; continued?: boolean } = {},
  spans: readonly MarkedSpan[] = [],
): PMNode {
  const type = schema.nodes[block.kind] ?? schema.nodes.paragraph!;
  const attrs = { dir: block.dir, depth: block.depth, index: block.index, meta: block.meta ?? null, pageMark, continues: edges.continues ?? false, continued: edges.continued ?? false };
  if (type === schema.nodes.row) return type.create({ ...attrs, tableDir }, blockContent('row', block.text, block.dir, spans));
  return type.create(attrs, blockContent('text', block.text, block.dir, spans));
}

/**
 * For each block, the direction of the table it is a row of (null for other blocks): the
 * direction most of the table's rows have (a run of consecutive rows is a table), the first
 * row's on a tie. Rows take their direction from their letters, so a table of English with one
 * Hebrew name, or of numbers, would otherwise change its column order from row to row.
 */
export function tableDirections(blocks: readonly { kind: string; dir: string }[]): (string | null)[] {
  const out: (string | null)[] = blocks.map(() => null);
  for (let i = 0; i < blocks.length; ) {
    if (blocks[i]!.kind !== 'row') {
      i++;
      continue;
    }
    let end = i;
    let rtl = 0;
    for (; end < blocks.length && blocks[end]!.kind === 'row'; end++) if (blocks[end]!.dir === 'rtl') rtl++;
    const ltr = end - i - rtl;
    const dir = rtl === ltr ? blocks[i]!.dir : rtl > ltr ? 'rtl' : 'ltr';
    for (let k = i; k < end; k++) out[k] = dir;
    i = end;
  }
  return out;
}

/**
 * For each block, the page labels that begin in it, written as one mark ("12", "12–13"), or
 * null: a block whose pages go on from the block before (`before`: the block before the first,
 * when these are a section of a longer document) has none.
 */
export function pageMarks(blocks: readonly { meta?: BlockMeta }[], before?: { meta?: BlockMeta }): (string | null)[] {
  let last = before?.meta?.pages?.at(-1);
  return blocks.map((b) => {
    const pages = b.meta?.pages ?? [];
    const fresh = pages.filter((p, i) => (i === 0 ? p !== last : true));
    if (pages.length) last = pages[pages.length - 1];
    if (!fresh.length) return null;
    return fresh.length === 1 ? fresh[0]! : `${fresh[0]}–${fresh[fresh.length - 1]}`;
  });
}

/** What a section's document needs to know of the blocks around it. */
export interface SectionContext {
  /** The block before the section's first (for page marks and runs that go on across the edge). */
  before?: Pick<Block, 'kind'> & { meta?: BlockMeta };
  /** The block after the section's last. */
  after?: Pick<Block, 'kind'>;
  /** The section's rows' table directions, worked out over the whole document (a table may cross sections). */
  tableDirs?: readonly (string | null)[];
  /** Marks to put on each block's text (edit mode's highlights), by block index in `blocks`. */
  spans?: ReadonlyMap<number, readonly MarkedSpan[]>;
}

/** The whole document, built once; or a section of it, given what is around it. */
export function buildDoc(blocks: readonly BlockLike[], context: SectionContext = {}): PMNode {
  const marks = pageMarks(blocks, context.before);
  const tables = context.tableDirs ?? tableDirections(blocks);
  const last = blocks.length - 1;
  const edges = (i: number) => ({
    continues: i === 0 && context.before?.kind === blocks[0]!.kind,
    continued: i === last && context.after?.kind === blocks[last]!.kind,
  });
  const nodes = blocks.map((b, i) => blockNode(b, marks[i], tables[i] ?? null, edges(i), context.spans?.get(i)));
  if (nodes.length === 0) nodes.push(schema.nodes.paragraph!.create({ dir: 'ltr', depth: 0, index: 0 }));
  return schema.nodes.doc!.create(null, nodes);
}
