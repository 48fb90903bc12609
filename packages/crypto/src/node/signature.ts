// Signatures by TLS SignatureScheme (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1) and by explicit
// parameters (RFC 4055 RSASSA-PSS, RFC 5758 ECDSA): RSASSA-PKCS1-v1_5 and RSASSA-PSS
// (RFC 8017 §8), ECDSA with DER-encoded signatures (RFC 8422 §5.4, RFC 3279 §2.2.3), Ed25519 and
// Ed448 (RFC 8032), and the TLS 1.0/1.1 RSA signature over MD5‖SHA-1 (RFC 4346 §7.4.3).

import { type KeyObject, constants, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { SignatureScheme, signatureSchemeName } from '../constants.js';
import { CryptoError } from '../errors.js';
import type { HashName, KeyType, PrivateKey, PublicKey, SignatureParams } from '../provider.js';
import { asBytes } from './bytes.js';
import { nodeHashLength } from './hash.js';
import { type KeyRecord, keyRecordOf } from './keys.js';
import { signPssWithSalt } from './pss.js';

interface ResolvedScheme {
  readonly name: string;
  readonly algorithm: SignatureParams['algorithm'];
  readonly hash?: HashName;
  readonly saltLength?: number;
  readonly keyTypes: readonly KeyType[];
  /** TLS 1.3 binds the ECDSA codepoints to one curve (RFC 8446 §4.2.3). */
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
}

function scheme(
  algorithm: SignatureParams['algorithm'],
  keyTypes: readonly KeyType[],
  hash?: HashName,
  extra: { saltLength?: number; curve?: 'P-256' | 'P-384' | 'P-521' } = {},
): Omit<ResolvedScheme, 'name'> {
  return { algorithm, keyTypes, ...(hash === undefined ? {} : { hash }), ...extra };
}

const rsa: readonly KeyType[] = ['rsa'];
const rsaPss: readonly KeyType[] = ['rsa-pss'];
const ec: readonly KeyType[] = ['ec'];

const schemes: Record<number, Omit<ResolvedScheme, 'name'>> = {
  [SignatureScheme.RsaPkcs1Sha1]: scheme('rsa-pkcs1', rsa, 'sha1'),
  [SignatureScheme.RsaPkcs1Sha256]: scheme('rsa-pkcs1', rsa, 'sha256'),
  [SignatureScheme.RsaPkcs1Sha384]: scheme('rsa-pkcs1', rsa, 'sha384'),
  [SignatureScheme.RsaPkcs1Sha512]: scheme('rsa-pkcs1', rsa, 'sha512'),
  [SignatureScheme.LegacyRsaPkcs1Md5Sha1]: scheme('rsa-pkcs1', rsa, 'md5-sha1'),
  // ecdsa_sha1 is TLS 1.2 only and names no curve.
  [SignatureScheme.EcdsaSha1]: scheme('ecdsa', ec, 'sha1'),
  [SignatureScheme.EcdsaSecp256r1Sha256]: scheme('ecdsa', ec, 'sha256', { curve: 'P-256' }),
  [SignatureScheme.EcdsaSecp384r1Sha384]: scheme('ecdsa', ec, 'sha384', { curve: 'P-384' }),
  [SignatureScheme.EcdsaSecp521r1Sha512]: scheme('ecdsa', ec, 'sha512', { curve: 'P-521' }),
  // RFC 8446 §4.2.3: the PSS salt length equals the digest length; MGF1 uses the same hash.
  [SignatureScheme.RsaPssRsaeSha256]: scheme('rsa-pss', rsa, 'sha256', { saltLength: 32 }),
  [SignatureScheme.RsaPssRsaeSha384]: scheme('rsa-pss', rsa, 'sha384', { saltLength: 48 }),
  [SignatureScheme.RsaPssRsaeSha512]: scheme('rsa-pss', rsa, 'sha512', { saltLength: 64 }),
  [SignatureScheme.RsaPssPssSha256]: scheme('rsa-pss', rsaPss, 'sha256', { saltLength: 32 }),
  [SignatureScheme.RsaPssPssSha384]: scheme('rsa-pss', rsaPss, 'sha384', { saltLength: 48 }),
  [SignatureScheme.RsaPssPssSha512]: scheme('rsa-pss', rsaPss, 'sha512', { saltLength: 64 }),
  [SignatureScheme.Ed25519]: scheme('ed25519', ['ed25519']),
  [SignatureScheme.Ed448]: scheme('ed448', ['ed448']),
};

/** DigestInfo length per hash (RFC 8017 §9.2 note 1), for the PKCS#1 v1.5 size rule. */
const digestInfoLengths: Partial<Record<HashName, number>> = {
  md5: 34,
  sha1: 35,
  sha256: 51,
  sha384: 67,
  sha512: 83,
  'md5-sha1': 36, // no DigestInfo in TLS 1.0/1.1
};

function resolve(input: number | SignatureParams): ResolvedScheme {
  if (typeof input === 'number') {
    const known = schemes[input];
    if (known === undefined) {
      throw new CryptoError(
        'ERR_CRYPTO_UNSUPPORTED_ALGORITHM',
        `unsupported signature scheme ${signatureSchemeName(input)}`,
      );
    }
    return { name: signatureSchemeName(input), ...known };
  }
  const { algorithm, hash } = input;
  const name = `${algorithm}${hash === undefined ? '' : ` with ${hash}`}`;
  if (algorithm === 'ed25519' || algorithm === 'ed448') return { name, algorithm, keyTypes: [algorithm] };
  if (hash === undefined)
    throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `${algorithm} needs a hash`);
  nodeHashLength(hash);
  switch (algorithm) {
    case 'rsa-pkcs1':
      return { name, algorithm, hash, keyTypes: rsa };
    case 'rsa-pss':
      if (hash === 'md5-sha1') break;
      return {
        name,
        algorithm,
        hash,
        saltLength: input.saltLength ?? nodeHashLength(hash),
        keyTypes: ['rsa', 'rsa-pss'],
      };
    case 'ecdsa':
      if (hash === 'md5-sha1') break;
      return { name, algorithm, hash, keyTypes: ec };
  }
  throw new CryptoError('ERR_CRYPTO_UNSUPPORTED_ALGORITHM', `unsupported signature algorithm ${name}`);
}

