/**
 * The alignment part of the pair's side strip: the chosen unit (a bead: the blocks of each side
 * that translate each other) with its corrections (link, unlink, merge with the next, confirm),
 * and the whole alignment's (align automatically, confirm all). Linking chooses blocks on each
 * side by clicking them in the text (or Space on a focused block) and then says "link".
 *
 * Units a text changed under since they were aligned are counted here, with a way to the next
 * one; confirming a unit is reviewing it. Below, the exchange with CAT tools: a translation
 * brought back from an XLIFF file, and what that did, unit by unit.
 */
import type { GlossApi } from '../../common/api.js';
import type { AlignmentBead, PairView, TranslationImportReport } from '../../common/pairs.js';
import { h } from '../dom.js';
import { isolate, t } from '../i18n.js';
import { formatRun, isRun } from './block-text.js';

export type Side = 'source' | 'target';

export type AlignmentAction =
  | { type: 'link'; sourceBlocks: number[]; targetBlocks: number[] }
  | { type: 'unlink'; bead: number }
  | { type: 'merge'; bead: number }
  | { type: 'confirm'; bead: number; confirmed: boolean }
  | { type: 'autoAlign' }
  | { type: 'confirmAll' };

/** Sends a correction to main; the answer is the pair as it now stands. */
export function requestAlignment(api: GlossApi, pairId: number, action: AlignmentAction): Promise<PairView> {
  switch (action.type) {
    case 'link':
      return api['pairs.link']({ pairId, sourceBlocks: action.sourceBlocks, targetBlocks: action.targetBlocks });
    case 'unlink':
      return api['pairs.unlink']({ pairId, bead: action.bead });
    case 'merge':
      return api['pairs.merge']({ pairId, bead: action.bead });
    case 'confirm':
      return api['pairs.confirm']({ pairId, beads: [action.bead], confirmed: action.confirmed });
    case 'autoAlign':
      return api['pairs.autoAlign']({ pairId });
    case 'confirmAll':
      return api['pairs.confirm']({ pairId });
  }
}

export interface AlignmentHost {
  run(action: AlignmentAction): Promise<void>;
  /** Choosing blocks started or ended: the text marks them and lets blocks be toggled. */
  choosing(chosen: Record<Side, ReadonlySet<number>> | null): void;
  /** Show the next unit marked for review. */
  nextReview?(): void;
  /** A translation to bring back from this XLIFF file. */
  importTranslation?(file: File): Promise<void>;
}

/** "segment 3", "segments 3–4", "no segment". */
export function segmentsLabel(blocks: readonly number[]): string {
  return blocks.length === 0 ? t('pair.noSegment') : t('pair.segments', { count: blocks.length, range: formatRun(blocks) });
}

export function unitLabel(bead: AlignmentBead, index: number): string {
  return t('pair.unitLabel', {
    n: index + 1,
    source: segmentsLabel(bead.source),
    target: segmentsLabel(bead.target),
    state: t(bead.confirmed ? 'pair.confirmed' : bead.review ? 'pair.needsReview' : 'pair.proposed'),
  });
}

export class AlignmentPanel {
  readonly el: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly unitText: HTMLElement;
  private readonly count: HTMLElement;
  private readonly linkButton: HTMLButtonElement;
  private readonly unlinkButton: HTMLButtonElement;
  private readonly mergeButton: HTMLButtonElement;
  private readonly confirmButton: HTMLButtonElement;
  private readonly chooser: HTMLElement;
  private readonly chosenText: HTMLElement;
  private readonly chosenProblem: HTMLElement;
  private readonly linkChosenButton: HTMLButtonElement;
  private readonly wholeButtons: HTMLButtonElement[];
  private readonly reviewCount: HTMLElement;
  private readonly reviewButton: HTMLButtonElement;
  private readonly report: HTMLElement;
  private readonly importButton: HTMLButtonElement;
  private readonly fileInput: HTMLInputElement;
  private lastReport: TranslationImportReport | null = null;
  private pair: PairView | null = null;
  private current: number | null = null;
  private chosen: Record<Side, Set<number>> | null = null;

