// Asymmetric keys over node:crypto KeyObjects: import of PKCS#8 (RFC 5958, encrypted per
// RFC 5958 §3 / RFC 8018), PKCS#1 (RFC 8017 Appendix A.1), SEC1 (RFC 5915) and OpenSSL's
// traditional encrypted PEM; SubjectPublicKeyInfo (RFC 5280 §4.1.2.7); generation and PKCS#8
// export. The KeyObject stays in a module WeakMap, so a key object prints and serialises as its
// public fields only.

import { type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { generateKeyPairEncoded } from './keygen.js';
import { CryptoError } from '../errors.js';
import type {
  EcCurve,
  KeyPairSpec,
  KeyType,
  PrivateKey,
  PrivateKeyInput,
  PublicKey,
  PublicKeyInput,
} from '../provider.js';
import { copyBytes } from './bytes.js';
import { publicKeyFromSpki } from './spki.js';

/** What the signature code needs besides the KeyObject. */
export interface KeyRecord {
  readonly keyObject: KeyObject;
  /** RSASSA-PSS parameters bound to an rsa-pss key (RFC 4055 §3.1), when it has them. */
  readonly pssHash?: string;
  readonly pssSaltLength?: number;
}

const records = new WeakMap<object, KeyRecord>();

const curveNames: Record<string, EcCurve> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};
const curveBits: Record<EcCurve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };
const opensslCurves: Record<EcCurve, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

