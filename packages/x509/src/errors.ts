// Errors of @tls/x509. Identified by `code`, never by `instanceof` (STYLE.md §5.6).
//
// Parse errors (X509Error):
//   ERR_X509_DER          the bytes are not strict DER (RFC 5280 §4.1 requires DER, X.690 §10):
//                         indefinite or non-minimal lengths, non-minimal integers, trailing bytes,
//                         wrong tags or string types, bad times. `field` and `offset` say where.
//   ERR_X509_PEM          no PEM block, a bad armor line, bad base64 or an unexpected label.
//   ERR_X509_CERTIFICATE  well-formed DER that is not a valid certificate structure (bad version,
//                         duplicate extension, extension contents that do not parse).
//   ERR_X509_UNSUPPORTED  an algorithm or form we do not implement.
//   ERR_X509_PKCS12       a PKCS#12 file whose structure is not a PFX (RFC 7292 §4).
//   ERR_X509_PKCS12_MAC   the PKCS#12 MAC does not verify: wrong or missing password. The message is
//                         OpenSSL's (and so Node's) 'mac verify failure'.
//   ERR_OSSL_BAD_DECRYPT  a PKCS#12 file without a MAC does not decrypt (wrong password).
//   ERR_X509_OCSP         an OCSP response that is not a successful, well-formed basic response.
//   ERR_X509_OCSP_*       verifyOcspResponse: NO_MATCH (no status for the certificate), RESPONDER
//                         (no authorized signer), SIGNATURE, NOT_YET_VALID, EXPIRED, NONCE.
//
// Verification errors (X509VerifyError) carry OpenSSL's names as `code`, as Node users see them
// (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CERT_HAS_EXPIRED, ...): see verify/path.ts.

/** Codes of {@link X509Error}. */
export type X509ErrorCode =
  | 'ERR_X509_DER'
  | 'ERR_X509_PEM'
  | 'ERR_X509_CERTIFICATE'
  | 'ERR_X509_UNSUPPORTED'
  | 'ERR_X509_PKCS12'
  | 'ERR_X509_PKCS12_MAC'
  | 'ERR_OSSL_BAD_DECRYPT'
  | 'ERR_X509_OCSP'
  | 'ERR_X509_OCSP_NO_MATCH'
  | 'ERR_X509_OCSP_RESPONDER'
  | 'ERR_X509_OCSP_SIGNATURE'
  | 'ERR_X509_OCSP_NOT_YET_VALID'
  | 'ERR_X509_OCSP_EXPIRED'
  | 'ERR_X509_OCSP_NONCE';

/**
 * A parse error: malformed DER/PEM or an invalid certificate structure.
 * @example if (hasErrorCode(error, 'ERR_X509_DER')) console.log(error.field, error.offset);
 */
export class X509Error extends Error {
  override readonly name = 'X509Error';
  readonly code: X509ErrorCode;
  /** The ASN.1 field being read, e.g. `tbsCertificate.validity.notBefore`. */
  readonly field: string | undefined;
  /** Byte offset in the input where the problem is, when known. */
  readonly offset: number | undefined;

  constructor(
    code: X509ErrorCode,
    message: string,
    options: { field?: string; offset?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.offset = options.offset;
  }
}

/**
 * True for any error that carries `code` (works across duplicate package loads).
 * @example hasErrorCode(error, 'ERR_X509_PEM') // true
 */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
