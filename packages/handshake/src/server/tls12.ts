// The TLS 1.2 (and 1.0/1.1) server (RFC 5246 §7.3), entered from ExpectClientHello when the
// client does not offer TLS 1.3 or TLS 1.3 is disabled. Full handshake: ServerHello,
// Certificate, [CertificateStatus], [ServerKeyExchange], [CertificateRequest], ServerHelloDone →
// the client's [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished →
// our [NewSessionTicket], ChangeCipherSpec, Finished. Abbreviated, from a session id (RFC 5246
// §7.4.1.2) or a ticket (RFC 5077 §3.1): ServerHello, ChangeCipherSpec, Finished → the client's.
// Extensions: RFC 5746, 7627, 7366, 7301, 6066, 8422, 5077; RFC 7507 TLS_FALLBACK_SCSV; RFC 8446
// §4.1.3 downgrade sentinels.

import { NamedGroup, SignatureScheme } from '@tls/crypto';
import { AlertDescription, TlsError, concatBytes, copyBytes } from '@tls/record';
import {
  bitLength,
  decodeTls12CertificateVerify,
  encodeNameList,
  fitsTls12Suite,
  isTls12SchemeCompatible,
  latin1,
  legacySignatureScheme,
  preferCertificatesSignedAsAsked,
  requireMessage,
  stripLeadingZeros,
} from '../client/common.js';
import { isEcdheGroup } from '../client/tls12.js';
import { importPeerKey } from '../connection/spki.js';
import { chooseAlpn } from './alpn.js';
import {
  type CertifiedKey,
  defaultCipherSuites,
  defaultGroups,
  defaultTls12CipherSuites,
  defaultTls12SignatureSchemes,
  sharedSignatureSchemes,
} from '../connection/config.js';
import type { HandshakeDriver, HandshakeState, RenegotiationContext } from '../connection/connection.js';
import type { KeyShare } from '@tls/crypto';
import {
  CertificateStatusType,
  CipherSuite,
  ExtensionType,
  HandshakeType,
  ProtocolVersion,
} from '../enums.js';
import { handshakeError, unexpectedMessage } from '../errors.js';
import { Tls12KeySchedule, tls12PrfAlgorithm } from '../key-schedule/tls12.js';
import { type Tls12Protections, tls12Protections } from '../key-schedule/tls12-protection.js';
import { type DecodedClientHello, decodeClientHello } from '../messages/client-hello.js';
import { type ServerHelloExtension, getExtension } from '../messages/extensions/extension-list.js';
import { getHostName } from '../messages/extensions/server-name.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import {
  downgradeSentinelTls11,
  downgradeSentinelTls12,
  encodeServerHello,
} from '../messages/server-hello.js';
import { decodeTls12Certificate, encodeTls12Certificate } from '../messages/tls12/certificate.js';
import {
  ClientCertificateType,
  encodeTls12CertificateRequest,
} from '../messages/tls12/certificate-request.js';
import { decodeClientKeyExchange } from '../messages/tls12/client-key-exchange.js';
import {
  type ServerKeyExchange,
  encodeServerKeyExchange,
  serverKeyExchangeSignedContent,
} from '../messages/tls12/server-key-exchange.js';
import {
  decodeNextProtocol,
  encodeHelloRequest,
  encodeServerHelloDone,
  encodeTls12CertificateStatus,
  encodeTls12NewSessionTicket,
} from '../messages/tls12/simple-messages.js';
import type { HandshakeFrame } from '../reassembler.js';
import {
  type TicketState,
  decodeTicketState,
  encodeTicketState,
  sameSessionIdContext,
} from '../resumption/session.js';
import { TicketKey } from '../resumption/ticket-keys.js';
import { type CipherSuiteInfo, getCipherSuite, isSuiteUsableAt, serverSuiteSearch } from '../suites.js';
import { Transcript } from '../transcript.js';

const encoder = new TextEncoder();

interface Choice {
  readonly suite: CipherSuiteInfo;
  readonly certified: CertifiedKey;
  /** The scheme for ServerKeyExchange; undefined for static RSA. */
  readonly scheme: number | undefined;
  readonly group: number | undefined;
}

