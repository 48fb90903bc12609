// X.509 v1/v2/v3 certificates (RFC 5280 §4.1). Parsing keeps views into the input: nothing is
// copied, so the caller must not mutate the DER while using the result.

import { X509Error } from './errors.js';
import { DerReader, decodeBitString, derFieldError } from './der/reader.js';
import { DerTag, contextTag } from './der/tags.js';
import {
  type DecodedExtensions,
  type Extension,
  decodeExtensions,
  parseExtensionList,
} from './extensions.js';
import { type Name, parseName } from './name.js';
import { decodePem } from './pem.js';
import {
  type AlgorithmIdentifier,
  type SubjectPublicKeyInfo,
  parseAlgorithmIdentifier,
  parseSubjectPublicKeyInfo,
} from './public-key.js';

/** A parsed certificate. Byte fields are views into the DER that was parsed. */
export interface Certificate {
  /** The whole certificate DER. */
  readonly der: Uint8Array;
  /** The TBSCertificate DER, which the signature covers. */
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: 1 | 2 | 3;
  /** The serial number INTEGER contents (two's complement, big-endian, minimal). */
  readonly serialNumber: Uint8Array;
  /** TBSCertificate.signature: must equal `signatureAlgorithm` (RFC 5280 §4.1.1.2). */
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: Name;
  /** Milliseconds since the Unix epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  readonly subject: Name;
  readonly subjectPublicKeyInfo: SubjectPublicKeyInfo;
  readonly issuerUniqueId: Uint8Array | undefined;
  readonly subjectUniqueId: Uint8Array | undefined;
  /** Every extension in order, known or not, with its critical flag. */
  readonly extensions: readonly Extension[];
  /** The standard extensions decoded. */
  readonly decoded: DecodedExtensions;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** signatureValue BIT STRING bytes. */
  readonly signature: Uint8Array;
}

/**
 * Parses a DER certificate strictly (RFC 5280 §4.1 and X.690 DER).
 * @throws X509Error `ERR_X509_DER` on malformed DER (the error names the field and byte offset);
 *   `ERR_X509_CERTIFICATE` on a structurally invalid certificate (bad version, duplicate extension).
 * @example
 * const certificate = parseCertificate(der);
 * certificate.decoded.subjectAltName; // [{ type: 'dNSName', value: 'example.com' }]
 */
