// Node's own tls (OpenSSL) as the reference peer on both ends: a server on 127.0.0.1 and one
// client of it, for what Node itself reports (authorizationError, getPeerCertificate, …).
import { once } from 'node:events';
import * as tls from 'node:tls';
import { listenOnLoopback } from './loopback.js';

/**
 * A `node:tls` server with `serverOptions` on 127.0.0.1 (it ends each connection at once) and one
 * `node:tls` client with `clientOptions`; resolves with what `inspect` reads from the client once
 * it is secure. The client and the server are closed before it resolves.
 *
 * @example
 * const code = await nativeTlsHandshake({ key, cert }, { ca, rejectUnauthorized: false },
 *   (socket) => socket.authorizationError);
 */
export async function nativeTlsHandshake<T>(
  serverOptions: tls.TlsOptions,
  clientOptions: tls.ConnectionOptions,
  inspect: (socket: tls.TLSSocket) => T,
): Promise<T> {
  const server = tls.createServer(serverOptions, (socket) => socket.end());
  const port = await listenOnLoopback(server);
  try {
    const socket = tls.connect({ port, host: '127.0.0.1', ...clientOptions });
    try {
      await once(socket, 'secureConnect');
      return inspect(socket);
    } finally {
      socket.destroy();
    }
  } finally {
    server.close();
  }
}
