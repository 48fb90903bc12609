// RFC 8448 replayed through the engine: our server and our client, given the traces' randoms,
// ephemeral keys, clock and RSA key (§2) through the deterministic provider, must write exactly the
// records the RFC prints, and accept the other side's records as printed.
//
// Byte for byte: §3 in both roles (every record but our NewSessionTicket); §4 (0-RTT) in both
// roles, every record: our client's ClientHello with early_data, its 0-RTT record, EndOfEarlyData
// and Finished, and our server's ServerHello and EncryptedExtensions (with early_data) + Finished,
// the server resuming the RFC server's ticket through `unwrapTicket` from what §3 prints and
// opening the client's early data; §5 in both roles (our server sends the RFC server's cookie
// through `helloRetryCookie`); §7 in both roles. Up to what cannot match, which is checked for
// structure instead: our NewSessionTicket (our tickets are our own sealed format); §6 (the RFC
// prints neither the server's ECDSA key nor the client's RSA key).
import { NamedGroup, SignatureScheme } from '@tls/crypto';
import { createDeterministicProvider } from '@tls/crypto/deterministic';
import {
  type AeadSuite,
  type Connection,
  type ConnectionConfig,
  type ConnectionEvent,
  ExtensionType,
  Tls13KeySchedule,
  createClientConnection,
  createServerConnection,
  decodeCertificate,
  decodeCertificateVerify,
  decodeClientHello,
  decodeClientSession,
  decodeEncryptedExtensions,
  decodeNewSessionTicket,
  getCipherSuite,
} from '@tls/handshake';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { ContentType, RecordReader, createTls13Protection } from '@tls/record';
import { describe, expect, it } from 'vitest';
import { credential } from './helpers/credentials.js';
import { eventsOf, settle, side, transfer } from '@tls/test-kit';
import { type TraceStep, field, fromHex, hex, loadTrace, message, step } from './helpers/rfc8448.js';
import { events, output, rfc8448RsaKey, rsaPssSalt, sentRecords } from './helpers/rfc8448-replay.js';

const traces = {
  simple: loadTrace('section3-simple-1rtt.txt'),
  hrr: loadTrace('section5-hello-retry-request.txt'),
  clientAuth: loadTrace('section6-client-authentication.txt'),
  compat: loadTrace('section7-compatibility-mode.txt'),
  resumed: loadTrace('section4-resumed-0rtt.txt'),
};

const suite = getCipherSuite(0x1301) as AeadSuite;

/** The groups, suites and schemes the RFC's client (NSS) offers; configuration, not output. */
const traceSuites = [0x1301, 0x1303, 0x1302];
const allGroups = [
  NamedGroup.X25519,
  NamedGroup.Secp256r1,
  NamedGroup.Secp384r1,
  NamedGroup.Secp521r1,
  NamedGroup.Ffdhe2048,
  NamedGroup.Ffdhe3072,
  NamedGroup.Ffdhe4096,
  NamedGroup.Ffdhe6144,
  NamedGroup.Ffdhe8192,
];
const traceSchemes = [
  SignatureScheme.EcdsaSecp256r1Sha256,
  SignatureScheme.EcdsaSecp384r1Sha384,
  SignatureScheme.EcdsaSecp521r1Sha512,
  SignatureScheme.EcdsaSha1,
  SignatureScheme.RsaPssRsaeSha256,
  SignatureScheme.RsaPssRsaeSha384,
  SignatureScheme.RsaPssRsaeSha512,
  SignatureScheme.RsaPkcs1Sha256,
  SignatureScheme.RsaPkcs1Sha384,
  SignatureScheme.RsaPkcs1Sha512,
  SignatureScheme.RsaPkcs1Sha1,
  0x0402, // dsa_sha256 (RFC 5246 codepoints NSS still lists)
  0x0502,
  0x0602,
  0x0202,
];

/** A key pair step's private key: `create an ephemeral <group> key pair`, n-th of the role. */
function privateKey(
  steps: readonly TraceStep[],
  role: 'client' | 'server',
  group: string,
  n = 0,
): Uint8Array {
  return field(step(steps, `create an ephemeral ${group} key pair`, role, n), 'private key');
}

/** The random of a printed hello (bytes 6..38 after the handshake header and legacy_version). */
function helloRandom(hello: Uint8Array): Uint8Array {
  return hello.slice(6, 38);
}

function secret(steps: readonly TraceStep[], label: string): Uint8Array {
  return field(step(steps, `derive secret "${label}"`, 'server'), 'expanded');
}

/** Opens records with a traffic secret from the trace (to look inside what cannot match). */
function opener(steps: readonly TraceStep[], label: string) {
  const reader = new RecordReader();
  reader.setProtection(createTls13Protection(createDeterministicProvider(), suite, secret(steps, label)));
  return (record: Uint8Array) => {
    reader.push(record);
    const event = reader.read();
    if (event === undefined || event.kind !== 'record') throw new Error('record does not open');
    return event;
  };
}

