// The three mapping tables of STYLE.md §5.6, and the only place they live:
// 1. reason → the alert we send (RFC 8446 §6.2 and the section of each check);
// 2. received alert → Node `err.code` and `err.reason` (OpenSSL 3.0 reason strings, which Node
//    turns into `ERR_SSL_<REASON>`; observed with `openssl errstr` on OpenSSL 3.0.19, the
//    version Node 20 uses; only alerts 40, 70, 116 and 120 are also pinned against Node itself);
// 3. local reason → Node `err.code` (OpenSSL's reason for the same check where one exists).
// x509 owns certificate verification codes; socket owns ECONNRESET and timeouts.

import { AlertDescription } from '@tls/record';

const A = AlertDescription;

/** Why the handshake layer fails. Each reason has exactly one alert and one code. */
export type HandshakeErrorReason =
  | 'DecodeError'
  | 'IllegalParameter'
  | 'BadExtension'
  | 'UnsolicitedExtension'
  | 'MissingExtension'
  | 'UnexpectedMessage'
  | 'NotOnRecordBoundary'
  | 'ExcessiveMessageSize'
  | 'DigestCheckFailed'
  | 'BinderDoesNotVerify'
  | 'BadSignature'
  | 'WrongSignatureType'
  | 'WrongCipherReturned'
  | 'BadKeyShare'
  | 'NoSharedCipher'
  | 'NoSharedGroups'
  | 'NoSuitableKeyShare'
  | 'NoSharedSignatureAlgorithms'
  | 'UnsupportedProtocol'
  | 'InappropriateFallback'
  | 'NoApplicationProtocol'
  | 'PeerDidNotReturnACertificate'
  | 'TooManyKeyUpdates'
  | 'TooMuchEarlyData'
  | 'UnexpectedCcsMessage'
  | 'UnsafeLegacyRenegotiationDisabled'
  | 'NoRenegotiation'
  | 'InconsistentExtms'
  | 'RenegotiationMismatch'
  | 'InternalError';

/** Table 1: the alert each reason sends. */
export const reasonAlert: Readonly<Record<HandshakeErrorReason, AlertDescription>> = {
  DecodeError: A.DecodeError, // RFC 8446 §6.2: "a message could not be decoded"
  IllegalParameter: A.IllegalParameter, // §6.2: "a field in the handshake was incorrect"
  BadExtension: A.IllegalParameter, // §4.2: duplicate or misplaced extension, pre_shared_key not last
  UnsolicitedExtension: A.UnsupportedExtension, // §4.2: response without a request
  MissingExtension: A.MissingExtension, // §6.2, §9.2
  UnexpectedMessage: A.UnexpectedMessage, // §6.2
  NotOnRecordBoundary: A.UnexpectedMessage, // §5.1: message across a key change
  ExcessiveMessageSize: A.IllegalParameter, // as OpenSSL: a length above our limit
  DigestCheckFailed: A.DecryptError, // §4.4.4: "MUST terminate the connection with a decrypt_error alert"
  BinderDoesNotVerify: A.DecryptError, // §4.2.11: "...the server MUST abort the handshake" (§6.2: decrypt_error)
  BadSignature: A.DecryptError, // §4.4.3: "MUST terminate the handshake with a decrypt_error alert"
  WrongSignatureType: A.IllegalParameter, // a scheme the peer was not offered (§4.4.3)
  WrongCipherReturned: A.IllegalParameter, // §4.1.3/§4.1.4: unoffered suite, HRR without a change
  BadKeyShare: A.IllegalParameter, // §4.2.8: share for an unoffered group, invalid point
  NoSharedCipher: A.HandshakeFailure, // §4.1.1
  NoSharedGroups: A.HandshakeFailure, // §4.1.1
  NoSuitableKeyShare: A.HandshakeFailure, // §4.1.1
  NoSharedSignatureAlgorithms: A.HandshakeFailure, // §4.4.2.2
  UnsupportedProtocol: A.ProtocolVersion, // §4.2.1
  InappropriateFallback: A.InappropriateFallback, // RFC 7507 §3
  NoApplicationProtocol: A.NoApplicationProtocol, // RFC 7301 §3.2
  PeerDidNotReturnACertificate: A.CertificateRequired, // §4.4.2.4 (TLS 1.2 servers send handshake_failure)
  TooManyKeyUpdates: A.UnexpectedMessage, // as OpenSSL: KeyUpdate flood
  TooMuchEarlyData: A.UnexpectedMessage, // §4.6.1: more 0-RTT data than max_early_data_size
  UnexpectedCcsMessage: A.UnexpectedMessage, // §5: CCS outside the compatibility window
  UnsafeLegacyRenegotiationDisabled: A.HandshakeFailure, // RFC 5746 §4.1
  NoRenegotiation: A.NoRenegotiation, // RFC 5246 §7.2.2
  InconsistentExtms: A.HandshakeFailure, // RFC 7627 §5.3: resumption that changes EMS use
  RenegotiationMismatch: A.HandshakeFailure, // RFC 5746 §3.4, §3.7: renegotiation_info mismatch
  InternalError: A.InternalError, // §6.2: a provider or caller fault, not the peer's
};

