// The handshake transcript (RFC 8446 §4.4.1): a running hash over handshake messages exactly as
// they were sent or received (their original bytes, never a re-encoding). Until the cipher suite
// fixes the hash, messages are buffered; after a HelloRetryRequest, ClientHello1 is replaced by
// the synthetic message_hash message. TLS 1.2 client authentication signs the messages
// themselves (RFC 5246 §7.4.8), so the transcript can also keep them.

import type { CryptoProvider, HashContext, HashName } from '@tls/crypto';
import { encodeMessageHash } from './messages/message-hash.js';
import { copyBytes } from '@tls/record';

/** A plain Uint8Array view (providers may return subclasses such as Buffer). */
function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export interface TranscriptOptions {
  /** The hash, when already known (a server that has chosen the suite). */
  hash?: HashName;
  /** Keep every message so `messages()` can return them (TLS 1.2 CertificateVerify). Default false. */
  retainMessages?: boolean;
}

/** Transcript-Hash over the handshake messages of one connection (RFC 8446 §4.4.1). */
export class Transcript {
  readonly #provider: CryptoProvider;
  readonly #retain: boolean;
  #hashName: HashName | undefined;
  #context: HashContext | undefined;
  /** Messages added before the hash was known, or all of them when retaining. */
  #messages: Uint8Array[] = [];

  /**
   * @example
   * const transcript = new Transcript(provider);
   * transcript.add(clientHello.original);
   * transcript.startHash('sha256');
   * transcript.add(serverHello.original);
   * const hash = transcript.currentHash();
   */
  constructor(provider: CryptoProvider, options: TranscriptOptions = {}) {
    this.#provider = provider;
    this.#retain = options.retainMessages ?? false;
    if (options.hash !== undefined) this.startHash(options.hash);
  }

  /** The hash in use, or `undefined` while messages are still buffered. */
  get hash(): HashName | undefined {
    return this.#hashName;
  }

  /**
   * Fixes the hash (once the cipher suite is known) and hashes the messages buffered so far.
   * @throws Error (a caller bug) when a hash is already set.
   */
  startHash(hash: HashName): void {
    if (this.#hashName !== undefined) throw new Error('transcript hash already chosen');
    this.#hashName = hash;
    this.#context = this.#provider.createHash(hash);
    for (const message of this.#messages) this.#context.update(message);
    if (!this.#retain) this.#messages = [];
  }

  /** Adds one handshake message (header included). The bytes are copied, never kept by reference. */
  add(message: Uint8Array): void {
    if (this.#context !== undefined) this.#context.update(message);
    if (this.#context === undefined || this.#retain) this.#messages.push(copyBytes(message));
  }

  /**
   * Transcript-Hash of everything added so far (RFC 8446 §4.4.1).
   * @throws Error (a caller bug) before `startHash`.
   */
  currentHash(): Uint8Array {
    return plain(this.#require().digest());
  }

  /**
   * The hash of everything added so far followed by `partial`, without adding it: what a PSK
   * binder covers, with `partial` the truncated ClientHello (RFC 8446 §4.2.11.2).
   */
  hashWith(partial: Uint8Array): Uint8Array {
    const fork = this.#require().clone();
    fork.update(partial);
    return plain(fork.digest());
  }

  /**
   * Replaces ClientHello1 (the only message so far) by `message_hash(Hash(ClientHello1))`, as a
   * HelloRetryRequest requires before it is itself added (RFC 8446 §4.4.1).
   * @throws Error (a caller bug) before `startHash`.
   */
  replaceWithMessageHash(): void {
    const hash = this.#require().digest();
    this.#context = this.#provider.createHash(this.#hashName!);
    const synthetic = encodeMessageHash(hash);
    this.#context.update(synthetic);
    if (this.#retain) this.#messages = [synthetic];
  }

  /**
   * Every message added, concatenated (TLS 1.2 CertificateVerify, RFC 5246 §7.4.8).
   * @throws Error (a caller bug) unless built with `retainMessages`.
   */
  messages(): Uint8Array {
    if (!this.#retain && this.#hashName !== undefined) throw new Error('transcript does not retain messages');
    const total = this.#messages.reduce((sum, m) => sum + m.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const message of this.#messages) {
      out.set(message, at);
      at += message.length;
    }
    return out;
  }

  /** An independent copy, e.g. to try a PSK binder without touching this transcript. */
  clone(): Transcript {
    const copy = new Transcript(this.#provider, { retainMessages: this.#retain });
    copy.#hashName = this.#hashName;
    copy.#context = this.#context?.clone();
    copy.#messages = [...this.#messages];
    return copy;
  }

  #require(): HashContext {
    if (this.#context === undefined) throw new Error('transcript hash not chosen yet');
    return this.#context;
  }
}
