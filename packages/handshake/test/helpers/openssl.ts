// Real peers for tests: `openssl s_server` / `s_client` on 127.0.0.1, started and stopped by the
// test, and a tiny pump that joins one of our engines to a TCP socket. Every wait is bounded.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type Socket, connect, createServer } from 'node:net';
import type { Connection, ConnectionEvent } from '@tls/handshake';

export interface Peer {
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything the peer printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output matches, rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): void;
}

function startPeer(args: string[]): Peer {
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('latin1');
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', () => {
    for (const waiter of waiters) waiter();
  });
  return {
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(match);
          } else if (child.exitCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`openssl exited (${child.exitCode}) before printing ${pattern}:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; openssl printed:\n${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** `openssl s_server` on 127.0.0.1 with a free port; resolves once it listens. */
export async function opensslServer(args: string[], connections = 1): Promise<Peer & { port: number }> {
  const peer = startPeer(['s_server', '-accept', '127.0.0.1:0', '-naccept', String(connections), ...args]);
  const match = await peer.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/);
  return Object.assign(peer, { port: Number(match[1]) });
}

/** `openssl s_client` connecting to 127.0.0.1:port. */
export function opensslClient(port: number, args: string[]): Peer {
  return startPeer(['s_client', '-connect', `127.0.0.1:${port}`, ...args]);
}

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

/** A TCP connection to 127.0.0.1:port. */
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
