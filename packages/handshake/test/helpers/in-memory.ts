// Our client against our server in memory (the @tls/test-kit pair), the server holding the
// ECDSA P-256 test credential unless the test says otherwise.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { type ConnectionConfig, createClientConnection, createServerConnection } from '@tls/handshake';
import { settle, side } from '@tls/test-kit';
import { credential } from './credentials';

export const provider = createNodeCryptoProvider();

/** Runs a handshake to quiet between a client and a server made from these (partial) configurations. */
export function handshake(client: Partial<ConnectionConfig> = {}, server: Partial<ConnectionConfig> = {}) {
  const c = side(createClientConnection({ provider, ...client }));
  const s = side(
    createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified], ...server }),
  );
  settle(c, s);
  return { client: c, server: s };
}
