/** A modal confirmation built on `<dialog>`, which gives focus trapping and Escape for free. */
import { h } from './dom.js';
import { t } from './i18n.js';

export function confirmDialog(options: { title: string; message: string; confirm: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'confirm-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-message' },
      h('h2', { id: 'confirm-title' }, options.title),
      h('p', { id: 'confirm-message' }, options.message),
    );
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const cancel = h('button', { type: 'button', on: { click: () => done(false) } }, t('common.cancel'));
    const ok = h('button', { type: 'button', class: options.danger ? 'danger' : 'primary', on: { click: () => done(true) } }, options.confirm);
    dialog.append(h('div', { class: 'dialog-buttons' }, cancel, ok));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
