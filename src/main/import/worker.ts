/**
 * The import worker: one file per worker, read off the thread that serves the app. The parent
 * bounds its time and memory and ends it to cancel (see `isolated.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportError } from './errors.js';
import { parseDocument } from './index.js';
import type { WorkerMessage, WorkerRequest } from './isolated.js';

const port = parentPort;
if (port) {
  const { name, bytes } = workerData as WorkerRequest;
  const post = (m: WorkerMessage): void => port.postMessage(m);
  let last = 0;
  parseDocument(name, bytes, {
    onProgress(progress) {
      // Progress at most ten times a second, and always the last page.
      const now = Date.now();
      if (now - last < 100 && progress.done < progress.total) return;
      last = now;
      post({ type: 'progress', progress });
    },
  }).then(
    (doc) => post({ type: 'done', doc }),
    (e: unknown) => {
      if (e instanceof ImportError) post({ type: 'failed', reason: e.reason, why: e.why });
      else post({ type: 'crashed', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    },
  );
}
