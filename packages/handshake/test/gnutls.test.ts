// GnuTLS as a second, independent real peer (issue 5), TLS 1.3 and TLS 1.2, each AES-GCM and
// ChaCha20-Poly1305 suite (TLS 1.2 with ECDHE over ECDSA and RSA certificates and with DHE), data
// both ways: `gnutls-cli` against our server on 127.0.0.1, and our client against `gnutls-serv`,
// which runs in its own network namespace and is reached through a Unix socket (see
// helpers/gnutls-serv-netns.mjs). A missing gnutls-bin fails the tests instead of skipping them.
import { getDiffieHellman } from 'node:crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type ConnectionConfig, createClientConnection, createServerConnection } from '@tls/handshake';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KeyKind, credential } from './helpers/credentials';
import { gnutlsClient, gnutlsServer, requireGnutls } from './helpers/gnutls';
import { listenOnce, pump } from './helpers/openssl';

const provider = createNodeCryptoProvider();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** RFC 3526 group 14 (2048 bits) for the DHE suites. */
const dhParams = {
  prime: new Uint8Array(getDiffieHellman('modp14').getPrime()),
  generator: Uint8Array.of(2),
};

/** gnutls-cli connects to our server, trusting `kind`'s self-signed certificate. */
async function gnutlsAgainstOurs(priority: string, kind: KeyKind, config: Partial<ConnectionConfig> = {}) {
  const cred = credential(kind);
  const listener = await listenOnce();
  cleanups.push(() => listener.close());
  const client = gnutlsClient(listener.port, priority, [
    '--x509cafile',
    cred.certFile,
    '--verify-hostname',
    'localhost',
  ]);
  cleanups.push(() => client.stop());
  const socket = await listener.accepted;
  cleanups.push(() => socket.destroy());
  const server = createServerConnection({ provider, certificates: [cred.certified], ...config });
  return { client, server, io: pump(server, socket) };
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
  const suites: Array<[string, number]> = [
    ['AES-128-GCM', 0x1301],
    ['AES-256-GCM', 0x1302],
    ['CHACHA20-POLY1305', 0x1303],
  ];
  for (const [cipher, id] of suites) {
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
  const suites: Array<[string, string, KeyKind, number]> = [
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
  for (const [kx, cipher, kind, id] of suites) {
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
  const suites: Array<[string, number]> = [
    ['AES-128-GCM', 0x1301],
    ['AES-256-GCM', 0x1302],
    ['CHACHA20-POLY1305', 0x1303],
  ];
  for (const [cipher, id] of suites) {
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
  const suites: Array<[string, string, KeyKind, number]> = [
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
  for (const [kx, cipher, kind, id] of suites) {
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
