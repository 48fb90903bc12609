// The receiving half of the record layer (Go's halfConn for reading): reassembles records from
// transport chunks split at any byte, checks each header before buffering its body, removes the
// current epoch's protection and enforces the limits an attacker could abuse (oversized records,
// floods of empty records and of warning alerts).
//
// It never throws for anything the peer sends: a failure is returned once as
// `{ kind: 'error' }` and stays (the connection is dead), so no record delivered before it is lost.

import { AlertDescription, AlertLevel } from './alert.js';
import { ContentType, RecordLimits } from './content-type.js';
import { TlsError, isTlsError } from './errors.js';
import { plaintextProtection } from './protection/plaintext.js';
import type { RecordProtection } from './protection/protection.js';
import { SequenceNumber } from './sequence.js';
import { copyBytes } from './bytes.js';

/** A record with its protection removed. `fragment` is owned by the caller. */
export interface PlainRecord {
  readonly kind: 'record';
  readonly contentType: number;
  /** The version in the record header as received. */
  readonly version: number;
  readonly fragment: Uint8Array;
}

export interface RecordFailure {
  readonly kind: 'error';
  readonly error: TlsError;
}

export type RecordEvent = PlainRecord | RecordFailure;

/**
 * Where a record that spans transport chunks is gathered (a 64 KiB socket read splits about one
 * 16 KiB record in four): shared, as the record is opened before `read()` returns and what it
 * returns never shares memory with the record (RecordProtection.open; plaintext is copied), so
 * no array is allocated and zero-filled per such record. Sized for the largest record accepted.
 */
const gathered = new Uint8Array(
  RecordLimits.HeaderLength + RecordLimits.MaxPlaintext + RecordLimits.Tls12MaxExpansion,
);

export interface RecordReaderOptions {
  /**
   * Largest plaintext accepted per record: 2^14 by default, lower after we advertise a
   * record_size_limit (RFC 8449 §4; for TLS 1.3 the limit counts the content type byte).
   */
  maxPlaintextLength?: number;
}

export class RecordReader {
  readonly #chunks: Uint8Array[] = [];
  /** Offset of the first unread byte in `#chunks[0]`. */
  #head = 0;
  #buffered = 0;
  #protection: RecordProtection = plaintextProtection;
  #version: number | undefined;
  /** No record header accepted yet (OpenSSL's is_first_record): the peer may not speak TLS at all. */
  #first = true;
  #maxPlaintext: number;
  #emptyRecords = 0;
  #warningAlerts = 0;
  #failure: RecordFailure | undefined;
  #allowPlaintextAlerts = false;
  /** The sequence number of the next record (RFC 8446 §5.3); reset by each new epoch. */
  readonly sequence = new SequenceNumber();

  constructor(options: RecordReaderOptions = {}) {
    this.#maxPlaintext = options.maxPlaintextLength ?? RecordLimits.MaxPlaintext;
  }

  /** Bytes received and not yet returned as records. */
  get bufferedLength(): number {
    return this.#buffered;
  }

  /** The sticky failure, once there is one. */
  get error(): TlsError | undefined {
    return this.#failure?.error;
  }

  get protection(): RecordProtection {
    return this.#protection;
  }

  /**
   * Starts a new epoch: records from the next one on are opened with `protection`, from sequence 0.
   * With `allowPlaintextAlerts`, an unprotected alert is still accepted until the first protected
   * record opens: a TLS 1.3 server that has just sent its ServerHello may hear a plaintext alert
   * from a client that could not process it (as OpenSSL allows).
   */
  setProtection(protection: RecordProtection, options: { allowPlaintextAlerts?: boolean } = {}): void {
    this.#protection = protection;
    this.#allowPlaintextAlerts = options.allowPlaintextAlerts ?? false;
    this.sequence.set(0, 0);
  }

  /**
   * Fixes the record version once negotiated: TLS 1.0-1.2 records must then carry exactly it.
   * TLS 1.3 (0x0304) ignores legacy_record_version (RFC 8446 §5.1) beyond its major version.
   */
  setVersion(version: number): void {
    this.#version = version;
  }

  /** See RecordReaderOptions.maxPlaintextLength. */
  setMaxPlaintextLength(length: number): void {
    this.#maxPlaintext = Math.min(length, RecordLimits.MaxPlaintext);
  }

