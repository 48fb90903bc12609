// Certificates, CSRs and CRLs made by createCertificate/createCsr/createCrl, checked by the
// openssl CLI, by Node's X509Certificate and TLS, and by our own verifier.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { KeyPairSpec } from '@tls/crypto';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  createCertificate,
  createCrl,
  createCsr,
  encodePem,
  integerToHex,
  parseCertificates,
  toPeerCertificate,
} from '@tls/x509';
import { checkServerIdentity, verifyChain } from '@tls/x509/verify';
import { afterAll, describe, expect, it } from 'vitest';
import { OpensslDir, nativeTlsHandshake } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());
const day = 86_400_000;

function makeCa(spec: KeyPairSpec, name: string) {
  const keys = provider.generateKeyPair(spec);
  const { pem, certificate } = createCertificate(
    {
      subject: { C: 'US', O: 'Test CA Org', CN: name },
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      basicConstraints: { ca: true, pathLength: 1 },
      keyUsage: ['keyCertSign', 'cRLSign'],
    },
    provider,
  );
  return { keys, pem, certificate };
}

const specs: [string, KeyPairSpec][] = [
  ['RSA', { type: 'rsa', bits: 2048 }],
  ['RSA-PSS', { type: 'rsa-pss', bits: 2048 }],
  ['P-256', { type: 'ec', curve: 'P-256' }],
  ['P-384', { type: 'ec', curve: 'P-384' }],
  ['P-521', { type: 'ec', curve: 'P-521' }],
  ['Ed25519', { type: 'ed25519' }],
  ['Ed448', { type: 'ed448' }],
];

