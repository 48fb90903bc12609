// A process a test talks to (openssl s_server / s_client, gnutls-cli, our own bins): started with
// every stream piped, its stdout and stderr collected as one text, waited on for patterns, and
// killed by the test. Every wait is bounded.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface Peer {
  readonly process: ChildProcessWithoutNullStreams;
  /** Everything the peer printed so far (stdout and stderr, in arrival order). */
  output(): string;
  /**
   * Resolves when the output matches, rejects when the peer exits first or after `timeoutMs`.
   *
   * @example
   * const port = Number((await peer.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/))[1]);
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Calls `listener` after each chunk of output (after it has been added to `output()`). */
  onOutput(listener: () => void): void;
  /** SIGKILL, unless the process has already exited. */
  stop(): void;
}

/** What {@link startPeer} waits by default: long enough for a loaded CI machine, short enough to fail. */
export const defaultWaitMs = 8000;

/**
 * Starts `command args` with every stream piped and collects what it prints.
 *
 * @example
 * const peer = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`]);
 * try { await peer.waitFor(/CONNECTED/); } finally { peer.stop(); }
 */
export function startPeer(command: string, args: readonly string[], defaultTimeoutMs = defaultWaitMs): Peer {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('latin1');
    for (const waiter of waiters) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // A peer that exits (or is killed) while a test still writes to it must not fail the run.
  child.stdin.on('error', () => {});
  child.on('exit', () => {
    for (const waiter of waiters) waiter();
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs = defaultTimeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match !== null) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(match);
          } else if (hasExited()) {
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
    onOutput(listener) {
      child.stdout.on('data', listener);
      child.stderr.on('data', listener);
    },
    stop() {
      if (!hasExited()) child.kill('SIGKILL');
    },
  };
}
