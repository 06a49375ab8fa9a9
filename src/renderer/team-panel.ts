/**
 * The team in the app: the Team panel (a dialog from the top bar: connection, who is connected,
 * what is shared, a Share button for the open document, changes waiting, Sync now) and the live
 * changes of the open document. While a shared document is open, `team.changes` is asked once a
 * second; when a teammate changed it, its annotations go into the reader's document session,
 * which draws them like any other change. The main process keeps the connection (team/live.ts).
 */
import type { GlossApi, TeamStatusView } from '../common/api.js';
import { h } from './dom.js';
import { isolate, t } from './i18n.js';
import type { ReaderView } from './reader-view.js';
import type { Toaster } from './toast.js';
import './styles/team.css';

/** The pause between asks when not waiting on one; the status, less often unless the panel is open. */
const POLL_MS = 1_000;
const STATUS_MS = 5_000;
/**
 * How long the main process may hold an ask for the open document's changes (a long poll: the
 * answer comes at the change). Short, since a document opened meanwhile waits for it to end.
 */
const WAIT_MS = 4_000;

export class TeamPanel {
  /** The top bar's button. */
  readonly button: HTMLButtonElement;
  readonly el: HTMLDialogElement;
  private readonly body: HTMLElement;
  private readonly note: HTMLElement;
  private status: TeamStatusView | null = null;
  private statusAt = 0;
  /** The document whose changes are followed, and the team's version last taken in. */
  private following: { documentId: number; version: number } | null = null;
  private timer: number | undefined;
  private busy = false;

