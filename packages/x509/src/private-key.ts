// Private keys: PKCS#8 (RFC 5958), encrypted PKCS#8 (RFC 5958 §3, PBES2 of RFC 8018), PKCS#1
// (RFC 8017 appendix A.1.2), SEC1 (RFC 5915) and OpenSSL's traditional encrypted PEM. Decoding and
// decryption happen in the provider (node:crypto); this module picks the format from the PEM
// label or the DER structure and gives clear errors.

import type { CryptoProvider, PrivateKey } from '@tls/crypto';
import type { Certificate } from './certificate.js';
import { X509Error } from './errors.js';
import { DerReader } from './der/reader.js';
import { DerTag } from './der/tags.js';
import { bytesEqual } from './name.js';
import { decodePem } from './pem.js';

const keyLabels = /* @__PURE__ */ new Set([
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
]);

/**
 * The DER form of a private key: PKCS#8, PKCS#1 or SEC1, told apart by structure.
 * @example detectPrivateKeyType(fs.readFileSync('key.der')) // 'pkcs8'
 */
export function detectPrivateKeyType(
  der: Uint8Array,
): 'pkcs8' | 'pkcs1' | 'sec1' | 'encrypted-pkcs8' | undefined {
  try {
    const reader = new DerReader(der).sequence('privateKey');
    const first = reader.read('privateKey.first');
    if (first.tag === DerTag.Sequence) return 'encrypted-pkcs8'; // EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier
    if (first.tag !== DerTag.Integer) return undefined;
    const version = first.contents.length === 1 ? first.contents[0] : -1;
    const second = reader.read('privateKey.second');
    if (second.tag === DerTag.Sequence && (version === 0 || version === 1)) return 'pkcs8'; // OneAsymmetricKey
    if (second.tag === DerTag.OctetString && version === 1) return 'sec1'; // ECPrivateKey
    if (second.tag === DerTag.Integer && version === 0) return 'pkcs1'; // RSAPrivateKey
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Imports a private key from PEM text (any of the labels above, traditional encryption included) or
 * DER bytes (PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1).
 * @throws X509Error `ERR_X509_PEM` when the text has no private key block; from the provider:
 *   `ERR_MISSING_PASSPHRASE` (encrypted key, no passphrase), `ERR_OSSL_BAD_DECRYPT` (wrong
 *   passphrase), `ERR_CRYPTO_INVALID_KEY`.
 * @example importPrivateKey(fs.readFileSync('key.pem', 'utf8'), provider, { passphrase: 'secret' })
 */
export function importPrivateKey(
  input: string | Uint8Array,
  provider: CryptoProvider,
  options: { passphrase?: string | Uint8Array } = {},
): PrivateKey {
  const passphrase = options.passphrase === undefined ? {} : { passphrase: options.passphrase };
  if (typeof input === 'string') {
    const block = decodePem(input).find((candidate) => keyLabels.has(candidate.label));
    if (block === undefined) throw new X509Error('ERR_X509_PEM', 'no private key PEM block found');
    // Give the provider only the key block, so certificates in the same file do not confuse it.
    const start = input.indexOf(`-----BEGIN ${block.label}-----`);
    const endMarker = `-----END ${block.label}-----`;
    const text = input.slice(start, input.indexOf(endMarker, start) + endMarker.length);
    return provider.importPrivateKey({ key: text, format: 'pem', ...passphrase });
  }
  const type = detectPrivateKeyType(input);
  if (type === undefined) throw new X509Error('ERR_X509_DER', 'not a PKCS#8, PKCS#1 or SEC1 private key');
  return provider.importPrivateKey({
    key: input,
    format: 'der',
    type: type === 'encrypted-pkcs8' ? 'pkcs8' : type,
    ...passphrase,
  });
}

/**
 * Whether `key` is the private half of `certificate`'s public key (same SubjectPublicKeyInfo).
 * @example if (!isKeyForCertificate(key, certificate)) throw new Error('key does not match certificate');
 */
export function isKeyForCertificate(key: PrivateKey, certificate: Certificate): boolean {
  return bytesEqual(key.publicKey.spki, certificate.subjectPublicKeyInfo.encoded);
}