export function parseCertificate(der: Uint8Array): Certificate {
  const outer = new DerReader(der);
  const certificate = outer.sequence('certificate');
  outer.end('certificate');
  const tbsElement = certificate.expect(DerTag.Sequence, 'tbsCertificate');
  const signatureAlgorithm = parseAlgorithmIdentifier(
    certificate.read('signatureAlgorithm'),
    'signatureAlgorithm',
  );
  const signatureElement = certificate.expect(DerTag.BitString, 'signatureValue');
  certificate.end('certificate');
  if (signatureElement.contents[0] !== 0) {
    throw derFieldError(
      'signatureValue',
      signatureElement.contentsOffset,
      'signature BIT STRING must have no unused bits',
    );
  }

  const tbs = DerReader.of(tbsElement);
  let version: 1 | 2 | 3 = 1;
  const versionElement = tbs.optional(contextTag(0, true), 'tbsCertificate.version');
  if (versionElement) {
    const inner = DerReader.of(versionElement);
    const value = inner.smallInteger('tbsCertificate.version');
    inner.end('tbsCertificate.version');
    if (value > 2) {
      throw new X509Error('ERR_X509_CERTIFICATE', `tbsCertificate.version: unknown version ${value + 1}`, {
        field: 'tbsCertificate.version',
        offset: versionElement.offset,
      });
    }
    version = (value + 1) as 1 | 2 | 3;
  }
  const serialNumber = tbs.integer('tbsCertificate.serialNumber');
  const tbsSignatureAlgorithm = parseAlgorithmIdentifier(
    tbs.read('tbsCertificate.signature'),
    'tbsCertificate.signature',
  );
  const issuer = parseName(tbs.read('tbsCertificate.issuer'), 'tbsCertificate.issuer');
  const validity = tbs.sequence('tbsCertificate.validity');
  const notBefore = validity.time('tbsCertificate.validity.notBefore');
  const notAfter = validity.time('tbsCertificate.validity.notAfter');
  validity.end('tbsCertificate.validity');
  const subject = parseName(tbs.read('tbsCertificate.subject'), 'tbsCertificate.subject');
  const subjectPublicKeyInfo = parseSubjectPublicKeyInfo(
    tbs.read('tbsCertificate.subjectPublicKeyInfo'),
    'tbsCertificate.subjectPublicKeyInfo',
  );
  const issuerUniqueElement = tbs.optional(contextTag(1, false), 'tbsCertificate.issuerUniqueID');
  const subjectUniqueElement = tbs.optional(contextTag(2, false), 'tbsCertificate.subjectUniqueID');
  const extensionsElement = tbs.optional(contextTag(3, true), 'tbsCertificate.extensions');
  tbs.end('tbsCertificate');
  // RFC 5280 §4.1.2.8/§4.1.2.9: unique identifiers need v2 or v3, extensions need v3.
  if ((issuerUniqueElement || subjectUniqueElement) && version === 1) {
    throw new X509Error('ERR_X509_CERTIFICATE', 'tbsCertificate: unique identifiers in a v1 certificate', {
      field: 'tbsCertificate.version',
    });
  }
  let extensions: Extension[] = [];
  if (extensionsElement) {
    if (version !== 3) {
      throw new X509Error(
        'ERR_X509_CERTIFICATE',
        'tbsCertificate: extensions in a certificate that is not v3 (RFC 5280 §4.1.2.9)',
        {
          field: 'tbsCertificate.extensions',
          offset: extensionsElement.offset,
        },
      );
    }
    const list = DerReader.of(extensionsElement);
    extensions = parseExtensionList(
      list.expect(DerTag.Sequence, 'tbsCertificate.extensions'),
      'tbsCertificate.extensions',
    );
    list.end('tbsCertificate.extensions');
  }
  // RFC 5280 §4.1.2.8: UniqueIdentifier ::= BIT STRING (implicitly tagged).
  const uniqueId = (element: typeof issuerUniqueElement, field: string) =>
    element && decodeBitString(element, field).bytes;
  return {
    der,
    tbs: tbsElement.encoded,
    version,
    serialNumber,
    tbsSignatureAlgorithm,
    issuer,
    notBefore,
    notAfter,
    subject,
    subjectPublicKeyInfo,
    issuerUniqueId: uniqueId(issuerUniqueElement, 'tbsCertificate.issuerUniqueID'),
    subjectUniqueId: uniqueId(subjectUniqueElement, 'tbsCertificate.subjectUniqueID'),
    extensions,
    decoded: decodeExtensions(extensions),
    signatureAlgorithm,
    signature: signatureElement.contents.subarray(1),
  };
}

/**
 * Parses every certificate in PEM text (`CERTIFICATE` blocks) or one DER certificate.
 * @throws X509Error `ERR_X509_PEM` when text holds no certificate; see {@link parseCertificate}.
 * @example parseCertificates(fs.readFileSync('chain.pem', 'utf8')).length // 3
 */
/**
 * The subject of a DER certificate, read without parsing the rest (keys, extensions): enough to
 * index a trust store whose certificates are parsed only when a chain names them.
 * @throws X509Error `ERR_X509_CERTIFICATE` / `ERR_X509_DER` when the structure up to the subject is malformed.
 * @example nameKey(parseCertificateSubject(der))
 */
export function parseCertificateSubject(der: Uint8Array): Name {
  const outer = new DerReader(der);
  const certificate = outer.sequence('certificate');
  const tbs = DerReader.of(certificate.expect(DerTag.Sequence, 'tbsCertificate'));
  tbs.optional(contextTag(0, true), 'tbsCertificate.version');
  tbs.integer('tbsCertificate.serialNumber');
  tbs.read('tbsCertificate.signature');
  tbs.read('tbsCertificate.issuer');
  tbs.read('tbsCertificate.validity');
  return parseName(tbs.read('tbsCertificate.subject'), 'tbsCertificate.subject');
}

export function parseCertificates(input: string | Uint8Array): Certificate[] {
  if (typeof input !== 'string') return [parseCertificate(input)];
  const blocks = decodePem(input, 'CERTIFICATE');
  if (blocks.length === 0) throw new X509Error('ERR_X509_PEM', 'no CERTIFICATE PEM block found');
  return blocks.map((block) => parseCertificate(block.der));
}