  /**
   * Adds bytes from the transport. The reader keeps views of `chunk` until its records have been
   * read, so the caller must not modify it afterwards (Node never reuses socket buffers).
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.#failure !== undefined) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
  }

  /** The next whole record, a failure, or `undefined` when more bytes are needed. */
  read(): RecordEvent | undefined {
    if (this.#failure !== undefined) return this.#failure;
    if (this.#buffered < RecordLimits.HeaderLength) return undefined;
    try {
      return this.#readRecord();
    } catch (error) {
      // The reader's catch boundary: everything thrown below is a TlsError about the peer's bytes.
      const tlsError = isTlsError(error)
        ? error
        : new TlsError('ERR_TLS_INTERNAL_ERROR', AlertDescription.InternalError, 'record layer failed', {
            cause: error,
          });
      this.#failure = { kind: 'error', error: tlsError };
      this.#chunks.length = 0;
      this.#buffered = 0;
      return this.#failure;
    }
  }

  #readRecord(): RecordEvent | undefined {
    const header = this.#peek(RecordLimits.HeaderLength);
    const contentType = header[0]!;
    const version = (header[1]! << 8) | header[2]!;
    const length = (header[3]! << 8) | header[4]!;
    this.#checkHeader(contentType, version, length);
    if (this.#buffered < RecordLimits.HeaderLength + length) return undefined;
    // The peeked header goes on as the record's header: one view per record, the body's.
    const body = this.#take(RecordLimits.HeaderLength + length, RecordLimits.HeaderLength);
    const opened = this.#open(contentType, header, body);
    return { kind: 'record', contentType: opened.contentType, version, fragment: opened.fragment };
  }

  #open(
    contentType: number,
    header: Uint8Array,
    body: Uint8Array,
  ): { contentType: number; fragment: Uint8Array } {
    const protection = this.#protection;
    // RFC 8446 §5: change_cipher_spec is never protected in TLS 1.3; the handshake decides
    // whether one is allowed where it stands.
    if (protection.kind === 'tls13' && contentType === ContentType.Alert && this.#allowPlaintextAlerts) {
      const fragment = copyBytes(body);
      this.#checkContent(contentType, fragment);
      return { contentType, fragment };
    }
    if (protection.kind === 'tls13' && contentType === ContentType.ChangeCipherSpec) {
      const fragment = copyBytes(body);
      this.#checkContent(contentType, fragment);
      return { contentType, fragment };
    }
    const opened = protection.open(header, body, this.sequence);
    this.sequence.increment();
    this.#allowPlaintextAlerts = false;
    const fragment = protection.kind === 'plaintext' ? copyBytes(opened.fragment) : opened.fragment;
    if (fragment.length > this.#maxPlaintext) {
      throw new TlsError(
        'ERR_SSL_DATA_LENGTH_TOO_LONG',
        AlertDescription.RecordOverflow,
        `record carries ${fragment.length} bytes, over the limit of ${this.#maxPlaintext} (RFC 8449 §4)`,
      );
    }
    this.#checkContent(opened.contentType, fragment);
    return { contentType: opened.contentType, fragment };
  }

  #checkHeader(contentType: number, version: number, length: number): void {
    // Checked first, as OpenSSL does: bytes that are not TLS at all (an HTTP request, an SSLv2
    // hello) fail here with a wrong version number, not as an unknown content type.
    const expected = this.#version;
    if (version >>> 8 !== 3 && this.#first) throw notTls(contentType, version, length);
    if (version >>> 8 !== 3 || (expected !== undefined && expected < 0x0304 && version !== expected)) {
      throw new TlsError(
        'ERR_SSL_WRONG_VERSION_NUMBER',
        AlertDescription.ProtocolVersion,
        `record has version 0x${version.toString(16).padStart(4, '0')}${expected === undefined ? '' : `, expected 0x${expected.toString(16)}`}`,
        { reason: 'wrong version number' },
      );
    }
    this.#first = false;
    if (contentType < ContentType.ChangeCipherSpec || contentType > ContentType.ApplicationData) {
      // RFC 8446 §5: an unexpected record type is unexpected_message (heartbeat is not supported).
      throw new TlsError(
        'ERR_SSL_UNEXPECTED_RECORD',
        AlertDescription.UnexpectedMessage,
        `record has unknown content type ${contentType}`,
      );
    }
    // Before keys exist an application_data record can still be a TLS 1.3 TLSCiphertext (0-RTT
    // data a server will skip after a HelloRetryRequest, RFC 8446 §4.2.10): it may carry up to
    // 2^14 + 256 bytes. Every other unprotected record is TLSPlaintext: 2^14.
    const limit =
      this.#protection.kind === 'plaintext'
        ? contentType === ContentType.ApplicationData
          ? RecordLimits.MaxPlaintext + RecordLimits.Tls13MaxExpansion
          : RecordLimits.MaxPlaintext
        : this.#maxPlaintext + this.#protection.maxExpansion;
    if (length > limit) {
      throw new TlsError(
        this.#protection.kind === 'plaintext'
          ? 'ERR_SSL_PACKET_LENGTH_TOO_LONG'
          : 'ERR_SSL_ENCRYPTED_LENGTH_TOO_LONG',
        AlertDescription.RecordOverflow,
        `record of ${length} bytes is over the limit of ${limit} (RFC 8446 §5.1, §5.2)`,
      );
    }
  }

  #checkContent(contentType: number, fragment: Uint8Array): void {
    if (fragment.length === 0) {
      // RFC 8446 §5.1, RFC 5246 §6.2.1: no zero-length handshake, alert or change_cipher_spec.
      if (contentType !== ContentType.ApplicationData) {
        throw new TlsError(
          'ERR_SSL_BAD_LENGTH',
          AlertDescription.UnexpectedMessage,
          `peer sent an empty ${contentType} record (RFC 8446 §5.1)`,
        );
      }
      this.#countEmpty(0);
      return;
    }
    this.#emptyRecords = 0;
    if (contentType === ContentType.Alert) {
      if (fragment[0] === AlertLevel.Warning && fragment[1] !== AlertDescription.CloseNotify) {
        this.#warningAlerts++;
        if (this.#warningAlerts > RecordLimits.MaxConsecutiveWarningAlerts) {
          throw new TlsError(
            'ERR_SSL_TOO_MANY_WARN_ALERTS',
            AlertDescription.UnexpectedMessage,
            'peer sent too many warning alerts in a row',
          );
        }
      }
    } else {
      this.#warningAlerts = 0;
    }
  }

