/** Which interface language to start in, and its direction. */
import { UI_LANGUAGES, type UiLanguage } from '../common/methods.js';

export function directionOf(lng: UiLanguage): 'rtl' | 'ltr' {
  return lng === 'he' ? 'rtl' : 'ltr';
}

/** The first supported language among the browser's preferences (`he-IL`, `iw`); English otherwise. */
export function systemLanguage(preferences: readonly string[]): UiLanguage {
  for (const p of preferences) {
    const base = p.toLowerCase().split(/[-_]/)[0] ?? '';
    if (base === 'iw') return 'he';
    if ((UI_LANGUAGES as readonly string[]).includes(base)) return base as UiLanguage;
  }
  return 'en';
}
