/**
 * Opening the library file: pragmas, identity checks and migrations. A file that is not a Gloss
 * library (damaged, foreign, or from a newer Gloss) is never written to: opening throws a
 * LibraryOpenError that says why, and only `resetLibrary` (an explicit user request) moves it aside.
 *
 * Two more things are settled here, once, for every writer (the CLI, the browser host, Electron):
 *
 * - **Waiting for another process.** Several Gloss processes may share one library (the app, a
 *   `gloss import-annotations` in a terminal). Every write transaction begins IMMEDIATE, so a lock
 *   held by another process is met at BEGIN, before any of the transaction's code has run, and
 *   retrying it is always safe. A write that meets a lock calls `onWait` once (the CLI prints
 *   "waiting for another Gloss process…") and keeps trying for up to `lockTimeoutMs` (60 s by
 *   default); only then does it fail, with a `LibraryBusyError` that says so, never SQLite's
 *   "database is locked". Long writes commit in batches (`commitInBatches`) with a pause between
 *   batches in which waiting writers get in.
 * - **Read-only libraries.** A library in a folder or file Gloss may not write is named as such
 *   (`LibraryReadOnlyError`: the path and what to do), never called damaged; it can still be opened
 *   with `readonly: true` for reading, and a write on it fails with the same clear error.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GlossError } from '../../common/api.js';
import { LATEST_VERSION, migrations } from './migrations.js';

/** 'GLSS': marks a SQLite file as a Gloss library. */
export const APPLICATION_ID = 0x474c5353;
export const DB_FILE_NAME = 'gloss.sqlite';

export type LibraryOpenProblem = 'damaged' | 'foreign' | 'newer';

export class LibraryOpenError extends Error {
  constructor(
    readonly file: string,
    readonly problem: LibraryOpenProblem,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'LibraryOpenError';
  }
}

/**
 * The library cannot be written: its folder or file is read-only (permissions, a read-only disk).
 * Not damage: the message names the path and what to do, and nothing suggests resetting it.
 */
export class LibraryReadOnlyError extends GlossError {
  constructor(
    /** The path that is read-only: the data folder or the library file. */
    readonly path: string,
    readonly what: 'folder' | 'file',
    /** What was being attempted, for the message ("this command needs to write"). */
    doing = 'Gloss needs to write to it',
  ) {
    super(
      `the library ${what === 'folder' ? 'folder' : 'file'} ${path} is read-only, and ${doing}. ` +
        `Make it writable (for example: chmod u+w '${path}'${what === 'file' ? ` and its folder` : ''}), or use another library with --data DIR. ` +
        `Commands that only read (list, show, annotations, search, export) work on it as it is.`,
      'library-read-only',
      { path, what },
    );
    this.name = 'LibraryReadOnlyError';
  }
}

/** Another Gloss process held the library's write lock for longer than the bound. Nothing was written. */
export class LibraryBusyError extends GlossError {
  constructor(
    readonly file: string,
    readonly waitedMs: number,
  ) {
    super(
      `the library ${file} stayed locked by another Gloss process for ${Math.round(waitedMs / 1000)} s, so nothing was written. ` +
        `Try again when the other process (an import, the app) has finished.`,
      'library-busy',
      { file, seconds: Math.round(waitedMs / 1000) },
    );
    this.name = 'LibraryBusyError';
  }
}

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron's differs from Node's). */
  nativeBinding?: string;
  readonly?: boolean;
  /**
   * Called once per write that has to wait for another process's lock, when the wait begins
   * (the CLI prints "waiting for another Gloss process…" on stderr).
   */
  onWait?: (file: string) => void;
  /** How long a write keeps trying before it fails with LibraryBusyError (default 60 s). */
  lockTimeoutMs?: number;
}

/** The bound on waiting for another process's lock (stated in the README and the CLI's message). */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
/**
 * SQLite's own busy handler waits in slices this long before the retry loop runs again (and, on
 * the first slice, tells the user). Inside a slice SQLite tries again after 1, 2, 5, 10, 15, 20, 25
 * and 25 ms, so a waiting writer never sleeps more than 25 ms between tries: a pause of 30 ms
 * between two batches of a long write (`BATCH_PAUSE_MS`) always lets it in.
 */
