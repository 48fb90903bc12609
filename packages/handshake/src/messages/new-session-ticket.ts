// NewSessionTicket, TLS 1.3 form (RFC 8446 §4.6.1).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../enums.js';
import {
  type NewSessionTicketExtension,
  readExtensions,
  writeExtensions,
} from './extensions/extension-list.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface NewSessionTicket {
  /** Seconds, at most 604800 (7 days); the receiver enforces the cap (RFC 8446 §4.6.1). */
  readonly ticketLifetime: number;
  readonly ticketAgeAdd: number;
  /** `opaque ticket_nonce<0..255>`. */
  readonly ticketNonce: Uint8Array;
  /** `opaque ticket<1..2^16-1>`. */
  readonly ticket: Uint8Array;
  /** `Extension extensions<0..2^16-2>`. */
  readonly extensions: readonly NewSessionTicketExtension[];
}

export type DecodedNewSessionTicket = NewSessionTicket & { readonly original: Uint8Array };

/** @throws TlsError `ERR_SSL_DECODE_ERROR`; `ERR_SSL_BAD_EXTENSION` (illegal_parameter). */
export function readNewSessionTicket(reader: Reader): NewSessionTicket {
  const ticketLifetime = reader.u32('ticket_lifetime');
  const ticketAgeAdd = reader.u32('ticket_age_add');
  const ticketNonce = reader.vector(1, 'ticket_nonce');
  const ticket = reader.vector(2, 'ticket', 1);
  const extensions = readExtensions(reader, 'new-session-ticket') as NewSessionTicketExtension[];
  reader.expectEnd('NewSessionTicket');
  return { ticketLifetime, ticketAgeAdd, ticketNonce, ticket, extensions };
}

/** Writes what `readNewSessionTicket` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeNewSessionTicket(writer: Writer, message: NewSessionTicket): void {
  writer.u32(message.ticketLifetime).u32(message.ticketAgeAdd);
  writer.vector(1, message.ticketNonce).vector(2, message.ticket);
  writeExtensions(writer, message.extensions);
}

/** Decodes a complete TLS 1.3 NewSessionTicket (header included). @throws see `readNewSessionTicket`. */
export function decodeNewSessionTicket(message: Uint8Array): DecodedNewSessionTicket {
  const original = copyBytes(message);
  return { ...readNewSessionTicket(openHandshake(original, HandshakeType.NewSessionTicket)), original };
}

/**
 * Encodes a TLS 1.3 NewSessionTicket with its handshake header.
 * @throws RangeError when the nonce or ticket is too long for its length prefix.
 * @example encodeNewSessionTicket({ ticketLifetime: 7200, ticketAgeAdd, ticketNonce, ticket, extensions: [] })
 */
export function encodeNewSessionTicket(message: NewSessionTicket): Uint8Array {
  return encodeHandshake(HandshakeType.NewSessionTicket, (w) => writeNewSessionTicket(w, message));
}
