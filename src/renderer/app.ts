/**
 * The application shell: the top bar (library, search, text size, theme, tags, language), the
 * three views (library, search results, reader) chosen by the URL hash, and global shortcuts.
 */
import type { GlossApi, Settings } from '../common/api.js';
import { UI_LANGUAGES, type UiLanguage } from '../common/methods.js';
import { AnnotationTransfer } from './annotation-transfer.js';
import { installBenchHook } from './bench-hook.js';
import { h, localize, localizeElement } from './dom.js';
import { changeLanguage, errorText, initI18n, language, onLanguageChange, systemLanguage, t } from './i18n.js';
import { inTextField, matches } from './keys.js';
import { LibraryView } from './library-view.js';
import { PairDesk, pairRoute } from './pair-view.js';
import { loadDocument, ReaderView, type DocumentLoad } from './reader-view.js';
import { formatRoute, parseRoute, type Route } from './route.js';
import { SearchView } from './search-view.js';
import { TagManager } from './tag-manager.js';
import { TagStore } from './tag-store.js';
import { TeamPanel } from './team-panel.js';
import { Toaster } from './toast.js';

const FONT_SIZES = { min: 12, max: 32, step: 2, initial: 18 };
const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', he: 'עברית' };

let interfaceReady = false;

/**
 * What the window says when the application could not start, in the interface language (the
 * system's when the settings never came); in English only when the catalogue itself could not be
 * loaded.
 */