  #countEmpty(length: number): void {
    if (length !== 0) return;
    this.#emptyRecords++;
    if (this.#emptyRecords > RecordLimits.MaxConsecutiveEmptyRecords) {
      throw new TlsError(
        'ERR_SSL_RECORD_TOO_SMALL',
        AlertDescription.UnexpectedMessage,
        'peer sent too many empty records in a row',
      );
    }
  }

  /** The next `length` bytes without consuming them (a copy only when they span chunks). */
  #peek(length: number): Uint8Array {
    const first = this.#chunks[0]!;
    if (first.length - this.#head >= length) return first.subarray(this.#head, this.#head + length);
    return this.#gather(length, false, new Uint8Array(length));
  }

  /**
   * Consumes `length` bytes and returns those after the first `skip`: a view when they lie in one
   * chunk, else a copy of just them in the shared `gathered` array, valid until the next `read()`.
   */
  #take(length: number, skip: number): Uint8Array {
    const first = this.#chunks[0]!;
    if (first.length - this.#head >= length) {
      const view = first.subarray(this.#head + skip, this.#head + length);
      this.#head += length;
      this.#buffered -= length;
      if (this.#head === first.length) {
        const chunks = this.#chunks;
        chunks.shift();
        // An emptied array keeps its capacity; setting the length frees it (memory per idle connection).
        if (chunks.length === 0) chunks.length = 0;
        this.#head = 0;
      }
      return view;
    }
    return this.#gather(length, true, gathered.subarray(0, length)).subarray(skip);
  }

  /** Copies the next `length` bytes into `out` (exactly `length` long), consuming them if asked. */
  #gather(length: number, consume: boolean, out: Uint8Array): Uint8Array {
    let filled = 0;
    let index = 0;
    let head = this.#head;
    while (filled < length) {
      const chunk = this.#chunks[index]!;
      const count = Math.min(chunk.length - head, length - filled);
      out.set(chunk.subarray(head, head + count), filled);
      filled += count;
      head += count;
      if (head === chunk.length) {
        index++;
        head = 0;
      }
    }
    if (consume) {
      this.#chunks.splice(0, index);
      if (this.#chunks.length === 0) this.#chunks.length = 0;
      this.#head = head;
      this.#buffered -= length;
    }
    return out;
  }
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const httpMethods = [ascii('GET '), ascii('POST '), ascii('HEAD '), ascii('PUT ')];
const proxyConnect = ascii('CONNE');

/**
 * The first bytes from the peer are not a TLS record. As OpenSSL (ssl3_get_record), no alert is
 * sent to something that does not speak TLS, and an HTTP request or an HTTPS proxy request is
 * named as such (Node: ERR_SSL_HTTP_REQUEST, ERR_SSL_HTTPS_PROXY_REQUEST).
 */
function notTls(contentType: number, version: number, length: number): TlsError {
  const header = [contentType, version >>> 8, version & 0xff, length >>> 8, length & 0xff];
  const startsWith = (prefix: number[]) => prefix.every((byte, i) => header[i] === byte);
  if (httpMethods.some(startsWith)) {
    return new TlsError('ERR_SSL_HTTP_REQUEST', undefined, 'an HTTP request, not a TLS record', {
      reason: 'http request',
    });
  }
  if (startsWith(proxyConnect)) {
    return new TlsError(
      'ERR_SSL_HTTPS_PROXY_REQUEST',
      undefined,
      'an HTTPS proxy request, not a TLS record',
      {
        reason: 'https proxy request',
      },
    );
  }
  return new TlsError(
    'ERR_SSL_WRONG_VERSION_NUMBER',
    undefined,
    `the first record has version 0x${version.toString(16).padStart(4, '0')}: not TLS`,
    { reason: 'wrong version number' },
  );
}
