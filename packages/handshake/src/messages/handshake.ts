// Handshake message framing (RFC 8446 §4): `HandshakeType msg_type; uint24 length; body`.

import { Reader, Writer } from '@tls/record';
import { handshakeTypeName } from '../enums.js';
import { unexpectedMessage } from '../errors.js';

/** Bytes of the handshake header: type (1) and length (3). */
export const handshakeHeaderLength = 4;

/**
 * A reader over the body of one complete handshake message of type `type`, positioned after the
 * header so that `reader.offset` counts from the start of the message.
 * @throws TlsError `ERR_SSL_UNEXPECTED_MESSAGE` when the type differs; `ERR_SSL_DECODE_ERROR` when
 *   the length field does not match the bytes given.
 */
export function openHandshake(message: Uint8Array, type: number): Reader {
  const reader = new Reader(message);
  const actual = reader.u8('msg_type');
  if (actual !== type) {
    throw unexpectedMessage(`expected ${handshakeTypeName(type)}, got ${handshakeTypeName(actual)}`);
  }
  const body = reader.child(3, `${handshakeTypeName(type)} length`);
  reader.expectEnd(handshakeTypeName(type));
  return body;
}

/** Largest handshake message: a 4-byte header and a uint24 body. */
const maxHandshakeLength = 4 + 0xffffff;

/**
 * A complete handshake message: header and the body that `body` writes.
 * @throws RangeError when a field does not fit its length prefix.
 */
export function encodeHandshake(type: number, body: (writer: Writer) => void, sizeHint = 256): Uint8Array {
  // The @tls/record Writer (as of 7d95212) mishandles growth: u8() writes into the discarded
  // buffer and bytes() throws "offset is out of bounds". Until it is fixed, write into a buffer
  // that never has to grow, retrying larger when the message did not fit. `body` is a pure
  // function of the message, so every pass writes the same bytes.
  for (let capacity = Math.max(sizeHint, 16); ; capacity = Math.min(capacity * 4, maxHandshakeLength)) {
    const writer = new Writer(capacity);
    try {
      writer.u8(type).lengthPrefixed(3, body);
    } catch (error) {
      const grew = error instanceof RangeError && !error.message.includes('does not fit');
      if (grew && capacity < maxHandshakeLength) continue;
      throw error;
    }
    if (writer.length <= capacity) return writer.finish();
    capacity = Math.max(capacity, writer.length / 4);
  }
}
