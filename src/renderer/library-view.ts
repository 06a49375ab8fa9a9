/**
 * The library: the documents with title (each in its own direction) and byline, kind of source
 * and length, language and annotation count; open, import (file picker or drop, with progress
 * per file and Cancel: import-progress.ts), remove with confirmation; the tools given to it
 * (export and import of annotations) in its head.
 */
import type { GlossApi } from '../common/api.js';
import type { DocumentSummary } from '../common/model.js';
import { blockDirection } from '../common/text/direction.js';
import { fileToBase64 } from './annotation-transfer.js';
import { confirmDialog } from './dialog.js';
import { bylineParts, sourceLine } from './doc-meta.js';
import { h } from './dom.js';
import { isolate, t } from './i18n.js';
import { ImportJobView } from './import-progress.js';
import { pairButtons } from './pair/pair-dialogs.js';
import { titleForm } from './title-form.js';
import type { Toaster } from './toast.js';

/** What the file picker offers (saved web pages are .html/.htm). */
export const ACCEPT = '.txt,.text,.md,.markdown,.html,.htm,.pdf,.epub,.docx';

export class LibraryView {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly jobsEl: HTMLElement;
  private readonly announcer: HTMLElement;
  private jobs: ImportJobView[] = [];
  private readonly picker: HTMLInputElement;
  private readonly empty: HTMLElement;
  private docs: DocumentSummary[] = [];
  /** The document whose title is being edited in its row, if any. */
  private renaming: number | null = null;

