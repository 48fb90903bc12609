// The TLS 1.2 (and 1.0/1.1) client (RFC 5246 §7.3), entered from ExpectServerHello when the
// server answers without supported_versions. Full handshake: ServerHello → Certificate →
// [CertificateStatus] → [ServerKeyExchange] → [CertificateRequest] → ServerHelloDone → our
// [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished → the
// server's [NewSessionTicket], ChangeCipherSpec, Finished. Abbreviated (RFC 5246 §7.3, RFC 5077
// §3.1): ServerHello → [NewSessionTicket] → ChangeCipherSpec → Finished → ours.
// Extensions: RFC 5746 (renegotiation_info), RFC 7627 (EMS), RFC 7366 (encrypt_then_mac),
// RFC 7301 (ALPN), RFC 6066 (SNI, status_request), RFC 8422 (ECDHE), RFC 5077 (tickets).

import { NamedGroup, type PublicKey } from '@tls/crypto';
import { AlertDescription, TlsError, concatBytes } from '@tls/record';
import {
  type CertifiedKey,
  defaultTls12SignatureSchemes,
  sharedSignatureSchemes,
} from '../connection/config.js';
import type { HandshakeDriver, HandshakeState, RenegotiationContext } from '../connection/connection.js';
import { importPeerKey } from '../connection/spki.js';
import { ExtensionType, HandshakeType, ProtocolVersion } from '../enums.js';
import { handshakeError, illegalParameter, unexpectedMessage } from '../errors.js';
import { Tls12KeySchedule, tls12PrfAlgorithm } from '../key-schedule/tls12.js';
import { tls12Protections } from '../key-schedule/tls12-protection.js';
import {
  type ClientHelloExtension,
  getExtension,
  requireSolicitedExtensions,
} from '../messages/extensions/extension-list.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import { type DecodedServerHello, downgradeSentinel } from '../messages/server-hello.js';
import { decodeTls12Certificate, encodeTls12Certificate } from '../messages/tls12/certificate.js';
import {
  ClientCertificateType,
  decodeTls12CertificateRequest,
} from '../messages/tls12/certificate-request.js';
import { encodeClientKeyExchange } from '../messages/tls12/client-key-exchange.js';
import {
  type DecodedServerKeyExchange,
  decodeServerKeyExchange,
  serverKeyExchangeSignedContent,
} from '../messages/tls12/server-key-exchange.js';
import {
  decodeServerHelloDone,
  encodeNextProtocol,
  decodeTls12CertificateStatus,
  decodeTls12NewSessionTicket,
} from '../messages/tls12/simple-messages.js';
import type { HandshakeFrame } from '../reassembler.js';
import { type ClientSession, encodeClientSession } from '../resumption/session.js';
import { type CipherSuiteInfo, getCipherSuite, isSuiteUsableAt } from '../suites.js';
import { Transcript } from '../transcript.js';
import {
  bitLength,
  copyBytes,
  decodeNameList,
  encodeTls12CertificateVerify,
  fitsTls12Suite,
  equalBytes,
  isTls12SchemeCompatible,
  latin1,
  legacySignatureScheme,
  requireMessage,
  stripLeadingZeros,
} from './common.js';

/** What the ClientHello offered, as the TLS 1.2 states need it. */
export interface Tls12Offer {
  readonly driver: HandshakeDriver;
  readonly clientRandom: Uint8Array;
  readonly sessionId: Uint8Array;
  /** ClientHello.legacy_version: what the RSA premaster secret starts with (RFC 5246 §7.4.7.1). */
  readonly clientVersion: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly suites: readonly number[];
  readonly groups: readonly number[];
  readonly schemes: readonly number[];
  readonly alpn: readonly string[];
  readonly extensions: readonly ClientHelloExtension[];
  /** The ClientHello as sent. */
  readonly clientHello: Uint8Array;
  /** A TLS 1.2 session offered for resumption (its id or ticket went into the ClientHello). */
  readonly session: ClientSession | undefined;
  /** Set when renegotiating (RFC 5746 §3.5). */
  readonly renegotiation: RenegotiationContext | undefined;
}

