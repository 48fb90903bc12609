// The small TLS 1.2 messages: HelloRequest (RFC 5246 §7.4.1.1) and ServerHelloDone (§7.4.5),
// both empty; CertificateStatus (RFC 6066 §8); NewSessionTicket (RFC 5077 §3.3); and NextProtocol
// (draft-agl-tls-nextprotoneg-04 §3), for the `NPNProtocols` option of Node's v6 API.

import type { Reader, Writer } from '@tls/record';
import { CertificateStatusType, HandshakeType } from '../../enums.js';
import { illegalParameter } from '../../errors.js';
import { encodeHandshake, openHandshake } from '../handshake.js';
import { copyBytes } from '@tls/record';

/** @throws TlsError `ERR_SSL_DECODE_ERROR` for a body; `ERR_SSL_UNEXPECTED_MESSAGE` for another type. */
export function decodeHelloRequest(message: Uint8Array): { readonly original: Uint8Array } {
  const original = copyBytes(message);
  openHandshake(original, HandshakeType.HelloRequest).expectEnd('HelloRequest');
  return { original };
}

/** The HelloRequest message: 00 00 00 00. */
export function encodeHelloRequest(): Uint8Array {
  return encodeHandshake(HandshakeType.HelloRequest, () => {}, 4);
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` for a body; `ERR_SSL_UNEXPECTED_MESSAGE` for another type. */
export function decodeServerHelloDone(message: Uint8Array): { readonly original: Uint8Array } {
  const original = copyBytes(message);
  openHandshake(original, HandshakeType.ServerHelloDone).expectEnd('ServerHelloDone');
  return { original };
}

/** The ServerHelloDone message: 0e 00 00 00. */
export function encodeServerHelloDone(): Uint8Array {
  return encodeHandshake(HandshakeType.ServerHelloDone, () => {}, 4);
}

export interface Tls12CertificateStatus {
  readonly statusType: typeof CertificateStatusType.Ocsp;
  /** `opaque OCSPResponse<1..2^24-1>`: DER (RFC 6960). */
  readonly response: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR`; `ERR_SSL_ILLEGAL_PARAMETER` for a status type other than ocsp. */
export function readTls12CertificateStatus(reader: Reader): Tls12CertificateStatus {
  const statusType = reader.u8('status_type');
  if (statusType !== CertificateStatusType.Ocsp) {
    throw illegalParameter(`server sent a CertificateStatus of unknown type ${statusType} (RFC 6066 §8)`);
  }
  const response = reader.vector(3, 'OCSPResponse', 1);
  reader.expectEnd('CertificateStatus');
  return { statusType, response };
}

/** Writes what `readTls12CertificateStatus` reads. */
export function writeTls12CertificateStatus(writer: Writer, message: Tls12CertificateStatus): void {
  writer.u8(message.statusType).vector(3, message.response);
}

/** Decodes a complete CertificateStatus. @throws see `readTls12CertificateStatus`. */
export function decodeTls12CertificateStatus(
  message: Uint8Array,
): Tls12CertificateStatus & { readonly original: Uint8Array } {
  const original = copyBytes(message);
  return {
    ...readTls12CertificateStatus(openHandshake(original, HandshakeType.CertificateStatus)),
    original,
  };
}

/** Encodes a CertificateStatus with its header. */
export function encodeTls12CertificateStatus(message: Tls12CertificateStatus): Uint8Array {
  return encodeHandshake(
    HandshakeType.CertificateStatus,
    (w) => writeTls12CertificateStatus(w, message),
    message.response.length + 16,
  );
}

export interface Tls12NewSessionTicket {
  /** Seconds; 0 means unspecified (RFC 5077 §3.3). */
  readonly ticketLifetimeHint: number;
  /** `opaque ticket<0..2^16-1>`. */
  readonly ticket: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed. */
export function readTls12NewSessionTicket(reader: Reader): Tls12NewSessionTicket {
  const ticketLifetimeHint = reader.u32('ticket_lifetime_hint');
  const ticket = reader.vector(2, 'ticket');
  reader.expectEnd('NewSessionTicket');
  return { ticketLifetimeHint, ticket };
}

/** Writes what `readTls12NewSessionTicket` reads. */
export function writeTls12NewSessionTicket(writer: Writer, message: Tls12NewSessionTicket): void {
  writer.u32(message.ticketLifetimeHint).vector(2, message.ticket);
}

/** Decodes a complete TLS 1.2 NewSessionTicket. @throws see `readTls12NewSessionTicket`. */
export function decodeTls12NewSessionTicket(
  message: Uint8Array,
): Tls12NewSessionTicket & { readonly original: Uint8Array } {
  const original = copyBytes(message);
  return { ...readTls12NewSessionTicket(openHandshake(original, HandshakeType.NewSessionTicket)), original };
}

/** Encodes a TLS 1.2 NewSessionTicket with its header. */
export function encodeTls12NewSessionTicket(message: Tls12NewSessionTicket): Uint8Array {
  return encodeHandshake(
    HandshakeType.NewSessionTicket,
    (w) => writeTls12NewSessionTicket(w, message),
    message.ticket.length + 16,
  );
}

export interface NextProtocol {
  /** `opaque selected_protocol<0..255>`. */
  readonly selectedProtocol: Uint8Array;
  /** `opaque padding<0..255>`: zeros that make the body a multiple of 32 bytes. */
  readonly padding: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed. */
export function readNextProtocol(reader: Reader): NextProtocol {
  const selectedProtocol = reader.vector(1, 'selected_protocol');
  const padding = reader.vector(1, 'padding');
  reader.expectEnd('NextProtocol');
  return { selectedProtocol, padding };
}

/** Writes what `readNextProtocol` reads. */
export function writeNextProtocol(writer: Writer, message: NextProtocol): void {
  writer.vector(1, message.selectedProtocol).vector(1, message.padding);
}

/** Decodes a complete NextProtocol. @throws see `readNextProtocol`. */
export function decodeNextProtocol(message: Uint8Array): NextProtocol & { readonly original: Uint8Array } {
  const original = copyBytes(message);
  return { ...readNextProtocol(openHandshake(original, HandshakeType.NextProtocol)), original };
}

/**
 * Encodes a NextProtocol, padded with zeros as the draft asks: `32 - ((len + 2) % 32)` bytes.
 * @example encodeNextProtocol(new TextEncoder().encode('http/1.1'))
 */
export function encodeNextProtocol(selectedProtocol: Uint8Array): Uint8Array {
  const padding = new Uint8Array(32 - ((selectedProtocol.length + 2) % 32));
  return encodeHandshake(HandshakeType.NextProtocol, (w) =>
    writeNextProtocol(w, { selectedProtocol, padding }),
  );
}
