/**
 * The bilingual desk (`#pair=ID`): two texts in units of alignment, side by side in aligned rows,
 * stacked or one at a time; a translation written block by block next to its source; the
 * alignment corrected unit by unit, with the units a text changed under marked for review;
 * passages linked across the two texts, with their tags and notes shown from both sides; exports
 * of the pair, and a translation brought back from a CAT tool (XLIFF).
 *
 * Blocks are drawn as plain DOM with the reader's classes (isolates for opposite-direction runs,
 * highlight spans) rather than ProseMirror: a pane shows a text, and the one thing written here,
 * a translation block, is one line of plain text. A block's element is made when the section
 * holding it is first drawn (a long pair is drawn section by section, `panes.ts`).
 *
 * Keyboard: Tab and Shift+Tab go from target segment to target segment; Alt+Up and Alt+Down go
 * from row to row, Alt+Left and Alt+Right to the other text of the row; the row holding the caret
 * is marked on both sides. The texts' pane is a Tab stop with a caret in the read-only text
 * (`pair/desk-caret.ts`): arrows move it, Shift selects, Tab goes on to the row's target segment.
 * Alt+L links the passages chosen in the two texts; Alt+Shift+L removes the link of the linked
 * passage at the caret (with Undo). Mod+Z and Mod+Shift+Z (or Mod+Y) undo and redo the links made
 * and removed here (`pair/desk-history.ts`), outside a segment being written (which has its own).
 *
 * Each text has its `DocumentSession` (session/document-session.ts), the desk's only copy of its
 * document and annotations: the highlights a link needs are made through it, undone through its
 * history, and drawn from its events (the blocks whose highlights changed are drawn again; the
 * links list and the partners' titles follow). The desk itself keeps only the links.
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
import { canonicalSlice } from '../common/text/positions.js';
import { highlightsByBlock, sameHighlights, type BlockHighlight } from './pair/block-text.js';
import { DeskCaret } from './pair/desk-caret.js';
import { DeskHistory, type DeskStep, type MadeHighlight } from './pair/desk-history.js';
import { LAYOUTS, Panes, unitOf, type Layout } from './pair/panes.js';
import { PairHead } from './pair/pair-head.js';
import { passageOf, passageOfRange, PassagesPanel, shortQuote, type Passage } from './pair/passages.js';
import { TranslationWriter } from './pair/translation.js';
import { DocumentSession, type SessionEvent } from './session/document-session.js';
import { inTextField, matches } from './keys.js';
import type { Toaster } from './toast.js';

const SIDES: Side[] = ['source', 'target'];
const other = (side: Side): Side => (side === 'source' ? 'target' : 'source');
const LAYOUT_KEY = 'gloss.pair.layout';
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

/** What the library answers for a pair: its texts, their annotations and the links between them. */
interface Fetched {
  pair: PairView;
  docs: Record<Side, DocumentFull>;
  annotations: Record<Side, Annotation[]>;
  links: AnnotationLink[];
}

interface Loaded {
  pair: PairView;
  /** Each text's session: its document (while `partial`, only its first blocks) and its annotations. */
  sessions: Record<Side, DocumentSession>;
  links: AnnotationLink[];
  /** The link steps made here, undone through the sessions. */
  history: DeskHistory;
  partial?: boolean;
}

/** Pairs with more blocks than this (both texts) are opened in two steps: the first rows, then the rest. */
const PROGRESSIVE_BLOCKS = 600;
/** The units whose blocks come in the first step: the first sections' worth. */
const HEAD_UNITS = 100;

/** What `#pair=ID&bench` exposes to `bench/pair-ui.ts` (never installed otherwise). */
export interface PairBench {
  sections(): { total: number; mounted: number };
  units(): number;
}

export class PairDesk {
  readonly el: HTMLElement;
  private readonly head: PairHead;
  private readonly announcer: HTMLElement;
  private readonly panes = new Panes();
  private readonly alignment: AlignmentPanel;
  private readonly passages: PassagesPanel;
  private readonly caret: DeskCaret;
  private data: Loaded | null = null;
  /** Block elements made so far (a long pair's are made section by section). */
  private blockEls: Record<Side, Map<number, HTMLElement>> = { source: new Map(), target: new Map() };
  private tables: Record<Side, (string | null)[]> = { source: [], target: [] };
  private highlightCache: Record<Side, Map<number, BlockHighlight[]> | null> = { source: null, target: null };
  private unitOf: Record<Side, number[]> = { source: [], target: [] };
  private partners = new Map<string, { side: Side; id: string }[]>();
  private current: number | null = null;
  private chosen: Record<Side, ReadonlySet<number>> | null = null;
  private layout: Layout = LAYOUTS.includes(stored(LAYOUT_KEY) as Layout) ? (stored(LAYOUT_KEY) as Layout) : 'side';
  private swapped = false;
  private writer: TranslationWriter | null = null;
  private opening = 0;
  private selectionTimer: ReturnType<typeof setTimeout> | undefined;
  private firstRows = false;