const hexes = (records: readonly Uint8Array[]) => records.map(hex);

const payload = Uint8Array.from({ length: 50 }, (_, i) => i);

function ofType<T extends ConnectionEvent['type']>(list: readonly ConnectionEvent[], type: T) {
  return list.filter((event): event is Extract<ConnectionEvent, { type: T }> => event.type === type);
}

/** The RFC's server certificate (§3, §5, §7: CN=rsa, the §2 key). */
function serverCertificate(steps: readonly TraceStep[]): Uint8Array {
  return decodeCertificate(message(steps, 'Certificate', 'server')).certificateList[0]!.certData;
}

/**
 * A server config for a trace whose server signs with the §2 RSA key: the salt of its
 * CertificateVerify is taken from the printed signature.
 */
function rsaServer(
  steps: readonly TraceStep[],
  randomsBeforeSalt: readonly Uint8Array[],
  keyShare: { group: NamedGroup; privateKey: Uint8Array },
  extra: Partial<ConnectionConfig>,
): Connection {
  const probe = createDeterministicProvider();
  const { modulus } = rfc8448RsaKey(probe);
  const signature = decodeCertificateVerify(message(steps, 'CertificateVerify', 'server')).signature;
  const provider = createDeterministicProvider({
    randoms: [...randomsBeforeSalt, rsaPssSalt(probe, modulus, signature)],
    keyShares: [keyShare],
  });
  return createServerConnection({
    provider,
    certificates: [{ chain: [serverCertificate(steps)], privateKey: rfc8448RsaKey(provider).privateKey }],
    cipherSuites: traceSuites,
    advertiseGroups: true,
    ticketKeys: new Uint8Array(48).fill(7),
    ticketCount: 1,
    ...extra,
  });
}

describe('RFC 8448 §3 simple 1-RTT, our server', () => {
  const trace = traces.simple;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  function start(): Connection {
    return rsaServer(
      trace,
      [helloRandom(message(trace, 'ServerHello'))],
      { group: NamedGroup.X25519, privateKey: privateKey(trace, 'server', 'x25519') },
      { groups: allGroups },
    );
  }

  it('answers the ClientHello with the ServerHello record and the 679-byte flight record', () => {
    const connection = start();
    connection.receive(client[0]!);
    expect(events(connection)).toEqual([]);
    const written = output(connection);
    expect(written.map((record) => record.length)).toEqual([95, 679]);
    expect(hexes(written)).toEqual(hexes(server.slice(0, 2)));
  });

  it('completes on the client Finished, then seals application data and close_notify as printed', () => {
    const connection = start();
    connection.receive(client[0]!);
    output(connection);
    connection.receive(client[1]!);
    const done = events(connection);
    expect(ofType(done, 'handshake-complete')).toHaveLength(1);
    const info = ofType(done, 'handshake-complete')[0]!.info;
    expect([info.cipherSuite.id, info.group, info.serverName, info.resumed]).toEqual([
      0x1301,
      NamedGroup.X25519,
      'server',
      false,
    ]);
    expect(hex(info.clientFinished)).toBe(hex(message(trace, 'Finished', 'client').subarray(4)));
    // The ticket is ours (a sealed state, not the RFC server's): one record, sealed under
    // the server application traffic key, holding a NewSessionTicket with nonce 0.
    const tickets = output(connection);
    expect(tickets).toHaveLength(1);
    const opened = opener(trace, 'tls13 s ap traffic')(tickets[0]!);
    expect(opened.contentType).toBe(ContentType.Handshake);
    const ticket = decodeNewSessionTicket(opened.fragment);
    expect([ticket.ticketLifetime, hex(ticket.ticketNonce), ticket.extensions]).toEqual([300, '00', []]);
    // Application data: the client's record opens to the payload; ours is the RFC's (sequence 1).
    connection.receive(client[2]!);
    expect(ofType(events(connection), 'application-data').map((event) => hex(event.data))).toEqual([
      hex(payload),
    ]);
    connection.write(payload);
    expect(hexes(output(connection))).toEqual([hex(server[3]!)]);
    connection.receive(client[3]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(server[4]!)]);
  });
});

/** The §3 client: NSS's ClientHello, reproduced by configuration. */
function simpleClientConfig(provider: ConnectionConfig['provider']): ConnectionConfig {
  return {
    provider,
    serverName: 'server',
    minVersion: 0x0304,
    cipherSuites: traceSuites,
    groups: allGroups,
    signatureSchemes: traceSchemes,
    recordSizeLimit: 16385,
    grease: false,
    middleboxCompatibility: false,
    clientHelloExtensions: [
      ExtensionType.ServerName,
      ExtensionType.RenegotiationInfo,
      ExtensionType.SupportedGroups,
      ExtensionType.SessionTicket,
      ExtensionType.KeyShare,
      ExtensionType.SupportedVersions,
      ExtensionType.SignatureAlgorithms,
      ExtensionType.PskKeyExchangeModes,
      ExtensionType.RecordSizeLimit,
    ],
  };
}

