// Small pieces both roles of the TLS 1.3 state machine use.

import { type CryptoProvider, type PrivateKey, type PublicKey, SignatureScheme } from '@tls/crypto';
import { copyBytes } from '@tls/record';
import {
  type CertifiedKey,
  type ConnectionConfig,
  defaultSignatureSchemes,
  isTls13SignatureScheme,
} from '../connection/config.js';
import { HandshakeType, handshakeTypeName } from '../enums.js';
import { unexpectedMessage } from '../errors.js';
import { encodeHandshake, openHandshake } from '../messages/handshake.js';
import {
  type DigitallySigned,
  readDigitallySigned,
  writeDigitallySigned,
} from '../messages/tls12/digitally-signed.js';
import type { HandshakeFrame } from '../reassembler.js';

/**
 * The first check of every state: the message is of the type it waits for (rustls's
 * `require_handshake_msg`). "Implementations … MUST abort with unexpected_message" (RFC 8446 §4).
 */
export function requireMessage(frame: HandshakeFrame, type: number): void {
  if (frame.type !== type) {
    throw unexpectedMessage(
      `peer sent ${handshakeTypeName(frame.type)} where ${handshakeTypeName(type)} was expected (RFC 8446 §4)`,
    );
  }
}

/** Equality of public values (session ids, names); secrets use provider.timingSafeEqual. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytes as a string of the same code units (ALPN names, host names are ASCII). */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/** A fresh copy that shares no memory with its source (Buffer#slice would be a view). */
export { copyBytes };

/**
 * The scheme to sign with: the peer's first preference that we enable and that `key` can make
 * (RFC 8446 §4.2.3, §4.4.3), or undefined.
 */
export function chooseSignatureScheme(
  provider: CryptoProvider,
  key: PrivateKey,
  peerSchemes: readonly number[],
  ourSchemes: readonly number[],
): number | undefined {
  return peerSchemes.find(
    (scheme) => ourSchemes.includes(scheme) && provider.isSchemeCompatible(scheme, key),
  );
}

/**
 * Whether `key` can sign or verify `scheme` in TLS 1.2, where a SignatureAndHashAlgorithm names a
 * hash and a key type only (RFC 5246 §7.4.1.4.1): ECDSA codepoints do not fix the curve there.
 */
export function isTls12SchemeCompatible(
  provider: CryptoProvider,
  scheme: number,
  key: PublicKey | PrivateKey,
): boolean {
  if (scheme === SignatureScheme.LegacyRsaPkcs1Md5Sha1) return key.type === 'rsa';
  const signature = scheme & 0xff;
  if (scheme < 0x0700 && signature === 0x03) return key.type === 'ec';
  if (scheme < 0x0700 && signature === 0x01) return key.type === 'rsa';
  return provider.isSchemeCompatible(scheme, key);
}

/**
 * TLS 1.0/1.1 sign without naming an algorithm (RFC 4346 §4.7): RSA over MD5‖SHA-1, ECDSA over
 * SHA-1 (RFC 4492 §5.4).
 */
export function legacySignatureScheme(key: PublicKey | PrivateKey): number | undefined {
  if (key.type === 'rsa') return SignatureScheme.LegacyRsaPkcs1Md5Sha1;
  if (key.type === 'ec') return SignatureScheme.EcdsaSha1;
  return undefined;
}