interface Negotiated {
  readonly offer: Tls12Offer;
  readonly version: number;
  readonly suite: CipherSuiteInfo;
  readonly serverRandom: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly transcript: Transcript;
  readonly extendedMasterSecret: boolean;
  readonly encryptThenMac: boolean;
  /** The server sent renegotiation_info (RFC 5746); without it no renegotiation happens. */
  readonly secureRenegotiation: boolean;
  readonly alpnProtocol: string | undefined;
  /** The server acknowledged session_ticket: a NewSessionTicket comes before its ChangeCipherSpec. */
  readonly expectTicket: boolean;
  readonly statusAcknowledged: boolean;
  /** The protocol we will announce in NextProtocol, when the server offered NPN. */
  readonly npnProtocol: string | undefined;
  readonly peerCertificates: readonly Uint8Array[];
  readonly peerKey?: PublicKey;
  readonly peerSignatureScheme?: number | undefined;
  readonly serverKeyExchange?: DecodedServerKeyExchange;
  readonly certificateRequest?: {
    readonly types: readonly number[];
    readonly schemes: readonly number[] | undefined;
  };
}

/** Keys agreed, waiting for the server's ChangeCipherSpec and Finished. */
interface Keyed extends Negotiated {
  readonly masterSecret: Uint8Array;
  readonly schedule: Tls12KeySchedule;
  readonly serverProtection: ReturnType<typeof tls12Protections>['server'];
  readonly clientProtection: ReturnType<typeof tls12Protections>['client'];
  readonly resumed: boolean;
  readonly ticket?: { readonly ticket: Uint8Array; readonly lifetime: number };
  /** Full handshake: our Finished went first. */
  readonly clientFinished?: Uint8Array;
  readonly localCertificates: readonly Uint8Array[];
  readonly localSignatureScheme: number | undefined;
  readonly group: number | undefined;
}

/**
 * Takes a ServerHello that negotiated TLS 1.2 or older (RFC 5246 §7.4.1.3) and returns the next
 * state: the server's Certificate, or for a resumed session its ChangeCipherSpec.
 */
