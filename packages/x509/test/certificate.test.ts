// Certificate parsing: every decoded field against openssl's view of the same certificate, and
// strictness on malformed input (field names and byte offsets in errors).
import { X509Certificate } from 'node:crypto';
import {
  DerReader,
  encodeBitString,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  encodeTlv,
  parseCertificate,
  parseCertificates,
  type X509Error,
} from '@tls/x509';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Issued, OpensslDir } from '@tls/test-kit';

const openssl = new OpensslDir();
afterAll(() => openssl.dispose());

function errorOf(fn: () => unknown): X509Error {
  try {
    fn();
  } catch (error) {
    return error as X509Error;
  }
  throw new Error('expected an error');
}

const hex = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('hex');

describe('parseCertificate', () => {
  let issued: Issued;
  let der: Uint8Array;
  beforeAll(() => {
    issued = openssl.issue({
      key: openssl.key('p256'),
      subject: '/CN=full.example.com/O=Full',
      serial: '0x00c0ffee',
      extensions: [
        'basicConstraints = critical, CA:TRUE, pathlen:3',
        'keyUsage = critical, keyCertSign, cRLSign, digitalSignature, decipherOnly',
        'extendedKeyUsage = serverAuth, 1.2.3.4',
        'subjectAltName = DNS:a.example, IP:10.1.2.3, IP:::1, email:x@example.com, URI:https://u.example/, RID:1.2.3, otherName:1.2.3.4;UTF8:hello',
        'nameConstraints = critical, permitted;DNS:example.com, permitted;IP:10.0.0.0/255.0.0.0, excluded;email:.bad.example',
        'certificatePolicies = 2.23.140.1.2.1, @policy',
        'policyConstraints = critical, requireExplicitPolicy:2',
        'inhibitAnyPolicy = critical, 1',
        'authorityInfoAccess = OCSP;URI:http://ocsp.example/, caIssuers;URI:http://ca.example/ca.der',
        'crlDistributionPoints = URI:http://crl.example/a.crl',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid:always',
        '1.3.6.1.4.1.11129.2.4.2 = DER:0403020100',
        '1.2.3.4.5.6 = critical, DER:0500',
        '[policy]',
        'policyIdentifier = 1.3.6.1.4.1.99.1',
        'CPS.1 = "http://cps.example/"',
      ],
    });
    der = parseCertificates(issued.certPem)[0]!.der;
  });

  it('decodes every field and extension', () => {
    const c = parseCertificate(der);
    const native = new X509Certificate(issued.certPem);
    expect(c.version).toBe(3);
    expect(hex(c.serialNumber)).toBe('00c0ffee');
    expect(c.notBefore).toBe(Date.parse(native.validFrom));
    expect(c.notAfter).toBe(Date.parse(native.validTo));
    expect(c.subject.rdns.map((rdn) => rdn.map((a) => [a.oid, a.value]))).toEqual([
      [['2.5.4.3', 'full.example.com']],
      [['2.5.4.10', 'Full']],
    ]);
    expect(Buffer.from(c.subject.encoded).equals(Buffer.from(c.issuer.encoded))).toBe(true);
    const d = c.decoded;
    expect(d.basicConstraints).toEqual({ ca: true, pathLenConstraint: 3 });
    expect(d.keyUsage).toMatchObject({
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      decipherOnly: true,
      keyEncipherment: false,
    });
    expect(d.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.2.3.4']);
    expect(d.subjectAltName?.map((n) => n.type)).toEqual([
      'dNSName',
      'iPAddress',
      'iPAddress',
      'rfc822Name',
      'uniformResourceIdentifier',
      'registeredID',
      'otherName',
    ]);
    expect(d.subjectAltName?.[2]).toMatchObject({ type: 'iPAddress' });
    const ipv6 = d.subjectAltName?.[2] as { bytes: Uint8Array };
    expect(hex(ipv6.bytes)).toBe('00000000000000000000000000000001');
    expect(d.subjectAltName?.[5]).toEqual({ type: 'registeredID', oid: '1.2.3' });
    const other = d.subjectAltName?.[6] as { typeId: string; value: { tag: number; contents: Uint8Array } };
    expect(other.typeId).toBe('1.2.3.4');
    expect(other.value.tag).toBe(0x0c);
    expect(Buffer.from(other.value.contents).toString()).toBe('hello');
    expect(d.nameConstraints?.permittedSubtrees?.map((s) => s.base)).toEqual([
      { type: 'dNSName', value: 'example.com' },
      { type: 'iPAddress', bytes: Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0) },
    ]);
    expect(d.nameConstraints?.excludedSubtrees?.map((s) => s.base)).toEqual([
      { type: 'rfc822Name', value: '.bad.example' },
    ]);
    expect(d.certificatePolicies?.map((p) => [p.policyIdentifier, p.qualifiers.map((q) => q.oid)])).toEqual([
      ['2.23.140.1.2.1', []],
      ['1.3.6.1.4.1.99.1', ['1.3.6.1.5.5.7.2.1']],
    ]);
    expect(d.policyConstraints).toEqual({ requireExplicitPolicy: 2, inhibitPolicyMapping: undefined });
    expect(d.inhibitAnyPolicy).toBe(1);
    expect(
      d.authorityInfoAccess?.map((a) => [a.accessMethod, (a.accessLocation as { value: string }).value]),
    ).toEqual([
      ['1.3.6.1.5.5.7.48.1', 'http://ocsp.example/'],
      ['1.3.6.1.5.5.7.48.2', 'http://ca.example/ca.der'],
    ]);
    expect(d.crlDistributionPoints?.[0]?.fullName).toEqual([
      { type: 'uniformResourceIdentifier', value: 'http://crl.example/a.crl' },
    ]);
    const text = openssl.run([
      'x509',
      '-in',
      issued.certPath,
      '-noout',
      '-ext',
      'subjectKeyIdentifier,authorityKeyIdentifier',
    ]);
    const ski = hex(d.subjectKeyIdentifier)!.toUpperCase().match(/../g)!.join(':');
    expect(text).toContain(ski);
    expect(hex(d.authorityKeyIdentifier?.keyIdentifier)).toBe(hex(d.subjectKeyIdentifier));
    expect(hex(d.sctList)).toBe('020100');
    expect(c.extensions.find((e) => e.oid === '1.2.3.4.5.6')).toMatchObject({ critical: true });
    expect(hex(c.extensions.find((e) => e.oid === '1.2.3.4.5.6')?.value)).toBe('0500');
    expect(c.subjectPublicKeyInfo.key).toMatchObject({ type: 'ec', curve: 'P-256', bits: 256 });
    expect(
      Buffer.from(c.subjectPublicKeyInfo.encoded).equals(
        native.publicKey.export({ type: 'spki', format: 'der' }),
      ),
    ).toBe(true);
    // No copies: fields are views into the input.
    expect(c.tbs.buffer).toBe(der.buffer);
    expect(c.subjectPublicKeyInfo.encoded.buffer).toBe(der.buffer);
  });

  it('decodes RSA, RSA-PSS (with parameters), EC, Ed25519 and Ed448 keys like Node', () => {
    const pss = openssl.path('pss.key');
    openssl.run([
      'genpkey',
      '-algorithm',
      'RSA-PSS',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-pkeyopt',
      'rsa_pss_keygen_md:sha384',
      '-pkeyopt',
      'rsa_pss_keygen_mgf1_md:sha384',
      '-pkeyopt',
      'rsa_pss_keygen_saltlen:48',
      '-out',
      pss,
    ]);
    const keys: [string, object][] = [
      [openssl.key('rsa'), { type: 'rsa', bits: 2048 }],
      [pss, { type: 'rsa-pss', bits: 2048, pss: { hash: 'sha384', maskGenHash: 'sha384', saltLength: 48 } }],
      [openssl.key('p384'), { type: 'ec', curve: 'P-384', bits: 384 }],
      [openssl.key('p521'), { type: 'ec', curve: 'P-521', bits: 521 }],
      [openssl.key('ed25519'), { type: 'ed25519', bits: 253 }],
      [openssl.key('ed448'), { type: 'ed448', bits: 456 }],
    ];
    for (const [key, expected] of keys) {
      const pem = openssl.issue({ key, subject: '/CN=key' }).certPem;
      const ours = parseCertificates(pem)[0]!.subjectPublicKeyInfo;
      const native = new X509Certificate(pem).publicKey;
      expect(ours.key).toMatchObject(expected);
      expect(ours.key.type).toBe(native.asymmetricKeyType);
      expect(Buffer.from(ours.encoded).equals(native.export({ type: 'spki', format: 'der' }))).toBe(true);
      if (ours.key.type === 'rsa-pss') {
        const details = native.asymmetricKeyDetails!;
        expect(details).toMatchObject({
          modulusLength: 2048,
          hashAlgorithm: 'sha384',
          mgf1HashAlgorithm: 'sha384',
          saltLength: 48,
        });
        expect(BigInt(`0x${Buffer.from(ours.key.publicExponent).toString('hex')}`)).toBe(
          details.publicExponent,
        );
        continue;
      }
      const jwk = native.export({ format: 'jwk' });
      if (ours.key.type === 'rsa') {
        expect(Buffer.from(ours.key.modulus).toString('base64url')).toBe(jwk.n);
        expect(Buffer.from(ours.key.publicExponent).toString('base64url')).toBe(jwk.e);
      } else if (ours.key.type === 'ec') {
        expect(Buffer.from(ours.key.point.subarray(1)).toString('base64url')).toBe(
          Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]).toString(
            'base64url',
          ),
        );
      } else if (ours.key.type === 'ed25519' || ours.key.type === 'ed448') {
        expect(Buffer.from(ours.key.key).toString('base64url')).toBe(jwk.x);
      }
    }
  });

  it('parses v1 certificates', () => {
    const key = openssl.key('p256');
    const csr = openssl.path('v1.csr');
    openssl.run(['req', '-new', '-key', key, '-subj', '/CN=v1', '-out', csr]);
    openssl.run(['x509', '-req', '-in', csr, '-signkey', key, '-days', '1', '-out', openssl.path('v1.pem')]);
    const text = openssl.run(['x509', '-in', openssl.path('v1.pem'), '-noout', '-text']);
    const version = Number(/Version: (\d)/.exec(text)![1]);
    const c = parseCertificates(openssl.run(['x509', '-in', openssl.path('v1.pem')]))[0]!;
    expect(c.version).toBe(version);
    if (version === 1) expect(c.extensions).toEqual([]);
  });

  it('rejects trailing bytes, bad lengths and bad times with the field and offset', () => {
    const trailing = new Uint8Array([...der, 0]);
    expect(errorOf(() => parseCertificate(trailing)).message).toBe(
      `certificate: trailing bytes at byte offset ${der.length}`,
    );
    // The outer SEQUENCE header re-encoded with a non-minimal long form length.
    const body = der.subarray(4);
    const padded = new Uint8Array([0x30, 0x83, 0x00, (body.length >> 8) & 0xff, body.length & 0xff, ...body]);
    const lengthError = errorOf(() => parseCertificate(padded));
    expect(lengthError.code).toBe('ERR_X509_DER');
    expect(lengthError.offset).toBe(1);
    // Corrupt the notBefore month to 13.
    const text = Buffer.from(der).toString('hex');
    // UTCTime (tag 17, length 0d): find its hex position, then convert to a byte offset.
    const hexIndex = text.search(/170d3\d3\d3\d/);
    expect(hexIndex % 2).toBe(0);
    const match = { index: hexIndex / 2 };
    const monthOffset = match.index + 4;
    const badTime = der.slice();
    badTime[monthOffset] = 0x31;
    badTime[monthOffset + 1] = 0x33;
    const timeError = errorOf(() => parseCertificate(badTime));
    expect(timeError.field).toBe('tbsCertificate.validity.notBefore');
    expect(timeError.offset).toBe(match.index + 2);
    expect(timeError.message).toBe(
      `tbsCertificate.validity.notBefore: time field out of range at byte offset ${match.index + 2}`,
    );
  });

  it('rejects duplicate extensions and extensions in v1 certificates', () => {
    const c = parseCertificate(der);
    // Split the TBSCertificate into its fields and rebuild it with changes.
    const reader = new DerReader(c.tbs).sequence('tbs');
    const fields: Uint8Array[] = [];
    while (reader.hasMore()) fields.push(reader.read('field').encoded);
    const [version, ...rest] = fields;
    const beforeExtensions = rest.slice(0, -1);
    const extension = (oid: string, value: Uint8Array) =>
      encodeSequence([encodeObjectIdentifier(oid), encodeOctetString(value)]);
    const basicConstraints = c.extensions.find((e) => e.oid === '2.5.29.19')!.value;
    const sign = (tbs: Uint8Array) =>
      encodeSequence([tbs, c.signatureAlgorithm.encoded, encodeBitString(c.signature)]);
    const twice = encodeTlv(
      0xa3,
      encodeSequence([extension('2.5.29.19', basicConstraints), extension('2.5.29.19', basicConstraints)]),
    );
    const duplicate = errorOf(() =>
      parseCertificate(sign(encodeSequence([version!, ...beforeExtensions, twice]))),
    );
    expect(duplicate.code).toBe('ERR_X509_CERTIFICATE');
    expect(duplicate.message).toContain('duplicate extension 2.5.29.19');
    // The unchanged rebuild parses, so the failure above is the duplicate alone.
    expect(parseCertificate(sign(encodeSequence(fields))).decoded.basicConstraints?.ca).toBe(true);
    // Without the version field the certificate is v1, which may not carry extensions.
    const v1 = errorOf(() => parseCertificate(sign(encodeSequence(rest))));
    expect(v1.code).toBe('ERR_X509_CERTIFICATE');
    expect(v1.message).toContain('extensions in a certificate that is not v3');
    expect(parseCertificate(sign(encodeSequence(beforeExtensions))).version).toBe(1);
  });

  it('only ever throws X509Error on corrupted certificates (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const mutated = der.slice();
          for (const [position, value] of edits) mutated[position % mutated.length] = value;
          try {
            parseCertificate(mutated);
          } catch (error) {
            expect(['ERR_X509_DER', 'ERR_X509_CERTIFICATE', 'ERR_X509_UNSUPPORTED']).toContain(
              (error as X509Error).code,
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.nat({ max: 2000 }), (cut) => {
        const code = errorOf(() => parseCertificate(der.subarray(0, Math.min(cut, der.length - 1)))).code;
        expect(code).toBe('ERR_X509_DER');
      }),
      { numRuns: 300 },
    );
  });
});
