// The sending half of the record layer: fragments outgoing content into records of at most the
// negotiated size (setMaxSendFragment, RFC 8449 record_size_limit), seals them with the current
// epoch's protection and queues the parts for the transport.
//
// Bulk path: a 16 KiB record is sealed straight from the caller's bytes and its ciphertext is
// queued as the AEAD produced it, never copied; `takeOutput()` returns the parts as a list for
// `writev`, merging only runs of small parts (headers, tags, small records) into one buffer.

import { concatBytes, recordBytes } from './bytes.js';
import { ContentType, RecordLimits } from './content-type.js';
import { TlsError } from './errors.js';
import { plaintextProtection } from './protection/plaintext.js';
import type { RecordProtection } from './protection/protection.js';
import { SequenceNumber } from './sequence.js';

/** Parts at least this long are handed to the transport as they are; shorter runs are merged. */
const mergeBelow = 4096;

export interface RecordWriterOptions {
  /** Largest plaintext per record, 512..16384 (Node's setMaxSendFragment range); default 16384. */
  maxFragmentLength?: number;
  /** Version written in record headers; default 0x0303 (0x0301 for a first ClientHello is set by the caller). */
  version?: number;
}

export class RecordWriter {
  #protection: RecordProtection = plaintextProtection;
  #version: number;
  #maxFragment: number;
  /** The peer's record_size_limit, when it sent one (RFC 8449). */
  #peerLimit: number | undefined;
  #parts: Uint8Array[] = [];
  #pending = 0;
  /** The sequence number of the next record; reset by each new epoch. */
  readonly sequence = new SequenceNumber();

  constructor(options: RecordWriterOptions = {}) {
    this.#version = options.version ?? 0x0303;
    this.#maxFragment = RecordLimits.MaxPlaintext;
    if (options.maxFragmentLength !== undefined) this.setMaxFragmentLength(options.maxFragmentLength);
  }

  /** Bytes queued for the transport. */
  get pendingLength(): number {
    return this.#pending;
  }

  get protection(): RecordProtection {
    return this.#protection;
  }

  /** True once this epoch's key has sealed as many records as it safely may (RFC 8446 §5.5). */
  get keyUpdateDue(): boolean {
    return this.sequence.value >= this.#protection.confidentialityLimit;
  }

  /** The largest plaintext one record carries now. */
  get maxFragmentLength(): number {
    if (this.#peerLimit === undefined) return this.#maxFragment;
    // RFC 8449 §4: in TLS 1.3 the limit counts the inner content type byte.
    const limit =
      this.#protection.kind === 'tls13'
        ? this.#peerLimit - 1
        : Math.min(this.#peerLimit, RecordLimits.MaxPlaintext);
    return Math.min(this.#maxFragment, limit);
  }

  /** Starts a new epoch: records from now on are sealed with `protection`, from sequence 0. */
  setProtection(protection: RecordProtection): void {
    this.#protection = protection;
    this.sequence.set(0, 0);
  }

  setVersion(version: number): void {
    this.#version = version;
  }

  /**
   * Node's `setMaxSendFragment` bounds: 512..16384.
   * @throws RangeError `ERR_OUT_OF_RANGE` outside them.
   */
  setMaxFragmentLength(length: number): void {
    if (
      !Number.isInteger(length) ||
      length < RecordLimits.MinFragment ||
      length > RecordLimits.MaxPlaintext
    ) {
      throw Object.assign(
        new RangeError(`max fragment length must be an integer in 512..16384, got ${length}`),
        {
          code: 'ERR_OUT_OF_RANGE',
        },
      );
    }
    this.#maxFragment = length;
  }

  /**
   * The peer's record_size_limit (RFC 8449 §4): 64..16385 for TLS 1.3, 64..16384 before.
   * @throws TlsError illegal_parameter below 64 (RFC 8449 §4).
   */
  setPeerRecordSizeLimit(limit: number): void {
    if (limit < RecordLimits.MinRecordSizeLimit) {
      throw new TlsError(
        'ERR_SSL_BAD_EXTENSION',
        47,
        `peer record_size_limit ${limit} is below 64 (RFC 8449 §4)`,
      );
    }
    this.#peerLimit = Math.min(limit, RecordLimits.MaxPlaintext + 1);
  }

  /**
   * Queues `data` as records of `contentType`, split at the current fragment size. Empty
   * application data produces one empty record (allowed, RFC 5246 §6.2.1); other types never do.
   */
  write(contentType: number, data: Uint8Array): void {
    const protection =
      contentType === ContentType.ChangeCipherSpec && this.#protection.kind === 'tls13'
        ? plaintextProtection // RFC 8446 §5: change_cipher_spec always goes unprotected.
        : this.#protection;
    const size = this.maxFragmentLength;
    if (data.length <= size) {
      // One record: no view to make (a Buffer's subarray costs an object per record).
      this.#seal(protection, contentType, data);
      return;
    }
    let offset = 0;
    do {
      const end = Math.min(offset + size, data.length);
      this.#seal(protection, contentType, data.subarray(offset, end));
      offset = end;
    } while (offset < data.length);
  }

  #seal(protection: RecordProtection, contentType: number, fragment: Uint8Array): void {
    const before = this.#parts.length;
    const sequence = this.sequence;
    protection.seal(contentType, this.#version, fragment, sequence, this.#parts);
    if (protection !== plaintextProtection) sequence.increment();
    for (let i = before; i < this.#parts.length; i++) this.#pending += this.#parts[i]!.length;
  }

  /**
   * The queued bytes as parts for `writev`, in order; runs of parts shorter than 4 KiB are merged
   * into one buffer. Empties the queue. The parts are owned by the caller.
   */
  takeOutput(): Uint8Array[] {
    const parts = this.#parts;
    if (parts.length === 0) return [];
    this.#parts = [];
    this.#pending = 0;
    const out: Uint8Array[] = [];
    let runStart = 0;
    const flushRun = (end: number): void => {
      if (end - runStart === 1) out.push(parts[runStart]!);
      else if (end > runStart) {
        let length = 0;
        for (let i = runStart; i < end; i++) length += parts[i]!.length;
        // The bytes between two large ciphertexts (tag, trailer, next header) are a few dozen:
        // carve them from the shared slab rather than allocating an ArrayBuffer per record.
        const merged = length <= 256 ? recordBytes.take(length) : new Uint8Array(length);
        let offset = 0;
        for (let i = runStart; i < end; i++) {
          merged.set(parts[i]!, offset);
          offset += parts[i]!.length;
        }
        out.push(merged);
      }
    };
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.length >= mergeBelow) {
        flushRun(i);
        out.push(part);
        runStart = i + 1;
      }
    }
    flushRun(parts.length);
    return out;
  }

  /** The queued bytes as one buffer (one copy), or `undefined` when nothing is queued. */
  takeOutputBuffer(): Uint8Array | undefined {
    if (this.#pending === 0) return undefined;
    const parts = this.takeOutput();
    return parts.length === 1 ? parts[0] : concatBytes(parts);
  }
}