export function handleTls12ServerHello(
  offer: Tls12Offer,
  hello: DecodedServerHello & { kind: 'server-hello' },
): HandshakeState {
  const { driver } = offer;
  const version = hello.legacyVersion;
  if (version < offer.minVersion || version > Math.min(offer.maxVersion, ProtocolVersion.Tls12)) {
    throw handshakeError(
      'UnsupportedProtocol',
      `server selected version 0x${version.toString(16)}, which is outside the offered range (RFC 5246 §7.4.1.3)`,
    );
  }
  // RFC 8446 §4.1.3: a client that offered TLS 1.3 (or TLS 1.2, for the TLS 1.1 value) refuses
  // a downgrade the server marked in its random.
  const sentinel = downgradeSentinel(hello.random);
  if (
    (sentinel !== undefined && offer.maxVersion >= ProtocolVersion.Tls13) ||
    (sentinel === 'tls11' && offer.maxVersion >= ProtocolVersion.Tls12 && version < ProtocolVersion.Tls12)
  ) {
    throw illegalParameter('ServerHello random carries a downgrade sentinel (RFC 8446 §4.1.3)');
  }
  const suite = getCipherSuite(hello.cipherSuite);
  if (suite === undefined || !offer.suites.includes(suite.id) || !isSuiteUsableAt(suite, version)) {
    throw handshakeError(
      'WrongCipherReturned',
      'server selected a cipher suite it was not offered or not for this version (RFC 5246 §7.4.1.3)',
    );
  }
  if (hello.legacyCompressionMethod !== 0)
    throw illegalParameter('server selected a compression method that was not offered (RFC 5246 §7.4.1.3)');
  // RFC 5246 §7.4.1.4: only extensions the client sent may come back; renegotiation_info answers
  // the SCSV too (RFC 5746 §3.4).
  requireSolicitedExtensions(
    hello.extensions.filter((extension) => extension.kind !== 'renegotiation_info'),
    offer.extensions,
    'server-hello-tls12',
  );
  const renegotiation = getExtension(hello.extensions, 'renegotiation_info');
  // RFC 5746 §4.1: as OpenSSL 3 by default, no connection to a server without secure
  // renegotiation, unless `legacyServerConnect` (and never in a renegotiation, §3.5).
  if (renegotiation === undefined && (driver.config.legacyServerConnect !== true || offer.renegotiation)) {
    throw handshakeError(
      'UnsafeLegacyRenegotiationDisabled',
      'server does not support secure renegotiation (RFC 5746 §4.1)',
    );
  }
  // RFC 5746 §3.4: empty on an initial handshake; §3.5: client_verify_data ‖ server_verify_data
  // when renegotiating, compared in constant time.
  const expected =
    offer.renegotiation === undefined
      ? new Uint8Array(0)
      : concatBytes([offer.renegotiation.clientVerifyData, offer.renegotiation.serverVerifyData]);
  const received = renegotiation?.renegotiatedConnection ?? expected;
  if (
    received.length !== expected.length ||
    (expected.length > 0 && !driver.provider.timingSafeEqual(received, expected))
  ) {
    throw handshakeError(
      'RenegotiationMismatch',
      'server renegotiation_info does not match the connection (RFC 5746 §3.4, §3.5)',
    );
  }
  if (offer.renegotiation !== undefined && version !== offer.renegotiation.version)
    throw handshakeError(
      'UnsupportedProtocol',
      'server changed the version in a renegotiation (RFC 5246 §7.4.1.3)',
    );
  let alpnProtocol: string | undefined;
  const alpn = getExtension(hello.extensions, 'application_layer_protocol_negotiation');
  if (alpn !== undefined) {
    const [name, ...rest] = alpn.protocolNameList;
    const chosen = name === undefined ? undefined : latin1(name);
    // RFC 7301 §3.1: exactly one protocol, one the client offered.
    if (chosen === undefined || rest.length > 0 || !offer.alpn.includes(chosen))
      throw illegalParameter('server selected an ALPN protocol that was not offered (RFC 7301 §3.1)');
    alpnProtocol = chosen;
  }
  const limit = getExtension(hello.extensions, 'record_size_limit');
  if (limit !== undefined && driver.config.recordSizeLimit !== undefined) {
    // RFC 8449 §4: before TLS 1.3 the limit does not count a content type byte (the writer knows;
    // the reader's setting takes the TLS 1.3 form).
    driver.setPeerRecordSizeLimit(limit.recordSizeLimit);
    driver.setOwnRecordSizeLimit(driver.config.recordSizeLimit + 1);
  }
  const fragment = getExtension(hello.extensions, 'max_fragment_length');
  if (fragment !== undefined) {
    // RFC 6066 §4: the server echoes the value the client asked for, or the client aborts.
    if (fragmentLengthCode(driver.config.maxFragmentLength) !== fragment.maxFragmentLength)
      throw illegalParameter('server answered max_fragment_length with another value (RFC 6066 §4)');
    driver.setNegotiatedFragmentLength(256 << fragment.maxFragmentLength);
  }
  const extendedMasterSecret = getExtension(hello.extensions, 'extended_master_secret') !== undefined;
  const npn = hello.extensions.find(
    (extension) => extension.kind === 'unknown' && extension.type === ExtensionType.NextProtocolNegotiation,
  );
  let npnProtocol: string | undefined;
  if (npn !== undefined && 'data' in npn) {
    const advertised = decodeNameList(npn.data);
    if (advertised === undefined)
      throw handshakeError(
        'DecodeError',
        'malformed next_protocol_negotiation list (draft-agl-tls-nextprotoneg-04 §3)',
      );
    const ours = driver.config.npnProtocols ?? [];
    // As OpenSSL's SSL_select_next_proto: our first protocol the server lists, else our first.
    npnProtocol = ours.find((name) => advertised.includes(name)) ?? ours[0];
  }
  // RFC 7366 §3: encrypt_then_mac means nothing for an AEAD suite.
  const encryptThenMac =
    suite.cipherType === 'cbc' && getExtension(hello.extensions, 'encrypt_then_mac') !== undefined;
  driver.setProtocolVersion(version);
  driver.setRecordVersion(version);
  driver.setPeerRecordVersion(version);
  const transcript = new Transcript(driver.provider, { retainMessages: true });
  transcript.startHash(
    new Tls12KeySchedule(driver.provider, tls12PrfAlgorithm(suite, version)).handshakeHash,
  );
  transcript.add(offer.clientHello);
  transcript.add(hello.original);
  const negotiated: Negotiated = {
    offer,
    version,
    suite,
    serverRandom: copyBytes(hello.random),
    sessionId: copyBytes(hello.legacySessionIdEcho),
    transcript,
    extendedMasterSecret,
    encryptThenMac,
    secureRenegotiation: renegotiation !== undefined,
    alpnProtocol,
    expectTicket: getExtension(hello.extensions, 'session_ticket') !== undefined,
    statusAcknowledged: getExtension(hello.extensions, 'status_request') !== undefined,
    npnProtocol,
    peerCertificates: [],
  };
  const session = offer.session;
  // RFC 5246 §7.4.1.3, RFC 5077 §3.4: echoing our non-empty session id resumes the session.
  if (
    session !== undefined &&
    offer.sessionId.length > 0 &&
    equalBytes(hello.legacySessionIdEcho, offer.sessionId)
  ) {
    if (session.cipherSuite !== suite.id || session.version !== version) {
      throw illegalParameter('server resumed a session with another suite or version (RFC 5246 §7.4.1.3)');
    }
    // RFC 7627 §5.3: a session keeps its master secret kind.
    if ((session.extendedMasterSecret === true) !== extendedMasterSecret) {
      throw handshakeError(
        'InconsistentExtms',
        'server resumed a session without matching extended_master_secret use (RFC 7627 §5.3)',
      );
    }
    const masterSecret = session.psk;
    driver.keylog('CLIENT_RANDOM', offer.clientRandom, masterSecret);
    const protections = tls12Protections(
      driver.provider,
      suite,
      version,
      masterSecret,
      offer.clientRandom,
      negotiated.serverRandom,
      encryptThenMac,
    );
    const keyed: Keyed = {
      ...negotiated,
      peerCertificates: session.peerCertificates,
      masterSecret,
      schedule: new Tls12KeySchedule(driver.provider, tls12PrfAlgorithm(suite, version)),
      serverProtection: protections.server,
      clientProtection: protections.client,
      resumed: true,
      localCertificates: [],
      localSignatureScheme: undefined,
      group: undefined,
    };
    return negotiated.expectTicket ? new ExpectNewSessionTicket(keyed) : new ExpectChangeCipherSpec(keyed);
  }
  return new ExpectCertificate(negotiated);
}

