// record_size_limit (RFC 8449 §4).

import type { Reader, Writer } from '@tls/record';
import { illegalParameter } from '../../errors.js';

export interface RecordSizeLimit {
  readonly kind: 'record_size_limit';
  /** `uint16 RecordSizeLimit`: the largest plaintext (TLS 1.3: including the content type) the sender accepts. */
  readonly recordSizeLimit: number;
}

/** @throws TlsError `ERR_SSL_ILLEGAL_PARAMETER` for a value below 64 (RFC 8449 §4). */
export function readRecordSizeLimit(reader: Reader): RecordSizeLimit {
  const recordSizeLimit = reader.u16('RecordSizeLimit');
  if (recordSizeLimit < 64) {
    throw illegalParameter(`peer sent a record_size_limit of ${recordSizeLimit}, below 64 (RFC 8449 §4)`);
  }
  return { kind: 'record_size_limit', recordSizeLimit };
}

/** Writes what `readRecordSizeLimit` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeRecordSizeLimit(writer: Writer, extension: RecordSizeLimit): void {
  writer.u16(extension.recordSizeLimit);
}