interface Handshake {
  readonly driver: HandshakeDriver;
  readonly hello: DecodedClientHello;
  readonly version: number;
  readonly suite: CipherSuiteInfo;
  readonly transcript: Transcript;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly extendedMasterSecret: boolean;
  readonly encryptThenMac: boolean;
  /** The client signalled RFC 5746 support (renegotiation_info or the SCSV). */
  readonly secureRenegotiation: boolean;
  readonly serverName: string | undefined;
  readonly alpnProtocol: string | undefined;
  readonly issueTicket: boolean;
  readonly resumed: boolean;
  /** We advertised NPN: a NextProtocol comes between the client's ChangeCipherSpec and Finished. */
  readonly npnAdvertised: boolean;
  readonly npnProtocol?: string;
  readonly choice?: Choice;
  readonly share?: KeyShare;
  readonly peerCertificates: readonly Uint8Array[];
  readonly peerSignatureScheme?: number | undefined;
  readonly masterSecret?: Uint8Array;
  readonly protections?: Tls12Protections;
  readonly serverFinished?: Uint8Array;
}

/**
 * Answers a ClientHello at `version` (TLS 1.2 or older, already chosen from the client's offer
 * and our range) and returns the next state.
 */
export function handleTls12ClientHello(
  driver: HandshakeDriver,
  hello: DecodedClientHello,
  version: number,
  maxVersion: number,
  renegotiation?: RenegotiationContext,
): HandshakeState {
  const { config, provider } = driver;
  // RFC 7507 §3: a fallback connection below our highest version is an attack or a bug.
  if (hello.cipherSuites.includes(CipherSuite.TLS_FALLBACK_SCSV) && version < maxVersion) {
    throw handshakeError(
      'InappropriateFallback',
      'client signalled a fallback while a higher version is supported (RFC 7507 §3)',
    );
  }
  // RFC 5246 §7.4.1.2: null compression must be offered.
  if (!hello.legacyCompressionMethods.includes(0))
    throw handshakeError('IllegalParameter', 'client did not offer null compression (RFC 5246 §7.4.1.2)');
  const renegotiationInfo = getExtension(hello.extensions, 'renegotiation_info');
  const signalled = hello.cipherSuites.includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  if (renegotiation === undefined) {
    // RFC 5746 §3.6: on an initial handshake the extension must be empty.
    if (renegotiationInfo !== undefined && renegotiationInfo.renegotiatedConnection.length !== 0) {
      throw handshakeError(
        'RenegotiationMismatch',
        'client sent a non-empty renegotiation_info on an initial handshake (RFC 5746 §3.6)',
      );
    }
  } else {
    // RFC 5746 §3.7: no SCSV, and renegotiation_info is client_verify_data (constant time).
    const received = renegotiationInfo?.renegotiatedConnection;
    const expected = renegotiation.clientVerifyData;
    if (
      signalled ||
      received === undefined ||
      received.length !== expected.length ||
      !provider.timingSafeEqual(received, expected)
    ) {
      throw handshakeError(
        'RenegotiationMismatch',
        'renegotiating ClientHello does not carry our client_verify_data (RFC 5746 §3.7)',
      );
    }
  }
  const secureRenegotiation = renegotiationInfo !== undefined || signalled;
  const extendedMasterSecret =
    config.extendedMasterSecret !== false &&
    getExtension(hello.extensions, 'extended_master_secret') !== undefined;
  const serverNames = getExtension(hello.extensions, 'server_name');
  const serverName = serverNames === undefined ? undefined : getHostName(serverNames);
  const alpnProtocol = chooseAlpn(config, hello, serverName);
  const offersTicket = getExtension(hello.extensions, 'session_ticket');
  const issueTicket = offersTicket !== undefined && config.ticketKeys !== undefined;

  const resumable = findSession(driver, hello, version, extendedMasterSecret);
  const random = provider.random(32);
  // RFC 8446 §4.1.3: a server that could do more marks the downgrade in its random. Not below
  // TLS 1.2 when TLS 1.2 is disabled in our range: a TLS 1.2 client must still be able to get
  // TLS 1.1 from us (OpenSSL's check_for_downgrade does the same).
  if (maxVersion >= ProtocolVersion.Tls13 && version === ProtocolVersion.Tls12)
    random.set(downgradeSentinelTls12, 24);
  else if (
    maxVersion >= ProtocolVersion.Tls12 &&
    version < ProtocolVersion.Tls12 &&
    !(config.disabledVersions ?? []).includes(ProtocolVersion.Tls12)
  )
    random.set(downgradeSentinelTls11, 24);

  driver.setProtocolVersion(version);
  driver.setRecordVersion(version);
  driver.setPeerRecordVersion(version);
  const requestedFragment = getExtension(hello.extensions, 'max_fragment_length');
  if (requestedFragment !== undefined && config.maxFragmentLength !== 0)
    driver.setNegotiatedFragmentLength(256 << requestedFragment.maxFragmentLength);

  const extensions: ServerHelloExtension[] = [];
  if (secureRenegotiation) {
    extensions.push({
      kind: 'renegotiation_info',
      // RFC 5746 §3.6, §3.7: empty at first, then client_verify_data ‖ server_verify_data.
      renegotiatedConnection:
        renegotiation === undefined
          ? new Uint8Array(0)
          : concatBytes([renegotiation.clientVerifyData, renegotiation.serverVerifyData]),
    });
  }
  if (extendedMasterSecret) extensions.push({ kind: 'extended_master_secret' });
  // RFC 6066 §4: the server echoes the client's max_fragment_length and both sides keep to it.
  if (requestedFragment !== undefined && config.maxFragmentLength !== 0) {
    extensions.push({ kind: 'max_fragment_length', maxFragmentLength: requestedFragment.maxFragmentLength });
  }
  const clientLimit = getExtension(hello.extensions, 'record_size_limit');
  if (clientLimit !== undefined) {
    // RFC 8449 §4: records protected from here on fit the client's limit, and we answer with
    // ours; before TLS 1.3 the limit counts no content type byte, so at most 2^14.
    driver.setPeerRecordSizeLimit(clientLimit.recordSizeLimit);
    const ours = Math.min(config.recordSizeLimit ?? 16384, 16384);
    extensions.push({ kind: 'record_size_limit', recordSizeLimit: ours });
    // The reader takes the TLS 1.3 form of the limit (content type byte included).
    driver.setOwnRecordSizeLimit(ours + 1);
  }
  if (alpnProtocol !== undefined) {
    extensions.push({
      kind: 'application_layer_protocol_negotiation',
      protocolNameList: [encoder.encode(alpnProtocol)],
    });
  }
  // draft-agl-tls-nextprotoneg-04 §3: advertised when the client asks and ALPN did not settle it.
  const npnAdvertised =
    alpnProtocol === undefined &&
    (config.npnProtocols ?? []).length > 0 &&
    hello.extensions.some(
      (extension) => extension.kind === 'unknown' && extension.type === ExtensionType.NextProtocolNegotiation,
    );
  if (npnAdvertised) {
    extensions.push({
      kind: 'unknown',
      type: ExtensionType.NextProtocolNegotiation,
      data: encodeNameList(config.npnProtocols ?? []),
    });
  }

  if (resumable !== undefined) {
    const suite = getCipherSuite(resumable.state.cipherSuite)!;
    const encryptThenMac = wantsEncryptThenMac(driver, hello, suite);
    if (encryptThenMac) extensions.push({ kind: 'encrypt_then_mac' });
    const transcript = new Transcript(provider);
    transcript.startHash(new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version)).handshakeHash);
    transcript.add(hello.original);
    const serverHello = encodeServerHello({
      kind: 'server-hello',
      legacyVersion: version,
      random,
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: suite.id,
      legacyCompressionMethod: 0,
      extensions,
    });
    transcript.add(serverHello);
    driver.send(serverHello);
    const masterSecret = resumable.state.psk;
    const clientRandom = copyBytes(hello.random);
    driver.keylog('CLIENT_RANDOM', clientRandom, masterSecret);
    const protections = tls12Protections(
      provider,
      suite,
      version,
      masterSecret,
      clientRandom,
      random,
      encryptThenMac,
    );
    const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version));
    driver.sendChangeCipherSpec();
    driver.setWriteProtection(protections.server);
    const serverFinished = schedule.finishedVerifyData(masterSecret, 'server', transcript.currentHash());
    const finished = encodeFinished({ verifyData: serverFinished });
    transcript.add(finished);
    driver.send(finished);
    return new ExpectChangeCipherSpec({
      driver,
      hello,
      version,
      suite,
      transcript,
      clientRandom,
      serverRandom: random,
      sessionId: copyBytes(hello.legacySessionId),
      extendedMasterSecret,
      encryptThenMac,
      secureRenegotiation,
      serverName: resumable.state.serverName,
      alpnProtocol,
      issueTicket: false,
      resumed: true,
      npnAdvertised,
      peerCertificates: resumable.state.peerCertificates ?? [],
      masterSecret,
      protections,
      serverFinished,
    });
  }

  const choice = chooseTls12(driver, hello, version);
  const { suite } = choice;
  const encryptThenMac = wantsEncryptThenMac(driver, hello, suite);
  if (encryptThenMac) extensions.push({ kind: 'encrypt_then_mac' });
  if (serverName !== undefined) extensions.push({ kind: 'server_name' });
  if (suite.keyExchange === 'ecdhe' && getExtension(hello.extensions, 'ec_point_formats') !== undefined)
    extensions.push({ kind: 'ec_point_formats', ecPointFormatList: [0] });
  if (issueTicket) extensions.push({ kind: 'session_ticket', ticket: new Uint8Array(0) });
  const stapling = wantsOcsp(hello) && choice.certified.ocspResponse !== undefined;
  if (stapling) extensions.push({ kind: 'status_request' });

  const requestCertificate =
    (renegotiation?.requestClientCertificate ?? config.requestClientCertificate) === true;
  const transcript = new Transcript(provider, { retainMessages: requestCertificate });
  transcript.startHash(new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version)).handshakeHash);
  transcript.add(hello.original);
  // OpenSSL's rule (ssl_generate_session_id): a session that will get a ticket (RFC 5077) gets an
  // empty session id, so it is neither cached by id nor announced to Node's 'newSession'.
  const sessionId =
    config.sessionStore !== undefined && !issueTicket ? provider.random(32) : new Uint8Array(0);
  const send = (message: Uint8Array) => {
    transcript.add(message);
    driver.send(message);
  };
  send(
    encodeServerHello({
      kind: 'server-hello',
      legacyVersion: version,
      random,
      legacySessionIdEcho: sessionId,
      cipherSuite: suite.id,
      legacyCompressionMethod: 0,
      extensions,
    }),
  );
  send(encodeTls12Certificate({ certificateList: choice.certified.chain }));
  if (stapling) {
    send(
      encodeTls12CertificateStatus({
        statusType: CertificateStatusType.Ocsp,
        response: choice.certified.ocspResponse!,
      }),
    );
  }
  const clientRandom = copyBytes(hello.random);
  let share: KeyShare | undefined;
  if (suite.keyExchange === 'ecdhe' || suite.keyExchange === 'dhe') {
    let params: ServerKeyExchange;
    if (suite.keyExchange === 'ecdhe') {
      share = provider.generateKeyShare(choice.group!);
      params = {
        kind: 'ecdhe',
        namedCurve: choice.group!,
        publicKey: share.publicKey,
        signed: { algorithm: undefined, signature: new Uint8Array(0) },
      };
    } else {
      const dh = config.dhParams!;
      share = provider.generateDhKeyShare(dh.prime, dh.generator);
      params = {
        kind: 'dhe',
        p: dh.prime,
        g: dh.generator,
        publicKey: share.publicKey,
        signed: { algorithm: undefined, signature: new Uint8Array(0) },
      };
    }
    // RFC 5246 §7.4.3: signed over client_random + server_random + params.
    const signature = provider.sign(
      choice.scheme!,
      choice.certified.privateKey,
      serverKeyExchangeSignedContent(clientRandom, random, params),
    );
    send(
      encodeServerKeyExchange({
        ...params,
        signed: { algorithm: version >= ProtocolVersion.Tls12 ? choice.scheme : undefined, signature },
      }),
    );
  }
  if (requestCertificate) {
    send(
      encodeTls12CertificateRequest({
        certificateTypes: [ClientCertificateType.RsaSign, ClientCertificateType.EcdsaSign],
        supportedSignatureAlgorithms:
          version >= ProtocolVersion.Tls12
            ? (config.signatureSchemes ?? defaultTls12SignatureSchemes)
            : undefined,
        certificateAuthorities: config.certificateAuthorities ?? [],
      }),
    );
  }
  send(encodeServerHelloDone());
  const state: Handshake = {
    driver,
    hello,
    version,
    suite,
    transcript,
    clientRandom,
    serverRandom: random,
    sessionId,
    extendedMasterSecret,
    encryptThenMac,
    secureRenegotiation,
    serverName,
    alpnProtocol,
    issueTicket,
    resumed: false,
    npnAdvertised,
    choice,
    ...(share === undefined ? {} : { share }),
    peerCertificates: [],
  };
  return requestCertificate ? new ExpectClientCertificate(state) : new ExpectClientKeyExchange(state);
}

