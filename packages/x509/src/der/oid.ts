// OBJECT IDENTIFIER codec (X.690 §8.19) and the OIDs X.509 uses, with OpenSSL's short and long
// names (OpenSSL's objects.txt), because Node's certificate objects are keyed by those names.

import { X509Error } from '../errors.js';

/**
 * Decodes OID contents to dotted form.
 * @throws X509Error `ERR_X509_DER` on an empty OID, a non-minimal subidentifier or a truncated one.
 * @example decodeOid(Uint8Array.of(0x55, 0x04, 0x03)) // '2.5.4.3'
 */
export function decodeOid(contents: Uint8Array, offset = 0, field = 'oid'): string {
  const fail = (what: string, at: number) =>
    new X509Error('ERR_X509_DER', `${field}: ${what} at byte offset ${offset + at}`, {
      field,
      offset: offset + at,
    });
  if (contents.length === 0) throw fail('empty OBJECT IDENTIFIER', 0);
  const parts: string[] = [];
  let value = 0n;
  let start = 0;
  for (let i = 0; i < contents.length; i++) {
    const byte = contents[i]!;
    // X.690 §8.19.2: subidentifiers use the fewest octets, so none starts with 0x80.
    if (i === start && byte === 0x80) throw fail('non-minimal OID subidentifier', i);
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) {
        // X.690 §8.19.4: the first subidentifier packs the first two arcs.
        if (value < 40n) parts.push('0', value.toString());
        else if (value < 80n) parts.push('1', (value - 40n).toString());
        else parts.push('2', (value - 80n).toString());
      } else {
        parts.push(value.toString());
      }
      value = 0n;
      start = i + 1;
    }
  }
  if (start !== contents.length) throw fail('truncated OID subidentifier', contents.length - 1);
  return parts.join('.');
}

/**
 * Encodes a dotted OID to its contents octets.
 * @throws X509Error `ERR_X509_DER` when the text is not a valid OID.
 * @example encodeOid('2.5.4.3') // Uint8Array [0x55, 0x04, 0x03]
 */
export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new X509Error('ERR_X509_DER', `invalid OID ${JSON.stringify(oid)}`);
    return BigInt(arc);
  });
  if (arcs.length < 2 || arcs[0]! > 2n || (arcs[0]! < 2n && arcs[1]! >= 40n)) {
    throw new X509Error('ERR_X509_DER', `invalid OID ${JSON.stringify(oid)}`);
  }
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const value of values) {
    const groups: number[] = [];
    let rest = value;
    do {
      groups.unshift(Number(rest & 0x7fn));
      rest >>= 7n;
    } while (rest > 0n);
    for (let i = 0; i < groups.length; i++) out.push(groups[i]! | (i < groups.length - 1 ? 0x80 : 0));
  }
  return Uint8Array.from(out);
}

/**
 * OIDs used by this package.
 * @example certificate.extensions.find((e) => e.oid === Oid.SubjectAltName)
 */
