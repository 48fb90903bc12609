// GnuTLS as a second, independent real peer (issue 5), TLS 1.3 and TLS 1.2, each AES-GCM and
// ChaCha20-Poly1305 suite (TLS 1.2 with ECDHE over ECDSA and RSA certificates and with DHE), data
// both ways: `gnutls-cli` against our server on 127.0.0.1, and our client against `gnutls-serv`,
// which runs in its own network namespace and is reached through a Unix socket (see
// gnutls-serv-netns.mjs in @tls/test-kit). Then resumption both ways and a KeyUpdate from gnutls-cli.
// A missing gnutls-bin fails the tests instead of skipping them.
import { getDiffieHellman, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type ConnectionConfig, createClientConnection, createServerConnection } from '@tls/handshake';
import { cleanupAfterEach, gnutlsClient, gnutlsServer, listenOnLoopback, requireGnutls } from '@tls/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type KeyKind, credential } from './helpers/credentials';
import { peerClientAgainstOurs, pump } from './helpers/peers';

const provider = createNodeCryptoProvider();
const cleanups = cleanupAfterEach();

/** RFC 3526 group 14 (2048 bits) for the DHE suites. */
const dhParams = {
  prime: new Uint8Array(getDiffieHellman('modp14').getPrime()),
  generator: Uint8Array.of(2),
};

/** The TLS 1.3 suites both directions run: GnuTLS's cipher name, suite id. */
const tls13Suites: Array<[string, number]> = [
  ['AES-128-GCM', 0x1301],
  ['AES-256-GCM', 0x1302],
  ['CHACHA20-POLY1305', 0x1303],
];

/** The TLS 1.2 suites both directions run: key exchange, cipher, certificate kind, suite id. */
const tls12Suites: Array<[string, string, KeyKind, number]> = [
  ['ECDHE-ECDSA', 'AES-128-GCM', 'ecdsa-p256', 0xc02b],
  ['ECDHE-ECDSA', 'AES-256-GCM', 'ecdsa-p256', 0xc02c],
  ['ECDHE-ECDSA', 'CHACHA20-POLY1305', 'ecdsa-p256', 0xcca9],
  ['ECDHE-RSA', 'AES-128-GCM', 'rsa', 0xc02f],
  ['ECDHE-RSA', 'AES-256-GCM', 'rsa', 0xc030],
  ['ECDHE-RSA', 'CHACHA20-POLY1305', 'rsa', 0xcca8],
  ['DHE-RSA', 'AES-128-GCM', 'rsa', 0x009e],
  ['DHE-RSA', 'AES-256-GCM', 'rsa', 0x009f],
  ['DHE-RSA', 'CHACHA20-POLY1305', 'rsa', 0xccaa],
];

/** gnutls-cli connects to our server, trusting `kind`'s self-signed certificate. */
async function gnutlsAgainstOurs(
  priority: string,
  kind: KeyKind,
  config: Partial<ConnectionConfig> = {},
  extraArgs: string[] = [],
) {
  const cred = credential(kind);
  return peerClientAgainstOurs(
    (port) =>
      gnutlsClient(port, priority, [
        '--x509cafile',
        cred.certFile,
        '--verify-hostname',
        'localhost',
        ...extraArgs,
      ]),
    () => createServerConnection({ provider, certificates: [cred.certified], ...config }),
    cleanups,
  );
}

/** Data both ways: a line from gnutls-cli's stdin to us, our answer printed by gnutls-cli. */
async function exchange(
  client: ReturnType<typeof gnutlsClient>,
  server: ReturnType<typeof createServerConnection>,
  io: ReturnType<typeof pump>,
  label: string,
) {
  client.process.stdin.write(`ping ${label}\n`);
  const data = await io.waitFor('application-data');
  expect(new TextDecoder().decode(data.data)).toBe(`ping ${label}\n`);
  server.write(new TextEncoder().encode(`pong ${label}\n`));
  io.flush();
  await client.waitFor(new RegExp(`pong ${label.replace(/[()+]/g, '\\$&')}`));
}

beforeAll(() => requireGnutls('gnutls-cli'));

describe('gnutls-cli against our server, TLS 1.3', () => {
  for (const [cipher, id] of tls13Suites) {
    for (const kind of ['ecdsa-p256', 'rsa'] as const) {
      it(`completes ${cipher} with a ${kind} certificate and exchanges data`, async () => {
        const { client, server, io } = await gnutlsAgainstOurs(
          `NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+${cipher}`,
          kind,
        );
        const done = await io.waitFor('handshake-complete');
        expect(done.info.version).toBe(0x0304);
        expect(done.info.cipherSuite.id).toBe(id);
        await client.waitFor(new RegExp(`\\(TLS1\\.3[^\\n]*\\(${cipher}\\)`));
        await exchange(client, server, io, cipher);
      });
    }
  }
});

