/**
 * The toolbar at the selection: colours, Highlight, tags and a note for a new passage; the same
 * plus "Delete annotation" for an existing one. It is placed from the range's client rectangles
 * (`coordsAtPos` is unreliable in mixed-direction lines). Every change is saved at once; a note
 * is saved as it is typed (after a short pause) and when the box loses focus. The annotation it is
 * open on follows the document session's events (an undo, the panel, a tag renamed elsewhere).
 */
import { COLORS, type Annotation, type Color } from '../common/model.js';
import { h } from './dom.js';
import { errorText, t } from './i18n.js';
import type { DocumentSession, SessionEvent } from './session/document-session.js';
import { TagInput } from './tag-input.js';

export interface ToolbarHost {
  suggestions(): string[];
  create(input: { start: number; end: number; color: Color; tags: string[]; note: string }): Promise<Annotation>;
  update(id: string, change: { color?: Color; tags?: string[]; note?: string }): Promise<Annotation>;
  remove(annotation: Annotation): Promise<void>;
  /** The passage selected in the text now, if any. */
  selection(): { start: number; end: number } | null;
  /** Client rectangles of a canonical range as drawn now. */
  rects(range: { start: number; end: number }): DOMRect[];
  /** The visible part of the reading area: outside it the passage is scrolled away. */
  viewport(): DOMRect;
  /** It closed while the focus was in it (hidden, it would leave the focus nowhere). */
  closedWithFocus(passage: { start: number; end: number } | null): void;
  error(e: unknown): void;
}

const NOTE_DELAY = 400;

