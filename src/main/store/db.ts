/**
 * Opening the library file: pragmas, identity checks and migrations. A file that is not a Gloss
 * library (damaged, foreign, or from a newer Gloss) is never written to: opening throws a
 * LibraryOpenError that says why, and only `resetLibrary` (an explicit user request) moves it aside.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
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

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron's differs from Node's). */
  nativeBinding?: string;
  readonly?: boolean;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
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

/** Opens (creating when absent) and migrates a library database file. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  checkHeader(file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const nativeBinding = options.nativeBinding ?? process.env.GLOSS_SQLITE_BINDING;
  let db: Db;
  try {
    db = new Database(file, { ...(nativeBinding ? { nativeBinding } : {}), readonly: options.readonly ?? false });
  } catch (e) {
    throw new LibraryOpenError(file, 'damaged', `cannot be opened as a database (${(e as Error).message})`);
  }
  try {
    verifyIdentity(db, file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function verifyIdentity(db: Db, file: string): void {
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
    throw new LibraryOpenError(file, 'damaged', `is damaged (${(e as Error).message})`);
  }
  if (appId === 0 && tableCount === 0) return; // a new, empty file
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
}

/** Runs every migration above the file's version, each in its own transaction. */
export function migrate(db: Db, upTo: number = LATEST_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/**
 * Moves a library file (and its WAL and shared-memory files) aside, so that a fresh library can
 * be made in its place. Only on the user's explicit request. Returns where the old file went.
 */
export function setLibraryAside(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.${stamp}.aside`;
  fs.renameSync(file, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}
