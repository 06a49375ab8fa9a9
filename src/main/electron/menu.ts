/**
 * The native application menu, built from the interface's translation catalogue (`menu.*` keys in
 * locales/<lang>/translation.json). Missing keys fall back to English, so a catalogue that lags
 * behind never leaves a blank item.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UI_LANGUAGES, type UiLanguage } from '../../common/api.js';

export const MENU_LABELS_EN = {
  app: 'Gloss',
  about: 'About Gloss',
  hide: 'Hide Gloss',
  hideOthers: 'Hide Others',
  unhide: 'Show All',
  file: 'File',
  quit: 'Quit Gloss',
  edit: 'Edit',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  view: 'View',
  reload: 'Reload',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  resetZoom: 'Actual Size',
  fullScreen: 'Full Screen',
  devTools: 'Developer Tools',
  language: 'Interface Language',
  window: 'Window',
  minimize: 'Minimize',
  close: 'Close Window',
  help: 'Help',
} as const;

export type MenuLabelKey = keyof typeof MENU_LABELS_EN;
export type MenuLabels = Record<MenuLabelKey, string>;

/** Each language named in itself, as language pickers conventionally do. */
export const LANGUAGE_NAMES: Record<UiLanguage, string> = { en: 'English', he: 'עברית' };

/** `menu.file` from an i18next catalogue, nested (`{ menu: { file } }`) or flat (`{ 'menu.file': ... }`). */
function lookup(catalogue: unknown, key: string): string | undefined {
  if (typeof catalogue !== 'object' || catalogue === null) return undefined;
  const flat = (catalogue as Record<string, unknown>)[`menu.${key}`];
  if (typeof flat === 'string' && flat.trim()) return flat;
  const menu = (catalogue as Record<string, unknown>).menu;
  const nested = typeof menu === 'object' && menu !== null ? (menu as Record<string, unknown>)[key] : undefined;
  return typeof nested === 'string' && nested.trim() ? nested : undefined;
}

export function menuLabels(catalogue: unknown): MenuLabels {
  const labels = { ...MENU_LABELS_EN } as MenuLabels;
  for (const key of Object.keys(MENU_LABELS_EN) as MenuLabelKey[]) labels[key] = lookup(catalogue, key) ?? MENU_LABELS_EN[key];
  return labels;
}

/** The catalogue `locales/<language>/translation.json`, or null when it is missing or not JSON. */
export function loadCatalogue(localesDir: string, language: string): unknown {
  if (!(UI_LANGUAGES as readonly string[]).includes(language)) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(localesDir, language, 'translation.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The subset of Electron's MenuItemConstructorOptions the menu uses. */
export interface MenuItemTemplate {
  label?: string;
  role?:
    | 'about' | 'hide' | 'hideOthers' | 'unhide' | 'quit' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll'
    | 'reload' | 'zoomIn' | 'zoomOut' | 'resetZoom' | 'togglefullscreen' | 'toggleDevTools' | 'minimize' | 'close'
    | 'windowMenu' | 'help';
  type?: 'separator' | 'radio' | 'submenu' | 'normal';
  checked?: boolean;
  accelerator?: string;
  submenu?: MenuItemTemplate[];
  click?: () => void;
}

export interface MenuOptions {
  labels: MenuLabels;
  platform: NodeJS.Platform;
  language: UiLanguage;
  /** Called when the user picks another interface language. */
  onLanguage: (language: UiLanguage) => void;
  /** Offer the developer tools (unpackaged runs only). */
  devTools: boolean;
}

export function buildMenuTemplate({ labels: l, platform, language, onLanguage, devTools }: MenuOptions): MenuItemTemplate[] {
  const sep: MenuItemTemplate = { type: 'separator' };
  const mac = platform === 'darwin';
  const languages: MenuItemTemplate = {
    label: l.language,
    submenu: UI_LANGUAGES.map((lang) => ({
      label: LANGUAGE_NAMES[lang],
      type: 'radio' as const,
      checked: lang === language,
      click: () => {
        if (lang !== language) onLanguage(lang);
      },
    })),
  };
  const template: MenuItemTemplate[] = [];
  if (mac) {
    template.push({
      label: l.app,
      submenu: [{ role: 'about', label: l.about }, sep, { role: 'hide', label: l.hide }, { role: 'hideOthers', label: l.hideOthers }, { role: 'unhide', label: l.unhide }, sep, { role: 'quit', label: l.quit }],
    });
  } else {
    template.push({ label: l.file, submenu: [{ role: 'quit', label: l.quit }] });
  }
  template.push({
    label: l.edit,
    submenu: [
      { role: 'undo', label: l.undo },
      { role: 'redo', label: l.redo },
      sep,
      { role: 'cut', label: l.cut },
      { role: 'copy', label: l.copy },
      { role: 'paste', label: l.paste },
      { role: 'selectAll', label: l.selectAll },
    ],
  });
  template.push({
    label: l.view,
    submenu: [
      { role: 'reload', label: l.reload },
      ...(devTools ? [{ role: 'toggleDevTools' as const, label: l.devTools }] : []),
      sep,
      { role: 'resetZoom', label: l.resetZoom },
      { role: 'zoomIn', label: l.zoomIn },
      { role: 'zoomOut', label: l.zoomOut },
      sep,
      { role: 'togglefullscreen', label: l.fullScreen },
      sep,
      languages,
    ],
  });
  template.push({
    label: l.window,
    ...(mac ? { role: 'windowMenu' as const } : {}),
    submenu: [{ role: 'minimize', label: l.minimize }, { role: 'close', label: l.close }],
  });
  if (mac) template.push({ role: 'help', label: l.help, submenu: [{ role: 'about', label: l.about }] });
  else template.push({ label: l.help, submenu: [{ role: 'about', label: l.about }] });
  return template;
}
