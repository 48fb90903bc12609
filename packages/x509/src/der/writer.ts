// A DER writer (X.690 §10): definite minimal lengths, minimal integers. Functions return fresh
// bytes; nested values are built inside-out.

import { DerTag } from './tags.js';
import { encodeOid } from './oid.js';
import { encodeUtf8 } from './utf8.js';

/**
 * Concatenates byte arrays into a fresh one.
 * @example concatBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]) // [1, 2, 3]
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * One TLV with a minimal definite length.
 * @example encodeTlv(0x04, new Uint8Array([1])) // 04 01 01
 */
export function encodeTlv(tag: number, contents: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const body = contents instanceof Uint8Array ? contents : concatBytes(contents);
  const length = body.length;
  let header: number[];
  if (length < 0x80) {
    header = [tag, length];
  } else {
    const lengthBytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    header = [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/**
 * SEQUENCE of already-encoded elements.
 * @example encodeSequence([encodeInteger(0)]) // 30 03 02 01 00
 */
export function encodeSequence(items: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(DerTag.Sequence, items);
}

/**
 * SET OF: DER sorts the encodings (X.690 §11.6).
 * @example encodeSetOf([encodeSequence([encodeObjectIdentifier('2.5.4.3'), encodeString('x', DerTag.Utf8String)])])
 */
export function encodeSetOf(items: readonly Uint8Array[]): Uint8Array {
  const sorted = [...items].sort(compareBytes);
  return encodeTlv(DerTag.Set, sorted);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * INTEGER from a bigint or number (minimal two's complement).
 * @example encodeInteger(128) // 02 02 00 80
 */
export function encodeInteger(value: bigint | number, tag: number = DerTag.Integer): Uint8Array {
  let v = BigInt(value);
  const bytes: number[] = [];
  if (v === 0n) bytes.push(0);
  const negative = v < 0n;
  while (v !== 0n && v !== -1n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  if (negative && (bytes.length === 0 || !(bytes[0]! & 0x80))) bytes.unshift(0xff);
  if (!negative && bytes[0]! & 0x80) bytes.unshift(0);
  return encodeTlv(tag, Uint8Array.from(bytes));
}

/**
 * INTEGER from unsigned big-endian magnitude bytes (e.g. an RSA modulus or a serial).
 * @example encodeUnsignedInteger(Uint8Array.of(0xff)) // 02 02 00 ff
 */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  if (trimmed.length === 0) return encodeTlv(DerTag.Integer, new Uint8Array([0]));
  return trimmed[0]! & 0x80
    ? encodeTlv(DerTag.Integer, [new Uint8Array([0]), trimmed])
    : encodeTlv(DerTag.Integer, trimmed);
}

/**
 * BOOLEAN as DER requires (X.690 §11.1): 0xFF for true.
 * @example encodeBoolean(true) // 01 01 ff
 */
export function encodeBoolean(value: boolean): Uint8Array {
  return encodeTlv(DerTag.Boolean, new Uint8Array([value ? 0xff : 0]));
}

/**
 * NULL.
 * @example encodeNull() // 05 00
 */
export function encodeNull(): Uint8Array {
  return new Uint8Array([DerTag.Null, 0]);
}

/**
 * OBJECT IDENTIFIER from dotted text.
 * @throws X509Error `ERR_X509_DER` for an invalid OID.
 * @example encodeObjectIdentifier('2.5.4.3') // 06 03 55 04 03
 */
export function encodeObjectIdentifier(oid: string): Uint8Array {
  return encodeTlv(DerTag.ObjectIdentifier, encodeOid(oid));
}

/**
 * OCTET STRING (or an implicitly tagged primitive with `tag`).
 * @example encodeOctetString(Uint8Array.of(1)) // 04 01 01
 */
export function encodeOctetString(bytes: Uint8Array, tag: number = DerTag.OctetString): Uint8Array {
  return encodeTlv(tag, bytes);
}

/**
 * BIT STRING with `unusedBits` unused bits in the last byte (X.690 §8.6).
 * @example encodeBitString(Uint8Array.of(0x80), 7) // 03 02 07 80
 */
export function encodeBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return encodeTlv(DerTag.BitString, [new Uint8Array([unusedBits]), bytes]);
}

/**
 * UTF8String, PrintableString or IA5String contents from text (caller picks a valid type).
 * @example encodeString('example.com', DerTag.Ia5String) // 16 0b 65 78 …
 */
export function encodeString(text: string, tag: number): Uint8Array {
  if (tag === DerTag.Utf8String) return encodeTlv(tag, encodeUtf8(text));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return encodeTlv(tag, bytes);
}

/**
 * A time as RFC 5280 §4.1.2.5 requires: UTCTime through 2049, GeneralizedTime from 2050.
 * @example encodeTime(Date.UTC(2030, 0, 1)) // UTCTime 300101000000Z
 */
export function encodeTime(milliseconds: number): Uint8Array {
  const date = new Date(milliseconds);
  const year = date.getUTCFullYear();
  const two = (n: number) => n.toString().padStart(2, '0');
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) return encodeString(`${two(year % 100)}${rest}`, DerTag.UtcTime);
  return encodeString(`${year.toString().padStart(4, '0')}${rest}`, DerTag.GeneralizedTime);
}
