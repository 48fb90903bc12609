// Certification path building and validation (RFC 5280 §6.1) with the TLS profile: the path is
// built from the leaf towards a trust anchor through an unordered pool of intermediates, trying
// every candidate issuer (cross-signed paths, several roots) until one path validates. Errors use
// OpenSSL's X509_V_ERR names as `code`, as Node users see them in `err.code` and
// `socket.authorizationError`. Checks run in OpenSSL's order (x509_vfy.c verify_chain): chain
// building, extensions/purpose/path length, peer name, revocation, signatures and validity
// times, name constraints.

import type { CryptoProvider, PublicKey, SignatureParams } from '@tls/crypto';
import type { Certificate } from '../certificate.js';
import { Oid } from '../der/oid.js';
import { type Crl, isRevokedBy } from '../crl.js';
import { type GeneralName, bytesEqual, namesEqual } from '../name.js';
import { hashNameOfOid, parseRsaPssParameters } from '../public-key.js';
import { parseIp } from './ip.js';
import { checkPolicies } from './policy.js';
import { checkNameConstraints, isValidDnsName, validateNameConstraints } from './name-constraints.js';
import { type VerifyProfile, rfc5280Violation, webpkiViolation } from './webpki.js';

/**
 * OpenSSL's verification errors (X509_V_ERR_*) by name, with OpenSSL 3.0's
 * X509_verify_cert_error_string() text, which Node uses as the error message.
 */
const verifyErrorMessages = {
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'unable to decode issuer public key',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  CERT_REVOKED: 'certificate revoked',
  CERT_CHAIN_TOO_LONG: 'certificate chain too long',
  INVALID_CA: 'invalid CA certificate',
  INVALID_EXTENSION: 'invalid or inconsistent certificate extension',
  INVALID_POLICY_EXTENSION: 'invalid or inconsistent certificate policy extension',
  NO_EXPLICIT_POLICY: 'no explicit policy',
  PATH_LENGTH_EXCEEDED: 'path length constraint exceeded',
  INVALID_PURPOSE: 'unsuitable certificate purpose',
  KEYUSAGE_NO_CERTSIGN: 'key usage does not include certificate signing',
  KEYUSAGE_NO_CRL_SIGN: 'key usage does not include CRL signing',
  UNHANDLED_CRITICAL_EXTENSION: 'unhandled critical extension',
  UNHANDLED_CRITICAL_CRL_EXTENSION: 'unhandled critical CRL extension',
  PERMITTED_VIOLATION: 'permitted subtree violation',
  EXCLUDED_VIOLATION: 'excluded subtree violation',
  UNSUPPORTED_NAME_SYNTAX: 'unsupported or invalid name syntax',
  UNSUPPORTED_CONSTRAINT_TYPE: 'unsupported name constraint type',
  UNSUPPORTED_CONSTRAINT_SYNTAX: 'unsupported or invalid name constraint syntax',
  HOSTNAME_MISMATCH: 'hostname mismatch',
  IP_ADDRESS_MISMATCH: 'IP address mismatch',
  EMAIL_MISMATCH: 'email address mismatch',
  CA_MD_TOO_WEAK: 'CA signature digest algorithm too weak',
  CA_KEY_TOO_SMALL: 'CA certificate key too weak',
  EE_KEY_TOO_SMALL: 'EE certificate key too weak',
  SIGNATURE_ALGORITHM_MISMATCH: 'subject signature algorithm and issuer public key algorithm mismatch',
  SIGNATURE_ALGORITHM_INCONSISTENCY: 'Signature algorithm inconsistency',
  UNSUPPORTED_SIGNATURE_ALGORITHM: 'Cannot find certificate signature algorithm',
  CRL_SIGNATURE_FAILURE: 'CRL signature failure',
  CRL_HAS_EXPIRED: 'CRL has expired',
  CRL_NOT_YET_VALID: 'CRL is not yet valid',
  UNABLE_TO_GET_CRL: 'unable to get certificate CRL',
  ISSUER_NAME_EMPTY: 'Issuer name empty',
  SUBJECT_NAME_EMPTY: 'Subject name empty',
  EMPTY_SUBJECT_SAN_NOT_CRITICAL: 'Subject empty and Subject Alt Name extension not critical',
  EMPTY_SUBJECT_ALT_NAME: 'Empty Subject Alternative Name extension',
  MISSING_AUTHORITY_KEY_IDENTIFIER: 'Missing Authority Key Identifier',
  MISSING_SUBJECT_KEY_IDENTIFIER: 'Missing Subject Key Identifier',
  AUTHORITY_KEY_IDENTIFIER_CRITICAL: 'Authority Key Identifier marked critical',
  SUBJECT_KEY_IDENTIFIER_CRITICAL: 'Subject Key Identifier marked critical',
  CA_BCONS_NOT_CRITICAL: 'Basic Constraints of CA cert not marked critical',
  KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA: 'Key usage keyCertSign invalid for non-CA cert',
  EXTENSIONS_REQUIRE_VERSION_3: 'Using cert extension requires at least X509v3',
  CERT_UNTRUSTED: 'certificate not trusted',
  UNSPECIFIED: 'unspecified certificate verification error',
} as const;

/** OpenSSL verification error names used as `code`. */
export type VerifyErrorCode = keyof typeof verifyErrorMessages;

/**
 * OpenSSL's message for a verification code, which Node shows as `err.message` (and as
 * `socket.authorizationError`'s message).
 * @example verifyErrorMessage('DEPTH_ZERO_SELF_SIGNED_CERT') // 'self-signed certificate'
 */
export function verifyErrorMessage(code: VerifyErrorCode): string {
  return verifyErrorMessages[code];
}

/**
 * A verification failure. `message` is OpenSSL's text for `code` (what Node users see);
 * `reason` says what exactly failed and where it is specified; `depth` is 0 for the leaf.
 * @example try { verifyChain(leaf, options, provider); } catch (error) { console.log(error.code, error.depth, error.reason); }
 */
