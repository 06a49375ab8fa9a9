/**
 * PDF fixtures made on the spot: HTML printed to PDF by Chromium (playwright-core driving
 * /usr/bin/chromium, offline), with the text each document holds. The PDFs written byte by byte
 * are in tests/fixtures/pdf/write-pdf.ts.
 *
 * No vitest import here: the benchmark (bench/pdf.ts) prints its long PDF with the same code.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Other suites (tests/e2e) take the hand-written PDFs from here too.
export { encryptedPdf, helveticaPdf, manyItemsPdf, manyPagesPdf, updatePdf } from '../fixtures/pdf/write-pdf.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

/** One headless Chromium that makes no network requests of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
}

export interface PrintOptions {
  /** Running head and foot templates (Chromium's `displayHeaderFooter`). */
  header?: string;
  footer?: string;
  width?: string;
  height?: string;
}

/** Prints an HTML document to PDF; any request the page makes is refused (the fixtures are self-contained). */
export async function printPdf(browser: Browser, html: string, options: PrintOptions = {}): Promise<Uint8Array> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const headed = options.header !== undefined || options.footer !== undefined;
    const pdf = await page.pdf({
      width: options.width ?? '210mm',
      height: options.height ?? '297mm',
      printBackground: false,
      displayHeaderFooter: headed,
      headerTemplate: options.header ?? '<span></span>',
      footerTemplate: options.footer ?? '<span></span>',
      margin: headed ? { top: '22mm', bottom: '22mm', left: '20mm', right: '20mm' } : { top: '15mm', bottom: '15mm', left: '20mm', right: '20mm' },
    });
    return new Uint8Array(pdf);
  } finally {
    await context.close();
  }
}

/** The template of a running head or foot: small centred text (Chromium fills `pageNumber` and `totalPages`). */
export function runningLine(inner: string, dir: 'ltr' | 'rtl' = 'ltr'): string {
  return `<div dir="${dir}" style="font-size:9px;width:100%;text-align:center;font-family:sans-serif">${inner}</div>`;
}

// ---------------------------------------------------------------------------------------------
// Documents to print, with the text they hold

const repo = new URL('../../', import.meta.url);

/**
 * Noto Serif Hebrew (Hebrew and Latin subsets) from the installed @fontsource package, inlined as
 * the family "GlossTest": the same letters, points and cantillation on every machine.
 */
