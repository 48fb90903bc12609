import { X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  buildPeerChain,
  createCertificate,
  nameToString,
  type DetailedPeerCertificate,
  parseCertificates,
  toDetailedPeerCertificate,
  toPeerCertificate,
} from '@tls/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, OpensslDir, nativeTlsHandshake } from '@tls/test-kit';

const provider = createNodeCryptoProvider();
const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

async function nativePeerCertificate(
  leaf: Issued,
  chainPem: string,
  caPem: string,
): Promise<tls.DetailedPeerCertificate> {
  return nativeTlsHandshake(
    { key: leaf.keyPem, cert: chainPem },
    { ca: caPem, rejectUnauthorized: false },
    (socket) => socket.getPeerCertificate(true),
  );
}

/** Flattens a detailed certificate to a list, normalizing Buffers/Uint8Arrays to hex. */
function flatten(certificate: object): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  const seen = new Set<object>();
  let current: Record<string, unknown> | undefined = certificate as Record<string, unknown>;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const entry: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(current)) {
      if (key === 'issuerCertificate') entry[key] = value === current ? 'self' : 'next';
      else if (value instanceof Uint8Array) entry[key] = Buffer.from(value).toString('hex');
      else if (value !== null && typeof value === 'object' && !Array.isArray(value))
        entry[key] = { ...value };
      else entry[key] = value;
    }
    list.push(entry);
    current = current.issuerCertificate as Record<string, unknown> | undefined;
  }
  return list;
}

const allExtensions = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth, clientAuth, 1.3.6.1.4.1.99999.1',
  'subjectAltName = @alt_sect',
  'authorityInfoAccess = OCSP;URI:http://ocsp.example.com/, caIssuers;URI:http://ca.example.com/ca.crt, OCSP;URI:http://ocsp2.example.com/',
  'crlDistributionPoints = URI:http://crl.example.com/a.crl',
  'certificatePolicies = 2.23.140.1.2.1, 1.3.6.1.4.1.44947.1.1.1',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid:always',
  '1.3.6.1.4.1.11129.2.4.2 = DER:0403020100',
  '1.2.3.4.5.6 = critical, DER:0500',
  '[alt_sect]',
  'DNS.1 = example.com',
  'DNS.2 = *.example.com',
  'IP.1 = 127.0.0.1',
  'IP.2 = 2001:db8::1',
  'email.1 = admin@example.com',
  'URI.1 = https://example.com/a?b=c',
  'URI.2 = http://x.example/a,b',
  'RID.1 = 1.2.3.4',
  'otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com',
  'otherName.2 = 1.2.3.4;UTF8:other',
  'dirName.1 = dir_sect',
  '[dir_sect]',
  'C = DE',
  'O = Dir, Org',
  'CN = dir name',
];

