// EncryptedExtensions (RFC 8446 §4.3.1).

import type { Reader, Writer } from '@tls/record';
import { HandshakeType } from '../enums.js';
import {
  type EncryptedExtensionsExtension,
  readExtensions,
  writeExtensions,
} from './extensions/extension-list.js';
import { encodeHandshake, openHandshake } from './handshake.js';
import { copyBytes } from '@tls/record';

export interface EncryptedExtensions {
  /** `Extension extensions<0..2^16-1>`, in wire order. */
  readonly extensions: readonly EncryptedExtensionsExtension[];
}

export type DecodedEncryptedExtensions = EncryptedExtensions & { readonly original: Uint8Array };

/** @throws TlsError `ERR_SSL_DECODE_ERROR`, `ERR_SSL_BAD_EXTENSION` (illegal_parameter) for duplicates or misplaced extensions. */
export function readEncryptedExtensions(reader: Reader): EncryptedExtensions {
  const extensions = readExtensions(reader, 'encrypted-extensions') as EncryptedExtensionsExtension[];
  reader.expectEnd('EncryptedExtensions');
  return { extensions };
}

/** Writes what `readEncryptedExtensions` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeEncryptedExtensions(writer: Writer, message: EncryptedExtensions): void {
  writeExtensions(writer, message.extensions);
}

/** Decodes a complete EncryptedExtensions message (header included). @throws see `readEncryptedExtensions`. */
export function decodeEncryptedExtensions(message: Uint8Array): DecodedEncryptedExtensions {
  const original = copyBytes(message);
  return { ...readEncryptedExtensions(openHandshake(original, HandshakeType.EncryptedExtensions)), original };
}

/** Encodes an EncryptedExtensions message with its header. */
export function encodeEncryptedExtensions(message: EncryptedExtensions): Uint8Array {
  return encodeHandshake(HandshakeType.EncryptedExtensions, (w) => writeEncryptedExtensions(w, message));
}
