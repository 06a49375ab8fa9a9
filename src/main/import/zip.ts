/**
 * A zip reader that a hostile archive cannot blow up (used by the EPUB and Word readers).
 *
 * Opening reads only the central directory; an entry is inflated when it is read, in small input
 * chunks through fflate's streaming `Inflate`, counting the bytes that come out. The sizes an
 * archive declares are checked too, but never trusted: a central directory can claim 1 KB for an
 * entry that inflates to gigabytes, so the running count is what stops a bomb, per entry and
 * across every entry read. Checksums are verified, so a damaged archive says so instead of
 * yielding garbage.
 */
import { Inflate } from 'fflate';
import { ImportError } from './errors.js';

export const MAX_ZIP_ENTRIES = 10_000;
export const MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024;
export const MAX_ZIP_ENTRY_BYTES = 100 * 1024 * 1024;

export interface ZipLimits {
  maxEntries?: number;
  maxTotalBytes?: number;
  maxEntryBytes?: number;
}

export interface ZipArchive {
  /** The files in the archive (no directories), normalised paths, in the archive's order. */
  names(): string[];
  /** Whether a file exists; an exact match first, then one that differs only in case (OOXML part names are case-insensitive). */
  has(path: string): boolean;
  /** A file's bytes, inflated within the limits. Throws ImportError for a missing, damaged or oversized entry. */
  read(path: string): Uint8Array;
  /** A file's text: UTF-8 (or UTF-16 when it starts with a UTF-16 BOM), the BOM dropped. */
  text(path: string): string;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end record sits in the last 22 bytes plus a comment of at most 65,535. */
const EOCD_SEARCH = 22 + 0xffff;
/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most ~1032:1, so one push
 * makes at most ~17 MB before the count is checked again.
 */
const INFLATE_CHUNK = 16 * 1024;

/** "500 MB"; limits lowered below a megabyte (in tests) read in KB or bytes. */
function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

/** Reads a little-endian number from `bytes`, which must hold it. */
const u16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
/** A 64-bit size; past 2^53 it is not exact, but any such size is far beyond every limit anyway. */
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;

let crcTable: Uint32Array | null = null;
function crc32(data: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = (table[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A path inside the archive as the readers ask for it: forward slashes, no leading `/` or `./`,
 * `.` and empty segments gone, `..` resolved. Returns null for a path that climbs out of the archive.
 */
export function normaliseZipPath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      // Old archivers wrote names in a DOS code page; Latin-1 keeps every byte as some character.
      return new TextDecoder('latin1').decode(raw);
    }
  }
  return new TextDecoder('utf-8').decode(raw);
}

/**
 * Finds the end-of-central-directory record, searching back over a possible comment. A comment
 * may itself hold the signature, so the record taken is one whose comment runs exactly to the end
 * of the file and whose directory ends right where it starts (or that has a zip64 locator);
 * failing that (bytes appended after the archive), the one nearest the end.
 */
function findEnd(bytes: Uint8Array): number {
  const stop = Math.max(0, bytes.length - EOCD_SEARCH);
  let nearest = -1;
  for (let at = bytes.length - 22; at >= stop; at--) {
    if (u32(bytes, at) !== EOCD_SIGNATURE) continue;
    const fits = at + 22 + u16(bytes, at + 20) === bytes.length;
    const adjoins = u32(bytes, at + 16) + u32(bytes, at + 12) === at || (at >= 20 && u32(bytes, at - 20) === ZIP64_LOCATOR_SIGNATURE);
    if (fits && adjoins) return at;
    if (nearest < 0) nearest = at;
  }
  return nearest;
}

/** Opens an archive; `name` names the file in every error. Reads the directory only. */
export function openZip(bytes: Uint8Array, name: string, limits: ZipLimits = {}): ZipArchive {
  const maxEntries = limits.maxEntries ?? MAX_ZIP_ENTRIES;
  const maxTotal = limits.maxTotalBytes ?? MAX_ZIP_TOTAL_BYTES;
  const maxEntry = limits.maxEntryBytes ?? MAX_ZIP_ENTRY_BYTES;
  const damaged = (why: string): ImportError => new ImportError(name, `is damaged (${why})`, 'damaged');
  const bomb = (): ImportError =>
    new ImportError(name, `expands to more than ${megabytes(maxTotal)} (the limit for an archive): a zip bomb?`, 'too-large');
  const tooMany = (): ImportError =>
    new ImportError(name, `holds more than ${maxEntries.toLocaleString('en-US')} files (the limit for an archive)`, 'too-complex');

  if (bytes.length < 22 || (u32(bytes, 0) !== LOCAL_SIGNATURE && u32(bytes, 0) !== EOCD_SIGNATURE)) {
    throw new ImportError(name, 'is not a zip archive', 'not-zip');
  }
  const end = findEnd(bytes);
  if (end < 0) throw damaged('no central directory: the file may be cut short');

  let count = u16(bytes, end + 10);
  let directorySize = u32(bytes, end + 12);
  let directoryOffset = u32(bytes, end + 16);
  const locator = end - 20;
  if (locator >= 0 && u32(bytes, locator) === ZIP64_LOCATOR_SIGNATURE) {
    const at = u64(bytes, locator + 8);
    if (at + 56 > bytes.length || u32(bytes, at) !== ZIP64_EOCD_SIGNATURE) throw damaged('a broken zip64 directory record');
    count = u64(bytes, at + 32);
    directorySize = u64(bytes, at + 40);
    directoryOffset = u64(bytes, at + 48);
  }
  if (count > maxEntries) throw tooMany();
  if (directoryOffset + directorySize > bytes.length) throw damaged('the central directory lies past the end of the file');

  const entries = new Map<string, Entry>();
  const folded = new Map<string, string>();
  const order: string[] = [];
  let declaredTotal = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== CENTRAL_SIGNATURE) throw damaged(`entry ${i + 1} of the directory is broken`);
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const crc = u32(bytes, at + 16);
    let compressedSize = u32(bytes, at + 20);
    let size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    let localOffset = u32(bytes, at + 42);
    const nameStart = at + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > bytes.length) throw damaged(`entry ${i + 1} of the directory is cut short`);
    ({ size, compressedSize, localOffset } = zip64Sizes(bytes, extraStart, extraLength, { size, compressedSize, localOffset }));
    at = next;

    const rawName = decodeName(bytes.subarray(nameStart, extraStart), (flags & 0x800) !== 0);
    if (rawName.endsWith('/') || rawName.endsWith('\\')) continue; // a directory
    const path = normaliseZipPath(rawName);
    if (path === null) throw damaged(`an entry's path leaves the archive: ${rawName}`);
    if (path === '' || entries.has(path)) continue; // the first of two same-named entries wins, as in most unzippers
    declaredTotal += size;
    if (declaredTotal > maxTotal) throw bomb();
    entries.set(path, { name: path, method, flags, crc, compressedSize, size, localOffset });
    order.push(path);
    const key = path.toLowerCase();
    if (!folded.has(key)) folded.set(key, path);
  }

  // Counted once per entry, by the bytes that really came out, whatever the directory says.
  const inflated = new Map<string, number>();
  let total = 0;

  const find = (path: string): Entry | undefined => {
    const p = normaliseZipPath(path);
    if (p === null) return undefined;
    const exact = entries.get(p);
    if (exact !== undefined) return exact;
    const other = folded.get(p.toLowerCase());
    return other === undefined ? undefined : entries.get(other);
  };

  const read = (path: string): Uint8Array => {
    const entry = find(path);
    if (entry === undefined) throw new ImportError(name, `has no ${path} inside`, 'damaged');
    if (entry.flags & 1) throw new ImportError(name, `is encrypted (${entry.name} needs a password)`, 'encrypted');
    // What this entry may still add to the archive's total (a re-read counts once).
    const left = maxTotal - total + (inflated.get(entry.name) ?? 0);
    const overflow = (size: number): ImportError | null =>
      size > maxEntry ? entryTooLarge(name, entry.name, maxEntry) : size > left ? bomb() : null;
    const declared = overflow(entry.size);
    if (declared !== null) throw declared;

    const local = entry.localOffset;
    if (local + 30 > bytes.length || u32(bytes, local) !== LOCAL_SIGNATURE) throw damaged(`${entry.name} has no local header`);
    const dataStart = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    const dataEnd = dataStart + entry.compressedSize;
    if (dataEnd > bytes.length) throw damaged(`${entry.name} is cut short`);
    const compressed = bytes.subarray(dataStart, dataEnd);

    let data: Uint8Array;
    let length: number;
    if (entry.method === 0) {
      const stored = overflow(compressed.length);
      if (stored !== null) throw stored;
      data = compressed.slice();
      length = data.length;
    } else if (entry.method === 8) {
      ({ data, length } = inflateBounded(compressed, entry.size, overflow, (why) => damaged(`${entry.name}: ${why}`)));
    } else {
      throw new ImportError(name, `uses a compression method Gloss cannot read (method ${entry.method}, in ${entry.name})`, 'unreadable');
    }
    if (length !== entry.size) throw damaged(`${entry.name} is ${length} bytes, the directory says ${entry.size}`);
    if (crc32(data) !== entry.crc) throw damaged(`${entry.name} fails its checksum`);
    total += data.length - (inflated.get(entry.name) ?? 0);
    inflated.set(entry.name, data.length);
    return data;
  };

  return {
    names: () => [...order],
    has: (path) => find(path) !== undefined,
    read,
    text: (path) => decodeEntryText(read(path)),
  };
}

