// TLS 1.3 post-handshake client authentication (RFC 8446 §4.2.6, §4.6.2) between our client and
// our server in memory: with and without a client certificate, interleaved application data,
// the verifier's verdict, a wrong certificate_request_context, a bad Finished, and the request
// refused when post_handshake_auth was not offered.
import type { CryptoProvider } from '@tls/crypto';
import {
  type ConnectionConfig,
  ProtocolVersion,
  createClientConnection,
  createServerConnection,
  decodeClientHello,
} from '@tls/handshake';
import { TlsError } from '@tls/record';
import { describe, expect, it } from 'vitest';
import { credential } from './helpers/credentials';
import { errorOf, eventsOf, settle, side, text, transfer } from '@tls/test-kit';
import { handshake, provider } from './helpers/in-memory';

/** `provider` with some methods replaced (the provider's own methods stay bound to it). */
function withOverrides(overrides: Partial<CryptoProvider>): CryptoProvider {
  return new Proxy(provider, {
    get(target, key) {
      if (key in overrides) return overrides[key as keyof CryptoProvider];
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function pair(client: Partial<ConnectionConfig> = {}, server: Partial<ConnectionConfig> = {}) {
  const { client: c, server: s } = handshake({ postHandshakeAuth: true, ...client }, server);
  expect(eventsOf(c, 'handshake-complete')).toHaveLength(1);
  expect(eventsOf(s, 'handshake-complete')).toHaveLength(1);
  return { client: c, server: s };
}

describe('post-handshake client authentication in memory', () => {
  it('offers an empty post_handshake_auth extension only when configured', () => {
    const offered = createClientConnection({ provider, postHandshakeAuth: true }).takeOutput()!;
    const hello = decodeClientHello(offered.subarray(5));
    const extension = hello.extensions.find((e) => e.kind === 'post_handshake_auth');
    expect(extension).toBeDefined();
    const plain = decodeClientHello(createClientConnection({ provider }).takeOutput()!.subarray(5));
    expect(plain.extensions.find((e) => e.kind === 'post_handshake_auth')).toBeUndefined();
  });

  for (const kind of ['ecdsa-p384', 'rsa', 'ed25519'] as const) {
    it(`authenticates a ${kind} client certificate after the handshake, with data interleaved`, () => {
      const clientCredential = credential(kind);
      const verified: Array<{ chain: readonly Uint8Array[]; peer: string }> = [];
      const { client, server } = pair(
        { certificates: [clientCredential.certified] },
        {
          verifyPeer: (chain, context) => {
            verified.push({ chain, peer: context.peer });
            return undefined;
          },
        },
      );
      expect(server.connection.info!.peerCertificates).toEqual([]);
      server.connection.requestClientCertificate();
      server.connection.write(new TextEncoder().encode('before the answer'));
      client.connection.write(new TextEncoder().encode('sent before the request arrived'));
      transfer(client, server);
      transfer(server, client);
      client.connection.write(new TextEncoder().encode('after the answer'));
      settle(client, server);
      const reported = eventsOf(server, 'peer-certificate');
      expect(reported).toHaveLength(1);
      expect(reported[0]!.peerCertificates).toEqual([clientCredential.certified.chain[0]]);
      expect(server.connection.info!.peerCertificates).toEqual([clientCredential.certified.chain[0]]);
      expect(server.connection.info!.peerSignatureScheme).toBeDefined();
      expect(verified).toEqual([{ chain: [clientCredential.certified.chain[0]], peer: 'client' }]);
      expect(eventsOf(server, 'application-data').map((e) => text(e.data))).toEqual([
        'sent before the request arrived',
        'after the answer',
      ]);
      expect(eventsOf(client, 'application-data').map((e) => text(e.data))).toEqual(['before the answer']);
      expect(server.connection.error).toBeUndefined();
      expect(client.connection.error).toBeUndefined();
    });
  }

  it('answers a second request, and one after a KeyUpdate (the Finished key follows the traffic secret)', () => {
    const { client, server } = pair({ certificates: [credential('ecdsa-p256').certified] });
    server.connection.requestClientCertificate();
    settle(client, server);
    client.connection.updateKeys(true);
    settle(client, server);
    server.connection.requestClientCertificate();
    settle(client, server);
    expect(eventsOf(server, 'peer-certificate')).toHaveLength(2);
    expect(server.connection.error).toBeUndefined();
    expect(client.connection.error).toBeUndefined();
  });

  it('takes a client KeyUpdate that crosses the request, and verifies the Finished under the new secret', () => {
    const { client, server } = pair({ certificates: [credential('ecdsa-p256').certified] });
    server.connection.requestClientCertificate();
    client.connection.updateKeys(false);
    settle(client, server);
    expect(eventsOf(server, 'key-update')).toEqual([{ type: 'key-update', direction: 'read' }]);
    expect(eventsOf(server, 'peer-certificate')).toHaveLength(1);
    expect(server.connection.error).toBeUndefined();
  });

  it('reports an empty chain when the client has no certificate, and the verifier decides', () => {
    const { client, server } = pair();
    server.connection.requestClientCertificate();
    settle(client, server);
    expect(eventsOf(server, 'peer-certificate')).toEqual([
      { type: 'peer-certificate', peerCertificates: [] },
    ]);
    expect(server.connection.error).toBeUndefined();

    const refusing = pair(
      {},
      {
        verifyPeer: (chain) =>
          chain.length === 0
            ? new TlsError('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 116, 'no certificate')
            : undefined,
      },
    );
    refusing.server.connection.requestClientCertificate();
    settle(refusing.client, refusing.server);
    expect(errorOf(refusing.server.events)).toEqual({
      code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
      alert: 116,
      received: undefined,
    });
    expect(errorOf(refusing.client.events)?.received).toBe(116);
  });

  it('refuses requestClientCertificate when post_handshake_auth was not offered, on a client, or before the handshake', () => {
    const { client, server } = pair({ postHandshakeAuth: false });
    expect(() => server.connection.requestClientCertificate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
    expect(() => client.connection.requestClientCertificate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
    const fresh = createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] });
    expect(() => fresh.requestClientCertificate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
    const offered = pair();
    offered.server.connection.requestClientCertificate();
    expect(() => offered.server.connection.requestClientCertificate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });

  it('refuses requestClientCertificate on TLS 1.2', () => {
    const { server } = pair({ maxVersion: ProtocolVersion.Tls12 }, { maxVersion: ProtocolVersion.Tls12 });
    expect(server.connection.info!.version).toBe(ProtocolVersion.Tls12);
    expect(() => server.connection.requestClientCertificate()).toThrow(
      expect.objectContaining({ code: 'ERR_TLS_INVALID_STATE' }),
    );
  });

  it('is unexpected_message for a client that did not offer post_handshake_auth', () => {
    // The config says true while the ClientHello is built and false afterwards: the server sees
    // the extension, the client keeps no transcript, so the request is one it did not ask for.
    let reads = 0;
    const client = side(
      createClientConnection({
        provider,
        get postHandshakeAuth() {
          reads++;
          return reads === 1;
        },
      }),
    );
    const server = side(
      createServerConnection({ provider, certificates: [credential('ecdsa-p256').certified] }),
    );
    settle(client, server);
    server.connection.requestClientCertificate();
    settle(client, server);
    expect(errorOf(client.events)).toEqual({
      code: 'ERR_SSL_UNEXPECTED_MESSAGE',
      alert: 10,
      received: undefined,
    });
    expect(errorOf(server.events)?.received).toBe(10);
  });

  it('is illegal_parameter when the client Certificate carries another context', () => {
    // The server keeps the provider's random bytes as its context; changing them after the
    // request went out makes the client's (correct) echo differ from what the server expects.
    let context: Uint8Array | undefined;
    const serverProvider = withOverrides({
      random(length: number) {
        const bytes = provider.random(length);
        if (length === 32) context = bytes;
        return bytes;
      },
    });
    const { client, server } = pair(
      { certificates: [credential('ecdsa-p256').certified] },
      { provider: serverProvider },
    );
    context = undefined;
    server.connection.requestClientCertificate();
    context![0]! ^= 1;
    settle(client, server);
    expect(errorOf(server.events)).toEqual({
      code: 'ERR_SSL_ILLEGAL_PARAMETER',
      alert: 47,
      received: undefined,
    });
    expect(eventsOf(server, 'peer-certificate')).toHaveLength(0);
  });

  it('is decrypt_error when the client Finished does not verify', () => {
    let corrupt = false;
    const clientProvider = withOverrides({
      hmac(hash, key, data) {
        const mac = provider.hmac(hash, key, data);
        if (corrupt) mac[0]! ^= 1;
        return mac;
      },
    });
    const { client, server } = pair({ provider: clientProvider });
    server.connection.requestClientCertificate();
    corrupt = true;
    settle(client, server);
    expect(errorOf(server.events)).toEqual({
      code: 'ERR_SSL_DIGEST_CHECK_FAILED',
      alert: 51,
      received: undefined,
    });
    expect(errorOf(client.events)?.received).toBe(51);
    expect(eventsOf(server, 'peer-certificate')).toHaveLength(0);
  });
});
