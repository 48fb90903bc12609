// Certificate extensions (RFC 5280 §4.2): the standard ones decoded, every one kept raw with its
// critical flag so that verification can reject unknown critical extensions (§4.2).

import { X509Error } from './errors.js';
import { type BitString, type DerElement, DerReader, decodeBitString, derFieldError } from './der/reader.js';
import { Oid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';
import { type GeneralName, type Name, parseGeneralName, parseGeneralNames } from './name.js';

/** One extension as it appears in the certificate. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue's contents (the DER of the extension's own type), a view into the certificate. */
  readonly value: Uint8Array;
  /** Absolute offset of `value` in the certificate. */
  readonly valueOffset: number;
}

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLenConstraint: number | undefined;
}

/** KeyUsage bits (RFC 5280 §4.2.1.3). */
export interface KeyUsage {
  readonly digitalSignature: boolean;
  readonly nonRepudiation: boolean;
  readonly keyEncipherment: boolean;
  readonly dataEncipherment: boolean;
  readonly keyAgreement: boolean;
  readonly keyCertSign: boolean;
  readonly cRLSign: boolean;
  readonly encipherOnly: boolean;
  readonly decipherOnly: boolean;
}

export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum: number | undefined;
}

export interface NameConstraints {
  readonly permittedSubtrees: readonly GeneralSubtree[] | undefined;
  readonly excludedSubtrees: readonly GeneralSubtree[] | undefined;
}

export interface PolicyInformation {
  readonly policyIdentifier: string;
  /** Each qualifier's OID and its whole TLV. */
  readonly qualifiers: readonly { readonly oid: string; readonly encoded: Uint8Array }[];
}

export interface AccessDescription {
  readonly accessMethod: string;
  readonly accessLocation: GeneralName;
}

export interface DistributionPoint {
  readonly fullName: readonly GeneralName[] | undefined;
  /** nameRelativeToCRLIssuer, kept as its TLV. */
  readonly nameRelativeToCrlIssuer: Uint8Array | undefined;
  readonly reasons: BitString | undefined;
  readonly crlIssuer: readonly GeneralName[] | undefined;
}

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Uint8Array | undefined;
  readonly authorityCertIssuer: readonly GeneralName[] | undefined;
  readonly authorityCertSerialNumber: Uint8Array | undefined;
}

export interface PolicyConstraints {
  readonly requireExplicitPolicy: number | undefined;
  readonly inhibitPolicyMapping: number | undefined;
}

/** The decoded standard extensions; absent ones are undefined. */
export interface DecodedExtensions {
  subjectAltName?: readonly GeneralName[];
  issuerAltName?: readonly GeneralName[];
  basicConstraints?: BasicConstraints;
  keyUsage?: KeyUsage;
  extKeyUsage?: readonly string[];
  nameConstraints?: NameConstraints;
  certificatePolicies?: readonly PolicyInformation[];
  policyConstraints?: PolicyConstraints;
  policyMappings?: readonly { readonly issuerDomainPolicy: string; readonly subjectDomainPolicy: string }[];
  inhibitAnyPolicy?: number;
  authorityInfoAccess?: readonly AccessDescription[];
  subjectInfoAccess?: readonly AccessDescription[];
  crlDistributionPoints?: readonly DistributionPoint[];
  freshestCrl?: readonly DistributionPoint[];
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: AuthorityKeyIdentifier;
  /** The SignedCertificateTimestampList (RFC 6962 §3.3), raw TLS-encoded bytes. */
  sctList?: Uint8Array;
}

function readerOf(extension: Extension): DerReader {
  return new DerReader(extension.value, extension.valueOffset);
}

function sequenceOfGeneralNames(extension: Extension, field: string): GeneralName[] {
  const outer = readerOf(extension);
  const names = parseGeneralNames(outer.sequence(field), field);
  outer.end(field);
  return names;
}

function parseKeyUsage(extension: Extension): KeyUsage {
  const outer = readerOf(extension);
  const element = outer.expect(DerTag.BitString, 'keyUsage');
  outer.end('keyUsage');
  const { bytes } = decodeBitString(element, 'keyUsage');
  // RFC 5280 §4.2.1.3: "at least one of the bits in the KeyUsage type MUST be set" — checked by
  // verification, not here, so that such certificates can still be displayed.
  const bit = (n: number) => ((bytes[n >> 3] ?? 0) & (0x80 >> (n & 7))) !== 0;
  return {
    digitalSignature: bit(0),
    nonRepudiation: bit(1),
    keyEncipherment: bit(2),
    dataEncipherment: bit(3),
    keyAgreement: bit(4),
    keyCertSign: bit(5),
    cRLSign: bit(6),
    encipherOnly: bit(7),
    decipherOnly: bit(8),
  };
}