function entryTooLarge(file: string, entry: string, max: number): ImportError {
  return new ImportError(
    file,
    `has a part (${entry}) that expands to more than ${megabytes(max)} (the limit for one file in an archive): a zip bomb?`,
    'too-large',
  );
}

/** Sizes and offset that did not fit 32 bits live in the zip64 extra field, in this order. */
function zip64Sizes(
  bytes: Uint8Array,
  start: number,
  length: number,
  v: { size: number; compressedSize: number; localOffset: number },
): { size: number; compressedSize: number; localOffset: number } {
  const FULL = 0xffffffff;
  if (v.size !== FULL && v.compressedSize !== FULL && v.localOffset !== FULL) return v;
  const out = { ...v };
  for (let at = start; at + 4 <= start + length; ) {
    const id = u16(bytes, at);
    const size = u16(bytes, at + 2);
    if (id === 0x0001) {
      let p = at + 4;
      const stop = p + size;
      if (v.size === FULL && p + 8 <= stop) (out.size = u64(bytes, p)), (p += 8);
      if (v.compressedSize === FULL && p + 8 <= stop) (out.compressedSize = u64(bytes, p)), (p += 8);
      if (v.localOffset === FULL && p + 8 <= stop) out.localOffset = u64(bytes, p);
      break;
    }
    at += 4 + size;
  }
  return out;
}

