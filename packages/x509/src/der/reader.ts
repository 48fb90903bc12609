// A strict DER reader (X.690 §8 and §10 as profiled by RFC 5280 §4.1). It never copies: every
// element's `contents` and `encoded` are views into the caller's bytes, so callers must not mutate
// the input while they use what was read from it. Every error names the field and the absolute
// byte offset in the original input.

import { X509Error } from '../errors.js';
import { DerTag } from './tags.js';
import { decodeOid } from './oid.js';
import { decodeUtf8 } from './utf8.js';

/** One TLV element; `contents` and `encoded` are views into the input. */
export interface DerElement {
  /** Identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** Absolute offset of the identifier octet in the original input. */
  readonly offset: number;
  /** Absolute offset of the first contents octet. */
  readonly contentsOffset: number;
  readonly contents: Uint8Array;
  /** The whole TLV (identifier, length and contents). */
  readonly encoded: Uint8Array;
}

/** A BIT STRING: the bytes and the count of unused bits in the last byte (X.690 §8.6). */
export interface BitString {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

function derError(field: string, offset: number, message: string): X509Error {
  return new X509Error('ERR_X509_DER', `${field}: ${message} at byte offset ${offset}`, { field, offset });
}

/**
 * Reads one element at `position` of `bytes`, whose first byte is at absolute offset `base`.
 * @throws X509Error `ERR_X509_DER` on a truncated element, an indefinite or non-minimal length, or a
 *   high tag number (not used by X.509).
 * @example readElementAt(der, 0, 0, 'certificate').contents.length
 */
export function readElementAt(bytes: Uint8Array, position: number, base: number, field: string): DerElement {
  const offset = base + position;
  if (position >= bytes.length) throw derError(field, offset, 'missing element');
  const tag = bytes[position]!;
  // X.690 §8.1.2.4: tag numbers >= 31 use the high-tag-number form, which X.509 never uses.
  if ((tag & 0x1f) === 0x1f) throw derError(field, offset, 'high tag number form is not supported');
  // X.690 §8.1.5: universal tag 0 is the end-of-contents marker of indefinite lengths, never DER.
  if (tag === 0) throw derError(field, offset, 'end-of-contents tag is not DER');
  let cursor = position + 1;
  if (cursor >= bytes.length) throw derError(field, offset + 1, 'truncated length');
  const first = bytes[cursor++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    // X.690 §10.1: DER uses the definite form only.
    throw derError(field, offset + 1, 'indefinite length is not DER');
  } else {
    const count = first & 0x7f;
    if (count > 4) throw derError(field, offset + 1, 'length too large');
    if (cursor + count > bytes.length) throw derError(field, offset + 1, 'truncated length');
    if (bytes[cursor] === 0) throw derError(field, offset + 1, 'non-minimal length (leading zero)');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[cursor++]!;
    // X.690 §10.1: the long form only when the short form cannot express the length.
    if (length < 0x80) throw derError(field, offset + 1, 'non-minimal length (long form for < 128)');
  }
  if (cursor + length > bytes.length) {
    throw derError(
      field,
      offset,
      `truncated element: ${length} bytes declared, ${bytes.length - cursor} present`,
    );
  }
  if ((tag & 0xc0) === 0) {
    const number = tag & 0x1f;
    const constructed = (tag & 0x20) !== 0;
    // X.690 §10.2: DER encodes strings primitively; SEQUENCE and SET are always constructed.
    if (constructed !== (number === 0x10 || number === 0x11)) {
      throw derError(
        field,
        offset,
        constructed
          ? 'constructed encoding of a primitive type is not DER'
          : 'SEQUENCE/SET must be constructed',
      );
    }
    // X.690 §8.2, §8.3, §8.8: fixed-form universal types are checked wherever they appear.
    if (number === 0x01 && (length !== 1 || (bytes[cursor] !== 0 && bytes[cursor] !== 0xff))) {
      throw derError(field, offset, 'BOOLEAN must be one byte, 0x00 or 0xFF');
    }
    if (number === 0x05 && length !== 0) throw derError(field, offset, 'NULL with contents');
    if ((number === 0x02 || number === 0x0a) && length === 0) throw derError(field, offset, 'empty INTEGER');
    if (number === 0x06 && length === 0) throw derError(field, offset, 'empty OBJECT IDENTIFIER');
    if (number === 0x03) {
      // X.690 §8.6.2, §11.2.1: a leading unused-bits count of 0-7, zero when empty, unused bits zero.
      const problem = bitStringProblem(bytes.subarray(cursor, cursor + length));
      if (problem !== undefined) throw derError(field, offset, problem);
    }
  }
  return {
    tag,
    offset,
    contentsOffset: base + cursor,
    contents: bytes.subarray(cursor, cursor + length),
    encoded: bytes.subarray(position, cursor + length),
  };
}

function isPrintable(code: number): boolean {
  // X.680 §41.4 PrintableString: A-Z a-z 0-9 space ' ( ) + , - . / : = ?
  // Also '*' and '&', which CAs have long put in PrintableStrings (wildcard CNs; Go's parser makes
  // the same exception), so that real certificates still parse.
  return (
    code === 0x2a ||
    code === 0x26 ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x20 ||
    code === 0x27 ||
    code === 0x28 ||
    code === 0x29 ||
    code === 0x2b ||
    code === 0x2c ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x2f ||
    code === 0x3a ||
    code === 0x3d ||
    code === 0x3f
  );
}

/**
 * Decodes the contents of a character string of universal type `tag` to a JS string.
 * @throws X509Error `ERR_X509_DER` when the bytes are not valid for the type.
 * @example decodeString(reader.read('subject.CN'), 'subject.CN') // 'example.com'
 */
export function decodeString(element: DerElement, field: string): string {
  const bytes = element.contents;
  const fail = (what: string, index: number) => derError(field, element.contentsOffset + index, what);
  switch (element.tag) {
    case DerTag.Utf8String: {
      const text = decodeUtf8(bytes);
      if (typeof text === 'number') throw fail('invalid UTF-8', -text - 1);
      return text;
    }
    case DerTag.PrintableString:
      for (let i = 0; i < bytes.length; i++) {
        if (!isPrintable(bytes[i]!)) throw fail('character not allowed in PrintableString', i);
      }
      return latin1(bytes);
    case DerTag.NumericString:
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (!(c === 0x20 || (c >= 0x30 && c <= 0x39)))
          throw fail('character not allowed in NumericString', i);
      }
      return latin1(bytes);
    case DerTag.Ia5String:
      for (let i = 0; i < bytes.length; i++)
        if (bytes[i]! > 0x7f) throw fail('non-ASCII byte in IA5String', i);
      return latin1(bytes);
    case DerTag.VisibleString:
      for (let i = 0; i < bytes.length; i++) {
        const c = bytes[i]!;
        if (c < 0x20 || c > 0x7e) throw fail('character not allowed in VisibleString', i);
      }
      return latin1(bytes);
    case DerTag.TeletexString:
      // T.61 is treated as Latin-1, as OpenSSL does.
      return latin1(bytes);
    case DerTag.BmpString: {
      if (bytes.length % 2 !== 0) throw fail('BMPString length is odd', 0);
      let text = '';
      for (let i = 0; i < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return text;
    }
    case DerTag.UniversalString: {
      if (bytes.length % 4 !== 0) throw fail('UniversalString length is not a multiple of 4', 0);
      let text = '';
      for (let i = 0; i < bytes.length; i += 4) {
        const code = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
        if (code > 0x10ffff) throw fail('code point out of range in UniversalString', i);
        text += String.fromCodePoint(code);
      }
      return text;
    }
    default:
      throw derError(field, element.offset, `expected a character string, found tag 0x${hex2(element.tag)}`);
  }
}

/**
 * Bytes as Latin-1 code points.
 * @example latin1(Uint8Array.of(0x41, 0xe9)) // 'Aé'
 */
export function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}

