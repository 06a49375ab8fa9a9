/**
 * The bundled catalogues (scripts/build.mjs aliases `@gloss/locales` to ./locales; tsconfig.renderer
 * maps it the same way, so `import en from '@gloss/locales/en/translation.json'` has the catalogue's
 * own type). The English catalogue types every key: `t('no.such.key')` is a compile error.
 */
import type en from '@gloss/locales/en/translation.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    returnNull: false;
  }
}