describe('RFC 8448 §3 simple 1-RTT, our client', () => {
  const trace = traces.simple;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  it('sends the ClientHello record, then the client Finished record, and the rest as printed', () => {
    const chains: (readonly Uint8Array[])[] = [];
    const connection = createClientConnection({
      ...simpleClientConfig(
        createDeterministicProvider({
          randoms: [helloRandom(message(trace, 'ClientHello'))],
          keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(trace, 'client', 'x25519') }],
        }),
      ),
      verifyPeer: (chain) => {
        chains.push(chain);
        return undefined;
      },
    });
    expect(hexes(output(connection))).toEqual([hex(client[0]!)]);
    connection.receive(server[0]!);
    connection.receive(server[1]!);
    expect(hexes(output(connection))).toEqual([hex(client[1]!)]);
    const done = events(connection);
    expect(ofType(done, 'handshake-complete')).toHaveLength(1);
    expect(chains.map((chain) => chain.map(hex))).toEqual([[hex(serverCertificate(trace))]]);
    // The RFC's ticket becomes a session (its PSK is checked by rfc8448-key-schedule.test.ts).
    connection.receive(server[2]!);
    expect(ofType(events(connection), 'session-ticket')).toHaveLength(1);
    connection.write(payload);
    expect(hexes(output(connection))).toEqual([hex(client[2]!)]);
    connection.receive(server[3]!);
    expect(ofType(events(connection), 'application-data').map((event) => hex(event.data))).toEqual([
      hex(payload),
    ]);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(client[3]!)]);
    connection.receive(server[4]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
  });
});

/** NSS's extension order in §5 (with the cookie and the padding of the second ClientHello) and §6, §7. */
const nssOrder = [
  ExtensionType.ServerName,
  ExtensionType.RenegotiationInfo,
  ExtensionType.SupportedGroups,
  ExtensionType.KeyShare,
  ExtensionType.SupportedVersions,
  ExtensionType.SignatureAlgorithms,
  ExtensionType.Cookie,
  ExtensionType.PskKeyExchangeModes,
  ExtensionType.RecordSizeLimit,
  ExtensionType.Padding,
];

describe('RFC 8448 §5 HelloRetryRequest, our client', () => {
  const trace = traces.hrr;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  it('sends both ClientHello records (the second echoing the cookie, padded to 512) and the Finished record', () => {
    const connection = createClientConnection({
      ...simpleClientConfig(
        createDeterministicProvider({
          randoms: [helloRandom(message(trace, 'ClientHello'))],
          keyShares: [
            { group: NamedGroup.X25519, privateKey: privateKey(trace, 'client', 'x25519') },
            { group: NamedGroup.Secp256r1, privateKey: privateKey(trace, 'client', 'P-256') },
          ],
        }),
      ),
      groups: [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1],
      clientHelloExtensions: nssOrder,
      clientHelloPadding: true,
      verifyPeer: () => undefined,
    });
    expect(hexes(output(connection))).toEqual([hex(client[0]!)]);
    connection.receive(server[0]!);
    const second = output(connection);
    expect(second.map((record) => record.length)).toEqual([517]);
    expect(hexes(second)).toEqual([hex(client[1]!)]);
    connection.receive(server[1]!);
    connection.receive(server[2]!);
    expect(hexes(output(connection))).toEqual([hex(client[2]!)]);
    const done = ofType(events(connection), 'handshake-complete');
    expect(done.map((event) => [event.info.group, event.info.helloRetry])).toEqual([
      [NamedGroup.Secp256r1, true],
    ]);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(client[3]!)]);
    connection.receive(server[3]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
  });
});

