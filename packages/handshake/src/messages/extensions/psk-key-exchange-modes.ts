// psk_key_exchange_modes (RFC 8446 §4.2.9).

import type { Reader, Writer } from '@tls/record';
import type { PskKeyExchangeMode } from '../../enums.js';
import { readU8List, writeU8List } from './lists.js';

export interface PskKeyExchangeModes {
  readonly kind: 'psk_key_exchange_modes';
  /** `PskKeyExchangeMode ke_modes<1..255>`; GREASE and unknown modes are kept. */
  readonly keModes: readonly PskKeyExchangeMode[];
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when the list is empty. */
export function readPskKeyExchangeModes(reader: Reader): PskKeyExchangeModes {
  return { kind: 'psk_key_exchange_modes', keModes: readU8List(reader, 'ke_modes', 1, 255) };
}

/** Writes what `readPskKeyExchangeModes` reads. @throws RangeError when a field is too long for its length prefix. */
export function writePskKeyExchangeModes(writer: Writer, extension: PskKeyExchangeModes): void {
  writeU8List(writer, extension.keModes);
}
