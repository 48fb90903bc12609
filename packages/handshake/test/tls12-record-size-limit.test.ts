// record_size_limit in TLS 1.2 (RFC 8449 §4): the server answers with its own limit, each side
// keeps its records within the other's, and the limit counts no content type byte.
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  ProtocolVersion,
  createClientConnection,
  createServerConnection,
  decodeServerHello,
} from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import { credential } from './helpers/credentials';
import { eventsOf, settle, side } from '@tls/test-kit';

const provider = createNodeCryptoProvider();

/** Plaintext lengths of AEAD records (GCM: 8-byte explicit nonce, 16-byte tag). */
function plaintextLengths(bytes: Uint8Array): number[] {
  const lengths: number[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!)) {
    lengths.push(((bytes[at + 3]! << 8) | bytes[at + 4]!) - 8 - 16);
  }
  return lengths;
}

describe('TLS 1.2 record_size_limit', () => {
  it('is answered by the server and honoured both ways', () => {
    const client = side(
      createClientConnection({ provider, maxVersion: ProtocolVersion.Tls12, recordSizeLimit: 1000 }),
    );
    const server = side(
      createServerConnection({
        provider,
        certificates: [credential('ecdsa-p256').certified],
        recordSizeLimit: 2000,
      }),
    );
    const hello = client.connection.takeOutput()!;
    server.connection.receive(hello);
    const flight = server.connection.takeOutput()!;
    // The first record starts with the ServerHello: type (1), length (3), body.
    const helloLength = (flight[6]! << 16) | (flight[7]! << 8) | flight[8]!;
    const serverHello = decodeServerHello(flight.subarray(5, 9 + helloLength));
    expect(serverHello.extensions.find((e) => e.kind === 'record_size_limit')).toEqual({
      kind: 'record_size_limit',
      recordSizeLimit: 2000,
    });
    client.connection.receive(flight);
    settle(client, server);
    expect(eventsOf(client, 'handshake-complete')[0]?.info.version).toBe(ProtocolVersion.Tls12);
    server.connection.write(new Uint8Array(5000));
    const fromServer = server.connection.takeOutput()!;
    expect(Math.max(...plaintextLengths(fromServer))).toBe(1000);
    client.connection.receive(fromServer);
    client.connection.write(new Uint8Array(5000));
    expect(Math.max(...plaintextLengths(client.connection.takeOutput()!))).toBe(2000);
    let received = 0;
    for (
      let event = client.connection.nextEvent();
      event !== undefined;
      event = client.connection.nextEvent()
    ) {
      if (event.type === 'application-data') received += event.data.length;
      expect(event.type).not.toBe('error');
    }
    expect(received).toBe(5000);
  });
});