  constructor(private readonly host: AlignmentHost) {
    this.heading = h('h2', { id: 'pair-alignment-title', t: 'pair.alignment' });
    this.count = h('p', { class: 'strip-count' });
    this.unitText = h('p', { class: 'unit-text', 'aria-live': 'polite' });
    const act = (make: () => AlignmentAction | null) => () => {
      const action = make();
      if (action) void this.host.run(action);
    };
    this.linkButton = h('button', { type: 'button', t: 'pair.link', on: { click: () => this.startChoosing() } });
    this.unlinkButton = h('button', { type: 'button', t: 'pair.unlink', on: { click: act(() => (this.current === null ? null : { type: 'unlink', bead: this.current })) } });
    this.mergeButton = h('button', { type: 'button', t: 'pair.merge', on: { click: act(() => (this.current === null ? null : { type: 'merge', bead: this.current })) } });
    this.confirmButton = h('button', {
      type: 'button',
      class: 'primary',
      on: { click: act(() => (this.current === null || !this.pair ? null : { type: 'confirm', bead: this.current, confirmed: !this.pair.beads[this.current]!.confirmed })) },
    });
    this.chosenText = h('p', { class: 'chosen-text', 'aria-live': 'polite' });
    this.chosenProblem = h('p', { class: 'chosen-problem', role: 'alert' });
    this.linkChosenButton = h('button', { type: 'button', class: 'primary', t: 'pair.linkChosen', on: { click: () => void this.linkChosen() } });
    this.chooser = h(
      'div',
      { class: 'chooser', hidden: true, role: 'group', tAttrs: { 'aria-label': 'pair.chooseTitle' } },
      h('p', { class: 'hint', t: 'pair.chooseHint' }),
      this.chosenText,
      this.chosenProblem,
      h('div', { class: 'strip-buttons' }, this.linkChosenButton, h('button', { type: 'button', t: 'common.cancel', on: { click: () => this.stopChoosing() } })),
    );
    this.wholeButtons = [
      h('button', { type: 'button', t: 'pair.autoAlign', on: { click: act(() => ({ type: 'autoAlign' })) } }),
      h('button', { type: 'button', t: 'pair.confirmAll', on: { click: act(() => ({ type: 'confirmAll' })) } }),
    ];
    this.reviewCount = h('p', { class: 'review-count', role: 'status' });
    this.reviewButton = h('button', { type: 'button', t: 'pair.nextReview', on: { click: () => host.nextReview?.() } });
    this.fileInput = h('input', { type: 'file', accept: '.xlf,.xliff,.xml', hidden: true, tabindex: '-1', 'aria-hidden': 'true' });
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file && host.importTranslation) {
        this.importButton.disabled = true;
        void host.importTranslation(file).finally(() => (this.importButton.disabled = false));
      }
    });
    this.importButton = h('button', { type: 'button', t: 'pair.importTranslation', on: { click: () => this.fileInput.click() } });
    this.report = h('div', { class: 'xliff-report', role: 'status', 'aria-live': 'polite' });
    this.el = h(
      'section',
      { class: 'strip-section alignment-panel', 'aria-labelledby': 'pair-alignment-title' },
      this.heading,
      this.count,
      h('div', { class: 'strip-buttons review-buttons' }, this.reviewCount, this.reviewButton),
      this.unitText,
      h('div', { class: 'strip-buttons unit-buttons' }, this.linkButton, this.unlinkButton, this.mergeButton, this.confirmButton),
      this.chooser,
      h('div', { class: 'strip-buttons whole-buttons' }, ...this.wholeButtons),
      h('h3', { class: 'strip-subhead', t: 'pair.exchange' }),
      h('p', { class: 'hint', t: 'pair.exchangeHint' }),
      h('div', { class: 'strip-buttons' }, this.importButton, this.fileInput),
      this.report,
    );
  }

  /** What importing a translation did (null: nothing to say). */
  showReport(report: TranslationImportReport | null): void {
    this.lastReport = report;
    if (!report) {
      this.report.replaceChildren();
      return;
    }
    const items = report.notMatched.map((m) => h('li', {}, t('pair.notMatchedItem', { id: isolate(m.id), line: m.line, reason: t(`pair.notMatched.${m.code}`, m.values) })));
    const parts: HTMLElement[] = [h('p', { class: 'report-summary' }, t('pair.importSummary', { file: isolate(report.file), count: report.units, updated: report.updated, unchanged: report.unchanged, untranslated: report.untranslated, notMatched: report.notMatched.length }))];
    if (report.confirmed) parts.push(h('p', {}, t('pair.importConfirmed', { count: report.confirmed })));
    if (report.matchedByText) parts.push(h('p', {}, t('pair.importByText', { count: report.matchedByText })));
    if (items.length) parts.push(h('ul', { class: 'not-matched', 'aria-label': t('pair.notMatchedList') }, ...items));
    this.report.replaceChildren(...parts);
  }

  get isChoosing(): boolean {
    return this.chosen !== null;
  }

  update(pair: PairView, current: number | null): void {
    this.pair = pair;
    this.current = current !== null && current < pair.beads.length ? current : null;
    const confirmed = pair.beads.filter((b) => b.confirmed).length;
    this.count.textContent = t('pair.confirmedCount', { count: pair.beads.length, confirmed });
    const review = pair.beads.filter((b) => b.review).length;
    this.reviewCount.textContent = review ? t('pair.reviewCount', { count: review }) : '';
    this.reviewButton.hidden = review === 0;
    const bead = this.current === null ? null : pair.beads[this.current]!;
    this.unitText.textContent = bead ? unitLabel(bead, this.current!) : t('pair.noUnit');
    this.unitText.classList.toggle('none', !bead);
    // A translation is aligned one to one by construction: recomputing or confirming it all does nothing.
    for (const b of this.wholeButtons) b.hidden = pair.kind === 'translation';
    const n = this.current === null ? 0 : this.current + 1;
    const named = <K extends 'pair.unlink' | 'pair.merge' | 'pair.confirm' | 'pair.unconfirm'>(key: K) => (bead ? t(`${key}Named`, { n }) : t(key));
    this.unlinkButton.disabled = !bead || bead.source.length + bead.target.length < 2;
    this.mergeButton.disabled = !bead || this.current === pair.beads.length - 1;
    this.confirmButton.disabled = !bead;
    this.confirmButton.textContent = t(bead?.confirmed ? 'pair.unconfirm' : 'pair.confirm');
    this.confirmButton.setAttribute('aria-pressed', String(Boolean(bead?.confirmed)));
    // The buttons' names say which unit they act on, so a screen reader user need not look around.
    this.unlinkButton.setAttribute('aria-label', named('pair.unlink'));
    this.mergeButton.setAttribute('aria-label', named('pair.merge'));
    this.confirmButton.setAttribute('aria-label', named(bead?.confirmed ? 'pair.unconfirm' : 'pair.confirm'));
    this.linkButton.setAttribute('aria-label', t('pair.linkNamed'));
    if (this.chosen) this.showChosen();
  }

  relabel(): void {
    if (this.pair) this.update(this.pair, this.current);
    this.showReport(this.lastReport);
  }

  /**
   * A block was clicked (or Space pressed on it) while choosing. Each side's choice stays a run:
   * a block next to it joins it, an end of it leaves it, any other block starts a new run, and
   * with Shift the run stretches to the block.
   */
  toggle(side: Side, index: number, extend = false): void {
    if (!this.chosen) return;
    const run = this.sorted(side);
    const first = run[0];
    const last = run[run.length - 1];
    let next: number[];
    if (first === undefined || last === undefined) next = [index];
    else if (extend) next = Array.from({ length: Math.max(last, index) - Math.min(first, index) + 1 }, (_, i) => Math.min(first, index) + i);
    else if (index === first - 1 || index === last + 1) next = [...run, index];
    else if (index === first || index === last) next = run.filter((x) => x !== index);
    else next = [index];
    this.chosen[side] = new Set(next);
    this.host.choosing(this.chosen);
    this.showChosen();
  }

  startChoosing(): void {
    const bead = this.current === null || !this.pair ? null : this.pair.beads[this.current]!;
    this.chosen = { source: new Set(bead?.source ?? []), target: new Set(bead?.target ?? []) };
    this.chooser.hidden = false;
    this.linkButton.setAttribute('aria-expanded', 'true');
    this.host.choosing(this.chosen);
    this.showChosen();
    this.linkChosenButton.focus();
  }

  stopChoosing(): void {
    if (!this.chosen) return;
    this.chosen = null;
    this.chooser.hidden = true;
    this.linkButton.setAttribute('aria-expanded', 'false');
    this.host.choosing(null);
  }

  private sorted(side: Side): number[] {
    return [...(this.chosen?.[side] ?? [])].sort((a, b) => a - b);
  }

  private showChosen(): void {
    const source = this.sorted('source');
    const target = this.sorted('target');
    this.chosenText.textContent = t('pair.chosen', { source: segmentsLabel(source), target: segmentsLabel(target) });
    const problem = !isRun(source) || !isRun(target) ? t('pair.notConsecutive') : source.length + target.length === 0 ? t('pair.chooseSome') : '';
    this.chosenProblem.textContent = problem;
    this.linkChosenButton.disabled = problem !== '';
  }

  private async linkChosen(): Promise<void> {
    const sourceBlocks = this.sorted('source');
    const targetBlocks = this.sorted('target');
    this.stopChoosing();
    await this.host.run({ type: 'link', sourceBlocks, targetBlocks });
  }
}