/**
 * A renegotiation on our side (RFC 5746 §3.7): a HelloRequest first when we start it
 * (RFC 5246 §7.4.1.1; never part of the transcript), then the client's new ClientHello.
 */
export function renegotiateTls12Server(
  driver: HandshakeDriver,
  context: RenegotiationContext,
): HandshakeState {
  if (context.sendHelloRequest === true) driver.send(encodeHelloRequest());
  return new ExpectRenegotiationClientHello(driver, context);
}

/** Waits for the ClientHello of a renegotiation, for the connection's version. */
class ExpectRenegotiationClientHello implements HandshakeState {
  readonly name = 'ExpectClientHello';
  readonly allowsChangeCipherSpec = false;
  readonly #driver: HandshakeDriver;
  readonly #context: RenegotiationContext;

  constructor(driver: HandshakeDriver, context: RenegotiationContext) {
    this.#driver = driver;
    this.#context = context;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.ClientHello);
    const hello = decodeClientHello(frame.bytes);
    const version = this.#context.version;
    const versions = getExtension(hello.extensions, 'supported_versions');
    const offered = versions !== undefined && 'versions' in versions ? versions.versions : undefined;
    if (offered === undefined ? hello.legacyVersion < version : !offered.includes(version)) {
      throw handshakeError(
        'UnsupportedProtocol',
        'renegotiating client does not offer the connection version (RFC 5246 §7.4.1.2)',
      );
    }
    return handleTls12ClientHello(this.#driver, hello, version, version, this.#context);
  }
}

/** A session the client offers (ticket first, then session id) that we can resume. */
function findSession(
  driver: HandshakeDriver,
  hello: DecodedClientHello,
  version: number,
  extendedMasterSecret: boolean,
): { state: TicketState } | undefined {
  const { config, provider } = driver;
  let sealed: Uint8Array | undefined;
  const ticket = getExtension(hello.extensions, 'session_ticket');
  if (ticket !== undefined && ticket.ticket.length > 0 && config.ticketKeys !== undefined) {
    // RFC 5077 §3.4: resuming by ticket, the server echoes the client's session id.
    if (hello.legacySessionId.length > 0)
      sealed = TicketKey.for(provider, config.ticketKeys).open(ticket.ticket);
  } else if (hello.legacySessionId.length > 0 && config.sessionStore !== undefined) {
    sealed = config.sessionStore.load(copyBytes(hello.legacySessionId));
  }
  const state = sealed === undefined ? undefined : decodeTicketState(sealed);
  if (
    state === undefined ||
    state.version !== version ||
    !sameSessionIdContext(state, config.sessionIdContext)
  )
    return undefined;
  const suite = getCipherSuite(state.cipherSuite);
  // RFC 5246 §7.4.1.2: the session's suite must be offered again (and still enabled here).
  const ours = config.cipherSuites ?? defaultTls12CipherSuites;
  if (
    suite === undefined ||
    !hello.cipherSuites.includes(suite.id) ||
    !ours.includes(suite.id) ||
    !isSuiteUsableAt(suite, version)
  )
    return undefined;
  // RFC 6066 §3: a session belongs to the server name it was made for.
  const serverNames = getExtension(hello.extensions, 'server_name');
  const serverName = serverNames === undefined ? undefined : getHostName(serverNames);
  if ((state.serverName ?? '') !== (serverName ?? '')) return undefined;
  // RFC 7627 §5.3: never resume across a change of master secret kind (a full handshake follows).
  if ((state.extendedMasterSecret === true) !== extendedMasterSecret) return undefined;
  const age = provider.now() - state.issuedAt;
  if (age < 0 || age > state.lifetime * 1000) return undefined;
  return { state };
}

function wantsEncryptThenMac(
  driver: HandshakeDriver,
  hello: DecodedClientHello,
  suite: CipherSuiteInfo,
): boolean {
  // RFC 7366 §3: only for CBC suites.
  return (
    suite.cipherType === 'cbc' &&
    driver.config.encryptThenMac !== false &&
    getExtension(hello.extensions, 'encrypt_then_mac') !== undefined
  );
}

function wantsOcsp(hello: DecodedClientHello): boolean {
  const request = getExtension(hello.extensions, 'status_request');
  return (
    request !== undefined && 'statusType' in request && request.statusType === CertificateStatusType.Ocsp
  );
}

/**
 * The suite, certificate, signature scheme and group (RFC 5246 §7.4.1.3, RFC 8422 §5.1): by our
 * order (Node's honorCipherOrder) or the client's, the first suite whose key exchange we can run
 * and for which a certificate of the right key type can sign an algorithm the client accepts.
 */
function chooseTls12(driver: HandshakeDriver, hello: DecodedClientHello, version: number): Choice {
  const { config, provider } = driver;
  const ours = (config.cipherSuites ?? [...defaultCipherSuites, ...defaultTls12CipherSuites]).filter((id) => {
    const suite = getCipherSuite(id);
    return suite !== undefined && isSuiteUsableAt(suite, version);
  });
  const theirs = hello.cipherSuites;
  const [preferred, other] = serverSuiteSearch(ours, theirs, config);
  const clientGroups = getExtension(hello.extensions, 'supported_groups')?.namedGroupList;
  const ourGroups = (config.groups ?? defaultGroups).filter(
    (group) => isEcdheGroup(group) && provider.supportedGroups.includes(group),
  );
  // RFC 8422 §4: without supported_groups the server may pick any curve; P-256 is the safe one.
  const group =
    clientGroups === undefined
      ? ourGroups.find((candidate) => candidate === NamedGroup.Secp256r1)
      : ourGroups.find((candidate) => clientGroups.includes(candidate));
  const algorithms = getExtension(hello.extensions, 'signature_algorithms')?.supportedSignatureAlgorithms;
  // RFC 5246 §7.4.1.4.1: a client without signature_algorithms accepts SHA-1 signatures.
  const clientSchemes = algorithms ?? [SignatureScheme.RsaPkcs1Sha1, SignatureScheme.EcdsaSha1];
  const ourSchemes = [
    ...(config.signatureSchemes ?? defaultTls12SignatureSchemes),
    ...(algorithms === undefined ? clientSchemes : []),
  ];
  const certificateSchemes =
    getExtension(hello.extensions, 'signature_algorithms_cert')?.supportedSignatureAlgorithms ?? algorithms;
  for (const id of preferred) {
    if (!other.includes(id)) continue;
    const suite = getCipherSuite(id)!;
    if (suite.keyExchange === 'ecdhe' && group === undefined) continue;
    if (suite.keyExchange === 'dhe' && config.dhParams === undefined) continue;
    if (suite.keyExchange === 'rsa' && config.staticRsaKeyExchange !== true) continue;
    for (const certified of preferCertificatesSignedAsAsked(config.certificates ?? [], certificateSchemes)) {
      if (!fitsTls12Suite(certified.privateKey.type, suite.authentication, suite.keyExchange)) continue;
      if (suite.keyExchange === 'rsa') return { suite, certified, scheme: undefined, group: undefined };
      const scheme =
        version < ProtocolVersion.Tls12
          ? legacySignatureScheme(certified.privateKey)
          : clientSchemes.find(
              (candidate) =>
                ourSchemes.includes(candidate) &&
                isTls12SchemeCompatible(provider, candidate, certified.privateKey),
            );
      if (scheme !== undefined)
        return { suite, certified, scheme, group: suite.keyExchange === 'ecdhe' ? group : undefined };
    }
  }
  throw handshakeError('NoSharedCipher', 'no cipher suite in common (RFC 5246 §7.4.1.3)');
}

/** Waits for the client's Certificate after our CertificateRequest (RFC 5246 §7.4.6). */
class ExpectClientCertificate implements HandshakeState {
  readonly name = 'ExpectClientCertificate';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Handshake;

