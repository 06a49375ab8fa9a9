/**
 * The side panel: the open document's annotations in text order (quote in its own direction,
 * tags, note), filtered by tag (a parent matches its children), colour and text. A long list is
 * rendered a batch at a time as it scrolls into view. Detached annotations (their words were
 * deleted, or a new version of the text lost them) are listed apart, above, each with its quote,
 * tags and note, and a way to re-attach it to a new passage or delete it.
 *
 * The list is the document session's (session/document-session.ts), in text order; the panel
 * keeps no copy of it and redraws from the session's events.
 */
import { COLORS, type Annotation, type Block, type Color } from '../common/model.js';
import { isTagWithin } from '../common/tag-path.js';
import { blockAt } from '../common/text/canonical.js';
import { pagesOf } from '../common/text/pages.js';
import { blockIndexAt } from '../common/text/positions.js';
import { blockDirection } from '../common/text/direction.js';
import { foldText } from '../common/text/fold.js';
import { AnnotationEditor } from './annotation-editor.js';
import { formatDate, pagesLabel } from './doc-meta.js';
import { h } from './dom.js';
import { directionOf, isolate, language, t } from './i18n.js';
import { sameContent, type DocumentSession, type SessionEvent } from './session/document-session.js';
import type { TagStore } from './tag-store.js';

/** What the panel asks of the reader. */
export interface PanelActions {
  /** Re-attach to the passage selected in the text; false when nothing is selected. */
  reattach(annotation: Annotation): Promise<boolean>;
  /** Deletes it (with a way to undo). */
  remove(annotation: Annotation): void;
  update(id: string, change: { color?: Color; tags?: string[]; note?: string }): Promise<Annotation>;
  error(e: unknown): void;
}

const QUOTE_MAX = 240;
/** Characters of the quote in a control's name ("Edit “…”"). */
const NAME_QUOTE = 60;
/** List items rendered at a time: a book's ten thousand annotations come as the panel scrolls. */
const BATCH = 40;
/** A change of more annotations than this (a save after an edit near the top of a book) redraws the list from its start. */
const MANY = 100;

export class AnnotationPanel {
  readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly more: HTMLElement;
  private readonly count: HTMLElement;
  private readonly text: HTMLInputElement;
  private readonly tag: HTMLSelectElement;
  private readonly color: HTMLSelectElement;
  /** Who made them (a team's members; a Word file's commenters): shown when there is anyone to choose. */
  private readonly author: HTMLSelectElement;
  private session: DocumentSession | null = null;
  private unsubscribe: (() => void) | null = null;
  private marked: string | null = null;
  private loading = false;
  /** The filtered list, and how much of it is in the DOM (the rest comes as the list scrolls). */
  private shown: readonly Annotation[] = [];
  private rendered = 0;
  /**
   * List items kept by annotation, with where each was drawn (`place`). A changed annotation is a
   * new object; it gets a new item unless what the item shows is the same (a save moved it along
   * with the text after an edit: same quote, note, tags, paragraph and pages).
   */
  private items = new Map<string, { a: Annotation | null; li: HTMLLIElement; place?: string }>();
  private folded = new WeakMap<Annotation, string>();
  private readonly detached: HTMLElement;
  private readonly detachedList: HTMLUListElement;
  private readonly detachedHint: HTMLElement;
  /** The detached annotation waiting for a passage to be selected, if any. */
  private attaching: string | null = null;

  /** The annotation edited in place, and its editor (kept while the list redraws around it). */
  private editing: { id: string; editor: AnnotationEditor } | null = null;