/** Why `key` cannot be used with `resolved`, or undefined when it can. */
function incompatibility(
  resolved: ResolvedScheme,
  key: PublicKey | PrivateKey,
  record: KeyRecord,
): string | undefined {
  if (!resolved.keyTypes.includes(key.type))
    return `a ${key.type} key cannot make ${resolved.name} signatures`;
  const hash = resolved.hash;
  if (resolved.algorithm === 'rsa-pss' && hash !== undefined) {
    const hashLength = nodeHashLength(hash);
    const saltLength = resolved.saltLength ?? hashLength;
    // RFC 8017 §9.1.1: emLen = ceil((modBits - 1) / 8) must be at least hLen + sLen + 2.
    if (Math.ceil((key.bits - 1) / 8) < hashLength + saltLength + 2) {
      return `a ${key.bits}-bit RSA key is too small for ${resolved.name}`;
    }
    // RFC 4055 §3.1: an RSASSA-PSS key with parameters is bound to its hash and minimum salt.
    if (
      record.pssHash !== undefined &&
      (record.pssHash !== hash || saltLength < (record.pssSaltLength ?? 0))
    ) {
      return `this RSASSA-PSS key is restricted to ${record.pssHash} with salt >= ${record.pssSaltLength}`;
    }
  }
  if (resolved.algorithm === 'rsa-pkcs1' && hash !== undefined) {
    // RFC 8017 §9.2: emLen >= tLen + 11.
    if (Math.ceil(key.bits / 8) < (digestInfoLengths[hash] ?? 0) + 11) {
      return `a ${key.bits}-bit RSA key is too small for ${resolved.name}`;
    }
  }
  return undefined;
}

/**
 * Whether `key` may make or check signatures of `scheme`, with the TLS 1.3 rules of RFC 8446
 * §4.2.3: ECDSA codepoints name their curve, rsa_pss_rsae_* need an rsaEncryption key and
 * rsa_pss_pss_* an RSASSA-PSS key, and the RSA key must be large enough for the padding
 * (PSS with SHA-512 needs 2*64+2 = 130 bytes of encoded message, a key of at least 1033 bits).
 */
