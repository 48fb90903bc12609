// The TLS 1.3 client (RFC 8446 §2, §4): one class per state, named after the message it waits
// for, each taking one message and returning the next state. Read top to bottom it is the
// handshake: ClientHello → ServerHello (or HelloRetryRequest and a second ClientHello) →
// EncryptedExtensions → [CertificateRequest] → Certificate → CertificateVerify → Finished →
// our [Certificate, CertificateVerify] and Finished.
//
// 0-RTT (RFC 8446 §4.2.10): resuming a session whose ticket allows early data, with `earlyData`
// configured, the ClientHello carries early_data and early data follows it under the
// client_early_traffic_secret (§7.1); the key stays for our records until EncryptedExtensions says
// whether the server accepted, and if it did, EndOfEarlyData (§4.5) closes it after the server's
// Finished. Rejection (a HelloRetryRequest, a full handshake, no early_data in
// EncryptedExtensions) is reported with the data, never resent by the engine.

import type { KeyShare } from '@tls/crypto';
import { AlertDescription, TlsError, createTls13Protection, plaintextProtection } from '@tls/record';
import {
  defaultCipherSuites,
  defaultGroups,
  defaultSignatureSchemes,
  defaultTls12CipherSuites,
  defaultTls12SignatureSchemes,
  isTls13SignatureScheme,
  sharedSignatureSchemes,
  versionRange,
} from '../connection/config.js';
import type { HandshakeDriver, HandshakeState, RenegotiationContext } from '../connection/connection.js';
import { importPeerKey } from '../connection/spki.js';
import {
  CertificateStatusType,
  CipherSuite,
  HandshakeType,
  ExtensionType,
  ProtocolVersion,
  PskKeyExchangeMode,
  greaseValue,
} from '../enums.js';
import { handshakeError, illegalParameter, unexpectedMessage, unsolicitedExtension } from '../errors.js';
import { Tls13KeySchedule } from '../key-schedule/tls13.js';
import { encodeCertificate, decodeCertificate } from '../messages/certificate.js';
import { decodeCertificateRequest } from '../messages/certificate-request.js';
import {
  certificateVerifyContent,
  decodeCertificateVerify,
  encodeCertificateVerify,
} from '../messages/certificate-verify.js';
import { type ClientHello, encodeClientHello } from '../messages/client-hello.js';
import { decodeEncryptedExtensions } from '../messages/encrypted-extensions.js';
import { encodeEndOfEarlyData } from '../messages/end-of-early-data.js';
import {
  type ClientHelloExtension,
  type HelloRetryRequestExtension,
  type ServerHelloExtension,
  extensionType,
  getExtension,
} from '../messages/extensions/extension-list.js';
import { pskBindersLength, replacePskBinders } from '../messages/extensions/pre-shared-key.js';
import { serverNameList } from '../messages/extensions/server-name.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import { type DecodedServerHello, decodeServerHello } from '../messages/server-hello.js';
import type { HandshakeFrame } from '../reassembler.js';
import { type ClientSession, decodeClientSession } from '../resumption/session.js';
import { type AeadSuite, getCipherSuite } from '../suites.js';
import { Transcript } from '../transcript.js';
import { chooseClientCertificate, copyBytes, equalBytes, latin1, requireMessage } from './common.js';
import { fragmentLengthCode, handleTls12ServerHello, tls12ClientHelloExtensions } from './tls12.js';

const encoder = new TextEncoder();

interface Offer {
  readonly driver: HandshakeDriver;
  readonly clientRandom: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly suites: readonly number[];
  readonly groups: readonly number[];
  readonly schemes: readonly number[];
  readonly alpn: readonly string[];
  /** The shares we sent, by group. */
  readonly shares: Map<number, KeyShare>;
  readonly transcript: Transcript;
  readonly helloRetry: boolean;
  /** The ClientHello extensions as sent, to check the server's answers against. */
  readonly extensions: readonly ClientHelloExtension[];
  /** The session offered for resumption, if any (dropped when a HelloRetryRequest picks another hash). */
  readonly session: ClientSession | undefined;
  /** GREASE values for this connection, the same in both ClientHellos. */
  readonly grease: Grease | undefined;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** A TLS 1.2 session offered by session id or ticket (RFC 5246 §7.4.1.2, RFC 5077 §3.4). */
  readonly tls12Session: ClientSession | undefined;
  /** Set when this ClientHello renegotiates a TLS 1.2 connection (RFC 5746 §3.5). */
  readonly renegotiation?: RenegotiationContext;
  /** The suite a HelloRetryRequest chose: the ServerHello must keep it (RFC 8446 §4.1.4). */
  readonly retrySuite?: number;
  /** 0-RTT offered with `session` (RFC 8446 §4.2.10); dropped by a HelloRetryRequest. */
  readonly early?: EarlyDataOffer | undefined;
  /** A change_cipher_spec went right after the ClientHello (RFC 8446 §D.4, offering early data). */
  readonly sentChangeCipherSpec?: boolean;
}

/** What 0-RTT is bound to: the session's suite, and its ticket's max_early_data_size. */
interface EarlyDataOffer {
  readonly suite: AeadSuite;
  readonly maxSize: number;
}

interface Grease {
  readonly suite: number;
  readonly group: number;
  readonly version: number;
  readonly extension: number;
  readonly lastExtension: number;
}

/** Random GREASE values (RFC 8701 §3); the two extensions differ, as the RFC asks. */
function pickGrease(random: Uint8Array): Grease {
  const extension = greaseValue(random[3]!);
  let lastExtension = greaseValue(random[4]!);
  if (lastExtension === extension) lastExtension = greaseValue((random[4]! & 0x0f) + 1);
  return {
    suite: greaseValue(random[0]!),
    group: greaseValue(random[1]!),
    version: greaseValue(random[2]!),
    extension,
    lastExtension,
  };
}

