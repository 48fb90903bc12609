// certificate_authorities (RFC 8446 §4.2.4).

import type { Reader, Writer } from '@tls/record';
import { readOpaqueList, writeOpaqueList } from './lists.js';

export interface CertificateAuthorities {
  readonly kind: 'certificate_authorities';
  /** `DistinguishedName authorities<3..2^16-1>`, each the DER of an X.501 Name `<1..2^16-1>`. */
  readonly authorities: readonly Uint8Array[];
}

export function readCertificateAuthorities(reader: Reader): CertificateAuthorities {
  return { kind: 'certificate_authorities', authorities: readOpaqueList(reader, 'authorities', 3, 2, 1) };
}

export function writeCertificateAuthorities(writer: Writer, extension: CertificateAuthorities): void {
  writeOpaqueList(writer, extension.authorities, 2);
}
