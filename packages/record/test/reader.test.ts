// The streaming reader: any split of valid input gives the same records, arbitrary input never
// throws, and every malformed header or content gets the exact alert and code.
import { randomBytes } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ContentType,
  RecordReader,
  RecordWriter,
  createTls13Protection,
  decodeAlert,
  encodeAlert,
} from '@tls/record';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from './rfc8448';

const provider = createNodeCryptoProvider();

function plainRecord(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return Buffer.concat([
    Buffer.of(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff),
    body,
  ]);
}

const notTlsCodes = ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_HTTPS_PROXY_REQUEST'];

function readAll(reader: RecordReader) {
  const events = [];
  for (let event = reader.read(); event !== undefined; event = reader.read()) {
    events.push(event);
    if (event.kind === 'error') break;
  }
  return events;
}

function failure(bytes: Uint8Array, setup: (reader: RecordReader) => void = () => {}) {
  const reader = new RecordReader();
  setup(reader);
  reader.push(bytes);
  const events = readAll(reader);
  const last = events.at(-1);
  return last?.kind === 'error' ? { code: last.error.code, alert: last.error.alert } : undefined;
}

describe('RecordReader framing', () => {
  it('gives the same records for any split of the input (property)', () => {
    const secret = randomBytes(32);
    const spec = { aead: 'chacha20-poly1305', hash: 'sha256' } as const;
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 3000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }),
        (messages, cuts) => {
          const writer = new RecordWriter({ maxFragmentLength: 1024 });
          writer.setProtection(createTls13Protection(provider, spec, secret));
          for (const message of messages) writer.write(ContentType.ApplicationData, message);
          const bytes = writer.takeOutputBuffer()!;
          const reader = new RecordReader();
          reader.setProtection(createTls13Protection(provider, spec, secret));
          const received: Uint8Array[] = [];
          let offset = 0;
          let cut = 0;
          while (offset < bytes.length) {
            const end = Math.min(bytes.length, offset + cuts[cut++ % cuts.length]!);
            reader.push(bytes.subarray(offset, end));
            offset = end;
            for (const event of readAll(reader)) {
              if (event.kind === 'error') throw event.error;
              received.push(event.fragment);
            }
          }
          expect(hex(Buffer.concat(received))).toBe(hex(Buffer.concat(messages)));
          expect(reader.bufferedLength).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never throws on arbitrary input: it returns records or one sticky error (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }),
        fc.boolean(),
        (chunks, protectedEpoch) => {
          const reader = new RecordReader();
          if (protectedEpoch)
            reader.setProtection(
              createTls13Protection(provider, { aead: 'aes-128-gcm', hash: 'sha256' }, new Uint8Array(32)),
            );
          for (const chunk of chunks) {
            reader.push(chunk);
            for (const event of readAll(reader)) {
              if (event.kind === 'error') {
                expect(typeof event.error.code).toBe('string');
                // Only bytes that are not TLS from the start go without an alert (as OpenSSL).
                if (event.error.alert === undefined) expect(notTlsCodes).toContain(event.error.code);
                else expect(event.error.alert).toBeGreaterThan(0);
                expect(reader.read()).toBe(event);
              }
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('waits for the rest of a record without returning anything', () => {
    const reader = new RecordReader();
    const record = plainRecord(ContentType.Handshake, Uint8Array.of(1, 0, 0, 1, 9));
    reader.push(record.subarray(0, 4));
    expect(reader.read()).toBeUndefined();
    reader.push(record.subarray(4, 9));
    expect(reader.read()).toBeUndefined();
    reader.push(record.subarray(9));
    expect(reader.read()).toMatchObject({ kind: 'record', contentType: 22, version: 0x0303 });
  });

  it('keeps every fragment intact once later records spanning chunks are read', () => {
    // Records split across chunks are gathered in memory the reader reuses: what it returned
    // before (plaintext here, which it copies; opened records are fresh) must not change.
    const reader = new RecordReader();
    const records = [1, 2, 3].map((fill) =>
      plainRecord(ContentType.Handshake, new Uint8Array(1000).fill(fill)),
    );
    const bytes = Buffer.concat(records);
    const received: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += 700) {
      reader.push(bytes.subarray(offset, offset + 700));
      for (const event of readAll(reader)) if (event.kind === 'record') received.push(event.fragment);
    }
    expect(received.map((fragment) => [fragment.length, new Set(fragment).size, fragment[0]])).toEqual([
      [1000, 1, 1],
      [1000, 1, 2],
      [1000, 1, 3],
    ]);
  });

  it('copies plaintext records so the caller may reuse its buffer', () => {
    const reader = new RecordReader();
    const input = plainRecord(ContentType.Handshake, Uint8Array.of(1, 2, 3));
    reader.push(input);
    const event = reader.read();
    input.fill(0);
    expect(event?.kind === 'record' && hex(event.fragment)).toBe('010203');
  });
});

describe('RecordReader errors', () => {
  it('names an HTTP request or an HTTPS proxy request for what it is, and sends no alert (as OpenSSL)', () => {
    for (const request of ['GET / HTTP/1.1', 'POST /x HTTP/1.1', 'HEAD / HTTP/1.0', 'PUT /y HTTP/1.1']) {
      expect(failure(new TextEncoder().encode(`${request}\r\nHost: x\r\n\r\n`))).toEqual({
        code: 'ERR_SSL_HTTP_REQUEST',
        alert: undefined,
      });
    }
    expect(failure(new TextEncoder().encode('CONNECT example.com:443 HTTP/1.1\r\n\r\n'))).toEqual({
      code: 'ERR_SSL_HTTPS_PROXY_REQUEST',
      alert: undefined,
    });
    // Not a method OpenSSL knows: just not TLS.
    expect(failure(new TextEncoder().encode('OPTIONS * HTTP/1.1\r\n\r\n'))).toEqual({
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      alert: undefined,
    });
  });

  it('rejects an SSLv2-format hello as a wrong version number, without an alert', () => {
    expect(failure(Uint8Array.of(0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15))).toEqual({
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      alert: undefined,
    });
  });

  it('answers a bad major version after a first good record with protocol_version', () => {
    const bytes = Buffer.concat([
      plainRecord(ContentType.Handshake, Uint8Array.of(1, 0, 0, 1, 9)),
      new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'),
    ]);
    expect(failure(bytes)).toEqual({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', alert: 70 });
  });

  it('rejects a TLS 1.2 record with another version once the version is fixed', () => {
    const record = plainRecord(ContentType.Handshake, Uint8Array.of(1), 0x0301);
    expect(failure(record, (reader) => reader.setVersion(0x0303))).toEqual({
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
      alert: 70,
    });
    expect(failure(record)).toBeUndefined();
  });

  it('rejects unknown content types with unexpected_message (RFC 8446 §5)', () => {
    expect(failure(plainRecord(24, Uint8Array.of(1)))).toEqual({
      code: 'ERR_SSL_UNEXPECTED_RECORD',
      alert: 10,
    });
    expect(failure(plainRecord(99, Uint8Array.of(1)))).toEqual({
      code: 'ERR_SSL_UNEXPECTED_RECORD',
      alert: 10,
    });
  });

  it('rejects an oversized record from its header alone with record_overflow', () => {
    // Only the header arrives: the length is judged before any body is buffered.
    expect(failure(Uint8Array.of(22, 3, 3, 0x40, 0x01))).toEqual({
      code: 'ERR_SSL_PACKET_LENGTH_TOO_LONG',
      alert: 22,
    });
    const tls13 = (reader: RecordReader) =>
      reader.setProtection(
        createTls13Protection(provider, { aead: 'aes-128-gcm', hash: 'sha256' }, new Uint8Array(32)),
      );
    expect(failure(Uint8Array.of(23, 3, 3, 0x41, 0x01), tls13)).toEqual({
      code: 'ERR_SSL_ENCRYPTED_LENGTH_TOO_LONG',
      alert: 22,
    });
  });

  it('enforces our advertised record_size_limit on decrypted content (RFC 8449 §4)', () => {
    const secret = randomBytes(32);
    const spec = { aead: 'aes-128-gcm', hash: 'sha256' } as const;
    const writer = new RecordWriter();
    writer.setProtection(createTls13Protection(provider, spec, secret));
    writer.write(ContentType.ApplicationData, new Uint8Array(2000));
    const reader = new RecordReader({ maxPlaintextLength: 1024 });
    reader.setProtection(createTls13Protection(provider, spec, secret));
    reader.push(writer.takeOutputBuffer()!);
    expect(reader.read()).toMatchObject({
      kind: 'error',
      error: { code: 'ERR_SSL_ENCRYPTED_LENGTH_TOO_LONG', alert: 22 },
    });
  });

  it('rejects zero-length handshake, alert and change_cipher_spec records (RFC 8446 §5.1)', () => {
    for (const type of [ContentType.Handshake, ContentType.Alert, ContentType.ChangeCipherSpec]) {
      expect(failure(plainRecord(type, new Uint8Array(0)))).toEqual({
        code: 'ERR_SSL_BAD_LENGTH',
        alert: 10,
      });
    }
  });

  it('tolerates 32 empty application-data records in a row, not 33', () => {
    const empty = plainRecord(ContentType.ApplicationData, new Uint8Array(0));
    const ok = Buffer.concat([
      ...Array(32).fill(empty),
      plainRecord(23, Uint8Array.of(1)),
      ...Array(32).fill(empty),
    ]);
    expect(failure(ok)).toBeUndefined();
    expect(failure(Buffer.concat(Array(33).fill(empty)))).toEqual({
      code: 'ERR_SSL_RECORD_TOO_SMALL',
      alert: 10,
    });
  });

  it('tolerates 5 warning alerts in a row, not 6', () => {
    const warning = plainRecord(ContentType.Alert, encodeAlert({ level: 1, description: 100 }));
    expect(
      failure(
        Buffer.concat([
          ...Array(5).fill(warning),
          plainRecord(23, Uint8Array.of(1)),
          ...Array(5).fill(warning),
        ]),
      ),
    ).toBeUndefined();
    expect(failure(Buffer.concat(Array(6).fill(warning)))).toEqual({
      code: 'ERR_SSL_TOO_MANY_WARN_ALERTS',
      alert: 10,
    });
  });

  it('delivers every record before the one that fails, then stays failed', () => {
    const reader = new RecordReader();
    reader.push(
      Buffer.concat([
        plainRecord(23, Uint8Array.of(1)),
        plainRecord(23, Uint8Array.of(2)),
        Uint8Array.of(99, 3, 3, 0, 0),
      ]),
    );
    const events = readAll(reader);
    expect(events.map((event) => event.kind)).toEqual(['record', 'record', 'error']);
    reader.push(plainRecord(23, Uint8Array.of(3)));
    expect(reader.read()?.kind).toBe('error');
    expect(reader.error?.code).toBe('ERR_SSL_UNEXPECTED_RECORD');
  });
});

describe('alert codec', () => {
  it('round-trips and rejects bad lengths and levels', () => {
    expect(decodeAlert(encodeAlert({ level: 2, description: 40 }))).toEqual({ level: 2, description: 40 });
    expect(() => decodeAlert(Uint8Array.of(2))).toThrow(expect.objectContaining({ alert: 50 }));
    expect(() => decodeAlert(Uint8Array.of(2, 40, 0))).toThrow(expect.objectContaining({ alert: 50 }));
    expect(() => decodeAlert(Uint8Array.of(3, 40))).toThrow(expect.objectContaining({ alert: 47 }));
  });
});
