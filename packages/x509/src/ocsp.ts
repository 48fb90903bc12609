// OCSP responses (RFC 6960): parsing of OCSPResponse and BasicOCSPResponse (§4.2.1), the check of
// one certificate's status (§3.2 and §4.2.2.2: CertID match, signature by the issuer or by a
// delegated responder carrying id-kp-OCSPSigning and issued by the CA, thisUpdate/nextUpdate),
// and creation of responses for tests and for servers that staple their own.
// Fetching is not here (x509 does no I/O, STYLE.md §5.3).

import type { CryptoProvider, HashName, PrivateKey, PublicKey } from '@tls/crypto';
import { type Certificate, parseCertificate } from './certificate.js';
import { X509Error, type X509ErrorCode } from './errors.js';
import { DerReader, decodeTime, derFieldError } from './der/reader.js';
import { Oid } from './der/oid.js';
import { DerTag, contextTag } from './der/tags.js';
import {
  encodeBitString,
  encodeInteger,
  encodeNull,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  encodeString,
  encodeTlv,
} from './der/writer.js';
import { type Extension, parseExtensionList } from './extensions.js';
import { type Name, bytesEqual, namesEqual, parseName } from './name.js';
import { decodePem } from './pem.js';
import { type AlgorithmIdentifier, parseAlgorithmIdentifier } from './public-key.js';
import { signatureParamsOf } from './verify/path.js';

const BasicResponseOid = '1.3.6.1.5.5.7.48.1.1';
const NonceOid = '1.3.6.1.5.5.7.48.1.2';

/** RFC 6960 §4.2.1 OCSPResponseStatus names. */
const statusNames: Record<number, OcspResponseStatus> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

export type OcspResponseStatus =
  | 'successful'
  | 'malformedRequest'
  | 'internalError'
  | 'tryLater'
  | 'sigRequired'
  | 'unauthorized';

const hashByOid: Record<string, HashName> = {
  [Oid.Sha1]: 'sha1',
  [Oid.Sha256]: 'sha256',
  [Oid.Sha384]: 'sha384',
  [Oid.Sha512]: 'sha512',
};

/** CertID (RFC 6960 §4.1.1): which certificate a SingleResponse is about. */
export interface OcspCertId {
  readonly hashAlgorithm: AlgorithmIdentifier;
  /** The hash name, when it is one we know. */
  readonly hash: HashName | undefined;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** INTEGER contents of the serial number. */
  readonly serialNumber: Uint8Array;
}

export interface OcspSingleResponse {
  readonly certId: OcspCertId;
  readonly status: 'good' | 'revoked' | 'unknown';
  /** For `revoked`: milliseconds since the epoch. */
  readonly revocationTime: number | undefined;
  /** For `revoked`: the CRLReason (RFC 5280 §5.3.1) when given. */
  readonly revocationReason: number | undefined;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly extensions: readonly Extension[];
}

export type OcspResponderId =
  | { readonly type: 'name'; readonly name: Name }
  /** SHA-1 of the responder's subjectPublicKey BIT STRING value. */
  | { readonly type: 'key'; readonly keyHash: Uint8Array };

/** A BasicOCSPResponse (RFC 6960 §4.2.1). Byte fields are views into the parsed input. */
export interface BasicOcspResponse {
  readonly der: Uint8Array;
  /** The ResponseData DER, which the signature covers. */
  readonly tbs: Uint8Array;
  readonly version: number;
  readonly responderId: OcspResponderId;
  readonly producedAt: number;
  readonly responses: readonly OcspSingleResponse[];
  readonly extensions: readonly Extension[];
  /** The nonce extension's value (RFC 6960 §4.4.1), when present. */
  readonly nonce: Uint8Array | undefined;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly certificates: readonly Certificate[];
}

export interface OcspResponse {
  readonly der: Uint8Array;
  readonly status: OcspResponseStatus;
  /** Present when `status` is `successful`. */
  readonly basic: BasicOcspResponse | undefined;
}

