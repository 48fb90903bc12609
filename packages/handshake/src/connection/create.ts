// Entry points: a client connection sends its ClientHello at once (take its output), a server
// connection waits for one. Either negotiates TLS 1.3 or TLS 1.2 (1.0/1.1 if the config's
// version range allows) and can renegotiate a TLS 1.2 connection.

import { startTls12Renegotiation, startTls13Client } from '../client/tls13.js';
import { renegotiateTls12Server } from '../server/tls12.js';
import { startTls13Server } from '../server/tls13.js';
import type { ConnectionConfig } from './config.js';
import { Connection } from './connection.js';

/**
 * A TLS client (1.3 and 1.2 by default). Its first flight is ready in `takeOutput()` as soon as it is created.
 * @example
 * const client = createClientConnection({ provider, serverName: 'example.com', verifyPeer });
 * socket.write(client.takeOutput());
 */
export function createClientConnection(config: ConnectionConfig): Connection {
  return new Connection('client', config, startTls13Client, startTls12Renegotiation);
}

/**
 * A TLS server (1.3 and 1.2 by default): feed it the client's bytes with `receive()`.
 * @example
 * const server = createServerConnection({ provider, certificates: [{ chain, privateKey }] });
 */
export function createServerConnection(config: ConnectionConfig): Connection {
  return new Connection('server', config, startTls13Server, renegotiateTls12Server);
}
