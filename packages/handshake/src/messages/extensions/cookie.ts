// cookie (RFC 8446 §4.2.2): sent by the server in a HelloRetryRequest, echoed in ClientHello2.

import type { Reader, Writer } from '@tls/record';

export interface Cookie {
  readonly kind: 'cookie';
  /** `opaque cookie<1..2^16-1>`. */
  readonly cookie: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readCookie(reader: Reader): Cookie {
  return { kind: 'cookie', cookie: reader.vector(2, 'cookie', 1) };
}

/** Writes what `readCookie` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeCookie(writer: Writer, extension: Cookie): void {
  writer.vector(2, extension.cookie);
}
