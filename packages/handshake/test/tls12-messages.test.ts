// TLS 1.2 message codecs on what OpenSSL sends: every handshake message of real handshakes
// (ECDHE, DHE and static RSA; client certificate request; session ticket; OCSP stapling)
// decodes and re-encodes byte for byte, and ServerKeyExchange signatures verify over the
// content serverKeyExchangeSignedContent builds.
import { createPublicKey } from 'node:crypto';
import type tls from 'node:tls';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { isTlsError } from '@tls/record';
import {
  HandshakeType,
  ProtocolVersion,
  decodeClientHello,
  decodeClientKeyExchange,
  decodeHelloRequest,
  decodeNextProtocol,
  decodeServerHello,
  decodeServerHelloDone,
  decodeServerKeyExchange,
  decodeTls12Certificate,
  decodeTls12CertificateRequest,
  decodeTls12CertificateStatus,
  decodeTls12NewSessionTicket,
  encodeClientHello,
  encodeClientKeyExchange,
  encodeHelloRequest,
  encodeNextProtocol,
  encodeServerHello,
  encodeServerHelloDone,
  encodeServerKeyExchange,
  encodeTls12Certificate,
  encodeTls12CertificateRequest,
  encodeTls12CertificateStatus,
  encodeTls12NewSessionTicket,
  getCipherSuite,
  reasonCode,
  serverKeyExchangeSignedContent,
} from '@tls/handshake';
import {
  type NativeTls12Run,
  ffdhe2048,
  nativeTls12Handshake,
  rsaCredentials2048,
} from './helpers/native-tls12.js';
import { hex } from './helpers/rfc8448.js';

const provider = createNodeCryptoProvider();
const tls12 = ProtocolVersion.Tls12;

/** Decodes and re-encodes one captured message by type, checking the bytes. */
function roundTrip(bytes: Uint8Array, keyExchange: 'ecdhe' | 'dhe' | 'rsa'): string {
  let encoded: Uint8Array;
  switch (bytes[0]) {
    case HandshakeType.ClientHello:
      encoded = encodeClientHello(decodeClientHello(bytes));
      break;
    case HandshakeType.ServerHello:
      encoded = encodeServerHello(decodeServerHello(bytes));
      break;
    case HandshakeType.Certificate:
      encoded = encodeTls12Certificate(decodeTls12Certificate(bytes));
      break;
    case HandshakeType.ServerKeyExchange:
      encoded = encodeServerKeyExchange(
        decodeServerKeyExchange(bytes, keyExchange as 'ecdhe' | 'dhe', tls12),
      );
      break;
    case HandshakeType.CertificateRequest:
      encoded = encodeTls12CertificateRequest(decodeTls12CertificateRequest(bytes, tls12));
      break;
    case HandshakeType.ServerHelloDone:
      decodeServerHelloDone(bytes);
      encoded = encodeServerHelloDone();
      break;
    case HandshakeType.ClientKeyExchange:
      encoded = encodeClientKeyExchange(decodeClientKeyExchange(bytes, keyExchange));
      break;
    case HandshakeType.CertificateStatus:
      encoded = encodeTls12CertificateStatus(decodeTls12CertificateStatus(bytes));
      break;
    case HandshakeType.NewSessionTicket:
      encoded = encodeTls12NewSessionTicket(decodeTls12NewSessionTicket(bytes));
      break;
    default:
      throw new Error(`unexpected message type ${bytes[0]}`);
  }
  expect(hex(encoded)).toBe(hex(bytes));
  return HandshakeType.ClientHello === bytes[0] ? 'ClientHello' : String(bytes[0]);
}

function types(messages: Uint8Array[]): number[] {
  return messages.map((m) => m[0]!);
}

