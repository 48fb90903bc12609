// The echo server and client examples of Node's tls documentation (v6 and v10 seeds), unchanged
// but for the import and the port: key/cert with requestCert and a client certificate,
// connect(port, options, callback), setEncoding, 'welcome!' then echo, 'end' closes the server.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostPki } from '@tls/test-kit';

const pki = localhostPki();

describe('the documentation examples', () => {
  it('runs the echo server and client of the tls docs', async () => {
    const log: string[] = [];
    const serverOptions = {
      key: pki.server.key,
      cert: pki.server.cert,
      // This is necessary only if using client certificate authentication.
      requestCert: true,
      // This is necessary only if the client uses a self-signed certificate.
      ca: [pki.ca],
    };
    const server = tls.createServer(serverOptions, (socket) => {
      log.push(`server connected ${socket.authorized ? 'authorized' : 'unauthorized'}`);
      socket.write('welcome!\n');
      socket.setEncoding('utf8');
      socket.pipe(socket);
    });
    server.listen(0, () => log.push('server bound'));
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;

    const clientOptions = {
      // Necessary only if the server requires client certificate authentication.
      key: pki.client.key,
      cert: pki.client.cert,
      // Necessary only if the server uses a self-signed certificate.
      ca: [pki.ca],
      // Necessary only if the server's cert isn't for "localhost".
      checkServerIdentity: () => undefined,
    };
    const socket = tls.connect(port, clientOptions, () => {
      log.push(`client connected ${socket.authorized ? 'authorized' : 'unauthorized'}`);
      socket.write('hello from the docs\n');
    });
    socket.setEncoding('utf8');
    let received = '';
    socket.on('data', (data: string) => {
      received += data;
      if (received.includes('hello from the docs\n')) socket.end();
    });
    await once(socket, 'end');
    server.close();
    await once(server, 'close');
    expect(received).toBe('welcome!\nhello from the docs\n');
    expect(log).toEqual(['server bound', 'client connected authorized', 'server connected authorized']);
  });

  it('runs the pfx form of the echo server example', async () => {
    const options = {
      pfx: pki.pfx,
      passphrase: pki.pfxPassphrase,
    };
    const server = tls.createServer(options, (socket) => {
      socket.write('welcome!\n');
      socket.setEncoding('utf8');
      socket.pipe(socket);
    });
    server.listen(0);
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const socket = tls.connect(port, { ca: [pki.ca], servername: 'localhost' }, () => {
      socket.write('pfx works\n');
    });
    socket.setEncoding('utf8');
    let received = '';
    socket.on('data', (data: string) => {
      received += data;
      if (received.includes('pfx works\n')) socket.end();
    });
    await once(socket, 'end');
    server.close();
    expect(socket.authorized).toBe(true);
    expect(received).toBe('welcome!\npfx works\n');
  });
});
