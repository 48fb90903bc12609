// The mapping tables of the error model (STYLE.md §5.6), in one place:
//   received alert → Node `err.code`, from OpenSSL's reason strings as Node exposes them
//   (`ERR_SSL_` + the reason upper-cased). SSLv3-era alerts read "sslv3 alert …", later ones
//   "tlsv1 alert …", the two TLS 1.3 additions "tlsv13 alert …"; a few OpenSSL reasons lack
//   the word "alert". Rows observed on Node 20.20.2 / OpenSSL 3.0.19 are marked in STYLE.md; the
//   rest follow OpenSSL's ssl_err.c naming and are pinned by interop tests as they are met.

import { AlertDescription, alertName } from '@tls/record';

const receivedAlertReasons: Record<number, string> = {
  [AlertDescription.CloseNotify]: 'sslv3 alert close notify',
  [AlertDescription.UnexpectedMessage]: 'sslv3 alert unexpected message',
  [AlertDescription.BadRecordMac]: 'sslv3 alert bad record mac',
  [AlertDescription.DecryptionFailed]: 'tlsv1 alert decryption failed',
  [AlertDescription.RecordOverflow]: 'tlsv1 alert record overflow',
  [AlertDescription.DecompressionFailure]: 'sslv3 alert decompression failure',
  [AlertDescription.HandshakeFailure]: 'sslv3 alert handshake failure',
  [AlertDescription.NoCertificate]: 'sslv3 alert no certificate',
  [AlertDescription.BadCertificate]: 'sslv3 alert bad certificate',
  [AlertDescription.UnsupportedCertificate]: 'sslv3 alert unsupported certificate',
  [AlertDescription.CertificateRevoked]: 'sslv3 alert certificate revoked',
  [AlertDescription.CertificateExpired]: 'sslv3 alert certificate expired',
  [AlertDescription.CertificateUnknown]: 'sslv3 alert certificate unknown',
  [AlertDescription.IllegalParameter]: 'sslv3 alert illegal parameter',
  [AlertDescription.UnknownCa]: 'tlsv1 alert unknown ca',
  [AlertDescription.AccessDenied]: 'tlsv1 alert access denied',
  [AlertDescription.DecodeError]: 'tlsv1 alert decode error',
  [AlertDescription.DecryptError]: 'tlsv1 alert decrypt error',
  [AlertDescription.ExportRestriction]: 'tlsv1 alert export restriction',
  [AlertDescription.ProtocolVersion]: 'tlsv1 alert protocol version',
  [AlertDescription.InsufficientSecurity]: 'tlsv1 alert insufficient security',
  [AlertDescription.InternalError]: 'tlsv1 alert internal error',
  [AlertDescription.InappropriateFallback]: 'tlsv1 alert inappropriate fallback',
  [AlertDescription.UserCanceled]: 'tlsv1 alert user cancelled',
  [AlertDescription.NoRenegotiation]: 'tlsv1 alert no renegotiation',
  [AlertDescription.MissingExtension]: 'tlsv13 alert missing extension',
  [AlertDescription.UnsupportedExtension]: 'tlsv1 unsupported extension',
  [AlertDescription.CertificateUnobtainable]: 'tlsv1 certificate unobtainable',
  [AlertDescription.UnrecognizedName]: 'tlsv1 unrecognized name',
  [AlertDescription.BadCertificateStatusResponse]: 'tlsv1 bad certificate status response',
  [AlertDescription.BadCertificateHashValue]: 'tlsv1 bad certificate hash value',
  [AlertDescription.UnknownPskIdentity]: 'tlsv1 alert unknown psk identity',
  [AlertDescription.CertificateRequired]: 'tlsv13 alert certificate required',
  [AlertDescription.NoApplicationProtocol]: 'tlsv1 alert no application protocol',
};

/** OpenSSL's reason text for a received alert, e.g. `tlsv1 alert protocol version`. */
export function receivedAlertReason(description: number): string {
  return receivedAlertReasons[description] ?? `ssl/tls alert ${alertName(description).replace(/_/g, ' ')}`;
}

/** Node's `err.code` for a received fatal alert, e.g. `ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION`. */
export function receivedAlertCode(description: number): string {
  return `ERR_SSL_${receivedAlertReason(description)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')}`;
}

/** Every description with a row, for the exhaustiveness test. */
export const mappedAlertDescriptions: readonly number[] = Object.keys(receivedAlertReasons).map(Number);
