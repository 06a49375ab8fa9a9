/**
 * Test-only: what `bench/ui.ts` drives, installed only when the page was opened with `bench` in
 * its hash (`#doc=2&bench`), never in normal use. Each measure runs inside the page, so no
 * round trip to the benchmark process is counted.
 */
import type { EditorView } from 'prosemirror-view';
import type { ReaderView } from './reader-view.js';

export interface GlossBench {
  /**
   * Inserts `count` characters one transaction at a time into the paragraph at `offset`, each a
   * frame apart, and returns each one's cost: the transaction, the view's update and the layout
   * it causes (forced at once, so the wait for the next frame is not counted).
   */
  typing(offset: number, count: number): Promise<number[]>;
  /** Creates a highlight the way the toolbar does; resolves with the time until it is saved and drawn. */
  highlight(start: number, end: number): Promise<number>;
  /** The same creation through the API alone, nothing drawn: the baseline. */
  apiCreate(documentId: number, start: number, end: number): Promise<number>;
  sections(): { total: number; mounted: number };
  /** Edit mode: the time to put the whole text into one editable view (until laid out). */
  enterEdit(): Promise<number>;
  /** The same typing as `typing`, in edit mode's view (history, direction plugin, marks). */
  editTyping(offset: number, count: number): Promise<number[]>;
  /** One more character, then the time until the library holds the edited text. */
  editSave(offset: number): Promise<number>;
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** `count` one-character transactions at `pos`, a frame apart, each timed through its layout. */
async function timedInserts(view: EditorView, pos: number, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    await frame();
    const t0 = performance.now();
    view.dispatch(view.state.tr.insertText('x', pos + i));
    void view.dom.offsetHeight;
    out.push(performance.now() - t0);
  }
  return out;
}

export function installBenchHook(reader: ReaderView): void {
  if (!/^#(?:.*&)?bench(?:&|=|$)/.test(location.hash)) return;
  const bench: GlossBench = {
    async typing(offset, count) {
      const { editor } = reader.__bench();
      if (!editor) throw new Error('no document is open');
      const { view, pos } = editor.viewAt(offset);
      return timedInserts(view, pos, count);
    },
    async highlight(start, end) {
      const { create } = reader.__bench();
      await frame();
      const t0 = performance.now();
      const a = await create({ start, end, color: 'green', tags: [], note: '' });
      const drawn = document.querySelector(`[data-annotation-id="${a.id}"]`);
      void (drawn as HTMLElement | null)?.offsetHeight;
      const took = performance.now() - t0;
      if (!drawn) throw new Error(`highlight ${a.id} was saved but not drawn`);
      return took;
    },
    async apiCreate(documentId, start, end) {
      const { api } = reader.__bench();
      await frame();
      const t0 = performance.now();
      await api['annotations.create']({ documentId, start, end, color: 'green' });
      return performance.now() - t0;
    },
    sections() {
      const { editor } = reader.__bench();
      return { total: editor?.sectionCount ?? 0, mounted: editor?.mountedCount ?? 0 };
    },
    async enterEdit() {
      await frame();
      const t0 = performance.now();
      reader.enterEdit();
      const { session } = reader.__bench();
      if (!session) throw new Error('edit mode did not start');
      void session.view.dom.offsetHeight;
      return performance.now() - t0;
    },
    async editTyping(offset, count) {
      const { session } = reader.__bench();
      if (!session) throw new Error('not in edit mode');
      return timedInserts(session.view, session.posAt(offset), count);
    },
    async editSave(offset) {
      const { session } = reader.__bench();
      if (!session) throw new Error('not in edit mode');
      await session.flush();
      await frame();
      const t0 = performance.now();
      session.view.dispatch(session.view.state.tr.insertText('y', session.posAt(offset)));
      await session.flush();
      return performance.now() - t0;
    },
  };
  (window as unknown as { __glossBench: GlossBench }).__glossBench = bench;
}
