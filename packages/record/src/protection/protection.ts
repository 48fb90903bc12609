// The contract between the record reader/writer and a cipher state (one direction, one epoch),
// like Go's halfConn cipher or rustls's MessageEncrypter/MessageDecrypter.

import type { SequenceNumber } from '../sequence.js';

/** A record after `open`: its real content type and its plaintext fragment. */
export interface OpenedRecord {
  readonly contentType: number;
  readonly fragment: Uint8Array;
}

export interface RecordProtection {
  readonly kind: 'plaintext' | 'tls13' | 'tls12-aead' | 'tls12-cbc';
  /**
   * The most a record body may exceed its plaintext (RFC 8446 §5.2: 256; RFC 5246 §6.2.3: 2048),
   * checked on the header before the body is buffered.
   */
  readonly maxExpansion: number;
  /**
   * Records this key may seal before it must be replaced (RFC 8446 §5.5 for AES-GCM); the writer
   * reports `keyUpdateDue` from there on. `Infinity` where no limit applies.
   */
  readonly confidentialityLimit: number;
  /**
   * Seals one fragment (at most 2^14 bytes) as a whole record and appends its parts (header first)
   * to `out`. Consumes the sequence number `sequence` (the caller increments it afterwards).
   */
  seal(
    contentType: number,
    version: number,
    fragment: Uint8Array,
    sequence: SequenceNumber,
    out: Uint8Array[],
  ): void;
  /**
   * Opens one record given its 5 header bytes and its body as received. The fragment returned
   * must not share memory with `header` or `body`, which the reader may reuse once this returns
   * (plaintext protection is the exception: the reader copies its fragment).
   * @throws TlsError bad_record_mac, record_overflow or unexpected_message, as the RFCs assign.
   */
  open(header: Uint8Array, body: Uint8Array, sequence: SequenceNumber): OpenedRecord;
}

/** A record header for `length` body bytes, written into `header` (5 bytes) when given. */
export function recordHeader(
  contentType: number,
  version: number,
  length: number,
  header: Uint8Array = new Uint8Array(5),
): Uint8Array {
  header[0] = contentType;
  header[1] = version >>> 8;
  header[2] = version & 0xff;
  header[3] = length >>> 8;
  header[4] = length & 0xff;
  return header;
}
