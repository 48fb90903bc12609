// GnuTLS as a second real peer (Debian's gnutls-bin, installed by .ci/run): `gnutls-cli`
// connecting to 127.0.0.1, and `gnutls-serv`, which binds every interface and so only ever runs
// inside a fresh network namespace (`unshare -n`). Every wait is bounded.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';

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
