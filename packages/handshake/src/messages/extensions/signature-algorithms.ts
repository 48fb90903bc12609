// signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3).

import type { Reader, Writer } from '@tls/record';
import type { SignatureScheme } from '@tls/crypto';
import { readU16List, writeU16List } from './lists.js';

export interface SignatureAlgorithms {
  readonly kind: 'signature_algorithms' | 'signature_algorithms_cert';
  /** `SignatureScheme supported_signature_algorithms<2..2^16-2>`, in preference order. */
  readonly supportedSignatureAlgorithms: readonly SignatureScheme[];
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when the list is empty or of odd length. */
export function readSignatureAlgorithms(
  reader: Reader,
  kind: SignatureAlgorithms['kind'] = 'signature_algorithms',
): SignatureAlgorithms {
  return {
    kind,
    supportedSignatureAlgorithms: readU16List(reader, 'supported_signature_algorithms', 2, 0xfffe),
  };
}

/** Writes what `readSignatureAlgorithms` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeSignatureAlgorithms(writer: Writer, extension: SignatureAlgorithms): void {
  writeU16List(writer, extension.supportedSignatureAlgorithms);
}
