// TLS 1.3 0-RTT in memory (RFC 8446 §2.3, §4.2.10, §4.5, §8): our client sends early data with
// a session whose ticket allows it, our server (with `maxEarlyData`) accepts it when every
// condition holds and reports it as `early-data`; every way it is refused, the client gets the
// data back in `early-data-rejected`; limits, EndOfEarlyData and the replay hook.
import { randomBytes } from 'node:crypto';
import { NamedGroup } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  type AeadSuite,
  type Connection,
  type ConnectionConfig,
  EarlyDataReplayFilter,
  createClientConnection,
  createServerConnection,
  decodeClientHello,
  decodeClientSession,
  encodeFinished,
  getCipherSuite,
} from '@tls/handshake';
import { ContentType, RecordWriter, createTls13Protection } from '@tls/record';
import { describe, expect, it } from 'vitest';
import { credential } from './helpers/credentials';
import { type Side as PairSide, eventsOf, settle, side, text, transfer } from '@tls/test-kit';
import { fromHex } from './helpers/rfc8448';
import { splitRecords } from './helpers/rfc8448-replay';

type Side = PairSide<Connection>;

const provider = createNodeCryptoProvider();
const ticketKeys = randomBytes(48);
const encoder = new TextEncoder();
const request = encoder.encode('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');

function server(config: Partial<ConnectionConfig> = {}, tickets = true): Side {
  const base = { provider, certificates: [credential('ecdsa-p256').certified], maxEarlyData: 1024 };
  return side(createServerConnection(tickets ? { ...base, ticketKeys, ...config } : { ...base, ...config }));
}

function client(config: Partial<ConnectionConfig> = {}): Side {
  return side(createClientConnection({ provider, serverName: 'localhost', ...config }));
}

/** A session from a full handshake with a server configured by `config`. */
function session(serverConfig: Partial<ConnectionConfig> = {}, clientConfig: Partial<ConnectionConfig> = {}) {
  const c = client(clientConfig);
  const s = server(serverConfig);
  settle(c, s);
  const [ticket] = eventsOf(c, 'session-ticket');
  if (ticket === undefined) throw new Error('no ticket');
  return ticket.session;
}

function keylog(from: Side, label: string): string | undefined {
  return eventsOf(from, 'keylog')
    .map((event) => event.line)
    .find((line) => line.startsWith(`${label} `));
}

