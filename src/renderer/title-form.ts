/**
 * A document's title edited in place (its library row, the reader's head): a box holding the
 * title, in the title's own direction; Enter or Save renames, Escape or Cancel leaves it as it was.
 */
import { h } from './dom.js';
import { t } from './i18n.js';

export function titleForm(title: string, actions: { save(title: string): void; cancel(): void }): HTMLFormElement {
  const input = h('input', { type: 'text', dir: 'auto', required: true, maxlength: '500', value: title, 'aria-label': t('library.newTitle', { title }) });
  const form = h(
    'form',
    {
      class: 'rename-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          actions.save(input.value.trim());
        },
        keydown: (e) => {
          if (e.key !== 'Escape') return;
          // Not the dialog's or the reader's Escape: only the box closes.
          e.preventDefault();
          e.stopPropagation();
          actions.cancel();
        },
      },
    },
    input,
    h('button', { type: 'submit', class: 'primary' }, t('library.renameSave')),
    h('button', { type: 'button', on: { click: () => actions.cancel() } }, t('common.cancel')),
  );
  queueMicrotask(() => input.select());
  return form;
}
