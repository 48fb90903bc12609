// A server's own TLS 1.2 session-id cache, used when no 'newSession'/'resumeSession' listener
// keeps sessions elsewhere (as OpenSSL's internal server cache does for Node). Bounded in count
// (oldest entries go first) and in time (the context's sessionTimeout).

import type { SessionStore } from '@tls/handshake';

export class SessionCache implements SessionStore {
  readonly #entries = new Map<string, { readonly state: Uint8Array; readonly expires: number }>();
  readonly #maxEntries: number;
  readonly #lifetimeMs: () => number;

  /** @param lifetimeSeconds read on each save, so a new sessionTimeout applies to new sessions. */
  constructor(maxEntries: number, lifetimeSeconds: () => number) {
    this.#maxEntries = maxEntries;
    this.#lifetimeMs = () => lifetimeSeconds() * 1000;
  }

  get size(): number {
    return this.#entries.size;
  }

  save(sessionId: Uint8Array, state: Uint8Array): void {
    const key = Buffer.from(sessionId).toString('hex');
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { state: new Uint8Array(state), expires: Date.now() + this.#lifetimeMs() });
  }

  load(sessionId: Uint8Array): Uint8Array | undefined {
    const key = Buffer.from(sessionId).toString('hex');
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.state;
  }
}
