// How many TLS 1.3 tickets a server sends, seen from a native client's 'session' events, side by
// side with node:tls: two after a full handshake, none after a resumption (node:tls's ticket-key
// callback never asks OpenSSL to renew a ticket it accepted).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { localhostPki } from '@tls/test-kit';
import { describe, expect, it } from 'vitest';

const pki = localhostPki();
type Library = Pick<typeof nativeTls, 'createServer'>;

/** [resumed, 'session' events] for a full handshake and then a resumption, native client. */
async function ticketsSeen(library: Library): Promise<Array<[boolean, number]>> {
  const server = library.createServer({ key: pki.server.key, cert: pki.server.cert }, (socket) => {
    socket.resume();
    socket.on('end', () => socket.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const seen: Array<[boolean, number]> = [];
  let session: Buffer | undefined;
  try {
    for (let i = 0; i < 2; i++) {
      const socket = nativeTls.connect({
        port: (server.address() as AddressInfo).port,
        host: '127.0.0.1',
        ca: pki.ca,
        servername: 'localhost',
        minVersion: 'TLSv1.3',
        ...(session === undefined ? {} : { session }),
      });
      let sessions = 0;
      socket.on('session', (value: Buffer) => {
        sessions++;
        session ??= value;
      });
      await once(socket, 'secureConnect');
      const resumed = socket.isSessionReused();
      // Tickets follow the handshake; the server's close comes after them.
      socket.end();
      await once(socket, 'close');
      seen.push([resumed, sessions]);
    }
  } finally {
    server.close();
  }
  return seen;
}

describe('TLS 1.3 tickets per handshake', () => {
  it('are two after a full handshake and none after a resumption, as node:tls', async () => {
    const native = await ticketsSeen(nativeTls);
    expect(native).toEqual([
      [false, 2],
      [true, 0],
    ]);
    expect(await ticketsSeen(tls as unknown as Library)).toEqual(native);
  });
});
