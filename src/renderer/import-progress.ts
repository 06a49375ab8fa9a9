/**
 * Importing files in the library: the files go to `imports.start`, which answers at once with a
 * job; the job is then asked for (`imports.status`, every 250 ms) until it ends, and each file is
 * shown as it goes: waiting, reading (page 12 of 300, chapter 3 of 20, with a progress bar),
 * storing, then its outcome. Cancel stops the file being read and those not started; files
 * already imported stay. Polling is the one way that works the same over IPC and HTTP.
 *
 * The list is not a live region (a page count ticking would be read out without end); a separate
 * polite status says what a screen reader user needs: a file begun, a file's outcome, the end.
 */
import type { GlossApi, ImportFileState, ImportJob, ImportOutcome } from '../common/api.js';
import { h } from './dom.js';
import { isolate, t } from './i18n.js';

/** How often a running job is asked for. */
export const POLL_MS = 250;

/** An outcome as the library words it (also used for outcomes of imports done elsewhere). */
export function outcomeText(o: ImportOutcome): string {
  const name = isolate(o.name);
  const title = isolate(o.title ?? '');
  if (o.status === 'imported') return o.annotations ? t('library.importedWithComments', { name, title, count: o.annotations }) : t('library.imported', { name, title });
  if (o.status === 'duplicate') return t('library.duplicate', { name, title });
  return t('library.failed', { name, reason: t(`importReasons.${o.reason ?? 'unreadable'}`) });
}

/** What a file not yet done is doing, in words. */
export function fileStateText(f: ImportFileState): string {
  const name = isolate(f.name);
  if (f.state === 'waiting') return t('importing.waiting', { name });
  if (f.state === 'storing') return t('importing.storing', { name });
  const p = f.progress;
  if (!p || p.total <= 0) return t('importing.reading', { name });
  const key = p.unit === 'page' ? 'importing.readingPage' : p.unit === 'chapter' ? 'importing.readingChapter' : 'importing.readingPart';
  return t(key, { name, done: Math.min(p.done, p.total), total: p.total });
}

interface FileRow {
  li: HTMLLIElement;
  text: HTMLSpanElement;
  bar: HTMLProgressElement;
  /** What was last announced for this file, so each step is said once. */
  said: string;
}

/** One import job in the library: its files, a Cancel button while it runs, and its end. */
export class ImportJobView {
  readonly el: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly summary: HTMLParagraphElement;
  private rows: FileRow[] = [];
  private job: ImportJob | null = null;
  /** Files not done when Cancel was pressed: a failure of theirs is the cancellation. */
  private cut: Set<number> | null = null;
  private stopped = false;

  constructor(
    private readonly api: GlossApi,
    private readonly announce: (message: string) => void,
    count: number,
  ) {
    this.list = h('ul', { class: 'import-outcomes' }, h('li', { class: 'import-file' }, t('library.importing', { count })));
    this.cancelButton = h('button', { type: 'button', class: 'quiet import-cancel', t: 'importing.cancel', hidden: true, on: { click: () => void this.cancel() } });
    this.summary = h('p', { class: 'import-summary', hidden: true });
    // The summary and Cancel come first: with many files the list scrolls, and Cancel stays in sight.
    this.el = h('section', { class: 'import-job', tAttrs: { 'aria-label': 'importing.region' } }, h('div', { class: 'import-head' }, this.summary, this.cancelButton), this.list);
  }

  get running(): boolean {
    return !this.stopped && (this.job === null || this.job.state === 'running');
  }

  /**
   * Starts the job and follows it to its end; `fileDone` is called as each file is imported (so
   * the library shows it at once), and the promise resolves with the job as it ended.
   */
  async run(files: { name: string; base64: string }[], fileDone: () => void): Promise<ImportJob> {
    let job = await this.api['imports.start']({ files });
    this.job = job;
    this.cancelButton.hidden = false;
    let imported = 0;
    for (;;) {
      this.render(job);
      const now = job.files.filter((f) => f.outcome?.status === 'imported').length;
      if (now > imported) {
        imported = now;
        fileDone();
      }
      if (job.state !== 'running' || this.stopped) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = await this.api['imports.status']({ jobId: job.id });
      this.job = job;
    }
    this.finish(job);
    return job;
  }

