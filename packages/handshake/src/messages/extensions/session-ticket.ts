// session_ticket (RFC 5077 §3.2), TLS 1.2 and earlier.

import type { Reader, Writer } from '@tls/record';

export interface SessionTicket {
  readonly kind: 'session_ticket';
  /** The whole extension_data: a ticket in ClientHello (empty to ask for one), empty in ServerHello. */
  readonly ticket: Uint8Array;
}

export function readSessionTicket(reader: Reader): SessionTicket {
  return { kind: 'session_ticket', ticket: reader.rest() };
}

export function writeSessionTicket(writer: Writer, extension: SessionTicket): void {
  writer.bytes(extension.ticket);
}
