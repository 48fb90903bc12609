// Node's stream and server behaviour at the edges: handshake timeout, garbage and resets before
// the handshake, keylog lines, and a large transfer with backpressure both ways.
import { once } from 'node:events';
import { connect as netConnect, createServer as netCreateServer } from 'node:net';
import * as nativeTls from 'node:tls';
import tls, { type TLSSocket } from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostClient } from './helpers/localhost-client.js';
import { type Listener, cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();
const listen = (server: Listener) => listenOnLoopback(server, closers);

describe('@tls/socket edges', () => {
  it('reports ERR_TLS_HANDSHAKE_TIMEOUT through tlsClientError when a client stays silent', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert, handshakeTimeout: 200 });
    const port = await listen(server);
    const raw = netConnect(port, '127.0.0.1');
    closers.push(() => raw.destroy());
    const [error] = await once(server, 'tlsClientError');
    expect(error).toMatchObject({ code: 'ERR_TLS_HANDSHAKE_TIMEOUT' });
  });

  /** What a server reports, and sends back, when a raw TCP client sends `bytes` (or just closes). */
  async function tlsClientErrorFor(implementation: typeof tls | typeof nativeTls, bytes: string | undefined) {
    const server = implementation.createServer({ key: pki.server.key, cert: pki.server.cert });
    const port = await listen(server as Listener);
    const raw = netConnect(port, '127.0.0.1');
    closers.push(() => raw.destroy());
    raw.on('error', () => {});
    const received: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => received.push(chunk));
    await once(raw, 'connect');
    if (bytes === undefined) raw.end();
    else raw.write(bytes);
    const [error, socket] = await once(server, 'tlsClientError');
    const destroyedAtEvent = (socket as { destroyed: boolean }).destroyed;
    await Promise.race([once(raw, 'close'), new Promise((resolve) => setTimeout(resolve, 500))]);
    return {
      code: error.code,
      reason: error.reason,
      message: bytes === undefined ? error.message : undefined,
      destroyedAtEvent,
      sentBack: Buffer.concat(received).toString('hex'),
    };
  }

  it.each([
    // OpenSSL names an HTTP request and sends no alert to what does not speak TLS.
    ['an HTTP request', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'ERR_SSL_HTTP_REQUEST', 'http request'],
    [
      'an HTTPS proxy request',
      'CONNECT x:443 HTTP/1.1\r\n\r\n',
      'ERR_SSL_HTTPS_PROXY_REQUEST',
      'https proxy request',
    ],
    ['bytes that are not TLS', '\xff'.repeat(50), 'ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'],
  ])('reports %s through tlsClientError as node:tls does', async (_what, bytes, code, reason) => {
    const native = await tlsClientErrorFor(nativeTls, bytes);
    const ours = await tlsClientErrorFor(tls, bytes);
    expect(native).toEqual({ code, reason, message: undefined, destroyedAtEvent: true, sentBack: '' });
    expect(ours).toEqual(native);
  });

  it("reports a client hanging up before its hello as ECONNRESET 'socket hang up', as node:tls does", async () => {
    const native = await tlsClientErrorFor(nativeTls, undefined);
    const ours = await tlsClientErrorFor(tls, undefined);
    expect(native).toEqual({
      code: 'ECONNRESET',
      reason: undefined,
      message: 'socket hang up',
      destroyedAtEvent: true,
      sentBack: '',
    });
    expect(ours).toEqual(native);
  });

  it('fails a client with ECONNRESET when the server hangs up mid-handshake', async () => {
    const port = await listen(netCreateServer((socket) => socket.end()));
    const socket = tls.connect({ port, host: '127.0.0.1' });
    const [error] = await once(socket, 'error');
    expect(error).toMatchObject({
      code: 'ECONNRESET',
      message: 'Client network socket disconnected before secure TLS connection was established',
    });
  });

  it('sends the last handshake flight and what secureConnect answers in one transport write', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
      s.resume();
      s.on('end', () => s.end());
    });
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    // Count what reaches the net.Socket's own write methods (one call per write(2)/writev(2)).
    const transport = socket.transport as unknown as {
      _write: (...args: unknown[]) => void;
      _writev: (...args: unknown[]) => void;
    };
    const writes: string[] = [];
    for (const method of ['_write', '_writev'] as const) {
      const original = transport[method].bind(transport);
      transport[method] = (...args: unknown[]) => {
        writes.push(method);
        original(...args);
      };
    }
    await once(socket, 'secureConnect');
    // After the ClientHello, the Finished (and TLS 1.3's records around it) and this request
    // with the close_notify leave together.
    socket.end('GET / HTTP/1.0\r\n\r\n');
    await once(socket, 'close');
    expect(writes).toEqual(['_write', '_writev']);
  });

  it('applies backpressure: a writer to a peer that does not read stalls, and its queue stays bounded', async () => {
    let accepted: TLSSocket | undefined;
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
      accepted = s;
      s.pause();
    });
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    closers.push(() => accepted?.destroy());
    await once(socket, 'secureConnect');
    const chunk = Buffer.alloc(65536, 1);
    let written = 0;
    // Up to 256 MiB; the kernel's loopback buffers hold a few MiB, so the writer must stall long before.
    for (; written < 4096; written++) {
      if (socket.write(chunk)) continue;
      const drained = await Promise.race([
        once(socket, 'drain').then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 300)),
      ]);
      if (!drained) break;
    }
    expect(written).toBeLessThan(4096);
    // What waits in user space: our stream's queue and the transport's, about a write each.
    expect(socket.writableLength + (socket.transport.writableLength ?? 0)).toBeLessThan(1024 * 1024);
    socket.destroy();
  });

  it('emits keylog lines on the client and the server', async () => {
    const serverLines: string[] = [];
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => s.end());
    server.on('keylog', (line: Buffer) => serverLines.push(line.toString()));
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    const clientLines: string[] = [];
    socket.on('keylog', (line: Buffer) => clientLines.push(line.toString()));
    await once(socket, 'secureConnect');
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const lines of [clientLines, serverLines]) {
      expect(lines.map((line) => line.split(' ')[0])).toEqual([
        'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
        'SERVER_HANDSHAKE_TRAFFIC_SECRET',
        'CLIENT_TRAFFIC_SECRET_0',
        'SERVER_TRAFFIC_SECRET_0',
        'EXPORTER_SECRET',
      ]);
    }
    expect(clientLines[0]).toBe(serverLines[0]);
  });

  it('moves 8 MiB each way without losing or reordering a byte', async () => {
    const size = 8 * 1024 * 1024;
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) payload.writeUInt32BE(i, i);
    let serverSide: TLSSocket | undefined;
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (socket) => {
      serverSide = socket;
      socket.pipe(socket);
    });
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    const chunks: Buffer[] = [];
    let received = 0;
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= size) resolve();
      });
    });
    for (let offset = 0; offset < size; offset += 65536) {
      if (!socket.write(payload.subarray(offset, offset + 65536))) await once(socket, 'drain');
    }
    await done;
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    expect(serverSide).toBeDefined();
  });

  it('ends both ways with close_notify: end() on one side is end on the other', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
      s.on('end', () => s.end());
      s.resume();
    });
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    await once(socket, 'secureConnect');
    const ended = once(socket, 'end');
    const closed = once(socket, 'close');
    socket.end();
    socket.resume();
    await ended;
    await closed;
  });

  // net.Socket (and so node:tls) reads nothing more at EOF but still emits 'end' when nothing is
  // buffered, so an application that only writes and waits for 'end' finishes. Checked for a
  // peer that sends close_notify and for one that closes TCP without it, with node:tls beside us.
  for (const [how, close] of [
    ['close_notify', (s: import('node:tls').TLSSocket) => s.end()],
    ['a TCP close without close_notify', (s: import('node:tls').TLSSocket) => s.destroy()],
  ] as const) {
    it(`emits 'end' on a socket nobody reads from, after ${how}, as node:tls does`, async () => {
      const nativeTls = await import('node:tls');
      const server = nativeTls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
        s.on('error', () => {});
        close(s);
      });
      const port = await listen(server);
      for (const implementation of [nativeTls, tls] as const) {
        const socket = implementation.connect({
          port,
          host: '127.0.0.1',
          servername: 'localhost',
          ca: pki.ca,
        });
        closers.push(() => socket.destroy());
        socket.on('error', () => {});
        // No 'data' listener, no resume(), no read(): only 'end'.
        const ended = once(socket, 'end').then(() => 'end');
        const timeout = new Promise((resolve) =>
          setTimeout(() => resolve('no end within 5 s'), 5000).unref(),
        );
        expect(await Promise.race([ended, timeout])).toBe('end');
      }
    });
  }
});

