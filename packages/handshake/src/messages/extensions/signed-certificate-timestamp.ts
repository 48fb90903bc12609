// signed_certificate_timestamp (RFC 6962 §3.3): empty in ClientHello and CertificateRequest; a
// SignedCertificateTimestampList in a TLS 1.3 CertificateEntry or a TLS 1.2 ServerHello.

import type { Reader, Writer } from '@tls/record';
import { readOpaqueList, writeOpaqueList } from './lists.js';

export interface SignedCertificateTimestampList {
  readonly kind: 'signed_certificate_timestamp';
  /** `SerializedSCT sct_list<1..2^16-1>`, each `opaque<1..2^16-1>`. */
  readonly sctList: readonly Uint8Array[];
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readSignedCertificateTimestampList(reader: Reader): SignedCertificateTimestampList {
  return { kind: 'signed_certificate_timestamp', sctList: readOpaqueList(reader, 'sct_list', 1, 2, 1) };
}

/** Writes what `readSignedCertificateTimestampList` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeSignedCertificateTimestampList(
  writer: Writer,
  extension: SignedCertificateTimestampList,
): void {
  writeOpaqueList(writer, extension.sctList, 2);
}
