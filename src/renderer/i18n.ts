/**
 * The interface language: i18next with both catalogues bundled (no fetch). Switching turns the
 * whole interface around: `<html lang dir>` changes and every keyed label is re-applied; the
 * text's own block directions are data and do not change.
 */
import i18next from 'i18next';
import en from '@gloss/locales/en/translation.json';
import he from '@gloss/locales/he/translation.json';
import { UI_LANGUAGES, type UiLanguage } from '../common/api.js';

const instance = i18next.createInstance();
const listeners: (() => void)[] = [];

export function t(key: string, options?: Record<string, unknown>): string {
  return instance.t(key, options as never) as string;
}

export function language(): UiLanguage {
  return instance.language === 'he' ? 'he' : 'en';
}

export function directionOf(lng: UiLanguage): 'rtl' | 'ltr' {
  return lng === 'he' ? 'rtl' : 'ltr';
}

/** The first supported language among the browser's preferences; English otherwise. */
export function systemLanguage(preferences: readonly string[]): UiLanguage {
  for (const p of preferences) {
    const base = p.toLowerCase().split('-')[0];
    if (base === 'iw') return 'he';
    if ((UI_LANGUAGES as readonly string[]).includes(base ?? '')) return base as UiLanguage;
  }
  return 'en';
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
