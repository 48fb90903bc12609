// padding (RFC 7685 §3): filler in the ClientHello, zeros when we send it.

import type { Reader, Writer } from '@tls/record';

export interface Padding {
  readonly kind: 'padding';
  /** The extension_data as received; RFC 7685 §3 asks senders for zeros but receivers need not check. */
  readonly padding: Uint8Array;
}

/** Reads padding: any bytes (RFC 7685 §3). */
export function readPadding(reader: Reader): Padding {
  return { kind: 'padding', padding: reader.rest() };
}

/** Writes what `readPadding` reads. @throws RangeError when a field is too long for its length prefix. */
export function writePadding(writer: Writer, extension: Padding): void {
  writer.bytes(extension.padding);
}
