/**
 * Structure kept by the HTML walk (and so by Markdown, web pages and EPUB chapters): list items
 * with depth and marker, table rows, code lines, notes, headings, declared direction; its bounds;
 * and the linear SAX walk that replaced htmlparser2's Parser (same events, no quadratic stack).
 */
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { BlockInput, ParsedDocument } from '../../src/common/model.js';
import { CELL_SEPARATOR } from '../../src/common/model.js';
import { ImportError } from '../../src/main/import/errors.js';
import { htmlToBlocks, MAX_HTML_BLOCKS, MAX_HTML_DEPTH, parseHtml } from '../../src/main/import/html.js';
import { walkHtml } from '../../src/main/import/html/sax.js';
import { MAX_MARKDOWN_NESTING, markdownNesting, markdownToHtml, parseMarkdown } from '../../src/main/import/markdown.js';

type Shape = [BlockInput['kind'], number, string, BlockInput['meta']?];
/** Kind, depth, text and (when there is one) meta of every block. */
const shape = (doc: ParsedDocument): Shape[] =>
  doc.blocks.map((b) => (b.meta ? [b.kind, b.depth, b.text, b.meta] : [b.kind, b.depth, b.text]));

function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

describe('lists', () => {
  it('makes items with their nesting depth and the bullets a browser shows', () => {
    const doc = parseHtml('<ul><li>one<ul><li>two<ul><li>three<ul><li>four</li></ul></li></ul></li></ul></li><li>back</li></ul>');
    expect(shape(doc)).toEqual([
      ['item', 1, 'one', { marker: '•' }],
      ['item', 2, 'two', { marker: '◦' }],
      ['item', 3, 'three', { marker: '▪' }],
      ['item', 4, 'four', { marker: '▪' }],
      ['item', 1, 'back', { marker: '•' }],
    ]);
  });

  it('numbers ordered lists honouring start, type, value and reversed', () => {
    const html = [
      '<ol start="4"><li>d</li><li>e</li></ol>',
      '<ol type="a"><li>a</li><li>b</li><li value="27">aa</li></ol>',
      '<ol type="I" start="3"><li>iii</li><li>iv</li></ol>',
      '<ol type="i"><li>i</li></ol>',
      '<ol reversed><li>three</li><li>two</li><li>one</li></ol>',
      '<ol reversed start="10"><li>ten</li><li value="5">five</li><li>four</li></ol>',
      '<ol><li>1</li><li value="7">7</li><li>8</li></ol>',
      '<ol type="a" start="0"><li>zero</li></ol>',
    ].join('');
    const markers = parseHtml(html).blocks.map((b) => `${b.meta?.marker} ${b.text}`);
    expect(markers).toEqual([
      '4. d', '5. e',
      'a. a', 'b. b', 'aa. aa',
      'III. iii', 'IV. iv',
      'i. i',
      '3. three', '2. two', '1. one',
      '10. ten', '5. five', '4. four',
      '1. 1', '7. 7', '8. 8',
      '0. zero',
    ]);
  });

  it('nests ordered and unordered lists in each other and continues an item after its sublist', () => {
    const doc = parseHtml('<ol><li>first<ul><li>sub</li></ul>tail of first</li><li><p>para one</p><p>para two</p></li></ol>');
    expect(shape(doc)).toEqual([
      ['item', 1, 'first', { marker: '1.' }],
      ['item', 2, 'sub', { marker: '◦' }],
      ['item', 1, 'tail of first'],
      ['item', 1, 'para one', { marker: '2.' }],
      ['item', 1, 'para two'],
    ]);
  });

  it('gives a stray li a bullet and closes list items the way browsers do (no </li>)', () => {
    expect(shape(parseHtml('<li>alone</li><ul><li>a<li>b</ul>'))).toEqual([
      ['item', 1, 'alone', { marker: '•' }],
      ['item', 1, 'a', { marker: '•' }],
      ['item', 1, 'b', { marker: '•' }],
    ]);
  });
});

