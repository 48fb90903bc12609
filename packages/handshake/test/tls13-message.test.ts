import { describe, expect, it } from 'vitest';
import {
  type ClientHelloExtension,
  type EncryptedExtensionsExtension,
  HandshakeType,
  decodeTls13Message,
  encodeEncryptedExtensions,
  encodeFinished,
  encodeKeyUpdate,
  requireHandshake,
  requireSolicitedExtensions,
} from '@tls/handshake';
import { loadTrace, message } from './helpers/rfc8448.js';

const simple = loadTrace('section3-simple-1rtt.txt');

describe('decodeTls13Message and requireHandshake', () => {
  it('decodes each RFC 8448 message by its type', () => {
    const names = [
      'ClientHello',
      'ServerHello',
      'EncryptedExtensions',
      'Certificate',
      'CertificateVerify',
      'Finished',
    ];
    const types = names.map((n) => decodeTls13Message(message(simple, n), { finishedLength: 32 }).type);
    expect(types).toEqual([1, 2, 8, 11, 15, 20]);
  });

  it('narrows to the expected message and rejects any other with unexpected_message', () => {
    const finished = decodeTls13Message(encodeFinished({ verifyData: new Uint8Array(32).fill(5) }), {
      finishedLength: 32,
    });
    expect(requireHandshake(finished, HandshakeType.Finished).verifyData).toEqual(new Uint8Array(32).fill(5));
    expect(() => requireHandshake(finished, HandshakeType.CertificateVerify)).toThrow(
      expect.objectContaining({
        code: 'ERR_SSL_UNEXPECTED_MESSAGE',
        alert: 10,
        message: expect.stringContaining('Finished where CertificateVerify'),
      }),
    );
    const keyUpdate = decodeTls13Message(encodeKeyUpdate({ requestUpdate: 0 }), { finishedLength: 32 });
    expect(requireHandshake(keyUpdate, HandshakeType.KeyUpdate).requestUpdate).toBe(0);
  });

  it('rejects message types TLS 1.3 does not use', () => {
    for (const type of [
      HandshakeType.HelloRequest,
      HandshakeType.ServerKeyExchange,
      HandshakeType.MessageHash,
      99,
    ]) {
      expect(() => decodeTls13Message(Uint8Array.of(type, 0, 0, 0), { finishedLength: 32 })).toThrow(
        expect.objectContaining({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 }),
      );
    }
  });
});

describe('requireSolicitedExtensions (RFC 8446 §4.2)', () => {
  const offered: ClientHelloExtension[] = [
    { kind: 'supported_groups', namedGroupList: [0x1d] },
    { kind: 'unknown', type: 0x4a4a, data: new Uint8Array(0) },
  ];

  it('accepts responses to offered extensions, unknown types included', () => {
    const response: EncryptedExtensionsExtension[] = [
      { kind: 'supported_groups', namedGroupList: [0x17] },
      { kind: 'unknown', type: 0x4a4a, data: Uint8Array.of(1) },
    ];
    expect(() => requireSolicitedExtensions(response, offered, 'encrypted-extensions')).not.toThrow();
  });

  it('rejects an unrequested extension with unsupported_extension, except a HelloRetryRequest cookie', () => {
    const alpn: EncryptedExtensionsExtension = {
      kind: 'application_layer_protocol_negotiation',
      protocolNameList: [Uint8Array.of(0x68, 0x32)],
    };
    expect(() => requireSolicitedExtensions([alpn], offered, 'encrypted-extensions')).toThrow(
      expect.objectContaining({ code: 'ERR_SSL_UNSOLICITED_EXTENSION', alert: 110 }),
    );
    const cookie = { kind: 'cookie' as const, cookie: Uint8Array.of(1) };
    expect(() => requireSolicitedExtensions([cookie], offered, 'hello-retry-request')).not.toThrow();
    expect(() => requireSolicitedExtensions([cookie], offered, 'server-hello')).toThrow(
      expect.objectContaining({ alert: 110 }),
    );
    expect(encodeEncryptedExtensions({ extensions: [alpn] }).length).toBe(4 + 2 + 4 + 5);
  });
});
