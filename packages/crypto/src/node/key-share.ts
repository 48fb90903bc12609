// Ephemeral key exchange for TLS: X25519 and X448 (RFC 7748, RFC 8446 §4.2.8.2 and §7.4.2),
// the NIST curves as uncompressed points (RFC 8446 §4.2.8.2, RFC 8422 §5.4.1), the RFC 7919
// FFDHE groups and arbitrary DH parameters (RFC 8446 §4.2.8.1 and §7.4.1, RFC 5246 §8.1.2), and
// the X25519MLKEM768 hybrid (draft-ietf-tls-ecdhe-mlkem §3, §4.1).
//
// Every function takes an optional fixed private key so that the deterministic provider can
// replay RFC 8448; the node provider always passes random ones.

import {
  type KeyObject,
  createDiffieHellman,
  createECDH,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  randomBytes,
} from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { NamedGroup, namedGroupName } from '../constants.js';
import { CryptoError } from '../errors.js';
import type { AcceptedKeyShare, KeyShare } from '../provider.js';
import { asBytes, bigIntToBytes, bytesToBigInt, concatBytes, copyBytes, leftPad } from './bytes.js';
import { ffdheGroups } from './ffdhe-groups.js';
import { generateKeyPairEncoded } from './keygen.js';

function invalidShare(group: number, why: string, cause?: unknown): CryptoError {
  return new CryptoError(
    'ERR_CRYPTO_INVALID_KEY_SHARE',
    `invalid ${group === 0 ? 'DH' : namedGroupName(group)} key share: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

function unsupportedGroup(group: number): CryptoError {
  return new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported group ${namedGroupName(group)}`);
}

function requirePrivateKeyLength(group: number, privateKey: Uint8Array, length: number): void {
  if (privateKey.length !== length) {
    throw new CryptoError(
      'ERR_CRYPTO_INVALID_LENGTH',
      `a fixed ${namedGroupName(group)} private key must be ${length} bytes, got ${privateKey.length}`,
    );
  }
}

/** OR of all bytes is zero: no early exit, as the value is a shared secret. */
function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

// --- X25519 and X448 (RFC 7748) -------------------------------------------------------------

interface MontgomeryCurve {
  readonly type: 'x25519' | 'x448';
  readonly jwkCurve: 'X25519' | 'X448';
  readonly length: number;
  /** PKCS#8 PrivateKeyInfo up to the raw key (RFC 8410 §7): version 0, the OID, an OCTET STRING. */
  readonly pkcs8Prefix: Uint8Array;
}

const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

const montgomeryCurves: Record<number, MontgomeryCurve> = {
  [NamedGroup.X25519]: {
    type: 'x25519',
    jwkCurve: 'X25519',
    length: 32,
    // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.110 }, OCTET STRING { OCTET STRING (32) } }
    pkcs8Prefix: hexBytes('302e020100300506032b656e04220420'),
  },
  [NamedGroup.X448]: {
    type: 'x448',
    jwkCurve: 'X448',
    length: 56,
    pkcs8Prefix: hexBytes('3046020100300506032b656f043a0438'),
  },
};

class MontgomeryKeyShare implements KeyShare {
  readonly group: number;
  readonly publicKey: Uint8Array;
  readonly #curve: MontgomeryCurve;
  readonly #privateKey: KeyObject;

