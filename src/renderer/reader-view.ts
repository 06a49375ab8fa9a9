/**
 * The open document: the reading view, its annotation panel, the selection toolbar and the find
 * bar, wired to the API. Every change is saved at once; a deletion can be undone.
 *
 * Read mode (the default) shows the text in lazily mounted read-only sections (ReaderEditor);
 * edit mode (the Edit button, Mod+E) shows it in one editable view (EditSession) whose edits are
 * saved as they come, with the annotations where the editor moved them. Both show the same shape
 * to this view (`TextSurface`), in canonical offsets.
 *
 * Opening marks `gloss:open`, `gloss:first-text` (the first section is laid out) and `gloss:ready`
 * (highlights drawn and the panel filled) on the performance timeline, for the benchmark.
 */
import type { GlossApi } from '../common/api.js';
import type { Annotation, Color, DocumentFull } from '../common/model.js';
import { COLORS } from '../common/model.js';
import { canonicalText } from '../common/text/canonical.js';
import { blockDirection } from '../common/text/direction.js';
import { AnnotationPanel } from './annotation-panel.js';
import { applyPagePrefix, bylineParts } from './doc-meta.js';
import type { AnnotationTransfer } from './annotation-transfer.js';
import { h } from './dom.js';
import { FindBar } from './find.js';
import type { TextRange } from './find-text.js';
import { isolate, t } from './i18n.js';
import { inTextField, matches } from './keys.js';
import { ReadingCaret } from './reader/caret.js';
import { ReaderEditor } from './reader/editor.js';
import { SelectionGate } from './reader/selection-gate.js';
import { EditSession, type EditHost, type SaveState, type TextSurface } from './reader/edit-session.js';
import { DocumentVersions } from './document-versions.js';
import { SelectionToolbar } from './selection-toolbar.js';
import { titleForm } from './title-form.js';
import type { TagStore } from './tag-store.js';
import type { Toaster } from './toast.js';

/** How long a passage chosen in the panel flashes (ms; the CSS animation runs within it). */
const FLASH_MS = 1_600;

export interface ReaderContext {
  api: GlossApi;
  tags: TagStore;
  toast: Toaster;
  transfer: AnnotationTransfer;
  /** Called after annotations change, so the library's counts can follow. */
  changed(): void;
}

export interface DocumentLoad {
  id: number;
  doc: Promise<DocumentFull>;
  annotations: Promise<Annotation[]>;
}

/**
 * Asks for a document and its annotations at once, the text first. The host runs one request at
 * a time, so a book's annotations hold back the end of the text's response while they are read;
 * asking for them only once the text is here was measured (5 MB, 10,000 highlights) to bring the
 * first text no sooner in the median and the highlights 250 ms later.
 */
export function loadDocument(api: GlossApi, id: number): DocumentLoad {
  const doc = api['documents.get']({ documentId: id });
  const annotations = api['annotations.list']({ documentId: id });
  // Either may be abandoned (another document opened meanwhile): never an unhandled rejection.
  doc.catch(() => undefined);
  annotations.catch(() => undefined);
  return { id, doc, annotations };
}

export class ReaderView {
  readonly el: HTMLElement;
  private readonly title: HTMLHeadingElement;
  /** Author, date and site of the open document, when its source said. */
  private readonly byline: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly panel: AnnotationPanel;
  private readonly toolbar: SelectionToolbar;
  private readonly find: FindBar;
  private readonly caret: ReadingCaret;
  private editor: TextSurface | null = null;
  /** The editor when in edit mode (then also `editor`). */
  private session: EditSession | null = null;
  private readonly editButton: HTMLButtonElement;
  private readonly renameButton: HTMLButtonElement;
  private readonly saveStatus: HTMLElement;
  /** Annotations taken away by undo in edit mode, kept so that redo can put them back. */
  private readonly undone = new Map<string, Annotation>();
  private annotations = new Map<string, Annotation>();
  private deleted: Annotation[] = [];
  private text: string | null = null;
  /** Says when a selection in the text is finished (selection-gate.ts). */
  private readonly gate: SelectionGate;
  /** Counts opens, so that a slow one overtaken by the next does not finish over it. */
  private opening = 0;
  private preloaded: DocumentLoad | null = null;

