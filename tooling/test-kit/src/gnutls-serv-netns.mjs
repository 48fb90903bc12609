// Runs inside a fresh network namespace (`unshare -n node gnutls-serv-netns.mjs PATH PORT ARGS...`):
// brings its loopback up, starts `gnutls-serv --port PORT ARGS...` there (gnutls-serv binds every
// interface, which in this namespace is only its own loopback) and relays each connection accepted
// on the Unix socket PATH (a file, so reachable from outside the namespace) to 127.0.0.1:PORT.
// Prints "relay ready" once gnutls-serv accepts connections; stops gnutls-serv and exits when its
// stdin closes, on SIGTERM, or when gnutls-serv exits. Plain JavaScript: it needs no engine code.
import { execFileSync, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

const [socketPath, portText, ...serverArgs] = process.argv.slice(2);
const port = Number(portText);
execFileSync('ip', ['link', 'set', 'lo', 'up']);
const server = spawn('gnutls-serv', ['--port', String(port), ...serverArgs], {
  stdio: ['ignore', 'inherit', 'inherit'],
});

/** Kills gnutls-serv; the relay exits once it has reaped it (the 'exit' handler below). */
function stop() {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  else process.exit(0);
}
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
server.on('exit', (code, signal) => {
  process.stdout.write(`gnutls-serv exited (${code ?? signal})\n`);
  process.exit(0);
});

const relay = createServer((outside) => {
  const inside = connect(port, '127.0.0.1');
  outside.pipe(inside);
  inside.pipe(outside);
  outside.on('error', () => inside.destroy());
  inside.on('error', () => outside.destroy());
  outside.on('close', () => inside.destroy());
  inside.on('close', () => outside.destroy());
});

/** Waits (at most 100 tries, 50 ms apart) until gnutls-serv accepts a TCP connection. */
function whenListening(tries) {
  const probe = connect(port, '127.0.0.1', () => {
    probe.destroy();
    relay.listen(socketPath, () => process.stdout.write('relay ready\n'));
  });
  probe.on('error', () => {
    if (tries <= 1) {
      process.stdout.write('gnutls-serv never listened\n');
      stop();
    } else setTimeout(() => whenListening(tries - 1), 50);
  });
}
whenListening(100);
