/**
 * Search across the library (texts and notes) that says how much it found: the whole count, the
 * documents with their counts, and the hits a page at a time, grouped by document, with more on
 * demand until all are shown (no silent cap). Opening a hit shows it highlighted in place.
 */
import type { GlossApi } from '../common/api.js';
import type { SearchHit, SearchPage } from '../common/model.js';
import { blockDirection } from '../common/text/direction.js';
import { h } from './dom.js';
import { markTerms } from './find-text.js';
import { errorText, isolate, t } from './i18n.js';
import { formatRoute, type Route } from './route.js';

/** Hits asked for at a time. */
export const SEARCH_PAGE = 50;
/** How soon a search is asked again while a document it covers is still being indexed. */
const INDEXING_RETRY_MS = 1000;

export class SearchView {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly summary: HTMLElement;
  private readonly documents: HTMLUListElement;
  private readonly groups: HTMLElement;
  private readonly moreButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private query = '';
  private total = 0;
  private docs: SearchPage['documents'] = [];
  private hits: SearchHit[] = [];
  /** Documents just imported whose search rows are still being built (their hits may be missing). */
  private indexing: NonNullable<SearchPage['indexing']> = [];
  /** Counts searches, so that an answer to an older one is dropped. */
  private asked = 0;

  constructor(private readonly api: GlossApi) {
    this.heading = h('h1', {});
    this.summary = h('p', { class: 'search-summary' });
    this.documents = h('ul', { class: 'search-documents', tAttrs: { 'aria-label': 'search.documents' } });
    this.groups = h('div', { class: 'search-groups' });
    this.status = h('p', { class: 'search-status', role: 'status', 'aria-live': 'polite' });
    this.moreButton = h('button', { type: 'button', class: 'search-more', on: { click: () => void this.more() } });
    this.el = h(
      'section',
      { class: 'search-view', hidden: true, tAttrs: { 'aria-label': 'search.results' } },
      this.heading,
      this.summary,
      this.documents,
      this.groups,
      h('div', { class: 'search-foot' }, this.moreButton, this.status),
    );
  }

  async show(query: string): Promise<void> {
    const ticket = ++this.asked;
    this.query = query;
    const page = await this.api['library.searchPage']({ query, limit: SEARCH_PAGE, offset: 0 });
    if (ticket !== this.asked) return;
    this.total = page.total;
    this.docs = page.documents;
    this.hits = page.hits;
    this.indexing = page.indexing ?? [];
    this.status.textContent = '';
    this.render();
    // Asked again shortly while a document is being indexed, unless another search or a further page came meanwhile.
    if (this.indexing.length > 0) setTimeout(() => void (ticket === this.asked && this.hits.length <= SEARCH_PAGE && this.show(query)), INDEXING_RETRY_MS);
  }

  relabel(): void {
    if (this.query) this.render();
  }

  /** The next page, after those shown; the focus goes to its first hit, so the reader reads on. */
  private async more(): Promise<void> {
    const ticket = this.asked;
    this.moreButton.disabled = true;
    this.status.textContent = t('search.loading');
    try {
      const page = await this.api['library.searchPage']({ query: this.query, limit: SEARCH_PAGE, offset: this.hits.length });
      if (ticket !== this.asked) return;
      const first = this.hits.length;
      this.total = page.total;
      this.docs = page.documents;
      this.hits = [...this.hits, ...page.hits];
      // A page that brings nothing (the library changed meanwhile) ends the list: no endless button.
      if (page.hits.length === 0) this.total = this.hits.length;
      this.render();
      this.status.textContent = t('search.shown', { shown: this.hits.length, total: this.total });
      this.groups.querySelector<HTMLElement>(`[data-hit="${first}"]`)?.focus();
    } catch (e) {
      this.status.textContent = errorText(e);
    } finally {
      this.moreButton.disabled = false;
    }
  }

  private render(): void {
    this.heading.textContent = t('search.heading', { count: this.total, query: isolate(this.query) });
    this.summary.textContent = this.total ? t('search.inDocuments', { count: this.docs.length }) : t('search.none');
    this.documents.replaceChildren(
      ...this.docs.map((d) =>
        h(
          'li',
          { 'data-document-id': String(d.documentId) },
          h('a', { href: formatRoute(this.routeTo(d.documentId)), class: 'hit-title', dir: blockDirection(d.title) }, d.title),
          h('span', { class: 'hit-count' }, t('search.count', { count: d.count })),
        ),
      ),
    );
    this.groups.replaceChildren(...this.grouped().map((g) => this.group(g.hits, g.from)));
    const left = this.total - this.hits.length;
    this.moreButton.hidden = left <= 0;
    this.moreButton.textContent = t('search.more', { count: Math.min(left, SEARCH_PAGE) });
    this.summary.append(this.total > this.hits.length ? ` ${t('search.shown', { shown: this.hits.length, total: this.total })}` : '');
    if (this.indexing.length > 0) this.summary.append(` ${t('search.indexing', { titles: this.indexing.map((d) => isolate(d.title)).join(', ') })}`);
  }

  /** The hits in runs of one document and one kind (text, then its notes), in the order they came. */
  private grouped(): { hits: SearchHit[]; from: number }[] {
    const out: { hits: SearchHit[]; from: number }[] = [];
    this.hits.forEach((hit, i) => {
      const last = out[out.length - 1];
      const head = last?.hits[0];
      if (last && head && head.documentId === hit.documentId && head.kind === hit.kind) last.hits.push(hit);
      else out.push({ hits: [hit], from: i });
    });
    return out;
  }

  private group(hits: SearchHit[], from: number): HTMLElement {
    const first = hits[0]!;
    const titleId = `search-group-${from}`;
    return h(
      'section',
      { class: 'search-group', 'aria-labelledby': titleId, 'data-document-id': String(first.documentId) },
      h(
        'h2',
        { id: titleId },
        h('span', { class: 'hit-title', dir: blockDirection(first.documentTitle) }, first.documentTitle),
        first.kind === 'note' ? h('span', { class: 'hit-kind' }, ` · ${t('search.inNotes')}`) : null,
      ),
      h(
        'ol',
        { class: 'search-results' },
        ...hits.map((hit, i) => {
          const route: Route =
            hit.kind === 'note' && hit.annotationId
              ? { view: 'doc', doc: hit.documentId, hits: [], annotation: hit.annotationId }
              : { view: 'doc', doc: hit.documentId, hits: hit.ranges, annotation: null };
          const snippet = h(
            'span',
            { class: 'snippet', dir: blockDirection(hit.snippet) },
            ...markTerms(hit.snippet, this.query).map((p) => (p.hit ? h('mark', {}, p.text) : document.createTextNode(p.text))),
          );
          return h(
            'li',
            {},
            // Text or note is said by the group's heading.
            h('a', { href: formatRoute(route), class: 'search-hit', 'data-hit': String(from + i) }, snippet),
          );
        }),
      ),
    );
  }

  /** A document of the results, opened on the hits of it shown so far (the first at the top). */
  private routeTo(documentId: number): Route {
    const ranges = this.hits.filter((x) => x.documentId === documentId && x.kind === 'text').flatMap((x) => x.ranges);
    return { view: 'doc', doc: documentId, hits: ranges, annotation: null };
  }
}
