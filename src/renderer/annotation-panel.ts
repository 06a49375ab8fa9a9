/**
 * The side panel: the open document's annotations in text order (quote in its own direction,
 * tags, note), filtered by tag (a parent matches its children), colour and text.
 */
import { COLORS, type Annotation, type Block, type Color } from '../common/model.js';
import { isTagWithin } from '../common/tag-path.js';
import { blockAt } from '../common/text/canonical.js';
import { blockDirection } from '../common/text/direction.js';
import { foldText } from '../common/text/fold.js';
import { h } from './dom.js';
import { directionOf, language, t } from './i18n.js';
import type { TagStore } from './tag-store.js';

const QUOTE_MAX = 240;

export class AnnotationPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly count: HTMLElement;
  private readonly text: HTMLInputElement;
  private readonly tag: HTMLSelectElement;
  private readonly color: HTMLSelectElement;
  private annotations: Annotation[] = [];
  private blocks: readonly Block[] = [];
  private marked: string | null = null;

  constructor(
    private readonly tags: TagStore,
    private readonly choose: (annotation: Annotation) => void,
  ) {
    this.text = h('input', { type: 'search', class: 'filter-text', dir: 'auto', tAttrs: { 'aria-label': 'panel.filterText', placeholder: 'panel.filterTextPlaceholder' }, on: { input: () => this.render() } });
    this.tag = h('select', { class: 'filter-tag', tAttrs: { 'aria-label': 'panel.filterTag' }, on: { change: () => this.render() } });
    this.color = h('select', { class: 'filter-color', tAttrs: { 'aria-label': 'panel.filterColor' }, on: { change: () => this.render() } });
    this.count = h('p', { class: 'panel-count', role: 'status' });
    this.list = h('ol', { class: 'annotation-list' });
    this.el = h(
      'section',
      { class: 'panel', tAttrs: { 'aria-label': 'panel.title' } },
      h('h2', { t: 'panel.title' }),
      h('div', { class: 'filters' }, this.text, this.tag, this.color),
      this.count,
      this.list,
    );
    tags.onChange(() => this.renderFilters());
    this.renderFilters();
  }

  show(annotations: readonly Annotation[], blocks: readonly Block[]): void {
    this.blocks = blocks;
    this.annotations = [...annotations].sort((a, b) => a.start - b.start || a.end - b.end || a.created.localeCompare(b.created));
    this.render();
  }

  /** Marks the chosen annotation in the list (and scrolls the list to it). */
  mark(id: string | null): void {
    this.marked = id;
    for (const li of this.list.querySelectorAll<HTMLElement>('[data-annotation-id]')) {
      const on = li.dataset.annotationId === id;
      li.classList.toggle('marked', on);
      const button = li.querySelector('button');
      if (on) button?.setAttribute('aria-current', 'true');
      else button?.removeAttribute('aria-current');
      if (on) li.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Sets the tag filter (e.g. from a tag chip); '' shows all. */
  filterByTag(path: string): void {
    this.renderFilters();
    this.tag.value = path;
    this.render();
  }

  relabel(): void {
    this.renderFilters();
    this.render();
  }

  private renderFilters(): void {
    const tagValue = this.tag.value;
    this.tag.replaceChildren(
      h('option', { value: '' }, t('panel.allTags')),
      ...this.tags.allPaths().map((p) => h('option', { value: p }, p)),
    );
    this.tag.value = [...this.tag.options].some((o) => o.value === tagValue) ? tagValue : '';
    const colorValue = this.color.value;
    this.color.replaceChildren(h('option', { value: '' }, t('panel.allColors')), ...COLORS.map((c) => h('option', { value: c }, t(`colors.${c}`))));
    this.color.value = colorValue;
  }

  private visible(): Annotation[] {
    const tag = this.tag.value;
    const color = this.color.value as Color | '';
    const text = foldText(this.text.value.trim());
    return this.annotations.filter(
      (a) =>
        (!tag || a.tags.some((p) => isTagWithin(p, tag))) &&
        (!color || a.color === color) &&
        (!text || foldText(`${a.exact}\n${a.note}\n${a.tags.join('\n')}`).includes(text)),
    );
  }

  private render(): void {
    const shown = this.visible();
    const total = this.annotations.length;
    this.count.textContent = shown.length === total ? t('panel.count', { count: total }) : t('panel.countFiltered', { count: shown.length, total });
    const uiDir = directionOf(language());
    this.list.replaceChildren(
      ...shown.map((a) => {
        const block = blockAt(this.blocks, a.start);
        const quote = a.exact.length > QUOTE_MAX ? a.exact.slice(0, QUOTE_MAX) + '…' : a.exact;
        const button = h(
          'button',
          { type: 'button', class: 'annotation-item', on: { click: () => this.choose(a) } },
          h('span', { class: `swatch-dot swatch-${a.color}`, 'aria-hidden': 'true' }),
          h('span', { class: 'quote', dir: block?.dir ?? 'auto' }, quote),
          a.status === 'orphaned' ? h('span', { class: 'badge' }, t('panel.detached')) : null,
          a.tags.length
            ? h('span', { class: 'tags' }, ...a.tags.map((p) => h('span', { class: 'tag', dir: 'auto' }, p)))
            : null,
          a.note ? h('span', { class: 'note', dir: blockDirection(a.note, uiDir) }, a.note) : null,
        );
        return h('li', { 'data-annotation-id': a.id, class: a.id === this.marked ? 'marked' : '' }, button);
      }),
    );
    if (total === 0) this.list.append(h('li', { class: 'empty' }, t('panel.empty')));
    if (this.marked) this.mark(this.marked);
  }
}