  constructor(private readonly ctx: ReaderContext) {
    this.title = h('h1', { class: 'doc-title', id: 'doc-title' });
    this.byline = h('p', { class: 'doc-byline', hidden: true });
    applyPagePrefix();
    this.scroller = h('article', { class: 'reader-scroll', id: 'reader-text', 'aria-labelledby': 'doc-title', tabindex: '0' });
    this.panel = new AnnotationPanel(ctx.tags, (a) => this.choose(a), {
      reattach: (a) => this.reattach(a),
      remove: (a) => void this.remove(a).catch((e) => ctx.toast.error(e)),
      update: (id, change) => this.update(id, change),
      error: (e) => ctx.toast.error(e),
    });
    this.renameButton = h('button', { type: 'button', class: 'quiet rename-button', t: 'library.rename', on: { click: () => this.startRename() } });
    this.editButton = h('button', { type: 'button', class: 'quiet edit-toggle', 'aria-pressed': 'false', t: 'edit.start', on: { click: () => void this.toggleEdit() } });
    this.saveStatus = h('span', { class: 'save-status', role: 'status', 'aria-live': 'polite' });
    const versions = new DocumentVersions(ctx.api, ctx.toast, {
      current: () => (this.editor ? { id: this.editor.document.id, title: this.editor.document.title } : null),
      before: () => this.leaveEdit(),
      after: () => this.reopen(),
    });
    this.toolbar = new SelectionToolbar({
      suggestions: () => ctx.tags.allPaths(),
      create: (input) => this.create(input),
      update: (id, change) => this.update(id, change),
      remove: (a) => this.remove(a),
      selection: () => {
        const sel = this.editor?.selection();
        return sel ? { start: sel.start, end: sel.end } : null;
      },
      rects: (r) => this.editor?.rects(r.start, r.end) ?? [],
      viewport: () => this.scroller.getBoundingClientRect(),
      closedWithFocus: (passage) => this.backToText(passage),
      error: (e) => ctx.toast.error(e),
    });
    this.find = new FindBar({
      text: () => (this.text ??= this.session ? this.session.text() : this.editor ? canonicalText(this.editor.document.blocks) : ''),
      show: (hits, current) => this.editor?.setHits(hits, current),
      scrollTo: (offset) => this.editor?.scrollTo(offset),
    });
    this.el = h(
      'div',
      { class: 'reader-layout', hidden: true },
      h(
        'div',
        { class: 'reader-main' },
        h(
          'header',
          { class: 'doc-header' },
          h('div', { class: 'doc-heading' }, h('div', { class: 'title-row' }, this.title, this.renameButton), this.byline),
          this.find.el,
          h(
            'div',
            { class: 'doc-tools' },
            this.editButton,
            this.saveStatus,
            ...ctx.transfer.buttons(() => ({ document: this.editor ? { id: this.editor.document.id, title: this.editor.document.title } : undefined, tag: this.panel.tagFilter || undefined })),
            ...versions.buttons(),
          ),
        ),
        this.scroller,
      ),
      this.panel.el,
    );
    this.caret = new ReadingCaret(this.scroller, {
      text: () => (this.editor instanceof ReaderEditor ? this.editor.el : null),
      active: () => this.session === null && !this.el.hidden,
    });
    document.body.append(this.toolbar.el, this.caret.el);
    this.gate = new SelectionGate(this.scroller, {
      active: () => !this.el.hidden,
      starting: (e) => {
        // A press inside the selected text would start dragging that text away (and then cancel
        // the pointer, the old selection left); in the reading view it starts a new selection.
        // (In edit mode that drag moves the words, as editors do.)
        const sel = document.getSelection();
        if (!this.session && !e.shiftKey && sel && !sel.isCollapsed && this.editor?.selection()) sel.collapseToStart();
        // The toolbar of the last selection must not sit under the new one.
        if (this.toolbar.isOpen) this.toolbar.close();
      },
      finished: () => this.checkSelection(),
    });
    this.scroller.addEventListener('click', (e) => this.clicked(e));
    this.scroller.addEventListener('scroll', () => this.toolbar.place(), { passive: true });
    // The toolbar follows its passage when the layout moves under it (language switch, text size).
    new ResizeObserver(() => this.toolbar.place()).observe(this.scroller);
    document.addEventListener('mousedown', (e) => this.mousedownOutside(e));
    // Leaving or reloading the page: the last edits go out now rather than after the pause.
    window.addEventListener('pagehide', () => void this.session?.flush().catch(() => undefined));
  }

