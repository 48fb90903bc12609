// The TLS 1.3 CCM suites (RFC 8446 §B.4), used only when `ciphers` names them (Node has no `ciphersuites` option: TLS_ names go in `ciphers`), as OpenSSL:
// against openssl s_server and s_client, and against node:tls in both directions.
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostClient } from './helpers/localhost-client.js';
import {
  type Listener,
  cleanupAfterEach,
  listenOnLoopback,
  localhostPki,
  opensslClient,
  opensslServer,
} from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();
const suites = ['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];

/** Echoes one message through a client of `client` to a server of `server`; the suite they used. */
async function echo(
  server: typeof tls | typeof nativeTls,
  client: typeof tls | typeof nativeTls,
  suite: string,
) {
  const listener = server.createServer({ key: pki.server.key, cert: pki.server.cert, ciphers: suite }, (s) =>
    s.pipe(s),
  );
  const port = await listenOnLoopback(listener as Listener, closers);
  const socket = localhostClient(client, port, closers, { ciphers: suite });
  await once(socket, 'secureConnect');
  socket.write('over CCM');
  const [data] = await once(socket, 'data');
  return { data: String(data), suite: socket.getCipher().standardName, protocol: socket.getProtocol() };
}

describe('TLS 1.3 CCM suites', () => {
  it('are offered only when ciphers names them', async () => {
    const listener = tls.createServer({
      key: pki.server.key,
      cert: pki.server.cert,
      ciphers: suites[0],
    });
    const port = await listenOnLoopback(listener, closers);
    const socket = localhostClient(tls, port, closers);
    const [error] = await once(socket, 'error');
    expect(error.code).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
  });

  it.each(suites)('%s: ours both ends, and with node:tls at either end', async (suite) => {
    const expected = { data: 'over CCM', suite, protocol: 'TLSv1.3' };
    expect(await echo(tls, tls, suite)).toEqual(expected);
    expect(await echo(nativeTls, tls, suite)).toEqual(expected);
    expect(await echo(tls, nativeTls, suite)).toEqual(expected);
  });

  it.each(suites)(
    '%s: our client against openssl s_server, openssl s_client against our server',
    async (suite) => {
      const server = await opensslServer([
        '-key',
        pki.server.keyFile,
        '-cert',
        pki.server.certFile,
        '-tls1_3',
        '-ciphersuites',
        suite,
        '-rev',
      ]);
      closers.push(() => server.stop());
      const socket = localhostClient(tls, server.port, closers, { ciphers: suite });
      await once(socket, 'secureConnect');
      expect(socket.getCipher().standardName).toBe(suite);
      socket.write('abc\n');
      const [reversed] = await once(socket, 'data');
      expect(String(reversed)).toBe('cba\n');

      const listener = tls.createServer({ key: pki.server.key, cert: pki.server.cert, ciphers: suite }, (s) =>
        s.end('from our server\n'),
      );
      const port = await listenOnLoopback(listener, closers);
      const client = opensslClient(port, [
        '-tls1_3',
        '-ciphersuites',
        suite,
        '-CAfile',
        pki.caFile,
        '-servername',
        'localhost',
      ]);
      closers.push(() => client.stop());
      await client.waitFor(/from our server/);
      expect(client.output()).toContain(`Cipher is ${suite}`);
    },
  );
});
