// The `digitally-signed` struct of TLS 1.2 (RFC 5246 §4.7) and of TLS 1.0/1.1 (RFC 4346 §4.7),
// which has no algorithm field.

import type { Reader, Writer } from '@tls/record';
import { ProtocolVersion } from '../../enums.js';

export interface DigitallySigned {
  /** SignatureAndHashAlgorithm (a SignatureScheme codepoint); `undefined` before TLS 1.2. */
  readonly algorithm: number | undefined;
  /** `opaque signature<0..2^16-1>`. */
  readonly signature: Uint8Array;
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed. */
export function readDigitallySigned(reader: Reader, version: ProtocolVersion): DigitallySigned {
  const algorithm = version >= ProtocolVersion.Tls12 ? reader.u16('SignatureAndHashAlgorithm') : undefined;
  return { algorithm, signature: reader.vector(2, 'signature') };
}

/** Writes what `readDigitallySigned` reads; the algorithm only when present. */
export function writeDigitallySigned(writer: Writer, value: DigitallySigned): void {
  if (value.algorithm !== undefined) writer.u16(value.algorithm);
  writer.vector(2, value.signature);
}