export const Oid = {
  // RFC 5280 §4.2.1 certificate extensions
  SubjectKeyIdentifier: '2.5.29.14',
  KeyUsage: '2.5.29.15',
  SubjectAltName: '2.5.29.17',
  IssuerAltName: '2.5.29.18',
  BasicConstraints: '2.5.29.19',
  CrlNumber: '2.5.29.20',
  CrlReason: '2.5.29.21',
  InvalidityDate: '2.5.29.24',
  DeltaCrlIndicator: '2.5.29.27',
  IssuingDistributionPoint: '2.5.29.28',
  CertificateIssuer: '2.5.29.29',
  NameConstraints: '2.5.29.30',
  CrlDistributionPoints: '2.5.29.31',
  CertificatePolicies: '2.5.29.32',
  PolicyMappings: '2.5.29.33',
  AuthorityKeyIdentifier: '2.5.29.35',
  PolicyConstraints: '2.5.29.36',
  ExtKeyUsage: '2.5.29.37',
  FreshestCrl: '2.5.29.46',
  InhibitAnyPolicy: '2.5.29.54',
  AuthorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  SubjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  SctList: '1.3.6.1.4.1.11129.2.4.2',
  CtPoison: '1.3.6.1.4.1.11129.2.4.3',
  AnyPolicy: '2.5.29.32.0',
  // RFC 5280 §4.2.1.12 key purposes
  AnyExtendedKeyUsage: '2.5.29.37.0',
  ServerAuth: '1.3.6.1.5.5.7.3.1',
  ClientAuth: '1.3.6.1.5.5.7.3.2',
  CodeSigning: '1.3.6.1.5.5.7.3.3',
  EmailProtection: '1.3.6.1.5.5.7.3.4',
  TimeStamping: '1.3.6.1.5.5.7.3.8',
  OcspSigning: '1.3.6.1.5.5.7.3.9',
  // RFC 5280 §4.2.2.1 access methods
  Ocsp: '1.3.6.1.5.5.7.48.1',
  CaIssuers: '1.3.6.1.5.5.7.48.2',
  // Public keys (RFC 3279, RFC 5480, RFC 4055, RFC 8410)
  RsaEncryption: '1.2.840.113549.1.1.1',
  RsassaPss: '1.2.840.113549.1.1.10',
  Mgf1: '1.2.840.113549.1.1.8',
  EcPublicKey: '1.2.840.10045.2.1',
  Ed25519: '1.3.101.112',
  Ed448: '1.3.101.113',
  X25519: '1.3.101.110',
  X448: '1.3.101.111',
  Dsa: '1.2.840.10040.4.1',
  Secp256r1: '1.2.840.10045.3.1.7',
  Secp384r1: '1.3.132.0.34',
  Secp521r1: '1.3.132.0.35',
  // Signatures
  Md5WithRsa: '1.2.840.113549.1.1.4',
  Sha1WithRsa: '1.2.840.113549.1.1.5',
  Sha224WithRsa: '1.2.840.113549.1.1.14',
  Sha256WithRsa: '1.2.840.113549.1.1.11',
  Sha384WithRsa: '1.2.840.113549.1.1.12',
  Sha512WithRsa: '1.2.840.113549.1.1.13',
  EcdsaWithSha1: '1.2.840.10045.4.1',
  EcdsaWithSha224: '1.2.840.10045.4.3.1',
  EcdsaWithSha256: '1.2.840.10045.4.3.2',
  EcdsaWithSha384: '1.2.840.10045.4.3.3',
  EcdsaWithSha512: '1.2.840.10045.4.3.4',
  // Hashes
  Md5: '1.2.840.113549.2.5',
  Sha1: '1.3.14.3.2.26',
  Sha224: '2.16.840.1.101.3.4.2.4',
  Sha256: '2.16.840.1.101.3.4.2.1',
  Sha384: '2.16.840.1.101.3.4.2.2',
  Sha512: '2.16.840.1.101.3.4.2.3',
  // Names
  CommonName: '2.5.4.3',
  EmailAddress: '1.2.840.113549.1.9.1',
} as const;

/**
 * [dotted OID, OpenSSL short name, OpenSSL long name]. The attribute types are every name OpenSSL
 * 3.0 gives in the X.520 (2.5.4), COSINE (0.9.2342.19200300.100.1), PKCS#9, EV jurisdiction and
 * PKIX personal-data arcs, as Node prints them; the access methods are for infoAccess.
 */
