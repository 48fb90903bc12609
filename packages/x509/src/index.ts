// @tls/x509: DER/PEM, certificates, Node's peer-certificate object, hostname checks and RFC 5280
// path validation. Pure: no node:* imports; crypto goes through an injected CryptoProvider.

export { X509Error, hasErrorCode } from './errors.js';
export type { X509ErrorCode } from './errors.js';
export { DerReader, decodeBitString, decodeString, decodeTime, readElementAt } from './der/reader.js';
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
export { namesEqual, parseGeneralName, parseName } from './name.js';
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
export { parseCertificate, parseCertificates } from './certificate.js';
export type { Certificate } from './certificate.js';
export {
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
export { checkServerIdentity } from './verify/hostname.js';
export type { CertificateAltnameError, ServerIdentityCertificate } from './verify/hostname.js';
export { canonicalizeIp, formatIpv6, ipVersion, parseIp } from './verify/ip.js';
export { parseCrl, parseCrls, isRevokedBy } from './crl.js';
export type { Crl, RevokedCertificate } from './crl.js';
export { X509VerifyError, matchesDnsName, signatureParamsOf, verifyChain } from './verify/path.js';
export type { KeyPurpose, VerifyErrorCode, VerifyOptions, VerifyResult } from './verify/path.js';
export { checkNameConstraints, isValidDnsName } from './verify/name-constraints.js';
export { createCertificate, createCrl, createCsr, encodeName } from './create.js';
export type { AltNameInput, CertificateTemplate, KeyUsageName, NameInput } from './create.js';
export { detectPrivateKeyType, importPrivateKey, isKeyForCertificate } from './private-key.js';
