// certificate_authorities (RFC 8446 §4.2.4).

import type { Reader, Writer } from '@tls/record';
import { readOpaqueList, writeOpaqueList } from './lists.js';

export interface CertificateAuthorities {
  readonly kind: 'certificate_authorities';
  /** `DistinguishedName authorities<3..2^16-1>`, each the DER of an X.501 Name `<1..2^16-1>`. */
  readonly authorities: readonly Uint8Array[];
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readCertificateAuthorities(reader: Reader): CertificateAuthorities {
  return { kind: 'certificate_authorities', authorities: readOpaqueList(reader, 'authorities', 3, 2, 1) };
}

/** Writes what `readCertificateAuthorities` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCertificateAuthorities(writer: Writer, extension: CertificateAuthorities): void {
  writeOpaqueList(writer, extension.authorities, 2);
}
