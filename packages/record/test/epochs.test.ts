// Key changes: the reader is pulled one record at a time, so the caller switches keys exactly at
// a record boundary even when records of two epochs arrive in one chunk.
import { randomBytes } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ContentType,
  RecordReader,
  RecordWriter,
  createTls12AeadProtection,
  createTls13Protection,
  nextTls13TrafficSecret,
} from '@tls/record';
import { describe, expect, it } from 'vitest';
import { hex } from './rfc8448';

const provider = createNodeCryptoProvider();
const spec = { aead: 'aes-256-gcm', hash: 'sha384' } as const;

describe('epochs', () => {
  it('switches TLS 1.3 traffic secrets at a KeyUpdate within one chunk (RFC 8446 §7.2)', () => {
    const first = randomBytes(48);
    const second = nextTls13TrafficSecret(provider, 'sha384', first);
    expect(hex(second)).toBe(
      hex(provider.hkdfExpandLabel('sha384', first, 'traffic upd', new Uint8Array(0), 48)),
    );
    const writer = new RecordWriter();
    writer.setProtection(createTls13Protection(provider, spec, first));
    writer.write(ContentType.ApplicationData, Uint8Array.of(1));
    writer.write(ContentType.Handshake, Uint8Array.of(24, 0, 0, 1, 0)); // KeyUpdate(update_not_requested)
    writer.setProtection(createTls13Protection(provider, spec, second));
    expect(writer.sequence.value).toBe(0);
    writer.write(ContentType.ApplicationData, Uint8Array.of(2));
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, spec, first));
    reader.push(writer.takeOutputBuffer()!);
    const seen = [];
    for (let event = reader.read(); event !== undefined; event = reader.read()) {
      if (event.kind === 'error') throw event.error;
      seen.push(hex(event.fragment));
      if (event.contentType === ContentType.Handshake)
        reader.setProtection(createTls13Protection(provider, spec, second));
    }
    expect(seen).toEqual(['01', '1800000100', '02']);
  });

  it('moves from plaintext to TLS 1.2 protection after ChangeCipherSpec', () => {
    const keys = { aead: 'aes-128-gcm', key: randomBytes(16), fixedIv: randomBytes(4) } as const;
    const writer = new RecordWriter();
    writer.write(ContentType.Handshake, Uint8Array.of(16, 0, 0, 0));
    writer.write(ContentType.ChangeCipherSpec, Uint8Array.of(1));
    writer.setProtection(createTls12AeadProtection(provider, keys));
    writer.write(ContentType.Handshake, Uint8Array.of(20, 0, 0, 0));
    const bytes = writer.takeOutputBuffer()!;
    const reader = new RecordReader();
    reader.setVersion(0x0303);
    reader.push(bytes);
    const types = [];
    for (let event = reader.read(); event !== undefined; event = reader.read()) {
      if (event.kind === 'error') throw event.error;
      types.push(event.contentType);
      if (event.contentType === ContentType.ChangeCipherSpec)
        reader.setProtection(createTls12AeadProtection(provider, keys));
    }
    expect(types).toEqual([22, 20, 22]);
  });

  it('fails a record sealed under the next epoch when the reader has not switched', () => {
    const writer = new RecordWriter();
    writer.setProtection(createTls13Protection(provider, spec, randomBytes(48)));
    writer.write(ContentType.ApplicationData, Uint8Array.of(1));
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, spec, randomBytes(48)));
    reader.push(writer.takeOutputBuffer()!);
    expect(reader.read()).toMatchObject({ kind: 'error', error: { alert: 20 } });
  });
});
