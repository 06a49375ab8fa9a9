/** Search across the library (texts and notes); opening a hit shows it highlighted in place. */
import type { GlossApi } from '../common/api.js';
import type { SearchHit } from '../common/model.js';
import { blockDirection } from '../common/text/direction.js';
import { h } from './dom.js';
import { markTerms } from './find-text.js';
import { t } from './i18n.js';
import { formatRoute, type Route } from './route.js';

export class SearchView {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list: HTMLOListElement;
  private query = '';
  private hits: SearchHit[] = [];

  constructor(private readonly api: GlossApi) {
    this.heading = h('h1', {});
    this.list = h('ol', { class: 'search-results' });
    this.el = h('section', { class: 'search-view', hidden: true, tAttrs: { 'aria-label': 'search.results' } }, this.heading, this.list);
  }

  async show(query: string): Promise<void> {
    this.query = query;
    this.hits = await this.api['library.search']({ query, limit: 200 });
    this.render();
  }

  relabel(): void {
    if (this.query) this.render();
  }

  private render(): void {
    this.heading.textContent = t('search.heading', { count: this.hits.length, query: `\u2068${this.query}\u2069` });
    this.list.replaceChildren(
      ...this.hits.map((hit) => {
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
          h(
            'a',
            { href: formatRoute(route), class: 'search-hit' },
            h('span', { class: 'hit-title', dir: blockDirection(hit.documentTitle) }, hit.documentTitle),
            h('span', { class: 'hit-kind' }, t(hit.kind === 'note' ? 'search.inNote' : 'search.inText')),
            snippet,
          ),
        );
      }),
    );
    if (!this.hits.length) this.list.append(h('li', { class: 'empty' }, t('search.none')));
  }
}
