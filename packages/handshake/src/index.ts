// @tls/handshake: handshake message codecs, transcript and key schedule of the @tls stack. Pure:
// no node:*, no Buffer; crypto, randomness and time come from an injected CryptoProvider.

export {
  CertificateStatusType,
  CipherSuite,
  CompressionMethod,
  EcPointFormat,
  ExtensionType,
  HandshakeType,
  KeyUpdateRequest,
  MaxFragmentLength,
  NamedGroup,
  ProtocolVersion,
  PskKeyExchangeMode,
  ServerNameType,
  SignatureScheme,
  cipherSuiteName,
  extensionTypeName,
  handshakeTypeName,
  greaseValue,
  isGrease,
  isGreasePskMode,
  namedGroupName,
  protocolVersionName,
  signatureSchemeName,
} from './enums.js';
export type {
  AeadSuite,
  AuthenticationAlgorithm,
  CbcSuite,
  CipherSuiteInfo,
  KeyExchangeAlgorithm,
} from './suites.js';
export {
  cipherSuites,
  getCipherSuite,
  getCipherSuiteByOpensslName,
  isSuiteUsableAt,
  serverSuiteSearch,
} from './suites.js';
export {
  PeerAlertError,
  badExtension,
  decodeError,
  handshakeError,
  illegalParameter,
  missingExtension,
  peerAlertError,
  unexpectedMessage,
  unsolicitedExtension,
} from './errors.js';
export type { HandshakeErrorReason } from './alert-mapping.js';
export { reasonAlert, reasonCode, receivedAlertCode, receivedAlertReason } from './alert-mapping.js';

