/**
 * The interface language: i18next with both catalogues bundled (no fetch). Switching turns the
 * whole interface around: `<html lang dir>` changes and every keyed label is re-applied; the
 * text's own block directions are data and do not change.
 */
import i18next from 'i18next';
import en from '@gloss/locales/en/translation.json';
import he from '@gloss/locales/he/translation.json';
import { UI_LANGUAGES, type UiLanguage } from '../common/methods.js';
import { directionOf } from './ui-language.js';

export { directionOf, systemLanguage } from './ui-language.js';

const instance = i18next.createInstance();
const listeners: (() => void)[] = [];

export function t(key: string, options?: Record<string, unknown>): string {
  return String(instance.t(key, options as never));
}

/** Wraps a value placed into a sentence (a title, a file name) in FSI..PDI, so its direction cannot
 * reorder the sentence around it. These characters go into interface strings only, never into the
 * document's text. */
export function isolate(value: string): string {
  return `\u2068${value}\u2069`;
}

export function language(): UiLanguage {
  return instance.language === 'he' ? 'he' : 'en';
}


function applyToDocument(lng: UiLanguage): void {
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
  document.title = t('app.title');
}

export async function initI18n(lng: UiLanguage): Promise<void> {
  await instance.init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...UI_LANGUAGES],
    resources: { en: { translation: en }, he: { translation: he } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(lng);
}

export async function changeLanguage(lng: UiLanguage): Promise<void> {
  await instance.changeLanguage(lng);
  applyToDocument(lng);
  for (const fn of listeners) fn();
}

/** Called after each switch, for parts that render counts, names or other dynamic strings. */
export function onLanguageChange(fn: () => void): void {
  listeners.push(fn);
}