function ocspError(code: X509ErrorCode, message: string): X509Error {
  return new X509Error(code, message);
}

function generalizedTime(reader: DerReader, field: string): number {
  const element = reader.read(field);
  // RFC 6960 §4.2.2.1: GeneralizedTime only.
  if (element.tag !== DerTag.GeneralizedTime)
    throw derFieldError(field, element.offset, 'expected GeneralizedTime');
  return decodeTime(element, field);
}

function parseSingleResponse(reader: DerReader): OcspSingleResponse {
  const single = reader.sequence('SingleResponse');
  const id = single.sequence('SingleResponse.certID');
  const hashAlgorithm = parseAlgorithmIdentifier(id.read('certID.hashAlgorithm'), 'certID.hashAlgorithm');
  const issuerNameHash = id.octetString('certID.issuerNameHash');
  const issuerKeyHash = id.octetString('certID.issuerKeyHash');
  const serialNumber = id.integer('certID.serialNumber');
  id.end('SingleResponse.certID');
  const statusElement = single.read('SingleResponse.certStatus');
  let status: OcspSingleResponse['status'];
  let revocationTime: number | undefined;
  let revocationReason: number | undefined;
  if (statusElement.tag === contextTag(0, false) && statusElement.contents.length === 0) status = 'good';
  else if (statusElement.tag === contextTag(2, false) && statusElement.contents.length === 0)
    status = 'unknown';
  else if (statusElement.tag === contextTag(1, true)) {
    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
    status = 'revoked';
    const info = DerReader.of(statusElement);
    revocationTime = generalizedTime(info, 'RevokedInfo.revocationTime');
    const reason = info.optional(contextTag(0, true), 'RevokedInfo.revocationReason');
    if (reason) {
      const inner = DerReader.of(reason);
      revocationReason = inner.smallInteger('revocationReason', DerTag.Enumerated);
      inner.end('revocationReason');
    }
    info.end('RevokedInfo');
  } else {
    throw derFieldError(
      'SingleResponse.certStatus',
      statusElement.offset,
      'not good [0], revoked [1] or unknown [2]',
    );
  }
  const thisUpdate = generalizedTime(single, 'SingleResponse.thisUpdate');
  let nextUpdate: number | undefined;
  const next = single.optional(contextTag(0, true), 'SingleResponse.nextUpdate');
  if (next) {
    const inner = DerReader.of(next);
    nextUpdate = generalizedTime(inner, 'SingleResponse.nextUpdate');
    inner.end('SingleResponse.nextUpdate');
  }
  let extensions: Extension[] = [];
  const extensionsElement = single.optional(contextTag(1, true), 'SingleResponse.singleExtensions');
  if (extensionsElement) {
    const inner = DerReader.of(extensionsElement);
    extensions = parseExtensionList(inner.expect(DerTag.Sequence, 'singleExtensions'), 'singleExtensions');
    inner.end('singleExtensions');
  }
  single.end('SingleResponse');
  return {
    certId: {
      hashAlgorithm,
      hash: hashByOid[hashAlgorithm.oid],
      issuerNameHash,
      issuerKeyHash,
      serialNumber,
    },
    status,
    revocationTime,
    revocationReason,
    thisUpdate,
    nextUpdate,
    extensions,
  };
}

