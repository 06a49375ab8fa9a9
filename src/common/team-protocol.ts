/**
 * The team-sync protocol: which Yjs documents a team shares through its Hocuspocus server, how
 * they are named, and what each holds. The server (src/main/team/server.ts) refuses any other name;
 * the client sync module reads and writes these shapes. Pure: no Node, no Yjs import.
 *
 * Documents:
 * - `gloss:index`: what the team shares. Y.Map `texts`: text id → {@link SharedTextEntry};
 *   Y.Map `pairs`: pair uuid → {@link SharedPairEntry}.
 * - `gloss:codebook`: the tag tree (Y.Map `tags`: path → {@link CodebookTag}).
 * - `gloss:text:<textId>`: one shared text's annotations. Y.Map `annotations`: id → Y.Map of the
 *   annotation's fields ({@link ANNOTATION_FIELDS}), its note a Y.Text and its tags a Y.Map
 *   path → true; Y.Map `tombstones`: id → ISO time of the delete; Y.Map `links`; Y.Map `meta`
 *   with `currentHash` (the content doc of the current revision) and `revisions`.
 * - `gloss:content:<sha256>`: a text's blocks, written once. Y.Array `blocks` of
 *   {@link ContentBlock}, Y.Map `meta` {title, language}. The server checks that the blocks'
 *   canonical text (their text joined by `\n`) hashes to the name, and refuses any change once
 *   the document holds blocks: a new revision is a new content doc.
 * - `gloss:pair:<uuid>`: one shared pair. Y.Map `meta` ({@link PairMeta} keys), Y.Map `units`:
 *   unit key ({@link unitKey}) → Y.Map {source: number[], target: number[], state:
 *   {@link UnitState}}; for a translation, Y.Map `drafts`: target block index (decimal) → Y.Text
 *   of that block's text; Y.Map `links`: link key ({@link linkKey}) → {@link LinkEntry}, the
 *   links between an annotation of the source and one of the target. Block indices refer to the
 *   revisions `meta.sourceHash` and `meta.targetHash` name.
 *
 * A text id is the SHA-256 content hash (64 lowercase hex) of the text when it was first shared;
 * it stays the id when later revisions (new content docs) are shared.
 */
import type { BlockKind, BlockMeta, Direction, Language } from './model.js';

export const TEAM_DOC_PREFIX = 'gloss:';
export const INDEX_DOC = 'gloss:index';
export const CODEBOOK_DOC = 'gloss:codebook';

export type TeamDocKind = 'index' | 'codebook' | 'text' | 'content' | 'pair';

/** A parsed document name: `id` is the text id, content hash or pair uuid (absent for index and codebook). */
export interface TeamDocName {
  kind: TeamDocKind;
  id?: string;
}

const HASH = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isContentHash(s: string): boolean {
  return HASH.test(s);
}

export function isPairId(s: string): boolean {
  return UUID.test(s);
}

/** The kind and id of a team document name, or null for any name outside the scheme. */
export function parseDocName(name: string): TeamDocName | null {
  if (typeof name !== 'string' || name.length > 200) return null;
  if (name === INDEX_DOC) return { kind: 'index' };
  if (name === CODEBOOK_DOC) return { kind: 'codebook' };
  const m = /^gloss:(text|content|pair):(.+)$/.exec(name);
  if (!m) return null;
  const kind = m[1] as 'text' | 'content' | 'pair';
  const id = m[2]!;
  if (kind === 'pair' ? !UUID.test(id) : !HASH.test(id)) return null;
  return { kind, id };
}

export const textDocName = (textId: string): string => `gloss:text:${textId}`;
export const contentDocName = (hash: string): string => `gloss:content:${hash}`;
export const pairDocName = (pairId: string): string => `gloss:pair:${pairId}`;

/** Names of the top-level shared types in each document. */
export const INDEX_TEXTS = 'texts';
export const INDEX_PAIRS = 'pairs';
export const CODEBOOK_TAGS = 'tags';
export const TEXT_ANNOTATIONS = 'annotations';
export const TEXT_TOMBSTONES = 'tombstones';
export const TEXT_LINKS = 'links';
export const TEXT_META = 'meta';
export const CONTENT_BLOCKS = 'blocks';
export const CONTENT_META = 'meta';
export const PAIR_UNITS = 'units';
export const PAIR_DRAFTS = 'drafts';
export const PAIR_META = 'meta';
export const PAIR_LINKS = 'links';

/** A unit's state in `gloss:pair:<uuid>` → `units`. */
export type UnitState = 'confirmed' | 'proposed' | 'needs_review';

/**
 * The key of a unit: `s<first source block>`, or `t<first target block>` for a unit with no
 * source block. Stable while the unit's start stays: confirming or relinking its targets edits
 * the same Y.Map.
 */
export function unitKey(source: readonly number[], target: readonly number[]): string {
  return source.length ? `s${source[0]}` : `t${target[0] ?? 0}`;
}

