/**
 * Annotations out and back in: the Export dialog (export-dialog.ts: format, documents, tags)
 * ending in a download, and Import annotations (W3C JSON-LD from any tool, Hypothesis's API JSON, or a
 * REFI-QDA project) ending in a report: what was added, placed approximately, updated, detached
 * and skipped, the documents the annotations went to and how each was recognised, and the reason
 * for every annotation that needs one. Annotations whose text is in no document can then be kept
 * detached ("Keep them"). A download is a Blob behind `<a download>`, which the browser saves and
 * Electron hands to its download manager alike; a REFI-QDA project comes as bytes (base64).
 */
import type { AnnotationImportSummary, GlossApi, ImportOutcome } from '../common/api.js';
import type { AnnotationNote, ErrorParams, ProjectNoteLine } from '../common/errors.js';
import { openExportDialog, type ExportScope } from './export-dialog.js';
import { h } from './dom.js';
import { errorText, isolate, t } from './i18n.js';
import type { Toaster } from './toast.js';

export type { ExportScope } from './export-dialog.js';

const ACCEPT = '.jsonld,.json,.qdpx,application/ld+json,application/json';
const MAX_NOTES = 200;

/** Names and titles in a sentence are isolated; numbers stay numbers. */
const isolated = (params: ErrorParams): Record<string, string | number> => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? isolate(v) : v]));

/**
 * A note of the import report in the interface language: `transfer.notes.<code>` with its
 * parameters, and when the annotation went in as a copy (its id belongs to another document), so.
 */
export function noteText(note: { code: AnnotationNote; params: ErrorParams }): string {
  const text = t(`transfer.notes.${note.code}`, isolated(note.params));
  const { copiedFrom, copiedTo } = note.params;
  return copiedFrom !== undefined && note.code !== 'copied' ? `${text} ${t('transfer.notes.copiedToo', { copiedFrom, copiedTo })}` : text;
}

/** What a REFI-QDA project's import adds to its line, in the interface language. */
export function projectNoteText(note: ProjectNoteLine): string {
  return t(`transfer.projectNotes.${note.code}`, isolated(note.params));
}

