// The synthetic message_hash message (RFC 8446 §4.4.1) that replaces ClientHello1 in the
// transcript after a HelloRetryRequest: `message_hash (254) 00 00 Hash.length Hash(ClientHello1)`.

import { HandshakeType } from '../enums.js';
import { encodeHandshake } from './handshake.js';

/**
 * @example encodeMessageHash(provider.hash('sha256', clientHello1)) // 36 bytes: fe 00 00 20 …
 */
export function encodeMessageHash(clientHello1Hash: Uint8Array): Uint8Array {
  return encodeHandshake(
    HandshakeType.MessageHash,
    (w) => w.bytes(clientHello1Hash),
    4 + clientHello1Hash.length,
  );
}
