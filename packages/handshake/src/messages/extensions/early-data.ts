// early_data (RFC 8446 §4.2.10): empty in ClientHello and EncryptedExtensions; in
// NewSessionTicket it carries max_early_data_size.

import type { Reader, Writer } from '@tls/record';

/** NewSessionTicket: `uint32 max_early_data_size`. */
export interface EarlyDataNewSessionTicket {
  readonly kind: 'early_data';
  readonly maxEarlyDataSize: number;
}

export function readEarlyDataNewSessionTicket(reader: Reader): EarlyDataNewSessionTicket {
  return { kind: 'early_data', maxEarlyDataSize: reader.u32('max_early_data_size') };
}

export function writeEarlyDataNewSessionTicket(writer: Writer, extension: EarlyDataNewSessionTicket): void {
  writer.u32(extension.maxEarlyDataSize);
}
