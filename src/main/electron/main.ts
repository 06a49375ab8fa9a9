/**
 * The Electron main process: one window onto the library. Deliberately thin: the decisions
 * (sender checks, window placement, the menu, the protocol's files) live in the pure modules
 * beside it, which are tested without Electron.
 */
import path from 'node:path';
import type { Handlers, UiLanguage } from '../../common/api.js';
import { APP_NAME, platformDataDir } from '../data-dir.js';
import { createHandlers } from '../handlers.js';
import { LiveTeam } from '../team/live.js';
import { CONTENT_SECURITY_POLICY } from '../host/security.js';
import { Library } from '../library.js';
import { LibraryOpenError, LibraryReadOnlyError } from '../store/db.js';
import { appRoot, localesDir, rendererDir, seedsDir } from '../paths.js';
import { appResponse } from './app-protocol.js';
import { APP_INDEX_URL, APP_SCHEME } from './app-url.js';
import type { BrowserWindowSurface, ElectronSurface } from './electron-surface.js';
import { registerIpc } from './ipc.js';
import { dataDirFromArgs, electronNativeBinding, isAbiMismatch } from './launch-options.js';
import { buildMenuTemplate, loadCatalogue, menuLabels } from './menu.js';
import { MIN_HEIGHT, MIN_WIDTH, placeWindow, readWindowState, writeWindowState } from './window-state.js';

/** Printed when the page has loaded: scripts/start.mjs and the smoke test wait for it. */
export const READY_LINE = 'Gloss window ready';
/**
 * GLOSS_SMOKE_TEST=1 (tests/main/electron-smoke.test.ts): once the page is up, call the API
 * through the real preload and IPC, print what came back, and quit; errors go to stderr, not
 * to dialogs nobody would close.
 */
const SMOKE_TEST = Boolean(process.env.GLOSS_SMOKE_TEST);

const electron = require('electron') as ElectronSurface;
const { app, BrowserWindow, Menu, dialog, protocol, screen, session } = electron;

// Must happen before 'ready': gives gloss:// a real origin with fetch support.
// codeCache: the bundle's compiled code is kept between opens, as a browser keeps it for the
// browser host's cached script (see host/server.ts, sendFile).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

let library: Library | undefined;
/** The live team session while the library is in a team (see team/live.ts). */
let team: LiveTeam | undefined;
let handlers: Handlers | undefined;
let mainWindow: BrowserWindowSurface | undefined;

function fail(title: string, message: string): never {
  process.stderr.write(`${title}: ${message}\n`);
  try {
    if (!SMOKE_TEST) dialog.showErrorBox(title, message);
  } finally {
    app.exit(1);
  }
  throw new Error(message);
}

function openLibrary(dataDir: string): Library {
  const nativeBinding = electronNativeBinding(appRoot());
  try {
    const lib = Library.open(dataDir, nativeBinding ? { nativeBinding } : {});
    if (!process.env.GLOSS_NO_SEED) lib.seedIfEmpty(seedsDir());
    return lib;
  } catch (e) {
    const message = (e as Error).message;
    if (isAbiMismatch(message)) {
      fail(
        'Gloss cannot open its database',
        `better-sqlite3 is built for Node.js, not for Electron. Run \`node scripts/electron-native.mjs\` in the Gloss folder to build the Electron copy (it needs network access for Electron's headers), then start Gloss again.\n\n${message}`,
      );
    }
    if (e instanceof LibraryReadOnlyError) {
      // Read-only is not damage: open it for reading and say why writes will be refused.
      const lib = Library.open(dataDir, { ...(nativeBinding ? { nativeBinding } : {}), readonly: true });
      electron.dialog.showErrorBox('This library is read-only', e.message);
      return lib;
    }
    fail(
      'Gloss cannot open its library',
      e instanceof LibraryOpenError ? `${message}\n\nTo keep that file aside and start a new library, run: gloss reset-library --yes --data ${dataDir}` : message,
    );
  }
}

function language(): UiLanguage {
  return library?.settings().language ?? 'en';
}

