// Certificate revocation lists (RFC 5280 §5): parsing, and the revocation check of a validated
// path (RFC 5280 §6.3, simplified: complete CRLs issued directly by the certificate's issuer).

import type { Certificate } from './certificate.js';
import { X509Error } from './errors.js';
import { type BitString, DerReader, decodeBitString, decodeBoolean, derFieldError } from './der/reader.js';
import { Oid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';
import { type Extension, parseExtensionList } from './extensions.js';
import { type GeneralName, type Name, bytesEqual, parseGeneralNames, parseName } from './name.js';
import { decodePem } from './pem.js';
import { type AlgorithmIdentifier, parseAlgorithmIdentifier } from './public-key.js';

export interface RevokedCertificate {
  /** The serial number INTEGER contents. */
  readonly serialNumber: Uint8Array;
  readonly revocationDate: number;
  readonly extensions: readonly Extension[];
}

/** IssuingDistributionPoint (RFC 5280 §5.2.5): the scope of a CRL. */
export interface IssuingDistributionPoint {
  readonly fullName: readonly GeneralName[] | undefined;
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  readonly onlySomeReasons: BitString | undefined;
  readonly indirectCrl: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

export interface Crl {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  /** 1 or 2. */
  readonly version: 1 | 2;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: Name;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly revokedCertificates: readonly RevokedCertificate[];
  readonly extensions: readonly Extension[];
  /** The cRLNumber extension's INTEGER contents, if present (RFC 5280 §5.2.3). */
  readonly crlNumber: Uint8Array | undefined;
  readonly issuingDistributionPoint: IssuingDistributionPoint | undefined;
  /** Whether this is a delta CRL (deltaCRLIndicator, RFC 5280 §5.2.4). */
  readonly isDelta: boolean;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
}

/**
 * Parses a DER CertificateList (RFC 5280 §5.1).
 * @throws X509Error `ERR_X509_DER` on malformed DER; `ERR_X509_CERTIFICATE` on a bad version.
 * @example parseCrl(der).revokedCertificates.length
 */
export function parseCrl(der: Uint8Array): Crl {
  const outer = new DerReader(der);
  const list = outer.sequence('certificateList');
  outer.end('certificateList');
  const tbsElement = list.expect(DerTag.Sequence, 'tbsCertList');
  const signatureAlgorithm = parseAlgorithmIdentifier(list.read('signatureAlgorithm'), 'signatureAlgorithm');
  const signatureElement = list.expect(DerTag.BitString, 'signatureValue');
  list.end('certificateList');
  if (signatureElement.contents[0] !== 0) {
    throw derFieldError(
      'signatureValue',
      signatureElement.contentsOffset,
      'signature BIT STRING must have no unused bits',
    );
  }
  const tbs = DerReader.of(tbsElement);
  let version: 1 | 2 = 1;
  if (tbs.peekTag() === DerTag.Integer) {
    const value = tbs.smallInteger('tbsCertList.version');
    if (value !== 1)
      throw new X509Error('ERR_X509_CERTIFICATE', `tbsCertList.version: unknown CRL version ${value + 1}`);
    version = 2;
  }
  const tbsSignatureAlgorithm = parseAlgorithmIdentifier(
    tbs.read('tbsCertList.signature'),
    'tbsCertList.signature',
  );
  const issuer = parseName(tbs.read('tbsCertList.issuer'), 'tbsCertList.issuer');
  const thisUpdate = tbs.time('tbsCertList.thisUpdate');
  const next = tbs.peekTag();
  const nextUpdate =
    next === DerTag.UtcTime || next === DerTag.GeneralizedTime
      ? tbs.time('tbsCertList.nextUpdate')
      : undefined;
  const revokedCertificates: RevokedCertificate[] = [];
  if (tbs.peekTag() === DerTag.Sequence) {
    const revoked = tbs.sequence('tbsCertList.revokedCertificates');
    while (revoked.hasMore()) {
      const entry = revoked.sequence('tbsCertList.revokedCertificates.entry');
      const serialNumber = entry.integer('revokedCertificates.userCertificate');
      const revocationDate = entry.time('revokedCertificates.revocationDate');
      const extensions = entry.hasMore()
        ? parseExtensionList(entry.expect(DerTag.Sequence, 'crlEntryExtensions'), 'crlEntryExtensions')
        : [];
      entry.end('tbsCertList.revokedCertificates.entry');
      revokedCertificates.push({ serialNumber, revocationDate, extensions });
    }
  }
  let extensions: Extension[] = [];
  const extensionsElement = tbs.optional(contextTag(0, true), 'tbsCertList.crlExtensions');
  if (extensionsElement) {
    const inner = DerReader.of(extensionsElement);
    extensions = parseExtensionList(inner.expect(DerTag.Sequence, 'crlExtensions'), 'crlExtensions');
    inner.end('crlExtensions');
  }
  tbs.end('tbsCertList');
  const numberExtension = extensions.find((e) => e.oid === Oid.CrlNumber);
  let crlNumber: Uint8Array | undefined;
  if (numberExtension) {
    const reader = new DerReader(numberExtension.value, numberExtension.valueOffset);
    crlNumber = reader.integer('cRLNumber');
    reader.end('cRLNumber');
  }
  const idpExtension = extensions.find((e) => e.oid === Oid.IssuingDistributionPoint);
  return {
    der,
    tbs: tbsElement.encoded,
    version,
    tbsSignatureAlgorithm,
    issuer,
    thisUpdate,
    nextUpdate,
    revokedCertificates,
    extensions,
    crlNumber,
    issuingDistributionPoint: idpExtension && parseIssuingDistributionPoint(idpExtension),
    isDelta: extensions.some((e) => e.oid === Oid.DeltaCrlIndicator),
    signatureAlgorithm,
    signature: signatureElement.contents.subarray(1),
  };
}

function parseIssuingDistributionPoint(extension: Extension): IssuingDistributionPoint {
  const field = 'issuingDistributionPoint';
  const outer = new DerReader(extension.value, extension.valueOffset);
  const reader = outer.sequence(field);
  outer.end(field);
  let fullName: GeneralName[] | undefined;
  const name = reader.optional(contextTag(0, true), `${field}.distributionPoint`);
  if (name) {
    const choice = DerReader.of(name);
    const inner = choice.read(`${field}.distributionPoint`);
    if (inner.tag === contextTag(0, true))
      fullName = parseGeneralNames(DerReader.of(inner), `${field}.fullName`);
  }
  const flag = (n: number, what: string) => {
    const element = reader.optional(contextTag(n, false), `${field}.${what}`);
    return element !== undefined && decodeBoolean(element, `${field}.${what}`);
  };
  const onlyContainsUserCerts = flag(1, 'onlyContainsUserCerts');
  const onlyContainsCACerts = flag(2, 'onlyContainsCACerts');
  const reasons = reader.optional(contextTag(3, false), `${field}.onlySomeReasons`);
  const indirectCrl = flag(4, 'indirectCRL');
  const onlyContainsAttributeCerts = flag(5, 'onlyContainsAttributeCerts');
  reader.end(field);
  return {
    fullName,
    onlyContainsUserCerts,
    onlyContainsCACerts,
    onlySomeReasons: reasons && decodeBitString(reasons, `${field}.onlySomeReasons`),
    indirectCrl,
    onlyContainsAttributeCerts,
  };
}

/**
 * Parses every `X509 CRL` PEM block in text, or one DER CRL.
 * @throws X509Error `ERR_X509_PEM` when text holds no CRL.
 * @example parseCrls(fs.readFileSync('ca.crl.pem', 'utf8'))[0].revokedCertificates.length
 */
export function parseCrls(input: string | Uint8Array): Crl[] {
  if (typeof input !== 'string') return [parseCrl(input)];
  const blocks = decodePem(input, 'X509 CRL');
  if (blocks.length === 0) throw new X509Error('ERR_X509_PEM', 'no X509 CRL PEM block found');
  return blocks.map((block) => parseCrl(block.der));
}

/**
 * Whether `certificate`'s serial is listed in `crl`.
 * @example isRevokedBy(certificate, crl)?.revocationDate
 */
export function isRevokedBy(certificate: Certificate, crl: Crl): RevokedCertificate | undefined {
  return crl.revokedCertificates.find((entry) => bytesEqual(entry.serialNumber, certificate.serialNumber));
}
