// TLSSocket: Node's `tls.TLSSocket` over any Duplex (a net.Socket or anything else), driving the
// sans-I/O engine of @tls/handshake. This layer holds no protocol logic (DESIGN.md): it moves
// bytes between the transport and the engine, runs the authorization policy Node runs after a
// handshake (rejectUnauthorized, checkServerIdentity), and maps engine events to Node events.

import { type AddressInfo, Socket as NetSocket, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { type SecureContext, secureContextFor, sigalgName } from '@tls/context';
import { createNodeCryptoProvider, x509Certificate } from '@tls/crypto/node';
import {
  type Connection,
  type ConnectionConfig,
  type ConnectionEvent,
  type HandshakeInfo,
  type PeerVerifier,
  createClientConnection,
  createServerConnection,
  decodeClientSession,
  type SessionStore,
  peekClientHello,
} from '@tls/handshake';
import { TlsError } from '@tls/record';
import {
  type DetailedPeerCertificate,
  type PeerCertificate,
  formatSubjectAltName,
  nameToObject,
  parseCertificate,
  toDetailedPeerCertificate,
  toPeerCertificate,
} from '@tls/x509';
import { checkServerIdentity as x509CheckServerIdentity } from '@tls/x509/verify';
import { disconnectedBeforeSecure, invalidArgType, nodeError, tlsFailure } from './errors.js';
import { renegotiationLimits } from './settings.js';
import { RecordTracer } from './trace.js';

const provider = createNodeCryptoProvider();

/** Node's certificate object, with `raw` and `pubkey` as Buffers. */
export type NodePeerCertificate = Omit<PeerCertificate, 'raw' | 'pubkey'> & {
  raw: Buffer;
  pubkey?: Buffer;
  issuerCertificate?: NodePeerCertificate;
};

export interface TLSSocketOptions {
  isServer?: boolean;
  server?: import('node:net').Server;
  secureContext?: SecureContext;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  ALPNProtocols?: readonly string[] | readonly Uint8Array[] | Uint8Array;
  /**
   * Server: chooses the ALPN protocol (Node's `ALPNCallback`): given the SNI name (false without
   * one) and the client's protocols, returns one of them, or undefined to refuse the connection.
   */
  ALPNCallback?: (request: { servername: string | false; protocols: string[] }) => string | undefined;
  /** Calls enableTrace() on the socket (on every connection, given to a server). */
  enableTrace?: boolean;
  session?: Uint8Array;
  requestOCSP?: boolean;
  servername?: string;
  /** Client: the host the hostname check uses when `servername` is not given. */
  host?: string;
  checkServerIdentity?: (hostname: string, cert: NodePeerCertificate) => Error | undefined;
  /** Server: the server's own session-id cache, used when no session event listener is set. */
  sessionCache?: SessionStore;
  /** Server: picks the context for the name the client asks for (Node's SNICallback). */
  SNICallback?: (
    servername: string,
    callback: (error: Error | null, context?: SecureContext) => void,
  ) => void;
  /** Any createSecureContext option, used when no `secureContext` is given. */
  [option: string]: unknown;
}

/** Converts a Node-style ALPN option (array of strings/Buffers, or wire-format Buffer) to names. */
export function alpnNames(option: TLSSocketOptions['ALPNProtocols']): string[] | undefined {
  if (option === undefined || option === null) return undefined;
  if (Array.isArray(option))
    return option.map((name) => (typeof name === 'string' ? name : Buffer.from(name).toString('latin1')));
  const bytes = option as Uint8Array;
  const names: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes[at]!;
    names.push(Buffer.from(bytes.subarray(at + 1, at + 1 + length)).toString('latin1'));
    at += 1 + length;
  }
  return names;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function toNodeCertificate(
  certificate: DetailedPeerCertificate,
  seen = new Map<object, NodePeerCertificate>(),
): NodePeerCertificate {
  const existing = seen.get(certificate);
  if (existing !== undefined) return existing;
  const { raw, pubkey, issuerCertificate, ...rest } = certificate;
  const converted: NodePeerCertificate = { ...rest, raw: toBuffer(raw) };
  if (pubkey !== undefined) converted.pubkey = toBuffer(pubkey);
  seen.set(certificate, converted);
  if (issuerCertificate !== undefined)
    converted.issuerCertificate = toNodeCertificate(issuerCertificate, seen);
  return converted;
}

/** NamedGroup → Node's getEphemeralKeyInfo() type, name and size. */
const groupNames: Record<number, [string, string, number]> = {
  29: ['ECDH', 'X25519', 253],
  30: ['ECDH', 'X448', 448],
  23: ['ECDH', 'prime256v1', 256],
  24: ['ECDH', 'secp384r1', 384],
  25: ['ECDH', 'secp521r1', 521],
  256: ['DH', 'ffdhe2048', 2048],
  257: ['DH', 'ffdhe3072', 3072],
  258: ['DH', 'ffdhe4096', 4096],
  259: ['DH', 'ffdhe6144', 6144],
  260: ['DH', 'ffdhe8192', 8192],
  4588: ['ECDH', 'X25519MLKEM768', 1216],
};

/** A ClientHello larger than this (buffered for SNI) is handed to the engine to refuse. */
const maxClientHelloBytes = 65536;

const protocolNames: Record<number, string> = {
  769: 'TLSv1',
  770: 'TLSv1.1',
  771: 'TLSv1.2',
  772: 'TLSv1.3',
};

/**
 * Node's checks of `ALPNCallback`: a function, and not together with `ALPNProtocols`.
 * @throws TypeError `ERR_INVALID_ARG_TYPE`, `ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS`
 */
export function checkAlpnCallback(options: { ALPNCallback?: unknown; ALPNProtocols?: unknown }): void {
  if (options.ALPNCallback === undefined) return;
  if (typeof options.ALPNCallback !== 'function')
    throw invalidArgType('options.ALPNCallback', 'of type function', options.ALPNCallback);
  if (options.ALPNProtocols !== undefined) {
    throw Object.assign(
      new TypeError('The ALPNCallback and ALPNProtocols TLS options are mutually exclusive'),
      {
        code: 'ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS',
      },
    );
  }
}

/** TLS's largest record payload (RFC 8446 §5.1): writes up to this size are joined in one record. */
const maxRecordPlaintext = 16384;
const noop = (): void => {};

// The engine's in-handshake verifiers (module functions, not a closure kept per connection).
const acceptPeerChain: PeerVerifier = () => undefined;
const requirePeerCertificate: PeerVerifier = (chain) =>
  chain.length === 0
    ? new TlsError('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 116, 'peer did not return a certificate')
    : undefined;

/** Where a transport's shared listeners find the TLSSocket it carries. */
const transportOwner = Symbol('tlsSocket');
type OwnedTransport = Duplex & { [transportOwner]: TLSSocket };

/**
 * The transport's listeners: functions shared by every socket, which find their socket on the
 * transport, rather than five closures kept per connection (memory per idle connection). Set
 * once, by TLSSocket's static block.
 */
let transportListeners: {
  readonly data: (this: Duplex, chunk: Buffer) => void;
  readonly end: (this: Duplex) => void;
  readonly close: (this: Duplex) => void;
  readonly error: (this: Duplex, error: Error) => void;
  readonly timeout: (this: Duplex) => void;
};

/** The TCP connection's events a node:tls socket emits itself, being that net.Socket. */
const connectEvents = [
  'lookup',
  'connectionAttempt',
  'connectionAttemptFailed',
  'connectionAttemptTimeout',
  'connect',
  'ready',
] as const;
/** One shared forwarder per event (no closures per connection), finding the socket on the transport. */
const connectForwarders = connectEvents.map(
  (name) =>
    [
      name,
      function forward(this: Duplex, ...args: unknown[]): void {
        (this as OwnedTransport)[transportOwner].emit(name, ...args);
        if (name === 'ready')
          for (const [event, listener] of connectForwarders) this.removeListener(event, listener);
      },
    ] as const,
);

/**
 * Re-emits the connection's own events (`'lookup'`, `'connect'`, `'ready'` and Node 20's
 * `'connectionAttempt*'`) on the TLSSocket carried by `transport`, as code timing a request
 * expects (it listens for 'lookup', 'connect' and 'secureConnect' on the socket). The listeners
 * go once 'ready' has come. For `tls.connect()`, whose node:tls socket is that net.Socket.
 */
export function forwardConnectEvents(transport: Duplex): void {
  for (const [event, listener] of connectForwarders) transport.on(event, listener);
}

interface PendingWrite {
  readonly chunk: Buffer;
  readonly callback: (error?: Error | null) => void;
}

export class TLSSocket extends Duplex {
  /** Always true: the stream is encrypted (Node's `tlsSocket.encrypted`). */
  readonly encrypted = true;
  authorized = false;
  authorizationError: string | null = null;
  /** The negotiated ALPN protocol: null before the handshake, false when none was selected. */
  alpnProtocol: string | false | null = null;
  /** TLS 1.2 NPN: the protocol negotiated (v6 API's `npnProtocol`), false when none. */
  npnProtocol: string | false | null = null;
  /** The SNI name: requested (client) or received (server); false when none. */
  servername: string | false | null = null;
  /**
   * On a server's socket, the tls.Server that accepted it (net.Socket's `server`). Writable: an
   * http.Server fed this socket sets it to itself, as it does on a net.Socket.
   */
  server: unknown;
  readonly #transport: Duplex;
  readonly #isServer: boolean;
  readonly #options: TLSSocketOptions;
  #context: SecureContext;
  /** Server with an SNICallback: the client's first bytes, held until its ClientHello is whole. */
  #sniBuffer: Buffer[] | undefined;
  #pendingExtra: Partial<ConnectionConfig> | undefined;
  /** The session state 'resumeSession' answered for the ClientHello's session id. */
  #resumedSession: { readonly id: Buffer; readonly data: Buffer } | undefined;
  /** An error thrown by an application callback the engine called (ALPNCallback). */
  #callbackError: Error | undefined;
  /** enableTrace()'s two tracers, or undefined (the usual case: one field, no cost). */
  #trace: { readonly received: RecordTracer; readonly sent: RecordTracer } | undefined;
  #bytesRead = 0;
  #bytesDispatched = 0;
  /** 'newSession' callbacks not yet called (TLS 1.3 announces each ticket). */
  #newSessionsPending = 0;
  #securePending = false;
  #connection: Connection | undefined;
  #info: HandshakeInfo | undefined;
  #secure = false;
  #session: Uint8Array | undefined;
  /** Writes made before the handshake completed (none kept afterwards: memory per idle connection). */
  #pendingWrites: PendingWrite[] | undefined;
  #pendingFinal: ((error?: Error | null) => void) | undefined;
  #transportPaused = false;
  #ocspResponse: Buffer | undefined;
  #renegotiationDisabled = false;
  /** Client-initiated renegotiations in the current window, and when the last began (Node's onhandshakestart). */
  #renegotiations = 0;
  #lastHandshake = 0;
  #renegotiateCallbacks: Array<(error: Error | null) => void> | undefined;

  constructor(socket: Duplex | undefined, options: TLSSocketOptions = {}) {
    // 'close' is emitted by _destroy, with net.Socket's hadError argument.
    super({ allowHalfOpen: (options.allowHalfOpen as boolean | undefined) ?? false, emitClose: false });
    // Without a stream, a net.Socket connected later through connect(), as in Node.
    const transport = socket ?? new NetSocket();
    this.#transport = transport;
    this.#isServer = options.isServer === true;
    if (options.isServer === true) checkAlpnCallback(options);
    if (options.enableTrace === true) this.enableTrace();
    this.#options = options;
    this.server = options.server;
    this.#context =
      options.secureContext ?? secureContextFor(options as Parameters<typeof secureContextFor>[0]);
    (transport as OwnedTransport)[transportOwner] = this;
    transport.on('data', transportListeners.data);
    transport.on('end', transportListeners.end);
    transport.on('close', transportListeners.close);
    transport.on('error', transportListeners.error);
    transport.on('timeout', transportListeners.timeout);
    const netSocket = transport as Partial<Socket>;
    // A net.Socket that is connecting, or not connected yet, starts the handshake on 'connect'
    // (`pending`, not `remoteAddress`: that asks the kernel, a getpeername(2) per connection).
    const waiting =
      netSocket.connecting === true || (transport instanceof NetSocket && netSocket.pending === true);
    if (waiting) transport.once('connect', () => this.#start());
    else queueMicrotask(() => this.#start());
  }

  static {
    // Inside the class body, so the shared listeners reach the socket's private methods.
    const ownerOf = (transport: Duplex): TLSSocket => (transport as OwnedTransport)[transportOwner];
    transportListeners = {
      data(this: Duplex, chunk: Buffer): void {
        ownerOf(this).#onTransportData(chunk);
      },
      end(this: Duplex): void {
        ownerOf(this).#onTransportEnd();
      },
      close(this: Duplex): void {
        const socket = ownerOf(this);
        if (!socket.destroyed) socket.destroy();
      },
      error(this: Duplex, error: Error): void {
        ownerOf(this).#fail(error);
      },
      timeout(this: Duplex): void {
        ownerOf(this).emit('timeout');
      },
    };
  }

  /** The transport this socket runs over (Node's `tlsSocket._parent` / `ssl`-less equivalent). */
  get transport(): Duplex {
    return this.#transport;
  }

  #start(): void {
    if (this.destroyed || this.#connection !== undefined) return;
    const options = this.#options;
    const alpnProtocols = alpnNames(options.ALPNProtocols);
    const keylog = this.listenerCount('keylog') > 0 || (options.server?.listenerCount('keylog') ?? 0) > 0;
    // Node verifies the peer after the handshake (and destroys the socket without an alert when
    // rejectUnauthorized says so), so the engine's in-handshake verifier only refuses a missing
    // client certificate when one is required (OpenSSL's SSL_VERIFY_FAIL_IF_NO_PEER_CERT).
    const requireClientCertificate =
      this.#isServer && options.requestCert === true && options.rejectUnauthorized !== false;
    const extra: Partial<ConnectionConfig> = {
      keylog,
      verifyPeer: requireClientCertificate ? requirePeerCertificate : acceptPeerChain,
    };
    if (alpnProtocols !== undefined) Object.assign(extra, { alpnProtocols });
    const npnProtocols = alpnNames(options.NPNProtocols as TLSSocketOptions['ALPNProtocols']);
    if (npnProtocols !== undefined) Object.assign(extra, { npnProtocols });
    if (this.#isServer) {
      if (options.requestCert === true) Object.assign(extra, { requestClientCertificate: true });
      const alpnCallback = options.ALPNCallback;
      if (typeof alpnCallback === 'function') {
        const selectAlpn: ConnectionConfig['selectAlpn'] = ({ serverName, protocols }) => {
          try {
            return alpnCallback({ servername: serverName ?? false, protocols: [...protocols] });
          } catch (error) {
            // Reported as the application's own error, with no alert (as Node).
            this.#callbackError = error instanceof Error ? error : new Error(String(error));
            throw new TlsError('ERR_TLS_ALPN_CALLBACK_FAILED', undefined, 'the ALPNCallback threw');
          }
        };
        Object.assign(extra, { selectAlpn });
      }
      const server = options.server;
      const hooks =
        typeof options.SNICallback === 'function' ||
        (server?.listenerCount('resumeSession') ?? 0) > 0 ||
        (server?.listenerCount('OCSPRequest') ?? 0) > 0;
      if (
        (server?.listenerCount('newSession') ?? 0) > 0 ||
        (server?.listenerCount('resumeSession') ?? 0) > 0
      ) {
        Object.assign(extra, { sessionStore: this.#sessionStore() });
      } else if (options.sessionCache !== undefined) {
        Object.assign(extra, { sessionStore: options.sessionCache });
      }
      if (hooks && this.#sniBuffer === undefined) {
        // Node's SNICallback, resumeSession and OCSPRequest answer asynchronously from what the
        // ClientHello holds: read it first, ask them, then start the engine with their answers.
        this.#sniBuffer = [];
        this.#pendingExtra = extra;
        return;
      }
      this.#connection = createServerConnection(this.#context.engineConfig('server', extra));
    } else {
      if (typeof options.servername === 'string' && options.servername !== '')
        Object.assign(extra, { serverName: options.servername });
      if (options.session !== undefined) Object.assign(extra, { session: new Uint8Array(options.session) });
      if (options.requestOCSP === true) Object.assign(extra, { requestOcsp: true });
      this.servername = typeof options.servername === 'string' ? options.servername : false;
      this.#connection = createClientConnection(this.#context.engineConfig('client', extra));
    }
    this.#pump();
  }

  /**
   * The engine's TLS 1.2 session-id store, as Node's server events: a new session is announced
   * with 'newSession'; a resumed one comes from the 'resumeSession' answer fetched before the
   * engine started (the engine asks synchronously).
   */
  #sessionStore(): SessionStore {
    const announce = (sessionId: Uint8Array, state: Uint8Array): void => {
      // As Node, the server's 'secure' waits until every listener callback has run.
      this.#newSessionsPending++;
      let done = false;
      const callback = (): void => {
        if (done) return;
        done = true;
        this.#newSessionsPending--;
        if (this.#newSessionsPending === 0 && this.#securePending) {
          this.#securePending = false;
          this.#emitServerSecure();
        }
      };
      if (this.#options.server?.emit('newSession', toBuffer(sessionId), toBuffer(state), callback) !== true)
        callback();
    };
    return {
      save: announce,
      announce,
      load: (sessionId) => {
        const resumed = this.#resumedSession;
        return resumed !== undefined && Buffer.compare(resumed.id, sessionId) === 0
          ? new Uint8Array(resumed.data)
          : undefined;
      },
    };
  }

  /**
   * Holds the client's first bytes until its ClientHello is whole, then asks, in Node's order,
   * the SNICallback for the context, 'resumeSession' for a session-id state and 'OCSPRequest' for
   * a stapled response; then starts the engine with the answers and replays the bytes.
   */
  #onHelloData(chunk: Buffer): void {
    const buffered = this.#sniBuffer!;
    buffered.push(chunk);
    const bytes = Buffer.concat(buffered);
    const peek =
      bytes.length > maxClientHelloBytes ? ({ status: 'invalid' } as const) : peekClientHello(bytes);
    if (peek.status === 'incomplete') return;
    this.#transport.pause();
    const server = this.#options.server;
    const fail = (error: Error | null | undefined): boolean => {
      if (!error) return false;
      this.#fail(error);
      return true;
    };
    // Application code (SNICallback and the listeners) that throws fails this connection, as in
    // Node, instead of the process.
    const guarded = (call: () => void): void => {
      try {
        call();
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const start = (ocspResponse: Uint8Array | undefined): void => {
      if (this.destroyed) return;
      this.#sniBuffer = undefined;
      const extra: Partial<ConnectionConfig> = { ...(this.#pendingExtra ?? {}) };
      if (ocspResponse !== undefined) {
        Object.assign(extra, {
          certificates: this.#context.certificates.map((certified) => ({ ...certified, ocspResponse })),
        });
      }
      this.#connection = createServerConnection(this.#context.engineConfig('server', extra));
      this.#transport.resume();
      this.#onTransportData(bytes);
    };
    const askOcsp = (): void => {
      if (
        peek.status !== 'complete' ||
        !peek.requestsOcsp ||
        server === undefined ||
        server.listenerCount('OCSPRequest') === 0
      ) {
        start(undefined);
        return;
      }
      const chain = this.#context.certificates[0]?.chain ?? [];
      const leaf = chain[0] === undefined ? null : toBuffer(chain[0]);
      const issuer = chain[1] === undefined ? null : toBuffer(chain[1]);
      guarded(() =>
        server.emit('OCSPRequest', leaf, issuer, (error: Error | null, response?: Uint8Array) => {
          if (!fail(error))
            start(response === undefined || response === null ? undefined : new Uint8Array(response));
        }),
      );
    };
    const askSession = (): void => {
      // As Node (loadSession in _tls_wrap.js): no session id, or a ticket to resume from, and
      // 'resumeSession' is not asked.
      if (
        peek.status !== 'complete' ||
        peek.sessionId.length === 0 ||
        peek.offersTicket ||
        server === undefined ||
        server.listenerCount('resumeSession') === 0
      ) {
        askOcsp();
        return;
      }
      const id = toBuffer(peek.sessionId);
      guarded(() =>
        server.emit('resumeSession', id, (error: Error | null, data?: Uint8Array) => {
          if (fail(error)) return;
          if (data !== undefined && data !== null) this.#resumedSession = { id, data: Buffer.from(data) };
          askOcsp();
        }),
      );
    };
    // As in Node, the SNICallback runs only for a client that sent a name.
    if (
      peek.status !== 'complete' ||
      peek.serverName === undefined ||
      typeof this.#options.SNICallback !== 'function'
    ) {
      askSession();
      return;
    }
    const sniCallback = this.#options.SNICallback;
    const serverName = peek.serverName;
    guarded(() =>
      sniCallback(serverName, (error, context) => {
        if (fail(error)) return;
        if (context) this.#context = context;
        askSession();
      }),
    );
  }

  #onTransportData(chunk: Buffer): void {
    if (this.#sniBuffer !== undefined && this.#connection === undefined) {
      this.#onHelloData(chunk);
      return;
    }
    this.#trace?.received.feed(chunk);
    const connection = this.#connection;
    if (connection === undefined || this.destroyed) return;
    connection.receive(chunk);
    this.#pump();
  }

  #onTransportEnd(): void {
    if (!this.#secure) {
      this.#fail(disconnectedBeforeSecure(this.#isServer));
      return;
    }
    // A peer that closes without close_notify still ends the stream, as Node does.
    this.#endReadable();
  }

  /**
   * Ends the readable side. `read(0)` as net.Socket does at EOF: a stream nobody reads from (an
   * application that only writes and waits for 'end') still emits 'end' once nothing is buffered.
   */
  #endReadable(): void {
    if (this.readableEnded) return;
    this.push(null);
    this.read(0);
  }

  /**
   * Holds the transport's writes until this turn of the event loop has run its callbacks and
   * promise reactions, so that the last handshake flight and what the application writes or ends
   * on 'secureConnect'/'secureConnection' leave in one write (as native tls does), not one each.
   */
  #corkUntilImmediate(): void {
    const transport = this.#transport;
    if (typeof transport.cork !== 'function' || typeof transport.uncork !== 'function') return;
    transport.cork();
    setImmediate(() => transport.uncork());
  }

  /** Moves engine events to Node events and engine output to the transport. */
  #pump(): void {
    const connection = this.#connection;
    if (connection === undefined) return;
    for (let event = connection.nextEvent(); event !== undefined; event = connection.nextEvent()) {
      this.#onEvent(event);
      if (this.destroyed) break;
    }
    this.#flush();
  }

  /**
   * Writes the engine's output to the transport. `callback` (a `_write` callback) runs once the
   * transport's queue is below its high-water mark, at once or at its next 'drain', as Node's own
   * streams apply backpressure: a writer faster than the network waits instead of queueing
   * without bound (the queue may already hold what an earlier `#pump()` wrote).
   */
  #flush(callback?: (error?: Error | null) => void): void {
    const parts = this.#connection?.takeOutputParts() ?? [];
    const transport = this.#transport;
    const open = !transport.destroyed && !transport.writableEnded;
    if (parts.length > 0 && open) {
      const cork = typeof transport.cork === 'function' && parts.length > 1;
      if (cork) transport.cork();
      for (const part of parts) {
        this.#trace?.sent.feed(part);
        transport.write(part);
      }
      if (cork) transport.uncork();
    }
    if (callback === undefined) return;
    if (!open || transport.writableLength < transport.writableHighWaterMark) callback();
    else transport.once('drain', () => callback());
  }

  #onEvent(event: ConnectionEvent): void {
    switch (event.type) {
      case 'handshake-complete':
        this.#onSecure(event.info);
        return;
      case 'application-data':
        this.#bytesRead += event.data.length;
        if (!this.push(toBuffer(event.data)) && !this.#transportPaused) {
          this.#transportPaused = true;
          this.#transport.pause();
        }
        return;
      case 'peer-closed':
        this.#endReadable();
        return;
      case 'session-ticket':
        this.#session = event.session;
        if (this.#secure) this.emit('session', toBuffer(event.session));
        return;
      case 'keylog': {
        const line = Buffer.from(event.line, 'latin1');
        this.emit('keylog', line);
        this.#options.server?.emit('keylog', line, this);
        return;
      }
      case 'ocsp-response':
        this.#ocspResponse = toBuffer(event.response);
        return;
      case 'key-update':
        return;
      case 'peer-certificate':
        // TLS 1.3 post-handshake authentication: getPeerCertificate() reports the new chain.
        this.#info = this.#connection?.info ?? this.#info;
        return;
      case 'renegotiation':
        this.#onRenegotiation(event.initiator);
        return;
      case 'renegotiated':
        this.#info = event.info;
        // As Node: 'secure' after every handshake; a client checks the server again (its
        // certificate may have changed) and emits 'secureConnect' again.
        this.emit('secure');
        if (!this.#isServer) {
          if (!this.#checkServer(event.info)) return;
          this.emit('secureConnect');
        }
        for (const callback of this.#takeRenegotiateCallbacks()) callback(null);
        return;
      case 'renegotiation-refused':
        for (const callback of this.#takeRenegotiateCallbacks()) {
          callback(
            nodeError('ERR_TLS_RENEGOTIATION_DISABLED', 'TLS session renegotiation disabled for this socket'),
          );
        }
        return;
      case 'error': {
        // An application callback that threw inside the engine: Node reports its own error.
        const thrown = this.#callbackError;
        const error = thrown ?? tlsFailure(event.error as { code: string; message: string; reason?: string });
        this.#fail(error);
        return;
      }
    }
  }

  #onSecure(info: HandshakeInfo): void {
    this.#corkUntilImmediate();
    this.#info = info;
    this.alpnProtocol = info.alpnProtocol ?? false;
    this.npnProtocol = info.npnProtocol ?? false;
    if (this.#isServer) {
      this.servername = info.serverName ?? false;
      if (this.#options.requestCert === true) {
        const failure =
          info.peerCertificates.length === 0
            ? { code: 'UNABLE_TO_GET_ISSUER_CERT', message: 'unable to get issuer certificate' }
            : this.#context.verifyPeerChain(info.peerCertificates, 'clientAuth');
        this.authorized = failure === undefined;
        this.authorizationError = failure?.code ?? null;
        // Node's quirk (STYLE.md §5.6): a refused client certificate ends the connection after
        // the handshake, with no alert.
        if (failure !== undefined && this.#options.rejectUnauthorized !== false) {
          this.#transport.destroy();
          this.destroy();
          // Node's onSocketClose: a socket closed before it reached the application is a hang-up.
          const server = this.#options.server;
          if (server !== undefined)
            this.once('close', () => server.emit('tlsClientError', disconnectedBeforeSecure(true), this));
          return;
        }
      }
      if (this.#newSessionsPending > 0) {
        this.#securePending = true;
        return;
      }
      this.#emitServerSecure();
      return;
    } else {
      // Node emits 'secure' for clients too, before its authorization check and 'secureConnect'.
      this.emit('secure');
      if (!this.#checkServer(info)) return;
      this.#secure = true;
      if (this.#ocspResponse !== undefined || this.#options.requestOCSP === true)
        this.emit('OCSPResponse', this.#ocspResponse ?? null);
      this.emit('secureConnect');
      if (this.#session !== undefined) this.emit('session', toBuffer(this.#session));
    }
    this.#flushPending();
  }

  /**
   * A client's checks of the server after a handshake (the first or a renegotiation), as Node's
   * onConnectSecure: minDHSize, the chain, then the host name; sets authorized/authorizationError.
   * @returns false when the socket was destroyed for a failure.
   */
  #checkServer(info: HandshakeInfo): boolean {
    // Node's minDHSize check comes first, after the handshake, without an alert.
    const minDHSize = (this.#options.minDHSize as number | undefined) ?? 1024;
    if (info.dhPrimeBits !== undefined && info.dhPrimeBits < minDHSize) {
      // _destroy takes the transport down too.
      this.destroy(
        nodeError('ERR_TLS_DH_PARAM_SIZE', `DH parameter size ${info.dhPrimeBits} is less than ${minDHSize}`),
      );
      return false;
    }
    let verifyError: (Error & { code?: string }) | undefined;
    const failure = this.#context.verifyPeerChain(info.peerCertificates, 'serverAuth');
    if (failure !== undefined) verifyError = nodeError(failure.code, failure.message);
    else if (!info.resumed) {
      const hostname = this.#options.servername || this.#options.host || 'localhost';
      const custom = this.#options.checkServerIdentity;
      // The default check needs only the subject and subjectAltName: skip building Node's whole
      // object (three fingerprints per certificate) unless a custom check may read anything.
      verifyError =
        custom !== undefined
          ? custom(hostname as string, this.getPeerCertificate(true))
          : checkServerIdentity(hostname as string, identityOf(info.peerCertificates[0]));
      // Node's error carries the whole certificate object: build it only now that it is needed.
      if (verifyError !== undefined && custom === undefined)
        Object.assign(verifyError, { cert: this.getPeerCertificate(true) });
    }
    if (verifyError !== undefined) {
      this.authorized = false;
      this.authorizationError = verifyError.code ?? verifyError.message;
      if (this.#options.rejectUnauthorized !== false) {
        this.destroy(verifyError);
        return false;
      }
    } else {
      this.authorized = true;
    }
    return true;
  }

  /**
   * Node's policy for a renegotiation the peer starts: refused when disabled, and a server
   * allows at most CLIENT_RENEG_LIMIT client-initiated ones per CLIENT_RENEG_WINDOW seconds
   * (ERR_TLS_SESSION_ATTACK), read from the module settings when it happens.
   */
  #onRenegotiation(initiator: 'client' | 'server'): void {
    if (this.#renegotiationDisabled) {
      this.#fail(
        nodeError('ERR_TLS_RENEGOTIATION_DISABLED', 'TLS session renegotiation disabled for this socket'),
      );
      return;
    }
    if (!this.#isServer || initiator !== 'client') return;
    const now = Date.now();
    if (now - this.#lastHandshake >= renegotiationLimits.window * 1000) this.#renegotiations = 0;
    this.#lastHandshake = now;
    this.#renegotiations++;
    if (this.#renegotiations > renegotiationLimits.limit) {
      const error = nodeError('ERR_TLS_SESSION_ATTACK', 'TLS session renegotiation attack detected');
      this.emit('error', error);
      this.destroy();
    }
  }

  #emitServerSecure(): void {
    if (this.destroyed) return;
    this.#secure = true;
    this.emit('secure');
    this.#flushPending();
  }

  /** Writes and end() made before the handshake completed, now that it has. */
  #flushPending(): void {
    const writes = this.#pendingWrites ?? [];
    this.#pendingWrites = undefined;
    for (const pending of writes) this.#writeNow(pending.chunk, pending.callback);
    const final = this.#pendingFinal;
    this.#pendingFinal = undefined;
    if (final !== undefined) this._final(final);
  }

  /** The callbacks of renegotiate() calls waiting for the renegotiation's end, now answered. */
  #takeRenegotiateCallbacks(): Array<(error: Error | null) => void> {
    const callbacks = this.#renegotiateCallbacks ?? [];
    this.#renegotiateCallbacks = undefined;
    return callbacks;
  }

  #fail(error: Error): void {
    if (this.destroyed) return;
    // Whatever the engine queued (the alert) goes out before the transport closes.
    this.#flush();
    if (!this.#secure && this.#isServer && this.#options.server !== undefined) {
      // As Node: the socket is already destroyed when 'tlsClientError' reports it.
      this.#transport.end();
      this.destroy();
      this.#options.server.emit('tlsClientError', error, this);
      return;
    }
    this.#transport.end();
    this.destroy(error);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#bytesDispatched += chunk.length;
    if (!this.#secure) {
      this.#pendingWrites ??= [];
      this.#pendingWrites.push({ chunk, callback });
      return;
    }
    this.#writeNow(chunk, callback);
  }

  /**
   * Writes queued together (cork/uncork, or writes made while one was in progress) go out as one
   * record when they fit in one, as node:tls does: a peer reading them sees one 'data' event.
   */
  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    let length = 0;
    for (const { chunk } of chunks) length += chunk.length;
    if (length > maxRecordPlaintext) {
      // Large writes fill whole records anyway: no copy.
      for (let i = 0; i < chunks.length - 1; i++)
        this._write(chunks[i]!.chunk, 'buffer' as BufferEncoding, noop);
      this._write(chunks[chunks.length - 1]!.chunk, 'buffer' as BufferEncoding, callback);
      return;
    }
    this._write(
      Buffer.concat(
        chunks.map(({ chunk }) => chunk),
        length,
      ),
      'buffer' as BufferEncoding,
      callback,
    );
  }

  #writeNow(chunk: Buffer, callback: (error?: Error | null) => void): void {
    const connection = this.#connection!;
    try {
      connection.write(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.#pump();
    // Backpressure: the callback runs once the transport has taken the bytes.
    this.#flush(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.#secure) {
      this.#pendingFinal = callback;
      return;
    }
    this.#connection!.close();
    this.#flush();
    // 'finish' once the transport has finished too (its data handed to the system and, for a
    // net.Socket, the shutdown done), as a node:tls socket's: never in the same turn as a peer's
    // 'end', so code that awaits 'end' and then 'close' sees both.
    const transport = this.#transport;
    if (transport.writableFinished || transport.destroyed) {
      transport.end();
      callback();
      return;
    }
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      transport.removeListener('finish', finished);
      transport.removeListener('close', finished);
      callback();
    };
    transport.once('finish', finished);
    transport.once('close', finished);
    transport.end();
  }

  override _read(): void {
    if (this.#transportPaused) {
      this.#transportPaused = false;
      this.#transport.resume();
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#transport.destroyed) this.#transport.destroy();
    callback(error);
    // After the stream's own 'error' (queued by callback): 'close' with hadError, as net.Socket.
    process.nextTick(() => this.emit('close', error !== null && error !== undefined));
  }

  /**
   * The peer's certificate as Node's object (`issuerCertificate` links with `detailed`). As in
   * Node, it is `{}` when the peer sent none and null before the handshake; the declared type
   * follows @types/node so code written for node:tls type-checks unchanged.
   */
  getPeerCertificate(detailed?: boolean): NodePeerCertificate {
    const info = this.#info;
    if (info === undefined) return null as unknown as NodePeerCertificate;
    if (info.peerCertificates.length === 0) return {} as NodePeerCertificate;
    if (detailed !== true)
      return toNodeCertificate(toPeerCertificate(parseCertificate(info.peerCertificates[0]!), provider));
    // As Node (OpenSSL's verified chain): a path that verifies ends at its trust anchor, taken
    // from the trust store when the peer did not send it; otherwise, the chain as sent.
    const path = this.#context.verifiedPath(
      info.peerCertificates,
      this.#isServer ? 'clientAuth' : 'serverAuth',
    );
    const ders =
      path !== undefined && path.length > info.peerCertificates.length ? path : info.peerCertificates;
    const linked = toDetailedPeerCertificate(
      ders.map((der) => parseCertificate(der)),
      provider,
    );
    return linked === undefined ? ({} as NodePeerCertificate) : toNodeCertificate(linked);
  }

  /** The peer's certificate as node:crypto's X509Certificate; undefined without one or once destroyed. */
  getPeerX509Certificate(): ReturnType<typeof x509Certificate> | undefined {
    const leaf = this.destroyed ? undefined : this.#info?.peerCertificates[0];
    return leaf === undefined ? undefined : x509Certificate(leaf);
  }

  /** Our certificate as node:crypto's X509Certificate; undefined without one or once destroyed. */
  getX509Certificate(): ReturnType<typeof x509Certificate> | undefined {
    const leaf = this.destroyed ? undefined : this.#info?.localCertificates[0];
    return leaf === undefined ? undefined : x509Certificate(leaf);
  }

  /** Our own certificate as Node's object, or `{}` when we sent none. */
  getCertificate(): NodePeerCertificate | Record<string, never> | null {
    const info = this.#info;
    if (info === undefined) return null;
    const leaf = info.localCertificates[0];
    return leaf === undefined ? {} : toNodeCertificate(toPeerCertificate(parseCertificate(leaf), provider));
  }

  /**
   * `{ name, standardName, version }` of the negotiated suite. Before the handshake Node returns
   * null; the declared type follows @types/node.
   */
  getCipher(): { name: string; standardName: string; version: string } {
    const info = this.#info;
    if (info === undefined) return null as unknown as { name: string; standardName: string; version: string };
    return {
      name: info.cipherSuite.opensslName,
      standardName: info.cipherSuite.ianaName,
      // Node reports the suite's minimum version (OpenSSL's SSL_CIPHER_get_version).
      version:
        info.cipherSuite.minVersion === 0x0304
          ? 'TLSv1.3'
          : info.cipherSuite.minVersion === 0x0303
            ? 'TLSv1.2'
            : 'SSLv3',
    };
  }

  /** 'TLSv1.3', 'TLSv1.2' …, or null before the handshake. */
  getProtocol(): string | null {
    const info = this.#info;
    return info === undefined ? null : (protocolNames[info.version] ?? 'unknown');
  }

  /** The session to resume with (`session` option of connect), once one has arrived. */
  getSession(): Buffer | undefined {
    return this.#session === undefined ? undefined : toBuffer(this.#session);
  }

  isSessionReused(): boolean {
    return this.#info?.resumed ?? false;
  }

  /** Our Finished verify_data (tls-unique for TLS 1.2), or undefined before the handshake. */
  getFinished(): Buffer | undefined {
    const info = this.#info;
    if (info === undefined) return undefined;
    return toBuffer(this.#isServer ? info.serverFinished : info.clientFinished);
  }

  getPeerFinished(): Buffer | undefined {
    const info = this.#info;
    if (info === undefined) return undefined;
    return toBuffer(this.#isServer ? info.clientFinished : info.serverFinished);
  }

  /**
   * RFC 5705 / RFC 8446 §7.5 keying material, as Node's `exportKeyingMaterial`.
   * @throws Error `ERR_TLS_INVALID_STATE` before the handshake.
   */
  exportKeyingMaterial(length: number, label: string, context?: Uint8Array): Buffer {
    if (this.#connection === undefined || this.#info === undefined) {
      throw nodeError('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established');
    }
    return toBuffer(this.#connection.exportKeyingMaterial(length, label, context));
  }

  /**
   * The signature algorithms both sides accept, as Node names them (`'ECDSA+SHA256'`,
   * `'RSA-PSS+SHA256'`, `'Ed25519+UNDEF'`): on a server the ClientHello's list that we accept too
   * (in our order unless honorCipherOrder is false), on a client the server's CertificateRequest
   * list (empty without client authentication); empty before the handshake.
   */
  getSharedSigalgs(): string[] {
    const schemes = this.#info?.sharedSignatureSchemes ?? [];
    return schemes.flatMap((scheme) => sigalgName(scheme) ?? []);
  }

  /**
   * The key exchange of the handshake as Node reports it: `{ type, name, size }` on a client,
   * `{}` for a key exchange without ephemeral keys, null on a server socket or before the handshake.
   */
  getEphemeralKeyInfo(): { type: string; name: string; size: number } | Record<string, never> | null {
    const info = this.#info;
    if (info === undefined || this.#isServer) return null;
    // TLS 1.2 DHE: Node gives the prime's size and no name.
    if (info.dhPrimeBits !== undefined)
      return { type: 'DH', size: info.dhPrimeBits } as { type: string; name: string; size: number };
    const group = info.group === undefined ? undefined : groupNames[info.group];
    return group === undefined ? {} : { type: group[0], name: group[1], size: group[2] };
  }

  /** Not in Node: the negotiated key exchange group's name on either side (`X25519`, `prime256v1` …). */
  getNegotiatedGroup(): string | undefined {
    const group = this.#info?.group;
    return group === undefined ? undefined : groupNames[group]?.[1];
  }

  /**
   * Node's range is 512..16384.
   * @returns true when the size was set.
   */
  setMaxSendFragment(size: number): boolean {
    try {
      this.#connection?.setMaxFragmentLength(size);
      return this.#connection !== undefined;
    } catch {
      return false;
    }
  }

  /**
   * Starts a TLS 1.2 renegotiation (Node's `renegotiate(options, callback)`); `requestCert` asks
   * the client for a certificate this time. TLS 1.3 has no renegotiation.
   * @returns true when a renegotiation was started.
   */
  renegotiate(
    options: { requestCert?: boolean; rejectUnauthorized?: boolean } = {},
    callback?: (error: Error | null) => void,
  ): boolean {
    const connection = this.#connection;
    try {
      if (connection === undefined || this.#info === undefined)
        throw nodeError('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established');
      if (this.#renegotiationDisabled)
        throw nodeError(
          'ERR_TLS_RENEGOTIATION_DISABLED',
          'TLS session renegotiation disabled for this socket',
        );
      connection.renegotiate(options.requestCert === true ? { requestClientCertificate: true } : {});
    } catch (error) {
      if (callback !== undefined) process.nextTick(callback, error as Error);
      return false;
    }
    if (callback !== undefined) {
      this.#renegotiateCallbacks ??= [];
      this.#renegotiateCallbacks.push(callback);
    }
    this.#pump();
    return true;
  }

  /** Refuses any renegotiation the peer starts from now on (ERR_TLS_RENEGOTIATION_DISABLED). */
  disableRenegotiation(): void {
    this.#renegotiationDisabled = true;
  }

  /**
   * Connects the socket this TLSSocket was made without (`new TLSSocket()` then `connect(...)`),
   * with net.Socket#connect's arguments; the handshake starts once connected.
   */
  connect(...args: unknown[]): this {
    (this.#transport as NetSocket).connect(...(args as Parameters<NetSocket['connect']>));
    return this;
  }

  /**
   * Sets the server name (SNI) a client sends; only before the handshake starts.
   * @throws Error `ERR_TLS_SNI_FROM_SERVER` on a server socket, `ERR_INVALID_ARG_TYPE` for a non-string.
   */
  setServername(name: string): void {
    if (typeof name !== 'string') throw invalidArgType('name', 'of type string', name);
    if (this.#isServer)
      throw nodeError('ERR_TLS_SNI_FROM_SERVER', 'Cannot issue SNI from a TLS server-side socket');
    (this.#options as { servername?: string }).servername = name;
  }

  /** The session ticket the server gave (client side), or undefined. */
  getTLSTicket(): Buffer | undefined {
    const session = this.#session === undefined ? undefined : decodeClientSession(this.#session);
    return session === undefined ? undefined : toBuffer(session.ticket);
  }

  /** Application bytes received (decrypted), as a node:tls socket counts them. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Application bytes written, including those still queued (net.Socket's rule). */
  get bytesWritten(): number {
    let bytes = this.#bytesDispatched;
    // Writable's queue of chunks not yet given to _write (undocumented, what net.Socket reads).
    const queued =
      (this as unknown as { writableBuffer?: Array<{ chunk: Buffer | string; encoding?: BufferEncoding }> })
        .writableBuffer ?? [];
    for (const entry of queued)
      bytes +=
        typeof entry.chunk === 'string' ? Buffer.byteLength(entry.chunk, entry.encoding) : entry.chunk.length;
    return bytes;
  }

  /** True while the transport's TCP connection is being made (net.Socket's `connecting`). */
  get connecting(): boolean {
    return (this.#transport as Partial<Socket>).connecting === true;
  }

  /** True until the transport is connected (net.Socket's `pending`); false for other streams. */
  get pending(): boolean {
    return (this.#transport as Partial<Socket>).pending === true;
  }

  /** net.Socket's readyState: 'opening', 'open', 'readOnly', 'writeOnly' or 'closed'. */
  get readyState(): 'opening' | 'open' | 'readOnly' | 'writeOnly' | 'closed' {
    if (this.connecting) return 'opening';
    if (this.readable) return this.writable ? 'open' : 'readOnly';
    return this.writable ? 'writeOnly' : 'closed';
  }

  /**
   * Writes a line per TLS record, sent and received, to stderr (node:tls prints OpenSSL's trace
   * there): content type, version, length, and the handshake message while it is unencrypted.
   */
  enableTrace(): void {
    const write = (line: string): void => {
      process.stderr.write(`${line}\n`);
    };
    this.#trace ??= { received: new RecordTracer('Received', write), sent: new RecordTracer('Sent', write) };
  }

  /** True until the handshake completes (node:tls's `secureConnecting`). */
  get secureConnecting(): boolean {
    return !this.#secure;
  }

  /** net.Socket's deprecated `bufferSize`: bytes queued for writing. */
  get bufferSize(): number {
    return this.writableLength;
  }

  get localFamily(): string | undefined {
    return (this.#transport as Partial<Socket> & { localFamily?: string }).localFamily;
  }

  /** net.Socket's destroySoon(): end, and destroy once everything written has gone. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** net.Socket's resetAndDestroy(): close the TCP connection with a RST, no close_notify. */
  resetAndDestroy(): this {
    const transport = this.#transport as Partial<Socket>;
    if (typeof transport.resetAndDestroy === 'function') transport.resetAndDestroy();
    else this.#transport.destroy();
    this.destroy();
    return this;
  }

  /** The idle timeout set with setTimeout(), in milliseconds, as the transport holds it. */
  get timeout(): number | undefined {
    return (this.#transport as Partial<Socket>).timeout;
  }

  // The transport's addressing and socket controls, as a net.Socket-backed TLSSocket has them.
  address(): AddressInfo | Record<string, never> {
    const transport = this.#transport as Partial<Socket>;
    return typeof transport.address === 'function' ? (transport.address() as AddressInfo) : {};
  }

  get remoteAddress(): string | undefined {
    return (this.#transport as Partial<Socket>).remoteAddress;
  }

  get remotePort(): number | undefined {
    return (this.#transport as Partial<Socket>).remotePort;
  }

  get remoteFamily(): string | undefined {
    return (this.#transport as Partial<Socket>).remoteFamily;
  }

  get localAddress(): string | undefined {
    return (this.#transport as Partial<Socket>).localAddress;
  }

  get localPort(): number | undefined {
    return (this.#transport as Partial<Socket>).localPort;
  }

  setTimeout(timeout: number, callback?: () => void): this {
    (this.#transport as Partial<Socket>).setTimeout?.(timeout);
    if (callback !== undefined) this.once('timeout', callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    (this.#transport as Partial<Socket>).setNoDelay?.(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    (this.#transport as Partial<Socket>).setKeepAlive?.(enable, initialDelay);
    return this;
  }

  ref(): this {
    (this.#transport as Partial<Socket>).ref?.();
    return this;
  }

  unref(): this {
    (this.#transport as Partial<Socket>).unref?.();
    return this;
  }
}

/** The parts of the leaf checkServerIdentity reads, or an empty object without a leaf. */
function identityOf(leaf: Uint8Array | undefined): NodePeerCertificate {
  if (leaf === undefined) return {} as NodePeerCertificate;
  const certificate = parseCertificate(leaf);
  const altNames = certificate.decoded.subjectAltName;
  return {
    subject: nameToObject(certificate.subject),
    ...(altNames === undefined ? {} : { subjectaltname: formatSubjectAltName(altNames) }),
  } as NodePeerCertificate;
}

/**
 * Node's `tls.checkServerIdentity(hostname, cert)`: undefined when the certificate matches,
 * else the `ERR_TLS_CERT_ALTNAME_INVALID` error (with `reason`, `host`, `cert`).
 */
export function checkServerIdentity(hostname: string, cert: NodePeerCertificate): Error | undefined {
  return x509CheckServerIdentity(hostname, cert as unknown as Parameters<typeof x509CheckServerIdentity>[1]);
}
