// Certificate, TLS 1.3 form (RFC 8446 §4.4.2): a request context and a list of entries, each
// with its own extensions (status_request carrying an OCSP response, signed_certificate_timestamp).
// Entries hold X.509 DER (or a raw public key when RFC 7250 types were negotiated, which the
// codec does not distinguish).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../enums.js';
import {
  type CertificateEntryExtension,
  readExtensions,
  writeExtensions,
} from './extensions/extension-list.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface CertificateEntry {
  /** `opaque cert_data<1..2^24-1>`: DER of one certificate. */
  readonly certData: Uint8Array;
  /** `Extension extensions<0..2^16-1>` of this entry. */
  readonly extensions: readonly CertificateEntryExtension[];
}

export interface Certificate {
  /** `opaque certificate_request_context<0..2^8-1>`: empty in the handshake, echoed for post-handshake auth. */
  readonly certificateRequestContext: Uint8Array;
  /** `CertificateEntry certificate_list<0..2^24-1>`, end-entity first; empty when a client has no certificate. */
  readonly certificateList: readonly CertificateEntry[];
}

export type DecodedCertificate = Certificate & { readonly original: Uint8Array };

/** @throws TlsError `ERR_SSL_DECODE_ERROR`, `ERR_SSL_BAD_EXTENSION` (illegal_parameter) for entry extensions the RFC does not allow. */
export function readCertificate(reader: Reader): Certificate {
  const certificateRequestContext = reader.vector(1, 'certificate_request_context');
  const list = reader.child(3, 'certificate_list');
  const certificateList: CertificateEntry[] = [];
  while (list.remaining > 0) {
    const certData = list.vector(3, 'cert_data', 1);
    const extensions = readExtensions(list, 'certificate') as CertificateEntryExtension[];
    certificateList.push({ certData, extensions });
  }
  reader.expectEnd('Certificate');
  return { certificateRequestContext, certificateList };
}

/** Writes what `readCertificate` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCertificate(writer: Writer, message: Certificate): void {
  writer.vector(1, message.certificateRequestContext);
  writer.lengthPrefixed(3, (w) => {
    for (const entry of message.certificateList) {
      w.vector(3, entry.certData);
      writeExtensions(w, entry.extensions);
    }
  });
}

/** Decodes a complete TLS 1.3 Certificate message (header included). @throws see `readCertificate`. */
export function decodeCertificate(message: Uint8Array): DecodedCertificate {
  const original = copyBytes(message);
  return { ...readCertificate(openHandshake(original, HandshakeType.Certificate)), original };
}

/** Encodes a TLS 1.3 Certificate message with its header. */
export function encodeCertificate(message: Certificate): Uint8Array {
  const size = message.certificateList.reduce((sum, e) => sum + e.certData.length + 16, 16);
  return encodeHandshake(HandshakeType.Certificate, (w) => writeCertificate(w, message), size);
}