  constructor(
    private readonly api: GlossApi,
    private readonly toast: Toaster,
    private readonly open: (id: number) => void,
    tools: HTMLElement[] = [],
  ) {
    this.picker = h('input', { type: 'file', multiple: true, accept: ACCEPT, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true', tAttrs: { 'aria-label': 'library.import' }, on: { change: () => void this.importFiles([...(this.picker.files ?? [])]) } });
    this.jobsEl = h('div', { class: 'import-jobs' });
    this.announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.tbody = h('tbody');
    this.empty = h('p', { class: 'empty', t: 'library.empty', hidden: true });
    this.el = h(
      'section',
      { class: 'library', tAttrs: { 'aria-label': 'library.title' } },
      h(
        'div',
        { class: 'library-head' },
        h('h1', { t: 'library.title' }),
        h('button', { type: 'button', class: 'primary', t: 'library.import', on: { click: () => this.picker.click() } }),
        h('span', { class: 'drop-hint', t: 'library.dropHint' }),
        h('span', { class: 'library-tools' }, ...tools),
        this.picker,
      ),
      this.jobsEl,
      this.announcer,
      h(
        'table',
        { class: 'documents' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col', t: 'library.colTitle' }), h('th', { scope: 'col', t: 'library.colSource' }), h('th', { scope: 'col', t: 'library.colLanguage' }), h('th', { scope: 'col', t: 'library.colAnnotations' }), h('th', { scope: 'col', t: 'library.colActions' })),
        ),
        this.tbody,
      ),
      this.empty,
    );
    for (const type of ['dragenter', 'dragover'] as const) {
      this.el.addEventListener(type, (e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        this.el.classList.add('dropping');
      });
    }
    this.el.addEventListener('dragleave', (e) => {
      if (e.target === this.el) this.el.classList.remove('dropping');
    });
    this.el.addEventListener('drop', (e) => {
      e.preventDefault();
      this.el.classList.remove('dropping');
      void this.importFiles([...(e.dataTransfer?.files ?? [])]);
    });
  }

  async refresh(): Promise<void> {
    this.docs = await this.api['library.list']({});
    this.render();
  }

  relabel(): void {
    this.render();
    for (const job of this.jobs) job.relabel();
  }

  async importFiles(files: File[]): Promise<void> {
    if (!files.length) return;
    this.picker.value = '';
    // What earlier imports said goes; one still running stays on screen with its Cancel.
    for (const job of this.jobs) if (!job.running) job.el.remove();
    this.jobs = this.jobs.filter((job) => job.running);
    const job = new ImportJobView(this.api, (message) => this.say(message), files.length);
    this.jobs.push(job);
    this.jobsEl.append(job.el);
    try {
      const payload = await Promise.all(files.map(async (f) => ({ name: f.name, base64: await fileToBase64(f) })));
      // Each imported file shows in the list at once; the list is asked for again at the end.
      await job.run(payload, () => void this.refresh().catch(() => undefined));
      await this.refresh();
    } catch (e) {
      job.stop();
      job.el.remove();
      this.jobs = this.jobs.filter((j) => j !== job);
      this.toast.error(e);
    }
  }

  /** Tells a screen reader, politely; the same words twice are said twice. */
  private say(message: string): void {
    this.announcer.textContent = '';
    setTimeout(() => (this.announcer.textContent = message), 30);
  }

  private render(): void {
    this.empty.hidden = this.docs.length > 0;
    this.tbody.replaceChildren(
      ...this.docs.map((d) => {
        const dir = blockDirection(d.title);
        const meta = d.meta ?? {};
        const byline = bylineParts(meta);
        return h(
          'tr',
          { 'data-document-id': String(d.id) },
          h(
            'td',
            { class: 'title-cell' },
            // `dir` on the link isolates the title too, so "‹Hebrew› (English translation)" keeps
            // its parentheses in either interface.
            this.renaming === d.id ? this.renameForm(d) : h('a', { href: `#doc=${d.id}`, dir, class: 'doc-link', on: { click: (e) => (e.preventDefault(), this.open(d.id)) } }, d.title),
            byline.length ? h('div', { class: 'doc-byline' }, byline.join(' · ')) : null,
          ),
          h('td', { class: 'source-cell' }, sourceLine(meta)),
          h('td', {}, t(`languages.${d.language}`)),
          h('td', { class: 'num' }, t('library.annotationCount', { count: d.annotationCount })),
          h(
            'td',
            { class: 'actions-cell' },
            h('button', { type: 'button', class: 'quiet rename-button', 'aria-label': t('library.renameNamed', { title: d.title }), on: { click: () => this.startRename(d.id) } }, t('library.rename')),
            pairButtons(this.api, this.toast, d, () => this.docs),
            h('button', { type: 'button', class: 'quiet', 'aria-label': t('library.removeNamed', { title: d.title }), on: { click: () => void this.remove(d) } }, t('library.remove')),
          ),
        );
      }),
    );
  }

  private startRename(id: number): void {
    this.renaming = id;
    this.render();
  }

  /** The title in a box in its row; back to the link (renamed or not), with the focus on it. */
  private renameForm(d: DocumentSummary): HTMLFormElement {
    const back = (focusOn: string) => {
      this.renaming = null;
      this.render();
      this.tbody.querySelector<HTMLElement>(`tr[data-document-id="${d.id}"] ${focusOn}`)?.focus();
    };
    return titleForm(d.title, { save: (title) => void this.rename(d, title, () => back('.doc-link')), cancel: () => back('.rename-button') });
  }

  private async rename(d: DocumentSummary, title: string, done: () => void): Promise<void> {
    if (!title || title === d.title) return done();
    try {
      await this.api['documents.rename']({ documentId: d.id, title });
      this.toast.show(t('library.renamed', { title: isolate(title) }));
      this.docs = await this.api['library.list']({});
      done();
    } catch (e) {
      this.toast.error(e);
    }
  }

  private async remove(d: DocumentSummary): Promise<void> {
    const ok = await confirmDialog({
      title: t('library.removeTitle'),
      message: t('library.removeMessage', { title: isolate(d.title), count: d.annotationCount }),
      confirm: t('library.remove'),
      danger: true,
    });
    if (!ok) return;
    try {
      await this.api['library.remove']({ documentId: d.id });
      this.toast.show(t('library.removed', { title: isolate(d.title) }));
      await this.refresh();
    } catch (e) {
      this.toast.error(e);
    }
  }
}
