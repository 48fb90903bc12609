// Identity and trust material of a context: `cert` chains, `key`s with passphrases, `ca` and `crl`
// in PEM (Node reads these options as PEM only, RFC 7468). Errors copy the ones Node reports from
// OpenSSL (ERR_OSSL_PEM_NO_START_LINE, ERR_OSSL_X509_KEY_VALUES_MISMATCH, ...).

import type { CryptoProvider, PrivateKey } from '@tls/crypto';
import {
  type Certificate,
  type Crl,
  decodePem,
  hasErrorCode,
  importPrivateKey,
  namesEqual,
  parseCertificate,
  parseCrl,
} from '@tls/x509';
import { type ContextError, contextError, invalidArgType, keyOrCertTypes, opensslError } from './errors.js';

/** A PEM option value as Node accepts it: text, or bytes holding the text. */
export type PemInput = string | ArrayBufferView;

/** Whether Node's validateKeyOrCertOption accepts `value`. */
export function isPemInput(value: unknown): value is PemInput {
  return typeof value === 'string' || ArrayBuffer.isView(value);
}

/**
 * Node's check for key, cert, ca, crl and dhparam values.
 * @throws TypeError `ERR_INVALID_ARG_TYPE`.
 */
export function requirePemInput(name: string, value: unknown): asserts value is PemInput {
  if (!isPemInput(value)) throw invalidArgType(name, keyOrCertTypes, value);
}

const latin1 = /* @__PURE__ */ new TextDecoder('latin1');

/** PEM text of an option value (bytes are read as text, as OpenSSL's PEM BIO does). */
export function pemText(value: PemInput): string {
  if (typeof value === 'string') return value;
  return latin1.decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
}

const certificateLabels = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

function noStartLine(): ContextError {
  return opensslError('ERR_OSSL_PEM_NO_START_LINE', '0480006C', 'PEM routines', 'no start line');
}

/**
 * Every certificate of a `cert` value: the leaf first, then its intermediates.
 * @throws Error `ERR_OSSL_PEM_NO_START_LINE` (no PEM certificate), `ERR_OSSL_PEM_BAD_END_LINE`
 *   (unterminated block), `ERR_OSSL_ASN1_WRONG_TAG` (the block is not a certificate).
 */
export function readCertificateChain(value: PemInput): Certificate[] {
  const text = pemText(value);
  let blocks: ReturnType<typeof decodePem>;
  try {
    blocks = decodePem(text);
  } catch (error) {
    throw Object.assign(
      opensslError('ERR_OSSL_PEM_BAD_END_LINE', '04800066', 'PEM routines', 'bad end line'),
      { cause: error },
    );
  }
  const certificates = blocks.filter((block) => certificateLabels.has(block.label));
  if (certificates.length === 0) throw noStartLine();
  return certificates.map((block) => {
    try {
      return parseCertificate(block.der);
    } catch (error) {
      throw Object.assign(
        opensslError('ERR_OSSL_ASN1_WRONG_TAG', '068000A8', 'asn1 encoding routines', 'wrong tag'),
        { cause: error },
      );
    }
  });
}

/**
 * The certificates of a `ca` value. As OpenSSL's X509_STORE loading, reading stops quietly at the
 * first block that is not a readable certificate; text that holds none adds nothing.
 */
export function readCaCertificates(value: PemInput): Certificate[] {
  const found: Certificate[] = [];
  let blocks: ReturnType<typeof decodePem>;
  try {
    blocks = decodePem(pemText(value));
  } catch {
    return found;
  }
  for (const block of blocks) {
    if (!certificateLabels.has(block.label)) continue;
    try {
      found.push(parseCertificate(block.der));
    } catch {
      break;
    }
  }
  return found;
}

/**
 * The CRLs of a `crl` value.
 * @throws Error `ERR_CRYPTO_OPERATION_FAILED` "Failed to parse CRL", as Node.
 */
