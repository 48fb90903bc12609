// Extension blocks (RFC 8446 §4.2): `Extension extensions<0..2^16-1>` with each extension's
// codec chosen by the message it appears in. Enforced here, for every message:
// - no two extensions of one type ("There MUST NOT be more than one extension of the same type in
//   a given extension block", §4.2; illegal_parameter);
// - an extension this stack recognizes only in the messages the §4.2 table (and RFC 8449, RFC 7627,
//   RFC 5746 … for TLS 1.2 ServerHello) names for it ("If an implementation receives an extension
//   which it recognizes and which is not specified for the message in which it appears, it MUST
//   abort the handshake with an illegal_parameter alert", §4.2);
// - every extension body consumed exactly (decode_error otherwise).
// Extensions of unknown type (GREASE included) round-trip as bytes.

import type { Reader, Writer } from '@tls/record';
import { ExtensionType, extensionTypeName } from '../../enums.js';
import { badExtension, unsolicitedExtension } from '../../errors.js';
import {
  type ApplicationLayerProtocolNegotiation,
  readApplicationLayerProtocolNegotiation,
  writeApplicationLayerProtocolNegotiation,
} from './alpn.js';
import {
  type CertificateAuthorities,
  readCertificateAuthorities,
  writeCertificateAuthorities,
} from './certificate-authorities.js';
import { type Cookie, readCookie, writeCookie } from './cookie.js';
import {
  type EarlyDataNewSessionTicket,
  readEarlyDataNewSessionTicket,
  writeEarlyDataNewSessionTicket,
} from './early-data.js';
import { type EcPointFormats, readEcPointFormats, writeEcPointFormats } from './ec-point-formats.js';
import { type EmptyExtension, readEmptyExtension } from './empty.js';
import {
  type KeyShareClientHello,
  type KeyShareHelloRetryRequest,
  type KeyShareServerHello,
  readKeyShareClientHello,
  readKeyShareHelloRetryRequest,
  readKeyShareServerHello,
  writeKeyShare,
} from './key-share.js';
import {
  type MaxFragmentLength,
  readMaxFragmentLength,
  writeMaxFragmentLength,
} from './max-fragment-length.js';
import { type Padding, readPadding, writePadding } from './padding.js';
import {
  type OfferedPsks,
  type PreSharedKeyServerHello,
  readOfferedPsks,
  readPreSharedKeyServerHello,
  writePreSharedKey,
} from './pre-shared-key.js';
import {
  type PskKeyExchangeModes,
  readPskKeyExchangeModes,
  writePskKeyExchangeModes,
} from './psk-key-exchange-modes.js';
import { type RecordSizeLimit, readRecordSizeLimit, writeRecordSizeLimit } from './record-size-limit.js';
import {
  type RenegotiationInfo,
  readRenegotiationInfo,
  writeRenegotiationInfo,
} from './renegotiation-info.js';
import { type ServerNameList, readServerNameList, writeServerNameList } from './server-name.js';
import { type SessionTicket, readSessionTicket, writeSessionTicket } from './session-ticket.js';
import {
  type SignatureAlgorithms,
  readSignatureAlgorithms,
  writeSignatureAlgorithms,
} from './signature-algorithms.js';
import {
  type SignedCertificateTimestampList,
  readSignedCertificateTimestampList,
  writeSignedCertificateTimestampList,
} from './signed-certificate-timestamp.js';
import {
  type CertificateStatus,
  type CertificateStatusRequest,
  readCertificateStatus,
  readCertificateStatusRequest,
  writeCertificateStatus,
  writeCertificateStatusRequest,
} from './status-request.js';
import { type SupportedGroups, readSupportedGroups, writeSupportedGroups } from './supported-groups.js';
import {
  type SupportedVersionsClientHello,
  type SupportedVersionsServerHello,
  readSupportedVersionsClientHello,
  readSupportedVersionsServerHello,
  writeSupportedVersions,
} from './supported-versions.js';

