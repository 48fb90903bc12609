// CertificateRequest, TLS 1.3 form (RFC 8446 §4.3.2).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../enums.js';
import { missingExtension } from '../errors.js';
import {
  type CertificateRequestExtension,
  readExtensions,
  writeExtensions,
} from './extensions/extension-list.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface CertificateRequest {
  /** `opaque certificate_request_context<0..2^8-1>`: empty in the handshake (RFC 8446 §4.3.2). */
  readonly certificateRequestContext: Uint8Array;
  /** `Extension extensions<2..2^16-1>`; signature_algorithms is mandatory. */
  readonly extensions: readonly CertificateRequestExtension[];
}

export type DecodedCertificateRequest = CertificateRequest & { readonly original: Uint8Array };

/**
 * @throws TlsError `ERR_SSL_DECODE_ERROR`; `ERR_SSL_BAD_EXTENSION` (illegal_parameter);
 *   `ERR_SSL_MISSING_EXTENSION` without signature_algorithms ("The signature_algorithms extension
 *   MUST be specified", RFC 8446 §4.3.2).
 */
export function readCertificateRequest(reader: Reader): CertificateRequest {
  const certificateRequestContext = reader.vector(1, 'certificate_request_context');
  const extensions = readExtensions(reader, 'certificate-request', 2) as CertificateRequestExtension[];
  reader.expectEnd('CertificateRequest');
  if (!extensions.some((e) => e.kind === 'signature_algorithms')) {
    throw missingExtension('server sent a CertificateRequest without signature_algorithms (RFC 8446 §4.3.2)');
  }
  return { certificateRequestContext, extensions };
}

/** Writes what `readCertificateRequest` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCertificateRequest(writer: Writer, message: CertificateRequest): void {
  writer.vector(1, message.certificateRequestContext);
  writeExtensions(writer, message.extensions);
}

/** Decodes a complete TLS 1.3 CertificateRequest (header included). @throws see `readCertificateRequest`. */
export function decodeCertificateRequest(message: Uint8Array): DecodedCertificateRequest {
  const original = copyBytes(message);
  return { ...readCertificateRequest(openHandshake(original, HandshakeType.CertificateRequest)), original };
}

/** Encodes a TLS 1.3 CertificateRequest with its header. */
export function encodeCertificateRequest(message: CertificateRequest): Uint8Array {
  return encodeHandshake(HandshakeType.CertificateRequest, (w) => writeCertificateRequest(w, message));
}