  constructor(
    private readonly api: GlossApi,
    private readonly toast: Toaster,
  ) {
    this.head = new PairHead({
      layout: (l) => this.setLayout(l),
      swap: () => this.setSwapped(!this.swapped),
      export: (f) => void this.export(f),
    });
    this.announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.alignment = new AlignmentPanel({
      run: (a) => this.runAlignment(a),
      choosing: (chosen) => this.markChosen(chosen),
      nextReview: () => this.nextReview(),
      importTranslation: (file) => this.importTranslation(file),
    });
    this.passages = new PassagesPanel({
      sideName: (side) => this.sideName(side),
      link: (s, tg) => this.linkPassages(s, tg),
      reveal: (link) => this.revealLink(link),
      remove: (link) => this.removeLink(link),
      annotation: (side, id) => this.data?.sessions[side].get(id),
    });
    const strip = h('aside', { class: 'pair-strip', tAttrs: { 'aria-label': 'pair.strip' } }, this.alignment.el, this.passages.el);
    this.caret = new DeskCaret(this.panes.el, {
      pane: () => this.panes.scrollers()[0] ?? null,
      block: (side, index) => this.blockAt(side, index),
      blockCount: (side) => (this.data ? this.doc(side).blocks.length : 0),
      active: () => !this.alignment.isChoosing,
      moved: (side, index) => this.setCurrent(this.unitOf[side][index] ?? this.current),
    });
    this.el = h('section', { class: 'pair-view', hidden: true, tAttrs: { 'aria-label': 'pair.region' } }, this.head.el, h('div', { class: 'pair-body' }, this.panes.el, strip), this.announcer, this.caret.el);
    this.listen();
    if (/^#(?:.*&)?bench(?:&|=|$)/.test(location.hash)) {
      const bench: PairBench = { sections: () => this.panes.sectionCount(), units: () => this.data?.pair.beads.length ?? 0 };
      (window as unknown as { __glossPairBench: PairBench }).__glossPairBench = bench;
    }
  }

  // Opening -----------------------------------------------------------------------------------

  async open(pairId: number): Promise<void> {
    const shown = !this.el.hidden;
    this.el.hidden = false;
    if (shown && this.data?.pair.id === pairId) return;
    const ticket = ++this.opening;
    performance.mark('gloss:pair-open');
    await this.writer?.flushAll();
    const pair = await this.api['pairs.get']({ pairId });
    if (ticket !== this.opening) return;
    // A long pair shows its first rows from the blocks they need, then everything else.
    const long = pair.source.blockCount + pair.target.blockCount > PROGRESSIVE_BLOCKS;
    const loaded = long ? await this.loadHead(pair) : await this.fetch(pairId, pair);
    if (ticket !== this.opening) return;
    this.writer?.reset();
    this.closeSessions();
    const sessions = { source: this.session('source', loaded.docs.source), target: this.session('target', loaded.docs.target) };
    this.data = { pair: loaded.pair, sessions, links: loaded.links, history: new DeskHistory(this.api, sessions), partial: long };
    this.current = null;
    this.swapped = false;
    this.alignment.stopChoosing();
    this.alignment.showReport(null);
    this.passages.choose('source', null);
    this.passages.choose('target', null);
    this.writer = loaded.pair.kind === 'translation' ? this.makeWriter(pairId) : null;
    this.resetBlocks();
    this.indexLinks();
    this.panes.clear();
    for (const side of SIDES) sessions[side].load(loaded.annotations[side]);
    this.firstRows = false;
    this.render();
    this.head.saving('idle');
    if (long) await this.loadRest(ticket);
    if (ticket === this.opening) performance.mark('gloss:pair-ready');
  }

  /** The pair's first units' blocks (no annotations yet): enough for the first rows. */
  private async loadHead(pair: PairView): Promise<Fetched> {
    const first = pair.beads.slice(0, HEAD_UNITS);
    const need = (side: Side) => Math.max(0, ...first.flatMap((b) => b[side])) + 1;
    const heads = await Promise.all(
      SIDES.map(async (side) => {
        const { from: _from, total: _total, ...doc } = await this.api['documents.blocks']({ documentId: pair[side].id, from: 0, count: need(side) });
        return doc;
      }),
    );
    return { pair, docs: { source: heads[0]!, target: heads[1]! }, annotations: { source: [], target: [] }, links: [] };
  }

  /**
   * The rest of a long pair: whole texts, annotations and links; drawn in place, the reading kept
   * where it is. Each session takes its whole text and annotations (`extend`), keeping what was
   * made or undone on the first rows meanwhile.
   */
  private async loadRest(ticket: number): Promise<void> {
    const data = this.data!;
    const since = { source: data.sessions.source.version, target: data.sessions.target.version };
    try {
      const full = await this.fetch(data.pair.id, data.pair);
      if (ticket !== this.opening || this.data !== data) return;
      // The alignment stays as it stands here (it may have been corrected meanwhile).
      data.links = full.links;
      data.partial = false;
      this.indexLinks();
      for (const side of SIDES) data.sessions[side].extend(full.annotations[side], full.docs[side].blocks, since[side]);
      this.tables = { source: tableDirections(full.docs.source.blocks), target: tableDirections(full.docs.target.blocks) };
      this.render();
    } catch (e) {
      this.toast.error(e);
    }
  }

  private async fetch(pairId: number, known?: PairView): Promise<Fetched> {
    const pair = known ?? (await this.api['pairs.get']({ pairId }));
    const [source, target, sourceNotes, targetNotes, links] = await Promise.all([
      this.api['documents.get']({ documentId: pair.source.id }),
      this.api['documents.get']({ documentId: pair.target.id }),
      this.api['annotations.list']({ documentId: pair.source.id }),
      this.api['annotations.list']({ documentId: pair.target.id }),
      this.api['links.list']({ documentId: pair.source.id }),
    ]);
    return { pair, docs: { source, target }, annotations: { source: sourceNotes, target: targetNotes }, links: links.filter((l) => l.b.documentId === target.id) };
  }

