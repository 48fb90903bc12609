// The options of `tls.createSecureContext()`, with Node's names and accepted types, and the
// validators Node applies to them (lib/internal/validators.js semantics).

import type { CryptoProvider } from '@tls/crypto';
import { invalidArgType, outOfRange } from './errors.js';

/** A PEM value: text, or a Buffer / TypedArray / DataView holding the text. */
export type PemValue = string | ArrayBufferView;

/** A key with its own passphrase, as in `key: [{ pem, passphrase }]`. */
export interface KeyWithPassphrase {
  readonly pem: PemValue;
  readonly passphrase?: string | undefined;
}

/** A PFX with its own passphrase, as in `pfx: [{ buf, passphrase }]`. */
export interface PfxWithPassphrase {
  readonly buf: PemValue;
  readonly passphrase?: string | undefined;
}

export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/** Node's `tls.createSecureContext()` options (current Node), plus `provider`. */
export interface SecureContextOptions {
  /** Private keys (PEM), one per key kind; objects carry their own passphrase. */
  readonly key?: PemValue | readonly (PemValue | KeyWithPassphrase)[] | undefined;
  /** Certificate chains (PEM: leaf, then intermediates); several chains of different key kinds. */
  readonly cert?: PemValue | readonly PemValue[] | undefined;
  /** Shared passphrase for encrypted keys (and PFX). */
  readonly passphrase?: string | undefined;
  /** PKCS#12 files: bytes (text is taken as its UTF-8 bytes), or `{ buf, passphrase }`. */
  readonly pfx?: PemValue | readonly (PemValue | PfxWithPassphrase)[] | undefined;
  /** Trusted CA certificates (PEM); replaces the bundled Mozilla roots. */
  readonly ca?: PemValue | readonly PemValue[] | undefined;
  /** Certificate revocation lists (PEM). */
  readonly crl?: PemValue | readonly PemValue[] | undefined;
  /** Let a non-self-signed certificate of `ca` end a path (X509_V_FLAG_PARTIAL_CHAIN). */
  readonly allowPartialTrustChain?: boolean | undefined;
  /** OpenSSL cipher list; `TLS_*` names set the TLS 1.3 suites. Default `DEFAULT_CIPHERS`. */
  readonly ciphers?: string | undefined;
  /** Server: choose the suite by our order (SSL_OP_CIPHER_SERVER_PREFERENCE). */
  readonly honorCipherOrder?: boolean | undefined;
  /** Groups: a name, a colon list or `'auto'`. Default `DEFAULT_ECDH_CURVE`. */
  readonly ecdhCurve?: string | undefined;
  /** DH parameters (PEM) for DHE suites, or `'auto'`. */
  readonly dhparam?: PemValue | undefined;
  readonly minVersion?: TlsVersionName | undefined;
  readonly maxVersion?: TlsVersionName | undefined;
  /** An OpenSSL method name (`TLSv1_2_method`, `TLS_method`, ...); excludes min/maxVersion. */
  readonly secureProtocol?: string | undefined;
  /** SSL_OP_* flags (see `SecureOptions`). */
  readonly secureOptions?: number | undefined;
  /** Signature algorithms, OpenSSL syntax (`ECDSA+SHA256:rsa_pss_rsae_sha256`). */
  readonly sigalgs?: string | undefined;
  /** Server: the session id context (at most 32 bytes). */
  readonly sessionIdContext?: string | undefined;
  /** Server: seconds a session (ticket) stays resumable. */
  readonly sessionTimeout?: number | undefined;
  /** Server: the 48-byte ticket key material. */
  readonly ticketKeys?: ArrayBufferView | undefined;
  /** OpenSSL engines are not supported (`ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED`). */
  readonly clientCertEngine?: string | undefined;
  readonly privateKeyEngine?: string | undefined;
  readonly privateKeyIdentifier?: string | undefined;
  /** Not a Node option: the crypto provider (default: node:crypto). */
  readonly provider?: CryptoProvider | undefined;
}

/**
 * Node's validateString.
 * @throws TypeError `ERR_INVALID_ARG_TYPE`.
 */
export function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
}

/**
 * Node's validateInteger / validateInt32.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` (not a number); RangeError `ERR_OUT_OF_RANGE`.
 */
export function requireInteger(
  value: unknown,
  name: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

/**
 * Node's validateObject (no null, no array, no function).
 * @throws TypeError `ERR_INVALID_ARG_TYPE`.
 */
export function requireObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalidArgType(name, 'of type object', value);
}

/**
 * Node's validateBuffer.
 * @throws TypeError `ERR_INVALID_ARG_TYPE`.
 */
export function requireBufferView(value: unknown, name: string): asserts value is ArrayBufferView {
  if (!ArrayBuffer.isView(value))
    throw invalidArgType(name, 'an instance of Buffer, TypedArray, or DataView', value);
}

/** Bytes of a view (a copy: the context never keeps caller memory). */
export function viewBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}
