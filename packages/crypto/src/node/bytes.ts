// Byte helpers for the node provider. Outputs handed to the pure layers are plain Uint8Array
// views, not Buffers: Buffer#slice shares memory where Uint8Array#slice copies, and the pure
// layers must not meet Buffer semantics by accident. A view costs no copy.

/** A plain Uint8Array view over the same memory as `bytes` (a Buffer, usually). */
export function asBytes(bytes: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(bytes) === Uint8Array.prototype) return bytes;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A fresh plain Uint8Array holding a copy of `bytes` (never a view of Node's pool). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** The concatenation of `parts` in one fresh array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Hex of `bytes`, for tests and diagnostics of public values only. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Big-endian unsigned integer of `bytes` (public values only: BigInt is not constant time). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);
}

/** `value` as a big-endian unsigned integer left-padded to `length` bytes. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError(`integer does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `bytes` left-padded with zeros to `length` (a copy; `bytes` must not be longer). */
export function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

/**
 * Views of `buffer`'s first `length` bytes, made once per length: for scratch buffers handed to
 * calls that take no offset or length (crypto.hash), which would otherwise need a view per call.
 */
export function prefixViews(buffer: Uint8Array): (length: number) => Uint8Array {
  const views: Uint8Array[] = [];
  return (length) => {
    let view = views[length];
    if (view === undefined) {
      view = buffer.subarray(0, length);
      views[length] = view;
    }
    return view;
  };
}
