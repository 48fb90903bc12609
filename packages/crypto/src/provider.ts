// The CryptoProvider interface: every primitive the TLS layers use, behind one object that can be
// swapped (node:crypto by default, a deterministic one for RFC 8448 replays, WebCrypto later).
// Every method is synchronous (STYLE.md §5.3): a future asynchronous provider must pause the
// engine like a hook, never make the core async. Inputs are never kept or mutated; outputs are
// fresh and owned by the caller unless a method says otherwise.

import type { NamedGroup, SignatureScheme } from './constants.js';

/** Hash functions. `md5-sha1` is the 36-byte MD5‖SHA-1 concatenation of TLS 1.0/1.1. */
export type HashName = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'md5-sha1';

/** A running hash; `clone()` forks it so a transcript can be hashed at several points. */
export interface HashContext {
  update(data: Uint8Array): void;
  /** The digest of everything added so far; the context stays usable. */
  digest(): Uint8Array;
  clone(): HashContext;
}

/** A running HMAC. `digest()` ends it. */
export interface HmacContext {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

/** PRF of TLS 1.2 (RFC 5246 §5, with the suite's hash) or of TLS 1.0/1.1 (RFC 2246 §5). */
export type PrfAlgorithm = 'tls10' | 'sha256' | 'sha384';

export type AeadAlgorithm =
  | 'aes-128-gcm'
  | 'aes-256-gcm'
  | 'chacha20-poly1305'
  | 'aes-128-ccm'
  | 'aes-128-ccm8';

/**
 * An AEAD bound to one key (RFC 5116). Nonces are 12 bytes for every algorithm here. Neither call
 * keeps its inputs or returns a view of them: the record layer reuses its nonce, additional-data
 * and plaintext arrays for every record.
 */
export interface Aead {
  readonly algorithm: AeadAlgorithm;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  /**
   * Encrypts the concatenation of `plaintext` (given in parts, so a record body and its TLS 1.3
   * inner content type need no copy into one buffer). Returns the ciphertext as one or more parts
   * whose lengths add up to the plaintext's, followed by the tag as the last element.
   */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: readonly Uint8Array[]): Uint8Array[];
  /** Decrypts and authenticates; returns `undefined` when the tag does not verify. */
  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | undefined;
}

export type BlockCipherAlgorithm = 'aes-128-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';

/** A CBC cipher bound to one key, without padding: TLS pads records itself (RFC 5246 §6.2.3.2). */
export interface BlockCipher {
  readonly algorithm: BlockCipherAlgorithm;
  readonly keyLength: number;
  readonly blockSize: number;
  /** `data.length` must be a multiple of `blockSize`. */
  encrypt(iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** `data.length` must be a multiple of `blockSize`. */
  decrypt(iv: Uint8Array, data: Uint8Array): Uint8Array;
}

/**
 * One side of a key exchange: an ephemeral private key whose public share has been computed.
 * For a KEM group (X25519MLKEM768) the initiator's share is the encapsulation key and
 * `complete()` decapsulates the peer's ciphertext.
 */
export interface KeyShare {
  readonly group: NamedGroup;
  /** Wire form of the public share (RFC 8446 §4.2.8.1/§4.2.8.2; the big-endian y for DH). */
  readonly publicKey: Uint8Array;
  /**
   * The shared secret from the peer's share. DH secrets are left-padded to the prime's length
   * (RFC 8446 §7.4.1); TLS 1.2 strips leading zeros itself (RFC 5246 §8.1.2).
   * @throws CryptoError `ERR_CRYPTO_INVALID_KEY_SHARE` when the peer's share is invalid
   *   (wrong length, not on the curve, out of range, or an all-zero X25519/X448 result).
   */
  complete(peerPublicKey: Uint8Array): Uint8Array;
}

/** The responder's side of a key exchange, computed in one step from the initiator's share. */
export interface AcceptedKeyShare {
  readonly group: NamedGroup;
  readonly publicKey: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

export type KeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448';
export type EcCurve = 'P-256' | 'P-384' | 'P-521';

/** A public key the provider can verify with. Opaque beyond these fields. */
export interface PublicKey {
  readonly type: KeyType;
  /** Modulus size for RSA, field size for EC, 256/456 for Ed25519/Ed448. */
  readonly bits: number;
  readonly curve?: EcCurve;
  /** The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
  readonly spki: Uint8Array;
}

/** A private key the provider can sign with. Opaque beyond these fields; never printed. */
export interface PrivateKey {
  readonly type: KeyType;
  readonly bits: number;
  readonly curve?: EcCurve;
  readonly publicKey: PublicKey;
}

export interface PrivateKeyInput {
  /** PEM text (any of the PEM types below) or DER bytes. */
  key: string | Uint8Array;
  /** Default: PEM for strings, DER for bytes. */
  format?: 'pem' | 'der';
  /** DER only: default `pkcs8`. */
  type?: 'pkcs8' | 'pkcs1' | 'sec1';
  passphrase?: string | Uint8Array;
}

export interface PublicKeyInput {
  /** PEM text or DER bytes of a SubjectPublicKeyInfo (or a PKCS#1 RSAPublicKey with `type: 'pkcs1'`). */
  key: string | Uint8Array;
  format?: 'pem' | 'der';
  type?: 'spki' | 'pkcs1';
}

export type KeyPairSpec =
  | { type: 'rsa'; bits: number; publicExponent?: number }
  | { type: 'rsa-pss'; bits: number; hash?: 'sha256' | 'sha384' | 'sha512'; saltLength?: number }
  | { type: 'ec'; curve: EcCurve }
  | { type: 'ed25519' }
  | { type: 'ed448' };

/**
 * Signature parameters beyond TLS codepoints, for X.509 (RFC 4055 RSASSA-PSS parameters, and
 * ECDSA with a hash that does not match the curve, as certificates allow).
 */
export interface SignatureParams {
  algorithm: 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'ed25519' | 'ed448';
  /** Required for every algorithm except Ed25519/Ed448. */
  hash?: HashName;
  /** RSA-PSS only; default: the hash length. */
  saltLength?: number;
}

export interface CryptoProvider {
  /** For diagnostics, e.g. `node:crypto (OpenSSL 3.0.19)`. */
  readonly name: string;