  /**
   * Everything again from the library (after a translation was imported, or a segment added),
   * keeping the place: each session takes the texts and the annotations as they are now
   * (`absorb`: only what differs is told, what was made here meanwhile is kept, and so is the undo
   * history).
   */
  private async refresh(): Promise<void> {
    const data = this.data;
    if (!data) return;
    await this.writer?.flushAll();
    const since = { source: data.sessions.source.version, target: data.sessions.target.version };
    const fresh = await this.fetch(data.pair.id);
    if (this.data !== data) return;
    this.writer?.reset();
    data.pair = fresh.pair;
    data.links = fresh.links;
    // The blocks are made again from the new texts, after the sessions have them.
    this.blockEls = { source: new Map(), target: new Map() };
    this.indexLinks();
    for (const side of SIDES) data.sessions[side].absorb(fresh.annotations[side], true, fresh.docs[side].blocks, since[side]);
    this.resetBlocks();
    this.render();
  }

  /** A text's session, drawn on the desk as it changes. */
  private session(side: Side, doc: DocumentFull): DocumentSession {
    const session = new DocumentSession(this.api, doc);
    session.subscribe((e) => this.changed(side, session, e));
    return session;
  }

  private closeSessions(): void {
    for (const side of SIDES) this.data?.sessions[side].close();
  }

  /** A text's document as its session holds it. */
  private doc(side: Side): DocumentFull {
    return this.data!.sessions[side].document;
  }

  private resetBlocks(): void {
    this.blockEls = { source: new Map(), target: new Map() };
    this.highlightCache = { source: null, target: null };
    this.tables = { source: tableDirections(this.doc('source').blocks), target: tableDirections(this.doc('target').blocks) };
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
    for (const el of this.blockEls.target.values()) if (el.isContentEditable) this.labelEditable(el);
    this.alignment.relabel();
    this.passages.relabel();
    this.render();
  }

  // Blocks ----------------------------------------------------------------------------------------

  private langOf(side: Side, block?: Block): string {
    const doc = this.doc(side);
    if (doc.language === 'mixed' && block) return block.dir === 'rtl' ? 'he' : 'en';
    return languageCode(doc.language, doc.blocks);
  }

  /** Block `index` of a side: its element, made (and drawn) the first time it is needed. */
  private block(side: Side, index: number): HTMLElement {
    const made = this.blockEls[side].get(index);
    if (made) return made;
    const b = this.doc(side).blocks[index]!;
    const editable = side === 'target' && this.writer !== null;
    const shell = blockShell(b, editable, this.tables[side][b.index] ?? null);
    const { class: kindClass, ...attrs } = shell.attrs;
    const el = h(shell.tag, { ...attrs, class: kindClass ? `pair-block ${kindClass}` : 'pair-block', id: `pair-${side}-${b.index}`, dir: b.dir, lang: this.langOf(side, b), 'data-side': side, 'data-block': String(b.index) });
    if (editable) this.writer!.attach(el, b.index);
    this.blockEls[side].set(index, el);
    this.draw(side, el, b);
    this.blockState(side, el);
    return el;
  }

  /** A block left the page with its section: forgotten unless it holds something (focus, unsaved text). */
  private release(side: Side, index: number): void {
    const el = this.blockEls[side].get(index);
    if (!el) return;
    const b = this.data ? this.doc(side).blocks[index] : undefined;
    if (el.isContentEditable && (document.activeElement === el || !b || el.textContent !== b.text || this.writer?.busy)) return;
    this.blockEls[side].delete(index);
  }

  /** Block `index` of a side as drawn now, its section drawn first (undefined past the loaded blocks). */
  private blockAt(side: Side, index: number): HTMLElement | undefined {
    const unit = this.unitOf[side][index];
    if (unit === undefined) return undefined;
    this.panes.showUnit(unit);
    return this.blockEls[side].get(index);
  }

  private labelEditable(el: HTMLElement): void {
    const n = Number(el.dataset.block) + 1;
    el.setAttribute('aria-label', t('pair.translationOf', { n }));
    el.dataset.placeholder = t('pair.placeholder');
  }

  /** A block's role and focus, for the mode the desk is in (choosing blocks to link, or not). */
  private blockState(side: Side, el: HTMLElement): void {
    const index = Number(el.dataset.block);
    const editable = side === 'target' && this.writer !== null;
    const chosen = this.chosen;
    if (chosen) {
      // While choosing, a block is a check box (Space or Enter), not text to edit.
      el.classList.toggle('chosen', chosen[side].has(index));
      el.setAttribute('role', 'checkbox');
      el.setAttribute('aria-checked', String(chosen[side].has(index)));
      el.setAttribute('aria-label', t('pair.chooseBlock', { side: this.sideName(side), n: index + 1 }));
      if (editable) el.contentEditable = 'false';
      el.tabIndex = 0;
      return;
    }
    el.classList.remove('chosen');
    el.removeAttribute('aria-checked');
    if (editable) {
      TranslationWriter.editable(el);
      this.labelEditable(el);
    } else if (side === 'target') {
      // The target's segments are where Tab goes, in a pair of two texts too (a focused
      // segment is read as its text: a paragraph takes no name of its own).
      el.removeAttribute('role');
      el.removeAttribute('aria-label');
      el.tabIndex = 0;
    } else {
      el.removeAttribute('role');
      el.removeAttribute('aria-label');
      el.removeAttribute('tabindex');
    }
    // A translation block is described by its source, which a screen reader reads on entering it.
    if (side === 'target' && this.data) {
      const bead = this.data.pair.beads[this.unitOf.target[index] ?? -1];
      const described = bead?.source.map((s) => `pair-source-${s}`).join(' ');
      if (described) el.setAttribute('aria-describedby', described);
      else el.removeAttribute('aria-describedby');
    }
  }