describe('RFC 8448 §5 HelloRetryRequest, our server', () => {
  const trace = traces.hrr;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');
  // The RFC server's cookie (0x72 opaque bytes in its own format, after the extension's type,
  // length and the vector's length), given through helloRetryCookie: our server keeps its retry
  // state itself and only checks the echo.
  const printedRetry = server[0]!;
  const cookieAt = hex(printedRetry).indexOf('002c00740072') / 2;
  const rfcCookie = printedRetry.slice(cookieAt + 6, cookieAt + 6 + 0x72);

  function start(cookie: () => Uint8Array = () => rfcCookie): Connection {
    return rsaServer(
      trace,
      [helloRandom(message(trace, 'ServerHello', 'server', 1))],
      { group: NamedGroup.Secp256r1, privateKey: privateKey(trace, 'server', 'P-256') },
      // The RFC server's groups, and its choice: P-256 over the client's X25519 share, at the
      // cost of a HelloRetryRequest.
      {
        groups: [NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.X25519],
        strictGroupPreference: true,
        helloRetryCookie: cookie,
        ticketCount: 0,
      },
    );
  }

  it('asks for P-256 with the cookie as printed, then writes every record of the trace', () => {
    const connection = start();
    connection.receive(client[0]!);
    expect(hexes(output(connection))).toEqual([hex(server[0]!)]);
    // The second ClientHello echoes the cookie: the ServerHello and the flight as printed.
    connection.receive(client[1]!);
    expect(connection.error).toBeUndefined();
    expect(hexes(output(connection))).toEqual(hexes(server.slice(1, 3)));
    connection.receive(client[2]!);
    const done = events(connection);
    expect(ofType(done, 'handshake-complete')).toHaveLength(1);
    const info = ofType(done, 'handshake-complete')[0]!.info;
    expect([info.group, info.helloRetry]).toEqual([NamedGroup.Secp256r1, true]);
    expect(hex(info.clientFinished)).toBe(hex(message(trace, 'Finished', 'client').subarray(4)));
    // The RFC's server issues no ticket here (ticketCount 0): then close_notify both ways.
    expect(output(connection)).toEqual([]);
    connection.receive(client[3]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(server[3]!)]);
    expect([client.length, server.length]).toEqual([4, 4]);
  });

  it('fails a second ClientHello whose cookie differs (illegal_parameter) or is missing (missing_extension)', () => {
    const other = start(() => Uint8Array.of(1, 2, 3));
    other.receive(client[0]!);
    output(other);
    other.receive(client[1]!);
    expect(other.error?.alert).toBe(47);
    const sent = output(other);
    expect(sent).toHaveLength(1);
    // The same ClientHello with its cookie extension removed.
    const retried = client[1]!;
    const at = hex(retried).indexOf('002c0074') / 2;
    expect(at).toBeGreaterThan(0);
    const without = new Uint8Array([...retried.subarray(0, at), ...retried.subarray(at + 4 + 0x74)]);
    const view = new DataView(without.buffer);
    const cut = 4 + 0x74;
    view.setUint16(3, view.getUint16(3) - cut);
    view.setUint16(7, view.getUint16(7) - cut);
    // The extensions block length follows the session id, suites and compression methods.
    let offset = 5 + 4 + 2 + 32;
    offset += 1 + without[offset]!;
    offset += 2 + view.getUint16(offset);
    offset += 1 + without[offset]!;
    view.setUint16(offset, view.getUint16(offset) - cut);
    const missing = start();
    missing.receive(client[0]!);
    output(missing);
    missing.receive(without);
    expect(missing.error?.alert).toBe(109);
  });

  it('refuses a helloRetryCookie that gives no bytes, with internal_error', () => {
    const connection = start(() => new Uint8Array(0));
    connection.receive(client[0]!);
    expect([connection.error?.code, connection.error?.alert]).toEqual(['ERR_INVALID_ARG_VALUE', 80]);
  });
});

/** §7: the §5/§6 client order, a legacy_session_id and change_cipher_spec (RFC 8446 §D.4). */
describe('RFC 8448 §7 compatibility mode, our client', () => {
  const trace = traces.compat;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');
  const hello = message(trace, 'ClientHello');

  it('sends the ClientHello record with the legacy_session_id, then change_cipher_spec and Finished', () => {
    const connection = createClientConnection({
      ...simpleClientConfig(
        createDeterministicProvider({
          // The session id is drawn first, then the random.
          randoms: [hello.slice(39, 39 + 32), helloRandom(hello)],
          keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(trace, 'client', 'x25519') }],
        }),
      ),
      middleboxCompatibility: true,
      clientHelloExtensions: nssOrder,
      verifyPeer: () => undefined,
    });
    expect(hexes(output(connection))).toEqual([hex(client[0]!)]);
    for (const record of server.slice(0, 3)) connection.receive(record);
    expect(hexes(output(connection))).toEqual(hexes(client.slice(1, 3)));
    expect(ofType(events(connection), 'handshake-complete')).toHaveLength(1);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(client[3]!)]);
    connection.receive(server[3]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
  });
});

describe('RFC 8448 §7 compatibility mode, our server', () => {
  const trace = traces.compat;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  it('echoes the session id, sends change_cipher_spec after the ServerHello, and the flight as printed', () => {
    const connection = rsaServer(
      trace,
      [helloRandom(message(trace, 'ServerHello'))],
      { group: NamedGroup.X25519, privateKey: privateKey(trace, 'server', 'x25519') },
      // The RFC's server sends no NewSessionTicket in §7.
      { groups: allGroups, ticketCount: 0 },
    );
    connection.receive(client[0]!);
    expect(hexes(output(connection))).toEqual(hexes(server.slice(0, 3)));
    connection.receive(client[1]!);
    connection.receive(client[2]!);
    expect(ofType(events(connection), 'handshake-complete')).toHaveLength(1);
    expect(output(connection)).toEqual([]);
    connection.receive(client[3]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(server[3]!)]);
  });
});

