// Node's deprecated SecurePair API (DEP0064), built the way Node builds it
// (lib/internal/tls/secure-pair.js): a pair of connected duplex streams, one end given to a
// TLSSocket. `pair.encrypted` carries TLS records, `pair.cleartext` is the TLSSocket. No protocol
// code lives here. It sits in @tls/socket so that `tls.createSecurePair` is there as in Node's
// v6 module without a package cycle; @tls/legacy-securepair re-exports it for code that asks for
// the legacy API by name.

import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { type SecureContext, createSecureContext } from '@tls/context';
import { TLSSocket, type TLSSocketOptions } from './tls-socket.js';

/**
 * One end of an in-memory duplex pair. `bytesWritten` counts what was written into it, so on
 * `pair.encrypted` it is what went to the wire, TLS framing included.
 */
export class CryptoStream extends Duplex {
  bytesWritten = 0;
  /** @internal the other end */
  peer: CryptoStream | undefined;
  #waiting: (() => void) | undefined;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed) {
      callback(
        Object.assign(new Error('write after the other end closed'), { code: 'ERR_STREAM_DESTROYED' }),
      );
      return;
    }
    this.bytesWritten += chunk.length;
    // Backpressure: wait for the reader of the other end before taking more.
    if (peer.push(chunk)) callback();
    else peer.#waiting = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _read(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer !== undefined && !peer.destroyed) peer.destroy();
    callback(error);
  }
}

/** Two connected CryptoStreams: what one end writes, the other reads. */
export function cryptoStreamPair(): [CryptoStream, CryptoStream] {
  const a = new CryptoStream();
  const b = new CryptoStream();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

let warned = false;

/** Emits DEP0064 once per process, as Node does. */
function warnOnce(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    'tls.createSecurePair() is deprecated. Please use tls.TLSSocket instead.',
    'DeprecationWarning',
    'DEP0064',
  );
}

export interface SecurePairOptions extends TLSSocketOptions {
  server?: import('node:net').Server;
}

export class SecurePair extends EventEmitter {
  readonly server: SecurePairOptions['server'];
  readonly credentials: SecureContext;
  /** The TLS side: pipe it to and from the transport. */
  readonly encrypted: CryptoStream;
  /** The plaintext side: a TLSSocket with Node's API. */
  readonly cleartext: TLSSocket;

  constructor(
    secureContext: SecureContext = createSecureContext(),
    isServer = false,
    requestCert = !isServer,
    rejectUnauthorized = false,
    options: SecurePairOptions = {},
  ) {
    super();
    const [encrypted, inner] = cryptoStreamPair();
    this.server = options.server;
    this.credentials = secureContext;
    this.encrypted = encrypted;
    this.cleartext = new TLSSocket(inner, {
      ...options,
      secureContext,
      isServer,
      requestCert,
      rejectUnauthorized,
    });
    // v6: on 'secure', `pair.cleartext.authorized` tells whether the peer was verified, so a
    // client pair waits for the verification ('secureConnect'); a server socket verifies first.
    this.cleartext.once(isServer ? 'secure' : 'secureConnect', () => this.emit('secure'));
  }

  destroy(): void {
    this.cleartext.destroy();
    this.encrypted.destroy();
  }
}

/**
 * Node's `tls.createSecurePair([context][, isServer][, requestCert][, rejectUnauthorized][, options])`.
 * Deprecated (DEP0064): prints the deprecation warning once per process.
 * @example
 * const pair = createSecurePair(createSecureContext({ key, cert }), true);
 * socket.pipe(pair.encrypted).pipe(socket);
 * pair.cleartext.on('data', (data) => pair.cleartext.write(data));
 */
export function createSecurePair(
  context?: SecureContext,
  isServer?: boolean,
  requestCert?: boolean,
  rejectUnauthorized?: boolean,
  options?: SecurePairOptions,
): SecurePair {
  warnOnce();
  return new SecurePair(context, isServer, requestCert, rejectUnauthorized, options);
}
