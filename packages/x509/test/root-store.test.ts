// Every certificate of Node's bundled root store, parsed by us and compared field by field with
// Node's native X509Certificate (OpenSSL underneath).
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import {
  decodePem,
  formatInfoAccess,
  formatSubjectAltName,
  formatCertificateTime,
  integerToHex,
  isCertificateAuthority,
  nameToString,
  parseCertificate,
  toPeerCertificate,
} from '@tls/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const provider = createNodeCryptoProvider();
const roots = rootCertificates.map((pem) => {
  const der = decodePem(pem, 'CERTIFICATE')[0]!.der;
  return { pem, der, native: new X509Certificate(pem), ours: parseCertificate(der) };
});

function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

describe('root store (tls.rootCertificates)', () => {
  it('has the expected size', () => {
    expect(roots.length).toBeGreaterThan(100);
  });

  it('parses every root with the DER bytes Node has', () => {
    for (const { der, native } of roots) expect(Buffer.from(der).equals(native.raw)).toBe(true);
  });

  it('matches X509Certificate string fields for every root', () => {
    for (const { native, ours } of roots) {
      const label = native.subject;
      expect(nameToString(ours.subject), label).toBe(native.subject);
      expect(nameToString(ours.issuer), label).toBe(native.issuer);
      expect(ours.decoded.subjectAltName && formatSubjectAltName(ours.decoded.subjectAltName), label).toBe(
        native.subjectAltName,
      );
      expect(
        ours.decoded.authorityInfoAccess && formatInfoAccess(ours.decoded.authorityInfoAccess),
        label,
      ).toBe(native.infoAccess);
      expect(formatCertificateTime(ours.notBefore), label).toBe(native.validFrom);
      expect(formatCertificateTime(ours.notAfter), label).toBe(native.validTo);
      expect(integerToHex(ours.serialNumber), label).toBe(native.serialNumber);
      expect(isCertificateAuthority(ours), label).toBe(native.ca);
      expect(ours.decoded.extKeyUsage, label).toEqual(native.keyUsage);
      const spki = native.publicKey.export({ type: 'spki', format: 'der' });
      expect(Buffer.from(ours.subjectPublicKeyInfo.encoded).equals(spki), label).toBe(true);
      const details = native.publicKey.asymmetricKeyDetails!;
      expect(ours.subjectPublicKeyInfo.key.type, label).toBe(native.publicKey.asymmetricKeyType);
      if (details.modulusLength !== undefined)
        expect(ours.subjectPublicKeyInfo.key.bits).toBe(details.modulusLength);
      if (details.namedCurve !== undefined) {
        expect(ours.subjectPublicKeyInfo.key).toMatchObject({
          curve: { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[details.namedCurve],
        });
      }
    }
  });

  it('builds the same legacy object as Node for every root, keys in the same order', () => {
    for (const { native, ours } of roots) {
      const expected = native.toLegacyObject() as unknown as Record<string, unknown>;
      const actual = toPeerCertificate(ours, provider) as unknown as Record<string, unknown>;
      expect(Object.keys(actual), native.subject).toEqual(Object.keys(expected));
      expect(normalize(actual), native.subject).toEqual(normalize(expected));
      expect(Object.getPrototypeOf(actual.subject)).toBe(null);
    }
  });

  it('has exactly the 2 roots that strict mode would refuse as CAs (README claim)', () => {
    const offenders = roots.filter(
      ({ ours }) =>
        ours.decoded.subjectKeyIdentifier === undefined ||
        ours.extensions.find((e) => e.oid === '2.5.29.19')?.critical !== true,
    );
    expect(offenders.map(({ native }) => native.subject.split('\n').at(-1))).toHaveLength(2);
  });

  it('refuses, as Node does, a root whose organizationName OID lost a byte (the value reads as ENUMERATED)', () => {
    // Found by the property below: `06 03 55 04 0a` → `06 02 55 04`, then `0a 0c …` parses as an
    // ENUMERATED value, which OpenSSL's name template does not take.
    const pattern = Buffer.from('0603550 40a'.replace(' ', ''), 'hex');
    const root = roots.find((candidate) => Buffer.from(candidate.der).indexOf(pattern) > 0)!;
    const der = root.der.slice();
    der[Buffer.from(der).indexOf(pattern) + 1] = 2;
    expect(() => new X509Certificate(der)).toThrow();
    expect(() => parseCertificate(der)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^ERR_X509_/) }),
    );
  });

  it('never accepts a corrupted root certificate that Node rejects (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (which, where, value) => {
        const der = roots[which % roots.length]!.der.slice();
        der[where % Math.min(der.length, 700)] = value;
        let nodeAccepts = true;
        try {
          new X509Certificate(der);
        } catch {
          nodeAccepts = false;
        }
        if (nodeAccepts) return;
        expect(() => parseCertificate(der)).toThrow(
          expect.objectContaining({ code: expect.stringMatching(/^ERR_X509_/) }),
        );
      }),
      { numRuns: 5000 },
    );
  });
});