describe('net.Socket surface, side by side with node:tls', () => {
  /** A client's view of one connection whose server answers 'hello' with 'bye' and ends. */
  async function clientView(implementation: typeof tls | typeof nativeTls) {
    const server = implementation.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
      s.once('data', () => s.end('bye'));
    });
    const port = await listen(server as Listener);
    const socket = localhostClient(implementation, port, closers);
    const state = () => ({
      readyState: socket.readyState,
      connecting: socket.connecting,
      pending: socket.pending,
      bytesRead: socket.bytesRead,
      bytesWritten: socket.bytesWritten,
    });
    const view: Record<string, unknown> = { initial: state() };
    const order: string[] = [];
    for (const name of ['end', 'finish', 'close']) socket.on(name, () => order.push(name));
    await once(socket, 'secureConnect');
    view.secure = state();
    socket.write('hello');
    view.afterWrite = state();
    socket.resume();
    // The pattern that hung when 'finish' and 'close' came in the same turn as 'end'.
    await once(socket, 'end');
    order.push('(after end)');
    await once(socket, 'close');
    view.closed = state();
    view.order = order;
    return view;
  }

  it("has readyState, connecting, pending, bytesRead and bytesWritten, and emits 'close' after a turn that awaits 'end'", async () => {
    const native = await clientView(nativeTls);
    expect(native.closed).toEqual({
      readyState: 'closed',
      connecting: false,
      pending: true,
      bytesRead: 3,
      bytesWritten: 5,
    });
    expect(native.order).toEqual(['end', '(after end)', 'finish', 'close']);
    expect(await clientView(tls)).toEqual(native);
  });

  /** 'close' arguments after destroy(error) and after end(), and what a corked burst reads as. */
  async function closeAndCork(implementation: typeof tls | typeof nativeTls) {
    const server = implementation.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    const port = await listen(server as Listener);
    const options = { port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca };
    const events: string[] = [];
    const first = implementation.connect(options);
    closers.push(() => first.destroy());
    await once(first, 'secureConnect');
    first.on('error', (error: Error) => events.push(`error ${error.message}`));
    first.on('close', (hadError: unknown) => events.push(`close ${String(hadError)}`));
    const firstClosed = new Promise((resolve) => first.once('close', resolve));
    first.destroy(new Error('boom'));
    await firstClosed;
    const second = implementation.connect(options);
    closers.push(() => second.destroy());
    second.setEncoding('utf8');
    const reads: string[] = [];
    second.on('data', (data: string) => reads.push(data));
    await once(second, 'secureConnect');
    second.cork();
    second.write('a');
    second.write('b');
    second.write('c');
    second.uncork();
    while (reads.join('').length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    second.on('close', (hadError: unknown) => events.push(`close ${String(hadError)}`));
    second.end();
    await once(second, 'close');
    return { events, reads };
  }

  it("emits 'close' with hadError and sends corked writes as one record", async () => {
    const native = await closeAndCork(nativeTls);
    expect(native).toEqual({ events: ['error boom', 'close true', 'close false'], reads: ['abc'] });
    expect(await closeAndCork(tls)).toEqual(native);
  });

  it("emits the TCP connection's events (lookup, connect, ready) before 'secureConnect', as node:tls", async () => {
    const sequence = async (implementation: typeof tls | typeof nativeTls) => {
      const server = implementation.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) =>
        s.end(),
      );
      const port = await listen(server as Listener);
      // By name, so that there is a lookup.
      const socket = implementation.connect({ port, host: 'localhost', ca: pki.ca });
      closers.push(() => socket.destroy());
      const events: string[] = [];
      for (const name of ['lookup', 'connectionAttempt', 'connect', 'ready', 'secureConnect', 'end', 'close'])
        socket.on(name, () => events.push(name));
      socket.resume();
      await once(socket, 'close');
      return events;
    };
    const native = await sequence(nativeTls);
    expect(native).toEqual(
      expect.arrayContaining(['lookup', 'connect', 'ready', 'secureConnect', 'end', 'close']),
    );
    expect(await sequence(tls)).toEqual(native);
  });

  it('has the rest of the current TLSSocket surface: X509Certificate getters, secureConnecting, server, destroySoon', async () => {
    const view = async (implementation: typeof tls | typeof nativeTls) => {
      let serverSide: Record<string, unknown> = {};
      let listener: unknown;
      const server = implementation.createServer(
        { key: pki.server.key, cert: pki.server.cert, requestCert: true, ca: pki.ca },
        (s) => {
          serverSide = {
            peer: s.getPeerX509Certificate()?.subject,
            own: s.getX509Certificate()?.fingerprint256,
            isOwnServer: (s as unknown as { server: unknown }).server === listener,
            secureConnecting: (s as unknown as { secureConnecting: boolean }).secureConnecting,
          };
          s.resume();
        },
      );
      listener = server;
      const port = await listen(server as Listener);
      const socket = localhostClient(implementation, port, closers, {
        key: pki.client.key,
        cert: pki.client.cert,
      });
      const surface = socket as unknown as { secureConnecting: boolean; server: unknown };
      const before = { secureConnecting: surface.secureConnecting, peer: socket.getPeerX509Certificate() };
      await Promise.all([once(socket, 'secureConnect'), once(server, 'secureConnection')]);
      const after = {
        secureConnecting: surface.secureConnecting,
        peer: socket.getPeerX509Certificate()?.fingerprint256,
        own: socket.getX509Certificate()?.subject,
        localFamily: socket.localFamily,
        bufferSize: socket.bufferSize,
        clientHasNoServer: surface.server === undefined,
      };
      socket.destroySoon();
      await once(socket, 'close');
      const destroyed = { peer: socket.getPeerX509Certificate() };
      return { before, after, destroyed, serverSide };
    };
    const native = await view(nativeTls);
    expect(native.after.peer).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(native.serverSide.peer).toBe('CN=test client');
    expect(await view(tls)).toEqual(native);
  });

  // node:tls's own resetAndDestroy() throws ERR_INVALID_HANDLE_TYPE (its handle is not a TCP
  // one); ours does what net.Socket's does, a TCP reset, which the peer sees as ECONNRESET.
  it('resetAndDestroy() closes the TCP connection with a reset', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert });
    const port = await listen(server);
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    const [[accepted]] = (await Promise.all([
      once(server, 'secureConnection'),
      once(socket, 'secureConnect'),
    ])) as unknown as [[TLSSocket]];
    const outcome = new Promise((resolve) => {
      accepted.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      accepted.on('end', () => resolve('end'));
    });
    socket.resetAndDestroy();
    expect(await outcome).toBe('ECONNRESET');
  });
});