describe('tables', () => {
  it('makes one row per tr, cells joined by TAB, header rows marked', () => {
    const doc = parseHtml(`<table>
      <caption>Prices</caption>
      <thead><tr><td>Item</td><td>Cost</td></tr></thead>
      <tbody>
        <tr><th>Bread</th><td>  7\t<b>shekels</b>\n  a loaf </td></tr>
        <tr><td><p>Milk</p><p>1 litre</p></td><td></td></tr>
        <tr><td></td><td>only the second</td></tr>
        <tr><td></td><td> </td></tr>
      </tbody>
      <tr><th>Total</th><th>12</th></tr>
    </table>`);
    expect(shape(doc)).toEqual([
      ['paragraph', 0, 'Prices'],
      ['row', 0, 'Item\tCost', { header: true }],
      ['row', 0, 'Bread\t7 shekels a loaf'],
      ['row', 0, 'Milk 1 litre\t'],
      ['row', 0, '\tonly the second'],
      ['row', 0, 'Total\t12', { header: true }],
    ]);
    expect(CELL_SEPARATOR).toBe('\t');
    for (const row of doc.blocks) expect(row.text.split('\t').every((cell) => cell === cell.trim())).toBe(true);
  });

  it('reads a layout table (one cell of paragraphs, or tables in cells) as its blocks', () => {
    const doc = parseHtml(`<table><tr><td><h1>Site</h1><p>First paragraph.</p><p>Second paragraph.</p></td></tr>
      <tr><td><table><tr><td>a</td><td>b</td></tr></table></td><td>side note</td></tr></table>`);
    expect(shape(doc)).toEqual([
      ['heading', 0, 'Site', { level: 1 }],
      ['paragraph', 0, 'First paragraph.'],
      ['paragraph', 0, 'Second paragraph.'],
      ['row', 0, 'a\tb'],
      ['paragraph', 0, 'side note'],
    ]);
  });

  it('keeps a one-cell data row as a row', () => {
    expect(shape(parseHtml('<table><tr><th>Names</th></tr><tr><td>Ada</td></tr></table>'))).toEqual([
      ['row', 0, 'Names', { header: true }],
      ['row', 0, 'Ada'],
    ]);
  });
});

describe('preformatted text', () => {
  it('makes one code block per line with its leading whitespace; blank lines cannot be blocks', () => {
    const doc = parseHtml('<p>Before</p><pre><code class="language-py">def f():\n\n    return\t1   \n</code></pre><p>After</p>');
    expect(shape(doc)).toEqual([
      ['paragraph', 0, 'Before'],
      ['code', 0, 'def f():'],
      ['code', 0, '    return\t1'],
      ['paragraph', 0, 'After'],
    ]);
  });
});