  constructor(state: Handshake) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Certificate);
    const state = this.#state;
    const chain = decodeTls12Certificate(frame.bytes).certificateList.map((der) => copyBytes(der));
    // The verifier decides about an empty chain too (Node's requestCert/rejectUnauthorized).
    const failure = state.driver.config.verifyPeer?.(chain, { peer: 'client', serverName: state.serverName });
    if (failure !== undefined) {
      // certificate_required exists only in TLS 1.3 (RFC 8446 §6.2); a TLS 1.2 server refusing a
      // missing certificate sends handshake_failure (RFC 5246 §7.4.6), as OpenSSL does.
      if (failure.alert === AlertDescription.CertificateRequired) {
        throw new TlsError(failure.code, AlertDescription.HandshakeFailure, failure.message, {
          cause: failure,
        });
      }
      throw failure;
    }
    state.transcript.add(frame.bytes);
    return new ExpectClientKeyExchange({ ...state, peerCertificates: chain });
  }
}

/** Waits for ClientKeyExchange (RFC 5246 §7.4.7) and derives the master secret. */
class ExpectClientKeyExchange implements HandshakeState {
  readonly name = 'ExpectClientKeyExchange';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Handshake;

  constructor(state: Handshake) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.ClientKeyExchange);
    const state = this.#state;
    const { driver, suite, version } = state;
    const { provider } = driver;
    const message = decodeClientKeyExchange(frame.bytes, suite.keyExchange as 'ecdhe' | 'dhe' | 'rsa');
    let premasterSecret: Uint8Array;
    if (message.kind === 'rsa') {
      // RFC 5246 §7.4.7.1: the provider answers a bad padding or version with random bytes, so
      // nothing here (error, alert or timing) tells the client which: the Finished check fails.
      premasterSecret = provider.rsaDecryptPremaster(
        state.choice!.certified.privateKey,
        message.encryptedPreMasterSecret,
        state.hello.legacyVersion,
      );
    } else if (message.kind === 'ecdhe') {
      premasterSecret = state.share!.complete(message.publicKey);
    } else {
      premasterSecret = stripLeadingZeros(state.share!.complete(message.publicKey));
    }
    state.transcript.add(frame.bytes);
    const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version));
    // RFC 7627 §4: the session hash runs up to and including ClientKeyExchange.
    const masterSecret = state.extendedMasterSecret
      ? schedule.extendedMasterSecret(premasterSecret, state.transcript.currentHash())
      : schedule.masterSecret(premasterSecret, state.clientRandom, state.serverRandom);
    driver.keylog('CLIENT_RANDOM', state.clientRandom, masterSecret);
    const protections = tls12Protections(
      provider,
      suite,
      version,
      masterSecret,
      state.clientRandom,
      state.serverRandom,
      state.encryptThenMac,
    );
    const next: Handshake = { ...state, masterSecret, protections };
    if (state.peerCertificates.length > 0) return new ExpectCertificateVerify(next);
    return new ExpectChangeCipherSpec(next);
  }
}

