/** The pure REFI-QDA writer (`project.qde`): structure, code points, escaping, codes, notes, pages. */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { guidKey, qdeProject, xmlAttr, xmlText, type QdpxMeta } from '../../src/common/export/qdpx.js';
import type { ExportDocument, ExportSection } from '../../src/common/export/types.js';
import type { Annotation, BlockInput } from '../../src/common/model.js';
import { canonicalText, placeBlocks, quoteSelector } from '../../src/common/text/canonical.js';

function makeDoc(blocks: BlockInput[], title = 'A test', hash = 'ab'.repeat(32)): ExportDocument {
  return { id: 1, title, language: 'en', sourceName: 'test.txt', contentHash: hash, blocks: placeBlocks(blocks) };
}

let serial = 0;
function annotate(doc: ExportDocument, start: number, end: number, extra: Partial<Annotation> = {}): Annotation {
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    documentId: doc.id,
    start,
    end,
    ...quoteSelector(canonicalText(doc.blocks), start, end),
    color: 'yellow',
    note: '',
    status: 'anchored',
    tags: [],
    created: '2024-05-01T10:00:00.000Z',
    modified: '2024-05-02T11:00:00.000Z',
    ...extra,
  };
}

/** GUIDs from a counter, one per key: the writer must ask by key, and the same key twice gives the same GUID. */
function meta(codes: QdpxMeta['codes'], authors: string[] = []): QdpxMeta {
  const guids = new Map<string, string>();
  const guid = (key: string) => {
    if (!guids.has(key)) guids.set(key, `00000000-0000-4000-9000-${String(guids.size + 1).padStart(12, '0')}`);
    return guids.get(key)!;
  };
  return { name: 'Project <1> & "2"', origin: 'Gloss 9.9', generated: '2024-06-01T00:00:00.000Z', user: { guid: guid(guidKey.ownUser), name: 'Gloss' }, authors, codes, guid, sourceGuid: (h) => guid(guidKey.source(h)) };
}

const parser = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['Code', 'TextSource', 'PlainTextSelection', 'Coding', 'Note', 'User', 'NoteRef'].includes(name), trimValues: false });

function write(sections: ExportSection[], m: QdpxMeta): { xml: string; counts: { documents: number; annotations: number; detached: number } } {
  const g = qdeProject(() => sections, m);
  let xml = '';
  for (;;) {
    const step = g.next();
    if (step.done) return { xml, counts: step.value };
    xml += step.value;
  }
}

