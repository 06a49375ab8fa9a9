/** What every command gets: where the library is, how to print, and the library itself (opened lazily). */
import type { Handlers } from '../../common/api.js';
import { Library } from '../library.js';
import { seedsDir } from '../paths.js';
import { DEFAULT_LOCK_TIMEOUT_MS, LibraryReadOnlyError } from '../store/db.js';
import { cleanLine, jsonForTerminal } from './terminal.js';

export interface CliContext {
  dataDir: string;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /**
   * Opens the library; on a library that never held anything, imports the sample library first.
   * A library Gloss may not write (a read-only folder or file) is opened for reading, with a
   * note on stderr: reading commands work, and a write fails with a message naming the path.
   */
  library(options?: { seed?: boolean }): Library;
  /** The handler table commands call (`client.ts`); by default `createHandlers` over the library. */
  handlers?: (library: Library) => Handlers;
  /** Prints a line on stdout, control characters escaped (see terminal.ts). */
  print(line?: string): void;
  printJson(value: unknown): void;
  /** Prints a line on stderr, control characters escaped. Text from files goes through terminal.ts's `isolate` first. */
  warn(line: string): void;
  close(): void;
}

export function createContext(
  dataDir: string,
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  handlers?: (library: Library) => Handlers,
): CliContext {
  let lib: Library | undefined;
  let toldWaiting = false;
  // Said once per run, however many writes wait: the user needs to know why nothing happens.
  const onWait = () => {
    if (toldWaiting) return;
    toldWaiting = true;
    ctx.warn(`waiting for another Gloss process… (it is writing to the library; Gloss waits up to ${DEFAULT_LOCK_TIMEOUT_MS / 1000} s)`);
  };
  const ctx: CliContext = {
    dataDir,
    json,
    stdout,
    stderr,
    library({ seed = true } = {}) {
      if (!lib) {
        try {
          lib = Library.open(dataDir, { onWait, inlineTextBytes: Infinity });
        } catch (e) {
          if (!(e instanceof LibraryReadOnlyError)) throw e;
          // Reading needs no writing: open it read-only, and say why a write would fail.
          lib = Library.open(dataDir, { readonly: true });
          if (!json) ctx.warn(`note: ${e.path} is read-only, so this library is opened for reading only.`);
          return lib;
        }
        if (seed && !process.env.GLOSS_NO_SEED) {
          const seeded = lib.seedIfEmpty(seedsDir());
          if (seeded.length > 0 && !json) ctx.warn(`First run: imported the sample library (${seeded.filter((s) => s.status === 'imported').length} documents) into ${dataDir}`);
        }
      }
      return lib;
    },
    print: (line = '') => void stdout.write(cleanLine(line) + '\n'),
    printJson: (value) => void stdout.write(jsonForTerminal(value) + '\n'),
    warn: (line) => void stderr.write(cleanLine(line) + '\n'),
    close: () => lib?.close(),
    ...(handlers ? { handlers } : {}),
  };
  return ctx;
}