/** Waits for the client's CertificateVerify (RFC 5246 §7.4.8). */
class ExpectCertificateVerify implements HandshakeState {
  readonly name = 'ExpectClientCertificateVerify';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Handshake;

  constructor(state: Handshake) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.CertificateVerify);
    const state = this.#state;
    const { driver } = state;
    const signed = decodeTls12CertificateVerify(frame.bytes, state.version);
    const key = importPeerKey(driver.provider, state.peerCertificates[0]!, 'client');
    const scheme = signed.algorithm ?? legacySignatureScheme(key);
    const offered = driver.config.signatureSchemes ?? defaultTls12SignatureSchemes;
    // RFC 5246 §7.4.8: an algorithm from our CertificateRequest list.
    if (scheme === undefined || (signed.algorithm !== undefined && !offered.includes(scheme))) {
      throw handshakeError(
        'WrongSignatureType',
        'client signed with an algorithm that was not offered (RFC 5246 §7.4.8)',
      );
    }
    if (!isTls12SchemeCompatible(driver.provider, scheme, key))
      throw handshakeError(
        'IllegalParameter',
        "client's signature algorithm does not fit its key (RFC 5246 §7.4.8)",
      );
    if (!driver.provider.verify(scheme, key, state.transcript.messages(), signed.signature))
      throw handshakeError('BadSignature', 'client CertificateVerify does not verify (RFC 5246 §7.4.8)');
    state.transcript.add(frame.bytes);
    return new ExpectChangeCipherSpec({ ...state, peerSignatureScheme: signed.algorithm });
  }
}

