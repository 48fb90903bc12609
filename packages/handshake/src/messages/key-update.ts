// KeyUpdate (RFC 8446 §4.6.3).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType, KeyUpdateRequest } from '../enums.js';
import { illegalParameter } from '../errors.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface KeyUpdate {
  /** update_not_requested (0) or update_requested (1). */
  readonly requestUpdate: KeyUpdateRequest;
}

export type DecodedKeyUpdate = KeyUpdate & { readonly original: Uint8Array };

/**
 * @throws TlsError `ERR_SSL_ILLEGAL_PARAMETER` for a request_update other than 0 or 1 ("If an
 *   implementation receives any other value, it MUST terminate the connection with an
 *   illegal_parameter alert", RFC 8446 §4.6.3); `ERR_SSL_DECODE_ERROR` when malformed.
 */
export function readKeyUpdate(reader: Reader): KeyUpdate {
  const requestUpdate = reader.u8('request_update');
  reader.expectEnd('KeyUpdate');
  if (
    requestUpdate !== KeyUpdateRequest.UpdateNotRequested &&
    requestUpdate !== KeyUpdateRequest.UpdateRequested
  ) {
    throw illegalParameter(`peer sent KeyUpdate with request_update ${requestUpdate} (RFC 8446 §4.6.3)`);
  }
  return { requestUpdate };
}

/** Writes what `readKeyUpdate` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeKeyUpdate(writer: Writer, message: KeyUpdate): void {
  writer.u8(message.requestUpdate);
}

/** @throws see `readKeyUpdate`; `ERR_SSL_UNEXPECTED_MESSAGE` for another message. */
export function decodeKeyUpdate(message: Uint8Array): DecodedKeyUpdate {
  const original = copyBytes(message);
  return { ...readKeyUpdate(openHandshake(original, HandshakeType.KeyUpdate)), original };
}

/**
 * Encodes a KeyUpdate with its handshake header.
 * @example encodeKeyUpdate({ requestUpdate: KeyUpdateRequest.UpdateRequested }) // 18 00 00 01 01
 */
export function encodeKeyUpdate(message: KeyUpdate): Uint8Array {
  return encodeHandshake(HandshakeType.KeyUpdate, (w) => writeKeyUpdate(w, message), 8);
}
