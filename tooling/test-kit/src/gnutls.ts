// GnuTLS as a real peer (Debian's gnutls-bin, installed by .ci/run): `gnutls-cli` connecting to
// 127.0.0.1, and `gnutls-serv`, which binds every interface and so only ever runs inside a fresh
// network namespace (`unshare -n`), reached through a Unix socket. Every wait is bounded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Peer, startPeer } from './peer.js';

/**
 * Fails (never skips) when a GnuTLS tool is not installed: CI installs gnutls-bin.
 *
 * @throws Error naming the package to install.
 */
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

/** `gnutls-cli` connecting to 127.0.0.1:port with a priority string and further options. */
export function gnutlsClient(port: number, priority: string, args: readonly string[]): Peer {
  return startPeer('gnutls-cli', ['--port', String(port), '--priority', priority, ...args, '127.0.0.1']);
}

const relayScript = fileURLToPath(new URL('./gnutls-serv-netns.mjs', import.meta.url));

/**
 * `gnutls-serv --echo` inside its own network namespace (`unshare -n`), reachable through a Unix
 * socket (a path in a temporary directory) that a relay in the namespace joins to it: gnutls-serv
 * never listens on this machine's interfaces. Resolves once it accepts connections.
 *
 * @example
 * const server = await gnutlsServer(['--x509keyfile', keyFile, '--x509certfile', certFile]);
 * try { const socket = await server.connect(); … } finally { server.stop(); }
 */
export async function gnutlsServer(args: readonly string[]): Promise<Peer & { connect(): Promise<Socket> }> {
  requireGnutls('gnutls-serv');
  const directory = mkdtempSync(join(tmpdir(), 'gnutls-serv-'));
  const socketPath = join(directory, 'relay.sock');
  // Any port is free in a new namespace.
  const peer = startPeer('unshare', [
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