  get documentId(): number | null {
    return this.editor?.document.id ?? null;
  }

  /** Shows a document (`force`: again from the library, even if it is the one open). */
  async open(id: number, hits: readonly TextRange[], annotationId: string | null, force = false): Promise<void> {
    if (force || this.editor?.document.id !== id) {
      const ticket = ++this.opening;
      // Edits in the document being left are saved first.
      if (this.session) await this.session.flush().catch((e) => this.ctx.toast.error(e));
      performance.clearMarks('gloss:open');
      performance.clearMarks('gloss:first-text');
      performance.clearMarks('gloss:ready');
      performance.mark('gloss:open');
      const load = this.preloaded?.id === id ? this.preloaded : loadDocument(this.ctx.api, id);
      this.preloaded = null;
      // The tags may have changed elsewhere (the command line, another window) since last asked;
      // asked after the document, since the host answers in turn.
      void this.ctx.tags.refresh().catch(() => undefined);
      const doc = await load.doc;
      if (ticket !== this.opening) return;
      this.el.hidden = false;
      this.mount(doc);
      const annotations = await load.annotations;
      if (ticket !== this.opening) return;
      this.showAnnotations(annotations);
      void this.scroller.offsetHeight;
      performance.mark('gloss:ready');
    }
    this.el.hidden = false;
    this.showHits(hits);
    if (annotationId && this.annotations.has(annotationId)) this.choose(this.annotations.get(annotationId)!);
  }

  /**
   * The toolbar closed with the focus in it (Escape in its tag box): the focus goes back to the
   * text, and in the reading view the caret to the end of the passage (the tag box had taken the
   * page's selection), so the keyboard goes on from where it was.
   */
  private backToText(passage: { start: number; end: number } | null): void {
    if (this.el.hidden || !this.editor) return;
    if (this.session) return this.session.focus();
    this.scroller.focus({ preventScroll: true });
    const sel = document.getSelection();
    if (!sel || !passage || !(this.editor instanceof ReaderEditor)) return;
    if (sel.anchorNode && this.editor.el.contains(sel.anchorNode)) return;
    const at = this.editor.domAt(passage.end);
    if (at) sel.collapse(at.node, at.offset);
    this.caret.draw();
  }

  /** The skip link's target: the focus goes to the text, its caret to the first line in view. */
  focusText(): void {
    if (this.el.hidden || !this.editor) return;
    if (this.session) return this.session.focus();
    if (!(this.editor instanceof ReaderEditor)) return;
    this.scroller.focus({ preventScroll: true });
    const text = this.editor.el;
    const sel = document.getSelection();
    if (sel && !(sel.anchorNode && text.contains(sel.anchorNode))) this.caret.placeAtTop(sel, text);
    this.caret.draw();
  }

  /** A load started before the interface was built (the app opened straight on this document). */
  preload(load: DocumentLoad): void {
    this.preloaded = load;
  }

  hide(): void {
    this.el.hidden = true;
    this.toolbar.close();
    this.session?.flush().catch((e) => this.ctx.toast.error(e));
  }

