// Round trips for every protection, suite and version, and the exact failure for tampering.
import { createDecipheriv, randomBytes } from 'node:crypto';
import type { AeadAlgorithm, BlockCipherAlgorithm, HashName } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ContentType,
  type RecordProtection,
  RecordReader,
  RecordWriter,
  createTls12AeadProtection,
  createTls12CbcProtection,
  createTls13Protection,
  createTls13ProtectionFromKey,
} from '@tls/record';
import { describe, expect, it } from 'vitest';
import { hex } from './rfc8448';

const provider = createNodeCryptoProvider();

interface Case {
  name: string;
  version: number;
  /** Two identical protections: one to seal with, one to open with. */
  make: () => [RecordProtection, RecordProtection];
}

const tls13Cases: Case[] = (
  [
    ['TLS_AES_128_GCM_SHA256', 'aes-128-gcm', 'sha256'],
    ['TLS_AES_256_GCM_SHA384', 'aes-256-gcm', 'sha384'],
    ['TLS_CHACHA20_POLY1305_SHA256', 'chacha20-poly1305', 'sha256'],
    ['TLS_AES_128_CCM_SHA256', 'aes-128-ccm', 'sha256'],
    ['TLS_AES_128_CCM_8_SHA256', 'aes-128-ccm8', 'sha256'],
  ] as const
).map(([name, aead, hash]) => {
  const secret = randomBytes(provider.hashLength(hash));
  const make = () => createTls13Protection(provider, { aead, hash }, secret);
  return { name: `TLS 1.3 ${name}`, version: 0x0303, make: () => [make(), make()] };
});

const aeadSuites: Array<[string, AeadAlgorithm, number, number]> = [
  ['ECDHE-RSA-AES128-GCM-SHA256', 'aes-128-gcm', 16, 4],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', 'aes-256-gcm', 32, 4],
  ['ECDHE-RSA-CHACHA20-POLY1305', 'chacha20-poly1305', 32, 12],
  ['ECDHE-ECDSA-AES128-CCM', 'aes-128-ccm', 16, 4],
  ['ECDHE-ECDSA-AES128-CCM8', 'aes-128-ccm8', 16, 4],
];
const tls12AeadCases: Case[] = aeadSuites.map(([name, aead, keyLength, ivLength]) => {
  const keys = { aead, key: randomBytes(keyLength), fixedIv: randomBytes(ivLength) };
  return {
    name: `TLS 1.2 ${name}`,
    version: 0x0303,
    make: () => [createTls12AeadProtection(provider, keys), createTls12AeadProtection(provider, keys)],
  };
});

const cbcSuites: Array<[string, BlockCipherAlgorithm, number, HashName]> = [
  ['AES128-SHA', 'aes-128-cbc', 16, 'sha1'],
  ['AES256-SHA', 'aes-256-cbc', 32, 'sha1'],
  ['ECDHE-RSA-AES128-SHA256', 'aes-128-cbc', 16, 'sha256'],
  ['ECDHE-RSA-AES256-SHA384', 'aes-256-cbc', 32, 'sha384'],
  ['DES-CBC3-SHA', 'des-ede3-cbc', 24, 'sha1'],
];
const cbcCases: Case[] = cbcSuites.flatMap(([name, cipher, keyLength, macHash]) =>
  [0x0301, 0x0302, 0x0303].flatMap((version) =>
    [false, true].map((encryptThenMac) => {
      const keys = {
        cipher,
        key: randomBytes(keyLength),
        macHash,
        macKey: randomBytes(provider.hashLength(macHash)),
        version,
        iv: randomBytes(cipher === 'des-ede3-cbc' ? 8 : 16),
        encryptThenMac,
      };
      return {
        name: `${version === 0x0301 ? 'TLS 1.0' : version === 0x0302 ? 'TLS 1.1' : 'TLS 1.2'} ${name}${encryptThenMac ? ' encrypt-then-MAC' : ''}`,
        version,
        make: (): [RecordProtection, RecordProtection] => [
          createTls12CbcProtection(provider, keys),
          createTls12CbcProtection(provider, keys),
        ],
      };
    }),
  ),
);

const allCases = [...tls13Cases, ...tls12AeadCases, ...cbcCases];
const sizes = [0, 1, 15, 16, 17, 100, 1024, 16383, 16384, 40000];

function pair(testCase: Case) {
  const [seal, open] = testCase.make();
  const writer = new RecordWriter({ version: testCase.version });
  writer.setProtection(seal);
  const reader = new RecordReader();
  reader.setVersion(testCase.version === 0x0303 && seal.kind === 'tls13' ? 0x0304 : testCase.version);
  reader.setProtection(open);
  return { writer, reader };
}