/** Waits for the client's ChangeCipherSpec (RFC 5246 §7.1). */
class ExpectChangeCipherSpec implements HandshakeState {
  readonly name = 'ExpectChangeCipherSpec';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Handshake;

  constructor(state: Handshake) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    throw unexpectedMessage(
      `peer sent handshake message ${frame.type} where ChangeCipherSpec was expected (RFC 5246 §7.1)`,
    );
  }

  handleChangeCipherSpec(): HandshakeState {
    this.#state.driver.setReadProtection(this.#state.protections!.client);
    return this.#state.npnAdvertised ? new ExpectNextProtocol(this.#state) : new ExpectFinished(this.#state);
  }
}

/** Waits for the client's NextProtocol (draft-agl-tls-nextprotoneg-04 §4), before its Finished. */
class ExpectNextProtocol implements HandshakeState {
  readonly name = 'ExpectNextProtocol';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Handshake;

  constructor(state: Handshake) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.NextProtocol);
    const message = decodeNextProtocol(frame.bytes);
    this.#state.transcript.add(frame.bytes);
    return new ExpectFinished({ ...this.#state, npnProtocol: latin1(message.selectedProtocol) });
  }
}

/** Waits for the client's Finished (RFC 5246 §7.4.9); a full handshake then sends ours. */
class ExpectFinished implements HandshakeState {
  readonly name = 'ExpectClientFinished';
  readonly allowsChangeCipherSpec = false;
  readonly #state: Handshake;

