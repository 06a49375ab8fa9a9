// The Electron shell's decisions, tested without Electron: sender checks, window placement,
// the menu from the translation catalogues, the gloss:// protocol's files, launch options.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appResponse } from '../../src/main/electron/app-protocol.js';
import { APP_INDEX_URL, isAppUrl, isTrustedSender } from '../../src/main/electron/app-url.js';
import { dataDirFromArgs, electronNativeBinding, isAbiMismatch } from '../../src/main/electron/launch-options.js';
import { buildMenuTemplate, loadCatalogue, MENU_LABELS_EN, menuLabels, type MenuItemTemplate } from '../../src/main/electron/menu.js';
import { DEFAULT_WINDOW, parseWindowState, placeWindow, readWindowState, writeWindowState, type Rectangle } from '../../src/main/electron/window-state.js';
import { CONTENT_SECURITY_POLICY } from '../../src/main/host/security.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-electron-pure-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('isAppUrl', () => {
  it.each([
    [APP_INDEX_URL, true],
    ['gloss://app/', true],
    ['gloss://app/fonts/x.woff2', true],
    ['gloss://other/index.html', false],
    ['gloss://user:pw@app/index.html', false],
    ['file:///work/main/dist/renderer/index.html', false],
    ['http://127.0.0.1:8080/', false],
    ['https://example.com/', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('isTrustedSender', () => {
  const ours = { senderContentsId: 7, frameUrl: APP_INDEX_URL, isMainFrame: true };
  it('accepts the main frame of our window showing our page', () => {
    expect(isTrustedSender(ours, [7])).toBeNull();
  });
  it.each([
    ['another web contents', { ...ours, senderContentsId: 8 }, /did not come from a Gloss window/],
    ['a subframe', { ...ours, isMainFrame: false }, /subframe/],
    ['a foreign page', { ...ours, frameUrl: 'https://evil.example/' }, /is not Gloss's own/],
    ['a file:// page', { ...ours, frameUrl: 'file:///tmp/x.html' }, /is not Gloss's own/],
    ['a frame that is gone', { ...ours, frameUrl: null }, /gone/],
  ])('refuses %s', (_name, sender, reason) => {
    expect(isTrustedSender(sender, [7])).toMatch(reason);
  });
  it('refuses everything when no window is open', () => {
    expect(isTrustedSender(ours, [])).toMatch(/did not come from a Gloss window/);
  });
});

describe('window placement', () => {
  const laptop: Rectangle = { x: 0, y: 0, width: 1440, height: 870 };
  const rightMonitor: Rectangle = { x: 1440, y: 0, width: 2560, height: 1400 };

  it('parses a saved state and refuses damaged ones', () => {
    expect(parseWindowState({ x: 10.4, y: 20, width: 900, height: 700, maximized: true })).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: true });
    expect(parseWindowState({ width: 900, height: 700 })).toEqual({ width: 900, height: 700, maximized: false });
    expect(parseWindowState({ x: 'a', y: 2, width: 900, height: 700 })).toEqual({ width: 900, height: 700, maximized: false });
    for (const bad of [null, 'x', 3, {}, { width: -1, height: 700 }, { width: 900, height: Infinity }, { width: '900', height: 700 }]) {
      expect(parseWindowState(bad)).toBeNull();
    }
  });

  it('uses the default size, centred, when nothing was saved', () => {
    expect(placeWindow(null, [laptop])).toEqual(DEFAULT_WINDOW);
  });

  it('keeps a place that is on an attached display', () => {
    expect(placeWindow({ x: 1600, y: 100, width: 1000, height: 800, maximized: false }, [laptop, rightMonitor])).toEqual({ x: 1600, y: 100, width: 1000, height: 800, maximized: false });
  });

  it('drops a place on a display that was unplugged, and shrinks to fit what is left', () => {
    expect(placeWindow({ x: 1600, y: 100, width: 2000, height: 1300, maximized: true }, [laptop])).toEqual({ width: 1440, height: 870, maximized: true });
  });

  it('drops a place whose title bar is off every screen', () => {
    expect(placeWindow({ x: 100, y: -500, width: 800, height: 600, maximized: false }, [laptop])).toEqual({ width: 800, height: 600, maximized: false });
    expect(placeWindow({ x: 1400, y: 100, width: 800, height: 600, maximized: false }, [laptop])).toEqual({ width: 800, height: 600, maximized: false });
  });

  it('keeps a place with enough of the title bar showing to grab it', () => {
    expect(placeWindow({ x: 1200, y: 100, width: 800, height: 600, maximized: false }, [laptop])).toEqual({ x: 1200, y: 100, width: 800, height: 600, maximized: false });
  });

  it('never goes below the minimum size', () => {
    expect(placeWindow({ width: 50, height: 20, maximized: false }, [laptop])).toMatchObject({ width: 480, height: 360 });
  });

  it('round-trips through its file, and reads a damaged file as nothing', () => {
    const dir = tempDir();
    expect(readWindowState(dir)).toBeNull();
    writeWindowState(dir, { x: 5, y: 6, width: 700, height: 500, maximized: false });
    expect(readWindowState(dir)).toEqual({ x: 5, y: 6, width: 700, height: 500, maximized: false });
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{"width": 7');
    expect(readWindowState(dir)).toBeNull();
  });
});

describe('menu', () => {
  const labelsOf = (items: MenuItemTemplate[]): unknown[] => items.map((i) => (i.submenu ? { [i.label ?? i.role ?? '?']: labelsOf(i.submenu) } : i.type === 'separator' ? '-' : (i.label ?? i.role)));
  const noop = () => {};

  it('takes labels from a nested or flat catalogue and falls back to English', () => {
    const labels = menuLabels({ menu: { file: 'קובץ', edit: 'עריכה', quit: '' }, 'menu.view': 'תצוגה' });
    expect(labels.file).toBe('קובץ');
    expect(labels.edit).toBe('עריכה');
    expect(labels.view).toBe('תצוגה');
    expect(labels.quit).toBe(MENU_LABELS_EN.quit);
    expect(menuLabels(null)).toEqual(MENU_LABELS_EN);
    expect(menuLabels({ menu: 'not an object' })).toEqual(MENU_LABELS_EN);
  });

  it('builds the Linux and Windows menu', () => {
    const template = buildMenuTemplate({ labels: MENU_LABELS_EN, platform: 'linux', language: 'en', onLanguage: noop, devTools: false });
    expect(labelsOf(template)).toEqual([
      { File: ['Quit Gloss'] },
      { Edit: ['Undo', 'Redo', '-', 'Cut', 'Copy', 'Paste', 'Select All'] },
      { View: ['Reload', '-', 'Actual Size', 'Zoom In', 'Zoom Out', '-', 'Full Screen', '-', { 'Interface Language': ['English', 'עברית'] }] },
      { Window: ['Minimize', 'Close Window'] },
      { Help: ['About Gloss'] },
    ]);
  });

  it('builds the macOS menu with the application menu first, and offers developer tools when asked', () => {
    const template = buildMenuTemplate({ labels: MENU_LABELS_EN, platform: 'darwin', language: 'en', onLanguage: noop, devTools: true });
    expect(template.map((i) => i.label)).toEqual(['Gloss', 'Edit', 'View', 'Window', 'Help']);
    expect(template[0]!.submenu!.map((i) => i.role ?? '-')).toEqual(['about', '-', 'hide', 'hideOthers', 'unhide', '-', 'quit']);
    expect(template[2]!.submenu!.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('checks the current language and reports a change of language', () => {
    const picked: string[] = [];
    const template = buildMenuTemplate({ labels: MENU_LABELS_EN, platform: 'linux', language: 'he', onLanguage: (l) => picked.push(l), devTools: false });
    const languages = template[2]!.submenu!.find((i) => i.submenu)!.submenu!;
    expect(languages.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['English', 'radio', false],
      ['עברית', 'radio', true],
    ]);
    languages[1]!.click!();
    languages[0]!.click!();
    expect(picked).toEqual(['en']);
  });

  it('reads a catalogue from the locales folder, and nothing for a missing or unknown language', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'he'));
    fs.writeFileSync(path.join(dir, 'he', 'translation.json'), JSON.stringify({ menu: { file: 'קובץ' } }));
    expect(menuLabels(loadCatalogue(dir, 'he')).file).toBe('קובץ');
    expect(loadCatalogue(dir, 'en')).toBeNull();
    expect(loadCatalogue(dir, '../he')).toBeNull();
  });

  it('has a label for every key in the shipped catalogues that exist', () => {
    const locales = path.resolve(__dirname, '../../locales');
    for (const lang of ['en', 'he']) {
      const catalogue = loadCatalogue(locales, lang);
      if (catalogue === null) continue;
      const labels = menuLabels(catalogue);
      for (const value of Object.values(labels)) expect(value.trim()).not.toBe('');
    }
  });
});

describe('gloss:// protocol', () => {
  function fixture() {
    const dir = tempDir();
    const renderer = path.join(dir, 'renderer');
    const locales = path.join(dir, 'locales');
    fs.mkdirSync(path.join(renderer, 'fonts'), { recursive: true });
    fs.mkdirSync(path.join(locales, 'he'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Gloss</title>');
    fs.writeFileSync(path.join(renderer, 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(renderer, 'fonts', 'a.woff2'), 'wOF2');
    fs.writeFileSync(path.join(locales, 'he', 'translation.json'), '{}');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
    return { renderer, locales };
  }
  const get = (url: string) => ({ url, method: 'GET' });

  it('serves the page with the content security policy', async () => {
    const { renderer, locales } = fixture();
    const res = appResponse(get(APP_INDEX_URL), renderer, locales);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('<title>Gloss</title>');
    expect(appResponse(get('gloss://app/'), renderer, locales).status).toBe(200);
  });

  it('serves scripts, fonts and catalogues with their types', () => {
    const { renderer, locales } = fixture();
    expect(appResponse(get('gloss://app/app.js'), renderer, locales).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(appResponse(get('gloss://app/fonts/a.woff2'), renderer, locales).headers.get('content-type')).toBe('font/woff2');
    expect(appResponse(get('gloss://app/locales/he/translation.json'), renderer, locales).status).toBe(200);
  });

  it.each(['gloss://app/../secret.txt', 'gloss://app/%2e%2e/secret.txt', 'gloss://app/..%2fsecret.txt', 'gloss://app/fonts/..%5c..%5csecret.txt', 'gloss://app/locales/../secret.txt', 'gloss://app/fonts', 'gloss://other/index.html'])(
    'does not serve %s',
    async (url) => {
      const { renderer, locales } = fixture();
      const res = appResponse(get(url), renderer, locales);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('TOP-SECRET-CONTENT');
    },
  );

  it('refuses other methods, and says to build when the page is missing', async () => {
    const { renderer, locales } = fixture();
    expect(appResponse({ url: APP_INDEX_URL, method: 'POST' }, renderer, locales).status).toBe(405);
    fs.rmSync(path.join(renderer, 'index.html'));
    const res = appResponse(get(APP_INDEX_URL), renderer, locales);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });
});

describe('launch options', () => {
  it('finds --data among Electron and Chromium arguments, else GLOSS_DATA_DIR', () => {
    expect(dataDirFromArgs(['/usr/bin/electron', '/app', '--data', '/tmp/lib'], {})).toBe('/tmp/lib');
    expect(dataDirFromArgs(['/opt/Gloss/gloss', '--no-sandbox', '--data=/tmp/lib2'], {})).toBe('/tmp/lib2');
    expect(dataDirFromArgs(['/opt/Gloss/gloss'], { GLOSS_DATA_DIR: '/tmp/env' })).toBe('/tmp/env');
    expect(dataDirFromArgs(['/opt/Gloss/gloss', '--data'], {})).toBeUndefined();
    expect(dataDirFromArgs(['/opt/Gloss/gloss'], {})).toBeUndefined();
  });

  it('prefers the unpacked Electron binding inside a packaged app', () => {
    const root = path.join('/opt/Gloss/resources', 'app.asar');
    const unpacked = path.join('/opt/Gloss/resources', 'app.asar.unpacked', 'build', 'electron-native', 'better_sqlite3.node');
    expect(electronNativeBinding(root, (p) => p === unpacked)).toBe(unpacked);
    expect(electronNativeBinding('/src/gloss', (p) => p === '/src/gloss/build/electron-native/better_sqlite3.node')).toBe('/src/gloss/build/electron-native/better_sqlite3.node');
    expect(electronNativeBinding('/src/gloss', () => false)).toBeUndefined();
  });

  it('recognises a native module built for the wrong runtime', () => {
    expect(isAbiMismatch("The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.")).toBe(true);
    expect(isAbiMismatch('SQLITE_CANTOPEN: unable to open database file')).toBe(false);
  });
});
