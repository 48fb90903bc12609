// Alert protocol (RFC 8446 §6, RFC 5246 §7.2): levels, descriptions and the two-byte codec.
import { TlsError } from './errors.js';

/** AlertLevel (RFC 5246 §7.2). TLS 1.3 treats every alert but close_notify and user_canceled as fatal. */
export const AlertLevel = { Warning: 1, Fatal: 2 } as const;
export type AlertLevel = number;

/** AlertDescription: every value of RFC 8446 §6 plus the TLS 1.0-1.2 ones still on the wire. */
export const AlertDescription = {
  CloseNotify: 0,
  UnexpectedMessage: 10,
  BadRecordMac: 20,
  DecryptionFailed: 21,
  RecordOverflow: 22,
  DecompressionFailure: 30,
  HandshakeFailure: 40,
  NoCertificate: 41,
  BadCertificate: 42,
  UnsupportedCertificate: 43,
  CertificateRevoked: 44,
  CertificateExpired: 45,
  CertificateUnknown: 46,
  IllegalParameter: 47,
  UnknownCa: 48,
  AccessDenied: 49,
  DecodeError: 50,
  DecryptError: 51,
  ExportRestriction: 60,
  ProtocolVersion: 70,
  InsufficientSecurity: 71,
  InternalError: 80,
  InappropriateFallback: 86,
  UserCanceled: 90,
  NoRenegotiation: 100,
  MissingExtension: 109,
  UnsupportedExtension: 110,
  CertificateUnobtainable: 111,
  UnrecognizedName: 112,
  BadCertificateStatusResponse: 113,
  BadCertificateHashValue: 114,
  UnknownPskIdentity: 115,
  CertificateRequired: 116,
  NoApplicationProtocol: 120,
} as const;
export type AlertDescription = number;

const alertNames: Record<number, string> = /* @__PURE__ */ Object.fromEntries(
  Object.entries(AlertDescription).map(([name, value]) => [
    value,
    name.replace(/[A-Z]/g, (letter, index: number) =>
      index === 0 ? letter.toLowerCase() : `_${letter.toLowerCase()}`,
    ),
  ]),
);

/** RFC name of an alert description (`bad_record_mac`), or `unknown(N)`. */
export function alertName(description: number): string {
  return alertNames[description] ?? `unknown(${description})`;
}

export interface Alert {
  readonly level: AlertLevel;
  readonly description: AlertDescription;
}

/** The two-byte body of an alert record. */
export function encodeAlert(alert: Alert): Uint8Array {
  return Uint8Array.of(alert.level, alert.description);
}

/**
 * Parses an alert record body: exactly two bytes (RFC 8446 §5.1: alerts are never fragmented
 * or coalesced).
 * @throws TlsError decode_error for any other length, illegal_parameter for an unknown level.
 */
export function decodeAlert(fragment: Uint8Array): Alert {
  if (fragment.length !== 2) {
    throw new TlsError(
      'ERR_SSL_BAD_LENGTH',
      AlertDescription.DecodeError,
      `alert record of ${fragment.length} bytes, expected 2`,
    );
  }
  const level = fragment[0]!;
  if (level !== AlertLevel.Warning && level !== AlertLevel.Fatal) {
    throw new TlsError(
      'ERR_SSL_BAD_ALERT',
      AlertDescription.IllegalParameter,
      `alert has unknown level ${level}`,
    );
  }
  return { level, description: fragment[1]! };
}
