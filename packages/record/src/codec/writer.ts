// A growable byte builder for the TLS presentation language (RFC 8446 §3). Length prefixes are
// written as placeholders and patched when their body is done, as cryptobyte and rustls do.

const prefixLimits = [0, 0xff, 0xffff, 0xffffff] as const;

export class Writer {
  #buffer: Uint8Array;
  #length = 0;

  constructor(initialCapacity = 256) {
    this.#buffer = new Uint8Array(initialCapacity);
  }

  get length(): number {
    return this.#length;
  }

  #reserve(extra: number): number {
    const at = this.#length;
    const needed = at + extra;
    if (needed > this.#buffer.length) {
      let capacity = this.#buffer.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.#buffer.subarray(0, at));
      this.#buffer = grown;
    }
    this.#length = needed;
    return at;
  }

  u8(value: number): this {
    // Reserve first: it may replace the buffer, which must not be read before it does.
    const at = this.#reserve(1);
    this.#buffer[at] = value;
    return this;
  }

  u16(value: number): this {
    const at = this.#reserve(2);
    this.#buffer[at] = value >>> 8;
    this.#buffer[at + 1] = value;
    return this;
  }

  u24(value: number): this {
    const at = this.#reserve(3);
    this.#buffer[at] = value >>> 16;
    this.#buffer[at + 1] = value >>> 8;
    this.#buffer[at + 2] = value;
    return this;
  }

  u32(value: number): this {
    const at = this.#reserve(4);
    this.#buffer[at] = value >>> 24;
    this.#buffer[at + 1] = value >>> 16;
    this.#buffer[at + 2] = value >>> 8;
    this.#buffer[at + 3] = value;
    return this;
  }

  bytes(data: Uint8Array): this {
    const at = this.#reserve(data.length);
    this.#buffer.set(data, at);
    return this;
  }

  /** `data` behind a 1-, 2- or 3-byte length. @throws RangeError when it does not fit the prefix. */
  vector(prefixBytes: 1 | 2 | 3, data: Uint8Array): this {
    if (data.length > prefixLimits[prefixBytes]) {
      throw new RangeError(`vector of ${data.length} bytes does not fit a ${prefixBytes}-byte length`);
    }
    if (prefixBytes === 1) this.u8(data.length);
    else if (prefixBytes === 2) this.u16(data.length);
    else this.u24(data.length);
    return this.bytes(data);
  }

  /** Writes what `body` writes behind a 1-, 2- or 3-byte length prefix. */
  lengthPrefixed(prefixBytes: 1 | 2 | 3, body: (writer: this) => void): this {
    const at = this.#reserve(prefixBytes);
    body(this);
    const length = this.#length - at - prefixBytes;
    if (length > prefixLimits[prefixBytes]) {
      throw new RangeError(`vector of ${length} bytes does not fit a ${prefixBytes}-byte length`);
    }
    for (let i = prefixBytes - 1, value = length; i >= 0; i--, value >>>= 8)
      this.#buffer[at + i] = value & 0xff;
    return this;
  }

  /** The bytes written; the writer must not be used afterwards. */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }
}