/** NSS's extension order in §4: early_data after key_share. */
const resumedOrder = [
  ExtensionType.ServerName,
  ExtensionType.RenegotiationInfo,
  ExtensionType.SupportedGroups,
  ExtensionType.KeyShare,
  ExtensionType.EarlyData,
  ExtensionType.SupportedVersions,
  ExtensionType.SignatureAlgorithms,
  ExtensionType.PskKeyExchangeModes,
  ExtensionType.RecordSizeLimit,
  ExtensionType.Padding,
];

/** The 0-RTT application data of §4 ("ABCDEF"). */
const earlyPayload = fromHex('414243444546');

/**
 * §4 resumes the §3 session with 0-RTT: the client offers the RFC server's ticket with early_data,
 * sends "ABCDEF" under the client_early_traffic_secret, and EndOfEarlyData after the server's
 * Finished (whose EncryptedExtensions accepts the early data).
 */
describe('RFC 8448 §4 resumed 0-RTT, our client', () => {
  const simple = traces.simple;
  const trace = traces.resumed;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  /** The §3 client replay, for the session the RFC's NewSessionTicket gives. */
  function simpleSession(): Uint8Array {
    const records = sentRecords(simple, 'server');
    const connection = createClientConnection({
      ...simpleClientConfig(
        createDeterministicProvider({
          randoms: [helloRandom(message(simple, 'ClientHello'))],
          keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(simple, 'client', 'x25519') }],
        }),
      ),
      verifyPeer: () => undefined,
    });
    for (const record of records.slice(0, 3)) connection.receive(record);
    const [ticket] = ofType(events(connection), 'session-ticket');
    if (ticket === undefined) throw new Error('no session from §3');
    return ticket.session;
  }

  it('sends the ClientHello record with early_data and the 0-RTT record, then EndOfEarlyData and Finished, all as printed', () => {
    const session = simpleSession();
    // The RFC's NewSessionTicket allows 1024 bytes of early data (early_data in §3).
    expect(decodeClientSession(session)?.maxEarlyData).toBe(1024);
    // The clock: the ticket age the RFC's client reports (obfuscated_ticket_age - ticket_age_add).
    const ageAdd = decodeNewSessionTicket(message(simple, 'NewSessionTicket')).ticketAgeAdd;
    const age = (resumedIdentity().obfuscatedTicketAge - ageAdd) >>> 0;
    const provider = createDeterministicProvider({
      randoms: [helloRandom(message(trace, 'ClientHello'))],
      keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(trace, 'client', 'x25519') }],
      now: createDeterministicProvider().now() + age,
    });
    const connection = createClientConnection({
      ...simpleClientConfig(provider),
      session,
      earlyData: earlyPayload,
      clientHelloExtensions: resumedOrder,
      clientHelloPadding: true,
      keylog: true,
      verifyPeer: () => {
        throw new Error('a resumed handshake verifies no certificate');
      },
    });
    expect(hexes(output(connection))).toEqual(hexes(client.slice(0, 2)));
    const early = field(step(trace, 'derive secret "tls13 c e traffic"', 'client'), 'expanded');
    const keylog = ofType(events(connection), 'keylog').map((event) => event.line);
    expect(keylog).toEqual([
      `CLIENT_EARLY_TRAFFIC_SECRET ${hex(message(trace, 'ClientHello').subarray(6, 38))} ${hex(early)}\n`,
    ]);
    connection.receive(server[0]!);
    connection.receive(server[1]!);
    expect(hexes(output(connection))).toEqual(hexes(client.slice(2, 4)));
    const done = events(connection);
    expect(ofType(done, 'early-data-accepted')).toEqual([
      { type: 'early-data-accepted', length: 6, unsent: new Uint8Array(0) },
    ]);
    const info = ofType(done, 'handshake-complete')[0]!.info;
    expect([info.resumed, info.cipherSuite.id, info.group, info.serverName]).toEqual([
      true,
      0x1301,
      NamedGroup.X25519,
      'server',
    ]);
    connection.write(payload);
    expect(hexes(output(connection))).toEqual([hex(client[4]!)]);
    connection.receive(server[2]!);
    expect(ofType(events(connection), 'application-data').map((event) => hex(event.data))).toEqual([
      hex(payload),
    ]);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(client[5]!)]);
    connection.receive(server[3]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
  });
});