/** Starts a client: sends the first ClientHello and waits for the ServerHello. */
export function startTls13Client(driver: HandshakeDriver): HandshakeState {
  const { config, provider } = driver;
  const range = versionRange(config);
  const top12 = Math.min(range.max, ProtocolVersion.Tls12);
  const offers12 = range.min <= ProtocolVersion.Tls12;
  const suites = (config.cipherSuites ?? [...defaultCipherSuites, ...defaultTls12CipherSuites]).filter(
    (id) => {
      const suite = getCipherSuite(id);
      if (suite === undefined) return false;
      if (suite.minVersion === ProtocolVersion.Tls13) return range.max >= ProtocolVersion.Tls13;
      return offers12 && suite.minVersion <= top12 && suite.maxVersion >= range.min;
    },
  );
  // Without a TLS 1.3 suite TLS 1.3 is not offered (as OpenSSL with empty ciphersuites).
  const offers13 = range.max >= ProtocolVersion.Tls13 && suites.some(isTls13Suite);
  const min = range.min;
  const max = offers13 ? range.max : top12;
  if (suites.length === 0 || max < min)
    throw new TlsError(
      'ERR_SSL_NO_CIPHERS_AVAILABLE',
      undefined,
      'no cipher suite is enabled for the version range',
    );
  const groups = (config.groups ?? defaultGroups).filter((group) => provider.supportedGroups.includes(group));
  if (groups.length === 0)
    throw new TlsError('ERR_SSL_NO_SUITABLE_GROUPS', undefined, 'no key exchange group is enabled');
  const shares = new Map<number, KeyShare>();
  if (offers13) {
    for (const group of groups.slice(0, Math.max(1, config.keyShareCount ?? 1)))
      shares.set(group, provider.generateKeyShare(group));
  }
  const tls12Session = offers12 ? usableTls12Session(driver, suites, min, top12) : undefined;
  let sessionId: Uint8Array;
  if (
    tls12Session !== undefined &&
    (tls12Session.sessionId?.length ?? 0) > 0 &&
    tls12Session.ticket.length === 0
  ) {
    sessionId = copyBytes(tls12Session.sessionId!);
  } else if (tls12Session !== undefined || (offers13 && config.middleboxCompatibility !== false)) {
    // RFC 8446 §D.4: a non-empty legacy_session_id puts the server in compatibility mode; RFC
    // 5077 §3.4: with a ticket the client makes up a session id the server echoes to resume.
    sessionId = provider.random(32);
  } else {
    sessionId = new Uint8Array(0);
  }
  const session = offers13 ? usableSession(driver, suites) : undefined;
  const early = session === undefined ? undefined : earlyDataOffer(driver, session, suites);
  if (config.earlyData !== undefined && early === undefined) driver.earlyDataRejected('not-offered');
  const offer: Offer = {
    driver,
    clientRandom: provider.random(32),
    sessionId,
    suites,
    groups,
    schemes: config.signatureSchemes ?? (offers12 ? defaultTls12SignatureSchemes : defaultSignatureSchemes),
    alpn: config.alpnProtocols ?? [],
    shares,
    transcript: new Transcript(provider),
    helloRetry: false,
    extensions: [],
    session,
    grease: config.grease === false ? undefined : pickGrease(provider.random(5)),
    minVersion: min,
    maxVersion: max,
    tls12Session,
    early,
  };
  return sendClientHello(offer, undefined);
}

/**
 * Renegotiates a TLS 1.2 connection (RFC 5746 §3.5): a ClientHello for the same version, under the
 * current keys, whose renegotiation_info carries our previous Finished verify_data.
 */
export function startTls12Renegotiation(
  driver: HandshakeDriver,
  context: RenegotiationContext,
): HandshakeState {
  const { config, provider } = driver;
  const suites = (config.cipherSuites ?? defaultTls12CipherSuites).filter((id) => {
    const suite = getCipherSuite(id);
    return suite !== undefined && suite.minVersion <= context.version && suite.maxVersion >= context.version;
  });
  const groups = (config.groups ?? defaultGroups).filter((group) => provider.supportedGroups.includes(group));
  return sendClientHello(
    {
      driver,
      clientRandom: provider.random(32),
      sessionId: new Uint8Array(0),
      suites,
      groups,
      schemes: config.signatureSchemes ?? defaultTls12SignatureSchemes,
      alpn: config.alpnProtocols ?? [],
      shares: new Map(),
      transcript: new Transcript(provider),
      helloRetry: false,
      extensions: [],
      session: undefined,
      grease: undefined,
      minVersion: context.version,
      maxVersion: context.version,
      tls12Session: undefined,
      renegotiation: context,
    },
    undefined,
  );
}

function isTls13Suite(id: number): boolean {
  return getCipherSuite(id)?.minVersion === ProtocolVersion.Tls13;
}

/** A configured TLS 1.2 session that can be offered now (RFC 5246 §7.4.1.2, RFC 5077 §3.4). */
function usableTls12Session(
  driver: HandshakeDriver,
  suites: readonly number[],
  min: number,
  max: number,
): ClientSession | undefined {
  const bytes = driver.config.session;
  if (bytes === undefined) return undefined;
  const session = decodeClientSession(bytes);
  if (session === undefined || session.version < min || session.version > max) return undefined;
  if (!suites.includes(session.cipherSuite)) return undefined;
  if (session.ticket.length === 0 && (session.sessionId?.length ?? 0) === 0) return undefined;
  if (driver.provider.now() - session.receivedAt >= session.lifetime * 1000) return undefined;
  if ((session.serverName ?? '') !== (driver.config.serverName ?? '')) return undefined;
  return session;
}

/** The configured session, if it can be offered now (RFC 8446 §4.6.1). */
function usableSession(driver: HandshakeDriver, suites: readonly number[]): ClientSession | undefined {
  const bytes = driver.config.session;
  if (bytes === undefined) return undefined;
  const session = decodeClientSession(bytes);
  if (session === undefined || session.version !== ProtocolVersion.Tls13) return undefined;
  const suite = getCipherSuite(session.cipherSuite);
  // The PSK is bound to its hash: some offered TLS 1.3 suite must share it (RFC 8446 §4.2.11).
  if (
    suite === undefined ||
    !suites.some((id) => isTls13Suite(id) && getCipherSuite(id)?.hash === suite.hash)
  )
    return undefined;
  if (driver.provider.now() - session.receivedAt >= session.lifetime * 1000) return undefined;
  // A ticket belongs to the server name it was issued for (RFC 8446 §4.6.1, RFC 6066 §3).
  if ((session.serverName ?? '') !== (driver.config.serverName ?? '')) return undefined;
  return session;
}

