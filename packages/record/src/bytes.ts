// Byte helpers. `Buffer#slice` returns a view, not a copy, and a Buffer can reach us anywhere a
// Uint8Array is accepted, so copies are made explicitly here rather than with `.slice()`.

/** A fresh copy of `bytes[start, end)`, never sharing memory with it. */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
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