describe('notes', () => {
  it('reads EPUB footnotes and endnotes with their labels, the backlink dropped', () => {
    const doc = parseHtml(`<p>Text<a epub:type="noteref" href="#n1">1</a> and more<a href="#n2">*</a>.</p>
      <aside epub:type="footnote" id="n1"><p><a epub:type="backlink" href="#r1">↩</a>1. The first note.</p></aside>
      <aside epub:type="footnote" id="n2"><p>* A starred note</p><p>with a second paragraph.</p></aside>
      <section epub:type="endnotes"><h2>Notes</h2><ol><li id="en-7"><p>An endnote numbered by its list.</p></li><li id="en-8">[8] Bracketed.</li></ol></section>
      <div role="doc-endnote" id="note-12">An endnote labelled by its id.</div>
      <p epub:type="rearnote">1948 was the year; no label.</p>`);
    expect(shape(doc)).toEqual([
      ['paragraph', 0, 'Text1 and more*.'],
      ['note', 0, 'The first note.', { label: '1' }],
      ['note', 0, 'A starred note', { label: '*' }],
      ['note', 0, 'with a second paragraph.'],
      ['heading', 0, 'Notes', { level: 2 }],
      ['note', 0, 'An endnote numbered by its list.', { label: '1' }],
      ['note', 0, 'Bracketed.', { label: '8' }],
      ['note', 0, 'An endnote labelled by its id.', { label: '12' }],
      ['note', 0, '1948 was the year; no label.'],
    ]);
  });

  it('reads markdown-it and pandoc footnote sections', () => {
    const markdownIt = `<p>See<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>
      <hr class="footnotes-sep"><section class="footnotes"><ol class="footnotes-list">
      <li id="fn1" class="footnote-item"><p>From markdown-it. <a href="#fnref1" class="footnote-backref">↩︎</a></p></li>
      <li id="fn2" class="footnote-item"><p>Second. <a href="#fnref2" class="footnote-backref">↩︎</a></p></li></ol></section>`;
    const pandoc = `<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr /><ol>
      <li id="fn1"><p>From pandoc.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section>`;
    expect(shape(parseHtml(markdownIt + pandoc))).toEqual([
      ['paragraph', 0, 'See[1].'],
      ['note', 0, 'From markdown-it.', { label: '1' }],
      ['note', 0, 'Second.', { label: '2' }],
      ['note', 0, 'From pandoc.', { label: '1' }],
    ]);
  });

  it('takes a note label standing alone before the text', () => {
    expect(shape(parseHtml('<aside epub:type="footnote"><p><sup>3</sup></p><p>The text after.</p></aside>'))).toEqual([
      ['note', 0, 'The text after.', { label: '3' }],
    ]);
  });

  it('does not take an inline footnote reference (a.footnote) for a note', () => {
    expect(shape(parseHtml('<p>Body<a class="footnote" href="#f">2</a> text.</p>'))).toEqual([['paragraph', 0, 'Body2 text.']]);
  });
});

describe('headings, quotes and direction', () => {
  it('keeps heading levels and quote depth', () => {
    expect(shape(parseHtml('<h3>Three</h3><blockquote><p>one</p><blockquote><h6>deep</h6><p>two</p></blockquote></blockquote>'))).toEqual([
      ['heading', 0, 'Three', { level: 3 }],
      ['quote', 1, 'one'],
      ['heading', 0, 'deep', { level: 6 }],
      ['quote', 2, 'two'],
    ]);
  });

  it('declares the direction from dir, and from lang as a hint', () => {
    const { blocks } = htmlToBlocks(`<p>none</p><div dir="rtl"><p>12345</p><p lang="en">back to ltr inside rtl</p><p dir="auto">auto</p></div>
      <section lang="he-IL"><p>numbers 1 2 3</p></section><p lang="yi">x</p><p xml:lang="ar">y</p><p lang="fr">français</p>`);
    expect(blocks.map((b) => [b.text, b.dir])).toEqual([
      ['none', undefined],
      ['12345', 'rtl'],
      ['back to ltr inside rtl', 'ltr'],
      ['auto', undefined],
      ['numbers 1 2 3', 'rtl'],
      ['x', 'rtl'],
      ['y', 'rtl'],
      ['français', undefined],
    ]);
  });

  it('lets the declared direction decide blocks of digits or mixed letters in the document', () => {
    const doc = parseHtml('<html dir="rtl"><body><p>שלום</p><p>2019</p><p>ABC שלום DEF</p><ul><li>• 1</li></ul><p dir="ltr">ABC שלום</p></body></html>');
    expect(doc.blocks.map((b) => b.dir)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'ltr']);
  });
});

describe('sanitising with structure', () => {
  it('lets no script, style or handler through lists, tables, notes or code', () => {
    const doc = parseHtml(`<ul><li onclick="evil()">item<script>alert(1)</script></li></ul>
      <table><tr><td onmouseover="x()">cell<style>td{}</style></td><td><img src=x onerror=alert(2)>c2</td></tr></table>
      <aside epub:type="footnote"><p>note<iframe src="javascript:alert(3)">frame</iframe></p></aside>
      <pre>code<script>alert(4)</script>\nline</pre><div hidden>secret</div>`);
    const all = JSON.stringify(doc);
    for (const trace of ['alert', 'evil', 'onclick', 'onerror', 'td{}', 'frame', 'javascript', 'secret', '<', '>']) expect(all).not.toContain(trace);
    expect(doc.blocks.map((b) => b.text)).toEqual(['item', 'cell\tc2', 'note', 'code', 'line']);
  });
});

