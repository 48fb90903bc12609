// @tls/socket as a drop-in node:tls: our client and server over real TCP on 127.0.0.1, against
// each other and against Node's native tls, with Node's events, properties and error codes.
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls, { type TLSSocket } from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { type Listener, cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();
const listen = (server: Listener) => listenOnLoopback(server, closers);

function echoServer(options: Record<string, unknown> = {}) {
  return tls.createServer({ key: pki.server.key, cert: pki.server.cert, ...options }, (socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
}

async function roundTrip(socket: TLSSocket, message: string): Promise<string> {
  socket.write(message);
  let received = '';
  for await (const chunk of socket) {
    received += chunk.toString();
    if (received.length >= message.length) break;
  }
  return received;
}

describe('@tls/socket against itself', () => {
  it('echoes over TLS 1.3 and reports what was negotiated', async () => {
    const port = await listen(echoServer({ ALPNProtocols: ['h2', 'http/1.1'] }));
    const socket = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      ALPNProtocols: ['http/1.1'],
    });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    expect(socket.authorized).toBe(true);
    expect(socket.authorizationError).toBe(null);
    expect(socket.encrypted).toBe(true);
    expect(socket.getProtocol()).toBe('TLSv1.3');
    expect(socket.getCipher()).toMatchObject({
      version: 'TLSv1.3',
      standardName: expect.stringMatching(/^TLS_/),
    });
    expect(socket.alpnProtocol).toBe('http/1.1');
    expect(socket.servername).toBe('localhost');
    const peer = socket.getPeerCertificate(true) as unknown as Record<string, unknown> & {
      subject: { CN: string };
      issuerCertificate: { subject: { CN: string } };
    };
    expect(peer.subject.CN).toBe('localhost');
    expect(peer.subjectaltname).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(Buffer.isBuffer(peer.raw)).toBe(true);
    expect(await roundTrip(socket, 'hello over @tls')).toBe('hello over @tls');
  });

  it('refuses a self-signed server by default with DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const port = await listen(tls.createServer({ key: pki.self.key, cert: pki.self.cert }, () => {}));
    const socket = tls.connect({ port, host: '127.0.0.1' });
    const [error] = await once(socket, 'error');
    expect(error).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('reports the failure without refusing when rejectUnauthorized is false', async () => {
    const port = await listen(tls.createServer({ key: pki.self.key, cert: pki.self.cert }, (s) => s.end()));
    const socket = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    expect(socket.authorized).toBe(false);
    expect(socket.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('verifies each connection against its own trust: results remembered for one CA list never serve another', async () => {
    const port = await listen(tls.createServer({ key: pki.self.key, cert: pki.self.cert }, (s) => s.end()));
    const outcome = async (options: Record<string, unknown>) => {
      const socket = tls.connect({
        port,
        host: '127.0.0.1',
        servername: 'localhost',
        rejectUnauthorized: false,
        ...options,
      });
      closers.push(() => socket.destroy());
      await once(socket, 'secureConnect');
      return socket.authorized ? 'authorized' : socket.authorizationError;
    };
    // The same chain, alternately trusted (its certificate as `ca`) and not (the bundled roots).
    for (let round = 0; round < 2; round++) {
      expect(await outcome({ ca: pki.self.cert })).toBe('authorized');
      expect(await outcome({})).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(await outcome({ ca: pki.ca })).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    }
  });

  it('checks the host name: ERR_TLS_CERT_ALTNAME_INVALID for another name', async () => {
    const port = await listen(echoServer());
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'example.com', ca: pki.ca });
    const [error] = await once(socket, 'error');
    expect(error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: 'example.com' });
    expect((error as { cert: { fingerprint256: string } }).cert.fingerprint256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
  });

  it('resumes a session with getSession() and the session option', async () => {
    const port = await listen(echoServer());
    const first = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => first.destroy());
    const [session] = await once(first, 'session');
    expect(Buffer.isBuffer(session)).toBe(true);
    expect(first.isSessionReused()).toBe(false);
    first.end();
    const second = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca, session });
    closers.push(() => second.destroy());
    await once(second, 'secureConnect');
    expect(second.isSessionReused()).toBe(true);
    expect(second.authorized).toBe(true);
    expect(await roundTrip(second, 'resumed')).toBe('resumed');
  });

  it('authenticates a client certificate when the server requests one', async () => {
    let serverSide: TLSSocket | undefined;
    const server = tls.createServer(
      { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, requestCert: true },
      (socket) => {
        serverSide = socket;
        socket.end('ok');
      },
    );
    const port = await listen(server);
    const socket = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      key: pki.client.key,
      cert: pki.client.cert,
    });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('ok');
    expect(serverSide?.authorized).toBe(true);
    const peer = serverSide!.getPeerCertificate() as unknown as { subject: { CN: string } };
    expect(peer.subject.CN).toBe('test client');
  });

  it('queues writes made before the handshake and delivers them in order', async () => {
    const port = await listen(echoServer());
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    socket.write('one ');
    socket.write('two ');
    socket.write('three');
    let received = '';
    for await (const chunk of socket) {
      received += chunk.toString();
      if (received.length >= 13) break;
    }
    expect(received).toBe('one two three');
  });

  it('exports the same keying material on both sides', async () => {
    let serverSide: TLSSocket | undefined;
    const port = await listen(
      tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
        serverSide = s;
      }),
    );
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ours = socket.exportKeyingMaterial(32, 'EXPORTER-test');
    expect(ours.equals(serverSide!.exportKeyingMaterial(32, 'EXPORTER-test'))).toBe(true);
    expect(socket.getFinished()!.equals(serverSide!.getPeerFinished()!)).toBe(true);
  });
});