/**
 * Whether `session` allows 0-RTT now (RFC 8446 §4.2.10): early data was asked for, its ticket
 * allows some, its suite is offered again, and its ALPN protocol, if it had one, is offered again
 * (the early data speaks that protocol; as BoringSSL, a session without one does not constrain).
 */
function earlyDataOffer(
  driver: HandshakeDriver,
  session: ClientSession,
  suites: readonly number[],
): EarlyDataOffer | undefined {
  const { config } = driver;
  if (config.earlyData === undefined || (session.maxEarlyData ?? 0) === 0) return undefined;
  if (!suites.includes(session.cipherSuite)) return undefined;
  if (session.alpnProtocol !== undefined && !(config.alpnProtocols ?? []).includes(session.alpnProtocol))
    return undefined;
  return { suite: getCipherSuite(session.cipherSuite) as AeadSuite, maxSize: session.maxEarlyData ?? 0 };
}

function sendClientHello(previous: Offer, cookie: Uint8Array | undefined): HandshakeState {
  const { driver } = previous;
  const { config } = driver;
  const grease = previous.grease;
  const extensions: ClientHelloExtension[] = [];
  // RFC 8701 §3: GREASE values keep servers tolerant of what they do not know.
  if (grease !== undefined)
    extensions.push({ kind: 'unknown', type: grease.extension, data: new Uint8Array(0) });
  const serverName = config.serverName;
  if (serverName !== undefined && serverName !== '') extensions.push(serverNameList(serverName));
  if (config.requestOcsp === true) {
    extensions.push({
      kind: 'status_request',
      statusType: CertificateStatusType.Ocsp,
      responderIdList: [],
      requestExtensions: new Uint8Array(0),
    });
  }
  extensions.push({
    kind: 'supported_groups',
    namedGroupList: grease === undefined ? previous.groups : [grease.group, ...previous.groups],
  });
  extensions.push({ kind: 'signature_algorithms', supportedSignatureAlgorithms: previous.schemes });
  const certificateSchemes = config.certificateSignatureSchemes;
  if (certificateSchemes !== undefined && certificateSchemes.length > 0) {
    // RFC 8446 §4.2.3: the schemes accepted in certificates, when they differ from the above.
    extensions.push({ kind: 'signature_algorithms_cert', supportedSignatureAlgorithms: certificateSchemes });
  }
  if (previous.alpn.length > 0) {
    extensions.push({
      kind: 'application_layer_protocol_negotiation',
      protocolNameList: previous.alpn.map((name) => encoder.encode(name)),
    });
  }
  if (config.recordSizeLimit !== undefined)
    extensions.push({ kind: 'record_size_limit', recordSizeLimit: config.recordSizeLimit });
  // RFC 8446 §4.2.6: an empty extension, in TLS 1.3 offers only.
  if (config.postHandshakeAuth === true && previous.maxVersion >= ProtocolVersion.Tls13)
    extensions.push({ kind: 'post_handshake_auth' });
  const offers13 = previous.maxVersion >= ProtocolVersion.Tls13;
  const offers12 = previous.minVersion <= ProtocolVersion.Tls12;
  if (offers12)
    extensions.push(...tls12ClientHelloExtensions(driver, previous.suites, previous.tls12Session));
  if (previous.renegotiation !== undefined) {
    // RFC 5746 §3.5: a renegotiating ClientHello carries client_verify_data (and no SCSV).
    extensions.push({
      kind: 'renegotiation_info',
      renegotiatedConnection: previous.renegotiation.clientVerifyData,
    });
  }
  if (offers13) {
    // RFC 8446 §4.2.1: every version offered, highest first.
    const versions: number[] = grease === undefined ? [] : [grease.version];
    for (let version = previous.maxVersion; version >= previous.minVersion; version--) versions.push(version);
    extensions.push({ kind: 'supported_versions', versions });
  }
  if (cookie !== undefined) extensions.push({ kind: 'cookie', cookie });
  const shares = [...previous.shares.values()].map((share) => ({
    group: share.group,
    keyExchange: share.publicKey,
  }));
  // A one-byte share for the GREASE group (RFC 8701 §3.1), in the first ClientHello only: the
  // second carries exactly the one share the HelloRetryRequest asked for (RFC 8446 §4.1.2).
  if (grease !== undefined && !previous.helloRetry)
    shares.unshift({ group: grease.group, keyExchange: Uint8Array.of(0) });
  if (offers13) extensions.push({ kind: 'key_share', clientShares: shares });
  if (grease !== undefined)
    extensions.push({ kind: 'unknown', type: grease.lastExtension, data: Uint8Array.of(0) });
  const session = previous.session;
  const sessionHash = session === undefined ? undefined : getCipherSuite(session.cipherSuite)!.hash;
  const order = config.clientHelloExtensions;
  if (order !== undefined) addListedExtensions(extensions, order, driver, session !== undefined);
  // RFC 8446 §4.2.10: never in the ClientHello that answers a HelloRetryRequest.
  const early = previous.helloRetry ? undefined : previous.early;
  if (early !== undefined) extensions.push({ kind: 'early_data' });
  if (session !== undefined && sessionHash !== undefined) {
    extensions.push({
      kind: 'psk_key_exchange_modes',
      keModes: driver.config.pskKeyExchangeModes ?? [PskKeyExchangeMode.PskDheKe],
    });
    // RFC 8446 §4.2.11: pre_shared_key goes last; the binder placeholder is replaced below.
    const age = (driver.provider.now() - session.receivedAt + session.ageAdd) >>> 0;
    extensions.push({
      kind: 'pre_shared_key',
      identities: [{ identity: session.ticket, obfuscatedTicketAge: age }],
      binders: [new Uint8Array(driver.provider.hashLength(sessionHash))],
    });
  }
  // RFC 5746 §3.3: the SCSV signals secure renegotiation support on an initial handshake.
  const signalled =
    offers12 && previous.renegotiation === undefined
      ? [...previous.suites, CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV]
      : [...previous.suites];
  // RFC 7507 §4: a client retrying with a lower version says so.
  if (config.fallbackScsv === true) signalled.push(CipherSuite.TLS_FALLBACK_SCSV);
  const hello: ClientHello = {
    // RFC 8446 §4.1.2: 0x0303 when offering TLS 1.3; before, the highest version (RFC 5246 §7.4.1.2).
    legacyVersion: offers13 ? ProtocolVersion.Tls12 : previous.maxVersion,
    random: previous.clientRandom,
    legacySessionId: previous.sessionId,
    cipherSuites: grease === undefined ? signalled : [grease.suite, ...signalled],
    legacyCompressionMethods: Uint8Array.of(0),
    extensions,
  };
  if (order !== undefined) arrangeExtensions(extensions, order);
  if (config.clientHelloPadding === true && padClientHello(extensions, encodeClientHello(hello).length)) {
    if (order !== undefined) arrangeExtensions(extensions, order);
  }
  let encoded = encodeClientHello(hello);
  if (session !== undefined && sessionHash !== undefined) {
    // RFC 8446 §4.2.11.2: the binder is a Finished computed over the ClientHello up to the binders.
    const schedule = new Tls13KeySchedule(driver.provider, sessionHash);
    const placeholder = [new Uint8Array(schedule.hashLength)];
    const truncated = encoded.subarray(0, encoded.length - pskBindersLength(placeholder));
    const truncatedHash = previous.helloRetry
      ? previous.transcript.hashWith(truncated)
      : driver.provider.hash(sessionHash, truncated);
    const binder = schedule.binder(
      schedule.binderKey(schedule.earlySecret(session.psk), 'resumption'),
      truncatedHash,
    );
    encoded = replacePskBinders(encoded, [binder]);
  }
  previous.transcript.add(encoded);
  // RFC 8446 §5.1: the first ClientHello may carry 0x0301 in its record for old middleboxes.
  // A renegotiating ClientHello keeps the connection's record version.
  if (previous.renegotiation === undefined)
    driver.setRecordVersion(previous.helloRetry ? ProtocolVersion.Tls12 : 0x0301);
  driver.send(encoded);
  driver.setRecordVersion(Math.min(previous.maxVersion, ProtocolVersion.Tls12));
  if (early !== undefined && session !== undefined && sessionHash !== undefined) {
    // RFC 8446 §D.4: offering early data, the compatibility change_cipher_spec follows the ClientHello.
    const sentChangeCipherSpec = previous.sessionId.length > 0;
    if (sentChangeCipherSpec) driver.sendChangeCipherSpec();
    // RFC 8446 §7.1: client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).
    const schedule = new Tls13KeySchedule(driver.provider, sessionHash);
    const secret = schedule.clientEarlyTrafficSecret(
      schedule.earlySecret(session.psk),
      driver.provider.hash(sessionHash, encoded),
    );
    driver.keylog('CLIENT_EARLY_TRAFFIC_SECRET', previous.clientRandom, secret);
    driver.startEarlyData(createTls13Protection(driver.provider, early.suite, secret), early.maxSize);
    return new ExpectServerHello({ ...previous, extensions, sentChangeCipherSpec });
  }
  return new ExpectServerHello({ ...previous, extensions });
}

