// TLS 1.3 resumption in memory (RFC 8446 §2.2, §4.2.11, §4.6.1): tickets issued by our server,
// sessions offered by our client, psk_dhe_ke and psk_ke, and every way a PSK must be refused.
import { randomBytes } from 'node:crypto';
import { type CryptoProvider, NamedGroup } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type ConnectionConfig, createClientConnection, createServerConnection } from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import { credential } from './helpers/credentials';
import { eventsOf, settle, side, transfer } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const ticketKeys = randomBytes(48);

function connect(
  client: Partial<ConnectionConfig> = {},
  server: Partial<ConnectionConfig> = {},
  tickets = true,
) {
  const c = side(createClientConnection({ provider, serverName: 'localhost', ...client }));
  const base = { provider, certificates: [credential('ecdsa-p256').certified] };
  const s = side(
    createServerConnection(tickets ? { ...base, ticketKeys, ...server } : { ...base, ...server }),
  );
  settle(c, s);
  return { client: c, server: s };
}

/** A provider whose clock is `offset` milliseconds ahead. */
function later(offset: number): CryptoProvider {
  return Object.assign(Object.create(provider) as CryptoProvider, { now: () => provider.now() + offset });
}

describe('TLS 1.3 resumption', () => {
  it('issues two tickets and resumes with psk_dhe_ke, without certificates', () => {
    const first = connect();
    const tickets = eventsOf(first.client, 'session-ticket');
    expect(tickets).toHaveLength(2);
    expect(tickets[0]?.lifetime).toBe(300);
    const second = connect({ session: tickets[0]!.session });
    const client = eventsOf(second.client, 'handshake-complete')[0]?.info;
    const server = eventsOf(second.server, 'handshake-complete')[0]?.info;
    expect(client).toMatchObject({
      resumed: true,
      group: NamedGroup.X25519,
      localSignatureScheme: undefined,
    });
    expect(server).toMatchObject({ resumed: true, localCertificates: [] });
    // The chain from the full handshake is still reported after resumption.
    expect(client?.peerCertificates).toEqual(
      eventsOf(first.client, 'handshake-complete')[0]?.info.peerCertificates,
    );
    second.client.connection.write(Uint8Array.of(1, 2));
    transfer(second.client, second.server);
    expect(eventsOf(second.server, 'application-data').map((e) => Array.from(e.data))).toEqual([[1, 2]]);
    // A resumed connection gets a fresh ticket too: one, as OpenSSL sends after a resumption
    // (`openssl s_client -sess_in` against `s_server` sees one NewSessionTicket, two after a full
    // handshake).
    expect(eventsOf(second.client, 'session-ticket')).toHaveLength(1);
    // resumptionTicketCount says otherwise (the context sets 0, as node:tls).
    const more = connect({ session: tickets[1]!.session }, { resumptionTicketCount: 2 });
    expect(eventsOf(more.client, 'session-ticket')).toHaveLength(2);
    // ticketCount 0 still means none.
    const none = connect({ session: tickets[1]!.session }, { ticketCount: 0 });
    expect(eventsOf(none.client, 'handshake-complete')[0]?.info.resumed).toBe(true);
    expect(eventsOf(none.client, 'session-ticket')).toHaveLength(0);
  });

  it('resumes with psk_ke when that is the only mode offered', () => {
    const first = connect();
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    const second = connect({ session, pskKeyExchangeModes: [0] });
    expect(eventsOf(second.client, 'handshake-complete')[0]?.info).toMatchObject({
      resumed: true,
      group: undefined,
    });
    expect(eventsOf(second.server, 'handshake-complete')[0]?.info).toMatchObject({
      resumed: true,
      group: undefined,
    });
  });

  it('answers a psk_ke-only client with a full handshake when pskWithoutKeyExchange is false', () => {
    const first = connect();
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    const second = connect({ session, pskKeyExchangeModes: [0] }, { pskWithoutKeyExchange: false });
    expect(eventsOf(second.server, 'handshake-complete')[0]?.info).toMatchObject({
      resumed: false,
      group: NamedGroup.X25519,
    });
    // psk_dhe_ke still resumes.
    const third = connect({ session }, { pskWithoutKeyExchange: false });
    expect(eventsOf(third.server, 'handshake-complete')[0]?.info.resumed).toBe(true);
  });

  it('resumes across a HelloRetryRequest, recomputing the binder', () => {
    const first = connect();
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    const second = connect(
      { session, groups: [NamedGroup.X25519, NamedGroup.Secp256r1] },
      { groups: [NamedGroup.Secp256r1] },
    );
    expect(eventsOf(second.client, 'handshake-complete')[0]?.info).toMatchObject({
      resumed: true,
      helloRetry: true,
    });
  });

  it('falls back to a full handshake for a ticket sealed under another key', () => {
    const first = connect({}, { ticketKeys: randomBytes(48) });
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    const second = connect({ session });
    expect(eventsOf(second.client, 'handshake-complete')[0]?.info.resumed).toBe(false);
    expect(eventsOf(second.server, 'handshake-complete')[0]?.info.resumed).toBe(false);
  });

  it('does not offer an expired session or one for another server name', () => {
    const first = connect({}, { ticketLifetime: 10 });
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    expect(
      eventsOf(connect({ session, provider: later(11_000) }).client, 'handshake-complete')[0]?.info.resumed,
    ).toBe(false);
    expect(
      eventsOf(connect({ session, serverName: 'other.test' }).client, 'handshake-complete')[0]?.info.resumed,
    ).toBe(false);
    expect(
      eventsOf(connect({ session, provider: later(9_000) }).client, 'handshake-complete')[0]?.info.resumed,
    ).toBe(true);
  });

  it('refuses a ticket the server sees as expired', () => {
    const first = connect({}, { ticketLifetime: 10 });
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    const second = connect({ session }, { provider: later(11_000) });
    expect(eventsOf(second.server, 'handshake-complete')[0]?.info.resumed).toBe(false);
  });

  it('aborts with decrypt_error when the binder does not verify (RFC 8446 §4.2.11)', () => {
    const first = connect();
    const session = eventsOf(first.client, 'session-ticket')[0]!.session;
    const c = side(createClientConnection({ provider, serverName: 'localhost', session }));
    const s = side(
      createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified], ticketKeys }),
    );
    transfer(c, s, (bytes) => {
      const altered = Uint8Array.from(bytes);
      altered[altered.length - 1]! ^= 1; // the last byte of the ClientHello is in the binder
      return altered;
    });
    const error = s.events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && [error.error.code, error.error.alert]).toEqual([
      'ERR_SSL_BINDER_DOES_NOT_VERIFY',
      51,
    ]);
  });

  it('issues no tickets without ticket keys, and ignores a garbage session', () => {
    const { client } = connect({ session: Uint8Array.of(1, 2, 3) }, {}, false);
    expect(eventsOf(client, 'session-ticket')).toEqual([]);
    expect(eventsOf(client, 'handshake-complete')[0]?.info.resumed).toBe(false);
  });
});