  constructor(
    private readonly api: GlossApi,
    private readonly reader: ReaderView,
    private readonly toast: Toaster,
    /** The texts shared with the team changed (one came from a teammate): the library lists them. */
    private readonly textsChanged: () => void = () => {},
  ) {
    this.button = h('button', { type: 'button', class: 'quiet team-button', 'aria-haspopup': 'dialog', on: { click: () => void this.open() } }, h('span', { class: 'team-dot', 'aria-hidden': 'true' }), h('span', { t: 'team.button' }));
    this.body = h('div', { class: 'team-body' });
    this.note = h('p', { class: 'team-note', role: 'status', 'aria-live': 'polite' });
    this.el = h(
      'dialog',
      { class: 'team-panel', 'aria-labelledby': 'team-title' },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'team-title', t: 'team.title' }), h('button', { type: 'button', class: 'icon', tAttrs: { 'aria-label': 'common.close', title: 'common.close' }, on: { click: () => this.el.close() } }, '×')),
      this.body,
      this.note,
    );
    this.paintButton();
  }

  /** Starts following: the status now and then, the open document's changes as they come. */
  start(): void {
    const tick = async () => {
      let again = false;
      try {
        again = await this.poll();
      } finally {
        this.timer = window.setTimeout(() => void tick(), again ? 0 : POLL_MS);
      }
    };
    void tick();
  }

  async open(): Promise<void> {
    if (!this.el.isConnected) document.body.append(this.el);
    this.note.textContent = '';
    await this.refresh().catch((e) => this.toast.error(e));
    this.render();
    if (!this.el.open) this.el.showModal();
  }

  relabel(): void {
    this.paintButton();
    if (this.el.open) this.render();
  }

  // -- following ----------------------------------------------------------------------------------

  private async refresh(): Promise<void> {
    const before = this.status?.texts.map((x) => `${x.textId}:${x.documentId}`).join() ?? null;
    this.status = await this.api['team.status']({});
    this.statusAt = Date.now();
    if (before !== null && before !== this.status.texts.map((x) => `${x.textId}:${x.documentId}`).join()) this.textsChanged();
    this.paintButton();
    if (this.el.open) this.render();
  }

  /** One ask; true when the next should follow at once (a long poll came back, or must be asked again). */
  private async poll(): Promise<boolean> {
    if (this.busy) return false;
    if (!this.status || Date.now() - this.statusAt >= (this.el.open ? POLL_MS : STATUS_MS)) await this.refresh().catch(() => undefined);
    const s = this.status;
    const target = this.reader.teamTarget();
    const shared = s?.joined && target && s.texts.some((x) => x.documentId === target.documentId);
    if (!target || !shared) {
      if (!target || this.following?.documentId !== target.documentId) this.following = null;
      return false;
    }
    // From 0 for a document just opened: whatever the team changed in it while this process runs
    // comes once (absorb emits only what differs), so a change that landed between the session's
    // load and this first ask is not missed.
    if (this.following?.documentId !== target.documentId) this.following = { documentId: target.documentId, version: 0 };
    const following = this.following;
    const started = Date.now();
    // While the panel is open its status is asked for every second: no long poll then.
    const wait = this.el.open ? {} : { wait: WAIT_MS };
    const answer = await this.api['team.changes']({ documentId: target.documentId, since: following.version, ...wait }).catch(() => null);
    if (!answer || this.following !== following) return false;
    if (answer.annotations) {
      // Changed here while the answer was on its way (a highlight, a note): what the session
      // holds may be newer than the answer, so the same is asked for again, at once.
      const now = this.reader.teamTarget();
      if (!now || now.documentId !== target.documentId || now.version !== target.version) return !!now;
      // Not taken in (a command under way here): asked again next time.
      if (!now.absorb(answer.annotations)) return false;
    }
    following.version = answer.version;
    return answer.annotations !== undefined || ('wait' in wait && Date.now() - started >= 250);
  }

  // -- drawing ------------------------------------------------------------------------------------

  private paintButton(): void {
    const state = this.status?.state ?? 'off';
    this.button.dataset.state = state;
    this.button.title = t('team.buttonTitle', { state: t(`team.short.${state}`) });
  }

  private render(): void {
    const s = this.status;
    if (!s) return;
    if (!s.joined) {
      this.body.replaceChildren(
        h('p', { class: 'team-state' }, t('team.notJoined')),
        h('p', {}, t('team.joinHint')),
        h('pre', { class: 'team-command', dir: 'ltr' }, 'gloss team join ws://HOST:PORT --token T --name NAME'),
      );
      return;
    }
    const url = isolate(s.url ?? '');
    const state = h('p', { class: 'team-state', 'data-state': s.state }, h('span', { class: 'team-dot', 'aria-hidden': 'true' }), s.state === 'connected' ? t('team.connected', { url }) : s.state === 'connecting' ? t('team.connecting', { url }) : t('team.offline'));
    const problem = s.problem && s.state !== 'connected' ? h('p', { class: 'team-problem' }, t(`team.problem.${s.problem.reason}`), ' ', h('code', { dir: 'ltr' }, s.problem.detail)) : null;
    const present = s.present.length
      ? h('ul', { class: 'team-present' }, ...s.present.map((name) => h('li', {}, h('bdi', {}, name), name === s.member ? ` ${t('team.youMark')}` : '')))
      : h('p', { class: 'team-empty' }, t('team.presentNone'));
    const texts = s.texts.length
      ? h('ul', { class: 'team-texts' }, ...s.texts.map((x) => h('li', {}, x.title === null ? t('team.notHere') : h('bdi', {}, x.title))))
      : h('p', { class: 'team-empty' }, t('team.sharedNone'));
    const open = this.reader.documentId;
    const title = document.getElementById('doc-title')?.textContent ?? '';
    let share: HTMLElement | null = null;
    if (open !== null && document.body.dataset.view === 'doc') {
      share = s.texts.some((x) => x.documentId === open)
        ? h('p', { class: 'team-open-shared' }, t('team.openShared'))
        : h('button', { type: 'button', class: 'team-share', on: { click: () => void this.share(open, title) } }, t('team.share', { title: isolate(title) }));
    }
    this.body.replaceChildren(
      state,
      ...(problem ? [problem] : []),
      h('p', { class: 'team-you' }, t('team.you', { name: isolate(s.member ?? '') })),
      h('h3', {}, t('team.presentTitle')),
      present,
      h('h3', {}, t('team.sharedTitle')),
      texts,
      ...(s.pairs.length ? [h('p', { class: 'team-pairs' }, t('team.pairs', { count: s.pairs.length }))] : []),
      ...(share ? [share] : []),
      h('div', { class: 'team-sync' }, h('p', { class: 'team-pending' }, s.pending ? t('team.pending', { count: s.pending }) : t('team.pendingNone')), h('button', { type: 'button', class: 'team-sync-now', on: { click: () => void this.syncNow() } }, t('team.syncNow'))),
    );
  }

  private async share(documentId: number, title: string): Promise<void> {
    await this.run(async () => {
      this.status = await this.api['team.share']({ documentId });
      this.statusAt = Date.now();
      this.following = null;
      this.say(t('team.sharedDone', { title: isolate(title) }));
    });
  }

  private async syncNow(): Promise<void> {
    this.say(t('team.syncing'));
    await this.run(async () => {
      this.status = await this.api['team.syncNow']({});
      this.statusAt = Date.now();
      this.say(this.status.state === 'connected' ? t('team.synced') : t('team.offline'));
    });
  }

  /** One action at a time; the buttons wait meanwhile, and the focus comes back to the panel. */
  private async run(action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    for (const b of this.body.querySelectorAll('button')) b.disabled = true;
    try {
      await action();
    } catch (e) {
      this.toast.error(e);
    } finally {
      this.busy = false;
      this.paintButton();
      this.render();
      this.el.querySelector<HTMLElement>('.team-sync-now')?.focus();
    }
  }

  private say(text: string): void {
    this.note.textContent = text;
  }
}