/**
 * Table 3: the `code` of each local reason. `ERR_SSL_` + the OpenSSL reason where OpenSSL has
 * one; ours (marked) where it does not.
 */
export const reasonCode: Readonly<Record<HandshakeErrorReason, string>> = {
  DecodeError: 'ERR_SSL_DECODE_ERROR', // ours (@tls/record); OpenSSL splits it into length mismatch, bad packet …
  IllegalParameter: 'ERR_SSL_ILLEGAL_PARAMETER', // ours
  BadExtension: 'ERR_SSL_BAD_EXTENSION',
  UnsolicitedExtension: 'ERR_SSL_UNSOLICITED_EXTENSION',
  MissingExtension: 'ERR_SSL_MISSING_EXTENSION', // ours; OpenSSL names each (missing sigalgs extension …)
  UnexpectedMessage: 'ERR_SSL_UNEXPECTED_MESSAGE',
  NotOnRecordBoundary: 'ERR_SSL_NOT_ON_RECORD_BOUNDARY',
  ExcessiveMessageSize: 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE',
  DigestCheckFailed: 'ERR_SSL_DIGEST_CHECK_FAILED',
  BinderDoesNotVerify: 'ERR_SSL_BINDER_DOES_NOT_VERIFY',
  BadSignature: 'ERR_SSL_BAD_SIGNATURE',
  WrongSignatureType: 'ERR_SSL_WRONG_SIGNATURE_TYPE',
  WrongCipherReturned: 'ERR_SSL_WRONG_CIPHER_RETURNED',
  BadKeyShare: 'ERR_SSL_BAD_KEY_SHARE',
  NoSharedCipher: 'ERR_SSL_NO_SHARED_CIPHER',
  NoSharedGroups: 'ERR_SSL_NO_SHARED_GROUPS',
  NoSuitableKeyShare: 'ERR_SSL_NO_SUITABLE_KEY_SHARE',
  NoSharedSignatureAlgorithms: 'ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS',
  UnsupportedProtocol: 'ERR_SSL_UNSUPPORTED_PROTOCOL',
  InappropriateFallback: 'ERR_SSL_INAPPROPRIATE_FALLBACK',
  NoApplicationProtocol: 'ERR_SSL_NO_APPLICATION_PROTOCOL',
  PeerDidNotReturnACertificate: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
  TooManyKeyUpdates: 'ERR_SSL_TOO_MANY_KEY_UPDATES',
  TooMuchEarlyData: 'ERR_SSL_TOO_MUCH_EARLY_DATA',
  UnexpectedCcsMessage: 'ERR_SSL_UNEXPECTED_CCS_MESSAGE',
  UnsafeLegacyRenegotiationDisabled: 'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED',
  NoRenegotiation: 'ERR_SSL_NO_RENEGOTIATION',
  InconsistentExtms: 'ERR_SSL_INCONSISTENT_EXTMS',
  RenegotiationMismatch: 'ERR_SSL_RENEGOTIATION_MISMATCH',
  InternalError: 'ERR_SSL_INTERNAL_ERROR', // ours
};