const BUSY_SLICE_MS = 100;
export const BATCH_PAUSE_MS = 30;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new GlossError(`the library file ${file} cannot be read (permission denied). Give your user read and write access to it (chmod u+rw '${file}'), or use another library with --data DIR.`, 'library-unreadable', { file });
    }
    throw e;
  }
  try {
    const { size } = fs.fstatSync(fd);
    if (size === 0) return;
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n < 16 || !head.equals(SQLITE_HEADER)) {
      throw new LibraryOpenError(file, 'damaged', 'is not an SQLite database (damaged, or some other kind of file)');
    }
  } finally {
    fs.closeSync(fd);
  }
}

const canWrite = (p: string): boolean => {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch (e) {
    // A path that is not there is not read-only; whoever makes it will say why it failed.
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
};

/** The read-only part of a library's place, if any: its folder (SQLite writes its -wal and -shm files there) or the file. */
export function readOnlyPart(file: string): { path: string; what: 'folder' | 'file' } | undefined {
  const dir = path.dirname(file);
  if (fs.existsSync(dir) && !canWrite(dir)) return { path: dir, what: 'folder' };
  if (fs.existsSync(file) && !canWrite(file)) return { path: file, what: 'file' };
  return undefined;
}

const isBusy = (e: unknown): boolean => typeof (e as { code?: unknown })?.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test((e as { code: string }).code);
const isReadOnly = (e: unknown): boolean => typeof (e as { code?: unknown })?.code === 'string' && /^SQLITE_(READONLY|CANTOPEN)/.test((e as { code: string }).code);

/** Blocks the thread (a write is synchronous, as better-sqlite3 is). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface Guard {
  /** Runs one write, waiting for another process's lock up to the bound; `started` says whether the write's own code began. */
  write<T>(run: () => T, started?: () => boolean): T;
}

function makeGuard(db: Db, file: string, options: OpenOptions): Guard {
  const bound = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return {
    write(run, started = () => false) {
      const t0 = Date.now();
      let told = false;
      for (;;) {
        try {
          return run();
        } catch (e) {
          if (isReadOnly(e)) {
            const part = readOnlyPart(file) ?? { path: file, what: 'file' as const };
            throw new LibraryReadOnlyError(part.path, part.what, 'this needs to write to it; nothing was changed');
          }
          // A lock met after the write's code began cannot be retried safely (it may have done
          // other things); with BEGIN IMMEDIATE this does not happen, but say so plainly if it does.
          if (!isBusy(e) || started()) {
            if (isBusy(e)) throw new LibraryBusyError(file, Date.now() - t0);
            throw e;
          }
          const waited = Date.now() - t0;
          if (waited >= bound) throw new LibraryBusyError(file, waited);
          if (!told) {
            told = true;
            options.onWait?.(file);
          }
          // SQLite waited a slice already, unless the lock was refused at once (a stale snapshot).
          if (waited < 5) sleep(10);
        }
      }
    },
  };
}

/**
 * Makes every write on `db` wait for other processes' locks (see the module comment): outermost
 * transactions begin IMMEDIATE and are retried while BEGIN is refused; single writing statements
 * outside a transaction are retried likewise (a statement that failed to get the lock did nothing).
 */
function guardWrites(db: Db, guard: Guard): void {
  type Txn = ((...args: unknown[]) => unknown) & { deferred: Txn; immediate: Txn; exclusive: Txn; default: Txn };
  const transaction = db.transaction.bind(db) as unknown as (fn: (...args: unknown[]) => unknown) => Txn;
  const wrapTxn = (fn: (...args: unknown[]) => unknown): Txn => {
    let entered = false;
    const inner = transaction(function (this: unknown, ...args: unknown[]) {
      entered = true;
      return fn.apply(this, args);
    });
    const variant = (pick: (t: Txn) => Txn) =>
      function (this: unknown, ...args: unknown[]) {
        // Nested: a savepoint inside the outer transaction, which already holds the lock.
        if (db.inTransaction) return pick(inner).apply(this, args);
        entered = false;
        return guard.write(
          () => pick(inner).apply(this, args),
          () => entered,
        );
      };
    // A read-only connection cannot BEGIN IMMEDIATE; it never writes, so deferred is right there.
    const wrapped = variant((t) => (db.readonly ? t.deferred : t.immediate)) as Txn;
    wrapped.deferred = variant((t) => t.deferred) as Txn;
    wrapped.immediate = variant((t) => t.immediate) as Txn;
    wrapped.exclusive = variant((t) => t.exclusive) as Txn;
    wrapped.default = wrapped;
    return wrapped;
  };
  (db as unknown as { transaction: unknown }).transaction = wrapTxn;

  const prepare = db.prepare.bind(db) as (sql: string) => { reader: boolean; run: (...args: unknown[]) => unknown };
  (db as unknown as { prepare: unknown }).prepare = (sql: string) => {
    const statement = prepare(sql);
    if (!statement.reader) {
      const run = statement.run;
      statement.run = (...args: unknown[]) => (db.inTransaction ? run.apply(statement, args) : guard.write(() => run.apply(statement, args)));
    }
    return statement;
  };
}

