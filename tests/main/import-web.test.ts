/**
 * Saved web pages: realistic pages written here (a Hebrew news article and an English blog post,
 * with their navigation, ads, related links, comments, cookie banner and footer) go through
 * Readability on linkedom; the article's paragraphs must all be there, in order, and none of the
 * chrome. Fragments without chrome import as plain HTML.
 */
import { describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../../src/common/model.js';
import { ImportError } from '../../src/main/import/errors.js';
import { MAX_PAGE_DEPTH, MAX_PAGE_ELEMENTS, parseHtmlFile, stripSiteName } from '../../src/main/import/web-page.js';

const texts = (doc: ParsedDocument): string[] => doc.blocks.map((b) => b.text);

function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

/** Every string of `wanted` is a block's text, in this order (other blocks may sit between). */
function expectInOrder(doc: ParsedDocument, wanted: readonly string[]): void {
  const all = texts(doc);
  let at = -1;
  for (const w of wanted) {
    const next = all.indexOf(w, at + 1);
    expect(next, `"${w.slice(0, 40)}…" after block ${at}`).toBeGreaterThan(at);
    at = next;
  }
}

function expectNone(doc: ParsedDocument, traces: readonly string[]): void {
  const all = JSON.stringify(doc);
  for (const t of traces) expect(all, t).not.toContain(t);
}

const HE_PARAGRAPHS = [
  'ראש הממשלה בנימין נתניהו שוחח אמש בטלפון עם נשיא רוסיה ולדימיר פוטין, על רקע היחלשות התיאום הביטחוני בין צה"ל לצבא רוסיה בשמי סוריה.',
  'לפי הודעת לשכת ראש הממשלה, השניים דנו בהתפתחויות האזוריות ובצורך להמשיך את המנגנון למניעת תקלות בין הכוחות, שפועל מאז ספטמבר 2015.',
  'במערכת הביטחון חוששים כי העברת סוללות S-300 לצבא סוריה תגביל את חופש הפעולה של חיל האוויר, ומעריכים כי המשלוח הראשון כבר הגיע לנמל טרטוס.',
  'גורם מדיני בכיר אמר כי "ישראל תמשיך לפעול נגד ההתבססות האיראנית בסוריה בכל מקום שיידרש", והוסיף כי הדברים הובהרו גם לצד הרוסי בשיחה.',
  'בקרמלין מסרו בתום השיחה כי פוטין הדגיש את חשיבות השמירה על ריבונותה של סוריה, וכי הצדדים סיכמו להמשיך בקשר הדוק בין הצבאות ובין הדרגים המדיניים.',
  'השיחה היא הרביעית בין השניים מאז תחילת השנה, ונתניהו צפוי לבקר במוסקבה בחודש הבא לרגל טקסי יום הניצחון על גרמניה הנאצית.',
];
const HE_QUOTE = 'לא נאפשר לאיראן להתבסס צבאית בסוריה, וזה מסר שהעברנו בבהירות לכל הגורמים.';

const hebrewNewsPage = `<!-- saved from url=(0049)https://www.example.co.il/news/article/r1abc2def -->
<!DOCTYPE html>
<html lang="he" dir="rtl">
<head>
<meta charset="utf-8">
<title>נתניהו שוחח עם פוטין על התיאום הביטחוני בסוריה | חדשות הבוקר</title>
<meta name="description" content="ראש הממשלה ונשיא רוסיה דנו בהתפתחויות בסוריה ובמנגנון התיאום בין הצבאות">
<meta property="og:site_name" content="חדשות הבוקר">
<meta property="og:url" content="https://m.example.co.il/r1abc2def">
<meta property="article:published_time" content="2018-05-09T08:30:00+03:00">
<meta name="author" content="יוסי כהן">
<link rel="canonical" href="https://www.example.co.il/news/article/r1abc2def">
<link rel="stylesheet" href="site.css">
<style>.cookie-banner { position: fixed; }</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){ dataLayer.push(arguments); }</script>
</head>
<body class="article-page">
<div id="cookie-consent" class="cookie-banner" role="dialog">
  <p>אתר זה עושה שימוש בעוגיות כדי לשפר את חוויית הגלישה, להתאים תוכן ופרסומות ולנתח את התנועה באתר. המשך הגלישה מהווה הסכמה לתנאי השימוש ולמדיניות הפרטיות.</p>
  <button onclick="acceptCookies()">אישור</button>
</div>
<header class="site-header">
  <a href="/" class="logo">חדשות הבוקר</a>
  <nav class="main-nav"><ul>
    <li><a href="/news">חדשות</a></li><li><a href="/politics">פוליטיקה</a></li><li><a href="/sport">ספורט</a></li>
    <li><a href="/economy">כלכלה</a></li><li><a href="/culture">תרבות</a></li>
  </ul></nav>
  <form class="search" action="/search"><input name="q" placeholder="חיפוש"><button>חפש</button></form>
</header>
<div class="ad-slot" id="div-gpt-ad-top"><span>פרסומת</span><iframe src="https://ads.example.com/top"></iframe></div>
<main>
<div class="breadcrumbs"><a href="/">ראשי</a> › <a href="/news">חדשות</a> › <a href="/news/world">העולם</a></div>
<article class="article-body">
  <h1>נתניהו שוחח עם פוטין על התיאום הביטחוני בסוריה</h1>
  <div class="article-meta"><span class="author">יוסי כהן</span> <time datetime="2018-05-09">09.05.18</time></div>
  <div class="share-bar"><a href="https://facebook.com/share">שתפו בפייסבוק</a> <a href="https://twitter.com/share">שתפו בטוויטר</a> <a href="mailto:">שלחו לחבר</a></div>
  <p>${HE_PARAGRAPHS[0]}</p>
  <p>${HE_PARAGRAPHS[1]}</p>
  <div class="ad ad-inread" id="div-gpt-ad-inread"><span>פרסומת</span><iframe src="https://ads.example.com/inread"></iframe></div>
  <p>${HE_PARAGRAPHS[2]}</p>
  <blockquote><p>${HE_QUOTE}</p></blockquote>
  <p>${HE_PARAGRAPHS[3]}</p>
  <p>${HE_PARAGRAPHS[4]}</p>
  <p>${HE_PARAGRAPHS[5]}</p>
</article>
<section class="related-articles">
  <h2>כתבות נוספות שיעניינו אותך</h2>
  <ul>
    <li><a href="/a1">שר הביטחון: "נגיב בעוצמה לכל תקיפה"</a></li>
    <li><a href="/a2">דיווח: מערכת הגנה אווירית חדשה נפרסה בצפון</a></li>
    <li><a href="/a3">הקבינט התכנס לדיון מיוחד על המצב בגבול הצפון</a></li>
  </ul>
</section>
<section id="comments" class="comments">
  <h2>תגובות הגולשים</h2>
  <ol class="comment-list">
    <li class="comment"><div class="comment-author">דני, תל אביב</div><p>כל הכבוד לראש הממשלה על השיחה החשובה הזו, סוף סוף מישהו שמבין איך לדבר עם הרוסים ולשמור על האינטרסים שלנו.</p></li>
    <li class="comment"><div class="comment-author">רונית</div><p>אני לא בטוחה שזה יעזור בכלום, הרוסים תמיד עושים מה שטוב להם ורק להם, וזה לא ישתנה בשיחת טלפון אחת.</p></li>
  </ol>
  <form class="comment-form"><textarea name="c">כתבו תגובה</textarea><button>שליחה</button></form>
</section>
</main>
<aside class="sidebar">
  <h3>הנקראים ביותר</h3>
  <ol><li><a href="/m1">מזג האוויר: גשם כבד צפוי בסוף השבוע</a></li><li><a href="/m2">מחירי הדירות ממשיכים לעלות</a></li></ol>
</aside>
<footer class="site-footer">
  <nav><a href="/about">אודות</a> | <a href="/terms">תנאי שימוש</a> | <a href="/privacy">מדיניות פרטיות</a></nav>
  <p>כל הזכויות שמורות © 2018 חדשות הבוקר בע"מ</p>
</footer>
<script src="https://ads.example.com/loader.js"></script>
<script>document.write('<p>injected</p>'); alert('xss')</script>
</body>
</html>`;

const HE_CHROME = [
  'עוגיות', 'אישור', 'פוליטיקה', 'ספורט', 'כלכלה', 'תרבות', 'חיפוש', 'פרסומת', 'ראשי', 'שתפו', 'שלחו לחבר',
  'כתבות נוספות', 'שר הביטחון', 'מערכת הגנה אווירית', 'הקבינט', 'תגובות', 'כל הכבוד', 'אני לא בטוחה', 'כתבו תגובה',
  'הנקראים ביותר', 'מזג האוויר', 'אודות', 'תנאי שימוש', 'כל הזכויות שמורות', 'injected', 'alert', 'gtag', 'dataLayer',
  'acceptCookies', 'onclick', '<', '>',
];

const EN_PARAGRAPHS = [
  'When I first started keeping a reading journal, I wrote down every quotation that struck me, and within a month I had a notebook full of sentences I could no longer place.',
  'The trouble was not the quotations themselves but the missing context: a line from Amos Oz means something different once you remember which character says it, and to whom.',
  'So I changed the method. Each entry now records the book, the page, the speaker, and one sentence of my own about why the passage mattered on the day I read it.',
  'This post collects the three habits that survived five years of journals, along with the tools I use to keep Hebrew and English notes side by side without losing either.',
  'None of this requires special software, but a good annotation tool makes the second reading much faster, because the margin remembers what you were thinking.',
];

const englishBlogPage = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Three habits for a reading journal — Marginalia</title>
<meta property="og:title" content="Three habits for a reading journal — Marginalia">
<meta property="og:site_name" content="Marginalia">
<meta property="og:url" content="https://marginalia.example.org/2023/reading-journal/">
<meta name="author" content="Ruth Abrams">
<meta property="article:published_time" content="2023-11-02">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting","headline":"Three habits for a reading journal","datePublished":"2023-11-02"}</script>
</head>
<body>
<header role="banner"><div class="site-title"><a href="/">Marginalia</a></div>
<nav role="navigation"><a href="/">Home</a> <a href="/archive">Archive</a> <a href="/about">About me</a> <a href="/feed">RSS</a></nav></header>
<div class="wrapper">
<main id="content">
<article class="post h-entry">
<h1 class="post-title">Three habits for a reading journal</h1>
<p class="post-meta">Posted on <time datetime="2023-11-02">2 November 2023</time></p>
<div class="post-content e-content">
<p>${EN_PARAGRAPHS[0]}</p>
<p>${EN_PARAGRAPHS[1]}</p>
<h2>The method</h2>
<p>${EN_PARAGRAPHS[2]}</p>
<ol>
<li>Write the page number before the quotation, always.</li>
<li>Name the speaker, not only the author.</li>
<li>Add one sentence of your own on the same day.</li>
</ol>
<p>${EN_PARAGRAPHS[3]}<sup><a href="#fn1" id="fnref1" class="footnote-ref">1</a></sup></p>
<table>
<thead><tr><th>Habit</th><th>Time per entry</th></tr></thead>
<tbody><tr><td>Page number</td><td>5 seconds</td></tr><tr><td>Speaker</td><td>10 seconds</td></tr></tbody>
</table>
<p>${EN_PARAGRAPHS[4]}<a href="#side" role="doc-noteref">*</a></p>
<aside role="doc-footnote" id="side"><p>* An aside note that Readability would drop as a sidebar.</p></aside>
<pre><code>journal/
  2023-11-02.md
</code></pre>
<section class="footnotes">
<hr>
<ol>
<li id="fn1"><p>I use Gloss for this, which is how this post came to be written. <a href="#fnref1" class="footnote-backref">↩︎</a></p></li>
</ol>
</section>
</div>
<div class="share"><a href="https://twitter.com/intent">Share on Twitter</a> <a href="https://www.facebook.com/sharer">Share on Facebook</a></div>
</article>
<div class="related-posts"><h3>You might also like</h3><ul><li><a href="/2023/margins/">Writing in the margins of borrowed books</a></li><li><a href="/2022/hebrew/">Learning to read Hebrew slowly</a></li></ul></div>
<section id="comments"><h3>4 comments</h3>
<div class="comment"><p class="comment-author">Miriam</p><p>Lovely post! I have been doing something similar for years and never thought to write down the speaker, what a difference that makes.</p></div>
<div class="comment"><p class="comment-author">Tom</p><p>Do you keep the journal on paper or digitally? I keep going back and forth and can never settle on either one.</p></div>
<form id="commentform"><label>Leave a reply</label><textarea></textarea><input type="submit" value="Post Comment"></form>
</section>
</main>
<aside id="sidebar" class="widget-area"><section class="widget"><h2>Subscribe</h2><p>Get new posts by email.</p><form><input type="email"><button>Subscribe</button></form></section>
<section class="widget"><h2>Tags</h2><a href="/tag/books">books</a> <a href="/tag/hebrew">hebrew</a></section></aside>
</div>
<div class="cookie-notice" id="cookie-notice">This site uses cookies to analyse traffic. <a href="/privacy">Privacy policy</a> <button>Got it</button></div>
<footer class="site-footer" role="contentinfo"><p>© 2023 Ruth Abrams. Powered by a static site generator.</p></footer>
<script>var _paq = window._paq || []; _paq.push(['trackPageView']);</script>
</body>
</html>`;

const EN_CHROME = [
  'Archive', 'About me', 'RSS', 'Posted on', 'Share on', 'You might also like', 'Writing in the margins', 'Learning to read Hebrew',
  'comments', 'Lovely post', 'paper or digitally', 'Leave a reply', 'Subscribe', 'Get new posts', 'Tags', 'cookies', 'Got it',
  'Privacy policy', 'Powered by', '_paq', 'trackPageView', '↩', '<', '>',
];

describe('a saved Hebrew news page', () => {
  const doc = parseHtmlFile(hebrewNewsPage, 'article.html');

  it('keeps the article: title heading, every paragraph and the quote, in order', () => {
    expect(doc.title).toBe('נתניהו שוחח עם פוטין על התיאום הביטחוני בסוריה');
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: doc.title, dir: 'rtl', meta: { level: 1 } });
    expectInOrder(doc, [doc.title, HE_PARAGRAPHS[0]!, HE_PARAGRAPHS[1]!, HE_PARAGRAPHS[2]!, HE_QUOTE, ...HE_PARAGRAPHS.slice(3)]);
    expect(doc.blocks.find((b) => b.text === HE_QUOTE)?.kind).toBe('quote');
    expect(doc.language).toBe('he');
    expect(doc.blocks.every((b) => b.dir === 'rtl')).toBe(true);
  });

  it('drops the navigation, ads, share bar, related links, comments, cookie banner, sidebar, footer and scripts', () => {
    expectNone(doc, HE_CHROME);
    // Nothing but the title, the article's paragraphs and the quote (the author line may stay, as Reader View shows it).
    const article = new Set([doc.title, ...HE_PARAGRAPHS, HE_QUOTE]);
    const extra = doc.blocks.filter((b) => !article.has(b.text));
    expect(extra.map((b) => b.text).every((t) => t.includes('יוסי כהן'))).toBe(true);
  });

  it('keeps the page as metadata', () => {
    expect(doc.meta).toEqual({
      sourceKind: 'web',
      author: 'יוסי כהן',
      date: '2018-05-09T08:30:00+03:00',
      siteName: 'חדשות הבוקר',
      sourceLanguage: 'he',
      description: 'ראש הממשלה ונשיא רוסיה דנו בהתפתחויות בסוריה ובמנגנון התיאום בין הצבאות',
      url: 'https://www.example.co.il/news/article/r1abc2def',
    });
  });
});

describe('a saved English blog page', () => {
  const doc = parseHtmlFile(englishBlogPage, 'journal.htm');

  it('keeps the post: headings, paragraphs, the list, the table, code and the footnote, in order', () => {
    expect(doc.title).toBe('Three habits for a reading journal');
    expectInOrder(doc, [
      'Three habits for a reading journal',
      EN_PARAGRAPHS[0]!,
      EN_PARAGRAPHS[1]!,
      'The method',
      EN_PARAGRAPHS[2]!,
      'Write the page number before the quotation, always.',
      'Name the speaker, not only the author.',
      'Add one sentence of your own on the same day.',
      `${EN_PARAGRAPHS[3]}1`,
      'Habit\tTime per entry',
      'Page number\t5 seconds',
      'Speaker\t10 seconds',
      `${EN_PARAGRAPHS[4]}*`,
      'An aside note that Readability would drop as a sidebar.',
      'journal/',
      '  2023-11-02.md',
      'I use Gloss for this, which is how this post came to be written.',
    ]);
    const by = (t: string) => doc.blocks.find((b) => b.text === t);
    expect(by('The method')).toMatchObject({ kind: 'heading', meta: { level: 2 } });
    expect(by('Name the speaker, not only the author.')).toMatchObject({ kind: 'item', depth: 1, meta: { marker: '2.' } });
    expect(by('Habit\tTime per entry')).toMatchObject({ kind: 'row', meta: { header: true } });
    expect(by('Speaker\t10 seconds')?.kind).toBe('row');
    expect(by('  2023-11-02.md')?.kind).toBe('code');
    expect(by('I use Gloss for this, which is how this post came to be written.')).toMatchObject({ kind: 'note', meta: { label: '1' } });
    expect(by('An aside note that Readability would drop as a sidebar.')).toMatchObject({ kind: 'note', meta: { label: '*' } });
    expect(doc.language).toBe('en');
  });

  it('drops the chrome', () => {
    expectNone(doc, EN_CHROME);
  });

  it('keeps the page as metadata, the address from og:url', () => {
    expect(doc.meta).toMatchObject({
      sourceKind: 'web',
      author: 'Ruth Abrams',
      date: '2023-11-02',
      siteName: 'Marginalia',
      sourceLanguage: 'en-GB',
      url: 'https://marginalia.example.org/2023/reading-journal/',
    });
  });
});

describe('a page of short paragraphs with a consent banner inside its content', () => {
  const paragraph = (i: number) =>
    `Paragraph ${i} of the story goes on for a while, with commas, clauses, and details enough to score as content.`;
  const html = `<html><body class="cookies-pending has-ads"><nav><a href="/">Home</a></nav>
    <div class="story-content">
      <p>${paragraph(1)}</p><p>${paragraph(2)}</p>
      <div class="cookie-consent"><p>We and our partners use cookies to personalise content, measure audiences, and improve the service.</p></div>
      <p>${paragraph(3)}</p><p>${paragraph(4)}</p><p>${paragraph(5)}</p>
    </div><footer>Footer text</footer></body></html>`;

  it('is read as an article (paragraphs shorter than Reader View counts) and the banner is gone', () => {
    const doc = parseHtmlFile(html, 'short-paragraphs.html');
    expect(doc.meta?.sourceKind).toBe('web');
    expect(texts(doc)).toEqual([1, 2, 3, 4, 5].map(paragraph));
  });
});

describe('escaped markup in an article', () => {
  it('comes out as the text it was, through the DOM and back (no tag is made of it)', () => {
    const p = (i: number) =>
      `<p>Paragraph ${i}: write &lt;script&gt;alert(${i})&lt;/script&gt; &amp; &quot;entities&quot; carefully, with commas, clauses, and more words.</p>`;
    const html = `<html><body><nav>Home</nav><article>${[1, 2, 3, 4].map(p).join('')}<p>a<br>b</p></article><footer>f</footer></body></html>`;
    const doc = parseHtmlFile(html, 'escaped.html');
    expect(doc.meta?.sourceKind).toBe('web');
    expect(texts(doc)).toEqual([
      ...[1, 2, 3, 4].map((i) => `Paragraph ${i}: write <script>alert(${i})</script> & "entities" carefully, with commas, clauses, and more words.`),
      'a',
      'b',
    ]);
  });
});

describe('HTML without page chrome', () => {
  it('imports a fragment whole, as plain HTML', () => {
    const doc = parseHtmlFile('<h2>Notes</h2><p>One short line.</p><ul><li>a</li><li>b</li></ul>', 'notes.html');
    expect(doc.meta).toEqual({ sourceKind: 'html' });
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['heading', 'Notes'],
      ['paragraph', 'One short line.'],
      ['item', 'a'],
      ['item', 'b'],
    ]);
  });

  it('imports a page with chrome but no article (Readability declines) whole', () => {
    const doc = parseHtmlFile('<html><body><nav><a href="/">Home</a></nav><p>Short.</p><footer>Foot</footer></body></html>', 'short.html');
    expect(doc.meta?.sourceKind).toBe('html');
    expect(texts(doc)).toEqual(['Home', 'Short.', 'Foot']);
  });
});

describe('titles', () => {
  it.each([
    ['Story of the day | The Daily Site', 'The Daily Site', 'Story of the day'],
    ['Story of the day - The Daily Site', 'The Daily Site', 'Story of the day'],
    ['Story of the day — Site', undefined, 'Story of the day'],
    ['The Daily Site: Story of the day', 'The Daily Site', 'Story of the day'],
    ['כותרת הכתבה המלאה - וואלה! חדשות', undefined, 'כותרת הכתבה המלאה'],
    ['Russia-Israel relations', undefined, 'Russia-Israel relations'],
    ['Short | A much longer part of the title', undefined, 'Short | A much longer part of the title'],
  ])('"%s" (site %s) -> "%s"', (title, site, expected) => {
    expect(stripSiteName(title, site)).toBe(expected);
  });
});

describe('limits', () => {
  it(`refuses a page with chrome of more than ${MAX_PAGE_ELEMENTS.toLocaleString('en-US')} elements before building a DOM`, () => {
    const html = `<html><body><nav>n</nav>${'<p>x</p>'.repeat(MAX_PAGE_ELEMENTS)}</body></html>`;
    const started = performance.now();
    const e = importError(() => parseHtmlFile(html, 'huge.html'));
    expect(e.reason).toMatch(/^is a web page of 100,00\d elements, more than the 100,000 Gloss reads as a page$/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it(`refuses a page with chrome nested deeper than ${MAX_PAGE_DEPTH} levels`, () => {
    const html = `<html><body><nav>n</nav>${'<div>'.repeat(5000)}text${'</div>'.repeat(5000)}</body></html>`;
    const e = importError(() => parseHtmlFile(html, 'deep.html'));
    expect(e.reason).toBe(`is a web page nested 5,002 elements deep, deeper than the ${MAX_PAGE_DEPTH} levels Gloss reads in a page`);
  });

  it('imports 200,000 nested divs without chrome quickly, through the linear walk', () => {
    const n = 200_000;
    const html = `${'<div>'.repeat(n)}deep text${'</div>'.repeat(n)}`;
    const started = performance.now();
    const doc = parseHtmlFile(html, 'nested.html');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(texts(doc)).toEqual(['deep text']);
  });
});
