// sessionIdContext: a ticket issued by one server resumes on another server with the same ticket
// keys only when both have the same session id context, as with node:tls (OpenSSL refuses "a
// session from a different context"). Checked side by side with native servers, TLS 1.3 and 1.2.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as nativeTls from 'node:tls';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { localhostPki } from '@tls/test-kit';

const pki = localhostPki();

type Library = Pick<typeof nativeTls, 'createServer' | 'connect'>;
const ours = tls as unknown as Library;

async function listen(
  library: Library,
  ticketKeys: Buffer,
  sessionIdContext?: string,
): Promise<nativeTls.Server> {
  const server = library.createServer(
    {
      key: pki.server.key,
      cert: pki.server.cert,
      ...(sessionIdContext === undefined ? {} : { sessionIdContext }),
    },
    (socket) => {
      socket.end('x');
    },
  );
  server.setTicketKeys(ticketKeys);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Connects (native client) and returns the session it received and whether it resumed. */
async function visit(
  server: nativeTls.Server,
  version: 'TLSv1.2' | 'TLSv1.3',
  session?: Buffer,
): Promise<{ session: Buffer | undefined; reused: boolean }> {
  const client = nativeTls.connect({
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: pki.ca,
    maxVersion: version,
    minVersion: version,
    ...(session === undefined ? {} : { session }),
  });
  let received: Buffer | undefined;
  client.on('session', (bytes: Buffer) => {
    received = bytes;
  });
  client.resume();
  const closed = once(client, 'close');
  await once(client, 'secureConnect');
  const reused = client.isSessionReused();
  await closed;
  return { session: received, reused };
}

/** Whether a ticket from a server with context `first` resumes on one with context `second`. */
async function resumesAcross(
  library: Library,
  version: 'TLSv1.2' | 'TLSv1.3',
  first: string | undefined,
  second: string | undefined,
): Promise<boolean> {
  const keys = randomBytes(48);
  const a = await listen(library, keys, first);
  const b = await listen(library, keys, second);
  try {
    const { session } = await visit(a, version);
    expect(session).toBeDefined();
    return (await visit(b, version, session)).reused;
  } finally {
    a.close();
    b.close();
  }
}

describe('sessionIdContext', () => {
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`${version}: a ticket resumes across servers with the same context only, as with node:tls`, async () => {
      const cases: Array<[string | undefined, string | undefined]> = [
        ['app-one', 'app-one'],
        ['app-one', 'app-two'],
        [undefined, undefined],
        [undefined, 'app-two'],
      ];
      const native: boolean[] = [];
      const ourResults: boolean[] = [];
      for (const [first, second] of cases) {
        native.push(await resumesAcross(nativeTls, version, first, second));
        ourResults.push(await resumesAcross(ours, version, first, second));
      }
      expect(native).toEqual([true, false, true, false]);
      expect(ourResults).toEqual(native);
    });
  }
});
