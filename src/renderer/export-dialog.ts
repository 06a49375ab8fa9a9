/**
 * The Export dialog: the format, the documents (those holding annotations; the open one, or all
 * from the library) and the tags (none chosen: every annotation; a tag takes in the tags below it,
 * shown ticked and fixed under a ticked parent), as the command line's `export DOC... --tag`.
 * Ends in a download; a REFI-QDA project comes as bytes.
 */
import type { GlossApi } from '../common/api.js';
import { EXPORT_FORMATS, type ExportFormat } from '../common/export/types.js';
import { COLORS, type Color, type DocumentSummary } from '../common/model.js';
import { isTagWithin, tagAncestors, TAG_SEPARATOR } from '../common/tag-path.js';
import { blockDirection } from '../common/text/direction.js';
import { h } from './dom.js';
import { errorText, isolate, t } from './i18n.js';
import type { Toaster } from './toast.js';

export interface ExportScope {
  /** One document (its id and title), or the whole library when absent. */
  document?: { id: number; title: string };
  /** A tag filter in force where the export was asked for: chosen at the start. */
  tag?: string;
}

export interface ExportDownload {
  (content: BlobPart, fileName: string, mediaType: string): void;
}

let lastFormat: ExportFormat = 'jsonld';

export async function openExportDialog(api: GlossApi, toast: Toaster, scope: ExportScope, save: ExportDownload, bytes: (base64: string) => BlobPart): Promise<void> {
  const [library, tags] = await Promise.all([api['library.list']({}), api['tags.list']({})]);
  const docs = library.filter((d) => d.annotationCount > 0 || d.id === scope.document?.id);
  const paths = [...new Set(tags.flatMap((tag) => tagAncestors(tag.path)))].sort((a, b) => a.localeCompare(b));

  const format = h('select', { name: 'format' }, ...EXPORT_FORMATS.map((f) => h('option', { value: f, selected: f === lastFormat }, t(`transfer.formats.${f}`))));
  const picked = documentPicker(docs, scope.document ? [scope.document.id] : docs.map((d) => d.id));
  const chosen = tagPicker(paths, scope.tag && paths.includes(scope.tag) ? [scope.tag] : []);
  const colours = colourPicker();
  const status = h('p', { class: 'transfer-status', role: 'status', 'aria-live': 'polite' });
  const dialog = h(
    'dialog',
    { class: 'export-dialog', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, t('transfer.exportTitle')),
    h('p', {}, scope.document ? t('transfer.scopeDocument', { title: isolate(scope.document.title) }) : t('transfer.scopeLibrary')),
    h('label', { class: 'field' }, h('span', {}, t('transfer.format')), format),
    picked.el,
    chosen.el,
    colours.el,
    status,
  );
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  const cancel = h('button', { type: 'button', on: { click: close } }, t('common.cancel'));
  const go = h('button', { type: 'button', class: 'primary', on: { click: () => void run() } }, t('transfer.export'));
  const run = async () => {
    const ids = picked.value();
    if (ids.length === 0) {
      status.classList.add('error');
      status.textContent = t('transfer.noDocuments');
      return;
    }
    go.disabled = true;
    status.classList.remove('error');
    status.textContent = t('transfer.exporting');
    lastFormat = format.value as ExportFormat;
    try {
      const chosenTags = chosen.value();
      const out = await api['export.annotations']({
        format: lastFormat,
        // Every document of the library: leave it to the library (those holding the annotations asked for).
        documentIds: !scope.document && ids.length === docs.length ? undefined : ids,
        tags: chosenTags.length ? chosenTags : undefined,
        colors: colours.value(),
      });
      save(out.base64 !== undefined ? bytes(out.base64) : out.content, out.fileName, out.mediaType);
      close();
      toast.show(t('transfer.exported', { count: out.annotations, file: isolate(out.fileName) }));
    } catch (e) {
      go.disabled = false;
      status.classList.add('error');
      status.textContent = errorText(e);
    }
  };
  dialog.append(h('div', { class: 'dialog-buttons' }, cancel, go));
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close();
  });
  document.body.append(dialog);
  dialog.showModal();
  format.focus();
}

