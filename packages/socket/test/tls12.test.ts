// TLS 1.2 through @tls/socket: negotiation by minVersion/maxVersion, renegotiation with
// renegotiate(), the client-initiated renegotiation limit (ERR_TLS_SESSION_ATTACK, with
// CLIENT_RENEG_LIMIT read when used) and disableRenegotiation().
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls, { type TLSSocket } from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();

async function pair(serverOptions: Record<string, unknown> = {}) {
  let resolveServer: (socket: TLSSocket) => void = () => {};
  const serverSocket = new Promise<TLSSocket>((resolve) => {
    resolveServer = resolve;
  });
  const server = tls.createServer(
    { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, ...serverOptions },
    (socket) => {
      socket.on('error', () => {});
      resolveServer(socket);
    },
  );
  const port = await listenOnLoopback(server, closers);
  const client = tls.connect({
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: pki.ca,
    key: pki.client.key,
    cert: pki.client.cert,
    maxVersion: 'TLSv1.2',
  });
  closers.push(() => client.destroy());
  await once(client, 'secureConnect');
  return { client, server: await serverSocket };
}

function renegotiate(socket: TLSSocket, options: { requestCert?: boolean } = {}): Promise<Error | null> {
  return new Promise((resolve) => {
    socket.renegotiate(options, resolve);
  });
}

describe('TLS 1.2 over @tls/socket', () => {
  it('negotiates TLS 1.2 when the client caps it, and picks the suite native Node picks', async () => {
    const { client, server } = await pair();
    expect(client.getProtocol()).toBe('TLSv1.2');
    expect(server.getProtocol()).toBe('TLSv1.2');
    expect(client.getCipher()).toMatchObject({ name: 'ECDHE-ECDSA-AES128-GCM-SHA256', version: 'TLSv1.2' });
    expect(client.getFinished()!.length).toBe(12);
    expect(client.getFinished()!.equals(server.getPeerFinished()!)).toBe(true);
  });

  it('talks TLS 1.2 with a native client capped at TLS 1.2', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => s.pipe(s));
    const port = await listenOnLoopback(server, closers);
    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      maxVersion: 'TLSv1.2',
    });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    expect(socket.getProtocol()).toBe('TLSv1.2');
    socket.write('1.2');
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('1.2');
  });

  it('renegotiates from the server to ask for a client certificate', async () => {
    const { client, server } = await pair();
    expect(server.getPeerCertificate()).toEqual({});
    client.resume();
    server.resume();
    expect(await renegotiate(server, { requestCert: true })).toBe(null);
    expect((server.getPeerCertificate() as unknown as { subject: { CN: string } }).subject.CN).toBe(
      'test client',
    );
  });

  it('refuses renegotiation in TLS 1.3', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, () => {});
    const port = await listenOnLoopback(server, closers);
    const client = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
    });
    closers.push(() => client.destroy());
    await once(client, 'secureConnect');
    const error = await renegotiate(client);
    expect(error).toMatchObject({ code: 'ERR_TLS_INVALID_STATE' });
  });

  it('stops a client that renegotiates more than CLIENT_RENEG_LIMIT times (ERR_TLS_SESSION_ATTACK)', async () => {
    const { client, server } = await pair();
    client.resume();
    server.resume();
    const attack = once(server, 'error');
    for (let i = 0; i < 3; i++) expect(await renegotiate(client)).toBe(null);
    client.renegotiate({}, () => {});
    const [error] = await attack;
    expect(error).toMatchObject({ code: 'ERR_TLS_SESSION_ATTACK' });
  });

  it('reads CLIENT_RENEG_LIMIT when it is used', async () => {
    const previous = tls.CLIENT_RENEG_LIMIT;
    tls.CLIENT_RENEG_LIMIT = 5;
    closers.push(() => {
      tls.CLIENT_RENEG_LIMIT = previous;
    });
    const { client, server } = await pair();
    client.resume();
    server.resume();
    for (let i = 0; i < 5; i++) expect(await renegotiate(client)).toBe(null);
    expect(server.destroyed).toBe(false);
  });

  it('refuses a renegotiation the peer starts after disableRenegotiation()', async () => {
    const { client, server } = await pair();
    server.disableRenegotiation();
    client.resume();
    server.resume();
    const refused = once(server, 'error');
    client.renegotiate({}, () => {});
    const [error] = await refused;
    expect(error).toMatchObject({ code: 'ERR_TLS_RENEGOTIATION_DISABLED' });
  });
});