export class X509VerifyError extends Error {
  override readonly name = 'X509VerifyError';
  readonly code: VerifyErrorCode;
  /** What exactly failed, e.g. `pathLenConstraint 0 exceeded`. */
  readonly reason: string;
  /** Position in the chain: 0 is the leaf. */
  readonly depth: number;
  readonly certificate: Certificate | undefined;

  constructor(code: VerifyErrorCode, reason: string, depth: number, certificate?: Certificate) {
    super(verifyErrorMessages[code]);
    this.code = code;
    this.reason = reason;
    this.depth = depth;
    this.certificate = certificate;
  }
}

export type KeyPurpose = 'serverAuth' | 'clientAuth' | 'any';

export interface VerifyOptions {
  /** Trusted certificates (roots, or any certificate the caller trusts). */
  readonly trustAnchors: readonly Certificate[];
  /** Untrusted certificates that may complete the path, in any order. */
  readonly intermediates?: readonly Certificate[];
  /** Verification time in milliseconds since the epoch; default `provider.now()`. */
  readonly time?: number;
  /** Required extended key usage of the leaf (and of CAs that restrict EKU); default `serverAuth`. */
  readonly purpose?: KeyPurpose;
  /** Maximum number of intermediate certificates; default 100 (OpenSSL's default depth). */
  readonly maxDepth?: number;
  /** DNS name the leaf must hold in a dNSName SAN (RFC 6125 §6.4; no CN fallback). */
  readonly hostname?: string;
  /** IP address the leaf must hold in an iPAddress SAN. */
  readonly ip?: string;
  /** Email address the leaf must hold in an rfc822Name SAN. */
  readonly email?: string;
  /**
   * Accept a path ending at a trusted certificate that is not self-issued (OpenSSL's
   * X509_V_FLAG_PARTIAL_CHAIN). Default false, as in Node: trusting an intermediate alone fails
   * with UNABLE_TO_GET_ISSUER_CERT.
   */
  readonly partialChain?: boolean;
  /**
   * Which error a failed verification reports. `last` (default) is what Node shows: OpenSSL runs
   * every check and keeps the last error (an expired certificate from an unknown CA is
   * CERT_HAS_EXPIRED; a lone leaf with an unknown issuer is UNABLE_TO_VERIFY_LEAF_SIGNATURE).
   * `first` is what `openssl verify` prints.
   */
  readonly errorReporting?: 'first' | 'last';
  /** CRLs to check revocation against (each certificate whose issuer has a CRL here). */
  readonly crls?: readonly Crl[];
  /**
   * RFC 5280 profile checks beyond OpenSSL's (default false, as OpenSSL and Node): AKI/SKI
   * presence and criticality, serial numbers, empty names, critical basicConstraints in CAs, key
   * sizes (RSA >= 2048 and a multiple of 8; EC only P-256/384/521; no DSA), DNS SAN syntax,
   * keyCertSign only in CAs. Note: 2 of the 144 roots Node bundles fail them (one has no SKI, one
   * a non-critical basicConstraints), so a Node-compatible default must leave this off.
   */
  readonly strict?: boolean;
  /**
   * Which rules apply on top of path validation (README "Validation profiles"). `openssl`
   * (default) is what OpenSSL and so Node check, and what the TLS layers use. `rfc5280` and
   * `webpki` include every `strict` check (giving `strict: false` with them is an error) and add
   * RFC 5280 §4 rules (critical nameConstraints, AKI in a cross-signed trust anchor) or the
   * CA/Browser Forum Baseline Requirements (end-entity EKU present, not critical and without
   * anyExtendedKeyUsage; end-entity cA FALSE; no EKU in a root; the subject CN spelled as the
   * SAN it names; with `isPublicSuffix`, no wildcard over a public suffix).
   */
  readonly profile?: VerifyProfile;
  /**
   * For the `webpki` profile: whether a domain (lower-case A-labels) is a public suffix, e.g.
   * `publicSuffixMatcher(publicSuffixListText)`. Without it only wildcards over a single label
   * (`*.com`) are refused, as in every profile.
   */
  readonly isPublicSuffix?: (domain: string) => boolean;
}

export interface VerifyResult {
  /** The validated path: the leaf first, the trust anchor last. */
  readonly chain: readonly Certificate[];
}

const handledCritical: ReadonlySet<string> = /* @__PURE__ */ new Set([
  Oid.BasicConstraints,
  Oid.KeyUsage,
  Oid.ExtKeyUsage,
  Oid.SubjectAltName,
  Oid.NameConstraints,
  Oid.CertificatePolicies,
  Oid.PolicyConstraints,
  Oid.PolicyMappings,
  Oid.InhibitAnyPolicy,
  Oid.CrlDistributionPoints,
  Oid.IssuerAltName,
]);

const rsaHashes: Record<string, SignatureParams['hash']> = {
  [Oid.Md5WithRsa]: 'md5',
  [Oid.Sha1WithRsa]: 'sha1',
  [Oid.Sha256WithRsa]: 'sha256',
  [Oid.Sha384WithRsa]: 'sha384',
  [Oid.Sha512WithRsa]: 'sha512',
};
const ecdsaHashes: Record<string, SignatureParams['hash']> = {
  [Oid.EcdsaWithSha1]: 'sha1',
  [Oid.EcdsaWithSha256]: 'sha256',
  [Oid.EcdsaWithSha384]: 'sha384',
  [Oid.EcdsaWithSha512]: 'sha512',
};

/**
 * The provider parameters for a certificate's signature algorithm, or a reason it has none.
 * @example signatureParamsOf(certificate) // { params: { algorithm: 'ecdsa', hash: 'sha256' } }
 */
