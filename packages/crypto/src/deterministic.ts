// @tls/crypto/deterministic: a CryptoProvider for tests whose randomness, ephemeral keys and
// clock are fixed, so that handshakes replay byte for byte (RFC 8448 traces). Everything else is
// the node:crypto provider. Never use it outside tests: its "random" bytes are predictable.

import { CryptoError } from './errors.js';
import { NamedGroup } from './constants.js';
import { concatBytes } from './node/bytes.js';
import {
  acceptKeyShare,
  createDhKeyShare,
  createKeyShare,
  randomDhExponent,
  randomHybridAcceptKey,
  randomPrivateKey,
} from './node/key-share.js';
import { createNodeCryptoProvider } from './node/provider.js';
import { rsaDecryptPremaster } from './node/rsa-key-exchange.js';
import { sign } from './node/signature.js';
import type { CryptoProvider } from './provider.js';

/** A fixed ephemeral private key for one key share of `group`. */
/** A fresh copy (Buffer#slice would be a view of the caller's memory). */
function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

export interface FixedKeyShare {
  group: NamedGroup;
  /**
   * The private key in raw form: the 32/56-byte scalar for X25519/X448 (RFC 7748), the big-endian
   * scalar for P-256/P-384/P-521 (32/48/66 bytes), the big-endian exponent for FFDHE. For
   * X25519MLKEM768, `generateKeyShare` takes the 64-byte ML-KEM-768 seed d || z (FIPS 203
   * §7.1) followed by the 32-byte X25519 scalar, and `acceptKeyShare` takes the 32-byte ML-KEM
   * encapsulation message m (FIPS 203 §7.2) followed by the 32-byte X25519 scalar.
   */
  privateKey: Uint8Array;
}

export interface DeterministicProviderOptions {
  /**
   * Bytes returned by `random(n)` in order, one entry per call; an entry's length must equal the
   * `n` of its call. RSA-PSS signatures also draw their salt through `random`.
   */
  randoms?: readonly Uint8Array[];
  /**
   * Private keys used, in order, by `generateKeyShare` and `acceptKeyShare` for a matching group
   * (the first unused entry of that group is taken).
   */
  keyShares?: readonly FixedKeyShare[];
  /**
   * Seed of the stream that follows the queued values: block i is SHA-256(seed || uint64(i)).
   * Default: the ASCII bytes of "@tls/crypto deterministic".
   */
  seed?: Uint8Array | string;
  /** `now()`: a fixed time in ms since the epoch, or a function. Default: 2026-01-01T00:00:00Z. */
  now?: number | (() => number);
}

const defaultSeed = '@tls/crypto deterministic';
const defaultNow = Date.UTC(2026, 0, 1);

/**
 * A CryptoProvider for tests: `random(n)` returns the queued `randoms` in order and then a
 * SHA-256 counter-mode stream of `seed`; `generateKeyShare`, `acceptKeyShare` and
 * `generateDhKeyShare` use the queued `keyShares` of their group and then private keys drawn
 * from that stream; `now()` is fixed. RSA-PSS signatures take their salt from `random`, and
 * `rsaDecryptPremaster` its fallback, so they replay too; ECDSA signatures stay randomized
 * (OpenSSL draws their nonce). Everything else is the node:crypto provider.
 *
 * Two providers built with the same options produce the same bytes for the same calls.
 *
 * @throws CryptoError `ERR_CRYPTO_INVALID_LENGTH` from `random(n)` when the next queued value is
 *   not `n` bytes long (the replay has gone off its script), and from the key-share methods when a
 *   queued private key has the wrong length for its group.
 * @example
 * ```ts
 * // createDeterministicProvider comes from the @tls/crypto/deterministic entry
 * const provider = createDeterministicProvider({
 *   randoms: [clientRandom],                     // the RFC 8448 ClientHello.random
 *   keyShares: [{ group: NamedGroup.X25519, privateKey: clientX25519PrivateKey }],
 * });
 * provider.random(32);                           // clientRandom
 * provider.generateKeyShare(NamedGroup.X25519);  // the RFC's client key share
 * ```
 */
export function createDeterministicProvider(options: DeterministicProviderOptions = {}): CryptoProvider {
  const base = createNodeCryptoProvider();
  // Copies, so later changes to the caller's arrays do not change the replay.
  const queue = (options.randoms ?? []).map((value) => copyBytes(value));
  const fixedKeys = (options.keyShares ?? []).map(({ group, privateKey }) => ({
    group,
    privateKey: copyBytes(privateKey),
  }));
  const seed =
    typeof options.seed === 'string' || options.seed === undefined
      ? new TextEncoder().encode(options.seed ?? defaultSeed)
      : copyBytes(options.seed);
  const clock = options.now ?? defaultNow;
  let blockIndex = 0;
  let pending = new Uint8Array(0);

  function stream(length: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let have = pending.length;
    parts.push(pending);
    while (have < length) {
      const counter = new Uint8Array(8);
      new DataView(counter.buffer).setBigUint64(0, BigInt(blockIndex++));
      const block = base.hash('sha256', [seed, counter]);
      parts.push(block);
      have += block.length;
    }
    const all = concatBytes(parts);
    pending = all.slice(length);
    return all.slice(0, length);
  }

  function random(length: number): Uint8Array {
    const next = queue.shift();
    if (next === undefined) return stream(length);
    if (next.length !== length) {
      throw new CryptoError(
        'ERR_CRYPTO_INVALID_LENGTH',
        `deterministic provider: random(${length}) called but the next queued value has ${next.length} bytes`,
      );
    }
    return next;
  }

  function takeFixedKey(group: number): Uint8Array | undefined {
    const index = fixedKeys.findIndex((entry) => entry.group === group);
    if (index < 0) return undefined;
    const [entry] = fixedKeys.splice(index, 1);
    return entry!.privateKey;
  }

  return {
    ...base,
    name: `deterministic (${base.name})`,
    random,
    now: typeof clock === 'function' ? clock : () => clock,
    generateKeyShare: (group) =>
      createKeyShare(group, takeFixedKey(group) ?? randomPrivateKey(group, stream)),
    acceptKeyShare(group, peerPublicKey) {
      const fixed =
        takeFixedKey(group) ??
        (group === NamedGroup.X25519MLKEM768
          ? randomHybridAcceptKey(stream)
          : randomPrivateKey(group, stream));
      return acceptKeyShare(group, peerPublicKey, fixed);
    },
    generateDhKeyShare: (prime, generator) =>
      createDhKeyShare(prime, generator, randomDhExponent(prime, stream)),
    sign: (scheme, key, data) => sign(scheme, key, data, random),
    rsaDecryptPremaster: (key, ciphertext, clientVersion) =>
      rsaDecryptPremaster(key, ciphertext, clientVersion, random),
  };
}