describe('gnutls-cli against our server, TLS 1.2', () => {
  for (const [kx, cipher, kind, id] of tls12Suites) {
    it(`completes ${kx} with ${cipher} and exchanges data`, async () => {
      const { client, server, io } = await gnutlsAgainstOurs(
        `NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+${cipher}:-KX-ALL:+${kx}`,
        kind,
        kx === 'DHE-RSA' ? { dhParams } : {},
      );
      const done = await io.waitFor('handshake-complete');
      expect(done.info.version).toBe(0x0303);
      expect(done.info.cipherSuite.id).toBe(id);
      // gnutls-cli's summary: (TLS1.2-X.509)-(ECDHE-SECP256R1)-(ECDSA-SECP256R1-SHA256)-(AES-128-GCM)
      const [exchangeName, signature] = kx.split('-') as [string, string];
      await client.waitFor(
        new RegExp(
          `\\(TLS1\\.2-X\\.509\\)-\\(${exchangeName}-[^)]*\\)-\\(${signature}-[^)]*\\)-\\(${cipher}\\)`,
        ),
      );
      await exchange(client, server, io, `${kx} ${cipher}`);
    });
  }
});

/** Our client against gnutls-serv (in its own network namespace), echoing what we send. */
async function ourClientAgainstGnutls(
  serverArgs: string[],
  kind: KeyKind,
  config: Partial<ConnectionConfig>,
) {
  const cred = credential(kind);
  const server = await gnutlsServer([
    '--x509keyfile',
    cred.keyFile,
    '--x509certfile',
    cred.certFile,
    ...serverArgs,
  ]);
  cleanups.push(() => server.stop());
  const socket = await server.connect();
  cleanups.push(() => socket.destroy());
  const client = createClientConnection({ provider, serverName: 'localhost', ...config });
  return { server, client, io: pump(client, socket) };
}

/** A line from us, echoed back by gnutls-serv --echo. */
async function echo(
  client: ReturnType<typeof createClientConnection>,
  io: ReturnType<typeof pump>,
  label: string,
) {
  client.write(new TextEncoder().encode(`echo ${label}\n`));
  io.flush();
  const data = await io.waitFor('application-data');
  expect(new TextDecoder().decode(data.data)).toBe(`echo ${label}\n`);
}

describe('our client against gnutls-serv, TLS 1.3', () => {
  for (const [cipher, id] of tls13Suites) {
    for (const kind of ['ecdsa-p256', 'rsa'] as const) {
      it(`completes ${cipher} with a ${kind} server certificate and exchanges data`, async () => {
        const { client, io } = await ourClientAgainstGnutls(
          ['--priority', `NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+${cipher}`],
          kind,
          {},
        );
        const done = await io.waitFor('handshake-complete');
        expect(done.info.version).toBe(0x0304);
        expect(done.info.cipherSuite.id).toBe(id);
        await echo(client, io, cipher);
      });
    }
  }
});

describe('our client against gnutls-serv, TLS 1.2', () => {
  for (const [kx, cipher, kind, id] of tls12Suites) {
    it(`completes ${kx} with ${cipher} and exchanges data`, async () => {
      const { client, io } = await ourClientAgainstGnutls(
        ['--priority', `NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+${cipher}:-KX-ALL:+${kx}`],
        kind,
        { maxVersion: 0x0303 },
      );
      const done = await io.waitFor('handshake-complete');
      expect(done.info.version).toBe(0x0303);
      expect(done.info.cipherSuite.id).toBe(id);
      await echo(client, io, `${kx} ${cipher}`);
    });
  }
});

describe('our client against a gnutls-serv without secure renegotiation (%DISABLE_SAFE_RENEGOTIATION)', () => {
  const legacyServer = ['--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION'];

  it('refuses it by default with ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED (RFC 5746 §4.1)', async () => {
    const { io } = await ourClientAgainstGnutls(legacyServer, 'ecdsa-p256', { maxVersion: 0x0303 });
    const failed = await io.waitFor('error');
    expect(failed.error.code).toBe('ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED');
  });

  it('connects with legacyServerConnect, and never renegotiates there (RFC 5746 §4.2)', async () => {
    const { client, io } = await ourClientAgainstGnutls(legacyServer, 'ecdsa-p256', {
      maxVersion: 0x0303,
      legacyServerConnect: true,
    });
    const done = await io.waitFor('handshake-complete');
    expect(done.info.secureRenegotiation).toBe(false);
    await echo(client, io, 'legacy');
    expect(() => client.renegotiate()).toThrow(expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }));
  });
});