export function fontFaces(): string {
  const dir = new URL('node_modules/@fontsource/noto-serif-hebrew/files/', repo);
  const face = (subset: string, weight: number, range: string): string => {
    const file = new URL(`noto-serif-hebrew-${subset}-${weight}-normal.woff2`, dir);
    const data = fs.readFileSync(file).toString('base64');
    return `@font-face{font-family:GlossTest;font-weight:${weight};src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range}}`;
  };
  const hebrew = 'U+0307-0308,U+0590-05FF,U+200C-2010,U+20AA,U+25CC,U+FB1D-FB4F';
  const latin = 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';
  return [face('hebrew', 400, hebrew), face('hebrew', 700, hebrew), face('latin', 400, latin), face('latin', 700, latin)].join('\n');
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The paragraphs of a seed text (the repository's sample articles), whitespace collapsed. */
export function seedParagraphs(file: string): string[] {
  const text = fs.readFileSync(new URL(`seeds/${file}`, repo), 'utf8');
  return text
    .split(/\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

export const ENGLISH_SEED = '001_0fa0b45d268b50fd.txt';
export const HEBREW_SEED = '000_744ac1d46c62b577.txt';

/** Genesis 1:1-5, pointed (with maqaf and sof pasuq). */
export const GENESIS =
  'בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ׃ וְהָאָרֶץ הָיְתָה תֹהוּ וָבֹהוּ וְחֹשֶׁךְ עַל־פְּנֵי תְהוֹם וְרוּחַ אֱלֹהִים מְרַחֶפֶת עַל־פְּנֵי הַמָּיִם׃ ' +
  'וַיֹּאמֶר אֱלֹהִים יְהִי אוֹר וַיְהִי־אוֹר׃ וַיַּרְא אֱלֹהִים אֶת־הָאוֹר כִּי־טוֹב וַיַּבְדֵּל אֱלֹהִים בֵּין הָאוֹר וּבֵין הַחֹשֶׁךְ׃ ' +
  'וַיִּקְרָא אֱלֹהִים לָאוֹר יוֹם וְלַחֹשֶׁךְ קָרָא לָיְלָה וַיְהִי־עֶרֶב וַיְהִי־בֹקֶר יוֹם אֶחָד׃';

/** A document to print and what a faithful reading of it gives back. */
export interface PrintedDocument {
  html: string;
  /** Every paragraph's text as it should come out, in reading order (soft hyphens removed). */
  paragraphs: string[];
  headings: string[];
  items: string[];
  notes: { label: string; text: string }[];
  print: PrintOptions;
}

function page(lang: string, dir: 'ltr' | 'rtl', css: string, body: string, title = ''): string {
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>
${fontFaces()}
body{font-family:GlossTest,serif;font-size:11pt;line-height:1.4;margin:0}
h1{font-size:20pt;font-weight:700;margin:0 0 10pt}
h2{font-size:14pt;font-weight:700;margin:14pt 0 6pt}
p{margin:0 0 7pt}
${css}
</style></head><body>${body}</body></html>`;
}

/** Puts a soft hyphen in the middle of every word of nine letters or more. */
export function softHyphenate(text: string): string {
  return text.replace(/\p{Ll}{9,}/gu, (w) => `${w.slice(0, Math.floor(w.length / 2))}\u00AD${w.slice(Math.floor(w.length / 2))}`);
}

/**
 * An English article of several pages: a title, justified paragraphs (some running over a page
 * break), a narrow paragraph broken at soft hyphens, a narrow one broken after real hyphens, a
 * bulleted list, a running head and a running foot with page numbers.
 */
export function englishArticle(): PrintedDocument {
  const seed = seedParagraphs(ENGLISH_SEED).filter((p) => !p.startsWith('http'));
  const title = seed[0]!;
  const body = seed.slice(1).filter((p) => p.length > 150);
  const first = body.slice(0, 9);
  const rest = body.slice(9, 16);
  // Longer than a page, so it runs over a page break whatever comes before it.
  const long = body.slice(0, 9).join(' ');
  const soft = softHyphenate(first[1]!);
  const hyphens =
    'The talks between Russian-Israeli working groups and the Moscow-Jerusalem-Washington channel went on; observers called the state-of-the-art Russia-Israel-Syria hotline a deconfliction mechanism of Israeli-Russian-American design.';
  const items = ['Security coordination over Syria.', 'Trade, tourism and the Russian-speaking community in Israel.', 'The status of the Alexander Compound in Jerusalem.'];
  const html = page(
    'en',
    'ltr',
    'p.j{text-align:justify} .narrow{width:52mm} ol{margin:0 0 7pt}',
    [
      `<h1>${escapeHtml(title)}</h1>`,
      ...first.map((p) => `<p class="j">${escapeHtml(p)}</p>`),
      `<h2>Words broken at line ends</h2>`,
      `<p class="narrow" style="hyphens:manual">${escapeHtml(soft)}</p>`,
      `<p class="narrow">${escapeHtml(hyphens)}</p>`,
      `<p class="j">The state-of-the-art hotline, as one official put it, is a well-tested arrangement.</p>`,
      `<ol>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>`,
      ...rest.map((p) => `<p class="j">${escapeHtml(p)}</p>`),
      `<p class="j">${escapeHtml(long)}</p>`,
    ].join('\n'),
    'A Growing Russian-Israeli Alliance?',
  );
  return {
    html,
    paragraphs: [...first, first[1]!, hyphens, 'The state-of-the-art hotline, as one official put it, is a well-tested arrangement.', ...rest, long],
    headings: [title, 'Words broken at line ends'],
    items,
    notes: [],
    print: {
      header: runningLine('Gloss Test Quarterly — Russia and Israel'),
      footer: runningLine('Page <span class="pageNumber"></span> of <span class="totalPages"></span>'),
    },
  };
}

/**
 * A Hebrew article of several pages: a title, paragraphs from a news report (numbers and Latin
 * inside Hebrew, maqaf), Genesis with its points, a running head and a running foot "עמוד N מתוך M".
 */
export function hebrewArticle(): PrintedDocument {
  const seed = seedParagraphs(HEBREW_SEED);
  const title = seed[0]!;
  const body = [...new Set(seed.slice(1))].filter((p) => p.length > 100);
  const mixed =
    'בשנת 2017 נפגש Benjamin Netanyahu עם Vladimir Putin במוסקבה לשיחה של 3 שעות, ובה דנו בתיאום בין צה"ל לכוחות הרוסיים בסוריה ובהסכם ה־S-300 שנחתם ב־2010.';
  const own = [
    'הפגישה התקיימה בקרמלין, ובסיומה מסרו שני הצדדים הודעות נפרדות לעיתונות. לדברי גורמים מדיניים בירושלים, השיחה עסקה בעיקר בסוגיות ביטחוניות ובהסדרים שנועדו למנוע התנגשות בין כוחות הצבא של שתי המדינות.',
    'בסוף הביקור הוזמן נשיא רוסיה לבקר בישראל בחודש מאי, לטקס חנוכת אנדרטה לזכר חיילי הצבא האדום שנפלו במלחמת העולם השנייה. ההזמנה התקבלה, אך מועד הביקור טרם נקבע סופית.',
  ];
  // Longer than a page, so it runs over a page break whatever comes before it.
  const long = [...body, ...own].join(' ');
  const paragraphs = [...body, mixed, GENESIS, ...own, long];
  const html = page(
    'he',
    'rtl',
    'p{text-align:justify} body{font-size:12pt;line-height:1.5}',
    [`<h1>${escapeHtml(title)}</h1>`, ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`)].join('\n'),
  );
  return {
    html,
    paragraphs,
    headings: [title],
    items: [],
    notes: [],
    print: {
      header: runningLine('כתב העת לבדיקה — ישראל ורוסיה', 'rtl'),
      footer: runningLine('עמוד <span class="pageNumber"></span> מתוך <span class="totalPages"></span>', 'rtl'),
    },
  };
}

/** Two pages in two columns (CSS columns): English, then Hebrew, each under a title across the page. */
export function twoColumns(): PrintedDocument {
  const en = seedParagraphs(ENGLISH_SEED).filter((p) => p.length > 200).slice(0, 6);
  const he = [...new Set(seedParagraphs(HEBREW_SEED))].filter((p) => p.length > 150).slice(0, 6);
  const html = page(
    'en',
    'ltr',
    '.cols{columns:2;column-gap:9mm;text-align:justify} .he{break-before:page}',
    [
      '<h1>Two columns, left to right</h1>',
      `<div class="cols">${en.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`,
      '<h1 class="he" dir="rtl">שני טורים, מימין לשמאל</h1>',
      `<div class="cols" dir="rtl" lang="he">${he.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`,
    ].join('\n'),
  );
  return { html, paragraphs: [...en, ...he], headings: ['Two columns, left to right', 'שני טורים, מימין לשמאל'], items: [], notes: [], print: {} };
}

/**
 * Pages laid out by hand (each an A4 box) with footnotes at their feet: a paragraph cut in the
 * middle of a sentence at the foot of page 1 goes on at the top of page 2, around the notes.
 * Page 3 is Hebrew with a Hebrew note.
 */
export function footnotes(): PrintedDocument {
  const en = seedParagraphs(ENGLISH_SEED).filter((p) => p.length > 300);
  const cutFrom = en[3]!;
  const words = cutFrom.split(' ');
  const half = Math.floor(words.length / 2);
  // The first half ends inside a sentence, so nothing but the layout says where the paragraph goes on.
  let cut = half;
  while (cut < words.length - 3 && /[.!?]$/.test(words[cut - 1]!)) cut++;
  const head = words.slice(0, cut).join(' ');
  const tail = words.slice(cut).join(' ');
  const notes = [
    { label: '1', text: 'Reported by the Kremlin press service on the day of the meeting.' },
    { label: '2', text: 'The figure is disputed; other sources give a lower number of visits since 2005.' },
    { label: '3', text: 'See the joint statement issued after the talks, which does not mention Syria by name.' },
    { label: '4', text: 'לפי הודעת לשכת ראש הממשלה מאותו יום.' },
  ];
  const he = [...new Set(seedParagraphs(HEBREW_SEED))].filter((p) => p.length > 200).slice(0, 2);
  const note = (n: { label: string; text: string }, dir = 'ltr'): string =>
    `<div class="note" dir="${dir}"><sup>${n.label}</sup> ${escapeHtml(n.text)}</div>`;
  const html = page(
    'en',
    'ltr',
    `@page{size:210mm 297mm;margin:0}
.page{height:297mm;box-sizing:border-box;padding:24mm 22mm;position:relative;break-after:page;overflow:hidden}
.page p{text-align:justify}
.cut{text-align-last:justify}
.notes{position:absolute;left:22mm;right:22mm;bottom:22mm;font-size:8pt;line-height:1.3;border-top:0.5pt solid #000;padding-top:3pt}
sup{font-size:65%;line-height:0}`,
    [
      `<div class="page"><p>${escapeHtml(en[0]!)}<sup>1</sup></p><p>${escapeHtml(en[1]!)}</p><p>${escapeHtml(en[2]!)}<sup>2</sup></p><p class="cut">${escapeHtml(head)}</p>`,
      `<div class="notes">${note(notes[0]!)}${note(notes[1]!)}</div></div>`,
      `<div class="page"><p>${escapeHtml(tail)}</p><p>${escapeHtml(en[4]!)}<sup>3</sup></p><div class="notes">${note(notes[2]!)}</div></div>`,
      `<div class="page" dir="rtl" lang="he"><p>${escapeHtml(he[0]!)}<sup>4</sup></p><p>${escapeHtml(he[1]!)}</p><div class="notes">${note(notes[3]!, 'rtl')}</div></div>`,
    ].join('\n'),
  );
  return {
    html,
    paragraphs: [en[0]! + '1', en[1]!, en[2]! + '2', `${head} ${tail}`, en[4]! + '3', he[0]! + '4', he[1]!],
    headings: [],
    items: [],
    notes,
    print: { width: '210mm', height: '297mm' },
  };
}

/**
 * Hebrew printed with its letters forced left to right (`unicode-bidi: bidi-override`), so the
 * PDF holds each line in visual order and pdf.js returns the words backwards.
 */
export function visualOrderHebrew(): PrintedDocument {
  const paragraphs = [
    'שלום עולם, זה טקסט שנשמר בסדר חזותי בשנת 1948 עם Hello World ומילים נוספות כמו מלך ומים.',
    'ראש הממשלה נפגש עם נשיא רוסיה במוסקבה, ובסוף הפגישה נמסר כי השיחה עסקה בסוגיות ביטחוניות דחופות ובתיאום הצבאי בסוריה, שנמשך כבר 3 שנים.',
    'בחודש הבא צפוי להגיע ראש ממשלת רוסיה לביקור בישראל, ובו ייפגש עם שרים ועם ראשי ערים, ויבקר במוזיאון לזכר חיילי הצבא האדום.',
  ];
  const html = page(
    'he',
    'ltr',
    '.v{unicode-bidi:bidi-override;direction:ltr;text-align:right;width:120mm;margin-bottom:12pt}',
    paragraphs.map((p) => `<p class="v" lang="he">${escapeHtml(p)}</p>`).join('\n'),
  );
  return { html, paragraphs, headings: [], items: [], notes: [], print: {} };
}

/** A page with nothing but drawing (as a scan is nothing but an image). */
export function imageOnly(): string {
  const shapes = Array.from({ length: 40 }, (_, i) => `<rect x="${(i % 8) * 60}" y="${Math.floor(i / 8) * 90}" width="50" height="70" fill="#${(i * 997).toString(16).padStart(3, '0').slice(0, 3)}"/>`).join('');
  return `<!doctype html><html><body style="margin:0"><svg width="500" height="460" xmlns="http://www.w3.org/2000/svg">${shapes}<circle cx="250" cy="230" r="120" fill="none" stroke="#000" stroke-width="6"/></svg><div style="break-before:page"><svg width="400" height="300"><rect width="400" height="300" fill="#888"/></svg></div></body></html>`;
}