export function signatureParamsOf(certificate: {
  signatureAlgorithm: Certificate['signatureAlgorithm'];
}): { params: SignatureParams } | { error: 'weak' | 'unsupported' } {
  const algorithm = certificate.signatureAlgorithm;
  const parameters = algorithm.parameters;
  const rsaHash = rsaHashes[algorithm.oid];
  if (rsaHash !== undefined) {
    // RFC 4055 §5: the parameters are NULL (absence is tolerated, as OpenSSL does).
    if (parameters !== undefined && !(parameters.tag === 0x05 && parameters.contents.length === 0))
      return { error: 'unsupported' };
    if (rsaHash === 'md5' || rsaHash === 'sha1') return { error: 'weak' };
    return { params: { algorithm: 'rsa-pkcs1', hash: rsaHash } };
  }
  const ecdsaHash = ecdsaHashes[algorithm.oid];
  if (ecdsaHash !== undefined) {
    // RFC 5758 §3.2: parameters MUST be absent.
    if (parameters !== undefined) return { error: 'unsupported' };
    if (ecdsaHash === 'sha1') return { error: 'weak' };
    return { params: { algorithm: 'ecdsa', hash: ecdsaHash } };
  }
  if (algorithm.oid === Oid.Ed25519 || algorithm.oid === Oid.Ed448) {
    // RFC 8410 §3: parameters MUST be absent.
    if (parameters !== undefined) return { error: 'unsupported' };
    return { params: { algorithm: algorithm.oid === Oid.Ed25519 ? 'ed25519' : 'ed448' } };
  }
  if (algorithm.oid === Oid.RsassaPss) {
    try {
      const pss = parseRsaPssParameters(parameters, 'signatureAlgorithm.parameters');
      if (pss.hash !== pss.maskGenHash) return { error: 'unsupported' };
      if (pss.hash === 'sha1' || pss.hash === 'md5') return { error: 'weak' };
      const hash = pss.hash as SignatureParams['hash'];
      if (hash !== 'sha256' && hash !== 'sha384' && hash !== 'sha512') return { error: 'unsupported' };
      return { params: { algorithm: 'rsa-pss', hash, saltLength: pss.saltLength } };
    } catch {
      return { error: 'unsupported' };
    }
  }
  if (hashNameOfOid(algorithm.oid) !== undefined) return { error: 'unsupported' };
  return { error: 'unsupported' };
}

function isSelfIssued(certificate: Certificate): boolean {
  return namesEqual(certificate.subject, certificate.issuer);
}

function sameCertificate(a: Certificate, b: Certificate): boolean {
  return a === b || bytesEqual(a.der, b.der);
}

/** Same subject and key: the same logical CA (used to stop cycles through cross-signs). */
function sameEntity(a: Certificate, b: Certificate): boolean {
  return (
    namesEqual(a.subject, b.subject) &&
    bytesEqual(a.subjectPublicKeyInfo.encoded, b.subjectPublicKeyInfo.encoded)
  );
}

function lower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * RFC 6125 §6.4.3 DNS-ID match of a reference host against one SAN (wildcard only as the whole left-most label).
 * @example matchesDnsName('www.example.com', '*.example.com') // true
 */
export function matchesDnsName(hostname: string, pattern: string): boolean {
  const host = lower(hostname).replace(/\.$/, '');
  const name = lower(pattern).replace(/\.$/, '');
  if (!isValidDnsName(host, false) || !isValidDnsName(name, true)) return false;
  if (!name.startsWith('*.')) return host === name;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}

function keyProblem(certificate: Certificate): string | undefined {
  const key = certificate.subjectPublicKeyInfo.key;
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss':
      if (key.bits < 2048) return `${key.bits}-bit RSA key is too small`;
      if (key.bits % 8 !== 0) return `RSA key size ${key.bits} is not a multiple of 8`;
      return undefined;
    case 'ec':
      return key.curve === undefined ? `EC curve ${key.curveOid} is not allowed` : undefined;
    case 'ed25519':
    case 'ed448':
      return undefined;
    default:
      return `public key algorithm ${certificate.subjectPublicKeyInfo.algorithm.oid} is not allowed`;
  }
}

interface Context {
  readonly provider: CryptoProvider;
  readonly options: VerifyOptions;
  readonly anchors: readonly Certificate[];
  readonly pool: readonly Certificate[];
  readonly time: number;
  readonly maxDepth: number;
  readonly strict: boolean;
  readonly profile: VerifyProfile;
  readonly keys: Map<Certificate, PublicKey | undefined>;
  readonly signatures: Map<Signed, Map<Certificate, boolean | VerifyErrorCode>>;
  steps: number;
}

function publicKeyOf(context: Context, certificate: Certificate): PublicKey | undefined {
  if (context.keys.has(certificate)) return context.keys.get(certificate);
  let key: PublicKey | undefined;
  try {
    key = context.provider.importPublicKey({
      key: certificate.subjectPublicKeyInfo.encoded,
      format: 'der',
      type: 'spki',
    });
  } catch {
    key = undefined;
  }
  context.keys.set(certificate, key);
  return key;
}

/**
 * Signatures that verified, across verifications: a client sees the same chains again and again,
 * and a signature check (25–270 µs) is the larger part of verifying one. Keyed by exactly what the
 * result depends on: the signed bytes (whose algorithm identifier must match the outer one, checked
 * before), the signature and the issuer's SubjectPublicKeyInfo; per provider, so a test's provider
 * never sees another's answers. Only successes are kept, at most 256 per provider (oldest first).
 */
const verifiedSignatures = new WeakMap<CryptoProvider, Map<string, true>>();
const verifiedSignaturesSize = 256;

/** SHA-256 of TBS ‖ issuer SPKI ‖ signature (the two DER values delimit themselves). */
function signatureId(provider: CryptoProvider, subject: Signed, issuer: Certificate): string {
  const digest = provider.hash('sha256', [
    subject.tbs,
    issuer.subjectPublicKeyInfo.encoded,
    subject.signature,
  ]);
  let id = '';
  for (let i = 0; i < digest.length; i++) id += String.fromCharCode(digest[i]!);
  return id;
}

function verifiedBefore(provider: CryptoProvider, id: string): boolean {
  return verifiedSignatures.get(provider)?.has(id) === true;
}

function rememberVerified(provider: CryptoProvider, id: string): true {
  let verified = verifiedSignatures.get(provider);
  if (verified === undefined) {
    verified = new Map();
    verifiedSignatures.set(provider, verified);
  }
  if (verified.size >= verifiedSignaturesSize) verified.delete(verified.keys().next().value as string);
  verified.set(id, true);
  return true;
}

