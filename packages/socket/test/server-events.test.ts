// The server events that answer asynchronously: OCSPRequest staples what its callback gives,
// newSession/resumeSession hold TLS 1.2 session-id state outside the server, as Node documents.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
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
});
