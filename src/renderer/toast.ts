/** Short messages at the bottom of the window, read out by screen readers, with an optional action. */
import { h } from './dom.js';
import { errorText } from './i18n.js';

export interface ToastAction {
  label: string;
  run: () => void;
}

export class Toaster {
  readonly el = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });

  show(message: string, options: { action?: ToastAction; error?: boolean; ms?: number } = {}): void {
    const item = h('div', { class: options.error ? 'toast toast-error' : 'toast' }, h('span', { class: 'toast-text' }, message));
    const dismiss = () => item.remove();
    if (options.action) {
      const { label, run } = options.action;
      item.append(h('button', { type: 'button', class: 'toast-action', on: { click: () => (dismiss(), run()) } }, label));
    }
    this.el.append(item);
    while (this.el.childElementCount > 3) this.el.firstElementChild?.remove();
    setTimeout(dismiss, options.ms ?? (options.action ? 10_000 : 5_000));
  }

  /** An error in the interface language (`errorText`): an API error by its code, never the server's English. */
  error(e: unknown): void {
    this.show(errorText(e), { error: true, ms: 8_000 });
  }
}