/** Table 2: OpenSSL's reason string for each alert a peer can send (`openssl errstr 0A0003E8+N`). */
export const receivedAlertReason: Readonly<Record<number, string>> = {
  [A.UnexpectedMessage]: 'sslv3 alert unexpected message',
  [A.BadRecordMac]: 'sslv3 alert bad record mac',
  [A.DecryptionFailed]: 'tlsv1 alert decryption failed',
  [A.RecordOverflow]: 'tlsv1 alert record overflow',
  [A.DecompressionFailure]: 'sslv3 alert decompression failure',
  [A.HandshakeFailure]: 'sslv3 alert handshake failure',
  [A.NoCertificate]: 'sslv3 alert no certificate',
  [A.BadCertificate]: 'sslv3 alert bad certificate',
  [A.UnsupportedCertificate]: 'sslv3 alert unsupported certificate',
  [A.CertificateRevoked]: 'sslv3 alert certificate revoked',
  [A.CertificateExpired]: 'sslv3 alert certificate expired',
  [A.CertificateUnknown]: 'sslv3 alert certificate unknown',
  [A.IllegalParameter]: 'sslv3 alert illegal parameter',
  [A.UnknownCa]: 'tlsv1 alert unknown ca',
  [A.AccessDenied]: 'tlsv1 alert access denied',
  [A.DecodeError]: 'tlsv1 alert decode error',
  [A.DecryptError]: 'tlsv1 alert decrypt error',
  [A.ExportRestriction]: 'tlsv1 alert export restriction',
  [A.ProtocolVersion]: 'tlsv1 alert protocol version',
  [A.InsufficientSecurity]: 'tlsv1 alert insufficient security',
  [A.InternalError]: 'tlsv1 alert internal error',
  [A.InappropriateFallback]: 'tlsv1 alert inappropriate fallback',
  [A.UserCanceled]: 'tlsv1 alert user cancelled',
  [A.NoRenegotiation]: 'tlsv1 alert no renegotiation',
  [A.MissingExtension]: 'tlsv13 alert missing extension',
  [A.UnsupportedExtension]: 'tlsv1 unsupported extension',
  [A.CertificateUnobtainable]: 'tlsv1 certificate unobtainable',
  [A.UnrecognizedName]: 'tlsv1 unrecognized name',
  [A.BadCertificateStatusResponse]: 'tlsv1 bad certificate status response',
  [A.BadCertificateHashValue]: 'tlsv1 bad certificate hash value',
  [A.UnknownPskIdentity]: 'tlsv1 alert unknown psk identity',
  [A.CertificateRequired]: 'tlsv13 alert certificate required',
  [A.NoApplicationProtocol]: 'tlsv1 alert no application protocol',
};

/** Node's `err.code` for a reason string: `ERR_SSL_` + upper case, spaces as underscores. */
function nodeCode(reason: string): string {
  return `ERR_SSL_${reason.toUpperCase().replace(/ /g, '_')}`;
}

/**
 * Node's `code` and `reason` for an alert the peer sent. close_notify is not an error and has
 * none; a description OpenSSL does not know gets OpenSSL's `unknown alert type`.
 * @example receivedAlertCode(40) // { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', reason: 'sslv3 alert handshake failure' }
 */
export function receivedAlertCode(description: number): { code: string; reason: string } | undefined {
  if (description === A.CloseNotify) return undefined;
  const reason = receivedAlertReason[description] ?? 'unknown alert type';
  return { code: nodeCode(reason), reason };
}