describe('createCertificate', () => {
  for (const [label, spec] of specs) {
    it(`makes ${label} CA and leaf certificates that openssl, Node and verifyChain accept`, () => {
      const ca = makeCa(spec, `${label} Root`);
      const leafKeys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
      const notBefore = Date.UTC(2025, 0, 2, 3, 4, 5);
      const leaf = createCertificate(
        {
          subject: [
            ['CN', 'www.example.com'],
            ['O', 'Ünïcode, Inc.'],
          ],
          publicKey: leafKeys.publicKey,
          issuer: ca.certificate,
          signingKey: ca.keys.privateKey,
          serialNumber: Uint8Array.of(0x80, 0x01, 0x02),
          notBefore,
          notAfter: Date.UTC(2050, 5, 6, 7, 8, 9),
          subjectAltNames: [
            { type: 'dns', value: 'www.example.com' },
            { type: 'dns', value: '*.example.com' },
            { type: 'ip', value: '192.0.2.7' },
            { type: 'ip', value: '2001:db8::7' },
            { type: 'email', value: 'ops@example.com' },
            { type: 'uri', value: 'https://example.com/' },
          ],
          basicConstraints: { ca: false },
          keyUsage: ['digitalSignature', 'keyEncipherment'],
          extKeyUsage: ['serverAuth', 'clientAuth'],
          ocspUrl: 'http://ocsp.example.com/',
          caIssuersUrl: 'http://ca.example.com/ca.der',
          crlUrl: 'http://crl.example.com/ca.crl',
        },
        provider,
      );
      const caPath = openssl.write(`ca-${label}.pem`, ca.pem);
      const leafPath = openssl.write(`leaf-${label}.pem`, leaf.pem);
      expect(openssl.run(['x509', '-in', leafPath, '-noout', '-text'])).toContain('DNS:*.example.com');
      expect(
        openssl
          .run(['verify', '-no-CApath', '-no-CAstore', '-x509_strict', '-CAfile', caPath, leafPath])
          .trim(),
      ).toBe(`${leafPath}: OK`);
      const native = new X509Certificate(leaf.pem);
      expect(native.verify(new X509Certificate(ca.pem).publicKey)).toBe(true);
      expect(native.subject).toBe('CN=www.example.com\nO=Ünïcode\\, Inc.');
      expect(native.issuer).toBe(`C=US\nO=Test CA Org\nCN=${label} Root`);
      expect(native.serialNumber).toBe('800102');
      expect(integerToHex(leaf.certificate.serialNumber)).toBe('800102');
      expect(native.validFrom).toBe('Jan  2 03:04:05 2025 GMT');
      expect(native.validTo).toBe('Jun  6 07:08:09 2050 GMT');
      expect(native.subjectAltName).toBe(
        'DNS:www.example.com, DNS:*.example.com, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7, email:ops@example.com, URI:https://example.com/',
      );
      expect(native.infoAccess).toBe(
        'OCSP - URI:http://ocsp.example.com/\nCA Issuers - URI:http://ca.example.com/ca.der',
      );
      expect(native.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
      expect(native.ca).toBe(false);
      expect(new X509Certificate(ca.pem).ca).toBe(true);
      const ours = toPeerCertificate(leaf.certificate, provider);
      expect(ours.fingerprint256).toBe(native.fingerprint256);
      const { chain } = verifyChain(
        leaf.certificate,
        { trustAnchors: [ca.certificate], time: provider.now() + day, hostname: 'api.example.com' },
        provider,
      );
      expect(chain).toHaveLength(2);
    });
  }

  it('serves a created certificate over Node TLS, accepted with hostname checks', async () => {
    const ca = makeCa({ type: 'ec', curve: 'P-256' }, 'TLS Root');
    const keys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
    const leaf = createCertificate(
      {
        subject: { CN: 'localhost' },
        publicKey: keys.publicKey,
        issuer: ca.certificate,
        signingKey: ca.keys.privateKey,
        subjectAltNames: [
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ],
        extKeyUsage: ['serverAuth'],
      },
      provider,
    );
    const key = encodePem('PRIVATE KEY', provider.exportPrivateKey(keys.privateKey));
    await nativeTlsHandshake({ key, cert: leaf.pem }, { servername: 'localhost', ca: ca.pem }, (socket) => {
      expect(socket.authorized).toBe(true);
      const peer = socket.getPeerCertificate();
      expect(checkServerIdentity('localhost', peer)).toBeUndefined();
      expect(tls.checkServerIdentity('127.0.0.1', peer)).toBeUndefined();
    });
  });

  it('makes CSRs that openssl verifies', () => {
    const keys = provider.generateKeyPair({ type: 'rsa', bits: 2048 });
    const csr = createCsr(
      {
        subject: { CN: 'csr.example.com', O: 'Acme' },
        privateKey: keys.privateKey,
        subjectAltNames: [{ type: 'dns', value: 'csr.example.com' }],
      },
      provider,
    );
    const path = openssl.write('request.csr', csr.pem);
    const text = openssl.run(['req', '-in', path, '-noout', '-verify', '-text']);
    expect(text).toContain('Subject: CN = csr.example.com, O = Acme');
    expect(text).toContain('DNS:csr.example.com');
  });

  it('makes CRLs that openssl verifies, and verifyChain reports CERT_REVOKED like openssl', () => {
    const ca = makeCa({ type: 'ec', curve: 'P-384' }, 'CRL Root');
    const keys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
    const make = () =>
      createCertificate(
        {
          subject: { CN: 'example.com' },
          publicKey: keys.publicKey,
          issuer: ca.certificate,
          signingKey: ca.keys.privateKey,
          subjectAltNames: [{ type: 'dns', value: 'example.com' }],
        },
        provider,
      );
    const revoked = make();
    const good = make();
    const now = provider.now();
    const crl = createCrl(
      {
        issuer: ca.certificate,
        signingKey: ca.keys.privateKey,
        revoked: [{ serialNumber: revoked.certificate.serialNumber, revocationDate: now - day }],
        thisUpdate: now - day,
        nextUpdate: now + day,
      },
      provider,
    );
    const caPath = openssl.write('crl-ca.pem', ca.pem);
    const crlPath = openssl.write('ca.crl', crl.pem);
    expect(openssl.tryRun(['crl', '-in', crlPath, '-CAfile', caPath, '-noout']).output).toContain(
      'verify OK',
    );
    const verdict = (pem: string) =>
      openssl.tryRun([
        'verify',
        '-no-CApath',
        '-no-CAstore',
        '-crl_check',
        '-CAfile',
        caPath,
        '-CRLfile',
        crlPath,
        openssl.write(`c${Math.random()}.pem`, pem),
      ]);
    expect(verdict(revoked.pem).output).toContain('error 23 at 0 depth lookup: certificate revoked');
    expect(verdict(good.pem).status).toBe(0);
    const options = { trustAnchors: [ca.certificate], crls: [crl.crl], time: now };
    expect(() => verifyChain(revoked.certificate, options, provider)).toThrow(
      expect.objectContaining({ code: 'CERT_REVOKED', depth: 0 }),
    );
    expect(verifyChain(good.certificate, options, provider).chain).toHaveLength(2);
    expect(() => verifyChain(good.certificate, { ...options, time: now + 2 * day }, provider)).toThrow(
      expect.objectContaining({ code: 'CRL_HAS_EXPIRED' }),
    );
    expect(parseCertificates(revoked.pem)[0]!.der).toEqual(revoked.der);
  });

  it("honours a CRL's issuingDistributionPoint scope (RFC 5280 §5.2.5, §6.3.3)", () => {
    const ca = makeCa({ type: 'ec', curve: 'P-256' }, 'IDP Root');
    const keys = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
    const leaf = createCertificate(
      {
        subject: { CN: 'example.com' },
        publicKey: keys.publicKey,
        issuer: ca.certificate,
        signingKey: ca.keys.privateKey,
        crlUrl: 'http://crl.example/ca.crl',
      },
      provider,
    );
    const now = provider.now();
    const crlFor = (issuingDistributionPoint: {
      url?: string;
      onlyContainsUserCerts?: boolean;
      onlyContainsCACerts?: boolean;
    }) =>
      createCrl(
        {
          issuer: ca.certificate,
          signingKey: ca.keys.privateKey,
          revoked: [{ serialNumber: leaf.certificate.serialNumber, revocationDate: now - day }],
          issuingDistributionPoint,
        },
        provider,
      );
    const verdict = (crl: ReturnType<typeof crlFor>) => {
      try {
        verifyChain(
          leaf.certificate,
          { trustAnchors: [ca.certificate], crls: [crl.crl], time: now },
          provider,
        );
        return 'OK';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    const matching = crlFor({ url: 'http://crl.example/ca.crl', onlyContainsUserCerts: true });
    expect(matching.crl.issuingDistributionPoint).toMatchObject({
      onlyContainsUserCerts: true,
      onlyContainsCACerts: false,
      fullName: [{ type: 'uniformResourceIdentifier', value: 'http://crl.example/ca.crl' }],
    });
    expect(matching.crl.extensions.find((e) => e.oid === '2.5.29.28')?.critical).toBe(true);
    expect(verdict(matching)).toBe('CERT_REVOKED');
    const caPath = openssl.write('idp-ca.pem', ca.pem);
    const result = openssl.tryRun([
      'verify',
      '-no-CApath',
      '-no-CAstore',
      '-crl_check',
      '-CAfile',
      caPath,
      '-CRLfile',
      openssl.write('idp.crl', matching.pem),
      openssl.write('idp-leaf.pem', leaf.pem),
    ]);
    expect(result.output).toContain('certificate revoked');
    expect(verdict(crlFor({ url: 'http://other.example/x.crl' }))).toBe('OK');
    expect(verdict(crlFor({ onlyContainsCACerts: true }))).toBe('OK');
  });
});