/** An extension of a type this stack does not decode (GREASE, future ones), kept as bytes. */
export interface UnknownExtension {
  readonly kind: 'unknown';
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * The message an extension block belongs to. `server-hello` is a TLS 1.3 ServerHello (it holds
 * supported_versions); `server-hello-tls12` one of TLS 1.2 or earlier; `certificate` a TLS 1.3
 * CertificateEntry. The names match the columns of the RFC 8446 §4.2 table.
 */
export type ExtensionContext =
  | 'client-hello'
  | 'server-hello'
  | 'server-hello-tls12'
  | 'hello-retry-request'
  | 'encrypted-extensions'
  | 'certificate'
  | 'certificate-request'
  | 'new-session-ticket';

export type ClientHelloExtension =
  | ServerNameList
  | MaxFragmentLength
  | CertificateStatusRequest
  | SupportedGroups
  | EcPointFormats
  | SignatureAlgorithms
  | ApplicationLayerProtocolNegotiation
  | EmptyExtension<
      | 'signed_certificate_timestamp'
      | 'early_data'
      | 'post_handshake_auth'
      | 'extended_master_secret'
      | 'encrypt_then_mac'
    >
  | Padding
  | RecordSizeLimit
  | SessionTicket
  | OfferedPsks
  | SupportedVersionsClientHello
  | Cookie
  | PskKeyExchangeModes
  | CertificateAuthorities
  | KeyShareClientHello
  | RenegotiationInfo
  | UnknownExtension;

/** Extensions of a TLS 1.3 ServerHello, or (second group) of a TLS 1.2 one. */
export type ServerHelloExtension =
  | KeyShareServerHello
  | PreSharedKeyServerHello
  | SupportedVersionsServerHello
  | EmptyExtension<'server_name' | 'status_request' | 'extended_master_secret' | 'encrypt_then_mac'>
  | MaxFragmentLength
  | EcPointFormats
  | ApplicationLayerProtocolNegotiation
  | SignedCertificateTimestampList
  | RecordSizeLimit
  | SessionTicket
  | RenegotiationInfo
  | UnknownExtension;

export type HelloRetryRequestExtension =
  | KeyShareHelloRetryRequest
  | SupportedVersionsServerHello
  | Cookie
  | UnknownExtension;

export type EncryptedExtensionsExtension =
  | EmptyExtension<'server_name' | 'early_data'>
  | MaxFragmentLength
  | SupportedGroups
  | ApplicationLayerProtocolNegotiation
  | RecordSizeLimit
  | UnknownExtension;

export type CertificateEntryExtension = CertificateStatus | SignedCertificateTimestampList | UnknownExtension;

export type CertificateRequestExtension =
  | EmptyExtension<'status_request'>
  | SignatureAlgorithms
  | EmptyExtension<'signed_certificate_timestamp'>
  | CertificateAuthorities
  | UnknownExtension;

export type NewSessionTicketExtension = EarlyDataNewSessionTicket | UnknownExtension;

export type Extension =
  | ClientHelloExtension
  | ServerHelloExtension
  | HelloRetryRequestExtension
  | EncryptedExtensionsExtension
  | CertificateEntryExtension
  | CertificateRequestExtension
  | NewSessionTicketExtension;

export type ExtensionKind = Exclude<Extension['kind'], 'unknown'>;

const CH = 'client-hello';
const SH = 'server-hello';
const SH12 = 'server-hello-tls12';
const HRR = 'hello-retry-request';
const EE = 'encrypted-extensions';
const CT = 'certificate';
const CR = 'certificate-request';
const NST = 'new-session-ticket';

/**
 * Where each recognized extension may appear: the "TLS 1.3" column of RFC 8446 §4.2 (plus RFC 8449
 * record_size_limit, RFC 8879 compress_certificate, the ECH draft), and for TLS 1.2 ServerHellos
 * the RFCs that define each one (RFC 6066, 5746, 7627, 7366, 5077, 8422, 7301, 6962, 7250).
 */
const allowedIn: ReadonlyMap<number, ReadonlySet<ExtensionContext>> = /* @__PURE__ */ new Map(
  (
    [
      [ExtensionType.ServerName, [CH, EE, SH12]],
      [ExtensionType.MaxFragmentLength, [CH, EE, SH12]],
      [ExtensionType.StatusRequest, [CH, CR, CT, SH12]],
      [ExtensionType.SupportedGroups, [CH, EE]],
      [ExtensionType.EcPointFormats, [CH, SH12]],
      [ExtensionType.SignatureAlgorithms, [CH, CR]],
      [ExtensionType.UseSrtp, [CH, EE, SH12]],
      [ExtensionType.Heartbeat, [CH, EE, SH12]],
      [ExtensionType.ApplicationLayerProtocolNegotiation, [CH, EE, SH12]],
      [ExtensionType.SignedCertificateTimestamp, [CH, CR, CT, SH12]],
      [ExtensionType.ClientCertificateType, [CH, EE, SH12]],
      [ExtensionType.ServerCertificateType, [CH, EE, SH12]],
      [ExtensionType.Padding, [CH]],
      [ExtensionType.EncryptThenMac, [CH, SH12]],
      [ExtensionType.ExtendedMasterSecret, [CH, SH12]],
      [ExtensionType.CompressCertificate, [CH, CR]],
      [ExtensionType.RecordSizeLimit, [CH, EE, SH12]],
      [ExtensionType.SessionTicket, [CH, SH12]],
      [ExtensionType.PreSharedKey, [CH, SH]],
      [ExtensionType.EarlyData, [CH, EE, NST]],
      [ExtensionType.SupportedVersions, [CH, SH, HRR]],
      [ExtensionType.Cookie, [CH, HRR]],
      [ExtensionType.PskKeyExchangeModes, [CH]],
      [ExtensionType.CertificateAuthorities, [CH, CR]],
      [ExtensionType.OidFilters, [CR]],
      [ExtensionType.PostHandshakeAuth, [CH]],
      [ExtensionType.SignatureAlgorithmsCert, [CH, CR]],
      [ExtensionType.KeyShare, [CH, SH, HRR]],
      [ExtensionType.NextProtocolNegotiation, [CH, SH12]],
      [ExtensionType.EncryptedClientHello, [CH, EE, HRR]],
      [ExtensionType.RenegotiationInfo, [CH, SH12]],
    ] as const
  ).map(([type, contexts]) => [type, new Set<ExtensionContext>(contexts)]),
);

const contextNames: Record<ExtensionContext, string> = {
  'client-hello': 'ClientHello',
  'server-hello': 'a TLS 1.3 ServerHello',
  'server-hello-tls12': 'a TLS 1.2 ServerHello',
  'hello-retry-request': 'HelloRetryRequest',
  'encrypted-extensions': 'EncryptedExtensions',
  certificate: 'a CertificateEntry',
  'certificate-request': 'CertificateRequest',
  'new-session-ticket': 'NewSessionTicket',
};

/** Wire type of each decoded kind. */
export const extensionKindType: Readonly<Record<ExtensionKind, number>> = {
  server_name: ExtensionType.ServerName,
  max_fragment_length: ExtensionType.MaxFragmentLength,
  status_request: ExtensionType.StatusRequest,
  supported_groups: ExtensionType.SupportedGroups,
  ec_point_formats: ExtensionType.EcPointFormats,
  signature_algorithms: ExtensionType.SignatureAlgorithms,
  application_layer_protocol_negotiation: ExtensionType.ApplicationLayerProtocolNegotiation,
  signed_certificate_timestamp: ExtensionType.SignedCertificateTimestamp,
  padding: ExtensionType.Padding,
  encrypt_then_mac: ExtensionType.EncryptThenMac,
  extended_master_secret: ExtensionType.ExtendedMasterSecret,
  record_size_limit: ExtensionType.RecordSizeLimit,
  session_ticket: ExtensionType.SessionTicket,
  pre_shared_key: ExtensionType.PreSharedKey,
  early_data: ExtensionType.EarlyData,
  supported_versions: ExtensionType.SupportedVersions,
  cookie: ExtensionType.Cookie,
  psk_key_exchange_modes: ExtensionType.PskKeyExchangeModes,
  certificate_authorities: ExtensionType.CertificateAuthorities,
  post_handshake_auth: ExtensionType.PostHandshakeAuth,
  signature_algorithms_cert: ExtensionType.SignatureAlgorithmsCert,
  key_share: ExtensionType.KeyShare,
  renegotiation_info: ExtensionType.RenegotiationInfo,
};

/** The wire ExtensionType of a decoded extension. */
export function extensionType(extension: Extension): number {
  return extension.kind === 'unknown' ? extension.type : extensionKindType[extension.kind];
}

/** Whether this stack recognizes `type` and the RFC allows it in `context` (unknown types always pass). */
export function isExtensionAllowed(type: number, context: ExtensionContext): boolean {
  return allowedIn.get(type)?.has(context) ?? true;
}

/** One extension as framed on the wire, before its body is decoded. */
export interface RawExtension {
  readonly type: number;
  /** A reader over extension_data. */
  readonly body: Reader;
}

/**
 * Reads `Extension extensions<min..2^16-1>` into raw entries, rejecting duplicates.
 * @throws TlsError `ERR_SSL_DECODE_ERROR` when malformed; `ERR_SSL_BAD_EXTENSION` (illegal_parameter) on a duplicate.
 */
export function readRawExtensions(reader: Reader, min = 0): RawExtension[] {
  const block = reader.child(2, 'extensions', min);
  const entries: RawExtension[] = [];
  const seen = new Set<number>();
  while (block.remaining > 0) {
    const type = block.u16('extension_type');
    const body = block.child(2, `${extensionTypeName(type)} extension_data`);
    if (seen.has(type)) {
      throw badExtension(
        `peer sent the ${extensionTypeName(type)} extension twice in one message (RFC 8446 §4.2)`,
      );
    }
    seen.add(type);
    entries.push({ type, body });
  }
  return entries;
}

function decodeBody(type: number, body: Reader, context: ExtensionContext): Extension {
  const hello = context === CH;
  switch (type) {
    case ExtensionType.ServerName:
      return hello ? readServerNameList(body) : readEmptyExtension(body, 'server_name');
    case ExtensionType.MaxFragmentLength:
      return readMaxFragmentLength(body);
    case ExtensionType.StatusRequest:
      if (context === CT) return readCertificateStatus(body);
      // RFC 8446 §4.4.2.1: a CertificateRequest asks for the client's OCSP response with an empty
      // status_request; the TLS 1.2 ServerHello acknowledges with an empty one (RFC 6066 §8).
      return hello ? readCertificateStatusRequest(body) : readEmptyExtension(body, 'status_request');
    case ExtensionType.SupportedGroups:
      return readSupportedGroups(body);
    case ExtensionType.EcPointFormats:
      return readEcPointFormats(body);
    case ExtensionType.SignatureAlgorithms:
      return readSignatureAlgorithms(body, 'signature_algorithms');
    case ExtensionType.SignatureAlgorithmsCert:
      return readSignatureAlgorithms(body, 'signature_algorithms_cert');
    case ExtensionType.ApplicationLayerProtocolNegotiation:
      return readApplicationLayerProtocolNegotiation(body, !hello);
    case ExtensionType.SignedCertificateTimestamp:
      return context === CT || context === SH12
        ? readSignedCertificateTimestampList(body)
        : readEmptyExtension(body, 'signed_certificate_timestamp');
    case ExtensionType.Padding:
      return readPadding(body);
    case ExtensionType.EncryptThenMac:
      return readEmptyExtension(body, 'encrypt_then_mac');
    case ExtensionType.ExtendedMasterSecret:
      return readEmptyExtension(body, 'extended_master_secret');
    case ExtensionType.RecordSizeLimit:
      return readRecordSizeLimit(body);
    case ExtensionType.SessionTicket:
      return readSessionTicket(body);
    case ExtensionType.PreSharedKey:
      return hello ? readOfferedPsks(body) : readPreSharedKeyServerHello(body);
    case ExtensionType.EarlyData:
      return context === NST ? readEarlyDataNewSessionTicket(body) : readEmptyExtension(body, 'early_data');
    case ExtensionType.SupportedVersions:
      return hello ? readSupportedVersionsClientHello(body) : readSupportedVersionsServerHello(body);
    case ExtensionType.Cookie:
      return readCookie(body);
    case ExtensionType.PskKeyExchangeModes:
      return readPskKeyExchangeModes(body);
    case ExtensionType.CertificateAuthorities:
      return readCertificateAuthorities(body);
    case ExtensionType.PostHandshakeAuth:
      return readEmptyExtension(body, 'post_handshake_auth');
    case ExtensionType.KeyShare:
      if (hello) return readKeyShareClientHello(body);
      return context === HRR ? readKeyShareHelloRetryRequest(body) : readKeyShareServerHello(body);
    case ExtensionType.RenegotiationInfo:
      return readRenegotiationInfo(body);
    default:
      return { kind: 'unknown', type, data: body.rest() };
  }
}

/**
 * Decodes raw extensions for `context`.
 * @throws TlsError `ERR_SSL_BAD_EXTENSION` (illegal_parameter) for a recognized extension the
 *   RFC does not allow in this message; `ERR_SSL_DECODE_ERROR` when a body is malformed or has
 *   trailing bytes; codec-specific `ERR_SSL_ILLEGAL_PARAMETER` for forbidden values.
 */
export function decodeExtensions(raw: readonly RawExtension[], context: ExtensionContext): Extension[] {
  return raw.map(({ type, body }) => {
    if (!isExtensionAllowed(type, context)) {
      throw badExtension(
        `peer sent the ${extensionTypeName(type)} extension in ${contextNames[context]}, which RFC 8446 §4.2 does not allow`,
      );
    }
    const extension = decodeBody(type, body, context);
    body.expectEnd(`${extensionTypeName(type)} extension`);
    return extension;
  });
}

/** `readRawExtensions` then `decodeExtensions`. */
export function readExtensions(reader: Reader, context: ExtensionContext, min = 0): Extension[] {
  return decodeExtensions(readRawExtensions(reader, min), context);
}

function writeBody(writer: Writer, extension: Extension): void {
  switch (extension.kind) {
    case 'unknown':
      writer.bytes(extension.data);
      return;
    case 'server_name':
      if ('serverNameList' in extension) writeServerNameList(writer, extension);
      return;
    case 'max_fragment_length':
      writeMaxFragmentLength(writer, extension);
      return;
    case 'status_request':
      if ('response' in extension) writeCertificateStatus(writer, extension);
      else if ('statusType' in extension) writeCertificateStatusRequest(writer, extension);
      return;
    case 'supported_groups':
      writeSupportedGroups(writer, extension);
      return;
    case 'ec_point_formats':
      writeEcPointFormats(writer, extension);
      return;
    case 'signature_algorithms':
    case 'signature_algorithms_cert':
      writeSignatureAlgorithms(writer, extension);
      return;
    case 'application_layer_protocol_negotiation':
      writeApplicationLayerProtocolNegotiation(writer, extension);
      return;
    case 'signed_certificate_timestamp':
      if ('sctList' in extension) writeSignedCertificateTimestampList(writer, extension);
      return;
    case 'padding':
      writePadding(writer, extension);
      return;
    case 'record_size_limit':
      writeRecordSizeLimit(writer, extension);
      return;
    case 'session_ticket':
      writeSessionTicket(writer, extension);
      return;
    case 'pre_shared_key':
      writePreSharedKey(writer, extension);
      return;
    case 'early_data':
      if ('maxEarlyDataSize' in extension) writeEarlyDataNewSessionTicket(writer, extension);
      return;
    case 'supported_versions':
      writeSupportedVersions(writer, extension);
      return;
    case 'cookie':
      writeCookie(writer, extension);
      return;
    case 'psk_key_exchange_modes':
      writePskKeyExchangeModes(writer, extension);
      return;
    case 'certificate_authorities':
      writeCertificateAuthorities(writer, extension);
      return;
    case 'key_share':
      writeKeyShare(writer, extension);
      return;
    case 'renegotiation_info':
      writeRenegotiationInfo(writer, extension);
      return;
    case 'post_handshake_auth':
    case 'extended_master_secret':
    case 'encrypt_then_mac':
      return;
  }
}

/** Writes `Extension extensions<0..2^16-1>` in the order given. */
export function writeExtensions(writer: Writer, extensions: readonly Extension[]): void {
  writer.lengthPrefixed(2, (w) => {
    for (const extension of extensions) {
      w.u16(extensionType(extension));
      w.lengthPrefixed(2, (body) => writeBody(body, extension));
    }
  });
}

/**
 * The extension of `kind` in a decoded list, typed for the message it came from.
 * @example getExtension(clientHello.extensions, 'key_share')?.clientShares
 */
export function getExtension<E extends Extension, K extends Exclude<E['kind'], 'unknown'>>(
  extensions: readonly E[],
  kind: K,
): ExtensionOfKind<E, K> | undefined {
  return extensions.find((e) => e.kind === kind) as ExtensionOfKind<E, K> | undefined;
}

/** The members of the extension union `E` that can have kind `K`. */
export type ExtensionOfKind<E extends Extension, K extends string> = E extends { kind: infer X }
  ? K extends X
    ? E
    : never
  : never;

/** Whether the list holds an extension of wire type `type` (decoded or unknown). */
export function hasExtensionType(extensions: readonly Extension[], type: number): boolean {
  return extensions.some((e) => extensionType(e) === type);
}

/**
 * Checks that every extension of a response (ServerHello, HelloRetryRequest, EncryptedExtensions,
 * a server CertificateEntry, …) answers one the request carried: "Implementations MUST NOT send
 * extension responses if the remote endpoint did not send the corresponding extension requests,
 * with the exception of the cookie extension in the HelloRetryRequest" (RFC 8446 §4.2).
 * @throws TlsError `ERR_SSL_UNSOLICITED_EXTENSION` (unsupported_extension) otherwise.
 * @example requireSolicitedExtensions(encryptedExtensions.extensions, clientHello.extensions, 'encrypted-extensions')
 */
export function requireSolicitedExtensions(
  response: readonly Extension[],
  request: readonly Extension[],
  context: ExtensionContext,
): void {
  const offered = new Set(request.map(extensionType));
  for (const extension of response) {
    const type = extensionType(extension);
    if (offered.has(type)) continue;
    if (context === HRR && type === ExtensionType.Cookie) continue;
    throw unsolicitedExtension(
      `peer sent the ${extensionTypeName(type)} extension in ${contextNames[context]} without being offered it (RFC 8446 §4.2)`,
    );
  }
}
