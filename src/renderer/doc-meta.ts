/**
 * What is known about a document besides its text, as the interface words it: the kind of source,
 * its byline (author, date, site or publisher), its length in pages or chapters, and the pages a
 * passage spans ("p. 12", "עמ׳ 12"). Values from the source (an author's name, a site) are
 * isolated, so a Hebrew name in an English line (or the reverse) cannot reorder its neighbours.
 */
import type { DocumentMeta, SourceKind } from '../common/model.js';
import { isolate, language, t } from './i18n.js';

/** "PDF", "Word", "Web page", in the interface language. */
export function sourceKindLabel(kind: SourceKind | undefined): string {
  return kind ? t(`sources.${kind}`) : '';
}

/**
 * A date as the source gave it, written for the reader: a full ISO date or timestamp in the
 * interface's style, a year or year-month as it is, anything unreadable as given.
 */
export function formatDate(value: string | undefined): string {
  if (!value) return '';
  if (/^\d{4}(-\d{2})?$/.test(value)) return value;
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  // A date alone is a calendar day: read in UTC, so no time zone moves it to the day before.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(language() === 'he' ? 'he-IL' : 'en-GB', { dateStyle: 'medium', ...(dateOnly ? { timeZone: 'UTC' } : {}) }).format(date);
}

/** Author, date, and site (or publisher), each isolated, in that order; empty ones left out. */
export function bylineParts(meta: DocumentMeta): string[] {
  const out: string[] = [];
  if (meta.author) out.push(isolate(meta.author));
  const date = formatDate(meta.date);
  if (date) out.push(isolate(date));
  const place = meta.siteName ?? meta.publisher;
  if (place) out.push(isolate(place));
  return out;
}

/** "PDF · 300 pages", "EPUB · 12 chapters", "Markdown". */
export function sourceLine(meta: DocumentMeta): string {
  const parts: string[] = [];
  const kind = sourceKindLabel(meta.sourceKind);
  if (kind) parts.push(kind);
  if (meta.pageCount) parts.push(t('sources.pageCount', { count: meta.pageCount }));
  else if (meta.chapterCount) parts.push(t('sources.chapterCount', { count: meta.chapterCount }));
  // Each part isolated: "PDF · 2 עמודים" would otherwise read the 2 with PDF, left to right.
  return parts.length > 1 ? parts.map(isolate).join(' · ') : (parts[0] ?? '');
}

/** The pages a passage spans: "p. 12", "pp. 12–13" (first and last), or '' without pages. */
export function pagesLabel(pages: readonly string[]): string {
  if (pages.length === 0) return '';
  if (pages.length === 1) return t('sources.page', { page: isolate(pages[0]!) });
  return t('sources.pages', { first: isolate(pages[0]!), last: isolate(pages[pages.length - 1]!) });
}

/**
 * The word before a page number in the reader's margin, given to CSS (`--page-prefix`), so the
 * marks follow a language switch without the text being drawn again.
 */
export function applyPagePrefix(root: HTMLElement = document.documentElement): void {
  root.style.setProperty('--page-prefix', JSON.stringify(`${t('sources.pagePrefix')} `));
}