function parseBasicResponse(der: Uint8Array, base: number): BasicOcspResponse {
  const outer = new DerReader(der, base);
  const basic = outer.sequence('BasicOCSPResponse');
  outer.end('BasicOCSPResponse');
  const tbsElement = basic.expect(DerTag.Sequence, 'tbsResponseData');
  const signatureAlgorithm = parseAlgorithmIdentifier(basic.read('signatureAlgorithm'), 'signatureAlgorithm');
  const signatureElement = basic.expect(DerTag.BitString, 'signature');
  if (signatureElement.contents[0] !== 0) {
    throw derFieldError(
      'signature',
      signatureElement.contentsOffset,
      'signature BIT STRING must have no unused bits',
    );
  }
  const certificates: Certificate[] = [];
  const certsElement = basic.optional(contextTag(0, true), 'certs');
  if (certsElement) {
    const wrapper = DerReader.of(certsElement);
    const list = wrapper.sequence('certs');
    wrapper.end('certs');
    while (list.hasMore()) certificates.push(parseCertificate(list.read('certs.certificate').encoded));
  }
  basic.end('BasicOCSPResponse');

  const tbs = DerReader.of(tbsElement);
  let version = 0;
  const versionElement = tbs.optional(contextTag(0, true), 'tbsResponseData.version');
  if (versionElement) {
    const inner = DerReader.of(versionElement);
    version = inner.smallInteger('tbsResponseData.version');
    inner.end('tbsResponseData.version');
  }
  if (version !== 0) throw ocspError('ERR_X509_OCSP', `OCSP: unknown ResponseData version ${version + 1}`);
  const responder = tbs.read('tbsResponseData.responderID');
  let responderId: OcspResponderId;
  if (responder.tag === contextTag(1, true)) {
    const inner = DerReader.of(responder);
    responderId = { type: 'name', name: parseName(inner.read('responderID.byName'), 'responderID.byName') };
    inner.end('responderID.byName');
  } else if (responder.tag === contextTag(2, true)) {
    const inner = DerReader.of(responder);
    responderId = { type: 'key', keyHash: inner.octetString('responderID.byKey') };
    inner.end('responderID.byKey');
  } else {
    throw derFieldError('tbsResponseData.responderID', responder.offset, 'not byName [1] or byKey [2]');
  }
  const producedAt = generalizedTime(tbs, 'tbsResponseData.producedAt');
  const list = tbs.sequence('tbsResponseData.responses');
  const responses: OcspSingleResponse[] = [];
  while (list.hasMore()) responses.push(parseSingleResponse(list));
  let extensions: Extension[] = [];
  const extensionsElement = tbs.optional(contextTag(1, true), 'tbsResponseData.responseExtensions');
  if (extensionsElement) {
    const inner = DerReader.of(extensionsElement);
    extensions = parseExtensionList(
      inner.expect(DerTag.Sequence, 'responseExtensions'),
      'responseExtensions',
    );
    inner.end('responseExtensions');
  }
  tbs.end('tbsResponseData');
  const nonceExtension = extensions.find((extension) => extension.oid === NonceOid);
  let nonce: Uint8Array | undefined;
  if (nonceExtension) {
    // RFC 8954 §2.1: Nonce ::= OCTET STRING; some responders put the bare bytes in.
    const value = nonceExtension.value;
    nonce = value[0] === DerTag.OctetString && value[1] === value.length - 2 ? value.subarray(2) : value;
  }
  return {
    der: outer.bytes,
    tbs: tbsElement.encoded,
    version: version + 1,
    responderId,
    producedAt,
    responses,
    extensions,
    nonce,
    signatureAlgorithm,
    signature: signatureElement.contents.subarray(1),
    certificates,
  };
}

/**
 * Parses an OCSPResponse (RFC 6960 §4.2.1) from DER (or PEM text with an `OCSP RESPONSE` block).
 * An unsuccessful status is returned, not thrown; {@link verifyOcspResponse} refuses it.
 * @throws X509Error `ERR_X509_DER` on malformed DER; `ERR_X509_OCSP` for an unknown status, a
 *   response type other than id-pkix-ocsp-basic, or an unknown version.
 * @example parseOcspResponse(der).basic?.responses[0]?.status // 'good'
 */