function checkSignature(run: NativeTls12Run, keyExchange: 'ecdhe' | 'dhe'): void {
  const clientHello = decodeClientHello(run.client.messages[0]!);
  const serverHello = decodeServerHello(run.server.messages[0]!);
  if (serverHello.kind !== 'server-hello') throw new Error('expected a ServerHello');
  const ske = decodeServerKeyExchange(
    run.server.messages.find((m) => m[0] === HandshakeType.ServerKeyExchange)!,
    keyExchange,
    tls12,
  );
  const spki = createPublicKey(rsaCredentials2048().cert).export({ type: 'spki', format: 'der' });
  const key = provider.importPublicKey({ key: new Uint8Array(spki), format: 'der' });
  const content = serverKeyExchangeSignedContent(clientHello.random, serverHello.random, ske);
  expect(provider.verify(ske.signed.algorithm!, key, content, ske.signed.signature)).toBe(true);
  const tampered = content.slice();
  tampered[70]! ^= 1;
  expect(provider.verify(ske.signed.algorithm!, key, tampered, ske.signed.signature)).toBe(false);
}

describe('TLS 1.2 messages from OpenSSL', () => {
  it('ECDHE with a certificate request and a session ticket', async () => {
    const run = await nativeTls12Handshake({
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
      requestCert: true,
      rejectUnauthorized: false,
    });
    const H = HandshakeType;
    expect(types(run.server.messages)).toEqual([
      H.ServerHello,
      H.Certificate,
      H.ServerKeyExchange,
      H.CertificateRequest,
      H.ServerHelloDone,
      H.NewSessionTicket,
    ]);
    expect(types(run.client.messages)).toEqual([H.ClientHello, H.Certificate, H.ClientKeyExchange]);
    for (const m of [...run.server.messages, ...run.client.messages]) roundTrip(m, 'ecdhe');
    const request = decodeTls12CertificateRequest(run.server.messages[3]!, tls12);
    expect(request.certificateTypes).toContain(64);
    expect(request.supportedSignatureAlgorithms).toContain(0x0804);
    expect(decodeTls12Certificate(run.client.messages[1]!).certificateList).toEqual([]);
    const ske = decodeServerKeyExchange(run.server.messages[2]!, 'ecdhe', tls12);
    expect(ske.kind === 'ecdhe' && ske.publicKey.length).toBe(32); // x25519
    checkSignature(run, 'ecdhe');
    expect(decodeTls12NewSessionTicket(run.server.messages[5]!).ticket.length).toBeGreaterThan(0);
  });

  it('DHE with RFC 7919 ffdhe2048 parameters', async () => {
    const run = await nativeTls12Handshake({ ciphers: 'DHE-RSA-AES128-GCM-SHA256', dhparam: ffdhe2048() });
    for (const m of [...run.server.messages, ...run.client.messages]) roundTrip(m, 'dhe');
    const ske = decodeServerKeyExchange(run.server.messages[2]!, 'dhe', tls12);
    expect(ske.kind === 'dhe' && [ske.p.length, hex(ske.g)]).toEqual([256, '02']);
    checkSignature(run, 'dhe');
    const serverHello = decodeServerHello(run.server.messages[0]!);
    expect(getCipherSuite(serverHello.cipherSuite)?.opensslName).toBe('DHE-RSA-AES128-GCM-SHA256');
  });

  it('static RSA key exchange and a stapled OCSP response', async () => {
    const staple = Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x06); // any DER: OCSPResponse{ status 6 }
    const run = await nativeTls12Handshake(
      { ciphers: 'AES128-GCM-SHA256' },
      { requestOCSP: true } as tls.ConnectionOptions,
      (server) => server.on('OCSPRequest', (_certificate, _issuer, done) => done(null, Buffer.from(staple))),
    );
    expect(types(run.server.messages)).toContain(HandshakeType.CertificateStatus);
    for (const m of [...run.server.messages, ...run.client.messages]) roundTrip(m, 'rsa');
    const status = decodeTls12CertificateStatus(
      run.server.messages.find((m) => m[0] === HandshakeType.CertificateStatus)!,
    );
    expect(status.response).toEqual(staple);
    const cke = decodeClientKeyExchange(run.client.messages.at(-1)!, 'rsa');
    expect(cke.kind === 'rsa' && cke.encryptedPreMasterSecret.length).toBe(256);
  });
});