export async function startFailureText(e: unknown): Promise<string> {
  try {
    if (!interfaceReady) await initI18n(systemLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]));
    return t('app.startFailed', { reason: errorText(e) });
  } catch {
    return `Gloss could not start: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export async function startApp(api: GlossApi, root: HTMLElement): Promise<void> {
  // Opened straight on a document (a reload, a link): its text is asked for at once, right after
  // the settings (the host answers in turn, and the settings are quick), so that the host reads it
  // while the language and the interface are set up here.
  const asked = api['settings.get']({});
  const initial = parseRoute(location.hash);
  const early: DocumentLoad | null = initial.view === 'doc' ? loadDocument(api, initial.doc) : null;
  const settings: Settings = await asked.catch(() => ({}));
  const lng = settings.language ?? systemLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
  await initI18n(lng);
  interfaceReady = true;
  if (!settings.language) void api['settings.set']({ language: lng }).catch(() => undefined);

  const save = (change: Settings) => {
    Object.assign(settings, change);
    api['settings.set'](change).catch((e) => toast.error(e));
  };

  const toast = new Toaster();
  const tags = new TagStore(api);
  const go = (route: Route) => {
    location.hash = formatRoute(route);
  };
  const transfer = new AnnotationTransfer(api, toast, () => {
    void reader.reloadAnnotations().catch((e) => toast.error(e));
    void tags.refresh().catch(() => undefined);
    if (!library.el.hidden) void library.refresh().catch(() => undefined);
  });
  const library = new LibraryView(api, toast, (id) => go({ view: 'doc', doc: id, hits: [], annotation: null }), transfer.buttons(() => ({})));
  const search = new SearchView(api);
  // The library's counts are fetched again whenever it is shown, so a change made while it is
  // hidden (the reader is open) need not ask for them at once.
  const reader = new ReaderView({ api, tags, toast, transfer, changed: () => {
      if (!library.el.hidden) void library.refresh().catch(() => undefined);
    },
  });
  // The desk and the tag manager are made when first wanted: not before a document's first text.
  let pairDesk: PairDesk | null = null;
  const desk = (): PairDesk => {
    if (!pairDesk) main.append((pairDesk = new PairDesk(api, toast)).el);
    return pairDesk;
  };
  const team = new TeamPanel(api, reader, toast, () => {
    if (!library.el.hidden) void library.refresh().catch(() => undefined);
  });
  installBenchHook(reader);
  if (early) reader.preload(early);
  let tagManager: TagManager | null = null;
  const manager = (): TagManager =>
    (tagManager ??= new TagManager(api, tags, () => {
      void reader.reloadAnnotations().catch((e) => toast.error(e));
      if (!library.el.hidden) void library.refresh().catch(() => undefined);
    }));

  // Text size and theme ---------------------------------------------------------------------
  let fontSize = settings.fontSize ?? FONT_SIZES.initial;
  const applyFontSize = () => document.documentElement.style.setProperty('--reader-font-size', `${fontSize}px`);
  const resize = (by: number) => {
    const next = Math.max(FONT_SIZES.min, Math.min(FONT_SIZES.max, fontSize + by));
    if (next === fontSize) return;
    fontSize = next;
    applyFontSize();
    reader.relayout();
    save({ fontSize });
  };
  applyFontSize();
  const themeButton = h('button', { type: 'button', class: 'quiet', t: 'app.darkTheme', 'aria-pressed': 'false', on: { click: () => setTheme(settings.theme === 'dark' ? 'light' : 'dark', true) } });
  const setTheme = (theme: 'light' | 'dark', persist: boolean) => {
    document.documentElement.dataset.theme = theme;
    themeButton.setAttribute('aria-pressed', String(theme === 'dark'));
    if (persist) save({ theme });
  };
  setTheme(settings.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'), false);

  // Language ----------------------------------------------------------------------------------
  const languageSelect = h(
    'select',
    { id: 'ui-language', on: { change: () => void switchLanguage(languageSelect.value as UiLanguage) } },
    ...UI_LANGUAGES.map((l) => h('option', { value: l, lang: l, selected: l === lng }, LANGUAGE_NAMES[l])),
  );
  const switchLanguage = async (next: UiLanguage) => {
    if (next === language()) return;
    await changeLanguage(next);
    save({ language: next });
  };
  onLanguageChange(() => {
    localize(document.body);
    languageSelect.value = language();
    library.relabel();
    search.relabel();
    reader.relabel();
    pairDesk?.relabel();
    tagManager?.relabel();
    team.relabel();
  });

  // Top bar -----------------------------------------------------------------------------------
  const searchInput = h('input', { type: 'search', dir: 'auto', name: 'q', tAttrs: { 'aria-label': 'search.label', placeholder: 'search.placeholder' } });
  const topbar = h(
    'header',
    { class: 'topbar' },
    h('a', { href: '#', class: 'brand', t: 'app.title' }),
    h('nav', { class: 'topnav', tAttrs: { 'aria-label': 'app.navigation' } }, h('a', { href: '#', class: 'nav-library', t: 'app.library' })),
    h(
      'form',
      {
        class: 'search-form',
        role: 'search',
        on: {
          submit: (e) => {
            e.preventDefault();
            const q = searchInput.value.trim();
            if (q) go({ view: 'search', query: q });
          },
        },
      },
      searchInput,
      h('button', { type: 'submit', t: 'search.submit' }),
    ),
    h(
      'div',
      { class: 'controls' },
      h(
        'div',
        { class: 'font-size', role: 'group', tAttrs: { 'aria-label': 'app.textSize' } },
        // Named in words; the letters drawn on them ("A−") are kept out of the name, since a name
        // must hold the visible text it goes with (speech control, axe's label-content rule).
        h('button', { type: 'button', class: 'quiet', tAttrs: { title: 'app.smallerHint' }, 'aria-keyshortcuts': 'Control+-', on: { click: () => resize(-FONT_SIZES.step) } }, h('span', { 'aria-hidden': 'true' }, 'A−'), h('span', { class: 'visually-hidden', t: 'app.smaller' })),
        h('button', { type: 'button', class: 'quiet', tAttrs: { title: 'app.largerHint' }, 'aria-keyshortcuts': 'Control+=', on: { click: () => resize(FONT_SIZES.step) } }, h('span', { 'aria-hidden': 'true' }, 'A+'), h('span', { class: 'visually-hidden', t: 'app.larger' })),
      ),
      themeButton,
      team.button,
      h('button', { type: 'button', class: 'quiet', t: 'tags.manage', on: { click: () => void manager().open().catch((e) => toast.error(e)) } }),
      h('label', { class: 'language' }, h('span', { t: 'app.language' }), languageSelect),
    ),
  );
  const main = h('main', { class: 'views', id: 'main', tabindex: '-1' }, library.el, search.el, reader.el);
  // The first Tab stop: past the top bar and the document's tools, to the text itself (in the
  // reader, where its caret then starts), or to the view's content elsewhere.
  const skip = h('a', {
    class: 'skip-link',
    href: '#main',
    t: 'app.skipToContent',
    on: {
      click: (e) => {
        e.preventDefault();
        if (document.body.dataset.view === 'doc') reader.focusText();
        else main.focus();
      },
    },
  });
  root.replaceChildren(skip, topbar, main, toast.el);

  // Views ---------------------------------------------------------------------------------------
  const route = async () => {
    // The bilingual desk (`#pair=ID`) lives in its own module (pair-view.ts).
    const pairId = pairRoute(location.hash);
    if (pairId !== null) {
      library.el.hidden = search.el.hidden = true;
      reader.hide();
      await desk().open(pairId).catch((e) => (toast.error(e), go({ view: 'library' })));
      document.body.dataset.view = 'pair';
      pointSkip(false);
      return;
    }
    pairDesk?.hide();
    const r = parseRoute(location.hash);
    library.el.hidden = r.view !== 'library';
    search.el.hidden = r.view !== 'search';
    try {
      if (r.view === 'library') {
        reader.hide();
        await library.refresh();
      } else if (r.view === 'search') {
        reader.hide();
        searchInput.value = r.query;
        await search.show(r.query);
      } else {
        await reader.open(r.doc, r.hits, r.annotation);
      }
    } catch (e) {
      toast.error(e);
      if (r.view === 'doc') go({ view: 'library' });
    }
    document.body.dataset.view = r.view;
    pointSkip(r.view === 'doc');
  };
  const pointSkip = (toText: boolean) => {
    skip.dataset.i18n = toText ? 'app.skipToText' : 'app.skipToContent';
    skip.setAttribute('href', toText ? '#reader-text' : '#main');
    localizeElement(skip);
  };
  window.addEventListener('hashchange', () => void route());
  // The command line may have changed the library meanwhile (another process, same file).
  window.addEventListener('focus', () => {
    if (!library.el.hidden) void library.refresh().catch(() => undefined);
  });

  // Shortcuts, by physical key so they work with a Hebrew layout ---------------------------------
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    if (matches(e, 'Mod+Equal') || matches(e, 'Mod+Shift+Equal') || matches(e, 'Mod+NumpadAdd')) resize(FONT_SIZES.step);
    else if (matches(e, 'Mod+Minus') || matches(e, 'Mod+NumpadSubtract')) resize(-FONT_SIZES.step);
    else if (!reader.key(e)) {
      if (matches(e, 'Mod+KeyK') || (matches(e, 'Slash') && !inTextField(e.target))) searchInput.focus();
      else return;
    }
    e.preventDefault();
  });

  // Files dropped anywhere are imported (the library view shows what happened).
  document.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    if (!e.dataTransfer?.files.length || e.defaultPrevented) return;
    e.preventDefault();
    const files = [...e.dataTransfer.files];
    go({ view: 'library' });
    void library.importFiles(files);
  });

  void tags.refresh().catch(() => undefined);
  team.start();
  await route();
  document.body.dataset.ready = 'true';
}
