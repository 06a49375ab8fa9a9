/**
 * An annotation edited in place in the panel: its colour, its tags (with the library's tags as
 * suggestions) and its note, each saved as soon as it changes (the note after a short pause and
 * when the box is left), one save at a time. Done (or Escape) closes it.
 */
import { COLORS, type Annotation, type Color } from '../common/model.js';
import { h } from './dom.js';
import { errorText, t } from './i18n.js';
import { TagInput } from './tag-input.js';

export interface AnnotationEditorHost {
  suggestions(): string[];
  update(id: string, change: { color?: Color; tags?: string[]; note?: string }): Promise<Annotation>;
  /** Done: the editor is to be closed (the focus goes back to its opener). */
  done(): void;
  error(e: unknown): void;
}

const NOTE_DELAY = 400;

export class AnnotationEditor {
  readonly el: HTMLElement;
  private readonly swatches: HTMLButtonElement[];
  private readonly chips: HTMLUListElement;
  private readonly tagInput: TagInput;
  private readonly note: HTMLTextAreaElement;
  private readonly status: HTMLElement;
  private queue: Promise<unknown> = Promise.resolve();
  private noteTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private annotation: Annotation,
    private readonly host: AnnotationEditorHost,
  ) {
    this.swatches = COLORS.map((c) =>
      h('button', {
        type: 'button',
        class: `swatch swatch-${c}`,
        'data-color': c,
        'aria-pressed': 'false',
        tAttrs: { 'aria-label': `colors.${c}`, title: `colors.${c}` },
        on: { click: () => this.save({ color: c }) },
      }),
    );
    this.chips = h('ul', { class: 'chips', tAttrs: { 'aria-label': 'toolbar.chosenTags' } });
    this.tagInput = new TagInput(
      () => this.host.suggestions().filter((p) => !this.annotation.tags.includes(p)),
      (path) => this.save({ tags: [...this.annotation.tags.filter((p) => p !== path), path] }),
      (message) => this.say(message, true),
    );
    this.note = h('textarea', {
      class: 'note-entry',
      dir: 'auto',
      rows: 2,
      tAttrs: { 'aria-label': 'toolbar.note', placeholder: 'toolbar.notePlaceholder' },
      on: {
        input: () => {
          clearTimeout(this.noteTimer);
          this.noteTimer = setTimeout(() => this.saveNote(), NOTE_DELAY);
        },
        change: () => this.saveNote(),
      },
    });
    this.note.value = annotation.note;
    this.status = h('p', { class: 'editor-status', role: 'status', 'aria-live': 'polite' });
    const done = h('button', { type: 'button', class: 'primary', t: 'panel.done', on: { click: () => this.close() } });
    this.el = h(
      'div',
      {
        class: 'annotation-editor',
        role: 'group',
        tAttrs: { 'aria-label': 'panel.editing' },
        on: {
          keydown: (e) => {
            if (e.key === 'Escape' && !e.defaultPrevented) {
              e.preventDefault();
              e.stopPropagation();
              this.close();
            }
          },
        },
      },
      h('div', { class: 'swatches', role: 'group', tAttrs: { 'aria-label': 'toolbar.color' } }, ...this.swatches),
      h('div', { class: 'toolbar-row' }, this.chips, this.tagInput.el),
      this.note,
      h('div', { class: 'editor-foot' }, this.status, done),
    );
    this.render();
  }

  /** The annotation as saved now (from here or elsewhere); the note being typed is left as it is. */
  refresh(annotation: Annotation): void {
    this.annotation = annotation;
    if (document.activeElement !== this.note && this.noteTimer === undefined) this.note.value = annotation.note;
    this.render();
  }

  focus(): void {
    this.swatches.find((s) => s.getAttribute('aria-pressed') === 'true')?.focus();
  }

  /** Saves a note still waiting for its pause, then closes. */
  close(): void {
    this.saveNote();
    this.host.done();
  }

  private render(): void {
    for (const s of this.swatches) s.setAttribute('aria-pressed', String(s.dataset.color === this.annotation.color));
    this.chips.replaceChildren(
      ...this.annotation.tags.map((path) =>
        h(
          'li',
          { class: 'chip' },
          h('span', { dir: 'auto' }, path),
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': t('toolbar.removeTag', { tag: path }),
              on: {
                click: () => {
                  this.save({ tags: this.annotation.tags.filter((p) => p !== path) });
                  this.tagInput.input.focus();
                },
              },
            },
            '×',
          ),
        ),
      ),
    );
  }

  private saveNote(): void {
    if (this.noteTimer === undefined && this.note.value === this.annotation.note) return;
    clearTimeout(this.noteTimer);
    this.noteTimer = undefined;
    if (this.note.value !== this.annotation.note) this.save({ note: this.note.value });
  }

  private save(change: { color?: Color; tags?: string[]; note?: string }): void {
    // Shown at once; the saved annotation comes back through `refresh`.
    this.annotation = { ...this.annotation, ...change };
    this.render();
    const id = this.annotation.id;
    this.queue = this.queue
      .then(() => this.host.update(id, change))
      .then(() => this.say(t('toolbar.saved')))
      .catch((e) => {
        this.say(errorText(e), true);
        this.host.error(e);
      });
  }

  private say(message: string, error = false): void {
    this.status.textContent = message;
    this.status.classList.toggle('error', error);
  }
}
