// Small pieces both roles of the TLS 1.3 state machine use.

import type { CryptoProvider, PrivateKey } from '@tls/crypto';
import { handshakeTypeName } from '../enums.js';
import { unexpectedMessage } from '../errors.js';
import type { HandshakeFrame } from '../reassembler.js';

/**
 * The first check of every state: the message is of the type it waits for (rustls's
 * `require_handshake_msg`). "Implementations … MUST abort with unexpected_message" (RFC 8446 §4).
 */
export function requireMessage(frame: HandshakeFrame, type: number): void {
  if (frame.type !== type) {
    throw unexpectedMessage(
      `peer sent ${handshakeTypeName(frame.type)} where ${handshakeTypeName(type)} was expected (RFC 8446 §4)`,
    );
  }
}

/** Equality of public values (session ids, names); secrets use provider.timingSafeEqual. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytes as a string of the same code units (ALPN names, host names are ASCII). */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/** A fresh copy that shares no memory with its source (Buffer#slice would be a view). */
export { copyBytes } from '@tls/record';

/**
 * The scheme to sign with: the peer's first preference that we enable and that `key` can make
 * (RFC 8446 §4.2.3, §4.4.3), or undefined.
 */
export function chooseSignatureScheme(
  provider: CryptoProvider,
  key: PrivateKey,
  peerSchemes: readonly number[],
  ourSchemes: readonly number[],
): number | undefined {
  return peerSchemes.find(
    (scheme) => ourSchemes.includes(scheme) && provider.isSchemeCompatible(scheme, key),
  );
}
