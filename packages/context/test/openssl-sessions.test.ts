// Session options seen by `openssl s_client` across two connections to a server configured by a
// context, on 127.0.0.1: the tickets it is given (count, lifetime hint) and whether `-sess_in`
// resumes. SSL_OP_NO_TICKET, ticketKeys (and its setter, Node's setTicketKeys), sessionTimeout
// and sessionIdContext, each in TLS 1.3 and TLS 1.2; lifetime hints side by side with node:tls;
// SSL_OP_ALLOW_NO_DHE_KEX (psk_ke) against s_server with and without -allow_no_dhe_kex.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { type CryptoProvider, NamedGroup } from '@tls/crypto';
import { PskKeyExchangeMode, createClientConnection, createServerConnection } from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import { type SecureContext, SecureOptions, createSecureContext } from '../src/index.js';
import { fixtureFile, pki, pkiFiles, provider } from './helpers/fixtures';
import {
  connectEngine,
  engineServer,
  errorCode,
  opensslServer,
  runOpenssl,
  sClientAgainstOurs,
  withServer,
} from './helpers/openssl';

const { leaf, intermediate } = pki();
const identity = { key: leaf.keyPem, cert: leaf.certPem + intermediate.certPem };
const versions = ['-tls1_3', '-tls1_2'] as const;

/** A provider whose clock runs `offset` ms ahead of the real one. */
function clock(): { provider: CryptoProvider; offset: number } {
  const state = { offset: 0, provider: undefined as unknown as CryptoProvider };
  state.provider = Object.assign(Object.create(provider) as CryptoProvider, {
    now: () => provider.now() + state.offset,
  });
  return state;
}

/** What one `s_client` run saw: how it ended, its tickets and their lifetime hints. */
interface Seen {
  readonly session: 'New' | 'Reused' | 'failed';
  readonly tickets: number;
  readonly lifetimes: readonly number[];
}

function seen(output: string, version: (typeof versions)[number]): Seen {
  const session = /^(New|Reused), TLSv1\.[23]/m.exec(output)?.[1] as 'New' | 'Reused' | undefined;
  // TLS 1.3 prints each NewSessionTicket as it arrives; TLS 1.2 prints the session's ticket once.
  const tickets =
    version === '-tls1_3'
      ? output.split('Post-Handshake New Session Ticket arrived:').length - 1
      : output.split('TLS session ticket:').length - 1;
  const lifetimes = [...output.matchAll(/TLS session ticket lifetime hint: (\d+) \(seconds\)/g)].map((m) =>
    Number(m[1]),
  );
  return {
    session: session ?? 'failed',
    tickets,
    lifetimes: version === '-tls1_3' ? lifetimes : lifetimes.slice(0, 1),
  };
}

let sessionFiles = 0;

/**
 * Two `s_client` connections: the first (`-ign_eof`, so that it reads its TLS 1.3 tickets) saves
 * its session, the second offers it; `contexts[i]` serves connection i. `between` runs in between
 * (to move a clock, replace ticket keys). Also what our server reported for the second.
 */
async function twoConnections(
  contexts: readonly [SecureContext, SecureContext],
  version: (typeof versions)[number],
  between: () => void = () => {},
): Promise<{ first: Seen; second: Seen; resumed: boolean | undefined }> {
  const sessionFile = fixtureFile(`session-${++sessionFiles}.pem`, '');
  let served = 0;
  const base = (port: number) => [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    version,
    '-servername',
    'localhost',
    '-CAfile',
    pkiFiles().root,
    '-verify_return_error',
  ];
  const outputs: string[] = [];
  const { events } = await withServer(
    () => createServerConnection(contexts[Math.min(served++, 1)]!.engineConfig('server')),
    async (port) => {
      outputs.push(await runOpenssl([...base(port), '-ign_eof', '-sess_out', sessionFile]));
      between();
      outputs.push(await runOpenssl([...base(port), '-sess_in', sessionFile]));
      return '';
    },
  );
  const done = events.find((event) => event.type === 'handshake-complete');
  return {
    first: seen(outputs[0]!, version),
    second: seen(outputs[1]!, version),
    resumed: done?.type === 'handshake-complete' ? done.info.resumed : undefined,
  };
}

