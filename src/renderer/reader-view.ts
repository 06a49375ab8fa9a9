/**
 * The open document's layout: the reading view, its annotation panel, the selection toolbar and
 * the find bar. The annotations live in the document's session (session/document-session.ts):
 * every change is a command there, saved at once and undoable, and the text, the panel and the
 * toolbar each draw from the session's events.
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
import { blockDirection } from '../common/text/direction.js';
import { AnnotationPanel } from './annotation-panel.js';
import { applyPagePrefix, bylineParts } from './doc-meta.js';
import type { AnnotationTransfer } from './annotation-transfer.js';
import { h } from './dom.js';
import { FindBar } from './find.js';
import type { TextRange } from './find-text.js';
import { errorText, isolate, t } from './i18n.js';
import { inTextField, matches } from './keys.js';
import { ReadingCaret } from './reader/caret.js';
import { ReaderEditor } from './reader/editor.js';
import { planSections, SECTION_LIMITS } from './reader/sections.js';
import { FIRST_RANGE, loadDocument } from './session/document-load.js';
import { SelectionGate } from './reader/selection-gate.js';
import { EditSession, type EditHost, type SaveState, type TextSurface } from './reader/edit-session.js';
import { DocumentVersions } from './document-versions.js';
import { SelectionToolbar } from './selection-toolbar.js';
import { DocumentSession, type HistoryOutcome, type NewAnnotation, type SessionEvent } from './session/document-session.js';
import { drawChange } from './session/draw.js';
import type { DocumentLoad } from './session/document-load.js';
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

export { loadDocument, type DocumentLoad } from './session/document-load.js';

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
  private edit: EditSession | null = null;
  /** The open document's annotations: the one copy, which every part of this view draws from. */
  private session: DocumentSession | null = null;
  private readonly editButton: HTMLButtonElement;
  private readonly renameButton: HTMLButtonElement;
  private readonly saveStatus: HTMLElement;
  /** Edit mode's text as one string, for find (joined when find first asks). */
  private text: string | null = null;
  /** Says when a selection in the text is finished (selection-gate.ts). */
  private readonly gate: SelectionGate;
  /** Counts opens, so that a slow one overtaken by the next does not finish over it. */
  private opening = 0;
  private preloaded: DocumentLoad | null = null;
  /** The first section is shown alone (see `preview`) until the whole text has come. */
  private previewing = false;
  /** The session's version when the first section's annotations were loaded (see `mount`). */
  private previewSince = 0;

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
      text: () => (this.edit ? (this.text ??= this.edit.text()) : (this.session?.text() ?? '')),
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
      active: () => this.edit === null && !this.el.hidden,
    });
    document.body.append(this.toolbar.el, this.caret.el);
    this.gate = new SelectionGate(this.scroller, {
      active: () => !this.el.hidden,
      starting: (e) => {
        // A press inside the selected text would start dragging that text away (and then cancel
        // the pointer, the old selection left); in the reading view it starts a new selection.
        // (In edit mode that drag moves the words, as editors do.)
        const sel = document.getSelection();
        if (!this.edit && !e.shiftKey && sel && !sel.isCollapsed && this.editor?.selection()) sel.collapseToStart();
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
    window.addEventListener('pagehide', () => void this.edit?.flush().catch(() => undefined));
  }

  get documentId(): number | null {
    return this.editor?.document.id ?? null;
  }

  /**
   * The open document, for a teammate's changes (team-panel.ts): `absorb` takes its whole list as
   * the library holds it now, and keeps what changed here since this was asked. Null while it
   * loads, while commands are under way, and in edit mode (whose marks are the editor's own).
   */
  teamTarget(): { documentId: number; version: number; absorb: (list: readonly Annotation[]) => boolean } | null {
    const session = this.session;
    if (!session || !this.editor || this.edit || this.previewing || session.pending > 0) return null;
    const since = session.version;
    const absorb = (list: readonly Annotation[]) => {
      if (this.session !== session || this.edit || this.previewing || session.pending > 0) return false;
      session.absorb(list, true, undefined, since);
      return true;
    };
    return { documentId: this.editor.document.id, version: since, absorb };
  }

  /** Shows a document (`force`: again from the library, even if it is the one open). */
  async open(id: number, hits: readonly TextRange[], annotationId: string | null, force = false): Promise<void> {
    if (force || this.editor?.document.id !== id) {
      const ticket = ++this.opening;
      // Edits in the document being left are saved first.
      if (this.edit) await this.edit.flush().catch((e) => this.ctx.toast.error(e));
      performance.clearMarks('gloss:open');
      performance.clearMarks('gloss:first-text');
      performance.clearMarks('gloss:ready');
      performance.mark('gloss:open');
      const load = this.preloaded?.id === id ? this.preloaded : loadDocument(this.ctx.api, id);
      this.preloaded = null;
      // The tags may have changed elsewhere (the command line, another window) since last asked;
      // asked after the document, since the host answers in turn.
      void this.ctx.tags.refresh().catch(() => undefined);
      const head = await load.head;
      if (ticket !== this.opening) return;
      this.el.hidden = false;
      const previewed = head.total > head.blocks.length;
      if (previewed) void this.preview(head, load, ticket).catch((e) => this.ctx.toast.error(e));
      const doc = await load.doc;
      // The text is mounted once, with its highlights: sections mounted without them would each be
      // built again when they come (measured on 5 MB and 10,000 highlights: 150-300 ms in one task,
      // under load), and a short text's blocks would be replaced under the reader's eyes (and a
      // selection or a look-up just begun). A long text's first section shows meanwhile (preview).
      const early = await load.annotations.catch(() => null);
      if (ticket !== this.opening) return;
      this.mount(doc, early);
      if (!early) {
        const annotations = await load.annotations;
        if (ticket !== this.opening) return;
        this.session?.load(annotations);
      }
      this.editButton.disabled = false;
      void this.scroller.offsetHeight;
      performance.mark('gloss:ready');
    }
    this.el.hidden = false;
    this.showHits(hits);
    const chosen = annotationId ? this.session?.get(annotationId) : undefined;
    if (chosen) this.choose(chosen);
  }

  /**
   * The toolbar closed with the focus in it (Escape in its tag box): the focus goes back to the
   * text, and in the reading view the caret to the end of the passage (the tag box had taken the
   * page's selection), so the keyboard goes on from where it was.
   */
  private backToText(passage: { start: number; end: number } | null): void {
    if (this.el.hidden || !this.editor) return;
    if (this.edit) return this.edit.focus();
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
    if (this.edit) return this.edit.focus();
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
    this.edit?.flush().catch((e) => this.ctx.toast.error(e));
  }

  // Edit mode -----------------------------------------------------------------------------------

  get editing(): boolean {
    return this.edit !== null;
  }

  async toggleEdit(): Promise<void> {
    try {
      if (this.edit) await this.leaveEdit();
      else this.enterEdit();
    } catch (e) {
      this.ctx.toast.error(e);
    }
  }

  /** Puts the open document into one editable view, where the reader was looking. */
  enterEdit(): void {
    if (!this.editor || this.edit || !this.session || this.previewing) return;
    const doc = this.editor.document;
    const at = this.offsetInView();
    this.toolbar.close();
    this.editor.destroy();
    this.scroller.replaceChildren();
    this.text = null;
    // Edit mode's history holds text and highlight changes together; the session records nothing
    // meanwhile, and leaving edit mode opens the saved text with a session of its own.
    this.session.recording = false;
    const session = new EditSession(this.scroller, doc, this.session.list(), this.editHost(doc.id, this.session));
    this.edit = session;
    this.editor = session;
    this.setEditButton(true);
    this.showSaveState('saved');
    if (at !== null) session.scrollTo(at);
    session.focus();
  }

  /** Saves what is unsaved and goes back to reading the saved text (throws when it cannot save). */
  async leaveEdit(): Promise<void> {
    const session = this.edit;
    if (!session) return;
    await session.flush();
    if (this.edit !== session) return;
    await this.reopen();
  }

  /** Shows the open document again from the library, in read mode, at about the same place. */
  private async reopen(): Promise<void> {
    const id = this.editor?.document.id;
    if (id === undefined) return;
    const at = this.offsetInView();
    await this.open(id, [], null, true);
    if (at !== null && this.editor && !this.edit) this.editor.scrollTo(Math.min(at, this.editor.length));
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
    const key = on ? 'edit.done' : 'edit.start';
    this.editButton.dataset.i18n = key;
    this.editButton.textContent = t(key);
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
      const reason = errorText(error);
      this.saveStatus.textContent = t('edit.failed', { reason });
      this.ctx.toast.error(new Error(t('edit.failed', { reason })));
    } else this.saveStatus.textContent = t(`edit.${state}`);
  }

  /**
   * What edit mode asks of the reader: saves go through the API and their answer into the
   * session; highlights that the editor's own undo or redo took away, brought back or recoloured
   * become the same changes in the session (drawn already, so not drawn again).
   */
  private editHost(documentId: number, session: DocumentSession): EditHost {
    return {
      applyEdit: async ({ at, delta, ...edit }) => {
        const since = session.version;
        const out = await this.ctx.api['documents.applyEdit']({ documentId, ...edit });
        if (this.session !== session || !this.edit) return;
        session.shift(at, delta);
        session.absorb(out.annotations, false, this.edit.document.blocks, since);
      },
      detached: () => session.detachedIds(),
      removed: (id) => {
        if (!session.has(id)) return;
        session.delete(id, 'editor').catch((e) => this.ctx.toast.error(e));
      },
      returned: (id, range) => void this.bringBack(session, id, range),
      recolored: (id, color) => void session.update(id, { color }, 'editor').catch((e) => this.ctx.toast.error(e)),
      textChanged: (byUser) => {
        this.text = null;
        if (byUser) this.toolbar.close();
      },
      state: (state, error) => this.showSaveState(state, error),
    };
  }

  /**
   * Undo (or redo) in edit mode brought a highlight back: the library's tombstone comes back, on
   * the range the mark has now (the text is saved first, so that the library's text is the
   * editor's).
   */
  private async bringBack(session: DocumentSession, id: string, range: TextRange): Promise<void> {
    const edit = this.edit;
    if (session.has(id) || !edit) return;
    try {
      await edit.flush();
      await session.returned(id, edit.annotationRange(id) ?? range);
    } catch (e) {
      this.ctx.toast.error(e);
    }
  }

  /** Puts a detached annotation on the passage selected in the text; false when none is. */
  private async reattach(a: Annotation): Promise<boolean> {
    const sel = this.editor?.selection();
    const session = this.session;
    if (!sel || !session) return false;
    try {
      await this.edit?.flush();
      const r = await session.reattach(a.id, { start: sel.start, end: sel.end });
      document.getSelection()?.removeAllRanges();
      this.toolbar.close();
      this.panel.mark(r.id);
      this.ctx.toast.show(t('panel.reattached'));
    } catch (e) {
      this.ctx.toast.error(e);
    }
    return true;
  }

  relabel(): void {
    const state = this.saveStatus.dataset.state as SaveState | undefined;
    if (this.edit && state && state !== 'failed') {
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
    if (!inTextField(e.target)) {
      const back = matches(e, 'Mod+KeyZ');
      const again = matches(e, 'Mod+Shift+KeyZ') || matches(e, 'Mod+KeyY');
      if (this.edit && back) return (this.edit.undo(), true);
      if (this.edit && again) return (this.edit.redo(), true);
      // In read mode the session's history: highlights, colours, tags, notes, deletions.
      if (back || again) {
        void this.history(back ? 'undo' : 'redo');
        return true;
      }
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

  /**
   * The first section of a long document, from the first blocks, while the rest is on its way,
   * with room below it for the rest (sized from the section's height per block), so that the page
   * scrolls on. Once the annotations over the first characters have come (`load.first`, asked
   * for right after the first blocks) it gets its session: highlighted, and a passage can be
   * selected and annotated. `mount` puts the whole document in its place, where the reader has
   * scrolled to, with what was selected in it and the same session.
   */
  private async preview(head: DocumentFull & { total: number }, load: DocumentLoad, ticket: number): Promise<void> {
    const first = planSections(head.blocks, { ...SECTION_LIMITS, whole: 0 })[0];
    const shown = first?.to ?? head.blocks.length;
    this.clear(head);
    this.panel.attach(null);
    this.previewing = true;
    const doc = { ...head, blocks: head.blocks.slice(0, shown) };
    this.editor = new ReaderEditor(this.scroller, doc);
    const height = this.scroller.scrollHeight;
    performance.mark('gloss:first-text');
    // The rest of the text is on its way (also what the end-to-end tests wait for).
    this.scroller.setAttribute('aria-busy', 'true');
    const rest = h('div', { class: 'preview-rest', 'aria-hidden': 'true' });
    rest.style.height = `${Math.round((height / Math.max(1, shown)) * (head.total - shown))}px`;
    this.scroller.append(rest);
    const end = first?.end ?? 0;
    const list = await load.first.catch(() => null);
    // Not when its annotations may not all be in (a very long last block), nor once the whole has come.
    if (!list || ticket !== this.opening || !this.previewing || this.session || end > FIRST_RANGE) return;
    // Drawing the highlights builds the section again: a passage selected meanwhile is selected
    // again, and now offered the toolbar.
    const kept = this.selectionPoints();
    const session = new DocumentSession(this.ctx.api, doc);
    this.attachSession(session);
    session.load(list.filter((a) => a.start < end || a.end <= end));
    this.previewSince = session.version;
    if (kept) this.reselect(kept);
  }

  /** The open document's session: drawn in the text, listed in the panel, followed by the toolbar. */
  private attachSession(session: DocumentSession): void {
    this.session = session;
    session.subscribe((e) => this.draw(e));
    this.panel.attach(session);
    this.toolbar.attach(session);
    session.subscribe((e) => this.followed(e));
    this.panel.mark(null);
  }

  /** Empties the reading area and shows a document's title, in read mode, its annotations to come. */
  private clear(doc: DocumentFull): void {
    this.toolbar.close();
    this.editor?.destroy();
    this.editor = null;
    this.edit = null;
    this.session?.close();
    this.session = null;
    this.setEditButton(false);
    // Edit mode needs the annotations (they become marks): not before they have come.
    this.editButton.disabled = true;
    // Setting the scroll position lays the page out: not on the first document shown (nothing
    // can have been scrolled), whose first section lays it out anyway a moment later.
    const fresh = !this.scroller.firstChild;
    this.scroller.replaceChildren();
    this.scroller.removeAttribute('aria-busy');
    if (!fresh) this.scroller.scrollTop = 0;
    this.text = null;
    this.showTitle(doc.title);
    this.showByline(doc);
    this.find.reset();
  }

  /** Shows a whole document, with its annotations when they have come already (else `load` them later). */
  private mount(doc: DocumentFull, annotations: readonly Annotation[] | null = null): void {
    const previewed = this.previewing;
    const scrolled = previewed ? this.scroller.scrollTop : 0;
    // A passage selected (or the caret put) in the first section while the rest was coming: the
    // whole text has the same blocks at the same offsets, so it is selected there again.
    const kept = previewed ? this.selectionPoints() : null;
    this.previewing = false;
    const carried = previewed ? this.session : null;
    let session: DocumentSession;
    if (carried) {
      // The first section's session goes on (what was made, changed or undone there with it),
      // the toolbar too: it may be open on a highlight there, its note being typed.
      session = carried;
      this.editor?.destroy();
      this.editor = null;
      this.scroller.replaceChildren();
      this.scroller.removeAttribute('aria-busy');
      this.text = null;
      this.find.reset();
      session.extend(annotations ?? [], doc.blocks, this.previewSince);
    } else {
      this.clear(doc);
      session = new DocumentSession(this.ctx.api, doc);
      this.attachSession(session);
      // Annotations in hand are drawn as the text is built (there is no text to draw them on yet).
      if (annotations) session.load(annotations);
    }
    this.editor = new ReaderEditor(this.scroller, doc, (el) => this.holdsSelection(el), annotations || carried ? session.list() : []);
    if (carried) this.toolbar.place();
    if (scrolled) this.scroller.scrollTop = scrolled;
    if (kept) this.reselect(kept);
    void this.scroller.offsetHeight;
    if (!previewed) performance.mark('gloss:first-text');
  }

  /** The page's selection in the text as canonical offsets, its direction kept (a caret too). */
  private selectionPoints(): { anchor: number; focus: number } | null {
    const sel = document.getSelection();
    if (!this.editor || !sel?.anchorNode || !sel.focusNode) return null;
    const anchor = this.editor.offsetAt(sel.anchorNode, sel.anchorOffset);
    const focus = this.editor.offsetAt(sel.focusNode, sel.focusOffset);
    if (anchor !== null && focus !== null) return { anchor, focus };
    // An end outside the text (a drag released in the margin): as the toolbar would take it.
    const range = this.editor.selection();
    return range ? { anchor: range.start, focus: range.end } : null;
  }

  /** Selects `points` in the text (their sections mounted) and, when a passage, offers the toolbar for it. */
  private reselect(points: { anchor: number; focus: number }): void {
    if (!(this.editor instanceof ReaderEditor)) return;
    const anchor = this.editor.domAt(points.anchor);
    const focus = this.editor.domAt(points.focus);
    const sel = document.getSelection();
    if (!anchor || !focus || !sel) return;
    sel.setBaseAndExtent(anchor.node, anchor.offset, focus.node, focus.offset);
    this.caret.draw();
    if (points.anchor !== points.focus) this.checkSelection();
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

  /** Draws a change of the session's annotations in the text (session/draw.ts). */
  private draw(e: SessionEvent): void {
    if (this.editor && this.session) drawChange(this.editor, this.session, e, this.edit !== null);
  }

  /** After any change: the tag list when tags came or went, and the library's counts. */
  private followed(e: SessionEvent): void {
    if (e.origin === 'load') return;
    const tagged =
      e.added.some((a) => a.tags.length > 0) ||
      e.removed.some((a) => a.tags.length > 0) ||
      e.updated.some((a) => {
        const was = e.previous.get(a.id);
        return !was || was.tags.length !== a.tags.length || was.tags.some((p, i) => p !== a.tags[i]);
      });
    if (tagged) void this.ctx.tags.refresh().catch(() => undefined);
    this.ctx.changed();
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
    if (!this.editor || !this.session || this.el.hidden || this.gate.busy) return;
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
      .map((id) => this.session?.get(id))
      .filter((a): a is Annotation => a !== undefined)
      .sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    if (chosen) this.openAnnotation(chosen);
    else this.toolbar.close();
  }

  private mousedownOutside(e: MouseEvent): void {
    if (!this.toolbar.isOpen) return;
    const target = e.target as Node;
    if (this.toolbar.el.contains(target) || this.scroller.contains(target)) return;
    this.toolbar.close();
  }

  private openAnnotation(a: Annotation): void {
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
      this.openAnnotation(a);
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

  private async create(input: NewAnnotation & { color: Color; tags: string[]; note: string }): Promise<Annotation> {
    const session = this.session!;
    // The offsets are the editor's: the library must hold the editor's text first.
    await this.edit?.flush();
    const a = await session.create(input);
    // The passage is saved: no selection is left to offer again. In the reading view the caret
    // stays where the selection ended, so the keyboard goes on from there.
    const sel = document.getSelection();
    if (sel && !this.edit && this.editor?.selection()) sel.collapseToEnd();
    else sel?.removeAllRanges();
    this.panel.mark(a.id);
    return a;
  }

  private async update(id: string, change: { color?: Color; tags?: string[]; note?: string }): Promise<Annotation> {
    const a = await this.session!.update(id, change);
    this.panel.mark(a.id);
    return a;
  }

  private async remove(a: Annotation): Promise<void> {
    const session = this.session;
    if (!session) return;
    // In edit mode a drawn highlight's removal is a step of the editor's history, undone there.
    const edit = this.edit;
    const inHistory = edit !== null && edit.annotationRange(a.id) !== null;
    await session.delete(a.id);
    const undo = inHistory && edit ? () => void edit.undo() : () => void session.restore(a.id).then(() => this.ctx.toast.show(t('toolbar.restored')), (e) => this.ctx.toast.error(e));
    this.ctx.toast.show(t('toolbar.deleted'), { action: { label: t('common.undo'), run: undo } });
  }

  /** Undo or redo in read mode: the session's last command, then the passage shown in the panel. */
  private async history(direction: 'undo' | 'redo'): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (!(direction === 'undo' ? session.canUndo : session.canRedo) && session.pending === 0) {
      this.ctx.toast.show(t(direction === 'undo' ? 'toolbar.nothingToUndo' : 'toolbar.nothingToRedo'));
      return;
    }
    let outcome: HistoryOutcome | null;
    try {
      outcome = direction === 'undo' ? await session.undo() : await session.redo();
    } catch (e) {
      this.ctx.toast.error(e);
      return;
    }
    if (!outcome || this.session !== session) return;
    const back = outcome.annotation && session.has(outcome.annotation.id) ? outcome.annotation : null;
    if (back) this.panel.mark(back.id);
    else if (this.toolbar.current && !session.has(this.toolbar.current.id)) this.toolbar.close();
    const restored = (outcome.kind === 'delete' && direction === 'undo') || (outcome.kind === 'create' && direction === 'redo');
    const what = t(`toolbar.step.${outcome.kind}`);
    this.ctx.toast.show(restored ? t('toolbar.restored') : t(direction === 'undo' ? 'toolbar.undone' : 'toolbar.redone', { what }));
  }

  /** After a tag rename or merge, or an import, elsewhere: reload this document's annotations. */
  async reloadAnnotations(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const list = await this.ctx.api['annotations.list']({ documentId: session.documentId });
    if (this.session !== session) return;
    session.load(list, false);
  }

  /** Test-only access for the benchmark (see bench-hook.ts). */
  __bench(): { api: GlossApi; editor: ReaderEditor | null; session: EditSession | null; create: (input: { start: number; end: number; color: Color; tags: string[]; note: string }) => Promise<Annotation> } {
    return { api: this.ctx.api, editor: this.editor instanceof ReaderEditor ? this.editor : null, session: this.edit, create: (input) => this.create(input) };
  }
}
