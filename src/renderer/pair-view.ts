/**
 * The bilingual desk (`#pair=ID`): two texts in units of alignment, side by side, stacked or one
 * at a time, with synchronised scrolling; a translation written block by block next to its source;
 * the alignment corrected unit by unit; passages linked across the two texts; exports of the pair.
 *
 * Blocks are drawn as plain DOM with the reader's classes (isolates for opposite-direction runs,
 * highlight spans) rather than ProseMirror: a pane shows a text, and the one thing written here,
 * a translation block, is one line of plain text.
 */
import './styles/pair.css';
import type { GlossApi } from '../common/api.js';
import type { Annotation, Block, DocumentFull } from '../common/model.js';
import { languageCode, type AnnotationLink, type PairExportFormat, type PairView } from '../common/pairs.js';
import { download } from './annotation-transfer.js';
import { h, localize } from './dom.js';
import { isolate, t } from './i18n.js';
import { AlignmentPanel, requestAlignment, unitLabel, type AlignmentAction, type Side } from './pair/alignment-panel.js';
import { blockShell, drawBlockText } from './pair/block-dom.js';
import { tableDirections } from './reader/schema.js';
import { highlightsByBlock } from './pair/block-text.js';
import { LAYOUTS, Panes, type Layout } from './pair/panes.js';
import { PairHead } from './pair/pair-head.js';
import { passageOf, passageOfRange, PassagesPanel, shortQuote, type Passage } from './pair/passages.js';
import { TranslationWriter } from './pair/translation.js';
import type { Toaster } from './toast.js';

const SIDES: Side[] = ['source', 'target'];
const other = (side: Side): Side => (side === 'source' ? 'target' : 'source');
const LAYOUT_KEY = 'gloss.pair.layout';
const SYNC_KEY = 'gloss.pair.sync';
const FLASH_MS = 1600;