/** Waits for the server's Certificate (RFC 5246 §7.4.2). */
class ExpectCertificate implements HandshakeState {
  readonly name = 'ExpectCertificate';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Certificate);
    const state = this.#state;
    const { driver } = state.offer;
    const certificate = decodeTls12Certificate(frame.bytes);
    if (certificate.certificateList.length === 0)
      throw handshakeError('DecodeError', 'server sent an empty Certificate (RFC 5246 §7.4.2)');
    const chain = certificate.certificateList.map((der) => copyBytes(der));
    const failure = driver.config.verifyPeer?.(chain, {
      peer: 'server',
      serverName: driver.config.serverName,
    });
    if (failure !== undefined) throw failure;
    const peerKey = importPeerKey(driver.provider, chain[0]!, 'server');
    // RFC 5246 §7.4.2: the key must fit the suite.
    if (!fitsTls12Suite(peerKey.type, state.suite.authentication, state.suite.keyExchange)) {
      throw new TlsError(
        'ERR_SSL_WRONG_CERTIFICATE_TYPE',
        AlertDescription.UnsupportedCertificate,
        `server certificate key (${peerKey.type}) does not fit ${state.suite.opensslName} (RFC 5246 §7.4.2)`,
      );
    }
    state.transcript.add(frame.bytes);
    const next: Negotiated = { ...state, peerCertificates: chain, peerKey };
    if (state.suite.keyExchange === 'rsa') return new ExpectCertificateRequestOrDone(next);
    return new ExpectServerKeyExchange(next);
  }
}

