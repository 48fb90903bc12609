// The TLS 1.3 server (RFC 8446 §2, §4): ClientHello → (HelloRetryRequest → ClientHello) →
// ServerHello, EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify,
// Finished → the client's [Certificate, CertificateVerify] and Finished. One class per state,
// named after the message it waits for.
//
// 0-RTT (RFC 8446 §4.2.10), only with `maxEarlyData`: our tickets then carry early_data, and a
// ClientHello resuming one with early_data has its early data accepted when every condition of
// §4.2.10 holds (see `#acceptsEarlyData`); the client's records are then read under its early
// traffic key, application data among them reported as `early-data`, until EndOfEarlyData
// (ExpectEndOfEarlyData). Otherwise early data is skipped (connection/early-data.ts).

import type { CryptoProvider } from '@tls/crypto';
import { AlertDescription, TlsError, createTls13Protection } from '@tls/record';
import {
  chooseSignatureScheme,
  preferCertificatesSignedAsAsked,
  copyBytes,
  requireMessage,
} from '../client/common.js';
import {
  type CertifiedKey,
  type ConnectionConfig,
  type ResumptionState,
  defaultCipherSuites,
  defaultGroups,
  defaultSignatureSchemes,
  isTls13SignatureScheme,
  sharedSignatureSchemes,
  tls13CertificateRequestExtensions,
  versionRange,
} from '../connection/config.js';
import type { HandshakeDriver, HandshakeState } from '../connection/connection.js';
import { importPeerKey } from '../connection/spki.js';
import { CertificateStatusType, HandshakeType, ProtocolVersion, PskKeyExchangeMode } from '../enums.js';
import { handshakeError, illegalParameter, missingExtension, unexpectedMessage } from '../errors.js';
import { chooseAlpn } from './alpn.js';
import { Tls13KeySchedule } from '../key-schedule/tls13.js';
import { decodeCertificate, encodeCertificate } from '../messages/certificate.js';
import { encodeCertificateRequest } from '../messages/certificate-request.js';
import {
  certificateVerifyContent,
  decodeCertificateVerify,
  encodeCertificateVerify,
} from '../messages/certificate-verify.js';
import { type DecodedClientHello, decodeClientHello } from '../messages/client-hello.js';
import { encodeEncryptedExtensions } from '../messages/encrypted-extensions.js';
import { decodeEndOfEarlyData } from '../messages/end-of-early-data.js';
import {
  type EncryptedExtensionsExtension,
  type ServerHelloExtension,
  getExtension,
} from '../messages/extensions/extension-list.js';
import { getHostName } from '../messages/extensions/server-name.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import { encodeServerHello } from '../messages/server-hello.js';
import { encodeNewSessionTicket } from '../messages/new-session-ticket.js';
import type { HandshakeFrame } from '../reassembler.js';
import { decodeTicketState, encodeTicketState, sameSessionIdContext } from '../resumption/session.js';
import { TicketKey } from '../resumption/ticket-keys.js';
import { type AeadSuite, getCipherSuite, serverSuiteSearch } from '../suites.js';
import { handleTls12ClientHello } from './tls12.js';
import { Transcript } from '../transcript.js';

const encoder = new TextEncoder();

/** Starts a server: waits for the first ClientHello. */
export function startTls13Server(driver: HandshakeDriver): HandshakeState {
  if ((driver.config.certificates ?? []).length === 0) {
    throw new TlsError(
      'ERR_SSL_MISSING_CERTIFICATE',
      undefined,
      'a TLS 1.3 server needs a certificate and its key',
    );
  }
  const maxEarlyData = driver.config.maxEarlyData ?? 0;
  if (!Number.isInteger(maxEarlyData) || maxEarlyData < 0 || maxEarlyData > 0xffff_ffff) {
    throw new TlsError(
      'ERR_INVALID_ARG_VALUE',
      undefined,
      `maxEarlyData must be an integer from 0 to 2^32 - 1 (RFC 8446 §4.6.1), got ${maxEarlyData}`,
    );
  }
  return new ExpectClientHello(driver, new Transcript(driver.provider), undefined);
}

/** What a HelloRetryRequest fixed for the second ClientHello (RFC 8446 §4.1.4). */
interface Retry {
  readonly suite: AeadSuite;
  readonly group: number;
  readonly sessionId: Uint8Array;
  /** The cookie the HelloRetryRequest carried, when `helloRetryCookie` gave one. */
  readonly cookie: Uint8Array | undefined;
}

interface Choices {
  readonly suite: AeadSuite;
  readonly certified: CertifiedKey;
  readonly scheme: number;
  readonly serverName: string | undefined;
  readonly alpnProtocol: string | undefined;
}

