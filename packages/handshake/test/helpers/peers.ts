// Our engine against a real peer over a socket on 127.0.0.1: a tiny pump that joins one of our
// engines to a socket, and the two set-ups every peer test makes (our client against a peer
// server, a peer client against our server). The peers themselves come from @tls/test-kit.
// Every wait is bounded; everything opened is closed by the test's cleanups.
import type { Socket } from 'node:net';
import {
  type Connection,
  type ConnectionConfig,
  type ConnectionEvent,
  createClientConnection,
} from '@tls/handshake';
import { type Peer, connectTo, listenOnce, opensslServer } from '@tls/test-kit';

export interface Pump {
  readonly socket: Socket;
  readonly events: ConnectionEvent[];
  /** Resolves with the first event of `type`, rejects on an error event or after `timeoutMs`. */
  waitFor<T extends ConnectionEvent['type']>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<ConnectionEvent, { type: T }>>;
  /** Sends whatever the engine has queued. */
  flush(): void;
}

/** Joins an engine to a socket: bytes both ways, events collected. */
export function pump(connection: Connection, socket: Socket): Pump {
  const events: ConnectionEvent[] = [];
  const listeners = new Set<() => void>();
  const flush = () => {
    const output = connection.takeOutput();
    if (output !== undefined && !socket.destroyed) socket.write(output);
    for (let event = connection.nextEvent(); event !== undefined; event = connection.nextEvent())
      events.push(event);
    for (const listener of listeners) listener();
  };
  socket.on('data', (chunk) => {
    connection.receive(chunk);
    flush();
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    for (const listener of listeners) listener();
  });
  flush();
  return {
    socket,
    events,
    flush,
    waitFor(type, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((event) => event.type === type);
          const failed = events.find((event) => event.type === 'error');
          if (found !== undefined || failed !== undefined || socket.destroyed) {
            listeners.delete(check);
            clearTimeout(timer);
            if (found !== undefined) resolve(found as Extract<ConnectionEvent, { type: typeof type }>);
            else reject(failed?.type === 'error' ? failed.error : new Error(`socket closed before ${type}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${type}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * Our client against `openssl s_server` started with `serverArgs` for `connections` connections;
 * connected to it once.
 */
export async function ourClientAgainstOpenssl(
  serverArgs: string[],
  config: ConnectionConfig,
  cleanups: Array<() => void>,
  connections = 1,
) {
  const server = await opensslServer(serverArgs, connections);
  cleanups.push(() => server.stop());
  const socket = await connectTo(server.port);
  cleanups.push(() => socket.destroy());
  const client = createClientConnection(config);
  return { server, client, io: pump(client, socket) };
}

/** A peer client, started by `start` against a port of ours, and our server engine made by `make`. */
export async function peerClientAgainstOurs<P extends Peer>(
  start: (port: number) => P,
  make: () => Connection,
  cleanups: Array<() => void>,
) {
  const listener = await listenOnce();
  cleanups.push(() => listener.close());
  const client = start(listener.port);
  cleanups.push(() => client.stop());
  const socket = await listener.accepted;
  cleanups.push(() => socket.destroy());
  const server = make();
  return { client, server, io: pump(server, socket) };
}
