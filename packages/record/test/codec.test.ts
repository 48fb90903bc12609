import { describe, expect, it } from 'vitest';
import { Reader, Writer } from '@tls/record';

describe('Writer and Reader', () => {
  it('round-trips integers and length-prefixed vectors', () => {
    const writer = new Writer(1);
    writer.u8(0xab).u16(0x1234).u24(0x56789a).u32(0xdeadbeef);
    writer.lengthPrefixed(2, (w) => w.vector(1, Uint8Array.of(1, 2, 3)));
    const bytes = writer.finish();
    expect(Array.from(bytes)).toEqual([
      0xab, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xde, 0xad, 0xbe, 0xef, 0, 4, 3, 1, 2, 3,
    ]);
    const reader = new Reader(bytes);
    expect([reader.u8(), reader.u16(), reader.u24(), reader.u32()]).toEqual([
      0xab, 0x1234, 0x56789a, 0xdeadbeef,
    ]);
    const inner = reader.child(2);
    expect(Array.from(inner.vector(1))).toEqual([1, 2, 3]);
    inner.expectEnd();
    reader.expectEnd();
  });

  it('rejects a vector longer than what is left with decode_error', () => {
    const reader = new Reader(Uint8Array.of(0, 5, 1, 2));
    expect(() => reader.vector(2, 'cipher_suites')).toThrow(
      expect.objectContaining({
        code: 'ERR_SSL_DECODE_ERROR',
        alert: 50,
        message: expect.stringContaining('cipher_suites'),
      }),
    );
  });

  it('rejects trailing bytes and lengths outside the bounds', () => {
    expect(() => new Reader(Uint8Array.of(1, 2)).expectEnd('Finished')).toThrow(/Finished: 2 trailing bytes/);
    expect(() => new Reader(Uint8Array.of(0)).vector(1, 'legacy_compression_methods', 1)).toThrow(
      /outside 1\.\.255|outside 1/,
    );
  });

  it('keeps every byte when the buffer grows mid-write', () => {
    const writer = new Writer(1);
    const big = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    writer.u8(7).bytes(big).u8(9).vector(2, big).u16(0xabcd);
    const bytes = writer.finish();
    expect(bytes.length).toBe(1 + 1000 + 1 + 2 + 1000 + 2);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([7, 0, 1]);
    expect(bytes[1001]).toBe(9);
    expect(Array.from(bytes.subarray(1002, 1005))).toEqual([0x03, 0xe8, 0]);
    expect(Array.from(bytes.subarray(-3))).toEqual([0xe7, 0xab, 0xcd]);
  });

  it('refuses to write a vector that does not fit its length prefix', () => {
    expect(() => new Writer().vector(1, new Uint8Array(256))).toThrow(RangeError);
    expect(() => new Writer().lengthPrefixed(1, (w) => w.bytes(new Uint8Array(300)))).toThrow(RangeError);
  });
});