  constructor(group: number, curve: MontgomeryCurve, privateKey: Uint8Array | undefined) {
    this.group = group;
    this.#curve = curve;
    // Import paths are chosen for speed (PERF-NOTES.md): OpenSSL 3's DER decoders cost 50-300 µs
    // per key, key generation and JWK import of a raw public key a few µs.
    let x: string | undefined;
    if (privateKey === undefined) {
      // The public key comes out of the generation job already encoded: exporting a freshly
      // generated key afterwards can deadlock Node (see generateKeyPairEncoded).
      const pair = generateKeyPairEncoded(curve.type, {}, 'jwk');
      this.#privateKey = pair.privateKey;
      x = pair.publicKey.x;
    } else {
      // Fixed keys (the deterministic provider) take the slower but exact PKCS#8 route.
      requirePrivateKeyLength(group, privateKey, curve.length);
      this.#privateKey = createPrivateKey({
        key: Buffer.concat([curve.pkcs8Prefix, privateKey]),
        format: 'der',
        type: 'pkcs8',
      });
      x = createPublicKey(this.#privateKey).export({ format: 'jwk' }).x;
    }
    if (x === undefined) throw new CryptoError('ERR_CRYPTO_INVALID_KEY', `no ${curve.type} public key`);
    this.publicKey = asBytes(Buffer.from(x, 'base64url'));
  }

  complete(peerPublicKey: Uint8Array): Uint8Array {
    const curve = this.#curve;
    // RFC 8446 §4.2.8.2: the X25519/X448 share is the raw 32/56-byte u-coordinate.
    if (peerPublicKey.length !== curve.length) {
      throw invalidShare(this.group, `expected ${curve.length} bytes, got ${peerPublicKey.length}`);
    }
    let secret: Uint8Array;
    try {
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: curve.jwkCurve, x: Buffer.from(peerPublicKey).toString('base64url') },
        format: 'jwk',
      });
      secret = diffieHellman({ privateKey: this.#privateKey, publicKey });
    } catch (error) {
      // OpenSSL refuses the all-zero output itself; either way the share is unusable.
      throw invalidShare(this.group, 'the shared secret is all zeros (RFC 7748 §6)', error);
    }
    // RFC 8446 §7.4.2 and RFC 7748 §6: an all-zero result (a small-order point) must be rejected.
    if (isAllZero(secret)) throw invalidShare(this.group, 'the shared secret is all zeros (RFC 7748 §6)');
    return asBytes(secret);
  }
}

// --- NIST curves (RFC 8446 §4.2.8.2) ---------------------------------------------------------

const ecCurves: Record<number, { readonly name: string; readonly length: number }> = {
  [NamedGroup.Secp256r1]: { name: 'prime256v1', length: 32 },
  [NamedGroup.Secp384r1]: { name: 'secp384r1', length: 48 },
  [NamedGroup.Secp521r1]: { name: 'secp521r1', length: 66 },
};

class EcKeyShare implements KeyShare {
  readonly group: number;
  readonly publicKey: Uint8Array;
  readonly #length: number;
  readonly #ecdh: ReturnType<typeof createECDH>;