/** Extension types the client can send, for `clientHelloExtensions`. */
const sendableExtensions: readonly number[] = [
  ExtensionType.ServerName,
  ExtensionType.MaxFragmentLength,
  ExtensionType.StatusRequest,
  ExtensionType.SupportedGroups,
  ExtensionType.EcPointFormats,
  ExtensionType.SignatureAlgorithms,
  ExtensionType.SignatureAlgorithmsCert,
  ExtensionType.ApplicationLayerProtocolNegotiation,
  ExtensionType.Padding,
  ExtensionType.EncryptThenMac,
  ExtensionType.ExtendedMasterSecret,
  ExtensionType.RecordSizeLimit,
  ExtensionType.SessionTicket,
  ExtensionType.PreSharedKey,
  ExtensionType.SupportedVersions,
  ExtensionType.Cookie,
  ExtensionType.PskKeyExchangeModes,
  ExtensionType.KeyShare,
  ExtensionType.NextProtocolNegotiation,
  ExtensionType.RenegotiationInfo,
  ExtensionType.EarlyData,
];

/**
 * The extensions `clientHelloExtensions` adds when listed: renegotiation_info and session_ticket
 * (empty: an initial handshake, no ticket) and psk_key_exchange_modes without a PSK offered.
 * @throws TlsError `ERR_INVALID_ARG_VALUE` for a listed type the client never sends.
 */
function addListedExtensions(
  extensions: ClientHelloExtension[],
  order: readonly number[],
  driver: HandshakeDriver,
  offersPsk: boolean,
): void {
  const unknown = order.find((type) => !sendableExtensions.includes(type));
  if (unknown !== undefined) {
    throw new TlsError(
      'ERR_INVALID_ARG_VALUE',
      undefined,
      `clientHelloExtensions lists extension ${unknown}, which the client does not send`,
    );
  }
  const has = (type: number) => extensions.some((extension) => extensionType(extension) === type);
  if (order.includes(ExtensionType.RenegotiationInfo) && !has(ExtensionType.RenegotiationInfo))
    extensions.push({ kind: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) });
  if (order.includes(ExtensionType.SessionTicket) && !has(ExtensionType.SessionTicket))
    extensions.push({ kind: 'session_ticket', ticket: new Uint8Array(0) });
  // With a PSK the extension is sent anyway, just before pre_shared_key.
  if (order.includes(ExtensionType.PskKeyExchangeModes) && !offersPsk) {
    extensions.push({
      kind: 'psk_key_exchange_modes',
      keModes: driver.config.pskKeyExchangeModes ?? [PskKeyExchangeMode.PskDheKe],
    });
  }
}

/** Puts the listed types first, in their order (a stable sort); pre_shared_key stays last. */
function arrangeExtensions(extensions: ClientHelloExtension[], order: readonly number[]): void {
  const rank = (extension: ClientHelloExtension) => {
    const type = extensionType(extension);
    if (type === ExtensionType.PreSharedKey) return order.length + 1;
    const index = order.indexOf(type);
    return index < 0 ? order.length : index;
  };
  extensions.sort((a, b) => rank(a) - rank(b));
}

