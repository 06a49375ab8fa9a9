/**
 * Background imports for the app: a job reads its files one after another (each in a worker, see
 * `import/isolated.ts`), and the renderer polls its state to show progress per page or chapter,
 * and may cancel it. Both transports carry request and answer only, so polling is the one way
 * that works the same over IPC and HTTP.
 */
import { randomUUID } from 'node:crypto';
import { GlossError, type ImportJob, type ImportOutcome } from '../common/api.js';
import type { Library } from './library.js';

/** Finished jobs are kept this long for a late status call, then forgotten. */
const KEEP_FINISHED_MS = 10 * 60 * 1000;
/** A renderer gone mid-import leaves its jobs; more than this many running at once is refused. */
const MAX_RUNNING = 8;

interface Entry {
  job: ImportJob;
  controller: AbortController;
  finished?: number;
  done: Promise<ImportOutcome[]>;
}

export class ImportJobs {
  private readonly jobs = new Map<string, Entry>();

  constructor(private readonly library: Library) {}

  start(files: readonly { name: string; bytes: Uint8Array }[]): ImportJob {
    this.forgetOld();
    const running = [...this.jobs.values()].filter((e) => e.job.state === 'running').length;
    if (running >= MAX_RUNNING) throw new GlossError(`${running} imports are running already; wait for one to finish`, 'imports-busy', { running });
    const job: ImportJob = { id: randomUUID(), state: 'running', files: files.map((f) => ({ name: f.name, state: 'waiting' })) };
    const controller = new AbortController();
    const entry: Entry = { job, controller, done: Promise.resolve([]) };
    entry.done = this.library
      .importFiles(files, {
        signal: controller.signal,
        onState: (i, state, outcome) => {
          const f = job.files[i]!;
          f.state = state;
          if (outcome) f.outcome = outcome;
        },
        onProgress: (i, progress) => void (job.files[i]!.progress = progress),
      })
      .then(
        (outcomes) => {
          outcomes.forEach((o, i) => Object.assign(job.files[i]!, { state: 'done', outcome: o }));
          return outcomes;
        },
        (e: unknown) => {
          // Not a file's fault (the library itself failed): every file not done says why.
          const message = e instanceof Error ? e.message : String(e);
          for (const f of job.files) if (f.state !== 'done') Object.assign(f, { state: 'done', outcome: { name: f.name, status: 'failed', message, reason: 'unreadable' } });
          return job.files.map((f) => f.outcome!);
        },
      )
      .finally(() => {
        if (job.state === 'running') job.state = controller.signal.aborted ? 'cancelled' : 'done';
        entry.finished = Date.now();
      });
    this.jobs.set(job.id, entry);
    return snapshot(job);
  }

  status(id: string): ImportJob {
    return snapshot(this.entry(id).job);
  }

  cancel(id: string): ImportJob {
    const entry = this.entry(id);
    if (entry.job.state === 'running') entry.controller.abort();
    return snapshot(entry.job);
  }

  /** Waits for a job to end (the `library.import` verb, tests). */
  async wait(id: string): Promise<ImportJob> {
    await this.entry(id).done;
    return snapshot(this.entry(id).job);
  }

  /** Cancels every running job (on quit). */
  cancelAll(): void {
    for (const e of this.jobs.values()) if (e.job.state === 'running') e.controller.abort();
  }

  private entry(id: string): Entry {
    const entry = this.jobs.get(id);
    if (!entry) throw new GlossError(`No import job ${id} (finished jobs are forgotten after ten minutes)`, 'import-job-not-found', { id });
    return entry;
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [id, e] of this.jobs) if (e.finished !== undefined && now - e.finished > KEEP_FINISHED_MS) this.jobs.delete(id);
  }
}

const snapshot = (job: ImportJob): ImportJob => structuredClone(job);
