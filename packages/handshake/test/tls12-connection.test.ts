// Our TLS 1.2 client against our TLS 1.2 server in memory: version negotiation and downgrade
// sentinels, the suite matrix (ECDHE/DHE/RSA × GCM/ChaCha20/CBC), EMS, encrypt-then-MAC,
// ALPN/SNI, client authentication, Finished values, exporters, close_notify, resumption by
// ticket and by session id, and the errors and alerts on each side when something is wrong.
import { NamedGroup, SignatureScheme } from '@tls/crypto';
import {
  CipherSuite,
  type Connection,
  ProtocolVersion,
  createClientConnection,
  createServerConnection,
  decodeClientHello,
  decodeServerHello,
  downgradeSentinel,
  getCipherSuite,
} from '@tls/handshake';
import { TlsError } from '@tls/record';
import { getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type KeyKind, credential, ocspResponse } from './helpers/credentials';
import { type Side, errorOf, eventsOf, settle, side, text, transfer } from '@tls/test-kit';
import { handshake, provider } from './helpers/in-memory';

const tls12Only = { maxVersion: ProtocolVersion.Tls12 };

function infoOf(from: Side<Connection>) {
  const done = eventsOf(from, 'handshake-complete');
  expect(done).toHaveLength(1);
  return done[0]!.info;
}

/** The messages of plaintext handshake records in a byte stream, as [type, body] pairs. */
function plaintextMessages(bytes: Uint8Array): Uint8Array[] {
  const messages: Uint8Array[] = [];
  let buffer = new Uint8Array(0);
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = (bytes[at + 3]! << 8) | bytes[at + 4]!;
    if (bytes[at] === 22) {
      const joined = new Uint8Array(buffer.length + length);
      joined.set(buffer);
      joined.set(bytes.subarray(at + 5, at + 5 + length), buffer.length);
      buffer = joined;
    }
    at += 5 + length;
  }
  for (let at = 0; at + 4 <= buffer.length; ) {
    const length = (buffer[at + 1]! << 16) | (buffer[at + 2]! << 8) | buffer[at + 3]!;
    messages.push(buffer.slice(at, at + 4 + length));
    at += 4 + length;
  }
  return messages;
}

/** DH parameters from RFC 3526 (modp14: 2048 bits) and RFC 2409 (modp2: 1024 bits), generator 2. */
function modp(name: 'modp14' | 'modp2') {
  return { prime: new Uint8Array(getDiffieHellman(name).getPrime()), generator: Uint8Array.of(2) };
}
const dh2048 = () => modp('modp14');

