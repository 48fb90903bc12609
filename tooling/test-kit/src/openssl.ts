// The openssl CLI as a real peer on 127.0.0.1: `s_server` on a port the kernel picks (read back
// from its ACCEPT line) and `s_client` connecting to a port. Every wait is bounded.
import { type Peer, startPeer } from './peer.js';

/**
 * `openssl s_server` on 127.0.0.1 with a free port, for `connections` connections
 * (`-naccept`); resolves once it listens. Killed if it does not start in time.
 *
 * @example
 * const server = await opensslServer(['-tls1_3', '-key', keyFile, '-cert', certFile]);
 * try { const socket = await connectTo(server.port); … } finally { server.stop(); }
 */
export async function opensslServer(
  args: readonly string[],
  connections = 1,
): Promise<Peer & { port: number }> {
  const peer = startPeer('openssl', [
    's_server',
    '-accept',
    '127.0.0.1:0',
    '-naccept',
    String(connections),
    ...args,
  ]);
  try {
    const match = await peer.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/);
    return Object.assign(peer, { port: Number(match[1]) });
  } catch (error) {
    peer.stop();
    throw error;
  }
}

/** `openssl s_client` connecting to 127.0.0.1:port. */
export function opensslClient(port: number, args: readonly string[]): Peer {
  return startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args]);
}