/** Keys of `gloss:pair:<uuid>` → `meta`. */
export interface PairMeta {
  kind: 'aligned' | 'translation';
  /** Text ids of the two texts. */
  source: string;
  target: string;
  /** The content hashes (revisions) the units' block indices refer to. */
  sourceHash: string;
  targetHash: string;
  /** A translation's target blocks (their kind, direction and depth; the text is in `drafts`). */
  targetBlocks?: { kind: string; dir: string; depth: number }[];
}

/** The key of a link between two annotations (undirected): their ids, the smaller first, joined by a space. */
export function linkKey(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

/** A value of a `links` map (in a text doc: both ends in that text; in a pair doc: one end in each text). */
export interface LinkEntry {
  created: string;
}

/** An entry of `gloss:index` → `texts`. */
export interface SharedTextEntry {
  title: string;
  language: Language;
  /** The content doc of the current revision. */
  contentHash: string;
  /** The member name that shared it. */
  sharedBy: string;
  /** ISO time. */
  sharedAt: string;
}

/** An entry of `gloss:index` → `pairs`. */
export interface SharedPairEntry {
  source: string;
  target: string;
  sharedBy: string;
  /** `translation`: the target was started in Gloss; its text travels in the pair doc's drafts, not as content. */
  kind?: 'aligned' | 'translation';
}

/** An entry of `gloss:codebook` → `tags`. */
export interface CodebookTag {
  color?: string;
  /** When the tag was renamed or merged into another: the path it now lives at. */
  movedTo?: string;
}

/** The fields of an annotation's Y.Map in `gloss:text:<id>` → `annotations` (note: Y.Text, tags: Y.Map). */
export const ANNOTATION_FIELDS = ['start', 'end', 'exact', 'prefix', 'suffix', 'color', 'note', 'tags', 'author', 'created', 'modified'] as const;
export type AnnotationField = (typeof ANNOTATION_FIELDS)[number];

/** One element of `gloss:content:<hash>` → `blocks`. */
export interface ContentBlock {
  kind: BlockKind;
  dir: Direction;
  depth: number;
  text: string;
  meta?: BlockMeta;
}

/** `gloss:content:<hash>` → `meta`. */
export interface ContentMeta {
  title: string;
  language: Language;
}

/** The text a content doc's name hashes (SHA-256, UTF-8): the blocks' text joined by `\n`, as canonicalText. */
export function contentText(blocks: readonly { text: string }[]): string {
  return blocks.map((b) => b.text).join('\n');
}

/**
 * Who is connected. The server knows each connection's member from its token (member tokens carry
 * their name; with the team token the client names itself with the `name` query parameter of the
 * WebSocket URL, `team` without one). On every document it opens, the server sends the client a
 * stateless message (provider `onStateless`) holding a JSON {@link MemberHello}: the name to put
 * in annotations' `author` and in the awareness `user` field. The server overwrites the `user`
 * field of every awareness state a connection sends with this name, so peers see verified names.
 */
export interface TeamAwarenessUser {
  name: string;
  readOnly?: boolean;
}
export const AWARENESS_USER_FIELD = 'user';
export const NAME_PARAMETER = 'name';
export const TEAM_TOKEN_MEMBER = 'team';
export const MEMBER_HELLO = 'gloss:member';
export interface MemberHello {
  type: typeof MEMBER_HELLO;
  name: string;
  readOnly: boolean;
}

/**
 * Content docs are built the same way by everyone, so that two members sharing the same text at
 * once send byte-identical updates (the second is then already contained, and accepted): a fresh
 * Y.Doc whose `clientID` is {@link CONTENT_CLIENT_ID}, one transaction, `meta` set (title, then
 * language) and then every block pushed to `blocks` in one `push`. The server applies the first
 * valid update itself and refuses any later update that adds or deletes anything.
 */
export const CONTENT_CLIENT_ID = 1;

/**
 * Close reasons the server gives (as the refusal's message), so a client can say why it was
 * refused in the user's language.
 */
export const REFUSAL = {
  unauthorized: 'unauthorized',
  readOnly: 'read-only',
  badName: 'bad-document-name',
  contentMismatch: 'content-hash-mismatch',
  contentImmutable: 'content-immutable',
  tooLarge: 'too-large',
  rateLimited: 'rate-limited',
  malformed: 'malformed-message',
  storageFailed: 'storage-failed',
} as const;
export type Refusal = (typeof REFUSAL)[keyof typeof REFUSAL];

/** Server defaults, overridable with `limits`. */
export const DEFAULT_LIMITS = {
  /** Largest WebSocket message, bytes (a content doc travels in one: a long book is a few MB). */
  maxMessageBytes: 8 * 1024 * 1024,
  /** Messages per second per WebSocket, averaged (a token bucket holding ten seconds' worth). */
  messagesPerSecond: 100,
  /** Largest content doc (its one update), bytes. */
  maxContentBytes: 8 * 1024 * 1024,
} as const;
export type TeamLimits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
