// @tls/x509: DER/PEM, certificates, CRLs, private keys, Node's peer-certificate object and
// certificate creation. Verification (RFC 5280 paths, hostnames) is the `@tls/x509/verify` entry.
// Pure: no node:* imports; crypto goes through an injected CryptoProvider.

export { X509Error, hasErrorCode } from './errors.js';
export type { X509ErrorCode } from './errors.js';
export { DerReader, decodeBitString, decodeString, decodeTime, readElementAt } from './der/reader.js';
export { berToDer } from './der/ber.js';
export type { BitString, DerElement } from './der/reader.js';
export {
  concatBytes,
  encodeBitString,
  encodeBoolean,
  encodeInteger,
  encodeNull,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  encodeSetOf,
  encodeString,
  encodeTime,
  encodeTlv,
  encodeUnsignedInteger,
} from './der/writer.js';
export { Oid, decodeOid, encodeOid, oidLongName, oidShortName } from './der/oid.js';
export { DerTag, contextTag } from './der/tags.js';
export { decodeBase64, decodePem, encodeBase64, encodePem } from './pem.js';
export type { PemBlock } from './pem.js';
export { nameKey, namesEqual, parseGeneralName, parseName } from './name.js';
export type { GeneralName, Name, NameAttribute } from './name.js';
export { decodeExtensions } from './extensions.js';
export type {
  AccessDescription,
  AuthorityKeyIdentifier,
  BasicConstraints,
  DecodedExtensions,
  DistributionPoint,
  Extension,
  GeneralSubtree,
  KeyUsage,
  NameConstraints,
  PolicyConstraints,
  PolicyInformation,
} from './extensions.js';
export { decodeSubjectPublicKeyInfo } from './public-key.js';
export type {
  AlgorithmIdentifier,
  PublicKeyInfo,
  RsaPssParameters,
  SubjectPublicKeyInfo,
} from './public-key.js';
export { parseCertificate, parseCertificateSubject, parseCertificates } from './certificate.js';
export type { Certificate } from './certificate.js';
export {
  buildPeerChain,
  isIssuedBy,
  formatCertificateTime,
  formatGeneralName,
  formatInfoAccess,
  formatSubjectAltName,
  integerToHex,
  isCertificateAuthority,
  nameToObject,
  nameToString,
  toDetailedPeerCertificate,
  toPeerCertificate,
} from './peer-certificate.js';
export type { DetailedPeerCertificate, PeerCertificate, PeerCertificateName } from './peer-certificate.js';
export { isRevokedBy, parseCrl, parseCrls } from './crl.js';
export type { Crl, IssuingDistributionPoint, RevokedCertificate } from './crl.js';
export { createCertificate, createCrl, createCsr, encodeName } from './create.js';
export type { AltNameInput, CertificateTemplate, KeyUsageName, NameInput } from './create.js';
export { detectPrivateKeyType, importPrivateKey, isKeyForCertificate } from './private-key.js';
export { createPkcs12, parsePkcs12, pkcs12Kdf } from './pkcs12.js';
export type { Pkcs12BagAttributes, Pkcs12Contents, Pkcs12Options, Pkcs12Template } from './pkcs12.js';
export { createOcspResponse, ocspIssuerHashes, parseOcspResponse } from './ocsp.js';
export type {
  BasicOcspResponse,
  OcspCertId,
  OcspResponderId,
  OcspResponse,
  OcspResponseEntry,
  OcspResponseStatus,
  OcspResponseTemplate,
  OcspSingleResponse,
} from './ocsp.js';