/** Checks `subject`'s signature with `issuer`'s key: true, or the error code. */
interface Signed {
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
  readonly signatureAlgorithm: Certificate['signatureAlgorithm'];
  readonly tbsSignatureAlgorithm: Certificate['signatureAlgorithm'];
}

function checkSignature(context: Context, subject: Signed, issuer: Certificate): true | VerifyErrorCode {
  let cache = context.signatures.get(subject);
  if (cache === undefined) {
    cache = new Map();
    context.signatures.set(subject, cache);
  }
  const cached = cache.get(issuer);
  if (cached !== undefined) return cached === true ? true : (cached as VerifyErrorCode);
  context.steps++;
  let result: true | VerifyErrorCode;
  // RFC 5280 §4.1.1.2: signatureAlgorithm MUST equal TBSCertificate.signature.
  if (!bytesEqual(subject.signatureAlgorithm.encoded, subject.tbsSignatureAlgorithm.encoded)) {
    result = 'SIGNATURE_ALGORITHM_INCONSISTENCY';
  } else {
    const params = signatureParamsOf(subject);
    const key = publicKeyOf(context, issuer);
    if ('error' in params)
      result = params.error === 'weak' ? 'CA_MD_TOO_WEAK' : 'UNSUPPORTED_SIGNATURE_ALGORITHM';
    else if (key === undefined) result = 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY';
    else {
      try {
        const id = signatureId(context.provider, subject, issuer);
        result = verifiedBefore(context.provider, id)
          ? true
          : context.provider.verify(params.params, key, subject.tbs, subject.signature)
            ? rememberVerified(context.provider, id)
            : 'CERT_SIGNATURE_FAILURE';
      } catch {
        // A key that cannot make this kind of signature (wrong type or size) is a failed check.
        result = 'CERT_SIGNATURE_FAILURE';
      }
    }
  }
  cache.set(issuer, result);
  return result;
}

function fail(
  code: VerifyErrorCode,
  message: string,
  depth: number,
  certificate?: Certificate,
): X509VerifyError {
  return new X509VerifyError(code, message, depth, certificate);
}

function hasEku(certificate: Certificate, purpose: KeyPurpose): boolean {
  const eku = certificate.decoded.extKeyUsage;
  if (eku === undefined || purpose === 'any') return true;
  return eku.includes(purpose === 'serverAuth' ? Oid.ServerAuth : Oid.ClientAuth);
}

/** Profile checks on one certificate of the path (strict mode). */
function profileProblem(
  certificate: Certificate,
  depth: number,
  isAnchor: boolean,
): X509VerifyError | undefined {
  const { decoded, extensions } = certificate;
  const isCa = depth > 0;
  const critical = (oid: string) => extensions.find((e) => e.oid === oid)?.critical;
  const serial = certificate.serialNumber;
  // RFC 5280 §4.1.2.2: positive, at most 20 octets.
  const magnitude = serial[0] === 0 ? serial.subarray(1) : serial;
  // Anchors are exempt (real roots such as Starfield G2 have serial 0), unless the anchor is the leaf.
  if (
    (!isAnchor || depth === 0) &&
    (serial[0]! & 0x80 || magnitude.length === 0 || magnitude.every((b) => b === 0) || magnitude.length > 20)
  ) {
    return fail(
      'UNSPECIFIED',
      'serial number must be positive and at most 20 octets (RFC 5280 §4.1.2.2)',
      depth,
      certificate,
    );
  }
  if (certificate.issuer.rdns.length === 0) {
    return fail('ISSUER_NAME_EMPTY', 'issuer name is empty (RFC 5280 §4.1.2.4)', depth, certificate);
  }
  if (certificate.version !== 3 && !isAnchor) {
    return fail(
      'EXTENSIONS_REQUIRE_VERSION_3',
      `version ${certificate.version} certificate in the path (RFC 5280 §6.1.4(k))`,
      depth,
      certificate,
    );
  }
  if (certificate.subject.rdns.length === 0) {
    if (isCa)
      return fail('SUBJECT_NAME_EMPTY', 'CA subject name is empty (RFC 5280 §4.1.2.6)', depth, certificate);
    const sanCritical = critical(Oid.SubjectAltName);
    if (sanCritical === undefined)
      return fail(
        'EMPTY_SUBJECT_ALT_NAME',
        'empty subject and no subjectAltName (RFC 5280 §4.2.1.6)',
        depth,
        certificate,
      );
    if (!sanCritical)
      return fail(
        'EMPTY_SUBJECT_SAN_NOT_CRITICAL',
        'empty subject needs a critical subjectAltName (RFC 5280 §4.2.1.6)',
        depth,
        certificate,
      );
  } else if (critical(Oid.SubjectAltName) === true && !isCa) {
    return fail(
      'INVALID_EXTENSION',
      'subjectAltName is critical although the subject is not empty (RFC 5280 §4.2.1.6)',
      depth,
      certificate,
    );
  }
  if (critical(Oid.AuthorityKeyIdentifier) === true) {
    return fail(
      'AUTHORITY_KEY_IDENTIFIER_CRITICAL',
      'authorityKeyIdentifier must not be critical (RFC 5280 §4.2.1.1)',
      depth,
      certificate,
    );
  }
  if (critical(Oid.SubjectKeyIdentifier) === true) {
    return fail(
      'SUBJECT_KEY_IDENTIFIER_CRITICAL',
      'subjectKeyIdentifier must not be critical (RFC 5280 §4.2.1.2)',
      depth,
      certificate,
    );
  }
  if (critical(Oid.AuthorityInfoAccess) === true) {
    return fail(
      'INVALID_EXTENSION',
      'authorityInfoAccess must not be critical (RFC 5280 §4.2.2.1)',
      depth,
      certificate,
    );
  }
  if (critical(Oid.PolicyConstraints) === false) {
    return fail(
      'INVALID_EXTENSION',
      'policyConstraints must be critical (RFC 5280 §4.2.1.11)',
      depth,
      certificate,
    );
  }
  const selfSigned = isSelfIssued(certificate);
  if (decoded.authorityKeyIdentifier === undefined && !isAnchor) {
    return fail(
      'MISSING_AUTHORITY_KEY_IDENTIFIER',
      'authorityKeyIdentifier is missing (RFC 5280 §4.2.1.1)',
      depth,
      certificate,
    );
  }
  if (isAnchor && selfSigned && decoded.authorityKeyIdentifier !== undefined) {
    const aki = decoded.authorityKeyIdentifier;
    if (
      aki.keyIdentifier === undefined ||
      aki.authorityCertIssuer !== undefined ||
      aki.authorityCertSerialNumber !== undefined ||
      (decoded.subjectKeyIdentifier !== undefined &&
        !bytesEqual(aki.keyIdentifier, decoded.subjectKeyIdentifier))
    ) {
      return fail(
        'INVALID_EXTENSION',
        'self-signed authorityKeyIdentifier must be its keyIdentifier only',
        depth,
        certificate,
      );
    }
  }
  if (isCa && decoded.subjectKeyIdentifier === undefined) {
    return fail(
      'MISSING_SUBJECT_KEY_IDENTIFIER',
      'CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2)',
      depth,
      certificate,
    );
  }
  if (isCa && critical(Oid.BasicConstraints) !== true) {
    return fail(
      'CA_BCONS_NOT_CRITICAL',
      'CA basicConstraints must be critical (RFC 5280 §4.2.1.9)',
      depth,
      certificate,
    );
  }
  if (decoded.keyUsage?.keyCertSign && decoded.basicConstraints?.ca !== true) {
    return fail(
      'KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA',
      'keyCertSign without cA (RFC 5280 §4.2.1.3)',
      depth,
      certificate,
    );
  }
  if (!isCa && decoded.nameConstraints !== undefined) {
    return fail(
      'INVALID_EXTENSION',
      'nameConstraints in an end-entity certificate (RFC 5280 §4.2.1.10)',
      depth,
      certificate,
    );
  }
  const problem = keyProblem(certificate);
  if (problem !== undefined)
    return fail(isCa ? 'CA_KEY_TOO_SMALL' : 'EE_KEY_TOO_SMALL', problem, depth, certificate);
  if (!isCa) {
    for (const name of decoded.subjectAltName ?? []) {
      if (name.type === 'dNSName' && !isValidDnsName(name.value, true)) {
        return fail(
          'UNSUPPORTED_NAME_SYNTAX',
          `invalid dNSName ${JSON.stringify(name.value)} (RFC 5280 §4.2.1.6)`,
          depth,
          certificate,
        );
      }
      if (name.type === 'iPAddress' && name.bytes.length !== 4 && name.bytes.length !== 16) {
        return fail(
          'UNSUPPORTED_NAME_SYNTAX',
          'iPAddress SAN must be 4 or 16 bytes (RFC 5280 §4.2.1.6)',
          depth,
          certificate,
        );
      }
    }
  }
  return undefined;
}

