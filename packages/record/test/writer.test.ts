// Fragmentation, record_size_limit, and the shape of the output handed to the transport.
import { randomBytes } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { ContentType, RecordReader, RecordWriter, alertName, createTls13Protection } from '@tls/record';
import { describe, expect, it } from 'vitest';

const provider = createNodeCryptoProvider();
const spec = { aead: 'aes-128-gcm', hash: 'sha256' } as const;

function recordLengths(bytes: Uint8Array): number[] {
  const lengths = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = (bytes[offset + 3]! << 8) | bytes[offset + 4]!;
    lengths.push(length);
    offset += 5 + length;
  }
  return lengths;
}

describe('RecordWriter', () => {
  it('splits plaintext at 2^14 by default and at the max fragment length when set', () => {
    const writer = new RecordWriter();
    writer.write(ContentType.ApplicationData, new Uint8Array(40000));
    expect(recordLengths(writer.takeOutputBuffer()!)).toEqual([16384, 16384, 7232]);
    writer.setMaxFragmentLength(512);
    writer.write(ContentType.ApplicationData, new Uint8Array(1100));
    expect(recordLengths(writer.takeOutputBuffer()!)).toEqual([512, 512, 76]);
  });

  it('accepts setMaxSendFragment sizes 512..16384 only, as Node does', () => {
    const writer = new RecordWriter();
    for (const bad of [511, 16385, 1000.5, Number.NaN]) {
      expect(() => writer.setMaxFragmentLength(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
      );
    }
    expect(() => writer.setMaxFragmentLength(16384)).not.toThrow();
  });

  it('honours the peer record_size_limit, counting the TLS 1.3 content type byte (RFC 8449 §4)', () => {
    const writer = new RecordWriter();
    writer.setPeerRecordSizeLimit(1000);
    writer.write(ContentType.ApplicationData, new Uint8Array(2500));
    expect(recordLengths(writer.takeOutputBuffer()!)).toEqual([1000, 1000, 500]);
    writer.setProtection(createTls13Protection(provider, spec, randomBytes(32)));
    writer.write(ContentType.ApplicationData, new Uint8Array(2500));
    // 999 bytes of content + 1 type byte + 16 tag bytes per record.
    expect(recordLengths(writer.takeOutputBuffer()!)).toEqual([1016, 1016, 519]);
    expect(() => writer.setPeerRecordSizeLimit(63)).toThrow(expect.objectContaining({ alert: 47 }));
  });

  it('hands large ciphertexts to the transport as they are and merges small parts', () => {
    const writer = new RecordWriter();
    writer.setProtection(createTls13Protection(provider, spec, randomBytes(32)));
    writer.write(ContentType.ApplicationData, new Uint8Array(3 * 16384));
    const parts = writer.takeOutput();
    // Per record: header, the 16384 + 1 bytes of sealed content and type (one cipher call), then
    // the tag merged with the next header.
    expect(parts.map((part) => part.length)).toEqual([5, 16385, 16 + 5, 16385, 16 + 5, 16385, 16]);
    expect(writer.pendingLength).toBe(0);
    for (let i = 0; i < 1000; i++) writer.write(ContentType.ApplicationData, Uint8Array.of(i & 0xff));
    const small = writer.takeOutput();
    expect(small.length).toBeLessThan(20);
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, spec, randomBytes(32)));
    expect(small.reduce((sum, part) => sum + part.length, 0)).toBe(1000 * (5 + 1 + 1 + 16));
  });

  it('writes one empty record for empty application data and none for an empty take', () => {
    const writer = new RecordWriter();
    expect(writer.takeOutputBuffer()).toBeUndefined();
    writer.write(ContentType.ApplicationData, new Uint8Array(0));
    expect(Array.from(writer.takeOutputBuffer()!)).toEqual([23, 3, 3, 0, 0]);
  });

  it('carves the records of every writer from one slab and leaves output already taken intact', () => {
    // Two connections' writers, interleaved: what one takes from the shared slab never overlaps
    // what the other took, and idle takes in between change nothing.
    const secrets = [randomBytes(32), randomBytes(32)];
    const writers = secrets.map((secret) => {
      const writer = new RecordWriter();
      writer.setProtection(createTls13Protection(provider, spec, secret));
      return writer;
    });
    const taken: Uint8Array[][] = [[], []];
    for (let i = 0; i < 3; i++) {
      for (const [n, writer] of writers.entries()) {
        writer.write(ContentType.ApplicationData, Uint8Array.of(i, i, n));
        taken[n]!.push(...writer.takeOutput());
        expect(writer.takeOutput()).toEqual([]);
      }
    }
    const copies = taken.map((parts) => parts.map((part) => Uint8Array.from(part)));
    for (const [n, writer] of writers.entries()) {
      writer.write(ContentType.ApplicationData, Uint8Array.of(9, n));
      taken[n]!.push(...writer.takeOutput());
    }
    expect(taken.map((parts, n) => parts.slice(0, copies[n]!.length))).toEqual(copies);
    for (const [n, secret] of secrets.entries()) {
      const reader = new RecordReader();
      reader.setProtection(createTls13Protection(provider, spec, secret));
      for (const part of taken[n]!) reader.push(part);
      const fragments: number[][] = [];
      for (let event = reader.read(); event !== undefined; event = reader.read()) {
        if (event.kind === 'error') throw event.error;
        fragments.push(Array.from(event.fragment));
      }
      expect(fragments).toEqual([
        [0, 0, n],
        [1, 1, n],
        [2, 2, n],
        [9, n],
      ]);
    }
  });

  it('names alerts as the RFC does', () => {
    expect([alertName(20), alertName(116), alertName(0), alertName(255)]).toEqual([
      'bad_record_mac',
      'certificate_required',
      'close_notify',
      'unknown(255)',
    ]);
  });
});
