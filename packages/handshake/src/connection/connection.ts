// The sans-I/O connection engine (DESIGN.md "The engine is sans-I/O"): bytes in through
// `receive`, bytes out through `takeOutput`, events out through `nextEvent`. It never touches a
// socket, a timer or the clock except through the provider, and every method is synchronous.
//
// It joins the record layer (one RecordReader, one RecordWriter), the handshake reassembler and
// the role's state machine (client/tls13.ts, server/tls13.ts, which hand a TLS 1.2 negotiation
// to client/tls12.ts, server/tls12.ts), and after the handshake it owns the traffic phase: RFC
// 8446 §4.6 (NewSessionTicket, KeyUpdate, post-handshake authentication in
// post-handshake-auth.ts) in TLS 1.3, renegotiation (RFC 5746) in TLS 1.2,
// close_notify and exporters in both. TLS 1.2 ChangeCipherSpec is taken by the state that waits
// for it (`handleChangeCipherSpec`), so keys change exactly there (RFC 5246 §7.1).
//
// Errors: the engine throws TlsError inside and catches it in exactly one place per entry point
// (`#guard`), which makes the error sticky, queues the alert the error carries and emits `error`.
// Nothing the peer sends makes a method throw; misuse by the caller (writing before the
// handshake, after close) throws synchronously with a Node code and is never an alert.

import { type CryptoProvider, hasErrorCode } from '@tls/crypto';
import {
  AlertDescription,
  AlertLevel,
  ContentType,
  type PlainRecord,
  type RecordProtection,
  RecordReader,
  RecordWriter,
  TlsError,
  concatBytes,
  copyBytes,
  createTls13Protection,
  decodeAlert,
  encodeAlert,
  isTlsError,
} from '@tls/record';
import { HandshakeType, KeyUpdateRequest, ProtocolVersion } from '../enums.js';
import { handshakeError, illegalParameter, peerAlertError, unexpectedMessage } from '../errors.js';
import { Tls13KeySchedule } from '../key-schedule/tls13.js';
import { decodeClientHello } from '../messages/client-hello.js';
import { type NewSessionTicketExtension, getExtension } from '../messages/extensions/extension-list.js';
import { decodeKeyUpdate, encodeKeyUpdate } from '../messages/key-update.js';
import { decodeNewSessionTicket } from '../messages/new-session-ticket.js';
import { encodeClientSession } from '../resumption/session.js';
import { type HandshakeFrame, HandshakeReassembler } from '../reassembler.js';
import { Tls12KeySchedule, tls12PrfAlgorithm } from '../key-schedule/tls12.js';
import type { AeadSuite, CipherSuiteInfo } from '../suites.js';
import type { Transcript } from '../transcript.js';
import type { ConnectionConfig } from './config.js';
import { EarlyDataBudget, EarlyDataSkipping } from './early-data.js';
import type { ConnectionEvent, HandshakeInfo } from './events.js';
import {
  type PostHandshakeAuthContext,
  type PostHandshakeAuthState,
  answerCertificateRequest,
  startCertificateRequest,
} from './post-handshake-auth.js';

/** A state of the handshake: takes one message, returns the next state (rustls style). */
export interface HandshakeState {
  readonly name: string;
  handle(frame: HandshakeFrame): HandshakeState;
  /** Whether a TLS 1.3 compatibility change_cipher_spec may arrive now (RFC 8446 §5). */
  readonly allowsChangeCipherSpec: boolean;
  /**
   * TLS 1.2 states that wait for the peer's ChangeCipherSpec (RFC 5246 §7.1) take it here and
   * return the state that waits for Finished; every other state refuses it.
   */
  handleChangeCipherSpec?(): HandshakeState;
}

/** What TLS 1.2 exporters need once the handshake is over (RFC 5705 §4). */
export interface Tls12Secrets {
  readonly suite: CipherSuiteInfo;
  readonly version: number;
  readonly masterSecret: Uint8Array;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
}

/** The secrets the traffic phase needs, handed over when the handshake ends. */
export interface TrafficSecrets {
  readonly suite: AeadSuite;
  readonly clientApplicationTrafficSecret: Uint8Array;
  readonly serverApplicationTrafficSecret: Uint8Array;
  readonly exporterMasterSecret: Uint8Array;
  readonly resumptionMasterSecret: Uint8Array | undefined;
  /**
   * The handshake transcript through the client Finished, kept only when the client offered
   * post_handshake_auth (RFC 8446 §4.2.6): each post-handshake CertificateRequest is hashed on it.
   */
  readonly postHandshakeTranscript?: Transcript;
}