export { encodeHandshake, handshakeHeaderLength, openHandshake } from './messages/handshake.js';
export type { ClientHello, DecodedClientHello } from './messages/client-hello.js';
export {
  decodeClientHello,
  encodeClientHello,
  offersTls13,
  readClientHello,
  requireTls13ClientHello,
  writeClientHello,
} from './messages/client-hello.js';
export type { DecodedServerHello, HelloRetryRequest, ServerHello } from './messages/server-hello.js';
export {
  decodeServerHello,
  downgradeSentinel,
  downgradeSentinelTls11,
  downgradeSentinelTls12,
  encodeServerHello,
  helloRetryRequestRandom,
  isHelloRetryRequestRandom,
  readServerHello,
  writeServerHello,
} from './messages/server-hello.js';
export type { DecodedEncryptedExtensions, EncryptedExtensions } from './messages/encrypted-extensions.js';
export {
  decodeEncryptedExtensions,
  encodeEncryptedExtensions,
  readEncryptedExtensions,
  writeEncryptedExtensions,
} from './messages/encrypted-extensions.js';
export type { Certificate, CertificateEntry, DecodedCertificate } from './messages/certificate.js';
export {
  decodeCertificate,
  encodeCertificate,
  readCertificate,
  writeCertificate,
} from './messages/certificate.js';
export type { CertificateRequest, DecodedCertificateRequest } from './messages/certificate-request.js';
export {
  decodeCertificateRequest,
  encodeCertificateRequest,
  readCertificateRequest,
  writeCertificateRequest,
} from './messages/certificate-request.js';
export type { CertificateVerify, DecodedCertificateVerify } from './messages/certificate-verify.js';
export {
  certificateVerifyContent,
  decodeCertificateVerify,
  encodeCertificateVerify,
  readCertificateVerify,
  writeCertificateVerify,
} from './messages/certificate-verify.js';
export type { DecodedFinished, Finished } from './messages/finished.js';
export { decodeFinished, encodeFinished, readFinished, writeFinished } from './messages/finished.js';
export type { DecodedNewSessionTicket, NewSessionTicket } from './messages/new-session-ticket.js';
export {
  decodeNewSessionTicket,
  encodeNewSessionTicket,
  readNewSessionTicket,
  writeNewSessionTicket,
} from './messages/new-session-ticket.js';
export type { DecodedKeyUpdate, KeyUpdate } from './messages/key-update.js';
export { decodeKeyUpdate, encodeKeyUpdate, readKeyUpdate, writeKeyUpdate } from './messages/key-update.js';
export { decodeEndOfEarlyData, encodeEndOfEarlyData } from './messages/end-of-early-data.js';
export { encodeMessageHash } from './messages/message-hash.js';
export type { DecodedTls12Certificate, Tls12Certificate } from './messages/tls12/certificate.js';
export {
  decodeTls12Certificate,
  encodeTls12Certificate,
  readTls12Certificate,
  writeTls12Certificate,
} from './messages/tls12/certificate.js';
export type {
  DecodedTls12CertificateRequest,
  Tls12CertificateRequest,
} from './messages/tls12/certificate-request.js';
export {
  ClientCertificateType,
  decodeTls12CertificateRequest,
  encodeTls12CertificateRequest,
  readTls12CertificateRequest,
  writeTls12CertificateRequest,
} from './messages/tls12/certificate-request.js';
export type { DigitallySigned } from './messages/tls12/digitally-signed.js';
export type {
  DecodedServerKeyExchange,
  DheServerKeyExchange,
  EcdheServerKeyExchange,
  ServerKeyExchange,
} from './messages/tls12/server-key-exchange.js';
export {
  decodeServerKeyExchange,
  encodeServerKeyExchange,
  readServerKeyExchange,
  serverKeyExchangeSignedContent,
  writeServerKeyExchange,
} from './messages/tls12/server-key-exchange.js';
export type { ClientKeyExchange, DecodedClientKeyExchange } from './messages/tls12/client-key-exchange.js';
export {
  decodeClientKeyExchange,
  encodeClientKeyExchange,
  readClientKeyExchange,
  writeClientKeyExchange,
} from './messages/tls12/client-key-exchange.js';
export type {
  NextProtocol,
  Tls12CertificateStatus,
  Tls12NewSessionTicket,
} from './messages/tls12/simple-messages.js';
export {
  decodeHelloRequest,
  decodeNextProtocol,
  decodeServerHelloDone,
  decodeTls12CertificateStatus,
  decodeTls12NewSessionTicket,
  encodeHelloRequest,
  encodeNextProtocol,
  encodeServerHelloDone,
  encodeTls12CertificateStatus,
  encodeTls12NewSessionTicket,
  readNextProtocol,
  readTls12CertificateStatus,
  readTls12NewSessionTicket,
  writeNextProtocol,
  writeTls12CertificateStatus,
  writeTls12NewSessionTicket,
} from './messages/tls12/simple-messages.js';
export type { DecodeTls13Options, Tls13HandshakeMessage, Tls13MessageOf } from './messages/tls13-message.js';
export { decodeTls13Message, requireHandshake } from './messages/tls13-message.js';

