// getSharedSigalgs(): the signature algorithms both sides accept, checked against what Node's
// native tls reports for the same configuration (minus the SHA-224 and DSA pairs OpenSSL knows and
// this stack does not implement), on both roles, both versions, with and without client
// authentication, in the server's order and in the client's.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostPki } from '@tls/test-kit';

const pki = localhostPki();

type Library = Pick<typeof nativeTls, 'createServer' | 'connect'>;

interface Shared {
  readonly server: string[];
  readonly client: string[];
}

async function shared(
  serverLibrary: Library,
  clientLibrary: Library,
  serverOptions: Record<string, unknown>,
  version: 'TLSv1.2' | 'TLSv1.3',
): Promise<Shared> {
  let serverList: string[] = [];
  const server = serverLibrary.createServer(
    { key: pki.server.key, cert: pki.server.cert, ca: pki.ca, ...serverOptions },
    (socket) => {
      serverList = socket.getSharedSigalgs();
      socket.end();
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const client = clientLibrary.connect({
      port: (server.address() as AddressInfo).port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca,
      key: pki.client.key,
      cert: pki.client.cert,
      maxVersion: version,
    });
    client.resume();
    // Registered first: in TLS 1.2 the server's Finished and close_notify can arrive together.
    const closed = once(client, 'close');
    await once(client, 'secureConnect');
    const clientList = client.getSharedSigalgs();
    await closed;
    return { server: serverList, client: clientList };
  } finally {
    server.close();
  }
}

/** Native's list without the pairs this stack does not implement. */
function implemented(list: readonly string[]): string[] {
  return list.filter((name) => !name.endsWith('+SHA224') && !name.startsWith('DSA+'));
}

const ours = tls as unknown as Library;

describe('getSharedSigalgs()', () => {
  const configurations: Array<[string, Record<string, unknown>]> = [
    ['defaults', {}],
    ['requestCert', { requestCert: true }],
    [
      'requestCert, sigalgs in the server order',
      { requestCert: true, sigalgs: 'RSA-PSS+SHA384:ed25519:ECDSA+SHA256', honorCipherOrder: true },
    ],
    [
      'requestCert, sigalgs in the client order',
      { requestCert: true, sigalgs: 'RSA-PSS+SHA384:ed25519:ECDSA+SHA256', honorCipherOrder: false },
    ],
  ];
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    for (const [name, options] of configurations) {
      it(`${version}, ${name}: our server and our client report what native reports`, async () => {
        const native = await shared(nativeTls, nativeTls, options, version);
        expect(native.server.length).toBeGreaterThan(0);
        expect((await shared(ours, nativeTls, options, version)).server).toEqual(implemented(native.server));
        expect((await shared(nativeTls, ours, options, version)).client).toEqual(implemented(native.client));
        expect(await shared(ours, ours, options, version)).toEqual({
          server: implemented(native.server),
          client: implemented(native.client),
        });
      });
    }
  }

  it('names every kind of scheme as Node does, and is empty on a client without client authentication', async () => {
    const { server, client } = await shared(ours, ours, {}, 'TLSv1.3');
    expect(server).toEqual(
      expect.arrayContaining([
        'ECDSA+SHA256',
        'Ed25519+UNDEF',
        'Ed448+UNDEF',
        'RSA-PSS+SHA512',
        'RSA+SHA384',
      ]),
    );
    expect(client).toEqual([]);
    expect(new tls.TLSSocket(undefined as never).getSharedSigalgs()).toEqual([]);
  });
});
