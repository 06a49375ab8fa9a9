/**
 * One open document's annotations, and the only copy of them in the renderer. Views (the reader's
 * sections or the edit view, the panel, the toolbar) never change an annotation themselves: they
 * call a command here, which goes through the API, updates the map, bumps the version and tells
 * every subscriber what changed. What they draw is what the events said.
 *
 * Commands run one after another (a recolour waits for the create it follows), and the ones a
 * reader makes are recorded for undo and redo, each undone through the API by its inverse: a
 * create by a delete, a delete by `annotations.undelete` (the store keeps a tombstone, so the
 * same id, tags, note and links come back), an update by an update with the earlier values.
 * Redoing a create is an undelete too, so an annotation keeps its id through any number of
 * undos and redos. Changes that came from edit mode's own history (`fromEditor`) and saves are
 * not recorded here: there the editor's history is the undo history.
 */
import type { GlossApi } from '../../common/api.js';
import type { Annotation, Color, DocumentFull } from '../../common/model.js';
import { canonicalText } from '../../common/text/canonical.js';

/** The verbs the session calls. */
export type SessionApi = Pick<GlossApi, 'annotations.create' | 'annotations.update' | 'annotations.delete' | 'annotations.undelete' | 'annotations.reattach'>;

export interface AnnotationChangeSet {
  color?: Color;
  tags?: string[];
  note?: string;
}

export interface NewAnnotation extends AnnotationChangeSet {
  start: number;
  end: number;
}

/**
 * Where a change came from, so that a view can leave alone what it already shows: edit mode's
 * marks are moved by the editor (`editor`, `saved`), and a re-attached passage is not a step of
 * its history (`reattach`).
 */
export type ChangeOrigin = 'load' | 'command' | 'undo' | 'redo' | 'reattach' | 'editor' | 'saved';

export interface SessionEvent {
  version: number;
  origin: ChangeOrigin;
  /** Everything was replaced (a load or reload): draw from `list()` rather than from the lists. */
  reset: boolean;
  added: readonly Annotation[];
  updated: readonly Annotation[];
  removed: readonly Annotation[];
  /** Each updated annotation as it was before. */
  previous: ReadonlyMap<string, Annotation>;
}

export type SessionListener = (event: SessionEvent) => void;

/** One step of the undo history. */
type Step =
  | { kind: 'create'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'update'; id: string; before: AnnotationChangeSet; after: AnnotationChangeSet };

/** What undo or redo did, for the reader to say and show. */
export interface HistoryOutcome {
  kind: Step['kind'];
  direction: 'undo' | 'redo';
  annotation: Annotation | null;
}

