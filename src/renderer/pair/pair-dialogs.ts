/**
 * The library's ways into the bilingual desk, one pair of buttons per document: "Start
 * translation…" (asks the language, then opens the new pair) and "Open as pair…" (asks for the
 * other text, then opens the pair, made now or found among the existing ones).
 */
import type { GlossApi } from '../../common/api.js';
import type { DocumentSummary } from '../../common/model.js';
import type { PairSummary } from '../../common/pairs.js';
import { h } from '../dom.js';
import { errorText, isolate, t } from '../i18n.js';
import type { Toaster } from '../toast.js';

type Lang = 'he' | 'en';

function openPair(id: number): void {
  location.hash = `#pair=${id}`;
}

/** A modal dialog: a title, a form of fields, Cancel and one action (run on submit, so Enter works). */
function modal(options: { className: string; title: string; body: HTMLElement[]; action: string; run: (status: HTMLElement) => Promise<boolean> }): HTMLDialogElement {
  const status = h('p', { class: 'transfer-status', role: 'status', 'aria-live': 'polite' });
  const titleId = `dialog-title-${options.className}`;
  const go = h('button', { type: 'submit', class: 'primary' }, options.action);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    go.disabled = true;
    status.classList.remove('error');
    options
      .run(status)
      .then((done) => (done ? close() : (go.disabled = false)))
      .catch((err: unknown) => {
        go.disabled = false;
        status.classList.add('error');
        status.textContent = errorText(err);
      });
  };
  const form = h(
    'form',
    { on: { submit } },
    ...options.body,
    status,
    h('div', { class: 'dialog-buttons' }, h('button', { type: 'button', on: { click: close } }, t('common.cancel')), go),
  );
  const dialog = h('dialog', { class: `pair-dialog ${options.className}`, 'aria-labelledby': titleId }, h('h2', { id: titleId }, options.title), form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Asks for the language of a new translation of `doc`, starts it and opens it. */
export function startTranslationDialog(api: GlossApi, toast: Toaster, doc: DocumentSummary): void {
  const suggested: Lang = doc.language === 'en' ? 'he' : 'en';
  const radios = (['en', 'he'] as const).map((lang) =>
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'radio', name: 'lang', value: lang, checked: lang === suggested, disabled: lang === doc.language }),
      h('span', {}, t(`languages.${lang}`)),
    ),
  );
  const dialog = modal({
    className: 'translate-dialog',
    title: t('pair.translateTitle'),
    body: [
      h('p', {}, t('pair.translateMessage', { title: isolate(doc.title), count: doc.blockCount })),
      h('fieldset', { class: 'field' }, h('legend', {}, t('pair.translateInto')), ...radios),
    ],
    action: t('pair.start'),
    run: async (status) => {
      const lang = (dialog.querySelector<HTMLInputElement>('input[name="lang"]:checked')?.value ?? suggested) as Lang;
      status.textContent = t('pair.starting');
      const { pair } = await api['pairs.translate']({ documentId: doc.id, lang });
      toast.show(t('pair.started', { title: isolate(pair.target.title) }));
      openPair(pair.id);
      return true;
    },
  });
  dialog.querySelector<HTMLInputElement>('input[name="lang"]:checked')?.focus();
}

/** Asks for the text to pair `doc` with (existing pairs are offered first) and opens the pair. */
export async function openAsPairDialog(api: GlossApi, toast: Toaster, doc: DocumentSummary, all: readonly DocumentSummary[]): Promise<void> {
  let existing: PairSummary[] = [];
  try {
    existing = await api['pairs.list']({ documentId: doc.id });
  } catch (e) {
    toast.error(e);
  }
  const others = all.filter((d) => d.id !== doc.id);
  const partnerOf = (p: PairSummary) => (p.sourceId === doc.id ? p.targetId : p.sourceId);
  // The text most likely wanted: one in the other language not paired yet.
  const paired = new Set(existing.map(partnerOf));
  const guess = others.find((d) => d.language !== doc.language && !paired.has(d.id)) ?? others[0];
  const select = h(
    'select',
    { name: 'other', id: 'pair-with' },
    ...others.map((d) => h('option', { value: String(d.id), selected: d.id === guess?.id }, `${isolate(d.title)} (${t(`languages.${d.language}`)})`)),
  );
  const auto = h('input', { type: 'checkbox', name: 'auto', checked: true });
  const existingList = existing.length
    ? h(
        'div',
        { class: 'existing-pairs' },
        h('p', {}, t('pair.existing')),
        h(
          'ul',
          {},
          ...existing.map((p) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#pair=${p.id}`, on: { click: () => document.querySelector<HTMLDialogElement>('dialog.open-pair-dialog')?.close() } },
                h('span', { dir: 'auto' }, p.sourceTitle),
                ' ↔ ',
                h('span', { dir: 'auto' }, p.targetTitle),
              ),
            ),
          ),
        ),
      )
    : null;
  const body: HTMLElement[] = [h('p', {}, t('pair.pairMessage', { title: isolate(doc.title) }))];
  if (existingList) body.push(existingList);
  if (others.length === 0) body.push(h('p', { class: 'hint' }, t('pair.noOther')));
  else body.push(h('label', { class: 'field', for: 'pair-with' }, h('span', {}, t('pair.pairWith')), select), h('label', { class: 'check' }, auto, h('span', {}, t('pair.autoAlignOption'))));
  const dialog = modal({
    className: 'open-pair-dialog',
    title: t('pair.pairTitle'),
    body,
    action: t('pair.openPair'),
    run: async (status) => {
      const otherId = Number(select.value);
      if (!otherId) return false;
      const found = existing.find((p) => partnerOf(p) === otherId);
      if (found) {
        openPair(found.id);
        return true;
      }
      status.textContent = auto.checked ? t('pair.aligning') : '';
      const view = await api['pairs.create']({ sourceId: doc.id, targetId: otherId, autoAlign: auto.checked });
      openPair(view.id);
      return true;
    },
  });
  if (others.length === 0) dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled = true;
  select.focus();
}

/** The two buttons for one library row. */
export function pairButtons(api: GlossApi, toast: Toaster, doc: DocumentSummary, all: () => readonly DocumentSummary[]): HTMLElement {
  return h(
    'span',
    { class: 'pair-actions' },
    h(
      'button',
      { type: 'button', class: 'quiet', 'aria-label': t('pair.startTranslationNamed', { title: doc.title }), on: { click: () => startTranslationDialog(api, toast, doc) } },
      t('pair.startTranslation'),
    ),
    h(
      'button',
      { type: 'button', class: 'quiet', 'aria-label': t('pair.openAsPairNamed', { title: doc.title }), on: { click: () => void openAsPairDialog(api, toast, doc, all()) } },
      t('pair.openAsPair'),
    ),
  );
}
