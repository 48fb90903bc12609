// CertificateVerify (RFC 8446 §4.4.3; the same wire form as TLS 1.2's digitally-signed struct,
// RFC 5246 §4.7), and the content a TLS 1.3 signature covers.

import type { Reader, Writer } from '@tls/record';
import type { SignatureScheme } from '@tls/crypto';
import { HandshakeType } from '../enums.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface CertificateVerify {
  readonly algorithm: SignatureScheme;
  /** `opaque signature<0..2^16-1>`. */
  readonly signature: Uint8Array;
}

export type DecodedCertificateVerify = CertificateVerify & { readonly original: Uint8Array };

/** Reads a CertificateVerify body. @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed. */
export function readCertificateVerify(reader: Reader): CertificateVerify {
  const algorithm = reader.u16('algorithm');
  const signature = reader.vector(2, 'signature');
  reader.expectEnd('CertificateVerify');
  return { algorithm, signature };
}

/** Writes what `readCertificateVerify` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCertificateVerify(writer: Writer, message: CertificateVerify): void {
  writer.u16(message.algorithm).vector(2, message.signature);
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR`, `ERR_SSL_UNEXPECTED_MESSAGE`. */
export function decodeCertificateVerify(message: Uint8Array): DecodedCertificateVerify {
  const original = copyBytes(message);
  return { ...readCertificateVerify(openHandshake(original, HandshakeType.CertificateVerify)), original };
}

/**
 * Encodes a CertificateVerify with its handshake header.
 * @throws RangeError when the signature is longer than 2^16-1 bytes.
 * @example encodeCertificateVerify({ algorithm: SignatureScheme.EcdsaSecp256r1Sha256, signature })
 */
export function encodeCertificateVerify(message: CertificateVerify): Uint8Array {
  return encodeHandshake(HandshakeType.CertificateVerify, (w) => writeCertificateVerify(w, message));
}

const serverContext = 'TLS 1.3, server CertificateVerify';
const clientContext = 'TLS 1.3, client CertificateVerify';

/**
 * The bytes a TLS 1.3 CertificateVerify signs (RFC 8446 §4.4.3): 64 spaces, the context string,
 * a zero byte, then the transcript hash up to (not including) the CertificateVerify.
 * @example certificateVerifyContent('server', transcriptHash)
 */
export function certificateVerifyContent(
  signer: 'server' | 'client',
  transcriptHash: Uint8Array,
): Uint8Array {
  const context = signer === 'server' ? serverContext : clientContext;
  const out = new Uint8Array(64 + context.length + 1 + transcriptHash.length);
  out.fill(0x20, 0, 64);
  for (let i = 0; i < context.length; i++) out[64 + i] = context.charCodeAt(i);
  out.set(transcriptHash, 64 + context.length + 1);
  return out;
}