function digits(bytes: Uint8Array, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * Decodes a UTCTime or GeneralizedTime in the RFC 5280 §4.1.2.5 form (`YYMMDDHHMMSSZ` or
 * `YYYYMMDDHHMMSSZ`, seconds present, no fraction, `Z`) to milliseconds since the Unix epoch.
 * @throws X509Error `ERR_X509_DER` on any other form or an impossible date.
 * @example decodeTime(reader.read('notBefore'), 'notBefore') // 1257933142000
 */
export function decodeTime(element: DerElement, field: string): number {
  const bytes = element.contents;
  let year: number;
  let rest: number;
  if (element.tag === DerTag.UtcTime) {
    if (bytes.length !== 13) throw derError(field, element.offset, 'UTCTime must be YYMMDDHHMMSSZ');
    const yy = digits(bytes, 0, 2);
    if (yy < 0) throw derError(field, element.contentsOffset, 'bad UTCTime digits');
    // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, else 20YY.
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    rest = 2;
  } else if (element.tag === DerTag.GeneralizedTime) {
    if (bytes.length !== 15) throw derError(field, element.offset, 'GeneralizedTime must be YYYYMMDDHHMMSSZ');
    year = digits(bytes, 0, 4);
    if (year < 0) throw derError(field, element.contentsOffset, 'bad GeneralizedTime digits');
    rest = 4;
  } else {
    throw derError(
      field,
      element.offset,
      `expected UTCTime or GeneralizedTime, found tag 0x${hex2(element.tag)}`,
    );
  }
  if (bytes[bytes.length - 1] !== 0x5a)
    throw derError(field, element.contentsOffset + bytes.length - 1, "time must end in 'Z'");
  const month = digits(bytes, rest, 2);
  const day = digits(bytes, rest + 2, 2);
  const hour = digits(bytes, rest + 4, 2);
  const minute = digits(bytes, rest + 6, 2);
  const second = digits(bytes, rest + 8, 2);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    throw derError(field, element.contentsOffset, 'time field out of range');
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > monthDays) throw derError(field, element.contentsOffset, 'day out of range for month');
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/**
 * A cursor over the elements of a constructed value (or of a whole input). Reading methods take
 * the ASN.1 field name for error messages.
 * @example const tbs = new DerReader(der).sequence('certificate').sequence('tbsCertificate');
 */
export class DerReader {
  readonly bytes: Uint8Array;
  /** Absolute offset of `bytes[0]` in the original input. */
  readonly base: number;
  private position = 0;

  constructor(bytes: Uint8Array, base = 0) {
    this.bytes = bytes;
    this.base = base;
  }

  /** A reader over the contents of `element`. */
  static of(element: DerElement): DerReader {
    return new DerReader(element.contents, element.contentsOffset);
  }

  get offset(): number {
    return this.base + this.position;
  }

  hasMore(): boolean {
    return this.position < this.bytes.length;
  }

  /** The identifier octet of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.position < this.bytes.length ? this.bytes[this.position] : undefined;
  }

  /** @throws X509Error `ERR_X509_DER` when bytes remain. */
  end(field: string): void {
    if (this.position !== this.bytes.length) throw derError(field, this.offset, 'trailing bytes');
  }

  read(field: string): DerElement {
    const element = readElementAt(this.bytes, this.position, this.base, field);
    this.position += element.encoded.length;
    return element;
  }

  /** Reads an element and requires its identifier octet to be `tag`. */
  expect(tag: number, field: string): DerElement {
    const next = this.peekTag();
    if (next !== tag) {
      throw derError(
        field,
        this.offset,
        next === undefined
          ? `missing (expected tag 0x${hex2(tag)})`
          : `expected tag 0x${hex2(tag)}, found 0x${hex2(next)}`,
      );
    }
    return this.read(field);
  }

  /** Reads the next element when its identifier octet is `tag`. */
  optional(tag: number, field: string): DerElement | undefined {
    return this.peekTag() === tag ? this.read(field) : undefined;
  }

  sequence(field: string): DerReader {
    return DerReader.of(this.expect(DerTag.Sequence, field));
  }

  /** INTEGER contents (two's complement, big-endian), checked minimal (X.690 §8.3.2). */
  integer(field: string, tag: number = DerTag.Integer): Uint8Array {
    return checkInteger(this.expect(tag, field), field);
  }

  /** A non-negative INTEGER that fits in a JS number. */
  smallInteger(field: string, tag: number = DerTag.Integer): number {
    const element = this.expect(tag, field);
    const bytes = checkInteger(element, field);
    if (bytes[0]! & 0x80) throw derError(field, element.offset, 'negative value not allowed');
    if (bytes.length > 6) throw derError(field, element.offset, 'value too large');
    let value = 0;
    for (const b of bytes) value = value * 256 + b;
    return value;
  }

  boolean(field: string): boolean {
    const element = this.expect(DerTag.Boolean, field);
    return decodeBoolean(element, field);
  }

  null(field: string): void {
    const element = this.expect(DerTag.Null, field);
    if (element.contents.length !== 0) throw derError(field, element.offset, 'NULL with contents');
  }

  oid(field: string): string {
    const element = this.expect(DerTag.ObjectIdentifier, field);
    return decodeOid(element.contents, element.contentsOffset, field);
  }

  bitString(field: string, tag: number = DerTag.BitString): BitString {
    return decodeBitString(this.expect(tag, field), field);
  }

  octetString(field: string, tag: number = DerTag.OctetString): Uint8Array {
    return this.expect(tag, field).contents;
  }

  time(field: string): number {
    return decodeTime(this.read(field), field);
  }

  /** A character string of one of `allowed` universal types. */
  string(field: string, allowed: readonly number[]): string {
    const element = this.read(field);
    if (!allowed.includes(element.tag)) {
      throw derError(field, element.offset, `string type 0x${hex2(element.tag)} not allowed here`);
    }
    return decodeString(element, field);
  }
}

/**
 * Checks a BOOLEAN: DER requires 0x00 or 0xFF (X.690 §11.1).
 * @example decodeBoolean(reader.read('critical'), 'critical') // true for 01 01 ff
 */
export function decodeBoolean(element: DerElement, field: string): boolean {
  if (element.contents.length !== 1) throw derError(field, element.offset, 'BOOLEAN must have one byte');
  const value = element.contents[0]!;
  if (value !== 0 && value !== 0xff)
    throw derError(field, element.contentsOffset, 'BOOLEAN must be 0x00 or 0xFF in DER');
  return value === 0xff;
}

/**
 * Checks INTEGER contents are present and minimal (X.690 §8.3.2) and returns them.
 * @example checkInteger(reader.read('serialNumber'), 'serialNumber')
 */
export function checkInteger(element: DerElement, field: string): Uint8Array {
  const bytes = element.contents;
  if (bytes.length === 0) throw derError(field, element.offset, 'empty INTEGER');
  if (bytes.length > 1) {
    const first = bytes[0]!;
    const second = bytes[1]!;
    if ((first === 0 && !(second & 0x80)) || (first === 0xff && second & 0x80)) {
      throw derError(field, element.contentsOffset, 'non-minimal INTEGER encoding');
    }
  }
  return bytes;
}

function bitStringProblem(contents: Uint8Array): string | undefined {
  if (contents.length === 0) return 'empty BIT STRING';
  const unusedBits = contents[0]!;
  if (unusedBits > 7 || (contents.length === 1 && unusedBits !== 0))
    return 'bad unused-bits count in BIT STRING';
  if (unusedBits > 0 && (contents[contents.length - 1]! & ((1 << unusedBits) - 1)) !== 0) {
    return 'unused bits of BIT STRING are not zero';
  }
  return undefined;
}

/**
 * Checks a BIT STRING (X.690 §8.6.2, §11.2: unused bits are zero) and returns a view of it.
 * @example decodeBitString(reader.read('keyUsage'), 'keyUsage').unusedBits
 */
export function decodeBitString(element: DerElement, field: string): BitString {
  const contents = element.contents;
  if (contents.length === 0) throw derError(field, element.offset, 'empty BIT STRING');
  const unusedBits = contents[0]!;
  if (unusedBits > 7 || (contents.length === 1 && unusedBits !== 0)) {
    throw derError(field, element.contentsOffset, 'bad unused-bits count in BIT STRING');
  }
  const bytes = contents.subarray(1);
  if (unusedBits > 0 && (bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) !== 0) {
    throw derError(field, element.contentsOffset, 'unused bits of BIT STRING are not zero');
  }
  return { bytes, unusedBits };
}

/**
 * Builds the error thrown by the reader, for callers that check structure themselves.
 * @example throw derFieldError('tbsCertificate.version', 8, 'unknown version')
 */
export function derFieldError(field: string, offset: number, message: string): X509Error {
  return derError(field, offset, message);
}