export class SelectionToolbar {
  readonly el: HTMLElement;
  private readonly swatches: HTMLButtonElement[];
  private readonly highlightButton: HTMLButtonElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly chips: HTMLUListElement;
  private readonly tagInput: TagInput;
  private readonly note: HTMLTextAreaElement;
  private readonly status: HTMLElement;
  private target: { start: number; end: number } | null = null;
  private annotation: Annotation | null = null;
  private tags: string[] = [];
  private color: Color = 'yellow';
  private queue: Promise<unknown> = Promise.resolve();
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly host: ToolbarHost) {
    this.swatches = COLORS.map((c, i) =>
      h('button', {
        type: 'button',
        class: `swatch swatch-${c}`,
        'data-color': c,
        'aria-pressed': 'false',
        tAttrs: { 'aria-label': `colors.${c}`, title: `colors.${c}` },
        'aria-keyshortcuts': `Alt+${i + 1}`,
        on: { click: () => this.pickColor(c) },
      }),
    );
    this.highlightButton = h('button', { type: 'button', class: 'primary', t: 'toolbar.highlight', 'aria-keyshortcuts': 'Alt+H', on: { click: () => void this.highlight() } });
    this.deleteButton = h('button', { type: 'button', class: 'danger', t: 'toolbar.delete', hidden: true, on: { click: () => void this.delete() } });
    const close = h('button', { type: 'button', class: 'icon close', tAttrs: { 'aria-label': 'common.close', title: 'common.close' }, 'aria-keyshortcuts': 'Escape', on: { click: () => this.close() } }, '×');
    this.chips = h('ul', { class: 'chips', tAttrs: { 'aria-label': 'toolbar.chosenTags' } });
    this.tagInput = new TagInput(
      () => this.host.suggestions().filter((p) => !this.tags.includes(p)),
      (path) => this.addTag(path),
      (message) => this.say(message, true),
    );
    this.tagInput.input.setAttribute('aria-keyshortcuts', 'Alt+T');
    this.note = h('textarea', {
      class: 'note-entry',
      dir: 'auto',
      rows: 2,
      'aria-keyshortcuts': 'Alt+N',
      tAttrs: { 'aria-label': 'toolbar.note', placeholder: 'toolbar.notePlaceholder' },
      on: {
        input: () => this.noteTyped(),
        change: () => this.saveNote(),
        keydown: (e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            this.close();
          }
        },
      },
    });
    this.status = h('div', { class: 'toolbar-status', role: 'status', 'aria-live': 'polite' });
    this.el = h(
      'div',
      { class: 'selection-toolbar', role: 'dialog', hidden: true, tAttrs: { 'aria-label': 'toolbar.label' }, on: { keydown: (e) => this.key(e) } },
      h('div', { class: 'toolbar-row' }, h('div', { class: 'swatches', role: 'group', tAttrs: { 'aria-label': 'toolbar.color' } }, ...this.swatches), this.highlightButton, this.deleteButton, close),
      h('div', { class: 'toolbar-row' }, this.chips, this.tagInput.el),
      this.note,
      this.status,
    );
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  get current(): Annotation | null {
    return this.annotation;
  }

  /**
   * Opens for a new selection (nothing is saved until the reader acts). When it is already open
   * for a selection not yet saved, it follows the new one and keeps the colour, tags and note
   * chosen so far: the selection was only extended or moved (Shift+arrows, a second drag).
   */
  openNew(range: { start: number; end: number }): void {
    if (this.isOpen && this.target?.start === range.start && this.target.end === range.end) return;
    if (this.isOpen && this.target && !this.annotation) {
      this.target = range;
      this.place();
      return;
    }
    this.reset();
    this.target = range;
    this.render();
    this.show();
  }

  /** The passage a new annotation would be made from (null when open on an existing one). */
  get pending(): { start: number; end: number } | null {
    return this.isOpen && !this.annotation ? this.target : null;
  }

  /** Opens an existing annotation for editing. */
  openExisting(annotation: Annotation, range: { start: number; end: number }): void {
    if (this.annotation?.id === annotation.id && this.isOpen) return this.place();
    this.reset();
    this.annotation = annotation;
    this.target = range;
    this.tags = [...annotation.tags];
    this.color = annotation.color;
    this.note.value = annotation.note;
    this.render();
    this.show();
  }

  /** Follows the open document's session: the annotation it is open on changes or goes with it. */
  attach(session: DocumentSession): void {
    this.unsubscribe?.();
    this.unsubscribe = session.subscribe((e) => this.follow(e));
  }

  private follow(e: SessionEvent): void {
    const id = this.annotation?.id;
    if (!id || !this.isOpen) return;
    if (e.removed.some((a) => a.id === id)) return this.close();
    // Reloaded (after a tag rename or an import elsewhere): as the library has it now, if at all.
    const now = (e.reset ? e.added : e.updated).find((a) => a.id === id);
    if (now) this.refreshFrom(now);
    else if (e.reset) this.close();
  }

  /**
   * Keeps the toolbar in step when its annotation changed elsewhere: colour and tags, and the
   * note unless it is being typed.
   */
  private refreshFrom(annotation: Annotation): void {
    if (this.annotation?.id !== annotation.id) return;
    this.annotation = annotation;
    this.tags = [...annotation.tags];
    this.color = annotation.color;
    if (document.activeElement !== this.note && this.noteTimer === undefined) this.note.value = annotation.note;
    this.render();
  }

  close(): void {
    if (!this.isOpen) return;
    if (this.annotation) this.saveNote();
    const hadFocus = this.el.contains(document.activeElement);
    const target = this.target;
    this.reset();
    this.el.hidden = true;
    if (hadFocus) this.host.closedWithFocus(target);
  }

  focusTags(): void {
    this.tagInput.input.focus();
  }

  focusNote(): void {
    this.note.focus();
  }

  async highlight(): Promise<void> {
    if (!this.tagInput.commit()) return;
    await this.ensure();
  }

  pickColor(color: Color): void {
    this.color = color;
    this.render();
    const a = this.annotation;
    if (a) this.enqueue(() => this.host.update(a.id, { color }));
    else void this.ensure();
  }

  /**
   * Puts the toolbar next to its passage and never over it: under the passage's last line, else
   * above its first, else (a passage taller than the window) beside it, over the margin or the
   * panel. Placed only once the selection is finished, so it cannot land under a drag.
   */
  place(): void {
    if (!this.target || !this.isOpen) return;
    const rects = this.host.rects(this.target).filter((r) => r.width > 0 || r.height > 0);
    const last = rects[rects.length - 1];
    if (!last) return;
    const view = this.host.viewport();
    const box = { top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom)), left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)) };
    // The passage scrolled out of sight: hide the toolbar until it comes back, rather than
    // leaving it stuck to the window's edge over other text.
    const away = box.bottom < view.top || box.top > view.bottom;
    this.el.classList.toggle('away', away);
    if (away) return;
    const size = this.el.getBoundingClientRect();
    const margin = 8;
    const fits = (top: number) => top >= margin && top + size.height <= window.innerHeight - margin;
    const clampLeft = (left: number) => Math.max(margin, Math.min(left, window.innerWidth - size.width - margin));
    let top = box.bottom + margin;
    let left = clampLeft(last.left + last.width / 2 - size.width / 2);
    if (!fits(top)) {
      const above = box.top - size.height - margin;
      if (fits(above)) top = above;
      else {
        // Beside the passage, level with the part of it in view.
        top = Math.max(margin, Math.min(Math.max(box.top, view.top), window.innerHeight - size.height - margin));
        const after = box.right + margin;
        const before = box.left - margin - size.width;
        if (after + size.width <= window.innerWidth - margin) left = after;
        else if (before >= margin) left = before;
        else top = window.innerHeight - size.height - margin;
      }
    }
    this.el.style.top = `${Math.round(top)}px`;
    this.el.style.left = `${Math.round(left)}px`;
  }

  relabel(): void {
    this.render();
  }

  private show(): void {
    this.el.hidden = false;
    this.place();
  }

  private reset(): void {
    clearTimeout(this.noteTimer);
    this.noteTimer = undefined;
    this.target = null;
    this.annotation = null;
    this.tags = [];
    this.note.value = '';
    this.tagInput.input.value = '';
    this.tagInput.hide();
    this.status.textContent = '';
    this.status.classList.remove('error');
  }

  private render(): void {
    for (const s of this.swatches) s.setAttribute('aria-pressed', String(s.dataset.color === this.color));
    this.highlightButton.hidden = this.annotation !== null;
    this.deleteButton.hidden = this.annotation === null;
    this.chips.replaceChildren(
      ...this.tags.map((path) =>
        h(
          'li',
          { class: 'chip' },
          h('span', { dir: 'auto' }, path),
          h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('toolbar.removeTag', { tag: path }), on: { click: () => this.removeTag(path) } }, '×'),
        ),
      ),
    );
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      this.close();
    }
  }

  private say(message: string, error = false): void {
    this.status.textContent = message;
    this.status.classList.toggle('error', error);
  }

  private addTag(path: string): void {
    if (!this.tags.includes(path)) this.tags.push(path);
    this.render();
    const a = this.annotation;
    if (a) this.enqueue(() => this.host.update(a.id, { tags: [...this.tags] }));
    else void this.ensure();
  }

  private removeTag(path: string): void {
    this.tags = this.tags.filter((p) => p !== path);
    this.render();
    const a = this.annotation;
    if (a) this.enqueue(() => this.host.update(a.id, { tags: [...this.tags] }));
    this.tagInput.input.focus();
  }

  private noteTyped(): void {
    if (!this.annotation) return;
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => this.saveNote(), NOTE_DELAY);
  }

  private saveNote(): void {
    clearTimeout(this.noteTimer);
    this.noteTimer = undefined;
    const note = this.note.value;
    const a = this.annotation;
    if (!a) {
      if (note.trim() && this.target) void this.ensure();
      return;
    }
    this.enqueue(async () => (a.note === note ? a : this.host.update(a.id, { note })));
  }

  /** Creates the annotation from the selection if it does not exist yet. */
  private ensure(): Promise<unknown> {
    if (this.annotation || !this.target) return this.queue;
    // Saved is what is selected when saving: a selection extended since the toolbar came (before
    // the pause that moves it) wins over the one it came for. One outside the text (the focus
    // is in the tag box) leaves the passage as it was.
    const live = this.host.selection();
    if (live) this.target = live;
    const target = this.target;
    return this.enqueue(async () => {
      if (this.annotation) return this.annotation;
      return this.host.create({ ...target, color: this.color, tags: [...this.tags], note: this.note.value });
    });
  }

  private enqueue(job: () => Promise<Annotation>): Promise<unknown> {
    const session = this.target;
    this.queue = this.queue
      .then(job)
      .then((saved) => {
        if (this.target !== session) return;
        this.annotation = saved;
        this.render();
        this.say(t('toolbar.saved'));
        requestAnimationFrame(() => this.place());
      })
      .catch((e) => {
        this.say(errorText(e), true);
        this.host.error(e);
      });
    return this.queue;
  }

  private async delete(): Promise<void> {
    const a = this.annotation;
    if (!a) return;
    await this.queue;
    const current = this.annotation ?? a;
    this.close();
    try {
      await this.host.remove(current);
    } catch (e) {
      this.host.error(e);
    }
  }
}