/** The configured HelloRetryRequest cookie, checked for the length its vector allows. */
function helloRetryCookie(config: ConnectionConfig): Uint8Array | undefined {
  if (config.helloRetryCookie === undefined) return undefined;
  const cookie = config.helloRetryCookie();
  if (!(cookie instanceof Uint8Array) || cookie.length < 1 || cookie.length > 0xffff) {
    throw new TlsError(
      'ERR_INVALID_ARG_VALUE',
      AlertDescription.InternalError,
      'helloRetryCookie must give 1..65535 bytes (RFC 8446 §4.2.2)',
    );
  }
  return copyBytes(cookie);
}

/** RFC 8446 §4.1.2: the second ClientHello includes the cookie the HelloRetryRequest provided. */
function checkEchoedCookie(provider: CryptoProvider, hello: DecodedClientHello, sent: Uint8Array): void {
  const echoed = getExtension(hello.extensions, 'cookie');
  if (echoed === undefined)
    throw missingExtension('second ClientHello lacks the HelloRetryRequest cookie (RFC 8446 §4.1.2)');
  if (echoed.cookie.length !== sent.length || !provider.timingSafeEqual(echoed.cookie, sent))
    throw illegalParameter('second ClientHello changed the HelloRetryRequest cookie (RFC 8446 §4.1.2)');
}

/** Waits for a ClientHello: the first, or the second after a HelloRetryRequest. */
class ExpectClientHello implements HandshakeState {
  readonly name = 'ExpectClientHello';
  readonly allowsChangeCipherSpec: boolean;
  readonly #driver: HandshakeDriver;
  readonly #transcript: Transcript;
  readonly #retry: Retry | undefined;

