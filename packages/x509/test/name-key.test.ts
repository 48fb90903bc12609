// nameKey indexes certificates by subject: two names get one key exactly when namesEqual holds.
// Checked on every pair of names in Node's bundled roots (subjects and issuers), on names that
// differ only as RFC 5280 §7.1 comparison ignores (case, spaces, attribute order in an RDN), and
// parseCertificateSubject reads the subject parseCertificate reads.
import { rootCertificates } from 'node:tls';
import {
  type Name,
  decodePem,
  nameKey,
  namesEqual,
  parseCertificate,
  parseCertificateSubject,
  parseName,
} from '@tls/x509';
import { describe, expect, it } from 'vitest';
import { DerReader } from '../src/der/reader.js';

const ders = rootCertificates.map((pem) => decodePem(pem, 'CERTIFICATE')[0]!.der);
const certificates = ders.map((der) => parseCertificate(der));

/** A Name from its DER. */
function name(der: Uint8Array): Name {
  return parseName(new DerReader(der).read('name'), 'name');
}
/** DER of a Name: one RDN per entry, each a SET of (OID, UTF8String) pairs. */
function encodeName(rdns: readonly (readonly [string, string][])[]): Uint8Array {
  const tlv = (tag: number, body: number[]): number[] => {
    if (body.length > 127) throw new Error('short test names only');
    return [tag, body.length, ...body];
  };
  const oid = (dotted: string): number[] => {
    const [a, b, ...rest] = dotted.split('.').map(Number);
    const bytes = [a! * 40 + b!];
    for (const arc of rest) {
      const parts = [arc & 0x7f];
      for (let v = arc >> 7; v > 0; v >>= 7) parts.unshift((v & 0x7f) | 0x80);
      bytes.push(...parts);
    }
    return tlv(0x06, bytes);
  };
  const body = rdns.flatMap((rdn) =>
    tlv(
      0x31,
      rdn.flatMap(([o, value]) => tlv(0x30, [...oid(o), ...tlv(0x0c, [...Buffer.from(value, 'utf8')])])),
    ),
  );
  return Uint8Array.from(tlv(0x30, body));
}
const CN = '2.5.4.3';
const O = '2.5.4.10';

describe('nameKey', () => {
  it('agrees with namesEqual on every pair of names of the bundled roots', () => {
    const names = certificates.flatMap((c) => [c.subject, c.issuer]);
    for (const a of names) {
      for (const b of names) expect(nameKey(a) === nameKey(b)).toBe(namesEqual(a, b));
    }
  });

  it('ignores what name comparison ignores, and nothing else', () => {
    const base = name(encodeName([[[O, 'Example Org']], [[CN, 'Example Root']]]));
    const folded = name(encodeName([[[O, '  example   ORG ']], [[CN, 'example root']]]));
    const reordered = name(
      encodeName([
        [
          [CN, 'A'],
          [O, 'B'],
        ],
      ]),
    );
    const ordered = name(
      encodeName([
        [
          [O, 'B'],
          [CN, 'A'],
        ],
      ]),
    );
    const other = name(encodeName([[[O, 'Example Org']], [[CN, 'Example Root 2']]]));
    const swapped = name(encodeName([[[CN, 'Example Root']], [[O, 'Example Org']]]));
    expect(namesEqual(base, folded)).toBe(true);
    expect(nameKey(base)).toBe(nameKey(folded));
    expect(namesEqual(reordered, ordered)).toBe(true);
    expect(nameKey(reordered)).toBe(nameKey(ordered));
    for (const different of [other, swapped]) {
      expect(namesEqual(base, different)).toBe(false);
      expect(nameKey(base)).not.toBe(nameKey(different));
    }
  });
});

describe('parseCertificateSubject', () => {
  it('reads the subject parseCertificate reads, for every bundled root', () => {
    ders.forEach((der, i) => {
      expect(Buffer.from(parseCertificateSubject(der).encoded)).toEqual(
        Buffer.from(certificates[i]!.subject.encoded),
      );
    });
  });

  it('refuses bytes that are not a certificate', () => {
    expect(() => parseCertificateSubject(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00))).toThrow();
  });
});