  constructor(group: number, curve: { name: string; length: number }, privateKey: Uint8Array | undefined) {
    this.group = group;
    this.#length = curve.length;
    this.#ecdh = createECDH(curve.name);
    if (privateKey === undefined) {
      this.publicKey = asBytes(this.#ecdh.generateKeys());
    } else {
      requirePrivateKeyLength(group, privateKey, curve.length);
      try {
        this.#ecdh.setPrivateKey(privateKey);
      } catch (error) {
        throw new CryptoError(
          'ERR_CRYPTO_INVALID_KEY',
          `invalid fixed ${namedGroupName(group)} private key`,
          {
            cause: error,
          },
        );
      }
      this.publicKey = asBytes(this.#ecdh.getPublicKey());
    }
  }

  complete(peerPublicKey: Uint8Array): Uint8Array {
    // RFC 8446 §4.2.8.2: UncompressedPointRepresentation only: 0x04 || X || Y, fixed length.
    const expected = 1 + 2 * this.#length;
    if (peerPublicKey.length !== expected || peerPublicKey[0] !== 4) {
      throw invalidShare(this.group, `expected a ${expected}-byte uncompressed point`);
    }
    try {
      // OpenSSL checks that the point is on the curve (RFC 8446 §4.2.8.2, "MUST validate").
      return asBytes(this.#ecdh.computeSecret(peerPublicKey));
    } catch (error) {
      throw invalidShare(this.group, 'the point is not on the curve', error);
    }
  }
}

// --- Finite-field DH (RFC 7919, RFC 5246 §8.1.2) -------------------------------------------

interface DhParameters {
  readonly prime: Uint8Array;
  readonly primeValue: bigint;
  readonly generator: Uint8Array;
  readonly exponentBytes: number;
}

const ffdheParameters = new Map<number, DhParameters>();

function ffdheParametersFor(group: number): DhParameters | undefined {
  let parameters = ffdheParameters.get(group);
  if (parameters === undefined) {
    const spec = ffdheGroups[group];
    if (spec === undefined) return undefined;
    const prime = hexBytes(spec.prime);
    parameters = {
      prime,
      primeValue: bytesToBigInt(prime),
      generator: Uint8Array.of(2),
      exponentBytes: Math.ceil(spec.exponentBits / 8),
    };
    ffdheParameters.set(group, parameters);
  }
  return parameters;
}

/**
 * Exponent size for parameters we know nothing about: that of the RFC 7919 group of the same
 * size (or the next larger one), never less than 256 bits, and never more than the prime allows.
 */
function exponentBytesFor(primeBits: number): number {
  const bits =
    primeBits <= 2048
      ? 256
      : primeBits <= 3072
        ? 275
        : primeBits <= 4096
          ? 325
          : primeBits <= 6144
            ? 375
            : 400;
  return Math.min(Math.ceil(bits / 8), Math.ceil(primeBits / 8) - 1);
}

class DhKeyShare implements KeyShare {
  readonly group: number;
  readonly publicKey: Uint8Array;
  readonly #parameters: DhParameters;
  readonly #dh: ReturnType<typeof createDiffieHellman>;
  /** TLS 1.3 groups need the peer's share padded to the prime's length (RFC 8446 §4.2.8.1). */
  readonly #exactLength: boolean;

  constructor(
    group: number,
    parameters: DhParameters,
    privateKey: Uint8Array | undefined,
    exactLength: boolean,
  ) {
    this.group = group;
    this.#parameters = parameters;
    this.#exactLength = exactLength;
    this.#dh = createDiffieHellman(parameters.prime, parameters.generator);
    let exponent: Uint8Array;
    if (privateKey === undefined) {
      // RFC 7919 §5.2: a short random exponent; the top bit is set so it is never 0 or 1.
      exponent = randomBytes(parameters.exponentBytes);
      exponent[0]! |= 0x80;
    } else {
      const x = bytesToBigInt(privateKey);
      if (x < 2n || x >= parameters.primeValue - 1n) {
        throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'a fixed DH private exponent must be in 2..p-2');
      }
      exponent = privateKey;
    }
    this.#dh.setPrivateKey(exponent);
    // With the private key set, OpenSSL computes only the public value g^x mod p.
    this.publicKey = leftPad(this.#dh.generateKeys(), parameters.prime.length);
  }

  complete(peerPublicKey: Uint8Array): Uint8Array {
    const { prime, primeValue } = this.#parameters;
    if (this.#exactLength ? peerPublicKey.length !== prime.length : peerPublicKey.length > prime.length) {
      throw invalidShare(this.group, `expected ${prime.length} bytes, got ${peerPublicKey.length}`);
    }
    // RFC 7919 §5.1: the peer's y must satisfy 1 < y < p-1. y is public, so BigInt is fine.
    const y = bytesToBigInt(peerPublicKey);
    if (y <= 1n || y >= primeValue - 1n) throw invalidShare(this.group, 'y is not in 2..p-2 (RFC 7919 §5.1)');
    let secret: Uint8Array;
    try {
      secret = this.#dh.computeSecret(peerPublicKey);
    } catch (error) {
      throw invalidShare(this.group, 'rejected by OpenSSL', error);
    }
    // RFC 8446 §7.4.1: the secret is left-padded to the size of the prime.
    return secret.length === prime.length ? asBytes(secret) : leftPad(secret, prime.length);
  }
}

// --- X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem) --------------------------------------------

const mlKemPublicKeyLength = 1184;
const mlKemCiphertextLength = 1088;
const mlKemSeedLength = 64;
const mlKemMessageLength = 32;
const x25519 = montgomeryCurves[NamedGroup.X25519]!;

/** The ML-KEM-768 operations used here; node:crypto's when the running Node has them. */
interface MlKem768 {
  readonly name: string;
  keygen(seed: Uint8Array | undefined): {
    publicKey: Uint8Array;
    decapsulate(ciphertext: Uint8Array): Uint8Array;
  };
  encapsulate(
    publicKey: Uint8Array,
    message: Uint8Array | undefined,
  ): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
}

/**
 * FIPS 203 §7.2 encapsulation key check: every 12-bit coefficient of the 3 polynomials
 * (1152 bytes, two coefficients per 3 bytes) must be below q = 3329. Done here because
 * @noble/post-quantum 0.5.4's own check compares ByteEncode(ByteDecode(ek)) without the
 * reduction mod q, so it never fails. The key is public: no need for constant time.
 */
function isMlKemKeyReduced(publicKey: Uint8Array): boolean {
  for (let i = 0; i < 1152; i += 3) {
    const b1 = publicKey[i + 1]!;
    if ((publicKey[i]! | ((b1 & 0x0f) << 8)) >= 3329) return false;
    if (((b1 >> 4) | (publicKey[i + 2]! << 4)) >= 3329) return false;
  }
  return true;
}

const nobleMlKem768: MlKem768 = {
  name: '@noble/post-quantum',
  keygen(seed) {
    const { publicKey, secretKey } = ml_kem768.keygen(seed === undefined ? undefined : copyBytes(seed));
    return { publicKey, decapsulate: (ciphertext) => ml_kem768.decapsulate(ciphertext, secretKey) };
  },
  encapsulate(publicKey, message) {
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey, message);
    return { ciphertext: cipherText, sharedSecret };
  },
};

// SubjectPublicKeyInfo up to the raw key for id-alg-ml-kem-768 (2.16.840.1.101.3.4.4.2).
const mlKemSpkiPrefix = hexBytes('308204b2300b0609608648016503040402038204a100');

type NodeKem = {
  encapsulate(key: KeyObject): { sharedKey: Uint8Array; ciphertext: Uint8Array };
  decapsulate(key: KeyObject, ciphertext: Uint8Array): Uint8Array;
  getAsymmetricKeyTypes?: unknown;
};

/** node:crypto's ML-KEM (Node 24.7+), or undefined on older Node such as 20. */
function detectNodeMlKem768(): MlKem768 | undefined {
  const kem = nodeCrypto as unknown as Partial<NodeKem>;
  if (typeof kem.encapsulate !== 'function' || typeof kem.decapsulate !== 'function') return undefined;
  const encapsulate = kem.encapsulate.bind(nodeCrypto);
  const decapsulate = kem.decapsulate.bind(nodeCrypto);
  try {
    nodeCrypto.generateKeyPairSync('ml-kem-768' as 'x25519');
  } catch {
    return undefined; // encapsulate exists but this OpenSSL has no ML-KEM-768
  }
  return {
    name: 'node:crypto',
    keygen(seed) {
      // node:crypto cannot derive a key pair from a seed; fixed keys (tests) use noble.
      if (seed !== undefined) return nobleMlKem768.keygen(seed);
      const pair = generateKeyPairEncoded('ml-kem-768', {}, 'spki');
      return {
        publicKey: copyBytes(pair.publicKey.subarray(mlKemSpkiPrefix.length)),
        decapsulate: (ciphertext) => asBytes(decapsulate(pair.privateKey, ciphertext)),
      };
    },
    encapsulate(publicKey, message) {
      if (message !== undefined) return nobleMlKem768.encapsulate(publicKey, message);
      const key = createPublicKey({
        key: Buffer.concat([mlKemSpkiPrefix, publicKey]),
        format: 'der',
        type: 'spki',
      });
      const { sharedKey, ciphertext } = encapsulate(key);
      return { ciphertext: asBytes(ciphertext), sharedSecret: asBytes(sharedKey) };
    },
  };
}

let mlKem768: MlKem768 | undefined;

/** The ML-KEM-768 implementation in use: node:crypto where available, else @noble/post-quantum. */
export function activeMlKem768(): MlKem768 {
  mlKem768 ??= detectNodeMlKem768() ?? nobleMlKem768;
  return mlKem768;
}

/** Exposed for tests that check both implementations agree. */
export const nobleMlKem768ForTests: MlKem768 = nobleMlKem768;

class HybridKeyShare implements KeyShare {
  readonly group = NamedGroup.X25519MLKEM768;
  readonly publicKey: Uint8Array;
  readonly #decapsulate: (ciphertext: Uint8Array) => Uint8Array;
  readonly #x25519: MontgomeryKeyShare;

  constructor(privateKey: Uint8Array | undefined) {
    if (privateKey !== undefined)
      requirePrivateKeyLength(this.group, privateKey, mlKemSeedLength + x25519.length);
    const kem = activeMlKem768().keygen(privateKey?.subarray(0, mlKemSeedLength));
    this.#decapsulate = kem.decapsulate;
    this.#x25519 = new MontgomeryKeyShare(NamedGroup.X25519, x25519, privateKey?.subarray(mlKemSeedLength));
    // draft-ietf-tls-ecdhe-mlkem §4.1: client share = ML-KEM-768 encapsulation key || X25519 share.
    this.publicKey = concatBytes([kem.publicKey, this.#x25519.publicKey]);
  }

  complete(peerPublicKey: Uint8Array): Uint8Array {
    // Server share = ML-KEM-768 ciphertext (1088) || X25519 share (32).
    if (peerPublicKey.length !== mlKemCiphertextLength + x25519.length) {
      throw invalidShare(
        this.group,
        `expected ${mlKemCiphertextLength + x25519.length} bytes, got ${peerPublicKey.length}`,
      );
    }
    const x25519Secret = this.#x25519.complete(peerPublicKey.subarray(mlKemCiphertextLength));
    // ML-KEM decapsulation never fails on a well-sized ciphertext (implicit rejection, FIPS 203 §6.3).
    const kemSecret = this.#decapsulate(peerPublicKey.subarray(0, mlKemCiphertextLength));
    // Shared secret = ML-KEM shared secret || X25519 shared secret (draft §4.1).
    return concatBytes([kemSecret, x25519Secret]);
  }
}

function acceptHybrid(peerPublicKey: Uint8Array, privateKey: Uint8Array | undefined): AcceptedKeyShare {
  const group = NamedGroup.X25519MLKEM768;
  if (privateKey !== undefined)
    requirePrivateKeyLength(group, privateKey, mlKemMessageLength + x25519.length);
  if (peerPublicKey.length !== mlKemPublicKeyLength + x25519.length) {
    throw invalidShare(
      group,
      `expected ${mlKemPublicKeyLength + x25519.length} bytes, got ${peerPublicKey.length}`,
    );
  }
  const ecdh = new MontgomeryKeyShare(NamedGroup.X25519, x25519, privateKey?.subarray(mlKemMessageLength));
  const x25519Secret = ecdh.complete(peerPublicKey.subarray(mlKemPublicKeyLength));
  const encapsulationKey = peerPublicKey.subarray(0, mlKemPublicKeyLength);
  if (!isMlKemKeyReduced(encapsulationKey)) {
    throw invalidShare(group, 'the ML-KEM-768 encapsulation key fails the modulus check (FIPS 203 §7.2)');
  }
  let encapsulated: { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  try {
    encapsulated = activeMlKem768().encapsulate(
      encapsulationKey,
      privateKey?.subarray(0, mlKemMessageLength),
    );
  } catch (error) {
    throw invalidShare(group, 'the ML-KEM-768 encapsulation key was rejected', error);
  }
  return {
    group,
    publicKey: concatBytes([encapsulated.ciphertext, ecdh.publicKey]),
    sharedSecret: concatBytes([encapsulated.sharedSecret, x25519Secret]),
  };
}

// --- Entry points -----------------------------------------------------------------------------

/**
 * The groups implemented, most preferred first: X25519 (fast, simple to implement safely, the
 * most widely deployed), then P-256 (next most deployed; its share is larger), P-384, X448 and
 * P-521 (stronger and slower); X25519MLKEM768 after the classical curves because its share is
 * 1216 bytes and it costs more, so it goes first only where a caller's policy asks for post-quantum
 * security; the FFDHE groups last, as they are slowest and have the largest shares.
 */
export const supportedGroups: readonly number[] = Object.freeze([
  NamedGroup.X25519,
  NamedGroup.Secp256r1,
  NamedGroup.Secp384r1,
  NamedGroup.X448,
  NamedGroup.Secp521r1,
  NamedGroup.X25519MLKEM768,
  NamedGroup.Ffdhe2048,
  NamedGroup.Ffdhe3072,
  NamedGroup.Ffdhe4096,
  NamedGroup.Ffdhe6144,
  NamedGroup.Ffdhe8192,
]);

/**
 * A key share for `group`, from `privateKey` when given (the format of each group is described
 * in the deterministic provider's documentation), else a random one.
 */
export function createKeyShare(group: number, privateKey?: Uint8Array): KeyShare {
  const montgomery = montgomeryCurves[group];
  if (montgomery !== undefined) return new MontgomeryKeyShare(group, montgomery, privateKey);
  const ec = ecCurves[group];
  if (ec !== undefined) return new EcKeyShare(group, ec, privateKey);
  if (group === NamedGroup.X25519MLKEM768) return new HybridKeyShare(privateKey);
  const ffdhe = ffdheParametersFor(group);
  if (ffdhe !== undefined) return new DhKeyShare(group, ffdhe, privateKey, true);
  throw unsupportedGroup(group);
}

/** The responder's share and the shared secret for the initiator's `peerPublicKey`. */
export function acceptKeyShare(
  group: number,
  peerPublicKey: Uint8Array,
  privateKey?: Uint8Array,
): AcceptedKeyShare {
  if (group === NamedGroup.X25519MLKEM768) return acceptHybrid(peerPublicKey, privateKey);
  const share = createKeyShare(group, privateKey);
  return { group, publicKey: share.publicKey, sharedSecret: share.complete(peerPublicKey) };
}

/**
 * A DH key share over explicit parameters (TLS 1.2 DHE, RFC 5246 §7.4.3). Its `group` is 0,
 * the peer's share may omit leading zeros, and the shared secret is padded to the prime's length.
 */
export function createDhKeyShare(
  prime: Uint8Array,
  generator: Uint8Array,
  privateKey?: Uint8Array,
): KeyShare {
  const primeValue = bytesToBigInt(prime);
  const g = bytesToBigInt(generator);
  // OpenSSL 3 refuses DH moduli under 512 bits; TLS clients set their own, higher floor (Node's
  // minDHSize, 1024 by default) above this layer.
  if (primeValue < 1n << 511n || (primeValue & 1n) === 0n) {
    throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'the DH prime must be odd and at least 512 bits long');
  }
  if (g <= 1n || g >= primeValue - 1n) {
    throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'the DH generator must be in 2..p-2');
  }
  const minimal = bigIntToBytes(primeValue, Math.ceil(primeValue.toString(16).length / 2));
  const parameters: DhParameters = {
    prime: minimal,
    primeValue,
    generator: bigIntToBytes(g, Math.ceil(g.toString(16).length / 2)),
    exponentBytes: exponentBytesFor(primeValue.toString(2).length),
  };
  return new DhKeyShare(0, parameters, privateKey, false);
}

/**
 * A valid fixed private key for `group` drawn from `random` (the deterministic provider's
 * stream), in the format {@link createKeyShare} takes: the scalar for X25519/X448 and the NIST
 * curves, the exponent for FFDHE, the ML-KEM seed (64) || X25519 scalar (32) for X25519MLKEM768.
 */
export function randomPrivateKey(group: number, random: (length: number) => Uint8Array): Uint8Array {
  const montgomery = montgomeryCurves[group];
  if (montgomery !== undefined) return random(montgomery.length);
  const ec = ecCurves[group];
  if (ec !== undefined) {
    const order = bytesToBigInt(hexBytes(ecOrders[group]!));
    for (;;) {
      const scalar = random(ec.length);
      if (group === NamedGroup.Secp521r1) scalar[0]! &= 0x01;
      const value = bytesToBigInt(scalar);
      if (value >= 1n && value < order) return scalar;
    }
  }
  if (group === NamedGroup.X25519MLKEM768) return random(mlKemSeedLength + x25519.length);
  const ffdhe = ffdheParametersFor(group);
  if (ffdhe !== undefined) return randomExponent(ffdhe.exponentBytes, random);
  throw unsupportedGroup(group);
}

/** The fixed "private key" of acceptKeyShare for X25519MLKEM768: ML-KEM message (32) || X25519 scalar (32). */
export function randomHybridAcceptKey(random: (length: number) => Uint8Array): Uint8Array {
  return random(mlKemMessageLength + x25519.length);
}

/** A DH exponent for explicit parameters, sized as the node provider sizes it. */
export function randomDhExponent(prime: Uint8Array, random: (length: number) => Uint8Array): Uint8Array {
  return randomExponent(exponentBytesFor(bytesToBigInt(prime).toString(2).length), random);
}

function randomExponent(length: number, random: (length: number) => Uint8Array): Uint8Array {
  const exponent = random(length);
  exponent[0]! |= 0x80;
  return exponent;
}

// Group orders n (SEC 2 §2.4.2, §2.5.1, §2.6.1), to keep fixed scalars in 1..n-1.
const ecOrders: Record<number, string> = {
  [NamedGroup.Secp256r1]: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
  [NamedGroup.Secp384r1]:
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  [NamedGroup.Secp521r1]:
    '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
};
