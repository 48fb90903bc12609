// EndOfEarlyData (RFC 8446 §4.5): an empty message.

import { HandshakeType } from '../enums.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when the body is not empty; `ERR_SSL_UNEXPECTED_MESSAGE` for another message. */
export function decodeEndOfEarlyData(message: Uint8Array): { readonly original: Uint8Array } {
  const original = copyBytes(message);
  openHandshake(original, HandshakeType.EndOfEarlyData).expectEnd('EndOfEarlyData');
  return { original };
}

/**
 * The EndOfEarlyData message: a header with an empty body (RFC 8446 §4.5).
 * @example encodeEndOfEarlyData() // 05 00 00 00
 */
export function encodeEndOfEarlyData(): Uint8Array {
  return encodeHandshake(HandshakeType.EndOfEarlyData, () => {}, 4);
}
