// The server events that answer asynchronously: OCSPRequest staples what its callback gives,
// newSession/resumeSession hold TLS 1.2 session-id state outside the server, as Node documents,
// and fire exactly when node:tls fires them (tickets, session ids, TLS 1.3), side by side.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostClient } from './helpers/localhost-client.js';
import { type Listener, cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();
const listen = (server: Listener) => listenOnLoopback(server, closers);

describe('asynchronous server events', () => {
  it("staples the response an 'OCSPRequest' listener gives, after it answers", async () => {
    const response = Buffer.from('not a real OCSP response, carried opaquely');
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert, ca: pki.ca }, (s) =>
      s.end(),
    );
    let seen: Buffer | undefined;
    server.on(
      'OCSPRequest',
      (
        certificate: Buffer,
        _issuer: Buffer | null,
        callback: (error: Error | null, response?: Buffer) => void,
      ) => {
        seen = certificate;
        setTimeout(() => callback(null, response), 10);
      },
    );
    const port = await listen(server);
    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      requestOCSP: true,
    } as nativeTls.ConnectionOptions);
    closers.push(() => socket.destroy());
    const [stapled] = await once(socket, 'OCSPResponse');
    expect(Buffer.from(stapled).equals(response)).toBe(true);
    expect(seen?.equals(new X509Certificate(pki.server.cert).raw)).toBe(true);
  });

  it("keeps TLS 1.2 sessions through 'newSession' and resumes them through 'resumeSession'", async () => {
    const store = new Map<string, Buffer>();
    const server = tls.createServer(
      { key: pki.server.key, cert: pki.server.cert, maxVersion: 'TLSv1.2' },
      (s) => s.end(),
    );
    server.on('newSession', (id: Buffer, data: Buffer, callback: () => void) => {
      store.set(id.toString('hex'), data);
      callback();
    });
    server.on('resumeSession', (id: Buffer, callback: (error: Error | null, data?: Buffer) => void) => {
      setTimeout(() => callback(null, store.get(id.toString('hex'))), 10);
    });
    const port = await listen(server);
    // Node's client resumes by session id when tickets are off on its side.
    const options = {
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      secureOptions: 0x4000 /* SSL_OP_NO_TICKET */,
    };
    const first = nativeTls.connect(options);
    closers.push(() => first.destroy());
    const [session] = await once(first, 'session');
    first.destroy();
    expect(store.size).toBe(1);
    const second = nativeTls.connect({ ...options, session });
    closers.push(() => second.destroy());
    await once(second, 'secureConnect');
    expect(second.isSessionReused()).toBe(true);
  });

  it('resumes TLS 1.2 sessions by id from its own cache when no listener keeps them', async () => {
    const server = tls.createServer(
      { key: pki.server.key, cert: pki.server.cert, maxVersion: 'TLSv1.2' },
      (s) => s.end(),
    );
    const port = await listen(server);
    const options = {
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      secureOptions: 0x4000 /* SSL_OP_NO_TICKET */,
    };
    const first = nativeTls.connect(options);
    closers.push(() => first.destroy());
    const [session] = await once(first, 'session');
    first.destroy();
    const second = nativeTls.connect({ ...options, session });
    closers.push(() => second.destroy());
    await once(second, 'secureConnect');
    expect(second.isSessionReused()).toBe(true);
  });

  /** Three connections from Node's client, each offering the last session; what the server saw. */
  async function sessionEvents(
    implementation: typeof tls | typeof nativeTls,
    version: 'TLSv1.2' | 'TLSv1.3',
    noTicket: boolean,
  ) {
    const store = new Map<string, Buffer>();
    const seen = { newSession: 0, resumeSession: 0, reused: [] as boolean[] };
    const server = implementation.createServer(
      {
        key: pki.server.key,
        cert: pki.server.cert,
        maxVersion: version,
        ...(noTicket ? { secureOptions: 0x4000 /* SSL_OP_NO_TICKET */ } : {}),
      },
      (s) => s.end('x'),
    );
    server.on('newSession', (id: Buffer, data: Buffer, callback: () => void) => {
      seen.newSession++;
      store.set(id.toString('hex'), data);
      callback();
    });
    server.on('resumeSession', (id: Buffer, callback: (error: Error | null, data?: Buffer) => void) => {
      seen.resumeSession++;
      callback(null, store.get(id.toString('hex')));
    });
    const port = await listen(server as Listener);
    let session: Buffer | undefined;
    for (let i = 0; i < 3; i++) {
      const socket = nativeTls.connect({
        port,
        host: '127.0.0.1',
        ca: pki.ca,
        servername: 'localhost',
        session,
        maxVersion: version,
      });
      closers.push(() => socket.destroy());
      socket.on('session', (value: Buffer) => {
        session = value;
      });
      await once(socket, 'secureConnect');
      seen.reused.push(socket.isSessionReused());
      socket.resume();
      await once(socket, 'close');
    }
    return seen;
  }

  it.each([
    // TLS 1.2 with tickets: the session resumes from its ticket; neither event fires (OpenSSL
    // gives a ticketed session no id, and Node does not ask 'resumeSession' for a ticket).
    ['TLSv1.2', false, { newSession: 0, resumeSession: 0, reused: [false, true, true] }],
    // TLS 1.2 without tickets: the session id round trip through the two events.
    ['TLSv1.2', true, { newSession: 1, resumeSession: 2, reused: [false, true, true] }],
    // TLS 1.3: 'newSession' once per ticket of the full handshake (two), 'resumeSession' for the
    // client's compatibility session id each time (never found), resumption from the tickets.
    ['TLSv1.3', false, { newSession: 2, resumeSession: 3, reused: [false, true, true] }],
  ] as const)(
    '%s (no ticket: %s): newSession and resumeSession fire as node:tls fires them',
    async (version, noTicket, expected) => {
      const native = await sessionEvents(nativeTls, version, noTicket);
      const ours = await sessionEvents(tls, version, noTicket);
      expect(native).toEqual(expected);
      expect(ours).toEqual(native);
    },
  );

  it("holds TLS 1.3 'secureConnection' until every 'newSession' callback has run", async () => {
    const order: string[] = [];
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
      order.push('secureConnection');
      s.end();
    });
    server.on('newSession', (_id: Buffer, _data: Buffer, callback: () => void) => {
      const index = order.filter((entry) => entry.startsWith('newSession')).length;
      order.push(`newSession ${index}`);
      setTimeout(
        () => {
          order.push(`callback ${index}`);
          callback();
        },
        20 * (2 - index),
      );
    });
    const port = await listen(server);
    const socket = nativeTls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    await once(server, 'secureConnection');
    expect(order).toEqual(['newSession 0', 'newSession 1', 'callback 1', 'callback 0', 'secureConnection']);
  });

  /** What a native client and the server report when a server hook throws. */
  async function whenHookThrows(implementation: typeof tls | typeof nativeTls, hook: string) {
    const thrower = () => {
      throw new Error(`${hook} threw`);
    };
    const options: Record<string, unknown> = { key: pki.server.key, cert: pki.server.cert };
    if (hook === 'SNICallback') options.SNICallback = thrower;
    if (hook === 'ALPNCallback') options.ALPNCallback = thrower;
    const server = implementation.createServer(options, (s) => s.end());
    if (hook === 'OCSPRequest' || hook === 'resumeSession') server.on(hook, thrower);
    let reported: unknown;
    server.on('tlsClientError', (error: Error, socket: { destroyed: boolean }) => {
      reported = { message: error.message, destroyed: socket.destroyed };
    });
    const port = await listen(server as Listener);
    // TLS 1.3: Node's client sends a 32-byte compatibility session id, which resumeSession is asked about.
    const socket = localhostClient(nativeTls, port, closers, { ALPNProtocols: ['a'], requestOCSP: true });
    const client = await new Promise((resolve) => {
      socket.on('secureConnect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    return { client, server: reported };
  }

  it.each(['SNICallback', 'ALPNCallback'])(
    'fails only the connection when %s throws, as node:tls',
    async (hook) => {
      const native = await whenHookThrows(nativeTls, hook);
      expect(native).toEqual({ client: 'ECONNRESET', server: { message: `${hook} threw`, destroyed: true } });
      expect(await whenHookThrows(tls, hook)).toEqual(native);
    },
  );

  // node:tls lets these throws escape as uncaught exceptions (the process dies); ours fails the
  // connection the same way as a throwing SNICallback.
  it.each(['OCSPRequest', 'resumeSession'])(
    'fails only the connection when an %s listener throws',
    async (hook) => {
      expect(await whenHookThrows(tls, hook)).toEqual({
        client: 'ECONNRESET',
        server: { message: `${hook} threw`, destroyed: true },
      });
    },
  );
});