export function readCrls(value: PemInput): Crl[] {
  try {
    const blocks = decodePem(pemText(value), 'X509 CRL');
    if (blocks.length === 0) throw noStartLine();
    return blocks.map((block) => parseCrl(block.der));
  } catch (error) {
    throw contextError('ERR_CRYPTO_OPERATION_FAILED', 'Failed to parse CRL', error);
  }
}

/**
 * A private key from a `key` value.
 * @throws Error `ERR_OSSL_BAD_DECRYPT` (encrypted key with a missing or wrong passphrase),
 *   `ERR_OSSL_UNSUPPORTED` (no readable private key), as Node.
 */
export function readPrivateKey(
  value: PemInput,
  passphrase: string | undefined,
  provider: CryptoProvider,
): PrivateKey {
  try {
    return importPrivateKey(pemText(value), provider, passphrase === undefined ? {} : { passphrase });
  } catch (error) {
    if (hasErrorCode(error, 'ERR_MISSING_PASSPHRASE') || hasErrorCode(error, 'ERR_OSSL_BAD_DECRYPT')) {
      throw Object.assign(
        opensslError('ERR_OSSL_BAD_DECRYPT', '1C800064', 'Provider routines', 'bad decrypt'),
        { cause: error },
      );
    }
    throw Object.assign(opensslError('ERR_OSSL_UNSUPPORTED', '1E08010C', 'DECODER routines', 'unsupported'), {
      cause: error,
    });
  }
}

/** OpenSSL keeps one certificate per key kind (SSL_PKEY_RSA, SSL_PKEY_ECC, ...); so do we. */
export function keySlot(type: string): string {
  return type;
}

/**
 * The security strength of a certificate's key in bits, as OpenSSL rates it for security levels
 * (EVP_PKEY_get_security_bits: NIST SP 800-57 for RSA, half the field size for EC).
 * @example securityBits(parseCertificate(der)) // 112 for RSA-2048
 */
export function securityBits(certificate: Certificate): number {
  const key = certificate.subjectPublicKeyInfo.key;
  const bits = key.bits ?? 0;
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss':
      return bits >= 15360
        ? 256
        : bits >= 7680
          ? 192
          : bits >= 3072
            ? 128
            : bits >= 2048
              ? 112
              : bits >= 1024
                ? 80
                : 0;
    case 'ed25519':
    case 'x25519':
      return 128;
    case 'ed448':
    case 'x448':
      return 224;
    case 'ec':
      return bits >= 512
        ? 256
        : bits >= 384
          ? 192
          : bits >= 256
            ? 128
            : bits >= 224
              ? 112
              : bits >= 160
                ? 80
                : 0;
    default:
      return 0;
  }
}

/** The minimum key strength of each `@SECLEVEL` (ssl_security_default_callback). */
export const securityLevelBits: readonly number[] = [0, 80, 112, 128, 192, 256];

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * OpenSSL's automatic chain (ssl_add_cert_chain without SSL_MODE_NO_AUTO_CHAIN): a `cert` given
 * as a lone leaf is sent with the issuers found in the context's `ca` certificates, up to and
 * including a self-issued root, as far as they go.
 * @example completeChain([leaf], [intermediate, root]) // [leaf, intermediate, root]
 */
export function completeChain(
  chain: readonly Certificate[],
  store: readonly Certificate[],
): readonly Certificate[] {
  if (chain.length !== 1 || store.length === 0) return chain;
  const path = [chain[0]!];
  for (let depth = 0; depth < 10; depth++) {
    const current = path[path.length - 1]!;
    if (depth > 0 && namesEqual(current.subject, current.issuer)) break;
    const keyId = current.decoded.authorityKeyIdentifier?.keyIdentifier;
    const issuer = store.find(
      (candidate) =>
        namesEqual(candidate.subject, current.issuer) &&
        !path.some((seen) => sameBytes(seen.der, candidate.der)) &&
        (keyId === undefined ||
          candidate.decoded.subjectKeyIdentifier === undefined ||
          sameBytes(keyId, candidate.decoded.subjectKeyIdentifier)),
    );
    if (issuer === undefined) break;
    path.push(issuer);
  }
  return path;
}