/** The part of the engine a state machine drives. */
export interface HandshakeDriver {
  readonly config: ConnectionConfig;
  readonly provider: CryptoProvider;
  /** Sends one handshake message (header included) under the current write protection. */
  send(message: Uint8Array): void;
  sendChangeCipherSpec(): void;
  /**
   * New read keys; the peer's handshake data must end on this record boundary (RFC 8446 §5.1).
   * `allowPlaintextAlerts`: see RecordReader.setProtection.
   */
  setReadProtection(protection: RecordProtection, options?: { allowPlaintextAlerts?: boolean }): void;
  setWriteProtection(protection: RecordProtection): void;
  setRecordVersion(version: number): void;
  /** Fixes the record version the peer must use from now on. */
  setPeerRecordVersion(version: number): void;
  keylog(label: string, clientRandom: Uint8Array, secret: Uint8Array): void;
  /** The peer's record_size_limit (RFC 8449 §4): our records shrink to fit it. */
  setPeerRecordSizeLimit(limit: number): void;
  /** Our advertised record_size_limit, once the peer knows it: larger records are record_overflow. */
  setOwnRecordSizeLimit(limit: number): void;
  /** A negotiated max_fragment_length (RFC 6066 §4): the plaintext limit of records both ways. */
  setNegotiatedFragmentLength(length: number): void;
  /** Reports a stapled OCSP response (RFC 6066 §8, RFC 8446 §4.4.2.1). */
  ocspResponse(response: Uint8Array): void;
  /** The negotiated version (TLS 1.2 and older change alert, KeyUpdate and exporter rules). */
  setProtocolVersion(version: number): void;
  /** Records the TLS 1.2 master secret and randoms for exporters. */
  setTls12Secrets(secrets: Tls12Secrets): void;
  /**
   * Client, 0-RTT (RFC 8446 §4.2.10): from now on records go under `protection` (the
   * client_early_traffic_secret's) and early data may be written, at most `maxSize` bytes in all;
   * the configured `earlyData` is written at once.
   */
  startEarlyData(protection: RecordProtection, maxSize: number): void;
  /** Client: the server accepted our early data and EndOfEarlyData is on its way: no more of it. */
  endEarlyData(): void;
  /** Client: early data was not offered or not accepted: no more of it, and the application is told. */
  earlyDataRejected(reason: 'not-offered' | 'hello-retry' | 'not-accepted'): void;
  /**
   * Server: 0-RTT accepted: the client's records are read under `protection` (its early traffic
   * key), application data among them is early data (at most `maxSize` bytes), until the state
   * installs the client handshake key on EndOfEarlyData.
   */
  acceptEarlyData(
    protection: RecordProtection,
    maxSize: number,
    options?: { allowPlaintextAlerts?: boolean },
  ): void;
  /** Emits a session to resume with later (the `session` option). */
  emitSession(session: Uint8Array, lifetime: number): void;
  /** Records the traffic secrets once both application keys are known to this side. */
  setTrafficSecrets(secrets: TrafficSecrets): void;
  /** The handshake is over: write() opens, `handshake-complete` is emitted. */
  complete(info: HandshakeInfo): void;
}

/** The max_early_data_size a NewSessionTicket allows (RFC 8446 §4.6.1), 0 without early_data. */
function maxEarlyDataOf(extensions: readonly NewSessionTicketExtension[]): number {
  const early = getExtension(extensions, 'early_data');
  return early !== undefined && 'maxEarlyDataSize' in early ? early.maxEarlyDataSize : 0;
}

const hexDigits = '0123456789abcdef';
function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += hexDigits[byte >>> 4]! + hexDigits[byte & 15]!;
  return out;
}

/**
 * Copies `parts` into one new buffer and returns a view of each: the small byte strings a
 * connection keeps for its whole life (secrets, randoms, Finished) cost one ArrayBuffer, not one
 * each, and no longer pin the larger buffers they were cut from.
 */
function packBytes(parts: readonly Uint8Array[]): Uint8Array[] {
  const packed = concatBytes(parts);
  const views: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    views.push(packed.subarray(offset, offset + part.length));
    offset += part.length;
  }
  return views;
}

/**
 * What the traffic phase keeps of TrafficSecrets once the handshake is over. The application
 * traffic secrets live on as the connection's read and write secrets; the exporter and
 * resumption master secrets share one view (fewer objects kept per idle connection).
 */
class TrafficState {
  readonly suite: AeadSuite;
  readonly postHandshakeTranscript: Transcript | undefined;
  /** exporter_master_secret, then resumption_master_secret when known (each a hash long). */
  readonly #masterSecrets: Uint8Array;
  readonly #exporterLength: number;

  constructor(secrets: TrafficSecrets, masterSecrets: Uint8Array) {
    this.suite = secrets.suite;
    this.postHandshakeTranscript = secrets.postHandshakeTranscript;
    this.#masterSecrets = masterSecrets;
    this.#exporterLength = secrets.exporterMasterSecret.length;
  }

  get exporterMasterSecret(): Uint8Array {
    return this.#masterSecrets.subarray(0, this.#exporterLength);
  }

  get resumptionMasterSecret(): Uint8Array | undefined {
    const secrets = this.#masterSecrets;
    return secrets.length === this.#exporterLength ? undefined : secrets.subarray(this.#exporterLength);
  }
}

/**
 * `secrets` with its byte strings in one buffer (see packBytes): the client and server
 * application traffic secrets, and what the traffic phase keeps of the rest.
 */
function packTrafficSecrets(secrets: TrafficSecrets): {
  readonly client: Uint8Array;
  readonly server: Uint8Array;
  readonly state: TrafficState;
} {
  const resumption = secrets.resumptionMasterSecret;
  const [client, server, masterSecrets] = packBytes([
    secrets.clientApplicationTrafficSecret,
    secrets.serverApplicationTrafficSecret,
    resumption === undefined
      ? secrets.exporterMasterSecret
      : concatBytes([secrets.exporterMasterSecret, resumption]),
  ]);
  return { client: client!, server: server!, state: new TrafficState(secrets, masterSecrets!) };
}

/** What an empty list in `info` is, shared: a frozen array kept by no connection of its own. */
const noCertificates: readonly Uint8Array[] = Object.freeze([]);
const noSchemes: readonly number[] = Object.freeze([]);

/**
 * `info` with its randoms, Finished verify_data and the peer's certificates moved into one buffer
 * (see packBytes), and its empty lists shared.
 */
function packHandshakeInfo(info: HandshakeInfo): HandshakeInfo {
  const peer = info.peerCertificates;
  const views = packBytes([
    info.clientRandom,
    info.serverRandom,
    info.clientFinished,
    info.serverFinished,
    ...peer,
  ]);
  const [clientRandom, serverRandom, clientFinished, serverFinished] = views;
  // In place: `info` is the state machine's fresh literal, not yet seen by anyone; a copy would
  // need out-of-object properties.
  return Object.assign(info, {
    clientRandom: clientRandom!,
    serverRandom: serverRandom!,
    clientFinished: clientFinished!,
    serverFinished: serverFinished!,
    // slice(): an array of its own length (a rest element would keep spare capacity).
    peerCertificates: peer.length === 0 ? noCertificates : views.slice(4),
    localCertificates: info.localCertificates.length === 0 ? noCertificates : info.localCertificates,
    sharedSignatureSchemes:
      info.sharedSignatureSchemes.length === 0 ? noSchemes : info.sharedSignatureSchemes,
  });
}

