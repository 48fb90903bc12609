// Hashes and HMAC over node:crypto (FIPS 180-4, RFC 2104), plus constant-time comparison.

import { type Hash, type Hmac, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CryptoError } from '../errors.js';
import type { HashContext, HashName, HmacContext } from '../provider.js';
import { asBytes } from './bytes.js';

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

export function nodeHash(hash: HashName, data: Uint8Array | readonly Uint8Array[]): Uint8Array {
  nodeHashLength(hash);
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

export function nodeHmac(
  hash: HashName,
  key: Uint8Array,
  data: Uint8Array | readonly Uint8Array[],
): Uint8Array {
  nodeHashLength(hash);
  const context = createHmac(hash, key);
  if (data instanceof Uint8Array) context.update(data);
  else for (const part of data) context.update(part);
  return context.digest();
}

export function nodeTimingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // The lengths of MACs, Finished values and tickets are public; only their contents are secret.
  return a.length === b.length && timingSafeEqual(a, b);
}
