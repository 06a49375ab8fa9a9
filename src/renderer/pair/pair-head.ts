/**
 * The head of the bilingual desk: what is open (both titles, or a translation's source and the
 * language it is translated into), how far it has come (segments translated, or units confirmed),
 * whether the writing is saved, and the tools: layout, swap, exports. (No scrolling toggle: side by
 * side the two texts are one scroll of rows, so they cannot drift apart.)
 */
import type { DocumentFull } from '../../common/model.js';
import { PAIR_EXPORT_FORMATS, type PairExportFormat, type PairView } from '../../common/pairs.js';
import { h, localize } from '../dom.js';
import { errorText, t } from '../i18n.js';
import type { Side } from './alignment-panel.js';
import { LAYOUTS, type Layout } from './panes.js';
import type { SaveState } from './translation.js';

export interface HeadHost {
  layout(layout: Layout): void;
  swap(): void;
  export(format: PairExportFormat): void;
}

export interface HeadState {
  pair: PairView;
  docs: Record<Side, DocumentFull>;
  /** The translation's language code (he/en), for "Translation into …". */
  targetLanguage: string;
  layout: Layout;
  swapped: boolean;
}

export class PairHead {
  readonly el: HTMLElement;
  private readonly title = h('h1', { class: 'pair-title' });
  private readonly kind = h('span', { class: 'pair-kind' });
  private readonly progressText = h('span', { class: 'progress-text' });
  private readonly progressBar = h('progress', { class: 'progress-bar', max: '1', value: '0', 'aria-hidden': 'true' });
  private readonly saveState = h('span', { class: 'save-state', role: 'status', 'aria-live': 'polite' });
  private readonly layoutButtons: Map<Layout, HTMLButtonElement>;
  private readonly swapButton: HTMLButtonElement;
  private readonly exportButtons: HTMLButtonElement[];
  private state: HeadState | null = null;
  private saved: { state: SaveState; error?: unknown } = { state: 'idle' };

  constructor(host: HeadHost) {
    this.layoutButtons = new Map(LAYOUTS.map((l) => [l, h('button', { type: 'button', class: 'quiet', 'aria-pressed': 'false', t: `pair.layouts.${l}`, on: { click: () => host.layout(l) } })]));
    this.swapButton = h('button', { type: 'button', class: 'quiet', 'aria-pressed': 'false', t: 'pair.swap', on: { click: () => host.swap() } });
    this.exportButtons = PAIR_EXPORT_FORMATS.map((f) => h('button', { type: 'button', class: 'quiet', 'data-format': f, on: { click: () => host.export(f) } }, f.toUpperCase()));
    this.el = h(
      'header',
      { class: 'pair-head' },
      h('div', { class: 'pair-heading' }, this.title, this.kind),
      h('div', { class: 'pair-status' }, this.progressText, this.progressBar, this.saveState),
      h(
        'div',
        { class: 'pair-tools' },
        h('div', { class: 'segmented', role: 'group', tAttrs: { 'aria-label': 'pair.layout' } }, ...this.layoutButtons.values()),
        this.swapButton,
        h('div', { class: 'pair-export', role: 'group', tAttrs: { 'aria-label': 'pair.export' } }, h('span', { class: 'tool-label', t: 'pair.export' }), ...this.exportButtons),
      ),
    );
    this.labelExports();
  }

  update(state: HeadState): void {
    this.state = state;
    const { pair, docs } = state;
    // A translation's title is its source's with a suffix: the badge says what it is instead.
    this.title.replaceChildren(
      h('span', { class: 'title-part', dir: 'auto' }, docs.source.title),
      ...(pair.kind === 'translation'
        ? []
        : [
            h('span', { class: 'title-sep', 'aria-hidden': 'true' }, ' ↔ '),
            h('span', { class: 'visually-hidden' }, ` ${t('pair.and')} `),
            h('span', { class: 'title-part', dir: 'auto' }, docs.target.title),
          ]),
    );
    this.kind.textContent = pair.kind === 'translation' ? t('pair.kindTranslation', { language: state.targetLanguage === 'he' || state.targetLanguage === 'en' ? t(`languages.${state.targetLanguage}`) : state.targetLanguage }) : t('pair.kindAligned');
    this.progress(pair);
    for (const [l, b] of this.layoutButtons) b.setAttribute('aria-pressed', String(l === state.layout));
    this.swapButton.setAttribute('aria-pressed', String(state.swapped));
  }

  /** Segments translated (a translation) or units confirmed (two existing texts). */
  progress(pair: PairView): void {
    if (pair.kind === 'translation') {
      this.progressText.textContent = t('pair.progress', { count: pair.progress.total, translated: pair.progress.translated });
      this.progressBar.max = Math.max(1, pair.progress.total);
      this.progressBar.value = pair.progress.translated;
      this.progressBar.hidden = false;
    } else {
      this.progressText.textContent = t('pair.confirmedCount', { count: pair.beads.length, confirmed: pair.beads.filter((b) => b.confirmed).length });
      this.progressBar.hidden = true;
    }
  }

  saving(state: SaveState, error?: unknown): void {
    this.saved = { state, error };
    this.saveState.dataset.state = state;
    this.saveState.textContent =
      state === 'saving'
        ? t('pair.saving')
        : state === 'saved'
          ? t('pair.saved')
          : state === 'failed'
            ? t('pair.saveFailed', { reason: errorText(error) })
            : '';
  }

  relabel(): void {
    localize(this.el);
    this.labelExports();
    this.saving(this.saved.state, this.saved.error);
    if (this.state) this.update(this.state);
  }

  private labelExports(): void {
    for (const b of this.exportButtons) b.setAttribute('aria-label', t('pair.exportAs', { format: b.textContent ?? '' }));
  }
}
