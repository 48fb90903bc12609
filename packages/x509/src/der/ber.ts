// BER to DER for the containers that real files encode in BER (X.690 §8): PKCS#12 files exported by
// Windows use indefinite lengths (§8.1.3.6) and constructed OCTET STRINGs (§8.7.3). Only the
// encoding of lengths and of constructed OCTET STRINGs is normalized; primitive contents stay
// opaque (certificates inside are still parsed strictly). Used by parsePkcs12 only.

import { X509Error } from '../errors.js';
import { DerTag } from './tags.js';
import { concatBytes, encodeTlv } from './writer.js';

const maxDepth = 64;

interface Parsed {
  /** DER encoding of the element. */
  readonly der: Uint8Array;
  /** Offset just past the element in the input. */
  readonly end: number;
  /** Whether `der` differs from the input bytes. */
  readonly changed: boolean;
}

function berError(offset: number, message: string): X509Error {
  return new X509Error('ERR_X509_DER', `BER: ${message} at byte offset ${offset}`, { field: 'BER', offset });
}

function parseElement(bytes: Uint8Array, position: number, depth: number): Parsed {
  if (depth > maxDepth) throw berError(position, 'nested too deeply');
  if (position + 2 > bytes.length) throw berError(position, 'truncated element');
  const tag = bytes[position]!;
  if ((tag & 0x1f) === 0x1f) throw berError(position, 'high tag number form is not supported');
  let cursor = position + 1;
  const first = bytes[cursor++]!;
  let length: number | undefined;
  let minimal = true;
  if (first < 0x80) length = first;
  else if (first === 0x80) {
    // X.690 §8.1.3.6: indefinite form, constructed elements only.
    if ((tag & 0x20) === 0) throw berError(position, 'indefinite length on a primitive element');
    length = undefined;
  } else {
    const count = first & 0x7f;
    if (count > 4 || cursor + count > bytes.length) throw berError(position, 'bad length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[cursor++]!;
    minimal = length >= 0x80 && length >= 2 ** (8 * (count - 1));
  }
  const contentsStart = cursor;
  if ((tag & 0x20) === 0) {
    if (length === undefined || contentsStart + length > bytes.length)
      throw berError(position, 'truncated element');
    const end = contentsStart + length;
    if (minimal) return { der: bytes.subarray(position, end), end, changed: false };
    return { der: encodeTlv(tag, bytes.subarray(contentsStart, end)), end, changed: true };
  }
  const children: Parsed[] = [];
  let end: number;
  if (length === undefined) {
    cursor = contentsStart;
    for (;;) {
      if (cursor + 2 > bytes.length) throw berError(cursor, 'missing end-of-contents');
      if (bytes[cursor] === 0 && bytes[cursor + 1] === 0) {
        end = cursor + 2;
        break;
      }
      const child = parseElement(bytes, cursor, depth + 1);
      children.push(child);
      cursor = child.end;
    }
  } else {
    end = contentsStart + length;
    if (end > bytes.length) throw berError(position, 'truncated element');
    cursor = contentsStart;
    while (cursor < end) {
      const child = parseElement(bytes.subarray(0, end), cursor, depth + 1);
      children.push(child);
      cursor = child.end;
    }
  }
  // X.690 §8.7.3: a constructed OCTET STRING is the concatenation of its OCTET STRING segments.
  if (tag === DerTag.OctetString + 0x20) {
    const parts = children.map((child, index) => {
      if (child.der[0] !== DerTag.OctetString)
        throw berError(position, `segment ${index} of a constructed OCTET STRING is not an OCTET STRING`);
      return primitiveContents(child.der);
    });
    return { der: encodeTlv(DerTag.OctetString, concatBytes(parts)), end, changed: true };
  }
  const changed = length === undefined || !minimal || children.some((child) => child.changed);
  if (!changed) return { der: bytes.subarray(position, end), end, changed: false };
  return {
    der: encodeTlv(
      tag,
      children.map((child) => child.der),
    ),
    end,
    changed: true,
  };
}

/** The contents of a DER element with a definite length. */
function primitiveContents(der: Uint8Array): Uint8Array {
  const first = der[1]!;
  const header = first < 0x80 ? 2 : 2 + (first & 0x7f);
  return der.subarray(header);
}

/**
 * Re-encodes one BER element as DER lengths and primitive OCTET STRINGs. Input that is already
 * DER is returned as is (same object, no copy).
 * @throws X509Error `ERR_X509_DER` on a malformed encoding or trailing bytes.
 * @example berToDer(windowsPfx)[1] // a definite length
 */
export function berToDer(bytes: Uint8Array): Uint8Array {
  const parsed = parseElement(bytes, 0, 0);
  if (parsed.end !== bytes.length) throw berError(parsed.end, 'trailing bytes');
  return parsed.changed ? parsed.der : bytes;
}
