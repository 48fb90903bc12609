// Ports on 127.0.0.1: servers listen on a port the kernel picks, clients connect to it. Nothing a
// test starts listens on any other interface.
import { once } from 'node:events';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

/** The subset of `net.Server` that {@link listenOnLoopback} needs (tls, https and net servers). */
export interface Listener {
  listen(port: number, host: string): unknown;
  address(): unknown;
  close(): unknown;
}

/**
 * Listens on 127.0.0.1 at a free port and resolves with it; with `cleanups` (see
 * {@link cleanupAfterEach}), the server is closed after the test.
 *
 * @example
 * const port = await listenOnLoopback(tls.createServer({ key, cert }, (s) => s.end()), cleanups);
 */
export async function listenOnLoopback(server: Listener, cleanups?: Array<() => void>): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server as unknown as Server, 'listening');
  cleanups?.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** A TCP connection to 127.0.0.1:port; rejects if it is refused. */
export function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A one-shot listener on 127.0.0.1: resolves with its port and a promise of the first socket. */
export function listenOnce(): Promise<{ port: number; accepted: Promise<Socket>; close(): void }> {
  return new Promise((resolve) => {
    let accept: (socket: Socket) => void = () => {};
    const accepted = new Promise<Socket>((r) => {
      accept = r;
    });
    const server = createServer((socket) => accept(socket));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : 0,
        accepted,
        close: () => server.close(),
      });
    });
  });
}
