/**
 * The PDF reader's limits. A limit hit is an ImportError naming it; the README states these
 * figures. They bound a hostile file's cost: pdf.js's own work is per page, and the page and
 * text-item caps bound how much of it we ask for and how much we then lay out.
 */

/** The most pages a PDF may have. */
export const MAX_PDF_PAGES = 5_000;
/** The most text items (pdf.js's runs of text) in the whole document. */
export const MAX_PDF_TEXT_ITEMS = 2_000_000;
/**
 * The most text items on one page. A dense page of Hebrew with niqqud printed by a browser has a
 * few thousand (each word and each separately placed point is an item); a page drawn one glyph
 * at a time stays well under this too.
 */
export const MAX_PAGE_TEXT_ITEMS = 20_000;
/**
 * Fewer visible characters than this per page, on average, and the PDF is taken for a scan
 * without a text layer (a stamp or a page number on each page does not make a text layer).
 */
export const MIN_CHARACTERS_PER_PAGE = 10;

const n = (value: number): string => value.toLocaleString('en-US');

export const tooManyPages = (pages: number): string =>
  `has more than ${n(MAX_PDF_PAGES)} pages, the limit for a PDF (it has ${n(pages)})`;
export const tooManyItemsOnPage = (label: string): string =>
  `page ${label} has more than ${n(MAX_PAGE_TEXT_ITEMS)} pieces of text, the limit for one page of a PDF`;
export const tooManyItems = (): string =>
  `has more than ${n(MAX_PDF_TEXT_ITEMS)} pieces of text, the limit for a PDF`;