/** Waits for ServerKeyExchange (RFC 5246 §7.4.3), or first a stapled CertificateStatus (RFC 6066 §8). */
class ExpectServerKeyExchange implements HandshakeState {
  readonly name = 'ExpectServerKeyExchange';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    const state = this.#state;
    const { driver } = state.offer;
    if (frame.type === HandshakeType.CertificateStatus && state.statusAcknowledged) {
      driver.ocspResponse(copyBytes(decodeTls12CertificateStatus(frame.bytes).response));
      state.transcript.add(frame.bytes);
      return new ExpectServerKeyExchange({ ...state, statusAcknowledged: false });
    }
    requireMessage(frame, HandshakeType.ServerKeyExchange);
    const keyExchange = state.suite.keyExchange as 'ecdhe' | 'dhe';
    const message = decodeServerKeyExchange(frame.bytes, keyExchange, state.version);
    if (
      message.kind === 'ecdhe' &&
      (!state.offer.groups.includes(message.namedCurve) || !isEcdheGroup(message.namedCurve))
    ) {
      throw illegalParameter('server chose an ECDHE curve that was not offered (RFC 8422 §5.4)');
    }
    if (message.kind === 'dhe') {
      const bits = bitLength(message.p);
      const minimum = driver.config.minDHSize ?? 1024;
      if (bits < minimum) {
        // Node's check (`minDHSize`) with Node's code; RFC 7919 §4 names the alert.
        throw new TlsError(
          'ERR_TLS_DH_PARAM_SIZE',
          AlertDescription.InsufficientSecurity,
          `DH parameter size ${bits} is less than ${minimum}`,
        );
      }
    }
    const peerKey = state.peerKey!;
    const scheme = message.signed.algorithm ?? legacySignatureScheme(peerKey);
    // RFC 5246 §7.4.3: the signature uses one of the algorithms the client listed.
    if (
      scheme === undefined ||
      (message.signed.algorithm !== undefined && !state.offer.schemes.includes(scheme))
    ) {
      throw handshakeError(
        'WrongSignatureType',
        'server signed its key exchange with an algorithm that was not offered (RFC 5246 §7.4.1.4.1)',
      );
    }
    if (!isTls12SchemeCompatible(driver.provider, scheme, peerKey)) {
      throw illegalParameter(
        "server's signature algorithm does not fit its certificate key (RFC 5246 §7.4.3)",
      );
    }
    const content = serverKeyExchangeSignedContent(state.offer.clientRandom, state.serverRandom, message);
    if (!driver.provider.verify(scheme, peerKey, content, message.signed.signature)) {
      throw handshakeError('BadSignature', 'ServerKeyExchange signature does not verify (RFC 5246 §7.4.3)');
    }
    state.transcript.add(frame.bytes);
    return new ExpectCertificateRequestOrDone({
      ...state,
      serverKeyExchange: message,
      peerSignatureScheme: message.signed.algorithm,
    });
  }
}

/** Waits for CertificateRequest (RFC 5246 §7.4.4) or ServerHelloDone (§7.4.5), then sends our flight. */
class ExpectCertificateRequestOrDone implements HandshakeState {
  readonly name = 'ExpectServerHelloDone';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Negotiated;

  constructor(state: Negotiated) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    const state = this.#state;
    const { driver } = state.offer;
    if (frame.type === HandshakeType.CertificateStatus && state.statusAcknowledged) {
      driver.ocspResponse(copyBytes(decodeTls12CertificateStatus(frame.bytes).response));
      state.transcript.add(frame.bytes);
      return new ExpectCertificateRequestOrDone({ ...state, statusAcknowledged: false });
    }
    if (frame.type === HandshakeType.CertificateRequest && state.certificateRequest === undefined) {
      const request = decodeTls12CertificateRequest(frame.bytes, state.version);
      state.transcript.add(frame.bytes);
      return new ExpectCertificateRequestOrDone({
        ...state,
        statusAcknowledged: false,
        certificateRequest: {
          types: request.certificateTypes,
          schemes: request.supportedSignatureAlgorithms,
        },
      });
    }
    requireMessage(frame, HandshakeType.ServerHelloDone);
    decodeServerHelloDone(frame.bytes);
    state.transcript.add(frame.bytes);
    return sendClientFlight(state);
  }
}

