// max_fragment_length (RFC 6066 §4).

import type { Reader, Writer } from '@tls/record';
import type { MaxFragmentLength as MaxFragmentLengthValue } from '../../enums.js';
import { illegalParameter } from '../../errors.js';

export interface MaxFragmentLength {
  readonly kind: 'max_fragment_length';
  /** 1..4 for 2^9..2^12 bytes. */
  readonly maxFragmentLength: MaxFragmentLengthValue;
}

/** @throws TlsError `ERR_SSL_ILLEGAL_PARAMETER` for a value outside 1..4 (RFC 6066 §4). */
export function readMaxFragmentLength(reader: Reader): MaxFragmentLength {
  const maxFragmentLength = reader.u8('MaxFragmentLength');
  if (maxFragmentLength < 1 || maxFragmentLength > 4) {
    throw illegalParameter(`peer sent max_fragment_length ${maxFragmentLength}, not 1..4 (RFC 6066 §4)`);
  }
  return { kind: 'max_fragment_length', maxFragmentLength };
}

/** Writes what `readMaxFragmentLength` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeMaxFragmentLength(writer: Writer, extension: MaxFragmentLength): void {
  writer.u8(extension.maxFragmentLength);
}