function describeKey(keyObject: KeyObject): { type: KeyType; bits: number; curve?: EcCurve } {
  const type = keyObject.asymmetricKeyType;
  const details = keyObject.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
      return { type, bits: details.modulusLength ?? 0 };
    case 'ec': {
      const curve = curveNames[details.namedCurve ?? ''];
      if (curve === undefined) {
        throw new CryptoError(
          'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
          `unsupported EC curve ${String(details.namedCurve)} (P-256, P-384 and P-521 are supported)`,
        );
      }
      return { type, bits: curveBits[curve], curve };
    }
    case 'ed25519':
      return { type, bits: 256 };
    case 'ed448':
      return { type, bits: 456 };
    default:
      throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported key type ${String(type)}`);
  }
}

function recordFor(keyObject: KeyObject): KeyRecord {
  const details = keyObject.asymmetricKeyDetails ?? {};
  if (keyObject.asymmetricKeyType === 'rsa-pss' && details.hashAlgorithm !== undefined) {
    return { keyObject, pssHash: details.hashAlgorithm, pssSaltLength: details.saltLength ?? 0 };
  }
  return { keyObject };
}

class NodePublicKey implements PublicKey {
  readonly type: KeyType;
  readonly bits: number;
  readonly curve?: EcCurve;
  #spki: Uint8Array | undefined;

  /** `spki`: the caller's exact DER encoding of this key, when it has one. */
  constructor(keyObject: KeyObject, spki?: Uint8Array) {
    this.#spki = spki;
    const { type, bits, curve } = describeKey(keyObject);
    this.type = type;
    this.bits = bits;
    if (curve !== undefined) this.curve = curve;
    records.set(this, recordFor(keyObject));
    Object.freeze(this);
  }

  /** Encoded on first use: OpenSSL 3's DER encoder costs ~50 µs, and most keys never need it. */
  get spki(): Uint8Array {
    this.#spki ??= copyBytes(keyRecordOf(this).keyObject.export({ format: 'der', type: 'spki' }));
    return this.#spki;
  }
}

class NodePrivateKey implements PrivateKey {
  readonly type: KeyType;
  readonly bits: number;
  readonly curve?: EcCurve;
  readonly publicKey: PublicKey;

  constructor(keyObject: KeyObject) {
    const { type, bits, curve } = describeKey(keyObject);
    this.type = type;
    this.bits = bits;
    if (curve !== undefined) this.curve = curve;
    this.publicKey = new NodePublicKey(createPublicKey(keyObject));
    records.set(this, recordFor(keyObject));
    Object.freeze(this);
  }

  /** Never print key material, whatever inspects the object. */
  toJSON(): object {
    return { type: this.type, bits: this.bits, curve: this.curve };
  }
}

/**
 * The node record of a key this module created. A public key from another copy of this package
 * (ESM and CJS both loaded) is re-imported from its SPKI; a foreign private key cannot be used.
 * @throws CryptoError `ERR_CRYPTO_INVALID_KEY` for a private key this provider did not create.
 */
export function keyRecordOf(key: PublicKey | PrivateKey): KeyRecord {
  const record = records.get(key);
  if (record !== undefined) return record;
  if ('spki' in key && key.spki instanceof Uint8Array) {
    const keyObject = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
    const fresh = recordFor(keyObject);
    records.set(key, fresh);
    return fresh;
  }
  throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'the private key was not created by this provider');
}

export function isPrivateKey(key: PublicKey | PrivateKey): key is PrivateKey {
  return 'publicKey' in key;
}

const pemLabel = /-----BEGIN ([A-Z0-9 ]+)-----/;
/** A lone SPKI PEM block without headers (RFC 7468 §13), for the fast import path. */
const spkiPem = /^\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----\s*$/;

/** Whether the input is an encrypted private key (so a failure means a wrong passphrase). */
function isEncrypted(key: string | Uint8Array, format: 'pem' | 'der'): boolean {
  if (format === 'pem') {
    const text = typeof key === 'string' ? key : new TextDecoder().decode(key);
    // PKCS#8 EncryptedPrivateKeyInfo (RFC 5958 §3), or OpenSSL's traditional "Proc-Type: 4,ENCRYPTED".
    return pemLabel.exec(text)?.[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(text);
  }
  // DER: EncryptedPrivateKeyInfo (RFC 5958 §3) is SEQUENCE { SEQUENCE { OID ... } ... } whose
  // OID is a PKCS #5 scheme (1.2.840.113549.1.5.*, RFC 8018) or a PKCS #12 PBE one
  // (1.2.840.113549.1.12.1.*); PrivateKeyInfo, PKCS#1 and SEC1 start with an INTEGER instead.
  const bytes = typeof key === 'string' ? new Uint8Array(0) : key;
  const inner = afterHeader(bytes, 0);
  const algorithm = inner === undefined || bytes[inner] !== 0x30 ? undefined : afterHeader(bytes, inner);
  if (algorithm === undefined || bytes[algorithm] !== 0x06) return false;
  const oid = bytes.subarray(algorithm + 2, algorithm + 2 + bytes[algorithm + 1]!);
  return startsWith(oid, pkcs5Arc) || startsWith(oid, pkcs12PbeArc);
}

const pkcs5Arc = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05);
const pkcs12PbeArc = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01);

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length > prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

/** Offset of the contents of the DER SEQUENCE at `offset`, or undefined. */
function afterHeader(bytes: Uint8Array, offset: number): number | undefined {
  if (bytes[offset] !== 0x30 || bytes.length < offset + 2) return undefined;
  const lengthByte = bytes[offset + 1]!;
  return offset + (lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f));
}

function keyError(
  code: string | undefined,
  cause: unknown,
  encrypted: boolean,
  hasPassphrase: boolean,
): CryptoError {
  if (encrypted && !hasPassphrase) {
    return new CryptoError(
      'ERR_MISSING_PASSPHRASE',
      'the private key is encrypted and no passphrase was given',
      {
        cause,
      },
    );
  }
  if (encrypted || code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_OSSL_EVP_BAD_DECRYPT') {
    // A wrong passphrase usually fails the CBC padding, but 1 in 256 times it decrypts to bytes
    // that fail to parse instead; both mean the same to the user.
    return new CryptoError('ERR_OSSL_BAD_DECRYPT', 'bad decrypt: wrong passphrase or corrupt encrypted key', {
      cause,
    });
  }
  return new CryptoError('ERR_CRYPTO_INVALID_KEY', 'the private key could not be parsed', { cause });
}

/**
 * Imports a private key: PEM (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC, traditional
 * encrypted PEM) or DER with its `type`.
 * @throws CryptoError `ERR_MISSING_PASSPHRASE`, `ERR_OSSL_BAD_DECRYPT`, `ERR_CRYPTO_INVALID_KEY`,
 *   `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`
 */
export function importPrivateKey(input: PrivateKeyInput): PrivateKey {
  const format = input.format ?? (typeof input.key === 'string' ? 'pem' : 'der');
  const encrypted = isEncrypted(input.key, format);
  const hasPassphrase = input.passphrase !== undefined;
  if (encrypted && !hasPassphrase) throw keyError(undefined, undefined, true, false);
  const passphrase =
    input.passphrase === undefined
      ? undefined
      : typeof input.passphrase === 'string'
        ? input.passphrase
        : Buffer.from(input.passphrase);
  let keyObject: KeyObject;
  try {
    if (format === 'pem') {
      const text = typeof input.key === 'string' ? input.key : new TextDecoder().decode(input.key);
      keyObject = createPrivateKey(
        passphrase === undefined ? { key: text, format: 'pem' } : { key: text, format: 'pem', passphrase },
      );
    } else {
      const der = typeof input.key === 'string' ? Buffer.from(input.key, 'latin1') : Buffer.from(input.key);
      const type = input.type ?? 'pkcs8';
      keyObject = createPrivateKey(
        passphrase === undefined
          ? { key: der, format: 'der', type }
          : { key: der, format: 'der', type, passphrase },
      );
    }
  } catch (error) {
    throw keyError((error as { code?: string }).code, error, encrypted, hasPassphrase);
  }
  if (keyObject.type !== 'private') {
    throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'expected a private key');
  }
  return new NodePrivateKey(keyObject);
}

/**
 * Imports a public key: a SubjectPublicKeyInfo (PEM `PUBLIC KEY` or DER) or a PKCS#1
 * RSAPublicKey (PEM `RSA PUBLIC KEY`, or DER with `type: 'pkcs1'`).
 * @throws CryptoError `ERR_CRYPTO_INVALID_KEY`, `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`
 */
/**
 * Recently imported SubjectPublicKeyInfo DER, by its bytes: a client meets the same server keys
 * again and again, and a handshake imports its peer's key twice (chain check and
 * CertificateVerify). An import costs 5–40 µs, a hit well under 1 µs. Public data only; the keys
 * are immutable. Bounded: the least recently used entry goes first.
 */
const spkiCache = new Map<string, PublicKey>();
const spkiCacheSize = 256;

export function importPublicKey(input: PublicKeyInput): PublicKey {
  const format = input.format ?? (typeof input.key === 'string' ? 'pem' : 'der');
  if (format !== 'der' || (input.type ?? 'spki') !== 'spki' || typeof input.key === 'string')
    return importUncached(input, format);
  const der = input.key;
  const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  const cached = spkiCache.get(id);
  if (cached !== undefined) {
    spkiCache.delete(id);
    spkiCache.set(id, cached);
    return cached;
  }
  const key = importUncached(input, format);
  if (spkiCache.size >= spkiCacheSize) spkiCache.delete(spkiCache.keys().next().value as string);
  spkiCache.set(id, key);
  return key;
}

function importUncached(input: PublicKeyInput, format: 'pem' | 'der'): PublicKey {
  let keyObject: KeyObject;
  let spki: Uint8Array | undefined;
  try {
    if (format === 'pem') {
      const text = typeof input.key === 'string' ? input.key : new TextDecoder().decode(input.key);
      const label = pemLabel.exec(text)?.[1];
      // Node would also take certificates and private keys here; this API is for public keys only.
      if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') {
        throw new CryptoError(
          'ERR_CRYPTO_INVALID_KEY',
          `expected a PUBLIC KEY or RSA PUBLIC KEY PEM, got ${String(label)}`,
        );
      }
      const body = spkiPem.exec(text)?.[1];
      const der = body === undefined ? undefined : new Uint8Array(Buffer.from(body, 'base64'));
      const fast = der === undefined ? undefined : publicKeyFromSpki(der);
      if (fast !== undefined) spki = der;
      keyObject = fast ?? createPublicKey({ key: text, format: 'pem' });
    } else {
      const der = typeof input.key === 'string' ? Buffer.from(input.key, 'latin1') : input.key;
      const type = input.type ?? 'spki';
      const fast = type === 'spki' ? publicKeyFromSpki(der) : undefined;
      if (fast !== undefined) spki = copyBytes(der);
      keyObject = fast ?? createPublicKey({ key: Buffer.from(der), format: 'der', type });
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_CRYPTO_INVALID_KEY') throw error;
    throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'the public key could not be parsed', { cause: error });
  }
  return new NodePublicKey(keyObject, spki);
}

/**
 * A fresh key pair.
 * @throws CryptoError `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`, `ERR_CRYPTO_INVALID_KEY` (bad size)
 */
export function generateKeyPair(spec: KeyPairSpec): { privateKey: PrivateKey; publicKey: PublicKey } {
  let type: string;
  let options: object;
  switch (spec.type) {
    case 'rsa':
      type = 'rsa';
      options = { modulusLength: spec.bits, publicExponent: spec.publicExponent ?? 65537 };
      break;
    case 'rsa-pss': {
      const hash = spec.hash;
      type = 'rsa-pss';
      // RSASSA-PSS parameters (RFC 4055 §3.1) only when a hash is asked for.
      options =
        hash === undefined
          ? { modulusLength: spec.bits }
          : {
              modulusLength: spec.bits,
              hashAlgorithm: hash,
              mgf1HashAlgorithm: hash,
              saltLength: spec.saltLength ?? hashLengths[hash],
            };
      break;
    }
    case 'ec':
      if (opensslCurves[spec.curve] === undefined) {
        throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported curve ${String(spec.curve)}`);
      }
      type = 'ec';
      options = { namedCurve: opensslCurves[spec.curve] };
      break;
    case 'ed25519':
    case 'ed448':
      type = spec.type;
      options = {};
      break;
    default:
      throw new CryptoError(
        'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
        `unsupported key type ${String((spec as { type: unknown }).type)}`,
      );
  }
  let pkcs8: Buffer;
  try {
    // Both halves encoded by the generation job and the private key imported from its PKCS#8:
    // a KeyObject fresh from generateKeyPairSync must never be exported (generateKeyPairEncoded).
    pkcs8 = generateKeyPairEncoded(type, options, 'spki', 'pkcs8').privateKey;
  } catch (error) {
    throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'key generation failed (check the key size)', {
      cause: error,
    });
  }
  const privateKey = new NodePrivateKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
  return { privateKey, publicKey: privateKey.publicKey };
}

const hashLengths = { sha256: 32, sha384: 48, sha512: 64 } as const;

/**
 * PKCS#8 DER (RFC 5958) of a private key.
 * @throws CryptoError `ERR_CRYPTO_INVALID_KEY` for a key this provider did not create
 */
export function exportPrivateKey(key: PrivateKey): Uint8Array {
  if (!isPrivateKey(key)) throw new CryptoError('ERR_CRYPTO_INVALID_KEY', 'expected a private key');
  return copyBytes(keyRecordOf(key).keyObject.export({ format: 'der', type: 'pkcs8' }));
}
