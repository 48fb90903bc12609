// Errors of the handshake layer (STYLE.md §5.6). Each is a TlsError (from @tls/record) made from
// a *reason*: alert-mapping.ts gives every reason the alert RFC 8446 §6.2 (or the RFC defining
// the check) assigns and a stable Node-style `code`. Where OpenSSL has a reason for the same
// situation the code is Node's name for it (`ERR_SSL_` + the OpenSSL reason string, as
// `openssl errstr` prints it for OpenSSL 3.0); the others are ours and say so in alert-mapping.ts.
// Messages say what the peer did and cite the section; they never contain secrets.

import { type AlertDescription, TlsError, alertName, decodeError } from '@tls/record';
import { type HandshakeErrorReason, reasonAlert, reasonCode, receivedAlertCode } from './alert-mapping.js';

export { decodeError };

/**
 * A TlsError for `reason`, with the code and alert the mapping tables give it.
 * @example throw handshakeError('WrongCipherReturned', 'server selected a cipher suite it did not offer (RFC 8446 §4.1.3)')
 */
export function handshakeError(
  reason: HandshakeErrorReason,
  message: string,
  options?: { cause?: unknown },
): TlsError {
  return new TlsError(reasonCode[reason], reasonAlert[reason], message, options);
}

/** A value the RFC forbids (illegal_parameter). */
export function illegalParameter(message: string): TlsError {
  return handshakeError('IllegalParameter', message);
}

/** A duplicate, misplaced or out-of-order extension (illegal_parameter, RFC 8446 §4.2). */
export function badExtension(message: string): TlsError {
  return handshakeError('BadExtension', message);
}

/** An extension response that was not requested (unsupported_extension, RFC 8446 §4.2). */
export function unsolicitedExtension(message: string): TlsError {
  return handshakeError('UnsolicitedExtension', message);
}

/** A mandatory extension that is absent (missing_extension). */
export function missingExtension(message: string): TlsError {
  return handshakeError('MissingExtension', message);
}

/** A message not allowed here (unexpected_message). */
export function unexpectedMessage(message: string): TlsError {
  return handshakeError('UnexpectedMessage', message);
}

/**
 * The error for an alert the peer sent. It sends nothing back (`alert` is undefined); the alert
 * is in `receivedAlert`, and `code`/`reason` follow Node (`ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE`,
 * `'sslv3 alert handshake failure'`).
 */
export class PeerAlertError extends TlsError {
  readonly receivedAlert: AlertDescription;
  /** OpenSSL's reason string, as Node puts it on `err.reason`. */
  declare readonly reason: string;
  readonly library = 'SSL routines';

  constructor(receivedAlert: AlertDescription, code: string, reason: string) {
    super(code, undefined, `peer sent alert ${alertName(receivedAlert)} (${receivedAlert}): ${reason}`, {
      reason,
    });
    this.receivedAlert = receivedAlert;
  }
}

/**
 * The error for an alert received from the peer, or `undefined` for close_notify (not an error).
 * @example peerAlertError(40)?.code // 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'
 */
export function peerAlertError(description: AlertDescription): PeerAlertError | undefined {
  const mapped = receivedAlertCode(description);
  return mapped === undefined ? undefined : new PeerAlertError(description, mapped.code, mapped.reason);
}