  private highlights(side: Side): Map<number, BlockHighlight[]> {
    let cached = this.highlightCache[side];
    if (!cached) {
      const linked = new Set([...this.partners.keys()]);
      cached = highlightsByBlock(this.doc(side).blocks, this.data!.sessions[side].list(), linked);
      this.highlightCache[side] = cached;
    }
    return cached;
  }

  /** A block is redrawn only when that loses nothing: not while it is being edited, and not
   * while it holds text not saved yet (a failed save must not wipe what was typed). */
  private drawable(el: HTMLElement, b: Block): boolean {
    return !el.isContentEditable || (document.activeElement !== el && el.textContent === b.text);
  }

  private draw(side: Side, el: HTMLElement, b: Block): void {
    drawBlockText(el, b.text, b.dir, this.highlights(side).get(b.index) ?? []);
    this.titleLinked(el);
  }

  /** A linked passage says what its partner holds: its quote, tags and note (both sides' notes at a glance). */
  private titleLinked(root: HTMLElement): void {
    for (const span of root.querySelectorAll<HTMLElement>('.hl-linked')) {
      const id = span.dataset.annotationId!;
      const parts: string[] = [];
      for (const p of this.partners.get(id) ?? []) {
        const a = this.data!.sessions[p.side].get(p.id);
        if (a) parts.push(t('pair.linkedTitle', { quote: shortQuote(a.exact, 50), tags: a.tags.join(', ') || '—', note: a.note || '—' }));
      }
      if (parts.length) span.title = parts.join('\n');
      else span.removeAttribute('title');
    }
  }

  private drawBlock(side: Side, index: number): void {
    const b = this.data ? this.doc(side).blocks[index] : undefined;
    const el = this.blockEls[side].get(index);
    if (!b || !el || !this.drawable(el, b)) return;
    this.draw(side, el, b);
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
    const { pair } = data;
    const docs = { source: this.doc('source'), target: this.doc('target') };
    this.unitOf = { source: [], target: [] };
    pair.beads.forEach((bead, i) => {
      for (const side of SIDES) for (const b of bead[side]) this.unitOf[side][b] = i;
    });
    for (const el of this.blockEls.target.values()) this.blockState('target', el);
    this.head.update({ pair, docs, targetLanguage: this.langOf('target'), layout: this.layout, swapped: this.swapped });
    const texts = Object.fromEntries(
      SIDES.map((side) => [
        side,
        {
          dir: this.dirOf(side),
          lang: this.langOf(side),
          head: () => this.paneHead(side),
          block: (i: number) => this.block(side, i),
          release: (i: number) => this.release(side, i),
          // The session's text as it is when asked (a saved segment gives it new blocks).
          length: (i: number) => data.sessions[side].document.blocks[i]?.text.length ?? 0,
          has: (i: number) => data.sessions[side].document.blocks[i] !== undefined,
        },
      ]),
    ) as Record<Side, Parameters<Panes['render']>[0]['texts'][Side]>;
    this.panes.render({
      layout: this.layout,
      left: this.leftSide(),
      first: this.swapped ? 'target' : 'source',
      texts,
      beads: pair.beads,
      label: t('pair.textsLabel'),
      unitName: (i) => t('pair.unit', { n: i + 1 }),
      markerLabel: (i) => unitLabel(pair.beads[i]!, i),
      noCounterpart: t('pair.noCounterpart'),
      emptySide: (unit, side) => this.emptySide(unit, side),
      drawn: (unit, cells) => this.markUnit(unit, cells),
    });
    this.el.dataset.kind = pair.kind;
    this.markCurrent();
    this.alignment.update(pair, this.current);
    this.passages.update(data.links);
    if (!this.firstRows) {
      this.firstRows = true;
      // The first rows are on screen once laid out: the mark the benchmark reads.
      void this.panes.el.offsetHeight;
      performance.mark('gloss:pair-first-rows');
    }
  }

  /** A translation's unit with source text and no segment: a button that gives it one. */
  private emptySide(unit: number, side: Side): HTMLElement | null {
    const data = this.data;
    if (!data || side !== 'target' || data.pair.kind !== 'translation' || data.pair.beads[unit]!.source.length === 0) return null;
    return h('button', { type: 'button', class: 'add-segment', 'aria-label': t('pair.addSegmentNamed', { n: unit + 1 }), on: { click: () => void this.addSegment(unit) } }, t('pair.addSegment'));
  }