export function parseOcspResponse(input: Uint8Array | string): OcspResponse {
  let der: Uint8Array;
  if (typeof input === 'string') {
    const block = decodePem(input, 'OCSP RESPONSE')[0];
    if (block === undefined) throw new X509Error('ERR_X509_PEM', 'no OCSP RESPONSE PEM block found');
    der = block.der;
  } else {
    der = input;
  }
  const outer = new DerReader(der);
  const response = outer.sequence('OCSPResponse');
  outer.end('OCSPResponse');
  const code = response.smallInteger('OCSPResponse.responseStatus', DerTag.Enumerated);
  const status = statusNames[code];
  if (status === undefined) throw ocspError('ERR_X509_OCSP', `OCSP: unknown response status ${code}`);
  const bytesElement = response.optional(contextTag(0, true), 'OCSPResponse.responseBytes');
  response.end('OCSPResponse');
  if (bytesElement === undefined) {
    if (status === 'successful')
      throw ocspError('ERR_X509_OCSP', 'OCSP: successful response without responseBytes');
    return { der, status, basic: undefined };
  }
  const wrapper = DerReader.of(bytesElement);
  const responseBytes = wrapper.sequence('responseBytes');
  wrapper.end('responseBytes');
  const type = responseBytes.oid('responseBytes.responseType');
  const body = responseBytes.expect(DerTag.OctetString, 'responseBytes.response');
  responseBytes.end('responseBytes');
  if (type !== BasicResponseOid)
    throw ocspError('ERR_X509_OCSP', `OCSP: response type ${type} is not id-pkix-ocsp-basic`);
  return { der, status, basic: parseBasicResponse(body.contents, body.contentsOffset) };
}

export interface OcspVerifyOptions {
  /** The time to check thisUpdate/nextUpdate and the responder's validity at. Default `provider.now()`. */
  time?: number;
  /** Tolerated clock difference in ms (OpenSSL's OCSP_check_validity uses 5 minutes). Default 300000. */
  clockSkew?: number;
  /** Required nonce (RFC 8954): the one the request carried. */
  nonce?: Uint8Array;
  /** More candidate responder certificates than those the response carries. */
  responderCertificates?: readonly Certificate[];
}

export interface OcspStatus {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly revocationTime: number | undefined;
  readonly revocationReason: number | undefined;
  readonly producedAt: number;
  /** `issuer` when the CA signed the response itself, else `delegated`. */
  readonly signedBy: 'issuer' | 'delegated';
  /** The certificate whose key signed the response. */
  readonly responder: Certificate;
  readonly single: OcspSingleResponse;
}

/**
 * The CertID hashes of `issuer` (RFC 6960 §4.1.1): the hash of its subject DER and of its
 * subjectPublicKey BIT STRING value.
 * @example ocspIssuerHashes(issuer, 'sha1', provider).issuerKeyHash
 */
export function ocspIssuerHashes(
  issuer: Certificate,
  hash: HashName,
  provider: CryptoProvider,
): { issuerNameHash: Uint8Array; issuerKeyHash: Uint8Array } {
  return {
    issuerNameHash: provider.hash(hash, issuer.subject.encoded),
    issuerKeyHash: provider.hash(hash, issuer.subjectPublicKeyInfo.subjectPublicKey),
  };
}

function importKey(certificate: Certificate, provider: CryptoProvider): PublicKey | undefined {
  try {
    return provider.importPublicKey({
      key: certificate.subjectPublicKeyInfo.encoded,
      format: 'der',
      type: 'spki',
    });
  } catch {
    return undefined;
  }
}

function verifySigned(
  signed: { signatureAlgorithm: AlgorithmIdentifier; tbs: Uint8Array; signature: Uint8Array },
  signer: Certificate,
  provider: CryptoProvider,
): boolean {
  const params = signatureParamsOf(signed);
  const key = importKey(signer, provider);
  if ('error' in params || key === undefined) return false;
  try {
    return provider.verify(params.params, key, signed.tbs, signed.signature);
  } catch {
    return false;
  }
}

function matchesResponderId(
  id: OcspResponderId,
  certificate: Certificate,
  provider: CryptoProvider,
): boolean {
  if (id.type === 'name') return namesEqual(id.name, certificate.subject);
  return bytesEqual(id.keyHash, provider.hash('sha1', certificate.subjectPublicKeyInfo.subjectPublicKey));
}