describe('bounds', () => {
  it(`flattens elements nested deeper than ${MAX_HTML_DEPTH} into their block, still dropping scripts`, () => {
    const n = MAX_HTML_DEPTH + 50;
    const html = `${'<div>'.repeat(n)}deep<script>alert(1)</script><ul><li>x</li></ul>end${'</div>'.repeat(n)}<p>after</p>`;
    const { blocks } = htmlToBlocks(html);
    expect(blocks.map((b) => b.text.replace(/\s+/g, ' ').trim())).toEqual(['deep x end', 'after']);
    expect(blocks[0]!.kind).toBe('paragraph');
  });

  it('refuses more blocks than the limit, naming it', () => {
    const e = importError(() => htmlToBlocks('<p>a</p>'.repeat(101), { file: 'many.html', maxBlocks: 100 }));
    expect(e.message).toBe('many.html: has more than 100 blocks (paragraphs, list items, table rows, lines of code), the limit for one document');
    const big = importError(() => parseHtml('<p>a</p>'.repeat(MAX_HTML_BLOCKS + 1), 'big.html'));
    expect(big.reason).toContain(`more than ${MAX_HTML_BLOCKS.toLocaleString('en-US')} blocks`);
  });

  it('parses 200,000 nested divs (2.2 MB) in linear time (issue 15, F3: 85 s before)', () => {
    const n = 200_000;
    const html = `${'<div>'.repeat(n)}x${'</div>'.repeat(n)}`;
    expect(html.length).toBe(2_200_001);
    const started = performance.now();
    const doc = parseHtml(html, 'nested.html');
    const elapsed = performance.now() - started;
    expect(doc.blocks.map((b) => b.text)).toEqual(['x']);
    expect(elapsed).toBeLessThan(10_000);
  });

  it.each([
    ['lists', '<ul><li>a', '</li></ul>'],
    ['quotes', '<blockquote>q', '</blockquote>'],
    ['tables', '<table><tr><td>c', '</td></tr></table>'],
    ['spans', '<span>s', '</span>'],
  ])('stays fast on 100,000 nested %s, closed or not', (_label, open, close) => {
    const n = 100_000;
    for (const html of [open.repeat(n) + close.repeat(n), open.repeat(n), open.repeat(n) + '</nothing>'.repeat(n)]) {
      const started = performance.now();
      const { blocks } = htmlToBlocks(html);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(blocks.length).toBeLessThanOrEqual(MAX_HTML_DEPTH * 2);
    }
  });
});

