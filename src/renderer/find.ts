/** Find in the open document (Ctrl+F): folded matching, hits drawn in place, Enter for the next. */
import { h } from './dom.js';
import { t } from './i18n.js';
import { FoldedText, type TextRange } from './find-text.js';

export interface FindHost {
  text(): string;
  show(hits: readonly TextRange[], current: number): void;
  scrollTo(offset: number): void;
}

export class FindBar {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private folded: FoldedText | null = null;
  private hits: TextRange[] = [];
  private current = -1;

  constructor(private readonly host: FindHost) {
    this.input = h('input', {
      type: 'search',
      dir: 'auto',
      tAttrs: { 'aria-label': 'find.label', placeholder: 'find.placeholder' },
      on: {
        input: () => this.search(),
        keydown: (e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            this.step(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            this.close();
          }
        },
      },
    });
    this.count = h('span', { class: 'find-count', role: 'status', 'aria-live': 'polite' });
    this.el = h(
      'div',
      { class: 'find-bar', role: 'search', hidden: true, tAttrs: { 'aria-label': 'find.region' } },
      this.input,
      this.count,
      h('button', { type: 'button', class: 'icon', tAttrs: { 'aria-label': 'find.previous', title: 'find.previous' }, on: { click: () => this.step(-1) } }, '↑'),
      h('button', { type: 'button', class: 'icon', tAttrs: { 'aria-label': 'find.next', title: 'find.next' }, on: { click: () => this.step(1) } }, '↓'),
      h('button', { type: 'button', class: 'icon', tAttrs: { 'aria-label': 'common.close', title: 'common.close' }, on: { click: () => this.close() } }, '×'),
    );
  }

  open(): void {
    this.el.hidden = false;
    this.input.focus();
    this.input.select();
    if (this.input.value) this.search();
  }

  close(): void {
    this.el.hidden = true;
    this.hits = [];
    this.current = -1;
    this.host.show([], -1);
  }

  /** Forgets the folded text (a new document was opened). */
  reset(): void {
    this.folded = null;
    this.input.value = '';
    this.count.textContent = '';
    this.el.hidden = true;
  }

  relabel(): void {
    this.renderCount();
  }

  private search(): void {
    this.folded ??= new FoldedText(this.host.text());
    this.hits = this.folded.findAll(this.input.value);
    this.current = this.hits.length ? 0 : -1;
    this.update();
  }

  private step(by: number): void {
    if (!this.hits.length) return;
    this.current = (this.current + by + this.hits.length) % this.hits.length;
    this.update();
  }

  private update(): void {
    this.host.show(this.hits, this.current);
    const hit = this.hits[this.current];
    if (hit) this.host.scrollTo(hit.start);
    this.renderCount();
  }

  private renderCount(): void {
    if (!this.input.value.trim()) this.count.textContent = '';
    else if (!this.hits.length) this.count.textContent = t('find.none');
    else this.count.textContent = t('find.count', { current: this.current + 1, total: this.hits.length });
  }
}
