// @tls/socket next to node:tls in one interleaved run over 127.0.0.1. Each measurement runs
// ours and native alternately, round after round; a row's ratio is ours/native per round, printed
// as the median and the min–max over the rounds. Rows: bulk throughput on one connection (three
// suites, both directions), full handshakes per second (ECDSA P-256 and RSA-2048, TLS 1.3 and 1.2,
// sequential and 16 concurrent), resumed handshakes per second (TLS 1.3 tickets, TLS 1.2 tickets
// and session ids), each side alone (our client against a native server, a native client against
// our server), and memory per idle connection (1000 connections, each side measured in a process
// of its own with the peer in another).
//
// Writes bench/results.json and bench/results.svg (the chart in the README).
// Usage: pnpm bench [--rounds N] [--seconds S] [--only SUBSTRING] [--no-write] [--no-warmup]
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createServer as createNetServer, connect as netConnect } from 'node:net';
import * as nativeTls from 'node:tls';
import ours from '@tls/socket';

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
};
const rounds = Number(argument('--rounds', 5));
const seconds = Number(argument('--seconds', 0.6));
const only = argument('--only', undefined);
const write = !process.argv.includes('--no-write');
const warmup = !process.argv.includes('--no-warmup');
const implementations = { ours, native: nativeTls };

// --- credentials --------------------------------------------------------------------------------

