// renegotiation_info (RFC 5746 §3.2), TLS 1.2 and earlier.

import type { Reader, Writer } from '@tls/record';

export interface RenegotiationInfo {
  readonly kind: 'renegotiation_info';
  /** `opaque renegotiated_connection<0..255>`: empty on an initial handshake. */
  readonly renegotiatedConnection: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readRenegotiationInfo(reader: Reader): RenegotiationInfo {
  return { kind: 'renegotiation_info', renegotiatedConnection: reader.vector(1, 'renegotiated_connection') };
}

/** Writes what `readRenegotiationInfo` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeRenegotiationInfo(writer: Writer, extension: RenegotiationInfo): void {
  writer.vector(1, extension.renegotiatedConnection);
}