describe('TLS 1.2 message codecs', () => {
  it('read the pre-1.2 forms without signature algorithms', () => {
    const request = {
      certificateTypes: [1],
      supportedSignatureAlgorithms: undefined,
      certificateAuthorities: [Uint8Array.of(0x30, 0)],
    };
    const decoded = decodeTls12CertificateRequest(
      encodeTls12CertificateRequest(request),
      ProtocolVersion.Tls11,
    );
    expect({ ...decoded, original: undefined }).toEqual({ ...request, original: undefined });
    const ske = {
      kind: 'ecdhe' as const,
      namedCurve: 23,
      publicKey: Uint8Array.of(4, 1, 2),
      signed: { algorithm: undefined, signature: Uint8Array.of(9) },
    };
    expect(
      decodeServerKeyExchange(encodeServerKeyExchange(ske), 'ecdhe', ProtocolVersion.Tls10).signed,
    ).toEqual(ske.signed);
  });

  it('refuse explicit curve parameters (RFC 8422 §5.4) and bodies on empty messages', () => {
    const explicit = Uint8Array.of(12, 0, 0, 4, 1, 0, 0, 0);
    expect(() => decodeServerKeyExchange(explicit, 'ecdhe', tls12)).toThrow(
      expect.objectContaining({ code: 'ERR_SSL_ILLEGAL_PARAMETER', alert: 47 }),
    );
    expect(() => decodeServerHelloDone(Uint8Array.of(14, 0, 0, 1, 0))).toThrow(
      expect.objectContaining({ alert: 50 }),
    );
    expect(decodeHelloRequest(encodeHelloRequest()).original).toEqual(Uint8Array.of(0, 0, 0, 0));
  });

  it('pad NextProtocol to a multiple of 32 bytes', () => {
    for (const name of ['h2', 'http/1.1', 'x'.repeat(30), 'y'.repeat(31)]) {
      const encoded = encodeNextProtocol(new TextEncoder().encode(name));
      expect((encoded.length - 4) % 32).toBe(0);
      const decoded = decodeNextProtocol(encoded);
      expect(new TextDecoder().decode(decoded.selectedProtocol)).toBe(name);
      expect(decoded.padding.every((b) => b === 0)).toBe(true);
    }
  });

  it('only ever throw TlsError on arbitrary bodies', () => {
    const H = HandshakeType;
    const decoders: [number, (bytes: Uint8Array) => unknown][] = [
      [H.Certificate, (b) => decodeTls12Certificate(b)],
      [H.CertificateRequest, (b) => decodeTls12CertificateRequest(b, tls12)],
      [H.CertificateRequest, (b) => decodeTls12CertificateRequest(b, ProtocolVersion.Tls10)],
      [H.ServerKeyExchange, (b) => decodeServerKeyExchange(b, 'ecdhe', tls12)],
      [H.ServerKeyExchange, (b) => decodeServerKeyExchange(b, 'dhe', ProtocolVersion.Tls11)],
      [H.ClientKeyExchange, (b) => decodeClientKeyExchange(b, 'ecdhe')],
      [H.ClientKeyExchange, (b) => decodeClientKeyExchange(b, 'dhe')],
      [H.ClientKeyExchange, (b) => decodeClientKeyExchange(b, 'rsa')],
      [H.CertificateStatus, (b) => decodeTls12CertificateStatus(b)],
      [H.NewSessionTicket, (b) => decodeTls12NewSessionTicket(b)],
      [H.NextProtocol, (b) => decodeNextProtocol(b)],
    ];
    const codes = new Set(Object.values(reasonCode));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (body, wrongType) => {
        for (const [type, decode] of decoders) {
          const message = new Uint8Array([wrongType ? type ^ 0x80 : type, 0, 0, body.length, ...body]);
          try {
            decode(message);
          } catch (error) {
            expect(isTlsError(error)).toBe(true);
            expect(codes).toContain((error as { code: string }).code);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