describe('the linear SAX walk', () => {
  /** The events htmlparser2's own Parser gives, which the walk must reproduce. */
  function parserEvents(html: string): string[] {
    const out: string[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') out.push(`#${text}`);
      text = '';
    };
    const parser = new Parser(
      {
        onopentag: (name, attribs) => (flush(), out.push(`<${name} ${JSON.stringify(attribs)}`)),
        onclosetag: (name) => (flush(), out.push(`/${name}`)),
        ontext: (t) => (text += t),
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
    );
    parser.write(html);
    parser.end();
    flush();
    return out;
  }
  function walkEvents(html: string): string[] {
    const out: string[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') out.push(`#${text}`);
      text = '';
    };
    walkHtml(html, {
      open: (name, attribs) => (flush(), out.push(`<${name} ${JSON.stringify(attribs)}`)),
      close: (name) => (flush(), out.push(`/${name}`)),
      text: (t) => (text += t),
    });
    flush();
    return out;
  }

  it('gives the same events as htmlparser2 on messy markup', () => {
    const messy = `<!DOCTYPE html><html><head><title>T &amp; x</title><script>if (a<b) {}</script></head><body>
      <p>one<p>two<div>three</p><ul><li>a<li>b</ul><table><tr><td>1<td>2<tr><th>h</table></br></p>
      <svg><path/><title>x</title></svg><br/><img src=x onerror=y><b><i>bad</b></i>&lt;&nbsp;<![CDATA[zz]]><!-- c -->
      <select><option>1<option>2</select><dl><dt>t<dd>d</dl><P CLASS=Up>Upper</P><input value="a&amp;b"></body></html>`;
    expect(walkEvents(messy)).toEqual(parserEvents(messy));
  });

  it('gives the same events as htmlparser2 on random tag soup (property)', () => {
    const tag = fc.constantFrom('p', 'div', 'li', 'ul', 'ol', 'td', 'tr', 'table', 'tbody', 'thead', 'b', 'i', 'h1', 'h2', 'br', 'img', 'svg', 'math', 'title', 'dd', 'dt', 'option', 'select', 'span', 'pre');
    const piece = fc.oneof(
      tag.map((t) => `<${t}>`),
      tag.map((t) => `</${t}>`),
      tag.map((t) => `<${t}/>`),
      fc.constantFrom('text', ' ', '&amp;', '&lt;', 'א', '<!-- c -->', '<x dir=rtl class="a b">'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const html = pieces.join('');
        expect(walkEvents(html)).toEqual(parserEvents(html));
      }),
      { numRuns: 400 },
    );
  });

  it('never lets script text through, never leaves a line break in a block, and gives rows no stray TAB (property)', () => {
    const tag = fc.constantFrom('p', 'div', 'li', 'ul', 'ol', 'td', 'th', 'tr', 'table', 'thead', 'pre', 'blockquote', 'h2', 'aside epub:type="footnote"', 'section class="footnotes"', 'span dir="rtl"', 'br', 'script', 'style', 'b');
    const piece = fc.oneof(
      tag.map((t) => `<${t}>`),
      tag.map((t) => `</${t.split(' ')[0]}>`),
      fc.constantFrom('word', ' ', '\n', '\t', 'שלום', '1.', '*', '&amp;', 'SECRET'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => {
        // Text written inside a script or style must never come out; elsewhere "SECRET" may.
        const html = pieces.join('').replace(/SECRET/g, 'open') + '<script>SECRET</script><style>SECRET{}</style>';
        const { blocks } = htmlToBlocks(html);
        for (const b of blocks) {
          expect(b.text).not.toContain('SECRET');
          expect(b.text).not.toMatch(/[\n\r]/);
          const collapsed = (t: string) => t.replace(/[ \t\n\r\f]+/g, ' ').replace(/^ | $/g, '');
          if (b.kind === 'row') for (const cell of b.text.split('\t')) expect(cell).toBe(collapsed(cell));
          else if (b.kind !== 'code') expect(b.text).toBe(collapsed(b.text));
          if (b.kind === 'item') expect(b.depth).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('self-closes any element in XHTML and reads CDATA as text', () => {
    const events: string[] = [];
    walkHtml('<div>a<a id="x"/>b<span/>c<![CDATA[<d>]]></div>', {
      open: (n) => events.push(`<${n}`),
      close: (n) => events.push(`/${n}`),
      text: (t) => events.push(t),
    }, { xhtml: true });
    expect(events).toEqual(['<div', 'a', '<a', '/a', 'b', '<span', '/span', 'c', '<d>', '/div']);
  });
});

describe('Markdown structure', () => {
  it('makes GFM tables rows, nested lists items, fenced code lines and task lists', () => {
    const source = [
      '# Plan',
      '',
      '| Step | Who |',
      '|------|:---:|',
      '| Read | Ada |',
      '| Note \\| cite | |',
      '',
      '1. First',
      '2. Second',
      '   - nested',
      '     1. deeper',
      '3. Third',
      '',
      '- [ ] open task',
      '- [x] done task',
      '',
      '```ts',
      'const a = 1;',
      '',
      '  return a;',
      '```',
    ].join('\n');
    expect(shape(parseMarkdown(source))).toEqual([
      ['heading', 0, 'Plan', { level: 1 }],
      ['row', 0, 'Step\tWho', { header: true }],
      ['row', 0, 'Read\tAda'],
      ['row', 0, 'Note | cite\t'],
      ['item', 1, 'First', { marker: '1.' }],
      ['item', 1, 'Second', { marker: '2.' }],
      ['item', 2, 'nested', { marker: '◦' }],
      ['item', 3, 'deeper', { marker: '1.' }],
      ['item', 1, 'Third', { marker: '3.' }],
      ['item', 1, 'open task', { marker: '☐' }],
      ['item', 1, 'done task', { marker: '☑' }],
      ['code', 0, 'const a = 1;'],
      ['code', 0, '  return a;'],
    ]);
  });

  it('honours an ordered list starting elsewhere than 1', () => {
    expect(parseMarkdown('7. seven\n8. eight').blocks.map((b) => b.meta?.marker)).toEqual(['7.', '8.']);
  });

  it('turns footnote definitions into notes and their references into the label', () => {
    const source = [
      'A claim[^1] and another[^long].',
      '',
      'Not a note: [^missing].',
      '',
      '[^1]: The first note,',
      'continued lazily.',
      '',
      '    A second paragraph of the note.',
      '',
      '[^long]: 12 angry men (the number stays text when the label is given).',
      '',
      'After the notes.',
    ].join('\n');
    expect(markdownToHtml(source)).toContain('<aside role="doc-footnote" data-note-label="1">');
    expect(shape(parseMarkdown(source))).toEqual([
      ['paragraph', 0, 'A claim1 and anotherlong.'],
      ['paragraph', 0, 'Not a note: [^missing].'],
      ['note', 0, 'The first note, continued lazily.', { label: '1' }],
      ['note', 0, 'A second paragraph of the note.'],
      ['note', 0, '12 angry men (the number stays text when the label is given).', { label: 'long' }],
      ['paragraph', 0, 'After the notes.'],
    ]);
  });

  it.each([
    ['2,000 nested quotes (marked overflowed its stack)', `${'> '.repeat(2000)}deep`],
    ['1,500 nested list items by indentation (marked took 16 s)', Array.from({ length: 1500 }, (_, i) => `${' '.repeat(2 * i)}- item`).join('\n')],
    ['150 list markers on one line', `${'- '.repeat(150)}x`],
    ['quotes and lists mixed', `${'> - '.repeat(60)}x`],
  ])('refuses %s at once, naming the limit', (_label, source) => {
    const started = performance.now();
    const e = importError(() => parseMarkdown(source, 'deep.md'));
    expect(e.message).toBe(`deep.md: nests lists or quotes more than ${MAX_MARKDOWN_NESTING} levels deep, the limit for Markdown`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it(`reads nesting up to ${MAX_MARKDOWN_NESTING} levels, and estimates it from line starts`, () => {
    const doc = parseMarkdown(`${'> '.repeat(MAX_MARKDOWN_NESTING)}deep`);
    expect(doc.blocks).toEqual([expect.objectContaining({ kind: 'quote', depth: MAX_MARKDOWN_NESTING, text: 'deep' })]);
    expect(markdownNesting('para\n\n- a\n- b\n  - c\n    1. d\n- e\n\n> q\n> > r')).toBe(3);
    expect(markdownNesting('*emphasis*, -1 and 1.5\n---')).toBe(0);
  });

  it('escapes a footnote label that looks like markup', () => {
    const doc = parseMarkdown('x[^<b>]\n\n[^<b>]: note');
    expect(doc.blocks.at(-1)).toMatchObject({ kind: 'note', text: 'note', meta: { label: '<b>' } });
  });
});
