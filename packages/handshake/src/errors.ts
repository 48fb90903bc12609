// Errors of the handshake layer. Each is a TlsError (from @tls/record) with a stable `code` and
// the alert RFC 8446 §6.2 assigns; codes follow OpenSSL reason names as Node exposes them
// (`ERR_SSL_<REASON>`), so they read like the errors Node users already meet.

import { AlertDescription, TlsError, decodeError } from '@tls/record';

export { decodeError };

/** Stable `code` values produced by this package (besides `ERR_SSL_DECODE_ERROR` from @tls/record). */
export const HandshakeErrorCode = {
  /** A field holds a value the RFC forbids: illegal_parameter. */
  IllegalParameter: 'ERR_SSL_ILLEGAL_PARAMETER',
  /** Duplicate extension, extension in the wrong message, or pre_shared_key not last: illegal_parameter. */
  BadExtension: 'ERR_SSL_BAD_EXTENSION',
  /** A response extension the other side never asked for: unsupported_extension. */
  UnsolicitedExtension: 'ERR_SSL_UNSOLICITED_EXTENSION',
  /** A mandatory extension is absent: missing_extension. */
  MissingExtension: 'ERR_SSL_MISSING_EXTENSION',
  /** A message of the wrong type, or an empty handshake record: unexpected_message. */
  UnexpectedMessage: 'ERR_SSL_UNEXPECTED_MESSAGE',
  /** A handshake message continued across a key change (RFC 8446 §5.1): unexpected_message. */
  NotOnRecordBoundary: 'ERR_SSL_NOT_ON_RECORD_BOUNDARY',
  /** A handshake message longer than the configured limit: illegal_parameter. */
  ExcessiveMessageSize: 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE',
  /** A Finished or PSK binder that does not verify: decrypt_error. */
  DigestCheckFailed: 'ERR_SSL_DIGEST_CHECK_FAILED',
} as const;
export type HandshakeErrorCode = (typeof HandshakeErrorCode)[keyof typeof HandshakeErrorCode];

/** A value the RFC forbids (illegal_parameter). */
export function illegalParameter(message: string): TlsError {
  return new TlsError(HandshakeErrorCode.IllegalParameter, AlertDescription.IllegalParameter, message);
}

/** A duplicate, misplaced or out-of-order extension (illegal_parameter, RFC 8446 §4.2). */
export function badExtension(message: string): TlsError {
  return new TlsError(HandshakeErrorCode.BadExtension, AlertDescription.IllegalParameter, message);
}

/** An extension response that was not requested (unsupported_extension, RFC 8446 §4.2). */
export function unsolicitedExtension(message: string): TlsError {
  return new TlsError(
    HandshakeErrorCode.UnsolicitedExtension,
    AlertDescription.UnsupportedExtension,
    message,
  );
}

/** A mandatory extension that is absent (missing_extension). */
export function missingExtension(message: string): TlsError {
  return new TlsError(HandshakeErrorCode.MissingExtension, AlertDescription.MissingExtension, message);
}

/** A message not allowed here (unexpected_message). */
export function unexpectedMessage(message: string): TlsError {
  return new TlsError(HandshakeErrorCode.UnexpectedMessage, AlertDescription.UnexpectedMessage, message);
}