/** The PSK identity the §4 ClientHello offers (the RFC server's ticket from §3). */
function resumedIdentity(): { identity: Uint8Array; obfuscatedTicketAge: number } {
  // The printed ClientHello stops before the binders; the record carries all of it.
  const record = sentRecords(traces.resumed, 'client')[0]!;
  const offered = decodeClientHello(record.subarray(5)).extensions.find(
    (extension) => extension.kind === 'pre_shared_key',
  );
  if (offered === undefined || !('identities' in offered)) throw new Error('no PSK in §4');
  return offered.identities[0]!;
}

/**
 * Our server cannot open the RFC server's ticket (its own sealed format), so `unwrapTicket`
 * resumes it from what §3 prints: the resumption master secret and the NewSessionTicket's nonce,
 * age_add, lifetime and max_early_data_size.
 */
describe('RFC 8448 §4 resumed 0-RTT, our server', () => {
  const simple = traces.simple;
  const trace = traces.resumed;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  it('resumes the RFC ticket, accepts the 0-RTT data, and sends ServerHello and EncryptedExtensions with early_data as printed', () => {
    const ticket = decodeNewSessionTicket(message(simple, 'NewSessionTicket'));
    const early = ticket.extensions.find((extension) => extension.kind === 'early_data');
    const maxEarlyData = early !== undefined && 'maxEarlyDataSize' in early ? early.maxEarlyDataSize : 0;
    expect(maxEarlyData).toBe(1024);
    const offered = resumedIdentity();
    expect(hex(offered.identity)).toBe(hex(ticket.ticket));
    const clientAge = (offered.obfuscatedTicketAge - ticket.ticketAgeAdd) >>> 0;
    const now = createDeterministicProvider().now();
    const provider = createDeterministicProvider({
      randoms: [helloRandom(message(trace, 'ServerHello'))],
      keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(trace, 'server', 'x25519') }],
      now,
    });
    const resumptionMasterSecret = field(
      step(simple, 'derive secret "tls13 res master"', 'client'),
      'expanded',
    );
    const unwrapped: Uint8Array[] = [];
    const connection = createServerConnection({
      provider,
      certificates: [{ chain: [serverCertificate(simple)], privateKey: rfc8448RsaKey(provider).privateKey }],
      cipherSuites: traceSuites,
      groups: allGroups,
      advertiseGroups: true,
      maxEarlyData,
      keylog: true,
      unwrapTicket: (identity) => {
        unwrapped.push(identity);
        if (hex(identity) !== hex(ticket.ticket)) return undefined;
        return {
          cipherSuite: 0x1301,
          psk: new Tls13KeySchedule(provider, 'sha256').resumptionPsk(
            resumptionMasterSecret,
            ticket.ticketNonce,
          ),
          issuedAt: now - clientAge,
          lifetime: ticket.ticketLifetime,
          ageAdd: ticket.ticketAgeAdd,
          serverName: 'server',
          maxEarlyData,
        };
      },
    });
    connection.receive(client[0]!);
    connection.receive(client[1]!);
    expect(unwrapped.map(hex)).toEqual([hex(ticket.ticket)]);
    expect(hexes(output(connection))).toEqual(hexes(server.slice(0, 2)));
    const first = events(connection);
    expect(ofType(first, 'early-data').map((event) => hex(event.data))).toEqual([hex(earlyPayload)]);
    expect(ofType(first, 'keylog')[0]?.line).toBe(
      `CLIENT_EARLY_TRAFFIC_SECRET ${hex(helloRandom(message(trace, 'ClientHello')))} ${hex(
        field(step(trace, 'derive secret "tls13 c e traffic"', 'client'), 'expanded'),
      )}\n`,
    );
    // EndOfEarlyData, then the Finished under the client handshake key.
    connection.receive(client[2]!);
    expect(events(connection)).toEqual([]);
    connection.receive(client[3]!);
    const done = ofType(events(connection), 'handshake-complete');
    expect(done.map((event) => [event.info.resumed, event.info.localCertificates.length])).toEqual([
      [true, 0],
    ]);
    expect(hex(done[0]!.info.clientFinished)).toBe(hex(message(trace, 'Finished', 'client').subarray(4)));
    // No NewSessionTicket (no ticketKeys): the application data records are the RFC's.
    expect(output(connection)).toEqual([]);
    connection.receive(client[4]!);
    expect(ofType(events(connection), 'application-data').map((event) => hex(event.data))).toEqual([
      hex(payload),
    ]);
    connection.write(payload);
    expect(hexes(output(connection))).toEqual([hex(server[2]!)]);
    connection.receive(client[5]!);
    expect(events(connection).map((event) => event.type)).toEqual(['peer-closed']);
    connection.close();
    expect(hexes(output(connection))).toEqual([hex(server[3]!)]);
  });
});

