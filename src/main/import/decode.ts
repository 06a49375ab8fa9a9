/**
 * Bytes to text: UTF-8 (with or without a byte order mark), UTF-16 LE/BE with a byte order mark,
 * and the legacy Hebrew code pages Windows-1255 and ISO-8859-8, told apart by the bytes they use.
 * Binary input and bytes that fit none of these are rejected with a reason a person can act on.
 */
import { isUtf8, transcode } from 'node:buffer';
import iconv from 'iconv-lite';
import { ImportError } from './errors.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1255' | 'iso-8859-8';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** True when the bytes began with a byte order mark (stripped from `text`). */
  bom: boolean;
}

const BINARY = 'looks like a binary file, not text';
/** Share of control characters above which input is taken for binary. */
const MAX_CONTROL_SHARE = 0.05;

/** Decodes `bytes`; `file` only names the file in errors. */
export function decodeText(bytes: Uint8Array, file = 'input'): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    const text = strictDecode('utf-8', bytes.subarray(3));
    if (text === null) throw new ImportError(file, 'starts with a UTF-8 byte order mark but is not valid UTF-8', 'not-text');
    return checked({ text, encoding: 'utf-8', bom: true }, file);
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const le = b0 === 0xff;
    const body = bytes.subarray(2);
    const text = body.length % 2 === 0 ? strictDecode('utf-16le', le ? body : swapPairs(body)) : null;
    if (text === null) throw new ImportError(file, `starts with a UTF-16 ${le ? 'LE' : 'BE'} byte order mark but is not valid UTF-16`, 'not-text');
    return checked({ text: stripBom(text), encoding: le ? 'utf-16le' : 'utf-16be', bom: true }, file);
  }
  // UTF-8 first: `checked` rejects what the byte test below would (a NUL byte is a NUL character, and
  // every control byte is one control character among no more characters than there were bytes).
  const utf8 = strictDecode('utf-8', bytes);
  if (utf8 !== null) return checked({ text: stripBom(utf8), encoding: 'utf-8', bom: false }, file);
  if (bytes.includes(0) || controlShare(bytes) > MAX_CONTROL_SHARE) throw new ImportError(file, BINARY, 'not-text');
  const legacy = detectLegacyHebrew(bytes);
  if (legacy === null) {
    throw new ImportError(file, 'cannot be decoded: it is not UTF-8, UTF-16 with a byte order mark, Windows-1255 or ISO-8859-8 text', 'not-text');
  }
  return checked({ text: iconv.decode(bytes, legacy), encoding: legacy, bom: false }, file);
}

function strictDecode(encoding: 'utf-8' | 'utf-16le', bytes: Uint8Array): string | null {
  if (encoding === 'utf-8' && typeof transcode === 'function') {
    // Validated, then widened to UTF-16 natively and taken as is: several times faster than the
    // TextDecoder for a book of Hebrew (whose UTF-8 decoding V8 does one character at a time).
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!isUtf8(buffer)) return null;
    return buffer.length === 0 ? '' : transcode(buffer, 'utf8', 'utf16le').toString('utf16le');
  }
  try {
    // ignoreBOM: the caller has already looked at (and removed) any byte order mark.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** C0 controls other than tab, line feed, vertical tab, form feed, carriage return; and DEL. */
function isControl(c: number): boolean {
  return (c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f;
}

function controlShare(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (isControl(bytes[i]!)) n++;
  return n / bytes.length;
}

/** What `isControl` accepts, C1 controls included. */
const CONTROL = /[\x00-\x08\x0E-\x1F\x7F-\x9F]/;

/** Rejects decoded text that still looks binary (NULs or many control characters, C1 included). */
function checked(decoded: DecodedText, file: string): DecodedText {
  const { text } = decoded;
  // Most text has none of them: one scan by the regular expression engine, no loop in JavaScript.
  if (!CONTROL.test(text)) return decoded;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new ImportError(file, BINARY, 'not-text');
    if (isControl(c) || (c >= 0x80 && c <= 0x9f)) n++;
  }
  if (text.length > 0 && n / text.length > MAX_CONTROL_SHARE) throw new ImportError(file, BINARY, 'not-text');
  return decoded;
}

// Bytes each code page leaves undefined.
const UNDEFINED_1255 = new Set([0x81, 0x8a, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9c, 0x9d, 0x9e, 0x9f, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xfb, 0xfc, 0xff]);
const isHebrewLetterByte = (c: number): boolean => c >= 0xe0 && c <= 0xfa;
/** Windows-1255 points (niqqud, dagesh, shin/sin dots, meteg, maqaf ...). */
const isPointByte = (c: number): boolean => c >= 0xc0 && c <= 0xd2;

/**
 * Windows-1255 or ISO-8859-8, or null when the bytes are neither. Windows-1255 is a superset of
 * ISO-8859-8 in practice: its marks are the niqqud (0xC0-0xD2, undefined in ISO-8859-8) and the
 * typographic punctuation at 0x80-0x9F (C1 controls in ISO-8859-8). Either way the Hebrew letters
 * (0xE0-0xFA) must make up most of the high bytes and stand together in words, which rules out
 * Latin-1 text (`café`) whose accented letters fall in the same range but stand alone.
 */
export function detectLegacyHebrew(bytes: Uint8Array): 'windows-1255' | 'iso-8859-8' | null {
  let high = 0;
  let letters = 0;
  let lettersInWords = 0;
  let points = 0;
  let windowsOnly = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x80) continue;
    high++;
    if (UNDEFINED_1255.has(c) && c !== 0xdf) return null; // 0xDF is defined in ISO-8859-8 only
    if ((c >= 0x80 && c <= 0x9f) || (c >= 0xc0 && c <= 0xd8) || c === 0xa1 || c === 0xbf) windowsOnly = true;
    if (isPointByte(c)) points++;
    if (isHebrewLetterByte(c)) {
      letters++;
      const prev = bytes[i - 1] ?? 0;
      const next = bytes[i + 1] ?? 0;
      if (isHebrewLetterByte(prev) || isPointByte(prev) || isHebrewLetterByte(next) || isPointByte(next)) lettersInWords++;
    }
  }
  if (letters === 0) return null;
  if ((letters + points) / high < 0.7 || lettersInWords / letters < 0.5) return null;
  if (windowsOnly) return bytes.includes(0xdf) ? null : 'windows-1255';
  return 'iso-8859-8';
}