/**
 * RFC 7685 §4: a ClientHello of 256 to 511 bytes grows to 512 with a padding extension, placed
 * last but for pre_shared_key (which must stay last, RFC 8446 §4.2.11) unless
 * `clientHelloExtensions` places it. Returns whether it padded.
 */
function padClientHello(extensions: ClientHelloExtension[], length: number): boolean {
  if (length < 256 || length >= 512) return false;
  const padding: ClientHelloExtension = {
    kind: 'padding',
    padding: new Uint8Array(Math.max(1, 512 - length - 4)),
  };
  const last = extensions.at(-1);
  if (last !== undefined && last.kind === 'pre_shared_key') extensions.splice(-1, 0, padding);
  else extensions.push(padding);
  return true;
}

/** Waits for ServerHello or HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4). */
class ExpectServerHello implements HandshakeState {
  readonly name = 'ExpectServerHello';
  readonly allowsChangeCipherSpec: boolean;
  readonly #offer: Offer;

  constructor(offer: Offer) {
    this.#offer = offer;
    this.allowsChangeCipherSpec = offer.helloRetry;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.ServerHello);
    const offer = this.#offer;
    const hello = decodeServerHello(frame.bytes);
    const extensions = hello.extensions as readonly (ServerHelloExtension | HelloRetryRequestExtension)[];
    const version = getExtension(extensions, 'supported_versions');
    if (version === undefined || !('selectedVersion' in version)) {
      // RFC 8446 §4.1.3: without supported_versions it is a TLS 1.2 (or older) ServerHello.
      if (offer.minVersion > ProtocolVersion.Tls12) {
        throw handshakeError(
          'UnsupportedProtocol',
          'server chose TLS 1.2 or older, which this client does not offer (RFC 8446 §4.2.1)',
        );
      }
      if (hello.kind !== 'server-hello' || offer.helloRetry) {
        throw illegalParameter(
          'server negotiated TLS 1.2 or older after a HelloRetryRequest (RFC 8446 §4.1.4)',
        );
      }
      if (offer.early !== undefined) {
        // No 0-RTT below TLS 1.3: what follows is plaintext until the TLS 1.2 keys.
        offer.driver.earlyDataRejected('not-accepted');
        offer.driver.setWriteProtection(plaintextProtection);
      }
      return handleTls12ServerHello(
        {
          driver: offer.driver,
          clientRandom: offer.clientRandom,
          sessionId: offer.sessionId,
          clientVersion: offer.maxVersion >= ProtocolVersion.Tls13 ? ProtocolVersion.Tls12 : offer.maxVersion,
          minVersion: offer.minVersion,
          maxVersion: offer.maxVersion,
          suites: offer.suites,
          groups: offer.groups,
          schemes: offer.schemes,
          alpn: offer.alpn,
          extensions: offer.extensions,
          clientHello: offer.transcript.messages(),
          session: offer.tls12Session,
          renegotiation: offer.renegotiation,
        },
        hello,
      );
    }
    if (offer.maxVersion < ProtocolVersion.Tls13) {
      throw illegalParameter('server selected TLS 1.3, which was not offered (RFC 8446 §4.2.1)');
    }
    if (version.selectedVersion !== ProtocolVersion.Tls13) {
      throw illegalParameter(
        `server selected version 0x${version.selectedVersion.toString(16)}, which was not offered (RFC 8446 §4.2.1)`,
      );
    }
    if (hello.legacyVersion !== ProtocolVersion.Tls12) {
      throw new TlsError(
        'ERR_SSL_WRONG_VERSION_NUMBER',
        AlertDescription.ProtocolVersion,
        'ServerHello legacy_version is not 0x0303 (RFC 8446 §4.1.3)',
      );
    }
    if (!equalBytes(hello.legacySessionIdEcho, offer.sessionId)) {
      throw illegalParameter('server did not echo the legacy_session_id (RFC 8446 §4.1.3)');
    }
    if (!offer.suites.includes(hello.cipherSuite) || !isTls13Suite(hello.cipherSuite)) {
      throw handshakeError(
        'WrongCipherReturned',
        'server selected a cipher suite it was not offered (RFC 8446 §4.1.3)',
      );
    }
    if (hello.legacyCompressionMethod !== 0)
      throw illegalParameter('server selected a compression method (RFC 8446 §4.1.3)');
    // RFC 8446 §4.1.4: the ServerHello keeps the suite the HelloRetryRequest chose.
    if (offer.retrySuite !== undefined && hello.cipherSuite !== offer.retrySuite)
      throw illegalParameter(
        'ServerHello changed the cipher suite of the HelloRetryRequest (RFC 8446 §4.1.4)',
      );
    const suite = getCipherSuite(hello.cipherSuite) as AeadSuite;
    if (hello.kind === 'hello-retry-request') return this.#retry(hello, suite);
    return this.#serverHello(hello, suite, frame);
  }

  #retry(hello: DecodedServerHello & { kind: 'hello-retry-request' }, suite: AeadSuite): HandshakeState {
    const offer = this.#offer;
    // RFC 8446 §4.1.4: a second HelloRetryRequest is unexpected_message.
    if (offer.helloRetry) throw unexpectedMessage('server sent a second HelloRetryRequest (RFC 8446 §4.1.4)');
    const keyShare = getExtension(hello.extensions, 'key_share');
    const cookie = getExtension(hello.extensions, 'cookie');
    let shares = offer.shares;
    if (keyShare !== undefined && 'selectedGroup' in keyShare) {
      const group = keyShare.selectedGroup;
      // RFC 8446 §4.2.8: the group must be offered in supported_groups and not already have a share.
      if (!offer.groups.includes(group) || offer.shares.has(group)) {
        throw illegalParameter(
          'HelloRetryRequest selected a group that was not offered or already had a share (RFC 8446 §4.2.8)',
        );
      }
      shares = new Map([[group, offer.driver.provider.generateKeyShare(group)]]);
    } else if (cookie === undefined) {
      // RFC 8446 §4.1.4: an HRR that would not change the ClientHello is illegal_parameter.
      throw illegalParameter('HelloRetryRequest changes nothing in the ClientHello (RFC 8446 §4.1.4)');
    }
    if (offer.early !== undefined) {
      // RFC 8446 §4.2.10: after a HelloRetryRequest the early data is lost; the second
      // ClientHello goes in plaintext, without early_data.
      offer.driver.earlyDataRejected('hello-retry');
      offer.driver.setWriteProtection(plaintextProtection);
    }
    offer.transcript.startHash(suite.hash);
    offer.transcript.replaceWithMessageHash();
    offer.transcript.add(hello.original);
    // RFC 8446 §4.1.4: a PSK whose hash does not match the chosen suite is not offered again.
    const session =
      offer.session !== undefined && getCipherSuite(offer.session.cipherSuite)?.hash === suite.hash
        ? offer.session
        : undefined;
    return sendClientHello(
      // RFC 8446 §4.1.2: the same ClientHello but for the share, the cookie and the PSK.
      { ...offer, shares, helloRetry: true, session, retrySuite: suite.id, early: undefined },
      cookie?.cookie,
    );
  }

  #serverHello(
    hello: DecodedServerHello & { kind: 'server-hello' },
    suite: AeadSuite,
    frame: HandshakeFrame,
  ): HandshakeState {
    const offer = this.#offer;
    const { driver, provider } = { driver: offer.driver, provider: offer.driver.provider };
    const selected = getExtension(hello.extensions, 'pre_shared_key');
    let psk: Uint8Array | undefined;
    if (selected !== undefined) {
      const session = offer.session;
      // RFC 8446 §4.2.11: the selected identity must be one we offered, with the session's hash.
      if (session === undefined || !('selectedIdentity' in selected) || selected.selectedIdentity !== 0) {
        throw illegalParameter('server selected a PSK that was not offered (RFC 8446 §4.2.11)');
      }
      if (getCipherSuite(session.cipherSuite)?.hash !== suite.hash) {
        throw illegalParameter("server selected a suite whose hash is not the PSK's (RFC 8446 §4.2.11)");
      }
      psk = session.psk;
    }
    const keyShare = getExtension(hello.extensions, 'key_share');
    let sharedSecret: Uint8Array;
    let group: number | undefined;
    if (keyShare !== undefined && 'serverShare' in keyShare) {
      const share = offer.shares.get(keyShare.serverShare.group);
      if (share === undefined)
        throw illegalParameter('server answered a key share we did not send (RFC 8446 §4.2.8)');
      sharedSecret = share.complete(keyShare.serverShare.keyExchange);
      group = share.group;
    } else if (
      psk !== undefined &&
      (driver.config.pskKeyExchangeModes ?? []).includes(PskKeyExchangeMode.PskKe)
    ) {
      // psk_ke: no (EC)DHE; the handshake secret takes HashLen zeros (RFC 8446 §7.1).
      sharedSecret = new Uint8Array(provider.hashLength(suite.hash));
    } else {
      throw handshakeError('MissingExtension', 'ServerHello has no key_share (RFC 8446 §4.2.8)');
    }
    if (!offer.helloRetry) offer.transcript.startHash(suite.hash);
    offer.transcript.add(frame.bytes);
    const schedule = new Tls13KeySchedule(provider, suite.hash);
    const secrets = schedule.handshakeSecrets(
      schedule.earlySecret(psk),
      sharedSecret,
      offer.transcript.currentHash(),
    );
    driver.keylog(
      'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
      offer.clientRandom,
      secrets.clientHandshakeTrafficSecret,
    );
    driver.keylog(
      'SERVER_HANDSHAKE_TRAFFIC_SECRET',
      offer.clientRandom,
      secrets.serverHandshakeTrafficSecret,
    );
    driver.setReadProtection(createTls13Protection(provider, suite, secrets.serverHandshakeTrafficSecret));
    // With the PSK chosen, 0-RTT may have been accepted: the early key stays until
    // EncryptedExtensions says. Without it, the early data is lost (RFC 8446 §4.2.10).
    let early = offer.early;
    if (early !== undefined && psk === undefined) {
      driver.earlyDataRejected('not-accepted');
      early = undefined;
    }
    // From here on whatever we send (an alert included) is protected; change_cipher_spec, which
    // goes first in compatibility mode, always stays plaintext (RFC 8446 §5).
    if (early === undefined)
      driver.setWriteProtection(createTls13Protection(provider, suite, secrets.clientHandshakeTrafficSecret));
    driver.setPeerRecordVersion(ProtocolVersion.Tls13);
    return new ExpectEncryptedExtensions({
      offer,
      suite,
      schedule,
      group,
      serverRandom: hello.kind === 'server-hello' ? hello.random : new Uint8Array(0),
      handshakeSecret: secrets.handshakeSecret,
      clientHandshakeTrafficSecret: secrets.clientHandshakeTrafficSecret,
      serverHandshakeTrafficSecret: secrets.serverHandshakeTrafficSecret,
      resumed: psk !== undefined,
      peerCertificates: psk !== undefined ? offer.session!.peerCertificates : undefined,
      early,
    });
  }
}

