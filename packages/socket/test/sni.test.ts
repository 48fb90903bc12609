// SNI on the server: addContext() with wildcards and an asynchronous SNICallback choose the
// certificate by the name the client sends; a client without SNI gets the default.
import { once } from 'node:events';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();
const closers = cleanupAfterEach();

/** Which certificate the server chose for `servername`: subject CN / issuer CN. */
async function servedCertificate(port: number, servername?: string): Promise<string> {
  const socket = nativeTls.connect({
    port,
    host: '127.0.0.1',
    rejectUnauthorized: false,
    ...(servername ? { servername } : {}),
  });
  closers.push(() => socket.destroy());
  await once(socket, 'secureConnect');
  const { subject, issuer } = socket.getPeerCertificate();
  socket.end();
  return `${subject.CN} / ${issuer.CN}`;
}

describe('server SNI', () => {
  it('serves the addContext() certificate matching the name, wildcards included', async () => {
    const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => s.end());
    server.addContext('*.self.test', { key: pki.self.key, cert: pki.self.cert });
    server.addContext('client.test', { key: pki.client.key, cert: pki.client.cert });
    const port = await listenOnLoopback(server, closers);
    expect(await servedCertificate(port, 'www.self.test')).toBe('localhost / localhost'); // the self-signed one
    expect(await servedCertificate(port, 'client.test')).toBe('test client / Test Root CA');
    expect(await servedCertificate(port, 'other.test')).toBe('localhost / Test Root CA');
    expect(await servedCertificate(port)).toBe('localhost / Test Root CA');
    // The wildcard covers one label only.
    expect(await servedCertificate(port, 'a.b.self.test')).toBe('localhost / Test Root CA');
  });

  it('waits for an asynchronous SNICallback and reports its error as tlsClientError', async () => {
    const seen: string[] = [];
    const server = tls.createServer(
      {
        key: pki.server.key,
        cert: pki.server.cert,
        SNICallback: (name, callback) => {
          seen.push(name);
          setTimeout(() => {
            if (name === 'refused.test') callback(new Error('no such host'));
            else callback(null, tls.createSecureContext({ key: pki.client.key, cert: pki.client.cert }));
          }, 20);
        },
      },
      (s) => s.end(),
    );
    const port = await listenOnLoopback(server, closers);
    expect(await servedCertificate(port, 'async.test')).toBe('test client / Test Root CA');
    expect(await servedCertificate(port)).toBe('localhost / Test Root CA');
    const refused = new Promise<Error>((resolve) => {
      server.on('tlsClientError', (error: Error) => {
        if (error.message === 'no such host') resolve(error);
      });
    });
    const socket = nativeTls.connect({
      port,
      host: '127.0.0.1',
      rejectUnauthorized: false,
      servername: 'refused.test',
    });
    socket.on('error', () => {});
    closers.push(() => socket.destroy());
    expect((await refused).message).toBe('no such host');
    expect(seen).toEqual(['async.test', 'refused.test']);
  });
});
