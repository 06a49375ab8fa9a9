/**
 * The interface language: i18next with both catalogues bundled (no fetch). Switching turns the
 * whole interface around: `<html lang dir>` changes and every keyed label is re-applied; the
 * text's own block directions are data and do not change.
 */
import i18next, { type ParseKeys } from 'i18next';
import en from '@gloss/locales/en/translation.json';
import he from '@gloss/locales/he/translation.json';
import { isErrorCode, isImportReason, type ErrorParams } from '../common/errors.js';
import { UI_LANGUAGES, type UiLanguage } from '../common/methods.js';
import { directionOf } from './ui-language.js';

export { directionOf, systemLanguage } from './ui-language.js';

const instance = i18next.createInstance();
const listeners: (() => void)[] = [];

/** A key of the catalogues (plural forms by their base name): any other string is a compile error. */
export type TranslationKey = ParseKeys;

export function t(key: TranslationKey, options?: Record<string, unknown>): string {
  return String(instance.t(key, options as never));
}

/**
 * For a key that arrives as a string (a `data-i18n` attribute): the key when the English catalogue
 * has it, else null. Keys written in code are checked by the compiler instead.
 */
export function knownKey(key: string): TranslationKey | null {
  return instance.exists(key, { lng: 'en' }) ? (key as TranslationKey) : null;
}

/** Wraps a value placed into a sentence (a title, a file name) in FSI..PDI, so its direction cannot
 * reorder the sentence around it. These characters go into interface strings only, never into the
 * document's text. */
export function isolate(value: string): string {
  return `\u2068${value}\u2069`;
}

/**
 * What to tell the user about an error, in the interface language: an API error (any transport)
 * as `errors.<code>` with its parameters, names and titles isolated; an Error the renderer made
 * itself (its message already translated) as it is; anything else, a bug, as `errors.internal`
 * (the detail goes to the console, not to the screen).
 */
export function errorText(e: unknown): string {
  if (e instanceof Error && 'code' in e && isErrorCode(e.code)) {
    const raw = 'params' in e && e.params && typeof e.params === 'object' ? (e.params as ErrorParams) : {};
    const params: Record<string, unknown> = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? isolate(v) : v]));
    // A file that could not be read says why, in the interface language too.
    if (e.code === 'import-failed') params.reason = t(`importReasons.${isImportReason(raw.why) ? raw.why : 'unreadable'}`);
    return t(`errors.${e.code}`, params);
  }
  if (e instanceof Error && e.name === 'Error') return e.message;
  console.error(e);
  return t('errors.internal');
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