const names: readonly (readonly [string, string, string])[] = [
  ['2.5.4.3', 'CN', 'commonName'],
  ['2.5.4.4', 'SN', 'surname'],
  ['2.5.4.5', 'serialNumber', 'serialNumber'],
  ['2.5.4.6', 'C', 'countryName'],
  ['2.5.4.7', 'L', 'localityName'],
  ['2.5.4.8', 'ST', 'stateOrProvinceName'],
  ['2.5.4.9', 'street', 'streetAddress'],
  ['2.5.4.10', 'O', 'organizationName'],
  ['2.5.4.11', 'OU', 'organizationalUnitName'],
  ['2.5.4.12', 'title', 'title'],
  ['2.5.4.13', 'description', 'description'],
  ['2.5.4.14', 'searchGuide', 'searchGuide'],
  ['2.5.4.15', 'businessCategory', 'businessCategory'],
  ['2.5.4.16', 'postalAddress', 'postalAddress'],
  ['2.5.4.17', 'postalCode', 'postalCode'],
  ['2.5.4.18', 'postOfficeBox', 'postOfficeBox'],
  ['2.5.4.19', 'physicalDeliveryOfficeName', 'physicalDeliveryOfficeName'],
  ['2.5.4.20', 'telephoneNumber', 'telephoneNumber'],
  ['2.5.4.21', 'telexNumber', 'telexNumber'],
  ['2.5.4.22', 'teletexTerminalIdentifier', 'teletexTerminalIdentifier'],
  ['2.5.4.23', 'facsimileTelephoneNumber', 'facsimileTelephoneNumber'],
  ['2.5.4.24', 'x121Address', 'x121Address'],
  ['2.5.4.25', 'internationaliSDNNumber', 'internationaliSDNNumber'],
  ['2.5.4.26', 'registeredAddress', 'registeredAddress'],
  ['2.5.4.27', 'destinationIndicator', 'destinationIndicator'],
  ['2.5.4.28', 'preferredDeliveryMethod', 'preferredDeliveryMethod'],
  ['2.5.4.29', 'presentationAddress', 'presentationAddress'],
  ['2.5.4.30', 'supportedApplicationContext', 'supportedApplicationContext'],
  ['2.5.4.31', 'member', 'member'],
  ['2.5.4.32', 'owner', 'owner'],
  ['2.5.4.33', 'roleOccupant', 'roleOccupant'],
  ['2.5.4.34', 'seeAlso', 'seeAlso'],
  ['2.5.4.35', 'userPassword', 'userPassword'],
  ['2.5.4.36', 'userCertificate', 'userCertificate'],
  ['2.5.4.37', 'cACertificate', 'cACertificate'],
  ['2.5.4.38', 'authorityRevocationList', 'authorityRevocationList'],
  ['2.5.4.39', 'certificateRevocationList', 'certificateRevocationList'],
  ['2.5.4.40', 'crossCertificatePair', 'crossCertificatePair'],
  ['2.5.4.41', 'name', 'name'],
  ['2.5.4.42', 'GN', 'givenName'],
  ['2.5.4.43', 'initials', 'initials'],
  ['2.5.4.44', 'generationQualifier', 'generationQualifier'],
  ['2.5.4.45', 'x500UniqueIdentifier', 'x500UniqueIdentifier'],
  ['2.5.4.46', 'dnQualifier', 'dnQualifier'],
  ['2.5.4.47', 'enhancedSearchGuide', 'enhancedSearchGuide'],
  ['2.5.4.48', 'protocolInformation', 'protocolInformation'],
  ['2.5.4.49', 'distinguishedName', 'distinguishedName'],
  ['2.5.4.50', 'uniqueMember', 'uniqueMember'],
  ['2.5.4.51', 'houseIdentifier', 'houseIdentifier'],
  ['2.5.4.52', 'supportedAlgorithms', 'supportedAlgorithms'],
  ['2.5.4.53', 'deltaRevocationList', 'deltaRevocationList'],
  ['2.5.4.54', 'dmdName', 'dmdName'],
  ['2.5.4.65', 'pseudonym', 'pseudonym'],
  ['2.5.4.72', 'role', 'role'],
  ['2.5.4.97', 'organizationIdentifier', 'organizationIdentifier'],
  ['2.5.4.98', 'c3', 'c3'],
  ['2.5.4.99', 'n3', 'n3'],
  ['0.9.2342.19200300.100.1.1', 'UID', 'userId'],
  ['0.9.2342.19200300.100.1.2', 'textEncodedORAddress', 'textEncodedORAddress'],
  ['0.9.2342.19200300.100.1.3', 'mail', 'mail'],
  ['0.9.2342.19200300.100.1.4', 'info', 'info'],
  ['0.9.2342.19200300.100.1.5', 'favouriteDrink', 'favouriteDrink'],
  ['0.9.2342.19200300.100.1.6', 'roomNumber', 'roomNumber'],
  ['0.9.2342.19200300.100.1.7', 'photo', 'photo'],
  ['0.9.2342.19200300.100.1.8', 'userClass', 'userClass'],
  ['0.9.2342.19200300.100.1.9', 'host', 'host'],
  ['0.9.2342.19200300.100.1.10', 'manager', 'manager'],
  ['0.9.2342.19200300.100.1.11', 'documentIdentifier', 'documentIdentifier'],
  ['0.9.2342.19200300.100.1.12', 'documentTitle', 'documentTitle'],
  ['0.9.2342.19200300.100.1.13', 'documentVersion', 'documentVersion'],
  ['0.9.2342.19200300.100.1.14', 'documentAuthor', 'documentAuthor'],
  ['0.9.2342.19200300.100.1.15', 'documentLocation', 'documentLocation'],
  ['0.9.2342.19200300.100.1.20', 'homeTelephoneNumber', 'homeTelephoneNumber'],
  ['0.9.2342.19200300.100.1.21', 'secretary', 'secretary'],
  ['0.9.2342.19200300.100.1.22', 'otherMailbox', 'otherMailbox'],
  ['0.9.2342.19200300.100.1.23', 'lastModifiedTime', 'lastModifiedTime'],
  ['0.9.2342.19200300.100.1.24', 'lastModifiedBy', 'lastModifiedBy'],
  ['0.9.2342.19200300.100.1.25', 'DC', 'domainComponent'],
  ['0.9.2342.19200300.100.1.26', 'aRecord', 'aRecord'],
  ['0.9.2342.19200300.100.1.27', 'pilotAttributeType27', 'pilotAttributeType27'],
  ['0.9.2342.19200300.100.1.28', 'mXRecord', 'mXRecord'],
  ['0.9.2342.19200300.100.1.29', 'nSRecord', 'nSRecord'],
  ['0.9.2342.19200300.100.1.30', 'sOARecord', 'sOARecord'],
  ['0.9.2342.19200300.100.1.31', 'cNAMERecord', 'cNAMERecord'],
  ['0.9.2342.19200300.100.1.37', 'associatedDomain', 'associatedDomain'],
  ['0.9.2342.19200300.100.1.38', 'associatedName', 'associatedName'],
  ['0.9.2342.19200300.100.1.39', 'homePostalAddress', 'homePostalAddress'],
  ['0.9.2342.19200300.100.1.40', 'personalTitle', 'personalTitle'],
  ['0.9.2342.19200300.100.1.41', 'mobileTelephoneNumber', 'mobileTelephoneNumber'],
  ['0.9.2342.19200300.100.1.42', 'pagerTelephoneNumber', 'pagerTelephoneNumber'],
  ['0.9.2342.19200300.100.1.43', 'friendlyCountryName', 'friendlyCountryName'],
  ['0.9.2342.19200300.100.1.44', 'uid', 'uid'],
  ['0.9.2342.19200300.100.1.45', 'organizationalStatus', 'organizationalStatus'],
  ['0.9.2342.19200300.100.1.46', 'janetMailbox', 'janetMailbox'],
  ['0.9.2342.19200300.100.1.47', 'mailPreferenceOption', 'mailPreferenceOption'],
  ['0.9.2342.19200300.100.1.48', 'buildingName', 'buildingName'],
  ['0.9.2342.19200300.100.1.49', 'dSAQuality', 'dSAQuality'],
  ['0.9.2342.19200300.100.1.50', 'singleLevelQuality', 'singleLevelQuality'],
  ['0.9.2342.19200300.100.1.51', 'subtreeMinimumQuality', 'subtreeMinimumQuality'],
  ['0.9.2342.19200300.100.1.52', 'subtreeMaximumQuality', 'subtreeMaximumQuality'],
  ['0.9.2342.19200300.100.1.53', 'personalSignature', 'personalSignature'],
  ['0.9.2342.19200300.100.1.54', 'dITRedirect', 'dITRedirect'],
  ['0.9.2342.19200300.100.1.55', 'audio', 'audio'],
  ['0.9.2342.19200300.100.1.56', 'documentPublisher', 'documentPublisher'],
  ['1.2.840.113549.1.9.1', 'emailAddress', 'emailAddress'],
  ['1.2.840.113549.1.9.2', 'unstructuredName', 'unstructuredName'],
  ['1.2.840.113549.1.9.3', 'contentType', 'contentType'],
  ['1.2.840.113549.1.9.4', 'messageDigest', 'messageDigest'],
  ['1.2.840.113549.1.9.5', 'signingTime', 'signingTime'],
  ['1.2.840.113549.1.9.6', 'countersignature', 'countersignature'],
  ['1.2.840.113549.1.9.7', 'challengePassword', 'challengePassword'],
  ['1.2.840.113549.1.9.8', 'unstructuredAddress', 'unstructuredAddress'],
  ['1.2.840.113549.1.9.9', 'extendedCertificateAttributes', 'extendedCertificateAttributes'],
  ['1.2.840.113549.1.9.14', 'extReq', 'extReq'],
  ['1.2.840.113549.1.9.15', 'SMIME-CAPS', 'SMIME-CAPS'],
  ['1.2.840.113549.1.9.16', 'SMIME', 'SMIME'],
  ['1.2.840.113549.1.9.20', 'friendlyName', 'friendlyName'],
  ['1.2.840.113549.1.9.21', 'localKeyID', 'localKeyID'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL', 'jurisdictionLocalityName'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST', 'jurisdictionStateOrProvinceName'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC', 'jurisdictionCountryName'],
  ['1.3.6.1.5.5.7.9.1', 'id-pda-dateOfBirth', 'id-pda-dateOfBirth'],
  ['1.3.6.1.5.5.7.9.2', 'id-pda-placeOfBirth', 'id-pda-placeOfBirth'],
  ['1.3.6.1.5.5.7.9.3', 'id-pda-gender', 'id-pda-gender'],
  ['1.3.6.1.5.5.7.9.4', 'id-pda-countryOfCitizenship', 'id-pda-countryOfCitizenship'],
  ['1.3.6.1.5.5.7.9.5', 'id-pda-countryOfResidence', 'id-pda-countryOfResidence'],
  ['1.3.6.1.5.5.7.48.1', 'OCSP', 'OCSP'],
  ['1.3.6.1.5.5.7.48.2', 'caIssuers', 'CA Issuers'],
  ['1.3.6.1.5.5.7.48.3', 'timestamping', 'AD Time Stamping'],
  ['1.3.6.1.5.5.7.48.5', 'caRepository', 'CA Repository'],
];

const byOid = /* @__PURE__ */ new Map(names.map((entry) => [entry[0], entry]));

/**
 * OpenSSL's short name of `oid` (e.g. `CN`), or undefined when OpenSSL has none we know.
 * @example oidShortName('2.5.4.3') // 'CN'
 */
export function oidShortName(oid: string): string | undefined {
  return byOid.get(oid)?.[1];
}

/**
 * OpenSSL's long name of `oid` (e.g. `CA Issuers`), or undefined.
 * @example oidLongName('1.3.6.1.5.5.7.48.2') // 'CA Issuers'
 */
export function oidLongName(oid: string): string | undefined {
  return byOid.get(oid)?.[2];
}