/**
 * Checks an OCSP response for `certificate` issued by `issuer` (RFC 6960 §3.2): the response is
 * successful and basic; a SingleResponse's CertID matches (issuer name and key hashes, serial);
 * the signature is the issuer's own, or that of a delegated responder whose certificate is in the
 * response (or `responderCertificates`), matches the ResponderID, is issued and signed by the
 * issuer, carries id-kp-OCSPSigning and is valid at `time`; thisUpdate is not in the future and
 * nextUpdate not in the past (with `clockSkew`). Revoked and unknown are results, not errors.
 * @throws X509Error `ERR_X509_OCSP` (unsuccessful status, with the status name in the message),
 *   `ERR_X509_OCSP_NO_MATCH` (no response for this certificate), `ERR_X509_OCSP_RESPONDER`
 *   (no authorized responder: unknown, not issued by the CA, no OCSPSigning, expired),
 *   `ERR_X509_OCSP_SIGNATURE` (the signature does not verify), `ERR_X509_OCSP_NOT_YET_VALID`,
 *   `ERR_X509_OCSP_EXPIRED`, `ERR_X509_OCSP_NONCE`.
 * @example
 * const { status, revocationTime } = verifyOcspResponse(parseOcspResponse(der), leaf, ca, provider);
 */
export function verifyOcspResponse(
  response: OcspResponse,
  certificate: Certificate,
  issuer: Certificate,
  provider: CryptoProvider,
  options: OcspVerifyOptions = {},
): OcspStatus {
  const basic = response.basic;
  if (response.status !== 'successful' || basic === undefined) {
    throw ocspError('ERR_X509_OCSP', `OCSP responder status: ${response.status}`);
  }
  const time = options.time ?? provider.now();
  const skew = options.clockSkew ?? 300_000;
  const single = basic.responses.find((candidate) => {
    const hash = candidate.certId.hash;
    if (hash === undefined || !bytesEqual(candidate.certId.serialNumber, certificate.serialNumber))
      return false;
    const expected = ocspIssuerHashes(issuer, hash, provider);
    return (
      bytesEqual(candidate.certId.issuerNameHash, expected.issuerNameHash) &&
      bytesEqual(candidate.certId.issuerKeyHash, expected.issuerKeyHash)
    );
  });
  if (single === undefined) {
    throw ocspError(
      'ERR_X509_OCSP_NO_MATCH',
      'OCSP: the response has no status for this certificate and issuer',
    );
  }
  if (options.nonce !== undefined && (basic.nonce === undefined || !bytesEqual(basic.nonce, options.nonce))) {
    throw ocspError('ERR_X509_OCSP_NONCE', 'OCSP: the response nonce does not match the request (RFC 8954)');
  }
  let responder: Certificate | undefined;
  let signedBy: OcspStatus['signedBy'] = 'issuer';
  if (matchesResponderId(basic.responderId, issuer, provider)) {
    responder = issuer;
  } else {
    signedBy = 'delegated';
    const candidates = [...basic.certificates, ...(options.responderCertificates ?? [])].filter((candidate) =>
      matchesResponderId(basic.responderId, candidate, provider),
    );
    if (candidates.length === 0) {
      throw ocspError(
        'ERR_X509_OCSP_RESPONDER',
        'OCSP: signer certificate not found (neither the issuer nor a certificate in the response)',
      );
    }
    // RFC 6960 §4.2.2.2: the delegate is issued directly by the CA and has id-kp-OCSPSigning.
    const problems: string[] = [];
    for (const candidate of candidates) {
      if (!namesEqual(candidate.issuer, issuer.subject) || !verifySigned(candidate, issuer, provider)) {
        problems.push('not issued by the certificate issuer');
      } else if (!(candidate.decoded.extKeyUsage ?? []).includes(Oid.OcspSigning)) {
        problems.push('no id-kp-OCSPSigning extended key usage');
      } else if (time < candidate.notBefore || time > candidate.notAfter) {
        problems.push('responder certificate not valid at the time');
      } else {
        responder = candidate;
        break;
      }
    }
    if (responder === undefined) {
      throw ocspError('ERR_X509_OCSP_RESPONDER', `OCSP: responder not authorized: ${problems.join('; ')}`);
    }
  }
  if (!verifySigned(basic, responder, provider)) {
    throw ocspError('ERR_X509_OCSP_SIGNATURE', 'OCSP: response signature verification failure');
  }
  if (single.thisUpdate > time + skew)
    throw ocspError('ERR_X509_OCSP_NOT_YET_VALID', 'OCSP: status not yet valid');
  if (single.nextUpdate !== undefined && single.nextUpdate < time - skew) {
    throw ocspError('ERR_X509_OCSP_EXPIRED', 'OCSP: status expired');
  }
  return {
    status: single.status,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    revocationTime: single.revocationTime,
    revocationReason: single.revocationReason,
    producedAt: basic.producedAt,
    signedBy,
    responder,
    single,
  };
}