  constructor(driver: HandshakeDriver, transcript: Transcript, retry: Retry | undefined) {
    this.#driver = driver;
    this.#transcript = transcript;
    this.#retry = retry;
    this.allowsChangeCipherSpec = retry !== undefined;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.ClientHello);
    const driver = this.#driver;
    const { config, provider } = driver;
    const hello = decodeClientHello(frame.bytes);
    const range = versionRange(config);
    const min = range.min;
    // Without a TLS 1.3 suite TLS 1.3 is not negotiated (as OpenSSL with empty ciphersuites).
    const max =
      range.max >= ProtocolVersion.Tls13 &&
      (config.cipherSuites ?? defaultCipherSuites).some(
        (id) => getCipherSuite(id)?.minVersion === ProtocolVersion.Tls13,
      )
        ? range.max
        : Math.min(range.max, ProtocolVersion.Tls12);
    const versions = getExtension(hello.extensions, 'supported_versions');
    const offered = versions !== undefined && 'versions' in versions ? versions.versions : undefined;
    if (offered === undefined || !offered.includes(ProtocolVersion.Tls13) || max < ProtocolVersion.Tls13) {
      // RFC 8446 §4.2.1: with supported_versions the client's list decides and legacy_version is
      // ignored; without it, legacy_version is the highest the client has (RFC 5246 §E.1), and
      // we answer with the highest we enable up to it.
      const top = Math.min(max, ProtocolVersion.Tls12);
      const enabled = (v: number) => v >= min && v <= top && !(config.disabledVersions ?? []).includes(v);
      const candidates =
        offered === undefined
          ? [ProtocolVersion.Tls12, ProtocolVersion.Tls11, ProtocolVersion.Tls10].filter(
              (v) => v <= hello.legacyVersion,
            )
          : offered;
      const version = candidates.filter(enabled).reduce((a, b) => Math.max(a, b), 0);
      if (this.#retry !== undefined) {
        throw illegalParameter('second ClientHello does not offer TLS 1.3 (RFC 8446 §4.1.2)');
      }
      if (version < min || version < ProtocolVersion.Tls10) {
        throw handshakeError(
          'UnsupportedProtocol',
          `client offers no protocol version we enable (RFC 8446 §4.2.1, RFC 5246 §E.1)`,
        );
      }
      return handleTls12ClientHello(driver, hello, version, max);
    }
    // RFC 8446 §4.1.2: exactly one compression method, null.
    if (hello.legacyCompressionMethods.length !== 1 || hello.legacyCompressionMethods[0] !== 0) {
      throw illegalParameter('client offered compression methods other than null (RFC 8446 §4.1.2)');
    }
    const choices = this.#choose(hello);
    const supportedGroups = getExtension(hello.extensions, 'supported_groups');
    const keyShare = getExtension(hello.extensions, 'key_share');
    if (keyShare !== undefined && supportedGroups === undefined) {
      throw missingExtension('client sent key_share without supported_groups (RFC 8446 §9.2)');
    }
    const clientShares = keyShare !== undefined && 'clientShares' in keyShare ? keyShare.clientShares : [];
    const offeredGroups = supportedGroups?.namedGroupList ?? [];
    for (const share of clientShares) {
      // RFC 8446 §4.2.8: every share must be for a group in supported_groups.
      if (!offeredGroups.includes(share.group))
        throw illegalParameter('client sent a key share for a group it did not list (RFC 8446 §4.2.8)');
    }
    const ourGroups = (config.groups ?? defaultGroups).filter((group) =>
      provider.supportedGroups.includes(group),
    );
    const resumption = this.#findResumption(hello, choices.suite);
    const retry = this.#retry;
    if (resumption !== undefined && !resumption.dhe) {
      // psk_ke: resumption without a key exchange (RFC 8446 §4.2.9).
      return this.#serverHello(hello, frame, choices, undefined, undefined, resumption);
    }
    if (retry !== undefined) {
      // RFC 8446 §4.1.2: the second ClientHello answers the HelloRetryRequest exactly.
      const share = clientShares.length === 1 ? clientShares[0] : undefined;
      if (share === undefined || share.group !== retry.group) {
        throw illegalParameter(
          'second ClientHello does not carry the one key share asked for (RFC 8446 §4.1.2)',
        );
      }
      if (choices.suite.id !== retry.suite.id)
        throw illegalParameter('second ClientHello changed the cipher suite (RFC 8446 §4.1.4)');
      if (retry.cookie !== undefined) checkEchoedCookie(provider, hello, retry.cookie);
      return this.#serverHello(hello, frame, choices, share.group, share.keyExchange, resumption);
    }
    const group = ourGroups.find((candidate) => offeredGroups.includes(candidate));
    for (const candidate of config.strictGroupPreference === true && group !== undefined
      ? [group]
      : ourGroups) {
      const share = clientShares.find((entry) => entry.group === candidate);
      if (share !== undefined)
        return this.#serverHello(hello, frame, choices, candidate, share.keyExchange, resumption);
    }
    if (group === undefined) {
      throw handshakeError('NoSuitableKeyShare', 'no key exchange group in common (RFC 8446 §4.2.7)');
    }
    return this.#helloRetryRequest(hello, frame, choices.suite, group);
  }

  /**
   * The PSK of a ticket the client offers, when we issued it, it is alive and its hash fits the
   * suite (RFC 8446 §4.2.11, §4.6.1). The binder is checked later, once this PSK is chosen.
   * Only the first identity is tried: a client offers one ticket per connection.
   */
  #findResumption(hello: DecodedClientHello, suite: AeadSuite): Resumption | undefined {
    const { config, provider } = this.#driver;
    const offered = getExtension(hello.extensions, 'pre_shared_key');
    if (offered === undefined || !('identities' in offered)) return undefined;
    const modes = getExtension(hello.extensions, 'psk_key_exchange_modes');
    if (modes === undefined) {
      throw missingExtension('client offered a PSK without psk_key_exchange_modes (RFC 8446 §4.2.9)');
    }
    const dhe = modes.keModes.includes(PskKeyExchangeMode.PskDheKe);
    const ke = modes.keModes.includes(PskKeyExchangeMode.PskKe) && config.pskWithoutKeyExchange !== false;
    if ((config.ticketKeys === undefined && config.unwrapTicket === undefined) || (!dhe && !ke))
      return undefined;
    const [identity] = offered.identities;
    const [binder] = offered.binders;
    if (identity === undefined || binder === undefined) return undefined;
    // A ticket the application unwraps (Go's UnwrapSession), else one of ours.
    let state: ResumptionState | undefined = config.unwrapTicket?.(copyBytes(identity.identity));
    if (state === undefined && config.ticketKeys !== undefined) {
      const sealed = TicketKey.for(provider, config.ticketKeys).open(identity.identity);
      const ours = sealed === undefined ? undefined : decodeTicketState(sealed);
      if (
        ours !== undefined &&
        (ours.version ?? ProtocolVersion.Tls13) === ProtocolVersion.Tls13 &&
        sameSessionIdContext(ours, config.sessionIdContext)
      )
        state = ours;
    }
    if (state === undefined || getCipherSuite(state.cipherSuite)?.hash !== suite.hash) return undefined;
    const age = provider.now() - state.issuedAt;
    if (age < 0 || age > state.lifetime * 1000) return undefined;
    return {
      psk: state.psk,
      binder,
      dhe,
      identity: identity.identity,
      obfuscatedTicketAge: identity.obfuscatedTicketAge,
      state,
    };
  }

  /**
   * Whether to accept the client's 0-RTT data, and up to how many bytes (RFC 8446 §4.2.10): only
   * with `maxEarlyData`, for an early_data ClientHello without a HelloRetryRequest that resumes
   * (first identity, binder verified) a ticket allowing early data, with the ticket's suite and
   * ALPN protocol, a ticket age within `earlyDataAgeTolerance` of ours (§8.3), and the
   * application's `acceptEarlyData` (replay protection, §8) agreeing.
   */
  #acceptsEarlyData(hello: DecodedClientHello, choices: Choices, resumption: Resumption): number | undefined {
    const { config, provider } = this.#driver;
    const { state } = resumption;
    const maxSize = state.maxEarlyData ?? 0;
    if (
      (config.maxEarlyData ?? 0) === 0 ||
      maxSize === 0 ||
      this.#retry !== undefined ||
      getExtension(hello.extensions, 'early_data') === undefined ||
      state.cipherSuite !== choices.suite.id ||
      (state.alpnProtocol ?? undefined) !== choices.alpnProtocol
    )
      return undefined;
    // RFC 8446 §4.2.11.1: the client's view of the ticket age, modulo 2^32.
    const clientTicketAge = (resumption.obfuscatedTicketAge - state.ageAdd) >>> 0;
    const ticketAge = provider.now() - state.issuedAt;
    if (Math.abs(ticketAge - clientTicketAge) > (config.earlyDataAgeTolerance ?? 10_000)) return undefined;
    const accepted =
      config.acceptEarlyData?.({
        identity: copyBytes(resumption.identity),
        clientTicketAge,
        ticketAge,
        expiresAt: state.issuedAt + state.lifetime * 1000,
        serverName: choices.serverName,
        alpnProtocol: choices.alpnProtocol,
      }) ?? true;
    return accepted ? maxSize : undefined;
  }

  #choose(hello: DecodedClientHello): Choices {
    const { config, provider } = this.#driver;
    const ours = (config.cipherSuites ?? defaultCipherSuites).filter(
      (id) => getCipherSuite(id)?.minVersion === ProtocolVersion.Tls13,
    );
    const theirs = hello.cipherSuites;
    const [preferred, other] = serverSuiteSearch(ours, theirs, config);
    const suiteId = preferred.find((id) => other.includes(id));
    if (suiteId === undefined) {
      throw handshakeError('NoSharedCipher', 'no cipher suite in common (RFC 8446 §4.1.1)');
    }
    const signatureAlgorithms = getExtension(hello.extensions, 'signature_algorithms');
    if (signatureAlgorithms === undefined) {
      throw missingExtension(
        'client sent no signature_algorithms for certificate authentication (RFC 8446 §4.2.3)',
      );
    }
    const ourSchemes = (config.signatureSchemes ?? defaultSignatureSchemes).filter(isTls13SignatureScheme);
    let certified: CertifiedKey | undefined;
    let scheme: number | undefined;
    const certificateSchemes =
      getExtension(hello.extensions, 'signature_algorithms_cert')?.supportedSignatureAlgorithms ??
      signatureAlgorithms.supportedSignatureAlgorithms;
    for (const candidate of preferCertificatesSignedAsAsked(config.certificates ?? [], certificateSchemes)) {
      scheme = chooseSignatureScheme(
        provider,
        candidate.privateKey,
        signatureAlgorithms.supportedSignatureAlgorithms,
        ourSchemes,
      );
      if (scheme !== undefined) {
        certified = candidate;
        break;
      }
    }
    if (certified === undefined || scheme === undefined) {
      throw handshakeError(
        'NoSharedSignatureAlgorithms',
        'no certificate can sign with a scheme the client accepts (RFC 8446 §4.4.2.2)',
      );
    }
    const serverNames = getExtension(hello.extensions, 'server_name');
    const serverName = serverNames === undefined ? undefined : getHostName(serverNames);
    const alpnProtocol = chooseAlpn(config, hello, serverName);
    return { suite: getCipherSuite(suiteId) as AeadSuite, certified, scheme, serverName, alpnProtocol };
  }

  #helloRetryRequest(
    hello: DecodedClientHello,
    frame: HandshakeFrame,
    suite: AeadSuite,
    group: number,
  ): HandshakeState {
    const driver = this.#driver;
    this.#transcript.startHash(suite.hash);
    this.#transcript.add(frame.bytes);
    this.#transcript.replaceWithMessageHash();
    const cookie = helloRetryCookie(driver.config);
    const retry = encodeServerHello({
      kind: 'hello-retry-request',
      legacyVersion: ProtocolVersion.Tls12,
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: suite.id,
      legacyCompressionMethod: 0,
      // supported_versions last, as the RFC 8448 traces order them.
      extensions: [
        { kind: 'key_share', selectedGroup: group },
        ...(cookie === undefined ? [] : [{ kind: 'cookie' as const, cookie }]),
        { kind: 'supported_versions', selectedVersion: ProtocolVersion.Tls13 },
      ],
    });
    this.#transcript.add(retry);
    driver.setRecordVersion(ProtocolVersion.Tls12);
    driver.send(retry);
    // RFC 8446 §D.4: in compatibility mode the server's first flight carries a change_cipher_spec.
    if (hello.legacySessionId.length > 0) driver.sendChangeCipherSpec();
    return new ExpectClientHello(driver, this.#transcript, {
      suite,
      group,
      sessionId: copyBytes(hello.legacySessionId),
      cookie,
    });
  }

  #serverHello(
    hello: DecodedClientHello,
    frame: HandshakeFrame,
    choices: Choices,
    group: number | undefined,
    clientShare: Uint8Array | undefined,
    resumption: Resumption | undefined,
  ): HandshakeState {
    const driver = this.#driver;
    const { provider, config } = driver;
    const transcript = this.#transcript;
    const { suite } = choices;
    const schedule = new Tls13KeySchedule(provider, suite.hash);
    if (this.#retry === undefined) transcript.startHash(suite.hash);
    if (resumption !== undefined) {
      // RFC 8446 §4.2.11.2: the binder covers the transcript up to the truncated ClientHello.
      const truncated = hello.original.subarray(0, hello.bindersOffset);
      const binderKey = schedule.binderKey(schedule.earlySecret(resumption.psk), 'resumption');
      if (!schedule.verifyBinder(binderKey, transcript.hashWith(truncated), resumption.binder)) {
        throw handshakeError('BinderDoesNotVerify', 'client PSK binder does not verify (RFC 8446 §4.2.11.2)');
      }
    }
    // Decided once the binder has verified, so that the replay hook only sees genuine attempts.
    const earlyDataSize =
      resumption === undefined ? undefined : this.#acceptsEarlyData(hello, choices, resumption);
    // RFC 8446 §7.1: client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).
    const earlyTrafficSecret =
      earlyDataSize === undefined || resumption === undefined
        ? undefined
        : schedule.clientEarlyTrafficSecret(
            schedule.earlySecret(resumption.psk),
            transcript.hashWith(frame.bytes),
          );
    const accepted =
      group === undefined || clientShare === undefined
        ? undefined
        : provider.acceptKeyShare(group, clientShare);
    const serverRandom = provider.random(32);
    // pre_shared_key, key_share, supported_versions: the order of the RFC 8448 traces.
    const extensions: ServerHelloExtension[] = [];
    if (resumption !== undefined) extensions.push({ kind: 'pre_shared_key', selectedIdentity: 0 });
    if (group !== undefined && accepted !== undefined) {
      extensions.push({ kind: 'key_share', serverShare: { group, keyExchange: accepted.publicKey } });
    }
    extensions.push({ kind: 'supported_versions', selectedVersion: ProtocolVersion.Tls13 });
    const serverHello = encodeServerHello({
      kind: 'server-hello',
      legacyVersion: ProtocolVersion.Tls12,
      random: serverRandom,
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: suite.id,
      legacyCompressionMethod: 0,
      extensions,
    });
    transcript.add(frame.bytes);
    transcript.add(serverHello);
    driver.setRecordVersion(ProtocolVersion.Tls12);
    driver.setPeerRecordVersion(ProtocolVersion.Tls13);
    driver.send(serverHello);
    if (this.#retry === undefined && hello.legacySessionId.length > 0) driver.sendChangeCipherSpec();

    // psk_ke has no (EC)DHE input: HashLen zeros (RFC 8446 §7.1).
    const sharedSecret = accepted?.sharedSecret ?? new Uint8Array(schedule.hashLength);
    const secrets = schedule.handshakeSecrets(
      schedule.earlySecret(resumption?.psk),
      sharedSecret,
      transcript.currentHash(),
    );
    const clientRandom = copyBytes(hello.random);
    if (earlyTrafficSecret !== undefined)
      driver.keylog('CLIENT_EARLY_TRAFFIC_SECRET', clientRandom, earlyTrafficSecret);
    driver.keylog('CLIENT_HANDSHAKE_TRAFFIC_SECRET', clientRandom, secrets.clientHandshakeTrafficSecret);
    driver.keylog('SERVER_HANDSHAKE_TRAFFIC_SECRET', clientRandom, secrets.serverHandshakeTrafficSecret);
    driver.setWriteProtection(createTls13Protection(provider, suite, secrets.serverHandshakeTrafficSecret));
    // A client that cannot process our ServerHello answers with a plaintext alert.
    if (earlyTrafficSecret !== undefined && earlyDataSize !== undefined) {
      driver.acceptEarlyData(createTls13Protection(provider, suite, earlyTrafficSecret), earlyDataSize, {
        allowPlaintextAlerts: true,
      });
    } else {
      driver.setReadProtection(createTls13Protection(provider, suite, secrets.clientHandshakeTrafficSecret), {
        allowPlaintextAlerts: true,
      });
    }

    const encrypted: EncryptedExtensionsExtension[] = [];
    if (config.advertiseGroups === true) {
      // RFC 8446 §4.2.7: the server MAY send supported_groups; the client acts on it only later.
      const ourGroups = (config.groups ?? defaultGroups).filter((id) =>
        provider.supportedGroups.includes(id),
      );
      encrypted.push({ kind: 'supported_groups', namedGroupList: ourGroups });
    }
    const clientLimit = getExtension(hello.extensions, 'record_size_limit');
    if (clientLimit !== undefined) {
      // RFC 8449 §4: everything protected from here on fits the client's limit, and we answer
      // with ours (the largest TLS 1.3 allows unless configured lower).
      driver.setPeerRecordSizeLimit(clientLimit.recordSizeLimit);
      const ours = config.recordSizeLimit ?? 16385;
      encrypted.push({ kind: 'record_size_limit', recordSizeLimit: ours });
      driver.setOwnRecordSizeLimit(ours);
    }
    if (choices.serverName !== undefined) encrypted.push({ kind: 'server_name' });
    if (choices.alpnProtocol !== undefined) {
      encrypted.push({
        kind: 'application_layer_protocol_negotiation',
        protocolNameList: [encoder.encode(choices.alpnProtocol)],
      });
    }
    // RFC 8446 §4.2.10: an empty early_data says the 0-RTT data is accepted.
    if (earlyDataSize !== undefined) encrypted.push({ kind: 'early_data' });
    const encryptedExtensions = encodeEncryptedExtensions({ extensions: encrypted });
    transcript.add(encryptedExtensions);
    driver.send(encryptedExtensions);

    // RFC 8446 §2.2, §4.3.2: with a PSK there are no certificates and no CertificateRequest.
    const requestCertificate = config.requestClientCertificate === true && resumption === undefined;
    if (resumption === undefined) {
      if (requestCertificate) {
        const request = encodeCertificateRequest({
          certificateRequestContext: new Uint8Array(0),
          extensions: tls13CertificateRequestExtensions(config),
        });
        transcript.add(request);
        driver.send(request);
      }
      const certificate = encodeCertificate({
        certificateRequestContext: new Uint8Array(0),
        certificateList: choices.certified.chain.map((certData, index) => ({
          certData,
          // RFC 8446 §4.4.2.1: the OCSP response rides on the leaf's entry, when asked for.
          extensions:
            index === 0 && wantsOcsp(hello) && choices.certified.ocspResponse !== undefined
              ? [
                  {
                    kind: 'status_request' as const,
                    statusType: CertificateStatusType.Ocsp,
                    response: choices.certified.ocspResponse,
                  },
                ]
              : [],
        })),
      });
      transcript.add(certificate);
      driver.send(certificate);
      const signature = provider.sign(
        choices.scheme,
        choices.certified.privateKey,
        certificateVerifyContent('server', transcript.currentHash()),
      );
      const verify = encodeCertificateVerify({ algorithm: choices.scheme, signature });
      transcript.add(verify);
      driver.send(verify);
    }
    const serverFinished = schedule.finishedVerifyData(
      secrets.serverHandshakeTrafficSecret,
      transcript.currentHash(),
    );
    const finished = encodeFinished({ verifyData: serverFinished });
    transcript.add(finished);
    driver.send(finished);

    const application = schedule.applicationSecrets(secrets.handshakeSecret, transcript.currentHash());
    driver.keylog('CLIENT_TRAFFIC_SECRET_0', clientRandom, application.clientApplicationTrafficSecret);
    driver.keylog('SERVER_TRAFFIC_SECRET_0', clientRandom, application.serverApplicationTrafficSecret);
    driver.keylog('EXPORTER_SECRET', clientRandom, application.exporterMasterSecret);
    driver.setWriteProtection(
      createTls13Protection(provider, suite, application.serverApplicationTrafficSecret),
    );
    const state: Established = {
      driver,
      transcript,
      schedule,
      suite,
      group,
      choices,
      clientRandom,
      serverRandom,
      serverFinished,
      clientHandshakeTrafficSecret: secrets.clientHandshakeTrafficSecret,
      masterSecret: application.masterSecret,
      clientApplicationTrafficSecret: application.clientApplicationTrafficSecret,
      serverApplicationTrafficSecret: application.serverApplicationTrafficSecret,
      exporterMasterSecret: application.exporterMasterSecret,
      helloRetry: this.#retry !== undefined,
      peerCertificates: [],
      peerSignatureScheme: undefined,
      resumed: resumption !== undefined,
      postHandshakeAuth: getExtension(hello.extensions, 'post_handshake_auth') !== undefined,
      sharedSignatureSchemes: sharedSignatureSchemes(
        getExtension(hello.extensions, 'signature_algorithms')?.supportedSignatureAlgorithms,
        config,
        'server',
      ),
    };
    if (earlyDataSize !== undefined) return new ExpectEndOfEarlyData(state);
    return requestCertificate ? new ExpectClientCertificate(state) : new ExpectClientFinished(state);
  }
}

interface Established {
  readonly driver: HandshakeDriver;
  readonly transcript: Transcript;
  readonly schedule: Tls13KeySchedule;
  readonly suite: AeadSuite;
  readonly group: number | undefined;
  readonly choices: Choices;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  readonly serverFinished: Uint8Array;
  readonly clientHandshakeTrafficSecret: Uint8Array;
  readonly masterSecret: Uint8Array;
  readonly clientApplicationTrafficSecret: Uint8Array;
  readonly serverApplicationTrafficSecret: Uint8Array;
  readonly exporterMasterSecret: Uint8Array;
  readonly helloRetry: boolean;
  readonly peerCertificates: readonly Uint8Array[];
  readonly peerSignatureScheme: number | undefined;
  readonly resumed: boolean;
  /** The client offered post_handshake_auth (RFC 8446 §4.2.6). */
  readonly postHandshakeAuth: boolean;
  readonly sharedSignatureSchemes: readonly number[];
}

/** A ticket the client offers that we can resume from (its binder still to be checked). */
interface Resumption {
  readonly psk: Uint8Array;
  readonly binder: Uint8Array;
  /** psk_dhe_ke offered (preferred); otherwise psk_ke. */
  readonly dhe: boolean;
  /** The first PSK identity, the one resumed. */
  readonly identity: Uint8Array;
  readonly obfuscatedTicketAge: number;
  /** What the ticket stands for. */
  readonly state: ResumptionState;
}

/**
 * Accepted 0-RTT: the client's records open with its early traffic key until EndOfEarlyData
 * (RFC 8446 §4.5), which switches to its handshake key; early application data meanwhile is the
 * connection's (`early-data` events, bounded by max_early_data_size).
 */
class ExpectEndOfEarlyData implements HandshakeState {
  readonly name = 'ExpectEndOfEarlyData';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Established;

  constructor(state: Established) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.EndOfEarlyData);
    const state = this.#state;
    decodeEndOfEarlyData(frame.bytes);
    state.transcript.add(frame.bytes);
    state.driver.setReadProtection(
      createTls13Protection(state.driver.provider, state.suite, state.clientHandshakeTrafficSecret),
    );
    return new ExpectClientFinished(state);
  }
}

