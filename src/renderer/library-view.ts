/**
 * The library: the documents with title (each in its own direction), language and annotation
 * count; open, import (file picker or drop), remove with confirmation; the tools given to it
 * (export and import of annotations) in its head.
 */
import type { GlossApi, ImportOutcome } from '../common/api.js';
import type { DocumentSummary } from '../common/model.js';
import { blockDirection } from '../common/text/direction.js';
import { fileToBase64 } from './annotation-transfer.js';
import { confirmDialog } from './dialog.js';
import { h } from './dom.js';
import { isolate, t } from './i18n.js';
import { pairButtons } from './pair/pair-dialogs.js';
import type { Toaster } from './toast.js';

const ACCEPT = '.txt,.text,.md,.markdown,.html,.htm';


export class LibraryView {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly outcomes: HTMLUListElement;
  private readonly picker: HTMLInputElement;
  private readonly empty: HTMLElement;
  private docs: DocumentSummary[] = [];

  constructor(
    private readonly api: GlossApi,
    private readonly toast: Toaster,
    private readonly open: (id: number) => void,
    tools: HTMLElement[] = [],
  ) {
    this.picker = h('input', { type: 'file', multiple: true, accept: ACCEPT, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true', tAttrs: { 'aria-label': 'library.import' }, on: { change: () => void this.importFiles([...(this.picker.files ?? [])]) } });
    this.outcomes = h('ul', { class: 'import-outcomes', role: 'status', 'aria-live': 'polite' });
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
      this.outcomes,
      h(
        'table',
        { class: 'documents' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col', t: 'library.colTitle' }), h('th', { scope: 'col', t: 'library.colLanguage' }), h('th', { scope: 'col', t: 'library.colAnnotations' }), h('th', { scope: 'col', t: 'library.colActions' })),
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
    for (const li of this.outcomes.querySelectorAll<HTMLElement>('[data-outcome]')) {
      li.textContent = this.outcomeText(JSON.parse(li.dataset.outcome!) as ImportOutcome);
    }
  }

  async importFiles(files: File[]): Promise<void> {
    if (!files.length) return;
    this.picker.value = '';
    this.outcomes.replaceChildren(h('li', {}, t('library.importing', { count: files.length })));
    try {
      const payload = await Promise.all(files.map(async (f) => ({ name: f.name, base64: await fileToBase64(f) })));
      const outcomes = await this.api['library.import']({ files: payload });
      this.outcomes.replaceChildren(
        ...outcomes.map((o) => h('li', { class: `outcome outcome-${o.status}`, 'data-outcome': JSON.stringify(o) }, this.outcomeText(o))),
      );
      await this.refresh();
    } catch (e) {
      this.outcomes.replaceChildren();
      this.toast.error(e);
    }
  }

  private outcomeText(o: ImportOutcome): string {
    if (o.status === 'imported') return t('library.imported', { name: isolate(o.name), title: isolate(o.title ?? '') });
    if (o.status === 'duplicate') return t('library.duplicate', { name: isolate(o.name), title: isolate(o.title ?? '') });
    return t('library.failed', { name: isolate(o.name), reason: isolate(o.message ?? '') });
  }

  private render(): void {
    this.empty.hidden = this.docs.length > 0;
    this.tbody.replaceChildren(
      ...this.docs.map((d) => {
        const dir = blockDirection(d.title);
        return h(
          'tr',
          { 'data-document-id': String(d.id) },
          h('td', { class: 'title-cell' }, h('a', { href: `#doc=${d.id}`, dir, class: 'doc-link', on: { click: (e) => (e.preventDefault(), this.open(d.id)) } }, d.title)),
          h('td', {}, t(`languages.${d.language}`)),
          h('td', { class: 'num' }, t('library.annotationCount', { count: d.annotationCount })),
          h(
            'td',
            { class: 'actions-cell' },
            pairButtons(this.api, this.toast, d, () => this.docs),
            h('button', { type: 'button', class: 'quiet', 'aria-label': t('library.removeNamed', { title: d.title }), on: { click: () => void this.remove(d) } }, t('library.remove')),
          ),
        );
      }),
    );
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