/** Our second flight (RFC 5246 §7.3): [Certificate], ClientKeyExchange, [CertificateVerify], CCS, Finished. */
function sendClientFlight(state: Negotiated): HandshakeState {
  const { offer, transcript, suite, version } = state;
  const { driver } = offer;
  const { provider } = driver;
  let localCertificates: readonly Uint8Array[] = [];
  let chosen: { key: CertifiedKey; scheme: number } | undefined;
  if (state.certificateRequest !== undefined) {
    chosen = chooseTls12ClientCertificate(driver, state.certificateRequest, version);
    localCertificates = chosen?.key.chain ?? [];
    // RFC 5246 §7.4.6: with no suitable certificate, an empty Certificate message.
    const certificate = encodeTls12Certificate({ certificateList: localCertificates });
    transcript.add(certificate);
    driver.send(certificate);
  }
  let premasterSecret: Uint8Array;
  let group: number | undefined;
  const exchange = state.serverKeyExchange;
  let clientKeyExchange: Uint8Array;
  if (exchange?.kind === 'ecdhe') {
    const accepted = provider.acceptKeyShare(exchange.namedCurve, exchange.publicKey);
    premasterSecret = accepted.sharedSecret;
    group = exchange.namedCurve;
    clientKeyExchange = encodeClientKeyExchange({ kind: 'ecdhe', publicKey: accepted.publicKey });
  } else if (exchange?.kind === 'dhe') {
    const share = provider.generateDhKeyShare(exchange.p, exchange.g);
    premasterSecret = stripLeadingZeros(share.complete(exchange.publicKey));
    clientKeyExchange = encodeClientKeyExchange({ kind: 'dhe', publicKey: share.publicKey });
  } else {
    // RFC 5246 §7.4.7.1: client_version ‖ 46 random bytes, encrypted to the server's RSA key.
    premasterSecret = new Uint8Array(48);
    premasterSecret.set([offer.clientVersion >>> 8, offer.clientVersion & 0xff]);
    premasterSecret.set(provider.random(46), 2);
    clientKeyExchange = encodeClientKeyExchange({
      kind: 'rsa',
      encryptedPreMasterSecret: provider.rsaEncryptPkcs1(state.peerKey!, premasterSecret),
    });
  }
  transcript.add(clientKeyExchange);
  driver.send(clientKeyExchange);
  const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version));
  // RFC 7627 §4: the session hash covers the messages up to and including ClientKeyExchange.
  const masterSecret = state.extendedMasterSecret
    ? schedule.extendedMasterSecret(premasterSecret, transcript.currentHash())
    : schedule.masterSecret(premasterSecret, offer.clientRandom, state.serverRandom);
  premasterSecret.fill(0);
  let localSignatureScheme: number | undefined;
  if (chosen !== undefined) {
    // RFC 5246 §7.4.8: the signature covers every handshake message so far.
    localSignatureScheme = chosen.scheme;
    const signature = provider.sign(chosen.scheme, chosen.key.privateKey, transcript.messages());
    const verify = encodeTls12CertificateVerify({
      algorithm: version >= ProtocolVersion.Tls12 ? chosen.scheme : undefined,
      signature,
    });
    transcript.add(verify);
    driver.send(verify);
  }
  driver.keylog('CLIENT_RANDOM', offer.clientRandom, masterSecret);
  const protections = tls12Protections(
    provider,
    suite,
    version,
    masterSecret,
    offer.clientRandom,
    state.serverRandom,
    state.encryptThenMac,
  );
  driver.sendChangeCipherSpec();
  driver.setWriteProtection(protections.client);
  sendNextProtocol(state);
  const clientFinished = schedule.finishedVerifyData(masterSecret, 'client', transcript.currentHash());
  const finished = encodeFinished({ verifyData: clientFinished });
  transcript.add(finished);
  driver.send(finished);
  const keyed: Keyed = {
    ...state,
    masterSecret,
    schedule,
    serverProtection: protections.server,
    clientProtection: protections.client,
    resumed: false,
    clientFinished,
    localCertificates,
    localSignatureScheme,
    group,
  };
  return state.expectTicket ? new ExpectNewSessionTicket(keyed) : new ExpectChangeCipherSpec(keyed);
}

/** Waits for the NewSessionTicket the server promised in its ServerHello (RFC 5077 §3.3). */
class ExpectNewSessionTicket implements HandshakeState {
  readonly name = 'ExpectNewSessionTicket';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Keyed;

  constructor(state: Keyed) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.NewSessionTicket);
    const state = this.#state;
    const message = decodeTls12NewSessionTicket(frame.bytes);
    state.transcript.add(frame.bytes);
    // RFC 5077 §3.3: an empty ticket means the server will not issue one after all.
    const ticket =
      message.ticket.length === 0
        ? undefined
        : { ticket: copyBytes(message.ticket), lifetime: message.ticketLifetimeHint };
    return new ExpectChangeCipherSpec({ ...state, ...(ticket === undefined ? {} : { ticket }) });
  }
}

/** Waits for the server's ChangeCipherSpec (RFC 5246 §7.1): then its records are protected. */
class ExpectChangeCipherSpec implements HandshakeState {
  readonly name = 'ExpectChangeCipherSpec';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Keyed;

  constructor(state: Keyed) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    throw unexpectedMessage(
      `peer sent handshake message ${frame.type} where ChangeCipherSpec was expected (RFC 5246 §7.1)`,
    );
  }

  handleChangeCipherSpec(): HandshakeState {
    this.#state.offer.driver.setReadProtection(this.#state.serverProtection);
    return new ExpectFinished(this.#state);
  }
}

