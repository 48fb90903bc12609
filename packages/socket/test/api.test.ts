// The rest of TLSSocket's Node API: an unconnected socket connected later, setServername(),
// getTLSTicket(), and 'secureConnection' waiting for a 'newSession' listener's callback.
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { type Listener, cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();
const listen = (server: Listener) => listenOnLoopback(server, closers);

describe('TLSSocket API', () => {
  it('can be made without a stream and connected later, with setServername() before', async () => {
    let served: string | false | null = null;
    const port = await listen(
      tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (socket) => {
        served = socket.servername;
        socket.end('hi');
      }),
    );
    const socket = new tls.TLSSocket(undefined, { ca: pki.ca, host: 'localhost' });
    closers.push(() => socket.destroy());
    socket.setServername('localhost');
    socket.connect(port, '127.0.0.1');
    await once(socket, 'secureConnect');
    expect(socket.authorized).toBe(true);
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('hi');
    expect(served).toBe('localhost');
    expect(() => socket.setServername(5 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('returns the server ticket from getTLSTicket() once a session arrived', async () => {
    const port = await listen(
      nativeTls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => s.resume()),
    );
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca });
    closers.push(() => socket.destroy());
    expect(socket.getTLSTicket()).toBeUndefined();
    await once(socket, 'session');
    const ticket = socket.getTLSTicket();
    expect(Buffer.isBuffer(ticket) && ticket.length).toBeGreaterThan(16);
  });

  it("holds 'secureConnection' until the 'newSession' listener calls back", async () => {
    const order: string[] = [];
    const server = tls.createServer(
      { key: pki.server.key, cert: pki.server.cert, maxVersion: 'TLSv1.2' },
      (s) => {
        order.push('secureConnection');
        s.end();
      },
    );
    server.on('newSession', (_id: Buffer, _data: Buffer, callback: () => void) => {
      order.push('newSession');
      setTimeout(() => {
        order.push('callback');
        callback();
      }, 30);
    });
    const port = await listen(server);
    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      secureOptions: 0x4000,
    });
    closers.push(() => socket.destroy());
    await once(server, 'secureConnection');
    expect(order).toEqual(['newSession', 'callback', 'secureConnection']);
  });
});
