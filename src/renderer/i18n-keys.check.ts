/**
 * Compile-time proof that locale keys are typed (`CustomTypeOptions` in locales.d.ts): `tsc -b`
 * checks this file, and each `@ts-expect-error` fails the build if its line ever compiles, i.e.
 * if `t` went back to taking any string. Nothing imports it, so it is not bundled.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import type { ErrorCode } from '../common/errors.js';

export function typedKeys(code: ErrorCode): string[] {
  return [
    t('app.title'),
    // A plural key by its base name (the catalogue has library.importedWithComments_one and _other).
    t('library.importedWithComments', { count: 2 }),
    // Every error code has its message: this line stops compiling when a code lacks one.
    t(`errors.${code}`),
    // @ts-expect-error: no such key in the catalogues
    t('no.such.key'),
    // @ts-expect-error: a real section with a misspelt key
    t('app.titel'),
    // @ts-expect-error: a section name is not a message
    t('errors'),
    // @ts-expect-error: a code that is not in ERROR_CODES has no message
    t('errors.no-such-code'),
  ];
}

/** Keys given to the element builder are checked too (they end up in `data-i18n`). */
export function typedElementKeys(): HTMLElement[] {
  return [
    h('span', { t: 'common.cancel', tAttrs: { title: 'common.close' } }),
    // @ts-expect-error: no such key for the text
    h('span', { t: 'common.cancle' }),
    // @ts-expect-error: no such key for an attribute
    h('span', { tAttrs: { title: 'common.shut' } }),
  ];
}