interface Negotiated {
  readonly offer: Offer;
  readonly suite: AeadSuite;
  readonly schedule: Tls13KeySchedule;
  readonly group: number | undefined;
  readonly serverRandom: Uint8Array;
  readonly handshakeSecret: Uint8Array;
  readonly clientHandshakeTrafficSecret: Uint8Array;
  readonly serverHandshakeTrafficSecret: Uint8Array;
  readonly alpnProtocol?: string | undefined;
  /** Set when the server asked for our certificate. */
  readonly certificateRequest?:
    | { readonly context: Uint8Array; readonly schemes: readonly number[] }
    | undefined;
  readonly peerCertificates?: readonly Uint8Array[] | undefined;
  readonly peerSignatureScheme?: number;
  /** A PSK from an earlier session was accepted: no certificates in this handshake. */
  readonly resumed: boolean;
  /**
   * 0-RTT under way: until EncryptedExtensions, offered with the PSK the server chose; after it,
   * accepted (EndOfEarlyData follows the server's Finished).
   */
  readonly early: EarlyDataOffer | undefined;
}

/** Waits for EncryptedExtensions (RFC 8446 §4.3.1). */
class ExpectEncryptedExtensions implements HandshakeState {
  readonly name = 'ExpectEncryptedExtensions';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.EncryptedExtensions);
    const state = this.#state;
    const message = decodeEncryptedExtensions(frame.bytes);
    let alpnProtocol: string | undefined;
    let earlyAccepted = false;
    for (const extension of message.extensions) {
      if (extension.kind === 'application_layer_protocol_negotiation') {
        const [name, ...rest] = extension.protocolNameList;
        const chosen = name === undefined ? undefined : latin1(name);
        // RFC 7301 §3.1: exactly one protocol, one the client offered.
        if (chosen === undefined || rest.length > 0 || !state.offer.alpn.includes(chosen)) {
          throw illegalParameter('server selected an ALPN protocol that was not offered (RFC 7301 §3.1)');
        }
        alpnProtocol = chosen;
      } else if (extension.kind === 'server_name' && state.offer.driver.config.serverName === undefined) {
        throw unsolicitedExtension('server acknowledged a server_name that was not sent (RFC 8446 §4.2)');
      } else if (extension.kind === 'record_size_limit') {
        // RFC 8449 §4: the server only answers a limit we sent; its value bounds our records.
        if (state.offer.driver.config.recordSizeLimit === undefined) {
          throw unsolicitedExtension('server sent record_size_limit that was not offered (RFC 8449 §4)');
        }
        state.offer.driver.setPeerRecordSizeLimit(extension.recordSizeLimit);
        state.offer.driver.setOwnRecordSizeLimit(state.offer.driver.config.recordSizeLimit);
      } else if (extension.kind === 'max_fragment_length') {
        // RFC 6066 §4 (RFC 8446 §4.2: in EncryptedExtensions): the value we asked for, or abort.
        if (fragmentLengthCode(state.offer.driver.config.maxFragmentLength) !== extension.maxFragmentLength)
          throw illegalParameter('server answered max_fragment_length with another value (RFC 6066 §4)');
        state.offer.driver.setNegotiatedFragmentLength(256 << extension.maxFragmentLength);
      } else if (extension.kind === 'early_data') {
        if (state.early === undefined)
          throw unsolicitedExtension('server accepted early data that was not offered (RFC 8446 §4.2.10)');
        earlyAccepted = true;
      }
    }
    let early = state.early;
    if (early !== undefined && earlyAccepted) {
      // RFC 8446 §4.2.10: 0-RTT keeps the PSK's suite and ALPN protocol; a server that accepts it
      // with others broke the rules.
      if (state.suite.id !== early.suite.id)
        throw illegalParameter(
          "server accepted early data with another suite than the PSK's (RFC 8446 §4.2.10)",
        );
      if (alpnProtocol !== state.offer.session?.alpnProtocol)
        throw illegalParameter(
          "server accepted early data with another ALPN protocol than the PSK's (RFC 8446 §4.2.10)",
        );
    } else if (early !== undefined) {
      state.offer.driver.earlyDataRejected('not-accepted');
      state.offer.driver.setWriteProtection(
        createTls13Protection(state.offer.driver.provider, state.suite, state.clientHandshakeTrafficSecret),
      );
      early = undefined;
    }
    state.offer.transcript.add(frame.bytes);
    // RFC 8446 §2.2: with a PSK the server authenticates by its Finished alone.
    if (state.resumed) return new ExpectFinished({ ...state, alpnProtocol, early });
    return new ExpectCertificateOrRequest({ ...state, alpnProtocol, early });
  }
}

