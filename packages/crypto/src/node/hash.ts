// Hashes and HMAC over node:crypto (FIPS 180-4, RFC 2104), plus constant-time comparison.

import * as nodeCrypto from 'node:crypto';
import { type Hash, type Hmac, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CryptoError } from '../errors.js';
import type { HashContext, HashName, HmacContext } from '../provider.js';
import { asBytes, prefixViews } from './bytes.js';

const hashLengths: Record<HashName, number> = {
  md5: 16,
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
  'md5-sha1': 36,
};

export function nodeHashLength(hash: HashName): number {
  const length = hashLengths[hash];
  if (length === undefined)
    throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported hash ${String(hash)}`);
  return length;
}

class NodeHashContext implements HashContext {
  readonly #hash: Hash;

  constructor(hash: Hash) {
    this.#hash = hash;
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): Uint8Array {
    return asBytes(this.#hash.copy().digest());
  }

  clone(): HashContext {
    return new NodeHashContext(this.#hash.copy());
  }
}

export function createNodeHash(hash: HashName): HashContext {
  nodeHashLength(hash);
  return new NodeHashContext(createHash(hash));
}

// One-shot digests without objects. `crypto.hash` (Node 20.12 and later) digests in one call and,
// asked for a 'binary' (latin1) string, allocates nothing outside V8's heap; createHash/createHmac make a
// native object and a Buffer per call, which the garbage collector then finalizes and frees one by
// one. A TLS 1.3 handshake makes some twenty-five HMACs per side: through two one-shot digests
// each (RFC 2104) they cost half as much, and the results (at most 64 bytes) live on V8's heap.
const oneShotHash: typeof nodeCrypto.hash | undefined =
  typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined;

/** Block sizes (RFC 2104's B) of the hashes the one-shot path serves. */
const blockSizes: Partial<Record<HashName, number>> = {
  md5: 64,
  sha1: 64,
  sha256: 64,
  sha384: 128,
  sha512: 128,
};

/** Inputs up to this size take the one-shot path (copied once into the scratch below). */
const oneShotLimit = 1024;
/** Block, then message: the HMAC inner and outer inputs are assembled here and zeroed after. */
const scratch = new Uint8Array(128 + oneShotLimit);
/** Views of the scratch's first bytes by length (crypto.hash takes no offset or length). */
const scratchView = prefixViews(scratch);
/** The scratch's block as 32-bit words, for the pad XORs (every byte of a word gets the same pad). */
const scratchWords = new Uint32Array(scratch.buffer, 0, 32);

function totalLength(data: Uint8Array | readonly Uint8Array[]): number {
  if (data instanceof Uint8Array) return data.length;
  let length = 0;
  for (const part of data) length += part.length;
  return length;
}

function copyInto(target: Uint8Array, offset: number, data: Uint8Array | readonly Uint8Array[]): void {
  if (data instanceof Uint8Array) {
    target.set(data, offset);
    return;
  }
  for (const part of data) {
    target.set(part, offset);
    offset += part.length;
  }
}

/** The first `length` bytes of a 'binary' (latin1) digest string, in a fresh array. */
function digestBytes(digest: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = digest.charCodeAt(i);
  return out;
}

/** Hash(data) in one call, or undefined when the one-shot path does not serve this input. */
function oneShotDigest(hash: HashName, data: Uint8Array | readonly Uint8Array[]): Uint8Array | undefined {
  if (oneShotHash === undefined || blockSizes[hash] === undefined) return undefined;
  if (data instanceof Uint8Array) return digestBytes(oneShotHash(hash, data, 'binary'), hashLengths[hash]);
  const length = totalLength(data);
  if (length > oneShotLimit) return undefined;
  copyInto(scratch, 0, data);
  const digest = oneShotHash(hash, scratchView(length), 'binary');
  scratch.fill(0, 0, length);
  return digestBytes(digest, hashLengths[hash]);
}

/**
 * HMAC(key, data) (RFC 2104: H((K ^ opad) | H((K ^ ipad) | data))), its first `length` bytes, from
 * two one-shot digests; undefined when the one-shot path does not serve this input.
 */
function oneShotHmac(
  hash: HashName,
  key: Uint8Array,
  data: Uint8Array | readonly Uint8Array[],
  length: number,
): Uint8Array | undefined {
  const block = blockSizes[hash];
  if (oneShotHash === undefined || block === undefined) return undefined;
  const dataLength = totalLength(data);
  if (dataLength > oneShotLimit) return undefined;
  // RFC 2104 §2: a key longer than the block is hashed first.
  const k = key.length > block ? digestBytes(oneShotHash(hash, key, 'binary'), hashLengths[hash]) : key;
  const s = scratch;
  // The key padded with zeros to the block, XORed with ipad a word at a time.
  s.set(k, 0);
  s.fill(0, k.length, block);
  const words = block >>> 2;
  for (let i = 0; i < words; i++) scratchWords[i]! ^= 0x36363636;
  copyInto(s, block, data);
  const inner = oneShotHash(hash, scratchView(block + dataLength), 'binary');
  // K ^ ipad becomes K ^ opad: 0x36 ^ 0x6a = 0x5c.
  for (let i = 0; i < words; i++) scratchWords[i]! ^= 0x6a6a6a6a;
  for (let i = 0; i < inner.length; i++) s[block + i] = inner.charCodeAt(i);
  const outer = oneShotHash(hash, scratchView(block + inner.length), 'binary');
  s.fill(0, 0, block + Math.max(dataLength, inner.length));
  return digestBytes(outer, length);
}

export function nodeHash(hash: HashName, data: Uint8Array | readonly Uint8Array[]): Uint8Array {
  nodeHashLength(hash);
  const fast = oneShotDigest(hash, data);
  if (fast !== undefined) return fast;
  const context = createHash(hash);
  if (data instanceof Uint8Array) context.update(data);
  else for (const part of data) context.update(part);
  return context.digest();
}

class NodeHmacContext implements HmacContext {
  readonly #hmac: Hmac;

  constructor(hmac: Hmac) {
    this.#hmac = hmac;
  }

  update(data: Uint8Array): void {
    this.#hmac.update(data);
  }

  digest(): Uint8Array {
    return asBytes(this.#hmac.digest());
  }
}

export function createNodeHmac(hash: HashName, key: Uint8Array): HmacContext {
  nodeHashLength(hash);
  return new NodeHmacContext(createHmac(hash, key));
}

/**
 * HMAC(key, data), or its first `length` bytes: the one-shot path where it serves, node:crypto's
 * Hmac otherwise. A plain Uint8Array either way.
 */
export function nodeHmac(
  hash: HashName,
  key: Uint8Array,
  data: Uint8Array | readonly Uint8Array[],
  length = nodeHashLength(hash),
): Uint8Array {
  const fast = oneShotHmac(hash, key, data, length);
  if (fast !== undefined) return fast;
  const context = createHmac(hash, key);
  if (data instanceof Uint8Array) context.update(data);
  else for (const part of data) context.update(part);
  const digest = asBytes(context.digest());
  return length === digest.length ? digest : digest.subarray(0, length);
}

export function nodeTimingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // The lengths of MACs, Finished values and tickets are public; only their contents are secret.
  return a.length === b.length && timingSafeEqual(a, b);
}