/** Waits for the server's Finished (RFC 5246 §7.4.9); a resumed session sends ours after it. */
class ExpectFinished implements HandshakeState {
  readonly name = 'ExpectFinished';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Keyed;

  constructor(state: Keyed) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Finished);
    const state = this.#state;
    const { offer, transcript, schedule, masterSecret } = state;
    const { driver } = offer;
    const finished = decodeFinished(frame.bytes, 12);
    if (!schedule.verifyFinished(masterSecret, 'server', transcript.currentHash(), finished.verifyData))
      throw handshakeError('DigestCheckFailed', 'server Finished does not verify (RFC 5246 §7.4.9)');
    transcript.add(frame.bytes);
    let clientFinished = state.clientFinished;
    if (clientFinished === undefined) {
      // Abbreviated handshake (RFC 5246 §7.3): our ChangeCipherSpec and Finished follow the server's.
      driver.sendChangeCipherSpec();
      driver.setWriteProtection(state.clientProtection);
      sendNextProtocol(state);
      clientFinished = schedule.finishedVerifyData(masterSecret, 'client', transcript.currentHash());
      const message = encodeFinished({ verifyData: clientFinished });
      transcript.add(message);
      driver.send(message);
    }
    driver.setTls12Secrets({
      suite: state.suite,
      version: state.version,
      masterSecret,
      clientRandom: offer.clientRandom,
      serverRandom: state.serverRandom,
    });
    driver.complete({
      version: state.version,
      cipherSuite: state.suite,
      group: state.group,
      ...(state.serverKeyExchange?.kind === 'dhe'
        ? { dhPrimeBits: bitLength(state.serverKeyExchange.p) }
        : {}),
      alpnProtocol: state.alpnProtocol,
      serverName: driver.config.serverName,
      peerCertificates: state.peerCertificates,
      localCertificates: state.localCertificates,
      peerSignatureScheme: state.peerSignatureScheme,
      localSignatureScheme: state.localSignatureScheme,
      sharedSignatureSchemes: sharedSignatureSchemes(
        state.certificateRequest?.schemes,
        driver.config,
        'client',
      ),
      resumed: state.resumed,
      clientRandom: offer.clientRandom,
      serverRandom: state.serverRandom,
      clientFinished,
      serverFinished: copyBytes(finished.verifyData),
      helloRetry: false,
      extendedMasterSecret: state.extendedMasterSecret,
      encryptThenMac: state.encryptThenMac,
      sessionId: state.sessionId,
      ...(state.secureRenegotiation ? {} : { secureRenegotiation: false }),
      ...(state.npnProtocol === undefined ? {} : { npnProtocol: state.npnProtocol }),
    });
    emitClientSession(state);
    return trafficState;
  }
}

const trafficState: HandshakeState = {
  name: 'Traffic',
  allowsChangeCipherSpec: false,
  handle(): HandshakeState {
    throw unexpectedMessage('handshake message after the handshake');
  },
};

/** NextProtocol goes after our ChangeCipherSpec, before Finished (draft-agl-tls-nextprotoneg-04 §4). */
function sendNextProtocol(state: Negotiated): void {
  if (state.npnProtocol === undefined) return;
  const message = encodeNextProtocol(encoder.encode(state.npnProtocol));
  state.transcript.add(message);
  state.offer.driver.send(message);
}

const encoder = new TextEncoder();

/** A session to resume with: on a new ticket, or a full handshake that left a session id. */
function emitClientSession(state: Keyed): void {
  const { offer } = state;
  const ticket = state.ticket;
  const resumable = ticket !== undefined || (!state.resumed && state.sessionId.length > 0);
  if (!resumable) return;
  const previous = state.resumed ? offer.session : undefined;
  // RFC 5077 §3.3: a lifetime hint of 0 leaves the lifetime to the client; 300 s as OpenSSL.
  const lifetime = ticket !== undefined && ticket.lifetime > 0 ? ticket.lifetime : 300;
  const session = encodeClientSession({
    version: state.version,
    cipherSuite: state.suite.id,
    psk: state.masterSecret,
    ticket: ticket?.ticket ?? previous?.ticket ?? new Uint8Array(0),
    receivedAt: offer.driver.provider.now(),
    lifetime,
    ageAdd: 0,
    serverName: offer.driver.config.serverName,
    alpnProtocol: state.alpnProtocol,
    peerCertificates: state.peerCertificates,
    sessionId: ticket !== undefined ? new Uint8Array(0) : state.sessionId,
    extendedMasterSecret: state.extendedMasterSecret,
  });
  offer.driver.emitSession(session, lifetime);
}