  constructor(state: Handshake) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Finished);
    const state = this.#state;
    const { driver, transcript, suite, version } = state;
    const { config, provider } = driver;
    const masterSecret = state.masterSecret!;
    const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version));
    const finished = decodeFinished(frame.bytes, 12);
    if (!schedule.verifyFinished(masterSecret, 'client', transcript.currentHash(), finished.verifyData))
      throw handshakeError('DigestCheckFailed', 'client Finished does not verify (RFC 5246 §7.4.9)');
    transcript.add(frame.bytes);
    let serverFinished = state.serverFinished;
    if (serverFinished === undefined) {
      const sessionState = encodeTicketState({
        cipherSuite: suite.id,
        psk: masterSecret,
        issuedAt: provider.now(),
        // RFC 5077 §3.3 sets no upper bound (TLS 1.3's seven days do not apply; OpenSSL keeps the
        // whole session timeout).
        lifetime: config.ticketLifetime ?? 300,
        ageAdd: 0,
        serverName: state.serverName,
        alpnProtocol: state.alpnProtocol,
        version,
        extendedMasterSecret: state.extendedMasterSecret,
        peerCertificates: state.peerCertificates,
        ...(config.sessionIdContext === undefined ? {} : { sessionIdContext: config.sessionIdContext }),
      });
      if (state.issueTicket) {
        // RFC 5077 §3.3: the ticket goes before our ChangeCipherSpec.
        const ticket = encodeTls12NewSessionTicket({
          ticketLifetimeHint: config.ticketLifetime ?? 300,
          ticket: TicketKey.for(provider, config.ticketKeys!).seal(sessionState),
        });
        transcript.add(ticket);
        driver.send(ticket);
      }
      if (state.sessionId.length > 0) config.sessionStore?.save(copyBytes(state.sessionId), sessionState);
      driver.sendChangeCipherSpec();
      driver.setWriteProtection(state.protections!.server);
      serverFinished = schedule.finishedVerifyData(masterSecret, 'server', transcript.currentHash());
      const message = encodeFinished({ verifyData: serverFinished });
      transcript.add(message);
      driver.send(message);
    }
    driver.setTls12Secrets({
      suite,
      version,
      masterSecret,
      clientRandom: state.clientRandom,
      serverRandom: state.serverRandom,
    });
    driver.complete({
      version,
      cipherSuite: suite,
      group: state.choice?.group,
      ...(suite.keyExchange === 'dhe' && !state.resumed
        ? { dhPrimeBits: bitLength(config.dhParams!.prime) }
        : {}),
      alpnProtocol: state.alpnProtocol,
      serverName: state.serverName,
      peerCertificates: state.peerCertificates,
      localCertificates: state.choice?.certified.chain ?? [],
      peerSignatureScheme: state.peerSignatureScheme,
      localSignatureScheme: version >= ProtocolVersion.Tls12 ? state.choice?.scheme : undefined,
      sharedSignatureSchemes: sharedSignatureSchemes(
        getExtension(state.hello.extensions, 'signature_algorithms')?.supportedSignatureAlgorithms,
        driver.config,
        'server',
      ),
      resumed: state.resumed,
      clientRandom: state.clientRandom,
      serverRandom: state.serverRandom,
      clientFinished: copyBytes(finished.verifyData),
      serverFinished,
      helloRetry: false,
      extendedMasterSecret: state.extendedMasterSecret,
      encryptThenMac: state.encryptThenMac,
      ...(state.secureRenegotiation ? {} : { secureRenegotiation: false }),
      sessionId: state.sessionId,
      ...(state.npnProtocol === undefined ? {} : { npnProtocol: state.npnProtocol }),
    });
    return {
      name: 'Traffic',
      allowsChangeCipherSpec: false,
      handle(): HandshakeState {
        throw unexpectedMessage('handshake message after the handshake');
      },
    };
  }
}