interface PathCheck {
  /** The path reaches a trust anchor (its last certificate). */
  readonly complete: boolean;
  /** Stop at the first error (openssl verify) or collect them all (Node's last error). */
  readonly stopAtFirst: boolean;
  /** Depths whose signature did not verify (only when reporting a failed path, as OpenSSL). */
  readonly badSignatures?: ReadonlyMap<number, VerifyErrorCode>;
}

/**
 * RFC 5280 §6.1 over a path (leaf first), in OpenSSL's order (x509_vfy.c verify_chain:
 * check_extensions, check_id, check_revocation, internal_verify, check_name_constraints,
 * check_policy). Returns the errors found: only the first with `stopAtFirst`.
 */
function checkPath(context: Context, path: readonly Certificate[], check: PathCheck): X509VerifyError[] {
  const errors: X509VerifyError[] = [];
  const report = (error: X509VerifyError): boolean => {
    errors.push(error);
    return check.stopAtFirst;
  };
  const { options, strict, time, profile } = context;
  const purpose = options.purpose ?? 'serverAuth';
  const anchorIndex = check.complete ? path.length - 1 : -1;
  // check_extensions: from the leaf upwards, as OpenSSL.
  let plen = 0;
  for (let depth = 0; depth < path.length; depth++) {
    const certificate = path[depth]!;
    const isAnchor = depth === anchorIndex;
    const { decoded } = certificate;
    for (const extension of certificate.extensions) {
      if (extension.critical && !handledCritical.has(extension.oid)) {
        if (
          report(
            fail(
              'UNHANDLED_CRITICAL_EXTENSION',
              `unhandled critical extension ${extension.oid}`,
              depth,
              certificate,
            ),
          )
        )
          return errors;
      }
    }
    if (strict) {
      const problem = profileProblem(certificate, depth, isAnchor);
      if (problem && report(problem)) return errors;
    }
    if (profile !== 'openssl') {
      const violation =
        profile === 'rfc5280'
          ? rfc5280Violation(certificate, depth, isAnchor)
          : webpkiViolation(certificate, depth, isAnchor, { isPublicSuffix: options.isPublicSuffix });
      if (violation && report(fail(violation.code, violation.reason, depth, certificate))) return errors;
    }
    if (depth > 0) {
      // RFC 5280 §6.1.4(k): a CA must assert cA in basicConstraints (v1/v2 CAs only as anchors);
      // §6.1.4(n): keyUsage, when present, must allow keyCertSign. OpenSSL's X509_check_ca()
      // treats both as "not a CA": INVALID_CA, and then its purpose check fails too.
      const ca = decoded.basicConstraints?.ca === true || (isAnchor && certificate.version < 3 && !strict);
      const certSign = decoded.keyUsage === undefined || decoded.keyUsage.keyCertSign;
      if (!ca || !certSign) {
        const why = !ca
          ? 'issuer is not a CA (basicConstraints cA is not set)'
          : 'issuer keyUsage lacks keyCertSign';
        if (report(fail('INVALID_CA', why, depth, certificate))) return errors;
        if (
          purpose !== 'any' &&
          report(fail('INVALID_PURPOSE', `${why}, so it cannot issue for ${purpose}`, depth, certificate))
        ) {
          return errors;
        }
      }
      // RFC 5280 §6.1.4(l)-(m): pathLenConstraint counts the non-self-issued CAs below.
      const pathLength = decoded.basicConstraints?.pathLenConstraint;
      if (pathLength !== undefined && plen > pathLength) {
        if (
          report(fail('PATH_LENGTH_EXCEEDED', `pathLenConstraint ${pathLength} exceeded`, depth, certificate))
        )
          return errors;
      }
      if (!isSelfIssued(certificate)) plen++;
    } else {
      if (depth === 0 && !isAnchor && !isSelfIssued(certificate)) plen = 0;
    }
    // Extended key usage: the leaf must allow the purpose; CAs that restrict EKU must too.
    if (!hasEku(certificate, purpose)) {
      if (
        report(
          fail('INVALID_PURPOSE', `certificate does not allow ${purpose} (extKeyUsage)`, depth, certificate),
        )
      )
        return errors;
    }
    if (decoded.nameConstraints !== undefined) {
      const why = validateNameConstraints(decoded.nameConstraints);
      if (why !== undefined)
        if (report(fail('UNSUPPORTED_CONSTRAINT_SYNTAX', `nameConstraints: ${why}`, depth, certificate)))
          return errors;
    }
  }
  // The depth limit counts logical intermediates: the leaf, the anchor and self-issued
  // intermediates excluded.
  if (countIntermediates(path.slice(0, -1)) > context.maxDepth) {
    if (
      report(
        fail(
          'CERT_CHAIN_TOO_LONG',
          `more than ${context.maxDepth} intermediate certificates`,
          path.length - 2,
          path[path.length - 2],
        ),
      )
    )
      return errors;
  }
  // check_id: the peer's name.
  const leaf = path[0]!;
  const sans: readonly GeneralName[] = leaf.decoded.subjectAltName ?? [];
  if (options.hostname !== undefined) {
    const ok = sans.some((name) => name.type === 'dNSName' && matchesDnsName(options.hostname!, name.value));
    if (!ok)
      if (report(fail('HOSTNAME_MISMATCH', `certificate is not valid for ${options.hostname}`, 0, leaf)))
        return errors;
  }
  if (options.ip !== undefined) {
    const address = parseIp(options.ip);
    const ok =
      address !== undefined &&
      sans.some((name) => name.type === 'iPAddress' && bytesEqual(name.bytes, address));
    if (!ok)
      if (report(fail('IP_ADDRESS_MISMATCH', `certificate is not valid for ${options.ip}`, 0, leaf)))
        return errors;
  }
  if (options.email !== undefined) {
    const wanted = options.email;
    const at = wanted.lastIndexOf('@');
    const ok = sans.some((name) => {
      if (name.type !== 'rfc822Name') return false;
      const nameAt = name.value.lastIndexOf('@');
      return (
        name.value.slice(0, nameAt) === wanted.slice(0, at) &&
        lower(name.value.slice(nameAt + 1)) === lower(wanted.slice(at + 1))
      );
    });
    if (!ok)
      if (report(fail('EMAIL_MISMATCH', `certificate is not valid for ${wanted}`, 0, leaf))) return errors;
  }
  // check_revocation
  if (options.crls !== undefined && options.crls.length > 0) {
    const error = revocationProblem(context, path, options.crls);
    if (error && report(error)) return errors;
  }
  // internal_verify: from the top down, signatures (checked while building; failures only on a
  // path reported as failed) and validity. RFC 5280 §4.1.2.5 times have whole seconds.
  const seconds = Math.floor(time / 1000) * 1000;
  let top = path.length - 1;
  if (!isSelfIssued(path[top]!) && !check.complete) {
    // OpenSSL: an untrusted, non-self-signed top; alone it is "the first certificate".
    if (top === 0) {
      if (
        report(
          fail(
            'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
            'the issuer of the only certificate is unknown',
            0,
            path[0],
          ),
        )
      )
        return errors;
    } else top--;
  }
  for (let depth = top; depth >= 0; depth--) {
    const certificate = path[depth]!;
    const badSignature = check.badSignatures?.get(depth);
    if (
      badSignature !== undefined &&
      report(fail(badSignature, 'certificate signature does not verify', depth, certificate))
    )
      return errors;
    if (seconds < certificate.notBefore) {
      if (report(fail('CERT_NOT_YET_VALID', 'certificate is not yet valid', depth, certificate)))
        return errors;
    } else if (seconds > certificate.notAfter) {
      if (report(fail('CERT_HAS_EXPIRED', 'certificate has expired', depth, certificate))) return errors;
    }
  }
  // check_name_constraints: each CA's constraints apply to every certificate below it, except
  // self-issued intermediates (RFC 5280 §6.1.3(b)).
  for (let depth = path.length - 1; depth > 0; depth--) {
    const constraints = path[depth]!.decoded.nameConstraints;
    if (constraints === undefined) continue;
    for (let below = depth - 1; below >= 0; below--) {
      const certificate = path[below]!;
      if (below > 0 && isSelfIssued(certificate)) continue;
      const violation = checkNameConstraints(certificate, constraints, below === 0);
      if (violation)
        if (
          report(fail(violation.code, `name constraints violated by ${violation.name}`, below, certificate))
        )
          return errors;
    }
  }
  // check_policy (RFC 5280 §6.1.3(d)-(f), §6.1.4, §6.1.5)
  const policyProblem = checkPolicies(path);
  if (policyProblem)
    if (
      report(fail(policyProblem.code, policyProblem.message, policyProblem.depth, path[policyProblem.depth]))
    )
      return errors;
  return errors;
}

