// Key derivation over node:crypto HMAC: HKDF (RFC 5869 §2), HKDF-Expand-Label and Derive-Secret
// (RFC 8446 §7.1), the TLS 1.2 PRF (RFC 5246 §5), the TLS 1.0/1.1 PRF (RFC 2246 §5) and PBKDF2
// (RFC 8018 §5.2, through OpenSSL's pbkdf2Sync).
//
// HKDF is built from HMAC rather than crypto.hkdfSync: a TLS 1.3 key schedule makes a dozen short
// expansions, and createHmac is about 4x cheaper per call (PERF-NOTES.md); the one-shot HMAC of
// hash.ts (two `crypto.hash` digests, no native object) halves that again where Node has it.

import { pbkdf2Sync } from 'node:crypto';
import { CryptoError } from '../errors.js';
import type { HashName, PrfAlgorithm } from '../provider.js';
import { nodeHashLength, nodeHmac } from './hash.js';
import { asBytes, prefixViews } from './bytes.js';

const encoder = new TextEncoder();
const zeroSalts = new Map<number, Uint8Array>();

function zeroSalt(length: number): Uint8Array {
  let salt = zeroSalts.get(length);
  if (salt === undefined) {
    salt = new Uint8Array(length);
    zeroSalts.set(length, salt);
  }
  return salt;
}

/** HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zeros. */
export function hkdfExtract(hash: HashName, salt: Uint8Array | undefined, ikm: Uint8Array): Uint8Array {
  return nodeHmac(hash, salt ?? zeroSalt(nodeHashLength(hash)), ikm);
}

/**
 * HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC-Hash(PRK, T(i-1) | info | i), output the first
 * `length` bytes of T(1) | T(2) | ...
 */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const hashLength = nodeHashLength(hash);
  // RFC 5869 §2.3: L <= 255*HashLen, since the block counter is one octet.
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLength) {
    throw new RangeError(`HKDF-Expand length must be an integer in 0..${255 * hashLength}, got ${length}`);
  }
  if (length <= hashLength) {
    // One pair of parts for every call: the HMAC reads them at once and keeps neither.
    expandParts[0] = info;
    const block = nodeHmac(hash, prk, expandParts, length);
    expandParts[0] = counterBytes[0]!;
    return block;
  }
  const out = new Uint8Array(length);
  let previous: Uint8Array | undefined;
  let offset = 0;
  for (let counter = 1; offset < length; counter++) {
    const counterByte = counterBytes[counter]!;
    previous = nodeHmac(
      hash,
      prk,
      previous === undefined ? [info, counterByte] : [previous, info, counterByte],
    );
    const take = Math.min(previous.length, length - offset);
    out.set(take === previous.length ? previous : previous.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

const counterBytes: readonly Uint8Array[] = Array.from({ length: 256 }, (_, i) => Uint8Array.of(i));
const expandParts: Uint8Array[] = [counterBytes[0]!, counterBytes[1]!];

/**
 * HKDF-Expand-Label (RFC 8446 §7.1): the HkdfLabel struct is
 * `uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>`.
 */
export function hkdfExpandLabel(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const labelBytes = tls13Label(label);
  if (labelBytes.length > 255) {
    throw new CryptoError('ERR_CRYPTO_INVALID_LENGTH', 'HKDF label longer than 255 bytes (RFC 8446 §7.1)');
  }
  if (context.length > 255) {
    throw new CryptoError('ERR_CRYPTO_INVALID_LENGTH', 'HKDF context longer than 255 bytes (RFC 8446 §7.1)');
  }
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) {
    throw new RangeError(`HKDF-Expand-Label length must be an integer in 0..65535, got ${length}`);
  }
  // Assembled in one shared buffer: HMAC reads its input during the call and keeps nothing, and a
  // handshake makes some fifty of these (an ArrayBuffer each was a seventh of its allocation).
  const info = infoScratch;
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = labelBytes.length;
  info.set(labelBytes, 3);
  info[3 + labelBytes.length] = context.length;
  info.set(context, 4 + labelBytes.length);
  return hkdfExpand(hash, secret, infoView(4 + labelBytes.length + context.length), length);
}

/** Room for the largest HkdfLabel: two length bytes, then a label and a context of 255 bytes each. */
const infoScratch = new Uint8Array(2 + 1 + 255 + 1 + 255);
const infoView = prefixViews(infoScratch);

/**
 * `"tls13 " + label` encoded, remembered for the labels the key schedule uses again and again
 * (a handful); at most 64 are kept, since exporters bring labels of their callers' choosing.
 */
const labelCache = new Map<string, Uint8Array>();
function tls13Label(label: string): Uint8Array {
  let bytes = labelCache.get(label);
  if (bytes === undefined) {
    bytes = encoder.encode(`tls13 ${label}`);
    if (labelCache.size < 64) labelCache.set(label, bytes);
  }
  return bytes;
}

/** Derive-Secret (RFC 8446 §7.1) = HKDF-Expand-Label(Secret, Label, Transcript-Hash, Hash.length). */
export function deriveSecret(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(hash, secret, label, transcriptHash, nodeHashLength(hash));
}

/**
 * P_hash (RFC 5246 §5): A(0) = seed, A(i) = HMAC(secret, A(i-1)), output
 * HMAC(secret, A(1) + seed) | HMAC(secret, A(2) + seed) | ... truncated to `length`.
 * The seed is passed as parts (label, seed) so it is never concatenated.
 */
function pHash(
  hash: 'md5' | 'sha1' | 'sha256' | 'sha384',
  secret: Uint8Array,
  seedParts: readonly Uint8Array[],
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let a: Uint8Array | undefined;
  let offset = 0;
  while (offset < length) {
    a = nodeHmac(hash, secret, a === undefined ? seedParts : a);
    const output = nodeHmac(hash, secret, [a, ...seedParts]);
    const take = Math.min(output.length, length - offset);
    out.set(take === output.length ? output : output.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

/**
 * PRF(secret, label, seed) of TLS 1.2 (RFC 5246 §5, P_SHA256 or P_SHA384) or of TLS 1.0/1.1
 * (RFC 2246 §5: P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed), where S1 and S2 are the
 * first and last ceil(len/2) bytes of the secret, sharing the middle byte when len is odd).
 */
export function prf(
  algorithm: PrfAlgorithm,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`PRF length must be a non-negative integer, got ${length}`);
  }
  const seedParts = [encoder.encode(label), seed];
  switch (algorithm) {
    case 'sha256':
    case 'sha384':
      return pHash(algorithm, secret, seedParts, length);
    case 'tls10': {
      const half = Math.ceil(secret.length / 2);
      const md5 = pHash('md5', secret.subarray(0, half), seedParts, length);
      const sha1 = pHash('sha1', secret.subarray(secret.length - half), seedParts, length);
      for (let i = 0; i < length; i++) md5[i]! ^= sha1[i]!;
      return md5;
    }
    default:
      throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported PRF ${String(algorithm)}`);
  }
}

/** PBKDF2 (RFC 8018 §5.2) with HMAC-`hash`; OpenSSL computes it (pbkdf2Sync). */
export function pbkdf2(
  hash: HashName,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`PBKDF2 iterations must be a positive integer, got ${iterations}`);
  }
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`PBKDF2 length must be a non-negative integer, got ${length}`);
  }
  if (hash === 'md5-sha1') {
    throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', 'PBKDF2 needs a single hash, not md5-sha1');
  }
  nodeHashLength(hash); // throws ERR_CRYPTO_UNSUPPORTED_ALGORITHM for unknown names
  return asBytes(pbkdf2Sync(password, salt, iterations, length, hash));
}