function misuse(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The ways a state machine is started: a client sends its ClientHello at once. */
export type StateFactory = (driver: HandshakeDriver) => HandshakeState;

/** What a TLS 1.2 renegotiation is bound to (RFC 5746 §3.5, §3.7). */
export interface RenegotiationContext {
  readonly version: number;
  /** verify_data of the client's and the server's Finished on the current connection. */
  readonly clientVerifyData: Uint8Array;
  readonly serverVerifyData: Uint8Array;
  /** Server: ask for a client certificate this time (Node's renegotiate({ requestCert })). */
  readonly requestClientCertificate?: boolean;
  /** Server: send a HelloRequest first (a server-initiated renegotiation). */
  readonly sendHelloRequest?: boolean;
}

/** Starts a renegotiation: the client sends a ClientHello, the server waits for one. */
export type RenegotiationFactory = (driver: HandshakeDriver, context: RenegotiationContext) => HandshakeState;

export class Connection {
  readonly role: 'client' | 'server';
  readonly #config: ConnectionConfig;
  readonly #reader = new RecordReader();
  readonly #writer = new RecordWriter({ version: 0x0301 });
  readonly #reassembler = new HandshakeReassembler();
  readonly #events: ConnectionEvent[] = [];
  /** Handshake messages of the flight being built, written together by #flushFlight. */
  #flight: Uint8Array[] | undefined;
  #state: HandshakeState | undefined;
  #info: HandshakeInfo | undefined;
  #traffic: TrafficState | undefined;
  #tls12: Tls12Secrets | undefined;
  /** The negotiated version once known; TLS 1.3 until a TLS 1.2 ServerHello says otherwise. */
  #version: number = ProtocolVersion.Tls13;
  /** Server: whether the first bytes have been looked at for an SSLv2-compatible hello. */
  #sawFirstBytes = false;
  #readSecret: Uint8Array | undefined;
  #writeSecret: Uint8Array | undefined;
  #error: TlsError | undefined;
  #sentCloseNotify = false;
  #receivedCloseNotify = false;
  /**
   * Server: the client's early data we are skipping (RFC 8446 §4.2.10, see early-data.ts), from a
   * ClientHello with early_data until the client's handshake records open (or the next ClientHello
   * after a HelloRetryRequest).
   */
  #earlyData:
    | { budget: EarlyDataBudget; skipping: EarlyDataSkipping | undefined; afterRetry: boolean }
    | undefined;
  /** Client: the 0-RTT data being written (RFC 8446 §4.2.10), from the ClientHello to EndOfEarlyData. */
  #earlyWrite:
    | { open: boolean; remaining: number; readonly sent: Uint8Array[]; readonly unsent: Uint8Array }
    | undefined;
  /** Server: accepted 0-RTT data is being read; what may still come (max_early_data_size). */
  #earlyRead: { remaining: number } | undefined;
  /** Server: ClientHellos received in the first handshake (a second one answers a HelloRetryRequest). */
  #clientHellos = 0;
  /** A TLS 1.2 renegotiation is under way: handshake messages go to `#state` again. */
  #renegotiating = false;
  readonly #renegotiation: RenegotiationFactory | undefined;
  /** Server: the post-handshake CertificateRequest awaiting the client's answer (RFC 8446 §4.6.2). */
  #clientAuthentication: PostHandshakeAuthState | undefined;

  constructor(
    role: 'client' | 'server',
    config: ConnectionConfig,
    start: StateFactory,
    renegotiation?: RenegotiationFactory,
  ) {
    this.role = role;
    this.#config = config;
    this.#renegotiation = renegotiation;
    const driver = this.#driver();
    this.#guard(() => {
      if (config.onlyRole !== undefined && config.onlyRole !== role) {
        // OpenSSL's ssl_undefined_function: an accept on a client method, a connect on a server one.
        throw new TlsError(
          'ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL',
          undefined,
          `called a function you should not call: a ${role} on a configuration for ${config.onlyRole}s only`,
        );
      }
      this.#state = start(driver);
    });
  }

  /** True until the handshake completes (or fails). */
  get isHandshaking(): boolean {
    return this.#info === undefined && this.#error === undefined;
  }

  /** The first fatal error, sent or received. */
  get error(): TlsError | undefined {
    return this.#error;
  }

  /** What was negotiated, once the handshake is complete. */
  get info(): HandshakeInfo | undefined {
    return this.#info;
  }

  /** Whether we sent close_notify / received the peer's. */
  get closeState(): { readonly sent: boolean; readonly received: boolean } {
    return { sent: this.#sentCloseNotify, received: this.#receivedCloseNotify };
  }

  /** Bytes from the peer. Never throws for anything in them: failures become an `error` event. */
  receive(chunk: Uint8Array): void {
    if (this.#error !== undefined || this.#receivedCloseNotify) return;
    if (this.role === 'server' && !this.#sawFirstBytes && chunk.length > 0) {
      this.#sawFirstBytes = true;
      // An SSLv2-compatible ClientHello (RFC 5246 §E.2): a two-byte header with the top bit set,
      // then msg_type 1. Refused as OpenSSL does, with protocol_version.
      if ((chunk[0]! & 0x80) !== 0 && chunk.length >= 3 && chunk[2] === 1) {
        this.#guard(() => {
          throw handshakeError(
            'UnsupportedProtocol',
            'client sent an SSLv2-compatible ClientHello, which is not supported (RFC 6176 §2)',
          );
        });
        return;
      }
    }
    this.#reader.push(chunk);
    this.#guard(() => {
      for (let event = this.#reader.read(); event !== undefined; event = this.#reader.read()) {
        if (event.kind === 'error') throw event.error;
        this.#onRecord(event);
        if (this.#error !== undefined || this.#receivedCloseNotify) return;
      }
    });
  }

  /**
   * Application data to send.
   * @throws Error `ERR_TLS_INVALID_STATE` before the handshake completes, after close() or an error.
   */
  write(data: Uint8Array): void {
    if (this.#info === undefined || this.#error !== undefined || this.#sentCloseNotify) {
      throw misuse(
        'ERR_TLS_INVALID_STATE',
        'cannot write application data: the connection is not open for writing',
      );
    }
    this.#guard(() => {
      const info = this.#info!;
      if (
        this.#config.cbcEmptyFragments === true &&
        data.length > 0 &&
        info.version === ProtocolVersion.Tls10 &&
        info.cipherSuite.cipherType === 'cbc'
      )
        this.#writer.write(ContentType.ApplicationData, new Uint8Array(0));
      this.#writer.write(ContentType.ApplicationData, data);
      if (this.#writer.keyUpdateDue && this.#traffic !== undefined) this.#sendKeyUpdate(false);
    });
  }

  /**
   * Client: more 0-RTT early data (RFC 8446 §4.2.10), after the ClientHello that offered it (see
   * `ConnectionConfig.earlyData`) and until the server's Finished arrives. Takes at most what
   * max_early_data_size still allows and returns how many bytes it took; the rest is the caller's
   * to send after the handshake. Whether the server accepted it comes as `early-data-accepted` or
   * `early-data-rejected` (which returns every early byte).
   * @throws Error `ERR_TLS_INVALID_STATE` on a server, when 0-RTT was not offered, or once it ended.
   * @example
   * const client = createClientConnection({ provider, session, earlyData: new Uint8Array(0) });
   * client.writeEarlyData(request); // → records after the ClientHello
   */
  writeEarlyData(data: Uint8Array): number {
    const early = this.#earlyWrite;
    if (early === undefined || !early.open || this.#error !== undefined || this.#sentCloseNotify) {
      throw misuse(
        'ERR_TLS_INVALID_STATE',
        'cannot write early data: no 0-RTT is under way (RFC 8446 §4.2.10)',
      );
    }
    const taken = data.subarray(0, Math.min(data.length, early.remaining));
    if (taken.length === 0) return 0;
    this.#guard(() => {
      this.#writer.write(ContentType.ApplicationData, taken);
      early.sent.push(copyBytes(taken));
      early.remaining -= taken.length;
    });
    return taken.length;
  }

  /** Queues close_notify (RFC 8446 §6.1). Reading goes on until the peer closes too. */
  close(): void {
    if (this.#sentCloseNotify || this.#error !== undefined) return;
    this.#sentCloseNotify = true;
    this.#guard(() => this.#sendAlert(AlertLevel.Warning, AlertDescription.CloseNotify));
  }

  /**
   * Sends a KeyUpdate (RFC 8446 §4.6.3) and switches our write keys; with `requestPeer`, the peer
   * must update its keys too.
   * @throws Error `ERR_TLS_INVALID_STATE` before the handshake completes.
   */
  updateKeys(requestPeer: boolean): void {
    if (
      this.#traffic === undefined ||
      this.#info === undefined ||
      this.#error !== undefined ||
      this.#sentCloseNotify
    ) {
      throw misuse(
        'ERR_TLS_INVALID_STATE',
        'cannot update keys: no TLS 1.3 connection is established (KeyUpdate is TLS 1.3 only)',
      );
    }
    this.#guard(() => this.#sendKeyUpdate(requestPeer));
  }

  /**
   * Server: asks the client for its certificate after a TLS 1.3 handshake (post-handshake
   * authentication, RFC 8446 §4.6.2) with a CertificateRequest under a fresh random context.
   * Application data keeps flowing meanwhile. The client's answer is checked (Certificate context,
   * CertificateVerify, Finished), `verifyPeer` runs on its chain (empty when it sent none), `info`
   * is updated and a `peer-certificate` event reports the chain.
   * @throws Error `ERR_TLS_INVALID_STATE` on a client, before the handshake completes, in TLS 1.2,
   *   when the client did not offer post_handshake_auth, while a request is pending, after close
   *   or an error.
   * @example
   * server.requestClientCertificate();
   * // … transfer bytes; later: { type: 'peer-certificate', peerCertificates: [leaf, …] }
   */
  requestClientCertificate(): void {
    const traffic = this.#traffic;
    const transcript = traffic?.postHandshakeTranscript;
    if (
      this.role !== 'server' ||
      this.#info === undefined ||
      this.#version < ProtocolVersion.Tls13 ||
      traffic === undefined ||
      transcript === undefined ||
      this.#clientAuthentication !== undefined ||
      this.#error !== undefined ||
      this.#sentCloseNotify
    ) {
      throw misuse(
        'ERR_TLS_INVALID_STATE',
        'cannot request a client certificate: post-handshake authentication needs an open TLS 1.3 ' +
          'connection whose client offered post_handshake_auth and no request pending (RFC 8446 §4.6.2)',
      );
    }
    this.#guard(() => {
      const { message, state } = startCertificateRequest(this.#postHandshakeAuthContext(traffic, transcript));
      this.#writer.write(ContentType.Handshake, message);
      this.#clientAuthentication = state;
    });
  }

  #postHandshakeAuthContext(traffic: TrafficState, transcript: Transcript): PostHandshakeAuthContext {
    return {
      config: this.#config,
      provider: this.#config.provider,
      suite: traffic.suite,
      transcript,
      serverName: this.#info?.serverName,
    };
  }

  /**
   * TLS-Exporter (RFC 8446 §7.5; RFC 5705 semantics as Node's exportKeyingMaterial).
   * @throws Error `ERR_TLS_INVALID_STATE` before the handshake completes.
   */
  exportKeyingMaterial(length: number, label: string, context?: Uint8Array): Uint8Array {
    const tls12 = this.#tls12;
    if (tls12 !== undefined && this.#info !== undefined) {
      return new Tls12KeySchedule(
        this.#config.provider,
        tls12PrfAlgorithm(tls12.suite, tls12.version),
      ).exportKeyingMaterial(
        tls12.masterSecret,
        label,
        tls12.clientRandom,
        tls12.serverRandom,
        context,
        length,
      );
    }
    const traffic = this.#traffic;
    if (traffic === undefined || this.#info === undefined) {
      throw misuse('ERR_TLS_INVALID_STATE', 'keying material is available only after the handshake');
    }
    return new Tls13KeySchedule(this.#config.provider, traffic.suite.hash).exportKeyingMaterial(
      traffic.exporterMasterSecret,
      label,
      context,
      length,
    );
  }

  /**
   * Starts a secure renegotiation (RFC 5746) of a TLS 1.2 connection: a client sends a new
   * ClientHello, a server a HelloRequest. Application data keeps flowing meanwhile; the
   * `renegotiated` event reports the new parameters.
   * @throws Error `ERR_TLS_INVALID_STATE` before the handshake, in TLS 1.3, while one is under way,
   *   after close or an error, or when `renegotiation: false`.
   */
  renegotiate(options: { requestClientCertificate?: boolean } = {}): void {
    const info = this.#info;
    if (
      info === undefined ||
      this.#version >= ProtocolVersion.Tls13 ||
      this.#renegotiating ||
      this.#error !== undefined ||
      this.#sentCloseNotify ||
      this.#renegotiation === undefined ||
      this.#config.renegotiation === false ||
      info.secureRenegotiation === false
    ) {
      throw misuse('ERR_TLS_INVALID_STATE', 'renegotiation is possible only on an open TLS 1.2 connection');
    }
    this.#guard(() => this.#startRenegotiation(info, { ...options, sendHelloRequest: true }));
  }

  #startRenegotiation(info: HandshakeInfo, options: Partial<RenegotiationContext>): void {
    this.#renegotiating = true;
    this.#state = this.#renegotiation!(this.#driver(), {
      ...options,
      version: info.version,
      clientVerifyData: info.clientFinished,
      serverVerifyData: info.serverFinished,
    });
  }

  /** Bytes for the transport, as one buffer, or undefined when none are queued. */
  takeOutput(): Uint8Array | undefined {
    return this.#writer.takeOutputBuffer();
  }

  /** Bytes for the transport as parts for `writev` (large ciphertexts uncopied). */
  takeOutputParts(): Uint8Array[] {
    return this.#writer.takeOutput();
  }

  /** The next event, or undefined. Drain until undefined after each call. */
  nextEvent(): ConnectionEvent | undefined {
    const events = this.#events;
    const event = events.shift();
    // An emptied array keeps its capacity; setting the length frees it (memory per idle connection).
    if (events.length === 0) events.length = 0;
    return event;
  }

  /** Sets the largest plaintext per record we send (Node's setMaxSendFragment). */
  setMaxFragmentLength(length: number): void {
    this.#writer.setMaxFragmentLength(length);
  }

  #guard(body: () => void): void {
    try {
      body();
      this.#flushFlight();
    } catch (error) {
      // Whatever the failed step queued is dropped: only the alert follows what was sent.
      this.#flight = undefined;
      // The engine's catch boundary: a TlsError is about the peer (or a failed check); anything
      // else (a provider failure, a bug) becomes internal_error without its text reaching the peer.
      if (isTlsError(error)) this.#fail(error, undefined);
      else if (hasErrorCode(error, 'ERR_CRYPTO_INVALID_KEY_SHARE')) {
        this.#fail(
          handshakeError('BadKeyShare', 'peer sent an invalid key share (RFC 8446 §4.2.8)', { cause: error }),
          undefined,
        );
      } else {
        this.#fail(
          handshakeError('InternalError', 'internal error in the TLS engine', { cause: error }),
          undefined,
        );
      }
    }
  }

  #fail(error: TlsError, receivedAlert: { level: number; description: number } | undefined): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    if (receivedAlert === undefined && error.alert !== undefined) {
      try {
        this.#sendAlert(AlertLevel.Fatal, error.alert);
      } catch {
        // The alert could not be sealed (keys gone, sequence exhausted): the error still stands.
      }
    }
    this.#events.push({ type: 'error', error, receivedAlert });
  }

  /**
   * Writes the handshake messages queued since the last flush as one run of records (a flight
   * shares records, as RFC 8446 §5.1 allows: fewer records, fewer seals, the RFC 8448 framing).
   */
  #flushFlight(): void {
    const flight = this.#flight;
    if (flight === undefined) return;
    // None kept between flights (memory per idle connection).
    this.#flight = undefined;
    this.#writer.write(ContentType.Handshake, flight.length === 1 ? flight[0]! : concatBytes(flight));
  }

  #sendAlert(level: number, description: number): void {
    this.#flushFlight();
    this.#writer.write(ContentType.Alert, encodeAlert({ level, description }));
  }

  #onRecord(record: PlainRecord): void {
    switch (record.contentType) {
      case ContentType.Alert:
        this.#onAlert(record.fragment);
        return;
      case ContentType.ChangeCipherSpec: {
        const state = this.#state;
        if (
          (this.#info === undefined || this.#renegotiating) &&
          state?.handleChangeCipherSpec !== undefined
        ) {
          // RFC 5246 §7.1: one byte 0x01, on a handshake message boundary.
          if (record.fragment.length !== 1 || record.fragment[0] !== 1)
            throw handshakeError(
              'DecodeError',
              'change_cipher_spec is not the single byte 1 (RFC 5246 §7.1)',
            );
          this.#state = state.handleChangeCipherSpec();
          return;
        }
        // RFC 8446 §5: one byte 0x01, only while handshaking and before the peer's Finished.
        if (
          this.#state?.allowsChangeCipherSpec !== true ||
          record.fragment.length !== 1 ||
          record.fragment[0] !== 1
        ) {
          throw handshakeError(
            'UnexpectedCcsMessage',
            this.#version === ProtocolVersion.Tls13
              ? 'peer sent change_cipher_spec outside the TLS 1.3 compatibility window (RFC 8446 §5)'
              : 'peer sent change_cipher_spec where it was not expected (RFC 5246 §7.1)',
          );
        }
        return;
      }
      case ContentType.Handshake:
        this.#reassembler.addRecord(record.fragment);
        for (let frame = this.#reassembler.next(); frame !== undefined; frame = this.#reassembler.next()) {
          this.#onHandshake(frame);
          if (this.#error !== undefined) return;
        }
        return;
      case ContentType.ApplicationData:
        if (this.#earlyRead !== undefined) {
          // RFC 8446 §4.6.1: "A server receiving more than max_early_data_size bytes of 0-RTT data
          // SHOULD terminate the connection with an "unexpected_message" alert."
          this.#earlyRead.remaining -= record.fragment.length;
          if (this.#earlyRead.remaining < 0)
            throw handshakeError(
              'TooMuchEarlyData',
              'client sent more early data than max_early_data_size (RFC 8446 §4.6.1)',
            );
          if (record.fragment.length > 0) this.#events.push({ type: 'early-data', data: record.fragment });
          return;
        }
        if (this.#earlyData !== undefined && this.#info === undefined) {
          if (this.#earlyData.skipping?.takeSkipped() === true) return;
          if (this.#earlyData.afterRetry) {
            // RFC 8446 §4.2.10: after a HelloRetryRequest every application_data record is early data.
            this.#earlyData.budget.skip(record.fragment.length);
            return;
          }
        }
        if (this.#info === undefined || (this.#readSecret === undefined && this.#tls12 === undefined)) {
          throw unexpectedMessage('peer sent application data before the handshake completed (RFC 8446 §2)');
        }
        if (record.fragment.length > 0)
          this.#events.push({ type: 'application-data', data: record.fragment });
        return;
      default:
        throw unexpectedMessage(`peer sent a record of type ${record.contentType}`);
    }
  }

  #onAlert(fragment: Uint8Array): void {
    const alert = decodeAlert(fragment);
    if (alert.description === AlertDescription.CloseNotify) {
      this.#receivedCloseNotify = true;
      this.#events.push({ type: 'peer-closed' });
      return;
    }
    // RFC 8446 §6: every alert but close_notify and user_canceled is fatal whatever its level.
    if (alert.description === AlertDescription.UserCanceled) return;
    // RFC 5246 §7.2: before TLS 1.3 a warning alert does not end the connection (a refused
    // renegotiation is a warning no_renegotiation, §7.2.2).
    if (this.#version < ProtocolVersion.Tls13 && alert.level === AlertLevel.Warning) {
      // RFC 5746 §4.2: the peer declined our renegotiation; the connection goes on as it was.
      if (alert.description === AlertDescription.NoRenegotiation && this.#renegotiating) {
        this.#renegotiating = false;
        this.#state = undefined;
        this.#events.push({ type: 'renegotiation-refused' });
      }
      return;
    }
    const error = peerAlertError(alert.description);
    if (error !== undefined) this.#fail(error, alert);
  }

  #onHandshake(frame: HandshakeFrame): void {
    const state = this.#state;
    if (state !== undefined && (this.#info === undefined || this.#renegotiating)) {
      // RFC 5246 §7.4.1.1: a HelloRequest in the middle of a TLS 1.2 handshake is ignored.
      if (
        this.role === 'client' &&
        this.#version < ProtocolVersion.Tls13 &&
        frame.type === HandshakeType.HelloRequest
      )
        return;
      if (
        state.name === 'ExpectClientHello' &&
        this.#info === undefined &&
        frame.type === HandshakeType.ClientHello
      ) {
        this.#state = this.#serverClientHello(state, frame);
        return;
      }
      this.#state = state.handle(frame);
      return;
    }
    if (this.#info !== undefined) {
      this.#onPostHandshake(frame);
      return;
    }
    throw unexpectedMessage('handshake message after the connection failed');
  }

  /**
   * A ClientHello of the first handshake: with early_data, which we never accept, the client's
   * 0-RTT records are skipped (RFC 8446 §4.2.10) under the handshake key the state installs, or
   * after the HelloRetryRequest it sends until the next ClientHello.
   */
  #serverClientHello(state: HandshakeState, frame: HandshakeFrame): HandshakeState {
    this.#clientHellos++;
    const offered = getExtension(decodeClientHello(frame.bytes).extensions, 'early_data') !== undefined;
    if (offered && this.#clientHellos > 1) {
      throw illegalParameter('client offered early_data after a HelloRetryRequest (RFC 8446 §4.1.2)');
    }
    this.#earlyData = offered
      ? { budget: new EarlyDataBudget(this.#config.maxEarlyData), skipping: undefined, afterRetry: false }
      : undefined;
    const next = state.handle(frame);
    const early = this.#earlyData;
    if (early !== undefined && early.skipping === undefined) {
      // No handshake key installed: a HelloRetryRequest (TLS 1.3, still plaintext), or TLS 1.2.
      if (this.#version >= ProtocolVersion.Tls13 && this.#reader.protection.kind === 'plaintext')
        early.afterRetry = true;
      else this.#earlyData = undefined;
    }
    return next;
  }

  /** RFC 8446 §4.6: what may come after the handshake. */
  #onPostHandshake(frame: HandshakeFrame): void {
    if (this.#version < ProtocolVersion.Tls13) {
      this.#onTls12PostHandshake(frame);
      return;
    }
    const traffic = this.#traffic!;
    const authentication = this.#clientAuthentication;
    // RFC 8446 §4.6.2: the client's Certificate, CertificateVerify and Finished answer our request;
    // only a KeyUpdate may come before them.
    if (authentication !== undefined && (authentication.started || frame.type !== HandshakeType.KeyUpdate)) {
      const next = authentication.handle(frame, this.#readSecret!);
      if ('handle' in next) {
        this.#clientAuthentication = next;
        return;
      }
      this.#clientAuthentication = undefined;
      this.#info = {
        ...this.#info!,
        peerCertificates: next.peerCertificates,
        peerSignatureScheme: next.peerSignatureScheme,
      };
      this.#events.push({ type: 'peer-certificate', peerCertificates: next.peerCertificates });
      return;
    }
    switch (frame.type) {
      case HandshakeType.CertificateRequest: {
        const transcript = traffic.postHandshakeTranscript;
        // RFC 8446 §4.6.2: "A client that receives a CertificateRequest message without having
        // sent the "post_handshake_auth" extension MUST send an "unexpected_message" fatal alert."
        if (this.role !== 'client' || transcript === undefined)
          throw unexpectedMessage(
            'peer sent a CertificateRequest after the handshake without post_handshake_auth (RFC 8446 §4.6.2)',
          );
        const messages = answerCertificateRequest(
          this.#postHandshakeAuthContext(traffic, transcript),
          frame,
          this.#writeSecret!,
        );
        // After our close_notify nothing more is sent.
        if (!this.#sentCloseNotify) this.#writer.write(ContentType.Handshake, concatBytes(messages));
        return;
      }
      case HandshakeType.NewSessionTicket: {
        if (this.role !== 'client')
          throw unexpectedMessage('client sent a NewSessionTicket (RFC 8446 §4.6.1)');
        const ticket = decodeNewSessionTicket(frame.bytes);
        const info = this.#info!;
        const schedule = new Tls13KeySchedule(this.#config.provider, traffic.suite.hash);
        // RFC 8446 §4.6.1: lifetimes over seven days are not honoured; zero means do not use it.
        const lifetime = Math.min(ticket.ticketLifetime, 604800);
        if (lifetime === 0 || traffic.resumptionMasterSecret === undefined) return;
        const session = encodeClientSession({
          version: info.version,
          cipherSuite: info.cipherSuite.id,
          psk: schedule.resumptionPsk(traffic.resumptionMasterSecret, ticket.ticketNonce),
          ticket: ticket.ticket,
          receivedAt: this.#config.provider.now(),
          lifetime,
          ageAdd: ticket.ticketAgeAdd,
          serverName: info.serverName,
          alpnProtocol: info.alpnProtocol,
          peerCertificates: info.peerCertificates,
          maxEarlyData: maxEarlyDataOf(ticket.extensions),
        });
        this.#events.push({ type: 'session-ticket', session, lifetime });
        return;
      }
      case HandshakeType.KeyUpdate: {
        const update = decodeKeyUpdate(frame.bytes);
        this.#reassembler.requireRecordBoundary();
        const schedule = new Tls13KeySchedule(this.#config.provider, traffic.suite.hash);
        this.#readSecret = schedule.nextApplicationTrafficSecret(this.#readSecret!);
        this.#reader.setProtection(
          createTls13Protection(this.#config.provider, traffic.suite, this.#readSecret),
        );
        this.#events.push({ type: 'key-update', direction: 'read' });
        // RFC 8446 §4.6.3: answer update_requested with our own update (not requesting one back).
        if (update.requestUpdate === KeyUpdateRequest.UpdateRequested && !this.#sentCloseNotify)
          this.#sendKeyUpdate(false);
        return;
      }
      default:
        throw unexpectedMessage(
          `peer sent handshake message ${frame.type} after the handshake (RFC 8446 §4.6)`,
        );
    }
  }

  /**
   * After a TLS 1.2 handshake only renegotiation can start: a HelloRequest to a client or a
   * ClientHello to a server. It runs as a new handshake under the current keys (RFC 5746); with
   * `renegotiation: false` it is refused with a warning no_renegotiation (RFC 5246 §7.2.2,
   * RFC 5746 §4.2), which leaves the connection open.
   */
  #onTls12PostHandshake(frame: HandshakeFrame): void {
    const renegotiation = this.role === 'client' ? HandshakeType.HelloRequest : HandshakeType.ClientHello;
    if (frame.type !== renegotiation) {
      throw unexpectedMessage(
        `peer sent handshake message ${frame.type} after the TLS 1.2 handshake (RFC 5246 §7.4)`,
      );
    }
    if (this.#sentCloseNotify) return;
    // RFC 5746 §4.2: never with a peer that does not support secure renegotiation.
    if (
      this.#config.renegotiation === false ||
      this.#renegotiation === undefined ||
      this.#info?.secureRenegotiation === false
    ) {
      this.#sendAlert(AlertLevel.Warning, AlertDescription.NoRenegotiation);
      return;
    }
    // Reported so the layer above can limit client renegotiations (Node's CLIENT_RENEG_LIMIT).
    this.#events.push({ type: 'renegotiation', initiator: this.role === 'client' ? 'server' : 'client' });
    this.#startRenegotiation(this.#info!, {});
    if (this.role === 'server') this.#state = this.#state!.handle(frame);
  }

  #sendKeyUpdate(requestPeer: boolean): void {
    const traffic = this.#traffic!;
    this.#writer.write(
      ContentType.Handshake,
      encodeKeyUpdate({
        requestUpdate: requestPeer ? KeyUpdateRequest.UpdateRequested : KeyUpdateRequest.UpdateNotRequested,
      }),
    );
    const schedule = new Tls13KeySchedule(this.#config.provider, traffic.suite.hash);
    this.#writeSecret = schedule.nextApplicationTrafficSecret(this.#writeSecret!);
    this.#writer.setProtection(
      createTls13Protection(this.#config.provider, traffic.suite, this.#writeSecret),
    );
    this.#events.push({ type: 'key-update', direction: 'write' });
  }

  #driver(): HandshakeDriver {
    return {
      config: this.#config,
      provider: this.#config.provider,
      send: (message) => {
        this.#flight ??= [];
        this.#flight.push(message);
      },
      sendChangeCipherSpec: () => {
        this.#flushFlight();
        this.#writer.write(ContentType.ChangeCipherSpec, Uint8Array.of(1));
      },
      setReadProtection: (protection, options) => {
        this.#reassembler.requireRecordBoundary();
        const early = this.#earlyData;
        if (
          early !== undefined &&
          early.skipping === undefined &&
          !early.afterRetry &&
          protection.kind === 'tls13'
        ) {
          // The client handshake key after a ClientHello with early_data: 0-RTT records come first.
          early.skipping = new EarlyDataSkipping(protection, early.budget);
          this.#reader.setProtection(early.skipping, options);
          return;
        }
        this.#earlyData = undefined;
        this.#earlyRead = undefined;
        this.#reader.setProtection(protection, options);
      },
      acceptEarlyData: (protection, maxSize, options) => {
        this.#reassembler.requireRecordBoundary();
        this.#earlyData = undefined;
        this.#earlyRead = { remaining: maxSize };
        this.#reader.setProtection(protection, options);
      },
      startEarlyData: (protection, maxSize) => {
        this.#flushFlight();
        this.#writer.setProtection(protection);
        const given = this.#config.earlyData ?? new Uint8Array(0);
        const taken = given.subarray(0, Math.min(given.length, maxSize));
        const early = {
          open: true,
          remaining: maxSize - taken.length,
          sent: [] as Uint8Array[],
          unsent: copyBytes(given.subarray(taken.length)),
        };
        this.#earlyWrite = early;
        if (taken.length > 0) {
          this.#writer.write(ContentType.ApplicationData, taken);
          early.sent.push(copyBytes(taken));
        }
      },
      endEarlyData: () => {
        const early = this.#earlyWrite;
        if (early === undefined) return;
        early.open = false;
        this.#earlyWrite = undefined;
        const length = early.sent.reduce((sum, part) => sum + part.length, 0);
        this.#events.push({ type: 'early-data-accepted', length, unsent: early.unsent });
      },
      earlyDataRejected: (reason) => {
        const early = this.#earlyWrite;
        this.#earlyWrite = undefined;
        const data =
          early === undefined
            ? copyBytes(this.#config.earlyData ?? new Uint8Array(0))
            : concatBytes([...early.sent, early.unsent]);
        this.#events.push({ type: 'early-data-rejected', reason, data });
      },
      setWriteProtection: (protection) => {
        this.#flushFlight();
        this.#writer.setProtection(protection);
      },
      setRecordVersion: (version) => {
        // Messages queued so far go out with the version they were sent under (the first
        // ClientHello's 0x0301, RFC 8446 §5.1).
        this.#flushFlight();
        this.#writer.setVersion(version);
      },
      setPeerRecordVersion: (version) => this.#reader.setVersion(version),
      keylog: (label, clientRandom, secret) => {
        if (this.#config.keylog === true) {
          this.#events.push({ type: 'keylog', line: `${label} ${toHex(clientRandom)} ${toHex(secret)}\n` });
        }
      },
      setPeerRecordSizeLimit: (limit) => this.#writer.setPeerRecordSizeLimit(limit),
      // RFC 8449 §4: in TLS 1.3 the limit counts the content type byte.
      setOwnRecordSizeLimit: (limit) => this.#reader.setMaxPlaintextLength(limit - 1),
      setNegotiatedFragmentLength: (length) => {
        this.#writer.setMaxFragmentLength(Math.min(length, this.#writer.maxFragmentLength));
        this.#reader.setMaxPlaintextLength(length);
      },
      ocspResponse: (response) => this.#events.push({ type: 'ocsp-response', response }),
      setProtocolVersion: (version) => {
        this.#version = version;
      },
      setTls12Secrets: (secrets) => {
        const [masterSecret, clientRandom, serverRandom] = packBytes([
          secrets.masterSecret,
          secrets.clientRandom,
          secrets.serverRandom,
        ]);
        this.#tls12 = Object.assign({}, secrets, {
          masterSecret: masterSecret!,
          clientRandom: clientRandom!,
          serverRandom: serverRandom!,
        });
      },
      emitSession: (session, lifetime) => this.#events.push({ type: 'session-ticket', session, lifetime }),
      setTrafficSecrets: (given) => {
        const { client, server, state } = packTrafficSecrets(given);
        this.#traffic = state;
        const isClient = this.role === 'client';
        this.#readSecret = isClient ? server : client;
        this.#writeSecret = isClient ? client : server;
      },
      complete: (given) => {
        const info = packHandshakeInfo(given);
        this.#info = info;
        if (this.#renegotiating) {
          this.#renegotiating = false;
          this.#events.push({ type: 'renegotiated', info });
        } else {
          this.#events.push({ type: 'handshake-complete', info });
        }
      },
    };
  }
}