  // Edit mode -----------------------------------------------------------------------------------

  get editing(): boolean {
    return this.session !== null;
  }

  async toggleEdit(): Promise<void> {
    try {
      if (this.session) await this.leaveEdit();
      else this.enterEdit();
    } catch (e) {
      this.ctx.toast.error(e);
    }
  }

  /** Puts the open document into one editable view, where the reader was looking. */
  enterEdit(): void {
    if (!this.editor || this.session) return;
    const doc = this.editor.document;
    const at = this.offsetInView();
    this.toolbar.close();
    this.editor.destroy();
    this.scroller.replaceChildren();
    this.text = null;
    this.undone.clear();
    const session = new EditSession(this.scroller, doc, [...this.annotations.values()], this.editHost(doc.id));
    this.session = session;
    this.editor = session;
    this.setEditButton(true);
    this.showSaveState('saved');
    if (at !== null) session.scrollTo(at);
    session.focus();
  }

  /** Saves what is unsaved and goes back to reading the saved text (throws when it cannot save). */
  async leaveEdit(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await session.flush();
    if (this.session !== session) return;
    await this.reopen();
  }

  /** Shows the open document again from the library, in read mode, at about the same place. */
  private async reopen(): Promise<void> {
    const id = this.editor?.document.id;
    if (id === undefined) return;
    const at = this.offsetInView();
    await this.open(id, [], null, true);
    if (at !== null && this.editor && !this.session) this.editor.scrollTo(Math.min(at, this.editor.length));
  }

  /** The canonical offset of the text near the top of the reading area, if any is there. */
  private offsetInView(): number | null {
    if (!this.editor) return null;
    const box = this.scroller.getBoundingClientRect();
    for (const dy of [40, 80, 140, 220]) {
      const hit = document.caretPositionFromPoint?.(box.left + box.width / 2, box.top + dy);
      const offset = hit ? this.editor.offsetAt(hit.offsetNode, hit.offset) : null;
      if (offset !== null) return offset;
    }
    return null;
  }

  private setEditButton(on: boolean): void {
    this.editButton.setAttribute('aria-pressed', String(on));
    this.editButton.dataset.i18n = on ? 'edit.done' : 'edit.start';
    this.editButton.textContent = t(this.editButton.dataset.i18n);
    this.el.classList.toggle('editing', on);
    if (!on) {
      this.saveStatus.textContent = '';
      this.saveStatus.classList.remove('error');
    }
  }

  private showSaveState(state: SaveState, error?: unknown): void {
    // Called at every keystroke ('pending'): the DOM is touched only when the state changes.
    if (state !== 'failed' && this.saveStatus.dataset.state === state && this.saveStatus.textContent) return;
    this.saveStatus.dataset.state = state;
    this.saveStatus.classList.toggle('error', state === 'failed');
    if (state === 'failed') {
      const reason = error instanceof Error ? error.message : String(error);
      this.saveStatus.textContent = t('edit.failed', { reason });
      this.ctx.toast.error(new Error(t('edit.failed', { reason })));
    } else this.saveStatus.textContent = t(`edit.${state}`);
  }

  private editHost(documentId: number): EditHost {
    return {
      save: async (request) => {
        const out = await this.ctx.api['documents.saveEdit']({ documentId, ...request });
        if (this.editor?.document.id !== documentId) return;
        this.annotations = new Map(out.annotations.map((a) => [a.id, a]));
        this.panel.show(out.annotations, this.editor.document.blocks);
        const current = this.toolbar.current;
        if (current && this.annotations.has(current.id)) this.toolbar.refreshFrom(this.annotations.get(current.id)!);
        this.ctx.changed();
      },
      detached: () => [...this.annotations.values()].filter((a) => a.status === 'orphaned').map((a) => a.id),
      removed: (id) => void this.takeAway(id),
      returned: (id, range) => void this.bringBack(id, range),
      recolored: (id, color) => void this.update(id, { color }).catch((e) => this.ctx.toast.error(e)),
      textChanged: (byUser) => {
        this.text = null;
        if (byUser) this.toolbar.close();
      },
      state: (state, error) => this.showSaveState(state, error),
    };
  }

