// The README example, run as written (with assertions in place of console.log).
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { createCertificate, parseCertificates, toPeerCertificate } from '@tls/x509';
import { checkServerIdentity, verifyChain } from '@tls/x509/verify';
import { expect, it } from 'vitest';

it('runs the README example', () => {
  const provider = createNodeCryptoProvider();

  const caKeys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const ca = createCertificate(
    {
      subject: { CN: 'Example Root' },
      publicKey: caKeys.publicKey,
      signingKey: caKeys.privateKey,
      basicConstraints: { ca: true },
      keyUsage: ['keyCertSign', 'cRLSign'],
    },
    provider,
  );
  const keys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const leaf = createCertificate(
    {
      subject: { CN: 'localhost' },
      publicKey: keys.publicKey,
      issuer: ca.certificate,
      signingKey: caKeys.privateKey,
      subjectAltNames: [
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ],
      extKeyUsage: ['serverAuth'],
    },
    provider,
  );

  const [certificate] = parseCertificates(leaf.pem);
  const peer = toPeerCertificate(certificate!, provider);
  expect(peer.subjectaltname).toBe('DNS:localhost, IP Address:127.0.0.1');
  expect(peer.valid_to).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);

  const { chain } = verifyChain(
    certificate!,
    { trustAnchors: [ca.certificate], hostname: 'localhost' },
    provider,
  );
  expect(chain.length).toBe(2);
  expect(checkServerIdentity('example.com', peer)?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
});
