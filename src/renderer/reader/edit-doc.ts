/**
 * Edit mode's document: the blocks in chunks, `doc > chunk+ > block+`. ProseMirror diffs a
 * node's children on every update and Chromium lays out a box's children again when one of them
 * changes: over a book's 10,000 blocks in one list both cost about their number per keystroke
 * (measured on the 5 MB benchmark: 10-11 ms of layout and 2 ms of diffing per character, and
 * 12 ms per frame in the browser's checks of 10,000 `content-visibility: auto` boxes). In chunks
 * of a few dozen blocks, a keystroke costs the list of chunks and one chunk's blocks.
 *
 * Chunks are drawing only: a chunk has no stored counterpart, adds no character to the text
 * (its tokens count in ProseMirror positions, not in canonical offsets), and a chunk boundary
 * is not a block boundary the user sees (edit-plugins.ts joins blocks across it). Everything here
 * also takes a flat `doc > block+` (the reading documents, and tests), as one chunk without
 * tokens. Pure ProseMirror: tested without a window (tests/renderer/edit-doc.test.ts).
 */
import type { Node as PMNode } from 'prosemirror-model';
import { CELL_SEPARATOR, type Block, type BlockInput, type BlockKind, type BlockMeta } from '../../common/model.js';
import { placeBlocks } from '../../common/text/canonical.js';
import { lastAtOrBefore, PositionMap } from '../../common/text/positions.js';
import { blockNode, pageMarks, schema, tableDirections, type MarkedSpan } from './schema.js';

/** A chunk closes after this many blocks, or once it holds this many characters. */
export const CHUNK_LIMITS = { blocks: 48, chars: 8_000 };

/** Kinds whose runs are drawn as one box (list, table, code, notes): not cut unless very long. */
const RUNS = new Set(['item', 'row', 'code', 'note']);

type BlockLike = Pick<Block, 'kind' | 'dir' | 'depth' | 'index' | 'text'> & { meta?: BlockMeta };

/** Where chunks begin: block indices, the first 0. A run of list items, rows, code or notes is kept whole up to four times the limit. */
export function planChunks(blocks: readonly Pick<Block, 'kind' | 'text'>[], limits = CHUNK_LIMITS): number[] {
  const out: number[] = [];
  let count = 0;
  let chars = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const full = count >= limits.blocks || chars >= limits.chars;
    const inRun = i > 0 && RUNS.has(b.kind) && blocks[i - 1]!.kind === b.kind && count < 4 * limits.blocks;
    if (i === 0 || (full && !inRun)) {
      out.push(i);
      count = 0;
      chars = 0;
    }
    count++;
    chars += b.text.length + 1;
  }
  if (!out.length) out.push(0);
  return out;
}

/** A rough height of blocks in em (lines of about 80 characters, 1.85em each, and the gap after a block): until a chunk is laid out once. */
function estimateHeight(blocks: readonly Pick<Block, 'text'>[]): number {
  let em = 0;
  for (const b of blocks) em += Math.max(1, Math.ceil(b.text.length / 80)) * 1.85 + 0.9;
  return em;
}

/**
 * The whole text as edit mode's document: each block as the reading view draws it (`blockNode`),
 * with `spans` (marks by block index: highlights) on its text, in chunks (`planChunks`). A block
 * at a chunk's edge knows whether its neighbour across the edge is of its kind, as a reading
 * section's does, so a list or table goes on across it without a gap.
 */
export function buildEditDoc(blocks: readonly BlockLike[], spans?: ReadonlyMap<number, readonly MarkedSpan[]>, limits = CHUNK_LIMITS): PMNode {
  if (!blocks.length) return schema.nodes.doc!.create(null, schema.nodes.chunk!.create({ fresh: false }, schema.nodes.paragraph!.create({ dir: 'ltr' })));
  const marks = pageMarks(blocks);
  const tables = tableDirections(blocks);
  const starts = planChunks(blocks, limits);
  const chunks: PMNode[] = [];
  for (let c = 0; c < starts.length; c++) {
    const from = starts[c]!;
    const to = starts[c + 1] ?? blocks.length;
    const nodes: PMNode[] = [];
    for (let i = from; i < to; i++) {
      const edges = {
        continues: i === from && i > 0 && blocks[i - 1]!.kind === blocks[i]!.kind,
        continued: i === to - 1 && i + 1 < blocks.length && blocks[i + 1]!.kind === blocks[i]!.kind,
      };
      nodes.push(blockNode(blocks[i]!, marks[i], tables[i] ?? null, edges, spans?.get(i)));
    }
    chunks.push(schema.nodes.chunk!.create({ height: estimateHeight(blocks.slice(from, to)), fresh: false }, nodes));
  }
  return schema.nodes.doc!.create(null, chunks);
}

const cache = new WeakMap<PMNode, BlockInput>();