const handledCrlExtensions: ReadonlySet<string> = /* @__PURE__ */ new Set([
  Oid.CrlNumber,
  Oid.AuthorityKeyIdentifier,
  Oid.IssuingDistributionPoint,
  Oid.DeltaCrlIndicator,
]);

function sameGeneralName(a: GeneralName, b: GeneralName): boolean {
  if (a.type !== b.type) return false;
  if ('value' in a && 'value' in b) return a.value === b.value;
  if (a.type === 'directoryName' && b.type === 'directoryName') return namesEqual(a.name, b.name);
  if (a.type === 'iPAddress' && b.type === 'iPAddress') return bytesEqual(a.bytes, b.bytes);
  return false;
}

/** RFC 5280 §6.3.3 (b): whether a complete, direct CRL's scope covers `certificate`. */
function crlCovers(crl: Crl, certificate: Certificate): boolean {
  // Delta and indirect CRLs are not supported: they are not used (not trusted to prove good status).
  if (crl.isDelta) return false;
  const idp = crl.issuingDistributionPoint;
  if (idp === undefined) return true;
  if (idp.indirectCrl || idp.onlyContainsAttributeCerts) return false;
  const isCa = certificate.decoded.basicConstraints?.ca === true;
  if (idp.onlyContainsUserCerts && isCa) return false;
  if (idp.onlyContainsCACerts && !isCa) return false;
  if (idp.fullName !== undefined) {
    // §6.3.3 (b)(2)(i): one of the certificate's distribution point names must match.
    const names = (certificate.decoded.crlDistributionPoints ?? []).flatMap((point) => point.fullName ?? []);
    if (!idp.fullName.some((name) => names.some((other) => sameGeneralName(name, other)))) return false;
  }
  return true;
}