/**
 * §6 prints neither the server's ECDSA key nor the client's RSA key, and ECDSA signatures are
 * randomized: what either side signs cannot match. Checked: everything before the signatures.
 */
describe('RFC 8448 §6 client authentication, our client', () => {
  const trace = traces.clientAuth;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  it('sends the ClientHello record, verifies the server flight and answers with the printed Certificate', () => {
    const provider = createDeterministicProvider({
      randoms: [helloRandom(message(trace, 'ClientHello'))],
      keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(trace, 'client', 'x25519') }],
    });
    const clientCertificate = decodeCertificate(message(trace, 'Certificate', 'client')).certificateList[0]!
      .certData;
    const connection = createClientConnection({
      ...simpleClientConfig(provider),
      clientHelloExtensions: nssOrder,
      // The RFC's client certificate; its key is not printed, so the §2 key stands in (a
      // CertificateVerify the RFC's server would refuse).
      certificates: [{ chain: [clientCertificate], privateKey: rfc8448RsaKey(provider).privateKey }],
      verifyPeer: () => undefined,
    });
    expect(hexes(output(connection))).toEqual([hex(client[0]!)]);
    // The server's ECDSA CertificateVerify and Finished verify as printed.
    connection.receive(server[0]!);
    connection.receive(server[1]!);
    expect(connection.error).toBeUndefined();
    const written = output(connection);
    expect(written.map((record) => record[0])).toEqual([ContentType.ApplicationData]);
    const opened = opener(trace, 'tls13 c hs traffic')(written[0]!);
    const certificate = message(trace, 'Certificate', 'client');
    expect(hex(opened.fragment.subarray(0, certificate.length))).toBe(hex(certificate));
    const verify = decodeCertificateVerify(
      opened.fragment.subarray(certificate.length, certificate.length + 136),
    );
    expect(verify.algorithm).toBe(SignatureScheme.RsaPssRsaeSha256);
    expect(ofType(events(connection), 'handshake-complete')).toHaveLength(1);
  });
});

describe('RFC 8448 §6 client authentication, our server', () => {
  const trace = traces.clientAuth;
  const client = sentRecords(trace, 'client');
  const server = sentRecords(trace, 'server');

  it('sends the ServerHello record, and EncryptedExtensions and Certificate as printed', () => {
    const provider = createDeterministicProvider({
      randoms: [helloRandom(message(trace, 'ServerHello'))],
      keyShares: [{ group: NamedGroup.X25519, privateKey: privateKey(trace, 'server', 'x25519') }],
    });
    const certificate = message(trace, 'Certificate', 'server');
    const connection = createServerConnection({
      provider,
      // The RFC's ECDSA certificate with a P-256 key of ours (its key is not printed).
      certificates: [
        {
          chain: [decodeCertificate(certificate).certificateList[0]!.certData],
          privateKey: provider.generateKeyPair({ type: 'ec', curve: 'P-256' }).privateKey,
        },
      ],
      cipherSuites: traceSuites,
      groups: allGroups,
      advertiseGroups: true,
      requestClientCertificate: true,
      verifyPeer: () => undefined,
    });
    connection.receive(client[0]!);
    const [serverHello, flight, ...rest] = output(connection);
    expect(rest).toEqual([]);
    expect(hex(serverHello!)).toBe(hex(server[0]!));
    const opened = opener(trace, 'tls13 s hs traffic')(flight!).fragment;
    const encryptedExtensions = message(trace, 'EncryptedExtensions', 'server');
    expect(hex(opened.subarray(0, encryptedExtensions.length))).toBe(hex(encryptedExtensions));
    // Our CertificateRequest lists only what TLS 1.3 allows in CertificateVerify (the RFC's
    // also lists PKCS#1 and SHA-1 schemes), so from here the offsets shift by its length.
    const requestAt = encryptedExtensions.length;
    expect(opened[requestAt]).toBe(13);
    const requestLength = 4 + ((opened[requestAt + 2]! << 8) | opened[requestAt + 3]!);
    const certificateAt = requestAt + requestLength;
    expect(hex(opened.subarray(certificateAt, certificateAt + certificate.length))).toBe(hex(certificate));
  });
});