/** Waits for CertificateRequest or Certificate (RFC 8446 §4.3.2, §4.4.2). */
class ExpectCertificateOrRequest implements HandshakeState {
  readonly name = 'ExpectCertificate';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    const state = this.#state;
    if (frame.type === HandshakeType.CertificateRequest && state.certificateRequest === undefined) {
      const request = decodeCertificateRequest(frame.bytes);
      // RFC 8446 §4.3.2: the context is empty during the handshake.
      if (request.certificateRequestContext.length !== 0)
        throw illegalParameter('CertificateRequest context is not empty in the handshake (RFC 8446 §4.3.2)');
      const algorithms = getExtension(request.extensions, 'signature_algorithms');
      state.offer.transcript.add(frame.bytes);
      return new ExpectCertificateOrRequest({
        ...state,
        certificateRequest: {
          context: request.certificateRequestContext,
          schemes: algorithms?.supportedSignatureAlgorithms ?? [],
        },
      });
    }
    requireMessage(frame, HandshakeType.Certificate);
    const certificate = decodeCertificate(frame.bytes);
    if (certificate.certificateRequestContext.length !== 0)
      throw illegalParameter('server Certificate has a request context (RFC 8446 §4.4.2)');
    // RFC 8446 §4.4.2.4: an empty server Certificate is decode_error.
    if (certificate.certificateList.length === 0) {
      throw handshakeError('DecodeError', 'server sent an empty Certificate (RFC 8446 §4.4.2.4)');
    }
    const chain = certificate.certificateList.map((entry) => copyBytes(entry.certData));
    const stapled = certificate.certificateList[0]!.extensions.find(
      (extension) => extension.kind === 'status_request',
    );
    if (stapled !== undefined) {
      // RFC 8446 §4.4.2.1: only in answer to our status_request, and only on the leaf.
      if (state.offer.driver.config.requestOcsp !== true) {
        throw unsolicitedExtension(
          'server stapled an OCSP response that was not requested (RFC 8446 §4.4.2.1)',
        );
      }
      if ('response' in stapled) state.offer.driver.ocspResponse(copyBytes(stapled.response));
    }
    const verifyPeer = state.offer.driver.config.verifyPeer;
    const failure = verifyPeer?.(chain, { peer: 'server', serverName: state.offer.driver.config.serverName });
    if (failure !== undefined) throw failure;
    state.offer.transcript.add(frame.bytes);
    return new ExpectCertificateVerify({ ...state, peerCertificates: chain });
  }
}

