// Handshake message reassembly (RFC 8446 §5.1): handshake messages may be split across records
// and several may share one record; a message must not span a key change, records of handshake
// type must not be empty, and message lengths are capped before any body is buffered so a peer
// cannot make us hold 16 MiB per message (the uint24 length allows it).

import { HandshakeType, handshakeTypeName } from './enums.js';
import { handshakeError, unexpectedMessage } from './errors.js';

/** One complete handshake message out of the reassembler. */
export interface HandshakeFrame {
  readonly type: number;
  /** The body (after the 4-byte header), a view of `bytes`. */
  readonly body: Uint8Array;
  /** The whole message as received, header included: decode it and add it to the transcript. */
  readonly bytes: Uint8Array;
}

export interface ReassemblerOptions {
  /** Largest body accepted for most messages. Default 65536 (2^16, OpenSSL's and rustls's order of size). */
  maxMessageLength?: number;
  /** Largest Certificate (and CompressedCertificate) body. Default 102400 (OpenSSL's max_cert_list). */
  maxCertificateLength?: number;
}

/** What an idle reassembler holds: one shared empty array (zero-length, so nothing can change it). */
const noBytes = new Uint8Array(0);

const defaultMaxMessageLength = 0x10000;
const defaultMaxCertificateLength = 102400;

/**
 * Reassembles handshake messages from the plaintext of handshake records.
 * @example
 * const reassembler = new HandshakeReassembler({ maxCertificateLength: 1 << 20 });
 * reassembler.addRecord(record.fragment);
 * for (let frame = reassembler.next(); frame; frame = reassembler.next()) handle(frame.type, frame.bytes);
 */
export class HandshakeReassembler {
  readonly #maxMessageLength: number;
  readonly #maxCertificateLength: number;
  /** Bytes received and not yet returned as messages. */
  #pending: Uint8Array = noBytes;
  #complete: HandshakeFrame[] = [];

  constructor(options: ReassemblerOptions = {}) {
    this.#maxMessageLength = options.maxMessageLength ?? defaultMaxMessageLength;
    this.#maxCertificateLength = options.maxCertificateLength ?? defaultMaxCertificateLength;
  }

  /**
   * Adds the plaintext of one handshake record. The bytes are copied.
   * @throws TlsError `ERR_SSL_UNEXPECTED_MESSAGE` for an empty record (RFC 8446 §5.1: "Implementations
   *   MUST NOT send zero-length fragments of Handshake types"); `ERR_SSL_EXCESSIVE_MESSAGE_SIZE`
   *   (illegal_parameter) as soon as a header announces a message above the limit.
   */
  addRecord(fragment: Uint8Array): void {
    if (fragment.length === 0) {
      throw unexpectedMessage('peer sent an empty handshake record (RFC 8446 §5.1)');
    }
    const joined = new Uint8Array(this.#pending.length + fragment.length);
    joined.set(this.#pending);
    joined.set(fragment, this.#pending.length);
    let at = 0;
    while (joined.length - at >= 4) {
      const type = joined[at]!;
      const length = (joined[at + 1]! << 16) | (joined[at + 2]! << 8) | joined[at + 3]!;
      this.#checkLength(type, length);
      if (joined.length - at - 4 < length) break;
      const bytes = joined.subarray(at, at + 4 + length);
      this.#complete.push({ type, body: bytes.subarray(4), bytes });
      at += 4 + length;
    }
    this.#pending = at === joined.length ? noBytes : joined.slice(at);
  }

  /** The next complete message, or `undefined` when none is ready. */
  next(): HandshakeFrame | undefined {
    const complete = this.#complete;
    const frame = complete.shift();
    // An emptied array keeps its capacity; setting the length frees it (memory per idle connection).
    if (complete.length === 0) complete.length = 0;
    return frame;
  }

  /** Whether any handshake bytes (a partial message or unread complete ones) are buffered. */
  get hasBufferedData(): boolean {
    return this.#pending.length > 0 || this.#complete.length > 0;
  }

  /**
   * Called before the read key changes: nothing may be buffered, since "Handshake messages MUST
   * NOT span key changes" and a message that ends a flight must be the last in its record
   * (RFC 8446 §5.1).
   * @throws TlsError `ERR_SSL_NOT_ON_RECORD_BOUNDARY` (unexpected_message) otherwise.
   */
  requireRecordBoundary(): void {
    if (this.hasBufferedData) {
      throw handshakeError(
        'NotOnRecordBoundary',
        'peer sent handshake data across a key change (RFC 8446 §5.1)',
      );
    }
  }

  #checkLength(type: number, length: number): void {
    const certificate = type === HandshakeType.Certificate || type === HandshakeType.CompressedCertificate;
    const limit = certificate ? this.#maxCertificateLength : this.#maxMessageLength;
    if (length > limit) {
      throw handshakeError(
        'ExcessiveMessageSize',
        `peer sent a ${handshakeTypeName(type)} of ${length} bytes, above the limit of ${limit}`,
      );
    }
  }
}