describe('getPeerCertificate() object against Node over a real handshake', () => {
  let root: Issued;
  let intermediate: Issued;
  beforeAll(() => {
    root = openssl.issue({
      key: openssl.key('p384'),
      subject: '/C=US/O=Test Root/CN=Test Root CA',
      extensions: [
        'basicConstraints = critical, CA:TRUE',
        'keyUsage = critical, keyCertSign, cRLSign',
        'subjectKeyIdentifier = hash',
      ],
    });
    intermediate = openssl.issue({
      key: openssl.key('rsa'),
      subject: '/C=US/O=Test/OU=Unit A/OU=Unit B/CN=Test Intermediate',
      issuer: root,
      extensions: [
        'basicConstraints = critical, CA:TRUE, pathlen:0',
        'keyUsage = critical, keyCertSign',
        'nameConstraints = critical, permitted;DNS:example.com, permitted;IP:127.0.0.0/255.0.0.0, excluded;email:bad@example.com',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid:always',
      ],
    });
  });

  const cases: [string, Parameters<OpensslDir['key']>[0], string][] = [
    [
      'RSA leaf',
      'rsa',
      '/C=US/ST=California/L=San Francisco/O=Acme, Inc./OU=Web+OU=Ops/CN=example.com/emailAddress=admin@example.com',
    ],
    ['P-256 leaf', 'p256', '/CN=p256.example.com/O=Ünïcødé Örg/serialNumber=1234/DC=example/DC=com'],
    ['P-521 leaf', 'p521', '/CN=p521.example.com/title=Dr/GN=Ada/SN=Lovelace/1.2.3.4.5=custom attr'],
    ['Ed25519 leaf', 'ed25519', '/CN=ed25519.example.com/O=\\#hash, \\"quote\\" <x>;y'],
  ];

  for (const [name, keySpec, subject] of cases) {
    it(`matches for a ${name} with every extension`, async () => {
      const leaf = openssl.issue({
        key: openssl.key(keySpec),
        subject,
        issuer: intermediate,
        extensions: allExtensions,
      });
      const native = await nativePeerCertificate(leaf, leaf.certPem + intermediate.certPem, root.certPem);
      const chain = parseCertificates(leaf.certPem + intermediate.certPem + root.certPem);
      const ours = toDetailedPeerCertificate(chain, provider) as DetailedPeerCertificate;
      const expected = flatten(native);
      expect(expected).toHaveLength(3);
      expect(flatten(ours)).toEqual(expected);
      for (let i = 0; i < 3; i++) expect(Object.keys(flatten(ours)[i]!)).toEqual(Object.keys(expected[i]!));
      expect(Object.getPrototypeOf(ours.subject)).toBe(null);
    });
  }

  it('buildPeerChain orders what the peer sent and completes it from the trust store, as Node', async () => {
    const leaf = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=order.example.com',
      issuer: intermediate,
      extensions: allExtensions,
    });
    const unrelated = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=Unrelated',
      extensions: ['basicConstraints = critical, CA:TRUE'],
    });
    const sent = leaf.certPem + unrelated.certPem + intermediate.certPem;
    const trusted = unrelated.certPem + root.certPem;
    const native = await nativePeerCertificate(leaf, sent, trusted);
    const chain = buildPeerChain(parseCertificates(sent), parseCertificates(trusted));
    expect(chain.map((c) => c.subject.rdns.at(-1)?.[0]?.value)).toEqual([
      'order.example.com',
      'Test Intermediate',
      'Test Root CA',
    ]);
    expect(flatten(toDetailedPeerCertificate(chain, provider)!)).toEqual(flatten(native));
    // Without the root in the store the chain stops at the intermediate.
    const partial = buildPeerChain(parseCertificates(sent), parseCertificates(unrelated.certPem));
    expect(flatten(toDetailedPeerCertificate(partial, provider)!)).toEqual(
      flatten(await nativePeerCertificate(leaf, sent, unrelated.certPem)),
    );
  });

  it('matches when the root is unknown: the last certificate has no issuerCertificate', async () => {
    const leaf = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=noroot.example.com',
      issuer: intermediate,
      extensions: allExtensions,
    });
    const native = await nativePeerCertificate(leaf, leaf.certPem + intermediate.certPem, leaf.certPem);
    const ours = toDetailedPeerCertificate(parseCertificates(leaf.certPem + intermediate.certPem), provider)!;
    expect(flatten(native)).toHaveLength(2);
    expect(flatten(ours)).toEqual(flatten(native));
    expect('issuerCertificate' in ours.issuerCertificate!).toBe(false);
  });

  it('matches for an RSA-PSS key, serial 1 and a self-signed leaf (issuer is itself)', async () => {
    const leaf = openssl.issue({
      key: openssl.key('rsa-pss'),
      subject: '/CN=pss.example.com',
      serial: '1',
      extensions: ['subjectAltName = DNS:pss.example.com'],
    });
    const native = await nativePeerCertificate(leaf, leaf.certPem, leaf.certPem);
    const ours = toDetailedPeerCertificate(parseCertificates(leaf.certPem), provider)!;
    expect(flatten(ours)).toEqual(flatten(native));
    expect(ours.issuerCertificate).toBe(ours);
  });

  it('matches toLegacyObject() for certificates with awkward names', () => {
    const key = openssl.key('p256');
    const awkward = [
      [
        '/CN= leading and trailing /O=a\\+b',
        'DNS.1 = a,b.example\nURI.1 = http://q.example/"x"\nemail.1 = a\\b@example.com\nDNS.2 = it\'s.example',
      ],
      [
        '/CN=ctrl\x01char/OU=tab\there',
        'DNS.1 = ok.example\notherName.1 = 1.3.6.1.5.5.7.8.7;IA5:_srv.example',
      ],
      [
        '/CN=日本語/O=Ελληνικά',
        'otherName.1 = 1.3.6.1.5.5.7.8.9;UTF8:jürgen@example.com, x\notherName.2 = 1.3.6.1.5.5.7.8.7;UTF8:bad-type',
      ],
    ];
    for (const [subject, san] of awkward) {
      const issued = openssl.issue({
        key,
        subject: subject!,
        extensions: ['subjectAltName = @alt', '[alt]', san!],
      });
      const native = new X509Certificate(issued.certPem);
      const ours = toPeerCertificate(parseCertificates(issued.certPem)[0]!, provider);
      expect(flatten(ours)).toEqual(flatten(native.toLegacyObject()));
    }
  });

  it('names attributes like OpenSSL for every OID of the usual arcs', () => {
    const oids = [
      ...Array.from({ length: 100 }, (_, i) => `2.5.4.${i}`),
      ...Array.from({ length: 60 }, (_, i) => `0.9.2342.19200300.100.1.${i + 1}`),
      ...Array.from({ length: 30 }, (_, i) => `1.2.840.113549.1.9.${i + 1}`),
      ...Array.from({ length: 3 }, (_, i) => `1.3.6.1.4.1.311.60.2.1.${i + 1}`),
      ...Array.from({ length: 6 }, (_, i) => `1.3.6.1.5.5.7.9.${i + 1}`),
      '1.2.3.4.5',
    ];
    const keys = provider.generateKeyPair({ type: 'ed25519' });
    const { pem, certificate } = createCertificate(
      {
        subject: oids.map((oid) => [oid, 'v'] as const),
        publicKey: keys.publicKey,
        signingKey: keys.privateKey,
      },
      provider,
    );
    const native = new X509Certificate(pem);
    expect(Object.keys(toPeerCertificate(certificate, provider).subject)).toEqual(
      Object.keys(native.toLegacyObject().subject),
    );
    expect(nameToString(certificate.subject)).toBe(native.subject);
  });
});