function parseBasicConstraints(extension: Extension): BasicConstraints {
  const outer = readerOf(extension);
  const reader = outer.sequence('basicConstraints');
  outer.end('basicConstraints');
  let ca = false;
  if (reader.peekTag() === DerTag.Boolean) ca = reader.boolean('basicConstraints.cA');
  let pathLenConstraint: number | undefined;
  if (reader.peekTag() === DerTag.Integer)
    pathLenConstraint = reader.smallInteger('basicConstraints.pathLenConstraint');
  reader.end('basicConstraints');
  return { ca, pathLenConstraint };
}

function parseExtKeyUsage(extension: Extension): string[] {
  const outer = readerOf(extension);
  const reader = outer.sequence('extKeyUsage');
  outer.end('extKeyUsage');
  const purposes: string[] = [];
  while (reader.hasMore()) purposes.push(reader.oid('extKeyUsage.keyPurposeId'));
  if (purposes.length === 0)
    throw derFieldError('extKeyUsage', extension.valueOffset, 'extKeyUsage must not be empty');
  return purposes;
}

function parseSubtrees(element: DerElement, field: string): GeneralSubtree[] {
  const reader = DerReader.of(element);
  const subtrees: GeneralSubtree[] = [];
  while (reader.hasMore()) {
    const subtree = reader.sequence(field);
    const base = parseGeneralName(subtree.read(`${field}.base`), `${field}.base`);
    let minimum = 0;
    let maximum: number | undefined;
    if (subtree.peekTag() === contextTag(0, false))
      minimum = subtree.smallInteger(`${field}.minimum`, contextTag(0, false));
    if (subtree.peekTag() === contextTag(1, false))
      maximum = subtree.smallInteger(`${field}.maximum`, contextTag(1, false));
    subtree.end(field);
    subtrees.push({ base, minimum, maximum });
  }
  // RFC 5280 §4.2.1.10: GeneralSubtrees ::= SEQUENCE SIZE (1..MAX)
  if (subtrees.length === 0) throw derFieldError(field, element.offset, 'empty GeneralSubtrees');
  return subtrees;
}

function parseNameConstraints(extension: Extension): NameConstraints {
  const outer = readerOf(extension);
  const reader = outer.sequence('nameConstraints');
  outer.end('nameConstraints');
  const permitted = reader.optional(contextTag(0, true), 'nameConstraints.permittedSubtrees');
  const excluded = reader.optional(contextTag(1, true), 'nameConstraints.excludedSubtrees');
  reader.end('nameConstraints');
  // RFC 5280 §4.2.1.10: conforming CAs MUST NOT issue an empty nameConstraints.
  if (!permitted && !excluded)
    throw derFieldError('nameConstraints', extension.valueOffset, 'empty nameConstraints');
  return {
    permittedSubtrees: permitted && parseSubtrees(permitted, 'nameConstraints.permittedSubtrees'),
    excludedSubtrees: excluded && parseSubtrees(excluded, 'nameConstraints.excludedSubtrees'),
  };
}

function parsePolicies(extension: Extension): PolicyInformation[] {
  const outer = readerOf(extension);
  const reader = outer.sequence('certificatePolicies');
  outer.end('certificatePolicies');
  const policies: PolicyInformation[] = [];
  const seen = new Set<string>();
  while (reader.hasMore()) {
    const info = reader.sequence('certificatePolicies.policyInformation');
    const policyIdentifier = info.oid('certificatePolicies.policyIdentifier');
    // RFC 5280 §4.2.1.4: a policy OID MUST NOT appear more than once.
    if (seen.has(policyIdentifier)) {
      throw derFieldError(
        'certificatePolicies',
        extension.valueOffset,
        `duplicate policy ${policyIdentifier}`,
      );
    }
    seen.add(policyIdentifier);
    const qualifiers: { oid: string; encoded: Uint8Array }[] = [];
    if (info.hasMore()) {
      const list = info.sequence('certificatePolicies.policyQualifiers');
      while (list.hasMore()) {
        const qualifier = list.read('certificatePolicies.policyQualifierInfo');
        const q = DerReader.of(qualifier);
        qualifiers.push({ oid: q.oid('certificatePolicies.policyQualifierId'), encoded: qualifier.encoded });
      }
    }
    info.end('certificatePolicies.policyInformation');
    policies.push({ policyIdentifier, qualifiers });
  }
  if (policies.length === 0)
    throw derFieldError('certificatePolicies', extension.valueOffset, 'empty certificatePolicies');
  return policies;
}

