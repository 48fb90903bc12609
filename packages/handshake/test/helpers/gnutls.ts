// GnuTLS as a second real peer (Debian's gnutls-bin, installed by .ci/run): `gnutls-cli`
// connecting to 127.0.0.1, and `gnutls-serv`, which binds every interface and so only ever runs
// inside a fresh network namespace (`unshare -n`). Every wait is bounded.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Fails (never skips) when a GnuTLS tool is not installed: CI installs gnutls-bin. */
export function requireGnutls(tool: 'gnutls-cli' | 'gnutls-serv'): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(
      `${tool} is not installed: these tests need Debian's gnutls-bin (apt-get install -y gnutls-bin; .ci/run installs it)`,
      { cause: error },
    );
  }
}

export interface GnutlsPeer {
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything the peer printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output matches, rejects when the peer exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has exited (bounded by `timeoutMs`). */
  exited(timeoutMs?: number): Promise<number | null>;
  stop(): void;
}

/** Starts `command args` and collects what it prints. */
export function startGnutls(command: string, args: string[]): GnutlsPeer {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('latin1');
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.stdin.on('error', () => {});
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
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`${command} exited (${child.exitCode}) before printing ${pattern}:\n${output}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; ${command} printed:\n${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    exited(timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve(child.exitCode);
          return;
        }
        const timer = setTimeout(
          () => reject(new Error(`${command} did not exit; it printed:\n${output}`)),
          timeoutMs,
        );
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** `gnutls-cli` connecting to 127.0.0.1:port with a priority string and further options. */
export function gnutlsClient(port: number, priority: string, args: string[]): GnutlsPeer {
  return startGnutls('gnutls-cli', ['--port', String(port), '--priority', priority, ...args, '127.0.0.1']);
}

const relayScript = fileURLToPath(new URL('./gnutls-serv-netns.mjs', import.meta.url));

/**
 * `gnutls-serv --echo` inside its own network namespace (`unshare -n`), reachable through a Unix
 * socket (a path in a temporary directory) that a relay in the namespace joins to it: gnutls-serv
 * never listens on this machine's interfaces. Resolves once it accepts connections.
 */
export async function gnutlsServer(args: string[]): Promise<GnutlsPeer & { connect(): Promise<Socket> }> {
  requireGnutls('gnutls-serv');
  const directory = mkdtempSync(join(tmpdir(), 'gnutls-serv-'));
  const socketPath = join(directory, 'relay.sock');
  // Any port is free in a new namespace.
  const peer = startGnutls('unshare', [
    '-n',
    process.execPath,
    relayScript,
    socketPath,
    '5556',
    '--echo',
    ...args,
  ]);
  const stopPeer = peer.stop;
  const stop = () => {
    // Closing stdin (or SIGTERM) makes the relay stop gnutls-serv before it exits.
    peer.process.stdin.end();
    if (peer.process.exitCode === null && peer.process.signalCode === null) peer.process.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await peer.waitFor(/relay ready/, 10_000);
  } catch (error) {
    stop();
    stopPeer();
    throw error;
  }
  return Object.assign(peer, {
    stop,
    connect: () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(socketPath, () => resolve(socket));
        socket.once('error', reject);
      }),
  });
}
