// The main job, black box: the echo server started as a child process with no certificate of its
// own, reached by `openssl s_client` and by Node's native tls, then stopped with SIGTERM.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nativeTls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';

const bin = new URL('../bin/tls-echo-server.mjs', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function start(args: string[] = []) {
  const child = spawn(process.execPath, [bin, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const waitFor = async (pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output);
      if (match !== null) return match;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { child, waitFor, output: () => output };
}

describe('tls-echo-server', () => {
  it('starts with its own certificate, prints how to reach it, echoes and logs each connection', async () => {
    const server = start();
    const port = Number((await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    await server.waitFor(/fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    await server.waitFor(/openssl s_client -connect 127\.0\.0\.1:\d+/);

    const client = spawn(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-quiet', '-no_ign_eof'],
      {
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    children.push(client);
    client.stdin!.write('ping through openssl\n');
    const [echoed] = await once(client.stdout!, 'data');
    expect(String(echoed)).toBe('ping through openssl\n');
    client.stdin!.end();
    await server.waitFor(
      /127\.0\.0\.1:\d+ sni=localhost alpn=- TLSv1\.3 TLS_\w+ group=X25519 full client=- bytes=21 \d+ms/,
    );

    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      rejectUnauthorized: false,
    });
    await once(socket, 'secureConnect');
    expect(socket.getPeerCertificate().subject.CN).toBe('localhost');
    socket.write('native');
    const [data] = await once(socket, 'data');
    expect(String(data)).toBe('native');
    socket.end();

    server.child.kill('SIGTERM');
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(0);
  });

  it('serves --sni contexts by name and refuses a malformed --sni', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'echo-sni-'));
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
        '/CN=other.test',
      ],
      { stdio: 'ignore' },
    );
    const server = start(['--sni', `other.test=${join(directory, 'c')},${join(directory, 'k')}`]);
    const port = Number((await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    for (const [servername, expected] of [
      ['other.test', 'other.test'],
      ['localhost', 'localhost'],
    ]) {
      const socket = nativeTls.connect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false });
      await once(socket, 'secureConnect');
      expect(socket.getPeerCertificate().subject.CN).toBe(expected);
      socket.end();
    }
    const bad = start(['--sni', 'nonsense']);
    await bad.waitFor(/--sni takes host=cert,key/);
    if (bad.child.exitCode === null) await once(bad.child, 'exit');
    expect(bad.child.exitCode).toBe(2);
  });
});
