/**
 * Which document of the library an imported annotation belongs to, when the file does not say in
 * Gloss's own terms. In order, the first that names one document wins:
 *
 * 1. the content hash (`urn:sha256:…`, Gloss's own exports): the very same text;
 * 2. the source's address: a web page's URL against the documents' `meta.url` (scheme, case of
 *    the host, fragment and a trailing slash aside), a file's name against their source file names;
 * 3. the title the other tool knew (Hypothesis's `document.title`), compared without case or
 *    spacing differences; a title is weak evidence, so when none of the group's quotes is in the
 *    titled document but they are in another, the quotes win;
 * 4. the quotes themselves: the library's search index (FTS5 over the folded text) proposes
 *    documents holding each quote's longest line, and the document holding most of the group's
 *    quotes (in the anchoring engine's matching form) is taken.
 *
 * Several documents at one step are told apart by the quotes. Annotations are matched in groups
 * that share a source and title, so one document decides for all of a page's annotations.
 */
import { normalizeText } from '../../common/anchor/normalize.js';
import type { NoteWhy } from '../../common/errors.js';
import type { DocumentSummary } from '../../common/model.js';
import { foldText } from '../../common/text/fold.js';
import { hashFromSource } from '../../common/export/wadm.js';
import type { Library } from '../library.js';
import { documentsMatching } from '../store/annotation-import.js';
import type { QuotePlacer } from './place-quote.js';

export type MatchedBy = 'into' | 'id' | 'hash' | 'url' | 'name' | 'title' | 'quote' | 'holding';

export interface DocumentMatch {
  documentId: number;
  by: MatchedBy;
  /** A word on how it was decided, when that is not obvious (several candidates, title overruled). */
  note?: string;
}

/** The source name of documents that hold annotations whose text is not in the library (`--keep-orphans`). */
export const HOLDING_SOURCE_NAME = 'unplaced annotations';

/** Quotes of one group that vote, at most (the longest, which say most). */
const MAX_VOTERS = 40;
/** A quote shorter than this (in matching form) says nothing about which document it is from. */
const MIN_VOTING_LENGTH = 4;
export const canVote = (quote: string): boolean => normalizeText(quote).trim().length >= MIN_VOTING_LENGTH;
/** Documents the search index may propose per quote. */
const MAX_PROPOSED = 50;