  private async addSegment(unit: number): Promise<void> {
    const data = this.data;
    if (!data) return;
    try {
      await this.writer?.flushAll();
      const view = await this.api['pairs.addTargetBlock']({ pairId: data.pair.id, bead: unit });
      if (this.data !== data) return;
      const block = view.beads[unit]?.target[0];
      this.current = unit;
      await this.refresh();
      const el = block === undefined ? undefined : this.blockEls.target.get(block);
      if (el) this.focusBlock(el);
      this.announce(t('pair.segmentAdded', { n: unit + 1 }));
    } catch (e) {
      this.toast.error(e);
    }
  }

  private paneHead(side: Side): HTMLElement {
    const doc = this.doc(side);
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

  // Units: hover, current, choosing ---------------------------------------------------------------

  private setCurrent(unit: number | null): void {
    if (unit === this.current) return;
    this.current = unit;
    this.markCurrent();
    if (this.data) this.alignment.update(this.data.pair, unit);
  }

  /** A unit just drawn takes the marks it should have. */
  private markUnit(unit: number, cells: HTMLElement[]): void {
    const on = unit === this.current;
    for (const c of cells) c.classList.toggle('current', on);
    const row = cells[0]?.closest<HTMLElement>('.unit-row');
    if (row) row.classList.toggle('current', on);
    if (on) (row ?? cells[0])?.setAttribute('aria-current', 'true');
  }

  private markCurrent(): void {
    for (const u of this.panes.el.querySelectorAll<HTMLElement>('.unit-row[data-unit], .unit[data-unit]')) {
      const on = u.dataset.unit === String(this.current);
      u.classList.toggle('current', on);
      const grouped = u.classList.contains('unit-row') || !u.parentElement?.classList.contains('unit-row');
      if (on && grouped) u.setAttribute('aria-current', 'true');
      else u.removeAttribute('aria-current');
    }
  }

  private markHover(unit: string | null): void {
    for (const u of this.panes.el.querySelectorAll<HTMLElement>('.unit.hovered')) if (u.dataset.unit !== unit) u.classList.remove('hovered');
    if (unit !== null) for (const u of this.panes.el.querySelectorAll<HTMLElement>(`.unit[data-unit="${unit}"]`)) u.classList.add('hovered');
  }

  private markChosen(chosen: Record<Side, ReadonlySet<number>> | null): void {
    this.chosen = chosen;
    this.el.classList.toggle('choosing', chosen !== null);
    for (const side of SIDES) for (const el of this.blockEls[side].values()) this.blockState(side, el);
  }

  /** Shows the next unit marked for review after the current one (wrapping round). */
  private nextReview(): void {
    const beads = this.data?.pair.beads ?? [];
    const from = this.current ?? -1;
    for (let k = 1; k <= beads.length; k++) {
      const i = (from + k) % beads.length;
      if (beads[i]!.review) {
        this.setCurrent(i);
        const el = this.panes.showUnit(i);
        if (el) {
          this.panes.reveal(el);
          el.querySelector<HTMLElement>('.unit-marker:not([tabindex="-1"])')?.focus({ preventScroll: true });
        }
        this.announce(unitLabel(beads[i]!, i));
        return;
      }
    }
  }

  private listen(): void {
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.alignment.isChoosing) {
        e.preventDefault();
        this.alignment.stopChoosing();
        return;
      }
      // Alt+L: link the passages chosen in the two texts; Alt+Shift+L: unlink the passage at the caret.
      if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyL') {
        e.preventDefault();
        if (e.shiftKey) this.unlinkAtCaret();
        else void this.passages.linkChosen();
      }
    });
    const content = this.panes.el;
    content.addEventListener('click', (e) => this.clicked(e));
    content.addEventListener('keydown', (e) => {
      if (this.alignment.isChoosing) {
        if (e.key !== ' ' && e.key !== 'Enter') return;
        const block = (e.target as HTMLElement).closest<HTMLElement>('.pair-block');
        if (!block) return;
        e.preventDefault();
        this.alignment.toggle(block.dataset.side as Side, Number(block.dataset.block), e.shiftKey);
        return;
      }
      if (e.isComposing) return;
      if (this.caret.key(e)) {
        e.preventDefault();
        return;
      }
      if (e.key === 'Tab' && !e.altKey && !e.ctrlKey && !e.metaKey) this.tabTarget(e);
      else if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) this.moveRow(e, e.key === 'ArrowDown' ? 1 : -1);
      else if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) this.acrossRow(e, e.key === 'ArrowLeft' ? 'left' : 'right');
    });
    content.addEventListener('focusin', (e) => {
      const found = unitOf(e.target as Node);
      if (found && !this.alignment.isChoosing) this.setCurrent(found.unit);
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
    // Undo and redo of the desk's links, wherever the focus is on the desk (or nowhere, after a
    // click in the read-only text); a text field (a segment being written) keeps its own.
    document.addEventListener('keydown', (e) => {
      if (this.el.hidden || !this.data || e.defaultPrevented || e.isComposing || inTextField(e.target)) return;
      if (e.target instanceof Node && e.target !== document.body && !this.el.contains(e.target)) return;
      const back = matches(e, 'Mod+KeyZ');
      if (!back && !matches(e, 'Mod+Shift+KeyZ') && !matches(e, 'Mod+KeyY')) return;
      e.preventDefault();
      void this.history(back ? 'undo' : 'redo');
    });
    document.addEventListener('selectionchange', () => {
      if (this.el.hidden || !this.data) return;
      clearTimeout(this.selectionTimer);
      this.selectionTimer = setTimeout(() => this.captureSelection(), 120);
    });
  }

  /** The target blocks in text order from unit `from` on (or back), skipping units without one. */
  private targetBlockNear(from: number, step: 1 | -1): HTMLElement | null {
    const beads = this.data!.pair.beads;
    for (let u = from; u >= 0 && u < beads.length; u += step) {
      const blocks = beads[u]!.target;
      if (blocks.length === 0) continue;
      const row = this.panes.showUnit(u);
      if (!row) continue;
      const index = step === 1 ? blocks[0]! : blocks[blocks.length - 1]!;
      return this.blockEls.target.get(index) ?? null;
    }
    return null;
  }

  /** Tab and Shift+Tab in a target segment: the next or previous target segment. */
  private tabTarget(e: KeyboardEvent): void {
    if (e.target === this.panes.scrollers()[0]) {
      // From the caret in the source, Tab goes on to the target segment of its row.
      const at = this.caret.place();
      const unit = at ? this.unitOf[at.side][at.index] : undefined;
      if (!e.shiftKey && at?.side === 'source' && unit !== undefined) {
        const next = this.targetBlockNear(unit, 1);
        if (next) {
          e.preventDefault();
          this.focusBlock(next);
        }
      }
      return;
    }
    const block = (e.target as HTMLElement).closest<HTMLElement>('.pair-block[data-side="target"]');
    if (!block || !this.data) return;
    const index = Number(block.dataset.block);
    const step = e.shiftKey ? -1 : 1;
    const nextIndex = index + step;
    let next: HTMLElement | null = null;
    if (nextIndex >= 0 && nextIndex < this.doc('target').blocks.length) {
      const unit = this.unitOf.target[nextIndex];
      if (unit !== undefined) this.panes.showUnit(unit);
      next = this.blockEls.target.get(nextIndex) ?? null;
    }
    // At either end, Tab leaves the texts as it would anywhere.
    if (!next) return;
    e.preventDefault();
    this.focusBlock(next);
  }

  /** Alt+Up and Alt+Down: the same place in the row before or after (a target segment, or the unit's number). */
  private moveRow(e: KeyboardEvent, step: 1 | -1): void {
    if (e.target === this.panes.scrollers()[0]) {
      // The caret in the read-only text: to the start of that side's text in the row before or after.
      const at = this.caret.place();
      const unit = at ? this.unitOf[at.side][at.index] : undefined;
      if (!at || unit === undefined || !this.data) return;
      e.preventDefault();
      const beads = this.data.pair.beads;
      for (let u = unit + step; u >= 0 && u < beads.length; u += step) {
        const first = beads[u]![at.side][0];
        if (first !== undefined && this.caret.toBlock(at.side, first, 1, false, false)) {
          this.setCurrent(u);
          return;
        }
      }
      return;
    }
    const found = unitOf(e.target as Node);
    if (!found || !this.data) return;
    e.preventDefault();
    const beads = this.data.pair.beads;
    const to = found.unit + step;
    if (to < 0 || to >= beads.length) return;
    const inTarget = (e.target as HTMLElement).closest('.pair-block[data-side="target"]') !== null;
    const row = this.panes.showUnit(to);
    if (!row) return;
    const index = beads[to]!.target[0];
    const block = inTarget && index !== undefined ? this.blockEls.target.get(index) : undefined;
    if (block) this.focusBlock(block);
    else {
      const marker = row.querySelector<HTMLElement>('.unit-marker:not([tabindex="-1"])');
      marker?.focus({ preventScroll: true });
      this.panes.reveal(row);
    }
    this.setCurrent(to);
  }

  /**
   * Alt+Left and Alt+Right: to the other text of the row, when it lies that way: from a target
   * segment to a caret at the start of the row's source, from the source to the row's segment.
   */
  private acrossRow(e: KeyboardEvent, toward: 'left' | 'right'): void {
    if (!this.data || this.layout !== 'side') return;
    const pane = this.panes.scrollers()[0];
    const here = e.target === pane ? this.caret.place()?.side : (e.target as HTMLElement).closest<HTMLElement>('.pair-block')?.dataset.side;
    if (here !== 'source' && here !== 'target') return;
    const there = other(here);
    const left = this.leftSide();
    // The browser's Alt+Left is "Back": never that, in the texts.
    e.preventDefault();
    if ((toward === 'left') !== (there === left)) return;
    const from = e.target === pane ? this.caret.place() : null;
    const unit = from ? this.unitOf[from.side][from.index] : unitOf(e.target as Node)?.unit;
    if (unit === undefined || unit === null) return;
    if (there === 'target') {
      const next = this.targetBlockNear(unit, 1);
      if (next) this.focusBlock(next);
      return;
    }
    const beads = this.data.pair.beads;
    for (let u = unit; u < beads.length; u++) {
      const first = beads[u]!.source[0];
      if (first === undefined) continue;
      pane?.focus({ preventScroll: true });
      if (this.caret.toBlock('source', first, 1, false, false)) {
        this.panes.reveal(this.blockEls.source.get(first)!);
        this.setCurrent(u);
      }
      return;
    }
  }

  /** Alt+Shift+L: removes the link of the linked passage at the caret (or the selection's end). */
  private unlinkAtCaret(): void {
    const sel = document.getSelection();
    const node = sel?.focusNode;
    const span = (node instanceof HTMLElement ? node : node?.parentElement)?.closest<HTMLElement>('.hl-linked');
    const id = span && this.panes.el.contains(span) ? span.dataset.annotationId : undefined;
    const link = id ? this.data?.links.find((l) => l.a.annotationId === id || l.b.annotationId === id) : undefined;
    if (!link) {
      this.announce(t('pair.noLinkHere'));
      return;
    }
    void this.removeLink(link);
  }

  private focusBlock(el: HTMLElement): void {
    el.focus({ preventScroll: true });
    if (el.isContentEditable) {
      // The caret at the end of what is written there.
      const sel = document.getSelection();
      const range = document.createRange();
      range.selectNodeContents(el);
      range.collapse(false);
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
    this.panes.reveal(el);
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
    const a = this.data!.sessions[side].get(id);
    if (a) this.passages.choose(side, passageOf(this.doc(side).blocks, a.start, a.end, a.id));
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
    const found = passageOfRange(sel.getRangeAt(0), (side, index) => this.blockEls[side].get(index));
    if (!found) return;
    // In read-only text the quote is taken from the text itself: a selection across rows runs
    // through the other side's cells in the DOM. (A segment being written is one editing host, and
    // its text may not be saved yet: there the DOM's is the one.)
    if (!this.blockEls[found.side].get(found.passage.startBlock)?.isContentEditable) {
      const { start, end } = this.canonical(found.side, found.passage);
      found.passage.exact = canonicalSlice(this.doc(found.side).blocks, start, end);
    }
    this.passages.choose(found.side, found.passage);
  }

  private canonical(side: Side, p: Passage): { start: number; end: number } {
    const blocks = this.doc(side).blocks;
    return { start: blocks[p.startBlock]!.start + p.startOffset, end: blocks[p.endBlock]!.start + p.endOffset };
  }

  /** The highlight of a passage: the one chosen, one on exactly that range, or one made through the side's session. */
  private async annotationFor(side: Side, p: Passage, made: MadeHighlight[]): Promise<string> {
    if (p.annotationId) return p.annotationId;
    const { start, end } = this.canonical(side, p);
    if (end <= start) throw new Error(t('pair.emptyPassage'));
    const session = this.data!.sessions[side];
    const existing = session.list().find((a) => a.status === 'anchored' && a.start === start && a.end === end);
    if (existing) return existing.id;
    const created = await session.create({ start, end, color: 'blue' });
    made.push({ side, id: created.id });
    return created.id;
  }

  private async linkPassages(source: Passage, target: Passage): Promise<void> {
    const data = this.data;
    if (!data) return;
    const made: MadeHighlight[] = [];
    let link: { a: string; b: string } | null = null;
    try {
      await this.writer?.flushAll();
      const a = await this.annotationFor('source', source, made);
      const b = await this.annotationFor('target', target, made);
      await this.api['links.create']({ a, b });
      link = { a, b };
      document.getSelection()?.removeAllRanges();
      await this.refreshLinks();
      this.announce(t('pair.linked'));
    } catch (e) {
      this.toast.error(e);
      throw e;
    } finally {
      // What was made is undone together (Mod+Z), a highlight made for a link that failed too.
      if (link || made.length) data.history.record({ kind: 'link', made, link });
    }
  }

  private async removeLink(link: AnnotationLink): Promise<void> {
    const data = this.data;
    if (!data) return;
    const ends = { a: link.a.annotationId, b: link.b.annotationId };
    try {
      await this.api['links.delete'](ends);
      const step: DeskStep = { kind: 'unlink', link: ends };
      data.history.record(step);
      await this.refreshLinks();
      // The toast is read out (a status region): no announcement besides it. Its Undo is the
      // step's, unless Mod+Z undid it already.
      const undo = async () => {
        if (!data.history.forget(step)) return;
        await this.api['links.create'](ends);
        await this.refreshLinks();
        this.announce(t('pair.linked'));
      };
      this.toast.show(t('pair.linkRemoved'), { action: { label: t('common.undo'), run: () => void undo().catch((e) => this.toast.error(e)) } });
    } catch (e) {
      this.toast.error(e);
    }
  }

  /** Mod+Z, Mod+Shift+Z: the desk's last link step undone or redone (its highlights through the sessions). */
  private async history(direction: 'undo' | 'redo'): Promise<void> {
    const data = this.data;
    if (!data) return;
    const history = data.history;
    if (!(direction === 'undo' ? history.canUndo : history.canRedo)) {
      this.toast.show(t(direction === 'undo' ? 'toolbar.nothingToUndo' : 'toolbar.nothingToRedo'));
      return;
    }
    try {
      const step = direction === 'undo' ? await history.undo() : await history.redo();
      if (!step || this.data !== data) return;
      // Links are not the sessions': a highlight undeleted brought its links back with it.
      await this.refreshLinks();
      const linked = (step.kind === 'link') === (direction === 'redo');
      this.toast.show(t(linked ? 'pair.linked' : 'pair.linkRemoved'));
    } catch (e) {
      this.toast.error(e);
    }
  }

  /** The links between the two texts as the library holds them now. */
  private async refreshLinks(): Promise<void> {
    const data = this.data;
    if (!data) return;
    const links = await this.api['links.list']({ documentId: data.sessions.source.documentId });
    if (this.data !== data) return;
    data.links = links.filter((l) => l.b.documentId === data.sessions.target.documentId);
    this.linksChanged();
  }

  /** Linked highlights are drawn as such, with their partners' tags and notes; the list follows. */
  private linksChanged(): void {
    const data = this.data!;
    this.indexLinks();
    for (const side of SIDES) this.rehighlight(side, false);
    this.retitle();
    this.passages.update(data.links);
  }

  /**
   * A text's annotations as the library holds them now (a saved segment moved or detached some):
   * the session takes them (`absorb`: only what differs is told, and drawn; what changed here
   * since it was asked is newer and kept).
   */
  private async absorb(side: Side): Promise<void> {
    const data = this.data;
    if (!data) return;
    const session = data.sessions[side];
    const since = session.version;
    const list = await this.api['annotations.list']({ documentId: session.documentId });
    if (this.data !== data) return;
    session.absorb(list, true, undefined, since);
  }

  /**
   * A change of a text's session, drawn: the blocks whose highlights changed are drawn again, a
   * highlight removed takes its links with it (as the store's cascade does), and what a linked
   * passage's partner and the links list show of it (tags, note) follows.
   */
  private changed(side: Side, session: DocumentSession, e: SessionEvent): void {
    const data = this.data;
    if (!data || data.sessions[side] !== session) return;
    if (!e.reset && e.removed.length) {
      const gone = new Set(e.removed.map((a) => a.id));
      const kept = data.links.filter((l) => !gone.has(l.a.annotationId) && !gone.has(l.b.annotationId));
      if (kept.length !== data.links.length) {
        data.links = kept;
        this.indexLinks();
        this.rehighlight(other(side), false);
      }
    }
    this.rehighlight(side, e.reset);
    if (e.reset || [...e.updated, ...e.removed].some((a) => this.partners.has(a.id)) || e.removed.length) {
      this.retitle();
      this.passages.update(data.links);
    }
  }

  /**
   * A side's highlights worked out again; the blocks drawn whose highlights differ are drawn again
   * (all of them after a load, or when none were worked out to compare with).
   */
  private rehighlight(side: Side, all: boolean): void {
    const before = this.highlightCache[side];
    this.highlightCache[side] = null;
    if (this.blockEls[side].size === 0) return;
    const after = this.highlights(side);
    for (const [index, el] of this.blockEls[side]) {
      const b = this.doc(side).blocks[index];
      if (!b || !(el.childNodes.length === 0 || this.drawable(el, b))) continue;
      if (all || !before || !sameHighlights(before.get(index), after.get(index))) this.draw(side, el, b);
    }
  }

  /** The titles of the linked highlights drawn: what their partners hold now. */
  private retitle(): void {
    this.titleLinked(this.panes.el);
  }

  /** The highlight spans of an annotation, its section drawn first. */
  private spans(side: Side, id: string): HTMLElement[] {
    const a = this.data?.sessions[side].get(id);
    if (a) {
      const b = passageOf(this.doc(side).blocks, a.start, a.end);
      const unit = b ? this.unitOf[side][b.startBlock] : undefined;
      if (unit !== undefined) this.panes.showUnit(unit);
    }
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
      savedText: (i) => (this.data ? (this.doc('target').blocks[i]?.text ?? '') : ''),
      element: (i) => this.blockEls.target.get(i),
      count: () => (this.data ? this.doc('target').blocks.length : 0),
      // Highlights are redrawn once a block is left and its text saved (the server moved them).
      left: (i) => this.drawBlock('target', i),
      saved: (i, result) => {
        const data = this.data;
        if (!data || data.pair.id !== pairId) return;
        const session = data.sessions.target;
        const was = session.document.blocks[i];
        if (!was) return;
        const blocks = session.document.blocks.slice();
        blocks[i] = result.block;
        for (let j = i + 1; j < blocks.length; j++) blocks[j] = { ...blocks[j]!, start: blocks[j]!.start + result.delta };
        // The library moved the annotations after the block by the change in length, as the
        // session does here; those over the block it mapped through the edit (or detached), which
        // the session takes from its answer.
        const end = was.start + was.text.length;
        const touched = session.list().some((a) => a.status === 'anchored' && a.start < end && a.end > was.start);
        session.shift(end, result.delta);
        session.setBlocks(blocks);
        data.pair.progress = result.progress;
        this.highlightCache.target = null;
        this.head.progress(data.pair);
        if (touched || result.orphaned > 0) void Promise.all([this.absorb('target'), this.refreshLinks()]).catch((e) => this.toast.error(e));
      },
      state: (state, error) => this.head.saving(state, error),
      show: (i) => {
        const unit = this.unitOf.target[i];
        if (unit !== undefined) this.panes.showUnit(unit);
        return this.blockEls.target.get(i);
      },
    });
  }

  // Alignment, export and import ---------------------------------------------------------------------

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
      const unit = this.current === null ? null : this.panes.showUnit(this.current);
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

  /** A translation back from a CAT tool (an XLIFF file): sent, its report shown, the texts drawn again. */
  private async importTranslation(file: File): Promise<void> {
    const data = this.data;
    if (!data) return;
    try {
      await this.writer?.flushAll();
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const report = await this.api['pairs.importTranslation']({ pairId: data.pair.id, name: file.name, base64: btoa(binary) });
      if (this.data !== data) return;
      this.alignment.showReport(report);
      await this.refresh();
      this.announce(t('pair.imported', { file: isolate(report.file), count: report.updated }));
    } catch (e) {
      this.alignment.showReport(null);
      this.toast.error(e);
    }
  }
}
