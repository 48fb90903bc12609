// Handshakes per second: our engine in memory (no sockets: the protocol and crypto cost alone)
// next to Node's native tls over 127.0.0.1, in one interleaved run. Sequential full handshakes
// with ECDSA P-256 and RSA-2048 server certificates, and TLS 1.3 ticket resumption.
// Usage: pnpm bench [--rounds N] [--seconds S]
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nativeTls from 'node:tls';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createClientConnection, createServerConnection } from '@tls/handshake';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const rounds = option('rounds', 5);
const seconds = option('seconds', 1);
const provider = createNodeCryptoProvider();
const directory = mkdtempSync(join(tmpdir(), 'tls-bench-'));

function credential(name, keyArgs) {
  const keyFile = join(directory, `${name}.key`);
  const certFile = join(directory, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(keyFile, 'utf8');
  const cert = readFileSync(certFile, 'utf8');
  return {
    key,
    cert,
    certified: {
      chain: [new Uint8Array(new X509Certificate(cert).raw)],
      privateKey: provider.importPrivateKey({ key }),
    },
  };
}

const credentials = {
  'ECDSA P-256': credential('ecdsa', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']),
  'RSA-2048': credential('rsa', ['-newkey', 'rsa:2048']),
};
// Read into memory: the files go now, so an interrupted run leaves nothing behind.
rmSync(directory, { recursive: true, force: true });
const ticketKeys = provider.random(48);

/** One in-memory handshake; returns the client's first session when asked. */
function ourHandshake(certified, session) {
  const client = createClientConnection({
    provider,
    serverName: 'localhost',
    ...(session ? { session } : {}),
  });
  const server = createServerConnection({ provider, certificates: [certified], ticketKeys, ticketCount: 1 });
  let ticket;
  for (let round = 0; round < 10; round++) {
    const toServer = client.takeOutput();
    if (toServer) server.receive(toServer);
    const toClient = server.takeOutput();
    if (toClient) client.receive(toClient);
    if (!toServer && !toClient) break;
  }
  for (let event = client.nextEvent(); event; event = client.nextEvent()) {
    if (event.type === 'error') throw event.error;
    if (event.type === 'session-ticket') ticket ??= event.session;
  }
  if (client.isHandshaking) throw new Error('handshake did not complete');
  return ticket;
}

async function nativeHandshakes(cred, resume, deadline) {
  const server = nativeTls.createServer({ key: cred.key, cert: cred.cert }, (socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  let session;
  let count = 0;
  while (performance.now() < deadline) {
    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      rejectUnauthorized: false,
      ...(resume && session ? { session } : {}),
    });
    socket.on('session', (s) => {
      session ??= s;
    });
    await once(socket, 'secureConnect');
    socket.on('data', () => {});
    socket.destroy();
    count++;
  }
  server.close();
  return count;
}

async function measure(fn) {
  const start = performance.now();
  const count = await fn(start + seconds * 1000);
  return count / ((performance.now() - start) / 1000);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
console.log(`handshakes per second, ${rounds} interleaved rounds of ${seconds}s, ${process.version}\n`);
for (const [name, cred] of Object.entries(credentials)) {
  for (const resume of [false, true]) {
    const ours = [];
    const native = [];
    const session = resume ? ourHandshake(cred.certified) : undefined;
    for (let round = 0; round < rounds; round++) {
      ours.push(
        await measure((deadline) => {
          let count = 0;
          while (performance.now() < deadline) {
            ourHandshake(cred.certified, session);
            count++;
          }
          return count;
        }),
      );
      native.push(await measure((deadline) => nativeHandshakes(cred, resume, deadline)));
    }
    rows.push({
      handshake: `TLS 1.3 ${resume ? 'resumed (ticket)' : 'full'}, ${name}`,
      'ours in memory /s': Math.round(median(ours)),
      'native over TCP /s': Math.round(median(native)),
      'ours/native': (median(ours) / median(native)).toFixed(2),
    });
  }
}
console.table(rows);
console.log(
  '\nOurs runs both ends in one thread with no I/O; native includes TCP on loopback and its own client.',
);