function encodeGeneralizedTime(milliseconds: number): Uint8Array {
  const date = new Date(milliseconds);
  const two = (n: number) => n.toString().padStart(2, '0');
  const text = `${date.getUTCFullYear().toString().padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  return encodeString(text, DerTag.GeneralizedTime);
}

export interface OcspResponseEntry {
  /** The certificate, or just its serial number (INTEGER contents). */
  readonly certificate: Certificate | { readonly serialNumber: Uint8Array };
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revocationTime?: number;
  /** CRLReason (RFC 5280 §5.3.1), e.g. 1 keyCompromise. */
  readonly revocationReason?: number;
  readonly thisUpdate?: number;
  /** Default: thisUpdate + 7 days; `null` for none. */
  readonly nextUpdate?: number | null;
}

export interface OcspResponseTemplate {
  /** The CA that issued the certificates the response is about. */
  readonly issuer: Certificate;
  /** The responder's key: the issuer's, or a delegated responder's. */
  readonly signingKey: PrivateKey;
  /** A delegated responder's certificate (id-kp-OCSPSigning, issued by `issuer`); included in `certs`. */
  readonly responderCertificate?: Certificate;
  /** ResponderID form. Default `name`. */
  readonly responderIdBy?: 'name' | 'key';
  readonly responses: readonly OcspResponseEntry[];
  readonly producedAt?: number;
  /** CertID hash. Default `sha1`, what clients (and `openssl ocsp`) send. */
  readonly hash?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  readonly nonce?: Uint8Array;
}

const hashOids: Record<string, string> = {
  sha1: Oid.Sha1,
  sha256: Oid.Sha256,
  sha384: Oid.Sha384,
  sha512: Oid.Sha512,
};

/**
 * Makes a signed, successful OCSP response (RFC 6960 §4.2.1), e.g. to staple in tests.
 * @throws from the provider's `sign` (`ERR_CRYPTO_KEY_MISMATCH` and the like).
 * @example
 * const { der } = createOcspResponse(
 *   { issuer: ca, signingKey: caKey, responses: [{ certificate: leaf, status: 'good' }] },
 *   provider,
 * );
 */
export function createOcspResponse(
  template: OcspResponseTemplate,
  provider: CryptoProvider,
): { der: Uint8Array; response: OcspResponse } {
  const hash = template.hash ?? 'sha1';
  const signer = template.responderCertificate ?? template.issuer;
  const now = Math.floor(provider.now() / 1000) * 1000;
  const { issuerNameHash, issuerKeyHash } = ocspIssuerHashes(template.issuer, hash, provider);
  const hashAlgorithm = encodeSequence([encodeObjectIdentifier(hashOids[hash]!), encodeNull()]);
  const singles = template.responses.map((entry) => {
    const thisUpdate = entry.thisUpdate ?? now;
    const nextUpdate = entry.nextUpdate === undefined ? thisUpdate + 7 * 86_400_000 : entry.nextUpdate;
    let status: Uint8Array;
    if (entry.status === 'good') status = encodeTlv(contextTag(0, false), new Uint8Array(0));
    else if (entry.status === 'unknown') status = encodeTlv(contextTag(2, false), new Uint8Array(0));
    else {
      status = encodeTlv(contextTag(1, true), [
        encodeGeneralizedTime(entry.revocationTime ?? now),
        ...(entry.revocationReason === undefined
          ? []
          : [encodeTlv(contextTag(0, true), encodeInteger(entry.revocationReason, DerTag.Enumerated))]),
      ]);
    }
    return encodeSequence([
      encodeSequence([
        hashAlgorithm,
        encodeOctetString(issuerNameHash),
        encodeOctetString(issuerKeyHash),
        encodeTlv(DerTag.Integer, entry.certificate.serialNumber),
      ]),
      status,
      encodeGeneralizedTime(thisUpdate),
      ...(nextUpdate === null ? [] : [encodeTlv(contextTag(0, true), encodeGeneralizedTime(nextUpdate))]),
    ]);
  });
  const responderId =
    template.responderIdBy === 'key'
      ? encodeTlv(
          contextTag(2, true),
          encodeOctetString(provider.hash('sha1', signer.subjectPublicKeyInfo.subjectPublicKey)),
        )
      : encodeTlv(contextTag(1, true), signer.subject.encoded);
  const extensions =
    template.nonce === undefined
      ? []
      : [
          encodeTlv(
            contextTag(1, true),
            encodeSequence([
              encodeSequence([
                encodeObjectIdentifier(NonceOid),
                encodeOctetString(encodeOctetString(template.nonce)),
              ]),
            ]),
          ),
        ];
  const tbs = encodeSequence([
    responderId,
    encodeGeneralizedTime(template.producedAt ?? now),
    encodeSequence(singles),
    ...extensions,
  ]);
  const choice = ocspSignature(template.signingKey);
  const signature = provider.sign(choice.params, template.signingKey, tbs);
  const basic = encodeSequence([
    tbs,
    choice.algorithm,
    encodeBitString(signature),
    ...(template.responderCertificate
      ? [encodeTlv(contextTag(0, true), encodeSequence([template.responderCertificate.der]))]
      : []),
  ]);
  const der = encodeSequence([
    encodeTlv(DerTag.Enumerated, Uint8Array.of(0)),
    encodeTlv(
      contextTag(0, true),
      encodeSequence([encodeObjectIdentifier(BasicResponseOid), encodeOctetString(basic)]),
    ),
  ]);
  return { der, response: parseOcspResponse(der) };
}

function ocspSignature(key: PrivateKey): {
  algorithm: Uint8Array;
  params: Parameters<CryptoProvider['sign']>[0];
} {
  switch (key.type) {
    case 'ec': {
      const hash = key.curve === 'P-384' ? 'sha384' : key.curve === 'P-521' ? 'sha512' : 'sha256';
      const oid = { sha256: Oid.EcdsaWithSha256, sha384: Oid.EcdsaWithSha384, sha512: Oid.EcdsaWithSha512 }[
        hash
      ];
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(oid)]),
        params: { algorithm: 'ecdsa', hash },
      };
    }
    case 'ed25519':
    case 'ed448':
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(key.type === 'ed25519' ? Oid.Ed25519 : Oid.Ed448)]),
        params: { algorithm: key.type },
      };
    case 'rsa':
      return {
        algorithm: encodeSequence([encodeObjectIdentifier(Oid.Sha256WithRsa), encodeNull()]),
        params: { algorithm: 'rsa-pkcs1', hash: 'sha256' },
      };
    default:
      throw new X509Error('ERR_X509_UNSUPPORTED', `OCSP: signing with ${key.type} keys is not implemented`);
  }
}
