// 64-bit record sequence numbers (RFC 8446 §5.3, RFC 5246 §6.1), kept as two uint32 halves so
// every value up to 2^64-1 is exact and writing one into a nonce or MAC input costs no bigint.

import { TlsError } from './errors.js';

export class SequenceNumber {
  #high = 0;
  #low = 0;

  /** The high and low 32 bits. */
  get high(): number {
    return this.#high;
  }

  get low(): number {
    return this.#low;
  }

  /** The value as a number; exact below 2^53. */
  get value(): number {
    return this.#high * 0x1_0000_0000 + this.#low;
  }

  /** Sets the value (a new epoch starts at zero; tests start near the limit). */
  set(high: number, low: number): void {
    this.#high = high >>> 0;
    this.#low = low >>> 0;
  }

  /**
   * Moves to the next value.
   * @throws TlsError `ERR_TLS_SEQUENCE_EXHAUSTED` at 2^64-1: "Sequence numbers MUST NOT wrap"
   *   (RFC 5246 §6.1, RFC 8446 §5.3); the connection must rekey or close first.
   */
  increment(): void {
    if (this.#low === 0xffff_ffff) {
      if (this.#high === 0xffff_ffff) {
        throw new TlsError(
          'ERR_TLS_SEQUENCE_EXHAUSTED',
          undefined,
          'record sequence number would wrap (RFC 8446 §5.3)',
        );
      }
      this.#high++;
      this.#low = 0;
    } else {
      this.#low++;
    }
  }

  /** Writes the 8-byte big-endian value at `offset`. */
  writeTo(out: Uint8Array, offset: number): void {
    const high = this.#high;
    const low = this.#low;
    out[offset] = high >>> 24;
    out[offset + 1] = high >>> 16;
    out[offset + 2] = high >>> 8;
    out[offset + 3] = high;
    out[offset + 4] = low >>> 24;
    out[offset + 5] = low >>> 16;
    out[offset + 6] = low >>> 8;
    out[offset + 7] = low;
  }

  /** XORs the 8-byte big-endian value into the last 8 bytes of a 12-byte nonce (RFC 8446 §5.3). */
  xorIntoNonce(nonce: Uint8Array): void {
    const high = this.#high;
    const low = this.#low;
    nonce[4]! ^= high >>> 24;
    nonce[5]! ^= (high >>> 16) & 0xff;
    nonce[6]! ^= (high >>> 8) & 0xff;
    nonce[7]! ^= high & 0xff;
    nonce[8]! ^= low >>> 24;
    nonce[9]! ^= (low >>> 16) & 0xff;
    nonce[10]! ^= (low >>> 8) & 0xff;
    nonce[11]! ^= low & 0xff;
  }
}
