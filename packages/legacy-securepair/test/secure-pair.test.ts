// createSecurePair as Node documents it: a SecurePair server over a raw net socket against our
// client and Node's native client and openssl s_client; a SecurePair client against a native
// server; the deprecation warning once; errors end on the cleartext stream.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect as netConnect, createServer as netCreateServer } from 'node:net';
import * as nativeTls from 'node:tls';
import { createSecurePair } from '@tls/legacy-securepair';
import tls, { TLSSocket, createSecureContext } from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();

/** A raw TCP server whose connections are served through a SecurePair that echoes. */
async function securePairEchoServer(): Promise<number> {
  const server = netCreateServer((socket) => {
    const pair = createSecurePair(
      createSecureContext({ key: pki.server.key, cert: pki.server.cert }),
      true,
      false,
      false,
    );
    socket.pipe(pair.encrypted).pipe(socket);
    pair.cleartext.on('data', (data) => pair.cleartext.write(data));
    pair.cleartext.on('error', () => {});
    socket.on('error', () => {});
  });
  return listenOnLoopback(server, closers);
}

/**
 * A client SecurePair (trusting the test CA, not rejecting) over a raw socket to a native echo
 * server with `credential`; resolves on the pair's 'secure'.
 */
async function clientPairTo(credential: { key: string; cert: string }) {
  const server = nativeTls.createServer({ key: credential.key, cert: credential.cert }, (s) => s.pipe(s));
  const port = await listenOnLoopback(server, closers);
  const socket = netConnect(port, '127.0.0.1');
  closers.push(() => socket.destroy());
  const pair = createSecurePair(createSecureContext({ ca: pki.ca }), false, false, false, {
    servername: 'localhost',
  });
  pair.encrypted.pipe(socket);
  socket.pipe(pair.encrypted);
  await once(pair, 'secure');
  return pair;
}