function drain(reader: RecordReader): Array<{ contentType: number; fragment: Uint8Array }> {
  const out: Array<{ contentType: number; fragment: Uint8Array }> = [];
  for (let event = reader.read(); event !== undefined; event = reader.read()) {
    if (event.kind === 'error') throw event.error;
    out.push(event);
  }
  return out;
}

describe('record protection round trips', () => {
  for (const testCase of allCases) {
    it(`${testCase.name}: seals and opens every size, in order, across records`, () => {
      const { writer, reader } = pair(testCase);
      const messages = sizes.map((size) => randomBytes(size));
      for (const message of messages) writer.write(ContentType.ApplicationData, message);
      writer.write(ContentType.Handshake, Uint8Array.of(20, 0, 0, 0));
      for (const part of writer.takeOutput()) reader.push(part);
      const records = drain(reader);
      const data = records.filter((record) => record.contentType === ContentType.ApplicationData);
      expect(hex(Buffer.concat(data.map((record) => record.fragment)))).toBe(hex(Buffer.concat(messages)));
      expect(records.every((record) => record.fragment.length <= 16384)).toBe(true);
      expect(records.at(-1)).toMatchObject({ contentType: ContentType.Handshake });
      expect(reader.sequence.value).toBe(writer.sequence.value);
      expect(reader.bufferedLength).toBe(0);
    });

    it(`${testCase.name}: any flipped bit in a record is bad_record_mac`, () => {
      const { writer, reader } = pair(testCase);
      writer.write(ContentType.ApplicationData, randomBytes(300));
      const record = writer.takeOutputBuffer()!;
      for (const position of [5, 5 + 7, 5 + 16, record.length - 1]) {
        const tampered = record.slice();
        tampered[position]! ^= 0x01;
        const [, open] = testCase.make();
        const fresh = new RecordReader();
        fresh.setProtection(open);
        fresh.push(tampered);
        const event = fresh.read();
        expect(event?.kind === 'error' && event.error).toMatchObject({
          code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
          alert: 20,
        });
      }
      reader.push(record);
      expect(drain(reader)).toHaveLength(1);
    });
  }

  it('TLS 1.3 records carry application_data as outer type and 0x0303 as version (RFC 8446 §5.2)', () => {
    const { writer } = pair(tls13Cases[0]!);
    writer.write(ContentType.Handshake, Uint8Array.of(1, 2, 3));
    expect(Array.from(writer.takeOutputBuffer()!.subarray(0, 5))).toEqual([23, 3, 3, 0, 3 + 1 + 16]);
  });

  it('TLS 1.3 padding is added by policy and removed on opening (RFC 8446 §5.4)', () => {
    const secret = randomBytes(32);
    const writer = new RecordWriter();
    writer.setProtection(
      createTls13Protection(provider, { aead: 'aes-128-gcm', hash: 'sha256' }, secret, {
        padding: () => 100,
      }),
    );
    writer.write(ContentType.ApplicationData, Uint8Array.of(7, 7));
    const record = writer.takeOutputBuffer()!;
    expect(record.length).toBe(5 + 2 + 1 + 100 + 16);
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, { aead: 'aes-128-gcm', hash: 'sha256' }, secret));
    reader.push(record);
    expect(drain(reader).map((r) => hex(r.fragment))).toEqual(['0707']);
  });

  it('TLS 1.3 change_cipher_spec goes out unprotected and is passed through when read', () => {
    const { writer, reader } = pair(tls13Cases[0]!);
    writer.write(ContentType.ChangeCipherSpec, Uint8Array.of(1));
    const bytes = writer.takeOutputBuffer()!;
    expect(Array.from(bytes)).toEqual([20, 3, 3, 0, 1, 1]);
    expect(writer.sequence.value).toBe(0);
    reader.push(bytes);
    expect(drain(reader).map((r) => [r.contentType, hex(r.fragment)])).toEqual([[20, '01']]);
    expect(reader.sequence.value).toBe(0);
  });

  it('TLS 1.3 rejects a record whose inner plaintext is all padding (RFC 8446 §5.4)', () => {
    const { writer } = pair(tls13Cases[0]!);
    // A content type of 0 looks exactly like padding: nothing is left once it is stripped.
    writer.write(0, Uint8Array.of(0, 0));
    const [, open] = tls13Cases[0]!.make();
    const reader = new RecordReader();
    reader.setProtection(open);
    reader.push(writer.takeOutputBuffer()!);
    expect(reader.read()).toMatchObject({
      kind: 'error',
      error: { code: 'ERR_SSL_UNEXPECTED_RECORD', alert: 10 },
    });
  });

  it('TLS 1.3 rejects a protected change_cipher_spec (RFC 8446 §5)', () => {
    const secret = randomBytes(32);
    const spec = { aead: 'aes-128-gcm', hash: 'sha256' } as const;
    const protection = createTls13Protection(provider, spec, secret);
    const parts: Uint8Array[] = [];
    protection.seal(
      ContentType.ChangeCipherSpec,
      0x0303,
      Uint8Array.of(1),
      new RecordWriter().sequence,
      parts,
    );
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(provider, spec, secret));
    reader.push(Buffer.concat(parts));
    expect(reader.read()).toMatchObject({
      kind: 'error',
      error: { code: 'ERR_SSL_UNEXPECTED_RECORD', alert: 10 },
    });
  });

  it('TLS 1.3 XORs the whole 64-bit sequence number into the iv (RFC 8446 §5.3)', () => {
    const key = randomBytes(16);
    const iv = Buffer.from('0123456789abcdeff0e1d2c3', 'hex');
    const writer = new RecordWriter();
    writer.setProtection(createTls13ProtectionFromKey(provider, 'aes-128-gcm', key, iv));
    writer.sequence.set(0xfedcba98, 0x76543210);
    writer.write(ContentType.ApplicationData, Uint8Array.of(7));
    const record = writer.takeOutputBuffer()!;
    // iv XOR 00000000fedcba9876543210, computed by hand.
    const nonce = Buffer.from('012345677777777786b5e0d3', 'hex');
    const decipher = createDecipheriv('aes-128-gcm', key, nonce);
    decipher.setAAD(record.subarray(0, 5));
    decipher.setAuthTag(record.subarray(record.length - 16));
    const inner = Buffer.concat([decipher.update(record.subarray(5, record.length - 16)), decipher.final()]);
    expect(Array.from(inner)).toEqual([7, ContentType.ApplicationData]);
  });

  it('TLS 1.2 GCM carries the sequence number as its explicit nonce (RFC 5288 §3)', () => {
    const { writer } = pair(tls12AeadCases[0]!);
    writer.sequence.set(0x01020304, 0x05060708);
    writer.write(ContentType.ApplicationData, Uint8Array.of(1));
    const record = writer.takeOutputBuffer()!;
    expect(hex(record.subarray(0, 13))).toBe('1703030019' + '0102030405060708');
  });

  it('CBC with bad padding and with a bad MAC fail the same way', () => {
    const keys = {
      cipher: 'aes-128-cbc',
      key: randomBytes(16),
      macHash: 'sha256',
      macKey: randomBytes(32),
      version: 0x0303,
    } as const;
    const block = provider.createBlockCipher('aes-128-cbc', keys.key);
    const iv = randomBytes(16);
    // 48 bytes of plaintext whose last byte claims 200 bytes of padding.
    const badPadding = Buffer.concat([iv, block.encrypt(iv, Buffer.alloc(48, 200))]);
    const badMac = Buffer.concat([iv, block.encrypt(iv, Buffer.concat([Buffer.alloc(47, 0), Buffer.of(0)]))]);
    const codes = [badPadding, badMac].map((body) => {
      const reader = new RecordReader();
      reader.setProtection(createTls12CbcProtection(provider, keys));
      reader.push(Buffer.concat([Buffer.of(23, 3, 3, body.length >> 8, body.length & 0xff), body]));
      const event = reader.read();
      return event?.kind === 'error' ? [event.error.code, event.error.alert, event.error.message] : event;
    });
    expect(codes[0]).toEqual(codes[1]);
    expect(codes[0]).toEqual(['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 20, expect.any(String)]);
  });

  it('refuses to wrap the sequence number (RFC 5246 §6.1)', () => {
    const { writer } = pair(tls12AeadCases[2]!);
    writer.sequence.set(0xffffffff, 0xfffffffe);
    writer.write(ContentType.ApplicationData, Uint8Array.of(1));
    expect(() => writer.write(ContentType.ApplicationData, Uint8Array.of(2))).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_SEQUENCE_EXHAUSTED' }),
    );
  });

  it('reports a due KeyUpdate when an AES-GCM key reaches its limit (RFC 8446 §5.5)', () => {
    const { writer } = pair(tls13Cases[0]!);
    expect(writer.keyUpdateDue).toBe(false);
    writer.sequence.set(0, 2 ** 24);
    expect(writer.keyUpdateDue).toBe(true);
    const chacha = pair(tls13Cases[2]!).writer;
    chacha.sequence.set(0x7fffffff, 0);
    expect(chacha.keyUpdateDue).toBe(false);
  });
});
