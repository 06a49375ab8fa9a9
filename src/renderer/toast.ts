/** Short messages at the bottom of the window, read out by screen readers, with an optional action. */
import { h } from './dom.js';
import { errorText } from './i18n.js';

export interface ToastAction {
  label: string;
  run: () => void;
}

export class Toaster {
  readonly el = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  /** Where the toasts go back to when no modal dialog is open (set when they are first placed). */
  private home: ParentNode | null = null;

  constructor() {
    // A modal dialog makes the rest of the page inert and puts it under its backdrop: while one
    // is open the toasts live inside it, so that they are seen above it and their Undo can be
    // pressed (an export's toast, then the export dialog opened again, covered it).
    new MutationObserver(() => this.follow()).observe(document.documentElement, { subtree: true, attributeFilter: ['open'] });
  }

  private follow(): void {
    if (!this.el.isConnected && !this.home) return;
    const modal = [...document.querySelectorAll('dialog')].reverse().find((d) => d.matches(':modal'));
    if (modal) {
      if (this.el.parentNode !== modal) {
        if (!this.home) this.home = this.el.parentNode;
        modal.append(this.el);
      }
    } else if (this.home && this.el.parentNode !== this.home) {
      this.home.appendChild(this.el);
    }
  }

  show(message: string, options: { action?: ToastAction; error?: boolean; ms?: number } = {}): void {
    const item = h('div', { class: options.error ? 'toast toast-error' : 'toast' }, h('span', { class: 'toast-text' }, message));
    const dismiss = () => item.remove();
    if (options.action) {
      const { label, run } = options.action;
      item.append(h('button', { type: 'button', class: 'toast-action', on: { click: () => (dismiss(), run()) } }, label));
    }
    // A dialog taken out of the page while open may have taken the toasts with it.
    if (!this.el.isConnected) this.follow();
    this.el.append(item);
    while (this.el.childElementCount > 3) this.el.firstElementChild?.remove();
    setTimeout(dismiss, options.ms ?? (options.action ? 10_000 : 5_000));
  }

  /** An error in the interface language (`errorText`): an API error by its code, never the server's English. */
  error(e: unknown): void {
    this.show(errorText(e), { error: true, ms: 8_000 });
  }
}