export class DocumentSession {
  private readonly map = new Map<string, Annotation>();
  /** The version at which each annotation last changed here (a save's answer must not undo it). */
  private readonly touched = new Map<string, number>();
  private ordered: Annotation[] | null = [];
  private readonly listeners = new Set<SessionListener>();
  private readonly undone: Step[] = [];
  private readonly done: Step[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private textCache: string | null = null;
  private closed = false;
  /** Commands are recorded for undo (off in edit mode, whose editor keeps the history). */
  recording = true;
  /** Bumped by every change. */
  version = 0;

  constructor(
    private readonly api: SessionApi,
    private doc: DocumentFull,
  ) {}

  get documentId(): number {
    return this.doc.id;
  }

  get document(): DocumentFull {
    return this.doc;
  }

  /** The canonical text (the blocks joined by `\n`), joined when first asked for. */
  text(): string {
    return (this.textCache ??= canonicalText(this.doc.blocks));
  }

  get(id: string): Annotation | undefined {
    return this.map.get(id);
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  get size(): number {
    return this.map.size;
  }

  /** Every annotation, in text order (start, end, created). */
  list(): readonly Annotation[] {
    if (!this.ordered) this.ordered = [...this.map.values()].sort(inTextOrder);
    return this.ordered;
  }

  /** Ids of the detached annotations (their words are gone). */
  detachedIds(): string[] {
    const out: string[] = [];
    for (const a of this.map.values()) if (a.status === 'orphaned') out.push(a.id);
    return out;
  }

  /** Commands under way (not yet answered). */
  get pending(): number {
    return this.inFlight;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The session's document is no longer shown: nothing more is emitted. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }

  // Loading -------------------------------------------------------------------------------------

  /**
   * The annotations as the library holds them now (the first load, or again after a tag rename
   * or an import elsewhere). Any made here meanwhile and missing from the list are kept. The undo
   * history is forgotten: its earlier values may name tags that are no more.
   */
  load(list: readonly Annotation[], keepMade = true): void {
    const made = keepMade ? [...this.map.values()] : [];
    this.map.clear();
    for (const a of list) this.map.set(a.id, a);
    for (const a of made) if (!this.map.has(a.id)) this.map.set(a.id, a);
    this.ordered = null;
    this.done.length = 0;
    this.undone.length = 0;
    this.emit({ origin: 'load', reset: true, added: [...this.map.values()], updated: [], removed: [], previous: new Map() });
  }

  /**
   * The whole of a document that was opened on its first section (`blocks`: all of them now;
   * `list`: its annotations, as asked for at opening, those already here among them). What changed
   * here after `since` (made, changed or deleted in the first section meanwhile) stays as it is;
   * the undo history is kept. Emitted as a load (`reset`): everything is drawn again from `list()`.
   */
  extend(list: readonly Annotation[], blocks: DocumentFull['blocks'], since: number): void {
    this.setBlocks(blocks);
    for (const a of list) if ((this.touched.get(a.id) ?? 0) <= since) this.map.set(a.id, a);
    this.ordered = null;
    this.emit({ origin: 'load', reset: true, added: [...this.map.values()], updated: [], removed: [], previous: new Map() });
  }

  /**
   * Annotations as a save returned them: `complete`, the document's whole list (any missing here
   * are gone); otherwise only those that changed. Only what differs is emitted. `since`: the
   * session's version when the save was sent; what changed here after it (a highlight made while
   * the save was under way) is newer than the answer and stays as it is.
   */
  absorb(list: readonly Annotation[], complete: boolean, blocks?: DocumentFull['blocks'], since = Infinity): void {
    if (blocks) this.setBlocks(blocks);
    const newer = (id: string) => (this.touched.get(id) ?? 0) > since;
    const added: Annotation[] = [];
    const updated: Annotation[] = [];
    const removed: Annotation[] = [];
    const previous = new Map<string, Annotation>();
    const seen = new Set<string>();
    for (const a of list) {
      seen.add(a.id);
      if (newer(a.id)) continue;
      const before = this.map.get(a.id);
      if (!before) added.push(a);
      else if (!same(before, a)) {
        updated.push(a);
        previous.set(a.id, before);
      } else continue;
      this.map.set(a.id, a);
    }
    if (complete) {
      for (const [id, a] of this.map) {
        if (seen.has(id) || newer(id)) continue;
        this.map.delete(id);
        removed.push(a);
      }
    }
    if (!added.length && !updated.length && !removed.length) return;
    this.ordered = null;
    this.emit({ origin: 'saved', reset: false, added, updated, removed, previous });
  }

  /**
   * Edit mode saved a span of the text (`documents.applyEdit`): the annotations starting at or
   * after `at` of the text before it moved by `delta`, as the library moved its own (it does not
   * send them back). Their order is unchanged, so nothing is redrawn, and the ordered list is
   * moved along rather than sorted again (checked in one pass; sorted again if it is not so).
   */
  shift(at: number, delta: number): void {
    if (!delta) return;
    const moved = (a: Annotation) => (a.start >= at ? { ...a, start: a.start + delta, end: a.end + delta } : a);
    if (!this.ordered) {
      for (const [id, a] of this.map) if (a.start >= at) this.map.set(id, moved(a));
      return;
    }
    const was = this.ordered;
    const ordered = was.map(moved);
    ordered.forEach((a, i) => void (a !== was[i] && this.map.set(a.id, a)));
    this.ordered = ordered.every((a, i) => i === 0 || inTextOrder(ordered[i - 1]!, a) <= 0) ? ordered : null;
  }

  /** The text changed (edit mode saved it): the canonical text is joined again when asked. */
  setBlocks(blocks: DocumentFull['blocks']): void {
    this.doc = { ...this.doc, blocks };
    this.textCache = null;
  }

  // Commands ------------------------------------------------------------------------------------

  create(input: NewAnnotation): Promise<Annotation> {
    return this.run(async () => {
      const a = await this.api['annotations.create']({ documentId: this.doc.id, ...input });
      this.put(a, 'command');
      this.record({ kind: 'create', id: a.id });
      return a;
    });
  }

  /** Changes colour, tags or note; `origin` 'editor' when edit mode's history did it. */
  update(id: string, change: AnnotationChangeSet, origin: 'command' | 'editor' = 'command'): Promise<Annotation> {
    return this.run(async () => {
      const before = this.map.get(id);
      const a = await this.api['annotations.update']({ id, ...change });
      this.put(a, origin);
      if (before && origin === 'command') this.recordUpdate(id, pick(before, change), change);
      return a;
    });
  }

  recolor(id: string, color: Color): Promise<Annotation> {
    return this.update(id, { color });
  }

  tag(id: string, tags: string[]): Promise<Annotation> {
    return this.update(id, { tags });
  }

  /** Deletes (a tombstone is kept: undo brings it back). */
  delete(id: string, origin: 'command' | 'editor' = 'command'): Promise<Annotation> {
    return this.run(async () => {
      const gone = await this.api['annotations.delete']({ id });
      this.drop(id, origin);
      if (origin === 'command') this.record({ kind: 'delete', id });
      return gone;
    });
  }

  /**
   * Brings back a deleted annotation (the Undo of a "deleted" message): the last step when it is
   * that deletion, else that deletion alone, taken out of the history.
   */
  restore(id: string): Promise<Annotation> {
    return this.run(async () => {
      const a = await this.api['annotations.undelete']({ id });
      let at = this.done.length - 1;
      while (at >= 0 && !(this.done[at]!.kind === 'delete' && this.done[at]!.id === id)) at--;
      if (at >= 0) {
        const [step] = this.done.splice(at, 1);
        // The last step undone is the one redo does again; an earlier one just leaves the history.
        if (at === this.done.length) this.undone.push(step!);
      }
      this.put(a, 'undo');
      return a;
    });
  }

  /**
   * Edit mode's undo or redo brought a highlight back at `range` of the editor's text, which the
   * library holds (the caller saved first): the tombstone comes back, and is put on exactly that
   * range when the library placed its quote elsewhere.
   */
  returned(id: string, range: { start: number; end: number }): Promise<Annotation> {
    return this.run(async () => {
      if (this.map.has(id)) return this.map.get(id)!;
      let a = await this.api['annotations.undelete']({ id });
      if (a.status !== 'anchored' || a.start !== range.start || a.end !== range.end) {
        a = await this.api['annotations.reattach']({ id, start: range.start, end: range.end });
      }
      this.put(a, 'editor');
      return a;
    });
  }

  /** Puts a detached annotation on a new passage (not recorded: there is no detaching verb). */
  reattach(id: string, range: { start: number; end: number }): Promise<Annotation> {
    return this.run(async () => {
      const a = await this.api['annotations.reattach']({ id, ...range });
      this.put(a, 'reattach');
      return a;
    });
  }

  /** Undoes the last recorded command; null when there is none. */
  undo(): Promise<HistoryOutcome | null> {
    return this.run(async () => {
      const step = this.done.pop();
      if (!step) return null;
      const annotation = await this.invert(step, 'undo');
      this.undone.push(step);
      return { kind: step.kind, direction: 'undo', annotation };
    });
  }

  /** Redoes the last undone command; null when there is none. */
  redo(): Promise<HistoryOutcome | null> {
    return this.run(async () => {
      const step = this.undone.pop();
      if (!step) return null;
      const annotation = await this.invert(step, 'redo');
      this.done.push(step);
      return { kind: step.kind, direction: 'redo', annotation };
    });
  }

  /** Resolves when every command asked for so far has been answered. */
  settled(): Promise<void> {
    return this.tail.then(
      () => undefined,
      () => undefined,
    );
  }

  // Inside ---------------------------------------------------------------------------------------

  /** Runs a step's inverse (undo) or the step again (redo); a failed one is dropped from history. */
  private async invert(step: Step, direction: 'undo' | 'redo'): Promise<Annotation | null> {
    const origin = direction;
    const backwards = direction === 'undo';
    if (step.kind === 'update') {
      const a = await this.api['annotations.update']({ id: step.id, ...(backwards ? step.before : step.after) });
      this.put(a, origin);
      return a;
    }
    // Undoing a create or redoing a delete deletes; the other two bring the tombstone back.
    if ((step.kind === 'create') === backwards) {
      const gone = await this.api['annotations.delete']({ id: step.id });
      this.drop(step.id, origin);
      return gone;
    }
    const a = await this.api['annotations.undelete']({ id: step.id });
    this.put(a, origin);
    return a;
  }

  private run<T>(job: () => Promise<T>): Promise<T> {
    this.inFlight++;
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => (this.inFlight--, undefined),
      () => (this.inFlight--, undefined),
    );
    return result;
  }

  private record(step: Step): void {
    if (!this.recording) return;
    this.done.push(step);
    this.undone.length = 0;
  }

  /**
   * A note is saved as it is typed (after each pause): consecutive saves of one annotation's note
   * are one step, so that one undo takes the whole note back.
   */
  private recordUpdate(id: string, before: AnnotationChangeSet, after: AnnotationChangeSet): void {
    const last = this.done[this.done.length - 1];
    const noteOnly = (c: AnnotationChangeSet) => Object.keys(c).length === 1 && c.note !== undefined;
    if (this.recording && this.undone.length === 0 && last?.kind === 'update' && last.id === id && noteOnly(last.after) && noteOnly(after)) {
      last.after = after;
      return;
    }
    this.record({ kind: 'update', id, before, after });
  }

  private put(a: Annotation, origin: ChangeOrigin): void {
    if (a.documentId !== this.doc.id) return;
    const before = this.map.get(a.id);
    this.map.set(a.id, a);
    this.place(before, a);
    if (before) this.emit({ origin, reset: false, added: [], updated: [a], removed: [], previous: new Map([[a.id, before]]) });
    else this.emit({ origin, reset: false, added: [a], updated: [], removed: [], previous: new Map() });
  }

  private drop(id: string, origin: ChangeOrigin): void {
    const before = this.map.get(id);
    if (!before) return;
    this.map.delete(id);
    this.place(before, null);
    this.emit({ origin, reset: false, added: [], updated: [], removed: [before], previous: new Map() });
  }

  /** Keeps the text-order list in step with one change, without sorting it again. */
  private place(before: Annotation | undefined, after: Annotation | null): void {
    const list = this.ordered;
    if (!list) return;
    if (before) {
      const at = list.indexOf(before);
      if (at >= 0) list.splice(at, 1);
    }
    if (after) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (inTextOrder(list[mid]!, after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      list.splice(lo, 0, after);
    }
  }

  private emit(change: Omit<SessionEvent, 'version'>): void {
    this.version++;
    if (!change.reset) for (const a of [...change.added, ...change.updated, ...change.removed]) this.touched.set(a.id, this.version);
    if (this.closed) return;
    const event: SessionEvent = { version: this.version, ...change };
    for (const listener of [...this.listeners]) listener(event);
  }
}

/** The fields a change touches, as they were. */
function pick(a: Annotation, change: AnnotationChangeSet): AnnotationChangeSet {
  const out: AnnotationChangeSet = {};
  if (change.color !== undefined) out.color = a.color;
  if (change.tags !== undefined) out.tags = [...a.tags];
  if (change.note !== undefined) out.note = a.note;
  return out;
}

function same(a: Annotation, b: Annotation): boolean {
  return a.start === b.start && a.end === b.end && a.modified === b.modified && sameContent(a, b);
}

/** The same status, colour, note, quote and tags, wherever each is and whenever it changed. */
export function sameContent(a: Annotation, b: Annotation): boolean {
  return a.status === b.status && a.color === b.color && a.note === b.note && a.exact === b.exact && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]);
}

export function inTextOrder(a: Annotation, b: Annotation): number {
  return a.start - b.start || a.end - b.end || a.created.localeCompare(b.created);
}
