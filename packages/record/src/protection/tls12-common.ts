// What the TLS 1.0-1.2 protections share: the 13-byte pseudo-header that both the CBC MAC
// (RFC 5246 §6.2.3.1) and the AEAD additional data (RFC 5246 §6.2.3.3) cover.

import type { SequenceNumber } from '../sequence.js';

/** seq_num (8) ‖ type (1) ‖ version (2) ‖ length (2), written into `header` when given. */
export function tls12PseudoHeader(
  sequence: SequenceNumber,
  contentType: number,
  version: number,
  length: number,
  header: Uint8Array = new Uint8Array(13),
): Uint8Array {
  sequence.writeTo(header, 0);
  header[8] = contentType;
  header[9] = version >>> 8;
  header[10] = version & 0xff;
  header[11] = length >>> 8;
  header[12] = length & 0xff;
  return header;
}