/** Waits for the client's Certificate after a CertificateRequest (RFC 8446 §4.4.2). */
class ExpectClientCertificate implements HandshakeState {
  readonly name = 'ExpectClientCertificate';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Established;

  constructor(state: Established) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Certificate);
    const state = this.#state;
    const certificate = decodeCertificate(frame.bytes);
    if (certificate.certificateRequestContext.length !== 0)
      throw illegalParameter('client Certificate has a request context (RFC 8446 §4.4.2)');
    state.transcript.add(frame.bytes);
    const chain = certificate.certificateList.map((entry) => copyBytes(entry.certData));
    const verifyPeer = state.driver.config.verifyPeer;
    if (chain.length === 0) {
      // RFC 8446 §4.4.2.4: a server that requires one aborts with certificate_required; the
      // verifier decides (it is given the empty chain), as Node's requestCert/rejectUnauthorized do.
      const failure = verifyPeer?.(chain, { peer: 'client', serverName: state.choices.serverName });
      if (failure !== undefined) throw failure;
      return new ExpectClientFinished(state);
    }
    const failure = verifyPeer?.(chain, { peer: 'client', serverName: state.choices.serverName });
    if (failure !== undefined) throw failure;
    return new ExpectClientCertificateVerify({ ...state, peerCertificates: chain });
  }
}