/** Waits for the server's CertificateVerify (RFC 8446 §4.4.3). */
class ExpectCertificateVerify implements HandshakeState {
  readonly name = 'ExpectCertificateVerify';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.CertificateVerify);
    const state = this.#state;
    const provider = state.offer.driver.provider;
    const verify = decodeCertificateVerify(frame.bytes);
    // RFC 8446 §4.4.3: the scheme must be one we offered in signature_algorithms.
    if (!state.offer.schemes.includes(verify.algorithm) || !isTls13SignatureScheme(verify.algorithm)) {
      throw handshakeError(
        'WrongSignatureType',
        'server signed with a scheme that was not offered (RFC 8446 §4.4.3)',
      );
    }
    const publicKey = importPeerKey(state.offer.driver.provider, state.peerCertificates![0]!, 'server');
    if (!provider.isSchemeCompatible(verify.algorithm, publicKey)) {
      throw illegalParameter("server's signature scheme does not fit its certificate key (RFC 8446 §4.4.3)");
    }
    const content = certificateVerifyContent('server', state.offer.transcript.currentHash());
    if (!provider.verify(verify.algorithm, publicKey, content, verify.signature)) {
      throw handshakeError(
        'BadSignature',
        'server CertificateVerify signature does not verify (RFC 8446 §4.4.3)',
      );
    }
    state.offer.transcript.add(frame.bytes);
    return new ExpectFinished({ ...state, peerSignatureScheme: verify.algorithm });
  }
}

/** Waits for the server's Finished (RFC 8446 §4.4.4), then sends our last flight. */
class ExpectFinished implements HandshakeState {
  readonly name = 'ExpectFinished';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Finished);
    const state = this.#state;
    const { driver } = state.offer;
    const { provider } = driver;
    const transcript = state.offer.transcript;
    const schedule = state.schedule;
    const finished = decodeFinished(frame.bytes, schedule.hashLength);
    if (
      !schedule.verifyFinished(
        state.serverHandshakeTrafficSecret,
        transcript.currentHash(),
        finished.verifyData,
      )
    ) {
      throw handshakeError('DigestCheckFailed', 'server Finished does not verify (RFC 8446 §4.4.4)');
    }
    transcript.add(frame.bytes);
    const application = schedule.applicationSecrets(state.handshakeSecret, transcript.currentHash());
    driver.keylog(
      'CLIENT_TRAFFIC_SECRET_0',
      state.offer.clientRandom,
      application.clientApplicationTrafficSecret,
    );
    driver.keylog(
      'SERVER_TRAFFIC_SECRET_0',
      state.offer.clientRandom,
      application.serverApplicationTrafficSecret,
    );
    driver.keylog('EXPORTER_SECRET', state.offer.clientRandom, application.exporterMasterSecret);
    driver.setReadProtection(
      createTls13Protection(provider, state.suite, application.serverApplicationTrafficSecret),
    );

    // Our flight: [change_cipher_spec], [EndOfEarlyData], [Certificate, CertificateVerify], Finished.
    if (state.offer.sessionId.length > 0 && state.offer.sentChangeCipherSpec !== true)
      driver.sendChangeCipherSpec();
    if (state.early !== undefined) {
      // RFC 8446 §4.5: EndOfEarlyData under the early key closes the 0-RTT data.
      const endOfEarlyData = encodeEndOfEarlyData();
      transcript.add(endOfEarlyData);
      driver.send(endOfEarlyData);
      driver.endEarlyData();
      driver.setWriteProtection(
        createTls13Protection(provider, state.suite, state.clientHandshakeTrafficSecret),
      );
    }
    let localCertificates: readonly Uint8Array[] = [];
    let localSignatureScheme: number | undefined;
    if (state.certificateRequest !== undefined) {
      const chosen = chooseClientCertificate(driver.config, provider, state.certificateRequest.schemes);
      const certificate = encodeCertificate({
        certificateRequestContext: state.certificateRequest.context,
        certificateList: (chosen?.key.chain ?? []).map((certData) => ({ certData, extensions: [] })),
      });
      transcript.add(certificate);
      driver.send(certificate);
      if (chosen !== undefined) {
        localCertificates = chosen.key.chain;
        localSignatureScheme = chosen.scheme;
        const signature = provider.sign(
          chosen.scheme,
          chosen.key.privateKey,
          certificateVerifyContent('client', transcript.currentHash()),
        );
        const verify = encodeCertificateVerify({ algorithm: chosen.scheme, signature });
        transcript.add(verify);
        driver.send(verify);
      }
    }
    const clientFinished = schedule.finishedVerifyData(
      state.clientHandshakeTrafficSecret,
      transcript.currentHash(),
    );
    const finishedMessage = encodeFinished({ verifyData: clientFinished });
    transcript.add(finishedMessage);
    driver.send(finishedMessage);
    driver.setWriteProtection(
      createTls13Protection(provider, state.suite, application.clientApplicationTrafficSecret),
    );
    driver.setTrafficSecrets({
      suite: state.suite,
      clientApplicationTrafficSecret: application.clientApplicationTrafficSecret,
      serverApplicationTrafficSecret: application.serverApplicationTrafficSecret,
      exporterMasterSecret: application.exporterMasterSecret,
      resumptionMasterSecret: schedule.resumptionMasterSecret(
        application.masterSecret,
        transcript.currentHash(),
      ),
      ...(driver.config.postHandshakeAuth === true ? { postHandshakeTranscript: transcript.clone() } : {}),
    });
    driver.complete({
      version: ProtocolVersion.Tls13,
      cipherSuite: state.suite,
      group: state.group,
      alpnProtocol: state.alpnProtocol,
      serverName: driver.config.serverName,
      peerCertificates: state.peerCertificates ?? [],
      localCertificates,
      peerSignatureScheme: state.peerSignatureScheme,
      localSignatureScheme,
      sharedSignatureSchemes: sharedSignatureSchemes(
        state.certificateRequest?.schemes,
        driver.config,
        'client',
      ),
      resumed: state.resumed,
      clientRandom: state.offer.clientRandom,
      serverRandom: state.serverRandom,
      clientFinished,
      serverFinished: copyBytes(finished.verifyData),
      helloRetry: state.offer.helloRetry,
    });
    return finishedState;
  }
}

/** After the handshake the connection handles post-handshake messages itself. */
const finishedState: HandshakeState = {
  name: 'Traffic',
  allowsChangeCipherSpec: false,
  handle(): HandshakeState {
    throw unexpectedMessage('handshake message after the handshake');
  },
};