describe('project.qde', () => {
  const doc = makeDoc([
    { kind: 'heading', dir: 'ltr', depth: 0, text: 'Music 𝄞 and faces 😀 first', meta: { pages: ['12'] } },
    { kind: 'paragraph', dir: 'rtl', depth: 0, text: 'שלום עולם, טענה עובדתית כאן', meta: { pages: ['12', '13'] } },
  ]);
  const text = canonicalText(doc.blocks);
  const first = text.indexOf('first');
  const hebrew = text.indexOf('טענה');
  const a1 = annotate(doc, first, first + 5, { tags: ['claim/factual', 'טענה'], note: 'A & B <c> "d"\r\nline\u0001', color: 'green' });
  const a2 = annotate(doc, hebrew, hebrew + 13, { tags: ['claim'], author: 'Dana K.', color: 'blue' });
  const across = annotate(doc, first, hebrew + 4, { note: 'spans pages' });
  const orphan = annotate(doc, 2, 4, { status: 'orphaned', exact: 'gone', note: 'lost' });
  const codes = [{ path: 'claim', color: '#b3e5fc' }, { path: 'claim/factual', color: '#b9f6ca' }, { path: 'טענה' }];
  const { xml, counts } = write([{ document: doc, annotations: () => [a1, a2, across, orphan] }], meta(codes, ['Dana K.']));
  const project = parser.parse(xml).Project;

  it('counts positions in code points: two astral characters before the passage move it by two', () => {
    const sels = project.Sources.TextSource[0].PlainTextSelection;
    expect(sels.map((s: { startPosition: string }) => Number(s.startPosition))).toEqual([first - 2, hebrew - 2, first - 2]);
    expect(sels.map((s: { endPosition: string }) => Number(s.endPosition))).toEqual([first + 3, hebrew + 11, hebrew + 2]);
    expect([...text].slice(first - 2, first + 3).join('')).toBe('first');
    expect(counts).toEqual({ documents: 1, annotations: 3, detached: 1 });
  });

  it('nests the codes by tag path, with colours, and codes each selection by its tags', () => {
    const top = project.CodeBook.Codes.Code;
    expect(top.map((c: { name: string }) => c.name)).toEqual(['claim', 'טענה']);
    expect(top[0]).toMatchObject({ isCodable: 'true', color: '#B3E5FC' });
    expect(top[0].Code[0]).toMatchObject({ name: 'factual', color: '#B9F6CA' });
    expect(top[1].color).toBeUndefined();
    const guidOf = (node: { guid: string }) => node.guid;
    const [s1, s2] = project.Sources.TextSource[0].PlainTextSelection;
    expect(s1.Coding.map((c: { CodeRef: { targetGUID: string } }) => c.CodeRef.targetGUID)).toEqual([guidOf(top[0].Code[0]), guidOf(top[1])]);
    expect(s2.Coding.map((c: { CodeRef: { targetGUID: string } }) => c.CodeRef.targetGUID)).toEqual([guidOf(top[0])]);
  });

  it('keeps users, dates, the quote as the name and the pages as the description', () => {
    expect(project.Users.User.map((u: { name: string }) => u.name)).toEqual(['Gloss', 'Dana K.']);
    const [s1, s2, s3] = project.Sources.TextSource[0].PlainTextSelection;
    expect(s1).toMatchObject({ guid: a1.id, name: 'first', creatingUser: project.Users.User[0].guid, creationDateTime: a1.created, modifiedDateTime: a1.modified, Description: 'p. 12' });
    expect(s2.creatingUser).toBe(project.Users.User[1].guid);
    expect(s3.Description).toBe('pp. 12–13');
    expect(project).toMatchObject({ xmlns: 'urn:QDA-XML:project:1.0', name: 'Project <1> & "2"', origin: 'Gloss 9.9', creationDateTime: '2024-06-01T00:00:00.000Z' });
  });

  it('puts notes in Notes with a NoteRef from their selection; carriage returns and controls survive XML', () => {
    const notes = project.Notes.Note;
    expect(notes).toHaveLength(2);
    const [s1] = project.Sources.TextSource[0].PlainTextSelection;
    expect(s1.NoteRef[0].targetGUID).toBe(notes[0].guid);
    expect(notes[0].PlainTextContent).toBe('A & B <c> "d"\r\nline\uFFFD');
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('gone');
  });

  it('follows the schema sequence: Users, CodeBook, Sources, Notes, Description', () => {
    const order = ['<Users>', '<CodeBook>', '<Sources>', '<Notes>', '<Description>Exported'].map((t) => xml.indexOf(t));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0"')).toBe(true);
  });

  it('without tags or notes, writes no CodeBook and no Notes (both optional, neither may be empty)', () => {
    const plain = write([{ document: doc, annotations: () => [annotate(doc, first, first + 5)] }], meta([])).xml;
    expect(plain).not.toContain('<CodeBook>');
    expect(plain).not.toContain('<Notes>');
    expect(parser.parse(plain).Project.Sources.TextSource[0].plainTextPath).toMatch(/^internal:\/\/[0-9a-f-]{36}\.txt$/);
  });
});

describe('XML escaping', () => {
  it('escapes markup, keeps line breaks in text, and makes tabs and breaks in attributes references', () => {
    expect(xmlText('a<b>&c\r\nd')).toBe('a&lt;b&gt;&amp;c&#13;\nd');
    expect(xmlAttr('a"b\tc\nd')).toBe('a&quot;b&#9;c&#10;d');
    // A lone surrogate or U+FFFE cannot be in XML; a pair stays.
    expect(xmlText('x\uD800y\uFFFE😀')).toBe('x\uFFFDy\uFFFD😀');
  });
});