  /** Undo (or redo) in edit mode took a highlight away: delete it, keeping it for redo. */
  private async takeAway(id: string): Promise<void> {
    if (!this.annotations.has(id)) return;
    try {
      const removed = await this.ctx.api['annotations.delete']({ id });
      this.undone.set(id, removed);
      this.annotations.delete(id);
      this.panel.remove(id);
      if (this.toolbar.current?.id === id) this.toolbar.close();
      this.afterChange(null, removed.tags.length > 0);
    } catch (e) {
      this.ctx.toast.error(e);
    }
  }

  /** Undo (or redo) in edit mode brought a highlight back: put it back where it now lies. */
  private async bringBack(id: string, range: TextRange): Promise<void> {
    if (this.annotations.has(id)) return;
    const record = this.undone.get(id) ?? this.deleted.find((d) => d.id === id);
    const session = this.session;
    if (!record || !session) return;
    try {
      await session.flush();
      const now = session.annotationRange(id) ?? range;
      const a = await this.ctx.api['annotations.restore']({ annotation: { ...record, start: now.start, end: now.end, ...session.quote(now), status: 'anchored' } });
      this.undone.delete(id);
      this.deleted = this.deleted.filter((d) => d.id !== id);
      this.annotations.set(a.id, a);
      this.panel.upsert(a);
      this.afterChange(a, a.tags.length > 0);
    } catch (e) {
      this.ctx.toast.error(e);
    }
  }

  /** Puts a detached annotation on the passage selected in the text; false when none is. */
  private async reattach(a: Annotation): Promise<boolean> {
    const sel = this.editor?.selection();
    if (!sel) return false;
    try {
      await this.session?.flush();
      const r = await this.ctx.api['annotations.reattach']({ id: a.id, start: sel.start, end: sel.end });
      this.annotations.set(r.id, r);
      this.editor?.highlights({ type: 'add', annotation: r, undoable: false });
      document.getSelection()?.removeAllRanges();
      this.toolbar.close();
      this.panel.upsert(r);
      this.afterChange(r, false);
      this.ctx.toast.show(t('panel.reattached'));
    } catch (e) {
      this.ctx.toast.error(e);
    }
    return true;
  }

  relabel(): void {
    const state = this.saveStatus.dataset.state as SaveState | undefined;
    if (this.session && state && state !== 'failed') {
      this.saveStatus.textContent = '';
      this.showSaveState(state);
    }
    applyPagePrefix();
    if (this.editor) this.showByline(this.editor.document);
    this.panel.relabel();
    this.toolbar.relabel();
    this.find.relabel();
    requestAnimationFrame(() => this.toolbar.place());
  }

  /** After the text size changed. */
  relayout(): void {
    requestAnimationFrame(() => {
      this.editor?.relayout();
      this.toolbar.place();
    });
  }