function parsePolicyConstraints(extension: Extension): PolicyConstraints {
  const outer = readerOf(extension);
  const reader = outer.sequence('policyConstraints');
  outer.end('policyConstraints');
  let requireExplicitPolicy: number | undefined;
  let inhibitPolicyMapping: number | undefined;
  if (reader.peekTag() === contextTag(0, false)) {
    requireExplicitPolicy = reader.smallInteger(
      'policyConstraints.requireExplicitPolicy',
      contextTag(0, false),
    );
  }
  if (reader.peekTag() === contextTag(1, false)) {
    inhibitPolicyMapping = reader.smallInteger(
      'policyConstraints.inhibitPolicyMapping',
      contextTag(1, false),
    );
  }
  reader.end('policyConstraints');
  // RFC 5280 §4.2.1.11: conforming CAs MUST NOT issue an empty policyConstraints.
  if (requireExplicitPolicy === undefined && inhibitPolicyMapping === undefined) {
    throw derFieldError('policyConstraints', extension.valueOffset, 'empty policyConstraints');
  }
  return { requireExplicitPolicy, inhibitPolicyMapping };
}

function parsePolicyMappings(extension: Extension) {
  const outer = readerOf(extension);
  const reader = outer.sequence('policyMappings');
  outer.end('policyMappings');
  const mappings: { issuerDomainPolicy: string; subjectDomainPolicy: string }[] = [];
  while (reader.hasMore()) {
    const mapping = reader.sequence('policyMappings.mapping');
    const issuerDomainPolicy = mapping.oid('policyMappings.issuerDomainPolicy');
    const subjectDomainPolicy = mapping.oid('policyMappings.subjectDomainPolicy');
    mapping.end('policyMappings.mapping');
    mappings.push({ issuerDomainPolicy, subjectDomainPolicy });
  }
  return mappings;
}

function parseAccessDescriptions(extension: Extension, field: string): AccessDescription[] {
  const outer = readerOf(extension);
  const reader = outer.sequence(field);
  outer.end(field);
  const descriptions: AccessDescription[] = [];
  while (reader.hasMore()) {
    const description = reader.sequence(`${field}.accessDescription`);
    const accessMethod = description.oid(`${field}.accessMethod`);
    const accessLocation = parseGeneralName(
      description.read(`${field}.accessLocation`),
      `${field}.accessLocation`,
    );
    description.end(`${field}.accessDescription`);
    descriptions.push({ accessMethod, accessLocation });
  }
  if (descriptions.length === 0) throw derFieldError(field, extension.valueOffset, `empty ${field}`);
  return descriptions;
}

function parseDistributionPoints(extension: Extension, field: string): DistributionPoint[] {
  const outer = readerOf(extension);
  const reader = outer.sequence(field);
  outer.end(field);
  const points: DistributionPoint[] = [];
  while (reader.hasMore()) {
    const point = reader.sequence(`${field}.distributionPoint`);
    let fullName: GeneralName[] | undefined;
    let nameRelativeToCrlIssuer: Uint8Array | undefined;
    const name = point.optional(contextTag(0, true), `${field}.distributionPoint`);
    if (name) {
      const choice = DerReader.of(name);
      const inner = choice.read(`${field}.distributionPoint.name`);
      choice.end(`${field}.distributionPoint.name`);
      if (inner.tag === contextTag(0, true))
        fullName = parseGeneralNames(DerReader.of(inner), `${field}.fullName`);
      else if (inner.tag === contextTag(1, true)) nameRelativeToCrlIssuer = inner.encoded;
      else
        throw derFieldError(`${field}.distributionPoint.name`, inner.offset, 'unknown DistributionPointName');
    }
    const reasonsElement = point.optional(contextTag(1, false), `${field}.reasons`);
    const reasons = reasonsElement && decodeBitString(reasonsElement, `${field}.reasons`);
    const issuerElement = point.optional(contextTag(2, true), `${field}.cRLIssuer`);
    const crlIssuer = issuerElement && parseGeneralNames(DerReader.of(issuerElement), `${field}.cRLIssuer`);
    point.end(`${field}.distributionPoint`);
    points.push({ fullName, nameRelativeToCrlIssuer, reasons, crlIssuer });
  }
  return points;
}

function parseAuthorityKeyIdentifier(extension: Extension): AuthorityKeyIdentifier {
  const outer = readerOf(extension);
  const reader = outer.sequence('authorityKeyIdentifier');
  outer.end('authorityKeyIdentifier');
  const keyIdentifier = reader.optional(
    contextTag(0, false),
    'authorityKeyIdentifier.keyIdentifier',
  )?.contents;
  const issuerElement = reader.optional(contextTag(1, true), 'authorityKeyIdentifier.authorityCertIssuer');
  const authorityCertIssuer =
    issuerElement &&
    parseGeneralNames(DerReader.of(issuerElement), 'authorityKeyIdentifier.authorityCertIssuer');
  const authorityCertSerialNumber =
    reader.peekTag() === contextTag(2, false)
      ? reader.integer('authorityKeyIdentifier.authorityCertSerialNumber', contextTag(2, false))
      : undefined;
  reader.end('authorityKeyIdentifier');
  return { keyIdentifier, authorityCertIssuer, authorityCertSerialNumber };
}