describe('TLS 1.3 0-RTT', () => {
  it('tickets carry max_early_data_size only when the server allows early data', () => {
    expect(decodeClientSession(session())?.maxEarlyData).toBe(1024);
    expect(decodeClientSession(session({ maxEarlyData: 0 }))?.maxEarlyData).toBe(0);
  });

  it('sends early data after the ClientHello, which the server accepts and reports as early-data', () => {
    const c = client({ session: session(), earlyData: request, keylog: true });
    const s = server({ keylog: true });
    const [hello, ...rest] = splitRecords(c.connection.takeOutput());
    const offered = decodeClientHello(hello!.subarray(5)).extensions.map((extension) => extension.kind);
    expect(offered).toContain('early_data');
    expect(offered.at(-1)).toBe('pre_shared_key');
    // Compatibility mode: change_cipher_spec right after the ClientHello (RFC 8446 §D.4), then 0-RTT.
    expect(rest.map((record) => record[0])).toEqual([
      ContentType.ChangeCipherSpec,
      ContentType.ApplicationData,
    ]);
    s.connection.receive(new Uint8Array(Buffer.concat([hello!, ...rest])));
    for (let event = s.connection.nextEvent(); event !== undefined; event = s.connection.nextEvent())
      s.events.push(event);
    // The early data is the application's before the handshake completes.
    expect(s.events.filter((e) => e.type !== 'keylog').map((e) => e.type)).toEqual(['early-data']);
    expect(eventsOf(s, 'early-data').map((event) => text(event.data))).toEqual([text(request)]);
    settle(c, s);
    expect(eventsOf(c, 'early-data-accepted')).toEqual([
      { type: 'early-data-accepted', length: request.length, unsent: new Uint8Array(0) },
    ]);
    expect(eventsOf(c, 'early-data-rejected')).toEqual([]);
    expect(eventsOf(c, 'handshake-complete')[0]?.info.resumed).toBe(true);
    expect(eventsOf(s, 'handshake-complete')[0]?.info.resumed).toBe(true);
    expect(eventsOf(s, 'application-data')).toEqual([]);
    // Both sides log the same CLIENT_EARLY_TRAFFIC_SECRET.
    expect(keylog(c, 'CLIENT_EARLY_TRAFFIC_SECRET')).toBeDefined();
    expect(keylog(s, 'CLIENT_EARLY_TRAFFIC_SECRET')).toBe(keylog(c, 'CLIENT_EARLY_TRAFFIC_SECRET'));
    // Then 1-RTT data both ways.
    c.connection.write(encoder.encode('after'));
    transfer(c, s);
    expect(eventsOf(s, 'application-data').map((event) => text(event.data))).toEqual(['after']);
    s.connection.write(encoder.encode('reply'));
    transfer(s, c);
    expect(eventsOf(c, 'application-data').map((event) => text(event.data))).toEqual(['reply']);
  });

  it('writeEarlyData adds early data until the server Finished, bounded by max_early_data_size', () => {
    const c = client({ session: session({ maxEarlyData: 10 }), earlyData: encoder.encode('0123456789abc') });
    expect(c.connection.writeEarlyData(encoder.encode('more'))).toBe(0);
    const s = server();
    transfer(c, s);
    expect(eventsOf(s, 'early-data').map((event) => text(event.data))).toEqual(['0123456789']);
    settle(c, s);
    expect(eventsOf(c, 'early-data-accepted')).toEqual([
      { type: 'early-data-accepted', length: 10, unsent: encoder.encode('abc') },
    ]);
    expect(() => c.connection.writeEarlyData(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );

    const d = client({ session: session(), earlyData: new Uint8Array(0), middleboxCompatibility: false });
    expect(d.connection.writeEarlyData(encoder.encode('first '))).toBe(6);
    expect(d.connection.writeEarlyData(encoder.encode('second'))).toBe(6);
    const t = server();
    settle(d, t);
    expect(eventsOf(t, 'early-data').map((event) => text(event.data))).toEqual(['first ', 'second']);
    expect(eventsOf(d, 'early-data-accepted')[0]?.length).toBe(12);
  });

  it('writeEarlyData is refused without a 0-RTT offer and on a server', () => {
    const c = client();
    expect(() => c.connection.writeEarlyData(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
    const s = server();
    expect(() => s.connection.writeEarlyData(Uint8Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });

  it('is refused by a server without maxEarlyData: skipped, and the client gets its data back', () => {
    const c = client({ session: session(), earlyData: request });
    const s = server({ maxEarlyData: 0 });
    settle(c, s);
    expect(eventsOf(c, 'early-data-rejected')).toEqual([
      { type: 'early-data-rejected', reason: 'not-accepted', data: request },
    ]);
    expect(eventsOf(c, 'handshake-complete')[0]?.info.resumed).toBe(true);
    expect(eventsOf(s, 'early-data')).toEqual([]);
    expect(eventsOf(s, 'application-data')).toEqual([]);
    // The application may send it again now.
    c.connection.write(eventsOf(c, 'early-data-rejected')[0]!.data);
    transfer(c, s);
    expect(eventsOf(s, 'application-data').map((event) => text(event.data))).toEqual([text(request)]);
  });

  it('is not offered when the session allows no early data, or its ALPN protocol is not offered again', () => {
    const noEarly = client({ session: session({ maxEarlyData: 0 }), earlyData: request });
    const hello = splitRecords(noEarly.connection.takeOutput())[0]!;
    expect(decodeClientHello(hello.subarray(5)).extensions.map((e) => e.kind)).not.toContain('early_data');
    const [event] = [noEarly.connection.nextEvent()];
    expect(event).toEqual({ type: 'early-data-rejected', reason: 'not-offered', data: request });

    const h2 = session({ alpnProtocols: ['h2'] }, { alpnProtocols: ['h2'] });
    const other = client({ session: h2, earlyData: request, alpnProtocols: ['http/1.1'] });
    const s = server({ alpnProtocols: ['http/1.1', 'h2'] });
    settle(other, s);
    expect(eventsOf(other, 'early-data-rejected')).toMatchObject([{ reason: 'not-offered', data: request }]);
  });

  it('is refused when the server would choose another ALPN protocol than the ticket’s', () => {
    const h2 = session({ alpnProtocols: ['h2'] }, { alpnProtocols: ['h2'] });
    const c = client({ session: h2, earlyData: request, alpnProtocols: ['h2', 'http/1.1'] });
    const s = server({ alpnProtocols: ['http/1.1', 'h2'] });
    settle(c, s);
    expect(eventsOf(c, 'early-data-rejected')).toMatchObject([{ reason: 'not-accepted', data: request }]);
    expect(eventsOf(c, 'handshake-complete')[0]?.info).toMatchObject({
      resumed: true,
      alpnProtocol: 'http/1.1',
    });
    expect(eventsOf(s, 'early-data')).toEqual([]);
    // Same ALPN: accepted.
    const d = client({ session: h2, earlyData: request, alpnProtocols: ['h2'] });
    const t = server({ alpnProtocols: ['h2'] });
    settle(d, t);
    expect(eventsOf(d, 'early-data-accepted')).toHaveLength(1);
    expect(eventsOf(t, 'early-data')).toHaveLength(1);
  });

  it('is refused when the server resumes with another suite of the same hash, and works with psk_ke', () => {
    const chacha = session({ cipherSuites: [0x1303] });
    const c = client({ session: chacha, earlyData: request, cipherSuites: [0x1303, 0x1301] });
    const s = server({ cipherSuites: [0x1301, 0x1303] });
    settle(c, s);
    expect(eventsOf(c, 'early-data-rejected')).toMatchObject([{ reason: 'not-accepted' }]);
    expect(eventsOf(c, 'handshake-complete')[0]?.info).toMatchObject({ resumed: true });
    expect(eventsOf(c, 'handshake-complete')[0]?.info.cipherSuite.id).toBe(0x1301);

    const d = client({ session: session(), earlyData: request, pskKeyExchangeModes: [0] });
    const t = server();
    settle(d, t);
    expect(eventsOf(t, 'early-data').map((event) => text(event.data))).toEqual([text(request)]);
    expect(eventsOf(d, 'handshake-complete')[0]?.info).toMatchObject({ resumed: true, group: undefined });
  });

  it('the client refuses a server that accepts early data under another suite than the session’s', () => {
    const chacha = session({ cipherSuites: [0x1303] });
    const known = decodeClientSession(chacha)!;
    const c = client({ session: chacha, earlyData: request, cipherSuites: [0x1303, 0x1301] });
    // A server that misremembers the ticket's suite (0x1301, the same hash) and accepts.
    const s = server(
      {
        cipherSuites: [0x1301, 0x1303],
        unwrapTicket: () => ({ ...unwrapped(known), cipherSuite: 0x1301, maxEarlyData: 1024 }),
      },
      false,
    );
    settle(c, s);
    // The server opens the 0-RTT record with the other suite's key: bad_record_mac (RFC 8446 §4.2.10).
    expect(s.connection.error).toMatchObject({ alert: 20 });
    // The client stops at EncryptedExtensions.
    expect(c.connection.error).toMatchObject({ code: 'ERR_SSL_ILLEGAL_PARAMETER', alert: 47 });
  });

  it('is refused by a HelloRetryRequest: the second ClientHello has no early_data', () => {
    const c = client({
      session: session(),
      earlyData: request,
      groups: [NamedGroup.X25519, NamedGroup.Secp256r1],
    });
    const s = server({ groups: [NamedGroup.Secp256r1] });
    transfer(c, s);
    transfer(s, c);
    expect(eventsOf(c, 'early-data-rejected')).toEqual([
      { type: 'early-data-rejected', reason: 'hello-retry', data: request },
    ]);
    const records = splitRecords(c.connection.takeOutput());
    const second = records.find((record) => record[0] === ContentType.Handshake)!;
    expect(decodeClientHello(second.subarray(5)).extensions.map((e) => e.kind)).not.toContain('early_data');
    s.connection.receive(new Uint8Array(Buffer.concat(records)));
    settle(c, s);
    expect(eventsOf(c, 'handshake-complete')[0]?.info).toMatchObject({ resumed: true, helloRetry: true });
    expect(eventsOf(s, 'early-data')).toEqual([]);
  });

  it('is refused when the ticket age is off by more than earlyDataAgeTolerance', () => {
    const c = client({ session: session(), earlyData: request });
    const late = Object.assign(Object.create(provider), { now: () => provider.now() + 60_000 });
    const s = server({ provider: late });
    settle(c, s);
    expect(eventsOf(c, 'early-data-rejected')).toMatchObject([{ reason: 'not-accepted' }]);
    expect(eventsOf(c, 'handshake-complete')[0]?.info.resumed).toBe(true);
  });

  it('fails with unexpected_message (ERR_SSL_TOO_MUCH_EARLY_DATA) past max_early_data_size', () => {
    // The client believes its ticket allows 1024 bytes; the server (unwrapping it) says 16.
    const bytes = session();
    const known = decodeClientSession(bytes)!;
    const c = client({ session: bytes, earlyData: new Uint8Array(17) });
    const s = server({ unwrapTicket: () => ({ ...unwrapped(known), maxEarlyData: 16 }) }, false);
    settle(c, s);
    expect(eventsOf(s, 'error')).toMatchObject([
      { error: { code: 'ERR_SSL_TOO_MUCH_EARLY_DATA', alert: 10 } },
    ]);
    expect(eventsOf(c, 'error')).toMatchObject([{ receivedAlert: { description: 10 } }]);
    // Exactly 16 is fine.
    const d = client({ session: bytes, earlyData: new Uint8Array(16) });
    const t = server({ unwrapTicket: () => ({ ...unwrapped(known), maxEarlyData: 16 }) }, false);
    settle(d, t);
    expect(eventsOf(t, 'early-data')[0]?.data.length).toBe(16);
    expect(eventsOf(t, 'handshake-complete')).toHaveLength(1);
  });

  it('requires EndOfEarlyData: a record under the handshake key is bad_record_mac, a Finished under the early key unexpected_message', () => {
    const bytes = session();
    const c = client({ session: bytes, earlyData: request, keylog: true, middleboxCompatibility: false });
    const s = server();
    transfer(c, s);
    transfer(s, c);
    // The client's flight: EndOfEarlyData (early key), Finished (handshake key). Drop the first.
    const [endOfEarlyData, finished] = splitRecords(c.connection.takeOutput());
    expect(endOfEarlyData?.length).toBe(5 + 4 + 1 + 16); // EndOfEarlyData, content type, tag
    s.connection.receive(finished!);
    expect(s.connection.error).toMatchObject({
      code: 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
      alert: 20,
    });

    // A hand-made Finished under the early key, after one early data record.
    const d = client({ session: bytes, earlyData: request, keylog: true, middleboxCompatibility: false });
    const t = server();
    const [hello, early] = splitRecords(d.connection.takeOutput());
    t.connection.receive(new Uint8Array(Buffer.concat([hello!, early!])));
    const secret = eventLine(d);
    const writer = new RecordWriter({ version: 0x0303 });
    const suite = getCipherSuite(decodeClientSession(bytes)!.cipherSuite) as AeadSuite;
    writer.setProtection(createTls13Protection(provider, suite, fromHex(secret.trim().split(' ')[2]!)));
    writer.write(ContentType.ApplicationData, Uint8Array.of(0)); // sequence 0 is the early record sent
    writer.takeOutput();
    writer.write(ContentType.Handshake, encodeFinished({ verifyData: new Uint8Array(48) }));
    t.connection.receive(writer.takeOutputBuffer()!);
    expect(t.connection.error).toMatchObject({ code: 'ERR_SSL_UNEXPECTED_MESSAGE', alert: 10 });
  });

  it('asks acceptEarlyData after every other check, and a refusal means 1-RTT', () => {
    const contexts: unknown[] = [];
    const c = client({ session: session(), earlyData: request });
    const s = server({
      acceptEarlyData: (context) => {
        contexts.push(context);
        return false;
      },
    });
    settle(c, s);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ serverName: 'localhost', alpnProtocol: undefined });
    expect(eventsOf(c, 'early-data-rejected')).toMatchObject([{ reason: 'not-accepted', data: request }]);
    expect(eventsOf(s, 'early-data')).toEqual([]);
    expect(eventsOf(s, 'handshake-complete')[0]?.info.resumed).toBe(true);
  });

  it('EarlyDataReplayFilter accepts a ticket’s early data once: a replayed ClientHello gets 1-RTT', () => {
    const filter = new EarlyDataReplayFilter(provider);
    const accept = (context: Parameters<EarlyDataReplayFilter['accept']>[0]) => filter.accept(context);
    const c = client({ session: session(), earlyData: request, middleboxCompatibility: false });
    const flight = c.connection.takeOutput()!;
    const first = server({ acceptEarlyData: accept });
    first.connection.receive(flight);
    expect(first.connection.nextEvent()).toMatchObject({ type: 'early-data' });
    // An attacker replays the same bytes to another server instance of the same process.
    const replay = server({ acceptEarlyData: accept });
    replay.connection.receive(flight);
    const events = [];
    for (
      let event = replay.connection.nextEvent();
      event !== undefined;
      event = replay.connection.nextEvent()
    )
      events.push(event.type);
    expect(events).not.toContain('early-data');
    expect(replay.connection.error).toBeUndefined();
  });
});

function unwrapped(known: NonNullable<ReturnType<typeof decodeClientSession>>) {
  return {
    cipherSuite: known.cipherSuite,
    psk: known.psk,
    issuedAt: known.receivedAt,
    lifetime: known.lifetime,
    ageAdd: known.ageAdd,
  };
}

function eventLine(from: Side): string {
  for (let event = from.connection.nextEvent(); event !== undefined; event = from.connection.nextEvent()) {
    if (event.type === 'keylog' && event.line.startsWith('CLIENT_EARLY_TRAFFIC_SECRET ')) return event.line;
  }
  throw new Error('no CLIENT_EARLY_TRAFFIC_SECRET');
}