  /** Shortcuts while a document is open; true when the key was used. */
  key(e: KeyboardEvent): boolean {
    if (this.el.hidden || !this.editor) return false;
    if (matches(e, 'Mod+KeyF')) {
      this.find.open();
      return true;
    }
    if (matches(e, 'Mod+KeyE')) {
      void this.toggleEdit();
      return true;
    }
    // In edit mode one history holds text and highlight changes; the editor takes these keys
    // itself when it has the focus, and gets them from here when the focus is elsewhere.
    if (this.session && !inTextField(e.target)) {
      if (matches(e, 'Mod+KeyZ')) {
        this.session.undo();
        return true;
      }
      if (matches(e, 'Mod+Shift+KeyZ') || matches(e, 'Mod+KeyY')) {
        this.session.redo();
        return true;
      }
    }
    if (matches(e, 'Mod+KeyZ') && !inTextField(e.target) && this.deleted.length) {
      void this.undoDelete();
      return true;
    }
    if (matches(e, 'Escape') && this.toolbar.isOpen) {
      this.toolbar.close();
      return true;
    }
    const digit = /^Digit([1-6])$/.exec(e.code);
    const chord = matches(e, 'Alt+KeyH') ? 'highlight' : matches(e, 'Alt+KeyT') ? 'tags' : matches(e, 'Alt+KeyN') ? 'note' : digit && matches(e, `Alt+${e.code}`) ? 'color' : null;
    if (!chord) return false;
    // What is saved is what is selected now: a selection changed since the toolbar opened (or
    // made with the keyboard a moment ago, its toolbar not shown yet) is taken first. Not while
    // typing a tag or a note: the focus, and so the page's selection, is in that box.
    if (!inTextField(e.target)) this.checkSelection();
    if (!this.toolbar.isOpen) {
      this.ctx.toast.show(t('toolbar.nothingSelected'));
      return true;
    }
    if (chord === 'highlight') void this.toolbar.highlight();
    else if (chord === 'tags') this.toolbar.focusTags();
    else if (chord === 'note') this.toolbar.focusNote();
    else this.toolbar.pickColor(COLORS[Number(digit![1]) - 1] as Color);
    return true;
  }

  private mount(doc: DocumentFull): void {
    this.toolbar.close();
    this.editor?.destroy();
    this.session = null;
    this.setEditButton(false);
    // Edit mode needs the annotations (they become marks): not before they have come.
    this.editButton.disabled = true;
    this.scroller.replaceChildren();
    this.scroller.scrollTop = 0;
    // The whole text as one string is only for find; it is joined when find first asks.
    this.text = null;
    this.showTitle(doc.title);
    this.showByline(doc);
    this.find.reset();
    this.annotations = new Map();
    this.deleted = [];
    this.editor = new ReaderEditor(this.scroller, doc, (el) => this.holdsSelection(el));
    void this.scroller.offsetHeight;
    performance.mark('gloss:first-text');
    this.panel.showLoading(doc.blocks);
    this.panel.mark(null);
  }

  private showTitle(title: string): void {
    this.title.textContent = title;
    this.title.dir = blockDirection(title);
    this.title.hidden = false;
    this.renameButton.hidden = false;
    this.renameButton.setAttribute('aria-label', t('library.renameNamed', { title }));
    this.el.querySelector('.doc-heading .rename-form')?.remove();
  }

  /** The title becomes a box in place (title-form.ts). */
  private startRename(): void {
    const doc = this.editor?.document;
    if (!doc) return;
    const form = titleForm(doc.title, {
      save: (title) => void this.rename(doc, title),
      cancel: () => {
        this.showTitle(doc.title);
        this.renameButton.focus();
      },
    });
    this.title.hidden = true;
    this.renameButton.hidden = true;
    this.title.after(form);
  }

  private async rename(doc: DocumentFull, title: string): Promise<void> {
    if (title && title !== doc.title) {
      try {
        const renamed = await this.ctx.api['documents.rename']({ documentId: doc.id, title });
        // The open document is this object: its title is what export and history name it by.
        doc.title = renamed.title;
        this.ctx.toast.show(t('library.renamed', { title: isolate(renamed.title) }));
        this.ctx.changed();
      } catch (e) {
        this.ctx.toast.error(e);
        return;
      }
    }
    if (this.editor?.document !== doc) return;
    this.showTitle(doc.title);
    this.renameButton.focus();
  }

  private showByline(doc: DocumentFull): void {
    const parts = bylineParts(doc.meta ?? {});
    this.byline.textContent = parts.join(' · ');
    this.byline.hidden = parts.length === 0;
  }