describe('the configuration the replays use', () => {
  const node = createNodeCryptoProvider();
  const tls13Only = { provider: node, minVersion: 0x0304, grease: false, verifyPeer: () => undefined };
  const types = (record: Uint8Array) =>
    decodeClientHello(record.subarray(5)).extensions.map((extension) =>
      extension.kind === 'unknown' ? extension.type : extension.kind,
    );

  it('clientHelloExtensions orders the extensions and adds the three a TLS 1.3-only ClientHello leaves out', () => {
    const plain = output(createClientConnection({ ...tls13Only, serverName: 'example.com' }))[0]!;
    expect(types(plain)).not.toContain('renegotiation_info');
    expect(types(plain)).not.toContain('session_ticket');
    expect(types(plain)).not.toContain('psk_key_exchange_modes');
    const shaped = output(
      createClientConnection({
        ...tls13Only,
        serverName: 'example.com',
        pskKeyExchangeModes: [0, 1],
        clientHelloExtensions: [
          ExtensionType.KeyShare,
          ExtensionType.PskKeyExchangeModes,
          ExtensionType.SessionTicket,
          ExtensionType.RenegotiationInfo,
        ],
      }),
    )[0]!;
    expect(types(shaped)).toEqual([
      'key_share',
      'psk_key_exchange_modes',
      'session_ticket',
      'renegotiation_info',
      ...types(plain).filter((kind) => kind !== 'key_share'),
    ]);
    const modes = decodeClientHello(shaped.subarray(5)).extensions.find(
      (extension) => extension.kind === 'psk_key_exchange_modes',
    );
    expect(modes).toMatchObject({ keModes: [0, 1] });
  });

  it('clientHelloExtensions refuses a type the client never sends', () => {
    const connection = createClientConnection({
      ...tls13Only,
      clientHelloExtensions: [ExtensionType.SignedCertificateTimestamp],
    });
    expect(connection.takeOutput()).toBeUndefined();
    expect(connection.error?.code).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('clientHelloPadding pads a ClientHello of 256..511 bytes to 512 and leaves others alone', () => {
    const short = output(createClientConnection({ ...tls13Only, clientHelloPadding: true }))[0]!;
    expect(short.length - 5).toBeLessThan(256);
    expect(types(short)).not.toContain('padding');
    const long = output(
      createClientConnection({
        ...tls13Only,
        clientHelloPadding: true,
        alpnProtocols: Array.from({ length: 12 }, (_, i) => `protocol-${i}`),
      }),
    )[0]!;
    expect(long.length - 5).toBe(512);
    expect(types(long).at(-1)).toBe('padding');
  });

  it('advertiseGroups puts our groups in EncryptedExtensions, which our client accepts', () => {
    const groups = [NamedGroup.Secp256r1, NamedGroup.X25519];
    const client = side(createClientConnection({ ...tls13Only, middleboxCompatibility: false }));
    const server = side(
      createServerConnection({
        provider: node,
        certificates: [credential('ecdsa-p256').certified],
        cipherSuites: [0x1301],
        groups,
        advertiseGroups: true,
        keylog: true,
      }),
    );
    transfer(client, server);
    const [serverHello, flight] = output(server.connection);
    client.connection.receive(new Uint8Array([...serverHello!, ...flight!]));
    settle(client, server);
    expect(eventsOf(client, 'handshake-complete')).toHaveLength(1);
    expect(eventsOf(server, 'handshake-complete')).toHaveLength(1);
    // Open the flight with the server handshake traffic secret from the keylog.
    const line = eventsOf(server, 'keylog')
      .map((event) => event.line)
      .find((text) => text.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET'))!;
    const reader = new RecordReader();
    reader.setProtection(createTls13Protection(node, suite, fromHex(line.trim().split(' ')[2]!)));
    reader.push(flight!);
    const opened = reader.read();
    if (opened?.kind !== 'record') throw new Error('flight does not open');
    const length = (opened.fragment[1]! << 16) | (opened.fragment[2]! << 8) | opened.fragment[3]!;
    const encrypted = decodeEncryptedExtensions(opened.fragment.subarray(0, 4 + length));
    expect(encrypted.extensions[0]).toEqual({ kind: 'supported_groups', namedGroupList: groups });
  });

  it('after a HelloRetryRequest the client repeats its suites and refuses a ServerHello that changes the suite', () => {
    const client = side(
      createClientConnection({
        ...tls13Only,
        middleboxCompatibility: false,
        cipherSuites: [0x1301, 0x1302],
        groups: [NamedGroup.X25519, NamedGroup.Secp256r1],
      }),
    );
    const server = side(
      createServerConnection({
        provider: node,
        certificates: [credential('ecdsa-p256').certified],
        cipherSuites: [0x1302, 0x1301],
        groups: [NamedGroup.Secp256r1],
      }),
    );
    transfer(client, server);
    transfer(server, client);
    const second = client.connection.takeOutput()!;
    expect(decodeClientHello(second.subarray(5)).cipherSuites).toEqual([0x1301, 0x1302]);
    server.connection.receive(second);
    const answer = server.connection.takeOutput()!;
    // ServerHello: record header 5, handshake header 4, version 2, random 32, empty session id 1.
    expect([answer[44], answer[45]]).toEqual([0x13, 0x02]);
    const altered = answer.slice();
    altered[45] = 0x01;
    client.connection.receive(altered);
    expect(client.connection.error).toMatchObject({ code: 'ERR_SSL_ILLEGAL_PARAMETER', alert: 47 });
  });
});
