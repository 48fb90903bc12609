// Strict UTF-8 (RFC 3629 §3-§4): no overlong forms, no surrogates, nothing above U+10FFFF.
// Written here because the pure build targets plain ES2022, which has no TextDecoder.

/**
 * Decodes UTF-8, returning the index of the first invalid byte as a negative number - 1.
 * @example decodeUtf8(Uint8Array.of(0xe2, 0x82, 0xac)) // '€'
 */
export function decodeUtf8(bytes: Uint8Array): string | number {
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const first = bytes[i]!;
    if (first < 0x80) {
      text += String.fromCharCode(first);
      i++;
      continue;
    }
    let count: number;
    let code: number;
    let min: number;
    if (first >= 0xc2 && first <= 0xdf) {
      count = 1;
      code = first & 0x1f;
      min = 0x80;
    } else if (first >= 0xe0 && first <= 0xef) {
      count = 2;
      code = first & 0x0f;
      min = 0x800;
    } else if (first >= 0xf0 && first <= 0xf4) {
      count = 3;
      code = first & 0x07;
      min = 0x10000;
    } else {
      return -i - 1;
    }
    for (let j = 1; j <= count; j++) {
      const next = bytes[i + j];
      if (next === undefined || (next & 0xc0) !== 0x80) return -i - 1;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return -i - 1;
    text += String.fromCodePoint(code);
    i += count + 1;
  }
  return text;
}

/**
 * Encodes a JS string as UTF-8 (lone surrogates become U+FFFD).
 * @example encodeUtf8('€') // Uint8Array [0xe2, 0x82, 0xac]
 */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else
      out.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
  }
  return Uint8Array.from(out);
}