/** The pair a `#pair=ID` address names, or null for any other address. */
export function pairRoute(hash: string): number | null {
  const id = Number(new URLSearchParams(hash.replace(/^#/, '')).get('pair'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be disabled; the choice then lasts as long as the window.
  }
}

interface Loaded {
  pair: PairView;
  docs: Record<Side, DocumentFull>;
  annotations: Record<Side, Annotation[]>;
  links: AnnotationLink[];
}

export class PairDesk {
  readonly el: HTMLElement;
  private readonly head: PairHead;
  private readonly announcer: HTMLElement;
  private readonly panes = new Panes();
  private readonly alignment: AlignmentPanel;
  private readonly passages: PassagesPanel;
  private data: Loaded | null = null;
  private blockEls: Record<Side, HTMLElement[]> = { source: [], target: [] };
  private unitOf: Record<Side, number[]> = { source: [], target: [] };
  private partners = new Map<string, { side: Side; id: string }[]>();
  private current: number | null = null;
  private layout: Layout = LAYOUTS.includes(stored(LAYOUT_KEY) as Layout) ? (stored(LAYOUT_KEY) as Layout) : 'side';
  private sync = stored(SYNC_KEY) !== 'off';
  private swapped = false;
  private writer: TranslationWriter | null = null;
  private opening = 0;
  private selectionTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: GlossApi,
    private readonly toast: Toaster,
  ) {
    this.head = new PairHead({
      layout: (l) => this.setLayout(l),
      swap: () => this.setSwapped(!this.swapped),
      sync: () => this.setSync(!this.sync),
      export: (f) => void this.export(f),
    });
    this.announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.alignment = new AlignmentPanel({ run: (a) => this.runAlignment(a), choosing: (chosen) => this.markChosen(chosen) });
    this.passages = new PassagesPanel({
      sideName: (side) => this.sideName(side),
      link: (s, tg) => this.linkPassages(s, tg),
      reveal: (link) => this.revealLink(link),
      remove: (link) => this.removeLink(link),
    });
    const strip = h('aside', { class: 'pair-strip', tAttrs: { 'aria-label': 'pair.strip' } }, this.alignment.el, this.passages.el);
    this.el = h('section', { class: 'pair-view', hidden: true, tAttrs: { 'aria-label': 'pair.region' } }, this.head.el, h('div', { class: 'pair-body' }, this.panes.el, strip), this.announcer);
    this.listen();
  }

  // Opening -----------------------------------------------------------------------------------

  async open(pairId: number): Promise<void> {
    const shown = !this.el.hidden;
    this.el.hidden = false;
    if (shown && this.data?.pair.id === pairId) return;
    const ticket = ++this.opening;
    await this.writer?.flushAll();
    const pair = await this.api['pairs.get']({ pairId });
    const [source, target, sourceNotes, targetNotes, links] = await Promise.all([
      this.api['documents.get']({ documentId: pair.source.id }),
      this.api['documents.get']({ documentId: pair.target.id }),
      this.api['annotations.list']({ documentId: pair.source.id }),
      this.api['annotations.list']({ documentId: pair.target.id }),
      this.api['links.list']({ documentId: pair.source.id }),
    ]);
    if (ticket !== this.opening) return;
    this.writer?.reset();
    this.data = {
      pair,
      docs: { source, target },
      annotations: { source: sourceNotes, target: targetNotes },
      links: links.filter((l) => l.b.documentId === target.id),
    };
    this.current = null;
    this.swapped = false;
    this.alignment.stopChoosing();
    this.passages.choose('source', null);
    this.passages.choose('target', null);
    this.writer = pair.kind === 'translation' ? this.makeWriter(pair.id) : null;
    const tables = { source: tableDirections(source.blocks), target: tableDirections(target.blocks) };
    this.blockEls = { source: source.blocks.map((b) => this.makeBlock('source', b, tables.source[b.index] ?? null)), target: target.blocks.map((b) => this.makeBlock('target', b, tables.target[b.index] ?? null)) };
    this.indexLinks();
    this.drawAll();
    this.panes.clear();
    this.render();
    this.head.saving('idle');
  }

  hide(): void {
    this.el.hidden = true;
    this.alignment.stopChoosing();
    void this.writer?.flushAll();
  }

  relabel(): void {
    localize(this.el);
    this.head.relabel();
    if (!this.data) return;
    for (const el of this.blockEls.target) {
      if (el.isContentEditable) this.labelEditable(el);
    }
    this.alignment.relabel();
    this.passages.relabel();
    this.render();
  }

  // Blocks ----------------------------------------------------------------------------------------

  private langOf(side: Side, block?: Block): string {
    const doc = this.data!.docs[side];
    if (doc.language === 'mixed' && block) return block.dir === 'rtl' ? 'he' : 'en';
    return languageCode(doc.language, doc.blocks);
  }

  private makeBlock(side: Side, block: Block, tableDir: string | null): HTMLElement {
    const shell = blockShell(block, side === 'target' && this.writer !== null, tableDir);
    const { class: kindClass, ...attrs } = shell.attrs;
    const el = h(shell.tag, { ...attrs, class: kindClass ? `pair-block ${kindClass}` : 'pair-block', id: `pair-${side}-${block.index}`, dir: block.dir, lang: this.langOf(side, block), 'data-side': side, 'data-block': String(block.index) });
    if (side === 'target' && this.writer) {
      this.writer.attach(el, block.index);
      this.labelEditable(el);
    }
    return el;
  }

  private labelEditable(el: HTMLElement): void {
    const n = Number(el.dataset.block) + 1;
    el.setAttribute('aria-label', t('pair.translationOf', { n }));
    el.dataset.placeholder = t('pair.placeholder');
  }

  private highlights(side: Side) {
    const linked = new Set([...this.partners.keys()]);
    return highlightsByBlock(this.data!.docs[side].blocks, this.data!.annotations[side], linked);
  }

  /** A block is redrawn only when that loses nothing: not while it is being edited, and not
   * while it holds text not saved yet (a failed save must not wipe what was typed). */
  private drawable(el: HTMLElement, b: Block): boolean {
    return document.activeElement !== el && (!el.isContentEditable || el.textContent === b.text);
  }

  private drawAll(): void {
    for (const side of SIDES) {
      const byBlock = this.highlights(side);
      for (const b of this.data!.docs[side].blocks) {
        const el = this.blockEls[side][b.index]!;
        if (el.childNodes.length > 0 && !this.drawable(el, b)) continue;
        drawBlockText(el, b.text, b.dir, byBlock.get(b.index) ?? []);
      }
    }
  }

  private drawBlock(side: Side, index: number): void {
    const b = this.data?.docs[side].blocks[index];
    const el = this.blockEls[side][index];
    if (!b || !el || !this.drawable(el, b)) return;
    drawBlockText(el, b.text, b.dir, this.highlights(side).get(index) ?? []);
  }

  private indexLinks(): void {
    this.partners = new Map();
    const add = (id: string, partner: { side: Side; id: string }) => this.partners.set(id, [...(this.partners.get(id) ?? []), partner]);
    for (const l of this.data!.links) {
      add(l.a.annotationId, { side: 'target', id: l.b.annotationId });
      add(l.b.annotationId, { side: 'source', id: l.a.annotationId });
    }
  }

  // Layout ----------------------------------------------------------------------------------------

  private dirOf(side: Side): 'rtl' | 'ltr' {
    return this.langOf(side) === 'he' ? 'rtl' : 'ltr';
  }

  private sideName(side: Side): string {
    if (side === 'target' && this.data?.pair.kind === 'translation') return t('pair.sides.translation');
    return t(`pair.sides.${side}`);
  }

  /** Side by side, the right-to-left text goes on the right; two texts of one direction put the
   * source where the interface starts. Swapping turns either around. */
  private leftSide(): Side {
    const s = this.dirOf('source');
    const g = this.dirOf('target');
    const natural: Side = s !== g ? (s === 'rtl' ? 'target' : 'source') : document.documentElement.dir === 'rtl' ? 'target' : 'source';
    return this.swapped ? other(natural) : natural;
  }

  private render(): void {
    const data = this.data;
    if (!data) return;
    const { pair, docs } = data;
    this.unitOf = { source: [], target: [] };
    pair.beads.forEach((bead, i) => {
      for (const side of SIDES) for (const b of bead[side]) this.unitOf[side][b] = i;
    });
    // A translation block is described by its source, which a screen reader reads on entering it.
    if (this.writer) {
      for (const bead of pair.beads) {
        const described = bead.source.map((s) => `pair-source-${s}`).join(' ');
        for (const b of bead.target) {
          const el = this.blockEls.target[b];
          if (!el) continue;
          if (described) el.setAttribute('aria-describedby', described);
          else el.removeAttribute('aria-describedby');
        }
      }
    }
    this.head.update({ pair, docs, targetLanguage: this.langOf('target'), layout: this.layout, swapped: this.swapped, sync: this.sync });
    this.panes.setSync(this.sync);
    const texts = Object.fromEntries(
      SIDES.map((side) => [
        side,
        {
          dir: this.dirOf(side),
          lang: this.langOf(side),
          blocks: this.blockEls[side],
          head: () => this.paneHead(side),
        },
      ]),
    ) as Record<Side, { dir: 'rtl' | 'ltr'; lang: string; blocks: HTMLElement[]; head: () => HTMLElement }>;
    this.panes.render({
      layout: this.layout,
      left: this.leftSide(),
      first: this.swapped ? 'target' : 'source',
      texts,
      beads: pair.beads,
      unitName: (i) => t('pair.unit', { n: i + 1 }),
      markerLabel: (i) => unitLabel(pair.beads[i]!, i),
      noCounterpart: t('pair.noCounterpart'),
    });
    this.el.dataset.kind = pair.kind;
    this.markCurrent();
    this.alignment.update(pair, this.current);
    this.passages.update(data.links);
  }

  private paneHead(side: Side): HTMLElement {
    const doc = this.data!.docs[side];
    return h(
      'div',
      { class: 'pane-head' },
      h('span', { class: 'pane-role' }, `${this.sideName(side)} · ${t(`languages.${doc.language}`)}`),
      h('a', { class: 'pane-title', href: `#doc=${doc.id}`, dir: 'auto', title: t('pair.openInReader') }, doc.title),
    );
  }

  private setLayout(layout: Layout): void {
    this.layout = layout;
    store(LAYOUT_KEY, layout);
    this.render();
  }

  private setSwapped(on: boolean): void {
    this.swapped = on;
    this.render();
  }

  private setSync(on: boolean): void {
    this.sync = on;
    store(SYNC_KEY, on ? 'on' : 'off');
    this.panes.setSync(on);
    if (this.data) this.head.update({ pair: this.data.pair, docs: this.data.docs, targetLanguage: this.langOf('target'), layout: this.layout, swapped: this.swapped, sync: on });
  }

  // Units: hover, current, choosing ---------------------------------------------------------------

  private setCurrent(unit: number | null): void {
    if (unit === this.current) return;
    this.current = unit;
    this.markCurrent();
    if (this.data) this.alignment.update(this.data.pair, unit);
  }

  private markCurrent(): void {
    for (const u of this.panes.el.querySelectorAll<HTMLElement>('.unit')) {
      const on = u.dataset.unit === String(this.current);
      u.classList.toggle('current', on);
      if (on) u.setAttribute('aria-current', 'true');
      else u.removeAttribute('aria-current');
    }
  }

  private markHover(unit: string | null): void {
    for (const u of this.panes.el.querySelectorAll<HTMLElement>('.unit.hovered')) if (u.dataset.unit !== unit) u.classList.remove('hovered');
    if (unit !== null) for (const u of this.panes.el.querySelectorAll<HTMLElement>(`.unit[data-unit="${unit}"]`)) u.classList.add('hovered');
  }

  private markChosen(chosen: Record<Side, ReadonlySet<number>> | null): void {
    this.el.classList.toggle('choosing', chosen !== null);
    for (const side of SIDES) {
      for (const el of this.blockEls[side]) {
        const index = Number(el.dataset.block);
        const editable = side === 'target' && this.writer !== null;
        if (chosen) {
          // While choosing, a block is a check box (Space or Enter), not text to edit.
          el.classList.toggle('chosen', chosen[side].has(index));
          el.setAttribute('role', 'checkbox');
          el.setAttribute('aria-checked', String(chosen[side].has(index)));
          el.setAttribute('aria-label', t('pair.chooseBlock', { side: this.sideName(side), n: index + 1 }));
          if (editable) el.contentEditable = 'false';
          el.tabIndex = 0;
        } else {
          el.classList.remove('chosen');
          el.removeAttribute('aria-checked');
          if (editable) {
            TranslationWriter.editable(el);
            this.labelEditable(el);
          } else {
            el.removeAttribute('role');
            el.removeAttribute('aria-label');
            el.removeAttribute('tabindex');
          }
        }
      }
    }
  }

  private listen(): void {
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.alignment.isChoosing) {
        e.preventDefault();
        this.alignment.stopChoosing();
      }
    });
    const content = this.panes.el;
    content.addEventListener('click', (e) => this.clicked(e));
    content.addEventListener('keydown', (e) => {
      if (!this.alignment.isChoosing || (e.key !== ' ' && e.key !== 'Enter')) return;
      const block = (e.target as HTMLElement).closest<HTMLElement>('.pair-block');
      if (!block) return;
      e.preventDefault();
      this.alignment.toggle(block.dataset.side as Side, Number(block.dataset.block), e.shiftKey);
    });
    content.addEventListener('focusin', (e) => {
      const block = (e.target as HTMLElement).closest<HTMLElement>('.pair-block');
      if (block && !this.alignment.isChoosing) this.setCurrent(this.unitOf[block.dataset.side as Side][Number(block.dataset.block)] ?? null);
    });
    content.addEventListener('mouseover', (e) => {
      const target = e.target as HTMLElement;
      this.markHover(target.closest<HTMLElement>('.unit')?.dataset.unit ?? null);
      this.markPartners(target.closest<HTMLElement>('[data-annotation-id]')?.dataset.annotationId ?? null);
    });
    content.addEventListener('mouseleave', () => {
      this.markHover(null);
      this.markPartners(null);
    });
    document.addEventListener('selectionchange', () => {
      if (this.el.hidden || !this.data) return;
      clearTimeout(this.selectionTimer);
      this.selectionTimer = setTimeout(() => this.captureSelection(), 120);
    });
  }

  private clicked(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const marker = target.closest<HTMLElement>('.unit-marker');
    if (marker) {
      this.setCurrent(Number(marker.dataset.unit));
      return;
    }
    const block = target.closest<HTMLElement>('.pair-block');
    if (!block) return;
    const side = block.dataset.side as Side;
    const index = Number(block.dataset.block);
    if (this.alignment.isChoosing) {
      e.preventDefault();
      this.alignment.toggle(side, index, e.shiftKey);
      return;
    }
    this.setCurrent(this.unitOf[side][index] ?? null);
    const hl = target.closest<HTMLElement>('[data-annotation-id]');
    if (!hl || !document.getSelection()?.isCollapsed) return;
    const id = hl.dataset.annotationId!;
    const partners = this.partners.get(id);
    if (partners?.length) {
      this.revealAnnotation(partners[0]!.side, partners[0]!.id);
      return;
    }
    // A highlight without a link: it becomes this side's passage to link.
    const a = this.data!.annotations[side].find((x) => x.id === id);
    if (a) this.passages.choose(side, passageOf(this.data!.docs[side].blocks, a.start, a.end, a.id));
  }

  private markPartners(id: string | null): void {
    for (const el of this.panes.el.querySelectorAll('.hl-partner')) el.classList.remove('hl-partner');
    if (!id) return;
    for (const p of this.partners.get(id) ?? []) for (const el of this.spans(p.side, p.id)) el.classList.add('hl-partner');
  }

  // Linked passages -------------------------------------------------------------------------------

  private captureSelection(): void {
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0 || this.alignment.isChoosing) return;
    const found = passageOfRange(sel.getRangeAt(0), this.blockEls);
    if (found) this.passages.choose(found.side, found.passage);
  }

  private canonical(side: Side, p: Passage): { start: number; end: number } {
    const blocks = this.data!.docs[side].blocks;
    return { start: blocks[p.startBlock]!.start + p.startOffset, end: blocks[p.endBlock]!.start + p.endOffset };
  }

  private async annotationFor(side: Side, p: Passage): Promise<string> {
    if (p.annotationId) return p.annotationId;
    const { start, end } = this.canonical(side, p);
    if (end <= start) throw new Error(t('pair.emptyPassage'));
    const existing = this.data!.annotations[side].find((a) => a.status === 'anchored' && a.start === start && a.end === end);
    if (existing) return existing.id;
    const created = await this.api['annotations.create']({ documentId: this.data!.docs[side].id, start, end, color: 'blue' });
    this.data!.annotations[side].push(created);
    return created.id;
  }

  private async linkPassages(source: Passage, target: Passage): Promise<void> {
    try {
      await this.writer?.flushAll();
      const a = await this.annotationFor('source', source);
      const b = await this.annotationFor('target', target);
      await this.api['links.create']({ a, b });
      document.getSelection()?.removeAllRanges();
      await this.reloadNotes();
      this.announce(t('pair.linked'));
    } catch (e) {
      this.toast.error(e);
      throw e;
    }
  }

  private async removeLink(link: AnnotationLink): Promise<void> {
    try {
      await this.api['links.delete']({ a: link.a.annotationId, b: link.b.annotationId });
      await this.reloadNotes();
      this.announce(t('pair.linkRemoved'));
    } catch (e) {
      this.toast.error(e);
    }
  }

  /** Annotations and links of both texts again (after a link, or after a save moved them). */
  private async reloadNotes(): Promise<void> {
    const data = this.data;
    if (!data) return;
    const [source, target, links] = await Promise.all([
      this.api['annotations.list']({ documentId: data.docs.source.id }),
      this.api['annotations.list']({ documentId: data.docs.target.id }),
      this.api['links.list']({ documentId: data.docs.source.id }),
    ]);
    if (this.data !== data) return;
    data.annotations = { source, target };
    data.links = links.filter((l) => l.b.documentId === data.docs.target.id);
    this.indexLinks();
    this.drawAll();
    this.passages.update(data.links);
  }

  private spans(side: Side, id: string): HTMLElement[] {
    return [...this.panes.el.querySelectorAll<HTMLElement>(`.pair-block[data-side="${side}"] [data-annotation-id="${CSS.escape(id)}"]`)];
  }

  private revealAnnotation(side: Side, id: string): void {
    if (this.layout === 'single' && (this.swapped ? 'target' : 'source') !== side) this.setSwapped(!this.swapped);
    const spans = this.spans(side, id);
    if (spans.length === 0) {
      this.announce(t('pair.notShown'));
      return;
    }
    this.panes.reveal(spans[0]!);
    for (const s of spans) {
      s.classList.remove('hl-flash');
      void s.offsetWidth; // restart the animation
      s.classList.add('hl-flash');
      setTimeout(() => s.classList.remove('hl-flash'), FLASH_MS);
    }
    this.announce(t('pair.revealed', { side: this.sideName(side), quote: isolate(shortQuote(spans.map((s) => s.textContent).join(''))) }));
  }

  private revealLink(link: AnnotationLink): void {
    if (this.layout !== 'single') this.revealAnnotation('source', link.a.annotationId);
    this.revealAnnotation('target', link.b.annotationId);
  }

  private announce(message: string): void {
    this.announcer.textContent = '';
    // A fresh text node is what makes screen readers speak the same message twice.
    setTimeout(() => (this.announcer.textContent = message), 30);
  }

  // Translation -----------------------------------------------------------------------------------

  private makeWriter(pairId: number): TranslationWriter {
    return new TranslationWriter(this.api, {
      pairId,
      savedText: (i) => this.data?.docs.target.blocks[i]?.text ?? '',
      element: (i) => this.blockEls.target[i],
      count: () => this.blockEls.target.length,
      // Highlights are redrawn once a block is left and its text saved (the server moved them).
      left: (i) => this.drawBlock('target', i),
      saved: (i, result) => {
        const data = this.data;
        if (!data || data.pair.id !== pairId) return;
        const blocks = data.docs.target.blocks;
        blocks[i] = result.block;
        for (let j = i + 1; j < blocks.length; j++) blocks[j] = { ...blocks[j]!, start: blocks[j]!.start + result.delta };
        data.pair.progress = result.progress;
        this.head.progress(data.pair);
        if (data.annotations.target.length > 0 && (result.shifted > 0 || result.orphaned > 0)) void this.reloadNotes().catch((e) => this.toast.error(e));
      },
      state: (state, error) => this.head.saving(state, error),
    });
  }

  // Alignment and export --------------------------------------------------------------------------

  private async runAlignment(action: AlignmentAction): Promise<void> {
    const data = this.data;
    if (!data) return;
    const pairId = data.pair.id;
    // The current unit is followed through the change by its first block.
    const bead = this.current === null ? undefined : data.pair.beads[this.current];
    const keep = bead ? (bead.source.length ? { side: 'source' as Side, block: bead.source[0]! } : { side: 'target' as Side, block: bead.target[0]! }) : null;
    try {
      const view = await requestAlignment(this.api, pairId, action);
      if (this.data !== data) return;
      data.pair = { ...view, progress: data.pair.progress };
      if (action.type === 'link') {
        const first = action.sourceBlocks.length ? { side: 'source' as Side, block: action.sourceBlocks[0]! } : { side: 'target' as Side, block: action.targetBlocks[0]! };
        this.current = view.beads.findIndex((b) => b[first.side].includes(first.block));
      } else if (keep) {
        const i = view.beads.findIndex((b) => b[keep.side].includes(keep.block));
        this.current = i >= 0 ? i : null;
      }
      this.render();
      const unit = this.panes.el.querySelector<HTMLElement>(`.unit[data-unit="${this.current}"]`);
      if (unit) this.panes.reveal(unit, true);
      this.announce(t(`pair.done.${action.type}`, { count: view.beads.length }));
    } catch (e) {
      this.toast.error(e);
    }
  }

  private async export(format: PairExportFormat): Promise<void> {
    if (!this.data) return;
    try {
      await this.writer?.flushAll();
      const out = await this.api['pairs.export']({ pairId: this.data.pair.id, format });
      download(out.content, out.fileName, out.mediaType);
      this.toast.show(t('pair.exported', { file: isolate(out.fileName) }));
    } catch (e) {
      this.toast.error(e);
    }
  }
}
