// The node:crypto CryptoProvider: OpenSSL underneath for every primitive (DESIGN.md), with the
// TLS-specific constructions (HKDF-Expand-Label, PRF, key-share encodings, the static-RSA
// premaster check) written here against their RFCs.

import { getRandomValues, randomBytes, randomFillSync } from 'node:crypto';
import type { CryptoProvider } from '../provider.js';
import { createNodeAead, createNodeBlockCipher } from './aead.js';
import { asBytes } from './bytes.js';
import {
  createNodeHash,
  createNodeHmac,
  nodeHash,
  nodeHashLength,
  nodeHmac,
  nodeTimingSafeEqual,
} from './hash.js';
import { acceptKeyShare, createDhKeyShare, createKeyShare, supportedGroups } from './key-share.js';
import { exportPrivateKey, generateKeyPair, importPrivateKey, importPublicKey } from './keys.js';
import { rsaDecryptPremaster, rsaEncryptPkcs1 } from './rsa-key-exchange.js';
import { isSchemeCompatible, sign, verify } from './signature.js';
import { deriveSecret, hkdfExpand, hkdfExpandLabel, hkdfExtract, pbkdf2, prf } from './kdf.js';

// Small requests (randoms, session ids, ticket nonces and ivs: several per handshake) are served
// from a pool refilled 4 KiB at a time, one call into OpenSSL instead of one each, as Node's
// randomUUID does. Every byte is handed out once and zeroed in the pool as it leaves.
const poolSize = 4096;
const poolMaxRequest = 256;
const pool = new Uint8Array(poolSize);
let poolOffset = poolSize;

function random(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`random length must be a non-negative integer, got ${length}`);
  }
  if (length <= poolMaxRequest) {
    if (poolOffset + length > poolSize) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const bytes = pool.slice(poolOffset, poolOffset + length);
    pool.fill(0, poolOffset, poolOffset + length);
    poolOffset += length;
    return bytes;
  }
  // getRandomValues fills at most 65536 bytes per call; randomBytes has no such limit.
  if (length <= 65536) return getRandomValues(new Uint8Array(length));
  return asBytes(randomBytes(length));
}

/**
 * A CryptoProvider over node:crypto (OpenSSL). Stateless apart from key objects, so one instance
 * can serve any number of connections; {@link nodeCryptoProvider} is a shared one.
 *
 * @example
 * ```ts
 * // createNodeCryptoProvider comes from the @tls/crypto/node entry
 * const provider = createNodeCryptoProvider();
 * const prk = provider.hkdfExtract('sha256', undefined, new Uint8Array(32));
 * ```
 */
export function createNodeCryptoProvider(): CryptoProvider {
  return {
    name: `node:crypto (OpenSSL ${process.versions.openssl})`,
    random,
    now: () => Date.now(),
    timingSafeEqual: nodeTimingSafeEqual,
    hashLength: nodeHashLength,
    hash: (hash, data) => asBytes(nodeHash(hash, data)),
    createHash: createNodeHash,
    hmac: (hash, key, data) => nodeHmac(hash, key, data),
    createHmac: createNodeHmac,
    hkdfExtract,
    hkdfExpand,
    hkdfExpandLabel,
    deriveSecret,
    prf,
    pbkdf2,
    createAead: createNodeAead,
    createBlockCipher: createNodeBlockCipher,
    supportedGroups,
    generateKeyShare: (group) => createKeyShare(group),
    acceptKeyShare: (group, peerPublicKey) => acceptKeyShare(group, peerPublicKey),
    generateDhKeyShare: (prime, generator) => createDhKeyShare(prime, generator),
    importPrivateKey,
    importPublicKey,
    generateKeyPair,
    exportPrivateKey,
    isSchemeCompatible,
    sign,
    verify,
    rsaEncryptPkcs1,
    rsaDecryptPremaster: (key, ciphertext, clientVersion) =>
      rsaDecryptPremaster(key, ciphertext, clientVersion, random),
  };
}
