// Real openssl peers on 127.0.0.1 joined to one of our engines by a small pump. Every wait is
// bounded; every process and socket is closed by the caller's `finally`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import type { Connection, ConnectionEvent } from '@tls/handshake';

/** Moves bytes between a socket and an engine; collects the engine's events. */
export function pump(
  socket: Socket,
  connection: Connection,
): { events: ConnectionEvent[]; done: Promise<void> } {
  const events: ConnectionEvent[] = [];
  const flush = () => {
    for (let event = connection.nextEvent(); event !== undefined; event = connection.nextEvent())
      events.push(event);
    const output = connection.takeOutput();
    if (output !== undefined && !socket.destroyed) socket.write(output);
    if (events.some((event) => event.type === 'error' || event.type === 'handshake-complete')) {
      // One handshake is all a test needs: say goodbye politely and let the peer finish.
      if (!connection.error && events.at(-1)?.type === 'handshake-complete') connection.close();
      const last = connection.takeOutput();
      if (last !== undefined && !socket.destroyed) socket.write(last);
      socket.end();
    }
  };
  socket.on('data', (chunk: Buffer) => {
    connection.receive(new Uint8Array(chunk));
    flush();
  });
  socket.on('error', () => socket.destroy());
  flush();
  const done = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { events, done };
}

/** Runs an openssl command to completion (stdin closed), at most `timeoutMs`; resolves with its output. */
export function runOpenssl(args: string[], timeoutMs = 8000): Promise<string> {
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('latin1');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('latin1');
  });
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}

/** Our engine as a server on a free port for one connection; `client` runs the peer against it. */
export async function withServer(
  make: () => Connection,
  client: (port: number) => Promise<string>,
): Promise<{ output: string; events: ConnectionEvent[] }> {
  let pumped: { events: ConnectionEvent[]; done: Promise<void> } | undefined;
  const server = createServer((socket) => {
    pumped = pump(socket, make());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const output = await client((server.address() as AddressInfo).port);
    await Promise.race([pumped?.done, new Promise((resolve) => setTimeout(resolve, 2000))]);
    return { output, events: pumped?.events ?? [] };
  } finally {
    server.close();
  }
}

/** Our engine as a client of `openssl s_server` (started with `args`), one connection. */
export async function againstServer(
  args: string[],
  make: () => Connection,
): Promise<{ output: string; events: ConnectionEvent[] }> {
  const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-naccept', '1', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server did not start:\n${output}`)), 8000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('latin1');
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  try {
    const port = await listening;
    const socket = connect(port, '127.0.0.1');
    const { events, done } = pump(socket, make());
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000))]);
    socket.destroy();
    return { output, events };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** `openssl s_server` on a free port for `connections` connections; stop() kills it. */
export async function opensslServer(
  args: string[],
  connections: number,
): Promise<{ port: number; stop(): void }> {
  const child = spawn(
    'openssl',
    ['s_server', '-accept', '127.0.0.1:0', '-naccept', String(connections), ...args],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server did not start:\n${output}`)), 8000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('latin1');
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  return {
    port,
    stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Our engine as a client to 127.0.0.1:port; resolves with its events once the socket closes (at most 5 s). */
export async function connectEngine(port: number, make: () => Connection): Promise<ConnectionEvent[]> {
  const socket = connect(port, '127.0.0.1');
  const { events, done } = pump(socket, make());
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000))]);
  socket.destroy();
  return events;
}
