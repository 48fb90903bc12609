// ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2 for the TLS 1.2 form without extensions).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType, ProtocolVersion } from '../enums.js';
import { badExtension, decodeError, illegalParameter, missingExtension } from '../errors.js';
import { type ClientHelloExtension, readExtensions, writeExtensions } from './extensions/extension-list.js';
import { pskBindersLength } from './extensions/pre-shared-key.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface ClientHello {
  /** `legacy_version`: 0x0303 for TLS 1.3 and 1.2 clients (RFC 8446 §4.1.2). */
  readonly legacyVersion: number;
  /** 32 bytes. */
  readonly random: Uint8Array;
  /** `opaque legacy_session_id<0..32>`. */
  readonly legacySessionId: Uint8Array;
  /** `CipherSuite cipher_suites<2..2^16-2>`, GREASE and unknown values kept. */
  readonly cipherSuites: readonly number[];
  /** `opaque legacy_compression_methods<1..2^8-1>`. */
  readonly legacyCompressionMethods: Uint8Array;
  /** In wire order. An SSLv3-style hello without an extensions block decodes as `[]`. */
  readonly extensions: readonly ClientHelloExtension[];
}

/** A ClientHello as received. */
export interface DecodedClientHello extends ClientHello {
  /** The message as received, header included: what the transcript hashes. */
  readonly original: Uint8Array;
  /**
   * Offset in `original` where the pre_shared_key binders list begins, when the hello offers
   * PSKs: `original.subarray(0, bindersOffset)` is the truncated ClientHello the binders cover
   * (RFC 8446 §4.2.11.2).
   */
  readonly bindersOffset: number | undefined;
}

/**
 * Reads a ClientHello body.
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed; `ERR_SSL_BAD_EXTENSION` (illegal_parameter)
 *   for duplicate or misplaced extensions or a pre_shared_key that is not last (RFC 8446 §4.2.11).
 */
export function readClientHello(reader: Reader): ClientHello {
  const legacyVersion = reader.u16('legacy_version');
  const random = reader.bytes(32, 'random');
  const legacySessionId = reader.vector(1, 'legacy_session_id', 0, 32);
  const suites = reader.child(2, 'cipher_suites', 2, 0xfffe);
  if (suites.remaining % 2 !== 0) throw decodeError(`cipher_suites: odd length ${suites.remaining}`);
  const cipherSuites: number[] = [];
  while (suites.remaining > 0) cipherSuites.push(suites.u16('cipher_suites'));
  const legacyCompressionMethods = reader.vector(1, 'legacy_compression_methods', 1);
  // RFC 5246 §7.4.1.2: a TLS 1.2 client may omit the extensions block entirely.
  const extensions =
    reader.remaining === 0 ? [] : (readExtensions(reader, 'client-hello') as ClientHelloExtension[]);
  reader.expectEnd('ClientHello');
  const pskIndex = extensions.findIndex((e) => e.kind === 'pre_shared_key');
  if (pskIndex !== -1 && pskIndex !== extensions.length - 1) {
    throw badExtension(
      'client sent pre_shared_key before other extensions; it must be last (RFC 8446 §4.2.11)',
    );
  }
  return { legacyVersion, random, legacySessionId, cipherSuites, legacyCompressionMethods, extensions };
}

/** Writes what `readClientHello` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeClientHello(writer: Writer, message: ClientHello): void {
  writer.u16(message.legacyVersion).bytes(message.random).vector(1, message.legacySessionId);
  writer.lengthPrefixed(2, (w) => {
    for (const suite of message.cipherSuites) w.u16(suite);
  });
  writer.vector(1, message.legacyCompressionMethods);
  writeExtensions(writer, message.extensions);
}

/**
 * Decodes a complete ClientHello message (header included), keeping a private copy of its bytes.
 * @throws TlsError see `readClientHello`; `ERR_SSL_UNEXPECTED_MESSAGE` when it is another message.
 * @example decodeClientHello(bytes).cipherSuites
 */
export function decodeClientHello(message: Uint8Array): DecodedClientHello {
  const original = copyBytes(message);
  const hello = readClientHello(openHandshake(original, HandshakeType.ClientHello));
  const last = hello.extensions.at(-1);
  const bindersOffset =
    last?.kind === 'pre_shared_key' && 'binders' in last
      ? original.length - pskBindersLength(last.binders)
      : undefined;
  return { ...hello, original, bindersOffset };
}

/**
 * Encodes a ClientHello with its handshake header.
 * @throws RangeError when `random` is not 32 bytes or a field does not fit its length prefix.
 */
export function encodeClientHello(message: ClientHello): Uint8Array {
  if (message.random.length !== 32) throw new RangeError('ClientHello.random must be 32 bytes');
  return encodeHandshake(HandshakeType.ClientHello, (w) => writeClientHello(w, message), 512);
}

/** Whether the hello offers TLS 1.3 in supported_versions (RFC 8446 §4.2.1). */
export function offersTls13(message: ClientHello): boolean {
  for (const e of message.extensions) {
    if (e.kind === 'supported_versions' && 'versions' in e) return e.versions.includes(ProtocolVersion.Tls13);
  }
  return false;
}

/**
 * The rules RFC 8446 places on a ClientHello once TLS 1.3 is being negotiated, for a server to
 * apply after choosing TLS 1.3 (a TLS 1.2 hello legitimately breaks them):
 * - legacy_compression_methods is exactly one null byte (§4.1.2; illegal_parameter);
 * - §9.2 mandatory extensions (missing_extension): supported_versions; signature_algorithms and
 *   supported_groups unless a PSK is offered; key_share and supported_groups together; and
 *   psk_key_exchange_modes with pre_shared_key (§4.2.9).
 * @throws TlsError `ERR_SSL_ILLEGAL_PARAMETER` or `ERR_SSL_MISSING_EXTENSION`.
 */
export function requireTls13ClientHello(message: ClientHello): void {
  const methods = message.legacyCompressionMethods;
  if (methods.length !== 1 || methods[0] !== 0) {
    throw illegalParameter(
      'client offered compression methods other than null in a TLS 1.3 ClientHello (RFC 8446 §4.1.2)',
    );
  }
  const has = (kind: ClientHelloExtension['kind']) => message.extensions.some((e) => e.kind === kind);
  const missing = (what: string, section: string) =>
    missingExtension(`client sent a TLS 1.3 ClientHello ${what} (RFC 8446 ${section})`);
  if (!has('supported_versions')) throw missing('without supported_versions', '§9.2');
  const psk = has('pre_shared_key');
  if (!psk && !has('signature_algorithms')) throw missing('without signature_algorithms or a PSK', '§9.2');
  if (!psk && !has('supported_groups')) throw missing('without supported_groups or a PSK', '§9.2');
  if (has('supported_groups') !== has('key_share')) {
    throw missing('with only one of supported_groups and key_share', '§9.2');
  }
  if (psk && !has('psk_key_exchange_modes'))
    throw missing('with pre_shared_key but no psk_key_exchange_modes', '§4.2.9');
}
