// TLS 1.2 DHE as node:tls reports it: getEphemeralKeyInfo() gives { type: 'DH', size }, and a
// client's minDHSize refuses a smaller prime after the handshake with ERR_TLS_DH_PARAM_SIZE.
// Side by side, with our stack at either end or both.
import { execFileSync } from 'node:child_process';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { afterAll, describe, expect, it } from 'vitest';
import { localhostClient } from './helpers/localhost-client.js';
import { type Listener, OpensslDir, cleanupAfterEach, listenOnLoopback } from '@tls/test-kit';

const closers = cleanupAfterEach();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());
const rsa = openssl.issue({
  key: openssl.key('rsa'),
  subject: '/CN=localhost',
  extensions: ['subjectAltName = DNS:localhost'],
  days: 1,
});
// -dsaparam: a 1024-bit group in milliseconds (no safe-prime search).
const dh1024 = execFileSync('openssl', ['dhparam', '-dsaparam', '1024'], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
type Tls = typeof tls | typeof nativeTls;

async function dhe(server: Tls, client: Tls, dhparam: string | Buffer, minDHSize?: number) {
  const listener = server.createServer(
    {
      key: rsa.keyPem,
      cert: rsa.certPem,
      dhparam,
      maxVersion: 'TLSv1.2',
      ciphers: 'DHE-RSA-AES128-GCM-SHA256',
    },
    (s) => s.end(),
  );
  const port = await listenOnLoopback(listener as Listener, closers);
  const socket = localhostClient(client, port, closers, {
    ca: rsa.certPem,
    maxVersion: 'TLSv1.2',
    ciphers: 'DHE-RSA-AES128-GCM-SHA256',
    ...(minDHSize === undefined ? {} : { minDHSize }),
  });
  return new Promise((resolve) => {
    socket.on('secureConnect', () => resolve({ keyInfo: socket.getEphemeralKeyInfo() }));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code, message: error.message }),
    );
  });
}

describe('TLS 1.2 DHE, side by side with node:tls', () => {
  it.each([
    ['dhparam auto', 'auto', undefined, { keyInfo: { type: 'DH', size: 2048 } }],
    ['a 1024-bit group', dh1024, undefined, { keyInfo: { type: 'DH', size: 1024 } }],
    [
      'a 1024-bit group under minDHSize 2048',
      dh1024,
      2048,
      { error: 'ERR_TLS_DH_PARAM_SIZE', message: 'DH parameter size 1024 is less than 2048' },
    ],
  ] as const)('%s', async (_what, dhparam, minDHSize, expected) => {
    expect(await dhe(nativeTls, nativeTls, dhparam, minDHSize)).toEqual(expected);
    expect(await dhe(tls, tls, dhparam, minDHSize)).toEqual(expected);
    expect(await dhe(tls, nativeTls, dhparam, minDHSize)).toEqual(expected);
    expect(await dhe(nativeTls, tls, dhparam, minDHSize)).toEqual(expected);
  });

  it('refuses a minDHSize that is not a positive number', () => {
    expect(() => tls.connect({ port: 1, minDHSize: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    expect(() => tls.connect({ port: 1, minDHSize: 'big' as unknown as number })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });
});
