// Our TLS 1.2 engine against Node's own tls (OpenSSL) on 127.0.0.1: the values Node exposes
// must match ours byte for byte: getFinished/getPeerFinished (tls-unique), exportKeyingMaterial,
// getCipher, isSessionReused with a session Node issued.
import { once } from 'node:events';
import tls from 'node:tls';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createClientConnection, createServerConnection } from '@tls/handshake';
import { cleanupAfterEach, connectTo, listenOnLoopback, listenOnce } from '@tls/test-kit';
import { describe, expect, it } from 'vitest';
import { credential } from './helpers/credentials';
import { pump } from './helpers/peers';

const provider = createNodeCryptoProvider();
const cleanups = cleanupAfterEach();

/** Node types the context as required; at run time it is optional and absent differs from empty. */
const noContext = undefined as unknown as Buffer;
const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array(0)).toString('hex');

async function nativeServer(options: tls.TlsOptions) {
  const sockets: tls.TLSSocket[] = [];
  const server = tls.createServer({ maxVersion: 'TLSv1.2', ...options }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.on('data', (data) => socket.write(data));
  });
  const port = await listenOnLoopback(server, cleanups);
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
  });
  return { port, sockets };
}

describe("our TLS 1.2 client against Node's tls server", () => {
  it('holds the same Finished values, exporter output and suite as Node', async () => {
    const cred = credential('rsa');
    const { port, sockets } = await nativeServer({ key: cred.keyPem, cert: cred.certPem });
    const client = createClientConnection({ provider, serverName: 'localhost' });
    const io = pump(client, await connectTo(port));
    cleanups.push(() => io.socket.destroy());
    const { info } = await io.waitFor('handshake-complete');
    client.write(new TextEncoder().encode('echo'));
    io.flush();
    await io.waitFor('application-data');
    const peer = sockets[0]!;
    expect(peer.getProtocol()).toBe('TLSv1.2');
    expect(peer.getCipher().name).toBe(info.cipherSuite.opensslName);
    expect(hex(peer.getFinished())).toBe(hex(info.serverFinished));
    expect(hex(peer.getPeerFinished())).toBe(hex(info.clientFinished));
    expect(hex(peer.exportKeyingMaterial(32, 'EXPORTER-node', Buffer.from('ctx')))).toBe(
      hex(client.exportKeyingMaterial(32, 'EXPORTER-node', new TextEncoder().encode('ctx'))),
    );
  });

  it("resumes with the ticket Node's server issues", async () => {
    const cred = credential('ecdsa-p256');
    const { port } = await nativeServer({ key: cred.keyPem, cert: cred.certPem });
    const first = pump(createClientConnection({ provider }), await connectTo(port));
    cleanups.push(() => first.socket.destroy());
    const session = await first.waitFor('session-ticket');
    const second = pump(
      createClientConnection({ provider, session: session.session }),
      await connectTo(port),
    );
    cleanups.push(() => second.socket.destroy());
    expect((await second.waitFor('handshake-complete')).info.resumed).toBe(true);
  });
});

describe("Node's tls client against our TLS 1.2 server", () => {
  it('agrees on Finished values, exporters, and resumes with our ticket (isSessionReused)', async () => {
    const cred = credential('ecdsa-p256');
    const ticketKeys = new Uint8Array(48).fill(3);
    const connectNative = async (session?: Buffer) => {
      const listener = await listenOnce();
      cleanups.push(() => listener.close());
      const socket = tls.connect({
        port: listener.port,
        host: '127.0.0.1',
        servername: 'localhost',
        rejectUnauthorized: false,
        maxVersion: 'TLSv1.2',
        ...(session === undefined ? {} : { session }),
      });
      socket.on('error', () => {});
      cleanups.push(() => socket.destroy());
      const sessions: Buffer[] = [];
      socket.on('session', (bytes: Buffer) => sessions.push(bytes));
      const server = createServerConnection({ provider, certificates: [cred.certified], ticketKeys });
      const io = pump(server, await listener.accepted);
      await once(socket, 'secureConnect');
      const { info } = await io.waitFor('handshake-complete');
      return { socket, server, info, sessions };
    };
    const first = await connectNative();
    expect(first.socket.getProtocol()).toBe('TLSv1.2');
    expect(hex(first.socket.getFinished())).toBe(hex(first.info.clientFinished));
    expect(hex(first.socket.getPeerFinished())).toBe(hex(first.info.serverFinished));
    expect(hex(first.socket.exportKeyingMaterial(20, 'EXPORTER-x', noContext))).toBe(
      hex(first.server.exportKeyingMaterial(20, 'EXPORTER-x')),
    );
    expect(first.socket.isSessionReused()).toBe(false);
    const session = first.sessions[0] ?? first.socket.getSession();
    expect(session).toBeDefined();
    const second = await connectNative(session);
    expect(second.socket.isSessionReused()).toBe(true);
    expect(second.info.resumed).toBe(true);
  });
});
