/**
 * A text box for adding hierarchical tags, with suggestions from the library's tags. It stays a
 * plain text box for assistive technology (named "Tags"); the suggestions are a listbox it
 * points to with `aria-activedescendant`. A path that does not exist yet is created on the fly.
 */
import { normalizeTagPath } from '../common/tag-path.js';
import { foldText } from '../common/text/fold.js';
import { h } from './dom.js';
import { errorText } from './i18n.js';

let counter = 0;

export class TagInput {
  readonly input: HTMLInputElement;
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private options: string[] = [];
  private active = -1;

  constructor(
    private readonly suggestions: () => string[],
    private readonly onCommit: (path: string) => void,
    private readonly onInvalid: (message: string) => void,
  ) {
    const id = `tag-suggest-${++counter}`;
    this.list = h('ul', { id, role: 'listbox', class: 'suggestions', hidden: true, tAttrs: { 'aria-label': 'toolbar.tagSuggestions' } });
    this.input = h('input', {
      type: 'text',
      class: 'tag-entry',
      dir: 'auto',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-autocomplete': 'list',
      'aria-controls': id,
      tAttrs: { 'aria-label': 'toolbar.tags', placeholder: 'toolbar.tagsPlaceholder' },
      on: {
        input: () => this.refresh(),
        focus: () => this.refresh(),
        blur: () => setTimeout(() => this.hide(), 150),
        keydown: (e) => this.key(e),
      },
    });
    this.el = h('div', { class: 'tag-combo' }, this.input, this.list);
  }

  private key(e: KeyboardEvent): void {
    if (e.isComposing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (this.options.length === 0) return;
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      let next = this.active + step;
      if (next >= this.options.length) next = -1;
      if (next < -1) next = this.options.length - 1;
      this.setActive(next);
    } else if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      const chosen = this.active >= 0 ? this.options[this.active] : this.input.value;
      this.commit(chosen ?? '');
    } else if (e.key === 'Escape' && !this.list.hidden) {
      e.preventDefault();
      e.stopPropagation();
      this.hide();
    }
  }

  private setActive(index: number): void {
    this.active = index >= this.options.length ? -1 : index;
    [...this.list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', this.list.children[this.active]!.id);
    else this.input.removeAttribute('aria-activedescendant');
  }

  /** Commits typed text (or a pending entry, e.g. before the Highlight button acts); false when invalid. */
  commit(raw = this.input.value): boolean {
    if (!raw.trim()) return true;
    let path: string;
    try {
      path = normalizeTagPath(raw);
    } catch (e) {
      this.onInvalid(errorText(e));
      return false;
    }
    this.input.value = '';
    this.hide();
    this.onCommit(path);
    return true;
  }

  hide(): void {
    this.list.hidden = true;
    this.options = [];
    this.setActive(-1);
  }

  private refresh(): void {
    const typed = foldText(this.input.value.trim());
    const all = this.suggestions();
    const ranked = all
      .map((p) => ({ p, f: foldText(p) }))
      .filter(({ f }) => !typed || f.includes(typed))
      .sort((a, b) => Number(!a.f.startsWith(typed)) - Number(!b.f.startsWith(typed)) || a.p.localeCompare(b.p))
      .slice(0, 8)
      .map(({ p }) => p);
    this.options = ranked;
    this.list.replaceChildren(
      ...ranked.map((p, i) =>
        h(
          'li',
          {
            role: 'option',
            id: `${this.list.id}-${i}`,
            dir: 'auto',
            'aria-selected': 'false',
            on: { mousedown: (e) => e.preventDefault(), click: () => this.commit(p) },
          },
          p,
        ),
      ),
    );
    this.list.hidden = ranked.length === 0 || document.activeElement !== this.input;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
  }
}