/** Opens (creating when absent) and migrates a library database file. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  checkHeader(file);
  const readonly = options.readonly ?? false;
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new LibraryReadOnlyError((e as NodeJS.ErrnoException).path ?? dir, 'folder', 'the library folder cannot be made there');
    throw e;
  }
  const readOnly = readOnlyPart(file);
  if (readOnly && !readonly) throw new LibraryReadOnlyError(readOnly.path, readOnly.what);
  if (readonly && !fs.existsSync(file)) {
    throw new GlossError(`there is no library at ${file} yet${readOnly ? `, and its folder is read-only so none can be made there` : ''}. Use --data DIR to name a folder that holds one.`, 'library-missing', { file });
  }
  const nativeBinding = options.nativeBinding ?? process.env.GLOSS_SQLITE_BINDING;
  // In a read-only folder SQLite cannot make the -shm file a WAL library is read through; read a
  // private copy instead (the library cannot change under us: nobody here may write it).
  const source = readonly && readOnly?.what === 'folder' && !fs.existsSync(`${file}-shm`) ? snapshot(file) : file;
  let db: Db;
  try {
    db = new Database(source, { ...(nativeBinding ? { nativeBinding } : {}), readonly, timeout: BUSY_SLICE_MS });
  } catch (e) {
    if (isReadOnly(e)) throw new LibraryReadOnlyError(readOnlyPart(file)?.path ?? file, readOnlyPart(file)?.what ?? 'file');
    throw new LibraryOpenError(file, 'damaged', `cannot be opened as a database (${(e as Error).message})`);
  }
  try {
    const guard = makeGuard(db, file, options);
    const version = guard.write(() => verifyIdentity(db, file));
    if (readonly && (version ?? 0) < LATEST_VERSION) {
      const part = readOnlyPart(file) ?? { path: file, what: 'file' as const };
      const why = version === undefined ? 'the library is new and empty, and making it needs writing' : `the library is in an older format (version ${version}) that this Gloss must upgrade, which needs writing`;
      throw new LibraryReadOnlyError(part.path, part.what, why);
    }
    if (!readonly) {
      guard.write(() => db.pragma('journal_mode = WAL'));
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    guardWrites(db, guard);
    if (!readonly) migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** A private copy of a library (and its WAL, if any) in the temporary folder, removed when the process ends. */
function snapshot(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-readonly-'));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return copy;
}

/** Checks that the file is a Gloss library (or new and empty); returns its schema version, undefined when new. */
function verifyIdentity(db: Db, file: string): number | undefined {
  let appId: number;
  let version: number;
  let tableCount: number;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new Error(check);
  } catch (e) {
    // Locks and permissions are not damage: let the caller wait, or say the path is read-only.
    if (isBusy(e) || isReadOnly(e)) throw e;
    throw new LibraryOpenError(file, 'damaged', `is damaged (${(e as Error).message})`);
  }
  if (appId === 0 && tableCount === 0) return undefined; // a new, empty file
  if (appId !== APPLICATION_ID) {
    throw new LibraryOpenError(file, 'foreign', 'is an SQLite database of some other program, not a Gloss library');
  }
  if (version > LATEST_VERSION) {
    throw new LibraryOpenError(
      file,
      'newer',
      `was written by a newer Gloss (schema version ${version}; this Gloss knows up to ${LATEST_VERSION}). Update Gloss to open it; it is left as it is.`,
    );
  }
  return version;
}