/**
 * Inflates `compressed` a chunk at a time into a buffer of the declared size, and throws what
 * `overflow` says as soon as the output grows past a limit, so at most one chunk's worth of output
 * is ever made beyond it. Output past the declared size is only counted, never kept: the entry is
 * damaged (or a bomb) either way, so memory stays at the declared size, itself within the limits.
 */
function inflateBounded(
  compressed: Uint8Array,
  declared: number,
  overflow: (size: number) => ImportError | null,
  broken: (why: string) => ImportError,
): { data: Uint8Array; length: number } {
  const data = new Uint8Array(declared);
  let length = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    if (length + chunk.length <= declared) data.set(chunk, length);
    length += chunk.length;
    const over = overflow(length);
    if (over !== null) throw over;
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < compressed.length; at += INFLATE_CHUNK) {
      const end = Math.min(compressed.length, at + INFLATE_CHUNK);
      inflater.push(compressed.subarray(at, end), end === compressed.length);
    }
    if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw broken(e instanceof Error ? e.message : 'the compressed data is broken');
  }
  if (!finished) throw broken('the compressed data ends early');
  return { data, length };
}

/** UTF-8 unless a UTF-16 byte-order mark says otherwise; the mark is dropped. */
export function decodeEntryText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  // TextDecoder drops a UTF-8 BOM itself.
  return new TextDecoder('utf-8').decode(data);
}
