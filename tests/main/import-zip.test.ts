import { Deflate, deflateSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/main/import/errors.js';
import { MAX_ZIP_ENTRY_BYTES, normaliseZipPath, openZip } from '../../src/main/import/zip.js';

/** A zip written byte by byte, so a test can make its directory say what it likes. */
interface RawEntry {
  name: string;
  /** The bytes as stored (already deflated for method 8). */
  stored: Uint8Array;
  method: 0 | 8;
  crc: number;
  /** The uncompressed size the headers declare. */
  size: number;
}

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function handZip(entries: RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = strToU8(e.name);
    const local = new Uint8Array(30 + name.length);
    const v = new DataView(local.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, 0x800, true);
    v.setUint16(8, e.method, true);
    v.setUint32(14, e.crc, true);
    v.setUint32(18, e.stored.length, true);
    v.setUint32(22, e.size, true);
    v.setUint16(26, name.length, true);
    local.set(name, 30);
    const dir = new Uint8Array(46 + name.length);
    const d = new DataView(dir.buffer);
    d.setUint32(0, 0x02014b50, true);
    d.setUint16(4, 20, true);
    d.setUint16(6, 20, true);
    d.setUint16(8, 0x800, true);
    d.setUint16(10, e.method, true);
    d.setUint32(16, e.crc, true);
    d.setUint32(20, e.stored.length, true);
    d.setUint32(24, e.size, true);
    d.setUint16(28, name.length, true);
    d.setUint32(42, offset, true);
    dir.set(name, 46);
    chunks.push(local, e.stored);
    central.push(dir);
    offset += local.length + e.stored.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, dirSize, true);
  v.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ImportError) return e.reason;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('openZip', () => {
  it('lists, finds and reads stored and deflated entries, with UTF-8 names and text', () => {
    const zip = zipSync({
      'mimetype': [strToU8('application/epub+zip'), { level: 0 }],
      'OEBPS/פרק 1.xhtml': strToU8('\uFEFF<p>שלום עולם</p>'),
      'OEBPS/big.txt': strToU8('word '.repeat(20_000)),
      'OEBPS/empty/': new Uint8Array(0),
    });
    const archive = openZip(zip, 'book.epub');
    expect(archive.names()).toEqual(['mimetype', 'OEBPS/פרק 1.xhtml', 'OEBPS/big.txt']);
    expect(archive.text('mimetype')).toBe('application/epub+zip');
    expect(archive.text('OEBPS/פרק 1.xhtml')).toBe('<p>שלום עולם</p>');
    expect(archive.text('/OEBPS/./big.txt')).toBe('word '.repeat(20_000));
    expect(archive.has('oebps/BIG.txt')).toBe(true);
    expect(archive.has('OEBPS/missing.txt')).toBe(false);
    expect(reasonOf(() => archive.read('OEBPS/missing.txt'))).toBe('has no OEBPS/missing.txt inside');
  });

  it('normalises paths and refuses an entry that climbs out of the archive', () => {
    expect(normaliseZipPath('./a//b\\c.xml')).toBe('a/b/c.xml');
    expect(normaliseZipPath('/word/../word/document.xml')).toBe('word/document.xml');
    expect(normaliseZipPath('../etc/passwd')).toBeNull();
    const data = strToU8('x');
    const zip = handZip([{ name: 'a/../../evil.txt', stored: data, method: 0, crc: crc32(data), size: 1 }]);
    expect(reasonOf(() => openZip(zip, 'evil.zip'))).toBe("is damaged (an entry's path leaves the archive: a/../../evil.txt)");
    const backslashes = handZip([{ name: 'word\\document.xml', stored: data, method: 0, crc: crc32(data), size: 1 }]);
    expect(openZip(backslashes, 'w.docx').names()).toEqual(['word/document.xml']);
  });

  it('says what is wrong with bytes that are not a zip, or a zip cut short or corrupted', () => {
    expect(reasonOf(() => openZip(strToU8('just some text, long enough to look at'), 'notes.epub'))).toBe('is not a zip archive');
    expect(reasonOf(() => openZip(new Uint8Array(3), 'tiny.epub'))).toBe('is not a zip archive');
    const zip = zipSync({ 'a.txt': strToU8('hello '.repeat(1000)) });
    expect(reasonOf(() => openZip(zip.subarray(0, zip.length - 30), 'cut.epub'))).toMatch(/^is damaged \(/);
    // Flip a byte in the compressed data: either inflate fails or the checksum does.
    const corrupt = zip.slice();
    corrupt[30 + 'a.txt'.length + 5] ^= 0xff;
    expect(reasonOf(() => openZip(corrupt, 'bad.epub').read('a.txt'))).toMatch(/^is damaged \(a\.txt: |^is damaged \(a\.txt fails its checksum\)$/);
  });

  it('finds the directory past a comment that holds its signature', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello') });
    // Rewrite the end record with a comment that contains a fake end record.
    const fake = new Uint8Array(22);
    fake.set([0x50, 0x4b, 0x05, 0x06]);
    const withComment = new Uint8Array(zip.length + fake.length);
    withComment.set(zip);
    withComment.set(fake, zip.length);
    new DataView(withComment.buffer).setUint16(zip.length - 2, fake.length, true);
    expect(openZip(withComment, 'c.zip').text('a.txt')).toBe('hello');
  });

  it('refuses more entries than the limit, naming it', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.txt`] = strToU8(String(i));
    expect(reasonOf(() => openZip(zipSync(files), 'many.zip', { maxEntries: 5 }))).toBe(
      'holds more than 5 files (the limit for an archive)',
    );
    expect(openZip(zipSync(files), 'many.zip', { maxEntries: 6 }).names()).toHaveLength(6);
  });

  it('stops a bomb whose directory tells the truth before inflating it', () => {
    const zip = zipSync({ 'zeros.bin': new Uint8Array(3 * 1024 * 1024) });
    expect(zip.length).toBeLessThan(20_000);
    expect(reasonOf(() => openZip(zip, 'bomb.zip', { maxTotalBytes: 2 * 1024 * 1024 }))).toBe(
      'expands to more than 2 MB (the limit for an archive): a zip bomb?',
    );
  });

  it('stops a bomb whose directory lies about its size, by counting what comes out', () => {
    const zeros = new Uint8Array(3 * 1024 * 1024);
    const stored = deflateSync(zeros);
    const lying = handZip([{ name: 'zeros.bin', stored, method: 8, crc: crc32(zeros), size: 100 }]);
    const archive = openZip(lying, 'bomb.zip', { maxTotalBytes: 1024 * 1024 });
    expect(reasonOf(() => archive.read('zeros.bin'))).toBe('expands to more than 1 MB (the limit for an archive): a zip bomb?');
    // Within the limits, the lie is still caught: the sizes do not match.
    const roomy = openZip(lying, 'liar.zip');
    expect(reasonOf(() => roomy.read('zeros.bin'))).toBe('is damaged (zeros.bin is 3145728 bytes, the directory says 100)');
  });

  it('counts the total across reads, each entry once', () => {
    const part = new Uint8Array(400 * 1024).fill(7);
    const archive = openZip(zipSync({ 'a.bin': part, 'b.bin': part, 'c.bin': part }), 'parts.zip', {
      maxTotalBytes: 1.25 * 1024 * 1024,
    });
    // 1.2 MB in all, within 1.25 MB only if reading a.bin twice counts it once.
    for (const entry of ['a.bin', 'a.bin', 'b.bin', 'c.bin']) expect(crc32(archive.read(entry))).toBe(crc32(part));
    // Two honest 400 KB parts and a third that claims 1 byte: within 1 MB by the directory, but the
    // third read is stopped by the running count of what the first two really gave.
    const deflated = deflateSync(part);
    const entry = (name: string, size: number): RawEntry => ({ name, stored: deflated, method: 8, crc: crc32(part), size });
    const small = openZip(handZip([entry('a.bin', part.length), entry('b.bin', part.length), entry('c.bin', 1)]), 'parts.zip', {
      maxTotalBytes: 1024 * 1024,
    });
    expect(crc32(small.read('a.bin'))).toBe(crc32(part));
    expect(crc32(small.read('b.bin'))).toBe(crc32(part));
    expect(reasonOf(() => small.read('c.bin'))).toBe('expands to more than 1 MB (the limit for an archive): a zip bomb?');
  });

  it('refuses, with the default limits, an entry that lies its way past 100 MB, quickly and without holding it', () => {
    // 101 MB of zeros streamed through a deflater in 1 MB pieces: the test never holds it either.
    const pieces: Uint8Array[] = [];
    const deflater = new Deflate({ level: 1 }, (chunk) => pieces.push(chunk));
    const mb = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 101; i++) deflater.push(mb, i === 100);
    const stored = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pieces) stored.set(p, at), (at += p.length);
    const lying = handZip([{ name: 'word/document.xml', stored, method: 8, crc: 0, size: 1000 }]);
    const archive = openZip(lying, 'report.docx');
    const started = performance.now();
    expect(reasonOf(() => archive.read('word/document.xml'))).toBe(
      `has a part (word/document.xml) that expands to more than ${MAX_ZIP_ENTRY_BYTES / (1024 * 1024)} MB (the limit for one file in an archive): a zip bomb?`,
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses an encrypted entry and an unknown compression method', () => {
    const data = strToU8('secret');
    const zip = handZip([{ name: 'a.txt', stored: data, method: 0, crc: crc32(data), size: data.length }]);
    const encrypted = zip.slice();
    const centralFlags = zip.length - 22 - (46 + 5) + 8;
    encrypted[centralFlags] |= 1;
    expect(reasonOf(() => openZip(encrypted, 'locked.zip').read('a.txt'))).toBe('is encrypted (a.txt needs a password)');
    const odd = zip.slice();
    odd[centralFlags + 2] = 14; // LZMA
    expect(reasonOf(() => openZip(odd, 'lzma.zip').read('a.txt'))).toBe(
      'uses a compression method Gloss cannot read (method 14, in a.txt)',
    );
  });
});