/**
 * Our chain for a TLS 1.2 CertificateRequest: the first whose key type the server lists
 * (RFC 5246 §7.4.4 certificate_types) and that can sign one of its algorithms.
 */
function chooseTls12ClientCertificate(
  driver: HandshakeDriver,
  request: NonNullable<Negotiated['certificateRequest']>,
  version: number,
): { key: CertifiedKey; scheme: number } | undefined {
  const ours = driver.config.signatureSchemes ?? defaultTls12SignatureSchemes;
  for (const key of driver.config.certificates ?? []) {
    const type = key.privateKey.type;
    const typeAllowed =
      (type === 'rsa' && request.types.includes(ClientCertificateType.RsaSign)) ||
      (type === 'ec' && request.types.includes(ClientCertificateType.EcdsaSign)) ||
      ((type === 'ed25519' || type === 'ed448' || type === 'rsa-pss') &&
        (request.types.includes(ClientCertificateType.EcdsaSign) ||
          request.types.includes(ClientCertificateType.RsaSign)));
    if (!typeAllowed) continue;
    if (version < ProtocolVersion.Tls12 || request.schemes === undefined) {
      const scheme = legacySignatureScheme(key.privateKey);
      if (scheme !== undefined) return { key, scheme };
      continue;
    }
    const scheme = request.schemes.find(
      (candidate) =>
        ours.includes(candidate) && isTls12SchemeCompatible(driver.provider, candidate, key.privateKey),
    );
    if (scheme !== undefined) return { key, scheme };
  }
  return undefined;
}

/** The TLS 1.2 extensions a client adds to its ClientHello (RFC 8422, 7627, 7366, 5077). */
export function tls12ClientHelloExtensions(
  driver: HandshakeDriver,
  suites: readonly number[],
  session: ClientSession | undefined,
): ClientHelloExtension[] {
  const { config } = driver;
  const extensions: ClientHelloExtension[] = [];
  const ecc = suites.some((id) => getCipherSuite(id)?.keyExchange === 'ecdhe');
  // RFC 8422 §5.1.2: uncompressed points only.
  if (ecc) extensions.push({ kind: 'ec_point_formats', ecPointFormatList: [0] });
  if (config.extendedMasterSecret !== false) extensions.push({ kind: 'extended_master_secret' });
  if (config.encryptThenMac !== false && suites.some((id) => getCipherSuite(id)?.cipherType === 'cbc'))
    extensions.push({ kind: 'encrypt_then_mac' });
  // RFC 5077 §3.2: an empty session_ticket asks for a ticket; a ticket offers resumption.
  if (config.sessionTickets !== false)
    extensions.push({ kind: 'session_ticket', ticket: session?.ticket ?? new Uint8Array(0) });
  const fragment = fragmentLengthCode(config.maxFragmentLength);
  if (fragment !== undefined) extensions.push({ kind: 'max_fragment_length', maxFragmentLength: fragment });
  // draft-agl-tls-nextprotoneg-04 §3: the client's extension is empty.
  if ((config.npnProtocols ?? []).length > 0) {
    extensions.push({
      kind: 'unknown',
      type: ExtensionType.NextProtocolNegotiation,
      data: new Uint8Array(0),
    });
  }
  return extensions;
}

/** RFC 6066 §4: 2^9 → 1, 2^10 → 2, 2^11 → 3, 2^12 → 4. */
export function fragmentLengthCode(length: number | undefined): number | undefined {
  const code = [512, 1024, 2048, 4096].indexOf(length ?? 0);
  return code === -1 ? undefined : code + 1;
}

/** Groups a TLS 1.2 ECDHE exchange can use (RFC 8422 §5.1.1): no finite-field groups. */
export function isEcdheGroup(group: number): boolean {
  return (
    group === NamedGroup.X25519 ||
    group === NamedGroup.X448 ||
    group === NamedGroup.Secp256r1 ||
    group === NamedGroup.Secp384r1 ||
    group === NamedGroup.Secp521r1
  );
}