  constructor(
    private readonly tags: TagStore,
    private readonly choose: (annotation: Annotation) => void,
    private readonly actions: PanelActions,
  ) {
    this.detachedList = h('ul', { class: 'detached-list' });
    this.detachedHint = h('p', { class: 'detached-hint', role: 'status', 'aria-live': 'polite' });
    this.detached = h(
      'section',
      { class: 'detached', hidden: true, 'aria-labelledby': 'detached-title' },
      h('h3', { id: 'detached-title' }),
      h('p', { class: 'detached-about', t: 'panel.detachedAbout' }),
      this.detachedList,
      this.detachedHint,
    );
    this.text = h('input', { type: 'search', class: 'filter-text', dir: 'auto', tAttrs: { 'aria-label': 'panel.filterText', placeholder: 'panel.filterTextPlaceholder' }, on: { input: () => this.render() } });
    this.tag = h('select', { class: 'filter-tag', tAttrs: { 'aria-label': 'panel.filterTag' }, on: { change: () => this.render() } });
    this.color = h('select', { class: 'filter-color', tAttrs: { 'aria-label': 'panel.filterColor' }, on: { change: () => this.render() } });
    this.author = h('select', { class: 'filter-author', hidden: true, tAttrs: { 'aria-label': 'panel.filterAuthor' }, on: { change: () => this.render() } });
    // Focusable from script only: where the focus goes when the last item is deleted.
    this.count = h('p', { class: 'panel-count', role: 'status', tabindex: '-1' });
    this.list = h('ol', { class: 'annotation-list' });
    // Reaching this marker (scrolling the panel) renders the next batch of the list.
    this.more = h('div', { class: 'panel-more', 'aria-hidden': 'true', hidden: true });
    this.el = h(
      'section',
      { class: 'panel', tAttrs: { 'aria-label': 'panel.title' } },
      h('h2', { t: 'panel.title' }),
      this.detached,
      h('div', { class: 'filters' }, this.text, this.tag, this.color, this.author),
      this.count,
      this.list,
      this.more,
    );
    new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.renderMore(), { root: this.el, rootMargin: '0px 0px 400px 0px' }).observe(this.more);
    tags.onChange(() => this.renderFilters());
    this.renderFilters();
  }

  /** Lists a newly opened document's annotations, from its session (loading until they come; null: a document still on its way). */
  attach(session: DocumentSession | null): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.session = session;
    this.editing = null;
    this.items.clear();
    this.loading = true;
    this.render();
    if (session) this.unsubscribe = session.subscribe((e) => this.changed(e));
  }

  private get annotations(): readonly Annotation[] {
    return this.loading || !this.session ? [] : this.session.list();
  }

  private get blocks(): readonly Block[] {
    return this.session?.document.blocks ?? [];
  }

  private changed(e: SessionEvent): void {
    if (e.origin === 'load') this.loading = false;
    if (e.reset && this.editing && !this.session?.has(this.editing.id)) this.editing = null;
    for (const a of e.removed) {
      this.items.delete(a.id);
      if (this.editing?.id === a.id) {
        this.editing.editor.el.remove();
        this.editing = null;
      }
    }
    if (e.reset || e.added.length + e.updated.length + e.removed.length > MANY) {
      this.clearItems();
      this.render();
    } else this.render(true);
  }

  /** The tag filter in force ('' for none), e.g. to export only those annotations. */
  get tagFilter(): string {
    return this.tag.value;
  }

  /** Marks the chosen annotation in the list (and scrolls the list to it). */
  mark(id: string | null): void {
    const moved = id !== this.marked;
    this.marked = id;
    const at = id ? this.shown.findIndex((a) => a.id === id) : -1;
    if (at >= this.rendered) this.renderMore(at + 1);
    const li = this.applyMark();
    // In the next frame, with the layout the frame makes anyway, rather than forcing one now.
    if (li && moved) requestAnimationFrame(() => li.isConnected && li.scrollIntoView({ block: 'nearest' }));
  }

  /** Sets the marked item's class and `aria-current`; returns it. */
  private applyMark(): HTMLElement | null {
    let marked: HTMLElement | null = null;
    for (const li of this.list.querySelectorAll<HTMLElement>('[data-annotation-id]')) {
      const on = li.dataset.annotationId === this.marked;
      li.classList.toggle('marked', on);
      const button = li.querySelector('button');
      if (on) button?.setAttribute('aria-current', 'true');
      else button?.removeAttribute('aria-current');
      if (on) marked = li;
    }
    return marked;
  }

  /** Sets the tag filter (e.g. from a tag chip); '' shows all. */
  filterByTag(path: string): void {
    this.renderFilters();
    this.tag.value = path;
    this.render();
  }

  relabel(): void {
    this.clearItems();
    this.renderFilters();
    this.render();
  }

  /**
   * Forgets the drawn items, so they are drawn again; the one being edited keeps its element
   * (marked stale), since taking its editor out of the page would blur the box being typed in.
   */
  private clearItems(): void {
    const editing = this.editing ? this.items.get(this.editing.id) : undefined;
    this.items.clear();
    if (editing && this.editing) this.items.set(this.editing.id, { a: null, li: editing.li });
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

  /** The author filter's choices, from the annotations' authors (redrawn only when they change). */
  private renderAuthors(): void {
    const authors = [...new Set(this.annotations.map((a) => a.author ?? '').filter(Boolean))].sort((a, b) => a.localeCompare(b));
    const key = `${language()}\n${authors.join('\n')}`;
    if (this.author.dataset.authors === key) return;
    this.author.dataset.authors = key;
    const value = this.author.value;
    this.author.replaceChildren(h('option', { value: '' }, t('panel.allAuthors')), ...authors.map((name) => h('option', { value: name, dir: 'auto' }, name)));
    this.author.value = authors.includes(value) ? value : '';
    this.author.hidden = authors.length === 0;
  }

  private visible(): readonly Annotation[] {
    const tag = this.tag.value;
    const color = this.color.value as Color | '';
    const text = foldText(this.text.value.trim());
    const author = this.author.value;
    if (!tag && !color && !text && !author) return this.annotations;
    return this.annotations.filter(
      (a) =>
        (!tag || a.tags.some((p) => isTagWithin(p, tag))) &&
        (!author || a.author === author) &&
        (!color || a.color === color) &&
        (!text || this.foldedOf(a).includes(text)),
    );
  }

  private foldedOf(a: Annotation): string {
    let f = this.folded.get(a);
    if (f === undefined) {
      f = foldText(`${a.exact}\n${a.note}\n${a.tags.join('\n')}\n${a.author ?? ''}`);
      this.folded.set(a, f);
    }
    return f;
  }

  /**
   * Shows the filtered list. `keep`: the same list changed by one annotation, so as much of it
   * stays in the DOM as was there; otherwise the first batch.
   */
  private render(keep = false): void {
    this.renderAuthors();
    this.renderDetached();
    this.shown = this.visible().filter((a) => a.status !== 'orphaned');
    // The detached are counted in their own heading.
    const total = this.annotations.filter((a) => a.status !== 'orphaned').length;
    this.count.textContent = this.loading ? t('panel.loading') : this.shown.length === total ? t('panel.count', { count: total }) : t('panel.countFiltered', { count: this.shown.length, total });
    const marked = this.marked ? this.shown.findIndex((a) => a.id === this.marked) + 1 : 0;
    const focus = this.focusedPart();
    this.sync(Math.max(BATCH, marked, keep ? this.rendered : 0));
    // An item drawn again is a new element: the focus goes to the same control in it.
    if (focus && !focus.el.isConnected) this.list.querySelector<HTMLElement>(`li[data-annotation-id="${CSS.escape(focus.id)}"] [data-part="${focus.part}"]`)?.focus();
    if (this.marked) this.applyMark();
  }

  /** The detached ones, apart (never filtered away: they are what needs the reader's attention). */
  private renderDetached(): void {
    const orphans = this.loading ? [] : this.annotations.filter((a) => a.status === 'orphaned');
    this.detached.hidden = orphans.length === 0;
    if (this.attaching && !orphans.some((a) => a.id === this.attaching)) {
      this.attaching = null;
      this.detachedHint.textContent = '';
    }
    this.detached.querySelector('h3')!.textContent = t('panel.detachedTitle', { count: orphans.length });
    const uiDir = directionOf(language());
    this.detachedList.replaceChildren(
      ...orphans.map((a) => {
        const quote = a.exact.length > QUOTE_MAX ? a.exact.slice(0, QUOTE_MAX) + '…' : a.exact;
        const reattach = h('button', { type: 'button', class: 'quiet', 'aria-label': t('panel.reattachNamed', { quote: quote.slice(0, 60) }), on: { click: () => void this.reattach(a) } }, t('panel.reattach'));
        // Pressing the button must not take the selection the reader just made in the text.
        reattach.addEventListener('mousedown', (e) => e.preventDefault());
        return h(
          'li',
          { class: a.id === this.attaching ? 'detached-item attaching' : 'detached-item', 'data-annotation-id': a.id },
          h('span', { class: `swatch-dot swatch-${a.color}`, 'aria-hidden': 'true' }),
          h('span', { class: 'quote', dir: blockDirection(a.exact, uiDir) }, quote),
          a.tags.length ? h('span', { class: 'tags' }, ...a.tags.map((p) => h('span', { class: 'tag', dir: 'auto' }, p))) : null,
          a.note ? h('span', { class: 'note', dir: blockDirection(a.note, uiDir) }, a.note) : null,
          h(
            'span',
            { class: 'detached-actions' },
            reattach,
            h('button', { type: 'button', class: 'quiet danger', 'aria-label': t('panel.deleteDetachedNamed', { quote: quote.slice(0, 60) }), on: { click: () => this.delete(a) } }, t('toolbar.delete')),
          ),
        );
      }),
    );
  }

  private async reattach(a: Annotation): Promise<void> {
    if (await this.actions.reattach(a)) {
      this.attaching = null;
      this.detachedHint.textContent = '';
      return;
    }
    this.attaching = a.id;
    this.detachedHint.textContent = t('panel.reattachHint');
    this.renderDetached();
  }

  /** A passage was selected while a detached annotation waits for one: offer it. */
  get waitingToAttach(): Annotation | null {
    return this.attaching ? (this.session?.get(this.attaching) ?? null) : null;
  }

  /** Renders the list up to `upTo` items (at least one more batch). */
  private renderMore(upTo = this.rendered + BATCH): void {
    if (this.rendered < this.shown.length) this.sync(Math.max(upTo, this.rendered + BATCH));
  }

  /**
   * Puts the first `count` items in the list, moving only what changed: items put back in the DOM
   * lose their layout, and laying out a whole batch of quotes again cost ~10 ms per highlight.
   */
  private sync(count: number): void {
    const end = Math.min(count, this.shown.length);
    const want: HTMLLIElement[] = this.shown.slice(0, end).map((a) => this.item(a));
    if (this.annotations.length === 0 && !this.loading) want.push(h('li', { class: 'empty' }, t('panel.empty')));
    // Those going first, so that the ones after them stay where they are rather than being
    // moved up: a moved element loses the focus (a deleted item's neighbour had it).
    const keep = new Set<Element>(want);
    for (const li of [...this.list.children]) if (!keep.has(li)) li.remove();
    want.forEach((li, i) => {
      const at = this.list.children[i];
      if (at !== li) this.list.insertBefore(li, at ?? null);
    });
    while (this.list.children.length > want.length) this.list.lastElementChild!.remove();
    this.rendered = end;
    this.more.hidden = end >= this.shown.length;
  }

  private item(a: Annotation): HTMLLIElement {
    const kept = this.items.get(a.id);
    if (kept && (kept.a === a || (kept.a && this.editing?.id !== a.id && sameDrawn(kept.a, a) && kept.place === this.placeOf(a)))) {
      kept.a = a;
      kept.li.classList.toggle('marked', a.id === this.marked);
      return kept.li;
    }
    const button = this.entry(a);
    const short = quoteOf(a).slice(0, NAME_QUOTE);
    const edit = h(
      'button',
      { type: 'button', class: 'quiet', 'data-part': 'edit', 'aria-expanded': String(this.editing?.id === a.id), 'aria-label': t('panel.editNamed', { quote: short }), on: { click: () => this.toggleEditor(a.id) } },
      t('panel.edit'),
    );
    const remove = h('button', { type: 'button', class: 'quiet danger', 'data-part': 'delete', 'aria-label': t('panel.deleteNamed', { quote: short }), on: { click: () => this.delete(this.now(a)) } }, t('panel.delete'));
    const tools = h('div', { class: 'item-tools' }, edit, remove);
    // The item being edited keeps its element, so that the box being typed in keeps the focus
    // while the saved annotation comes back; only its entry and tools are drawn again.
    if (kept && this.editing?.id === a.id) {
      // Not replaceChildren: taking the editor out of the page, even for a moment, blurs it.
      kept.li.querySelector(':scope > .annotation-item')?.replaceWith(button);
      kept.li.querySelector(':scope > .item-tools')?.replaceWith(tools);
      this.editing.editor.refresh(a);
      this.items.set(a.id, { a, li: kept.li, place: this.placeOf(a) });
      return kept.li;
    }
    const li = h('li', { 'data-annotation-id': a.id, class: a.id === this.marked ? 'marked' : '' }, button, tools);
    if (this.editing?.id === a.id) {
      this.editing.editor.refresh(a);
      li.append(this.editing.editor.el);
    }
    this.items.set(a.id, { a, li, place: this.placeOf(a) });
    return li;
  }

  /** The item's entry: choosing it shows the passage; Delete deletes it. */
  private entry(a: Annotation): HTMLButtonElement {
    const uiDir = directionOf(language());
    const block = blockAt(this.blocks, a.start);
    return h(
      'button',
      {
        type: 'button',
        class: 'annotation-item',
        'data-part': 'entry',
        'aria-keyshortcuts': 'Delete',
        on: {
          // The annotation as it is now: an item is kept while its annotation moves with the text.
          click: () => this.choose(this.now(a)),
          keydown: (e) => {
            if (e.key === 'Delete' && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              this.delete(this.now(a));
            }
          },
        },
      },
      h('span', { class: `swatch-dot swatch-${a.color}`, 'aria-hidden': 'true' }),
      h('span', { class: 'quote', dir: block?.dir ?? 'auto' }, quoteOf(a)),
      this.aboutLine(a),
      a.status === 'orphaned' ? h('span', { class: 'badge' }, t('panel.detached')) : null,
      a.tags.length ? h('span', { class: 'tags' }, ...a.tags.map((p) => h('span', { class: 'tag', dir: 'auto' }, p))) : null,
      a.note ? h('span', { class: 'note', dir: blockDirection(a.note, uiDir) }, a.note) : null,
    );
  }

  private now(a: Annotation): Annotation {
    return this.session?.get(a.id) ?? a;
  }

  /** Where an item places its annotation: the paragraph (and its direction) and the pages. */
  private placeOf(a: Annotation): string {
    const index = blockIndexAt(this.blocks, a.start);
    return `${index}:${this.blocks[index]?.dir ?? ''}:${pagesLabel(pagesOf(this.blocks, a.start, a.end)) ?? ''}`;
  }

  /** The item control that has the focus, if any: its annotation and which control it is. */
  private focusedPart(): { id: string; part: string; el: Element } | null {
    const el = document.activeElement;
    if (!el || !this.list.contains(el)) return null;
    const part = el.getAttribute('data-part');
    const id = el.closest('li')?.getAttribute('data-annotation-id');
    return part && id ? { id, part, el } : null;
  }

  /** Opens (or closes) the in-place editor of an annotation; one at a time. */
  private toggleEditor(id: string): void {
    const open = this.editing?.id === id;
    if (this.editing) this.closeEditor(false);
    if (open) return;
    const a = this.session?.get(id);
    if (!a) return;
    const editor = new AnnotationEditor(a, {
      suggestions: () => this.tags.allPaths(),
      update: (aid, change) => this.actions.update(aid, change),
      done: () => this.closeEditor(true),
      error: (e) => this.actions.error(e),
    });
    this.editing = { id, editor };
    this.items.delete(id);
    this.render(true);
    editor.focus();
  }

  private closeEditor(refocus: boolean): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = null;
    editing.editor.el.remove();
    this.items.delete(editing.id);
    this.render(true);
    if (refocus) this.items.get(editing.id)?.li.querySelector<HTMLElement>('.item-tools button')?.focus();
  }

  /** Deletes (the reader offers Undo); the focus goes on to the next item, so the list stays in reach. */
  private delete(a: Annotation): void {
    const li = this.items.get(a.id)?.li;
    const hadFocus = li?.contains(document.activeElement) ?? false;
    const next = li ? ((li.nextElementSibling ?? li.previousElementSibling) as HTMLElement | null) : null;
    if (this.editing?.id === a.id) {
      this.editing.editor.el.remove();
      this.editing = null;
    }
    this.actions.remove(a);
    if (hadFocus) (next?.querySelector<HTMLElement>('.annotation-item') ?? this.count).focus();
  }

  /**
   * Who wrote it and when (an annotation that came with the file: a Word comment), and the pages
   * of a paged source it spans ("p. 12"), for citing; nothing for the reader's own on plain text.
   */
  private aboutLine(a: Annotation): HTMLElement | null {
    const parts: string[] = [];
    if (a.author) {
      parts.push(t('panel.commentBy', { author: isolate(a.author) }));
      const date = formatDate(a.created);
      if (date) parts.push(isolate(date));
    }
    // Where it is, for finding it again or citing it: the pages of a paged source, else the
    // paragraph (block) it starts in.
    const pages = pagesLabel(pagesOf(this.blocks, a.start, a.end));
    if (pages) parts.push(pages);
    else if (a.status !== 'orphaned') {
      const index = blockIndexAt(this.blocks, a.start);
      if (index >= 0) parts.push(t('panel.paragraph', { number: index + 1 }));
    }
    return parts.length ? h('span', { class: 'about' }, parts.join(' · ')) : null;
  }
}

/** Whether two states of an annotation show the same in an item, wherever they are. */
function sameDrawn(x: Annotation, y: Annotation): boolean {
  return sameContent(x, y) && x.author === y.author && x.created === y.created;
}

function quoteOf(a: Annotation): string {
  return a.exact.length > QUOTE_MAX ? a.exact.slice(0, QUOTE_MAX) + '…' : a.exact;
}

