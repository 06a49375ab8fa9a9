/**
 * The linked-passages part of the side strip: the passage chosen in each text (a selection, or a
 * highlight clicked), "Link passages", and the list of links between the two texts. Choosing a
 * link reveals both of its passages; a linked highlight clicked in the text reveals its partner.
 */
import type { Annotation, Block } from '../../common/model.js';
import type { AnnotationLink } from '../../common/pairs.js';
import { h } from '../dom.js';
import { isolate, t } from '../i18n.js';
import type { Side } from './alignment-panel.js';
import { offsetInBlock } from './block-dom.js';
import { canonicalSlice } from '../../common/text/positions.js';

/** A passage chosen in one text, by block and offset (block starts move while a translation is written). */
export interface Passage {
  startBlock: number;
  startOffset: number;
  endBlock: number;
  endOffset: number;
  exact: string;
  /** Set when an existing highlight was chosen. */
  annotationId?: string;
}

/** The passage of a canonical range (an existing annotation's). */
export function passageOf(blocks: readonly Block[], start: number, end: number, annotationId?: string): Passage | null {
  const first = blocks.find((b) => b.start + b.text.length >= start);
  const last = [...blocks].reverse().find((b) => b.start <= end);
  if (!first || !last) return null;
  return {
    startBlock: first.index,
    startOffset: Math.max(0, start - first.start),
    endBlock: last.index,
    endOffset: Math.min(last.text.length, end - last.start),
    exact: canonicalSlice(blocks, start, end),
    ...(annotationId ? { annotationId } : {}),
  };
}

/** The passage a DOM range selects inside one side's blocks, or null (outside, across both, blank). */
export function passageOfRange(range: Range, blockEl: (side: Side, index: number) => HTMLElement | undefined): { side: Side; passage: Passage } | null {
  const blockOf = (n: Node) => (n instanceof HTMLElement ? n : n.parentElement)?.closest<HTMLElement>('.pair-block') ?? null;
  const startEl = blockOf(range.startContainer);
  let endEl = blockOf(range.endContainer);
  if (!startEl || !endEl || startEl.dataset.side !== endEl.dataset.side) return null;
  const side = startEl.dataset.side as Side;
  if (blockEl(side, Number(startEl.dataset.block)) !== startEl) return null;
  let endOffset = offsetInBlock(endEl, range.endContainer, range.endOffset);
  // A triple click ends the selection at the start of the next block: end it where this one ends.
  if (endOffset === 0 && endEl !== startEl) {
    const prev = blockEl(side, Number(endEl.dataset.block) - 1);
    if (prev) {
      endEl = prev;
      endOffset = prev.textContent?.length ?? 0;
    }
  }
  const exact = range.toString();
  if (!exact.trim()) return null;
  return {
    side,
    passage: { startBlock: Number(startEl.dataset.block), startOffset: offsetInBlock(startEl, range.startContainer, range.startOffset), endBlock: Number(endEl.dataset.block), endOffset, exact },
  };
}

export interface PassagesHost {
  sideName(side: Side): string;
  link(source: Passage, target: Passage): Promise<void>;
  reveal(link: AnnotationLink): void;
  remove(link: AnnotationLink): Promise<void>;
  /** An annotation of one side, for its tags and note (shared notes are shown from both sides). */
  annotation?(side: Side, id: string): Annotation | undefined;
}

const SIDES: Side[] = ['source', 'target'];