  /** Cryptographically secure random bytes. */
  random(length: number): Uint8Array;
  /** Milliseconds since the Unix epoch (injected, so tests control time). */
  now(): number;
  /** Constant-time equality of two secrets; `false` when the lengths differ. */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;

  hashLength(hash: HashName): number;
  /** Digest of the concatenation of `data`. */
  hash(hash: HashName, data: Uint8Array | readonly Uint8Array[]): Uint8Array;
  createHash(hash: HashName): HashContext;
  /** HMAC of the concatenation of `data`. */
  hmac(hash: HashName, key: Uint8Array, data: Uint8Array | readonly Uint8Array[]): Uint8Array;
  createHmac(hash: HashName, key: Uint8Array): HmacContext;

  /** HKDF-Extract (RFC 5869 §2.2); an absent salt is HashLen zeros. */
  hkdfExtract(hash: HashName, salt: Uint8Array | undefined, ikm: Uint8Array): Uint8Array;
  /** HKDF-Expand (RFC 5869 §2.3). @throws RangeError when `length > 255 * HashLen`. */
  hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** HKDF-Expand-Label (RFC 8446 §7.1), the label given without the `tls13 ` prefix. */
  hkdfExpandLabel(
    hash: HashName,
    secret: Uint8Array,
    label: string,
    context: Uint8Array,
    length: number,
  ): Uint8Array;
  /** Derive-Secret (RFC 8446 §7.1), given the transcript hash rather than the messages. */
  deriveSecret(hash: HashName, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array;
  /** PRF(secret, label, seed) of TLS 1.2 (RFC 5246 §5) or TLS 1.0/1.1 (RFC 2246 §5). */
  prf(
    algorithm: PrfAlgorithm,
    secret: Uint8Array,
    label: string,
    seed: Uint8Array,
    length: number,
  ): Uint8Array;
  /**
   * PBKDF2 (RFC 8018 §5.2) with HMAC-`hash` as its PRF: the password-based key derivation of
   * PBES2, which encrypted PKCS#8 keys and PKCS#12 files use. The password is taken as bytes
   * (PKCS#12 and OpenSSL give it the passphrase's UTF-8 encoding).
   * @throws RangeError when `iterations` is not a positive integer or `length` is negative.
   * @throws CryptoError `ERR_CRYPTO_UNSUPPORTED_ALGORITHM` for `md5-sha1`.
   */
  pbkdf2(
    hash: HashName,
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Uint8Array;

  createAead(algorithm: AeadAlgorithm, key: Uint8Array): Aead;
  createBlockCipher(algorithm: BlockCipherAlgorithm, key: Uint8Array): BlockCipher;

  /** The NamedGroups this provider implements, in its order of preference. */
  readonly supportedGroups: readonly NamedGroup[];
  /**
   * A fresh ephemeral key share for `group` (the initiator: a TLS 1.3 client).
   * @throws CryptoError `ERR_CRYPTO_UNSUPPORTED_ALGORITHM` for a group not in `supportedGroups`.
   */
  generateKeyShare(group: NamedGroup): KeyShare;
  /**
   * Responds to the initiator's share: the server in TLS 1.3, the client in TLS 1.2 ECDHE.
   * @throws CryptoError `ERR_CRYPTO_INVALID_KEY_SHARE` (invalid peer share),
   *   `ERR_CRYPTO_UNSUPPORTED_ALGORITHM` (unknown group).
   */
  acceptKeyShare(group: NamedGroup, peerPublicKey: Uint8Array): AcceptedKeyShare;
  /**
   * A DH key share over arbitrary parameters (TLS 1.2 DHE, RFC 5246 §7.4.3). Its `group` is 0;
   * `complete()` accepts a peer value without its leading zeros.
   * @throws CryptoError `ERR_CRYPTO_INVALID_KEY` for an even prime, a prime under 512 bits or g
   *   outside 2..p-2.
   */
  generateDhKeyShare(prime: Uint8Array, generator: Uint8Array): KeyShare;

  /**
   * @throws CryptoError `ERR_MISSING_PASSPHRASE`, `ERR_OSSL_BAD_DECRYPT` (wrong passphrase),
   *   `ERR_CRYPTO_INVALID_KEY` (unparsable), `ERR_CRYPTO_UNSUPPORTED_ALGORITHM` (e.g. secp256k1, DSA).
   */
  importPrivateKey(input: PrivateKeyInput): PrivateKey;
  /** @throws CryptoError `ERR_CRYPTO_INVALID_KEY`, `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`. */
  importPublicKey(input: PublicKeyInput): PublicKey;
  generateKeyPair(spec: KeyPairSpec): { privateKey: PrivateKey; publicKey: PublicKey };
  /** PKCS#8 DER of a private key (for PKCS#12 and for tests; the caller owns the secret). */
  exportPrivateKey(key: PrivateKey): Uint8Array;

  /** Whether `key` can make or check signatures of `scheme` (type, curve and size rules of RFC 8446 §4.2.3). */
  isSchemeCompatible(scheme: SignatureScheme, key: PublicKey | PrivateKey): boolean;
  /**
   * Signs `data` (the scheme's hash is applied here). ECDSA codepoints do not enforce their curve,
   * as TLS 1.2 reads them as (hash, ecdsa); check `isSchemeCompatible` for TLS 1.3.
   * @throws CryptoError `ERR_CRYPTO_KEY_MISMATCH` (key type or size unfit for the scheme),
   *   `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`.
   */
  sign(scheme: SignatureScheme | SignatureParams, key: PrivateKey, data: Uint8Array): Uint8Array;
  /**
   * `false` for a wrong or malformed signature, never an exception for the signature's bytes.
   * @throws CryptoError `ERR_CRYPTO_KEY_MISMATCH` when the key cannot check this scheme at all,
   *   `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`.
   */
  verify(
    scheme: SignatureScheme | SignatureParams,
    key: PublicKey,
    data: Uint8Array,
    signature: Uint8Array,
  ): boolean;

  /** RSAES-PKCS1-v1_5 encryption (TLS 1.2 static RSA key exchange, the client side). */
  rsaEncryptPkcs1(key: PublicKey, data: Uint8Array): Uint8Array;
  /**
   * The server side of static RSA (RFC 5246 §7.4.7.1): decrypts the EncryptedPreMasterSecret and
   * returns 48 bytes, which are random whenever the padding or the version bytes are wrong, so
   * that neither errors nor timing reveal which (no Bleichenbacher oracle).
   */
  rsaDecryptPremaster(key: PrivateKey, ciphertext: Uint8Array, clientVersion: number): Uint8Array;
}