describe('gnutls-cli without secure renegotiation against our server (%DISABLE_SAFE_RENEGOTIATION)', () => {
  it('completes the handshake and refuses the renegotiation with a warning no_renegotiation (RFC 5746 §4.4)', async () => {
    const { client, server, io } = await gnutlsAgainstOurs(
      'NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION',
      'ecdsa-p256',
      {},
      ['--rehandshake'],
    );
    const done = await io.waitFor('handshake-complete');
    expect(done.info.secureRenegotiation).toBe(false);
    // GnuTLS retries after each warning, then gives up; the connection was never at risk.
    await client.waitFor(/\*\*\* ReHandshake has failed/);
    expect(client.output()).toMatch(/Non fatal error: A TLS warning alert has been received/);
    // Then it ends the connection with internal_error: the only error, and no renegotiation ran.
    const ended = await io.waitFor('error');
    expect([ended.error.code, ended.receivedAlert?.description]).toEqual([
      'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR',
      80,
    ]);
    expect(
      io.events.filter((event) => event.type === 'renegotiation' || event.type === 'renegotiated'),
    ).toEqual([]);
    expect(() => server.renegotiate()).toThrow(expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }));
  });
});

/** Our server on 127.0.0.1 for every connection that comes (a new engine each). */
async function ourServers(config: ConnectionConfig) {
  const connections: Array<ReturnType<typeof pump>> = [];
  let arrived = () => {};
  const listener = createServer((socket) => {
    cleanups.push(() => socket.destroy());
    connections.push(pump(createServerConnection(config), socket));
    arrived();
  });
  const port = await listenOnLoopback(listener, cleanups);
  return {
    port,
    /** The `index`th connection's pump, once it has connected (bounded wait). */
    connection(index: number): Promise<ReturnType<typeof pump>> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`connection ${index} never came`)), 8000);
        arrived = () => {
          const io = connections[index];
          if (io !== undefined) {
            clearTimeout(timer);
            resolve(io);
          }
        };
        arrived();
      });
    },
  };
}

describe('GnuTLS resumption and KeyUpdate', () => {
  for (const [version, priority] of [
    ['TLS 1.3', 'NORMAL:-VERS-ALL:+VERS-TLS1.3'],
    ['TLS 1.2', 'NORMAL:-VERS-ALL:+VERS-TLS1.2'],
  ] as const) {
    it(`gnutls-cli --resume resumes with our ${version} ticket`, async () => {
      const cred = credential('ecdsa-p256');
      const servers = await ourServers({
        provider,
        certificates: [cred.certified],
        ticketKeys: randomBytes(48),
      });
      const client = gnutlsClient(servers.port, priority, [
        '--x509cafile',
        cred.certFile,
        '--verify-hostname',
        'localhost',
        '--resume',
        '--waitresumption',
      ]);
      cleanups.push(() => client.stop());
      const first = await servers.connection(0);
      expect((await first.waitFor('handshake-complete')).info.resumed).toBe(false);
      const second = await servers.connection(1);
      const done = await second.waitFor('handshake-complete');
      expect(done.info).toMatchObject({ resumed: true, version: version === 'TLS 1.3' ? 0x0304 : 0x0303 });
      await client.waitFor(/This is a resumed session/);
    });
  }

  it('our client resumes with a ticket from gnutls-serv (TLS 1.3)', async () => {
    const cred = credential('ecdsa-p256');
    const server = await gnutlsServer([
      '--x509keyfile',
      cred.keyFile,
      '--x509certfile',
      cred.certFile,
      '--priority',
      'NORMAL:-VERS-ALL:+VERS-TLS1.3',
    ]);
    cleanups.push(() => server.stop());
    const first = pump(createClientConnection({ provider, serverName: 'localhost' }), await server.connect());
    cleanups.push(() => first.socket.destroy());
    expect((await first.waitFor('handshake-complete')).info.resumed).toBe(false);
    const ticket = await first.waitFor('session-ticket');
    first.socket.destroy();
    const client = createClientConnection({ provider, serverName: 'localhost', session: ticket.session });
    const second = pump(client, await server.connect());
    cleanups.push(() => second.socket.destroy());
    expect((await second.waitFor('handshake-complete')).info.resumed).toBe(true);
    await echo(client, second, 'resumed');
  });

  it('answers a KeyUpdate from gnutls-cli that requests ours (^rekey^)', async () => {
    const { client, server, io } = await gnutlsAgainstOurs(
      'NORMAL:-VERS-ALL:+VERS-TLS1.3',
      'ecdsa-p256',
      {},
      ['--inline-commands'],
    );
    await io.waitFor('handshake-complete');
    client.process.stdin.write('^rekey^\n');
    await io.waitFor('key-update');
    client.process.stdin.write('after the update\n');
    const data = await io.waitFor('application-data');
    expect(new TextDecoder().decode(data.data)).toBe('after the update\n');
    expect(
      io.events.filter((e) => e.type === 'key-update').map((e) => e.type === 'key-update' && e.direction),
    ).toEqual(['read', 'write']);
    server.write(new TextEncoder().encode('reply under new keys\n'));
    io.flush();
    await client.waitFor(/reply under new keys/);
  });
});
