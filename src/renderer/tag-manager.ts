/**
 * The tag manager: the tag tree with counts; rename, recolour, merge into another tag, and nest
 * under a parent (a rename to `parent/leaf`, which the library treats as a move of the subtree).
 */
import type { GlossApi } from '../common/api.js';
import type { Tag } from '../common/model.js';
import { isTagWithin, TAG_SEPARATOR } from '../common/tag-path.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import type { TagStore } from './tag-store.js';

type Mode = 'rename' | 'merge' | 'nest';

export class TagManager {
  readonly el: HTMLDialogElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;
  private editing: { path: string; mode: Mode } | null = null;

  constructor(
    private readonly api: GlossApi,
    private readonly store: TagStore,
    private readonly changed: () => void,
  ) {
    this.body = h('tbody');
    this.status = h('p', { class: 'tm-status', role: 'status', 'aria-live': 'polite' });
    this.el = h(
      'dialog',
      { class: 'tag-manager', 'aria-labelledby': 'tm-title' },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'tm-title', t: 'tags.title' }), h('button', { type: 'button', class: 'icon', tAttrs: { 'aria-label': 'common.close', title: 'common.close' }, on: { click: () => this.el.close() } }, '×')),
      this.status,
      h(
        'table',
        { class: 'tag-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', t: 'tags.colTag' }), h('th', { scope: 'col', t: 'tags.colCount' }), h('th', { scope: 'col', t: 'tags.colColor' }), h('th', { scope: 'col', t: 'tags.colActions' }))),
        this.body,
      ),
    );
    store.onChange(() => this.el.open && this.render());
  }

  async open(): Promise<void> {
    if (!this.el.isConnected) document.body.append(this.el);
    this.editing = null;
    this.status.textContent = '';
    await this.store.refresh();
    this.render();
    this.el.showModal();
  }

  relabel(): void {
    if (this.el.open) this.render();
  }

  private total(path: string): number {
    return this.store.tags.filter((tag) => isTagWithin(tag.path, path)).reduce((n, tag) => n + tag.count, 0);
  }

  private render(): void {
    const tags = [...this.store.tags].sort((a, b) => a.path.localeCompare(b.path));
    if (!tags.length) {
      this.body.replaceChildren(h('tr', {}, h('td', { colspan: '4', class: 'empty' }, t('tags.empty'))));
      return;
    }
    this.body.replaceChildren(...tags.flatMap((tag) => this.row(tag)));
  }

  private row(tag: Tag): HTMLTableRowElement[] {
    const depth = tag.path.split(TAG_SEPARATOR).length - 1;
    const leaf = tag.path.split(TAG_SEPARATOR).pop()!;
    const color = h('input', {
      type: 'color',
      value: tag.color ?? '#888888',
      'aria-label': t('tags.colorOf', { tag: tag.path }),
      on: { change: (e) => void this.run(() => this.api['tags.recolor']({ path: tag.path, color: (e.target as HTMLInputElement).value })) },
    });
    const action = (mode: Mode) =>
      h('button', { type: 'button', class: 'quiet', 'aria-label': t(`tags.${mode}Named`, { tag: tag.path }), on: { click: () => this.edit(tag.path, mode) } }, t(`tags.${mode}`));
    const rows = [
      h(
        'tr',
        { 'data-tag': tag.path },
        h('td', { class: `tag-name depth-${Math.min(depth, 5)}`, title: tag.path }, h('span', { dir: 'auto' }, leaf)),
        h('td', { class: 'num' }, t('tags.count', { count: this.total(tag.path) })),
        h(
          'td',
          {},
          color,
          tag.color
            ? h('button', { type: 'button', class: 'quiet', 'aria-label': t('tags.clearColorNamed', { tag: tag.path }), on: { click: () => void this.run(() => this.api['tags.recolor']({ path: tag.path, color: null })) } }, t('tags.clearColor'))
            : null,
        ),
        h('td', { class: 'tag-actions' }, action('rename'), action('merge'), action('nest')),
      ),
    ];
    if (this.editing?.path === tag.path) rows.push(this.editor(tag, this.editing.mode));
    return rows;
  }

  private editor(tag: Tag, mode: Mode): HTMLTableRowElement {
    const others = this.store.tags.map((x) => x.path).filter((p) => !isTagWithin(p, tag.path));
    let control: HTMLInputElement | HTMLSelectElement;
    if (mode === 'rename') {
      control = h('input', { type: 'text', dir: 'auto', value: tag.path, 'aria-label': t('tags.newPath', { tag: tag.path }) });
    } else {
      const options = mode === 'nest' ? others.filter((p) => p !== tag.path.split(TAG_SEPARATOR).slice(0, -1).join(TAG_SEPARATOR)) : others;
      control = h(
        'select',
        { 'aria-label': t(mode === 'merge' ? 'tags.mergeTarget' : 'tags.nestTarget', { tag: tag.path }) },
        ...(mode === 'nest' ? [h('option', { value: '' }, t('tags.topLevel'))] : []),
        ...options.map((p) => h('option', { value: p }, p)),
      );
    }
    const apply = () => {
      const value = control.value.trim();
      const leaf = tag.path.split(TAG_SEPARATOR).pop()!;
      if (mode === 'rename') return this.run(() => this.api['tags.rename']({ from: tag.path, to: value }));
      if (mode === 'merge') return this.run(() => this.api['tags.merge']({ from: tag.path, into: value }));
      return this.run(() => this.api['tags.rename']({ from: tag.path, to: value ? `${value}${TAG_SEPARATOR}${leaf}` : leaf }));
    };
    const form = h(
      'form',
      { class: 'tag-edit', on: { submit: (e) => (e.preventDefault(), void apply()) } },
      control,
      h('button', { type: 'submit', class: 'primary' }, t(`tags.${mode}Apply`)),
      h('button', { type: 'button', on: { click: () => this.edit(null, mode) } }, t('common.cancel')),
    );
    queueMicrotask(() => control.focus());
    return h('tr', { class: 'tag-edit-row' }, h('td', { colspan: '4' }, form));
  }

  private edit(path: string | null, mode: Mode): void {
    this.editing = path ? { path, mode } : null;
    this.render();
  }

  private async run(job: () => Promise<unknown>): Promise<void> {
    try {
      await job();
      this.editing = null;
      await this.store.refresh();
      // "Saved" only once the list shows the change.
      this.status.textContent = t('tags.saved');
      this.changed();
    } catch (e) {
      this.status.textContent = e instanceof Error ? e.message : String(e);
    }
  }
}
