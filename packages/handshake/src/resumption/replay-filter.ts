// Replay protection for 0-RTT (RFC 8446 §8): early data is not protected against replay by the
// protocol, and the engine sees one connection at a time, so the server's `acceptEarlyData` hook
// decides. This is the simplest such hook: single-use tickets within one process (§8.1), keyed
// by PSK identity and remembered until the ticket expires. Servers that share tickets across
// processes or machines need a shared store instead (§8.1 and §8.2 discuss the trade-offs).

import type { EarlyDataContext } from '../connection/config.js';

/** Anything with the provider's clock (milliseconds since the epoch). */
interface Clock {
  now(): number;
}

/**
 * Accepts 0-RTT at most once per ticket (PSK identity) in this process, and refuses everything
 * once `maxEntries` unexpired identities are remembered (it fails closed: a refusal only costs a
 * round trip).
 * @example
 * const filter = new EarlyDataReplayFilter(provider);
 * createServerConnection({ provider, ticketKeys, maxEarlyData: 16384, acceptEarlyData: (c) => filter.accept(c) });
 */
export class EarlyDataReplayFilter {
  readonly #clock: Clock;
  readonly #maxEntries: number;
  /** Identity (hex) → when its ticket expires. */
  readonly #seen = new Map<string, number>();

  constructor(clock: Clock, options: { maxEntries?: number } = {}) {
    this.#clock = clock;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  /** Whether this is the first 0-RTT attempt with `context.identity`; remembers it if so. */
  accept(context: EarlyDataContext): boolean {
    const now = this.#clock.now();
    if (this.#seen.size >= this.#maxEntries) {
      for (const [identity, expiresAt] of this.#seen) if (expiresAt <= now) this.#seen.delete(identity);
    }
    const key = toHex(context.identity);
    const expiresAt = this.#seen.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    if (this.#seen.size >= this.#maxEntries) return false;
    this.#seen.set(key, context.expiresAt);
    return true;
  }
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