export function isSchemeCompatible(schemeCode: number, key: PublicKey | PrivateKey): boolean {
  const known = schemes[schemeCode];
  if (known === undefined) return false;
  const resolved = { name: signatureSchemeName(schemeCode), ...known };
  if (resolved.curve !== undefined && key.curve !== resolved.curve) return false;
  return incompatibility(resolved, key, keyRecordOf(key)) === undefined;
}

function nodeKeyOptions(resolved: ResolvedScheme, keyObject: KeyObject) {
  switch (resolved.algorithm) {
    case 'rsa-pkcs1':
      return { key: keyObject, padding: constants.RSA_PKCS1_PADDING };
    case 'rsa-pss':
      return {
        key: keyObject,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: resolved.saltLength ?? constants.RSA_PSS_SALTLEN_DIGEST,
      };
    case 'ecdsa':
      // TLS carries ECDSA signatures as the DER Ecdsa-Sig-Value (RFC 8422 §5.4).
      return { key: keyObject, dsaEncoding: 'der' as const };
    default:
      return { key: keyObject };
  }
}

/**
 * Signs `data` (the whole message; the scheme's hash is applied here). For the ECDSA codepoints
 * the curve is not checked, as TLS 1.2 allows any curve with them; call
 * {@link isSchemeCompatible} first for TLS 1.3.
 * @throws CryptoError `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`, `ERR_CRYPTO_KEY_MISMATCH`
 */
export function sign(
  schemeOrParams: number | SignatureParams,
  key: PrivateKey,
  data: Uint8Array,
  pssSalt?: (length: number) => Uint8Array,
): Uint8Array {
  const resolved = resolve(schemeOrParams);
  const record = keyRecordOf(key);
  if (record.keyObject.type !== 'private') {
    throw new CryptoError('ERR_CRYPTO_KEY_MISMATCH', 'signing needs a private key');
  }
  const why = incompatibility(resolved, key, record);
  if (why !== undefined) throw new CryptoError('ERR_CRYPTO_KEY_MISMATCH', why);
  // With md5-sha1, OpenSSL signs the raw 36-byte MD5‖SHA-1 digest with no DigestInfo (RFC 4346 §7.4.3).
  const algorithm = resolved.hash ?? null;
  if (pssSalt !== undefined && resolved.algorithm === 'rsa-pss' && algorithm !== null) {
    // The deterministic provider's PSS salt comes from its random stream (see pss.ts).
    const salt = pssSalt(resolved.saltLength ?? nodeHashLength(algorithm));
    return signPssWithSalt(record, key.bits, algorithm, data, salt);
  }
  try {
    return asBytes(nodeSign(algorithm, data, nodeKeyOptions(resolved, record.keyObject)));
  } catch (error) {
    throw new CryptoError('ERR_CRYPTO_KEY_MISMATCH', `signing with ${resolved.name} failed`, {
      cause: error,
    });
  }
}

/**
 * Checks a signature. A malformed or wrong signature gives `false`, never an exception.
 * @throws CryptoError `ERR_CRYPTO_UNSUPPORTED_ALGORITHM`, `ERR_CRYPTO_KEY_MISMATCH` (wrong key type)
 */
export function verify(
  schemeOrParams: number | SignatureParams,
  key: PublicKey,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const resolved = resolve(schemeOrParams);
  const record = keyRecordOf(key);
  const why = incompatibility(resolved, key, record);
  if (why !== undefined) throw new CryptoError('ERR_CRYPTO_KEY_MISMATCH', why);
  // RFC 8017 §8.1.2 step 1, §8.2.2 step 1: an RSA signature is exactly k octets. OpenSSL accepts a
  // shorter one (read as a smaller integer), so a signature with its leading zero octet cut off
  // would verify; a TLS signature of another length is malformed.
  if ((key.type === 'rsa' || key.type === 'rsa-pss') && signature.length !== Math.ceil(key.bits / 8))
    return false;
  try {
    return nodeVerify(resolved.hash ?? null, data, nodeKeyOptions(resolved, record.keyObject), signature);
  } catch {
    return false; // OpenSSL rejects some malformed signatures (bad DER, wrong length) by throwing
  }
}
