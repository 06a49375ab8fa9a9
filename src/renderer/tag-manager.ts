/**
 * The tag manager: the tag tree with counts; rename, recolour, merge into another tag, nest under
 * a parent (a rename to `parent/leaf`, which the library treats as a move of the subtree), delete
 * (its annotations lose the tag or get its parent instead), and clear every unused tag at once.
 * A deletion can be undone from here. Counts are the library's, fetched again after each change.
 */
import type { GlossApi, TagDeletion } from '../common/api.js';
import type { Tag } from '../common/model.js';
import { isTagWithin, TAG_SEPARATOR } from '../common/tag-path.js';
import { h } from './dom.js';
import { errorText, isolate, t } from './i18n.js';
import type { TagStore } from './tag-store.js';

type Mode = 'rename' | 'merge' | 'nest' | 'delete';

export class TagManager {
  readonly el: HTMLDialogElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly clearButton: HTMLButtonElement;
  private editing: { path: string; mode: Mode } | null = null;
  /** The last deletion, until undone or followed by another change. */
  private undoable: number | null = null;

  constructor(
    private readonly api: GlossApi,
    private readonly store: TagStore,
    private readonly changed: () => void,
  ) {
    this.body = h('tbody');
    this.status = h('p', { class: 'tm-status', role: 'status', 'aria-live': 'polite' });
    this.undoButton = h('button', { type: 'button', class: 'quiet', t: 'common.undo', hidden: true, on: { click: () => void this.undo() } });
    this.clearButton = h('button', { type: 'button', class: 'quiet danger', on: { click: () => void this.clearUnused() } });
    this.el = h(
      'dialog',
      { class: 'tag-manager', 'aria-labelledby': 'tm-title' },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'tm-title', t: 'tags.title' }), h('button', { type: 'button', class: 'icon', tAttrs: { 'aria-label': 'common.close', title: 'common.close' }, on: { click: () => this.el.close() } }, '×')),
      h('div', { class: 'tm-bar' }, h('div', { class: 'tm-status-row' }, this.status, this.undoButton), this.clearButton),
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
    this.undoable = null;
    this.say('');
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

  /** Tags no annotation carries, themselves or below them (what "Clear unused" deletes). */
  private unused(): string[] {
    return this.store.tags.filter((tag) => this.total(tag.path) === 0).map((tag) => tag.path);
  }

  private render(): void {
    const unused = this.unused().length;
    this.clearButton.textContent = unused ? t('tags.clearUnused', { count: unused }) : t('tags.noUnused');
    this.clearButton.disabled = unused === 0;
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
        // The buttons in a box of their own: a flex table cell is no longer a cell, and its row's line breaks.
        h('td', {}, h('div', { class: 'tag-actions' }, action('rename'), action('merge'), action('nest'), action('delete'))),
      ),
    ];
    if (this.editing?.path === tag.path) rows.push(this.editor(tag, this.editing.mode));
    return rows;
  }

  private editor(tag: Tag, mode: Mode): HTMLTableRowElement {
    if (mode === 'delete') return this.deleter(tag);
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

  /**
   * Deleting a tag: what goes (the tag and those below it), and what its annotations get: no tag
   * in its place, or its parent (when it has one).
   */
  private deleter(tag: Tag): HTMLTableRowElement {
    const below = this.store.tags.filter((x) => x.path !== tag.path && isTagWithin(x.path, tag.path)).length;
    const count = this.total(tag.path);
    const parent = tag.path.split(TAG_SEPARATOR).slice(0, -1).join(TAG_SEPARATOR);
    const name = `tm-delete-${this.store.tags.indexOf(tag)}`;
    const choice = (value: 'remove' | 'parent', label: string, checked: boolean) =>
      h('label', { class: 'check' }, h('input', { type: 'radio', name, value, checked }), h('span', {}, label));
    const fields =
      count > 0
        ? h(
            'fieldset',
            { class: 'tm-choice' },
            h('legend', {}, t('tags.deleteChoice', { count })),
            choice('remove', t('tags.deleteRemove'), true),
            parent ? choice('parent', t('tags.deleteToParent', { parent: isolate(parent) }), false) : null,
          )
        : null;
    const apply = () => {
      const mode = (form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? 'remove') as 'remove' | 'parent';
      return this.run(() => this.api['tags.delete']({ path: tag.path, annotations: mode }), (out) => t('tags.deleted', { tag: isolate(tag.path), count: out.annotations }));
    };
    const form = h(
      'form',
      { class: 'tag-edit tag-delete', on: { submit: (e) => (e.preventDefault(), void apply()) } },
      h('p', {}, below ? t('tags.deleteIntroBelow', { tag: isolate(tag.path), count: below }) : t('tags.deleteIntro', { tag: isolate(tag.path) })),
      fields,
      h('div', { class: 'tm-buttons' }, h('button', { type: 'submit', class: 'danger' }, t('tags.deleteApply')), h('button', { type: 'button', on: { click: () => this.edit(null, 'delete') } }, t('common.cancel'))),
    );
    queueMicrotask(() => form.querySelector<HTMLElement>('input, button')?.focus());
    return h('tr', { class: 'tag-edit-row' }, h('td', { colspan: '4' }, form));
  }

  private async clearUnused(): Promise<void> {
    await this.run(() => this.api['tags.clearUnused']({}), (out) => t('tags.cleared', { count: out.tags }));
  }

  private async undo(): Promise<void> {
    const undoId = this.undoable;
    if (undoId === null) return;
    await this.run(() => this.api['tags.undelete']({ undoId }), (out) => t('tags.restored', { count: out.restored }));
  }

  private edit(path: string | null, mode: Mode): void {
    this.editing = path ? { path, mode } : null;
    this.render();
  }

  /**
   * Runs a change, fetches the tags again and says what happened (`saved` words it, else "Saved").
   * A deletion's answer carries an undo id: Undo is offered until the next change.
   */
  private async run<T>(job: () => Promise<T>, saved?: (out: T) => string): Promise<void> {
    try {
      const out = await job();
      this.editing = null;
      this.undoable = isDeletion(out) ? out.undoId : null;
      await this.store.refresh();
      // Said only once the list shows the change.
      this.say(saved ? saved(out) : t('tags.saved'));
      this.changed();
    } catch (e) {
      this.say(errorText(e));
    }
  }

  private say(message: string): void {
    this.status.textContent = message;
    this.undoButton.hidden = this.undoable === null || message === '';
  }
}

function isDeletion(out: unknown): out is TagDeletion {
  return typeof out === 'object' && out !== null && typeof (out as TagDeletion).undoId === 'number';
}
