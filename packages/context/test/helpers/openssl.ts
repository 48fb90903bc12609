// Real openssl peers on 127.0.0.1 joined to one of our engines by a small pump. Every wait is
// bounded; every process and socket is closed by the caller's `finally`.
import { type Socket, connect, createServer } from 'node:net';
import {
  type Connection,
  type ConnectionConfig,
  type ConnectionEvent,
  createServerConnection,
} from '@tls/handshake';
import { listenOnLoopback, opensslServer as startOpensslServer, startPeer } from '@tls/test-kit';

/** How long a pumped connection lasts. */
export interface PumpOptions {
  /**
   * When our side says goodbye (close_notify, then end), given the events so far; by default
   * once the handshake is complete: one handshake is all most tests need. `() => false` keeps
   * the connection open (tickets, renegotiation, ...) until the peer closes it. An error or the
   * peer's close_notify always ends it.
   */
  readonly until?: (events: readonly ConnectionEvent[]) => boolean;
  /** Runs once when the handshake completes, before `until` (to write application data, ...). */
  readonly onHandshake?: (connection: Connection) => void;
}

const handshakeDone = (events: readonly ConnectionEvent[]) =>
  events.some((event) => event.type === 'handshake-complete');

/** Moves bytes between a socket and an engine; collects the engine's events. */
export function pump(
  socket: Socket,
  connection: Connection,
  options: PumpOptions = {},
): { events: ConnectionEvent[]; done: Promise<void> } {
  const events: ConnectionEvent[] = [];
  let closing = false;
  let completed = false;
  const flush = () => {
    for (let event = connection.nextEvent(); event !== undefined; event = connection.nextEvent())
      events.push(event);
    if (!completed && handshakeDone(events)) {
      completed = true;
      options.onHandshake?.(connection);
    }
    const output = connection.takeOutput();
    if (output !== undefined && !socket.destroyed) socket.write(output);
    const ended =
      events.some((event) => event.type === 'error' || event.type === 'peer-closed') ||
      (options.until ?? handshakeDone)(events);
    if (ended && !closing) {
      closing = true;
      // Say goodbye politely and let the peer finish.
      if (!connection.error) connection.close();
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

/** The code of the engine's error event, if any. */
export function errorCode(events: readonly ConnectionEvent[]): string | undefined {
  const event = events.find((e) => e.type === 'error');
  return event?.type === 'error' ? event.error.code : undefined;
}

/** A line for a peer's stdin once its output (after the previous step's match) matches `after`. */
export interface ScriptStep {
  readonly after: RegExp;
  /** Text to type; none: only wait for `after`. */
  readonly send?: string;
}

/**
 * Feeds `script` to a child's stdin as its output matches each step, then closes stdin (when
 * `end`); without a script that is at once.
 */
function feed(
  child: { stdin: NodeJS.WritableStream },
  script: readonly ScriptStep[],
  output: () => string,
  end = true,
): () => void {
  let step = 0;
  let from = 0;
  const advance = () => {
    while (step < script.length) {
      const { after, send } = script[step]!;
      const match = after.exec(output().slice(from));
      if (match === null) return;
      from += match.index + match[0].length;
      if (send !== undefined) child.stdin.write(send);
      step++;
    }
    if (end) child.stdin.end();
  };
  advance();
  return advance;
}

/**
 * Runs an openssl command to completion, at most `timeoutMs`; resolves with its output. stdin is
 * closed at once, or after `script` has been typed.
 */
export function runOpenssl(
  args: string[],
  timeoutMs = 8000,
  script: readonly ScriptStep[] = [],
): Promise<string> {
  const peer = startPeer('openssl', args);
  peer.onOutput(feed(peer.process, script, peer.output));
  const timer = setTimeout(() => peer.stop(), timeoutMs);
  return new Promise((resolve) => {
    peer.process.on('close', () => {
      clearTimeout(timer);
      resolve(peer.output());
    });
  });
}

/** Our engine as a server on a free port, a new engine per connection, until stop(). */
export async function engineServer(
  make: () => Connection,
  options: PumpOptions = {},
): Promise<{
  port: number;
  connections: { events: ConnectionEvent[]; done: Promise<void> }[];
  stop(): void;
}> {
  const connections: { events: ConnectionEvent[]; done: Promise<void> }[] = [];
  const server = createServer((socket) => {
    connections.push(pump(socket, make(), options));
  });
  const port = await listenOnLoopback(server);
  return { port, connections, stop: () => server.close() };
}

/**
 * {@link engineServer} while `client` runs the peer against it. `events` are those of the last
 * connection, `connections` those of each.
 */
export async function withServer(
  make: () => Connection,
  client: (port: number) => Promise<string>,
  options: PumpOptions = {},
): Promise<{ output: string; events: ConnectionEvent[]; connections: ConnectionEvent[][] }> {
  const server = await engineServer(make, options);
  try {
    const output = await client(server.port);
    const last = server.connections.at(-1);
    await Promise.race([last?.done, new Promise((resolve) => setTimeout(resolve, 2000))]);
    return { output, events: last?.events ?? [], connections: server.connections.map((c) => c.events) };
  } finally {
    server.stop();
  }
}

/**
 * `openssl s_client` with `args` against our server, whose engine `config()` configures anew for
 * each connection; see {@link withServer}.
 */
export function sClientAgainstOurs(config: () => ConnectionConfig, args: string[]) {
  return withServer(
    () => createServerConnection(config()),
    (port) => runOpenssl(['s_client', '-connect', `127.0.0.1:${port}`, ...args]),
  );
}

/**
 * Our engine as a client of `openssl s_server` (started with `args`), one connection; `script`
 * is typed into s_server as its output matches (`r`: renegotiate, ...).
 */
export async function againstServer(
  args: string[],
  make: () => Connection,
  options: PumpOptions & { readonly script?: readonly ScriptStep[] } = {},
): Promise<{ output: string; events: ConnectionEvent[] }> {
  const server = await opensslServer(args, 1, options.script);
  try {
    const events = await connectEngine(server.port, make, options);
    return { output: server.output(), events };
  } finally {
    server.stop();
  }
}

/**
 * `openssl s_server` on a free port for `connections` connections; `script` is typed into its
 * stdin as its output matches (stdin stays open: s_server ends a connection at EOF); stop() kills it.
 */
export async function opensslServer(
  args: string[],
  connections: number,
  script: readonly ScriptStep[] = [],
): Promise<{ port: number; output(): string; stop(): void }> {
  const server = await startOpensslServer(args, connections);
  server.onOutput(feed(server.process, script, server.output, false));
  return server;
}

/** Our engine as a client to 127.0.0.1:port; resolves with its events once the socket closes (at most 5 s). */
export async function connectEngine(
  port: number,
  make: () => Connection,
  options: PumpOptions = {},
): Promise<ConnectionEvent[]> {
  const socket = connect(port, '127.0.0.1');
  const { events, done } = pump(socket, make(), options);
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000))]);
  socket.destroy();
  return events;
}