/** A block node as the library stores it (a row's cells joined by TAB); kept per node, so each is read once. */
export function blockInput(node: PMNode): BlockInput {
  let block = cache.get(node);
  if (block) return block;
  const kind = node.type.name as BlockKind;
  const nested = kind === 'quote' || kind === 'item';
  block = { kind, dir: node.attrs.dir as Block['dir'], depth: nested ? Math.max(1, node.attrs.depth as number) : 0, text: blockText(node) };
  const meta = node.attrs.meta as BlockMeta | null;
  if (meta && Object.keys(meta).length) block.meta = meta;
  cache.set(node, block);
  return block;
}

/** A block node's stored text: a row's cells joined by TAB, any other block's text. */
export function blockText(node: PMNode): string {
  if (node.type !== schema.nodes.row) return node.textContent;
  const cells: string[] = [];
  node.forEach((cell) => void cells.push(cell.textContent));
  return cells.join(CELL_SEPARATOR);
}

/** The length of a block's stored text, from its size (no text read): a row's cells and TABs between them. */
export function storedLength(node: PMNode): number {
  return node.type === schema.nodes.row ? node.content.size - node.childCount - 1 : node.content.size;
}

/** Whether a document is in chunks (edit mode's) rather than flat (`doc > block+`). */
export function isChunked(doc: PMNode): boolean {
  return doc.firstChild?.type === schema.nodes.chunk;
}

/** The chunks of a document: its children, or the document itself when flat. */
function chunksOf(doc: PMNode): PMNode[] {
  if (!isChunked(doc)) return [doc];
  const out: PMNode[] = [];
  doc.forEach((c) => void out.push(c));
  return out;
}

/** The document's block nodes, in order, through its chunks. */
export function blockNodes(doc: PMNode): PMNode[] {
  const out: PMNode[] = [];
  for (const chunk of chunksOf(doc)) chunk.forEach((b) => void out.push(b));
  return out;
}

/** The document's blocks as the library stores them (a row's cells joined by TAB), with their meta. */
export function blocksOf(doc: PMNode): BlockInput[] {
  return blockNodes(doc).map(blockInput);
}

/** One chunk's blocks, their canonical length (joined by `\n`), and positions within the chunk (offsets from its first block). */
interface ChunkInfo {
  blocks: BlockInput[];
  length: number;
  map: PositionMap;
}

const infos = new WeakMap<PMNode, ChunkInfo>();

function chunkInfo(chunk: PMNode): ChunkInfo {
  let info = infos.get(chunk);
  if (info) return info;
  const blocks: BlockInput[] = [];
  chunk.forEach((b) => void blocks.push(blockInput(b)));
  const placed = placeBlocks(blocks);
  const last = placed[placed.length - 1];
  info = { blocks, length: last ? last.start + last.text.length : 0, map: new PositionMap(placed) };
  infos.set(chunk, info);
  return info;
}

/**
 * Canonical offsets and ProseMirror positions of an edit document, through its chunks: a chunk's
 * blocks are placed by their own map (kept per chunk node, so a keystroke builds one), shifted
 * by where the chunk's content begins and by the text before it. Offsets outside the text clamp
 * to its edges; a position between chunks or on a chunk's tokens clamps to the nearest block's
 * text, as one between blocks does.
 */
export class EditPositions {
  private readonly chunks: ChunkInfo[];
  /** Per chunk: the canonical offset of its first character, and the position where its content begins. */
  private readonly offsets: Float64Array;
  private readonly contents: Float64Array;
  readonly length: number;
  private placed: Block[] | null = null;

  constructor(readonly doc: PMNode) {
    const nodes = chunksOf(doc);
    const chunked = nodes[0] !== doc;
    this.chunks = nodes.map(chunkInfo);
    this.offsets = new Float64Array(nodes.length);
    this.contents = new Float64Array(nodes.length);
    let offset = 0;
    let pos = 0;
    for (let c = 0; c < nodes.length; c++) {
      this.offsets[c] = offset;
      this.contents[c] = chunked ? pos + 1 : 0;
      offset += this.chunks[c]!.length + 1;
      pos += nodes[c]!.nodeSize;
    }
    this.length = Math.max(0, offset - 1);
  }

  toPos(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.length));
    const c = lastAtOrBefore(this.offsets, o);
    return this.contents[c]! + this.chunks[c]!.map.toPos(o - this.offsets[c]!);
  }

  toOffset(pos: number): number {
    const c = lastAtOrBefore(this.contents, pos);
    return this.offsets[c]! + this.chunks[c]!.map.toOffset(pos - this.contents[c]!);
  }

  /** The blocks with their index and canonical start (worked out when first asked). */
  blocks(): Block[] {
    return (this.placed ??= placeBlocks(this.chunks.flatMap((c) => c.blocks)));
  }
}
