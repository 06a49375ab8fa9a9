/**
 * The team server's own file, `team.sqlite` in its data folder: the documents' Yjs state and the
 * members. Not a Gloss library: a separate simple file.
 *
 * Durability: every update a document takes is appended to `updates` (group commit: the updates
 * of one turn of the event loop in one transaction, one fsync), and the server acknowledges a
 * client's update only once `committed()` has resolved. A SIGKILL, or a power cut
 * (`synchronous = FULL`), then loses nothing that was acknowledged. Hocuspocus's debounced store
 * (through @hocuspocus/extension-database) compacts: the snapshot and every appended row are
 * merged into one row, in one transaction, so rows appended by another instance sharing the file
 * are never dropped.
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';

export const TEAM_DB_FILE = 'team.sqlite';

export interface Member {
  name: string;
  readOnly: boolean;
  created: string;
}

/** A member name: letters, digits, spaces and `._-`, up to 64 characters, starting with a letter or digit. */
const MEMBER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._-]{0,63}$/u;

export class TeamStoreError extends Error {}

export function checkMemberName(name: string): string {
  const n = name.normalize('NFC').trim();
  if (!MEMBER_NAME.test(n)) {
    throw new TeamStoreError(`member name "${name}" is not allowed: use 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit`);
  }
  return n;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares two secrets in constant time (their SHA-256 digests, so lengths need not match). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export class TeamStore {
  readonly db: Db;
  /** This process's mark on the rows it appends: its own rows are always in its documents' state. */
  private readonly instance = randomUUID();
  /** The snapshot version each document was loaded from or last compacted to, by this instance. */
  private readonly versions = new Map<string, string>();
  private readonly q: Record<'snapshot' | 'rows' | 'append' | 'upsert' | 'dropRows' | 'memberByHash' | 'members' | 'addMember' | 'removeMember', Statement>;

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, TEAM_DB_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL, updated TEXT NOT NULL, version TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, data BLOB NOT NULL, instance TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS updates_name ON updates(name, id);
      CREATE TABLE IF NOT EXISTS members (
        name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('write', 'read')), created TEXT NOT NULL);
    `);
    this.q = {
      snapshot: this.db.prepare('SELECT data, version FROM documents WHERE name = ?'),
      rows: this.db.prepare('SELECT id, data, instance FROM updates WHERE name = ? ORDER BY id'),
      append: this.db.prepare('INSERT INTO updates (name, data, instance) VALUES (?, ?, ?)'),
      upsert: this.db.prepare(
        'INSERT INTO documents (name, data, updated, version) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data, updated = excluded.updated, version = excluded.version',
      ),
      dropRows: this.db.prepare('DELETE FROM updates WHERE name = ? AND id <= ?'),
      memberByHash: this.db.prepare('SELECT name, role, created FROM members WHERE token_hash = ?'),
      members: this.db.prepare('SELECT name, role, created FROM members ORDER BY name'),
      addMember: this.db.prepare('INSERT INTO members (name, token_hash, role, created) VALUES (?, ?, ?, ?)'),
      removeMember: this.db.prepare('DELETE FROM members WHERE name = ?'),
    };
  }

  /** A document's stored state (snapshot and appended updates merged), or null when it was never written. */
  load(name: string): Uint8Array | null {
    this.flush();
    const snapshot = this.q.snapshot.get(name) as { data: Buffer; version: string } | undefined;
    if (snapshot) this.versions.set(name, snapshot.version);
    const rows = this.q.rows.all(name) as { data: Buffer }[];
    const parts = [...(snapshot ? [snapshot.data] : []), ...rows.map((r) => r.data)];
    if (parts.length === 0) return null;
    return parts.length === 1 ? new Uint8Array(parts[0]!) : Y.mergeUpdates(parts.map((p) => new Uint8Array(p)));
  }

  private batch: { rows: [string, Uint8Array][]; done: Promise<void>; resolve(): void; reject(e: unknown): void } | null = null;

  /** Queues an update for the next group commit. */
  append(name: string, update: Uint8Array): void {
    if (!this.batch) {
      let resolve = () => {};
      let reject: (e: unknown) => void = () => {};
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      done.catch(() => {}); // reported to whoever awaits committed(); nobody else must crash on it
      this.batch = { rows: [], done, resolve, reject };
      setImmediate(() => this.flush());
    }
    this.batch.rows.push([name, update]);
  }

  /** Resolves once every update appended so far is on disk. */
  committed(): Promise<void> {
    return this.batch?.done ?? Promise.resolve();
  }

  /** Writes the queued updates in one transaction. */
  flush(): void {
    const b = this.batch;
    if (!b) return;
    this.batch = null;
    try {
      this.db.transaction(() => {
        for (const [name, u] of b.rows) this.q.append.run(name, Buffer.from(u.buffer, u.byteOffset, u.byteLength), this.instance);
      })();
      b.resolve();
    } catch (e) {
      b.reject(e);
    }
  }

  /**
   * Makes `state` (the document as this instance holds it) the snapshot and drops the appended rows.
   * What `state` may lack is merged in: rows another instance appended, and a snapshot another
   * instance wrote since this one read or wrote it. Alone on its file, an instance merges nothing
   * (merging thousands of rows into a large document at every store was the server's biggest cost).
   */
  compact(name: string, state: Uint8Array): void {
    this.flush();
    this.db
      .transaction(() => {
        const snapshot = this.q.snapshot.get(name) as { data: Buffer; version: string } | undefined;
        const rows = this.q.rows.all(name) as { id: number; data: Buffer; instance: string }[];
        const parts = [state];
        if (snapshot && snapshot.version !== this.versions.get(name)) parts.push(new Uint8Array(snapshot.data));
        for (const r of rows) if (r.instance !== this.instance) parts.push(new Uint8Array(r.data));
        const version = randomUUID();
        this.q.upsert.run(name, Buffer.from(parts.length === 1 ? state : Y.mergeUpdates(parts)), new Date().toISOString(), version);
        this.versions.set(name, version);
        if (rows.length > 0) this.q.dropRows.run(name, rows[rows.length - 1]!.id);
      })
      .immediate();
  }

  /** Adds a member and returns their token (shown once; only its SHA-256 is kept). */
  addMember(name: string, readOnly: boolean): string {
    const n = checkMemberName(name);
    if (this.members().some((m) => m.name === n)) throw new TeamStoreError(`there is already a member named "${n}" (remove them first to give a new token)`);
    const token = randomBytes(24).toString('hex'); // hex: a token never starts with '-', which a command line would read as an option
    this.q.addMember.run(n, hashToken(token), readOnly ? 'read' : 'write', new Date().toISOString());
    return token;
  }

  members(): Member[] {
    return (this.q.members.all() as { name: string; role: string; created: string }[]).map((r) => ({ name: r.name, readOnly: r.role === 'read', created: r.created }));
  }

  removeMember(name: string): boolean {
    return this.q.removeMember.run(name.normalize('NFC').trim()).changes > 0;
  }

  memberByToken(token: string): Member | undefined {
    const r = this.q.memberByHash.get(hashToken(token)) as { name: string; role: string; created: string } | undefined;
    return r && { name: r.name, readOnly: r.role === 'read', created: r.created };
  }

  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }
}
