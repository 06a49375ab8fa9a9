/**
 * The Yjs documents a library keeps for its team, loaded from and saved to its own SQLite file
 * (`team_docs`), and the origins that keep local writes apart from what the server sends.
 * An update made under LOCAL is recorded as pending in the same SQLite transaction as the state
 * it produced, so a local change is never in one without the other.
 */
import type { Database } from 'better-sqlite3';
import * as Y from 'yjs';
import { addPending, docState, saveDocState } from '../store/team.js';

/** Origin of changes read from this library's rows: they become pending updates. */
export const LOCAL = 'gloss-local';
/** Origin of the state read back from SQLite at start. */
const LOADED = 'gloss-loaded';

export class TeamDocs {
  private readonly docs = new Map<string, Y.Doc>();
  private readonly local = new Map<string, Uint8Array[]>();
  /** Docs whose state changed since they were last saved. */
  private readonly dirty = new Set<string>();
  /** How many updates came from elsewhere (the server), per doc, since the last `takeRemote`. */
  private readonly remote = new Map<string, number>();

  /** Docs whose state is not to be saved this session (their changes could not be applied). */
  private readonly held = new Set<string>();

  constructor(private readonly db: Database) {}

  /**
   * Keeps `name`'s state out of `flush`: what came for it could not be written into the rows
   * (a revision whose content has not arrived), so its saved state must stay the one the rows
   * match; the next session receives the same changes again.
   */
  hold(name: string): void {
    this.held.add(name);
  }

  unhold(name: string): void {
    this.held.delete(name);
  }

  isHeld(name: string): boolean {
    return this.held.has(name);
  }

  get(name: string): Y.Doc {
    let doc = this.docs.get(name);
    if (doc) return doc;
    doc = new Y.Doc();
    const state = docState(this.db, name);
    if (state) Y.applyUpdate(doc, state, LOADED);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.dirty.add(name);
      if (origin === LOCAL) {
        const list = this.local.get(name) ?? [];
        list.push(update);
        this.local.set(name, list);
      } else if (origin !== LOADED) {
        this.remote.set(name, (this.remote.get(name) ?? 0) + 1);
      }
    });
    this.docs.set(name, doc);
    return doc;
  }

  names(): string[] {
    return [...this.docs.keys()];
  }

  /** Runs `fn` on `name` as a local change. */
  change(name: string, fn: (doc: Y.Doc) => void): void {
    const doc = this.get(name);
    doc.transact(() => fn(doc), LOCAL);
  }

  /**
   * Writes what changed since the last flush: each local update as one pending row (merged per
   * doc) and each changed doc's state. The caller holds the SQLite transaction. Returns how many
   * pending rows were added.
   */
  flush(now: string): number {
    let added = 0;
    for (const [name, updates] of this.local) {
      if (updates.length === 0) continue;
      addPending(this.db, name, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), now);
      added++;
    }
    this.local.clear();
    for (const name of this.dirty) if (!this.held.has(name)) saveDocState(this.db, name, Y.encodeStateAsUpdate(this.docs.get(name)!), now);
    for (const name of [...this.dirty]) if (!this.held.has(name)) this.dirty.delete(name);
    return added;
  }

  /** Remote update counts since the last call, and resets them. */
  takeRemote(): Map<string, number> {
    const out = new Map(this.remote);
    this.remote.clear();
    return out;
  }

  destroy(): void {
    for (const d of this.docs.values()) d.destroy();
    this.docs.clear();
  }
}