/** Waits for the client's CertificateVerify (RFC 8446 §4.4.3). */
class ExpectClientCertificateVerify implements HandshakeState {
  readonly name = 'ExpectClientCertificateVerify';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Established;

  constructor(state: Established) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.CertificateVerify);
    const state = this.#state;
    const provider: CryptoProvider = state.driver.provider;
    const verify = decodeCertificateVerify(frame.bytes);
    const ourSchemes = (state.driver.config.signatureSchemes ?? defaultSignatureSchemes).filter(
      isTls13SignatureScheme,
    );
    if (!ourSchemes.includes(verify.algorithm))
      throw handshakeError(
        'WrongSignatureType',
        'client signed with a scheme that was not offered (RFC 8446 §4.4.3)',
      );
    const publicKey = importPeerKey(provider, state.peerCertificates[0]!, 'client');
    if (!provider.isSchemeCompatible(verify.algorithm, publicKey)) {
      throw illegalParameter("client's signature scheme does not fit its certificate key (RFC 8446 §4.4.3)");
    }
    if (
      !provider.verify(
        verify.algorithm,
        publicKey,
        certificateVerifyContent('client', state.transcript.currentHash()),
        verify.signature,
      )
    ) {
      throw handshakeError(
        'BadSignature',
        'client CertificateVerify signature does not verify (RFC 8446 §4.4.3)',
      );
    }
    state.transcript.add(frame.bytes);
    return new ExpectClientFinished({ ...state, peerSignatureScheme: verify.algorithm });
  }
}