/**
 * RFC 5280 §6.3 for complete CRLs issued by each certificate's issuer. Certificates for which no
 * CRL was given are not checked (as OpenSSL without X509_V_FLAG_CRL_CHECK_ALL checks the leaf only
 * when asked); a CRL that is given must be valid.
 */
function revocationProblem(
  context: Context,
  path: readonly Certificate[],
  crls: readonly Crl[],
): X509VerifyError | undefined {
  for (let depth = 0; depth < path.length - 1; depth++) {
    const certificate = path[depth]!;
    const issuer = path[depth + 1]!;
    for (const crl of crls) {
      if (!namesEqual(crl.issuer, certificate.issuer) || !crlCovers(crl, certificate)) continue;
      const signature = checkSignature(context, crl, issuer);
      if (signature !== true) continue;
      // RFC 5280 §6.3.3(f): the CRL issuer's keyUsage must allow cRLSign.
      if (issuer.decoded.keyUsage !== undefined && !issuer.decoded.keyUsage.cRLSign) {
        return fail('KEYUSAGE_NO_CRL_SIGN', 'CRL issuer keyUsage lacks cRLSign', depth, certificate);
      }
      for (const extension of crl.extensions) {
        if (extension.critical && !handledCrlExtensions.has(extension.oid)) {
          return fail(
            'UNHANDLED_CRITICAL_CRL_EXTENSION',
            `unhandled critical CRL extension ${extension.oid}`,
            depth,
            certificate,
          );
        }
      }
      // RFC 5280 §5.2.3: conforming CRLs are v2 with a non-critical cRLNumber.
      const numberExtension = crl.extensions.find((e) => e.oid === Oid.CrlNumber);
      if (crl.version !== 2 || numberExtension === undefined || numberExtension.critical) {
        return fail(
          'INVALID_EXTENSION',
          'CRL lacks a non-critical cRLNumber (RFC 5280 §5.2.3)',
          depth,
          certificate,
        );
      }
      if (context.time < crl.thisUpdate)
        return fail('CRL_NOT_YET_VALID', 'CRL is not yet valid', depth, certificate);
      if (crl.nextUpdate !== undefined && context.time > crl.nextUpdate) {
        return fail('CRL_HAS_EXPIRED', 'CRL has expired', depth, certificate);
      }
      if (isRevokedBy(certificate, crl))
        return fail('CERT_REVOKED', 'certificate revoked', depth, certificate);
    }
  }
  return undefined;
}

const maxSteps = 2000;

/** A caller error (STYLE.md §5.6 ApiMisuse): a TypeError with Node's code. */
function invalidArgument(message: string): TypeError & { code: 'ERR_INVALID_ARG_VALUE' } {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_VALUE' as const });
}

/** Non-self-issued certificates of `path` after the leaf. */
function countIntermediates(path: readonly Certificate[]): number {
  let count = 0;
  for (let i = 1; i < path.length; i++) if (!isSelfIssued(path[i]!)) count++;
  return count;
}

/**
 * Builds and validates a certification path for `leaf` (RFC 5280 §6.1). When several errors
 * apply, `options.errorReporting` picks Node's (the last OpenSSL meets, default) or
 * `openssl verify`'s (the first).
 * @throws X509VerifyError with OpenSSL's code and message: UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
 *   UNABLE_TO_VERIFY_LEAF_SIGNATURE, DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN,
 *   CERT_HAS_EXPIRED, CERT_NOT_YET_VALID, CERT_SIGNATURE_FAILURE, INVALID_CA, PATH_LENGTH_EXCEEDED,
 *   INVALID_PURPOSE, CERT_CHAIN_TOO_LONG, UNHANDLED_CRITICAL_EXTENSION, PERMITTED_VIOLATION,
 *   EXCLUDED_VIOLATION, HOSTNAME_MISMATCH, CERT_REVOKED, CA_MD_TOO_WEAK and the others of
 *   {@link VerifyErrorCode}.
 * @throws TypeError with code ERR_INVALID_ARG_VALUE for an unknown `profile`, or `strict: false`
 *   with the `rfc5280` or `webpki` profile.
 * @example
 * const { chain } = verifyChain(leaf, { trustAnchors: roots, intermediates, hostname: 'example.com' }, provider);
 */
