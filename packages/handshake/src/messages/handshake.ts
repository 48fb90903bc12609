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

/** A complete handshake message: header and the body that `body` writes. */
export function encodeHandshake(type: number, body: (writer: Writer) => void, sizeHint = 256): Uint8Array {
  const writer = new Writer(sizeHint);
  writer.u8(type).lengthPrefixed(3, body);
  return writer.finish();
}

/** Copies a view so that a decoded message never aliases a buffer the caller may reuse. */
export function own(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}
