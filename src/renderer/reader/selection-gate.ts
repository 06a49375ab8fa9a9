/**
 * When a selection in the text is finished, so that the annotate toolbar may come to it: at the
 * pointer's release, or once a selection made with the keyboard has rested a moment. Never while
 * the button is down: a toolbar opened under a drag in progress took the rest of the drag, and the
 * selection ran on to the end of the page (the first line of a two-line passage was saved).
 */

/** How long a selection made with the keyboard rests before it counts as finished (ms). */
export const SELECTION_PAUSE = 450;

export interface SelectionGateHost {
  /** False while the gate has nothing to watch (another view shown, edit mode's own handling). */
  active(): boolean;
  /** A press in the text is starting a new selection (the last one's toolbar goes). */
  starting(e: PointerEvent): void;
  /** The selection is finished: look at it. */
  finished(): void;
}

export class SelectionGate {
  private dragging = false;
  private frame = 0;
  private pause: ReturnType<typeof setTimeout> | undefined;

  constructor(
    scroller: HTMLElement,
    private readonly host: SelectionGateHost,
  ) {
    const doc = scroller.ownerDocument;
    scroller.addEventListener('pointerdown', (e) => this.down(e));
    // Released anywhere: a drag may end over the panel or outside the window.
    doc.addEventListener('pointerup', () => this.released(), true);
    doc.addEventListener('pointercancel', () => this.released(), true);
    doc.defaultView?.addEventListener('blur', () => this.released());
    doc.addEventListener('selectionchange', () => this.changed());
    // A selection set by a script, then a mouseup (as tests and assistive tools do): at once.
    scroller.addEventListener('mouseup', () => this.soon());
  }

  /** True while the primary button is down in the text. */
  get busy(): boolean {
    return this.dragging;
  }

  /** Looks at the selection in the next frame (after the browser has settled it), unless a drag is on. */
  soon(): void {
    if (this.dragging) return;
    this.cancel();
    this.frame = requestAnimationFrame(() => this.host.finished());
  }

  /** Forgets a pending look (the caller looks now). */
  cancel(): void {
    clearTimeout(this.pause);
    cancelAnimationFrame(this.frame);
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0 || !this.host.active()) return;
    this.dragging = true;
    this.cancel();
    this.host.starting(e);
  }

  private released(): void {
    if (!this.dragging) return;
    this.dragging = false;
    this.soon();
  }

  /** The selection moved without the pointer (the keyboard): wait for it to rest. */
  private changed(): void {
    if (this.dragging || !this.host.active()) return;
    clearTimeout(this.pause);
    this.pause = setTimeout(() => this.host.finished(), SELECTION_PAUSE);
  }
}