describe('TLS 1.2 version negotiation', () => {
  it('a default client and a TLS 1.2-only server agree on TLS 1.2, and the sentinel is absent', () => {
    const { client, server } = handshake({}, tls12Only);
    expect(infoOf(client).version).toBe(0x0303);
    expect(infoOf(server).version).toBe(0x0303);
  });

  it('a TLS 1.2-only client and a default server agree on TLS 1.2', () => {
    const c = side(createClientConnection({ provider, ...tls12Only }));
    const hello = decodeClientHello(plaintextMessages(c.connection.takeOutput()!)[0]!);
    // RFC 5246 §7.4.1.2: legacy_version is the highest version, no supported_versions, the SCSV.
    expect(hello.legacyVersion).toBe(0x0303);
    expect(hello.extensions.some((e) => e.kind === 'supported_versions')).toBe(false);
    expect(hello.extensions.some((e) => e.kind === 'key_share')).toBe(false);
    expect(hello.cipherSuites).toContain(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    expect(hello.cipherSuites.some((id) => id >> 8 === 0x13)).toBe(false);
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    s.connection.receive(encodeRecord(hello.original));
    const serverHello = decodeServerHello(plaintextMessages(s.connection.takeOutput()!)[0]!);
    // RFC 8446 §4.1.3: a TLS 1.3 server negotiating TLS 1.2 ends its random with DOWNGRD\x01.
    expect(serverHello.kind === 'server-hello' && downgradeSentinel(serverHello.random)).toBe('tls12');
  });

  it('a default client refuses a TLS 1.2 ServerHello that carries the downgrade sentinel', () => {
    // The server believes the client offered only TLS 1.2 (as a downgrading attacker would make it).
    const c = side(createClientConnection({ provider }));
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    const hello = decodeClientHello(plaintextMessages(c.connection.takeOutput()!)[0]!);
    // The server sees a TLS 1.2-only hello instead (an attacker rewrote it).
    const tls12View = plaintextMessages(
      createClientConnection({ provider, ...tls12Only, grease: false }).takeOutput()!,
    )[0]!;
    s.connection.receive(encodeRecord(tls12View));
    const serverFlight = s.connection.takeOutput()!;
    c.connection.receive(serverFlight);
    expect(hello.legacyVersion).toBe(0x0303);
    for (let event = c.connection.nextEvent(); event !== undefined; event = c.connection.nextEvent())
      c.events.push(event);
    expect(errorOf(c.events)).toEqual({ code: 'ERR_SSL_ILLEGAL_PARAMETER', alert: 47, received: undefined });
  });

  it('a TLS 1.3-only client refuses a TLS 1.2 server with protocol_version', () => {
    const { client, server } = handshake({ minVersion: ProtocolVersion.Tls13 }, tls12Only);
    expect(errorOf(server.events)).toMatchObject({ code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', alert: 70 });
    expect(errorOf(client.events)?.received).toBe(70);
  });

  it('a TLS 1.3-only server refuses a TLS 1.2-only client with protocol_version', () => {
    const { client, server } = handshake(tls12Only, { minVersion: ProtocolVersion.Tls13 });
    expect(errorOf(server.events)).toMatchObject({ code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', alert: 70 });
    expect(errorOf(client.events)).toMatchObject({
      code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
      received: 70,
    });
  });

  it('a server skips its disabledVersions: the client gets the next lower enabled one, or TLS 1.3 above', () => {
    const server = { minVersion: ProtocolVersion.Tls10, disabledVersions: [ProtocolVersion.Tls12] };
    const legacy = handshake(
      { minVersion: ProtocolVersion.Tls10, maxVersion: ProtocolVersion.Tls12 },
      server,
    );
    expect(infoOf(legacy.server).version).toBe(ProtocolVersion.Tls11);
    expect(infoOf(legacy.client).version).toBe(ProtocolVersion.Tls11);
    expect(infoOf(handshake({ minVersion: ProtocolVersion.Tls10 }, server).client).version).toBe(
      ProtocolVersion.Tls13,
    );
    const only12 = handshake(tls12Only, server);
    // It gets TLS 1.1, as from OpenSSL, and refuses it.
    expect(errorOf(only12.client.events)).toMatchObject({ code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', alert: 70 });
    expect(eventsOf(only12.server, 'handshake-complete')).toHaveLength(0);
  });

  it('fails a connection of the role its config is not for (onlyRole), sending nothing', () => {
    const server = createServerConnection({
      provider,
      certificates: [credential('ecdsa-p256').certified],
      onlyRole: 'client',
    });
    expect(server.takeOutput()).toBeUndefined();
    expect(errorOf([server.nextEvent()!])).toEqual({
      code: 'ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL',
      alert: undefined,
      received: undefined,
    });
    const client = createClientConnection({ provider, onlyRole: 'server' });
    expect(client.takeOutput()).toBeUndefined();
    expect(client.error?.code).toBe('ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL');
    expect(createClientConnection({ provider, onlyRole: 'client' }).takeOutput()).toBeDefined();
  });

  it('refuses an SSLv3 ClientHello and an SSLv2-compatible hello with protocol_version', () => {
    const tls12View = plaintextMessages(
      createClientConnection({ provider, ...tls12Only, grease: false }).takeOutput()!,
    )[0]!;
    const ssl3 = tls12View.slice();
    ssl3[4] = 3;
    ssl3[5] = 0;
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    s.connection.receive(encodeRecord(ssl3, 0x0300));
    for (let e = s.connection.nextEvent(); e !== undefined; e = s.connection.nextEvent()) s.events.push(e);
    expect(errorOf(s.events)).toMatchObject({ code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', alert: 70 });
    expect(Array.from(s.connection.takeOutput()!)).toEqual([21, 3, 1, 0, 2, 2, 70]);

    const v2 = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    // SSLv2 CLIENT-HELLO (RFC 5246 §E.2): 2-byte header with the top bit, msg_type 1, version 3.1.
    v2.connection.receive(Uint8Array.of(0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10));
    for (let e = v2.connection.nextEvent(); e !== undefined; e = v2.connection.nextEvent()) v2.events.push(e);
    expect(errorOf(v2.events)).toMatchObject({ code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', alert: 70 });
  });
});

/** A plaintext handshake record around `message`. */
function encodeRecord(message: Uint8Array, version = 0x0301): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  out.set([22, version >> 8, version & 0xff, message.length >> 8, message.length & 0xff]);
  out.set(message, 5);
  return out;
}

describe('TLS 1.2 in memory: the suite matrix', () => {
  const ecdheEcdsa = [
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
  ];
  const ecdheRsa = [
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
  ];
  const dheRsa = [
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
  ];
  const rsa = [
    CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
  ];
  const cases: Array<[number, KeyKind]> = [
    ...ecdheEcdsa.map((id): [number, KeyKind] => [id, 'ecdsa-p256']),
    ...ecdheRsa.map((id): [number, KeyKind] => [id, 'rsa']),
    ...dheRsa.map((id): [number, KeyKind] => [id, 'rsa']),
    ...rsa.map((id): [number, KeyKind] => [id, 'rsa']),
  ];
  for (const [id, kind] of cases) {
    const suite = getCipherSuite(id)!;
    it(`completes ${suite.opensslName} with a ${kind} certificate and moves data both ways`, () => {
      const { client, server } = handshake(
        { cipherSuites: [id], serverName: 'localhost' },
        {
          certificates: [credential(kind).certified],
          dhParams: dh2048(),
          staticRsaKeyExchange: true,
        },
      );
      expect(errorOf(client.events)).toBeUndefined();
      expect(errorOf(server.events)).toBeUndefined();
      const clientInfo = infoOf(client);
      const serverInfo = infoOf(server);
      expect(clientInfo).toMatchObject({ version: 0x0303, resumed: false, extendedMasterSecret: true });
      expect(clientInfo.cipherSuite.id).toBe(id);
      expect(serverInfo.cipherSuite.id).toBe(id);
      expect(clientInfo.encryptThenMac).toBe(suite.cipherType === 'cbc');
      // tls-unique: both sides hold the same 12-byte Finished values (RFC 5246 §7.4.9).
      expect(clientInfo.clientFinished).toHaveLength(12);
      expect(Array.from(clientInfo.clientFinished)).toEqual(Array.from(serverInfo.clientFinished));
      expect(Array.from(clientInfo.serverFinished)).toEqual(Array.from(serverInfo.serverFinished));
      expect(clientInfo.group).toBe(suite.keyExchange === 'ecdhe' ? NamedGroup.X25519 : undefined);
      expect(clientInfo.dhPrimeBits).toBe(suite.keyExchange === 'dhe' ? 2048 : undefined);
      expect(serverInfo.dhPrimeBits).toBe(clientInfo.dhPrimeBits);
      client.connection.write(new TextEncoder().encode('ping'));
      transfer(client, server);
      server.connection.write(new Uint8Array(40000).fill(7));
      transfer(server, client);
      expect(text(eventsOf(server, 'application-data')[0]!.data)).toBe('ping');
      const received = eventsOf(client, 'application-data').reduce((n, e) => n + e.data.length, 0);
      expect(received).toBe(40000);
    });
  }
});

describe('TLS 1.2 in memory: features', () => {
  it('signs ServerKeyExchange with RSA-PSS by default and PKCS#1 when that is all the client takes', () => {
    const rsaCert = { certificates: [credential('rsa').certified] };
    const pss = handshake(tls12Only, rsaCert);
    expect(infoOf(pss.client).peerSignatureScheme).toBe(SignatureScheme.RsaPssRsaeSha256);
    const pkcs1 = handshake({ ...tls12Only, signatureSchemes: [SignatureScheme.RsaPkcs1Sha384] }, rsaCert);
    expect(infoOf(pkcs1.client).peerSignatureScheme).toBe(SignatureScheme.RsaPkcs1Sha384);
    expect(infoOf(pkcs1.server).localSignatureScheme).toBe(SignatureScheme.RsaPkcs1Sha384);
  });

  it('authenticates with Ed25519 (ECDSA suites, RFC 8422 §5.3) and RSA-PSS keys (RSA suites)', () => {
    const ed = handshake(tls12Only, { certificates: [credential('ed25519').certified] });
    expect(infoOf(ed.client).cipherSuite.authentication).toBe('ecdsa');
    expect(infoOf(ed.client).peerSignatureScheme).toBe(SignatureScheme.Ed25519);
    const pss = handshake(tls12Only, { certificates: [credential('rsa-pss').certified] });
    expect(infoOf(pss.client).cipherSuite.authentication).toBe('rsa');
    expect(infoOf(pss.client).peerSignatureScheme).toBe(SignatureScheme.RsaPssPssSha256);
  });

  it('uses the ECDHE group both sides prefer (P-384, P-521)', () => {
    for (const group of [NamedGroup.Secp384r1, NamedGroup.Secp521r1]) {
      const { client } = handshake({ ...tls12Only, groups: [group] });
      expect(infoOf(client).group).toBe(group);
    }
  });

  it('derives the master secret without EMS when either side turns it off', () => {
    const { client, server } = handshake({ ...tls12Only, extendedMasterSecret: false });
    expect(infoOf(client).extendedMasterSecret).toBe(false);
    expect(infoOf(server).extendedMasterSecret).toBe(false);
    const other = handshake(tls12Only, { extendedMasterSecret: false });
    expect(infoOf(other.client).extendedMasterSecret).toBe(false);
  });

  it('uses MAC-then-encrypt on CBC suites when encrypt_then_mac is off', () => {
    const { client } = handshake(
      { ...tls12Only, cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA] },
      { encryptThenMac: false },
    );
    expect(infoOf(client).encryptThenMac).toBe(false);
  });

  it('negotiates ALPN and reports SNI on both sides', () => {
    const { client, server } = handshake(
      { ...tls12Only, serverName: 'example.test', alpnProtocols: ['http/1.1', 'h2'] },
      { alpnProtocols: ['h2', 'http/1.1'] },
    );
    expect(infoOf(client)).toMatchObject({ alpnProtocol: 'h2', serverName: 'example.test' });
    expect(infoOf(server)).toMatchObject({ alpnProtocol: 'h2', serverName: 'example.test' });
    const none = handshake({ ...tls12Only, alpnProtocols: ['spdy/1'] }, { alpnProtocols: ['h2'] });
    expect(errorOf(none.server.events)).toMatchObject({
      code: 'ERR_SSL_NO_APPLICATION_PROTOCOL',
      alert: 120,
    });
  });

  for (const kind of ['ecdsa-p256', 'rsa'] as const) {
    it(`authenticates a client with a ${kind} certificate (CertificateVerify over the messages)`, () => {
      const chains: number[] = [];
      const { client, server } = handshake(
        { ...tls12Only, certificates: [credential(kind).certified] },
        {
          requestClientCertificate: true,
          verifyPeer: (chain) => {
            chains.push(chain.length);
            return undefined;
          },
        },
      );
      expect(chains).toEqual([1]);
      expect(infoOf(server).peerCertificates).toHaveLength(1);
      expect(infoOf(server).peerSignatureScheme).toBe(
        kind === 'rsa' ? SignatureScheme.RsaPssRsaeSha256 : SignatureScheme.EcdsaSecp256r1Sha256,
      );
      expect(infoOf(client).localCertificates).toHaveLength(1);
    });
  }

  it('sends an empty Certificate without a client certificate, and the verifier may refuse it', () => {
    const accepted = handshake(tls12Only, { requestClientCertificate: true });
    expect(infoOf(accepted.server).peerCertificates).toEqual([]);
    const refused = handshake(tls12Only, {
      requestClientCertificate: true,
      verifyPeer: (chain) =>
        chain.length === 0
          ? new TlsError('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 40, 'no certificate')
          : undefined,
    });
    expect(errorOf(refused.server.events)).toMatchObject({
      code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
      alert: 40,
    });
    expect(errorOf(refused.client.events)?.received).toBe(40);
  });

  it('negotiates NPN (Node v6 NPNProtocols): our first protocol the server lists, ALPN first', () => {
    const { client, server } = handshake(
      { ...tls12Only, npnProtocols: ['spdy/3', 'http/1.1'] },
      { npnProtocols: ['http/1.1', 'spdy/2'] },
    );
    expect(infoOf(client).npnProtocol).toBe('http/1.1');
    expect(infoOf(server).npnProtocol).toBe('http/1.1');
    // No overlap: the client falls back to its first protocol (OpenSSL's SSL_select_next_proto).
    const none = handshake({ ...tls12Only, npnProtocols: ['spdy/3'] }, { npnProtocols: ['http/1.1'] });
    expect(infoOf(none.server).npnProtocol).toBe('spdy/3');
    // ALPN settles it: the server does not advertise NPN.
    const alpn = handshake(
      { ...tls12Only, npnProtocols: ['http/1.1'], alpnProtocols: ['h2'] },
      { npnProtocols: ['http/1.1'], alpnProtocols: ['h2'] },
    );
    expect(infoOf(alpn.server)).toMatchObject({ alpnProtocol: 'h2' });
    expect(infoOf(alpn.server).npnProtocol).toBeUndefined();
  });

  it('negotiates NPN again on a resumed session', () => {
    const ticketKeys = new Uint8Array(48).fill(5);
    const first = handshake(
      { ...tls12Only, npnProtocols: ['http/1.1'] },
      { npnProtocols: ['http/1.1'], ticketKeys },
    );
    const [session] = eventsOf(first.client, 'session-ticket');
    const second = handshake(
      { ...tls12Only, npnProtocols: ['http/1.1'], session: session!.session },
      { npnProtocols: ['http/1.1'], ticketKeys },
    );
    expect(infoOf(second.server)).toMatchObject({ resumed: true, npnProtocol: 'http/1.1' });
  });

  it('keeps every record within a negotiated max_fragment_length (RFC 6066 §4)', () => {
    const c = side(createClientConnection({ provider, ...tls12Only, maxFragmentLength: 512 }));
    const s = side(createServerConnection({ provider, certificates: [credential('rsa').certified] }));
    const lengths: number[] = [];
    const record = (bytes: Uint8Array) => {
      for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!))
        lengths.push((bytes[at + 3]! << 8) | bytes[at + 4]!);
      return bytes;
    };
    transfer(c, s);
    for (let round = 0; round < 5; round++) {
      transfer(s, c, record);
      transfer(c, s, record);
    }
    expect(infoOf(c).version).toBe(0x0303);
    c.connection.write(new Uint8Array(3000).fill(1));
    s.connection.write(new Uint8Array(3000).fill(2));
    transfer(c, s, record);
    transfer(s, c, record);
    expect(eventsOf(s, 'application-data').reduce((n, e) => n + e.data.length, 0)).toBe(3000);
    expect(eventsOf(c, 'application-data').reduce((n, e) => n + e.data.length, 0)).toBe(3000);
    // 512 bytes of plaintext plus the GCM explicit nonce and tag.
    expect(Math.max(...lengths)).toBeLessThanOrEqual(512 + 8 + 16);
    expect(lengths.length).toBeGreaterThan(12);
    const refused = handshake({ ...tls12Only, maxFragmentLength: 512 }, { maxFragmentLength: 0 });
    expect(errorOf(refused.client.events)).toBeUndefined();
  });

  it('staples an OCSP response in CertificateStatus when the client asks (RFC 6066 §8)', () => {
    const { der } = ocspResponse('ecdsa-p256');
    const certified = { ...credential('ecdsa-p256').certified, ocspResponse: der };
    const asked = handshake({ ...tls12Only, requestOcsp: true }, { certificates: [certified] });
    const [stapled] = eventsOf(asked.client, 'ocsp-response');
    expect(Array.from(stapled!.response)).toEqual(Array.from(der));
    const notAsked = handshake(tls12Only, { certificates: [certified] });
    expect(eventsOf(notAsked.client, 'ocsp-response')).toHaveLength(0);
    expect(infoOf(notAsked.client).version).toBe(0x0303);
  });

  it('derives the same exporter values on both sides, context absent differing from empty (RFC 5705)', () => {
    const { client, server } = handshake(tls12Only);
    const a = client.connection.exportKeyingMaterial(32, 'EXPORTER-test');
    const b = server.connection.exportKeyingMaterial(32, 'EXPORTER-test');
    const c = client.connection.exportKeyingMaterial(32, 'EXPORTER-test', new Uint8Array(0));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(() => client.connection.updateKeys(false)).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });

  it('writes CLIENT_RANDOM keylog lines that reproduce the Finished values', () => {
    const { client, server } = handshake({ ...tls12Only, keylog: true }, { keylog: true });
    const [line] = eventsOf(client, 'keylog').map((e) => e.line);
    expect(line).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
    expect(eventsOf(server, 'keylog').map((e) => e.line)).toEqual([line]);
  });

  it('sends and honours close_notify', () => {
    const { client, server } = handshake(tls12Only);
    client.connection.close();
    transfer(client, server);
    expect(eventsOf(server, 'peer-closed')).toHaveLength(1);
    server.connection.close();
    transfer(server, client);
    expect(eventsOf(client, 'peer-closed')).toHaveLength(1);
  });

  it('fails with handshake_failure when no suite can be used (DHE without parameters, RSA without the option)', () => {
    const dhe = handshake(
      { ...tls12Only, cipherSuites: [CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256] },
      { certificates: [credential('rsa').certified] },
    );
    expect(errorOf(dhe.server.events)).toMatchObject({ code: 'ERR_SSL_NO_SHARED_CIPHER', alert: 40 });
    const rsa = handshake(
      { ...tls12Only, cipherSuites: [CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256] },
      { certificates: [credential('rsa').certified] },
    );
    expect(errorOf(rsa.server.events)).toMatchObject({ code: 'ERR_SSL_NO_SHARED_CIPHER', alert: 40 });
    expect(errorOf(rsa.client.events)).toMatchObject({ code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
  });

  it('answers a corrupted RSA premaster secret exactly as a wrong Finished: no padding oracle', () => {
    const outcomes: unknown[] = [];
    for (const offset of [10, 100, 200]) {
      const c = side(
        createClientConnection({
          provider,
          ...tls12Only,
          cipherSuites: [CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256],
        }),
      );
      const s = side(
        createServerConnection({
          provider,
          certificates: [credential('rsa').certified],
          staticRsaKeyExchange: true,
        }),
      );
      transfer(c, s);
      transfer(s, c);
      // The client's flight starts with a plaintext record holding ClientKeyExchange: type(1)
      // length(3) then the 2-byte length of the 256-byte ciphertext.
      transfer(c, s, (bytes) => {
        const copy = bytes.slice();
        copy[5 + 4 + 2 + offset]! ^= 0x40;
        return copy;
      });
      outcomes.push(errorOf(s.events));
    }
    // Bad padding or not, the server notices only when the client's Finished fails to open.
    expect(outcomes).toEqual(
      Array(3).fill({ code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', alert: 20, received: undefined }),
    );
  });

  it('refuses DH parameters smaller than minDHSize with ERR_TLS_DH_PARAM_SIZE', () => {
    const small = modp('modp2');
    const { client } = handshake(
      { ...tls12Only, cipherSuites: [CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256], minDHSize: 2048 },
      { certificates: [credential('rsa').certified], dhParams: small },
    );
    expect(errorOf(client.events)).toMatchObject({ code: 'ERR_TLS_DH_PARAM_SIZE', alert: 71 });
    expect(client.events.find((e) => e.type === 'error')).toMatchObject({
      error: { message: 'DH parameter size 1024 is less than 2048' },
    });
  });

  it('rejects a tampered client Finished record with bad_record_mac', () => {
    const c = side(createClientConnection({ provider, ...tls12Only }));
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    transfer(c, s);
    transfer(s, c);
    transfer(c, s, (bytes) => {
      const copy = bytes.slice();
      copy[copy.length - 3]! ^= 1;
      return copy;
    });
    expect(errorOf(s.events)).toMatchObject({
      code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
      alert: 20,
    });
    expect(eventsOf(s, 'handshake-complete')).toHaveLength(0);
  });
});

describe('TLS 1.0 and 1.1 when the range includes them', () => {
  for (const version of [ProtocolVersion.Tls10, ProtocolVersion.Tls11]) {
    for (const kind of ['rsa', 'ecdsa-p256'] as const) {
      it(`completes 0x${version.toString(16)} with ${kind} keys, MD5‖SHA-1 or SHA-1 signatures and client auth`, () => {
        const { client, server } = handshake(
          {
            minVersion: ProtocolVersion.Tls10,
            maxVersion: version,
            certificates: [credential(kind).certified],
          },
          {
            minVersion: ProtocolVersion.Tls10,
            certificates: [credential(kind).certified],
            requestClientCertificate: true,
          },
        );
        expect(infoOf(client)).toMatchObject({ version, peerSignatureScheme: undefined });
        expect(infoOf(server)).toMatchObject({ version, peerCertificates: [expect.any(Uint8Array)] });
        // CBC with SHA-1 is all these versions have (RFC 4346 §A.5); TLS 1.0 chains IVs.
        expect(infoOf(client).cipherSuite.cipherType).toBe('cbc');
        client.connection.write(new TextEncoder().encode('old'));
        transfer(client, server);
        expect(text(eventsOf(server, 'application-data')[0]!.data)).toBe('old');
      });
    }
  }

  it('sends an empty record before each TLS 1.0 CBC write with cbcEmptyFragments, and only then', () => {
    const recordsOfOneWrite = (version: number, cbcEmptyFragments: boolean) => {
      const config = { minVersion: ProtocolVersion.Tls10, maxVersion: version, cbcEmptyFragments };
      const { client, server } = handshake(config, { minVersion: ProtocolVersion.Tls10, cbcEmptyFragments });
      client.connection.write(new TextEncoder().encode('old'));
      const bytes = client.connection.takeOutput()!;
      let records = 0;
      for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!)) records++;
      server.connection.receive(bytes);
      for (
        let event = server.connection.nextEvent();
        event !== undefined;
        event = server.connection.nextEvent()
      )
        server.events.push(event);
      return [records, eventsOf(server, 'application-data').map((event) => text(event.data))];
    };
    expect(recordsOfOneWrite(ProtocolVersion.Tls10, true)).toEqual([2, ['old']]);
    expect(recordsOfOneWrite(ProtocolVersion.Tls10, false)).toEqual([1, ['old']]);
    expect(recordsOfOneWrite(ProtocolVersion.Tls11, true)).toEqual([1, ['old']]);
  });

  it('a TLS 1.2 client refuses a TLS 1.1 ServerHello marked DOWNGRD\\x00 (RFC 8446 §4.1.3)', () => {
    const c = side(
      createClientConnection({
        provider,
        minVersion: ProtocolVersion.Tls10,
        maxVersion: ProtocolVersion.Tls12,
      }),
    );
    c.connection.takeOutput();
    const s = side(
      createServerConnection({
        provider,
        minVersion: ProtocolVersion.Tls10,
        certificates: [credential('rsa').certified],
      }),
    );
    const tls11Hello = plaintextMessages(
      createClientConnection({
        provider,
        minVersion: ProtocolVersion.Tls10,
        maxVersion: ProtocolVersion.Tls11,
      }).takeOutput()!,
    )[0]!;
    s.connection.receive(encodeRecord(tls11Hello));
    const flight = s.connection.takeOutput()!;
    const serverHello = decodeServerHello(plaintextMessages(flight)[0]!);
    expect(serverHello.kind === 'server-hello' && downgradeSentinel(serverHello.random)).toBe('tls11');
    c.connection.receive(flight);
    for (let e = c.connection.nextEvent(); e !== undefined; e = c.connection.nextEvent()) c.events.push(e);
    expect(errorOf(c.events)).toMatchObject({ code: 'ERR_SSL_ILLEGAL_PARAMETER', alert: 47 });
  });

  it('is refused by default: a TLS 1.1 client gets protocol_version', () => {
    const { server } = handshake({ minVersion: ProtocolVersion.Tls10, maxVersion: ProtocolVersion.Tls11 });
    expect(errorOf(server.events)).toMatchObject({ code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', alert: 70 });
  });

  it('refuses a fallback hello with inappropriate_fallback (RFC 7507)', () => {
    const hello = plaintextMessages(
      createClientConnection({
        provider,
        minVersion: ProtocolVersion.Tls10,
        maxVersion: ProtocolVersion.Tls11,
        fallbackScsv: true,
      }).takeOutput()!,
    )[0]!;
    expect(decodeClientHello(hello).cipherSuites).toContain(CipherSuite.TLS_FALLBACK_SCSV);
    const s = side(
      createServerConnection({
        provider,
        minVersion: ProtocolVersion.Tls10,
        certificates: [credential('rsa').certified],
      }),
    );
    s.connection.receive(encodeRecord(hello));
    for (let e = s.connection.nextEvent(); e !== undefined; e = s.connection.nextEvent()) s.events.push(e);
    expect(errorOf(s.events)).toMatchObject({ code: 'ERR_SSL_INAPPROPRIATE_FALLBACK', alert: 86 });
  });
});

describe('TLS 1.2 in memory: unexpected messages', () => {
  it('refuses a ChangeCipherSpec before ClientKeyExchange with unexpected_message', () => {
    const c = side(createClientConnection({ provider, ...tls12Only }));
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    transfer(c, s);
    s.connection.takeOutput();
    s.connection.receive(Uint8Array.of(20, 3, 3, 0, 1, 1));
    for (let e = s.connection.nextEvent(); e !== undefined; e = s.connection.nextEvent()) s.events.push(e);
    expect(errorOf(s.events)).toMatchObject({ code: 'ERR_SSL_UNEXPECTED_CCS_MESSAGE', alert: 10 });
  });

  it('refuses a Finished in place of the server Certificate with unexpected_message', () => {
    const c = side(createClientConnection({ provider, ...tls12Only }));
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    transfer(c, s);
    const messages = plaintextMessages(s.connection.takeOutput()!);
    const finished = Uint8Array.of(20, 0, 0, 12, ...new Uint8Array(12));
    const altered = new Uint8Array(messages[0]!.length + finished.length);
    altered.set(messages[0]!);
    altered.set(finished, messages[0]!.length);
    c.connection.receive(encodeRecord(altered, 0x0303));
    for (let e = c.connection.nextEvent(); e !== undefined; e = c.connection.nextEvent()) c.events.push(e);
    expect(errorOf(c.events)).toMatchObject({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 });
  });

  // Each plaintext state of the client, reached by delivering the first `k` messages of the
  // server's flight, gets messages it can never take there.
  const serverFlight = ['ServerHello', 'Certificate', 'ServerKeyExchange', 'ServerHelloDone'];
  for (let k = 1; k < serverFlight.length; k++) {
    for (const [name, type] of [
      ['ServerHello', 2],
      ['ClientKeyExchange', 16],
      ['Finished', 20],
    ] as const) {
      it(`client after ${serverFlight[k - 1]} refuses ${name} with unexpected_message`, () => {
        const c = side(createClientConnection({ provider, ...tls12Only }));
        const s = side(
          createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }),
        );
        transfer(c, s);
        const messages = plaintextMessages(s.connection.takeOutput()!);
        expect(messages).toHaveLength(4);
        const injected = Uint8Array.of(type, 0, 0, 4, 0, 0, 0, 0);
        const parts = [...messages.slice(0, k), injected];
        const joined = new Uint8Array(parts.reduce((n, m) => n + m.length, 0));
        let at = 0;
        for (const part of parts) {
          joined.set(part, at);
          at += part.length;
        }
        c.connection.receive(encodeRecord(joined, 0x0303));
        for (let e = c.connection.nextEvent(); e !== undefined; e = c.connection.nextEvent())
          c.events.push(e);
        expect(errorOf(c.events)).toMatchObject({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 });
      });
    }
  }

  for (const [name, type] of [
    ['ClientHello', 1],
    ['Finished', 20],
    ['CertificateVerify', 15],
  ] as const) {
    it(`server waiting for ClientKeyExchange refuses ${name} with unexpected_message`, () => {
      const c = side(createClientConnection({ provider, ...tls12Only }));
      const s = side(
        createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }),
      );
      transfer(c, s);
      s.connection.takeOutput();
      s.connection.receive(encodeRecord(Uint8Array.of(type, 0, 0, 4, 0, 0, 0, 0), 0x0303));
      for (let e = s.connection.nextEvent(); e !== undefined; e = s.connection.nextEvent()) s.events.push(e);
      expect(errorOf(s.events)).toMatchObject({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 });
    });
  }

  it('server waiting for ChangeCipherSpec refuses a handshake message with unexpected_message', () => {
    const c = side(createClientConnection({ provider, ...tls12Only }));
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    transfer(c, s);
    transfer(s, c);
    // The client's flight: ClientKeyExchange (plaintext), CCS, Finished. Keep only the first record.
    const flight = c.connection.takeOutput()!;
    const first = 5 + ((flight[3]! << 8) | flight[4]!);
    s.connection.receive(flight.subarray(0, first));
    s.connection.receive(encodeRecord(Uint8Array.of(20, 0, 0, 12, ...new Uint8Array(12)), 0x0303));
    for (let e = s.connection.nextEvent(); e !== undefined; e = s.connection.nextEvent()) s.events.push(e);
    expect(errorOf(s.events)).toMatchObject({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 });
  });

  it('refuses a ServerHello with a suite the client did not offer (illegal_parameter)', () => {
    const c = side(
      createClientConnection({
        provider,
        ...tls12Only,
        cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256],
      }),
    );
    const s = side(createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }));
    transfer(c, s);
    const [serverHello] = plaintextMessages(s.connection.takeOutput()!);
    const altered = serverHello!.slice();
    // cipher_suite follows type(1) length(3) version(2) random(32) session_id(1 + n).
    const at = 4 + 2 + 32 + 1 + altered[4 + 2 + 32]!;
    altered.set([0xc0, 0x2c], at);
    c.connection.receive(encodeRecord(altered, 0x0303));
    for (let e = c.connection.nextEvent(); e !== undefined; e = c.connection.nextEvent()) c.events.push(e);
    expect(errorOf(c.events)).toMatchObject({ code: 'ERR_SSL_WRONG_CIPHER_RETURNED', alert: 47 });
  });
});

describe('TLS 1.2 renegotiation (RFC 5746)', () => {
  for (const initiator of ['client', 'server'] as const) {
    it(`renegotiates when the ${initiator} asks, with data flowing both ways during it`, () => {
      const { client, server } = handshake(tls12Only);
      const before = infoOf(client);
      const [starter, other] = initiator === 'client' ? [client, server] : [server, client];
      starter.connection.renegotiate();
      // Data written while the renegotiation runs goes under the old keys until each ChangeCipherSpec.
      client.connection.write(new TextEncoder().encode('c1'));
      server.connection.write(new TextEncoder().encode('s1'));
      transfer(starter, other);
      client.connection.write(new TextEncoder().encode('c2'));
      server.connection.write(new TextEncoder().encode('s2'));
      settle(client, server);
      client.connection.write(new TextEncoder().encode('c3'));
      server.connection.write(new TextEncoder().encode('s3'));
      settle(client, server);
      expect(eventsOf(other, 'renegotiation')).toEqual([{ type: 'renegotiation', initiator }]);
      const [afterClient] = eventsOf(client, 'renegotiated');
      const [afterServer] = eventsOf(server, 'renegotiated');
      expect(afterClient).toBeDefined();
      expect(Array.from(afterClient!.info.serverFinished)).toEqual(
        Array.from(afterServer!.info.serverFinished),
      );
      expect(Array.from(afterClient!.info.clientFinished)).not.toEqual(Array.from(before.clientFinished));
      expect(
        eventsOf(server, 'application-data')
          .map((e) => text(e.data))
          .join(''),
      ).toBe('c1c2c3');
      expect(
        eventsOf(client, 'application-data')
          .map((e) => text(e.data))
          .join(''),
      ).toBe('s1s2s3');
      // Exporters follow the new master secret on both sides.
      expect(Array.from(client.connection.exportKeyingMaterial(16, 'x'))).toEqual(
        Array.from(server.connection.exportKeyingMaterial(16, 'x')),
      );
      expect(errorOf(client.events)).toBeUndefined();
      expect(errorOf(server.events)).toBeUndefined();
    });
  }

  it('asks for a client certificate in a server renegotiation', () => {
    const { client, server } = handshake({ ...tls12Only, certificates: [credential('rsa').certified] });
    expect(infoOf(server).peerCertificates).toHaveLength(0);
    server.connection.renegotiate({ requestClientCertificate: true });
    settle(client, server);
    expect(eventsOf(server, 'renegotiated')[0]!.info.peerCertificates).toHaveLength(1);
  });

  it('refuses with a warning no_renegotiation when renegotiation is off, and the connection stays up', () => {
    const { client, server } = handshake(tls12Only, { renegotiation: false });
    client.connection.renegotiate();
    settle(client, server);
    expect(eventsOf(server, 'renegotiation')).toHaveLength(0);
    expect(eventsOf(client, 'renegotiation-refused')).toHaveLength(1);
    // The refused client may try again later (and is refused again).
    client.connection.renegotiate();
    settle(client, server);
    expect(eventsOf(client, 'renegotiation-refused')).toHaveLength(2);
    expect(() => server.connection.renegotiate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
    server.connection.write(new TextEncoder().encode('still open'));
    transfer(server, client);
    expect(text(eventsOf(client, 'application-data')[0]!.data)).toBe('still open');
  });

  it('is TLS 1.2 only: renegotiate() on a TLS 1.3 connection is API misuse', () => {
    const { client } = handshake();
    expect(infoOf(client).version).toBe(0x0304);
    expect(() => client.connection.renegotiate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });
});

describe('TLS 1.2 resumption', () => {
  const ticketKeys = new Uint8Array(48).fill(9);

  it('resumes with a session ticket (RFC 5077): abbreviated handshake, same suite and peer chain', () => {
    const first = handshake(tls12Only, { ticketKeys });
    const sessions = eventsOf(first.client, 'session-ticket');
    expect(sessions).toHaveLength(1);
    const second = handshake({ ...tls12Only, session: sessions[0]!.session }, { ticketKeys });
    expect(infoOf(second.client)).toMatchObject({ resumed: true, version: 0x0303 });
    expect(infoOf(second.server).resumed).toBe(true);
    expect(infoOf(second.client).peerCertificates).toHaveLength(1);
    expect(infoOf(second.client).cipherSuite.id).toBe(infoOf(first.client).cipherSuite.id);
    second.client.connection.write(new TextEncoder().encode('resumed'));
    transfer(second.client, second.server);
    expect(text(eventsOf(second.server, 'application-data')[0]!.data)).toBe('resumed');
  });

  it('resumes with a session id through the server cache hook', () => {
    const cache = new Map<string, Uint8Array>();
    const key = (id: Uint8Array) => Buffer.from(id).toString('hex');
    const sessionStore = {
      save: (id: Uint8Array, state: Uint8Array) => cache.set(key(id), state),
      load: (id: Uint8Array) => cache.get(key(id)),
    };
    const first = handshake(tls12Only, { sessionStore });
    expect(cache.size).toBe(1);
    const [session] = eventsOf(first.client, 'session-ticket');
    const second = handshake({ ...tls12Only, session: session!.session }, { sessionStore });
    expect(infoOf(second.client).resumed).toBe(true);
    expect(Array.from(infoOf(second.client).sessionId!)).toEqual(Array.from(infoOf(first.client).sessionId!));
    // A server that lost the session runs a full handshake.
    cache.clear();
    const third = handshake({ ...tls12Only, session: session!.session }, { sessionStore });
    expect(infoOf(third.client).resumed).toBe(false);
  });

  it("keeps the client's certificate in the session: a resumed server still reports it", () => {
    const client = { ...tls12Only, certificates: [credential('rsa').certified] };
    const server = { ticketKeys, requestClientCertificate: true };
    const first = handshake(client, server);
    expect(infoOf(first.server).peerCertificates).toHaveLength(1);
    const [session] = eventsOf(first.client, 'session-ticket');
    const second = handshake({ ...client, session: session!.session }, server);
    expect(infoOf(second.server).resumed).toBe(true);
    expect(Array.from(infoOf(second.server).peerCertificates[0]!)).toEqual(
      Array.from(credential('rsa').certified.chain[0]!),
    );
  });

  it('does a full handshake when EMS use differs from the session (RFC 7627 §5.3)', () => {
    const first = handshake(tls12Only, { ticketKeys });
    const [session] = eventsOf(first.client, 'session-ticket');
    const second = handshake(
      { ...tls12Only, session: session!.session, extendedMasterSecret: false },
      { ticketKeys },
    );
    expect(infoOf(second.client).resumed).toBe(false);
    expect(errorOf(second.client.events)).toBeUndefined();
  });

  it('exports the same keying material from a resumed session on both sides', () => {
    const first = handshake(tls12Only, { ticketKeys });
    const [session] = eventsOf(first.client, 'session-ticket');
    const second = handshake({ ...tls12Only, session: session!.session }, { ticketKeys });
    expect(Array.from(second.client.connection.exportKeyingMaterial(16, 'x'))).toEqual(
      Array.from(second.server.connection.exportKeyingMaterial(16, 'x')),
    );
  });
});

describe('TLS 1.2 against a mutated peer', () => {
  /** A small deterministic generator (xorshift32), so a failure replays. */
  function generator(seed: number) {
    let x = seed;
    return () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 0x1_0000_0000;
    };
  }

  for (const role of ['client', 'server'] as const) {
    it(`the ${role} turns any corruption of the peer's plaintext flight into a TlsError with an alert`, () => {
      const random = generator(role === 'client' ? 0x1234567 : 0x7654321);
      const codes = new Set<string>();
      for (let round = 0; round < 150; round++) {
        const c = side(
          createClientConnection({
            provider,
            ...tls12Only,
            cipherSuites: [
              round % 2 === 0
                ? CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                : CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
            ],
            certificates: [credential('rsa').certified],
          }),
        );
        const s = side(
          createServerConnection({
            provider,
            certificates: [credential('rsa').certified],
            dhParams: dh2048(),
            requestClientCertificate: true,
          }),
        );
        const mutate = (bytes: Uint8Array) => {
          const copy = bytes.slice();
          // Corrupt only the plaintext part: before the first ChangeCipherSpec record.
          let end = 0;
          while (end + 5 <= copy.length && copy[end] !== 20)
            end += 5 + ((copy[end + 3]! << 8) | copy[end + 4]!);
          if (end === 0) return copy;
          const flips = 1 + Math.floor(random() * 3);
          for (let i = 0; i < flips; i++) copy[Math.floor(random() * end)] = Math.floor(random() * 256);
          return copy;
        };
        if (role === 'client') {
          transfer(c, s);
          expect(() => transfer(s, c, mutate)).not.toThrow();
          settle(c, s);
        } else {
          transfer(c, s);
          transfer(s, c);
          expect(() => transfer(c, s, mutate)).not.toThrow();
          settle(c, s);
        }
        const target = role === 'client' ? c : s;
        const failure = target.events.find((e) => e.type === 'error');
        if (failure?.type === 'error') {
          codes.add(failure.error.code);
          expect(failure.error.code).not.toBe('ERR_SSL_INTERNAL_ERROR');
          expect(failure.error.alert ?? failure.receivedAlert?.description).toBeGreaterThan(0);
        }
      }
      // Corruption is noticed: most rounds end in an error, of more than one kind.
      expect(codes.size).toBeGreaterThan(1);
    });
  }
});
