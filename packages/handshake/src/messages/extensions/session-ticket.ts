// session_ticket (RFC 5077 §3.2), TLS 1.2 and earlier.

import type { Reader, Writer } from '@tls/record';

export interface SessionTicket {
  readonly kind: 'session_ticket';
  /** The whole extension_data: a ticket in ClientHello (empty to ask for one), empty in ServerHello. */
  readonly ticket: Uint8Array;
}

/** Reads session_ticket: the whole extension_data (RFC 5077 §3.2). */
export function readSessionTicket(reader: Reader): SessionTicket {
  return { kind: 'session_ticket', ticket: reader.rest() };
}

/** Writes what `readSessionTicket` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeSessionTicket(writer: Writer, extension: SessionTicket): void {
  writer.bytes(extension.ticket);
}
