import type { ImportReason } from '../../common/errors.js';

/**
 * The one error every importer throws: which file, why it could not be imported in English (the
 * command line prints it, with its details), and the reason's code for the interface, which says
 * it in its own language (`importReasons.<why>`).
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly why: ImportReason = 'unreadable',
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImportError';
  }
}
