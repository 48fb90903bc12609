// A cursor over received bytes for the TLS presentation language (RFC 8446 §3). Reads never
// copy: vectors are views of the input. Every failure is a decode_error naming what was read.

import { decodeError } from '../errors.js';

export class Reader {
  readonly #bytes: Uint8Array;
  #offset: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#offset = start;
    this.#end = end;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.#end - this.#offset;
  }

  /** Offset of the cursor in the underlying array. */
  get offset(): number {
    return this.#offset;
  }

  #take(length: number, field: string): number {
    if (length > this.#end - this.#offset) {
      throw decodeError(`${field}: needs ${length} bytes, only ${this.#end - this.#offset} left`);
    }
    const at = this.#offset;
    this.#offset += length;
    return at;
  }

  u8(field = 'uint8'): number {
    return this.#bytes[this.#take(1, field)]!;
  }

  u16(field = 'uint16'): number {
    const at = this.#take(2, field);
    return (this.#bytes[at]! << 8) | this.#bytes[at + 1]!;
  }

  u24(field = 'uint24'): number {
    const at = this.#take(3, field);
    return (this.#bytes[at]! << 16) | (this.#bytes[at + 1]! << 8) | this.#bytes[at + 2]!;
  }

  u32(field = 'uint32'): number {
    const at = this.#take(4, field);
    return (
      ((this.#bytes[at]! << 24) |
        (this.#bytes[at + 1]! << 16) |
        (this.#bytes[at + 2]! << 8) |
        this.#bytes[at + 3]!) >>>
      0
    );
  }

  /** `length` bytes as a view of the input. */
  bytes(length: number, field = 'opaque'): Uint8Array {
    const at = this.#take(length, field);
    return this.#bytes.subarray(at, at + length);
  }

  /** Everything left, as a view. */
  rest(): Uint8Array {
    const at = this.#offset;
    this.#offset = this.#end;
    return this.#bytes.subarray(at, this.#end);
  }

  /**
   * A vector with a 1-, 2- or 3-byte length prefix (RFC 8446 §3.4), as a view. `min`/`max` are the
   * bounds the RFC's `<min..max>` gives for the vector's byte length.
   */
  vector(prefixBytes: 1 | 2 | 3, field = 'vector', min = 0, max = 0xffffff): Uint8Array {
    const length = prefixBytes === 1 ? this.u8(field) : prefixBytes === 2 ? this.u16(field) : this.u24(field);
    if (length < min || length > max) throw decodeError(`${field}: length ${length} outside ${min}..${max}`);
    return this.bytes(length, field);
  }

  /** A reader over the body of a length-prefixed vector, advancing this one past it. */
  child(prefixBytes: 1 | 2 | 3, field = 'vector', min = 0, max = 0xffffff): Reader {
    const length = prefixBytes === 1 ? this.u8(field) : prefixBytes === 2 ? this.u16(field) : this.u24(field);
    if (length < min || length > max) throw decodeError(`${field}: length ${length} outside ${min}..${max}`);
    const at = this.#take(length, field);
    return new Reader(this.#bytes, at, at + length);
  }

  /** Rejects trailing bytes (rustls `Reader::all`). */
  expectEnd(field = 'message'): void {
    if (this.#offset !== this.#end) throw decodeError(`${field}: ${this.#end - this.#offset} trailing bytes`);
  }
}
