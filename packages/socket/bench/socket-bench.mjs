// @tls/socket next to node:tls in one interleaved run over 127.0.0.1: bulk throughput on one
// connection, sequential full and resumed TLS 1.3 handshakes, and memory per idle connection.
// Both ends of each measurement use the same implementation. Prints medians and ours/native.
// Usage: pnpm bench [--rounds N]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nativeTls from 'node:tls';
import ours from '@tls/socket';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const memoryOnly = process.argv.includes('--memory')
  ? process.argv[process.argv.indexOf('--memory') + 1]
  : undefined;
const directory = mkdtempSync(join(tmpdir(), 'tls-socket-bench-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(directory, 'k'),
    '-out',
    join(directory, 'c'),
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
  ],
  { stdio: 'ignore' },
);
const key = readFileSync(join(directory, 'k'));
const cert = readFileSync(join(directory, 'c'));
const implementations = { ours, native: nativeTls };

async function server(tls, handler, options = {}) {
  const s = tls.createServer({ key, cert, ...options }, handler);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return s;
}

async function bulk(tls, ciphersuites) {
  const total = 64 * 1024 * 1024;
  let received = 0;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  const s = await server(
    tls,
    (socket) => {
      socket.on('data', (chunk) => {
        received += chunk.length;
        if (received >= total) done();
      });
    },
    { ciphersuites },
  );
  const socket = tls.connect({
    port: s.address().port,
    host: '127.0.0.1',
    rejectUnauthorized: false,
    ciphersuites,
  });
  await once(socket, 'secureConnect');
  const chunk = Buffer.alloc(65536, 7);
  const start = performance.now();
  for (let sent = 0; sent < total; sent += chunk.length)
    if (!socket.write(chunk)) await once(socket, 'drain');
  await finished;
  const seconds = (performance.now() - start) / 1000;
  socket.destroy();
  s.close();
  return total / seconds / 1e6;
}

async function handshakes(tls, resume) {
  const s = await server(tls, (socket) => socket.end());
  let session;
  let count = 0;
  const deadline = performance.now() + 1000;
  while (performance.now() < deadline) {
    const socket = tls.connect({
      port: s.address().port,
      host: '127.0.0.1',
      rejectUnauthorized: false,
      ...(resume && session ? { session } : {}),
    });
    socket.on('session', (value) => {
      session ??= value;
    });
    socket.on('error', () => {});
    await once(socket, 'secureConnect');
    socket.resume();
    await once(socket, 'close');
    count++;
  }
  s.close();
  return count;
}

/** Memory is measured in a fresh process per implementation, so earlier runs do not blur it. */
function idleMemory(tls) {
  const label = tls === ours ? 'ours' : 'native';
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', new URL(import.meta.url).pathname, '--memory', label],
    { encoding: 'utf8' },
  );
  return Number(output.trim());
}

async function idleMemoryHere(tls) {
  const count = 500;
  const sockets = [];
  const s = await server(tls, (socket) => sockets.push(socket));
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < count; i++) {
    const socket = tls.connect({ port: s.address().port, host: '127.0.0.1', rejectUnauthorized: false });
    await once(socket, 'secureConnect');
    sockets.push(socket);
  }
  globalThis.gc?.();
  const perConnection = (process.memoryUsage().rss - before) / count / 1024;
  for (const socket of sockets) socket.destroy();
  s.close();
  return perConnection;
}

if (memoryOnly !== undefined) {
  await handshakes(implementations[memoryOnly], false);
  console.log((await idleMemoryHere(implementations[memoryOnly])).toFixed(1));
  process.exit(0);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const measurements = [
  ['bulk TLS 1.3 AES-128-GCM, MB/s', (tls) => bulk(tls, 'TLS_AES_128_GCM_SHA256')],
  ['bulk TLS 1.3 CHACHA20-POLY1305, MB/s', (tls) => bulk(tls, 'TLS_CHACHA20_POLY1305_SHA256')],
  ['full handshakes/s, ECDSA P-256', (tls) => handshakes(tls, false)],
  ['resumed handshakes/s (tickets)', (tls) => handshakes(tls, true)],
  ['KiB RSS per idle connection (both ends)', (tls) => idleMemory(tls)],
];
console.log(`@tls/socket vs node:tls, ${rounds} interleaved rounds, ${process.version}\n`);
const rows = [];
for (const [name, measure] of measurements) {
  const samples = { ours: [], native: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [label, tls] of Object.entries(implementations)) samples[label].push(await measure(tls));
  }
  rows.push({
    measurement: name,
    ours: Number(median(samples.ours).toFixed(1)),
    native: Number(median(samples.native).toFixed(1)),
    'ours/native': (median(samples.ours) / median(samples.native)).toFixed(2),
  });
}
console.table(rows);
rmSync(directory, { recursive: true, force: true });
