// Contexts driving real handshakes in memory: createClientConnection(client.engineConfig('client'))
// against createServerConnection(server.engineConfig('server')), with certificates made for the
// test. Verification goes through the context (x509), suites, groups and signature schemes come
// from its options.
import { NamedGroup, SignatureScheme } from '@tls/crypto';
import { CipherSuite } from '@tls/handshake';
import { AlertDescription } from '@tls/record';
import { describe, expect, it } from 'vitest';
import { SecureOptions, createSecureContext } from '../src/index.js';
import { credential, pki } from './helpers/fixtures';
import { errorOf } from '@tls/test-kit';
import { completed, handshake } from './helpers/pair';

const { root, intermediate, leaf, stranger } = pki();
const serverOptions = () => ({ key: leaf.keyPem, cert: leaf.certPem + intermediate.certPem });
const serverContext = createSecureContext(serverOptions());

describe('handshakes configured by contexts', () => {
  it('completes when the client trusts the root, and both sides agree on what was negotiated', () => {
    const client = createSecureContext({ ca: root.certPem });
    const { client: c, server: s } = handshake(
      client.engineConfig('client', { serverName: 'localhost' }),
      serverContext.engineConfig('server'),
    );
    expect(errorOf(c.events)).toBeUndefined();
    const info = completed(c);
    expect(info?.version).toBe(0x0304);
    expect(info?.cipherSuite.id).toBe(CipherSuite.TLS_AES_256_GCM_SHA384);
    expect(info?.group).toBe(NamedGroup.X25519);
    expect(info?.peerCertificates).toHaveLength(2);
    expect(completed(s)?.serverName).toBe('localhost');
  });

  it('fails the client with UNABLE_TO_GET_ISSUER_CERT_LOCALLY under the default roots; the server gets unknown_ca', () => {
    const { client, server } = handshake(
      createSecureContext().engineConfig('client', { serverName: 'localhost' }),
      serverContext.engineConfig('server'),
    );
    expect(errorOf(client.events)).toMatchObject({
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      alert: AlertDescription.UnknownCa,
    });
    expect(errorOf(server.events)?.received).toBe(AlertDescription.UnknownCa);
    expect(completed(client)).toBeUndefined();
  });

  it('fails the client with DEPTH_ZERO_SELF_SIGNED_CERT against a self-signed server', () => {
    const self = credential('ecdsa');
    const { client } = handshake(
      createSecureContext().engineConfig('client', { serverName: 'localhost' }),
      createSecureContext({ key: self.keyPem, cert: self.certPem }).engineConfig('server'),
    );
    expect(errorOf(client.events)).toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      alert: AlertDescription.UnknownCa,
    });
  });

  it('lets the socket layer replace the verifier through extra (rejectUnauthorized: false)', () => {
    const seen: string[] = [];
    const client = createSecureContext();
    const { client: c } = handshake(
      client.engineConfig('client', {
        serverName: 'localhost',
        verifyPeer: (chain, { peer }) => {
          seen.push(`${peer}:${client.verifyPeerChain(chain, 'serverAuth')?.code}`);
          return undefined;
        },
      }),
      serverContext.engineConfig('server'),
    );
    expect(seen).toEqual(['server:UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);
    expect(completed(c)).toBeDefined();
  });

  it('follows the server order with honorCipherOrder and the client order without it', () => {
    const client = createSecureContext({
      ca: root.certPem,
      ciphers: 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256',
    });
    const options = {
      key: leaf.keyPem,
      cert: leaf.certPem + intermediate.certPem,
      ciphers: 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
    };
    const suiteWith = (honorCipherOrder: boolean) =>
      completed(
        handshake(
          client.engineConfig('client', { serverName: 'localhost' }),
          createSecureContext({ ...options, honorCipherOrder }).engineConfig('server'),
        ).client,
      )?.cipherSuite.id;
    expect(suiteWith(true)).toBe(CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
    expect(suiteWith(false)).toBe(CipherSuite.TLS_AES_128_GCM_SHA256);
  });

  it('fails with no shared suite when the ciphers do not meet', () => {
    const { server } = handshake(
      createSecureContext({ ca: root.certPem, ciphers: 'TLS_AES_128_GCM_SHA256' }).engineConfig('client'),
      createSecureContext({
        key: leaf.keyPem,
        cert: leaf.certPem,
        ciphers: 'TLS_AES_256_GCM_SHA384',
      }).engineConfig('server'),
    );
    expect(errorOf(server.events)?.alert).toBe(AlertDescription.HandshakeFailure);
  });

  it('uses the groups of ecdhCurve', () => {
    const { client } = handshake(
      createSecureContext({ ca: root.certPem, ecdhCurve: 'P-384:P-256' }).engineConfig('client'),
      createSecureContext({
        key: leaf.keyPem,
        cert: leaf.certPem + intermediate.certPem,
        ecdhCurve: 'P-256:P-384',
      }).engineConfig('server'),
    );
    expect(completed(client)?.group).toBe(NamedGroup.Secp384r1);
  });

  it('negotiates X25519MLKEM768 when both ecdhCurve lists start with it', () => {
    const { client } = handshake(
      createSecureContext({ ca: root.certPem, ecdhCurve: 'X25519MLKEM768:X25519' }).engineConfig('client'),
      createSecureContext({ ...serverOptions(), ecdhCurve: 'X25519MLKEM768' }).engineConfig('server'),
    );
    expect(completed(client)?.group).toBe(NamedGroup.X25519MLKEM768);
  });

  it('serves the certificate of the kind the client accepts (RSA, ECDSA, Ed25519 in one context)', () => {
    const rsa = credential('rsa');
    const ecdsa = credential('ecdsa');
    const ed25519 = credential('ed25519');
    const server = createSecureContext({
      key: [rsa.keyPem, ecdsa.keyPem, ed25519.keyPem],
      cert: [rsa.certPem, ecdsa.certPem, ed25519.certPem],
    });
    const ca = [rsa.certPem, ecdsa.certPem, ed25519.certPem];
    const scheme = (sigalgs: string) =>
      completed(
        handshake(createSecureContext({ ca, sigalgs }).engineConfig('client'), server.engineConfig('server'))
          .client,
      )?.peerSignatureScheme;
    expect(scheme('ed25519')).toBe(SignatureScheme.Ed25519);
    expect(scheme('rsa_pss_rsae_sha256')).toBe(SignatureScheme.RsaPssRsaeSha256);
    expect(scheme('ECDSA+SHA256')).toBe(SignatureScheme.EcdsaSecp256r1Sha256);
  });

  it('verifies client certificates against the server context (clientAuth)', () => {
    const server = createSecureContext({
      key: leaf.keyPem,
      cert: leaf.certPem + intermediate.certPem,
      ca: root.certPem,
    });
    const run = (client: { key: string; cert: string }) =>
      handshake(
        createSecureContext({ ...client, ca: root.certPem }).engineConfig('client', {
          serverName: 'localhost',
        }),
        server.engineConfig('server', { requestClientCertificate: true }),
      );
    const good = run({ key: leaf.keyPem, cert: leaf.certPem + intermediate.certPem });
    expect(completed(good.server)?.peerCertificates).toHaveLength(2);
    const bad = run({ key: stranger.keyPem, cert: stranger.certPem });
    expect(errorOf(bad.server.events)).toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      alert: AlertDescription.UnknownCa,
    });
  });

  it('issues session tickets with the context ticket keys unless SSL_OP_NO_TICKET', () => {
    const client = createSecureContext({ ca: root.certPem });
    const tickets = (secureOptions: number) =>
      handshake(
        client.engineConfig('client'),
        createSecureContext({
          key: leaf.keyPem,
          cert: leaf.certPem + intermediate.certPem,
          secureOptions,
        }).engineConfig('server'),
      ).client.events.filter((event) => event.type === 'session-ticket').length;
    expect(tickets(0)).toBeGreaterThan(0);
    expect(tickets(SecureOptions.SSL_OP_NO_TICKET)).toBe(0);
  });

  it('lets extra win over the context values', () => {
    const config = serverContext.engineConfig('server', {
      cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256],
    });
    expect(config.cipherSuites).toEqual([CipherSuite.TLS_AES_128_GCM_SHA256]);
    expect(config.certificates).toBe(serverContext.certificates);
    expect(config.provider).toBe(serverContext.provider);
  });
});

