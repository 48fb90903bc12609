// Errors thrown by providers. Identified by `code`, never by `instanceof` (STYLE.md §5.6): a
// package loaded twice (ESM and CJS) has two classes but the same codes.

/** Codes a provider throws with; the handshake layer maps them to alerts. */
export type CryptoErrorCode =
  | 'ERR_CRYPTO_INVALID_KEY_SHARE'
  | 'ERR_CRYPTO_UNSUPPORTED_ALGORITHM'
  | 'ERR_CRYPTO_INVALID_KEY'
  | 'ERR_CRYPTO_INVALID_LENGTH'
  | 'ERR_CRYPTO_KEY_MISMATCH'
  | 'ERR_MISSING_PASSPHRASE'
  | 'ERR_OSSL_BAD_DECRYPT';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for any error that carries `code` (works across duplicate package loads). */
export function hasErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
