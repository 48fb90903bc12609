// Our TLS 1.3 client against our TLS 1.3 server in memory: every suite, group and signature
// kind; application data, close_notify, KeyUpdate, exporters, ALPN, SNI, HelloRetryRequest,
// client authentication; and the exact error and alert on each side when something is wrong.
import { NamedGroup } from '@tls/crypto';
import {
  CipherSuite,
  createClientConnection,
  createServerConnection,
  decodeClientHello,
  isGrease,
} from '@tls/handshake';
import { TlsError } from '@tls/record';
import { describe, expect, it } from 'vitest';
import { type KeyKind, credential, ocspResponse } from './helpers/credentials';
import { errorOf, eventsOf, settle, side, text, transfer } from '@tls/test-kit';
import { handshake, provider } from './helpers/in-memory';

/** Lengths of the records in a byte stream (header length fields). */
function recordLengths(bytes: Uint8Array): number[] {
  const lengths: number[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!)) {
    lengths.push((bytes[at + 3]! << 8) | bytes[at + 4]!);
  }
  return lengths;
}

describe('TLS 1.3 in memory', () => {
  const suites = [
    CipherSuite.TLS_AES_128_GCM_SHA256,
    CipherSuite.TLS_AES_256_GCM_SHA384,
    CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
  ];
  const groups = [
    NamedGroup.X25519,
    NamedGroup.Secp256r1,
    NamedGroup.Secp384r1,
    NamedGroup.Secp521r1,
    NamedGroup.X448,
    NamedGroup.Ffdhe2048,
    NamedGroup.X25519MLKEM768,
  ];
  for (const suite of suites) {
    for (const group of groups) {
      it(`completes with suite 0x${suite.toString(16)} and group 0x${group.toString(16)}`, () => {
        const { client, server } = handshake({ cipherSuites: [suite], groups: [group] }, { groups: [group] });
        const [done] = eventsOf(client, 'handshake-complete');
        expect(done?.info).toMatchObject({ version: 0x0304, group, helloRetry: false });
        expect(done?.info.cipherSuite.id).toBe(suite);
        expect(eventsOf(server, 'handshake-complete')[0]?.info.cipherSuite.id).toBe(suite);
        client.connection.write(new TextEncoder().encode('ping'));
        transfer(client, server);
        expect(eventsOf(server, 'application-data').map((e) => text(e.data))).toEqual(['ping']);
      });
    }
  }

  for (const kind of ['ecdsa-p256', 'ecdsa-p384', 'rsa', 'rsa-pss', 'ed25519', 'ed448'] as KeyKind[]) {
    it(`authenticates a server with a ${kind} certificate and hands over the peer chain`, () => {
      const certified = credential(kind).certified;
      const { client, server } = handshake({}, { certificates: [certified] });
      const info = eventsOf(client, 'handshake-complete')[0]?.info;
      expect(info?.peerCertificates.map((der) => Buffer.from(der).toString('hex'))).toEqual([
        Buffer.from(certified.chain[0]!).toString('hex'),
      ]);
      expect(info?.peerSignatureScheme).toBe(
        eventsOf(server, 'handshake-complete')[0]?.info.localSignatureScheme,
      );
    });
  }

  it('picks the certificate whose key the client can verify (RSA and ECDSA on one server)', () => {
    const certificates = [credential('rsa').certified, credential('ecdsa-p256').certified];
    const ecdsaOnly = handshake({ signatureSchemes: [0x0403] }, { certificates });
    expect(eventsOf(ecdsaOnly.client, 'handshake-complete')[0]?.info.peerSignatureScheme).toBe(0x0403);
    const rsaOnly = handshake({ signatureSchemes: [0x0804] }, { certificates });
    expect(eventsOf(rsaOnly.client, 'handshake-complete')[0]?.info.peerSignatureScheme).toBe(0x0804);
  });

  it('moves data both ways, in order, across many records and a KeyUpdate each way', () => {
    const { client, server } = handshake();
    const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
    client.connection.write(big);
    client.connection.updateKeys(true);
    client.connection.write(Uint8Array.of(1, 2, 3));
    settle(client, server);
    server.connection.write(Uint8Array.of(9));
    settle(client, server);
    const received = Buffer.concat(eventsOf(server, 'application-data').map((e) => e.data));
    expect(received.equals(Buffer.concat([big, Uint8Array.of(1, 2, 3)]))).toBe(true);
    expect(eventsOf(client, 'application-data').map((e) => Array.from(e.data))).toEqual([[9]]);
    // The server answered update_requested with its own KeyUpdate (RFC 8446 §4.6.3).
    expect(eventsOf(server, 'key-update').map((e) => e.direction)).toEqual(['read', 'write']);
    expect(eventsOf(client, 'key-update').map((e) => e.direction)).toEqual(['write', 'read']);
  });

  it('derives the same exporter values on both sides (RFC 8446 §7.5)', () => {
    const { client, server } = handshake();
    const a = client.connection.exportKeyingMaterial(32, 'EXPORTER-test', Uint8Array.of(1));
    const b = server.connection.exportKeyingMaterial(32, 'EXPORTER-test', Uint8Array.of(1));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(
      Buffer.from(a).equals(Buffer.from(client.connection.exportKeyingMaterial(32, 'EXPORTER-other'))),
    ).toBe(false);
  });

  it('keeps the byte strings of what was negotiated in one buffer of their own (memory per idle connection)', () => {
    const certified = credential('ecdsa-p256').certified;
    const { client } = handshake({}, { certificates: [certified] });
    const info = eventsOf(client, 'handshake-complete')[0]!.info;
    const parts = [
      info.clientRandom,
      info.serverRandom,
      info.clientFinished,
      info.serverFinished,
      ...info.peerCertificates,
    ];
    const buffer = parts[0]!.buffer;
    expect(parts.every((part) => part.buffer === buffer)).toBe(true);
    expect(buffer.byteLength).toBe(parts.reduce((sum, part) => sum + part.length, 0));
    expect(Buffer.from(info.peerCertificates[0]!).equals(Buffer.from(certified.chain[0]!))).toBe(true);
    // The client sent no certificate: an empty list, shared and frozen, not one per connection.
    expect(info.localCertificates).toEqual([]);
    expect(Object.isFrozen(info.localCertificates)).toBe(true);
  });

  it('negotiates ALPN by the server preference and reports SNI on both sides', () => {
    const { client, server } = handshake(
      { alpnProtocols: ['http/1.1', 'h2'], serverName: 'example.test' },
      { alpnProtocols: ['h2', 'http/1.1'] },
    );
    expect(eventsOf(client, 'handshake-complete')[0]?.info).toMatchObject({
      alpnProtocol: 'h2',
      serverName: 'example.test',
    });
    expect(eventsOf(server, 'handshake-complete')[0]?.info).toMatchObject({
      alpnProtocol: 'h2',
      serverName: 'example.test',
    });
  });

  it('fails with no_application_protocol when ALPN has nothing in common', () => {
    const { client, server } = handshake({ alpnProtocols: ['spdy/1'] }, { alpnProtocols: ['h2'] });
    expect(errorOf(server.events)).toEqual({
      code: 'ERR_SSL_NO_APPLICATION_PROTOCOL',
      alert: 120,
      received: undefined,
    });
    expect(errorOf(client.events)).toEqual({
      code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
      alert: undefined,
      received: 120,
    });
  });

  it('retries with a HelloRetryRequest when the client guessed the wrong group', () => {
    const { client, server } = handshake(
      { groups: [NamedGroup.X25519, NamedGroup.Secp384r1] },
      { groups: [NamedGroup.Secp384r1] },
    );
    expect(eventsOf(client, 'handshake-complete')[0]?.info).toMatchObject({
      group: NamedGroup.Secp384r1,
      helloRetry: true,
    });
    expect(eventsOf(server, 'handshake-complete')[0]?.info).toMatchObject({
      group: NamedGroup.Secp384r1,
      helloRetry: true,
    });
  });

  it('with strictGroupPreference, retries for its preferred group even when a share for another came', () => {
    const client = { groups: [NamedGroup.X25519, NamedGroup.Secp256r1] };
    const server = { groups: [NamedGroup.Secp256r1, NamedGroup.X25519] };
    const usual = handshake(client, server);
    expect(eventsOf(usual.server, 'handshake-complete')[0]?.info).toMatchObject({
      group: NamedGroup.X25519,
      helloRetry: false,
    });
    const strict = handshake(client, { ...server, strictGroupPreference: true });
    expect(eventsOf(strict.client, 'handshake-complete')[0]?.info).toMatchObject({
      group: NamedGroup.Secp256r1,
      helloRetry: true,
    });
    // A preferred group the client does not list changes nothing.
    const unlisted = handshake(
      { groups: [NamedGroup.X25519] },
      { groups: [NamedGroup.Secp256r1, NamedGroup.X25519], strictGroupPreference: true },
    );
    expect(eventsOf(unlisted.server, 'handshake-complete')[0]?.info).toMatchObject({
      group: NamedGroup.X25519,
      helloRetry: false,
    });
  });

  it('sends the helloRetryCookie in the HelloRetryRequest, which our client echoes', () => {
    let calls = 0;
    const { client, server } = handshake(
      { groups: [NamedGroup.X25519, NamedGroup.Secp384r1] },
      {
        groups: [NamedGroup.Secp384r1],
        helloRetryCookie: () => {
          calls++;
          return Uint8Array.of(9, 8, 7, 6);
        },
      },
    );
    expect(calls).toBe(1);
    expect(eventsOf(client, 'handshake-complete')[0]?.info).toMatchObject({ helloRetry: true });
    expect(eventsOf(server, 'handshake-complete')).toHaveLength(1);
  });

  it('authenticates the client when the server asks, and accepts a client without a certificate', () => {
    const withCert = handshake(
      { certificates: [credential('ed25519').certified] },
      { requestClientCertificate: true },
    );
    const serverInfo = eventsOf(withCert.server, 'handshake-complete')[0]?.info;
    expect(serverInfo?.peerCertificates).toHaveLength(1);
    expect(serverInfo?.peerSignatureScheme).toBe(0x0807);
    const without = handshake({}, { requestClientCertificate: true });
    expect(eventsOf(without.server, 'handshake-complete')[0]?.info.peerCertificates).toEqual([]);
  });

  it('ends with certificate_required when the verifier refuses an empty client chain', () => {
    const { client, server } = handshake(
      {},
      {
        requestClientCertificate: true,
        verifyPeer: (chain) =>
          chain.length === 0
            ? new TlsError('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 116, 'client sent no certificate')
            : undefined,
      },
    );
    expect(errorOf(server.events)).toEqual({
      code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
      alert: 116,
      received: undefined,
    });
    expect(errorOf(client.events)?.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('aborts with the verifier alert when the server chain is refused', () => {
    const { client, server } = handshake({
      verifyPeer: () => new TlsError('DEPTH_ZERO_SELF_SIGNED_CERT', 48, 'self-signed certificate'),
    });
    expect(errorOf(client.events)).toEqual({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      alert: 48,
      received: undefined,
    });
    expect(errorOf(server.events)).toEqual({
      code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
      alert: undefined,
      received: 48,
    });
    expect(eventsOf(client, 'handshake-complete')).toEqual([]);
  });

  it('fails with handshake_failure when no cipher suite is shared', () => {
    const { client, server } = handshake(
      { cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256] },
      { cipherSuites: [CipherSuite.TLS_AES_256_GCM_SHA384] },
    );
    expect(errorOf(server.events)).toEqual({
      code: 'ERR_SSL_NO_SHARED_CIPHER',
      alert: 40,
      received: undefined,
    });
    expect(errorOf(client.events)).toEqual({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      alert: undefined,
      received: 40,
    });
  });

  it('rejects a tampered server flight with bad_record_mac and reports it once', () => {
    const c = side(createClientConnection({ provider }));
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    transfer(c, s);
    transfer(s, c, (bytes) => {
      const copy = Uint8Array.from(bytes);
      copy[copy.length - 3]! ^= 1;
      return copy;
    });
    expect(errorOf(c.events)).toEqual({
      code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
      alert: 20,
      received: undefined,
    });
    transfer(c, s);
    expect(errorOf(s.events)).toEqual({
      code: 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC',
      alert: undefined,
      received: 20,
    });
    c.connection.receive(Uint8Array.of(23, 3, 3, 0, 1, 0));
    expect(c.events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('sends and honours close_notify, and refuses writes after close', () => {
    const { client, server } = handshake();
    client.connection.close();
    transfer(client, server);
    expect(eventsOf(server, 'peer-closed')).toHaveLength(1);
    server.connection.write(Uint8Array.of(5));
    server.connection.close();
    transfer(server, client);
    expect(eventsOf(client, 'application-data').map((e) => Array.from(e.data))).toEqual([[5]]);
    expect(eventsOf(client, 'peer-closed')).toHaveLength(1);
    expect(() => client.connection.write(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });

  it('refuses application data before the handshake, as API misuse', () => {
    const client = createClientConnection({ provider });
    expect(() => client.write(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });

  it('emits keylog lines in SSLKEYLOGFILE format when asked', () => {
    const { client } = handshake({ keylog: true });
    const lines = eventsOf(client, 'keylog').map((e) => e.line.split(' ')[0]);
    expect(lines).toEqual([
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      'CLIENT_TRAFFIC_SECRET_0',
      'SERVER_TRAFFIC_SECRET_0',
      'EXPORTER_SECRET',
    ]);
    expect(eventsOf(client, 'keylog')[0]?.line).toMatch(
      /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64,96}\n$/,
    );
  });

  it('sends GREASE values the server ignores (RFC 8701)', () => {
    const c = side(createClientConnection({ provider }));
    const hello = decodeClientHello(c.connection.takeOutput()!.subarray(5));
    expect(hello.cipherSuites.filter(isGrease)).toHaveLength(1);
    expect(hello.extensions.filter((e) => e.kind === 'unknown' && isGrease(e.type))).toHaveLength(2);
    const groups = hello.extensions.find((e) => e.kind === 'supported_groups');
    expect(groups?.kind === 'supported_groups' && isGrease(groups.namedGroupList[0]!)).toBe(true);
    const { client } = handshake();
    expect(eventsOf(client, 'handshake-complete')).toHaveLength(1);
    expect(eventsOf(handshake({ grease: false }).client, 'handshake-complete')).toHaveLength(1);
  });

  it('honours record_size_limit both ways (RFC 8449)', () => {
    const { client, server } = handshake({ recordSizeLimit: 1000 }, { recordSizeLimit: 2000 });
    server.connection.write(new Uint8Array(5000));
    const fromServer = server.connection.takeOutput()!;
    const serverRecords = recordLengths(fromServer);
    // 999 bytes of content + type byte + 16-byte tag: within the client's limit of 1000 plaintext bytes.
    expect(Math.max(...serverRecords)).toBe(999 + 1 + 16);
    client.connection.receive(fromServer);
    client.connection.write(new Uint8Array(5000));
    expect(Math.max(...recordLengths(client.connection.takeOutput()!))).toBe(1999 + 1 + 16);
  });

  it('staples an OCSP response when the client asks for one', () => {
    const ocsp = ocspResponse('ecdsa-p256');
    const certified = { ...credential('ecdsa-p256').certified, ocspResponse: ocsp.der };
    const asked = handshake({ requestOcsp: true }, { certificates: [certified] });
    expect(
      eventsOf(asked.client, 'ocsp-response').map((e) =>
        Buffer.from(e.response).equals(Buffer.from(ocsp.der)),
      ),
    ).toEqual([true]);
    const notAsked = handshake({}, { certificates: [certified] });
    expect(eventsOf(notAsked.client, 'ocsp-response')).toEqual([]);
    expect(eventsOf(notAsked.client, 'handshake-complete')).toHaveLength(1);
  });

  it('never throws on garbage from the peer and answers with an alert', () => {
    for (const garbage of [
      new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'),
      Uint8Array.of(22, 3, 1, 0, 4, 2, 0, 0, 0),
      Uint8Array.of(21, 3, 3, 0, 2, 2, 40),
    ]) {
      const server = side(
        createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }),
      );
      expect(() => server.connection.receive(garbage)).not.toThrow();
      for (let e = server.connection.nextEvent(); e; e = server.connection.nextEvent()) server.events.push(e);
      expect(errorOf(server.events)).toBeDefined();
    }
  });
});
