/**
 * Writing a translation block by block: each target block of a `translation` pair is a plain-text
 * editable element. Enter moves to the next block (a block is one segment: a line break has no
 * place in it), pasted and dropped text arrives as plain text on one line, and each block is saved
 * through `pairs.setBlockText` a short pause after typing stops and when it loses focus. Saves go
 * out one after the other, so a block's later text never overtakes its earlier one.
 */
import type { GlossApi, Response } from '../../common/api.js';

const SAVE_DELAY = 400;

export type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

export interface TranslationHost {
  pairId: number;
  /** The text the server holds for a target block. */
  savedText(index: number): string;
  saved(index: number, result: Response<'pairs.setBlockText'>): void;
  state(state: SaveState, error?: unknown): void;
  /** The editable element of target block `index`, if drawn. */
  element(index: number): HTMLElement | undefined;
  /** Target block `index`'s element, its section drawn first (for moving to it). */
  show?(index: number): HTMLElement | undefined;
  /** Target block count. */
  count(): number;
  /** Block `index` lost focus and its text is saved (or failed to be). */
  left(index: number): void;
}

/** A line of plain text: line breaks and the space around them become one space. */
export function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])+[ \t]*/g, ' ');
}

export class TranslationWriter {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private queue: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(
    private readonly api: GlossApi,
    private readonly host: TranslationHost,
  ) {}

  /** Makes a block element editable as target block `index`. */
  attach(el: HTMLElement, index: number): void {
    TranslationWriter.editable(el);
    el.spellcheck = true;
    el.addEventListener('keydown', (e) => this.keydown(e, index));
    el.addEventListener('beforeinput', (e) => {
      if (e.inputType === 'insertParagraph' || e.inputType === 'insertLineBreak') e.preventDefault();
    });
    el.addEventListener('paste', (e) => {
      e.preventDefault();
      insertPlain(e.clipboardData?.getData('text/plain') ?? '');
    });
    el.addEventListener('drop', (e) => {
      const text = e.dataTransfer?.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      const at = document.caretRangeFromPoint?.(e.clientX, e.clientY);
      if (at) {
        const sel = document.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(at);
      }
      insertPlain(text);
    });
    el.addEventListener('input', () => {
      // An emptied editable keeps a stray <br>; the placeholder shows only when it is truly empty.
      if (el.textContent === '') el.replaceChildren();
      this.schedule(index);
    });
    el.addEventListener('blur', () => void this.flush(index).then(() => this.host.left(index)));
  }

  /** Makes an element a one-line plain-text box (again, after it was made a check box for a while). */
  static editable(el: HTMLElement): void {
    el.contentEditable = 'plaintext-only';
    // A browser without plaintext-only falls back to a rich editable; paste and drop are plain here either way.
    if (el.contentEditable !== 'plaintext-only') el.contentEditable = 'true';
    el.setAttribute('role', 'textbox');
    el.setAttribute('aria-multiline', 'false');
    el.removeAttribute('tabindex');
  }

  /** True while a block waits to be saved or is being saved. */
  get busy(): boolean {
    return this.timers.size > 0 || this.inFlight > 0;
  }

  private keydown(e: KeyboardEvent, index: number): void {
    if (e.isComposing) return;
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      const next = e.shiftKey ? index - 1 : index + 1;
      if (next >= 0 && next < this.host.count()) (this.host.show?.(next) ?? this.host.element(next))?.focus();
    }
  }

  private schedule(index: number): void {
    clearTimeout(this.timers.get(index));
    this.timers.set(index, setTimeout(() => void this.flush(index), SAVE_DELAY));
    this.host.state('saving');
  }

  /** Saves block `index` now if its text differs from the saved one; resolves when saved. */
  flush(index: number): Promise<void> {
    const timer = this.timers.get(index);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(index);
    }
    this.inFlight++;
    this.queue = this.queue
      .then(async () => {
        const el = this.host.element(index);
        if (!el) return;
        const text = oneLine(el.textContent ?? '');
        if (text === this.host.savedText(index)) return;
        this.host.state('saving');
        const result = await this.api['pairs.setBlockText']({ pairId: this.host.pairId, blockIndex: index, text });
        this.host.saved(index, result);
      })
      .then(
        () => {
          this.inFlight--;
          if (!this.busy) this.host.state('saved');
        },
        (e: unknown) => {
          this.inFlight--;
          this.host.state('failed', e);
        },
      );
    return this.queue;
  }

  /** Saves every block with a pending change. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.timers.keys()].map((i) => this.flush(i)));
    await this.queue;
  }

  /** Forgets pending timers without saving (the view is closed on another pair). */
  reset(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

function insertPlain(text: string): void {
  const line = oneLine(text);
  if (!line) return;
  // execCommand keeps the browser's own undo history; it is deprecated but has no replacement.
  if (!document.execCommand('insertText', false, line)) {
    const sel = document.getSelection();
    if (!sel?.rangeCount) return;
    const range = sel.getRangeAt(0);
    range.deleteContents();
    range.insertNode(document.createTextNode(line));
    range.collapse(false);
  }
}