/** Waits for the client's Finished (RFC 8446 §4.4.4); then the connection is established. */
class ExpectClientFinished implements HandshakeState {
  readonly name = 'ExpectClientFinished';
  readonly allowsChangeCipherSpec = true;
  readonly #state: Established;

  constructor(state: Established) {
    this.#state = state;
  }

  handle(frame: HandshakeFrame): HandshakeState {
    requireMessage(frame, HandshakeType.Finished);
    const state = this.#state;
    const { driver, schedule, transcript } = state;
    const finished = decodeFinished(frame.bytes, schedule.hashLength);
    if (
      !schedule.verifyFinished(
        state.clientHandshakeTrafficSecret,
        transcript.currentHash(),
        finished.verifyData,
      )
    ) {
      throw handshakeError('DigestCheckFailed', 'client Finished does not verify (RFC 8446 §4.4.4)');
    }
    transcript.add(frame.bytes);
    driver.setReadProtection(
      createTls13Protection(driver.provider, state.suite, state.clientApplicationTrafficSecret),
    );
    const resumptionMasterSecret = schedule.resumptionMasterSecret(
      state.masterSecret,
      transcript.currentHash(),
    );
    driver.setTrafficSecrets({
      suite: state.suite,
      clientApplicationTrafficSecret: state.clientApplicationTrafficSecret,
      serverApplicationTrafficSecret: state.serverApplicationTrafficSecret,
      exporterMasterSecret: state.exporterMasterSecret,
      resumptionMasterSecret,
      ...(state.postHandshakeAuth ? { postHandshakeTranscript: transcript.clone() } : {}),
    });
    issueTickets(state, resumptionMasterSecret);
    driver.complete({
      version: ProtocolVersion.Tls13,
      cipherSuite: state.suite,
      group: state.group,
      alpnProtocol: state.choices.alpnProtocol,
      serverName: state.choices.serverName,
      peerCertificates: state.peerCertificates,
      localCertificates: state.resumed ? [] : state.choices.certified.chain,
      peerSignatureScheme: state.peerSignatureScheme,
      localSignatureScheme: state.resumed ? undefined : state.choices.scheme,
      sharedSignatureSchemes: state.sharedSignatureSchemes,
      resumed: state.resumed,
      clientRandom: state.clientRandom,
      serverRandom: state.serverRandom,
      clientFinished: copyBytes(finished.verifyData),
      serverFinished: state.serverFinished,
      helloRetry: state.helloRetry,
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

/**
 * NewSessionTickets after the handshake (RFC 8446 §4.6.1): each carries its own nonce and
 * ticket_age_add, and a ticket sealing the PSK derived from the resumption master secret.
 */
function issueTickets(state: Established, resumptionMasterSecret: Uint8Array): void {
  const { driver, schedule } = state;
  const { config, provider } = driver;
  if (config.ticketKeys === undefined) return;
  const key = TicketKey.for(provider, config.ticketKeys);
  const lifetime = Math.min(config.ticketLifetime ?? 300, 604800);
  // RFC 8446 §4.6.1: early_data with max_early_data_size says the ticket may carry 0-RTT data.
  const maxEarlyData = config.maxEarlyData ?? 0;
  const full = config.ticketCount ?? 2;
  const count = state.resumed ? (config.resumptionTicketCount ?? Math.min(full, 1)) : full;
  for (let index = 0; index < count; index++) {
    const nonce = Uint8Array.of(index);
    const random = provider.random(4);
    const ageAdd = ((random[0]! << 24) | (random[1]! << 16) | (random[2]! << 8) | random[3]!) >>> 0;
    const sessionState = encodeTicketState({
      cipherSuite: state.suite.id,
      psk: schedule.resumptionPsk(resumptionMasterSecret, nonce),
      issuedAt: provider.now(),
      lifetime,
      ageAdd,
      serverName: state.choices.serverName,
      alpnProtocol: state.choices.alpnProtocol,
      ...(config.sessionIdContext === undefined ? {} : { sessionIdContext: config.sessionIdContext }),
      maxEarlyData,
    });
    const ticket = key.seal(sessionState);
    config.sessionStore?.announce?.(provider.random(32), sessionState);
    driver.send(
      encodeNewSessionTicket({
        ticketLifetime: lifetime,
        ticketAgeAdd: ageAdd,
        ticketNonce: nonce,
        ticket,
        extensions: maxEarlyData > 0 ? [{ kind: 'early_data', maxEarlyDataSize: maxEarlyData }] : [],
      }),
    );
  }
}

/** Whether the client asked for a stapled OCSP response (RFC 6066 §8). */
function wantsOcsp(hello: DecodedClientHello): boolean {
  const request = getExtension(hello.extensions, 'status_request');
  return (
    request !== undefined && 'statusType' in request && request.statusType === CertificateStatusType.Ocsp
  );
}