/** A quote cut to a readable length for a label. */
export function shortQuote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export class PassagesPanel {
  readonly el: HTMLElement;
  private readonly pendingList: HTMLElement;
  private readonly linkButton: HTMLButtonElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private pending: Record<Side, Passage | null> = { source: null, target: null };
  private links: AnnotationLink[] = [];

  constructor(private readonly host: PassagesHost) {
    this.pendingList = h('dl', { class: 'pending' });
    this.linkButton = h('button', { type: 'button', class: 'primary', t: 'pair.linkPassages', 'aria-keyshortcuts': 'Alt+L', tAttrs: { title: 'pair.linkShortcut' }, on: { click: () => void this.linkPending() } });
    this.list = h('ul', { class: 'link-list' });
    this.empty = h('p', { class: 'hint', t: 'pair.noLinks' });
    this.el = h(
      'section',
      { class: 'strip-section passages-panel', 'aria-labelledby': 'pair-passages-title' },
      h('h2', { id: 'pair-passages-title', t: 'pair.passages' }),
      h('p', { class: 'hint', t: 'pair.passagesHint' }),
      this.pendingList,
      h('div', { class: 'strip-buttons' }, this.linkButton),
      this.list,
      this.empty,
    );
    this.render();
  }

  choose(side: Side, passage: Passage | null): void {
    this.pending[side] = passage;
    this.renderPending();
  }

  chosen(side: Side): Passage | null {
    return this.pending[side];
  }

  update(links: AnnotationLink[]): void {
    this.links = links;
    this.render();
  }

  relabel(): void {
    this.render();
  }

  private render(): void {
    this.renderPending();
    this.empty.hidden = this.links.length > 0;
    this.list.replaceChildren(
      ...this.links.map((link) => {
        const a = shortQuote(link.a.exact);
        const b = shortQuote(link.b.exact);
        const detached = link.a.status === 'orphaned' || link.b.status === 'orphaned';
        return h(
          'li',
          { class: 'link-item', 'data-link': `${link.a.annotationId}|${link.b.annotationId}` },
          h(
            'button',
            {
              type: 'button',
              class: 'link-show',
              'aria-label': t('pair.showLink', { a: isolate(a), b: isolate(b) }),
              on: { click: () => this.host.reveal(link) },
            },
            h('span', { class: 'quote', dir: 'auto' }, a),
            this.shared('source', link.a.annotationId),
            h('span', { class: 'link-arrow', 'aria-hidden': 'true' }, '↔'),
            h('span', { class: 'quote', dir: 'auto' }, b),
            this.shared('target', link.b.annotationId),
            detached ? h('span', { class: 'badge' }, t('panel.detached')) : null,
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'icon',
              'aria-label': t('pair.removeLink', { a: isolate(a), b: isolate(b) }),
              title: t('pair.removeLinkShort'),
              on: { click: () => void this.host.remove(link) },
            },
            '×',
          ),
        );
      }),
    );
  }

  /** An end's tags and note, under its quote (what each side says about the passage, from both sides). */
  private shared(side: Side, id: string): HTMLElement | null {
    const a = this.host.annotation?.(side, id);
    if (!a || (a.tags.length === 0 && !a.note)) return null;
    return h(
      'span',
      { class: 'link-shared' },
      a.tags.length ? h('span', { class: 'tags', dir: 'auto' }, `${t('pair.tagsLabel')} ${a.tags.join(', ')}`) : null,
      a.note ? h('span', { class: 'note', dir: 'auto' }, a.note) : null,
    );
  }

  /** Links the passages chosen in the two texts, if both are (Alt+L, or the button). */
  async linkChosen(): Promise<void> {
    if (!this.pending.source || !this.pending.target) return;
    await this.linkPending().catch(() => undefined);
  }

  private renderPending(): void {
    const rows: HTMLElement[] = [];
    for (const side of SIDES) {
      const p = this.pending[side];
      rows.push(h('dt', {}, this.host.sideName(side)));
      rows.push(
        h(
          'dd',
          {},
          p
            ? h('span', { class: 'quote', dir: 'auto' }, shortQuote(p.exact))
            : h('span', { class: 'hint' }, t('pair.noPassage')),
          p
            ? h('button', { type: 'button', class: 'icon', 'aria-label': t('pair.clearPassage', { side: this.host.sideName(side) }), on: { click: () => this.choose(side, null) } }, '×')
            : null,
        ),
      );
    }
    this.pendingList.replaceChildren(...rows);
    this.linkButton.disabled = !this.pending.source || !this.pending.target;
  }

  private async linkPending(): Promise<void> {
    const { source, target } = this.pending;
    if (!source || !target) return;
    this.linkButton.disabled = true;
    try {
      await this.host.link(source, target);
      this.pending = { source: null, target: null };
    } finally {
      this.renderPending();
    }
  }
}
