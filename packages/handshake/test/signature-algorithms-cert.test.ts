// signature_algorithms_cert (RFC 8446 §4.2.3): a server with several chains prefers the one signed
// the way the client accepts in certificates, and falls back to its first when none fits.
import { X509Certificate } from 'node:crypto';
import { SignatureScheme } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  type CertifiedKey,
  ProtocolVersion,
  createClientConnection,
  createServerConnection,
} from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import { eventsOf, selfSignedCertificate, settle, side, temporaryDirectory } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const directory = temporaryDirectory('sigalgs-cert-');

/** A self-signed P-256 certificate signed with `digest`, as a CertifiedKey that says so. */
function chainSignedWith(digest: 'sha256' | 'sha384', scheme: number): CertifiedKey {
  const { keyPem, certPem } = selfSignedCertificate(directory, digest, {
    key: 'p256',
    digest,
    subject: `/CN=${digest}`,
    days: 1,
  });
  return {
    chain: [new Uint8Array(new X509Certificate(certPem).raw)],
    privateKey: provider.importPrivateKey({ key: keyPem }),
    certificateSignatureScheme: scheme,
  };
}

const sha256 = chainSignedWith('sha256', SignatureScheme.EcdsaSecp256r1Sha256);
const sha384 = chainSignedWith('sha384', SignatureScheme.EcdsaSecp384r1Sha384);

function servedSubject(version: number, certificateSignatureSchemes?: number[]): string {
  const client = side(
    createClientConnection({
      provider,
      maxVersion: version,
      ...(certificateSignatureSchemes ? { certificateSignatureSchemes } : {}),
    }),
  );
  const server = side(createServerConnection({ provider, certificates: [sha256, sha384] }));
  settle(client, server);
  const leaf = eventsOf(client, 'handshake-complete')[0]?.info.peerCertificates[0];
  return leaf === undefined ? 'none' : new X509Certificate(leaf).subject;
}

describe('signature_algorithms_cert', () => {
  for (const [name, version] of [
    ['TLS 1.3', ProtocolVersion.Tls13],
    ['TLS 1.2', ProtocolVersion.Tls12],
  ] as const) {
    it(`${name}: the server sends the chain signed as the client asks`, () => {
      expect(servedSubject(version)).toBe('CN=sha256');
      expect(servedSubject(version, [SignatureScheme.EcdsaSecp384r1Sha384])).toBe('CN=sha384');
      // None fits: the server still sends a chain of its choice (RFC 8446 §4.4.2.2).
      expect(servedSubject(version, [SignatureScheme.Ed25519])).toBe('CN=sha256');
    });
  }
});