describe.each(versions)('sessions and tickets, s_client %s', (version) => {
  const ticketsPerHandshake = version === '-tls1_3' ? 2 : 1;

  it('resumes with a ticket of the same context', async () => {
    const context = createSecureContext(identity);
    const { first, second, resumed } = await twoConnections([context, context], version);
    expect(first).toMatchObject({ session: 'New', tickets: ticketsPerHandshake });
    expect(second.session).toBe('Reused');
    expect(resumed).toBe(true);
  });

  it('sends no ticket with SSL_OP_NO_TICKET, and does not take one sealed under its own ticketKeys', async () => {
    const ticketKeys = provider.random(48);
    const withTickets = createSecureContext({ ...identity, ticketKeys });
    const noTicket = createSecureContext({
      ...identity,
      ticketKeys,
      secureOptions: SecureOptions.SSL_OP_NO_TICKET,
    });
    const none = await twoConnections([noTicket, noTicket], version);
    expect(none.first).toMatchObject({ session: 'New', tickets: 0 });
    expect(none.resumed).toBe(false);
    const offered = await twoConnections([withTickets, noTicket], version);
    expect(offered.first.tickets).toBe(ticketsPerHandshake);
    expect(offered.second).toMatchObject({ session: 'New' });
    expect(offered.resumed).toBe(false);
  });

  it('resumes a ticket sealed by another context with the same ticketKeys, not one with other keys', async () => {
    const ticketKeys = provider.random(48);
    const sealer = createSecureContext({ ...identity, ticketKeys });
    const same = await twoConnections([sealer, createSecureContext({ ...identity, ticketKeys })], version);
    expect([same.second.session, same.resumed]).toEqual(['Reused', true]);
    const other = await twoConnections(
      [sealer, createSecureContext({ ...identity, ticketKeys: provider.random(48) })],
      version,
    );
    expect([other.second.session, other.resumed]).toEqual(['New', false]);
  });

  it('takes new ticketKeys for the next connection (setTicketKeys): old tickets no longer resume', async () => {
    const context = createSecureContext(identity);
    const rotated = await twoConnections([context, context], version, () => {
      context.ticketKeys = provider.random(48);
    });
    expect([rotated.second.session, rotated.resumed]).toEqual(['New', false]);
    const fresh = await twoConnections([context, context], version);
    expect([fresh.second.session, fresh.resumed]).toEqual(['Reused', true]);
  });

  it('resumes a session younger than sessionTimeout and not an older one', async () => {
    const time = clock();
    const context = createSecureContext({ ...identity, sessionTimeout: 60, provider: time.provider });
    const young = await twoConnections([context, context], version, () => {
      time.offset = 59_000;
    });
    expect(young.first.lifetimes).toEqual(Array(ticketsPerHandshake).fill(60));
    expect([young.second.session, young.resumed]).toEqual(['Reused', true]);
    time.offset = 0;
    const old = await twoConnections([context, context], version, () => {
      time.offset = 61_000;
    });
    expect([old.second.session, old.resumed]).toEqual(['New', false]);
  });

  it('resumes only on a server with the same sessionIdContext', async () => {
    const ticketKeys = provider.random(48);
    const make = (sessionIdContext: string) =>
      createSecureContext({ ...identity, ticketKeys, sessionIdContext });
    const same = await twoConnections([make('app'), make('app')], version);
    expect([same.second.session, same.resumed]).toEqual(['Reused', true]);
    const other = await twoConnections([make('app'), make('other-app')], version);
    expect([other.second.session, other.resumed]).toEqual(['New', false]);
  });
});