  /** The view is dropped (a new import replaced it): stop asking. */
  stop(): void {
    this.stopped = true;
  }

  relabel(): void {
    if (this.job) {
      this.render(this.job, false);
      if (this.job.state !== 'running') this.finish(this.job, false);
    }
  }

  private async cancel(): Promise<void> {
    const job = this.job;
    if (!job || job.state !== 'running') return;
    this.cancelButton.disabled = true;
    this.cancelButton.textContent = t('importing.cancelling');
    this.cancelButton.dataset.i18n = 'importing.cancelling';
    const answer = await this.api['imports.cancel']({ jobId: job.id });
    this.cut = new Set(answer.files.flatMap((f, i) => (f.state === 'done' ? [] : [i])));
  }

  private render(job: ImportJob, speak = true): void {
    if (this.rows.length !== job.files.length) {
      this.rows = job.files.map(() => {
        const text = h('span', { class: 'import-file-text' });
        const bar = h('progress', { class: 'import-bar', max: '1' });
        return { li: h('li', { class: 'import-file' }, text, bar), text, bar, said: '' };
      });
      this.list.replaceChildren(...this.rows.map((r) => r.li));
    }
    job.files.forEach((f, i) => {
      const row = this.rows[i]!;
      const done = f.state === 'done' && f.outcome;
      const text = done ? this.doneText(f.outcome!, i) : fileStateText(f);
      if (row.text.textContent !== text) row.text.textContent = text;
      row.li.className = done ? `outcome outcome-${this.cancelledAt(f.outcome!, i) ? 'cancelled' : f.outcome!.status}` : `import-file import-${f.state}`;
      row.li.dataset.outcome = done ? JSON.stringify(f.outcome) : '';
      row.bar.hidden = f.state === 'done' || f.state === 'waiting';
      if (!row.bar.hidden) this.setBar(row.bar, f);
      // Said once per step: a file begun, stored, done (not each page).
      const step = done ? 'done' : f.state;
      if (speak && step !== 'waiting' && row.said !== step) {
        row.said = step;
        this.announce(done ? text : f.state === 'storing' ? t('importing.storing', { name: isolate(f.name) }) : t('importing.reading', { name: isolate(f.name) }));
      }
    });
  }

  private setBar(bar: HTMLProgressElement, f: ImportFileState): void {
    bar.setAttribute('aria-label', t('importing.progressLabel', { name: f.name }));
    const p = f.progress;
    // Without a count (a text file, or storing), the bar is indeterminate: no value at all.
    if (f.state === 'reading' && p && p.total > 0) {
      bar.max = p.total;
      bar.value = Math.min(p.done, p.total);
    } else bar.removeAttribute('value');
  }

  private cancelledAt(o: ImportOutcome, index: number): boolean {
    return this.job?.state === 'cancelled' && o.status === 'failed' && (this.cut === null || this.cut.has(index));
  }

  private doneText(o: ImportOutcome, index: number): string {
    return this.cancelledAt(o, index) ? t('importing.cancelled', { name: isolate(o.name) }) : outcomeText(o);
  }

  private finish(job: ImportJob, speak = true): void {
    this.cancelButton.hidden = true;
    const imported = job.files.filter((f) => f.outcome?.status === 'imported').length;
    const count = job.files.length;
    const summary = job.state === 'cancelled' ? t('importing.cancelledJob', { imported, count }) : t('importing.finished', { imported, count });
    // One file says it all in its own line; several get a summary too.
    this.summary.hidden = count < 2 && job.state !== 'cancelled';
    this.summary.textContent = summary;
    if (speak) this.announce(summary);
  }
}
