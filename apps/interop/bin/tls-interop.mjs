#!/usr/bin/env node
// tls-interop: our client and our server against real peers on 127.0.0.1 (openssl s_client and
// s_server, Node's native tls), TLS 1.3 and TLS 1.2, each case a full handshake and an echoed
// line. Prints a matrix; exits 1 when a case fails. Usage: tls-interop [--json]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nativeTls from 'node:tls';
import ours from '@tls/socket';

const directory = mkdtempSync(join(tmpdir(), 'tls-interop-'));
const keyFile = join(directory, 'key.pem');
const certFile = join(directory, 'cert.pem');
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
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  ],
  { stdio: 'ignore' },
);
const key = readFileSync(keyFile);
const cert = readFileSync(certFile);
const versions = { 'TLS 1.3': ['TLSv1.3', '-tls1_3'], 'TLS 1.2': ['TLSv1.2', '-tls1_2'] };
const line = 'interop ping\n';

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out`)), 5000);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function readLine(stream) {
  let text = '';
  for await (const chunk of stream) {
    text += chunk;
    if (text.includes('\n')) return text;
  }
  return text;
}

/** Our client against a peer server: returns the negotiated protocol. */
async function clientAgainst(startServer, version, expected = line) {
  const { port, stop } = await startServer(version);
  try {
    const socket = ours.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: cert,
      minVersion: version[0],
      maxVersion: version[0],
    });
    await withTimeout(once(socket, 'secureConnect'), 'handshake');
    socket.write(line);
    const echoed = await withTimeout(readLine(socket), 'echo');
    socket.destroy();
    if (echoed !== expected) throw new Error(`echo was ${JSON.stringify(echoed)}`);
    return socket.getProtocol();
  } finally {
    stop();
  }
}

/** A peer client against our echo server: returns the protocol our server negotiated. */
async function serverAgainst(runClient, version) {
  let protocol;
  const server = ours.createServer({ key, cert }, (socket) => {
    protocol = socket.getProtocol();
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const echoed = await withTimeout(runClient(server.address().port, version), 'peer client');
    if (echoed !== line) throw new Error(`echo was ${JSON.stringify(echoed)}`);
    return protocol;
  } finally {
    server.close();
  }
}

const opensslServer = async (version) => {
  const child = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-key',
      keyFile,
      '-cert',
      certFile,
      version[1],
      '-naccept',
      '1',
      '-rev',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 5000;
  while (!/ACCEPT 127\.0\.0\.1:(\d+)/.test(output) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const port = Number(/ACCEPT 127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
  return { port, stop: () => child.kill('SIGKILL') };
};
const nativeServer = async (version) => {
  const server = nativeTls.createServer({ key, cert, minVersion: version[0], maxVersion: version[0] }, (s) =>
    s.pipe(s),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: server.address().port, stop: () => server.close() };
};
const opensslClient = async (port, version) => {
  const child = spawn(
    'openssl',
    [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-servername',
      'localhost',
      version[1],
      '-quiet',
      '-no_ign_eof',
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  child.stdin.write(line);
  try {
    return await readLine(child.stdout);
  } finally {
    child.kill('SIGKILL');
  }
};
const nativeClient = async (port, version) => {
  const socket = nativeTls.connect({
    port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: cert,
    minVersion: version[0],
    maxVersion: version[0],
  });
  await once(socket, 'secureConnect');
  socket.write(line);
  try {
    return await readLine(socket);
  } finally {
    socket.destroy();
  }
};

// `s_server -rev` answers each line reversed (its newline kept last).
const reversed = `${[...line.trimEnd()].reverse().join('')}\n`;
const cases = [
  ['our client', 'openssl s_server', (v) => clientAgainst(opensslServer, v, reversed)],
  ['our client', 'node:tls server', (v) => clientAgainst(nativeServer, v)],
  ['openssl s_client', 'our server', (v) => serverAgainst(opensslClient, v)],
  ['node:tls client', 'our server', (v) => serverAgainst(nativeClient, v)],
];

const results = [];
for (const [client, server, run] of cases) {
  for (const [label, version] of Object.entries(versions)) {
    const started = performance.now();
    let outcome;
    try {
      outcome = await run(version);
    } catch (error) {
      outcome = `FAIL: ${error.message}`;
    }
    results.push({
      client,
      server,
      version: label,
      result: outcome === version[0] ? 'ok' : outcome,
      ms: Math.round(performance.now() - started),
    });
  }
}
rmSync(directory, { recursive: true, force: true });
if (process.argv.includes('--json')) console.log(JSON.stringify(results, null, 2));
else console.table(results);
process.exit(results.every((row) => row.result === 'ok') ? 0 : 1);
