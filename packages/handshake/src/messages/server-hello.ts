// ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3). A
// HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest"); its extensions
// follow the HRR column of the RFC 8446 §4.2 table. A ServerHello without supported_versions is a
// TLS 1.2 (or older) one and takes the TLS 1.2 extensions.

import type { Reader, Writer } from '@tls/record';
import { ExtensionType, HandshakeType } from '../enums.js';
import {
  type HelloRetryRequestExtension,
  type ServerHelloExtension,
  decodeExtensions,
  readRawExtensions,
  writeExtensions,
} from './extensions/extension-list.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

/** RFC 8446 §4.1.3: the random of a HelloRetryRequest, SHA-256 of "HelloRetryRequest". */
export const helloRetryRequestRandom: Uint8Array = /* @__PURE__ */ Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2,
  0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

/** RFC 8446 §4.1.3: last 8 bytes of a TLS 1.3 server's random when it negotiates TLS 1.2 ("DOWNGRD\x01"). */
export const downgradeSentinelTls12: Uint8Array = /* @__PURE__ */ Uint8Array.from([
  0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01,
]);
/** RFC 8446 §4.1.3: the same when it negotiates TLS 1.1 or below ("DOWNGRD\x00"). */
export const downgradeSentinelTls11: Uint8Array = /* @__PURE__ */ Uint8Array.from([
  0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00,
]);

export interface ServerHello {
  readonly kind: 'server-hello';
  /** `legacy_version`: 0x0303 in TLS 1.3, the negotiated version before it. */
  readonly legacyVersion: number;
  /** 32 bytes. */
  readonly random: Uint8Array;
  /** `opaque legacy_session_id_echo<0..32>`. */
  readonly legacySessionIdEcho: Uint8Array;
  readonly cipherSuite: number;
  readonly legacyCompressionMethod: number;
  /** In wire order; `[]` for a TLS 1.2 ServerHello without an extensions block. */
  readonly extensions: readonly ServerHelloExtension[];
}

export interface HelloRetryRequest {
  readonly kind: 'hello-retry-request';
  readonly legacyVersion: number;
  readonly legacySessionIdEcho: Uint8Array;
  readonly cipherSuite: number;
  readonly legacyCompressionMethod: number;
  readonly extensions: readonly HelloRetryRequestExtension[];
}

export type DecodedServerHello = (ServerHello | HelloRetryRequest) & {
  /** The message as received, header included: what the transcript hashes. */
  readonly original: Uint8Array;
};

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Whether a ServerHello random is the HelloRetryRequest value (RFC 8446 §4.1.3). */
export function isHelloRetryRequestRandom(random: Uint8Array): boolean {
  return equalBytes(random, helloRetryRequestRandom);
}

/**
 * The downgrade sentinel in a ServerHello random (RFC 8446 §4.1.3): `'tls12'`, `'tls11'` or
 * `undefined`. A TLS 1.3 client that negotiated an older version aborts with illegal_parameter
 * when one is present.
 */
export function downgradeSentinel(random: Uint8Array): 'tls12' | 'tls11' | undefined {
  const tail = random.subarray(24);
  if (equalBytes(tail, downgradeSentinelTls12)) return 'tls12';
  if (equalBytes(tail, downgradeSentinelTls11)) return 'tls11';
  return undefined;
}

/**
 * Reads a ServerHello or HelloRetryRequest body.
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed; `ERR_SSL_BAD_EXTENSION` (illegal_parameter)
 *   for duplicate extensions or ones the message may not carry.
 */
export function readServerHello(reader: Reader): ServerHello | HelloRetryRequest {
  const legacyVersion = reader.u16('legacy_version');
  const random = reader.bytes(32, 'random');
  const legacySessionIdEcho = reader.vector(1, 'legacy_session_id_echo', 0, 32);
  const cipherSuite = reader.u16('cipher_suite');
  const legacyCompressionMethod = reader.u8('legacy_compression_method');
  const raw = reader.remaining === 0 ? [] : readRawExtensions(reader);
  reader.expectEnd('ServerHello');
  const common = { legacyVersion, legacySessionIdEcho, cipherSuite, legacyCompressionMethod };
  if (isHelloRetryRequestRandom(random)) {
    const extensions = decodeExtensions(raw, 'hello-retry-request') as HelloRetryRequestExtension[];
    return { kind: 'hello-retry-request', ...common, extensions };
  }
  // RFC 8446 §4.2.1: only a server negotiating TLS 1.3 sends supported_versions.
  const tls13 = raw.some((e) => e.type === ExtensionType.SupportedVersions);
  const extensions = decodeExtensions(
    raw,
    tls13 ? 'server-hello' : 'server-hello-tls12',
  ) as ServerHelloExtension[];
  return { kind: 'server-hello', ...common, random, extensions };
}

/** Writes what `readServerHello` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeServerHello(writer: Writer, message: ServerHello | HelloRetryRequest): void {
  writer.u16(message.legacyVersion);
  writer.bytes(message.kind === 'hello-retry-request' ? helloRetryRequestRandom : message.random);
  writer.vector(1, message.legacySessionIdEcho).u16(message.cipherSuite).u8(message.legacyCompressionMethod);
  writeExtensions(writer, message.extensions);
}

/**
 * Decodes a complete ServerHello message (header included); a HelloRetryRequest comes back with
 * `kind: 'hello-retry-request'`.
 * @throws TlsError see `readServerHello`; `ERR_SSL_UNEXPECTED_MESSAGE` when it is another message.
 * @example if (decodeServerHello(bytes).kind === 'hello-retry-request') { … }
 */
export function decodeServerHello(message: Uint8Array): DecodedServerHello {
  const original = copyBytes(message);
  return { ...readServerHello(openHandshake(original, HandshakeType.ServerHello)), original };
}

/**
 * Encodes a ServerHello or HelloRetryRequest with its handshake header.
 * @throws RangeError when a ServerHello random is not 32 bytes.
 */
export function encodeServerHello(message: ServerHello | HelloRetryRequest): Uint8Array {
  if (message.kind === 'server-hello' && message.random.length !== 32) {
    throw new RangeError('ServerHello.random must be 32 bytes');
  }
  return encodeHandshake(HandshakeType.ServerHello, (w) => writeServerHello(w, message));
}