/** Reads a file as base64 in chunks (String.fromCharCode on a whole file overflows the stack). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Decodes base64 (a binary export) into bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Hands text or bytes to the user as a file. */
export function download(content: BlobPart, fileName: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; a minute is ample before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export class AnnotationTransfer {
  private readonly picker: HTMLInputElement;

  constructor(
    private readonly api: GlossApi,
    private readonly toast: Toaster,
    /** After an import changed the library (a report for annotations, null for a project): highlights, counts and tags follow. */
    private readonly imported: (report: AnnotationImportSummary | null) => void,
  ) {
    this.picker = h('input', {
      type: 'file',
      accept: ACCEPT,
      class: 'visually-hidden',
      tabindex: '-1',
      'aria-hidden': 'true',
      tAttrs: { 'aria-label': 'transfer.importAnnotations' },
      on: {
        change: () => {
          const file = this.picker.files?.[0];
          this.picker.value = '';
          if (file) void this.importFile(file);
        },
      },
    });
    document.body.append(this.picker);
  }

  /** The opener buttons, for a view's toolbar. */
  buttons(scope: () => ExportScope): HTMLElement[] {
    return [
      h('button', { type: 'button', class: 'quiet', t: 'transfer.exportAnnotations', on: { click: () => this.openExport(scope()) } }),
      h('button', { type: 'button', class: 'quiet', t: 'transfer.importAnnotations', on: { click: () => this.picker.click() } }),
    ];
  }

  /** The Export dialog (export-dialog.ts): format, documents and tags, then a download. */
  openExport(scope: ExportScope): void {
    openExportDialog(this.api, this.toast, scope, download, base64ToBytes).catch((e) => this.toast.error(e));
  }

  async importFile(file: File): Promise<void> {
    let base64: string;
    try {
      base64 = await fileToBase64(file);
    } catch (e) {
      this.report(file.name, null, errorText(e));
      return;
    }
    if (/\.qdpx$/i.test(file.name)) return this.importProject(file.name, base64);
    await this.importAnnotations(file.name, base64, false);
  }

  private async importAnnotations(name: string, base64: string, keepOrphans: boolean): Promise<void> {
    let report: AnnotationImportSummary;
    try {
      report = await this.api['export.importAnnotations']({ name, base64, ...(keepOrphans ? { keepOrphans } : {}) });
    } catch (e) {
      this.report(name, null, errorText(e));
      return;
    }
    // Annotations skipped because their text is in no document can be kept, detached, on request.
    const homeless = !keepOrphans && report.notes.some((n) => n.outcome === 'skipped' && n.params.keepable === 1);
    this.report(name, report, null, homeless ? () => void this.importAnnotations(name, base64, true) : undefined);
    this.imported(report);
  }

  /** A REFI-QDA project is a library import: documents, codebook and codings. */
  private async importProject(name: string, base64: string): Promise<void> {
    let outcomes: ImportOutcome[];
    try {
      outcomes = await this.api['library.import']({ files: [{ name, base64 }] });
    } catch (e) {
      this.report(name, null, errorText(e));
      return;
    }
    const body: HTMLElement[] = [
      h('p', {}, t('transfer.reportFile', { file: isolate(name) })),
      h(
        'ul',
        { class: 'import-notes' },
        ...outcomes.map((o) =>
          h(
            'li',
            { 'data-outcome': o.status },
            h('strong', {}, t(`transfer.projectOutcomes.${o.status}`)),
            ' ',
            // A project of several documents is named by its file; its documents follow in a note.
            h('span', { dir: 'auto' }, o.notes?.some((n) => n.code === 'documents' && Number(n.params.count) > 1) ? o.name : (o.title ?? o.name)),
            o.annotations !== undefined ? h('span', {}, ' · ', t('transfer.codings', { count: o.annotations })) : null,
            o.status === 'failed' ? h('div', { class: 'reason' }, t(`importReasons.${o.reason ?? 'unreadable'}`)) : null,
            ...(o.status === 'failed' ? [] : (o.notes ?? []).map((n) => h('div', { class: 'reason', 'data-note': n.code }, projectNoteText(n)))),
          ),
        ),
      ),
    ];
    this.dialog(t('transfer.projectTitle'), body);
    if (outcomes.some((o) => o.status !== 'failed')) this.imported(null);
  }

  /** The import's outcome in a dialog: counts, documents, then each annotation that needs a word, with its reason. */
  private report(file: string, report: AnnotationImportSummary | null, error: string | null, keepOrphans?: () => void): void {
    const body: HTMLElement[] = [h('p', {}, t('transfer.reportFile', { file: isolate(file) }))];
    if (report) {
      body.push(h('p', { class: 'import-format' }, t(`transfer.formatRead.${report.format}`)));
      const counts: ['added' | 'approximate' | 'updated' | 'detached' | 'skipped', number][] = [
        ['added', report.added],
        ['approximate', report.approximate],
        ['updated', report.updated],
        ['detached', report.orphaned],
        ['skipped', report.skipped],
      ];
      body.push(h('ul', { class: 'import-counts' }, ...counts.map(([key, count]) => h('li', { class: `count-${key}`, 'data-count': String(count) }, t(`transfer.${key}`, { count })))));
      if (report.documents.length) {
        body.push(
          h('h3', {}, t('transfer.documentsTitle')),
          h(
            'ul',
            { class: 'import-documents' },
            ...report.documents.map((d) =>
              h('li', { 'data-matched-by': d.matchedBy }, h('span', { dir: 'auto' }, d.title), ' · ', t('transfer.documentLine', { count: d.annotations, how: t(`transfer.matchedBy.${d.matchedBy}`) })),
            ),
          ),
        );
      }
      const doubtful = report.annotations.filter((a) => a.doubtful).map((a) => ({ id: a.id, outcome: 'doubtful' as const, code: 'doubtful' as const, params: {} }));
      const lines: { id: string; outcome: (typeof report.notes)[number]['outcome'] | 'doubtful'; code: AnnotationNote; params: ErrorParams }[] = [...report.notes, ...doubtful];
      if (lines.length) {
        const shown = lines.slice(0, MAX_NOTES);
        body.push(
          h('h3', {}, t('transfer.reasons')),
          h(
            'ul',
            { class: 'import-notes' },
            ...shown.map((n) =>
              h('li', { 'data-outcome': n.outcome, 'data-note': n.code }, h('strong', {}, t(`transfer.outcomes.${n.outcome}`)), ' ', h('span', { class: 'reason' }, noteText(n))),
            ),
            lines.length > shown.length ? h('li', {}, t('transfer.moreNotes', { count: lines.length - shown.length })) : null,
          ),
        );
      }
    } else {
      body.push(h('p', { role: 'alert', class: 'error', dir: 'auto' }, error ?? ''));
    }
    const close = this.dialog(t(report ? 'transfer.reportTitle' : 'transfer.failedTitle'), body, keepOrphans ? [h('button', { type: 'button', on: { click: () => (close(), keepOrphans()) } }, t('transfer.keepOrphans'))] : []);
  }

  /** A modal dialog with a title, a body and a Close button (after any others); returns its closer. */
  private dialog(title: string, body: HTMLElement[], buttons: HTMLElement[] = []): () => void {
    const dialog = h('dialog', { class: 'import-report', 'aria-labelledby': 'import-report-title' }, h('h2', { id: 'import-report-title' }, title), ...body);
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    const ok = h('button', { type: 'button', class: 'primary', on: { click: close } }, t('common.close'));
    dialog.append(h('div', { class: 'dialog-buttons' }, ...buttons, ok));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close();
    });
    document.body.append(dialog);
    dialog.showModal();
    ok.focus();
    return close;
  }
}