/** Runs every migration above the file's version, each in its own transaction. */
export function migrate(db: Db, upTo: number = LATEST_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      // Another process may have run this step while we waited for the lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      m.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export interface BatchOptions {
  /** At most this many items in one transaction (default 1,000). */
  maxItems?: number;
  /** A batch commits once it has run this long (default 500 ms), so another process never waits much longer. */
  maxMs?: number;
  /** Pause between batches, in which other processes' waiting writes get the lock (default BATCH_PAUSE_MS). */
  pauseMs?: number;
  /** After each commit: how many items are committed in all. */
  onCommit?: (committed: number) => void;
}

/**
 * A long write (100,000 imported annotations) as a series of transactions, so that it never holds
 * the library's lock for long: each batch commits whole or not at all (a SIGKILL loses at most the
 * batch in progress and never leaves half of one), and between batches the lock is free for
 * `pauseMs`, long enough for any waiting writer in another process to get in. `step` is called once
 * per item, in order, inside the batch's transaction. Returns the number of items written.
 *
 * The caller makes the whole run resumable by making `step` idempotent (the annotation import
 * merges by id: running it again after an interruption updates what the first run wrote).
 */
export function commitInBatches<T>(db: Db, items: Iterable<T>, step: (item: T, index: number) => void, options: BatchOptions = {}): number {
  const maxItems = options.maxItems ?? 1000;
  const maxMs = options.maxMs ?? 500;
  const pauseMs = options.pauseMs ?? BATCH_PAUSE_MS;
  const it = items[Symbol.iterator]();
  let next = it.next();
  let index = 0;
  const batch = db.transaction(() => {
    const t0 = Date.now();
    let n = 0;
    while (!next.done && n < maxItems && (n === 0 || Date.now() - t0 < maxMs)) {
      step(next.value, index);
      index++;
      n++;
      next = it.next();
    }
  });
  // Nested inside a caller's transaction there is no lock to hand over: run as one.
  if (db.inTransaction) {
    while (!next.done) batch();
    return index;
  }
  while (!next.done) {
    batch();
    options.onCommit?.(index);
    if (!next.done && pauseMs > 0) sleep(pauseMs);
  }
  return index;
}

/**
 * Runs `write` as `checkpointLater` does, then copies the log into the library file once the
 * current task is done: after the answer to the request that wrote has gone. For saves that
 * touch many pages (an edit near the start of a book moves every later block and highlight).
 */
export function checkpointAfter<T>(db: Db, write: () => T): T {
  const result = checkpointLater(db, write);
  setImmediate(() => {
    if (!db.open || db.inTransaction) return;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or read-only: the next commit's automatic checkpoint copies it.
    }
  });
  return result;
}

/**
 * Runs `write` (one transaction) with SQLite's automatic checkpoint off: its commit writes the
 * log and syncs it, as every commit does, but leaves copying the log into the library file to the
 * next commit (for a big import, the search indexer's first batch, moments later). The text is as
 * safe either way; the import answers without waiting for a second copy of a book.
 */
export function checkpointLater<T>(db: Db, write: () => T): T {
  const pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  if (pages <= 0) return write();
  db.pragma('wal_autocheckpoint = 0');
  try {
    return write();
  } finally {
    db.pragma(`wal_autocheckpoint = ${Math.trunc(pages)}`);
  }
}

/**
 * Moves a library file (and its WAL and shared-memory files) aside, so that a fresh library can
 * be made in its place. Only on the user's explicit request. Returns where the old file went.
 * A read-only folder is named as such (nothing is moved).
 */
export function setLibraryAside(file: string, now: Date = new Date()): string {
  if (!fs.existsSync(file)) throw new GlossError(`there is no library file at ${file}, so there is nothing to set aside`, 'library-missing', { file });
  const readOnly = readOnlyPart(file);
  if (readOnly?.what === 'folder') throw new LibraryReadOnlyError(readOnly.path, 'folder', 'setting the library aside means renaming a file in it; nothing was changed');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.${stamp}.aside`;
  try {
    fs.renameSync(file, aside);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new LibraryReadOnlyError(path.dirname(file), 'folder', 'setting the library aside means renaming a file in it');
    throw e;
  }
  return aside;
}
