/**
 * The desk's undo history (Mod+Z, Mod+Shift+Z, Mod+Y): the links made and removed there, in order.
 * A link made between passages that were not highlighted yet made their highlights first, through
 * each text's session (`DocumentSession.create`, recorded in that session's history); undoing it
 * undoes those creates through the sessions (each a delete, which takes the link with it: the
 * store's cascade), and redoing it redoes them (each an undelete, whose tombstone brings the link
 * back). Only a link between highlights that were there already, and a removed link, are undone
 * and redone here with the link verbs. The highlights themselves are the sessions' alone: what is
 * drawn follows their events.
 */
import type { GlossApi } from '../../common/api.js';
import type { DocumentSession } from '../session/document-session.js';
import type { Side } from './alignment-panel.js';

/** A highlight a desk command made in one text. */
export interface MadeHighlight {
  side: Side;
  id: string;
}

export type DeskStep =
  /** `made`: the highlights the link made for its passages, in the order made. `link`: null when making it failed after them. */
  | { kind: 'link'; made: MadeHighlight[]; link: { a: string; b: string } | null }
  | { kind: 'unlink'; link: { a: string; b: string } };

export type LinkApi = Pick<GlossApi, 'links.create' | 'links.delete'>;

export class DeskHistory {
  private readonly done: DeskStep[] = [];
  private readonly undone: DeskStep[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: LinkApi,
    private readonly sessions: Record<Side, DocumentSession>,
  ) {}

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** A step done on the desk; what was undone is forgotten. */
  record(step: DeskStep): void {
    this.done.push(step);
    this.undone.length = 0;
  }

  /** Takes a step out of the history (undone another way, as by a toast's Undo); false when it is not there. */
  forget(step: DeskStep): boolean {
    const at = this.done.lastIndexOf(step);
    if (at < 0) return false;
    this.done.splice(at, 1);
    return true;
  }

  /** Undoes the last step; null when there is none. A step that fails leaves the history. */
  undo(): Promise<DeskStep | null> {
    return this.move(this.done, this.undone, true);
  }

  /** Redoes the last step undone; null when there is none. */
  redo(): Promise<DeskStep | null> {
    return this.move(this.undone, this.done, false);
  }

  /** The last step of `from` applied (`backwards`: undone), then put on `to`. */
  private move(from: DeskStep[], to: DeskStep[], backwards: boolean): Promise<DeskStep | null> {
    return this.run(async () => {
      const step = from.pop();
      if (!step) return null;
      await this.apply(step, backwards);
      to.push(step);
      return step;
    });
  }

  private run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async apply(step: DeskStep, backwards: boolean): Promise<void> {
    if (step.kind === 'link' && step.made.length > 0) {
      const order = backwards ? [...step.made].reverse() : step.made;
      for (const { side, id } of order) {
        const session = this.sessions[side];
        const out = backwards ? await session.undo() : await session.redo();
        // The sessions record only what the desk made, so their last step is this highlight's.
        if (out?.kind !== 'create' || out.annotation?.id !== id) throw new Error(`The ${side} text's history is not the desk's (expected ${id})`);
      }
      return;
    }
    if (!step.link) return;
    const linking = (step.kind === 'link') !== backwards;
    if (linking) await this.api['links.create'](step.link);
    else await this.api['links.delete'](step.link);
  }
}
