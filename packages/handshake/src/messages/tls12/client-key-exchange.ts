// ClientKeyExchange (RFC 5246 §7.4.7): the client's ECDHE point (RFC 8422 §5.7), its DH public
// value (§7.4.7.2), or the RSA-encrypted premaster secret (§7.4.7.1).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../../enums.js';
import { encodeHandshake, openHandshake } from '../handshake.js';
import { copyBytes } from '@tls/record';

export type ClientKeyExchange =
  | { readonly kind: 'ecdhe' /** `opaque point<1..2^8-1>`. */; readonly publicKey: Uint8Array }
  | { readonly kind: 'dhe' /** `opaque dh_Yc<1..2^16-1>`. */; readonly publicKey: Uint8Array }
  | {
      readonly kind: 'rsa';
      /** `opaque EncryptedPreMasterSecret<0..2^16-1>` (TLS 1.0 and later carry the length). */
      readonly encryptedPreMasterSecret: Uint8Array;
    };

export type DecodedClientKeyExchange = ClientKeyExchange & { readonly original: Uint8Array };

/**
 * @param keyExchange the negotiated suite's key exchange (the message itself does not say).
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed.
 */
export function readClientKeyExchange(
  reader: Reader,
  keyExchange: 'ecdhe' | 'dhe' | 'rsa',
): ClientKeyExchange {
  let message: ClientKeyExchange;
  if (keyExchange === 'ecdhe') message = { kind: 'ecdhe', publicKey: reader.vector(1, 'ECPoint', 1) };
  else if (keyExchange === 'dhe') message = { kind: 'dhe', publicKey: reader.vector(2, 'dh_Yc', 1) };
  else message = { kind: 'rsa', encryptedPreMasterSecret: reader.vector(2, 'EncryptedPreMasterSecret') };
  reader.expectEnd('ClientKeyExchange');
  return message;
}

/** Writes what `readClientKeyExchange` reads. @throws RangeError when the value is too long for its length prefix. */
export function writeClientKeyExchange(writer: Writer, message: ClientKeyExchange): void {
  if (message.kind === 'ecdhe') writer.vector(1, message.publicKey);
  else if (message.kind === 'dhe') writer.vector(2, message.publicKey);
  else writer.vector(2, message.encryptedPreMasterSecret);
}

/** Decodes a complete ClientKeyExchange (header included). @throws see `readClientKeyExchange`. */
export function decodeClientKeyExchange(
  message: Uint8Array,
  keyExchange: 'ecdhe' | 'dhe' | 'rsa',
): DecodedClientKeyExchange {
  const original = copyBytes(message);
  return {
    ...readClientKeyExchange(openHandshake(original, HandshakeType.ClientKeyExchange), keyExchange),
    original,
  };
}

/**
 * Encodes a ClientKeyExchange with its header.
 * @example encodeClientKeyExchange({ kind: 'ecdhe', publicKey: share.publicKey })
 */
export function encodeClientKeyExchange(message: ClientKeyExchange): Uint8Array {
  const size =
    'publicKey' in message ? message.publicKey.length + 8 : message.encryptedPreMasterSecret.length + 8;
  return encodeHandshake(HandshakeType.ClientKeyExchange, (w) => writeClientKeyExchange(w, message), size);
}
