// A fast path for importing the common SubjectPublicKeyInfo shapes (RFC 5280 §4.1.2.7): RSA
// (RFC 3279 §2.3.1), EC with a named curve and an uncompressed point (RFC 5480 §2), Ed25519 and
// Ed448 (RFC 8410 §4). OpenSSL 3's DER decoder costs 60-90 µs per key; handing node the same key
// as a JWK costs 4-40 µs, and certificate chains import a key per certificate.
//
// The parser is strict DER: anything it does not recognise exactly (other algorithms, parameters,
// long-form lengths where short ones fit, trailing bytes, compressed points) returns undefined and
// the caller falls back to node's decoder, which then accepts or rejects the input as it would
// have anyway. So the fast path can only ever accept a subset of what node accepts.

import { type JsonWebKey, type KeyObject, createPublicKey } from 'node:crypto';

interface Element {
  readonly tag: number;
  /** Offset of the contents. */
  readonly start: number;
  /** Offset just past the contents. */
  readonly end: number;
}

/** One DER element at `offset`, with minimal definite length; undefined when malformed. */
function readElement(der: Uint8Array, offset: number, limit: number): Element | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = der[offset]!;
  const first = der[offset + 1]!;
  let length: number;
  let start: number;
  if (first < 0x80) {
    length = first;
    start = offset + 2;
  } else if (first === 0x81) {
    if (offset + 3 > limit) return undefined;
    length = der[offset + 2]!;
    if (length < 0x80) return undefined; // not minimal
    start = offset + 3;
  } else if (first === 0x82) {
    if (offset + 4 > limit) return undefined;
    length = (der[offset + 2]! << 8) | der[offset + 3]!;
    if (length < 0x100) return undefined; // not minimal
    start = offset + 4;
  } else {
    return undefined; // indefinite or longer than 64 KiB: not a key we take the fast path for
  }
  const end = start + length;
  if (end > limit) return undefined;
  return { tag, start, end };
}

function equals(der: Uint8Array, element: Element, expected: Uint8Array): boolean {
  if (element.end - element.start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (der[element.start + i] !== expected[i]) return false;
  return true;
}

const oid = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const rsaEncryption = oid('2a864886f70d010101'); // 1.2.840.113549.1.1.1
const ecPublicKey = oid('2a8648ce3d0201'); // 1.2.840.10045.2.1
const ed25519 = oid('2b6570'); // 1.3.101.112
const ed448 = oid('2b6571'); // 1.3.101.113
const curves: ReadonlyArray<{ oid: Uint8Array; crv: string; length: number }> = [
  { oid: oid('2a8648ce3d030107'), crv: 'P-256', length: 32 }, // 1.2.840.10045.3.1.7
  { oid: oid('2b81040022'), crv: 'P-384', length: 48 }, // 1.3.132.0.34
  { oid: oid('2b81040023'), crv: 'P-521', length: 66 }, // 1.3.132.0.35
];

const base64url = (der: Uint8Array, start: number, end: number): string =>
  Buffer.from(der.buffer, der.byteOffset + start, end - start).toString('base64url');

/** A positive minimal DER INTEGER's magnitude as base64url, or undefined. */
function unsignedInteger(der: Uint8Array, element: Element): string | undefined {
  if (element.tag !== 0x02 || element.end === element.start) return undefined;
  const first = der[element.start]!;
  if (first >= 0x80) return undefined; // negative
  let start = element.start;
  if (first === 0) {
    if (element.end - start < 2 || der[start + 1]! < 0x80) return undefined; // not minimal
    start++;
  }
  return base64url(der, start, element.end);
}

function jwkOf(der: Uint8Array): JsonWebKey | undefined {
  const spki = readElement(der, 0, der.length);
  if (spki === undefined || spki.tag !== 0x30 || spki.end !== der.length) return undefined;
  const algorithm = readElement(der, spki.start, spki.end);
  if (algorithm === undefined || algorithm.tag !== 0x30) return undefined;
  const bits = readElement(der, algorithm.end, spki.end);
  if (bits === undefined || bits.tag !== 0x03 || bits.end !== spki.end || bits.end === bits.start)
    return undefined;
  if (der[bits.start] !== 0) return undefined; // unused bits
  const keyStart = bits.start + 1;
  const identifier = readElement(der, algorithm.start, algorithm.end);
  if (identifier === undefined || identifier.tag !== 0x06) return undefined;
  const parameters =
    identifier.end === algorithm.end ? undefined : readElement(der, identifier.end, algorithm.end);
  if (parameters !== undefined && parameters.end !== algorithm.end) return undefined;

  if (equals(der, identifier, rsaEncryption)) {
    // RFC 3279 §2.3.1: parameters NULL; RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
    if (parameters === undefined || parameters.tag !== 0x05 || parameters.end !== parameters.start)
      return undefined;
    const sequence = readElement(der, keyStart, bits.end);
    if (sequence === undefined || sequence.tag !== 0x30 || sequence.end !== bits.end) return undefined;
    const modulus = readElement(der, sequence.start, sequence.end);
    if (modulus === undefined) return undefined;
    const exponent = readElement(der, modulus.end, sequence.end);
    if (exponent === undefined || exponent.end !== sequence.end) return undefined;
    const n = unsignedInteger(der, modulus);
    const e = unsignedInteger(der, exponent);
    return n === undefined || e === undefined ? undefined : { kty: 'RSA', n, e };
  }
  if (equals(der, identifier, ecPublicKey)) {
    // RFC 5480 §2.1.1: parameters are the namedCurve OID; the key is 04 || x || y here.
    if (parameters === undefined || parameters.tag !== 0x06) return undefined;
    const curve = curves.find((candidate) => equals(der, parameters, candidate.oid));
    if (curve === undefined) return undefined;
    if (bits.end - keyStart !== 1 + 2 * curve.length || der[keyStart] !== 0x04) return undefined;
    const xStart = keyStart + 1;
    const yStart = xStart + curve.length;
    return {
      kty: 'EC',
      crv: curve.crv,
      x: base64url(der, xStart, yStart),
      y: base64url(der, yStart, bits.end),
    };
  }
  const okp = equals(der, identifier, ed25519)
    ? { crv: 'Ed25519', length: 32 }
    : equals(der, identifier, ed448)
      ? { crv: 'Ed448', length: 57 }
      : undefined;
  // RFC 8410 §3: the parameters MUST be absent.
  if (okp === undefined || parameters !== undefined || bits.end - keyStart !== okp.length) return undefined;
  return { kty: 'OKP', crv: okp.crv, x: base64url(der, keyStart, bits.end) };
}

/**
 * The KeyObject of a SubjectPublicKeyInfo in one of the common shapes, or undefined when the
 * caller must use node's DER decoder (other shapes, or node rejects the JWK, e.g. an EC point
 * that is not on the curve).
 */
export function publicKeyFromSpki(der: Uint8Array): KeyObject | undefined {
  const jwk = jwkOf(der);
  if (jwk === undefined) return undefined;
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return undefined; // the DER decoder gives the authoritative verdict and error
  }
}
