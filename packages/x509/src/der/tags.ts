// ASN.1 universal tags and identifier octets (X.680 §8.4, X.690 §8.1.2) used by X.509.

/**
 * Identifier octets of the universal types X.509 uses (class universal, primitive unless noted).
 * @example reader.expect(DerTag.Sequence, 'tbsCertificate')
 */
export const DerTag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  Enumerated: 0x0a,
  Utf8String: 0x0c,
  Sequence: 0x30,
  Set: 0x31,
  NumericString: 0x12,
  PrintableString: 0x13,
  TeletexString: 0x14,
  Ia5String: 0x16,
  UtcTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BmpString: 0x1e,
} as const;
export type DerTag = number;

/**
 * Identifier octet of a context-specific tag `[n]` (n < 31).
 * @example contextTag(3, true) // 0xa3, the certificate extensions wrapper
 */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}
