// What resumption carries (RFC 8446 §4.6.1, §4.2.11). Two encodings, both versioned:
// - the server's ticket state, sealed inside the ticket by TicketKey;
// - the client's session, the opaque bytes Node hands out as `session` / `getSession()` and takes
//   back as the `session` option of `connect()`.
// Decoders return undefined for anything they cannot read: a bad session just means no resumption.

import { Reader, Writer, isTlsError } from '@tls/record';
import { copyBytes, equalBytes } from '../client/common.js';

// Format 2 adds what TLS 1.2 needs (RFC 5077 §4, RFC 7627 §5.3): the version, whether the
// master secret is extended, and the client's session id; ticket state format 3 adds the server's
// session id context; ticket state format 4 and client session format 3 add max_early_data_size
// (RFC 8446 §4.6.1). Older formats are still read.
const ticketStateFormat = 4;
const clientSessionFormat = 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the server needs to resume: sealed inside the ticket. */
export interface TicketState {
  readonly cipherSuite: number;
  /** The resumption PSK (RFC 8446 §4.6.1). */
  readonly psk: Uint8Array;
  /** Milliseconds since the epoch when the ticket was issued. */
  readonly issuedAt: number;
  /** Seconds. */
  readonly lifetime: number;
  readonly ageAdd: number;
  readonly serverName: string | undefined;
  readonly alpnProtocol: string | undefined;
  /** 0x0304 (default) or the TLS 1.2-and-older version of the session; then `psk` is its master secret. */
  readonly version?: number;
  /** TLS 1.2: the session used the extended master secret (RFC 7627 §5.3). */
  readonly extendedMasterSecret?: boolean;
  /** TLS 1.2: the client's chain, so a resumed connection still reports it (as OpenSSL's sessions). */
  readonly peerCertificates?: readonly Uint8Array[];
  /** The issuing server's session id context (`ConnectionConfig.sessionIdContext`); empty when none. */
  readonly sessionIdContext?: Uint8Array;
  /**
   * TLS 1.3: the max_early_data_size the ticket announced (RFC 8446 §4.6.1); 0 or absent when the
   * ticket allows no 0-RTT data.
   */
  readonly maxEarlyData?: number;
}

/**
 * Whether a server with `sessionIdContext` may resume `state` (OpenSSL refuses a session from
 * another context: "attempt to reuse session in different context"; a full handshake follows).
 */
export function sameSessionIdContext(state: TicketState, sessionIdContext: Uint8Array | undefined): boolean {
  return equalBytes(state.sessionIdContext ?? new Uint8Array(0), sessionIdContext ?? new Uint8Array(0));
}

/** What the client keeps to resume: the ticket and the PSK behind it. */
export interface ClientSession {
  readonly version: number;
  readonly cipherSuite: number;
  readonly psk: Uint8Array;
  readonly ticket: Uint8Array;
  /** Milliseconds since the epoch when the ticket arrived. */
  readonly receivedAt: number;
  /** Seconds, at most 604800 (RFC 8446 §4.6.1). */
  readonly lifetime: number;
  readonly ageAdd: number;
  readonly serverName: string | undefined;
  readonly alpnProtocol: string | undefined;
  /** The server's chain from the full handshake, so a resumed connection still reports it. */
  readonly peerCertificates: readonly Uint8Array[];
  /** TLS 1.2: the session id the server assigned (empty for a ticket-only session). */
  readonly sessionId?: Uint8Array;
  /** TLS 1.2: the session used the extended master secret (RFC 7627 §5.3). */
  readonly extendedMasterSecret?: boolean;
  /**
   * TLS 1.3: the max_early_data_size of the server's NewSessionTicket (RFC 8446 §4.6.1): how
   * many bytes of 0-RTT data may be sent when resuming; 0 or absent when none.
   */
  readonly maxEarlyData?: number;
}

function writeTime(writer: Writer, milliseconds: number): void {
  writer.u32(Math.floor(milliseconds / 0x1_0000_0000)).u32(milliseconds >>> 0);
}

function readTime(reader: Reader): number {
  return reader.u32() * 0x1_0000_0000 + reader.u32();
}

function writeText(writer: Writer, text: string | undefined): void {
  writer.vector(1, encoder.encode(text ?? ''));
}

function readText(reader: Reader): string | undefined {
  const bytes = reader.vector(1);
  return bytes.length === 0 ? undefined : decoder.decode(bytes);
}

function writeChain(writer: Writer, chain: readonly Uint8Array[]): void {
  writer.lengthPrefixed(3, (w) => {
    for (const certificate of chain) w.vector(3, certificate);
  });
}

function readChain(reader: Reader): Uint8Array[] {
  const list = reader.child(3);
  const chain: Uint8Array[] = [];
  while (list.remaining > 0) chain.push(copyBytes(list.vector(3)));
  return chain;
}