  /** The document's annotations have come: draw them and list them (keeping any made meanwhile). */
  private showAnnotations(list: readonly Annotation[]): void {
    if (!this.editor) return;
    const made = [...this.annotations.values()];
    this.annotations = new Map(list.map((a) => [a.id, a]));
    for (const a of made) if (!this.annotations.has(a.id)) this.annotations.set(a.id, a);
    const all = [...this.annotations.values()];
    this.editor.highlights({ type: 'reset', annotations: all });
    this.editButton.disabled = false;
    this.panel.show(all, this.editor.document.blocks);
  }

  /** A section the page's selection lies in stays mounted, or the selection would be lost. */
  private holdsSelection(el: HTMLElement): boolean {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0) return false;
    return (sel.anchorNode !== null && el.contains(sel.anchorNode)) || (sel.focusNode !== null && el.contains(sel.focusNode));
  }

  private showHits(hits: readonly TextRange[]): void {
    if (!this.editor) return;
    const valid = hits.filter((r) => r.start >= 0 && r.end <= this.editor!.length && r.end > r.start);
    this.editor.setHits(valid, valid.length ? 0 : -1);
    if (valid[0]) this.editor.scrollTo(valid[0].start);
  }

  private checkSelection(): void {
    this.gate.cancel();
    if (!this.editor || this.el.hidden || this.gate.busy) return;
    const sel = this.editor.selection();
    if (sel) this.toolbar.openNew({ start: sel.start, end: sel.end });
  }

  private clicked(e: MouseEvent): void {
    if (!this.editor) return;
    const sel = document.getSelection();
    if (sel && !sel.isCollapsed && this.editor.selection()) return;
    const ids = this.editor.annotationsAt(e.target);
    // With overlaps, the shortest annotation under the pointer is the one the reader aimed at.
    const chosen = ids
      .map((id) => this.annotations.get(id))
      .filter((a): a is Annotation => a !== undefined)
      .sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    if (chosen) this.edit(chosen);
    else this.toolbar.close();
  }

  private mousedownOutside(e: MouseEvent): void {
    if (!this.toolbar.isOpen) return;
    const target = e.target as Node;
    if (this.toolbar.el.contains(target) || this.scroller.contains(target)) return;
    this.toolbar.close();
  }

  private edit(a: Annotation): void {
    const range = this.editor?.annotationRange(a.id) ?? { start: a.start, end: a.end };
    this.editor?.highlights({ type: 'focus', id: a.id });
    this.panel.mark(a.id);
    this.toolbar.openExisting(a, range);
  }

  /** From the panel: scroll to it, mark it, and open it for editing. */
  private choose(a: Annotation): void {
    if (!this.editor) return;
    const range = this.editor.annotationRange(a.id);
    if (range) this.editor.scrollTo(range.start);
    requestAnimationFrame(() => {
      if (range) this.flash(range);
      this.edit(a);
    });
  }

  /**
   * Flashes a passage (chosen in the panel) so the eye finds it after the jump: boxes drawn over
   * its lines in the scrolling area, not in the text, so nothing in the text changes.
   */
  private flash(range: TextRange): void {
    if (!this.editor) return;
    this.scroller.querySelector('.flash-layer')?.remove();
    const origin = this.scroller.getBoundingClientRect();
    const layer = h('div', { class: 'flash-layer', 'aria-hidden': 'true' });
    for (const r of this.editor.rects(range.start, range.end)) {
      if (r.width === 0 || r.height === 0) continue;
      const box = h('div', { class: 'flash-box' });
      // Physical, as the rectangles are, in either direction of interface or text.
      box.style.left = `${r.left - origin.left + this.scroller.scrollLeft}px`;
      box.style.top = `${r.top - origin.top + this.scroller.scrollTop}px`;
      box.style.width = `${r.width}px`;
      box.style.height = `${r.height}px`;
      layer.append(box);
    }
    this.scroller.append(layer);
    setTimeout(() => layer.remove(), FLASH_MS);
  }

  private async create(input: { start: number; end: number; color: Color; tags: string[]; note: string }): Promise<Annotation> {
    const documentId = this.editor!.document.id;
    // The offsets are the editor's: the library must hold the editor's text first.
    await this.session?.flush();
    const a = await this.ctx.api['annotations.create']({ documentId, ...input });
    this.annotations.set(a.id, a);
    this.editor?.highlights({ type: 'add', annotation: a });
    // The passage is saved: no selection is left to offer again. In the reading view the caret
    // stays where the selection ended, so the keyboard goes on from there.
    const sel = document.getSelection();
    if (sel && !this.session && this.editor?.selection()) sel.collapseToEnd();
    else sel?.removeAllRanges();
    this.panel.upsert(a);
    this.afterChange(a, input.tags.length > 0);
    return a;
  }

  private async update(id: string, change: { color?: Color; tags?: string[]; note?: string }): Promise<Annotation> {
    const a = await this.ctx.api['annotations.update']({ id, ...change });
    this.annotations.set(a.id, a);
    if (change.color) this.editor?.highlights({ type: 'update', annotation: a });
    this.panel.upsert(a);
    this.afterChange(a, change.tags !== undefined);
    return a;
  }

  private async remove(a: Annotation): Promise<void> {
    const removed = await this.ctx.api['annotations.delete']({ id: a.id });
    this.annotations.delete(a.id);
    // In edit mode a drawn highlight's removal is a step of the editor's history, undone there.
    const session = this.session;
    const inHistory = session !== null && session.annotationRange(a.id) !== null;
    this.editor?.highlights({ type: 'remove', id: a.id });
    this.deleted.push(removed);
    this.panel.remove(a.id);
    this.afterChange(null, removed.tags.length > 0);
    const undo = inHistory && session ? () => void session.undo() : () => void this.undoDelete();
    this.ctx.toast.show(t('toolbar.deleted'), { action: { label: t('common.undo'), run: undo } });
  }

  private async undoDelete(): Promise<void> {
    const last = this.deleted.pop();
    if (!last) return;
    try {
      // Deletes are tombstones: undoing one brings the tombstone back, same id, tags, note, links.
      const a = await this.ctx.api['annotations.undelete']({ id: last.id });
      if (a.documentId === this.editor?.document.id) {
        this.annotations.set(a.id, a);
        this.editor.highlights({ type: 'add', annotation: a });
        this.panel.upsert(a);
      }
      this.afterChange(a, a.tags.length > 0);
      this.ctx.toast.show(t('toolbar.restored'));
    } catch (e) {
      this.ctx.toast.error(e);
    }
  }

  /** `tagged`: tags were set or dropped, so the tag list (paths, counts) is fetched again. */
  private afterChange(a: Annotation | null, tagged: boolean): void {
    if (a) {
      this.toolbar.refreshFrom(a);
      this.panel.mark(a.id);
    }
    if (tagged) void this.ctx.tags.refresh().catch(() => undefined);
    this.ctx.changed();
  }

  /** After a tag rename or merge, or an import, elsewhere: reload this document's annotations. */
  async reloadAnnotations(): Promise<void> {
    if (!this.editor) return;
    const editor = this.editor;
    const list = await this.ctx.api['annotations.list']({ documentId: editor.document.id });
    if (this.editor !== editor) return;
    this.annotations = new Map(list.map((a) => [a.id, a]));
    editor.highlights({ type: 'reset', annotations: list });
    this.panel.show(list, editor.document.blocks);
    const current = this.toolbar.current;
    if (current && this.annotations.has(current.id)) this.toolbar.refreshFrom(this.annotations.get(current.id)!);
  }

  /** Test-only access for the benchmark (see bench-hook.ts). */
  __bench(): { api: GlossApi; editor: ReaderEditor | null; session: EditSession | null; create: (input: { start: number; end: number; color: Color; tags: string[]; note: string }) => Promise<Annotation> } {
    return { api: this.ctx.api, editor: this.editor instanceof ReaderEditor ? this.editor : null, session: this.session, create: (input) => this.create(input) };
  }
}