describe('engine switches from secureOptions', () => {
  it('turns SSL_OP_NO_RENEGOTIATION into renegotiation: false', () => {
    expect(createSecureContext().engineConfig('server')).not.toHaveProperty('renegotiation');
    const config = createSecureContext({ secureOptions: SecureOptions.SSL_OP_NO_RENEGOTIATION }).engineConfig(
      'client',
    );
    expect(config).toHaveProperty('renegotiation', false);
  });

  it('lets a client connect to a server without secure renegotiation with SSL_OP_LEGACY_SERVER_CONNECT or SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION', () => {
    // Shown against gnutls-serv %DISABLE_SAFE_RENEGOTIATION in @tls/handshake (openssl always sends renegotiation_info).
    expect(createSecureContext().engineConfig('client')).not.toHaveProperty('legacyServerConnect');
    for (const flag of [
      SecureOptions.SSL_OP_LEGACY_SERVER_CONNECT,
      SecureOptions.SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION,
    ]) {
      expect(createSecureContext({ secureOptions: flag }).engineConfig('client')).toHaveProperty(
        'legacyServerConnect',
        true,
      );
      expect(createSecureContext({ secureOptions: flag }).engineConfig('server')).not.toHaveProperty(
        'legacyServerConnect',
      );
    }
  });

  it('turns SSL_OP_NO_ENCRYPT_THEN_MAC into encryptThenMac: false', () => {
    expect(createSecureContext().engineConfig('client')).toHaveProperty('encryptThenMac', true);
    const config = createSecureContext({
      secureOptions: SecureOptions.SSL_OP_NO_ENCRYPT_THEN_MAC,
    }).engineConfig('client');
    expect(config).toHaveProperty('encryptThenMac', false);
  });
});

describe('versions given to the engine', () => {
  it('keeps TLS 1.0/1.1 out below @SECLEVEL=0, as OpenSSL 3 cannot sign for them there', () => {
    const context = createSecureContext({ minVersion: 'TLSv1' });
    expect(context.minVersion).toBe(0x0301);
    expect(context.engineConfig('client').minVersion).toBe(0x0303);
    const legacy = createSecureContext({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect(legacy.engineConfig('server').minVersion).toBe(0x0301);
  });
});
