/**
 * .docx files made in the tests, the way Word writes them: a zip with `[Content_Types].xml`, the
 * package and document relationships, `word/document.xml` and whichever of styles, numbering,
 * footnotes, endnotes, comments (with Word 2013's `commentsExtended.xml` for replies) and core
 * properties are given. `buildDocx` is the one entry point; `reviewedDocx` is a whole translator's
 * file (Hebrew and English, headings, lists, a table, notes, tracked changes, comments by two
 * people and a reply) for the reader's tests and the end-to-end tests.
 */
import { strToU8, zipSync } from 'fflate';

export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const NAMESPACES =
  `xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" ` +
  `xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
  `xmlns:o="urn:schemas-microsoft-com:office:office" ` +
  `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
  `xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" ` +
  `xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
  `xmlns:w="${W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
  `xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" ` +
  `xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 w15"`;
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

export interface DocxSource {
  /** The content of `w:body` (a `w:sectPr` is added); ignored when `document` is given. */
  body?: string;
  /** A whole `word/document.xml`. */
  document?: string;
  /** Whole parts; `styles`, `numbering`, `footnotes`, `endnotes`, `comments` may also be given as inner XML (see the helpers). */
  styles?: string;
  numbering?: string;
  footnotes?: string;
  endnotes?: string;
  comments?: string;
  commentsExtended?: string;
  core?: { title?: string; creator?: string; created?: string; modified?: string; language?: string };
  /** More files, as they are. */
  files?: Record<string, string | Uint8Array>;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One run of text; `rtl` marks it right to left as Word does for Hebrew runs. */
export function run(text: string, options: { rtl?: boolean; hidden?: boolean } = {}): string {
  const props = (options.rtl ? '<w:rtl/>' : '') + (options.hidden ? '<w:vanish/>' : '');
  const rPr = props === '' ? '' : `<w:rPr>${props}</w:rPr>`;
  return `<w:r>${rPr}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

let paraCounter = 0x10000000;
/** A paragraph around `content` (runs and marks), with the properties Word writes first. */
export function para(content: string, options: { style?: string; bidi?: boolean; numId?: number; ilvl?: number } = {}): string {
  let pPr = '';
  if (options.style) pPr += `<w:pStyle w:val="${options.style}"/>`;
  if (options.numId !== undefined) pPr += `<w:numPr><w:ilvl w:val="${options.ilvl ?? 0}"/><w:numId w:val="${options.numId}"/></w:numPr>`;
  if (options.bidi) pPr += '<w:bidi/>';
  const id = (paraCounter++).toString(16).toUpperCase();
  return `<w:p w14:paraId="${id}" w14:textId="77777777" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${content}</w:p>`;
}

/** A table from rows of cells (each cell's content is paragraphs); `header` marks the first row as a heading row. */
export function table(rows: string[][], options: { header?: boolean; bidi?: boolean } = {}): string {
  const width = Math.max(...rows.map((r) => r.length));
  const grid = `<w:tblGrid>${'<w:gridCol w:w="3000"/>'.repeat(width)}</w:tblGrid>`;
  const tblPr = `<w:tblPr><w:tblStyle w:val="TableGrid"/>${options.bidi ? '<w:bidiVisual/>' : ''}<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>`;
  const body = rows
    .map((cells, i) => {
      const trPr = i === 0 && options.header ? '<w:trPr><w:tblHeader/></w:trPr>' : '';
      return `<w:tr>${trPr}${cells.map((c) => `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>${c}</w:tc>`).join('')}</w:tr>`;
    })
    .join('');
  return `<w:tbl>${tblPr}${grid}${body}</w:tbl>`;
}

export const commentStart = (id: number): string => `<w:commentRangeStart w:id="${id}"/>`;
export const commentEnd = (id: number): string =>
  `<w:commentRangeEnd w:id="${id}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`;
export const commentReference = (id: number): string =>
  `<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`;
export const footnoteReference = (id: number): string =>
  `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="${id}"/></w:r>`;
export const endnoteReference = (id: number): string =>
  `<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="${id}"/></w:r>`;

/** A comment as Word writes it in comments.xml; `paraId` ties replies to it. */
export function comment(c: { id: number; author: string; date: string; paragraphs: string[]; paraIds?: string[] }): string {
  const body = c.paragraphs
    .map((text, i) => {
      const paraId = c.paraIds?.[i] ?? (paraCounter++).toString(16).toUpperCase();
      const ref = i === 0 ? '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>' : '';
      return `<w:p w14:paraId="${paraId}" w14:textId="77777777"><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>${ref}${run(text)}</w:p>`;
    })
    .join('');
  const initials = c.author.split(/\s+/).map((w) => w[0] ?? '').join('');
  return `<w:comment w:id="${c.id}" w:author="${escapeXml(c.author)}" w:date="${c.date}" w:initials="${escapeXml(initials)}">${body}</w:comment>`;
}

/** A footnote or endnote as Word writes it: the number run, then the text. */
export function note(kind: 'footnote' | 'endnote', id: number, content: string, options: { bidi?: boolean } = {}): string {
  const style = kind === 'footnote' ? 'FootnoteText' : 'EndnoteText';
  const ref = `<w:r><w:rPr><w:rStyle w:val="${kind === 'footnote' ? 'FootnoteReference' : 'EndnoteReference'}"/></w:rPr><w:${kind}Ref/></w:r>`;
  const bidi = options.bidi ? '<w:bidi/>' : '';
  return `<w:${kind} w:id="${id}"><w:p><w:pPr><w:pStyle w:val="${style}"/>${bidi}</w:pPr>${ref}${content}</w:p></w:${kind}>`;
}

/** Word's own separator notes, which every footnotes.xml and endnotes.xml begins with. */
function separators(kind: 'footnote' | 'endnote'): string {
  return (
    `<w:${kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:${kind}>` +
    `<w:${kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:${kind}>`
  );
}

const wrap = (root: string, inner: string): string =>
  inner.trimStart().startsWith('<?xml') ? inner : `${XML_DECLARATION}<w:${root} ${NAMESPACES}>${inner}</w:${root}>`;

/** Word's built-in styles that matter to a reader: Normal, headings 1–3, Title, Quote, list and note styles. */
export const STANDARD_STYLES = [
  `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:sz w:val="22"/><w:lang w:val="en-US" w:bidi="he-IL"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`,
  `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>`,
  ...[1, 2, 3].map(
    (n) =>
      `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="Heading${n}Char"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240"/><w:outlineLvl w:val="${n - 1}"/></w:pPr><w:rPr><w:sz w:val="${36 - n * 4}"/></w:rPr></w:style>`,
  ),
  `<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:contextualSpacing/></w:pPr></w:style>`,
  `<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="864" w:right="864"/><w:jc w:val="center"/></w:pPr></w:style>`,
  `<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>`,
  `<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/></w:style>`,
  `<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/></w:style>`,
  `<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/></w:style>`,
  `<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`,
  `<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style>`,
].join('');

/** numId 1: decimal "%1." then lowerLetter "%2."; numId 2: Symbol bullet then "o" (Courier New). */
export const STANDARD_NUMBERING = [
  `<w:abstractNum w:abstractNumId="0" w15:restartNumberingAfterBreak="0"><w:nsid w:val="1B2C3D4E"/><w:multiLevelType w:val="hybridMultilevel"/>`,
  `<w:lvl w:ilvl="0" w:tplc="0409000F"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>`,
  `<w:lvl w:ilvl="1" w:tplc="04090019"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>`,
  `<w:lvl w:ilvl="2" w:tplc="0409001B"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3."/><w:lvlJc w:val="right"/></w:lvl>`,
  `</w:abstractNum>`,
  `<w:abstractNum w:abstractNumId="1"><w:nsid w:val="2C3D4E5F"/><w:multiLevelType w:val="hybridMultilevel"/>`,
  `<w:lvl w:ilvl="0" w:tplc="04090001"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uF0B7"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>`,
  `<w:lvl w:ilvl="1" w:tplc="04090003"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/><w:lvlJc w:val="left"/><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New" w:hint="default"/></w:rPr></w:lvl>`,
  `</w:abstractNum>`,
  `<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`,
  `<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`,
].join('');

function coreXml(core: NonNullable<DocxSource['core']>): string {
  const field = (tag: string, value: string | undefined, attr = ''): string => (value === undefined ? '' : `<${tag}${attr}>${escapeXml(value)}</${tag}>`);
  return (
    `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
    `xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    field('dc:title', core.title) +
    field('dc:creator', core.creator) +
    field('dc:language', core.language) +
    field('dcterms:created', core.created, ' xsi:type="dcterms:W3CDTF"') +
    field('dcterms:modified', core.modified, ' xsi:type="dcterms:W3CDTF"') +
    `</cp:coreProperties>`
  );
}

const CONTENT_TYPES: Record<string, string> = {
  'word/document.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  'word/styles.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml',
  'word/numbering.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml',
  'word/footnotes.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml',
  'word/endnotes.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml',
  'word/comments.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml',
  'word/commentsExtended.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml',
  'docProps/core.xml': 'application/vnd.openxmlformats-package.core-properties+xml',
};

const RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DOCUMENT_RELATIONSHIPS: Record<string, string> = {
  'word/styles.xml': `${RELATIONSHIP}/styles`,
  'word/numbering.xml': `${RELATIONSHIP}/numbering`,
  'word/footnotes.xml': `${RELATIONSHIP}/footnotes`,
  'word/endnotes.xml': `${RELATIONSHIP}/endnotes`,
  'word/comments.xml': `${RELATIONSHIP}/comments`,
  'word/commentsExtended.xml': 'http://schemas.microsoft.com/office/2011/relationships/commentsExtended',
};

/** A .docx (zip bytes) from its parts. */
export function buildDocx(source: DocxSource): Uint8Array {
  const sectPr = '<w:sectPr w:rsidR="00A1B2C3"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>';
  const parts: Record<string, string> = {
    'word/document.xml': source.document ?? wrap('document', `<w:body>${source.body ?? ''}${sectPr}</w:body>`),
  };
  if (source.styles !== undefined) parts['word/styles.xml'] = wrap('styles', source.styles);
  if (source.numbering !== undefined) parts['word/numbering.xml'] = wrap('numbering', source.numbering);
  if (source.footnotes !== undefined) parts['word/footnotes.xml'] = wrap('footnotes', separators('footnote') + source.footnotes);
  if (source.endnotes !== undefined) parts['word/endnotes.xml'] = wrap('endnotes', separators('endnote') + source.endnotes);
  if (source.comments !== undefined) parts['word/comments.xml'] = wrap('comments', source.comments);
  if (source.commentsExtended !== undefined) {
    parts['word/commentsExtended.xml'] = source.commentsExtended.trimStart().startsWith('<?xml')
      ? source.commentsExtended
      : `${XML_DECLARATION}<w15:commentsEx ${NAMESPACES}>${source.commentsExtended}</w15:commentsEx>`;
  }
  if (source.core !== undefined) parts['docProps/core.xml'] = coreXml(source.core);

  const overrides = Object.keys(parts)
    .map((p) => `<Override PartName="/${p}" ContentType="${CONTENT_TYPES[p]}"/>`)
    .join('');
  const contentTypes =
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`;
  const rels = (entries: [string, string][]): string =>
    `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    entries.map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`).join('') +
    `</Relationships>`;
  const rootRels: [string, string][] = [[`${RELATIONSHIP}/officeDocument`, 'word/document.xml']];
  if (parts['docProps/core.xml']) rootRels.push(['http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml']);
  const docRels = Object.keys(parts)
    .filter((p) => DOCUMENT_RELATIONSHIPS[p] !== undefined)
    .map((p): [string, string] => [DOCUMENT_RELATIONSHIPS[p] as string, p.slice('word/'.length)]);

  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(contentTypes),
    '_rels/.rels': strToU8(rels(rootRels)),
    'word/_rels/document.xml.rels': strToU8(rels(docRels)),
  };
  for (const [path, xml] of Object.entries(parts)) files[path] = strToU8(xml);
  for (const [path, content] of Object.entries(source.files ?? {})) files[path] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(files);
}

/**
 * A reviewed translation draft: an English heading and paragraphs, Hebrew right-to-left
 * paragraphs, a numbered list with a nested lettered item, a bulleted list with a nested bullet,
 * a table with a heading row, a footnote and an endnote, a tracked deletion and insertion, a field,
 * hidden text, and comments: Dana Reviewer's spans two paragraphs (with a reply by נועה כהן),
 * נועה כהן's sits inside a Hebrew paragraph, one sits in a table cell, and one has only a
 * reference mark.
 */
export function reviewedDocx(): Uint8Array {
  const body = [
    para(run('Reading Notes on the Treaty'), { style: 'Heading1' }),
    para(run('The delegates met in Geneva. ') + commentStart(0) + commentStart(4) + run('The talks lasted three days')),
    para(run('and ended without agreement') + commentEnd(0) + commentEnd(4) + run('.')),
    para(run('המשלחות ', { rtl: true }) + commentStart(1) + run('נפגשו בז׳נבה', { rtl: true }) + commentEnd(1) + run(' ודנו בהסכם.', { rtl: true }), { bidi: true }),
    para(run('Open questions'), { style: 'Heading2' }),
    para(run('Who signed first?'), { style: 'ListParagraph', numId: 1, ilvl: 0 }),
    para(run('Which text is binding?'), { style: 'ListParagraph', numId: 1, ilvl: 0 }),
    para(run('The Hebrew or the English?'), { style: 'ListParagraph', numId: 1, ilvl: 1 }),
    para(run('When did it take effect?'), { style: 'ListParagraph', numId: 1, ilvl: 0 }),
    para(run('Archives to visit'), { style: 'ListParagraph', numId: 2, ilvl: 0 }),
    para(run('ארכיון המדינה', { rtl: true }), { style: 'ListParagraph', numId: 2, ilvl: 1, bidi: true }),
    table(
      [
        [para(run('Term')), para(run('Translation'))],
        [para(run(' treaty ')), para(run('אמנה', { rtl: true }), { bidi: true })],
        [para(run('protocol')), para(commentStart(3) + run('פרוטוקול', { rtl: true }) + commentEnd(3), { bidi: true })],
      ],
      { header: true },
    ),
    para(run('Sources differ on this point') + footnoteReference(1) + run('.')),
    para(
      run('The agreement was ') +
        '<w:del w:id="90" w:author="Dana Reviewer" w:date="2024-03-05T10:20:00Z"><w:r><w:delText xml:space="preserve">never </w:delText></w:r></w:del>' +
        '<w:ins w:id="91" w:author="Dana Reviewer" w:date="2024-03-05T10:20:00Z"><w:r><w:t xml:space="preserve">eventually </w:t></w:r></w:ins>' +
        run('signed') +
        endnoteReference(1) +
        run('.'),
    ),
    para(
      run('See page ') +
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' +
        run('4') +
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>' +
        run(' for the') +
        '<w:r><w:br/><w:t>full</w:t><w:tab/><w:t>list</w:t></w:r>' +
        run(' (draft', { hidden: true }) +
        '<w:r><w:t xml:space="preserve"> of 1949</w:t><w:noBreakHyphen/><w:t>50 </w:t><w:sym w:font="Symbol" w:char="F0AE"/><w:t xml:space="preserve"> </w:t></w:r>' +
        '<w:hyperlink r:id="rId9" w:history="1">' + run('the archive') + '</w:hyperlink>' +
        run(' catalogue') +
        commentReference(2),
    ),
    para(''),
    para(run('הערה אחרונה על התרגום.', { rtl: true }), { bidi: true }),
  ].join('');
  return buildDocx({
    body,
    styles: STANDARD_STYLES,
    numbering: STANDARD_NUMBERING,
    footnotes: note('footnote', 1, run(' See the minutes of the second session.')),
    endnotes: note('endnote', 1, run(' ההסכם נחתם ב־1950.', { rtl: true }), { bidi: true }),
    comments: [
      comment({ id: 0, author: 'Dana Reviewer', date: '2024-03-05T10:15:00Z', paragraphs: ['Check the dates.', 'The minutes say four days.'], paraIds: ['0A000001', '0A000002'] }),
      comment({ id: 1, author: 'נועה כהן', date: '2024-03-06T08:00:00Z', paragraphs: ['בז׳נבה או בלוזאן?'], paraIds: ['0B000001'] }),
      comment({ id: 2, author: 'Dana Reviewer', date: '2024-03-05T11:00:00Z', paragraphs: ['Which catalogue?'], paraIds: ['0C000001'] }),
      comment({ id: 3, author: 'נועה כהן', date: '2024-03-06T08:30:00Z', paragraphs: ['Or: פרוטוקול הישיבה'], paraIds: ['0D000001'] }),
      comment({ id: 4, author: 'נועה כהן', date: '2024-03-06T09:00:00Z', paragraphs: ['Four, per the minutes.'], paraIds: ['0E000001'] }),
    ].join(''),
    commentsExtended:
      '<w15:commentEx w15:paraId="0A000002" w15:done="0"/><w15:commentEx w15:paraId="0B000001" w15:done="0"/>' +
      '<w15:commentEx w15:paraId="0C000001" w15:done="0"/><w15:commentEx w15:paraId="0D000001" w15:done="0"/>' +
      '<w15:commentEx w15:paraId="0E000001" w15:paraIdParent="0A000002" w15:done="0"/>',
    core: { title: 'Treaty notes (draft)', creator: 'Dana Reviewer', created: '2024-03-01T09:00:00Z', modified: '2024-03-06T09:05:00Z' },
  });
}