function octetStringOf(extension: Extension, field: string): Uint8Array {
  const outer = readerOf(extension);
  const value = outer.octetString(field);
  outer.end(field);
  return value;
}

/**
 * Decodes the standard extensions among `extensions`. Unknown ones are left in the raw list.
 * @throws X509Error `ERR_X509_DER` when a known extension's value is malformed.
 * @example decodeExtensions(certificate.extensions).basicConstraints?.ca
 */
export function decodeExtensions(extensions: readonly Extension[]): DecodedExtensions {
  const decoded: DecodedExtensions = {};
  for (const extension of extensions) {
    switch (extension.oid) {
      case Oid.SubjectAltName:
        decoded.subjectAltName = sequenceOfGeneralNames(extension, 'subjectAltName');
        break;
      case Oid.IssuerAltName:
        decoded.issuerAltName = sequenceOfGeneralNames(extension, 'issuerAltName');
        break;
      case Oid.BasicConstraints:
        decoded.basicConstraints = parseBasicConstraints(extension);
        break;
      case Oid.KeyUsage:
        decoded.keyUsage = parseKeyUsage(extension);
        break;
      case Oid.ExtKeyUsage:
        decoded.extKeyUsage = parseExtKeyUsage(extension);
        break;
      case Oid.NameConstraints:
        decoded.nameConstraints = parseNameConstraints(extension);
        break;
      case Oid.CertificatePolicies:
        decoded.certificatePolicies = parsePolicies(extension);
        break;
      case Oid.PolicyConstraints:
        decoded.policyConstraints = parsePolicyConstraints(extension);
        break;
      case Oid.PolicyMappings:
        decoded.policyMappings = parsePolicyMappings(extension);
        break;
      case Oid.InhibitAnyPolicy: {
        const outer = readerOf(extension);
        decoded.inhibitAnyPolicy = outer.smallInteger('inhibitAnyPolicy');
        outer.end('inhibitAnyPolicy');
        break;
      }
      case Oid.AuthorityInfoAccess:
        decoded.authorityInfoAccess = parseAccessDescriptions(extension, 'authorityInfoAccess');
        break;
      case Oid.SubjectInfoAccess:
        decoded.subjectInfoAccess = parseAccessDescriptions(extension, 'subjectInfoAccess');
        break;
      case Oid.CrlDistributionPoints:
        decoded.crlDistributionPoints = parseDistributionPoints(extension, 'cRLDistributionPoints');
        break;
      case Oid.FreshestCrl:
        decoded.freshestCrl = parseDistributionPoints(extension, 'freshestCRL');
        break;
      case Oid.SubjectKeyIdentifier:
        decoded.subjectKeyIdentifier = octetStringOf(extension, 'subjectKeyIdentifier');
        break;
      case Oid.AuthorityKeyIdentifier:
        decoded.authorityKeyIdentifier = parseAuthorityKeyIdentifier(extension);
        break;
      case Oid.SctList:
        decoded.sctList = octetStringOf(extension, 'signedCertificateTimestampList');
        break;
    }
  }
  return decoded;
}

/**
 * Reads the Extensions SEQUENCE (RFC 5280 §4.1): each {extnID, critical DEFAULT FALSE, extnValue}.
 * @throws X509Error `ERR_X509_CERTIFICATE` on a duplicate extension (RFC 5280 §4.2).
 * @example parseExtensionList(reader.expect(DerTag.Sequence, 'extensions'), 'extensions')
 */
export function parseExtensionList(element: DerElement, field: string): Extension[] {
  const reader = DerReader.of(element);
  const extensions: Extension[] = [];
  const seen = new Set<string>();
  while (reader.hasMore()) {
    const extension = reader.sequence(`${field}.extension`);
    const oid = extension.oid(`${field}.extension.extnID`);
    const critical =
      extension.peekTag() === DerTag.Boolean ? extension.boolean(`${field}.extension.critical`) : false;
    const valueElement = extension.expect(DerTag.OctetString, `${field}.extension.extnValue`);
    extension.end(`${field}.extension`);
    if (seen.has(oid)) {
      throw new X509Error('ERR_X509_CERTIFICATE', `${field}: duplicate extension ${oid} (RFC 5280 §4.2)`, {
        field,
        offset: valueElement.offset,
      });
    }
    seen.add(oid);
    extensions.push({
      oid,
      critical,
      value: valueElement.contents,
      valueOffset: valueElement.contentsOffset,
    });
  }
  // RFC 5280 §4.1: Extensions ::= SEQUENCE SIZE (1..MAX)
  if (extensions.length === 0) throw derFieldError(field, element.offset, 'empty extensions');
  return extensions;
}

export type { Name };
