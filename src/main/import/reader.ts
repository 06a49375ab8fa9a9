/**
 * What every document reader is: bytes in, the block model out (`ParsedDocument`). Readers are
 * pure apart from their inputs, bounded (each states its limits, and a limit hit is an ImportError
 * naming it), report progress on long work and stop when their signal is aborted.
 */
import type { ImportProgress, ParsedDocument } from '../../common/model.js';
import { ImportError } from './errors.js';

export interface ReadOptions {
  /** Called as pages or chapters are read (at most a few times a second is plenty). */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborted when the user cancels; a reader checks it between pages or chapters. */
  signal?: AbortSignal;
}

/** `name` is the file's name (it names the file in every error). */
export type DocumentReader = (bytes: Uint8Array, name: string, options: ReadOptions) => Promise<ParsedDocument>;

/** The reason a cancelled import gives. */
export const CANCELLED = 'the import was cancelled';

/** Throws the cancellation ImportError when `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, name: string): void {
  if (signal?.aborted) throw new ImportError(name, CANCELLED, 'cancelled');
}