export type {
  CertificateEntryExtension,
  CertificateRequestExtension,
  ClientHelloExtension,
  EncryptedExtensionsExtension,
  Extension,
  ExtensionContext,
  ExtensionKind,
  ExtensionOfKind,
  HelloRetryRequestExtension,
  NewSessionTicketExtension,
  RawExtension,
  ServerHelloExtension,
  UnknownExtension,
} from './messages/extensions/extension-list.js';
export {
  decodeExtensions,
  extensionKindType,
  extensionType,
  getExtension,
  hasExtensionType,
  isExtensionAllowed,
  readExtensions,
  readRawExtensions,
  requireSolicitedExtensions,
  writeExtensions,
} from './messages/extensions/extension-list.js';
export type { ApplicationLayerProtocolNegotiation } from './messages/extensions/alpn.js';
export type { CertificateAuthorities } from './messages/extensions/certificate-authorities.js';
export type { Cookie } from './messages/extensions/cookie.js';
export type { EarlyDataNewSessionTicket } from './messages/extensions/early-data.js';
export type { EcPointFormats } from './messages/extensions/ec-point-formats.js';
export type { EmptyExtension, EmptyExtensionKind } from './messages/extensions/empty.js';
export type {
  KeyShareClientHello,
  KeyShareEntry,
  KeyShareExtension,
  KeyShareHelloRetryRequest,
  KeyShareServerHello,
} from './messages/extensions/key-share.js';
export type { MaxFragmentLength as MaxFragmentLengthExtension } from './messages/extensions/max-fragment-length.js';
export type { Padding } from './messages/extensions/padding.js';
export type {
  OfferedPsks,
  PreSharedKeyExtension,
  PreSharedKeyServerHello,
  PskIdentity,
} from './messages/extensions/pre-shared-key.js';
export {
  obfuscateTicketAge,
  pskBindersLength,
  replacePskBinders,
  ticketAgeFromObfuscated,
} from './messages/extensions/pre-shared-key.js';
export type { PskKeyExchangeModes } from './messages/extensions/psk-key-exchange-modes.js';
export type { RecordSizeLimit } from './messages/extensions/record-size-limit.js';
export type { RenegotiationInfo } from './messages/extensions/renegotiation-info.js';
export type { ServerName, ServerNameList } from './messages/extensions/server-name.js';
export { getHostName, serverNameList } from './messages/extensions/server-name.js';
export type { SessionTicket } from './messages/extensions/session-ticket.js';
export type { SignatureAlgorithms } from './messages/extensions/signature-algorithms.js';
export type { SignedCertificateTimestampList } from './messages/extensions/signed-certificate-timestamp.js';
export type {
  CertificateStatus,
  CertificateStatusRequest,
  OcspStatusRequest,
  OtherStatusRequest,
} from './messages/extensions/status-request.js';
export type { SupportedGroups } from './messages/extensions/supported-groups.js';
export type {
  SupportedVersionsClientHello,
  SupportedVersionsExtension,
  SupportedVersionsServerHello,
} from './messages/extensions/supported-versions.js';

export type { HandshakeFrame, ReassemblerOptions } from './reassembler.js';
export { HandshakeReassembler } from './reassembler.js';
export type { TranscriptOptions } from './transcript.js';
export { Transcript } from './transcript.js';
export type {
  ApplicationSecrets,
  HandshakeSecrets,
  KeyLogLabel,
  Tls13SecretLabel,
  TrafficKeys,
} from './key-schedule/tls13.js';
export { Tls13KeySchedule, keyLogLine } from './key-schedule/tls13.js';
export type { Tls12KeyBlock, Tls12KeyBlockLayout } from './key-schedule/tls12.js';
export { Tls12KeySchedule, tls12KeyBlockLayout, tls12PrfAlgorithm } from './key-schedule/tls12.js';

export type {
  CertifiedKey,
  ConnectionConfig,
  DhParameters,
  EarlyDataContext,
  ResumptionState,
  PeerVerificationContext,
  PeerVerifier,
  SessionStore,
} from './connection/config.js';
export {
  defaultCipherSuites,
  defaultGroups,
  defaultSignatureSchemes,
  defaultTls12CipherSuites,
  defaultTls12SignatureSchemes,
  isTls13SignatureScheme,
} from './connection/config.js';
export { Connection } from './connection/connection.js';
export type { RenegotiationContext } from './connection/connection.js';
export type { ConnectionEvent, HandshakeInfo, ReceivedAlert } from './connection/events.js';
export { createClientConnection, createServerConnection } from './connection/create.js';
export { certificateSpki } from './connection/spki.js';
export type { ClientHelloPeek } from './peek.js';
export { peekClientHello, peekServerName } from './peek.js';
export type { ClientSession } from './resumption/session.js';
export { decodeClientSession } from './resumption/session.js';
export { EarlyDataReplayFilter } from './resumption/replay-filter.js';