function applyMenu(): void {
  const lang = language();
  const template = buildMenuTemplate({
    labels: menuLabels(loadCatalogue(localesDir(), lang)),
    platform: process.platform,
    language: lang,
    devTools: !app.isPackaged,
    onLanguage: (next) => {
      library?.updateSettings({ language: next });
      applyMenu();
      // The page reads the language at start; a reload is the simplest way to switch it everywhere.
      mainWindow?.webContents.reload();
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template) as never);
}

/** The handler table, with settings.set rebuilding the menu when the interface language changes. */
function windowHandlers(lib: Library): Handlers {
  team = new LiveTeam(lib).start();
  const base = createHandlers(lib, team);
  return {
    ...base,
    'settings.set': async (change) => {
      const before = language();
      const next = await base['settings.set'](change);
      if (next.language !== before) applyMenu();
      return next;
    },
  };
}

function lockDown(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // gloss:// responses carry the policy already; this covers anything else the session loads.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, (request) => appResponse(request, rendererDir(), localesDir()));
}

function createWindow(stateDir: string): BrowserWindowSurface {
  const placed = placeWindow(readWindowState(stateDir), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...(placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : {}),
    width: placed.width,
    height: placed.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: APP_NAME,
    webPreferences: {
      preload: path.join(appRoot(), 'dist', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (placed.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  // The page never leaves gloss://app/index.html: links to elsewhere open nothing.
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('did-finish-load', () => {
    process.stdout.write(`${READY_LINE}: ${contents.getURL()}\n`);
    if (SMOKE_TEST) void smokeTest(win);
  });
  contents.on('did-fail-load', (_event, code, description, url) => process.stderr.write(`Gloss: could not load ${url} (${code} ${description})\n`));
  contents.on('render-process-gone', (_event, details) => process.stderr.write(`Gloss: the window's renderer stopped (${details.reason})\n`));

  win.on('close', () => {
    try {
      writeWindowState(stateDir, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      process.stderr.write(`Gloss: could not remember the window's place: ${(e as Error).message}\n`);
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  void win.loadURL(APP_INDEX_URL);
  return win;
}

async function smokeTest(win: BrowserWindowSurface): Promise<void> {
  try {
    // The preload answers reply objects ({ ok, value } or { ok: false, error }), as the browser host does.
    const count = await win.webContents.executeJavaScript(`window.gloss['library.list']({}).then((r) => (r.ok ? r.value.length : 'failed: ' + r.error.code))`);
    const refused = await win.webContents.executeJavaScript(`window.gloss['documents.get']({ documentId: 'x' }).then((r) => (r.ok ? 'accepted' : r.error.code + ': ' + r.error.message))`);
    process.stdout.write(`Gloss smoke test: library.list gave ${String(count)} documents; a bad payload gave: ${String(refused)}\n`);
    app.quit();
  } catch (e) {
    process.stderr.write(`Gloss smoke test failed: ${(e as Error).message}\n`);
    app.exit(1);
  }
}

function start(): void {
  app.setName(APP_NAME);
  const dataFlag = dataDirFromArgs(process.argv, process.env);
  // The CLI and the app share one library: the same folder `gloss` uses by default.
  const dataDir = dataFlag ?? platformDataDir();
  // With --data, Chromium's profile goes beside the library instead of into the user's real one.
  app.setPath('userData', dataFlag ? path.join(dataFlag, '.electron') : dataDir);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  registerIpc(
    () => {
      if (!handlers) throw new Error('the library is not open yet');
      return handlers;
    },
    () => (mainWindow && !mainWindow.isDestroyed() ? [mainWindow.webContents.id] : []),
  );

  void app.whenReady().then(() => {
    library = openLibrary(dataDir);
    handlers = windowHandlers(library);
    lockDown();
    applyMenu();
    const stateDir = app.getPath('userData');
    mainWindow = createWindow(stateDir);
    app.on('activate', () => {
      if (!mainWindow) mainWindow = createWindow(stateDir);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void team?.close();
    team = undefined;
    library?.close();
    library = undefined;
  });
}

start();