function decodeWith<T>(bytes: Uint8Array, read: (reader: Reader) => T): T | undefined {
  try {
    const reader = new Reader(bytes);
    const value = read(reader);
    reader.expectEnd();
    return value;
  } catch (error) {
    if (isTlsError(error)) return undefined;
    throw error;
  }
}

/**
 * `bytes` (a Writer's result, a view of its grown buffer) on a buffer of its own size when the
 * unused tail is large: sessions are kept for a connection's life and in caches.
 */
function exactBytes(bytes: Uint8Array): Uint8Array {
  return bytes.buffer.byteLength - bytes.length > 64 ? bytes.slice() : bytes;
}

export function encodeTicketState(state: TicketState): Uint8Array {
  const writer = new Writer(128);
  writer.u8(ticketStateFormat).u16(state.cipherSuite).vector(1, state.psk);
  writeTime(writer, state.issuedAt);
  writer.u32(state.lifetime).u32(state.ageAdd);
  writeText(writer, state.serverName);
  writeText(writer, state.alpnProtocol);
  writer.u16(state.version ?? 0x0304).u8(state.extendedMasterSecret === true ? 1 : 0);
  writeChain(writer, state.peerCertificates ?? []);
  writer.vector(1, state.sessionIdContext ?? new Uint8Array(0));
  writer.u32(state.maxEarlyData ?? 0);
  return exactBytes(writer.finish());
}

export function decodeTicketState(bytes: Uint8Array): TicketState | undefined {
  return decodeWith(bytes, (reader) => {
    const format = reader.u8();
    if (format < 1 || format > ticketStateFormat) return undefined;
    const cipherSuite = reader.u16();
    const psk = copyBytes(reader.vector(1));
    const issuedAt = readTime(reader);
    const lifetime = reader.u32();
    const ageAdd = reader.u32();
    const serverName = readText(reader);
    const alpnProtocol = readText(reader);
    const version = format === 1 ? 0x0304 : reader.u16();
    const extendedMasterSecret = format === 1 ? false : reader.u8() === 1;
    const peerCertificates = format === 1 ? [] : readChain(reader);
    const sessionIdContext = format < 3 ? new Uint8Array(0) : copyBytes(reader.vector(1));
    const maxEarlyData = format < 4 ? 0 : reader.u32();
    return {
      maxEarlyData,
      peerCertificates,
      sessionIdContext,
      cipherSuite,
      psk,
      issuedAt,
      lifetime,
      ageAdd,
      serverName,
      alpnProtocol,
      version,
      extendedMasterSecret,
    };
  });
}

/** The bytes of a client session (Node's `session` Buffer). */
export function encodeClientSession(session: ClientSession): Uint8Array {
  const writer = new Writer(256 + session.ticket.length);
  writer
    .u8(clientSessionFormat)
    .u16(session.version)
    .u16(session.cipherSuite)
    .vector(1, session.psk)
    .vector(2, session.ticket);
  writeTime(writer, session.receivedAt);
  writer.u32(session.lifetime).u32(session.ageAdd);
  writeText(writer, session.serverName);
  writeText(writer, session.alpnProtocol);
  writeChain(writer, session.peerCertificates);
  writer.vector(1, session.sessionId ?? new Uint8Array(0));
  writer.u8(session.extendedMasterSecret === true ? 1 : 0);
  writer.u32(session.maxEarlyData ?? 0);
  return exactBytes(writer.finish());
}

/** A client session from its bytes, or undefined when they are not one of ours. */
export function decodeClientSession(bytes: Uint8Array): ClientSession | undefined {
  return decodeWith(bytes, (reader) => {
    const format = reader.u8();
    if (format < 1 || format > clientSessionFormat) return undefined;
    const version = reader.u16();
    const cipherSuite = reader.u16();
    const psk = copyBytes(reader.vector(1));
    const ticket = copyBytes(reader.vector(2));
    const receivedAt = readTime(reader);
    const lifetime = reader.u32();
    const ageAdd = reader.u32();
    const serverName = readText(reader);
    const alpnProtocol = readText(reader);
    const peerCertificates = readChain(reader);
    const sessionId = format === 1 ? new Uint8Array(0) : copyBytes(reader.vector(1));
    const extendedMasterSecret = format === 1 ? false : reader.u8() === 1;
    const maxEarlyData = format < 3 ? 0 : reader.u32();
    return {
      maxEarlyData,
      sessionId,
      extendedMasterSecret,
      version,
      cipherSuite,
      psk,
      ticket,
      receivedAt,
      lifetime,
      ageAdd,
      serverName,
      alpnProtocol,
      peerCertificates,
    };
  });
}
