// ec_point_formats (RFC 8422 §5.1.2), TLS 1.2 and earlier.

import type { Reader, Writer } from '@tls/record';
import type { EcPointFormat } from '../../enums.js';
import { readU8List, writeU8List } from './lists.js';

export interface EcPointFormats {
  readonly kind: 'ec_point_formats';
  /** `ECPointFormat ec_point_format_list<1..2^8-1>`. */
  readonly ecPointFormatList: readonly EcPointFormat[];
}

/** @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed or outside the RFC's length bounds. */
export function readEcPointFormats(reader: Reader): EcPointFormats {
  return { kind: 'ec_point_formats', ecPointFormatList: readU8List(reader, 'ec_point_format_list', 1, 255) };
}

/** Writes what `readEcPointFormats` reads. @throws RangeError when a field is too long for its length prefix. */
export function writeEcPointFormats(writer: Writer, extension: EcPointFormats): void {
  writeU8List(writer, extension.ecPointFormatList);
}
