/**
 * Runs a reader in a worker thread, so that a long or hostile file never blocks the app: the
 * worker gets a time limit and a memory limit, and cancelling ends it at once (a reader in the
 * middle of a page cannot be interrupted any other way).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImportReason } from '../../common/errors.js';
import type { ImportProgress, ParsedDocument } from '../../common/model.js';
import { appRoot } from '../paths.js';
import { ImportError } from './errors.js';
import { formatOf, parseDocument } from './index.js';
import { CANCELLED, type ReadOptions } from './reader.js';

/** One file may take this long to read. */
export const READ_TIME_LIMIT_MS = 5 * 60 * 1000;
/** And this much memory (the worker's V8 heap). */
export const READ_MEMORY_LIMIT_MB = 2048;

export interface WorkerRequest {
  name: string;
  bytes: Uint8Array;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; doc: ParsedDocument }
  | { type: 'failed'; reason: string; why: ImportReason }
  | { type: 'crashed'; message: string };

/**
 * Text files (plain text, Markdown, HTML) smaller than this are read in place: their parsers are
 * linear and bounded (nesting and block caps) and read about 40 MB/s, while a worker costs half a
 * second or more to start (it loads every reader) and a copy of the result; storing the blocks,
 * which happens on this thread in any case, takes longer than parsing them. Measured with
 * `npm run bench` (import 5 MB).
 */
export const INLINE_TEXT_BYTES = 8 * 1024 * 1024;

export interface IsolatedOptions extends ReadOptions {
  timeLimitMs?: number;
  memoryLimitMb?: number;
  /** Text files below this many bytes are read in place (default INLINE_TEXT_BYTES; the command line reads all text in place). */
  inlineTextBytes?: number;
}

const seconds = (ms: number): string => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(ms < 1000 ? 3 : 1)} s`);

/** The built worker; absent only when Gloss runs from source without `npm run build`. */
export function workerFile(): string | undefined {
  const file = path.join(appRoot(), 'dist', 'main', 'import-worker.cjs');
  return fs.existsSync(file) ? file : undefined;
}

/**
 * Reads one file in a worker. Resolves with the document, or rejects with an ImportError naming the
 * file and the reason (the reader's own, a limit, or the cancellation).
 */
export function parseIsolated(name: string, bytes: Uint8Array, options: IsolatedOptions = {}): Promise<ParsedDocument> {
  const file = workerFile();
  if (!file) return parseDocument(name, bytes, options);
  if (bytes.length < (options.inlineTextBytes ?? INLINE_TEXT_BYTES) && isTextFormat(name, bytes)) return parseDocument(name, bytes, options);
  if (options.signal?.aborted) return Promise.reject(new ImportError(name, CANCELLED, 'cancelled'));
  const timeLimit = options.timeLimitMs ?? READ_TIME_LIMIT_MS;
  const memoryLimit = options.memoryLimitMb ?? READ_MEMORY_LIMIT_MB;
  return new Promise((resolve, reject) => {
    // A copy, so that the caller's buffer (often a slice of a larger one) is not detached.
    const copy = new Uint8Array(bytes);
    const worker = new Worker(file, {
      workerData: { name, bytes: copy } satisfies WorkerRequest,
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: memoryLimit },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (error: ImportError | null, doc?: ParsedDocument): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(doc!);
    };
    const onAbort = (): void => finish(new ImportError(name, CANCELLED, 'cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new ImportError(name, `took longer than ${seconds(timeLimit)} to read, the limit for one file`, 'too-slow')), timeLimit);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else if (m.type === 'done') finish(null, m.doc);
      else if (m.type === 'failed') finish(new ImportError(name, m.reason, m.why));
      else finish(new ImportError(name, `could not be read: the importer failed (${m.message})`));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(new ImportError(name, `needs more than ${memoryLimit} MB of memory to read, the limit for one file`, 'too-much-memory'));
      else finish(new ImportError(name, `could not be read: the importer failed (${e.message})`));
    });
    worker.on('exit', (code) => finish(new ImportError(name, `could not be read: the importer stopped (exit code ${code})`)));
  });
}

function isTextFormat(name: string, bytes: Uint8Array): boolean {
  try {
    const f = formatOf(name, bytes);
    return f === 'text' || f === 'markdown' || f === 'html';
  } catch {
    // formatOf refuses some files outright; the reader says why, in place.
    return true;
  }
}