/** A URL reduced to what identifies the page: no scheme, lower-case host, no fragment, no trailing slash. */
export function urlKey(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.hostname.toLowerCase().replace(/^www\./, '')}${u.port ? ':' + u.port : ''}${path}${u.search}`;
}

/** The file name a source names: the last segment of a `file:` URI or of a path, or a bare name. */
export function fileNameOf(source: string): string | undefined {
  const s = source.trim();
  let path: string;
  if (/^file:/i.test(s)) {
    try {
      path = decodeURIComponent(new URL(s).pathname);
    } catch {
      return undefined;
    }
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s)) {
    return undefined; // another scheme (urn:, http:): not a file name
  } else {
    path = s;
  }
  const name = path.split(/[\\/]/).pop() ?? '';
  return name.includes('.') ? name.normalize('NFC').toLowerCase() : undefined;
}

export function titleKey(title: string): string {
  return title.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
}

export interface MatchGroup {
  source: string | undefined;
  title: string | undefined;
  /** The group's quotes (exact texts). */
  quotes: readonly string[];
}

export class DocumentMatcher {
  private readonly docs: DocumentSummary[];
  private readonly documentsMatching: (ftsQuery: string) => number[];

  constructor(
    private readonly library: Library,
    /** The prepared text of a document (cached by the caller, shared with placing). */
    private readonly placerOf: (documentId: number) => QuotePlacer,
  ) {
    this.docs = library.list().filter((d) => d.sourceName !== HOLDING_SOURCE_NAME);
    this.documentsMatching = documentsMatching(library.db, MAX_PROPOSED);
  }

  /** The document for a group, or the reason there is none. */
  match(group: MatchGroup): DocumentMatch | { reason: string; why: NoteWhy } {
    const { source, title } = group;
    const hash = source ? hashFromSource(source) : undefined;
    if (hash) {
      const doc = this.docs.find((d) => d.contentHash === hash);
      if (doc) return { documentId: doc.id, by: 'hash' };
    }
    if (source) {
      const key = urlKey(source);
      if (key) {
        const byUrl = this.docs.filter((d) => d.meta.url !== undefined && urlKey(d.meta.url) === key);
        const picked = this.pick(byUrl, group, 'url');
        if (picked) return picked;
      }
      const name = fileNameOf(source);
      if (name) {
        const byName = this.docs.filter((d) => d.sourceName.normalize('NFC').toLowerCase() === name);
        const picked = this.pick(byName, group, 'name');
        if (picked) return picked;
      }
    }
    let titled: DocumentMatch | undefined;
    if (title) {
      const key = titleKey(title);
      const byTitle = this.docs.filter((d) => titleKey(d.title) === key);
      titled = this.pick(byTitle, group, 'title');
      if (titled && this.votes(group, [titled.documentId]).get(titled.documentId)) return titled;
    }
    const votes = this.votes(group);
    const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const best = ranked[0];
    const second = ranked[1];
    if (best && (!second || second[1] < best[1])) {
      const note = `${titled ? `its title names document ${titled.documentId}, which holds none of its quotes; ` : ''}${best[1]} of its quotes found there`;
      return { documentId: best[0], by: 'quote', note };
    }
    if (titled) return titled;
    if (best && second) {
      const alike = ranked.filter((r) => r[1] === best[1]).map((r) => r[0]);
      return { reason: `${this.why(group, hash !== undefined, false)}, and its quotes are in ${alike.length} documents alike (${alike.join(', ')}): which one cannot be told`, why: { code: 'no-document-alike', params: { count: alike.length } } };
    }
    return { reason: this.why(group, hash !== undefined), why: { code: 'no-document', params: {} } };
  }

  /** One document among candidates found by one rule: the only one, or the one holding most quotes. */
  private pick(candidates: DocumentSummary[], group: MatchGroup, by: MatchedBy): DocumentMatch | undefined {
    if (candidates.length === 0) return undefined;
    if (candidates.length === 1) return { documentId: candidates[0]!.id, by };
    const votes = this.votes(group, candidates.map((d) => d.id));
    const ranked = candidates.map((d) => [d.id, votes.get(d.id) ?? 0] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const [id, count] = ranked[0]!;
    return { documentId: id, by, note: `${candidates.length} documents share its ${by}; ${count > 0 ? `this one holds ${count} of its quotes` : 'none holds its quotes; took the first'}` };
  }

  /** How many of the group's quotes each document holds (among `among`, else those the index proposes). */
  private votes(group: MatchGroup, among?: readonly number[]): Map<number, number> {
    const voters = [...new Set(group.quotes.filter(canVote))].sort((a, b) => b.length - a.length).slice(0, MAX_VOTERS);
    const out = new Map<number, number>();
    for (const q of voters) {
      const docs = among ?? this.propose(q);
      for (const id of docs) if (this.placerOf(id).contains(q)) out.set(id, (out.get(id) ?? 0) + 1);
    }
    return out;
  }

  /** Documents whose search shadow holds the quote's longest line (folded as the index folds it). */
  propose(quote: string): number[] {
    const line = foldText(quote.normalize('NFC'))
      .split('\n')
      .map((l) => l.trim())
      .sort((a, b) => b.length - a.length)[0];
    if (!line || [...line].length < 3) return this.docs.length <= MAX_PROPOSED ? this.docs.map((d) => d.id) : [];
    const phrase = `"${line.slice(0, 200).replace(/"/g, '""')}"`;
    const known = new Set(this.docs.map((d) => d.id));
    return this.documentsMatching(phrase).filter((id) => known.has(id));
  }

  private why(group: MatchGroup, hashed: boolean, quotes = true): string {
    const what = hashed
      ? `no document in the library has the text ${group.source}`
      : group.source
        ? `its source ${JSON.stringify(group.source)} is not a Gloss text identity (urn:sha256:…) and names no document of the library by URL or file name`
        : 'it names no source';
    const titled = group.title ? `, no document has the title ${JSON.stringify(group.title)}` : '';
    const quoted = !quotes ? '' : group.quotes.some(canVote) ? ', and no document holds its quote' : group.quotes.length ? `, and its quote is too short to tell a document by (${MIN_VOTING_LENGTH} characters needed)` : '';
    return `${what}${titled}${quoted}`;
  }
}