describe.each(versions)('the ticket lifetime hint s_client %s reads: ours against node:tls', (version) => {
  /** The lifetime hints a native tls.createServer with these options gives s_client. */
  async function native(options: tls.TlsOptions): Promise<readonly number[]> {
    // Node sends its TLS 1.3 tickets with the first application data it writes.
    const server = tls.createServer({ ...identity, ...options }, (socket) => socket.end('bye'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      return seen(
        await runOpenssl(['s_client', '-connect', `127.0.0.1:${port}`, version, '-ign_eof']),
        version,
      ).lifetimes;
    } finally {
      server.close();
    }
  }

  async function ours(options: { sessionTimeout?: number }): Promise<readonly number[]> {
    const context = createSecureContext({ ...identity, ...options });
    const { output } = await sClientAgainstOurs(() => context.engineConfig('server'), [version, '-ign_eof']);
    return seen(output, version).lifetimes;
  }

  for (const [what, options] of [
    ['no sessionTimeout (OpenSSL keeps its default, 7200 s)', {}],
    ['sessionTimeout 0 (the default too)', { sessionTimeout: 0 }],
    ['sessionTimeout 300', { sessionTimeout: 300 }],
    ['sessionTimeout 10', { sessionTimeout: 10 }],
    ['sessionTimeout beyond a week (TLS 1.3 caps its tickets at 604800 s)', { sessionTimeout: 1_000_000 }],
  ] as const) {
    it(`agrees for ${what}`, async () => {
      const expected = await native(options);
      expect(expected.length).toBeGreaterThan(0);
      expect(await ours(options)).toEqual(expected);
    });
  }
});

/** The session of the first ticket our client, configured by `client`, gets from the server at `port`. */
async function firstTicket(
  port: number,
  client: ReturnType<typeof createSecureContext>,
): Promise<Uint8Array> {
  const events = await connectEngine(
    port,
    () => createClientConnection(client.engineConfig('client', { serverName: 'localhost' })),
    { until: (seen) => seen.some((e) => e.type === 'session-ticket') },
  );
  const ticket = events.find((e) => e.type === 'session-ticket');
  if (ticket?.type !== 'session-ticket') throw new Error('no ticket');
  return ticket.session;
}

describe('SSL_OP_ALLOW_NO_DHE_KEX: resumption without a key exchange (psk_ke, TLS 1.3)', () => {
  const files = pkiFiles();
  const pskKeOnly = [PskKeyExchangeMode.PskKe];
  /** Our client gets a ticket from `serve`'s first connection and offers it with psk_ke only. */
  async function resumeWithPskKe(serve: (connections: number) => Promise<{ port: number; stop(): void }>) {
    const client = createSecureContext({ ca: pki().root.certPem });
    const server = await serve(2);
    try {
      const session = await firstTicket(server.port, client);
      const second = await connectEngine(server.port, () =>
        createClientConnection(
          client.engineConfig('client', {
            serverName: 'localhost',
            session,
            pskKeyExchangeModes: pskKeOnly,
          }),
        ),
      );
      const done = second.find((e) => e.type === 'handshake-complete');
      return done?.type === 'handshake-complete'
        ? { resumed: done.info.resumed, group: done.info.group }
        : errorCode(second);
    } finally {
      server.stop();
    }
  }
  const sServer = (extra: string[]) => (connections: number) =>
    opensslServer(
      ['-cert', files.leaf, '-cert_chain', files.intermediate, '-key', files.leafKey, '-tls1_3', ...extra],
      connections,
    );
  const ours = (secureOptions: number) => () => {
    const context = createSecureContext({ ...identity, secureOptions });
    return engineServer(() => createServerConnection(context.engineConfig('server')));
  };

  it('openssl s_server resumes a psk_ke-only client only with -allow_no_dhe_kex', async () => {
    expect(await resumeWithPskKe(sServer([]))).toEqual({ resumed: false, group: NamedGroup.X25519 });
    expect(await resumeWithPskKe(sServer(['-allow_no_dhe_kex']))).toEqual({
      resumed: true,
      group: undefined,
    });
  });

  it('so does a server configured by a context, with SSL_OP_ALLOW_NO_DHE_KEX', async () => {
    expect(await resumeWithPskKe(ours(0))).toEqual({ resumed: false, group: NamedGroup.X25519 });
    expect(await resumeWithPskKe(ours(SecureOptions.SSL_OP_ALLOW_NO_DHE_KEX))).toEqual({
      resumed: true,
      group: undefined,
    });
  });

  it('makes a client offer psk_ke after psk_dhe_ke, as s_client -allow_no_dhe_kex (seen by s_server -trace)', async () => {
    const modesOf = async (secureOptions: number) => {
      const client = createSecureContext({ ca: pki().root.certPem, secureOptions });
      const server = await opensslServer(
        ['-cert', files.leaf, '-cert_chain', files.intermediate, '-key', files.leafKey, '-tls1_3', '-trace'],
        2,
      );
      try {
        const session = await firstTicket(server.port, client);
        const before = server.output().length;
        await connectEngine(server.port, () =>
          createClientConnection(client.engineConfig('client', { serverName: 'localhost', session })),
        );
        const hello = server.output().slice(before);
        return /extension_type=psk_key_exchange_modes\(45\), length=\d+\n((?:\s+psk\w+ \(\d\)\n)+)/
          .exec(hello)?.[1]
          ?.trim()
          .split(/\s*\n\s*/);
      } finally {
        server.stop();
      }
    };
    expect(await modesOf(0)).toEqual(['psk_dhe_ke (1)']);
    expect(await modesOf(SecureOptions.SSL_OP_ALLOW_NO_DHE_KEX)).toEqual(['psk_dhe_ke (1)', 'psk_ke (0)']);
  });
});