/** The TLS 1.2 form of CertificateVerify (RFC 5246 §7.4.8): a digitally-signed struct. */
export function encodeTls12CertificateVerify(signed: DigitallySigned): Uint8Array {
  return encodeHandshake(
    HandshakeType.CertificateVerify,
    (writer) => writeDigitallySigned(writer, signed),
    signed.signature.length + 16,
  );
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed. */
export function decodeTls12CertificateVerify(message: Uint8Array, version: number): DigitallySigned {
  const reader = openHandshake(message, HandshakeType.CertificateVerify);
  const signed = readDigitallySigned(reader, version);
  reader.expectEnd('CertificateVerify');
  return { algorithm: signed.algorithm, signature: copyBytes(signed.signature) };
}

/** A list of 8-bit length-prefixed names (NPN's ServerHello body), or undefined when malformed. */
export function decodeNameList(data: Uint8Array): string[] | undefined {
  const names: string[] = [];
  for (let at = 0; at < data.length; ) {
    const length = data[at]!;
    if (length === 0 || at + 1 + length > data.length) return undefined;
    names.push(latin1(data.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return names;
}

/** The inverse of `decodeNameList`. */
export function encodeNameList(names: readonly string[]): Uint8Array {
  const parts = names.map((name) => Uint8Array.from(name, (c) => c.charCodeAt(0)));
  const out = new Uint8Array(parts.reduce((n, part) => n + 1 + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out[at] = part.length;
    out.set(part, at + 1);
    at += 1 + part.length;
  }
  return out;
}

/**
 * Whether a certificate key can authenticate a TLS 1.2 suite: RSA (or RSA-PSS, RFC 8446 §4.2.3
 * as OpenSSL applies it to TLS 1.2) for *_RSA_* suites, ECDSA or EdDSA (RFC 8422 §5.3) for
 * *_ECDSA_* suites; static RSA key exchange needs an rsaEncryption key (RFC 5246 §7.4.2).
 */
export function fitsTls12Suite(
  keyType: string,
  authentication: 'any' | 'rsa' | 'ecdsa',
  keyExchange: 'any' | 'ecdhe' | 'dhe' | 'rsa',
): boolean {
  if (keyExchange === 'rsa') return keyType === 'rsa';
  if (authentication === 'ecdsa') return keyType === 'ec' || keyType === 'ed25519' || keyType === 'ed448';
  return keyType === 'rsa' || keyType === 'rsa-pss';
}

/** The size in bits of a big-endian unsigned integer. */
export function bitLength(value: Uint8Array): number {
  let at = 0;
  while (at < value.length && value[at] === 0) at++;
  if (at === value.length) return 0;
  return (value.length - at - 1) * 8 + (32 - Math.clz32(value[at]!));
}

/** RFC 5246 §8.1.2: leading zero bytes of a DH shared secret are stripped. */
export function stripLeadingZeros(value: Uint8Array): Uint8Array {
  let at = 0;
  while (at < value.length - 1 && value[at] === 0) at++;
  return value.subarray(at);
}

/**
 * Certificates in the order a server should try them: first those whose leaf signature is one
 * the client accepts in certificates (signature_algorithms_cert, else signature_algorithms: RFC
 * 8446 §4.2.3, RFC 5246 §7.4.2), then the rest, since "the server SHOULD continue the handshake
 * by sending the client a certificate chain of its choice" when none fits. Stable otherwise.
 */
export function preferCertificatesSignedAsAsked<T extends { readonly certificateSignatureScheme?: number }>(
  certificates: readonly T[],
  accepted: readonly number[] | undefined,
): readonly T[] {
  if (accepted === undefined) return certificates;
  const fits = (certified: T) =>
    certified.certificateSignatureScheme === undefined ||
    accepted.includes(certified.certificateSignatureScheme);
  return [...certificates.filter(fits), ...certificates.filter((certified) => !fits(certified))];
}

/**
 * Our chain for a TLS 1.3 CertificateRequest, in the handshake or after it (RFC 8446 §4.4.2.3):
 * the first whose key can sign one of the schemes asked for, or undefined (an empty Certificate).
 */
export function chooseClientCertificate(
  config: ConnectionConfig,
  provider: CryptoProvider,
  schemes: readonly number[],
): { key: CertifiedKey; scheme: number } | undefined {
  for (const key of config.certificates ?? []) {
    const scheme = chooseSignatureScheme(
      provider,
      key.privateKey as PrivateKey,
      schemes,
      (config.signatureSchemes ?? defaultSignatureSchemes).filter(isTls13SignatureScheme),
    );
    if (scheme !== undefined) return { key, scheme };
  }
  return undefined;
}