describe('@tls/socket against node:tls', () => {
  it('our client talks to a native server', async () => {
    const server = nativeTls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => s.pipe(s));
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    expect(socket.authorized).toBe(true);
    expect(await roundTrip(socket, 'to native')).toBe('to native');
  });

  it('a native client talks to our server', async () => {
    const port = await listen(echoServer());
    const socket = nativeTls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    expect(socket.authorized).toBe(true);
    expect(socket.getProtocol()).toBe('TLSv1.3');
    socket.write('from native');
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('from native');
  });

  it('a native client resumes with our ticket', async () => {
    const port = await listen(echoServer());
    const first = nativeTls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => first.destroy());
    const [session] = await once(first, 'session');
    first.end();
    const second = nativeTls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      session,
    });
    closers.push(() => second.destroy());
    await once(second, 'secureConnect');
    expect(second.isSessionReused()).toBe(true);
  });

  it('our server honours its own cipher order by default, as Node servers do (honorCipherOrder: false turns it off)', async () => {
    // The client lists ChaCha20 first (TLS 1.3 names go in `ciphers`: Node has no `ciphersuites`).
    const chosen = async (
      implementation: typeof tls | typeof nativeTls,
      options: Record<string, unknown>,
    ) => {
      const server = implementation.createServer(
        { key: pki.server.key, cert: pki.server.cert, ...options },
        (s) => s.end(),
      );
      const port = await listen(server as Listener);
      const results: string[] = [];
      for (const [maxVersion, ciphers] of [
        ['TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384'],
        ['TLSv1.2', 'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384'],
      ] as const) {
        const socket = nativeTls.connect({
          port,
          host: '127.0.0.1',
          servername: 'localhost',
          ca: pki.ca,
          maxVersion,
          ciphers,
        });
        closers.push(() => socket.destroy());
        await once(socket, 'secureConnect');
        results.push(socket.getCipher().standardName);
        socket.destroy();
      }
      return results;
    };
    for (const options of [{}, { honorCipherOrder: true }, { honorCipherOrder: false }]) {
      const native = await chosen(nativeTls, options);
      expect(native).toEqual(
        options.honorCipherOrder === false
          ? ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256']
          : ['TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
      );
      expect(await chosen(tls, options)).toEqual(native);
    }
  });

  it('a native client sees our server refuse a missing ALPN match', async () => {
    const port = await listen(echoServer({ ALPNProtocols: ['h2'] }));
    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      ALPNProtocols: ['spdy/1'],
    });
    const [error] = await once(socket, 'error');
    expect(error).toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' });
  });
});
