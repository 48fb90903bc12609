// Finished (RFC 8446 §4.4.4): verify_data, whose length is the hash length (TLS 1.3) or 12 (TLS 1.2).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../enums.js';
import { decodeError } from '../errors.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface Finished {
  readonly verifyData: Uint8Array;
}

export type DecodedFinished = Finished & { readonly original: Uint8Array };

/**
 * @param length the expected verify_data length: Hash.length in TLS 1.3, 12 in TLS 1.2.
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when the body has another length.
 */
export function readFinished(reader: Reader, length: number): Finished {
  if (reader.remaining !== length) {
    throw decodeError(`Finished: verify_data is ${reader.remaining} bytes, expected ${length}`);
  }
  return { verifyData: reader.rest() };
}

/** Writes what `readFinished` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeFinished(writer: Writer, message: Finished): void {
  writer.bytes(message.verifyData);
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR`, `ERR_SSL_UNEXPECTED_MESSAGE`. */
export function decodeFinished(message: Uint8Array, length: number): DecodedFinished {
  const original = copyBytes(message);
  return { ...readFinished(openHandshake(original, HandshakeType.Finished), length), original };
}

/**
 * Encodes a Finished with its handshake header.
 * @example encodeFinished({ verifyData: schedule.finishedVerifyData(baseKey, transcript.currentHash()) })
 */
export function encodeFinished(message: Finished): Uint8Array {
  return encodeHandshake(HandshakeType.Finished, (w) => writeFinished(w, message));
}
