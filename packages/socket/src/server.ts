// tls.Server / tls.createServer(): a net.Server whose connections become TLSSockets, with Node's
// events (secureConnection, tlsClientError, keylog), handshakeTimeout and ticket keys.

import { Server as NetServer, type Socket } from 'node:net';
import { type SecureContext, createSecureContext } from '@tls/context';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import { nodeError } from './errors.js';
import { SessionCache } from './session-cache.js';
import { TLSSocket, type TLSSocketOptions, checkAlpnCallback } from './tls-socket.js';

export interface TlsOptions extends TLSSocketOptions {
  handshakeTimeout?: number;
  allowHalfOpen?: boolean;
  pauseOnConnect?: boolean;
}

type SecureConnectionListener = (socket: TLSSocket) => void;

let defaultSessionIdContext: string | undefined;

/**
 * A server's context: as createSecureContext, but honorCipherOrder defaults to true and
 * sessionIdContext to Node's default (the first 32 hex digits of SHA-1 over the command line), as
 * in Node's tls.Server: servers of one program resume each other's sessions, other programs' not.
 */
function createServerContext(options: TlsOptions): SecureContext {
  defaultSessionIdContext ??= Buffer.from(
    createNodeCryptoProvider().hash('sha1', new TextEncoder().encode(process.argv.join(' '))),
  )
    .toString('hex')
    .slice(0, 32);
  const given = options as { sessionIdContext?: string | undefined };
  return createSecureContext({
    ...options,
    honorCipherOrder: options.honorCipherOrder ?? true,
    sessionIdContext: given.sessionIdContext || defaultSessionIdContext,
  } as Parameters<typeof createSecureContext>[0]);
}

/**
 * The server's own 'error' listener on each socket: a module function, not a closure, so an idle
 * connection does not keep #onConnection's scope (its timer and options) alive.
 */
function ignoreError(): void {}

export class Server extends NetServer {
  #context: SecureContext;
  readonly #options: TlsOptions;
  /** TLS 1.2 sessions by id (OpenSSL's default server cache holds 20480, for sessionTimeout). */
  readonly #sessions = new SessionCache(20480, () => this.#context.sessionTimeout);
  /** addContext() entries: host-name patterns and their contexts, in the order added. */
  readonly #contexts: Array<[RegExp, SecureContext]> = [];

  constructor(options?: TlsOptions | SecureConnectionListener, listener?: SecureConnectionListener) {
    const resolved: TlsOptions = typeof options === 'object' && options !== null ? options : {};
    const onSecure = typeof options === 'function' ? options : listener;
    super({
      allowHalfOpen: resolved.allowHalfOpen ?? false,
      pauseOnConnect: resolved.pauseOnConnect ?? false,
    });
    checkAlpnCallback(resolved as Parameters<typeof checkAlpnCallback>[0]);
    this.#options = resolved;
    this.#context = resolved.secureContext ?? createServerContext(resolved);
    if (onSecure !== undefined) this.on('secureConnection', onSecure);
    this.on('connection', (socket: Socket) => this.#onConnection(socket));
  }

  #onConnection(raw: Socket): void {
    const options = this.#options;
    const sniCallback =
      options.SNICallback ??
      (this.#contexts.length > 0
        ? (servername: string, callback: (error: Error | null, context?: SecureContext) => void) =>
            callback(null, this.#contexts.find(([pattern]) => pattern.test(servername))?.[1])
        : undefined);
    // Object.assign, not spread: a megamorphic spread gives each result a map of its own, kept
    // for the connection's life.
    const socketOptions: TLSSocketOptions = Object.assign({}, options, {
      isServer: true,
      server: this,
      secureContext: this.#context,
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      sessionCache: this.#sessions,
    });
    if (sniCallback !== undefined) socketOptions.SNICallback = sniCallback;
    const socket = new TLSSocket(raw, socketOptions);
    const timeout = options.handshakeTimeout ?? 120_000;
    const timer =
      timeout > 0
        ? setTimeout(() => {
            this.emit(
              'tlsClientError',
              nodeError('ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout'),
              socket,
            );
            socket.destroy();
          }, timeout)
        : undefined;
    timer?.unref?.();
    const onClose = (): void => clearTimeout(timer);
    socket.once('secure', () => {
      clearTimeout(timer);
      // The handshake timer is done with: an idle connection keeps neither it nor this listener.
      socket.removeListener('close', onClose);
      this.emit('secureConnection', socket);
    });
    socket.once('close', onClose);
    // Errors after the handshake belong to the socket's own listeners; before it, the server
    // reports them as tlsClientError (TLSSocket does that) and the socket must not throw.
    socket.on('error', ignoreError);
  }

  /**
   * Serves `hostname` (wildcards allowed: `*.example.com`) with its own context, chosen by the
   * name the client sends (Node's `server.addContext`).
   */
  addContext(hostname: string, context: SecureContext | Parameters<typeof createSecureContext>[0]): void {
    const pattern = new RegExp(
      `^${hostname.replace(/([.^$+?\-\\[\]{}])/g, '\\$1').replace(/\*/g, '[^.]*')}$`,
      'i',
    );
    // A SecureContext from any copy of @tls/context (duck-typed: instanceof fails across copies).
    const resolved =
      typeof (context as SecureContext).engineConfig === 'function'
        ? (context as SecureContext)
        : createSecureContext(context as Parameters<typeof createSecureContext>[0]);
    this.#contexts.push([pattern, resolved]);
  }

  /** Replaces the context for new connections (Node's `server.setSecureContext`). */
  setSecureContext(options: Parameters<typeof createSecureContext>[0]): void {
    this.#context = createServerContext(options as TlsOptions);
  }

  /** The 48-byte session ticket key (Node's `server.getTicketKeys`). */
  getTicketKeys(): Buffer {
    return Buffer.from(this.#context.ticketKeys);
  }

  /**
   * Sets the ticket key for new connections.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` for a non-buffer, RangeError for a length other than 48.
   */
  setTicketKeys(keys: Uint8Array): void {
    if (!(keys instanceof Uint8Array)) {
      throw Object.assign(
        new TypeError('The "buffer" argument must be an instance of Buffer, TypedArray, or DataView.'),
        {
          code: 'ERR_INVALID_ARG_TYPE',
        },
      );
    }
    if (keys.length !== 48) {
      throw Object.assign(new RangeError('Session ticket keys must be a 48-byte buffer'), {
        code: 'ERR_INVALID_ARG_VALUE',
      });
    }
    this.#context = createSecureContext({
      ...(this.#context.options as object),
      ticketKeys: Buffer.from(keys),
    } as Parameters<typeof createSecureContext>[0]);
  }
}

/**
 * Node's `tls.createServer([options][, secureConnectionListener])`.
 * @example createServer({ key, cert }, (socket) => socket.pipe(socket)).listen(8000)
 */
export function createServer(
  options?: TlsOptions | SecureConnectionListener,
  listener?: SecureConnectionListener,
): Server {
  return new Server(options, listener);
}
