// @tls/x509/verify: RFC 5280 path building and validation, name constraints, revocation by CRL,
// and Node's checkServerIdentity. Pure; signatures are checked through an injected CryptoProvider.

export { checkServerIdentity } from './verify/hostname.js';
export type { CertificateAltnameError, ServerIdentityCertificate } from './verify/hostname.js';
export { canonicalizeIp, formatIpv6, ipVersion, parseIp } from './verify/ip.js';
export {
  X509VerifyError,
  matchesDnsName,
  signatureParamsOf,
  verifyChain,
  verifyErrorMessage,
} from './verify/path.js';
export type { KeyPurpose, VerifyErrorCode, VerifyOptions, VerifyResult } from './verify/path.js';
export { checkNameConstraints, isValidDnsName } from './verify/name-constraints.js';
export { hostnameToAscii, parseUrlIpv4, publicSuffixMatcher } from './verify/webpki.js';
export type { VerifyProfile } from './verify/webpki.js';
export { verifyOcspResponse } from './ocsp.js';
export type { OcspStatus, OcspVerifyOptions } from './ocsp.js';
