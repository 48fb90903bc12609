// early_data (RFC 8446 §4.2.10): empty in ClientHello and EncryptedExtensions; in
// NewSessionTicket it carries max_early_data_size.

import type { Reader, Writer } from '@tls/record';

/** NewSessionTicket: `uint32 max_early_data_size`. */
export interface EarlyDataNewSessionTicket {
  readonly kind: 'early_data';
  readonly maxEarlyDataSize: number;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readEarlyDataNewSessionTicket(reader: Reader): EarlyDataNewSessionTicket {
  return { kind: 'early_data', maxEarlyDataSize: reader.u32('max_early_data_size') };
}

/** Writes what `readEarlyDataNewSessionTicket` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeEarlyDataNewSessionTicket(writer: Writer, extension: EarlyDataNewSessionTicket): void {
  writer.u32(extension.maxEarlyDataSize);
}
