/**
 * The open document's versions: "Update from file…" (a new version of its source; every
 * annotation is re-anchored and the outcome reported) and "History…" (the earlier texts kept by
 * edits and updates, each of which can be put back). Both go through the library, which keeps
 * the text being replaced as a revision, so either can itself be undone from History.
 */
import type { GlossApi, ReanchorCounts, RevisionInfo } from '../common/api.js';
import { fileToBase64 } from './annotation-transfer.js';
import { confirmDialog } from './dialog.js';
import { h } from './dom.js';
import { isolate, language, t } from './i18n.js';
import type { Toaster } from './toast.js';

export interface VersionsHost {
  /** The open document, if any. */
  current(): { id: number; title: string } | null;
  /** Before the text is replaced: edits are saved and edit mode is left. */
  before(): Promise<void>;
  /** After: the document is shown again from the library. */
  after(): Promise<void>;
}

/** "3 stayed, 1 moved, 0 placed approximately, 2 detached" in the interface's language. */
export function countsMessage(counts: ReanchorCounts): string {
  return t('versions.counts', { stayed: counts.stayed, moved: counts.moved, fuzzy: counts.fuzzy, orphaned: counts.orphaned });
}

export class DocumentVersions {
  private readonly fileInput: HTMLInputElement;
  private busy = false;

  constructor(
    private readonly api: GlossApi,
    private readonly toast: Toaster,
    private readonly host: VersionsHost,
  ) {
    this.fileInput = h('input', { type: 'file', class: 'update-file', hidden: true, accept: '.txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html', on: { change: () => void this.updateFrom() } });
  }

  buttons(): HTMLElement[] {
    return [
      h('button', { type: 'button', class: 'quiet', t: 'versions.update', on: { click: () => this.fileInput.click() } }),
      h('button', { type: 'button', class: 'quiet', t: 'versions.history', on: { click: () => void this.showHistory() } }),
      this.fileInput,
    ];
  }

  private async updateFrom(): Promise<void> {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    const doc = this.host.current();
    if (!file || !doc || this.busy) return;
    this.busy = true;
    try {
      await this.host.before();
      const base64 = await fileToBase64(file);
      const out = await this.api['documents.updateFromFile']({ documentId: doc.id, name: file.name, base64 });
      await this.host.after();
      this.toast.show(out.changed ? `${t('versions.updated', { file: isolate(file.name) })} ${countsMessage(out.counts)}` : t('versions.unchanged', { file: isolate(file.name) }), { ms: 10_000 });
    } catch (e) {
      this.toast.error(e);
    } finally {
      this.busy = false;
    }
  }

  private async showHistory(): Promise<void> {
    const doc = this.host.current();
    if (!doc) return;
    let list: RevisionInfo[];
    try {
      await this.host.before();
      list = await this.api['documents.revisions']({ documentId: doc.id });
    } catch (e) {
      this.toast.error(e);
      return;
    }
    const dialog = h('dialog', { class: 'versions-dialog', 'aria-labelledby': 'versions-title' });
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    const when = new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' });
    const items = list.map((r) =>
      h(
        'li',
        { class: 'revision' },
        h(
          'div',
          { class: 'revision-text' },
          h('time', { dateTime: r.created }, when.format(new Date(r.created))),
          h('span', { class: 'revision-reason' }, reasonLabel(r.reason)),
          h('span', { class: 'revision-size' }, t('versions.size', { chars: r.length.toLocaleString(language()), blocks: r.blockCount })),
        ),
        h('button', { type: 'button', 'aria-label': t('versions.restoreNamed', { when: when.format(new Date(r.created)) }), on: { click: () => void this.restore(doc, r, close) } }, t('versions.restore')),
      ),
    );
    dialog.append(
      h('h2', { id: 'versions-title' }, t('versions.historyOf', { title: isolate(doc.title) })),
      h('p', { class: 'dialog-hint' }, list.length ? t('versions.hint') : t('versions.none')),
      h('ul', { class: 'revision-list' }, ...items),
      h('div', { class: 'dialog-buttons' }, h('button', { type: 'button', on: { click: close } }, t('common.close'))),
    );
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close();
    });
    document.body.append(dialog);
    dialog.showModal();
  }

  private async restore(doc: { id: number; title: string }, r: RevisionInfo, close: () => void): Promise<void> {
    const ok = await confirmDialog({ title: t('versions.restoreTitle'), message: t('versions.restoreMessage'), confirm: t('versions.restore') });
    if (!ok) return;
    close();
    try {
      const out = await this.api['documents.restoreRevision']({ documentId: doc.id, revisionId: r.id });
      await this.host.after();
      this.toast.show(out.changed ? `${t('versions.restored')} ${countsMessage(out.counts)}` : t('versions.sameText'), { ms: 10_000 });
    } catch (e) {
      this.toast.error(e);
    }
  }
}

/** The library's reasons (`edit`, `update from FILE`, `restore`) in the interface's words. */
function reasonLabel(reason: string): string {
  if (reason === 'edit') return t('versions.reasonEdit');
  const from = /^update from (.+)$/.exec(reason);
  if (from) return t('versions.reasonUpdate', { file: isolate(from[1]!) });
  if (reason.startsWith('restore')) return t('versions.reasonRestore');
  return reason;
}
