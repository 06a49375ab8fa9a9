/**
 * EPUB files built in the tests, as a publisher's tool writes them: `mimetype` first and stored,
 * `META-INF/container.xml`, a package document, XHTML chapters, and an EPUB 3 navigation document
 * or an EPUB 2 NCX. Options break a book on purpose (no container, no package, DRM).
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface EpubChapter {
  /** Path relative to the package document's folder; `text/chapter-N.xhtml` when absent. */
  href?: string;
  /** The table-of-contents label. */
  label?: string;
  /** The XHTML inside `<body>`. */
  body: string;
  /** `xml:lang` and `lang` on `<html>`. */
  lang?: string;
  /** `dir` on `<html>`. */
  dir?: 'rtl' | 'ltr';
  /** `linear="no"` in the spine. */
  linear?: boolean;
  /** Not listed in the spine (a chapter only the nav knows). */
  outOfSpine?: boolean;
  /** Listed in the manifest and spine but not put in the archive. */
  missing?: boolean;
}

export interface EpubSpec {
  version?: 2 | 3;
  title?: string;
  creators?: string[];
  language?: string;
  /** EPUB 2 books may date several events; EPUB 3 books have one date. */
  dates?: { value: string; event?: string }[];
  publisher?: string;
  chapters: EpubChapter[];
  pageProgression?: 'rtl' | 'ltr';
  /** The folder of the package document ("OEBPS"); '' puts it at the root. */
  opfDir?: string;
  /** Put the EPUB 3 navigation document in the spine (some books do, often with linear="no"). */
  navInSpine?: boolean;
  /** List the manifest in reverse, to show that the spine, not the manifest, orders chapters. */
  reverseManifest?: boolean;
  /** Items added to the spine that are not text (an SVG cover page). */
  imagePages?: string[];
  /** `META-INF/encryption.xml` entries: archive paths and their algorithm. */
  encryption?: { path: string; algorithm: string }[];
  /** Files added as they are (paths from the archive root). */
  extraFiles?: Record<string, string | Uint8Array>;
  omitContainer?: boolean;
  omitPackage?: boolean;
  /** Deflate level for everything but `mimetype` (0 stores). */
  level?: 0 | 1 | 6 | 9;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function chapterXhtml(c: EpubChapter, version: 2 | 3, title: string): string {
  const lang = c.lang ? ` xml:lang="${c.lang}"${version === 3 ? ` lang="${c.lang}"` : ''}` : '';
  const dir = c.dir ? ` dir="${c.dir}"` : '';
  const doctype =
    version === 3
      ? '<!DOCTYPE html>'
      : '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">';
  const ns = version === 3 ? ' xmlns:epub="http://www.idpf.org/2007/ops"' : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
${doctype}
<html xmlns="http://www.w3.org/1999/xhtml"${ns}${lang}${dir}>
<head>
<title>${esc(title)}</title>
<link rel="stylesheet" type="text/css" href="../styles/book.css"/>
<style type="text/css">p { text-indent: 1em; }</style>
</head>
<body>
${c.body}
</body>
</html>`;
}

/** Builds an EPUB file's bytes from `spec`. */
export function buildEpub(spec: EpubSpec): Uint8Array {
  const version = spec.version ?? 3;
  const title = spec.title ?? 'Untitled';
  const opfDir = spec.opfDir ?? 'OEBPS';
  const inOpf = (href: string): string => (opfDir === '' ? href : `${opfDir}/${href}`);
  const level = spec.level ?? 6;
  const files: Zippable = { mimetype: [strToU8('application/epub+zip'), { level: 0 }] };
  const add = (path: string, content: string | Uint8Array): void => {
    files[path] = [typeof content === 'string' ? strToU8(content) : content, { level }];
  };

  if (!spec.omitContainer) {
    add(
      'META-INF/container.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="${inOpf('content.opf')}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>`,
    );
  }

  const chapters = spec.chapters.map((c, i) => ({ ...c, id: `ch${i + 1}`, href: c.href ?? `text/chapter-${i + 1}.xhtml` }));
  const manifest: string[] = [];
  const spine: string[] = [];
  for (const c of chapters) {
    manifest.push(`<item id="${c.id}" href="${esc(encodeURI(c.href))}" media-type="application/xhtml+xml"/>`);
    if (!c.outOfSpine) spine.push(`<itemref idref="${c.id}"${c.linear === false ? ' linear="no"' : ''}/>`);
    if (!c.missing) add(inOpf(c.href), chapterXhtml(c, version, c.label ?? title));
  }
  for (const [i, page] of (spec.imagePages ?? []).entries()) {
    manifest.push(`<item id="img${i}" href="${page}" media-type="image/svg+xml"/>`);
    spine.unshift(`<itemref idref="img${i}"/>`);
    add(inOpf(page), '<svg xmlns="http://www.w3.org/2000/svg"><text>cover text is not read</text></svg>');
  }
  add(inOpf('styles/book.css'), 'body { margin: 0 }');

  const listed = chapters.filter((c) => c.label !== undefined);
  if (version === 3) {
    const items = listed.map((c) => `<li><a href="${esc(encodeURI(c.href))}#start">${esc(c.label!)}</a></li>`).join('\n');
    add(
      inOpf('nav.xhtml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head>
<body>
<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>
${items}
</ol></nav>
<nav epub:type="landmarks" hidden=""><ol><li><a epub:type="bodymatter" href="text/chapter-1.xhtml">Start</a></li></ol></nav>
</body>
</html>`,
    );
    manifest.push('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>');
    if (spec.navInSpine) spine.unshift('<itemref idref="nav" linear="no"/>');
  } else {
    const points = listed
      .map(
        (c, i) => `<navPoint id="np${i + 1}" playOrder="${i + 1}"><navLabel><text>${esc(c.label!)}</text></navLabel><content src="${esc(encodeURI(c.href))}"/></navPoint>`,
      )
      .join('\n');
    add(
      inOpf('toc.ncx'),
      `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="urn:uuid:1"/></head>
<docTitle><text>${esc(title)}</text></docTitle>
<navMap>
${points}
</navMap>
</ncx>`,
    );
    manifest.push('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>');
  }
  manifest.push('<item id="css" href="styles/book.css" media-type="text/css"/>');
  if (spec.reverseManifest) manifest.reverse();

  const dc: string[] = [`<dc:title>${esc(title)}</dc:title>`, '<dc:identifier id="uid">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier>'];
  for (const c of spec.creators ?? []) dc.push(version === 2 ? `<dc:creator opf:role="aut">${esc(c)}</dc:creator>` : `<dc:creator>${esc(c)}</dc:creator>`);
  if (spec.language) dc.push(`<dc:language>${esc(spec.language)}</dc:language>`);
  for (const d of spec.dates ?? []) dc.push(d.event ? `<dc:date opf:event="${d.event}">${esc(d.value)}</dc:date>` : `<dc:date>${esc(d.value)}</dc:date>`);
  if (spec.publisher) dc.push(`<dc:publisher>${esc(spec.publisher)}</dc:publisher>`);
  if (version === 3) dc.push('<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>');

  const toc = version === 2 ? ' toc="ncx"' : '';
  const ppd = spec.pageProgression ? ` page-progression-direction="${spec.pageProgression}"` : '';
  if (!spec.omitPackage) {
    add(
      inOpf('content.opf'),
      `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="${version === 3 ? '3.0' : '2.0'}" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
${dc.join('\n')}
</metadata>
<manifest>
${manifest.join('\n')}
</manifest>
<spine${toc}${ppd}>
${spine.join('\n')}
</spine>
</package>`,
    );
  }

  if (spec.encryption) {
    const data = spec.encryption
      .map(
        (e) => `<enc:EncryptedData><enc:EncryptionMethod Algorithm="${e.algorithm}"/><enc:CipherData><enc:CipherReference URI="${esc(e.path)}"/></enc:CipherData></enc:EncryptedData>`,
      )
      .join('\n');
    add(
      'META-INF/encryption.xml',
      `<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
${data}
</encryption>`,
    );
  }
  for (const [path, content] of Object.entries(spec.extraFiles ?? {})) add(path, content);
  return zipSync(files);
}

/** A small bilingual EPUB 3 book (Hebrew and English chapters, a footnote), for end-to-end tests. */
export function sampleEpub(): Uint8Array {
  return buildEpub({
    title: 'ספר לדוגמה — A Sample Book',
    creators: ['רות כהן', 'Ruth Cohen'],
    language: 'he',
    dates: [{ value: '2024-02-29' }],
    publisher: 'Gloss Test Press',
    pageProgression: 'rtl',
    chapters: [
      {
        label: 'פרק ראשון',
        lang: 'he',
        dir: 'rtl',
        body: '<h1>פרק ראשון</h1><p>בראשית הייתה המילה, והמילה נכתבה בשוליים.<a epub:type="noteref" href="#n1">1</a></p><aside epub:type="footnote" id="n1"><p>1. הערה בתחתית העמוד.</p></aside>',
      },
      {
        label: 'Chapter Two',
        lang: 'en',
        body: '<p>The second chapter is in English and has no heading of its own.</p><ul><li>one item</li><li>another</li></ul>',
      },
    ],
  });
}