describe('createSecurePair', () => {
  it('serves Node native clients over a raw socket and warns once (DEP0064)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    closers.push(() => process.off('warning', onWarning));
    const port = await securePairEchoServer();
    for (const text of ['first', 'second']) {
      const socket = nativeTls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
      closers.push(() => socket.destroy());
      await once(socket, 'secureConnect');
      socket.write(text);
      const [data] = await once(socket, 'data');
      expect(String(data)).toBe(text);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => (w as { code?: string }).code === 'DEP0064')).toHaveLength(1);
  });

  it('serves openssl s_client', async () => {
    const port = await securePairEchoServer();
    const client = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    closers.push(() => client.kill('SIGKILL'));
    client.stdin!.write('via openssl\n');
    const [data] = await once(client.stdout!, 'data');
    expect(String(data)).toBe('via openssl\n');
  });

  it('works as a client against a native server, with secure, cleartext API and bytesWritten', async () => {
    const pair = await clientPairTo(pki.server);
    // v6: "pair.cleartext.authorized should be inspected" on 'secure': verified by then.
    expect(pair.cleartext.authorized).toBe(true);
    expect(pair.cleartext.getProtocol()).toBe('TLSv1.3');
    pair.cleartext.write('through the pair');
    const [data] = await once(pair.cleartext, 'data');
    expect(String(data)).toBe('through the pair');
    expect(pair.encrypted.bytesWritten).toBeGreaterThan('through the pair'.length + 200);
  });

  it('ends with an error on the cleartext stream when the peer resets mid-handshake', async () => {
    const server = netCreateServer((socket) => socket.destroy());
    const port = await listenOnLoopback(server, closers);
    const socket = netConnect(port, '127.0.0.1');
    const pair = createSecurePair(createSecureContext(), false);
    pair.encrypted.pipe(socket);
    socket.pipe(pair.encrypted);
    socket.on('error', () => {});
    const [error] = await once(pair.cleartext, 'error');
    expect(error).toMatchObject({ code: 'ECONNRESET' });
  });

  it('is the same function as tls.createSecurePair of @tls/socket, so the v6 surface is one import', () => {
    expect(tls.createSecurePair).toBe(createSecurePair);
  });

  it('behaves like new TLSSocket(socket, options) over the same transport: data, events, errors', async () => {
    /** A raw TCP server handing each connection to `wrap`, which returns the cleartext stream. */
    async function serve(
      wrap: (socket: import('node:net').Socket) => import('node:stream').Duplex & { once: TLSSocket['once'] },
    ) {
      const events: string[] = [];
      const server = netCreateServer((socket) => {
        socket.on('error', () => {});
        const cleartext = wrap(socket);
        cleartext.on('error', (error: Error & { code?: string }) => events.push(`error ${error.code}`));
        cleartext.once('secure', () => events.push('secure'));
        cleartext.on('data', (data: Buffer) => cleartext.write(`echo:${data}`));
      });
      const port = await listenOnLoopback(server, closers);
      const good = nativeTls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
      closers.push(() => good.destroy());
      await once(good, 'secureConnect');
      good.write('same');
      const [data] = await once(good, 'data');
      good.destroy();
      const bad = nativeTls.connect({
        port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca: pki.ca,
        maxVersion: 'TLSv1.2',
        ciphers: 'AES128-SHA',
      });
      bad.on('error', () => {});
      // events.once would reject on the client's expected error: wait for 'close' alone.
      await new Promise((resolve) => bad.on('close', resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { data: String(data), events };
    }
    const context = createSecureContext({
      key: pki.server.key,
      cert: pki.server.cert,
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    });
    const viaPair = await serve((socket) => {
      const pair = createSecurePair(context, true, false, false);
      pair.encrypted.pipe(socket);
      socket.pipe(pair.encrypted);
      return pair.cleartext;
    });
    const viaSocket = await serve(
      (socket) =>
        new TLSSocket(socket, {
          secureContext: context,
          isServer: true,
          requestCert: false,
          rejectUnauthorized: false,
        }),
    );
    expect(viaPair).toEqual(viaSocket);
    expect(viaPair.data).toBe('echo:same');
    expect(viaPair.events).toEqual(['secure', 'error ERR_SSL_NO_SHARED_CIPHER']);
  });

  it('negotiates NPN with the NPNProtocols option (TLS 1.2)', async () => {
    const server = netCreateServer((socket) => {
      const pair = createSecurePair(
        createSecureContext({ key: pki.server.key, cert: pki.server.cert }),
        true,
        false,
        false,
        {
          NPNProtocols: ['spdy/2', 'http/1.1'],
        },
      );
      socket.pipe(pair.encrypted).pipe(socket);
      pair.cleartext.on('error', () => {});
      socket.on('error', () => {});
    });
    const port = await listenOnLoopback(server, closers);
    const socket = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      maxVersion: 'TLSv1.2',
      NPNProtocols: ['http/1.1'],
    });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    expect(socket.npnProtocol).toBe('http/1.1');
  });

  it('works as a client against openssl s_server', async () => {
    const server = spawn(
      'openssl',
      [
        's_server',
        '-accept',
        '127.0.0.1:0',
        '-key',
        pki.server.keyFile,
        '-cert',
        pki.server.certFile,
        '-naccept',
        '1',
        '-rev',
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    closers.push(() => server.kill('SIGKILL'));
    let output = '';
    server.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    while (!/ACCEPT 127\.0\.0\.1:(\d+)/.test(output)) await new Promise((resolve) => setTimeout(resolve, 20));
    const socket = netConnect(Number(/ACCEPT 127\.0\.0\.1:(\d+)/.exec(output)![1]), '127.0.0.1');
    closers.push(() => socket.destroy());
    const pair = createSecurePair(createSecureContext({ ca: pki.ca }), false, false, true, {
      servername: 'localhost',
    });
    pair.encrypted.pipe(socket);
    socket.pipe(pair.encrypted);
    await once(pair, 'secure');
    expect(pair.cleartext.authorized).toBe(true);
    pair.cleartext.write('olleh\n');
    const [data] = await once(pair.cleartext, 'data');
    expect(String(data)).toBe('hello\n');
  });

  it('ends with the verification error on the cleartext stream for an untrusted server', async () => {
    const server = nativeTls.createServer({ key: pki.self.key, cert: pki.self.cert }, (s) => s.end());
    const port = await listenOnLoopback(server, closers);
    const socket = netConnect(port, '127.0.0.1');
    closers.push(() => socket.destroy());
    socket.on('error', () => {});
    const pair = createSecurePair(createSecureContext(), false, false, true, { servername: 'localhost' });
    pair.encrypted.pipe(socket);
    socket.pipe(pair.encrypted);
    const [error] = await once(pair.cleartext, 'error');
    expect(error).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it("reports an untrusted server on 'secure' through authorized and authorizationError when not rejecting", async () => {
    const pair = await clientPairTo(pki.self);
    expect(pair.cleartext.authorized).toBe(false);
    expect(pair.cleartext.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
