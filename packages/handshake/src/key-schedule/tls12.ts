// The TLS 1.2 (and 1.0/1.1) key schedule: master secret (RFC 5246 §8.1), extended master secret
// (RFC 7627 §4), key block (RFC 5246 §6.3), Finished verify_data (RFC 5246 §7.4.9) and exporters
// (RFC 5705 §4). The PRF itself comes from the provider: P_SHA256/P_SHA384 for TLS 1.2 suites
// (RFC 5246 §5), MD5 ⊕ SHA-1 for TLS 1.0/1.1 (RFC 2246 §5).

import type { CryptoProvider, HashName, PrfAlgorithm } from '@tls/crypto';
import { ProtocolVersion } from '../enums.js';
import type { CipherSuiteInfo } from '../suites.js';

/** Record protection keys for both directions, split from the key block (RFC 5246 §6.3). */
export interface Tls12KeyBlock {
  readonly clientMacKey: Uint8Array;
  readonly serverMacKey: Uint8Array;
  readonly clientKey: Uint8Array;
  readonly serverKey: Uint8Array;
  /** AEAD: the implicit nonce part (4 bytes for AES-GCM, 12 for ChaCha20); CBC in TLS 1.0: the first IV; else empty. */
  readonly clientIv: Uint8Array;
  readonly serverIv: Uint8Array;
}

/** Sizes of the key block parts for one suite at one version. */
export interface Tls12KeyBlockLayout {
  readonly macKeyLength: number;
  readonly keyLength: number;
  readonly ivLength: number;
}

/**
 * The key block layout of `suite` at `version`: AEAD suites take no MAC key and their implicit
 * nonce (RFC 5288 §3, RFC 7905 §2); CBC suites take MAC keys, and IVs only in TLS 1.0, whose
 * records chain IVs (RFC 2246 §6.3; TLS 1.1+ sends an explicit IV per record, RFC 4346 §6.2.3.2).
 */
export function tls12KeyBlockLayout(suite: CipherSuiteInfo, version: ProtocolVersion): Tls12KeyBlockLayout {
  if (suite.cipherType === 'aead')
    return { macKeyLength: 0, keyLength: suite.keyLength, ivLength: suite.fixedIvLength };
  return {
    macKeyLength: suite.macKeyLength,
    keyLength: suite.keyLength,
    ivLength: version <= ProtocolVersion.Tls10 ? suite.blockSize : 0,
  };
}

/** The PRF of a suite at a version: the suite's hash in TLS 1.2, MD5/SHA-1 before (RFC 5246 §5, RFC 2246 §5). */
export function tls12PrfAlgorithm(suite: CipherSuiteInfo, version: ProtocolVersion): PrfAlgorithm {
  if (version < ProtocolVersion.Tls12) return 'tls10';
  return suite.hash === 'sha384' ? 'sha384' : 'sha256';
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The key schedule for one PRF. Stateless: every method takes the secrets it needs.
 * @example
 * const schedule = new Tls12KeySchedule(provider, tls12PrfAlgorithm(suite, version));
 * const masterSecret = schedule.extendedMasterSecret(premaster, transcript.currentHash());
 * const keys = schedule.keyBlock(masterSecret, clientRandom, serverRandom, tls12KeyBlockLayout(suite, version));
 */
export class Tls12KeySchedule {
  readonly provider: CryptoProvider;
  readonly prf: PrfAlgorithm;
  /** The hash of the handshake messages that Finished and EMS cover: MD5‖SHA-1 before TLS 1.2. */
  readonly handshakeHash: HashName;

  constructor(provider: CryptoProvider, prf: PrfAlgorithm) {
    this.provider = provider;
    this.prf = prf;
    this.handshakeHash = prf === 'tls10' ? 'md5-sha1' : prf;
  }

  /** master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47] (RFC 5246 §8.1). */
  masterSecret(premasterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
    return this.provider.prf(
      this.prf,
      premasterSecret,
      'master secret',
      concat(clientRandom, serverRandom),
      48,
    );
  }

  /**
   * master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47] (RFC 7627 §4),
   * session_hash being the handshake hash up to and including ClientKeyExchange.
   */
  extendedMasterSecret(premasterSecret: Uint8Array, sessionHash: Uint8Array): Uint8Array {
    return this.provider.prf(this.prf, premasterSecret, 'extended master secret', sessionHash, 48);
  }

  /** key_block = PRF(master_secret, "key expansion", server_random + client_random), split as RFC 5246 §6.3 orders it. */
  keyBlock(
    masterSecret: Uint8Array,
    clientRandom: Uint8Array,
    serverRandom: Uint8Array,
    layout: Tls12KeyBlockLayout,
  ): Tls12KeyBlock {
    const { macKeyLength, keyLength, ivLength } = layout;
    const total = 2 * (macKeyLength + keyLength + ivLength);
    const block = this.provider.prf(
      this.prf,
      masterSecret,
      'key expansion',
      concat(serverRandom, clientRandom),
      total,
    );
    let at = 0;
    const take = (n: number) => {
      const part = block.slice(at, at + n);
      at += n;
      return part;
    };
    return {
      clientMacKey: take(macKeyLength),
      serverMacKey: take(macKeyLength),
      clientKey: take(keyLength),
      serverKey: take(keyLength),
      clientIv: take(ivLength),
      serverIv: take(ivLength),
    };
  }

  /** verify_data = PRF(master_secret, "client finished" | "server finished", Hash(handshake_messages))[0..11] (RFC 5246 §7.4.9). */
  finishedVerifyData(
    masterSecret: Uint8Array,
    sender: 'client' | 'server',
    handshakeHash: Uint8Array,
  ): Uint8Array {
    return this.provider.prf(this.prf, masterSecret, `${sender} finished`, handshakeHash, 12);
  }

  /** Whether a received verify_data is right, compared in constant time. */
  verifyFinished(
    masterSecret: Uint8Array,
    sender: 'client' | 'server',
    handshakeHash: Uint8Array,
    received: Uint8Array,
  ): boolean {
    return this.provider.timingSafeEqual(
      this.finishedVerifyData(masterSecret, sender, handshakeHash),
      received,
    );
  }

  /**
   * RFC 5705 §4: PRF(master_secret, label, client_random + server_random [+ uint16 context length + context]).
   * Unlike TLS 1.3, an absent context differs from an empty one.
   * @throws RangeError when the context is longer than 2^16-1 bytes.
   */
  exportKeyingMaterial(
    masterSecret: Uint8Array,
    label: string,
    clientRandom: Uint8Array,
    serverRandom: Uint8Array,
    context: Uint8Array | undefined,
    length: number,
  ): Uint8Array {
    let seed = concat(clientRandom, serverRandom);
    if (context !== undefined) {
      if (context.length > 0xffff) throw new RangeError('exporter context longer than 2^16-1 bytes');
      seed = concat(seed, Uint8Array.of(context.length >> 8, context.length & 0xff), context);
    }
    return this.provider.prf(this.prf, masterSecret, label, seed, length);
  }
}
