// Handshake failures as node:tls reports them: for each misconfiguration, the client's 'error',
// the server's 'tlsClientError' (code and OpenSSL's reason), and the client's authorization result
// are the same with our stack at either end (or both) as with node:tls at both ends.
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostClient } from './helpers/localhost-client.js';
import { type Listener, cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();
type Tls = typeof tls | typeof nativeTls;
type Options = Record<string, unknown>;

interface Failure {
  readonly code?: string;
  readonly reason?: string;
}
const failureOf = (error: Failure | undefined) =>
  error === undefined ? null : { code: error.code, reason: error.reason };

/** One connection from `client` to `server` with these options: what each side reported. */
async function outcome(server: Tls, client: Tls, serverOptions: Options, clientOptions: Options) {
  const listener = server.createServer(
    { key: pki.server.key, cert: pki.server.cert, ...serverOptions },
    (s) => {
      s.on('error', () => {});
      s.end('x');
    },
  );
  let serverError: Failure | undefined;
  listener.on('tlsClientError', (error: Failure) => {
    serverError ??= error;
  });
  const port = await listenOnLoopback(listener as Listener, closers);
  const socket = localhostClient(client, port, closers, clientOptions);
  let clientError: Failure | undefined;
  socket.on('error', (error: Failure) => {
    clientError ??= error;
  });
  // Bounded: a connection both sides keep open would fail the comparison, not hang the test.
  await Promise.race([
    new Promise((resolve) => socket.on('close', resolve)),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
  // The server's report of a hang-up comes with its socket's 'close', a turn later.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const authorizationError = socket.authorizationError as unknown as Failure | string | null;
  return {
    client: failureOf(clientError),
    server: failureOf(serverError),
    authorized: socket.authorized,
    authorizationError:
      typeof authorizationError === 'object' && authorizationError !== null
        ? authorizationError.code
        : authorizationError,
  };
}

const cases: Array<[string, Options, Options, string | null, string | null]> = [
  // [what, server options, client options, expected client error code, expected server error code]
  [
    'no ALPN protocol in common',
    { ALPNProtocols: ['h2'] },
    { ALPNProtocols: ['http/1.1'] },
    'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
    'ERR_SSL_NO_APPLICATION_PROTOCOL',
  ],
  [
    'a TLS 1.3 server, a TLS 1.2 client',
    { minVersion: 'TLSv1.3' },
    { maxVersion: 'TLSv1.2' },
    'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    'ERR_SSL_UNSUPPORTED_PROTOCOL',
  ],
  [
    'no TLS 1.2 cipher in common',
    { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
    { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' },
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    'ERR_SSL_NO_SHARED_CIPHER',
  ],
  [
    'no group in common',
    { ecdhCurve: 'P-384' },
    { ecdhCurve: 'X25519' },
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    'ERR_SSL_NO_SUITABLE_KEY_SHARE',
  ],
  [
    'no signature algorithm in common',
    { sigalgs: 'ecdsa_secp256r1_sha256' },
    { sigalgs: 'rsa_pss_rsae_sha256' },
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    'ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS',
  ],
  [
    'a required client certificate missing, TLS 1.3',
    { requestCert: true, ca: pki.ca },
    {},
    'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
  ],
  // TLS 1.2 has no certificate_required alert: handshake_failure.
  [
    'a required client certificate missing, TLS 1.2',
    { requestCert: true, ca: pki.ca, maxVersion: 'TLSv1.2' },
    {},
    'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
  ],
  // Refused after the handshake with no alert: the server reports a hang-up.
  [
    'a client certificate from an unknown CA, TLS 1.3',
    { requestCert: true, ca: pki.self.cert },
    { key: pki.client.key, cert: pki.client.cert },
    null,
    'ECONNRESET',
  ],
  [
    'a client certificate from an unknown CA, TLS 1.2',
    { requestCert: true, ca: pki.self.cert, maxVersion: 'TLSv1.2' },
    { key: pki.client.key, cert: pki.client.cert },
    'ECONNRESET',
    'ECONNRESET',
  ],
  [
    'a server name the certificate does not hold',
    {},
    { servername: 'example.com' },
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ECONNRESET',
  ],
  [
    'a server certificate from an unknown CA',
    {},
    { ca: pki.self.cert },
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ECONNRESET',
  ],
  [
    'a self-signed server certificate',
    { key: pki.self.key, cert: pki.self.cert },
    {},
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'ECONNRESET',
  ],
];

describe('handshake failures, side by side with node:tls', () => {
  it.each(cases)('%s', async (_what, serverOptions, clientOptions, clientCode, serverCode) => {
    const native = await outcome(nativeTls, nativeTls, serverOptions, clientOptions);
    expect(native.client?.code ?? null).toBe(clientCode);
    expect(native.server?.code ?? null).toBe(serverCode);
    expect(await outcome(tls, tls, serverOptions, clientOptions)).toEqual(native);
    expect(await outcome(tls, nativeTls, serverOptions, clientOptions)).toEqual(native);
    expect(await outcome(nativeTls, tls, serverOptions, clientOptions)).toEqual(native);
  });

  it("ALPNCallback chooses, refuses, or names an invalid answer, as node:tls's", async () => {
    const run = async (implementation: Tls, answer: (protocols: string[]) => string | undefined) => {
      const calls: unknown[] = [];
      const outcomeOf = await outcome(
        implementation,
        nativeTls,
        {
          ALPNCallback: ({ servername, protocols }: { servername: string | false; protocols: string[] }) => {
            calls.push({ servername, protocols });
            return answer(protocols);
          },
        },
        { ALPNProtocols: ['a', 'b'] },
      );
      return { ...outcomeOf, calls };
    };
    for (const answer of [(p: string[]) => p[1], () => undefined, () => 'zzz']) {
      const native = await run(nativeTls, answer);
      expect(native.calls).toEqual([{ servername: 'localhost', protocols: ['a', 'b'] }]);
      expect(await run(tls, answer)).toEqual(native);
    }
    const both = {
      key: pki.server.key,
      cert: pki.server.cert,
      ALPNProtocols: ['a'],
      ALPNCallback: () => 'a',
    };
    const thrown = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return 'nothing thrown';
    };
    expect(thrown(() => tls.createServer(both))).toBe('ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS');
    expect(thrown(() => nativeTls.createServer(both as nativeTls.TlsOptions))).toBe(
      'ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS',
    );
  });
});
