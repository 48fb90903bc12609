// The error type of the record and handshake layers. Identified by `code` (a stable, Node-style
// string), never by `instanceof` (STYLE.md §5.6). `alert` is the alert this error sends to the
// peer, when it is one the peer should hear about.

import { AlertDescription, alertName } from './alert.js';

export class TlsError extends Error {
  override readonly name = 'TlsError';
  readonly code: string;
  /** The alert to send the peer for this error, if any. */
  readonly alert: AlertDescription | undefined;
  /** OpenSSL's reason string for the same failure, where Node users may look for it. */
  readonly reason?: string;

  constructor(
    code: string,
    alert: AlertDescription | undefined,
    message: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(message, options);
    this.code = code;
    this.alert = alert;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

/** True when `error` carries a `code` and an `alert` field (a TlsError from any copy of this package). */
export function isTlsError(error: unknown): error is TlsError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    'alert' in error
  );
}

/** A message that does not parse: decode_error (RFC 8446 §6.2). */
export function decodeError(message: string): TlsError {
  return new TlsError('ERR_SSL_DECODE_ERROR', AlertDescription.DecodeError, message);
}

/** Describes an alert for messages: `bad_record_mac (20)`. */
export function describeAlert(description: number): string {
  return `${alertName(description)} (${description})`;
}

/** A record that fails authentication: one error for tag, MAC and padding alike. */
export function badRecordMac(section: string): TlsError {
  return new TlsError(
    'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
    AlertDescription.BadRecordMac,
    `record failed authentication (${section}: bad_record_mac)`,
  );
}
