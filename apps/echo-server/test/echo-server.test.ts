// The main job, black box: the echo server started as a child process with no certificate of its
// own, reached by `openssl s_client` and by Node's native tls, then stopped with SIGTERM.
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import {
  cleanupAfterEach,
  opensslClient,
  selfSignedCertificate,
  startPeer,
  temporaryDirectory,
} from '@tls/test-kit';
import { describe, expect, it } from 'vitest';

const bin = new URL('../bin/tls-echo-server.mjs', import.meta.url).pathname;
const cleanups = cleanupAfterEach();

/** The echo server on a free port of 127.0.0.1; its waits are bounded at 15 s (it makes a key first). */
function start(args: string[] = []) {
  const server = startPeer(process.execPath, [bin, '--port', '0', ...args], 15_000);
  cleanups.push(() => server.stop());
  return server;
}

describe('tls-echo-server', () => {
  it('starts with its own certificate, prints how to reach it, echoes and logs each connection', async () => {
    const server = start();
    const port = Number((await server.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    await server.waitFor(/fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    await server.waitFor(/openssl s_client -connect 127\.0\.0\.1:\d+/);

    const client = opensslClient(port, ['-servername', 'localhost', '-quiet', '-no_ign_eof']);
    cleanups.push(() => client.stop());
    client.process.stdin.write('ping through openssl\n');
    const [echoed] = await once(client.process.stdout, 'data');
    expect(String(echoed)).toBe('ping through openssl\n');
    client.process.stdin.end();
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

    server.process.kill('SIGTERM');
    const [code] = await once(server.process, 'exit');
    expect(code).toBe(0);
  });

  it('serves --sni contexts by name and refuses a malformed --sni', async () => {
    const other = selfSignedCertificate(temporaryDirectory('echo-sni-'), 'other', {
      key: 'p256',
      subject: '/CN=other.test',
      days: 1,
    });
    const server = start(['--sni', `other.test=${other.certFile},${other.keyFile}`]);
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
    if (bad.process.exitCode === null) await once(bad.process, 'exit');
    expect(bad.process.exitCode).toBe(2);
  });
});