export function verifyChain(
  leaf: Certificate,
  options: VerifyOptions,
  provider: CryptoProvider,
): VerifyResult {
  const time = options.time ?? provider.now();
  const profile = options.profile ?? 'openssl';
  if (profile !== 'openssl' && profile !== 'rfc5280' && profile !== 'webpki') {
    throw invalidArgument(
      `options.profile must be 'openssl', 'rfc5280' or 'webpki'; received ${String(profile)}`,
    );
  }
  if (profile !== 'openssl' && options.strict === false) {
    throw invalidArgument(
      `options.strict cannot be false with profile '${profile}', which includes the strict checks`,
    );
  }
  const context: Context = {
    provider,
    options,
    anchors: options.trustAnchors,
    pool: options.intermediates ?? [],
    time,
    maxDepth: options.maxDepth ?? 100,
    strict: options.strict ?? profile !== 'openssl',
    profile,
    keys: new Map(),
    signatures: new Map(),
    steps: 0,
  };
  let firstPathError: X509VerifyError | undefined;
  let firstFailedPath: readonly Certificate[] | undefined;
  let signatureError: X509VerifyError | undefined;
  let signaturePath: { path: readonly Certificate[]; complete: boolean } | undefined;
  let longest: readonly Certificate[] = [leaf];
  let tooLong: X509VerifyError | undefined;
  const reportLast = (options.errorReporting ?? 'last') === 'last';

  const tryPath = (path: readonly Certificate[]): boolean => {
    const error = checkPath(context, path, { complete: true, stopAtFirst: true })[0];
    if (error === undefined) return true;
    if (firstPathError === undefined) {
      firstPathError = error;
      firstFailedPath = path;
    }
    return false;
  };

  // Without partialChain a trusted certificate ends a path only when it is self-issued, as
  // OpenSSL without X509_V_FLAG_PARTIAL_CHAIN (Node's default): a trusted intermediate must still
  // chain up to a trusted root.
  const partialChain = options.partialChain ?? false;
  const endsPath = (anchor: Certificate) => partialChain || isSelfIssued(anchor);
  const isTrusted = (certificate: Certificate) =>
    context.anchors.some((anchor) => sameCertificate(anchor, certificate));

  // A leaf that is itself trusted (OpenSSL accepts a trusted self-signed leaf).
  if (isTrusted(leaf) && endsPath(leaf)) {
    if (tryPath([leaf])) return { chain: [leaf] };
  }

  const signatureFailed = (
    path: readonly Certificate[],
    issuer: Certificate,
    code: VerifyErrorCode,
    complete: boolean,
  ) => {
    if (signatureError !== undefined) return;
    signatureError = fail(
      code,
      'certificate signature does not verify',
      path.length - 1,
      path[path.length - 1],
    );
    signaturePath = { path: [...path, issuer], complete };
  };

  const extend = (path: Certificate[]): readonly Certificate[] | undefined => {
    if (context.steps > maxSteps) return undefined;
    context.steps++;
    const current = path[path.length - 1]!;
    if (path.length > longest.length) longest = path;
    const aki = current.decoded.authorityKeyIdentifier?.keyIdentifier;
    const isCandidate = (candidate: Certificate) => {
      if (!namesEqual(candidate.subject, current.issuer)) return false;
      const ski = candidate.decoded.subjectKeyIdentifier;
      // OpenSSL's X509_check_akid: a key identifier mismatch rules the candidate out.
      return aki === undefined || ski === undefined || bytesEqual(aki, ski);
    };
    // Indexed: `for...of` over the 144 bundled roots allocated an iterator result per root.
    const anchors = context.anchors;
    for (let i = 0; i < anchors.length; i++) {
      const anchor = anchors[i]!;
      if (!isCandidate(anchor) || path.some((c) => sameCertificate(c, anchor))) continue;
      const signature = checkSignature(context, current, anchor);
      if (signature !== true) {
        signatureFailed(path, anchor, signature, endsPath(anchor));
        continue;
      }
      const complete = [...path, anchor];
      if (endsPath(anchor)) {
        if (tryPath(complete)) return complete;
      } else {
        const found = extend(complete);
        if (found !== undefined) return found;
      }
    }
    if (countIntermediates(path) >= context.maxDepth + 1 || path.length > 2 * context.maxDepth + 2) {
      tooLong ??= fail(
        'CERT_CHAIN_TOO_LONG',
        `more than ${context.maxDepth} intermediate certificates`,
        path.length - 1,
        current,
      );
      return undefined;
    }
    for (const candidate of context.pool) {
      if (!isCandidate(candidate)) continue;
      if (path.some((c) => sameCertificate(c, candidate) || sameEntity(c, candidate))) continue;
      const signature = checkSignature(context, current, candidate);
      if (signature !== true) {
        signatureFailed(path, candidate, signature, false);
        continue;
      }
      const found = extend([...path, candidate]);
      if (found !== undefined) return found;
      if (context.steps > maxSteps) return undefined;
    }
    return undefined;
  };

  /** OpenSSL's build_chain error for a path that reaches no trust anchor. */
  const buildError = (path: readonly Certificate[]): X509VerifyError => {
    const last = path[path.length - 1]!;
    const depth = path.length - 1;
    if (tooLong !== undefined) return tooLong;
    // OpenSSL: the top of the chain came from the trust store but is not a root.
    if (depth > 0 && isTrusted(last))
      return fail('UNABLE_TO_GET_ISSUER_CERT', 'issuer of a trusted certificate not found', depth, last);
    if (isSelfIssued(last) && checkSignature(context, last, last) === true) {
      if (depth === 0) return fail('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 0, last);
      return fail('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain', depth, last);
    }
    return fail('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'no trusted issuer found', depth, last);
  };

  const chain = extend([leaf]);
  if (chain !== undefined) return { chain };
  if (!reportLast) {
    if (firstPathError !== undefined) throw firstPathError;
    if (signatureError !== undefined) throw signatureError;
    throw buildError(longest);
  }
  // Node's view: OpenSSL runs every check with a callback that continues, and the last error
  // it met becomes the result.
  let errors: X509VerifyError[];
  if (firstFailedPath !== undefined) {
    errors = checkPath(context, firstFailedPath, { complete: true, stopAtFirst: false });
  } else if (signaturePath !== undefined && signatureError !== undefined) {
    const { path, complete } = signaturePath;
    const badSignatures = new Map([[signatureError.depth, signatureError.code]]);
    errors = [
      ...(complete ? [] : [buildError(path)]),
      ...checkPath(context, path, { complete, stopAtFirst: false, badSignatures }),
    ];
  } else {
    errors = [buildError(longest), ...checkPath(context, longest, { complete: false, stopAtFirst: false })];
  }
  throw errors[errors.length - 1]!;
}
