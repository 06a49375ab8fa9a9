/** A small element builder; `t` and `tAttrs` take locale keys, re-applied on a language switch. */
import { knownKey, t, type TranslationKey } from './i18n.js';

type Child = Node | string | null | undefined | false;

export interface Props {
  /** Locale key for the text content. */
  t?: TranslationKey;
  /** Attribute name -> locale key (e.g. `aria-label`). */
  tAttrs?: Record<string, TranslationKey>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
  [attr: string]: unknown;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 't' || name === 'tAttrs' || name === 'on') continue;
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  if (props.on) {
    for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn as EventListener);
  }
  if (props.tAttrs) {
    el.dataset.i18nAttrs = Object.entries(props.tAttrs)
      .map(([a, k]) => `${a}:${k}`)
      .join(';');
  }
  if (props.t) el.dataset.i18n = props.t;
  localizeElement(el);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Applies an element's own locale keys (not its children's). */
export function localizeElement(el: HTMLElement): void {
  // The keys were checked when `h` put them there; `knownKey` re-checks what the DOM hands back.
  const key = el.dataset.i18n ? knownKey(el.dataset.i18n) : null;
  if (key) el.textContent = t(key);
  if (el.dataset.i18nAttrs) {
    for (const pair of el.dataset.i18nAttrs.split(';')) {
      const [attr, raw] = pair.split(':');
      const attrKey = raw ? knownKey(raw) : null;
      if (attr && attrKey) el.setAttribute(attr, t(attrKey));
    }
  }
}

/** Re-applies every locale key under `root`. */
export function localize(root: ParentNode): void {
  if (root instanceof HTMLElement) localizeElement(root);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n], [data-i18n-attrs]')) localizeElement(el);
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/**
 * Of `items` (sections waiting to be drawn), the one nearest to the middle of `scroller`'s
 * visible box (one holding the middle is nearest): lazily drawn text is drawn from there outwards.
 */
export function nearestToMiddle<T extends { el: Element }>(scroller: Element, items: Iterable<T>): T | null {
  const view = scroller.getBoundingClientRect();
  const middle = (view.top + view.bottom) / 2;
  let best: T | null = null;
  let bestDistance = Infinity;
  for (const s of items) {
    const r = s.el.getBoundingClientRect();
    const distance = r.bottom < middle ? middle - r.bottom : r.top > middle ? r.top - middle : 0;
    if (distance < bestDistance) [best, bestDistance] = [s, distance];
  }
  return best;
}