describe('getPeerCertificate(true), side by side with node:tls', () => {
  it('links up to the trust anchor, from the trust store when the server sends only its leaf', async () => {
    const subjects = async (client: typeof tls | typeof nativeTls) => {
      const server = nativeTls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => s.end());
      const port = await listen(server);
      const socket = client.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
      closers.push(() => socket.destroy());
      await once(socket, 'secureConnect');
      const names: string[] = [];
      let certificate: { subject?: { CN?: unknown }; issuerCertificate?: unknown } | undefined =
        socket.getPeerCertificate(true);
      for (let depth = 0; depth < 4 && certificate?.subject !== undefined; depth++) {
        const self = certificate.issuerCertificate === certificate;
        names.push(`${String(certificate.subject.CN)}${self ? ' (its own issuer)' : ''}`);
        if (self) break;
        certificate = certificate.issuerCertificate as typeof certificate;
      }
      return names;
    };
    const native = await subjects(nativeTls);
    expect(native).toEqual(['localhost', 'Test Root CA (its own issuer)']);
    expect(await subjects(tls)).toEqual(native);
  });
});

describe('TLS 1.2 renegotiation events, side by side with node:tls', () => {
  it("emits 'secure' again on both sides and 'secureConnect' again on the client", async () => {
    const counts = async (implementation: typeof tls | typeof nativeTls) => {
      const seen: Record<string, number> = {};
      const count = (name: string) => () => {
        seen[name] = (seen[name] ?? 0) + 1;
      };
      const server = implementation.createServer(
        { key: pki.server.key, cert: pki.server.cert, maxVersion: 'TLSv1.2' },
        (s) => {
          s.on('secure', count('server secure'));
          s.resume();
        },
      );
      server.on('secureConnection', count('secureConnection'));
      const port = await listen(server as Listener);
      const socket = localhostClient(implementation, port, closers, { maxVersion: 'TLSv1.2' });
      socket.on('secure', count('client secure'));
      socket.on('secureConnect', count('client secureConnect'));
      await once(socket, 'secureConnect');
      await new Promise<void>((resolve, reject) =>
        socket.renegotiate({}, (error) => (error ? reject(error) : resolve())),
      );
      return seen;
    };
    const native = await counts(nativeTls);
    expect(native).toEqual({
      secureConnection: 1,
      'client secureConnect': 2,
      'client secure': 2,
      'server secure': 1,
    });
    expect(await counts(tls)).toEqual(native);
  });
});
