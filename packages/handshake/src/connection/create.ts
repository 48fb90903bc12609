// Entry points: a client connection sends its ClientHello at once (take its output), a server
// connection waits for one.

import { startTls12Renegotiation, startTls13Client } from '../client/tls13.js';
import { renegotiateTls12Server } from '../server/tls12.js';
import { startTls13Server } from '../server/tls13.js';
import type { ConnectionConfig } from './config.js';
import { Connection } from './connection.js';

/**
 * A TLS 1.3 client. Its first flight is ready in `takeOutput()` as soon as it is created.
 * @example
 * const client = createClientConnection({ provider, serverName: 'example.com', verifyPeer });
 * socket.write(client.takeOutput());
 */
export function createClientConnection(config: ConnectionConfig): Connection {
  return new Connection('client', config, startTls13Client, startTls12Renegotiation);
}

/**
 * A TLS 1.3 server: feed it the client's bytes with `receive()`.
 * @example
 * const server = createServerConnection({ provider, certificates: [{ chain, privateKey }] });
 */
export function createServerConnection(config: ConnectionConfig): Connection {
  return new Connection('server', config, startTls13Server, renegotiateTls12Server);
}
