// Early data refused (RFC 8446 §4.2.10). Unless it accepts 0-RTT (`maxEarlyData` and every check
// of server/tls13.ts), a server whose ClientHello carries early_data ignores the extension and
// skips the client's 0-RTT records: after a ServerHello, records that do not open with the client
// handshake key, until one does; after a HelloRetryRequest, every application_data record until
// the second ClientHello. Either way up to a bound, past which the connection fails with
// unexpected_message (ERR_SSL_TOO_MUCH_EARLY_DATA, OpenSSL's reason for the same check).

import {
  AlertDescription,
  ContentType,
  type OpenedRecord,
  type RecordProtection,
  RecordLimits,
  SequenceNumber,
  isTlsError,
} from '@tls/record';
import { handshakeError } from '../errors.js';

/**
 * The most early data skipped: 2^14 bytes, the max_early_data_size OpenSSL assumes by default,
 * or the server's `maxEarlyData` when that is larger (what its tickets allow a client to send).
 */
export const maxSkippedEarlyData = RecordLimits.MaxPlaintext;

/**
 * What one skipped record counts against the bound: its body less the 17 bytes (AEAD tag and
 * content type) every 0-RTT record carries, and at least 1, so a flood of tiny records ends too.
 */
function earlyDataCost(bodyLength: number): number {
  return Math.max(bodyLength - 17, 1);
}

/** Counts skipped early data; throws once the bound is passed. */
export class EarlyDataBudget {
  readonly #limit: number;
  #skipped = 0;

  constructor(maxEarlyData = 0) {
    this.#limit = Math.max(maxSkippedEarlyData, maxEarlyData);
  }

  skip(bodyLength: number): void {
    this.#skipped += earlyDataCost(bodyLength);
    if (this.#skipped > this.#limit) {
      throw handshakeError(
        'TooMuchEarlyData',
        `client sent more than ${this.#limit} bytes of early data we do not accept (RFC 8446 §4.2.10)`,
      );
    }
  }
}

/**
 * The client handshake key's protection, skipping (RFC 8446 §4.2.10) application_data records
 * that fail to open until the first one opens. It keeps its own sequence number, which only
 * records that open advance: the client's handshake records start at 0 whatever 0-RTT came first.
 * A skipped record comes out as a one-byte application_data record and `takeSkipped()` is true.
 */
export class EarlyDataSkipping implements RecordProtection {
  readonly kind = 'tls13';
  readonly maxExpansion: number;
  readonly confidentialityLimit: number;
  readonly #inner: RecordProtection;
  readonly #budget: EarlyDataBudget;
  readonly #sequence = new SequenceNumber();
  #skipping = true;
  #skippedLast = false;

  constructor(inner: RecordProtection, budget: EarlyDataBudget) {
    this.#inner = inner;
    this.#budget = budget;
    this.maxExpansion = inner.maxExpansion;
    this.confidentialityLimit = inner.confidentialityLimit;
  }

  /** Whether the record just returned was skipped early data (and resets the answer). */
  takeSkipped(): boolean {
    const skipped = this.#skippedLast;
    this.#skippedLast = false;
    return skipped;
  }

  seal(): void {
    throw new Error('EarlyDataSkipping only opens records');
  }

  open(header: Uint8Array, body: Uint8Array): OpenedRecord {
    this.#skippedLast = false;
    try {
      const opened = this.#inner.open(header, body, this.#sequence);
      this.#sequence.increment();
      this.#skipping = false;
      return opened;
    } catch (error) {
      if (
        !this.#skipping ||
        header[0] !== ContentType.ApplicationData ||
        !isTlsError(error) ||
        error.alert !== AlertDescription.BadRecordMac
      )
        throw error;
      this.#budget.skip(body.length);
      this.#skippedLast = true;
      return { contentType: ContentType.ApplicationData, fragment: skippedFragment };
    }
  }
}

const skippedFragment = Uint8Array.of(0);
