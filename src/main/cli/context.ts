/** What every command gets: where the library is, how to print, and the library itself (opened lazily). */
import { Library } from '../library.js';
import { seedsDir } from '../paths.js';

export interface CliContext {
  dataDir: string;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Opens the library; on a library that never held anything, imports the sample library first. */
  library(options?: { seed?: boolean }): Library;
  print(line?: string): void;
  printJson(value: unknown): void;
  warn(line: string): void;
  close(): void;
}

export function createContext(dataDir: string, json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): CliContext {
  let lib: Library | undefined;
  const ctx: CliContext = {
    dataDir,
    json,
    stdout,
    stderr,
    library({ seed = true } = {}) {
      if (!lib) {
        lib = Library.open(dataDir);
        if (seed && !process.env.GLOSS_NO_SEED) {
          const seeded = lib.seedIfEmpty(seedsDir());
          if (seeded.length > 0 && !json) ctx.warn(`First run: imported the sample library (${seeded.filter((s) => s.status === 'imported').length} documents) into ${dataDir}`);
        }
      }
      return lib;
    },
    print: (line = '') => void stdout.write(line + '\n'),
    printJson: (value) => void stdout.write(JSON.stringify(value, null, 2) + '\n'),
    warn: (line) => void stderr.write(line + '\n'),
    close: () => lib?.close(),
  };
  return ctx;
}