/** Colours to tick: none ticked, every colour (as with tags, an empty choice is no filter). */
function colourPicker(): { el: HTMLElement; value: () => Color[] | undefined } {
  const boxes = COLORS.map((c) => ({ c, box: h('input', { type: 'checkbox', value: c }) }));
  const el = h(
    'fieldset',
    { class: 'pick export-colours' },
    h('legend', {}, t('transfer.colours')),
    h('p', { class: 'pick-note' }, t('transfer.coloursHint')),
    h('ul', { class: 'pick-list pick-colours' }, ...boxes.map(({ c, box }) => h('li', {}, h('label', { class: 'check' }, box, h('span', { class: `swatch-dot swatch-${c}`, 'aria-hidden': 'true' }), h('span', {}, t(`colors.${c}`)))))),
  );
  return {
    el,
    value: () => {
      const on = boxes.filter((b) => b.box.checked).map((b) => b.c);
      return on.length ? on : undefined;
    },
  };
}

/** Documents to tick, each with its title in its own direction and its count of annotations. */
function documentPicker(docs: readonly DocumentSummary[], initial: readonly number[]): { el: HTMLElement; value: () => number[] } {
  const boxes = docs.map((d) => ({ d, box: h('input', { type: 'checkbox', value: String(d.id), checked: initial.includes(d.id) }) }));
  const count = h('span', { class: 'pick-count', 'aria-live': 'polite' });
  const update = () => (count.textContent = t('transfer.documentsChosen', { count: boxes.filter((b) => b.box.checked).length, total: boxes.length }));
  for (const b of boxes) b.box.addEventListener('change', update);
  const all = (on: boolean) => () => {
    for (const b of boxes) b.box.checked = on;
    update();
  };
  update();
  const el = h(
    'fieldset',
    { class: 'pick export-documents' },
    h('legend', {}, t('transfer.documents')),
    h('div', { class: 'pick-head' }, count, h('button', { type: 'button', class: 'quiet', on: { click: all(true) } }, t('transfer.all')), h('button', { type: 'button', class: 'quiet', on: { click: all(false) } }, t('transfer.none'))),
    boxes.length
      ? h(
          'ul',
          { class: 'pick-list' },
          ...boxes.map(({ d, box }) =>
            h('li', {}, h('label', { class: 'check' }, box, h('span', { dir: blockDirection(d.title) }, d.title), h('span', { class: 'pick-note' }, t('library.annotationCount', { count: d.annotationCount })))),
          ),
        )
      : h('p', { class: 'empty' }, t('transfer.noAnnotations')),
  );
  return { el, value: () => boxes.filter((b) => b.box.checked).map((b) => b.d.id) };
}

/**
 * The tag tree to tick. A ticked tag takes in those below it: they show ticked and cannot be
 * unticked on their own, and only the ticked tags highest in the tree are sent.
 */
function tagPicker(paths: readonly string[], initial: readonly string[]): { el: HTMLElement; value: () => string[] } {
  const chosen = new Set(initial);
  const boxes = new Map<string, HTMLInputElement>();
  const covered = (path: string) => [...chosen].some((c) => c !== path && isTagWithin(path, c));
  const sync = () => {
    for (const [path, box] of boxes) {
      const inParent = covered(path);
      box.checked = inParent || chosen.has(path);
      box.disabled = inParent;
    }
  };
  const list = h(
    'ul',
    { class: 'pick-list tag-tree' },
    ...paths.map((path) => {
      const depth = path.split(TAG_SEPARATOR).length - 1;
      const box = h('input', {
        type: 'checkbox',
        value: path,
        on: {
          change: () => {
            if (box.checked) chosen.add(path);
            else chosen.delete(path);
            sync();
          },
        },
      });
      boxes.set(path, box);
      return h('li', { class: `depth-${Math.min(depth, 5)}` }, h('label', { class: 'check' }, box, h('span', { dir: 'auto' }, path)));
    }),
  );
  sync();
  const el = h(
    'fieldset',
    { class: 'pick export-tags' },
    h('legend', {}, t('transfer.tags')),
    h('p', { class: 'pick-note' }, t('transfer.tagsHint')),
    paths.length ? list : h('p', { class: 'empty' }, t('transfer.noTags')),
  );
  return { el, value: () => [...chosen].filter((c) => !covered(c)).sort((a, b) => a.localeCompare(b)) };
}
