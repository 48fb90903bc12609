// Shared readers for the vectors of fixed-size integers that many extensions carry (RFC 8446 §3.4).

import type { Reader, Writer } from '@tls/record';
import { decodeError } from '../../errors.js';

/** A vector of uint16 behind a 2-byte length (or 1-byte with `prefix` 1), byte length within `min..max`. */
export function readU16List(
  reader: Reader,
  field: string,
  min: number,
  max: number,
  prefix: 1 | 2 = 2,
): number[] {
  const list = reader.child(prefix, field, min, max);
  if (list.remaining % 2 !== 0) throw decodeError(`${field}: odd length ${list.remaining}`);
  const values: number[] = [];
  while (list.remaining > 0) values.push(list.u16(field));
  return values;
}

/** Writes what `readU16List` reads, behind the given length prefix. @throws RangeError when it is too long for it. */
export function writeU16List(writer: Writer, values: readonly number[], prefix: 1 | 2 = 2): void {
  writer.lengthPrefixed(prefix, (w) => {
    for (const value of values) w.u16(value);
  });
}

/** A vector of uint8 behind a 1-byte length, within `min..max`. */
export function readU8List(reader: Reader, field: string, min: number, max: number): number[] {
  return Array.from(reader.vector(1, field, min, max));
}

/** Writes what `readU8List` reads, behind the given length prefix. @throws RangeError when it is too long for it. */
export function writeU8List(writer: Writer, values: readonly number[]): void {
  writer.vector(1, Uint8Array.from(values));
}

/** A vector of opaque items, each behind its own length, the whole behind a 2-byte length. */
export function readOpaqueList(
  reader: Reader,
  field: string,
  listMin: number,
  itemPrefix: 1 | 2 | 3,
  itemMin: number,
  listPrefix: 1 | 2 | 3 = 2,
): Uint8Array[] {
  const list = reader.child(listPrefix, field, listMin);
  const items: Uint8Array[] = [];
  while (list.remaining > 0) items.push(list.vector(itemPrefix, field, itemMin));
  return items;
}

/** Writes what `readOpaqueList` reads, behind the given length prefix. @throws RangeError when it is too long for it. */
export function writeOpaqueList(
  writer: Writer,
  items: readonly Uint8Array[],
  itemPrefix: 1 | 2 | 3,
  listPrefix: 1 | 2 | 3 = 2,
): void {
  writer.lengthPrefixed(listPrefix, (w) => {
    for (const item of items) w.vector(itemPrefix, item);
  });
}