const directory = mkdtempSync(join(tmpdir(), 'tls-socket-bench-'));
function credential(name, keyArguments) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      ...keyArguments,
      '-nodes',
      '-keyout',
      join(directory, `${name}.key`),
      '-out',
      join(directory, `${name}.crt`),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(directory, `${name}.key`)),
    cert: readFileSync(join(directory, `${name}.crt`)),
  };
}
const credentials = {
  ecdsa: credential('ecdsa', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256']),
  rsa: credential('rsa', ['rsa:2048']),
};
rmSync(directory, { recursive: true, force: true });

const versions = {
  1.3: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
  1.2: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' },
};

// --- measurements -------------------------------------------------------------------------------

async function listen(tls, options, handler) {
  const server = tls.createServer(options, handler);
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function connect(tls, server, options) {
  return tls.connect({
    port: server.address().port,
    host: '127.0.0.1',
    rejectUnauthorized: false,
    ...options,
  });
}

/** MB/s of application data over one connection; `upload` sends from the client to the server. */
async function bulk({ client, server }, { suite, version, credential, upload }) {
  // Node has no `ciphersuites` option: TLS 1.3 suite names go in `ciphers` too.
  const options = { ...versions[version], ciphers: suite };
  let accept;
  const accepted = new Promise((resolve) => {
    accept = resolve;
  });
  const s = await listen(server, { ...credentials[credential], ...options }, (socket) => accept(socket));
  const clientSocket = connect(client, s, options);
  const [serverSocket] = await Promise.all([accepted, once(clientSocket, 'secureConnect')]);
  // The row measures the suite its label names, or fails.
  if (clientSocket.getCipher().name !== suite && clientSocket.getCipher().standardName !== suite)
    throw new Error(`bulk: asked for ${suite}, negotiated ${clientSocket.getCipher().standardName}`);
  const [sender, receiver] = upload ? [clientSocket, serverSocket] : [serverSocket, clientSocket];
  const chunk = Buffer.alloc(65536, 7);
  let received = 0;
  receiver.on('data', (data) => {
    received += data.length;
  });
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let sent = 0;
  while (performance.now() < deadline) {
    sent += chunk.length;
    if (!sender.write(chunk)) await once(sender, 'drain');
  }
  // Bounded: a stalled transfer fails the run rather than hanging it.
  while (received < sent && performance.now() - start < seconds * 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const elapsed = (performance.now() - start) / 1000;
  if (received !== sent) throw new Error(`bulk: ${sent} bytes sent, ${received} received`);
  clientSocket.destroy();
  serverSocket.destroy();
  s.close();
  return received / elapsed / 1e6;
}

/**
 * Handshakes per second: `parallel` loops, each connecting, waiting for secureConnect, then ending
 * (the server ends in answer) and waiting for close. With `resume`, every connection after the
 * first offers the first one's session, and every one of them must be resumed.
 */
async function handshakes({ client, server }, { credential, version, parallel = 1, resume, sessionIds }) {
  const serverOptions = { ...credentials[credential], ...versions[version] };
  if (sessionIds) serverOptions.secureOptions = constants.SSL_OP_NO_TICKET;
  const s = await listen(server, serverOptions, (socket) => {
    socket.resume();
    socket.on('end', () => socket.end());
  });
  if (sessionIds) {
    // Node's server keeps TLS 1.2 sessions by id only through these events (its OpenSSL cache
    // has no internal store): the seeds' pattern, the same code for both.
    const store = new Map();
    s.on('newSession', (id, data, callback) => {
      store.set(id.toString('hex'), data);
      callback();
    });
    s.on('resumeSession', (id, callback) => callback(null, store.get(id.toString('hex')) ?? null));
  }
  let session;
  let count = 0;
  let reused = 0;
  async function one() {
    const socket = connect(client, s, { ...versions[version], ...(resume && session ? { session } : {}) });
    const gotSession = new Promise((resolve) => {
      socket.on('session', (value) => {
        session ??= value;
        resolve();
      });
    });
    await once(socket, 'secureConnect');
    if (socket.isSessionReused()) reused++;
    if (resume && session === undefined) await gotSession;
    socket.resume();
    socket.end();
    await once(socket, 'close');
  }
  if (resume) {
    await one();
    if (session === undefined) throw new Error('no session to resume');
    reused = 0;
  }
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        await one();
        count++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  s.close();
  if (resume && reused !== count) throw new Error(`resumption: ${reused} of ${count} resumed`);
  return count / elapsed;
}

/**
 * The most any stack built on node:crypto can reach on this machine for `bulk` with both ends in
 * one thread: each 16 KiB record sealed (a fresh cipher object per record, as node:crypto
 * requires) and opened, and its bytes through loopback TCP in 64 KiB writes, with no TLS code at
 * all. Returns MB/s = 1 / (1/seal + 1/open + 1/tcp), each measured here and now.
 */
async function ceiling({ suite }) {
  const algorithm = suite.includes('CHACHA20') ? 'chacha20-poly1305' : 'aes-128-gcm';
  const key = createSecretKey(randomBytes(algorithm === 'aes-128-gcm' ? 16 : 32));
  const record = randomBytes(16384);
  const header = Buffer.from([23, 3, 3, 0x40, 0x11]);
  const nonce = randomBytes(12);
  const rate = (work) => {
    let bytes = 0;
    const start = performance.now();
    while (performance.now() - start < (seconds * 1000) / 3) bytes += work();
    return bytes / ((performance.now() - start) / 1000) / 1e6;
  };
  let sealed;
  let tag;
  const seal = rate(() => {
    const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: 16 });
    cipher.setAAD(header);
    sealed = cipher.update(record);
    cipher.final();
    tag = cipher.getAuthTag();
    return record.length;
  });
  const open = rate(() => {
    const decipher = createDecipheriv(algorithm, key, nonce, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    decipher.setAAD(header);
    decipher.update(sealed);
    decipher.final();
    return record.length;
  });
  const tcp = await plainTcp();
  return 1 / (1 / seal + 1 / open + 1 / tcp);
}

/** MB/s of 64 KiB writes through one loopback TCP connection, both ends in this process. */
async function plainTcp() {
  const server = createNetServer();
  const accepted = once(server, 'connection');
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const sender = netConnect(server.address().port, '127.0.0.1');
  const [receiver] = await accepted;
  let received = 0;
  receiver.on('data', (data) => {
    received += data.length;
  });
  const chunk = Buffer.alloc(65536, 7);
  let sent = 0;
  const start = performance.now();
  while (performance.now() - start < (seconds * 1000) / 3) {
    sent += chunk.length;
    if (!sender.write(chunk)) await once(sender, 'drain');
  }
  while (received < sent && performance.now() - start < seconds * 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const elapsed = (performance.now() - start) / 1000;
  sender.destroy();
  receiver.destroy();
  server.close();
  return received / elapsed / 1e6;
}

// --- idle memory, in child processes ----------------------------------------------------------------

const idleCount = 1000;

/**
 * The child processes. The parent steps them: the client warms up (so code is not counted as
 * state), the server takes its baseline, the client opens `idleCount` connections and measures,
 * then the server measures.
 */
async function memoryChild() {
  const role = argument('--memory-role', undefined);
  const tls = implementations[argument('--memory-tls', 'native')];
  const step = () => new Promise((resolve) => process.once('message', resolve));
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    globalThis.gc?.();
  };
  if (role === 'server') {
    const live = new Set();
    const s = await listen(tls, credentials.ecdsa, (socket) => {
      live.add(socket);
      socket.on('close', () => live.delete(socket));
    });
    process.send({ port: s.address().port });
    await step();
    await settle();
    const before = process.memoryUsage().rss;
    process.send({});
    await step();
    await settle();
    process.send({ kib: (process.memoryUsage().rss - before) / live.size / 1024, count: live.size });
    await step();
    process.exit(0);
  }
  const port = Number(argument('--memory-port', 0));
  const sockets = [];
  for (let i = 0; i < 20; i++) {
    const socket = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    await once(socket, 'secureConnect');
    socket.destroy();
  }
  await settle();
  process.send({});
  await step();
  const before = process.memoryUsage().rss;
  for (let i = 0; i < idleCount; i++) {
    const socket = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    await once(socket, 'secureConnect');
    sockets.push(socket);
  }
  await settle();
  process.send({ kib: (process.memoryUsage().rss - before) / sockets.length / 1024 });
  await step();
  process.exit(0);
}

function child(args) {
  return fork(new URL(import.meta.url).pathname, args, { execArgv: ['--expose-gc'], stdio: 'inherit' });
}

/** `promise`, or an error after `seconds`: a step that never comes fails the run, not hangs it. */
function within(promise, what, seconds = 120) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench: no ${what} within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** KiB of RSS per idle connection on `side`, which uses `label`; the other side is native. */
async function idleMemory(side, label) {
  const server = child(['--memory-role', 'server', '--memory-tls', side === 'server' ? label : 'native']);
  let client;
  try {
    const [{ port }] = await within(once(server, 'message'), 'listening server');
    client = child([
      '--memory-role',
      'client',
      '--memory-tls',
      side === 'client' ? label : 'native',
      '--memory-port',
      String(port),
    ]);
    await within(once(client, 'message'), 'client warm-up');
    server.send('baseline');
    await within(once(server, 'message'), 'server baseline');
    client.send('go');
    const [{ kib: clientKib }] = await within(once(client, 'message'), `${idleCount} client connections`);
    server.send('measure');
    const [{ kib: serverKib, count }] = await within(once(server, 'message'), 'server measurement');
    if (count !== idleCount) throw new Error(`the server holds ${count} connections, not ${idleCount}`);
    client.send('exit');
    server.send('exit');
    await within(Promise.all([once(client, 'exit'), once(server, 'exit')]), 'exit of both processes');
    return side === 'client' ? clientKib : serverKib;
  } finally {
    for (const process of [client, server]) if (process?.exitCode === null) process.kill();
  }
}

// --- the table ---------------------------------------------------------------------------------------

const both = (tls) => ({ client: tls, server: tls });
const pairs = {
  ours: both(ours),
  native: both(nativeTls),
  'our client': { client: ours, server: nativeTls },
  'our server': { client: nativeTls, server: ours },
};

const rows = [];
const row = (group, name, unit, target, measure, ourPair = 'ours') =>
  rows.push({ group, name, unit, target, measure, ourPair });

for (const [suite, version, credential] of [
  ['TLS_AES_128_GCM_SHA256', '1.3', 'ecdsa'],
  ['TLS_CHACHA20_POLY1305_SHA256', '1.3', 'ecdsa'],
  ['ECDHE-RSA-AES128-GCM-SHA256', '1.2', 'rsa'],
]) {
  for (const upload of [true, false]) {
    row('bulk', `${suite} ${upload ? 'client→server' : 'server→client'}`, 'MB/s', 0.9, (pair) =>
      bulk(pair, { suite, version, credential, upload }),
    );
  }
}
// Not a target: what node:crypto allows at most (see ceiling()), next to native, for reading the
// bulk rows. "ours" in these rows is the ceiling, not @tls/socket.
for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256']) {
  row('node:crypto ceiling', `${suite}: seal + open + TCP, no TLS code`, 'MB/s', undefined, (pair) =>
    pair === pairs.native
      ? bulk(pair, { suite, version: '1.3', credential: 'ecdsa', upload: true })
      : ceiling({ suite }),
  );
}
for (const credential of ['ecdsa', 'rsa']) {
  for (const version of ['1.3', '1.2']) {
    for (const parallel of [1, 16]) {
      const what = `${credential === 'ecdsa' ? 'ECDSA P-256' : 'RSA-2048'} TLS ${version} ${parallel === 1 ? 'sequential' : '16 concurrent'}`;
      row('full handshakes', what, '/s', 1.0, (pair) => handshakes(pair, { credential, version, parallel }));
    }
  }
}
row('resumed handshakes', 'TLS 1.3 tickets', '/s', 1.0, (pair) =>
  handshakes(pair, { credential: 'ecdsa', version: '1.3', resume: true }),
);
row('resumed handshakes', 'TLS 1.2 tickets', '/s', 1.0, (pair) =>
  handshakes(pair, { credential: 'ecdsa', version: '1.2', resume: true }),
);
row('resumed handshakes', 'TLS 1.2 session ids', '/s', 1.0, (pair) =>
  handshakes(pair, { credential: 'ecdsa', version: '1.2', resume: true, sessionIds: true }),
);
for (const side of ['our client', 'our server']) {
  const peer = side === 'our client' ? 'native server' : 'native client';
  row(
    'one side',
    `${side} × ${peer}: bulk AES-128-GCM upload`,
    'MB/s',
    0.9,
    (pair) =>
      bulk(pair, { suite: 'TLS_AES_128_GCM_SHA256', version: '1.3', credential: 'ecdsa', upload: true }),
    side,
  );
  row(
    'one side',
    `${side} × ${peer}: full handshakes ECDSA TLS 1.3`,
    '/s',
    1.0,
    (pair) => handshakes(pair, { credential: 'ecdsa', version: '1.3' }),
    side,
  );
  row(
    'one side',
    `${side} × ${peer}: resumed TLS 1.3`,
    '/s',
    1.0,
    (pair) => handshakes(pair, { credential: 'ecdsa', version: '1.3', resume: true }),
    side,
  );
}
for (const side of ['client', 'server']) {
  row('memory', `KiB RSS per idle connection, ${side} side`, 'KiB', 0.5, async (pair) =>
    idleMemory(side, pair === pairs.native ? 'native' : 'ours'),
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main() {
  const selected = rows.filter((r) => only === undefined || `${r.group} ${r.name}`.includes(only));
  console.log(
    `@tls/socket vs node:tls: ${rounds} interleaved rounds, ${seconds} s per sample${warmup ? ', one unmeasured sample per side first' : ''}, ${process.version}, ${process.platform} ${process.arch}\n`,
  );
  const results = [];
  for (const r of selected) {
    const samples = { ours: [], native: [] };
    // One unmeasured sample per side first: the rows measure steady state, not V8 compiling the
    // code a row meets for the first time (a handshake runs most of its code once, so a few hundred
    // handshakes pass before it is optimized). Memory rows warm up inside their own processes.
    if (r.unit !== 'KiB' && warmup) {
      for (const label of ['ours', 'native'])
        await r.measure(label === 'ours' ? pairs[r.ourPair] : pairs.native);
    }
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so warming and drift fall on both.
      const order = round % 2 === 0 ? ['ours', 'native'] : ['native', 'ours'];
      for (const label of order) {
        samples[label].push(await r.measure(label === 'ours' ? pairs[r.ourPair] : pairs.native));
      }
    }
    const ratios = samples.ours.map((value, i) => value / samples.native[i]);
    const result = {
      group: r.group,
      name: r.name,
      unit: r.unit,
      ours: Number(median(samples.ours).toFixed(1)),
      native: Number(median(samples.native).toFixed(1)),
      ratio: Number(median(ratios).toFixed(2)),
      ratioMin: Number(Math.min(...ratios).toFixed(2)),
      ratioMax: Number(Math.max(...ratios).toFixed(2)),
      target: r.target,
      lowerIsBetter: r.unit === 'KiB',
    };
    result.met =
      r.target === undefined
        ? undefined
        : result.lowerIsBetter
          ? result.ratio <= r.target
          : result.ratio >= r.target;
    results.push(result);
    console.log(
      `${`${r.group}: ${r.name}`.padEnd(78)} ${String(result.ours).padStart(8)} ${String(result.native).padStart(8)} ${r.unit.padEnd(5)} ${result.ratio.toFixed(2)} (${result.ratioMin.toFixed(2)}–${result.ratioMax.toFixed(2)}) ${r.target === undefined ? 'no target' : `target ${result.lowerIsBetter ? '≤' : '≥'} ${r.target}${result.met ? '' : '  not met'}`}`,
    );
  }
  if (write && only === undefined) {
    const meta = { node: process.version, rounds, seconds, warmup, date: new Date().toISOString() };
    writeFileSync(
      new URL('./results.json', import.meta.url),
      `${JSON.stringify({ ...meta, results }, null, 2)}\n`,
    );
    writeFileSync(new URL('./results.svg', import.meta.url), chart(results, meta));
    writeFileSync(new URL('./results.md', import.meta.url), table(results, meta));
    console.log('\nwrote bench/results.json, bench/results.svg and bench/results.md (the README table)');
  }
}

/** The README's table: one row per measurement. */
function table(results, meta) {
  const lines = [
    `${meta.rounds} interleaved rounds of ${meta.seconds} s per sample${meta.warmup ? ' after one unmeasured sample per side' : ''}, ${meta.node}, ${meta.date.slice(0, 10)}:`,
    '',
    '| measurement | ours | native | unit | ours/native, median (min–max) | target | met |',
    '| --- | ---: | ---: | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const target = r.target === undefined ? '–' : `${r.lowerIsBetter ? '≤' : '≥'} ${r.target}`;
    const met = r.met === undefined ? '–' : r.met ? 'yes' : 'no';
    lines.push(
      `| ${r.group}: ${r.name} | ${r.ours} | ${r.native} | ${r.unit} | ${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}) | ${target} | ${met} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A horizontal bar per row: the median ratio, its min–max, and the target. */
function chart(results, meta) {
  const rowHeight = 22;
  const left = 470;
  const width = 300;
  const scale = 1.6; // the ratio at the right edge
  const top = 40;
  const height = top + results.length * rowHeight + 30;
  const x = (ratio) => left + (Math.min(ratio, scale) / scale) * width;
  const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>@tls/socket ÷ node:tls, per measurement</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14">@tls/socket ÷ node:tls (median of ${meta.rounds} rounds, bar ends: min–max; | target), ${xml(meta.node)}</text>`,
  ];
  for (const tick of [0, 0.5, 1, 1.5]) {
    lines.push(
      `<line x1="${x(tick)}" y1="${top - 8}" x2="${x(tick)}" y2="${height - 25}" stroke="#ddd"/>`,
      `<text x="${x(tick)}" y="${height - 10}" text-anchor="middle">${tick}×</text>`,
    );
  }
  results.forEach((r, i) => {
    const y = top + i * rowHeight;
    const colour = r.met === undefined ? '#757575' : r.met ? '#2e7d32' : '#c62828';
    lines.push(
      `<text x="${left - 8}" y="${y + 12}" text-anchor="end">${xml(`${r.group}: ${r.name}`)}</text>`,
      `<rect x="${left}" y="${y + 2}" width="${x(r.ratio) - left}" height="12" fill="${colour}" opacity="0.75"/>`,
      `<line x1="${x(r.ratioMin)}" y1="${y + 8}" x2="${x(r.ratioMax)}" y2="${y + 8}" stroke="black"/>`,
      r.target === undefined
        ? ''
        : `<line x1="${x(r.target)}" y1="${y}" x2="${x(r.target)}" y2="${y + 16}" stroke="black" stroke-width="2"/>`,
      `<text x="${left + width + 8}" y="${y + 12}">${r.ratio.toFixed(2)}${r.lowerIsBetter ? ' (lower wins)' : ''}</text>`,
    );
  });
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}

if (argument('--memory-role', undefined) !== undefined) await memoryChild();
else await main();
